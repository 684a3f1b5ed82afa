"""Reference Lambert solver: Izzo (2015), one problem at a time in plain Python/numpy.

Slow and obvious on purpose: the batched JAX kernel in :mod:`areo.transfer.lambert` is tested against it.
It follows the paper's equations directly, with data-dependent loops (series summed until it stops changing,
iterations until the step is below tolerance), so it shares no control flow with the batched kernel.

D. Izzo, "Revisiting Lambert's problem", Celestial Mechanics and Dynamical Astronomy 121 (2015) 1-15,
doi:10.1007/s10569-014-9587-y. Equation numbers below refer to that paper.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .lambert_status import DEGENERATE_SIN_ANGLE, POLAR_PLANE_Z, LambertStatus

_PI = math.pi


def _hyp2f1b(x: float) -> float:
    """Gauss hypergeometric 2F1(3, 1; 5/2; x), summed until the sum stops changing (Battin's series)."""
    res, term, n = 1.0, 1.0, 0
    while True:
        term *= (3 + n) * (1 + n) / (2.5 + n) * x / (n + 1)
        old = res
        res += term
        if res == old:
            return res
        n += 1


def _tof(x: float, lam: float, m: int) -> float:
    """Non-dimensional time of flight T(x) for M = m revolutions (eqs. 18 and 20, Battin near x = 1)."""
    y = math.sqrt(1.0 - lam * lam * (1.0 - x * x))
    if abs(x - 1.0) < 0.2:
        eta = y - lam * x
        s1 = 0.5 * (1.0 - lam - x * eta)
        q = 4.0 / 3.0 * _hyp2f1b(s1)
        t = 0.5 * (eta**3 * q + 4.0 * lam * eta)
        if m > 0:
            t += m * _PI / abs(1.0 - x * x) ** 1.5
        return t
    e = x * x - 1.0
    rho = math.sqrt(abs(e))
    g = x * y - lam * e
    if e < 0:
        d = m * _PI + math.acos(max(-1.0, min(1.0, g)))
    else:
        d = math.log(max(rho * (y - lam * x) + g, 1e-300))  # as the kernel: cancellation can reach 0
    return (x - lam * y - d / rho) / e


def _derivs(x: float, t: float, lam: float) -> tuple[float, float, float]:
    """dT/dx, d2T/dx2, d3T/dx3 (eq. 22)."""
    l2 = lam * lam
    l3 = l2 * lam
    u = 1.0 - x * x
    y = math.sqrt(1.0 - l2 * u)
    d1 = (3.0 * t * x - 2.0 + 2.0 * l3 * x / y) / u
    d2 = (3.0 * t + 5.0 * x * d1 + 2.0 * (1.0 - l2) * l3 / y**3) / u
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - l2) * l2 * l3 * x / y**5) / u
    return d1, d2, d3


def _t_min(lam: float, m: int) -> tuple[float, float]:
    """Minimum T over x for m >= 1 revolutions, by Halley's method on dT/dx = 0 (section 2.3)."""
    x = 0.0
    for _ in range(50):
        t = _tof(x, lam, m)
        d1, d2, d3 = _derivs(x, t, lam)
        if d1 == 0.0:
            break
        x_new = x - d1 * d2 / (d2 * d2 - d1 * d3 / 2.0)
        x_new = min(max(x_new, 0.5 * (x - 1.0)), 0.5 * (x + 1.0))  # stay in (-1, 1): at most halfway to an edge
        if abs(x_new - x) < 1e-13:
            x = x_new
            break
        x = x_new
    return x, _tof(x, lam, m)


