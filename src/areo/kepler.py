"""Two-body kernels: universal-variable propagation and classical elements <-> state.

``propagate(r0_m, v0_m_s, dt_s, mu_m3_s2)`` is a batched JAX float64 kernel (any conic, any direction in time);
``propagate_reference`` is the plain numpy reference it is tested against. Elliptic problems are reduced modulo
the orbital period first, so multi-revolution spans keep full precision.

Element order everywhere: ``(a_m, e, i_rad, raan_rad, argp_rad, nu_rad)`` (semi-major axis negative for
hyperbolae), angles in radians. Source: D. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.,
algorithms 8 (KEPLER), 9 (RV2COE) and 10 (COE2RV).
"""

from __future__ import annotations

import enum
import math
from typing import Any

import numpy as np
import numpy.typing as npt

from ._jax import jax, jnp
from .units import accepts_quantities

Array = Any  # a numpy or a JAX array: the helpers below serve both (xp is numpy or jax.numpy)


class KeplerStatus(enum.IntEnum):
    OK = 0
    BAD_INPUT = 3
    NOT_CONVERGED = 4


_TOL_CHI = 1e-11  # relative; below this the residual is at its rounding floor (hyperbolae)
_MAX_ITER = 60
_Carry = tuple[jax.Array, jax.Array, jax.Array, jax.Array, jax.Array, int]  # y, lo, hi, |last step|, done, iterations


def _stumpff(z: Array, xp: Any) -> tuple[Array, Array]:
    """Stumpff functions C(z), S(z) without cancellation (series for small |z|)."""
    small = xp.abs(z) < 1e-1
    zs = xp.where(small, 1.0, z)
    sq = xp.sqrt(xp.abs(zs))
    c_pos = 2.0 * xp.sin(sq / 2.0) ** 2 / zs
    s_pos = (sq - xp.sin(sq)) / sq**3
    c_neg = -2.0 * xp.sinh(sq / 2.0) ** 2 / zs
    s_neg = (xp.sinh(sq) - sq) / sq**3
    c_big = xp.where(zs > 0, c_pos, c_neg)
    s_big = xp.where(zs > 0, s_pos, s_neg)
    zz = xp.where(small, z, 0.0)
    # C = sum (-z)^k/(2k+2)!, S = sum (-z)^k/(2k+3)!; |z| < 0.1: 8 terms reach 1e-22
    c_ser = 0.0
    s_ser = 0.0
    for k in range(7, -1, -1):
        c_ser = c_ser * (-zz) + 1.0 / math.factorial(2 * k + 2)
        s_ser = s_ser * (-zz) + 1.0 / math.factorial(2 * k + 3)
    return xp.where(small, c_ser, c_big), xp.where(small, s_ser, s_big)


def _setup(r0: Array, v0: Array, dt: Array, mu: Array, xp: Any) -> tuple[Array, ...]:
    r0n = xp.sqrt(xp.sum(r0 * r0, axis=-1))
    v2 = xp.sum(v0 * v0, axis=-1)
    rv = xp.sum(r0 * v0, axis=-1)
    alpha = 2.0 / r0n - v2 / mu  # 1/a
    sqmu = xp.sqrt(mu)
    # reduce elliptic spans modulo the period
    ell = alpha > 1e-12 / r0n
    a_ell = 1.0 / xp.where(ell, alpha, 1.0)
    period = 2.0 * np.pi * xp.sqrt(a_ell**3 / mu)
    dt_red = xp.where(ell, dt - xp.floor(dt / period) * period, dt)
    # initial guesses (Vallado alg. 8)
    chi_ell = sqmu * dt_red * alpha
    a_hyp = 1.0 / xp.where(alpha < -1e-12 / r0n, alpha, -1.0)
    sgn = xp.where(dt_red >= 0, 1.0, -1.0)
    arg = (-2.0 * mu * alpha * dt_red) / (rv + sgn * xp.sqrt(-mu * a_hyp) * (1.0 - r0n * alpha))
    chi_hyp = sgn * xp.sqrt(-a_hyp) * xp.log(xp.where(arg > 0, arg, 1.0))
    chi_par = sqmu * dt_red / r0n
    chi0 = xp.where(ell, chi_ell, xp.where(alpha < -1e-12 / r0n, chi_hyp, chi_par))
    # chi has the sign of dt (dt is increasing in chi); a guess of the wrong sign or not finite is discarded
    chi0 = xp.where(xp.isfinite(chi0) & (chi0 * sgn >= 0), chi0, chi_par)
    # Vallado's hyperbolic guess can be far off (inbound, far out): keep whichever guess has the smaller residual
    f_guess = xp.abs(_residual(chi0, r0n, rv, alpha, sqmu, dt_red, xp)[0])
    f_par = xp.abs(_residual(chi_par, r0n, rv, alpha, sqmu, dt_red, xp)[0])
    chi0 = xp.where(f_par < f_guess, chi_par, chi0)
    return r0n, rv, alpha, sqmu, dt_red, chi0


