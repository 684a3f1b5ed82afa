"""Powered-descent guidance: the thrust command of the engine mode the phase table set, held over a step, and
its direction.

Modes (:data:`areo.edl.schema.ENGINE_MODES`): ``full``: every working thruster; ``throttle_law``: a throttle law
tracking the descent-speed profile v_final + min(sqrt(2 a_brake dh), k_term dh) above the profile's end altitude
(gravity compensation plus a speed gain); ``constant_velocity``: the same law holding ``v_const``;
``gravity_turn``: thrust opposite the navigated (ground-relative) velocity, so that the horizontal speed dies
as the vehicle descends, its magnitude m (g cos(theta) + k_vel (V - V_ref)) making the speed V track the same
profile (theta: angle of the velocity from the downward vertical; with no horizontal speed it is the throttle
law); ``off``: zero. Zero too once the propellant is spent. Magnitude and direction are held over a step (the
flight-software cycle, 0.5 s in powered flight): in a fast turn the held direction lags the velocity (a
constant thrust-to-weight 2 turn from 80 m/s, 60 deg, ends 1.3 m/s faster than the closed form at 0.5 s steps,
0.03 m/s at 0.01 s). In 3-DOF only the thrust follows the velocity: the radar beams stay on the attitude the
lander held when the table last froze it.

The engines (``[edl.thrusters]``): the throttled modes are clipped to [min_throttle, 1] x the available
thrust (throttleable main engines); with a ``pulse_period`` the engines are pulse-modulated (on-time =
throttle x period), modelled as the average thrust over a period, the on-time of a pulse shorter than the
minimum on-time being rounded to 0 or to it (the minimum impulse bit), whichever is nearer.
"""

from __future__ import annotations

from . import dynamics as dyn
from ._vec import dot, norm

ENGINE_FULL, ENGINE_LAW, ENGINE_CV, ENGINE_GT = 1, 2, 3, 4  # indices of areo.edl.schema.ENGINE_MODES
THROTTLED = (ENGINE_LAW, ENGINE_CV, ENGINE_GT)
V_MIN = 1e-3  # m/s: below this navigated speed the gravity turn thrusts straight up


def descent_speed_estimate(nav, xp):
    """Navigated descent speed (m/s, positive downwards)."""
    n_up = (nav.r[0] / nav.rr, nav.r[1] / nav.rr, nav.r[2] / nav.rr)
    return -dot(nav.v, n_up)


def speed_reference(p, h, xp):
    """The descent-speed profile v_final + min(sqrt(2 a_brake dh), k_term dh), dh = h - profile end (m/s)."""
    dh = xp.maximum(h - p["profile_alt"], 0.0)
    return p["v_final"] + xp.minimum(xp.sqrt(2.0 * p["a_brake"] * dh), p["k_term"] * dh)


def engine_thrust(cmd, t_avail, p, xp):
    """Thrust (N) the engines deliver for a throttled command ``cmd`` (N): clipped to [min_throttle, 1] x
    ``t_avail``, then, for pulse-modulated engines, the on-time of a pulse shorter than the minimum on-time
    rounded to 0 or to it (average over the pulse period)."""
    thrust = xp.clip(cmd, p["min_throttle"] * t_avail, t_avail)
    period = xp.where(p["pulse_period"] > 0.0, p["pulse_period"], 1.0)
    full = xp.where(t_avail > 0.0, t_avail, 1.0)
    on = thrust / full * period  # commanded on-time of one pulse (s)
    tau = p["min_on_time"]
    on_q = xp.where(on < tau, xp.where(on >= 0.5 * tau, tau, 0.0), on)
    return xp.where((p["pulse_period"] > 0.0) & (tau > 0.0), on_q / period * t_avail, thrust)


def thrust_command(p, engine, m, nav, rr, xp, modes=frozenset((ENGINE_FULL, ENGINE_LAW))):
    """(thrust magnitude (N), local gravity (m/s^2)) for the cycle; ``modes``: the engine modes the phase
    table uses (the others are not computed)."""
    t_avail = (p["n_thrusters"] - p["n_failed"]) * p["thrust_each"]
    s_est = descent_speed_estimate(nav, xp)
    g_loc = dyn.MU / (rr * rr)
    cmd = 0.0 * m
    if ENGINE_LAW in modes:
        s_ref = speed_reference(p, nav.h, xp)
        cmd = xp.where(engine == ENGINE_LAW, m * (g_loc + p["k_vel"] * (s_est - s_ref)), cmd)
    if ENGINE_CV in modes:
        cmd = xp.where(engine == ENGINE_CV, m * (g_loc + p["k_vel"] * (s_est - p["v_const"])), cmd)
    if ENGINE_GT in modes:
        speed = norm(nav.v, xp)
        cos_vert = xp.where(speed > V_MIN, s_est / xp.maximum(speed, V_MIN), 1.0)
        v_ref = speed_reference(p, nav.h, xp)
        cmd = xp.where(engine == ENGINE_GT, m * (g_loc * cos_vert + p["k_vel"] * (speed - v_ref)), cmd)
    thrust = 0.0 * m
    if any(e in modes for e in THROTTLED):
        throttled = (engine == ENGINE_LAW) | (engine == ENGINE_CV) | (engine == ENGINE_GT)
        thrust = xp.where(throttled, engine_thrust(cmd, t_avail, p, xp), thrust)
    if ENGINE_FULL in modes:
        thrust = xp.where(engine == ENGINE_FULL, t_avail, thrust)
    dry = p["m_entry"] - p["m_front_shield"] - p["m_backshell_chute"] - p["propellant"]
    return xp.where(m > dry, thrust, 0.0), g_loc


def thrust_direction(engine, nav, axis, xp, modes=frozenset()):
    """Unit vector of the thrust: ``axis`` (along the lander's axis, which holds its attitude), or in
    ``gravity_turn`` opposite the navigated velocity, the lander's attitude following it (straight up below
    :data:`V_MIN`)."""
    if ENGINE_GT not in modes:
        return axis
    speed = norm(nav.v, xp)
    ok = speed > V_MIN
    back = tuple(xp.where(ok, -nav.v[i] / xp.maximum(speed, V_MIN), nav.r[i] / nav.rr) for i in range(3))
    return tuple(xp.where(engine == ENGINE_GT, back[i], axis[i]) for i in range(3))