def _householder(x: float, t0: float, lam: float, m: int, tol: float, maxiter: int = 40) -> tuple[float, bool]:
    if x == 1.0:  # exactly parabolic guess: dT/dx is 0/0 at x = 1; start just inside the ellipse
        x = 1.0 - 1e-9
    for _ in range(maxiter):
        t = _tof(x, lam, m)
        f = t - t0
        if abs(f) <= 2e-15 * max(1.0, t0):  # T(x) equals T to its last digits: x is the answer
            return x, True
        d1, d2, d3 = _derivs(x, t, lam)
        x_new = x - f * (d1 * d1 - f * d2 / 2.0) / (d1 * (d1 * d1 - f * d2) + d3 * f * f / 6.0)
        x_new = max(x_new, 0.5 * (x - 1.0))  # x > -1 (a spurious root lies below): at most halfway to the edge
        if m > 0 and x_new >= 1.0:  # with revolutions x < 1
            x_new = 0.5 * (x + 1.0)
        if not math.isfinite(x_new):
            return x, False
        if abs(x_new - x) < tol:
            return x_new, True
        x = x_new
    return x, False


def lambert_one(
    r1: npt.ArrayLike,
    r2: npt.ArrayLike,
    tof: float,
    mu: float,
    revs: int = 0,
    retrograde: bool = False,
    branch: str = "short-period",
) -> tuple[np.ndarray, np.ndarray, LambertStatus]:
    """Solve one Lambert problem; returns ``(v1, v2, status)`` with NaN velocities when status is not OK.

    ``branch`` ("short-period" = Izzo left, x < x_Tmin; "long-period" = right) matters only when ``revs >= 1``.
    A floating-point failure inside the iteration (a domain error, a division by zero, an overflow) is reported
    as NOT_CONVERGED, never raised.
    """
    try:
        return _lambert_one(r1, r2, tof, mu, revs, retrograde, branch)
    except (ValueError, ZeroDivisionError, OverflowError):
        nan3 = np.full(3, np.nan)
        return nan3, nan3, LambertStatus.NOT_CONVERGED


def _lambert_one(
    r1: npt.ArrayLike, r2: npt.ArrayLike, tof: float, mu: float, revs: int, retrograde: bool, branch: str
) -> tuple[np.ndarray, np.ndarray, LambertStatus]:
    nan3 = np.full(3, np.nan)
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    if not (np.all(np.isfinite(r1)) and np.all(np.isfinite(r2)) and math.isfinite(tof) and math.isfinite(mu)):
        return nan3, nan3, LambertStatus.BAD_INPUT
    r1n, r2n = float(np.linalg.norm(r1)), float(np.linalg.norm(r2))
    if r1n == 0.0 or r2n == 0.0 or tof <= 0.0 or mu <= 0.0 or not 0 <= revs <= 1_000_000:
        return nan3, nan3, LambertStatus.BAD_INPUT
    c = float(np.linalg.norm(r2 - r1))
    s = 0.5 * (r1n + r2n + c)
    ir1, ir2 = r1 / r1n, r2 / r2n
    h = np.cross(ir1, ir2)
    hn = float(np.linalg.norm(h))
    if hn < DEGENERATE_SIN_ANGLE:
        return nan3, nan3, LambertStatus.DEGENERATE
    ih = h / hn
    lam = math.sqrt(1.0 - min(1.0, c / s))
    if ih[2] < -POLAR_PLANE_Z:
        lam = -lam
        it1, it2 = np.cross(ir1, ih), np.cross(ir2, ih)
    else:
        it1, it2 = np.cross(ih, ir1), np.cross(ih, ir2)
    if retrograde:
        lam, it1, it2 = -lam, -it1, -it2
    t = math.sqrt(2.0 * mu / s**3) * tof
    x, status = _solve_x(t, lam, revs, branch)
    if status != LambertStatus.OK:
        return nan3, nan3, status

    gamma = math.sqrt(mu * s / 2.0)
    rho = (r1n - r2n) / c
    sigma = math.sqrt(max(0.0, 1.0 - rho * rho))
    y = math.sqrt(1.0 - lam * lam + lam * lam * x * x)
    vr1 = gamma * ((lam * y - x) - rho * (lam * y + x)) / r1n
    vr2 = -gamma * ((lam * y - x) + rho * (lam * y + x)) / r2n
    vt = gamma * sigma * (y + lam * x)
    v1 = vr1 * ir1 + vt / r1n * it1
    v2 = vr2 * ir2 + vt / r2n * it2
    if not (np.all(np.isfinite(v1)) and np.all(np.isfinite(v2))):  # overflow at extreme scales
        return nan3, nan3, LambertStatus.NOT_CONVERGED
    return v1, v2, LambertStatus.OK


