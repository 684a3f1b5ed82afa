"""Batched Lambert solver: Izzo's algorithm (2015) as a JAX float64 kernel, CPU or GPU.

    >>> import areo
    >>> sol = areo.lambert(r1_m, r2_m, tof_s, mu_m3_s2)             # arrays (..., 3) and (...)
    >>> sol.v1_m_s, sol.v2_m_s, sol.status                         # (..., 3), (..., 3), (...) int8

Multi-revolution problems (``revs >= 1``) have two solutions. areo names them by their orbit:

* ``branch="short-period"``: the smaller semi-major axis (Izzo's "left" branch, x < x_Tmin;
  pykep's ``v0[2N-1]``, lamberthub's ``low_path=False``);
* ``branch="long-period"``: the larger semi-major axis (Izzo's "right" branch; pykep's ``v0[2N]``,
  lamberthub's ``low_path=True``).

Every problem gets a :class:`LambertStatus`; velocities are NaN exactly where the status is not OK, never
silently. The numpy reference :func:`areo.transfer._lambert_ref.lambert_reference` solves the same problems one
at a time and the test-suite runs both.

Source: D. Izzo, "Revisiting Lambert's problem", Celest. Mech. Dyn. Astr. 121 (2015) 1-15,
doi:10.1007/s10569-014-9587-y.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple, cast

import numpy as np
import numpy.typing as npt

from .._jax import jax, jnp
from ..units import accepts_quantities
from .lambert_status import DEGENERATE_SIN_ANGLE, POLAR_PLANE_Z, LambertStatus

Vec3 = tuple[jax.Array, ...]  # x, y, z components, each (N,)

BRANCHES = ("short-period", "long-period")

# Battin's series 2F1(3, 1; 5/2; S) used for |x - 1| < _SERIES_BAND, where |S| <= 0.21: 34 terms reach 1e-20.
_SERIES_BAND = 0.01
_N_SERIES = 14
_COEFFS = [1.0]
for _n in range(_N_SERIES - 1):
    _COEFFS.append(_COEFFS[-1] * (3 + _n) * (1 + _n) / ((2.5 + _n) * (_n + 1)))
_SERIES = tuple(reversed(_COEFFS))  # Horner order
_TOL_X = 1e-5
_MAX_ITER = 40
# Largest revolution count accepted (the kernel counts in int32; T_min grows like revs * pi)
MAX_REVS = 1_000_000


def _tof(x: jax.Array, lam: jax.Array, m_pi: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Non-dimensional time of flight T(x); ``m_pi`` = revolutions * pi."""
    u = 1.0 - x * x
    y = jnp.sqrt(1.0 - lam * lam * u)
    # Battin series near the parabola (x ~ 1)
    eta = y - lam * x
    s1 = 0.5 * (1.0 - lam - x * eta)
    near = jnp.abs(x - 1.0) < _SERIES_BAND
    s1n = jnp.where(near, s1, 0.0)
    q = jnp.full_like(x, _SERIES[0])
    for c in _SERIES[1:]:
        q = q * s1n + c
    t_series = 0.5 * (eta**3 * (4.0 / 3.0) * q + 4.0 * lam * eta)
    t_series = t_series + jnp.where(m_pi > 0, m_pi / jnp.where(near, jnp.abs(u), 1.0) ** 1.5, 0.0)
    # Lancaster-Blanchard away from it
    e = jnp.where(near, -0.5, -u)
    rho = jnp.sqrt(jnp.abs(e))
    g = x * y - lam * e
    d_ell = m_pi + jnp.arccos(jnp.clip(g, -1.0, 1.0))
    d_hyp = jnp.log(jnp.maximum(rho * (y - lam * x) + g, 1e-300))
    d = jnp.where(e < 0.0, d_ell, d_hyp)
    t_lanc = (x - lam * y - d / rho) / e
    return jnp.where(near, t_series, t_lanc), y


