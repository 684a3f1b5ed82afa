"""Step control of the 6-DOF kernel: every step is sized from the frequencies of the motion it carries,
``2 pi / (N omega)`` with ``N = steps_per_period`` (times the step-size factor ``dt_scale``), and shortened so
that no event is stepped over (as the 3-DOF :mod:`areo.edl.stepcontrol`).

Frequencies (rad/s) at the start of the step, from the state and the last step's loads:

- the capsule's aerodynamic pitch frequency sqrt(q S d |C_m_alpha|max / I), q the largest dynamic pressure of
  the last step (entry and under the canopy, while the capsule flies);
- the capsule's rotation rate |w| (attitude kinematics);
- under the canopy, the wrist mode sqrt(T a / I) (riser tension T of the last step on the lever arm a);
- the elastic riser's axial frequency sqrt(k / m_red) (capsule and canopy masses in series):
  ``snatch_steps_per_period`` steps per period (the line goes slack and taut, a kink RK4 only resolves to first
  order) while the canopy inflates and until the snatch has settled (five decay times c / 2 m_red after full
  inflation, or after mortar fire in the reduced model, :func:`bodies.settle_time`, landed on); from there the
  riser is held at its rest length
  (:func:`bodies.riser_settled`) and its axial mode is gone;
- once the riser is held at its rest length (reduced model; elastic model after the snatch), its constraint
  stabilisation (Baumgarte rate b): a critically damped mode of the riser-length error only, which RK4 needs
  to keep stable, not to resolve: b dt <= ``riser_courant`` (RK4 multiplies that error by 0.375 per step at
  b dt = 1 and is stable to b dt ~2.8), not ``N`` steps per period 2 pi / b;
- the translational scale V / max(|f|, g) over ``N`` (|f| the specific force), capped at ``max_step_s``.

Events: time events are landed on exactly (the end of the elastic riser's snatch, ``t_stop``, and the phase
table's: a stage's full inflation, time triggers such as a jettison delay or the end of a separation burn); the
table's thresholds on navigated Mach, dynamic pressure or speed are predicted from the last change of their
distance, its altitude and radar-altitude thresholds (the latter once the radar is locked) approached on the
navigated descent speed (:func:`areo.edl.flight_software.run_table`); a gyro axis crossing its range (either
way) is approached from the last step's angular acceleration, and a held saturation flag's expiry is landed on;
touchdown is predicted from a free-fall bound. After release a full-thrust burn is sized by the translational
scale, throttled descent by the bandwidth ``k_vel`` of its velocity loop (``N`` steps per 2 pi / k_vel).
"""

from __future__ import annotations

import math

from .. import dynamics as dyn
from .._vec import dot, norm
from . import bodies as B
from .bodies import CANOPY, ENTRY, POWERED, RADAR

INF = 1e30
TWO_PI = 2.0 * math.pi
APPROACH = 0.7


def predict(g, g_prev, dt_prev, xp):
    """Step that lands on the zero of ``g`` by linear extrapolation of its last change (INF if not closing)."""
    closing = (g > 0) & (g_prev > g) & (dt_prev > 0) & (g_prev < INF)
    return xp.where(closing, g * dt_prev / xp.where(closing, g_prev - g, 1.0), INF)


def riser_mode(model, p, m, xp):
    """(axial frequency, decay rate) of the elastic riser (:func:`bodies.riser_mode`)."""
    return B.riser_mode(p, m, xp)


def attitude_omega(model, p, S, Y, phase, xp):
    """Largest of the capsule's aerodynamic pitch frequency, its rotation rate and (under the canopy) the wrist
    mode."""
    i_min = xp.minimum(p["iyy"], p["izz"])
    cma = max(abs(c) for c in model.capsule_table["moment_slope_per_rad"])
    om = xp.sqrt(S["qd"] * p["area_capsule"] * p["ref_length"] * cma / i_min)
    om = xp.maximum(om, xp.maximum(norm(Y[10:13], xp), 1e-6))
    wrist = xp.sqrt(S["tension"] * xp.abs(p["att_x"]) / i_min)
    canopy = (phase == CANOPY) | (phase == RADAR)
    return xp.maximum(om, xp.where(canopy, wrist, 0.0))


