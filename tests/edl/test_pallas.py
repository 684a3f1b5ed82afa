"""The fused Pallas executor (areo.edl._pallas) against the numpy reference, run in the Pallas interpreter on
CPU; and its lowering to Triton IR for CUDA, checked from this CPU machine (JAX cross-platform lowering).

Speed is not tested here: benchmarks/bench_edl_gpu.py --executor pallas on a GPU."""

import math
from dataclasses import replace
from unittest import mock

import numpy as np
import pytest

from areo._jax import jax
from areo.edl import _pallas
from areo.edl.atmosphere import TabulatedAtmosphere, builtin_table_path
from areo.edl.montecarlo import sample_params
from areo.edl.simulate import Model, simulate_reference
from areo.errors import InputError
from tests.units import METRE

REL = 1e-9  # the executors run the same float64 operations: agreement to rounding, not to a physics tolerance
# absolute floor for quantities that are residuals near zero (touchdown_h: the altitude left at the located
# touchdown, ~1e-5 m): 1e-8 m. The portable XLA kernel differs from the reference by 1.2e-9 m there too.
FLOOR = 1e-8 * METRE


@pytest.fixture(scope="module")
def mixed_params(scenario):
    """Four dispersed runs: two nominal (they land), two as flown (IMU saturation: they crash)."""
    sig = scenario.dispersions.model_dump()
    a = sample_params(scenario.to_params(scenario.faults_for("nominal")), sig, 2016, 0, 2)
    b = sample_params(scenario.to_params(scenario.faults_for("as-flown")), sig, 2016, 2, 4)
    keys = set(a) | set(b)
    return {k: np.concatenate([a.get(k, b.get(k)), b.get(k, a.get(k))]) for k in sorted(keys)}


def _assert_matches_reference(p, out, i, model):
    ref, _ = simulate_reference({k: float(v[i]) for k, v in p.items()}, model, history=False)
    for k in _pallas.result_keys(model):
        a, b = float(out[k][i]), float(ref[k])
        assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= REL * abs(b) + FLOOR, (i, k, a, b)
    return ref["status"]


def test_pallas_interpreter_matches_numpy_reference(mixed_params, model):
    p = mixed_params
    out = _pallas.run_batch_pallas(p, model, block=2, interpret=True)  # 2 programs of 2 lanes
    statuses = [_assert_matches_reference(p, out, i, model) for i in range(4)]
    assert statuses[:2] == [1.0, 1.0] and set(statuses[2:]) <= {2.0, 3.0}  # both outcomes exercised


def test_padding_runs_do_not_leak_and_params_held_in_registers(mixed_params, model):
    """Three runs in blocks of two: the padded lane (a copy of run 0) is dropped from the results; with the
    parameters read once before the loop (param_loads="once") the results are the same."""
    p = {k: v[[0, 2, 3]] for k, v in mixed_params.items()}
    out = _pallas.run_batch_pallas(p, model, block=2, interpret=True, param_loads="once")
    assert all(v.shape == (3,) for v in out.values())
    for i in range(3):
        _assert_matches_reference(p, out, i, model)


def _lower_for_cuda(model, params, param_loads, block=128):
    keys = _pallas.param_keys(params)
    f = _pallas.make_pallas_kernel(model, keys, block, block, interpret=False, param_loads=param_loads)
    args = {k: np.zeros(block) for k in params}
    # trace as on a GPU: areo.edl._fuse.keep adds CPU-only materialisation loops when the backend is "cpu"
    with mock.patch.object(jax, "default_backend", lambda: "gpu"):
        return f.trace(args).lower(lowering_platforms=("cuda",)).as_text()


@pytest.mark.parametrize("atmosphere,param_loads", [("glenn", "step"), ("table", "once")])
def test_kernel_lowers_to_triton_with_float64_math(mixed_params, model, atmosphere, param_loads):
    pytest.importorskip("jax._src.pallas.triton.lowering")
    if atmosphere == "table":
        tab = TabulatedAtmosphere.from_csv(builtin_table_path("mars_glenn_table"))
        model = replace(model, atmosphere=tab, nav_atmosphere=tab, has_wind=False)
    text = _lower_for_cuda(model, mixed_params, param_loads)
    assert "xla.gpu.triton" in text  # one Triton custom call: the whole run loop in one kernel
    for fn in ("atan2", "asin", "exp", "expm1", "log", "sin", "cos", "sqrt"):
        assert f"__nv_{fn}" in text and f"__nv_{fn}f" not in text  # libdevice double, never single, precision


def test_ramp_table_equals_numpy_interp():
    """The gather-free stand-in for a tabulated atmosphere against the table's own numpy evaluation."""
    tab = TabulatedAtmosphere.from_csv(builtin_table_path("mars_glenn_table"))
    ramp = _pallas.pallas_model(Model(tab, tab)).atmosphere
    h = np.linspace(tab.altitude_m[0] - 5000.0, tab.altitude_m[-1] + 5000.0, 2001)
    for a, b in zip(ramp.evaluate(h, np), tab.evaluate(h, np), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)


def test_refuses_cpu_without_interpreter_and_bad_blocks(mixed_params, model):
    if jax.default_backend() != "gpu":
        with pytest.raises(InputError, match="compiles for a GPU"):
            _pallas.run_batch_pallas(mixed_params, model)
    with pytest.raises(InputError, match="power of two"):
        _pallas.run_batch_pallas(mixed_params, model, block=3, interpret=True)
    with pytest.raises(InputError, match="lack 'radar_cant'"):
        _pallas.run_batch_pallas({"entry_alt": np.ones(2)}, model, interpret=True)
    with pytest.raises(InputError, match="param_loads"):
        _pallas.run_batch_pallas(mixed_params, model, block=2, interpret=True, param_loads="never")
    with pytest.raises(InputError, match="no runs"):
        _pallas.run_batch_pallas({k: v[:0] for k, v in mixed_params.items()}, model, interpret=True)
