"""The same EDL model written the way one would with scipy today: ``solve_ivp`` (DOP853) per phase, with
terminal events for the deploy Mach, release altitude, cut-off altitude and touchdown, and *perfect*
navigation (the flight software reads the true state). It shares the physics functions (gravity,
atmosphere, drag tables) but none of the step/phase machinery of :mod:`areo.edl.simulate`, so the tests
use it as an independent check of the batched kernel's integration and event location, and the benchmark
compares run rates with it. Dispersions enter through the same parameter mapping. It flies phase tables of one
shape only: one parachute stage, then retro-rockets (see :func:`chain`).
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from ..constants import G0
from . import aero
from . import atmosphere as atm_mod
from . import dynamics as dyn
from .flight_software import ALTITUDE, MACH, RADAR_ALTITUDE, TIME
from .guidance import engine_thrust
from .simulate import DEFAULTS, Model


def chain(p: dict, model: Model) -> dict[str, float]:
    """The thresholds of a one-stage parachute + retro-rocket table, in flight order: deploy on Mach, front shield
    a time after, release on the radar altitude, a timed full-thrust burn, cut-off on the altitude."""
    seq = model.seq
    wanted = (("deploy_mach", MACH), ("t_jettison", TIME), ("release_alt", RADAR_ALTITUDE), ("sep_burn", TIME))
    wanted += (("cutoff_alt", ALTITUDE),)
    out: dict[str, float] = {}
    k = 0
    for name, q in wanted:
        while k < len(seq.trig_quantity) and seq.trig_quantity[k] != q:
            k += 1
        if k == len(seq.trig_quantity) or len(seq.stage_cd_table) != 1 or not seq.stage_cd_table[0]:
            from ..errors import InputError

            raise InputError(
                "the scipy model flies only a one-stage (DGB table) parachute + retro-rocket phase table: Mach "
                "deploy, timed jettison, radar-altitude release, timed burn, altitude cut-off"
            )
        out[name] = float(p[f"fsw_value{k}"])
        k += 1
    out["area_chute"], out["t_inflation"] = float(p["chute_area0"]), float(p["chute_infl0"])
    return out


def _bank(model: Model, p: dict, t: float, v: float) -> float:
    """Bank angle (rad) of the capsule's lift: constant, or the profile vs time since entry or air speed."""
    law = model.bank
    if law.mode == "constant":
        return float(p["bank"])
    if law.mode == "drag_tracking":
        raise ValueError("the scipy model has no entry guidance (bank law 'drag_tracking'); use the kernel")
    return float(np.interp(t if law.mode == "time" else v, law.knots, law.angles_rad))


