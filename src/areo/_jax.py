"""JAX with 64-bit floats enabled; every areo kernel imports ``jax`` and ``jnp`` from here."""

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

__all__ = ["jax", "jnp"]