def _floor(chi: Array, r0n: Array, rv: Array, alpha: Array, sqmu: Array, dt: Array, c: Array, s: Array) -> Array:
    """Rounding floor of the residual: a few ulps of its largest term (no iteration can get below it)."""
    terms = abs(rv / sqmu * chi * chi * c) + abs((1.0 - alpha * r0n) * chi**3 * s) + abs(r0n * chi) + abs(sqmu * dt)
    return 4e-16 * terms


def _residual(chi: Array, r0n: Array, rv: Array, alpha: Array, sqmu: Array, dt: Array, xp: Any) -> tuple[Array, ...]:
    z = alpha * chi * chi
    c, s = _stumpff(z, xp)
    f = rv / sqmu * chi * chi * c + (1.0 - alpha * r0n) * chi**3 * s + r0n * chi - sqmu * dt
    r = rv / sqmu * chi * (1.0 - z * s) + (1.0 - alpha * r0n) * chi * chi * c + r0n
    dr = rv / sqmu * (1.0 - z * c) + (1.0 - alpha * r0n) * chi * (1.0 - z * s)
    return f, r, dr, c, s, z


def _finish(
    chi: Array, r0: Array, v0: Array, r0n: Array, alpha: Array, sqmu: Array, dt: Array, xp: Any
) -> tuple[Array, Array]:
    z = alpha * chi * chi
    c, s = _stumpff(z, xp)
    f = 1.0 - chi * chi / r0n * c
    g = dt - chi**3 / sqmu * s
    r = f[..., None] * r0 + g[..., None] * v0
    rn = xp.sqrt(xp.sum(r * r, axis=-1))
    fdot = sqmu / (rn * r0n) * chi * (z * s - 1.0)
    gdot = 1.0 - chi * chi / rn * c
    v = fdot[..., None] * r0 + gdot[..., None] * v0
    return r, v


