"""Parking orbit -> halo -> station-keeping in the ephemeris model: the composite that :func:`areo.cr3bp.api.
l2_mission` validates and presents. SI units, TDB seconds past J2000, geocentric ICRF states."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..constants import GM_EARTH
from .dynamics import SUN_EARTH
from .dynamics import propagate as cr3bp_propagate
from .ephemeris import EphemerisModel, Reference, StationKeeping, multiple_shooting, station_keeping
from .halo import Halo
from .transfer import Transfer

DAY_S = 86400.0
_GM_E = float(GM_EARTH)
# a correction manoeuvre may leave this much miss at insertion (the first station-keeping burn takes the rest)
MAX_MISS_M = 1e8


class TransferError(RuntimeError):
    """A transfer arc could not be made continuous (the user layer turns it into an InputError)."""


def geocentric(model: EphemerisModel, t: float, xi, rp_m: float | None = None) -> np.ndarray:
    """A synodic CR3BP state near the Earth as a geocentric ICRF state at ``t``: the rotating axes of epoch ``t``
    with the CR3BP's mean length and time units (the two-body scale that governs a departure); optionally the
    position rescaled to radius ``rp_m``. The CR3BP's secondary is Earth + Moon: the speed is changed so that the
    two-body energy about the Earth alone (the ephemeris model's centre) is the CR3BP's energy about Earth + Moon,
    which keeps a departure's C3 (near the Earth the 1.2 % larger GM would otherwise add ~0.7 km2/s2)."""
    s = SUN_EARTH
    _, c, _, _, _ = model.frame(t)
    p = np.asarray(xi[:3]) - np.array([1.0 - s.mu, 0.0, 0.0])
    r = s.length_m * c @ p
    v = s.velocity_m_s * c @ (np.asarray(xi[3:]) + np.cross([0.0, 0.0, 1.0], p))
    if rp_m is not None:
        r = r * rp_m / np.linalg.norm(r)
    gm_em = s.mu * s.length_m**3 / s.time_s**2
    v2 = float(v @ v) - 2.0 * (gm_em - _GM_E) / float(np.linalg.norm(r))
    v = v * np.sqrt(max(v2, 0.0) / float(v @ v))
    return np.concatenate([r, v])


def target_chain(model: EphemerisModel, s_start, t0: float, targets) -> tuple[np.ndarray, float]:
    """The velocity change at ``t0`` that takes ``s_start`` through the last of ``targets`` [(epoch, position)],
    by single shooting with continuation: Newton on the velocity hits each target in turn, starting from the
    previous solution (the near-Earth sensitivity of a transfer defeats one Newton solve over the whole arc)."""
    dv = np.zeros(3)
    miss = np.inf
    for t1, r1 in targets:
        for _ in range(20):
            s1, phi = model.propagate(s_start + np.r_[0.0, 0.0, 0.0, dv], t0, t1, stm=True)
            miss_v = s1[:3] - r1
            miss = float(np.linalg.norm(miss_v))
            if miss < 1e-9 * np.linalg.norm(r1) + 10.0:
                break
            step = np.linalg.solve(phi[:3, 3:], miss_v)
            big = float(np.linalg.norm(step))
            dv = dv - step * min(1.0, 100.0 / big)  # at most 100 m/s per Newton step
    if not miss < MAX_MISS_M:
        raise TransferError(f"transfer arc misses the insertion point by {miss / 1e3:.0f} km")
    return dv, miss


@dataclass
class L2Flight:
    halo: Halo
    transfer: Transfer
    t_injection: float  # the model's perigee (escape-burn) epoch
    t_insertion: float
    perigee_nominal: np.ndarray  # geocentric state after the escape burn (ephemeris model)
    retarget_dv_m_s: float  # change of the CR3BP perigee velocity needed in the ephemeris model
    tcm: list = field(default_factory=list)  # [(epoch, dv (3,))]
    insertion_dv: np.ndarray = field(default_factory=lambda: np.zeros(3))
    shooting_nodes: int = 0
    shooting_iterations: int = 0
    sk: StationKeeping | None = None
    tdb_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    states: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))


def _perigee_back(model: EphemerisModel, s_ins, t_ins: float, t_min: float):
    """Lowest perigee of the backward arc from ``s_ins`` at ``t_ins`` down to ``t_min``: (epoch, state) or None."""
    from scipy.integrate import solve_ivp

    def ev(_t, w):
        return float(w[:3] @ w[3:6])

    ev.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(model._rhs, (t_ins, t_min), s_ins, method="DOP853", rtol=1e-11, atol=1e-6, events=ev)
    if sol.t_events[0].size == 0:
        return None
    k = int(np.argmin(np.linalg.norm(sol.y_events[0][:, :3], axis=1)))
    return float(sol.t_events[0][k]), sol.y_events[0][k]


