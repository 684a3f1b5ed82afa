"""The lander after the back-shell release / lander separation: where its thrust points and how its attitude
follows the guidance (``[edl.sixdof.lander]``, declared in :class:`areo.edl.schema_sixdof.LanderIn`).

Commanded thrust direction (what the 3-DOF guidance, :mod:`areo.edl.guidance`, gives, on the 6-DOF navigated
state, carried into the true frame through the attitude error C nC^T): opposite the navigated ground-relative
velocity in ``gravity_turn`` (straight up below :data:`areo.edl.guidance.V_MIN`); the navigated local vertical
tilted to null the horizontal speed in the throttle laws (:func:`vertical_command`); the body's own -x axis (the
held attitude) in the separation burn at full thrust.

``att_ctrl`` 0 (``ideal``): the thrust follows the command at once, the body keeps the attitude it had at the
release (its inertial rates zeroed): the infinite-rate limit, and the 6-DOF model before the controller existed.
``att_ctrl`` 1 (``rate_limited``): the thrust is along the body's -x axis, and an eigenaxis PD law steers that
axis to the command, in the cascaded form of a rate-limited slew (Wie, *Space Vehicle Dynamics and Control*,
2nd ed., AIAA 2008, sec. 7.3; Wie, Bailey & Heiberg, JGCD 25(1), 2002): a rate command
w_c = sat(K_p theta, w_max) about the eigenaxis (theta: angle from the body axis to the command), then an
angular acceleration a = sat(K_r (w_c - w), a_max), K_r = 2 zeta w_n, K_p = w_n / (2 zeta), so that small
errors follow theta'' + 2 zeta w_n theta' + w_n^2 theta = 0. The roll about the thrust axis is damped to zero.
The acceleration is what the lander's attitude-control torque gives over its inertia (``max_angular_accel``), so
the inertia tensor does not enter; the gyroscopic term of the lander's slow rates is neglected.
"""

from __future__ import annotations

import math

from .. import dynamics as dyn
from .. import guidance
from .._vec import cross, dot, norm
from . import quat as Q

TWO_PI = 2.0 * math.pi
DEFAULTS = {"att_ctrl": 0.0, "att_wn": 2.0, "att_zeta": 0.7, "att_rate_max": math.radians(20.0)}
DEFAULTS["att_acc_max"] = math.radians(30.0)
"""The controller's parameters where a parameter set lacks them (a model of the bodies alone, built by hand):
ideal tracking, and the defaults of :class:`areo.edl.schema_sixdof.LanderIn`."""


def _p(p, name):
    return p[name] if name in p else DEFAULTS[name]


def vertical_command(nr, nv, p, xp):
    """Direction (navigated frame) of a lander that points its thrust to null its navigated horizontal velocity
    about its navigated local vertical (desired acceleration g up - k_vel v_horizontal, tilt up to ~27 deg)."""
    nrr = norm(nr, xp)
    up = tuple(c / nrr for c in nr)
    vu = dot(nv, up)
    g = dyn.MU / (nrr * nrr)
    corr = tuple(-p["k_vel"] * (nv[i] - vu * up[i]) for i in range(3))
    cn = xp.maximum(norm(corr, xp) / (0.5 * g), 1.0)
    d = tuple(g * up[i] + corr[i] / cn for i in range(3))
    dn = norm(d, xp)
    return tuple(c / dn for c in d)


def retrograde_command(nr, nv, xp):
    """Direction (navigated frame) opposite the navigated velocity (straight up below ``guidance.V_MIN``)."""
    speed = norm(nv, xp)
    ok = speed > guidance.V_MIN
    nrr = norm(nr, xp)
    return tuple(xp.where(ok, -nv[i] / xp.maximum(speed, guidance.V_MIN), nr[i] / nrr) for i in range(3))


def commanded_direction(C, nr, nv, nq, steer, p, xp):
    """True-frame unit vector the guidance wants the thrust along: ``steer`` 1 (gravity turn) opposite the
    navigated velocity, else the navigated vertical law; carried through the attitude error (C nC^T d_nav)."""
    d = vertical_command(nr, nv, p, xp)
    back = retrograde_command(nr, nv, xp)
    d = tuple(xp.where(steer > 0.5, back[i], d[i]) for i in range(3))
    return Q.mv(C, Q.mtv(Q.dcm(nq), d))


def gains(p, xp):
    """(K_p, K_r) of the cascaded loop from its natural frequency and damping ratio."""
    wn, zeta = _p(p, "att_wn"), _p(p, "att_zeta")
    return wn / (2.0 * zeta), 2.0 * wn * zeta


def _sat(vec, limit, xp):
    n = norm(vec, xp)
    k = xp.minimum(1.0, limit / xp.maximum(n, 1e-300))
    return tuple(k * c for c in vec)


def pointing_error(C, d, xp, used=True):
    """(angle (rad) from the body's -x axis to ``d``, unit eigenaxis in body axes; zero where aligned). Where
    ``used`` is false the angle is 0 (atan2(0, 1): libm's fast path, for runs that discard it)."""
    d_b = Q.mtv(C, d)
    b = (-1.0, 0.0 * d_b[0], 0.0 * d_b[0])
    ax = cross(b, d_b)
    s = norm(ax, xp)
    theta = xp.arctan2(xp.where(used, s, 0.0), xp.where(used, dot(b, d_b), 1.0))
    return theta, tuple(c / xp.maximum(s, 1e-300) for c in ax)


def angular_acceleration(C, w, d, hold, p, xp, used=True):
    """Angular acceleration (rad/s^2, body axes) of the rate-limited controller steering the body's -x axis to
    ``d`` (true frame); where ``hold``: rates damped to zero (attitude held); where ``used`` is false: a value
    the caller discards (its pointing angle is not computed)."""
    kp, kr = gains(p, xp)
    theta, axis = pointing_error(C, d, xp, xp.logical_and(used, xp.logical_not(hold)))  # unused where held
    wc = _sat(tuple(kp * theta * a for a in axis), _p(p, "att_rate_max"), xp)
    wc = tuple(xp.where(hold, 0.0, c) for c in wc)
    return _sat(tuple(kr * (wc[i] - w[i]) for i in range(3)), _p(p, "att_acc_max"), xp)


def thrust_and_torque(C, w, nr, nv, nq, steer, burn, p, xp):
    """(true-frame thrust direction, body angular acceleration) of the released lander. ``steer``: gravity turn;
    ``burn``: the separation burn at full thrust (the held axis)."""
    d = commanded_direction(C, nr, nv, nq, steer, p, xp)
    axis = tuple(-C[i][0] for i in range(3))
    ideal = tuple(xp.where(burn, axis[i], d[i]) for i in range(3))
    limited = _p(p, "att_ctrl") > 0.5
    tdir = tuple(xp.where(limited, axis[i], ideal[i]) for i in range(3))
    dw = angular_acceleration(C, w, d, burn, p, xp, limited)
    return tdir, tuple(xp.where(limited, c, 0.0) for c in dw)


def step_limit(p, phase_released, xp):
    """Longest step (s) resolving the attitude loop of a released lander under rate-limited control: 2 pi / (N
    K_r) with N = ``steps_per_period`` (RK4 on the rate loop's pole -K_r); no limit otherwise."""
    _, kr = gains(p, xp)
    n = p["steps_per_period"] / p["dt_scale"]
    on = phase_released & (_p(p, "att_ctrl") > 0.5)
    return xp.where(on, TWO_PI / (n * kr), 1e30)