def _derivs(x: jax.Array, y: jax.Array, t: jax.Array, lam: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    l2 = lam * lam
    l3 = l2 * lam
    u = 1.0 - x * x
    d1 = (3.0 * t * x - 2.0 + 2.0 * l3 * x / y) / u
    d2 = (3.0 * t + 5.0 * x * d1 + 2.0 * (1.0 - l2) * l3 / y**3) / u
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - l2) * l2 * l3 * x / y**5) / u
    return d1, d2, d3


def _householder(
    x0: jax.Array, t0: jax.Array, lam: jax.Array, m_pi: jax.Array, active: jax.Array, multirev: bool
) -> tuple[jax.Array, jax.Array]:
    # carry: x, converged (|step| < tol, the step taken), stopped (converged or a non-finite step)
    def body(carry: tuple[jax.Array, jax.Array, jax.Array, int]) -> tuple[jax.Array, jax.Array, jax.Array, int]:
        x, conv, stop, it = carry
        t, y = _tof(x, lam, m_pi)
        f = t - t0
        d1, d2, d3 = _derivs(x, y, t, lam)
        x_new = x - f * (d1 * d1 - f * d2 / 2.0) / (d1 * (d1 * d1 - f * d2) + d3 * f * f / 6.0)
        # x lives in (-1, inf) (in (-1, 1) with revolutions): no step goes further than halfway to the edge
        x_new = jnp.maximum(x_new, 0.5 * (x - 1.0))
        if multirev:
            x_new = jnp.where((m_pi > 0) & (x_new >= 1.0), 0.5 * (x + 1.0), x_new)
        step_ok = jnp.isfinite(x_new)
        now = ~stop & step_ok & (jnp.abs(x_new - x) < _TOL_X)
        x = jnp.where(stop | ~step_ok, x, x_new)
        return x, conv | now, stop | now | ~step_ok, it + 1

    def cond(carry: tuple[jax.Array, jax.Array, jax.Array, int]) -> jax.Array:
        return jnp.any(~carry[2]) & (carry[3] < _MAX_ITER)

    x, conv, _, _ = jax.lax.while_loop(cond, body, (x0, jnp.zeros_like(active), ~active, 0))
    return x, conv & active


def _t_min(lam: jax.Array, m_pi: jax.Array, active: jax.Array) -> jax.Array:
    """Minimum non-dimensional time of flight for M >= 1 revolutions (Halley on dT/dx = 0)."""

    def body(carry: tuple[jax.Array, jax.Array, int]) -> tuple[jax.Array, jax.Array, int]:
        x, done, it = carry
        t, y = _tof(x, lam, m_pi)
        d1, d2, d3 = _derivs(x, y, t, lam)
        x_new = x - d1 * d2 / (d2 * d2 - d1 * d3 / 2.0)
        x_new = jnp.clip(x_new, 0.5 * (x - 1.0), 0.5 * (x + 1.0))  # stay in (-1, 1): at most halfway to an edge
        ok = jnp.isfinite(x_new)
        conv = ~ok | (jnp.abs(x_new - x) < 1e-13)
        x = jnp.where(done | ~ok, x, x_new)
        return x, done | conv, it + 1

    def cond(carry: tuple[jax.Array, jax.Array, int]) -> jax.Array:
        return jnp.any(~carry[1]) & (carry[2] < 30)

    x, _, _ = jax.lax.while_loop(cond, body, (jnp.zeros_like(lam), ~active, 0))
    return _tof(x, lam, m_pi)[0]


def _cross(a: Vec3, b: Vec3) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


class _Geometry(NamedTuple):
    """Per-problem geometry: norms, chord, lambda, unit vectors and the masks of unsolvable problems."""

    r1n: jax.Array
    r2n: jax.Array
    r1n_s: jax.Array  # |r1| with 1.0 where the input is bad (safe divisor)
    r2n_s: jax.Array
    c: jax.Array  # chord
    s_s: jax.Array  # semi-perimeter, 1.0 where invalid
    lam: jax.Array  # Izzo's lambda, signed for the plane's orientation and the direction of travel
    ir1: Vec3  # radial and transverse unit vectors at both ends
    ir2: Vec3
    it1: Vec3
    it2: Vec3
    bad: jax.Array
    degenerate: jax.Array
    invalid: jax.Array


