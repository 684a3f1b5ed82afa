"""JAX with 64-bit floats enabled; every areo kernel imports ``jax`` and ``jnp`` from here.

Compiled kernels are kept in JAX's persistent compilation cache in the user's cache folder
(``$XDG_CACHE_HOME/areo/jax``, ``~/.cache/areo/jax``; ``~/Library/Caches/areo/jax`` on macOS,
``%LOCALAPPDATA%\\areo\\jax`` on Windows), so a repeated command does not compile again. ``AREO_JAX_CACHE``
names another folder, or ``off`` disables it; a folder that cannot be created or written is skipped silently.

:func:`compile_cached` goes one step further for the large kernels: it also keeps the traced and lowered program
(``jax.export``) in that folder, so that a repeated command neither compiles nor traces the kernel again.
"""

import functools
import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402


def _user_cache_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "areo" / "jax"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "areo" / "jax"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "areo" / "jax"


def enable_compilation_cache(folder: str | os.PathLike | None = None) -> Path | None:
    """Point JAX's persistent compilation cache at ``folder`` (default: the user's cache folder, or
    ``AREO_JAX_CACHE``). Returns the folder, or None when disabled or not writable (then nothing changes)."""
    setting = os.environ.get("AREO_JAX_CACHE", "")
    if folder is None and setting.lower() in ("off", "0", "no", "false"):
        return None
    path = Path(folder or setting or _user_cache_dir())
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            return None
        jax.config.update("jax_compilation_cache_dir", str(path))
        # the EDL kernels compile in seconds; keep every compiled program, not only those above 1 s
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    except (OSError, AttributeError, ValueError):
        return None
    return path


CACHE_DIR = enable_compilation_cache()
_EXPORTED = "areo-exported"  # sub-folder of the compilation cache with the lowered kernels


@functools.cache
def _source_digest() -> bytes:
    """SHA-256 of areo's Python source: a lowered kernel is reused only by the code that traced it."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.digest()


def _exported_folder() -> Path | None:
    folder = getattr(jax.config, "jax_compilation_cache_dir", None)
    return Path(folder, _EXPORTED) if folder else None


def _exported_path(args: tuple, key: bytes) -> Path | None:
    """File of the lowered kernel for ``key`` and the shapes of ``args``, or None when it cannot be kept (no cache
    folder, or no ``flatbuffers``, which jax.export needs to serialise)."""
    folder = _exported_folder()
    if folder is None:
        return None
    try:
        import flatbuffers  # noqa: F401
    except ImportError:
        return None
    import jaxlib

    leaves, tree = jax.tree.flatten(args)
    shapes = [(tuple(jnp.shape(x)), str(jnp.result_type(x))) for x in leaves]
    device = jax.devices()[0]
    spec = (str(tree), shapes, jax.__version__, jaxlib.__version__, device.platform, device.device_kind)
    digest = hashlib.sha256(key + repr(spec).encode() + _source_digest()).hexdigest()
    return folder / f"{digest[:40]}.jax-exported"


def _read_exported(path: Path) -> Any:
    try:
        return jax.export.deserialize(bytearray(path.read_bytes()))
    except Exception:  # absent, unreadable, or written by another version: trace again
        return None


def _write_exported(path: Path, exported: Any) -> None:
    """Atomic write (temporary file and rename); any failure leaves the cache as it was."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(exported.serialize())
        os.replace(tmp, path)
        tmp = None
    except Exception:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def compile_cached(fn: Any, args: tuple, key: bytes) -> Any:
    """``fn`` (a ``jax.jit`` function) compiled for the shapes of ``args``: a callable taking arguments of those
    shapes. ``key`` must identify everything ``fn`` depends on besides its arguments and areo's source (the values
    it closes over). The program traced and lowered by an earlier process is read back from the cache folder
    (jax.export), so that only loading the executable from JAX's persistent cache is left; without a cache folder
    ``fn`` is traced and compiled as usual. The exported program is the one ``fn`` lowers to, called through a
    wrapper (tests/edl/test_compile_cache.py checks the EDL kernel's results are the same bit for bit)."""
    path = _exported_path(args, key)
    if path is None:
        return fn.lower(*args).compile()
    exported = _read_exported(path)
    if exported is None:
        try:
            exported = jax.export.export(fn)(*args)
        except Exception:  # a program jax.export cannot represent: compiled as usual (or its error raised here)
            return fn.lower(*args).compile()
        _write_exported(path, exported)
    return jax.jit(exported.call).lower(*args).compile()


__all__ = ["CACHE_DIR", "compile_cached", "enable_compilation_cache", "jax", "jnp"]
