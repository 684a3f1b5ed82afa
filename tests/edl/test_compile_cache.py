"""JAX persistent compilation cache (issue 10, section 4): on by default in the user's cache folder, harmless
when the folder cannot be written, off on request. Times are measured in benchmarks/, never here."""

from areo._jax import enable_compilation_cache, jax


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