@jax.jit
def _propagate_kernel(r0: jax.Array, v0: jax.Array, dt: jax.Array, mu: jax.Array) -> tuple[jax.Array, ...]:
    r0n = jnp.sqrt(jnp.sum(r0 * r0, axis=-1))
    bad = ~(jnp.isfinite(r0n) & jnp.all(jnp.isfinite(v0), axis=-1) & jnp.isfinite(dt) & (mu > 0) & (r0n > 0))
    r0s = jnp.where(bad[..., None], jnp.array([1.0, 0.0, 0.0]), r0)
    v0s = jnp.where(bad[..., None], jnp.array([0.0, 1.0, 0.0]), v0)
    mus = jnp.where(bad, 1.0, mu)
    dts = jnp.where(bad, 0.0, dt)
    r0n, rv, alpha, sqmu, dt_red, chi0 = _setup(r0s, v0s, dts, mus, jnp)

    # Newton on y = sign(dt) * chi >= 0, where g(y) = sign(dt) * F(chi) increases with y (dg/dy = r > 0), kept
    # inside a bracket [lo, hi] that every evaluation narrows. A step that leaves the bracket, or does not halve the
    # previous one (Newton creeping down the exponential side of a hyperbola), bisects instead (geometric mean for
    # a wide bracket, doubling while no upper end is known). Converges from any guess; an overflow is "beyond".
    sgn = jnp.where(dt_red >= 0, 1.0, -1.0)

    def body(carry: _Carry) -> _Carry:
        y, lo, hi, dy_old, done, it = carry
        chi = sgn * y
        f, r, _dr, c, s, _z = _residual(chi, r0n, rv, alpha, sqmu, dt_red, jnp)
        g = jnp.where(jnp.isfinite(f), sgn * f, jnp.inf)
        at_floor = jnp.isfinite(f) & (jnp.abs(g) <= _floor(chi, r0n, rv, alpha, sqmu, dt_red, c, s))
        lo = jnp.where(g < 0, jnp.maximum(lo, y), lo)
        hi = jnp.where(g > 0, jnp.minimum(hi, y), hi)
        y_n = y - g / r
        slow = jnp.abs(y_n - y) > 0.5 * dy_old
        newton = jnp.isfinite(y_n) & (y_n > lo) & (y_n < hi) & ~(slow & jnp.isfinite(hi))
        wide = (lo > 0) & (hi > 4.0 * lo)
        y_b = jnp.where(wide, jnp.sqrt(lo * jnp.where(wide, hi, 1.0)), 0.5 * (lo + hi))
        y_b = jnp.where(jnp.isfinite(hi), y_b, 2.0 * y + 1.0)
        y_new = jnp.where(newton, y_n, y_b)
        tol = _TOL_CHI * jnp.maximum(1.0, y)
        conv = at_floor | (newton & (jnp.abs(y_new - y) <= tol)) | (hi - lo <= tol)
        y_new = jnp.where(done | at_floor, y, y_new)
        return y_new, lo, hi, jnp.abs(y_new - y), done | conv, it + 1

    def cond(carry: _Carry) -> jax.Array:
        return jnp.any(~carry[4]) & (carry[5] < _MAX_ITER)

    y0 = jnp.abs(chi0)
    inf = jnp.full_like(y0, jnp.inf)
    y, _, _, _, done, _ = jax.lax.while_loop(cond, body, (y0, jnp.zeros_like(y0), inf, inf, bad | (dt_red == 0), 0))
    chi = sgn * y
    r, v = _finish(chi, r0s, v0s, r0n, alpha, sqmu, dt_red, jnp)
    ok = done & jnp.isfinite(chi) & ~bad & jnp.all(jnp.isfinite(r) & jnp.isfinite(v), axis=-1)
    status = jnp.where(
        bad, int(KeplerStatus.BAD_INPUT), jnp.where(ok, int(KeplerStatus.OK), int(KeplerStatus.NOT_CONVERGED))
    ).astype(jnp.int8)
    good = (status == 0)[..., None]
    return jnp.where(good, r, jnp.nan), jnp.where(good, v, jnp.nan), status