def manifold_arc(model: EphemerisModel, h: Halo, tr: Transfer, ref: Reference, t_ref0: float, t_inj: float, rp: float):
    """The stable-manifold transfer in the ephemeris model: the displacement from the reference halo along the
    (CR3BP) stable direction is solved so that the backward arc's lowest perigee has radius ``rp``: the displacement is solved (brentq) at the CR3BP insertion epoch; of the solutions, the one
    whose perigee falls closest to ``t_inj`` is kept. The perigee epoch is NOT forced to ``t_inj`` (the perigee
    epoch moves ~3x faster than a shift of the reference halo's epoch but jumps by days between manifold branches,
    so a secant alignment was tried and dropped; a full solve is left for later): the caller reports the offset.
    Returns (insertion epoch, displaced insertion state, perigee epoch)."""
    from scipy.optimize import brentq

    from .transfer import _stable_direction

    s = SUN_EARTH
    v0 = _stable_direction(h)

    def arc(p):
        dt_s, d = p
        t_ins = t_inj + tr.tof * s.time_s + dt_s
        phase = tr.phase + (t_ins - t_inj - tr.tof * s.time_s) / s.time_s
        xi, phi = cr3bp_propagate(h.state0, phase, h.mu, stm=True)
        v = phi @ v0
        v = v / np.linalg.norm(v[:3])
        if (v[0] > 0) == (h.point == 2):
            v = -v
        delta = model.from_synodic(t_ins, xi + d * v) - model.from_synodic(t_ins, xi)
        s_ins = ref.state(t_ins) + delta
        per = _perigee_back(model, s_ins, t_ins, model.t0_s + DAY_S)
        if per is None:
            return None, t_ins, s_ins, None
        tp, sp = per
        return np.array([(np.linalg.norm(sp[:3]) - rp) / 1e6, (tp - t_inj) / DAY_S]), t_ins, s_ins, sp

    ds = np.geomspace(2e-5, 1e-3, 12)
    fs = []
    for d in ds:
        f = arc((0.0, d))[0]
        fs.append(np.nan if f is None else f[0])

    def g(d):
        f = arc((0.0, d))[0]
        return 1.0 if f is None else f[0]

    best = None
    for k in range(len(ds) - 1):
        if np.isfinite(fs[k]) and np.isfinite(fs[k + 1]) and fs[k] * fs[k + 1] < 0:
            d = brentq(g, ds[k], ds[k + 1], xtol=1e-10)
            f, t_ins, s_ins, _ = arc((0.0, d))
            if best is None or abs(f[1]) < abs(best[0][1]):
                best = (f, t_ins, s_ins, t_inj + f[1] * DAY_S)
    if best is None:
        raise TransferError("the stable manifold does not reach the parking orbit in the ephemeris model")
    return best[1], best[2], best[3]


def insert(model: EphemerisModel, ref: Reference, t_ins: float, arrival) -> tuple[Reference, np.ndarray]:
    """Halo insertion: the reference halo re-solved by multiple shooting with its first node pinned to the
    arrival position (the orbit the spacecraft actually joins); returns that reference and the insertion burn
    (its velocity minus the arrival velocity). If that does not converge, the old reference and no burn (the
    first station-keeping manoeuvre then does the insertion)."""
    later = ref.t[ref.t > t_ins + 5 * DAY_S]
    t_nodes = np.concatenate([[t_ins], later])
    guesses = np.array([arrival, *[ref.state(t) for t in later]])
    res = multiple_shooting(model, t_nodes, guesses, fix_positions={0: np.asarray(arrival[:3])}, max_iter=15)
    if not res.converged:
        return ref, np.zeros(3)
    return Reference(model, res), res.states[0][3:] - np.asarray(arrival[3:])


def _nominal(
    model: EphemerisModel,
    h: Halo,
    tr: Transfer,
    ref: Reference,
    t_inj: float,
    rp: float,
    shooting_nodes: int,
    shooting_iterations: int,
):
    """The manifold transfer in the ephemeris model: the flight record so far and the nominal arc's dense output."""
    t_ins, s_ins, t_p = manifold_arc(model, h, tr, ref, ref.t[0], t_inj, rp)
    nominal = model.propagate(s_ins, t_ins, t_p - 60.0, dense=True).sol
    sp = nominal(t_p)
    sp0 = geocentric(model, t_p, tr.perigee_state, rp_m=rp)
    out = L2Flight(h, tr, t_p, t_ins, sp, float(np.linalg.norm(sp[3:]) - np.linalg.norm(sp0[3:])))
    out.shooting_nodes, out.shooting_iterations = shooting_nodes, shooting_iterations
    return out, nominal


