"""Halo orbits by differential correction (numpy/scipy reference for one orbit), their stability indices and
invariant manifolds. The batched family kernel in JAX is :mod:`.family`.

A halo is symmetric about the xz-plane: it starts on it (y = 0) with vx = vz = 0 and comes back to it half a
period later with y = vx = vz = 0. With z0 fixed, the unknowns are (x0, vy0, T/2) and the three conditions at
T/2 are solved by Newton with the state-transition matrix (Howell 1984, "Three-dimensional, periodic, 'halo'
orbits", Celestial Mechanics 32, 53-71: the same symmetry conditions; here the half period is an unknown instead
of a crossing event, so that a batch of orbits integrates on one time grid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dynamics import accel, jacobi, propagate
from .richardson import coefficients, halo_state

# per-orbit status codes (batched kernels return one per member)
OK = 0
NOT_CONVERGED = 1
DIVERGED = 2  # non-finite or left the neighbourhood of the libration point
NO_GUESS = 3  # the third-order guess does not exist (below the bifurcation amplitude)
STATUS_TEXT = {
    OK: "converged",
    NOT_CONVERGED: "not converged",
    DIVERGED: "diverged",
    NO_GUESS: "no third-order guess",
}

TOL = 1e-11  # on y, vx, vz at the half period (normalised: ~1.5 m and 3e-10 m/s in the Sun-Earth system)


@dataclass(frozen=True)
class Halo:
    """A corrected halo orbit: the initial state on the xz-plane (normalised), its period and status."""

    mu: float
    point: int
    state0: np.ndarray
    period: float
    status: int
    iterations: int
    residual: float

    @property
    def jacobi(self) -> float:
        return float(jacobi(self.state0, self.mu))


def _residual(s_half: np.ndarray) -> np.ndarray:
    return np.array([s_half[1], s_half[3], s_half[5]])


def correct(mu: float, point: int, s0: np.ndarray, half_period: float, *, max_iter: int = 25, tol: float = TOL) -> Halo:
    """Correct ``s0`` (x0, 0, z0, 0, vy0, 0) to a periodic halo keeping z0 fixed (numpy/scipy reference)."""
    x = np.array([s0[0], s0[4], half_period], dtype=float)
    z0 = float(s0[2])
    res = np.inf
    for it in range(1, max_iter + 1):
        st = np.array([x[0], 0.0, z0, 0.0, x[1], 0.0])
        if not (np.all(np.isfinite(x)) and x[2] > 0):
            return Halo(mu, point, st, float("nan"), DIVERGED, it, float("nan"))
        s1, phi = propagate(st, x[2], mu, stm=True)
        f = _residual(s1)
        res = float(np.max(np.abs(f)))
        if res < tol:
            return Halo(mu, point, st, 2 * x[2], OK, it, res)
        d = accel(s1, mu)
        jac = np.column_stack([phi[[1, 3, 5]][:, [0, 4]], d[[1, 3, 5]]])
        try:
            x = x - np.linalg.solve(jac, f)
        except np.linalg.LinAlgError:
            return Halo(mu, point, st, float("nan"), DIVERGED, it, res)
    st = np.array([x[0], 0.0, z0, 0.0, x[1], 0.0])
    return Halo(mu, point, st, 2 * x[2], NOT_CONVERGED, max_iter, res)


def guess(mu: float, point: int, az: float, northern: bool = True) -> tuple[np.ndarray, float]:
    """Third-order initial state and half period for out-of-plane amplitude ``az`` (normalised)."""
    rc = coefficients(mu, point)
    s, period = halo_state(rc, az, 0.0, northern)
    return s, 0.5 * period


def halo_from_az(mu: float, point: int, az: float, northern: bool = True) -> Halo:
    """The halo of Richardson amplitude ``az`` (normalised), corrected with z0 of the third-order guess fixed."""
    s, th = guess(mu, point, az, northern)
    if not np.all(np.isfinite(s)):
        return Halo(mu, point, s, float("nan"), NO_GUESS, 0, float("nan"))
    return correct(mu, point, s, th)


def monodromy(h: Halo) -> np.ndarray:
    _, phi = propagate(h.state0, h.period, h.mu, stm=True)
    return phi


def stability_indices(h: Halo) -> tuple[float, float]:
    """The two non-trivial stability indices nu = (lambda + 1/lambda) / 2 of the monodromy matrix's reciprocal
    eigenvalue pairs (Howell 1984): |nu| > 1 unstable; the trivial pair (lambda = 1) is left out."""
    ev = np.linalg.eigvals(monodromy(h))
    nus = np.real(0.5 * (ev + 1.0 / ev))
    order = np.argsort(np.abs(ev - 1.0))  # the two closest to 1 are the trivial pair
    rest = sorted(nus[order[2:]], key=lambda v: -abs(v))
    return float(rest[0]), float(rest[2] if len(rest) > 2 else rest[1])


def orbit_points(h: Halo, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Times (n,) over one period and states (n, 6) on the orbit."""
    sol = propagate(h.state0, h.period, h.mu, dense=True)
    t = np.linspace(0.0, h.period, n)
    return t, sol.sol(t).T


def manifolds(
    h: Halo, n: int = 20, *, stable: bool = True, duration: float = 3.0, step: float = 1e-6
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Invariant-manifold trajectories: ``n`` points along the orbit, displaced by ``step`` (normalised) along the
    stable (or unstable) eigenvector of the monodromy matrix on the side of the smaller primary, propagated
    backward (stable) or forward (unstable) for ``duration``. Returns a list of (times, states) arrays."""
    phi = monodromy(h)
    ev, vec = np.linalg.eig(phi)
    i = int(np.argmin(np.abs(ev))) if stable else int(np.argmax(np.abs(ev)))
    v0 = np.real(vec[:, i])
    out = []
    for t in np.linspace(0.0, h.period, n, endpoint=False):
        s, ph = propagate(h.state0, t, h.mu, stm=True) if t > 0 else (h.state0, np.eye(6))
        v = ph @ v0
        v = v / np.linalg.norm(v[:3])
        side = -1.0 if h.point == 2 else 1.0  # towards the smaller primary
        if np.sign(v[0]) != side:
            v = -v
        sol = propagate(s + step * v, -duration if stable else duration, h.mu, dense=True)
        tt = np.linspace(0.0, -duration if stable else duration, 400)
        out.append((tt, sol.sol(tt).T))
    return out
