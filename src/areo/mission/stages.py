"""Timed stages of a replay: each runner (Mars, L2, aerobraking) runs its stages through :func:`run_stage`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def run_stage(res: Any, name: str, fn: Callable[[], object], progress: Callable[..., object] | None = None) -> None:
    """Run ``fn``, record its wall time in ``res.stage_seconds[name]`` and report ``progress(name, None)`` before
    and ``progress(name, seconds)`` after."""
    t0 = time.perf_counter()
    if progress:
        progress(name, None)
    fn()
    res.stage_seconds[name] = time.perf_counter() - t0
    if progress:
        progress(name, res.stage_seconds[name])