def _solve_x(t: float, lam: float, revs: int, branch: str) -> tuple[float, LambertStatus]:
    """Izzo's x for the non-dimensional time of flight ``t``: the initial guess (eqs. 19-21 and 30 for revs = 0,
    eq. 31 on ``branch`` otherwise) refined by Householder; NO_SOLUTION below T_min, NOT_CONVERGED if it fails."""
    if revs == 0:
        t00 = math.acos(lam) + lam * math.sqrt(1.0 - lam * lam)  # eq. 19, T(x=0)
        t1 = 2.0 / 3.0 * (1.0 - lam**3)  # eq. 21, T(x=1)
        if t >= t00:
            x0 = (t00 / t) ** (2.0 / 3.0) - 1.0
        elif t < t1:
            x0 = 2.5 * t1 / t * (t1 - t) / (1.0 - lam**5) + 1.0
        else:
            x0 = 2.0 ** (math.log(t / t00) / math.log(t1 / t00)) - 1.0
        x, ok = _householder(x0, t, lam, 0, 1e-11)
    else:
        _, tmin = _t_min(lam, revs)
        if t < tmin:
            return math.nan, LambertStatus.NO_SOLUTION
        if branch == "short-period":
            q = ((revs * _PI + _PI) / (8.0 * t)) ** (2.0 / 3.0)
        else:
            q = ((8.0 * t) / (revs * _PI)) ** (2.0 / 3.0)
        x0 = (q - 1.0) / (q + 1.0)
        x, ok = _householder(x0, t, lam, revs, 1e-11)
    return x, LambertStatus.OK if ok else LambertStatus.NOT_CONVERGED


def lambert_reference(
    r1: npt.ArrayLike,
    r2: npt.ArrayLike,
    tof: npt.ArrayLike,
    mu: npt.ArrayLike,
    revs: npt.ArrayLike = 0,
    retrograde: npt.ArrayLike = False,
    branch: npt.ArrayLike = "short-period",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loop :func:`lambert_one` over broadcast inputs; same outputs as the batched kernel (numpy arrays)."""
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    shape = np.broadcast_shapes(
        r1.shape[:-1], r2.shape[:-1], np.shape(tof), np.shape(mu), np.shape(revs), np.shape(retrograde)
    )
    r1b = np.broadcast_to(r1, (*shape, 3)).reshape(-1, 3)
    r2b = np.broadcast_to(r2, (*shape, 3)).reshape(-1, 3)
    tofb = np.broadcast_to(tof, shape).ravel()
    mub = np.broadcast_to(mu, shape).ravel()
    revb = np.broadcast_to(revs, shape).ravel()
    retb = np.broadcast_to(retrograde, shape).ravel()
    brb = np.broadcast_to(np.asarray(branch, dtype=object), shape).ravel()
    v1 = np.empty_like(r1b)
    v2 = np.empty_like(r1b)
    st = np.empty(r1b.shape[0], dtype=np.int8)
    for i in range(r1b.shape[0]):
        v1[i], v2[i], st[i] = lambert_one(
            r1b[i], r2b[i], float(tofb[i]), float(mub[i]), int(revb[i]), bool(retb[i]), str(brb[i])
        )
    return v1.reshape((*shape, 3)), v2.reshape((*shape, 3)), st.reshape(shape)
