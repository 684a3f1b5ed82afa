"""JAX with 64-bit floats enabled; every areo kernel imports ``jax`` and ``jnp`` from here.

Compiled kernels are kept in JAX's persistent compilation cache in the user's cache folder
(``$XDG_CACHE_HOME/areo/jax``, ``~/.cache/areo/jax``; ``~/Library/Caches/areo/jax`` on macOS,
``%LOCALAPPDATA%\\areo\\jax`` on Windows), so a repeated command does not compile again. ``AREO_JAX_CACHE``
names another folder, or ``off`` disables it; a folder that cannot be created or written is skipped silently.
"""

import os
import sys
from pathlib import Path

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

__all__ = ["CACHE_DIR", "enable_compilation_cache", "jax", "jnp"]
