"""Lissajous orbits about L1/L2: the linear solution (in-plane frequency lambda, out-of-plane frequency nu =
sqrt(c2), Richardson 1980's notation) as patch points, made one continuous CR3BP trajectory by multiple shooting
(minimum-norm Newton on all node states, epochs fixed). The result is ballistic and bounded over its span; a
quasi-periodic torus is not computed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .dynamics import jacobi, propagate
from .richardson import coefficients


@dataclass(frozen=True)
class Lissajous:
    times: np.ndarray  # node epochs (normalised)
    states: np.ndarray  # node states (n, 6)
    converged: bool
    iterations: int
    defect: float  # largest discontinuity left (normalised)


def linear_guess(
    mu: float, point: int, ay: float, az: float, t: npt.ArrayLike, phase_xy: float = 0.0, phase_z: float = 0.0
) -> np.ndarray:
    """Linear-theory states (len(t), 6) with in-plane amplitude ``ay`` (along y) and out-of-plane ``az``."""
    rc = coefficients(mu, point)
    lam, k = rc.lam, rc.k
    nu = float(np.sqrt(rc.c2))
    ax = ay / k
    t = np.asarray(t, dtype=float)
    a, b = lam * t + phase_xy, nu * t + phase_z
    xl = (1 - mu - rc.gamma) if point == 1 else (1 - mu + rc.gamma)
    return np.column_stack(
        [
            xl - ax * np.cos(a),
            k * ax * np.sin(a),
            az * np.sin(b),
            ax * lam * np.sin(a),
            k * ax * lam * np.cos(a),
            az * nu * np.cos(b),
        ]
    )


def correct(
    mu: float, times: npt.ArrayLike, states: npt.ArrayLike, *, max_iter: int = 15, tol: float = 1e-11
) -> Lissajous:
    t = np.asarray(times, dtype=float)
    x = np.array(states, dtype=float)
    n = len(t)
    defect = np.inf
    for it in range(1, max_iter + 1):
        f = np.zeros(6 * (n - 1))
        jac = np.zeros((6 * (n - 1), 6 * n))
        for k in range(n - 1):
            s1, phi = propagate(x[k], t[k + 1] - t[k], mu, stm=True)
            f[6 * k : 6 * k + 6] = s1 - x[k + 1]
            jac[6 * k : 6 * k + 6, 6 * k : 6 * k + 6] = phi
            jac[6 * k : 6 * k + 6, 6 * k + 6 : 6 * k + 12] = -np.eye(6)
        defect = float(np.max(np.abs(f)))
        if defect < tol:
            return Lissajous(t, x, True, it, defect)
        x = x - (jac.T @ np.linalg.solve(jac @ jac.T, f)).reshape(n, 6)
        if not np.all(np.isfinite(x)):
            break
    return Lissajous(t, x, False, max_iter, defect)


def lissajous(mu: float, point: int, ay: float, az: float, revolutions: int = 4, nodes_per_rev: int = 8) -> Lissajous:
    rc = coefficients(mu, point)
    period = 2 * np.pi / rc.lam
    t = np.linspace(0.0, revolutions * period, revolutions * nodes_per_rev + 1)
    return correct(mu, t, linear_guess(mu, point, ay, az, t))


def jacobi_spread(mu: float, orbit: Lissajous) -> float:
    c = jacobi(orbit.states, mu)
    return float(np.ptp(c))
