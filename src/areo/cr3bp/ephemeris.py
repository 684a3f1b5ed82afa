"""The Sun-Earth-Moon ephemeris model (DE421 through :mod:`areo.ephem`): geocentric point-mass dynamics with the
Sun and the Moon as third bodies, the map from the Sun-(Earth+Moon) rotating frame to ICRF at any epoch, multiple
shooting that turns a CR3BP halo into a continuous ephemeris-model trajectory, and station-keeping.

SI units (m, m/s, TDB seconds past J2000) at this module's boundary; ICRF axes, Earth-centred states.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast, overload

import numpy as np
import numpy.typing as npt
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicHermiteSpline

from ..constants import GM_EARTH, GM_MOON, GM_SUN
from .dynamics import SUN_EARTH, OdeSolution, System

_GM_E, _GM_S, _GM_M = float(GM_EARTH), float(GM_SUN), float(GM_MOON)
NODE_S = 6 * 3600.0  # interpolation nodes of the body tables (Hermite with DE421 velocities: sub-metre for the Moon)


class EphemerisModel:
    """Geocentric Sun and Moon states and the Sun-EMB rotating frame over ``[t0_s, t1_s]`` (TDB s past J2000)."""

    def __init__(self, t0_s: float, t1_s: float, system: System = SUN_EARTH):
        from ..ephem import default_ephemeris

        eph = default_ephemeris()
        self.t0_s, self.t1_s, self.system = float(t0_s), float(t1_s), system
        self.moon_scale = 1.0  # homotopy parameter on the Moon's GM (1: the real Moon)
        t = np.arange(t0_s - 2 * 86400.0, t1_s + 2 * 86400.0 + NODE_S, NODE_S)
        self._t = t
        re, ve = eph.state("earth", t, center="ssb")
        rs, vs = eph.state("sun", t, center="ssb")
        rm, vm = eph.state("moon", t, center="ssb")
        rb, vb = eph.state("earth-moon-barycenter", t, center="ssb")
        self.earth_ssb = CubicHermiteSpline(t, re, ve, axis=0)
        self.sun = CubicHermiteSpline(t, rs - re, vs - ve, axis=0)
        self.moon = CubicHermiteSpline(t, rm - re, vm - ve, axis=0)
        self.emb = CubicHermiteSpline(t, rb - re, vb - ve, axis=0)

    # ------------------------------------------------------------------------------------------- dynamics
    def accel(self, t: float, r: np.ndarray) -> np.ndarray:
        a = -_GM_E * r / np.linalg.norm(r) ** 3
        for gm, body in ((_GM_S, self.sun), (_GM_M * self.moon_scale, self.moon)):
            rb = body(t)
            d = rb - r
            a = a + gm * (d / np.linalg.norm(d) ** 3 - rb / np.linalg.norm(rb) ** 3)
        return a

    def gradient(self, t: float, r: np.ndarray) -> np.ndarray:
        rn = np.linalg.norm(r)
        g = -_GM_E * (np.eye(3) / rn**3 - 3 * np.outer(r, r) / rn**5)
        for gm, body in ((_GM_S, self.sun), (_GM_M * self.moon_scale, self.moon)):
            d = r - body(t)
            dn = np.linalg.norm(d)
            g = g + gm * (3 * np.outer(d, d) / dn**5 - np.eye(3) / dn**3)
        return cast(np.ndarray, g)

    def _rhs(self, t: float, w: np.ndarray) -> np.ndarray:
        return np.concatenate([w[3:6], self.accel(t, w[:3])])

    def _rhs_stm(self, t: float, w: np.ndarray) -> np.ndarray:
        a = np.zeros((6, 6))
        a[:3, 3:] = np.eye(3)
        a[3:, :3] = self.gradient(t, w[:3])
        phi = w[6:].reshape(6, 6)
        return np.concatenate([w[3:6], self.accel(t, w[:3]), (a @ phi).ravel()])

    @overload
    def propagate(
        self, s0: npt.ArrayLike, t0: float, t1: float, *, stm: bool = ..., dense: Literal[True], rtol: float = ...
    ) -> OdeSolution: ...
    @overload
    def propagate(
        self,
        s0: npt.ArrayLike,
        t0: float,
        t1: float,
        *,
        stm: Literal[True],
        dense: Literal[False] = ...,
        rtol: float = ...,
    ) -> tuple[np.ndarray, np.ndarray]: ...
    @overload
    def propagate(
        self,
        s0: npt.ArrayLike,
        t0: float,
        t1: float,
        *,
        stm: Literal[False] = ...,
        dense: Literal[False] = ...,
        rtol: float = ...,
    ) -> tuple[np.ndarray, None]: ...
    def propagate(
        self, s0: npt.ArrayLike, t0: float, t1: float, *, stm: bool = False, dense: bool = False, rtol: float = 1e-11
    ) -> OdeSolution | tuple[np.ndarray, np.ndarray | None]:
        """Geocentric state ``s0`` (6,) from ``t0`` to ``t1``: ``(s1, phi)`` or the dense scipy solution."""
        s0 = np.asarray(s0, dtype=float)
        w0 = np.concatenate([s0, np.eye(6).ravel()]) if stm else s0
        fn = self._rhs_stm if stm else self._rhs
        sol = solve_ivp(fn, (t0, t1), w0, method="DOP853", rtol=rtol, atol=1e-6, dense_output=dense)
        if dense:
            return sol
        w = sol.y[:, -1]
        return w[:6], (w[6:].reshape(6, 6) if stm else None)

    # ------------------------------------------------------------------------------------------- frames
    def frame(self, t: float) -> tuple[np.ndarray, np.ndarray, np.floating[Any], np.floating[Any], np.floating[Any]]:
        """(origin (6,) geocentric, rotation C (3,3), length L, length rate, angular rate) of the Sun-EMB
        rotating frame at ``t``; its origin is the Sun-EMB barycentre."""
        mu = self.system.mu
        rs, vs = self.sun(t), self.sun(t, 1)
        rb, vb = self.emb(t), self.emb(t, 1)
        r, v = rb - rs, vb - vs
        length = np.linalg.norm(r)
        h = np.cross(r, v)
        x = r / length
        z = h / np.linalg.norm(h)
        c = np.column_stack([x, np.cross(z, x), z])
        origin = np.concatenate([rs + mu * r, vs + mu * v])
        return origin, c, length, float(r @ v) / length, np.linalg.norm(h) / length**2

    def from_synodic(self, t: float, xi: np.ndarray) -> np.ndarray:
        """A normalised synodic state ``xi`` (6,) placed at epoch ``t``: geocentric ICRF state (m, m/s)."""
        o, c, length, ldot, w = self.frame(t)
        p, q = np.asarray(xi[:3]), np.asarray(xi[3:])
        r = o[:3] + length * c @ p
        v = o[3:] + ldot * c @ p + length * w * c @ (q + np.cross([0.0, 0.0, 1.0], p))
        return np.concatenate([r, v])

    def to_synodic(self, t: float, s: np.ndarray) -> np.ndarray:
        o, c, length, ldot, w = self.frame(t)
        p = c.T @ (np.asarray(s[:3]) - o[:3]) / length
        q = (c.T @ (np.asarray(s[3:]) - o[3:]) - ldot * p) / (length * w) - np.cross([0.0, 0.0, 1.0], p)
        return np.concatenate([p, q])


@dataclass
class ShootingResult:
    tdb_s: np.ndarray  # node epochs (n,)
    states: np.ndarray  # geocentric node states (n, 6)
    converged: bool
    iterations: int
    defect_m: float  # largest position discontinuity left between segments
    defect_m_s: float


def multiple_shooting(
    model: EphemerisModel,
    tdb_s: npt.ArrayLike,
    states: npt.ArrayLike,
    *,
    fix_positions: dict[int, np.ndarray] | None = None,
    max_iter: int = 12,
    tol_m: float = 10.0,
    max_step: float = 1.0,
) -> ShootingResult:
    """Make the patch points ``states`` (n, 6) at ``tdb_s`` (n,) one continuous ephemeris-model trajectory: Newton
    with the minimum-norm update on all node states, epochs fixed. Each node is scaled by its own distance and
    speed (so a perigee node and an L2 node weigh alike); steps are capped at ``max_step`` times those scales.
    ``fix_positions`` {node: position (3,)} pins node positions (a transfer's perigee and insertion point)."""
    t = np.asarray(tdb_s, dtype=float)
    x = np.array(states, dtype=float)
    n = len(t)
    fixed = fix_positions or {}
    rn = np.linalg.norm(x[:, :3], axis=1)[:, None]
    vn = np.linalg.norm(x[:, 3:], axis=1)[:, None]
    sc = np.hstack([np.repeat(rn, 3, axis=1), np.repeat(vn, 3, axis=1)])
    sc = np.maximum(sc, np.array([1e6] * 3 + [10.0] * 3))
    dm = dv = np.inf
    m = 6 * (n - 1) + 3 * len(fixed)
    it = 0
    for it in range(1, max_iter + 1):
        f = np.zeros(m)
        jac = np.zeros((m, 6 * n))
        dfm = np.zeros((n - 1, 6))
        for k in range(n - 1):
            s1, phi = model.propagate(x[k], t[k], t[k + 1], stm=True)
            dfm[k] = s1 - x[k + 1]
            f[6 * k : 6 * k + 6] = dfm[k] / sc[k + 1]
            jac[6 * k : 6 * k + 6, 6 * k : 6 * k + 6] = phi * sc[k][None, :] / sc[k + 1][:, None]
            jac[6 * k : 6 * k + 6, 6 * k + 6 : 6 * k + 12] = -np.eye(6)
        pin = 0.0
        for j, (k, r) in enumerate(sorted(fixed.items())):
            row = 6 * (n - 1) + 3 * j
            f[row : row + 3] = (x[k, :3] - r) / sc[k, :3]
            jac[row : row + 3, 6 * k : 6 * k + 3] = np.eye(3)
            pin = max(pin, float(np.max(np.abs(x[k, :3] - r))))
        dm = max(float(np.max(np.abs(dfm[:, :3]))), pin)
        dv = float(np.max(np.abs(dfm[:, 3:])))
        if dm < tol_m and dv < tol_m * 1e-4:
            return ShootingResult(t, x, True, it, dm, dv)
        dx = (jac.T @ np.linalg.solve(jac @ jac.T, f)).reshape(n, 6)
        big = float(np.max(np.abs(dx)))
        if big > max_step:
            dx *= max_step / big
        x = x - dx * sc
        if not np.all(np.isfinite(x)):
            break
    return ShootingResult(t, x, False, it, dm, dv)


class Reference:
    """A continuous reference trajectory from a multiple-shooting result: ``state(t)`` (6,) geocentric."""

    def __init__(self, model: EphemerisModel, shooting: ShootingResult):
        self.model, self.t = model, shooting.tdb_s
        self._segs = [
            model.propagate(s, a, b, dense=True).sol
            for a, b, s in zip(shooting.tdb_s[:-1], shooting.tdb_s[1:], shooting.states[:-1], strict=True)
        ]

    def state(self, t: float) -> np.ndarray:
        k = int(np.clip(np.searchsorted(self.t, t, side="right") - 1, 0, len(self._segs) - 1))
        return cast(np.ndarray, self._segs[k](t))

    def states(self, t: npt.ArrayLike) -> np.ndarray:
        return np.array([self.state(x) for x in np.atleast_1d(t)])


@dataclass
class StationKeeping:
    tdb_s: np.ndarray  # manoeuvre epochs
    dv_m_s: np.ndarray  # (m, 3) manoeuvres
    sample_tdb_s: np.ndarray  # flown trajectory samples
    samples: np.ndarray  # (k, 6) geocentric
    max_deviation_m: float  # largest distance from the reference
    total_dv_m_s: float
    dv_per_year_m_s: float


def _target(
    model: EphemerisModel, s: np.ndarray, t0: float, t1: float, r_goal: np.ndarray, iters: int = 3
) -> np.ndarray:
    """Velocity change at ``t0`` that brings ``s`` to position ``r_goal`` at ``t1`` (Newton on the STM block)."""
    dv = np.zeros(3)
    for _ in range(iters):
        s1, phi = model.propagate(s + np.r_[0, 0, 0, dv], t0, t1, stm=True, rtol=1e-10)
        miss = s1[:3] - r_goal
        dv = dv - np.linalg.solve(phi[:3, 3:], miss)
    return dv


def station_keeping(
    ref: Reference,
    t0: float,
    t1: float,
    *,
    interval_days: float = 30.0,
    target_days: float = 60.0,
    nav_position_m: float = 1000.0,
    nav_velocity_m_s: float = 0.01,
    execution_error: float = 0.02,
    seed: int = 0,
    initial_state: npt.ArrayLike | None = None,
) -> StationKeeping:
    """Fly the reference from ``t0`` to ``t1`` with orbit-determination errors (1-sigma position and velocity
    per manoeuvre, Gaussian) and proportional execution errors: every ``interval_days`` a manoeuvre re-targets the
    reference position ``target_days`` ahead (a "target point" scheme, Howell & Pernicka 1993). The flight starts
    from ``initial_state`` (e.g. the end of a transfer) or from the reference with one navigation error."""
    rng = np.random.default_rng(seed)
    model = ref.model
    nav = np.r_[[nav_position_m] * 3, [nav_velocity_m_s] * 3]
    truth = ref.state(t0) + rng.normal(0.0, 1.0, 6) * nav
    if initial_state is not None:
        truth = np.array(initial_state, dtype=float)
    epochs, dvs, ts, ss = [], [], [], []
    t = t0
    while t < t1 - 1.0:
        est = truth + rng.normal(0.0, 1.0, 6) * nav
        tg = min(t + target_days * 86400.0, ref.t[-1])
        dv = _target(model, est, t, tg, ref.state(tg)[:3])
        flown = dv * (1.0 + execution_error * rng.normal()) if execution_error else dv
        epochs.append(t)
        dvs.append(dv)
        truth = truth + np.r_[0, 0, 0, flown]
        t_next = min(t + interval_days * 86400.0, t1)
        sol = model.propagate(truth, t, t_next, dense=True, rtol=1e-10)
        tt = np.linspace(t, t_next, 16)
        ts.append(tt)
        ss.append(sol.sol(tt).T)
        truth, t = sol.y[:, -1], t_next
    samples = np.concatenate(ss)
    st = np.concatenate(ts)
    dev = np.linalg.norm(samples[:, :3] - ref.states(st)[:, :3], axis=1)
    dv_arr = np.array(dvs)
    total = float(np.sum(np.linalg.norm(dv_arr, axis=1)))
    return StationKeeping(
        np.array(epochs), dv_arr, st, samples, float(dev.max()), total, total / ((t1 - t0) / (365.25 * 86400.0))
    )
