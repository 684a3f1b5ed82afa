"""The same EDL model written the way one would with scipy today: ``solve_ivp`` (DOP853) per phase, with
terminal events for the deploy Mach, release altitude, cut-off altitude and touchdown, and *perfect*
navigation (the flight software reads the true state). It shares the physics functions (gravity,
atmosphere, drag tables) but none of the step/phase machinery of :mod:`areo.edl.simulate`, so the tests
use it as an independent check of the batched kernel's integration and event location, and the benchmark
compares run rates with it. Dispersions enter through the same parameter mapping. It flies phase tables of one
shape only: one parachute stage, then retro-rockets (see :func:`chain`).
"""

from __future__ import annotations

from typing import NamedTuple

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
    fl = _Flight(p, model, pert, rtol, atol)
    out: dict = {}
    capsule = _rhs(fl, lambda t, m: _capsule_cda(fl, m), _no_thrust, lifting=True)
    t, y = _run(fl, capsule, 0.0, _entry_state(p), 2000.0, [_falling_through(fl, _MACH, c["deploy_mach"])])
    out["deploy_t"], out["deploy_h"] = t, _air(fl, y)[0]
    t, y = _under_parachute(fl, c, t, y)
    out["jettison_h"] = _air(fl, y)[0]
    y[6] -= p["m_front_shield"]
    chute = _rhs(fl, lambda t, m: _capsule_cda(fl, m) + _chute_cda(fl, c, m), _no_thrust)
    t, y = _run(fl, chute, t, y, 2000.0, [_falling_through(fl, _AGL, c["release_alt"])])
    out["release_t"], out["release_h"] = t, _air(fl, y)[0]
    y[6] -= p["m_backshell_chute"]
    t, y = _powered_descent(fl, c, t, y)
    out["cutoff_t"] = t
    t, y = _run(fl, _rhs(fl, _lander_cda(p), _no_thrust), t, y, 2000.0)
    out["touchdown_t"] = t
    out["touchdown_speed"] = float(np.linalg.norm(y[3:6]))
    lat, lon = dyn.lat_lon(y[0], y[1], y[2])
    out["landing_lat"], out["landing_lon"] = float(lat), float(lon)
    return out


class _Flight(NamedTuple):
    """What every phase of one run shares: parameters, model, density perturbation, integrator tolerances."""

    p: dict
    model: Model
    pert: tuple
    rtol: float
    atol: float


_AGL, _MACH = 0, 3  # indices into :func:`_air`'s tuple


def _air(fl: _Flight, y):
    """Height above the ground (m), dispersed density (kg/m^3), air speed (m/s) and Mach number at state ``y``."""
    p = fl.p
    h = dyn.altitude(y[0], y[1], y[2])
    temp, _, rho = fl.model.atmosphere.evaluate(h)
    rho = rho * atm_mod.density_factor(h, p["rho_scale"], *fl.pert)
    v = np.linalg.norm(y[3:6])
    return h - p["ground_elev"], rho, v, v / atm_mod.speed_of_sound(temp)


def _capsule_cd(fl: _Flight, mach):
    """The capsule's drag coefficient at ``mach`` (numpy.interp of its table)."""
    cap_aero = fl.model.capsule
    return np.interp(mach, cap_aero.mach, cap_aero.drag_coefficient)


def _capsule_cda(fl: _Flight, mach):
    """The capsule's dispersed drag area (m^2) at ``mach``."""
    return _capsule_cd(fl, mach) * fl.p["cd_capsule_scale"] * fl.p["area_capsule"]


def _chute_cda(fl: _Flight, c: dict, mach):
    """The parachute's dispersed drag area (m^2) at ``mach``, fully inflated."""
    return aero.cd_parachute(mach) * fl.p["cd_chute_scale"] * c["area_chute"]


def _lander_cda(p: dict):
    """Drag area (m^2) of the lander after release, a function of (t, Mach): constant."""
    return lambda t, m: p["cd_lander"] * p["area_lander"]


def _no_thrust(y, agl):
    """No engine thrust (N)."""
    return 0.0


def _rhs(fl: _Flight, cda_fn, thrust_fn, lifting=False):
    """Equations of motion rhs(t, y) of one phase: gravity, apparent forces, drag, vertical thrust, optional lift."""
    p = fl.p

    def rhs(t, y):
        agl, rho, v, mach = _air(fl, y)
        m = y[6]
        cda = cda_fn(t, mach)
        thrust = thrust_fn(y, agl)
        r = y[:3]
        up = r / np.linalg.norm(r)
        g = dyn.gravity(*r)
        c = dyn.apparent(y[0], y[1], y[3], y[4])
        a = np.array(g) + np.array([c[0], c[1], 0.0]) - 0.5 * rho * v * cda / m * y[3:6] + thrust / m * up
        if lifting:
            a = a + _lift(fl, t, y, up, rho, v, mach, m)
        return np.concatenate([y[3:6], a, [-thrust / (p["isp"] * float(G0))]])

    return rhs


