"""Aerobraking benchmark (figures for BENCHMARKS.md).

1. The nominal campaign of ``venus-orbiter-isro`` (500 x 60 000 km -> 200 x 600 km, ~870 passes, ~7 months):
   wall-clock time of one run (goal of issue 15: a ~1,000-pass, 6-month campaign in <= 60 s on 2 cores).
2. The same campaign as a batched Monte Carlo over density dispersions (in memory): runs per second, with the
   numpy pass kernel and with the same kernel jitted by JAX (CPU here; the first call for a batch size compiles).

Usage: python benchmarks/bench_aerobraking.py [--runs 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from areo.aerobraking import load, run_montecarlo, run_nominal
    from areo.mission.scenario import resolve_scenario_path

    cfg, _, _ = load(resolve_scenario_path("venus-orbiter-isro"))
    nominal = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        res = run_nominal(cfg)
        nominal.append(time.perf_counter() - t)
    t = time.perf_counter()
    _, stats = run_montecarlo(cfg, args.runs, seed=0)
    t_mc = time.perf_counter() - t
    run_montecarlo(cfg, 2, seed=0, backend="jax")  # compile (per batch shape: the full batch compiles below too)
    t = time.perf_counter()
    _, stats_jax = run_montecarlo(cfg, args.runs, seed=0, backend="jax")
    t_jax = time.perf_counter() - t
    print(
        json.dumps(
            {
                "date": _dt.date.today().isoformat(),
                "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus",
                "passes": res.summary["passes"],
                "duration_days": res.summary["duration_days"],
                "nominal_s_best": round(min(nominal), 3),
                "nominal_s_all": [round(x, 3) for x in nominal],
                "montecarlo_runs": args.runs,
                "montecarlo_s": round(t_mc, 2),
                "montecarlo_runs_per_s": round(args.runs / t_mc, 1),
                "montecarlo_duration_days_p5_p50_p95": stats["duration_days_p5_p50_p95"],
                "montecarlo_jax_s_incl_compile": round(t_jax, 2),
                "jax_equals_numpy": stats_jax == stats,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
