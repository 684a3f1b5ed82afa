"""Powered-descent guidance: the thrust command, held over a step. Full thrust during the separation burn,
then a throttle law tracking a descent-speed profile  v_final + min(sqrt(2 a_brake dh), k_term dh)  above the
cut-off altitude (gravity compensation plus a speed gain), zero otherwise or once the propellant is spent."""

from __future__ import annotations

from . import dynamics as dyn
from ._vec import dot
from .gnc import POWERED, SEPARATION_BURN


def descent_speed_estimate(nav, xp):
    """Navigated descent speed (m/s, positive downwards)."""
    n_up = (nav.r[0] / nav.rr, nav.r[1] / nav.rr, nav.r[2] / nav.rr)
    return -dot(nav.v, n_up)


def thrust_command(p, phase, m, nav, rr, xp):
    """(thrust magnitude (N), local gravity (m/s^2)) for the cycle."""
    t_avail = (p["n_thrusters"] - p["n_failed"]) * p["thrust_each"]
    s_est = descent_speed_estimate(nav, xp)
    dh = xp.maximum(nav.h - p["cutoff_alt"], 0.0)
    s_ref = p["v_final"] + xp.minimum(xp.sqrt(2.0 * p["a_brake"] * dh), p["k_term"] * dh)
    g_loc = dyn.MU / (rr * rr)
    t_cl = xp.clip(m * (g_loc + p["k_vel"] * (s_est - s_ref)), 0.0, t_avail)
    thrust = xp.where(phase == SEPARATION_BURN, t_avail, xp.where(phase == POWERED, t_cl, 0.0))
    dry = p["m_entry"] - p["m_front_shield"] - p["m_backshell_chute"] - p["propellant"]
    return xp.where(m > dry, thrust, 0.0), g_loc