def _bad_inputs(r1: Vec3, r2: Vec3, tof: jax.Array, mu: jax.Array, revs: jax.Array) -> tuple[jax.Array, ...]:
    """Position norms and the BAD_INPUT mask: non-finite or zero positions, tof or mu not > 0, negative revs."""
    r1n = jnp.sqrt(r1[0] ** 2 + r1[1] ** 2 + r1[2] ** 2)
    r2n = jnp.sqrt(r2[0] ** 2 + r2[1] ** 2 + r2[2] ** 2)
    finite = jnp.isfinite(r1n) & jnp.isfinite(r2n) & jnp.isfinite(tof) & jnp.isfinite(mu)
    bad = ~finite | (r1n <= 0.0) | (r2n <= 0.0) | ~(tof > 0.0) | ~(mu > 0.0) | (revs < 0)
    return r1n, r2n, bad


def _geometry(
    r1_m: jax.Array, r2_m: jax.Array, tof: jax.Array, mu: jax.Array, revs: jax.Array, retro: jax.Array
) -> _Geometry:
    """Chord, semi-perimeter, lambda and unit vectors (Izzo 2015, Algorithm 1 lines 1-9); safe values where invalid."""
    r1: Vec3 = (r1_m[:, 0], r1_m[:, 1], r1_m[:, 2])
    r2: Vec3 = (r2_m[:, 0], r2_m[:, 1], r2_m[:, 2])
    r1n, r2n, bad = _bad_inputs(r1, r2, tof, mu, revs)
    r1n_s = jnp.where(bad, 1.0, r1n)
    r2n_s = jnp.where(bad, 1.0, r2n)
    c = jnp.sqrt((r2[0] - r1[0]) ** 2 + (r2[1] - r1[1]) ** 2 + (r2[2] - r1[2]) ** 2)
    s = 0.5 * (r1n + r2n + c)
    ir1 = tuple(v / r1n_s for v in r1)
    ir2 = tuple(v / r2n_s for v in r2)
    h = _cross(ir1, ir2)
    hn = jnp.sqrt(h[0] ** 2 + h[1] ** 2 + h[2] ** 2)
    degenerate = ~bad & (hn < DEGENERATE_SIN_ANGLE)
    invalid = bad | degenerate
    hn_s = jnp.where(invalid, 1.0, hn)
    ih = tuple(v / hn_s for v in h)
    s_s = jnp.where(invalid, 1.0, s)
    lam = jnp.sqrt(1.0 - jnp.minimum(1.0, jnp.where(invalid, 0.0, c) / s_s))
    flip = (ih[2] < -POLAR_PLANE_Z) ^ retro  # one sign change from the plane's orientation, one from retrograde
    sign = jnp.where(flip, -1.0, 1.0)
    lam = lam * sign
    it1 = tuple(sign * v for v in _cross(ih, ir1))
    it2 = tuple(sign * v for v in _cross(ih, ir2))
    return _Geometry(r1n, r2n, r1n_s, r2n_s, c, s_s, lam, ir1, ir2, it1, it2, bad, degenerate, invalid)


def _initial_guess(lam: jax.Array, t: jax.Array) -> jax.Array:
    """Starting x of the zero-revolution solution (Izzo 2015, eqs. 30 and 31)."""
    t00 = jnp.arccos(lam) + lam * jnp.sqrt(1.0 - lam * lam)
    t1 = 2.0 / 3.0 * (1.0 - lam**3)
    x0_long = (t00 / t) ** (2.0 / 3.0) - 1.0
    x0_short = 2.5 * t1 / t * (t1 - t) / (1.0 - lam**5) + 1.0
    ratio = jnp.log(t / t00) / jnp.log(t1 / t00)
    x0_mid = jnp.exp2(jnp.where(jnp.isfinite(ratio), ratio, 0.0)) - 1.0
    x0 = jnp.where(t >= t00, x0_long, jnp.where(t < t1, x0_short, x0_mid))
    # an exactly parabolic time of flight puts x0 on x = 1, where dT/dx is 0/0: start just inside the ellipse
    return jnp.where(x0 == 1.0, 1.0 - 1e-9, x0)


