"""Helpers for benchmarks: machine description and the pykep 3.0.1 wheel fix (see ../shared/design/peers.md)."""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
import time


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def fix_pykep_wheel() -> None:
    """pykep 3.0.1's wheel lacks four JSON data files, so `import pykep` fails; create them empty ({})."""
    spec = importlib.util.find_spec("pykep")
    if spec is None or not spec.submodule_search_locations:
        return
    tops = os.path.join(next(iter(spec.submodule_search_locations)), "trajopt", "gym", "tops")
    os.makedirs(tops, exist_ok=True)
    for name in ("cr3bp", "twobody", "ss", "mee"):
        path = os.path.join(tops, f"_tops_{name}.json")
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write("{}")


def git_rev() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True).strip()
    except Exception:
        return "unknown"


def best_of(fn, repeat: int):
    """(best wall-clock seconds over ``repeat`` calls, last result)."""
    ts, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return min(ts), out