@accepts_quantities
def propagate(
    r0_m: npt.ArrayLike, v0_m_s: npt.ArrayLike, dt_s: npt.ArrayLike, mu_m3_s2: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two-body propagation of states (..., 3) over ``dt_s`` (...; negative goes back in time).

    Returns ``(r_m, v_m_s, status)``; rows whose :class:`KeplerStatus` is not OK hold NaN.
    """
    r0 = np.asarray(r0_m, dtype=float)
    v0 = np.asarray(v0_m_s, dtype=float)
    shape = np.broadcast_shapes(r0.shape[:-1], v0.shape[:-1], np.shape(dt_s), np.shape(mu_m3_s2))
    args = (
        np.broadcast_to(r0, (*shape, 3)),
        np.broadcast_to(v0, (*shape, 3)),
        np.broadcast_to(np.asarray(dt_s, dtype=float), shape),
        np.broadcast_to(np.asarray(mu_m3_s2, float), shape),
    )
    r, v, st = _propagate_kernel(*args)
    if shape == () and int(st) == KeplerStatus.BAD_INPUT:
        from .errors import InputError

        raise InputError(
            "propagate needs a finite, non-zero r0_m, a finite v0_m_s, a finite dt_s and mu_m3_s2 > 0; got "
            f"r0_m={r0.tolist()}, v0_m_s={v0.tolist()}, dt_s={float(args[2])!r}, mu_m3_s2={float(args[3])!r}."
        )
    return np.asarray(r), np.asarray(v), np.asarray(st)


def propagate_reference(
    r0_m: npt.ArrayLike, v0_m_s: npt.ArrayLike, dt_s: npt.ArrayLike, mu_m3_s2: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numpy reference of :func:`propagate` (Newton iteration, one problem at a time)."""
    r0 = np.asarray(r0_m, dtype=float)
    v0 = np.asarray(v0_m_s, dtype=float)
    shape = np.broadcast_shapes(r0.shape[:-1], v0.shape[:-1], np.shape(dt_s), np.shape(mu_m3_s2))
    r0b = np.broadcast_to(r0, (*shape, 3)).reshape(-1, 3)
    v0b = np.broadcast_to(v0, (*shape, 3)).reshape(-1, 3)
    dtb = np.broadcast_to(np.asarray(dt_s, float), shape).ravel()
    mub = np.broadcast_to(np.asarray(mu_m3_s2, float), shape).ravel()
    r_out = np.full_like(r0b, np.nan)
    v_out = np.full_like(r0b, np.nan)
    st = np.full(r0b.shape[0], int(KeplerStatus.NOT_CONVERGED), dtype=np.int8)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # overflowing trial steps are rejected
        _reference_loop(r0b, v0b, dtb, mub, r_out, v_out, st)
    return r_out.reshape((*shape, 3)), v_out.reshape((*shape, 3)), st.reshape(shape)


def _reference_loop(
    r0b: np.ndarray,
    v0b: np.ndarray,
    dtb: np.ndarray,
    mub: np.ndarray,
    r_out: np.ndarray,
    v_out: np.ndarray,
    st: np.ndarray,
) -> None:
    for i in range(r0b.shape[0]):
        r0i, v0i, dt, mu = r0b[i], v0b[i], dtb[i], mub[i]
        if not (
            np.all(np.isfinite(r0i))
            and np.all(np.isfinite(v0i))
            and np.isfinite(dt)
            and mu > 0
            and np.linalg.norm(r0i) > 0
        ):
            st[i] = KeplerStatus.BAD_INPUT
            continue
        args = _setup(r0i, v0i, np.float64(dt), np.float64(mu), np)
        chi = _newton_halving(*args)
        if chi is None:  # Newton crept (exponential side of a hyperbola): plain bisection, slow and sure
            chi = _bisection(*args[:5])
        r0n, _rv, alpha, sqmu, dt_red = args[:5]
        r_i, v_i = _finish(chi, r0i, v0i, r0n, alpha, sqmu, dt_red, np)
        if np.all(np.isfinite(r_i)) and np.all(np.isfinite(v_i)):  # else NOT_CONVERGED (overflow), NaN kept
            r_out[i], v_out[i] = r_i, v_i
            st[i] = KeplerStatus.OK


def _newton_halving(r0n: Array, rv: Array, alpha: Array, sqmu: Array, dt_red: Array, chi: Array) -> Array | None:
    """Newton from ``chi``, halving any step that makes the residual grow or overflow; None if not converged."""
    for _ in range(_MAX_ITER):
        f, r, _dr, c, s, _z = _residual(chi, r0n, rv, alpha, sqmu, dt_red, np)
        if abs(f) <= _floor(chi, r0n, rv, alpha, sqmu, dt_red, c, s):  # at the rounding floor: done
            return chi
        step = f / r
        chi_new = chi - step
        f_new = _residual(chi_new, r0n, rv, alpha, sqmu, dt_red, np)[0]
        while not abs(f_new) <= abs(f) and abs(step) > 1e-300:
            step /= 2.0
            chi_new = chi - step
            f_new = _residual(chi_new, r0n, rv, alpha, sqmu, dt_red, np)[0]
        chi = chi_new
        if abs(step) <= _TOL_CHI * max(1.0, abs(chi)):
            return chi
    return None


def _bisection(r0n: Array, rv: Array, alpha: Array, sqmu: Array, dt_red: Array) -> float:
    """Root of the (increasing) universal Kepler residual by doubling then bisection on y = |chi|."""
    sgn = 1.0 if dt_red >= 0 else -1.0

    def g(y: float) -> float:
        f = _residual(sgn * y, r0n, rv, alpha, sqmu, dt_red, np)[0]
        return sgn * f if np.isfinite(f) else np.inf

    lo, hi = 0.0, 1.0
    while g(hi) < 0:
        lo, hi = hi, 2.0 * hi
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        lo, hi = (mid, hi) if g(mid) < 0 else (lo, mid)
    return sgn * 0.5 * (lo + hi)


def state_to_elements(r_m: npt.ArrayLike, v_m_s: npt.ArrayLike, mu_m3_s2: npt.ArrayLike) -> tuple[np.ndarray, ...]:
    """Classical elements (a_m, e, i, raan, argp, nu) from states (..., 3). Angles in radians in [0, 2 pi).

    Circular or equatorial orbits set the undefined angles to zero (raan; argp measured from the node or x axis).
    """
    r = np.asarray(r_m, float)
    v = np.asarray(v_m_s, float)
    mu = np.asarray(mu_m3_s2, float)
    rn = np.linalg.norm(r, axis=-1)
    vn2 = np.sum(v * v, axis=-1)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    nvec = np.stack([-h[..., 1], h[..., 0], np.zeros_like(hn)], axis=-1)
    nn = np.linalg.norm(nvec, axis=-1)
    evec = (
        ((vn2 - mu / rn)[..., None] * r - np.sum(r * v, -1)[..., None] * v) / mu[..., None]
        if np.ndim(mu)
        else ((vn2 - mu / rn)[..., None] * r - np.sum(r * v, -1)[..., None] * v) / mu
    )
    e = np.linalg.norm(evec, axis=-1)
    energy = vn2 / 2 - mu / rn
    a = -mu / (2 * energy)
    inc = np.arccos(np.clip(h[..., 2] / hn, -1, 1))
    eq = nn < 1e-11 * hn
    circ = e < 1e-11
    nn_s = np.where(eq, 1.0, nn)
    raan = np.where(eq, 0.0, np.arctan2(nvec[..., 1], nvec[..., 0]) % (2 * np.pi))
    # argument of periapsis measured from the node line (or x axis if equatorial), in the orbit plane
    hat_h = h / hn[..., None]
    node_dir = np.where(eq[..., None], np.array([1.0, 0.0, 0.0]), nvec / nn_s[..., None])
    perp = np.cross(hat_h, node_dir)
    e_s = np.where(circ, 1.0, e)
    ehat = evec / e_s[..., None]
    argp = np.where(circ, 0.0, np.arctan2(np.sum(ehat * perp, -1), np.sum(ehat * node_dir, -1)) % (2 * np.pi))
    ref = np.where(circ[..., None], node_dir, ehat)
    ref_perp = np.cross(hat_h, ref)
    nu = np.arctan2(np.sum(r * ref_perp, -1), np.sum(r * ref, -1)) % (2 * np.pi)
    return a, e, inc, raan, argp, nu


def _first_bad(mask: np.ndarray) -> str:
    """'' for a scalar, else ' (n of N; first at flat index k)' describing where ``mask`` is set."""
    if mask.ndim == 0:
        return ""
    idx = np.flatnonzero(mask)
    return f" ({idx.size} of {mask.size}; first at flat index {idx[0]})"


def _check_elements(
    p: np.ndarray, e: np.ndarray, angles: tuple[np.ndarray, ...], nu: np.ndarray, mu: np.ndarray
) -> None:
    """Raise InputError for elements that describe no orbit (never a NaN state)."""
    from .errors import InputError

    with np.errstate(invalid="ignore", over="ignore"):
        checks = _element_checks(p, e, angles, nu, mu)
    for bad, sentence in checks:
        bad = np.asarray(bad)
        if np.any(bad):
            raise InputError(f"{sentence}{_first_bad(bad)}.")


def _element_checks(
    p: np.ndarray, e: np.ndarray, angles: tuple[np.ndarray, ...], nu: np.ndarray, mu: np.ndarray
) -> list[tuple[np.ndarray, str]]:
    return [
        (~np.isfinite(e) | (e < 0), "the eccentricity e must be finite and >= 0"),
        (~(np.isfinite(mu) & (mu > 0)), "mu_m3_s2 must be finite and > 0"),
        (~np.all([np.isfinite(x) for x in (*angles, nu)], axis=0), "the angles must be finite (radians)"),
        (
            ~(np.isfinite(p) & (p > 0)),
            "a_m and e disagree: an ellipse (e < 1) needs a_m > 0, a hyperbola (e > 1) needs a_m < 0 (areo's sign "
            "convention); a parabola (e = 1) has no finite a_m: use parabolic_to_state with its semi-latus rectum p_m",
        ),
        (
            (1.0 + e * np.cos(nu)) <= 0,
            "the true anomaly nu_rad lies beyond the hyperbola's asymptotes: need 1 + e cos(nu) > 0, i.e. "
            "|nu| < arccos(-1/e)",
        ),
    ]


def parabolic_to_state(
    p_m: npt.ArrayLike,
    i_rad: npt.ArrayLike,
    raan_rad: npt.ArrayLike,
    argp_rad: npt.ArrayLike,
    nu_rad: npt.ArrayLike,
    mu_m3_s2: npt.ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """States (r_m, v_m_s) on a parabola (e = 1) given its semi-latus rectum ``p_m`` = 2 x periapsis radius.

    The counterpart of poliastro/hapsira ``Orbit.parabolic(attractor, p, inc, raan, argp, nu)``.
    """
    p, i, raan, argp, nu, mu = (np.asarray(x, float) for x in (p_m, i_rad, raan_rad, argp_rad, nu_rad, mu_m3_s2))
    e = np.ones_like(p)
    _check_elements(p, e, (i, raan, argp), nu, mu)
    return _perifocal_to_state(p, e, i, raan, argp, nu, mu)


def elements_to_state(
    a_m: npt.ArrayLike,
    e: npt.ArrayLike,
    i_rad: npt.ArrayLike,
    raan_rad: npt.ArrayLike,
    argp_rad: npt.ArrayLike,
    nu_rad: npt.ArrayLike,
    mu_m3_s2: npt.ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """States (r_m, v_m_s), shape (..., 3), from classical elements (inverse of :func:`state_to_elements`).

    Raises :class:`~areo.errors.InputError` for elements that describe no orbit: (a, e) of different kinds
    (e < 1 with a < 0, e > 1 with a > 0), e = 1 (see :func:`parabolic_to_state`), a true anomaly beyond a
    hyperbola's asymptotes, non-finite values, mu <= 0.
    """
    a, e, i, raan, argp, nu, mu = (np.asarray(x, float) for x in (a_m, e, i_rad, raan_rad, argp_rad, nu_rad, mu_m3_s2))
    with np.errstate(invalid="ignore", over="ignore"):
        p = a * (1 - e * e)
    _check_elements(p, e, (i, raan, argp), nu, mu)
    return _perifocal_to_state(p, e, i, raan, argp, nu, mu)


def _perifocal_to_state(
    p: np.ndarray, e: np.ndarray, i: np.ndarray, raan: np.ndarray, argp: np.ndarray, nu: np.ndarray, mu: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(over="ignore", invalid="ignore"):
        r, v = _perifocal_rotated(p, e, i, raan, argp, nu, mu)
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        from .errors import InputError

        raise InputError("these elements give a state beyond float64 range (|r| or |v| overflows); check a_m, e, mu.")
    return r, v


def _perifocal_rotated(
    p: np.ndarray, e: np.ndarray, i: np.ndarray, raan: np.ndarray, argp: np.ndarray, nu: np.ndarray, mu: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:

    rn = p / (1 + e * np.cos(nu))
    r_pf = np.stack([rn * np.cos(nu), rn * np.sin(nu), np.zeros_like(rn)], -1)
    v_pf = np.stack([-np.sqrt(mu / p) * np.sin(nu), np.sqrt(mu / p) * (e + np.cos(nu)), np.zeros_like(rn)], -1)
    cO, sO, ci, si, cw, sw = np.cos(raan), np.sin(raan), np.cos(i), np.sin(i), np.cos(argp), np.sin(argp)
    rot = np.stack(
        [
            np.stack([cO * cw - sO * sw * ci, -cO * sw - sO * cw * ci, sO * si], -1),
            np.stack([sO * cw + cO * sw * ci, -sO * sw + cO * cw * ci, -cO * si], -1),
            np.stack([sw * si, cw * si, ci], -1),
        ],
        -2,
    )
    return np.einsum("...ij,...j->...i", rot, r_pf), np.einsum("...ij,...j->...i", rot, v_pf)