def _multirev_guess(
    x0: jax.Array,
    lam: jax.Array,
    t: jax.Array,
    revs_f: jax.Array,
    m_pi: jax.Array,
    long_period: jax.Array,
    invalid: jax.Array,
) -> tuple[jax.Array, jax.Array]:
    """Starting x for revs >= 1 (Izzo 2015, eq. 31) and the NO_SOLUTION mask (time of flight below T_min)."""
    ql = ((m_pi + jnp.pi) / (8.0 * t)) ** (2.0 / 3.0)
    qr = ((8.0 * t) / jnp.where(revs_f > 0, m_pi, 1.0)) ** (2.0 / 3.0)
    q = jnp.where(long_period, qr, ql)
    x0 = jnp.where(revs_f > 0, (q - 1.0) / (q + 1.0), x0)
    tmin = _t_min(lam, m_pi, ~invalid & (revs_f > 0))
    return x0, ~invalid & (revs_f > 0) & (t < tmin)


def _velocities(g: _Geometry, x: jax.Array, mu_s: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Terminal velocities (N, 3) from the converged x (Izzo 2015, Algorithm 1 lines 16-21) and whether the
    radial and transverse components are finite (v = vr * (unit) + vt / r * (unit): finite with these)."""
    gamma = jnp.sqrt(mu_s * g.s_s / 2.0)
    c_s = jnp.where(g.invalid, 1.0, g.c)
    rho = (g.r1n - g.r2n) / c_s
    sigma = jnp.sqrt(jnp.maximum(0.0, 1.0 - rho * rho))
    lam = g.lam
    y = jnp.sqrt(1.0 - lam * lam + lam * lam * x * x)
    vr1 = gamma * ((lam * y - x) - rho * (lam * y + x)) / g.r1n_s
    vr2 = -gamma * ((lam * y - x) + rho * (lam * y + x)) / g.r2n_s
    vt = gamma * sigma * (y + lam * x)
    v1 = jnp.stack([vr1 * a + vt / g.r1n_s * b for a, b in zip(g.ir1, g.it1)], axis=-1)
    v2 = jnp.stack([vr2 * a + vt / g.r2n_s * b for a, b in zip(g.ir2, g.it2)], axis=-1)
    return v1, v2, jnp.isfinite(vr1 + vr2 + vt)


def _status(bad: jax.Array, degenerate: jax.Array, no_solution: jax.Array, solved: jax.Array) -> jax.Array:
    """Per-problem :class:`LambertStatus` (int8), the first failure that applies."""
    return jnp.where(
        bad,
        int(LambertStatus.BAD_INPUT),
        jnp.where(
            degenerate,
            int(LambertStatus.DEGENERATE),
            jnp.where(
                no_solution,
                int(LambertStatus.NO_SOLUTION),
                jnp.where(solved, int(LambertStatus.OK), int(LambertStatus.NOT_CONVERGED)),
            ),
        ),
    ).astype(jnp.int8)


@partial(jax.jit, static_argnames=("multirev",))
def _kernel(
    r1_m: jax.Array,
    r2_m: jax.Array,
    tof: jax.Array,
    mu: jax.Array,
    revs: jax.Array,
    retro: jax.Array,
    long_period: jax.Array,
    multirev: bool,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Core kernel on flat arrays: r1, r2 (N, 3); tof, mu (N,); revs int (N,); retro, long_period bool (N,)."""
    g = _geometry(r1_m, r2_m, tof, mu, revs, retro)
    mu_s = jnp.where(g.invalid, 1.0, mu)
    t = jnp.sqrt(2.0 * mu_s / g.s_s**3) * jnp.where(g.invalid, 1.0, tof)
    revs_f = jnp.where(g.invalid, 0, revs).astype(t.dtype)
    m_pi = revs_f * jnp.pi
    x0 = _initial_guess(g.lam, t)
    no_solution = jnp.zeros_like(g.invalid)
    if multirev:
        x0, no_solution = _multirev_guess(x0, g.lam, t, revs_f, m_pi, long_period, g.invalid)
    active = ~g.invalid & ~no_solution
    x, conv = _householder(x0, t, g.lam, m_pi, active, multirev)
    v1, v2, finite = _velocities(g, x, mu_s)
    # extreme scales (|T| ~ 1e170 ...) can converge in x yet overflow the velocities: not OK then
    status = _status(g.bad, g.degenerate, no_solution, conv & finite)
    ok = (status == 0)[:, None]
    return jnp.where(ok, v1, jnp.nan), jnp.where(ok, v2, jnp.nan), status


@dataclass(frozen=True)
class LambertSolution:
    """Result of :func:`lambert`: departure and arrival velocities (m/s) and a status per problem."""

    v1_m_s: np.ndarray
    v2_m_s: np.ndarray
    status: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of converged problems."""
        return cast(np.ndarray, self.status == LambertStatus.OK)

    def messages(self) -> np.ndarray:
        """The status of each problem as a readable sentence."""
        return cast(np.ndarray, np.vectorize(lambda s: LambertStatus(int(s)).message, otypes=[object])(self.status))

    def raise_if_failed(self) -> LambertSolution:
        """Raise :class:`~areo.errors.InputError` describing the first failure, if any; else return self."""
        from ..errors import InputError

        bad = np.flatnonzero(np.ravel(self.status) != 0)
        if bad.size:
            first = int(np.ravel(self.status)[bad[0]])
            raise InputError(
                f"{bad.size} of {np.size(self.status)} Lambert problems failed; first at flat index {bad[0]}: "
                f"{LambertStatus(first).message}."
            )
        return self

    def __repr__(self) -> str:
        n = np.size(self.status)
        return f"<LambertSolution {n} problem(s), {int(np.sum(self.ok))} converged, shape {np.shape(self.status)}>"


def _branch_flag(branch: npt.ArrayLike) -> np.ndarray:
    b = np.asarray(branch, dtype=object)
    flat = [str(v) for v in b.ravel()]
    for v in flat:
        if v not in BRANCHES:
            from ..errors import unknown_choice

            raise unknown_choice(
                "branch", v, BRANCHES, "short-period = Izzo/pykep 'left' (v0[2N-1]); long-period = 'right' (v0[2N])."
            )
    return np.array([v == "long-period" for v in flat], dtype=bool).reshape(b.shape)


@accepts_quantities
def lambert(
    r1_m: npt.ArrayLike,
    r2_m: npt.ArrayLike,
    tof_s: npt.ArrayLike,
    mu_m3_s2: npt.ArrayLike,
    revs: npt.ArrayLike = 0,
    retrograde: npt.ArrayLike = False,
    branch: npt.ArrayLike = "short-period",
) -> LambertSolution:
    """Solve Lambert's problem for arrays of problems (Izzo 2015), batched in JAX float64.

    Parameters
    ----------
    r1_m, r2_m : array (..., 3)
        Position vectors (m) at departure and arrival, any inertial frame. "Prograde" means the transfer's
        angular momentum has a positive z component in that frame.
    tof_s : array (...)
        Time of flight (s), > 0.
    mu_m3_s2 : array (...)
        Gravitational parameter of the central body (m^3/s^2), > 0.
    revs : int or int array (...)
        Complete revolutions (0 for the direct transfer).
    retrograde : bool or bool array (...)
        Travel clockwise (negative angular-momentum z).
    branch : 'short-period' or 'long-period' (or an array of them)
        Which of the two multi-revolution solutions; ignored when ``revs == 0``.

    Returns
    -------
    LambertSolution with ``v1_m_s``, ``v2_m_s`` (..., 3) and ``status`` (...) int8 (:class:`LambertStatus`).
    Shapes broadcast. Nothing raises for per-problem failures; call ``.raise_if_failed()`` to opt in.
    """
    r1, r2 = _positions(r1_m, r2_m)
    revs_a = _revs_array(revs)
    long_p = _branch_flag(branch)
    shape, args = _flat_problems(r1, r2, tof_s, mu_m3_s2, revs_a, retrograde, long_p)
    multirev = bool(np.any(revs_a != 0))
    v1, v2, st = _kernel(*args, multirev=multirev)
    sol = LambertSolution(
        np.asarray(v1).reshape((*shape, 3)), np.asarray(v2).reshape((*shape, 3)), np.asarray(st).reshape(shape)
    )
    if shape == () and int(sol.status) == LambertStatus.BAD_INPUT:
        from ..errors import InputError

        raise InputError(_bad_input_sentence(r1, r2, tof_s, mu_m3_s2, revs))
    return sol


def _positions(r1_m: npt.ArrayLike, r2_m: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Both positions as float64 (..., 3); InputError naming the first of any other shape."""
    from ..errors import InputError

    r1 = np.asarray(r1_m, dtype=np.float64)
    r2 = np.asarray(r2_m, dtype=np.float64)
    for name, v in (("r1_m", r1), ("r2_m", r2)):
        if v.ndim == 0 or v.shape[-1] != 3:
            raise InputError(f"{name} must have shape (..., 3) (x, y, z in metres); got shape {v.shape}.")
    return r1, r2


def _flat_problems(
    r1: np.ndarray,
    r2: np.ndarray,
    tof_s: npt.ArrayLike,
    mu_m3_s2: npt.ArrayLike,
    revs_a: np.ndarray,
    retrograde: npt.ArrayLike,
    long_p: np.ndarray,
) -> tuple[tuple[int, ...], tuple[np.ndarray, ...]]:
    """The broadcast shape of the problems and the kernel's flat arguments (r1, r2 (n, 3); the rest (n,))."""
    shape = np.broadcast_shapes(
        r1.shape[:-1],
        r2.shape[:-1],
        np.shape(tof_s),
        np.shape(mu_m3_s2),
        revs_a.shape,
        np.shape(retrograde),
        long_p.shape,
    )
    n = int(np.prod(shape, dtype=np.int64))
    args = (
        np.broadcast_to(r1, (*shape, 3)).reshape(n, 3),
        np.broadcast_to(r2, (*shape, 3)).reshape(n, 3),
        np.broadcast_to(np.asarray(tof_s, dtype=np.float64), shape).reshape(n),
        np.broadcast_to(np.asarray(mu_m3_s2, dtype=np.float64), shape).reshape(n),
        np.broadcast_to(revs_a.astype(np.int32), shape).reshape(n),
        np.broadcast_to(np.asarray(retrograde, dtype=bool), shape).reshape(n),
        np.broadcast_to(long_p, shape).reshape(n),
    )
    return shape, args


def _revs_array(revs: npt.ArrayLike) -> np.ndarray:
    """Revolutions as int32; values outside 0..MAX_REVS become -1, which the kernel reports as BAD_INPUT."""
    from ..errors import InputError

    revs_a = np.asarray(revs)
    if revs_a.dtype.kind not in "iub":
        try:
            whole = bool(np.all(revs_a == np.round(revs_a)))
        except TypeError:
            whole = False
        if not whole:
            raise InputError(f"revs must be whole revolutions (0, 1, 2, ...); got {revs!r}.")
    revs_f = revs_a.astype(np.float64)
    return np.where((revs_f >= 0) & (revs_f <= MAX_REVS), revs_f, -1).astype(np.int32)


def _bad_input_sentence(
    r1: np.ndarray, r2: np.ndarray, tof_s: npt.ArrayLike, mu_m3_s2: npt.ArrayLike, revs: npt.ArrayLike
) -> str:
    """One sentence naming the first bad argument of a scalar Lambert call (same rules as the kernel)."""
    for name, v in (("r1_m", r1), ("r2_m", r2)):
        if not np.all(np.isfinite(v)) or not np.any(v != 0):
            return f"{name} must be a finite, non-zero position (x, y, z in metres); got {np.asarray(v).tolist()}."
    tof = float(np.asarray(tof_s, dtype=np.float64))
    if not (math.isfinite(tof) and tof > 0):
        return f"tof_s must be a finite time of flight > 0 s; got {tof!r}. Give arrival minus departure in seconds."
    mu = float(np.asarray(mu_m3_s2, dtype=np.float64))
    if not (math.isfinite(mu) and mu > 0):
        return f"mu_m3_s2 must be a finite gravitational parameter > 0 (the Sun: 1.32712440018e20); got {mu!r}."
    return f"revs must be a whole number of revolutions from 0 to {MAX_REVS:,}; got {revs!r}."


@dataclass(frozen=True)
class LambertAllSolutions:
    """Every solution of :func:`lambert_all_revs`, pykep's order along the last axis before xyz.

    Slot 0 is the direct transfer; slot ``2N - 1`` the short-period and slot ``2N`` the long-period solution with
    ``N`` revolutions (pykep ``lambert_problem.get_v0()[2N-1]`` / ``[2N]``). ``revs`` and ``branch`` name each
    slot; ``status`` is NO_SOLUTION where the time of flight is below that revolution count's minimum.
    """

    v1_m_s: np.ndarray  # (..., 2 * max_revs + 1, 3)
    v2_m_s: np.ndarray
    status: np.ndarray  # (..., 2 * max_revs + 1)
    revs: np.ndarray  # (2 * max_revs + 1,)
    branch: tuple[str, ...]

    @property
    def ok(self) -> np.ndarray:
        return cast(np.ndarray, self.status == LambertStatus.OK)


def lambert_all_revs(
    r1_m: npt.ArrayLike,
    r2_m: npt.ArrayLike,
    tof_s: npt.ArrayLike,
    mu_m3_s2: npt.ArrayLike,
    max_revs: int = 5,
    retrograde: npt.ArrayLike = False,
) -> LambertAllSolutions:
    """All revolution counts 0..``max_revs`` and both multi-revolution branches in one batched call (pykep-style).

    Same arguments as :func:`lambert` except ``max_revs`` (0 to 100) replacing ``revs`` and ``branch``.
    """
    from ..errors import InputError

    if isinstance(max_revs, bool) or not isinstance(max_revs, (int, np.integer)) or not 0 <= max_revs <= 100:
        raise InputError(f"max_revs must be a whole number from 0 to 100; got {max_revs!r}.")
    k = 2 * int(max_revs) + 1
    revs = np.array([0] + [n for n in range(1, max_revs + 1) for _ in range(2)], dtype=np.int64)
    branch = ("short-period", *(b for _ in range(max_revs) for b in BRANCHES))
    r1 = np.asarray(r1_m, dtype=np.float64)[..., None, :]
    r2 = np.asarray(r2_m, dtype=np.float64)[..., None, :]
    sol = lambert(
        r1,
        r2,
        np.asarray(tof_s, dtype=np.float64)[..., None],
        np.asarray(mu_m3_s2, dtype=np.float64)[..., None],
        revs=revs,
        retrograde=np.asarray(retrograde)[..., None],
        branch=np.array(branch, dtype=object),
    )
    if sol.status.shape == (k,) and np.all(sol.status == LambertStatus.BAD_INPUT):
        raise InputError(_bad_input_sentence(r1, r2, tof_s, mu_m3_s2, 0))
    return LambertAllSolutions(sol.v1_m_s, sol.v2_m_s, sol.status, revs, branch)