def _lift(fl: _Flight, t, y, up, rho, v, mach, m):
    """Lift acceleration (m/s^2): L/D x capsule drag, in the plane of (velocity, up) banked about the velocity."""
    p, cap_aero = fl.p, fl.model.capsule
    u = y[3:6] / v
    n = up - np.dot(up, u) * u
    n /= np.linalg.norm(n)
    bank = _bank(fl.model, p, t, v)
    ldir = np.cos(bank) * n + np.sin(bank) * np.cross(u, n)
    ld = (
        p["lift_to_drag"] if cap_aero.lift_to_drag is None else np.interp(mach, cap_aero.mach, cap_aero.lift_to_drag)
    ) * p["ld_scale"]
    cl_a = ld * _capsule_cd(fl, mach) * p["cd_capsule_scale"] * p["area_capsule"]
    return 0.5 * rho * v * v * cl_a / m * ldir


def _entry_state(p: dict):
    """The state vector (position, velocity, mass) at the entry interface."""
    pos, vel = dyn.state_from_entry(
        p["entry_alt"], p["entry_lat"], p["entry_lon"], p["entry_speed"], p["entry_fpa"], p["entry_azimuth"]
    )
    return np.array([*pos, *vel, p["m_entry"]])


def _falling_through(fl: _Flight, index: int, level: float):
    """Terminal event: the quantity ``index`` of :func:`_air` (height above ground, Mach) falling through ``level``."""

    def event(t, y):
        return _air(fl, y)[index] - level

    event.terminal, event.direction = True, -1  # type: ignore[attr-defined]
    return event


def _ground(fl: _Flight):
    """Terminal event: touchdown (height above the ground falling through zero)."""

    def ground(t, y):
        return _air(fl, y)[0]

    ground.terminal, ground.direction = True, -1  # type: ignore[attr-defined]
    return ground


def _run(fl: _Flight, rhs, t, y, t_end, events=()):
    """One phase: DOP853 from (t, y) to ``t_end``, touchdown or the first terminal event; returns the end (t, y)."""
    sol = solve_ivp(rhs, (t, t_end), y, method="DOP853", rtol=fl.rtol, atol=fl.atol, events=[_ground(fl), *events])
    return sol.t[-1], sol.y[:, -1]


def _under_parachute(fl: _Flight, c: dict, t_dep, y):
    """From the deploy at t_dep: the canopy's inflation, then the full canopy until jettison; the end (t, y)."""

    def infl(t, m):
        return _capsule_cda(fl, m) + _chute_cda(fl, c, m) * np.clip((t - t_dep) / c["t_inflation"], 0.0, 1.0) ** 2

    t, y = _run(fl, _rhs(fl, infl, _no_thrust), t_dep, y, t_dep + c["t_inflation"])
    full = _rhs(fl, lambda t, m: _capsule_cda(fl, m) + _chute_cda(fl, c, m), _no_thrust)
    return _run(fl, full, t, y, t_dep + c["t_jettison"])


def _powered_descent(fl: _Flight, c: dict, t, y):
    """From release: the timed full-thrust burn, then the throttled descent to cut-off; the end (t, y)."""
    p = fl.p
    t_avail = (p["n_thrusters"] - p["n_failed"]) * p["thrust_each"]
    lander = _lander_cda(p)
    t, y = _run(fl, _rhs(fl, lander, lambda y, agl: t_avail), t, y, t + c["sep_burn"])
    law = _descent_law(p, t_avail)
    return _run(fl, _rhs(fl, lander, law), t, y, 2000.0, [_falling_through(fl, _AGL, c["cutoff_alt"])])


def _descent_law(p: dict, t_avail):
    """Thrust (N) ``thrust(y, agl)`` of the perfect-navigation law: a sink-rate loop on the reference profile."""

    def law(y, agl):
        r = y[:3]
        s = -np.dot(y[3:6], r) / np.linalg.norm(r)
        dh = max(agl - p["profile_alt"], 0.0)
        s_ref = p["v_final"] + min(np.sqrt(2.0 * p["a_brake"] * dh), p["k_term"] * dh)
        # the engines' model (throttle range, pulse modulation as its average) is guidance's, shared like the physics
        return float(engine_thrust(y[6] * (dyn.MU / np.dot(r, r) + p["k_vel"] * (s - s_ref)), t_avail, p, np))

    return law
