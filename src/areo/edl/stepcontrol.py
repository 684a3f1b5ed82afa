"""Step control: the step size chosen by the vehicle's configuration (8 s above 60 km, 4 s under the parachute, 0.25 s while it
inflates, 0.5 s in powered descent, down to 0.02 s while the gyro can saturate), shortened to land on the next
event: time events exactly, threshold crossings by predicting them (the deploy threshold and the radar lock
from the last change of their distance, the release altitude from the navigated descent speed with a short
approach window, touchdown from a free-fall bound)."""

from __future__ import annotations

from ._vec import dot

DT_ENTRY_HIGH, DT_ENTRY, DT_INFLATING, DT_FINE, DT_CHUTE, DT_POWERED, DT_GROUND, DT_MIN = (
    8.0,
    4.0,
    0.25,
    0.02,
    4.0,
    0.5,
    2.0,
    1e-3,
)
# approach of an estimated-altitude threshold (back-shell release): the last APPROACH_WINDOW seconds before the
# predicted crossing are flown in steps of at most DT_APPROACH, the last one landing on the predicted crossing
DT_APPROACH, APPROACH_WINDOW = 0.25, 0.5
INF = 1e30


def predict(g, g_prev, dt_prev, xp):
    """Step that lands on the zero of ``g`` by linear extrapolation of its last change (INF if not closing)."""
    closing = (g > 0) & (g_prev > g) & (dt_prev > 0) & (g_prev < INF)
    return xp.where(closing, g * dt_prev / xp.where(closing, g_prev - g, 1.0), INF)


def approach(g, rate, xp):
    """Step towards the zero of a threshold distance ``g`` closing at ``rate`` (>= 0): to the start of the
    approach window, then in steps of at most DT_APPROACH, the last one landing on the predicted crossing."""
    t_go = g / xp.maximum(rate, 1e-3)
    far = t_go > APPROACH_WINDOW + DT_APPROACH
    return xp.where(far, t_go - APPROACH_WINDOW, xp.minimum(DT_APPROACH, xp.maximum(t_go, 0.0)))


def oscillation_step(S, p, om, th, xp):
    """Step under the canopy that cannot jump over a gyro saturation, and lands on a held flag's expiry."""
    wn = p["osc_omega_n"]
    lim = p["gyro_limit"]
    raw_now = om * (1.0 + p["gyro_sf"]) + p["gyro_bias"]
    sat_now = xp.abs(raw_now) >= lim
    rate_amp = xp.sqrt(om * om + (wn * th) ** 2) * (1.0 + xp.abs(p["gyro_sf"])) + xp.abs(p["gyro_bias"])
    # omega^2 + omega_n^2 theta^2 never grows under damping, so |rate| <= rate_amp from now on: no saturation
    # possible below the limit; otherwise the rate cannot change faster than omega_n * amplitude, which
    # gives a safe step before it can reach the limit
    t_sat = (lim - xp.abs(raw_now)) / (wn * rate_amp * 1.05 + 1e-9)
    dt_osc = xp.where(sat_now, DT_FINE, xp.clip(t_sat, DT_FINE, DT_CHUTE))
    dt_osc = xp.where(rate_amp < lim, DT_CHUTE, dt_osc)
    # land exactly on the expiry of a held saturation flag
    return xp.where((S["flag_t"] > 0) & ~sat_now, xp.minimum(dt_osc, xp.maximum(S["flag_t"], 1e-4)), dt_osc)


def step_size(S, p, fsw, nav, active, t, agl, r, rr, v, g_loc, g_lock, s_nav, xp):
    """Step (s) of every run for this cycle (0 for finished runs) and whether the capsule oscillates. The step
    class follows the vehicle's configuration (``fsw.state``: parachute, back shell, engines), the events come
    from the phase table (``fsw.t_event``: time events; ``fsw.pred``: predicted threshold crossings)."""
    F = fsw.state
    chute_on = F["chute"] >= 0
    released = F["released"] > 0.5
    engines = F["engine"] > 0.5
    osc = chute_on & ~released
    inflating = chute_on & (F["inflated"] < 0.5)
    dt_osc = oscillation_step(S, p, F["om"], F["th"], xp)
    dt = xp.where(chute_on | released, DT_CHUTE, xp.where(agl > 60_000.0, DT_ENTRY_HIGH, DT_ENTRY))
    dt = xp.where(inflating, DT_INFLATING, dt)
    dt = xp.where(osc, xp.minimum(dt, dt_osc), dt)
    dt = xp.where(engines, DT_POWERED, dt)
    dt = xp.where(released & ~engines, DT_GROUND, dt)
    dt = dt * p["dt_scale"]
    dt = xp.minimum(dt, xp.maximum(fsw.t_event, 1e-6))
    dt_prev = S["dt_prev"]
    hdot = dot(v, (r[0] / rr, r[1] / rr, r[2] / rr))
    # touchdown: first root of agl - s dt - g dt^2 / 2 (free-fall bound; drag or thrust only delay it)
    s_dn = xp.maximum(-hdot, 0.0)
    pred = (-s_dn + xp.sqrt(s_dn * s_dn + 2.0 * g_loc * xp.maximum(agl, 0.0))) / g_loc
    pred = xp.minimum(pred, fsw.pred)
    searching = (F["radar_on"] > 0.5) & (nav.locked < 0.5) & ~released
    pred = xp.minimum(pred, xp.where(searching, predict(g_lock, S["g_lock"], dt_prev, xp), INF))
    dt = xp.minimum(dt, xp.maximum(pred, DT_MIN))
    return xp.where(active, dt, 0.0), osc
