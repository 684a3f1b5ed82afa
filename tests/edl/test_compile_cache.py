"""JAX persistent compilation cache (issue 10, section 4): on by default in the user's cache folder, harmless
when the folder cannot be written, off on request. Times are measured in benchmarks/, never here."""

import numpy as np

from areo import _jax
from areo._jax import enable_compilation_cache, jax, jnp
from areo.edl import montecarlo as mc
from areo.edl.simulate import with_lift_if_needed


def test_unwritable_cache_folder_is_skipped_without_error(tmp_path):
    before = jax.config.jax_compilation_cache_dir
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert enable_compilation_cache(blocker / "jax") is None
    assert jax.config.jax_compilation_cache_dir == before


def test_cache_can_be_switched_off(monkeypatch):
    before = jax.config.jax_compilation_cache_dir
    monkeypatch.setenv("AREO_JAX_CACHE", "off")
    assert enable_compilation_cache() is None
    assert jax.config.jax_compilation_cache_dir == before


# The lowered programs kept beside the compilation cache (areo._jax.compile_cached): a later process neither traces
# nor lowers again, a different key or source never reuses them, and an unwritable folder changes nothing.


def _counting(constant):
    traces = []

    def f(x, n):
        traces.append(1)  # runs only while tracing
        return {"y": x * constant + n}

    return jax.jit(f), traces


def _args():
    return np.arange(4.0), np.int32(3)


def test_a_later_process_reads_the_lowered_program_back_instead_of_tracing(tmp_path, monkeypatch):
    monkeypatch.setattr(_jax, "_exported_folder", lambda: tmp_path)
    fn, traces = _counting(2.0)
    first = _jax.compile_cached(fn, _args(), b"test: constant 2")
    assert len(traces) == 1 and len(list(tmp_path.glob("*.jax-exported"))) == 1
    fresh, fresh_traces = _counting(2.0)  # what a new process would build
    again = _jax.compile_cached(fresh, _args(), b"test: constant 2")
    assert fresh_traces == []  # not traced: read back from the folder
    np.testing.assert_array_equal(again(*_args())["y"], [3.0, 5.0, 7.0, 9.0])
    np.testing.assert_array_equal(first(*_args())["y"], [3.0, 5.0, 7.0, 9.0])


def test_another_key_or_another_source_is_traced_anew(tmp_path, monkeypatch):
    monkeypatch.setattr(_jax, "_exported_folder", lambda: tmp_path)
    _jax.compile_cached(_counting(2.0)[0], _args(), b"test: constant 2")
    fn, traces = _counting(5.0)
    out = _jax.compile_cached(fn, _args(), b"test: constant 5")
    assert len(traces) == 1
    np.testing.assert_array_equal(out(*_args())["y"], [3.0, 8.0, 13.0, 18.0])
    monkeypatch.setattr(_jax, "_source_digest", lambda: b"areo changed")
    fn, traces = _counting(2.0)
    _jax.compile_cached(fn, _args(), b"test: constant 2")
    assert len(traces) == 1
    assert len(list(tmp_path.glob("*.jax-exported"))) == 3


def test_an_unwritable_or_corrupt_export_folder_is_harmless(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(_jax, "_exported_folder", lambda: blocker / "exported")
    out = _jax.compile_cached(_counting(2.0)[0], _args(), b"test: constant 2")
    np.testing.assert_array_equal(out(*_args())["y"], [3.0, 5.0, 7.0, 9.0])
    monkeypatch.setattr(_jax, "_exported_folder", lambda: tmp_path)
    _jax.compile_cached(_counting(2.0)[0], _args(), b"test: constant 2")
    (saved,) = tmp_path.glob("*.jax-exported")
    saved.write_bytes(b"garbage")
    fn, traces = _counting(2.0)
    out = _jax.compile_cached(fn, _args(), b"test: constant 2")
    assert len(traces) == 1  # traced again, and the file rewritten
    np.testing.assert_array_equal(out(*_args())["y"], [3.0, 5.0, 7.0, 9.0])
    assert saved.read_bytes() != b"garbage"


def test_edl_kernel_read_back_gives_the_jit_kernels_results_bit_for_bit(scenario, tmp_path, monkeypatch):
    """run_batch's kernel through the kept program (a second call after the in-process caches are cleared, as in a
    new process) returns exactly what the plain jitted kernel returns."""
    monkeypatch.setattr(_jax, "_exported_folder", lambda: tmp_path)
    params = mc.sample_params(scenario.to_params([]), scenario.dispersions.model_dump(), 4, 0, 8)
    model = with_lift_if_needed(scenario.model(), params["lift_to_drag"])  # as run_batch does
    cols = {k: jnp.asarray(np.asarray(v, dtype=np.float64)) for k, v in params.items()}
    plain = mc._kernel(model, 8)(cols, np.int32(8))
    runs = []
    for _ in range(2):
        monkeypatch.setattr(mc, "_COMPILED", {})
        runs.append(mc.run_batch(params, model, block=8, threads=1))
    assert len(list(tmp_path.glob("*.jax-exported"))) >= 1
    for out in runs:
        for k, v in out.items():
            np.testing.assert_array_equal(v, np.asarray(plain[k]), err_msg=k)
