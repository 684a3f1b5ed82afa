"""Replay timings (issue 12: "each shipped replay <= 30 s on the 2-core machine"): every shipped scenario through
``areo.mission.replay.replay`` in one process, after one warm-up import, with the wall time of each stage (the
result's ``stage_seconds``), the total, and the machine load (``os.getloadavg``) before and after each replay.

A scenario whose checks refuse it (``InputError`` before any stage runs, e.g. a preflight that names a missing
key) is skipped with the reason; a replay that fails later is reported as failed with its error, not hidden.
The first replay also pays the JIT compilation of the EDL kernels that later ones reuse: the order is the sorted
shipped order unless ``--only`` gives one.

Run: .venv/bin/python benchmarks/bench_replay.py [--runs 200] [--only exomars2016 phobos2-1988]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import git_rev, machine

GOAL_S = 30.0  # issue 12


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"


def warm_up() -> float:
    """Import everything a replay uses (JAX included) once, so that the first scenario's time is its own."""
    t0 = time.perf_counter()
    import areo.mission.replay
    import areo.report.mission  # noqa: F401
    from areo._jax import jnp

    jnp.zeros(1).block_until_ready()
    return time.perf_counter() - t0


def bench_one(name: str, runs: int) -> tuple[str, dict[str, float], float, str]:
    """(status, stage seconds, total seconds, note) of one replay into a fresh temporary folder."""
    from areo.errors import InputError
    from areo.mission.replay import replay

    with tempfile.TemporaryDirectory(prefix=f"bench-replay-{name}-") as tmp:
        t0 = time.perf_counter()
        try:
            res = replay(name, Path(tmp) / "out", runs=runs)
        except InputError as exc:
            return "skipped", {}, time.perf_counter() - t0, str(exc)
        except Exception as exc:  # a benchmark reports a broken replay instead of stopping the others
            return "failed", {}, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"
        total = time.perf_counter() - t0
    return "ok", dict(res.stage_seconds), total, ""


def main(argv: list[str] | None = None) -> None:
    from areo.scenarios import shipped

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200, help="Monte Carlo runs of the EDL stage (default 200)")
    ap.add_argument("--only", nargs="*", default=None, help="scenario names (default: every shipped scenario)")
    args = ap.parse_args(argv)
    names = args.only or shipped()
    t_import = warm_up()
    print(f"# areo replay benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(f"# git {git_rev()}, --runs {args.runs}, warm-up import {t_import:.1f} s, load (1/5/15 min) {load()}")
    rows = []
    for name in names:
        before = load()
        status, stages, total, note = bench_one(name, args.runs)
        rows.append((name, status, total))
        print(f"\n{name}: {status}, total {total:.1f} s, load before {before}, after {load()}")
        for stage, s in stages.items():
            print(f"  {stage:<28} {s:7.2f} s")
        if note:
            print(f"  {note}")
    print("\n| scenario | status | total (s) | <= 30 s |")
    print("|---|---|---:|---|")
    for name, status, total in rows:
        ok = ("yes" if total <= GOAL_S else "no") if status == "ok" else "-"
        print(f"| {name} | {status} | {total:.1f} | {ok} |")


if __name__ == "__main__":
    main()
