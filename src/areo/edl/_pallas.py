"""EDL Monte Carlo as one fused JAX Pallas kernel (Triton on an NVIDIA GPU): an alternative executor, opt-in.

Why: on a GPU, XLA's ``while_loop`` over :func:`areo.edl.simulate.step` reads and writes every lane's state
(~100 float64 arrays) through device memory at each step; a kernel that keeps a block of lanes' state in
registers for the whole run was ~10x faster in a toy model (``/work/shared/design/gpu.md``). Here one Pallas
program takes ``block`` lanes, loads their parameters, and runs the SAME ``step(S, p, model, xp=jnp)`` in a
``lax.while_loop`` until every lane of the block has finished (or ``max_steps``), then stores the results.
Finished lanes stay frozen inside ``step`` (its ``active`` mask), exactly as in the portable kernel without
refill, so the results are those of the numpy reference. No lane refill: a block waits for its slowest run.

Selection: only explicitly (``run_batch_pallas``, ``benchmarks/bench_edl_gpu.py --executor pallas``). Without
``interpret`` it needs a GPU backend and refuses any other; ``interpret=True`` runs the same kernel in the
Pallas interpreter (any backend, slow), which is how the tests check it against the numpy reference on CPU.

Triton lowering: the whole kernel lowers to Triton IR for CUDA from a CPU machine (JAX cross-platform
lowering; ``tests/edl/test_pallas.py``); what only a GPU can tell is Triton's own compilation (PTX, register
pressure: ~80 float64 state values per lane, plus 76 parameters unless read at every step; compile time) and
the speed. Fallbacks built in here: parameters
are precomputed outside the kernel (``prepare``: cos/sin of parameters), the loop's stop test is a
``reduce_min`` over the block's status codes (Pallas-Triton has no ``reduce_or``), the state is a dict of
``(block,)`` float64 vectors (no slicing, which Pallas-Triton cannot lower; ``areo.edl._fuse.keep`` slices
only on a CPU backend), and a tabulated atmosphere
(``jnp.interp``: a gather, which Triton cannot do from an in-register table) is replaced by the same table
evaluated as a sum of clipped ramps (``areo.edl.aero.piecewise_linear``: no gather, equal to ``numpy.interp``
to rounding). The noise hash (uint32 multiply, xor, logical shifts), arctan2, arcsin, exp, expm1, log, sin,
cos and sqrt in float64 all have Triton lowerings (libdevice ``__nv_*`` double functions).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..errors import InputError
from . import atmosphere as atm_mod
from .aero import piecewise_linear
from .montecarlo import _model_key
from .simulate import (
    DEFAULTS,
    EVENT_FIELDS,
    RESULT_FIELDS,
    Model,
    _strip,
    finish,
    prepare,
    start_state,
    step,
    with_lift_if_needed,
)

BLOCK = 128  # lanes per Pallas program (a power of two, as Triton's block shapes must be)
NUM_WARPS = 4  # Triton warps per program: 128 lanes = one lane per thread
PARAM_LOADS = ("step", "once")


def result_keys(model: Model) -> tuple[str, ...]:
    """The kernel's outputs in order: the run results, then each event of the model's phase table."""
    return tuple(RESULT_FIELDS) + tuple(f"{e}_{f}" for e in model.events for f in EVENT_FIELDS)


@dataclass(frozen=True, eq=False)
class _RampTable:
    """A tabulated atmosphere evaluated without gathers: the same linear (temperature, winds) and log-linear
    (pressure, density) interpolation, clamped at the ends, written as sums of clipped ramps."""

    alt: tuple[float, ...]
    temp: tuple[float, ...]
    log_p: tuple[float, ...]
    log_rho: tuple[float, ...]
    east: tuple[float, ...]
    north: tuple[float, ...]

    def evaluate(self, altitude_m, xp=np):
        t = piecewise_linear(altitude_m, self.alt, self.temp, xp)
        p = xp.exp(piecewise_linear(altitude_m, self.alt, self.log_p, xp))
        return t, p, xp.exp(piecewise_linear(altitude_m, self.alt, self.log_rho, xp))

    def wind(self, altitude_m, xp=np):
        if not self.east:
            return 0.0 * altitude_m, 0.0 * altitude_m
        return (
            piecewise_linear(altitude_m, self.alt, self.east, xp),
            piecewise_linear(altitude_m, self.alt, self.north, xp),
        )


def _gather_free(atmosphere):
    """``atmosphere`` itself, or for a tabulated one its gather-free equivalent (:class:`_RampTable`)."""
    if not isinstance(atmosphere, atm_mod.TabulatedAtmosphere):
        return atmosphere

    def col(name: str) -> tuple[float, ...]:
        return tuple(float(v) for v in np.asarray(getattr(atmosphere, name, np.zeros(0)), dtype=float))

    return _RampTable(
        col("altitude_m"),
        col("temperature_k"),
        col("log_pressure"),
        col("log_density"),
        col("wind_east_m_s"),
        col("wind_north_m_s"),
    )


def pallas_model(model: Model) -> Model:
    """``model`` with its atmospheres in a form the Triton lowering accepts (see :func:`_gather_free`); every
    other part of the model (phase table, capsule aerodynamics, bank law, wind profile) is kept."""
    return replace(model, atmosphere=_gather_free(model.atmosphere), nav_atmosphere=_gather_free(model.nav_atmosphere))


def kernel_body(model: Model, pkeys: tuple[str, ...], max_steps: int, param_loads: str = "step"):
    """The Pallas kernel: refs of the prepared parameters (``pkeys`` order), then refs of ``result_keys(model)``.

    ``param_loads``: "step" reads the parameters from memory at every step (cache hits; ~76 float64 values per
    lane fewer to hold in registers across the loop, next to the ~80 of the state), "once" reads them before
    the loop and keeps them live. Same results; which is faster is for the GPU benchmark to say."""
    from .._jax import jax, jnp

    if param_loads not in PARAM_LOADS:
        raise InputError(f"param_loads {param_loads!r}: use one of {', '.join(PARAM_LOADS)}.")

    keys = result_keys(model)

    def kernel(*refs):
        ins, outs = refs[: len(pkeys)], refs[len(pkeys) :]

        def load():
            return {k: r[...] for k, r in zip(pkeys, ins, strict=True)}

        p0 = load()
        S = _strip(step(start_state(p0, model, jnp), p0, model, jnp))  # one step outside the loop fixes the carry

        def cond(c):
            i, S = c
            return (i < max_steps) & (jnp.min(S["status"]) == 0.0)  # status >= 0; 0 = running

        def body(c):
            i, S = c
            return i + 1, _strip(step(S, load() if param_loads == "step" else p0, model, jnp))

        _, S = jax.lax.while_loop(cond, body, (jnp.int32(1), S))
        res = finish(S, model.events, jnp)
        for k, r in zip(keys, outs, strict=True):
            r[...] = jnp.asarray(res[k], dtype=jnp.float64)

    return kernel


def param_keys(params: dict) -> tuple[str, ...]:
    """Names of the prepared parameters the kernel reads (``prepare`` of the defaults and ``params``), sorted."""
    one = {k: np.zeros(1) + v for k, v in {**DEFAULTS, **{k: 0.0 for k in params}}.items()}
    try:
        return tuple(sorted(prepare(one, np)))
    except KeyError as exc:
        raise InputError(
            f"EDL run parameters lack {exc.args[0]!r}; build them with the scenario (EDLScenario.to_params, "
            "areo.edl.montecarlo.sample_params)."
        ) from None


def make_pallas_kernel(
    model: Model,
    pkeys: tuple[str, ...],
    n_pad: int,
    block: int = BLOCK,
    max_steps: int = 20_000,
    interpret: bool = False,
    num_warps: int = NUM_WARPS,
    param_loads: str = "step",
):
    """A jitted ``params (dict of (n_pad,) arrays, keys = the raw names) -> tuple of result_keys(model) arrays``."""
    from jax.experimental import pallas as pl

    from .._jax import jax, jnp

    kernel = kernel_body(pallas_model(model), pkeys, max_steps, param_loads)
    spec = pl.BlockSpec((block,), lambda i: (i,))
    params: Any = None
    if not interpret:
        from jax.experimental.pallas import triton as pl_triton

        params = pl_triton.CompilerParams(num_warps=num_warps, num_stages=1)
    call = pl.pallas_call(
        kernel,
        out_shape=[jax.ShapeDtypeStruct((n_pad,), jnp.float64) for _ in result_keys(model)],
        grid=(n_pad // block,),
        in_specs=[spec for _ in pkeys],
        out_specs=[spec for _ in result_keys(model)],
        interpret=interpret,
        compiler_params=params,
        name="areo_edl_step",
    )

    def run(p):
        p = {**{k: jnp.zeros((n_pad,)) + v for k, v in DEFAULTS.items()}, **p}
        p = prepare(p, jnp)
        return tuple(call(*[jnp.asarray(p[k], dtype=jnp.float64) for k in pkeys]))

    return jax.jit(run)


def _check_executor(interpret: bool, block: int) -> None:
    from .._jax import jax

    if block < 1 or block & (block - 1):
        raise InputError(f"Pallas block of {block} lanes: it must be a power of two (e.g. 64, 128, 256).")
    if not interpret and jax.default_backend() != "gpu":
        raise InputError(
            f"the Pallas executor compiles for a GPU (Triton) and JAX's backend here is {jax.default_backend()!r}; "
            "use the default executor (areo.edl.montecarlo.run_batch), or interpret=True to run the Pallas "
            "kernel in its (slow) interpreter."
        )


_KERNELS: dict[tuple, Any] = {}


def run_batch_pallas(
    params: dict[str, np.ndarray],
    model: Model,
    block: int = BLOCK,
    interpret: bool = False,
    max_steps: int = 20_000,
    num_warps: int = NUM_WARPS,
    param_loads: str = "step",
) -> dict[str, np.ndarray]:
    """As :func:`areo.edl.montecarlo.run_batch`, through the fused Pallas kernel: runs padded to a multiple of
    ``block`` (with copies of run 0, dropped from the results). Returns numpy arrays (SI, angles in rad)."""
    _check_executor(interpret, block)
    cols = {k: np.asarray(v, dtype=np.float64).reshape(-1) for k, v in params.items()}
    n = len(next(iter(cols.values())))
    if n == 0:
        raise InputError("no runs to simulate: give parameter arrays of at least one run.")
    model = with_lift_if_needed(model, cols.get("lift_to_drag", 0.0))
    n_pad = -(-n // block) * block
    idx = np.where(np.arange(n_pad) < n, np.arange(n_pad), 0)
    pkeys = param_keys(cols)
    key = (_model_key(model), pkeys, n_pad, block, max_steps, interpret, num_warps, param_loads)
    kern = _KERNELS.get(key)
    if kern is None:
        kern = _KERNELS[key] = make_pallas_kernel(
            model, pkeys, n_pad, block, max_steps, interpret, num_warps, param_loads
        )
    out = kern({k: v[idx] for k, v in cols.items()})
    return {k: np.asarray(v)[:n] for k, v in zip(result_keys(model), out, strict=True)}


__all__ = ["BLOCK", "make_pallas_kernel", "pallas_model", "param_keys", "result_keys", "run_batch_pallas"]
