"""Materialisation points for the batched JAX kernel.

XLA's CPU fusion duplicates an elementwise producer into every consumer fusion, so a ``cos`` whose result
feeds many expressions is recomputed in each of them (the EDL step had ~45 copies of some).
``optimization_barrier`` does not stop this (the CPU pipeline expands it before fusion), but values that
leave a ``while_loop`` are materialised: ``keep`` passes them through a loop that runs once (its trip count is
not known at compile time, so XLA cannot remove it). Values are unchanged; with numpy, and on accelerators (where
a loop costs a host round trip), it is the identity.
"""

from __future__ import annotations

import numpy as np


def keep(xp, *xs):
    if xp is np:
        return xs if len(xs) > 1 else xs[0]
    from .._jax import jax, jnp

    if jax.default_backend() != "cpu" or jnp.size(xs[0]) == 0:
        return xs if len(xs) > 1 else xs[0]
    n = (xs[0].reshape(-1)[0] == xs[0].reshape(-1)[0]).astype(jnp.int32) | 1  # 1, unknown to the compiler

    def body(c):
        i, ys = c
        return i + 1, tuple(jnp.where(i >= 0, y, -y) for y in ys)  # the identity, not provably so

    out = jax.lax.while_loop(lambda c: c[0] < n, body, (jnp.int32(0), xs))[1]
    return out if len(xs) > 1 else out[0]