def gyro_step(p, S, Y, xp):
    """Step that cannot jump over a gyro axis crossing its range (either way) by more than ``min_step_s``, from
    the last step's angular acceleration, and lands on a held flag's expiry."""
    dt = INF + 0.0 * Y[10]
    wdot = xp.maximum(S["wdot"], 1e-6)
    for i in range(3):
        raw = Y[10 + i] * (1.0 + p[f"gyro_sf_{i}"]) + p[f"gyro_bias_{i}"]
        gap = xp.abs(xp.abs(raw) - p[f"gyro_limit_{i}"])
        dt = xp.minimum(dt, gap / (1.5 * wdot))
        flag = S[f"flag_t{i}"]
        dt = xp.where(flag > 0.0, xp.minimum(dt, flag), dt)
    return dt


def time_events(p, phase, t, xp, t_settle=None):
    """Time to the physics' next time event of the run (INF if none): the end of the elastic riser's snatch
    (``t_settle``) and ``t_stop``; the flight software's (full inflation, time triggers) come from the table."""
    nxt = INF + 0.0 * t
    settle = () if t_settle is None else ((t_settle, (phase == CANOPY) | (phase == RADAR)),)
    for te, on in (*settle, (p["t_stop"] + 0.0 * t, phase >= ENTRY)):
        nxt = xp.where(on & (te - t > 1e-9), xp.minimum(nxt, te - t), nxt)
    return nxt


def step_size(model, p, S, Y, phase, t, t_deploy, agl, t_event, pred, xp):
    """Step (s) of every run for this cycle (``phase``: the physical mode after this cycle's transitions;
    ``t_event``, ``pred``: the phase table's time to its next time event and predicted step to its next
    threshold crossing, :func:`areo.edl.flight_software.run_table`)."""
    n = p["steps_per_period"] / p["dt_scale"]
    r, v, m = Y[0:3], Y[3:6], Y[29]
    canopy = (phase == CANOPY) | (phase == RADAR)
    rr = norm(r, xp)
    g_loc = dyn.MU / (rr * rr)
    speed = norm(v, xp)
    dt = xp.minimum(p["max_step_s"] * p["dt_scale"], speed / xp.maximum(S["fn"], g_loc) / n)
    dt = xp.where(phase <= RADAR, xp.minimum(dt, TWO_PI / (n * attitude_omega(model, p, S, Y, phase, xp))), dt)
    inflating = canopy & (t < t_deploy + p["t_inflation"] - 1e-9)
    quasi = B.riser_settled(model, p, m, t, t_deploy, phase, xp)
    dt = xp.where(quasi, xp.minimum(dt, p["riser_courant"] * p["dt_scale"] / p["pend_beta"]), dt)
    om_r, _ = riser_mode(model, p, m, xp)
    t_settle = B.settle_time(model, p, m, t_deploy, xp)
    n_snatch = p["snatch_steps_per_period"] / p["dt_scale"]
    dt = xp.where(canopy & ~quasi, xp.minimum(dt, TWO_PI / (n_snatch * om_r)), dt)
    # the drag area grows on the time scale t_inflation / n_exponent
    dt = xp.where(inflating, xp.minimum(dt, TWO_PI * p["t_inflation"] / (p["infl_exp"] * n)), dt)
    dt = xp.where(phase == POWERED, xp.minimum(dt, TWO_PI / (n * p["k_vel"])), dt)
    dt = xp.minimum(dt, time_events(p, phase, t, xp, t_settle))
    dt = xp.minimum(dt, xp.where(t_event > 1e-9, t_event, INF))
    pred = xp.minimum(pred, xp.where(phase <= RADAR, gyro_step(p, S, Y, xp), INF))
    # touchdown: first root of agl - s dt - g dt^2 / 2 (free-fall bound: drag or thrust only delay it)
    s_dn = xp.maximum(-dot(v, r) / rr, 0.0)
    pred = xp.minimum(pred, (-s_dn + xp.sqrt(s_dn * s_dn + 2.0 * g_loc * xp.maximum(agl, 0.0))) / g_loc)
    return xp.minimum(dt, xp.maximum(pred, p["min_step_s"]))