def _coast(model: EphemerisModel, flown, t: float, t_end: float, n_samples: int):
    """Coast from ``t`` to ``t_end``: the final state and ``n_samples`` evenly spaced epochs and states."""
    arc = model.propagate(flown, t, t_end, dense=True)
    tt = np.linspace(t, t_end, n_samples)
    return arc.y[:, -1], tt, arc.sol(tt).T


def _correction(
    model: EphemerisModel, flown, tc: float, t_ins: float, nominal, nav_sigma, execution_error: float, rng
) -> tuple[np.ndarray, float]:
    """A correction manoeuvre at ``tc`` from a navigated estimate of ``flown`` that re-targets the nominal arc:
    the executed delta-v (with its execution error) and the aim miss (m)."""
    est = flown + rng.normal(0.0, 1.0, 6) * nav_sigma
    steps = np.concatenate([tc + DAY_S * 2.0 ** np.arange(0, 6), np.arange(tc + 40 * DAY_S, t_ins, 6 * DAY_S)])
    # continuation along the nominal arc, short steps near the halo; the aim point is the last node, a few days
    # before insertion (the arc's final days are too sensitive for Newton from this far out)
    nodes = steps[steps < t_ins - 3 * DAY_S]
    dv, miss = target_chain(model, est, tc, [(x, nominal(x)[:3]) for x in nodes])
    return dv * (1.0 + execution_error * rng.normal()), miss


def _store_samples(out: L2Flight, ts: list, ss: list) -> None:
    """The flown trajectory (transfer and halo samples), sorted by epoch without repeats, into ``out``."""
    assert out.sk is not None
    t_all = np.concatenate([*ts, out.sk.sample_tdb_s])
    s_all = np.concatenate([*ss, out.sk.samples])
    out.tdb_s, keep = np.unique(t_all, return_index=True)
    out.states = s_all[keep]


def fly(
    model: EphemerisModel,
    h: Halo,
    tr: Transfer,
    t_inj: float,
    ref: Reference,
    shooting_nodes: int,
    shooting_iterations: int,
    *,
    rp: float,
    halo_days: float,
    tcm_days=(9.0,),
    injection_error_m_s: float = 1.0,
    nav=(1000.0, 0.01),
    execution_error: float = 0.02,
    sk_interval_days: float = 30.0,
    sk_target_days: float = 60.0,
    seed: int = 0,
) -> L2Flight:
    """Fly the transfer with its injection error and correction manoeuvres, insert into the halo, keep station."""
    out, nominal = _nominal(model, h, tr, ref, t_inj, rp, shooting_nodes, shooting_iterations)
    t_inj, t_ins = out.t_injection, out.t_insertion
    rng = np.random.default_rng(seed)
    flown = out.perigee_nominal + np.r_[0.0, 0.0, 0.0, rng.normal(0.0, injection_error_m_s, 3)]
    ts, ss, t = [], [], t_inj
    nav_sigma = np.r_[[nav[0]] * 3, [nav[1]] * 3]
    for d in sorted(tcm_days):
        tc = t_inj + float(d) * DAY_S
        flown, tt, st = _coast(model, flown, t, tc, 60)
        ts.append(tt)
        ss.append(st)
        dv, miss = _correction(model, flown, tc, t_ins, nominal, nav_sigma, execution_error, rng)
        flown = flown + np.r_[0.0, 0.0, 0.0, dv]
        out.tcm.append((tc, dv, miss))
        t = tc
    flown, tt, st = _coast(model, flown, t, t_ins, 120)
    ts.append(tt)
    ss.append(st)
    ref, dv_ins = insert(model, ref, t_ins, flown)
    out.insertion_dv = dv_ins
    flown = flown + np.r_[0.0, 0.0, 0.0, dv_ins * (1.0 + execution_error * rng.normal())]
    out.sk = station_keeping(
        ref,
        t_ins,
        t_ins + halo_days * DAY_S,
        interval_days=sk_interval_days,
        target_days=sk_target_days,
        nav_position_m=nav[0],
        nav_velocity_m_s=nav[1],
        execution_error=execution_error,
        seed=seed + 1,
        initial_state=flown,
    )
    _store_samples(out, ts, ss)
    return out
