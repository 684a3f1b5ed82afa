"""`import areo` wall time in a fresh interpreter (median and best of N), and the first use of a heavy name.

    python benchmarks/bench_import.py [--src PATH] [--runs 7]

``--src`` points PYTHONPATH at another checkout (e.g. the main branch) to compare before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

from _peers import git_rev, machine

CODE = {
    "import areo": "import time; t = time.perf_counter(); import areo; print(time.perf_counter() - t)",
    "import areo + areo.lambert": (
        "import time; t = time.perf_counter(); import areo; areo.lambert; print(time.perf_counter() - t)"
    ),
}


def run(code: str, src: str, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": src}
    return [
        float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default=os.path.join(os.path.dirname(__file__), "..", "src"))
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    print(f"{machine()}, commit {git_rev()}, src {os.path.abspath(a.src)}")
    for what, code in CODE.items():
        t = run(code, a.src, a.runs)
        print(f"{what:30s} median {statistics.median(t) * 1e3:8.1f} ms  best {min(t) * 1e3:8.1f} ms  ({a.runs} runs)")


if __name__ == "__main__":
    main()
