"""Aerobraking kernel (numpy, SI, batched over runs): drag passes at periapsis, Keplerian coasts, corridor control.

A drag pass integrates the Gauss equations of the specific orbital energy and angular momentum,
``d eps/dt = -D v`` and ``d h/dt = -D h / v`` with ``D = rho v^2 / (2 beta)``, along the osculating Keplerian arc
through the atmosphere (trapezoid rule in eccentric anomaly, spectrally accurate for the bell-shaped integrand),
the inbound half along the entry orbit and the outbound half along the orbit the inbound half left (so the
change of the orbit within a pass enters to first order). Neglected: the rotation of the
atmosphere (Venus turns at 1.8 m/s at the equator), gravity harmonics and the motion of the apsides. Between
passes the orbit is Keplerian. Each run carries a per-element status code; nothing returns a silent NaN.

The corridor controller acts at apoapsis after each pass, as flight teams do with apoapsis (ABM) manoeuvres: it
keeps an estimate of the density factor (an exponential average of the factors the passes measured), predicts the
controlled quantity of the next pass (peak dynamic pressure, peak free-molecular heat rate or periapsis altitude)
and, when the prediction leaves the band, moves periapsis to the altitude where the prediction is the band centre.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .atmosphere import AtmosphereTable

# per-run status codes
RUNNING, DONE, TIMEOUT, BELOW_SURFACE, OUT_OF_TABLE = 0, 1, 2, 3, 4
STATUS_NAMES = {
    RUNNING: "running",
    DONE: "target orbit reached",
    TIMEOUT: "campaign longer than max_days",
    BELOW_SURFACE: "periapsis below the surface (or the table's bottom)",
    OUT_OF_TABLE: "corridor needs a periapsis above the atmosphere table",
}
PHASES = ("walk-in", "main", "walk-out")
QUANTITIES = ("dynamic_pressure", "heat_rate", "periapsis_altitude")
N_NODES = 81  # per half arc
ARC_SPAN_M = 60_000.0  # integrate drag from periapsis up to periapsis + this (or the table top)


@dataclass(frozen=True)
class Plan:
    """A campaign in SI units (radii in m from the body centre, band in the quantity's SI unit)."""

    gm: float
    radius_m: float
    table: AtmosphereTable
    beta_kg_m2: float  # ballistic coefficient m / (Cd A)
    accommodation: float  # free-molecular heat-rate factor: q_dot = accommodation * rho v^3 / 2
    periapsis_radius_m: float  # before walk-in
    apoapsis_radius_m: float
    quantity: str
    band: tuple[float, float]
    target_apoapsis_radius_m: float
    final_periapsis_radius_m: float
    walk_in_steps: int = 3
    walk_in_orbits: int = 2  # orbits between walk-in manoeuvres
    walk_out_apoapsis_radius_m: float = 0.0
    walk_out_factor: float = 1.0  # band multiplier once apoapsis is below walk_out_apoapsis_radius_m
    max_dynamic_pressure: float = np.inf
    max_heat_rate: float = np.inf
    max_days: float = 400.0
    estimator_gain: float = 0.3
    density_scale: float = 1.0  # nominal (calibrated) multiplier of the table
    isp_s: float = 220.0
    mass_kg: float = 1000.0


def apoapsis_speed(gm, rp, ra):
    return np.sqrt(2.0 * gm * rp / (ra * (ra + rp)))


def periapsis_speed(gm, rp, ra):
    return np.sqrt(2.0 * gm * ra / (rp * (ra + rp)))


def period(gm, rp, ra):
    a = 0.5 * (rp + ra)
    return 2.0 * np.pi * np.sqrt(a**3 / gm)


def _weights() -> np.ndarray:
    w = np.full(N_NODES, 1.0 / (N_NODES - 1))
    w[[0, -1]] *= 0.5
    return w


_U = np.linspace(0.0, 1.0, N_NODES)
_W = _weights()


def _half_pass(xp, c: dict, rp, ra, factor, active):
    """Drag over half of the atmospheric arc (periapsis to the arc's top, which by symmetry of the osculating
    orbit equals either half): new (rp, ra) and the delta-v. ``xp`` is numpy or jax.numpy."""
    gm, radius, bottom, top_table = c["gm"], c["radius"], c["bottom"], c["top"]
    a = 0.5 * (rp + ra)
    e = (ra - rp) / (ra + rp)
    top = xp.minimum(rp - radius + ARC_SPAN_M, top_table) + radius
    cos_emax = xp.clip((1.0 - xp.maximum(top, rp * (1 + 1e-12)) / a) / xp.maximum(e, 1e-12), -1.0, 1.0)
    emax = xp.where(active, xp.arccos(cos_emax), 0.0)
    ecc_anom = emax[:, None] * _U[None, :]
    r = a[:, None] * (1.0 - e[:, None] * xp.cos(ecc_anom))
    v2 = gm * (2.0 / r - 1.0 / a[:, None])
    h_alt = xp.clip(r - radius, bottom, top_table)
    rho = xp.where(active[:, None], xp.exp(xp.interp(h_alt, c["alt"], c["log_rho"])) * factor[:, None], 0.0)
    n = xp.sqrt(gm / a**3)
    dt_de = r / (a[:, None] * n[:, None])
    w = _W[None, :] * emax[:, None]
    drag = rho * v2 / (2.0 * c["beta"])
    v = xp.sqrt(v2)
    eps = -gm / (2.0 * a) - xp.sum(drag * v * dt_de * w, axis=1)
    h = xp.sqrt(gm * a * (1.0 - e**2)) * (1.0 - xp.sum(drag / v * dt_de * w, axis=1))
    dv = xp.sum(drag * dt_de * w, axis=1)
    a_new = -gm / (2.0 * eps)
    e_new = xp.sqrt(xp.maximum(1.0 + 2.0 * eps * h**2 / gm**2, 0.0))
    return xp.where(active, a_new * (1.0 - e_new), rp), xp.where(active, a_new * (1.0 + e_new), ra), dv


def _pass(xp, c: dict, rp, ra, factor):
    hp = rp - c["radius"]
    status = xp.where(hp < c["bottom"], BELOW_SURFACE, RUNNING)
    active = (status == RUNNING) & (hp < c["top"])
    rp1, ra1, dv1 = _half_pass(xp, c, rp, ra, factor, active)
    rp_new, ra_new, dv2 = _half_pass(xp, c, rp1, ra1, factor, active)
    vp = xp.sqrt(2.0 * c["gm"] * ra / (rp * (ra + rp)))
    log_rho_p = xp.interp(xp.clip(hp, c["bottom"], c["top"]), c["alt"], c["log_rho"])
    rho_p = xp.where(active, xp.exp(log_rho_p) * factor, 0.0)
    q_peak = 0.5 * rho_p * vp**2
    heat_peak = c["accommodation"] * 0.5 * rho_p * vp**3
    return rp_new, ra_new, dv1 + dv2, q_peak, heat_peak, status


def _constants(plan: Plan) -> dict:
    t = plan.table
    return {
        "gm": plan.gm,
        "radius": plan.radius_m,
        "bottom": t.bottom_m,
        "top": t.top_m,
        "alt": t.altitude_m,
        "log_rho": np.log(t.density_kg_m3),
        "beta": plan.beta_kg_m2,
        "accommodation": plan.accommodation,
    }


_JITTED: dict = {}


def _jax_pass(plan: Plan):
    """The pass kernel jitted with JAX (float64), one compilation per plan (cached on the plan's identity)."""
    key = id(plan)
    if key not in _JITTED:
        from .._jax import jax, jnp

        c = {k: (jnp.asarray(v) if isinstance(v, np.ndarray) else v) for k, v in _constants(plan).items()}
        _JITTED.clear()  # one plan at a time: a campaign compiles once
        _JITTED[key] = (plan, jax.jit(lambda rp, ra, f: _pass(jnp, c, rp, ra, f)))
    return _JITTED[key][1]


def drag_pass(plan: Plan, rp, ra, factor, backend: str = "numpy"):
    """One pass for each run: new (rp, ra), drag delta-v, peak dynamic pressure and heat rate, status.

    ``factor`` multiplies the table density (nominal scale x campaign bias x this pass's factor). The inbound
    half is integrated along the entry orbit, the outbound half along the orbit the inbound half left.
    ``backend``: ``numpy`` (the reference) or ``jax`` (the same code jitted, CPU or GPU).
    """
    rp, ra, factor = (np.asarray(x, dtype=float) for x in (rp, ra, factor))
    if backend == "jax":
        return tuple(np.asarray(x) for x in _jax_pass(plan)(rp, ra, factor))
    return _pass(np, _constants(plan), rp, ra, factor)


def predicted(plan: Plan, rp, ra, factor):
    """Predicted controlled quantity of the next pass for periapsis radius ``rp`` and density factor ``factor``."""
    if plan.quantity == "periapsis_altitude":
        return rp - plan.radius_m
    hp = np.clip(rp - plan.radius_m, plan.table.bottom_m, plan.table.top_m)
    rho = plan.table.density(hp) * factor
    rho = np.where(rp - plan.radius_m > plan.table.top_m, 0.0, rho)
    vp = periapsis_speed(plan.gm, rp, ra)
    if plan.quantity == "dynamic_pressure":
        return 0.5 * rho * vp**2
    return plan.accommodation * 0.5 * rho * vp**3


def corridor_radius(plan: Plan, ra, factor, value):
    """Periapsis radius where the predicted quantity equals ``value`` (NaN where the table cannot give it)."""
    if plan.quantity == "periapsis_altitude":
        return np.full_like(np.asarray(ra, dtype=float), plan.radius_m + value)
    rp = np.full_like(np.asarray(ra, dtype=float), plan.radius_m + 140e3)
    for _ in range(3):  # v_p depends weakly on rp: a fixed point converges in two steps
        vp = periapsis_speed(plan.gm, rp, ra)
        power = 2.0 if plan.quantity == "dynamic_pressure" else 3.0
        scale = 1.0 if plan.quantity == "dynamic_pressure" else plan.accommodation
        rho = 2.0 * value / (scale * factor * vp**power)
        rp = plan.radius_m + plan.table.altitude_for_density(rho)
        rp = np.where(np.isnan(rp), plan.radius_m + plan.table.top_m * 2, rp)
    hp = rp - plan.radius_m
    return np.where(hp > plan.table.top_m, np.nan, rp)


RECORD_COLUMNS = (
    "pass_number",
    "t_s",
    "phase",
    "periapsis_altitude_m",
    "apoapsis_altitude_m",
    "period_s",
    "dynamic_pressure_n_m2",
    "heat_rate_w_m2",
    "drag_dv_m_s",
    "abm_dv_m_s",
    "density_factor",
)


@dataclass
class Record:
    """Per-pass history of run 0 (the nominal run when the caller asks for it)."""

    columns: dict = field(default_factory=lambda: {k: [] for k in RECORD_COLUMNS})

    def add(self, **row):
        for k in RECORD_COLUMNS:
            self.columns[k].append(row[k])

    def arrays(self) -> dict:
        return {k: np.asarray(v) for k, v in self.columns.items()}


@dataclass(slots=True)
class _Runs:
    """Per-run state of a campaign in flight, (n,) arrays: orbit, clock, status, estimator and running totals."""

    rp: np.ndarray
    ra: np.ndarray
    t: np.ndarray
    status: np.ndarray
    f_hat: np.ndarray
    abm_dv: np.ndarray
    drag_dv: np.ndarray
    passes: np.ndarray
    q_max: np.ndarray
    heat_max: np.ndarray
    n_abm: np.ndarray
    first_violation: np.ndarray
    violation_value: np.ndarray
    violation_limit: np.ndarray
    violation_kind: np.ndarray  # 1 dynamic pressure, 2 heat rate


def _start(plan: Plan, n: int) -> _Runs:
    """``n`` runs on the initial orbit, before the first pass."""
    return _Runs(
        rp=np.full(n, plan.periapsis_radius_m),
        ra=np.full(n, plan.apoapsis_radius_m),
        t=np.zeros(n),
        status=np.full(n, RUNNING),
        f_hat=np.full(n, plan.density_scale),
        abm_dv=np.zeros(n),
        drag_dv=np.zeros(n),
        passes=np.zeros(n, dtype=int),
        q_max=np.zeros(n),
        heat_max=np.zeros(n),
        n_abm=np.zeros(n, dtype=int),
        first_violation=np.full(n, -1),
        violation_value=np.zeros(n),
        violation_limit=np.zeros(n),
        violation_kind=np.zeros(n, dtype=int),
    )


def _walk_targets(plan: Plan, steps: int) -> tuple[list, bool]:
    """Periapsis altitudes of the walk-in manoeuvres, evenly from the initial one down to the corridor's entry
    altitude, and whether the atmosphere table holds that entry altitude (no targets when it does not)."""
    R = plan.radius_m
    mid = 0.5 * (plan.band[0] + plan.band[1])
    h_start = plan.periapsis_radius_m - R
    h_entry = corridor_radius(plan, np.array([plan.apoapsis_radius_m]), np.array([plan.density_scale]), mid)[0]
    if np.isnan(h_entry):
        return [], False
    return [h_start + (h_entry - R - h_start) * (k + 1) / steps for k in range(steps)], True


def _walk_in(plan: Plan, s: _Runs, k: int, walk_targets: list, live: np.ndarray) -> np.ndarray:
    """Walk-in at apoapsis before pass ``k``: every ``walk_in_orbits`` orbits lower periapsis to the next target.
    Returns the manoeuvre's delta-v per run."""
    gm, R, n = plan.gm, plan.radius_m, s.rp.size
    if k % plan.walk_in_orbits != 0:
        return np.zeros(n)
    new_rp = np.full(n, R + walk_targets[k // plan.walk_in_orbits])
    dv_abm_pass = np.where(live, np.abs(apoapsis_speed(gm, new_rp, s.ra) - apoapsis_speed(gm, s.rp, s.ra)), 0.0)
    s.rp = np.where(live, new_rp, s.rp)
    s.n_abm += live & (dv_abm_pass > 0)
    return dv_abm_pass


def _corridor_control(plan: Plan, s: _Runs, live: np.ndarray) -> tuple[np.ndarray, int]:
    """Corridor control at apoapsis: where the predicted quantity leaves the band (scaled in the walk-out), move
    periapsis to the band centre. Returns the manoeuvre's delta-v per run and the phase of run 0."""
    gm, R, n = plan.gm, plan.radius_m, s.rp.size
    dv_abm_pass = np.zeros(n)
    in_walk_out = s.ra - R < plan.walk_out_apoapsis_radius_m - R
    scale = np.where(in_walk_out & (plan.quantity != "periapsis_altitude"), plan.walk_out_factor, 1.0)
    lo, hi = plan.band[0] * scale, plan.band[1] * scale
    x = predicted(plan, s.rp, s.ra, s.f_hat)
    out = live & ((x < lo) | (x > hi))
    if np.any(out):
        new_rp = corridor_radius(plan, s.ra, s.f_hat, 0.5 * (lo + hi))
        s.status = np.where(out & np.isnan(new_rp), OUT_OF_TABLE, s.status)
        ok = out & ~np.isnan(new_rp)
        new_rp = np.where(ok, new_rp, s.rp)
        dv_abm_pass = np.where(ok, np.abs(apoapsis_speed(gm, new_rp, s.ra) - apoapsis_speed(gm, s.rp, s.ra)), 0.0)
        s.rp = new_rp
        s.n_abm += ok
    return dv_abm_pass, int(np.where(in_walk_out[0], 2, 1))


def _fly_pass(plan: Plan, s: _Runs, k: int, factor: np.ndarray, backend: str) -> tuple[np.ndarray, ...]:
    """Pass ``k`` at periapsis for the live runs: new orbit, clock, totals, corridor violations and the density
    estimate. Returns the pass's (drag delta-v, peak dynamic pressure, peak heat rate, live mask)."""
    gm = plan.gm
    live = s.status == RUNNING
    p_before = period(gm, s.rp, s.ra)
    rp2, ra2, dv, q, heat, st = drag_pass(plan, s.rp, s.ra, factor, backend)
    s.status = np.where(live & (st != RUNNING), st, s.status)
    live = s.status == RUNNING
    s.rp, s.ra = np.where(live, rp2, s.rp), np.where(live, ra2, s.ra)
    s.t = np.where(live, s.t + 0.5 * (p_before + period(gm, s.rp, s.ra)), s.t)
    s.passes += live
    s.drag_dv += np.where(live, dv, 0.0)
    s.q_max = np.where(live, np.maximum(s.q_max, q), s.q_max)
    s.heat_max = np.where(live, np.maximum(s.heat_max, heat), s.heat_max)
    for kind, val, lim in ((1, q, plan.max_dynamic_pressure), (2, heat, plan.max_heat_rate)):
        bad = live & (s.first_violation < 0) & (val > lim)
        s.first_violation = np.where(bad, k + 1, s.first_violation)
        s.violation_value = np.where(bad, val, s.violation_value)
        s.violation_limit = np.where(bad, lim, s.violation_limit)
        s.violation_kind = np.where(bad, kind, s.violation_kind)
    # the pass measures the density factor it met (navigation reconstructs it from the drag delta-v)
    s.f_hat = np.where(live, (1 - plan.estimator_gain) * s.f_hat + plan.estimator_gain * factor, s.f_hat)
    return dv, q, heat, live


def _finish(plan: Plan, s: _Runs, live: np.ndarray) -> None:
    """End of the campaign where apoapsis reached the target: raise periapsis to the final orbit; then time out
    the runs past ``max_days``."""
    gm = plan.gm
    done = live & (s.ra <= plan.target_apoapsis_radius_m)
    if np.any(done):
        final_rp = np.minimum(plan.final_periapsis_radius_m, s.ra)
        raise_dv = np.abs(apoapsis_speed(gm, final_rp, s.ra) - apoapsis_speed(gm, s.rp, s.ra))
        s.abm_dv += np.where(done, raise_dv, 0.0)
        s.n_abm += done
        s.rp = np.where(done, final_rp, s.rp)
        s.status = np.where(done, DONE, s.status)
    s.status = np.where((s.status == RUNNING) & (s.t > plan.max_days * 86400.0), TIMEOUT, s.status)


def _summary(plan: Plan, s: _Runs, bias: np.ndarray) -> dict:
    """The campaign's per-run results, (n,) arrays in SI units."""
    R = plan.radius_m
    return {
        "status": s.status,
        "passes": s.passes,
        "duration_s": s.t,
        "final_periapsis_altitude_m": s.rp - R,
        "final_apoapsis_altitude_m": s.ra - R,
        "final_period_s": period(plan.gm, s.rp, s.ra),
        "abm_dv_m_s": s.abm_dv,
        "abm_count": s.n_abm,
        "drag_dv_m_s": s.drag_dv,
        "max_dynamic_pressure_n_m2": s.q_max,
        "max_heat_rate_w_m2": s.heat_max,
        "first_violation_pass": s.first_violation,
        "violation_kind": s.violation_kind,
        "violation_value": s.violation_value,
        "violation_limit": s.violation_limit,
        "bias": bias,
    }


def fly(plan: Plan, bias, pass_factor_fn, *, record: bool = False, max_passes: int = 100_000, backend="numpy"):
    """Fly the campaign for ``len(bias)`` runs at once.

    ``bias`` (n,) multiplies the table for the whole campaign of each run; ``pass_factor_fn(k)`` returns the
    (n,) density factors of pass ``k``. Returns (summary dict of (n,) arrays, Record or None).
    """
    bias = np.asarray(bias, dtype=float)
    R = plan.radius_m
    s = _start(plan, bias.size)
    rec = Record() if record else None
    steps = max(plan.walk_in_steps, 0)
    walk_targets, in_table = _walk_targets(plan, steps)
    if not in_table:
        s.status[:] = OUT_OF_TABLE
    k = 0
    while np.any(s.status == RUNNING) and k < max_passes:
        live = s.status == RUNNING
        # --- at apoapsis: walk-in manoeuvre or corridor control
        if k < steps * plan.walk_in_orbits:
            dv_abm_pass, phase = _walk_in(plan, s, k, walk_targets, live), 0
        else:
            dv_abm_pass, phase = _corridor_control(plan, s, live)
        s.abm_dv += dv_abm_pass
        # --- the pass at periapsis
        factor = plan.density_scale * bias * pass_factor_fn(k)
        dv, q, heat, live = _fly_pass(plan, s, k, factor, backend)
        if rec is not None:
            rec.add(
                pass_number=k + 1,
                t_s=s.t[0],
                phase=phase,
                periapsis_altitude_m=s.rp[0] - R,
                apoapsis_altitude_m=s.ra[0] - R,
                period_s=period(plan.gm, s.rp[0], s.ra[0]),
                dynamic_pressure_n_m2=q[0],
                heat_rate_w_m2=heat[0],
                drag_dv_m_s=dv[0],
                abm_dv_m_s=dv_abm_pass[0],
                density_factor=factor[0],
            )
        _finish(plan, s, live)
        k += 1
    s.status = np.where(s.status == RUNNING, TIMEOUT, s.status)
    return _summary(plan, s, bias), rec
