"""CR3BP kernels in normalised units (numpy): equations of motion, variational equations, Jacobi constant,
Lagrange points, and the :class:`System` record that converts to SI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast, overload

import numpy as np
import numpy.typing as npt
from scipy.integrate import solve_ivp

from ..constants import GM_EARTH, GM_MOON, GM_SUN


@dataclass(frozen=True)
class System:
    """A CR3BP: mass ratio ``mu``, length unit ``length_m`` (primaries' distance), time unit ``time_s`` (1/n)."""

    name: str
    mu: float
    length_m: float
    time_s: float

    @property
    def velocity_m_s(self) -> float:
        return self.length_m / self.time_s

    @classmethod
    def from_gm(cls, name: str, gm1: float, gm2: float, length_m: float) -> System:
        return cls(name, gm2 / (gm1 + gm2), length_m, float(np.sqrt(length_m**3 / (gm1 + gm2))))


AU_M = 149_597_870_700.0
# Sun - (Earth + Moon): GMs of DE421 (areo.constants), distance 1 au.
SUN_EARTH = System.from_gm("sun-earth", float(GM_SUN), float(GM_EARTH) + float(GM_MOON), AU_M)
# Earth - Moon: GMs of DE421, mean distance 384 400 km.
EARTH_MOON = System.from_gm("earth-moon", float(GM_EARTH), float(GM_MOON), 384_400e3)
SYSTEMS = {s.name: s for s in (SUN_EARTH, EARTH_MOON)}

OdeSolution = Any  # scipy.integrate.solve_ivp's result (scipy ships no type information)


def _r12(x: np.ndarray, y: np.ndarray, z: np.ndarray, mu: float) -> tuple[np.ndarray, np.ndarray]:
    r1 = np.sqrt((x + mu) ** 2 + y**2 + z**2)
    r2 = np.sqrt((x - 1 + mu) ** 2 + y**2 + z**2)
    return r1, r2


def accel(s: npt.ArrayLike, mu: float) -> np.ndarray:
    """Time derivative of the state(s) ``s`` (..., 6) in the rotating frame."""
    x, y, z, vx, vy, vz = np.moveaxis(np.asarray(s, dtype=float), -1, 0)
    r1, r2 = _r12(x, y, z, mu)
    a1, a2 = (1 - mu) / r1**3, mu / r2**3
    ax = 2 * vy + x - a1 * (x + mu) - a2 * (x - 1 + mu)
    ay = -2 * vx + y - a1 * y - a2 * y
    az = -a1 * z - a2 * z
    return np.stack([vx, vy, vz, ax, ay, az], axis=-1)


def hessian_u(r: np.ndarray, mu: float) -> np.ndarray:
    """Second derivatives (3, 3) of the pseudo-potential at position ``r`` (3,)."""
    x, y, z = r
    r1, r2 = _r12(x, y, z, mu)
    d1 = np.array([x + mu, y, z])
    d2 = np.array([x - 1 + mu, y, z])
    h = (1 - mu) * (3 * np.outer(d1, d1) / r1**5 - np.eye(3) / r1**3)
    h += mu * (3 * np.outer(d2, d2) / r2**5 - np.eye(3) / r2**3)
    h[0, 0] += 1.0
    h[1, 1] += 1.0
    return cast(np.ndarray, h)


_OMEGA = np.array([[0.0, 2.0, 0.0], [-2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


def jacobian(s: np.ndarray, mu: float) -> np.ndarray:
    """The 6x6 matrix A(t) of the variational equations at state ``s``."""
    a = np.zeros((6, 6))
    a[:3, 3:] = np.eye(3)
    a[3:, :3] = hessian_u(s[:3], mu)
    a[3:, 3:] = _OMEGA
    return a


def _rhs_stm(_t: float, w: np.ndarray, mu: float) -> np.ndarray:
    s = w[:6]
    phi = w[6:].reshape(6, 6)
    return np.concatenate([accel(s, mu), (jacobian(s, mu) @ phi).ravel()])


@overload
def propagate(
    s0: npt.ArrayLike,
    t: float,
    mu: float,
    *,
    stm: bool = ...,
    rtol: float = ...,
    atol: float = ...,
    dense: Literal[True],
) -> OdeSolution: ...
@overload
def propagate(
    s0: npt.ArrayLike,
    t: float,
    mu: float,
    *,
    stm: Literal[True],
    rtol: float = ...,
    atol: float = ...,
    dense: Literal[False] = ...,
) -> tuple[np.ndarray, np.ndarray]: ...
@overload
def propagate(
    s0: npt.ArrayLike,
    t: float,
    mu: float,
    *,
    stm: Literal[False] = ...,
    rtol: float = ...,
    atol: float = ...,
    dense: Literal[False] = ...,
) -> tuple[np.ndarray, None]: ...
def propagate(
    s0: npt.ArrayLike,
    t: float,
    mu: float,
    *,
    stm: bool = False,
    rtol: float = 1e-12,
    atol: float = 1e-12,
    dense: bool = False,
) -> OdeSolution | tuple[np.ndarray, np.ndarray | None]:
    """Propagate ``s0`` (6,) from 0 to ``t`` (negative for backward) with DOP853.

    Returns ``(s_end, phi_end)`` (``phi_end`` None unless ``stm``), or the scipy solution when ``dense``.
    """
    s0 = np.asarray(s0, dtype=float)
    if stm:
        w0 = np.concatenate([s0, np.eye(6).ravel()])
        sol = solve_ivp(_rhs_stm, (0.0, t), w0, method="DOP853", rtol=rtol, atol=atol, args=(mu,), dense_output=dense)
    else:
        sol = solve_ivp(
            lambda _t, s: accel(s, mu), (0.0, t), s0, method="DOP853", rtol=rtol, atol=atol, dense_output=dense
        )
    if dense:
        return sol
    w = sol.y[:, -1]
    return w[:6], (w[6:].reshape(6, 6) if stm else None)


def jacobi(s: npt.ArrayLike, mu: float) -> np.ndarray:
    """Jacobi constant C = 2U - v^2 of state(s) ``s`` (..., 6)."""
    s = np.asarray(s, dtype=float)
    x, y, z = s[..., 0], s[..., 1], s[..., 2]
    r1, r2 = _r12(x, y, z, mu)
    u = 0.5 * (x**2 + y**2) + (1 - mu) / r1 + mu / r2
    return cast(np.ndarray, 2 * u - np.sum(s[..., 3:] ** 2, axis=-1))


def _collinear(mu: float, point: int) -> float:
    """x of the collinear point L1, L2 or L3 by Newton on the quintic (to machine precision)."""
    # gamma: distance to the nearer primary (L1, L2: the smaller one; L3: the larger one)
    if point == 3:
        g = 1.0 - 7.0 * mu / 12.0
        coeffs = [1.0, 2.0 + mu, 1.0 + 2.0 * mu, -(1.0 - mu), -2.0 * (1.0 - mu), -(1.0 - mu)]
    else:
        g = (mu / 3.0) ** (1.0 / 3.0)
        sgn = -1.0 if point == 1 else 1.0
        coeffs = [1.0, sgn * (3.0 - mu), 3.0 - 2.0 * mu, -mu, -sgn * 2.0 * mu, -mu]
    p = np.poly1d(coeffs)
    dp = p.deriv()
    for _ in range(60):
        step = p(g) / dp(g)
        g -= step
        if abs(step) < 1e-16:
            break
    return {1: 1.0 - mu - g, 2: 1.0 - mu + g, 3: -mu - g}[point]


def gamma(mu: float, point: int) -> float:
    """Distance (normalised) of collinear point L1/L2 from the smaller primary."""
    return abs(_collinear(mu, point) - (1.0 - mu))


def lagrange_points(mu: float) -> np.ndarray:
    """Positions (5, 3) of L1..L5 in the rotating frame (normalised units)."""
    out = np.zeros((5, 3))
    for i in (1, 2, 3):
        out[i - 1, 0] = _collinear(mu, i)
    out[3] = [0.5 - mu, np.sqrt(3.0) / 2.0, 0.0]
    out[4] = [0.5 - mu, -np.sqrt(3.0) / 2.0, 0.0]
    return out
