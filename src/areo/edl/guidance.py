"""Powered-descent guidance: the thrust command of the engine mode the phase table set, held over a step.
``full``: every working thruster; ``throttle_law``: a throttle law tracking the descent-speed profile
v_final + min(sqrt(2 a_brake dh), k_term dh) above the profile's end altitude (gravity compensation plus a speed
gain); ``constant_velocity``: the same law holding ``v_const``; ``off``: zero. Zero too once the propellant is
spent."""

from __future__ import annotations

from . import dynamics as dyn
from ._vec import dot

ENGINE_FULL, ENGINE_LAW, ENGINE_CV = 1, 2, 3  # indices of areo.edl.schema.ENGINE_MODES


def descent_speed_estimate(nav, xp):
    """Navigated descent speed (m/s, positive downwards)."""
    n_up = (nav.r[0] / nav.rr, nav.r[1] / nav.rr, nav.r[2] / nav.rr)
    return -dot(nav.v, n_up)


def thrust_command(p, engine, m, nav, rr, xp, modes=frozenset((ENGINE_FULL, ENGINE_LAW))):
    """(thrust magnitude (N), local gravity (m/s^2)) for the cycle; ``modes``: the engine modes the phase
    table uses (the others are not computed)."""
    t_avail = (p["n_thrusters"] - p["n_failed"]) * p["thrust_each"]
    s_est = descent_speed_estimate(nav, xp)
    g_loc = dyn.MU / (rr * rr)
    thrust = 0.0 * m
    if ENGINE_LAW in modes:
        dh = xp.maximum(nav.h - p["profile_alt"], 0.0)
        s_ref = p["v_final"] + xp.minimum(xp.sqrt(2.0 * p["a_brake"] * dh), p["k_term"] * dh)
        t_cl = xp.clip(m * (g_loc + p["k_vel"] * (s_est - s_ref)), 0.0, t_avail)
        thrust = xp.where(engine == ENGINE_LAW, t_cl, thrust)
    if ENGINE_CV in modes:
        t_cv = xp.clip(m * (g_loc + p["k_vel"] * (s_est - p["v_const"])), 0.0, t_avail)
        thrust = xp.where(engine == ENGINE_CV, t_cv, thrust)
    if ENGINE_FULL in modes:
        thrust = xp.where(engine == ENGINE_FULL, t_avail, thrust)
    dry = p["m_entry"] - p["m_front_shield"] - p["m_backshell_chute"] - p["propellant"]
    return xp.where(m > dry, thrust, 0.0), g_loc
