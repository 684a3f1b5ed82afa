"""Bank-angle entry guidance of the Apollo final-phase / Shuttle / MSL kind: reference-drag tracking with bank
reversals.

Longitudinal channel (Harpold & Graves, "Shuttle Entry Guidance", J. Astronaut. Sci. 27(3), 1979; the MSL
entry guidance is of the same Apollo-derived family: Mendeck & Craig McGrew, "Entry Guidance Design and
Postflight Performance for 2011 Mars Science Laboratory Mission", J. Spacecraft Rockets 51(4), 2014): the vertical
lift-to-drag ratio commanded is

    (L/D) cos(sigma) = (L/D) cos(sigma_0) + K_D (D - D_ref(V)) - K_hdot (hdot - hdot_ref(V))

with D the sensed drag acceleration, V the navigated speed, hdot the navigated altitude rate and sigma_0 the
nominal bank the reference was flown with: more drag than planned (too low, too dense) or a steeper descent
asks for more lift up. Lateral channel (Apollo, MSL): the sign of the bank is kept until the crossrange angle
to the target, measured from the navigated plane of motion, leaves a deadband that narrows as speed falls, then
reversed; reversals go through lift up at a limited bank rate. The command is computed once a cycle, at its
start, and held over the step (a sampled-data controller, as flight software is). Before the sensed drag
reaches ``bank_start_drag`` the nominal bank is held.
"""

from __future__ import annotations

from . import aero
from ._vec import cross, dot, norm, unit


def target_unit(p, xp):
    """Mars-fixed unit vector to the target (site latitude/longitude)."""
    cl = xp.cos(p["target_lat"])
    return (cl * xp.cos(p["target_lon"]), cl * xp.sin(p["target_lon"]), xp.sin(p["target_lat"]))


def crossrange_angle(nr, nv, p, xp):
    """Angle (rad) of the target out of the navigated plane of motion; positive: the target lies to the left."""
    n = unit(cross(nr, nv), xp)
    return xp.arcsin(xp.clip(dot(target_unit(p, xp), n), -1.0, 1.0))


def command(S, p, law: aero.BankLaw, entry, drag, lift_to_drag, nr, nv, xp):
    """New (bank, bank_sign) of every run for this cycle: the drag-tracking magnitude, the reversal logic's
    sign, moved from the current bank at most ``bank_rate * dt_prev`` (through lift up on a reversal). ``entry``:
    the runs still before their first parachute deploy (the capsule's lift acts)."""
    speed = norm(nv, xp)
    hdot = dot(nr, nv) / norm(nr, xp)
    d_ref = aero.piecewise_linear(speed, list(law.ref_speed), list(law.ref_drag), xp)
    hdot_ref = aero.piecewise_linear(speed, list(law.ref_speed), list(law.ref_hdot), xp)
    ld = xp.maximum(lift_to_drag, 1e-6)
    u = ld * p["cos_bank"] + p["bank_k_drag"] * (drag - d_ref) - p["bank_k_hdot"] * (hdot - hdot_ref)
    magnitude = xp.arccos(xp.clip(u / ld, -1.0, 1.0))
    guiding = entry & (drag >= p["bank_start_drag"])
    magnitude = xp.where(guiding, magnitude, xp.abs(p["bank"]))
    chi = crossrange_angle(nr, nv, p, xp)
    deadband = p["bank_deadband"] + p["bank_deadband_slope"] * speed
    wrong_side = S["bank_sign"] * chi > 0.0  # banking right (sign +) while the target lies left, or vice versa
    sign = xp.where(guiding & wrong_side & (xp.abs(chi) > deadband), -S["bank_sign"], S["bank_sign"])
    step = p["bank_rate"] * S["dt_prev"]
    bank = S["bank"] + xp.clip(sign * magnitude - S["bank"], -step, step)
    return bank, sign


def reference_law(p: dict, model) -> aero.BankLaw:
    """A drag-tracking law whose reference is the entry ``p`` flown open loop at its constant bank ``p["bank"]``
    (numpy reference run): drag acceleration and altitude rate vs speed until mortar fire, from the run's history
    (one point per flight-software cycle; the density includes the run's dispersion factors)."""
    from dataclasses import replace

    import numpy as np

    from . import atmosphere as atm_mod
    from .simulate import DEFAULTS, simulate_reference

    q = {**DEFAULTS, **p}
    flown = replace(model, bank=aero.CONSTANT_BANK, has_lift=True)
    _, hist = simulate_reference(q, flown)
    entry = hist["phase"] == 0  # the phase table's first phase: before any parachute, while the lift acts
    h = hist["altitude_m"][entry] + q["ground_elev"]
    t, v, mach = hist["t"][entry], hist["speed_m_s"][entry], hist["mach"][entry]
    waves = (q["pert_a0"], q["pert_a1"], q["pert_a2"]), (q["pert_p0"], q["pert_p1"], q["pert_p2"])
    rho = model.atmosphere.evaluate(h)[2] * atm_mod.density_factor(h, q["rho_scale"], *waves)
    cd = model.capsule.cd(mach) * q["cd_capsule_scale"]
    drag = 0.5 * rho * v * v * cd * q["area_capsule"] / q["m_entry"]
    hdot = np.gradient(h, t)
    order = np.argsort(v, kind="stable")
    v, drag, hdot = v[order], drag[order], hdot[order]
    keep = np.concatenate([[True], np.diff(v) > 1e-3])
    return aero.BankLaw(
        "drag_tracking",
        ref_speed=tuple(v[keep].tolist()),
        ref_drag=tuple(drag[keep].tolist()),
        ref_hdot=tuple(hdot[keep].tolist()),
    )
