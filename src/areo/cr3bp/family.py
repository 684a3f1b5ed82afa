"""Batched halo-family correction in JAX (float64): every member's Newton iteration runs at once.

Same formulation as :func:`areo.cr3bp.halo.correct` (unknowns x0, vy0, T/2 with z0 fixed; conditions y = vx = vz
= 0 at T/2), with the state and its state-transition matrix integrated by a fixed-step classical Runge-Kutta
scheme of ``steps`` steps over each member's own half period. Each member gets a status code
(:data:`areo.cr3bp.halo.OK` ...): a member that fails never turns into a silent NaN.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .halo import DIVERGED, NOT_CONVERGED, OK, TOL


@lru_cache(maxsize=8)
def _kernel(steps: int, max_iter: int):
    from .._jax import jax, jnp

    def rhs(w, mu):
        x, y, z, vx, vy, vz = w[0], w[1], w[2], w[3], w[4], w[5]
        d1 = jnp.stack([x + mu, y, z])
        d2 = jnp.stack([x - 1 + mu, y, z])
        r1 = jnp.sqrt(jnp.sum(d1 * d1))
        r2 = jnp.sqrt(jnp.sum(d2 * d2))
        a1, a2 = (1 - mu) / r1**3, mu / r2**3
        acc = jnp.stack([2 * vy + x - a1 * d1[0] - a2 * d2[0], -2 * vx + y - a1 * y - a2 * y, -a1 * z - a2 * z])
        h = (1 - mu) * (3 * jnp.outer(d1, d1) / r1**5 - jnp.eye(3) / r1**3)
        h = h + mu * (3 * jnp.outer(d2, d2) / r2**5 - jnp.eye(3) / r2**3) + jnp.diag(jnp.array([1.0, 1.0, 0.0]))
        om = jnp.array([[0.0, 2.0, 0.0], [-2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        a = jnp.block([[jnp.zeros((3, 3)), jnp.eye(3)], [h, om]])
        phi = w[6:].reshape(6, 6)
        return jnp.concatenate([jnp.stack([vx, vy, vz]), acc, (a @ phi).ravel()])

    def flow(s0, t, mu):
        h = t / steps
        w0 = jnp.concatenate([s0, jnp.eye(6).ravel()])

        def body(_, w):
            k1 = rhs(w, mu)
            k2 = rhs(w + 0.5 * h * k1, mu)
            k3 = rhs(w + 0.5 * h * k2, mu)
            k4 = rhs(w + h * k3, mu)
            return w + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

        return jax.lax.fori_loop(0, steps, body, w0)

    def one(x0, z0, vy0, th, mu, tol):
        def step(carry):
            u, it, res, done = carry
            s0 = jnp.array([u[0], 0.0, z0, 0.0, u[1], 0.0])
            w = flow(s0, u[2], mu)
            f = jnp.stack([w[1], w[3], w[5]])
            res = jnp.max(jnp.abs(f))
            done = res < tol
            phi = w[6:].reshape(6, 6)
            d = rhs(w, mu)[:6]
            jac = jnp.column_stack([phi[jnp.array([1, 3, 5])][:, jnp.array([0, 4])], d[jnp.array([1, 3, 5])]])
            du = jnp.linalg.solve(jac, f)
            u = jnp.where(done, u, u - du)
            return u, it + 1, res, done

        def cond(carry):
            u, it, _res, done = carry
            return (~done) & (it < max_iter) & jnp.all(jnp.isfinite(u))

        u0 = jnp.array([x0, vy0, th])
        u, it, res, done = jax.lax.while_loop(cond, step, (u0, 0, jnp.inf, False))
        return u, it, res, done

    return jax.jit(jax.vmap(one, in_axes=(0, 0, 0, 0, None, None)))


def correct_batch(mu: float, x0, z0, vy0, half_period, *, steps: int = 600, max_iter: int = 15, tol: float = TOL):
    """Correct a batch of xz-plane guesses; returns (x0, vy0, period, status, iterations, residual) arrays."""
    from .._jax import jnp

    args = [jnp.asarray(np.asarray(a, dtype=float)) for a in (x0, z0, vy0, half_period)]
    u, it, res, done = _kernel(int(steps), int(max_iter))(*args, float(mu), float(tol))
    u, it, res, done = (np.asarray(a) for a in (u, it, res, done))
    finite = np.all(np.isfinite(u), axis=1) & np.isfinite(res) & (u[:, 2] > 0)
    status = np.where(done & finite, OK, np.where(finite, NOT_CONVERGED, DIVERGED)).astype(np.int8)
    return u[:, 0], u[:, 1], 2 * u[:, 2], status, it, res
