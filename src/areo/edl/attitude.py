"""The 3-DOF kernel's pitch attitude over one step: the capsule's true pitch oscillation (exact damped oscillator
while it swings under its canopy), the gyro read at both ends of the step with saturation and the persistence
of its flag, the navigation's integration of the rate it uses, and the IMU's random walks (the sensor models
are in :mod:`.sensors`; the fault's story in :mod:`.gnc`)."""

from __future__ import annotations

from typing import Any, NamedTuple

from . import dynamics as dyn
from .sensors import gyro, white_noise


class Attitude(NamedTuple):
    th: Any  # true pitch angle after the step (rad)
    om: Any  # true pitch rate after the step (rad/s)
    the: Any  # navigated pitch angle after the step, before the angle random walk (rad)
    flag_t: Any  # hold left on the saturation flag after the step (s)
    sat_sign: Any  # sign of the last saturating rate
    rate_used: Any  # rate the navigation used at the start of the step (rad/s)
    saturated: Any  # the gyro saturates at either end of the step


def oscillate(th, om, dt, osc, p, xp):
    """True pitch angle and rate after ``dt``: the exact damped oscillator where the capsule swings (``osc``)."""
    th1, om1 = dyn.oscillator(th, om, dt, p["osc_omega_n"], p["osc_zeta"], xp, wd=p["osc_wd"])
    return xp.where(osc, th1, th), xp.where(osc, om1, om)


def advance(S, p, th, om, the, dt, osc, xp) -> Attitude:
    """Pitch truth, gyro and navigated attitude over the step from (``th``, ``om``, ``the``); ``S``: the flag's
    hold and the saturation sign at the start of the step. While the flag is up the navigation integrates the
    saturation value (limit, with the sign of the saturating rate); trapezoidal rule on the rate used."""
    lim = p["gyro_limit"]
    th1, om1 = oscillate(th, om, dt, osc, p, xp)
    raw0, meas0, sat0 = gyro(om, p, xp)
    raw1, meas1, sat1 = gyro(om1, p, xp)
    flag0 = sat0 | (S["flag_t"] > 0)
    sat_sign0 = xp.where(sat0, xp.sign(raw0), S["sat_sign"])
    flag_t1 = xp.where(sat1, p["flag_hold"], xp.maximum(S["flag_t"] - dt, 0.0))
    sat_sign1 = xp.where(sat1, xp.sign(raw1), sat_sign0)
    flag1 = sat1 | (flag_t1 > 0)
    used0 = xp.where(flag0, sat_sign0 * lim, meas0)
    used1 = xp.where(flag1, sat_sign1 * lim, meas1)
    clean = ~(flag0 | flag1)
    d_exact = (1.0 + p["gyro_sf"]) * (th1 - th) + p["gyro_bias"] * dt
    # flag held (not saturated) over the whole step, which ends at or before its expiry: the navigation
    # integrates the constant saturation value
    held = flag0 & ~sat0 & ~sat1 & (dt <= S["flag_t"] + 1e-9)
    d_held = sat_sign0 * lim * dt
    the1 = the + xp.where(clean, d_exact, xp.where(held, d_held, 0.5 * (used0 + used1) * dt))
    return Attitude(th1, om1, the1, flag_t1, sat_sign1, used0, sat0 | sat1)


def imu_noise(S, p, dt, xp):
    """The IMU's random walks over the step: (gyro angle (rad), accelerometers' three velocity components
    (m/s)), from the run's noise key and step counter."""
    n_g, n_a = white_noise(p["noise_key"], S["steps"], 1, xp)
    n_b, n_c = white_noise(p["noise_key"], S["steps"], 2, xp)
    sq = xp.sqrt(dt)
    return p["gyro_arw"] * sq * n_g, tuple(p["acc_vrw"] * sq * n for n in (n_a, n_b, n_c))