def simulate_scipy(p: dict, model: Model, rtol: float = 1e-8, atol: float = 1e-6) -> dict:
    """One run; returns event times/altitudes (AGL, m), touchdown speed and landing latitude/longitude (rad).
    Capsule drag and L/D come from ``model.capsule`` (numpy.interp of its table), the bank from ``model.bank``."""
    p = {**DEFAULTS, **p}
    c = chain(p, model)
    pert = ((p["pert_a0"], p["pert_a1"], p["pert_a2"]), (p["pert_p0"], p["pert_p1"], p["pert_p2"]))
    cap_aero = model.capsule

    def cap_cd(mach):
        return np.interp(mach, cap_aero.mach, cap_aero.drag_coefficient)

    t_avail = (p["n_thrusters"] - p["n_failed"]) * p["thrust_each"]

    def air(y):
        h = dyn.altitude(y[0], y[1], y[2])
        temp, _, rho = model.atmosphere.evaluate(h)
        rho = rho * atm_mod.density_factor(h, p["rho_scale"], *pert)
        v = np.linalg.norm(y[3:6])
        return h - p["ground_elev"], rho, v, v / atm_mod.speed_of_sound(temp)

    def rhs_factory(cda_fn, thrust_fn, lifting=False):
        def rhs(t, y):
            agl, rho, v, mach = air(y)
            m = y[6]
            cda = cda_fn(t, mach)
            thrust = thrust_fn(y, agl)
            r = y[:3]
            up = r / np.linalg.norm(r)
            g = dyn.gravity(*r)
            c = dyn.apparent(y[0], y[1], y[3], y[4])
            a = np.array(g) + np.array([c[0], c[1], 0.0]) - 0.5 * rho * v * cda / m * y[3:6] + thrust / m * up
            if lifting:  # lift = L/D x capsule drag, in the plane of (velocity, up) banked about the velocity
                u = y[3:6] / v
                n = up - np.dot(up, u) * u
                n /= np.linalg.norm(n)
                bank = _bank(model, p, t, v)
                ldir = np.cos(bank) * n + np.sin(bank) * np.cross(u, n)
                ld = (
                    p["lift_to_drag"]
                    if cap_aero.lift_to_drag is None
                    else np.interp(mach, cap_aero.mach, cap_aero.lift_to_drag)
                ) * p["ld_scale"]
                cl_a = ld * cap_cd(mach) * p["cd_capsule_scale"] * p["area_capsule"]
                a = a + 0.5 * rho * v * v * cl_a / m * ldir
            return np.concatenate([y[3:6], a, [-thrust / (p["isp"] * float(G0))]])

        return rhs

    cap = lambda mach: cap_cd(mach) * p["cd_capsule_scale"] * p["area_capsule"]  # noqa: E731
    chute = lambda mach: aero.cd_parachute(mach) * p["cd_chute_scale"] * c["area_chute"]  # noqa: E731
    no_thrust = lambda y, agl: 0.0  # noqa: E731
    pos, vel = dyn.state_from_entry(
        p["entry_alt"], p["entry_lat"], p["entry_lon"], p["entry_speed"], p["entry_fpa"], p["entry_azimuth"]
    )
    y = np.array([*pos, *vel, p["m_entry"]])
    t = 0.0
    out: dict = {}

    def ground(t, y):
        return air(y)[0]

    ground.terminal, ground.direction = True, -1

    def run(rhs, t_end, events=()):
        nonlocal t, y
        sol = solve_ivp(rhs, (t, t_end), y, method="DOP853", rtol=rtol, atol=atol, events=[ground, *events])
        t, y = sol.t[-1], sol.y[:, -1]
        return sol

    def deploy(t, y):
        return air(y)[3] - c["deploy_mach"]

    deploy.terminal, deploy.direction = True, -1
    run(rhs_factory(lambda t, m: cap(m), no_thrust, lifting=True), 2000.0, [deploy])
    out["deploy_t"], out["deploy_h"] = t, air(y)[0]
    t_dep = t
    infl = lambda t, m: cap(m) + chute(m) * np.clip((t - t_dep) / c["t_inflation"], 0.0, 1.0) ** 2  # noqa: E731
    run(rhs_factory(infl, no_thrust), t_dep + c["t_inflation"])
    run(rhs_factory(lambda t, m: cap(m) + chute(m), no_thrust), t_dep + c["t_jettison"])
    out["jettison_h"] = air(y)[0]
    y[6] -= p["m_front_shield"]

    def release(t, y):
        return air(y)[0] - c["release_alt"]

    release.terminal, release.direction = True, -1
    run(rhs_factory(lambda t, m: cap(m) + chute(m), no_thrust), 2000.0, [release])
    out["release_t"], out["release_h"] = t, air(y)[0]
    y[6] -= p["m_backshell_chute"]
    lander = lambda t, m: p["cd_lander"] * p["area_lander"]  # noqa: E731
    run(rhs_factory(lander, lambda y, agl: t_avail), t + c["sep_burn"])

    def law(y, agl):
        r = y[:3]
        s = -np.dot(y[3:6], r) / np.linalg.norm(r)
        dh = max(agl - p["profile_alt"], 0.0)
        s_ref = p["v_final"] + min(np.sqrt(2.0 * p["a_brake"] * dh), p["k_term"] * dh)
        # the engines' model (throttle range, pulse modulation as its average) is guidance's, shared like the physics
        return float(engine_thrust(y[6] * (dyn.MU / np.dot(r, r) + p["k_vel"] * (s - s_ref)), t_avail, p, np))

    def cutoff(t, y):
        return air(y)[0] - c["cutoff_alt"]

    cutoff.terminal, cutoff.direction = True, -1
    run(rhs_factory(lander, law), 2000.0, [cutoff])
    out["cutoff_t"] = t
    run(rhs_factory(lander, no_thrust), 2000.0)
    out["touchdown_t"] = t
    out["touchdown_speed"] = float(np.linalg.norm(y[3:6]))
    lat, lon = dyn.lat_lon(y[0], y[1], y[2])
    out["landing_lat"], out["landing_lon"] = float(lat), float(lon)
    return out
