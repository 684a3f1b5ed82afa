"""Time to first result of `areo edl SCENARIO --runs N` (issue 10, section 4): cold (empty JAX compilation cache)
and warm (the same command again, cache filled), each a fresh process, plus `import areo.cli` alone.

Every figure is the wall clock of a fresh Python process and its CPU time (user + system, all threads), with the
1-minute load average read just before: on a shared machine the wall clock grows with the load, CPU time much
less. ``--src DIR`` times another source tree (say an older commit unpacked with ``git archive``) instead.

    .venv/bin/python benchmarks/bench_edl_startup.py [--runs 2000] [--warm 3] [--cold 1] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, CPU s of the child, load average before) of one fresh process; raises if it fails."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, load


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="exomars2016")
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--cold", type=int, default=1, help="cold runs, each with a new empty cache folder")
    ap.add_argument("--warm", type=int, default=3, help="warm runs after the first cold one")
    ap.add_argument("--imports", type=int, default=3, help="fresh `import areo.cli` processes")
    ap.add_argument("--src", default=str(SRC), help="source tree to time (put first on PYTHONPATH)")
    a = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([a.src, os.environ.get("PYTHONPATH", "")])}
    edl = [sys.executable, "-c", "from areo.cli import main; main()", "edl", a.scenario, "--runs", str(a.runs)]
    print(f"source {a.src}; {os.cpu_count()} CPUs; `areo edl {a.scenario} --runs {a.runs}`")
    for _ in range(a.imports):
        wall, cpu, load = timed([sys.executable, "-c", "import areo.cli"], env)
        print(f"import areo.cli: {wall:6.2f} s wall, {cpu:5.2f} s CPU (load {load:.1f})")
    with tempfile.TemporaryDirectory(prefix="areo-jax-cache-") as tmp:
        for i in range(a.cold):
            env["AREO_JAX_CACHE"] = str(Path(tmp, f"cold{i}"))
            wall, cpu, load = timed(edl, env)
            print(f"cold:            {wall:6.2f} s wall, {cpu:5.2f} s CPU (load {load:.1f})")
        for _ in range(a.warm):
            wall, cpu, load = timed(edl, env)
            print(f"warm:            {wall:6.2f} s wall, {cpu:5.2f} s CPU (load {load:.1f})")


if __name__ == "__main__":
    main()
