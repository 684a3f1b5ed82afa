"""EDL Monte Carlo throughput: full entry-to-touchdown runs per second with dispersions on.

Compares, in the same process, the batched JAX kernel (areo.edl.run_batch, float64, 448 runs in flight per kernel
call, finished runs' lanes refilled from the call's chunk, one thread per core) with the way one would write it
today: a Python loop of scipy solve_ivp (DOP853) runs with terminal events (areo.edl.scipy_model, same physics,
perfect navigation). Prints runs/s of each and their ratio.

    .venv/bin/python benchmarks/bench_edl.py [--runs 20000] [--scipy-runs 20] [--case nominal]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

from areo._jax import jax
from areo.edl.montecarlo import BLOCK, run_batch, sample_params
from areo.edl.scenario import load_edl_scenario
from areo.edl.scipy_model import simulate_scipy

SCENARIO = Path(__file__).resolve().parents[1] / "src" / "areo" / "scenarios" / "exomars2016.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20_000)
    ap.add_argument("--scipy-runs", type=int, default=20)
    ap.add_argument("--case", default="nominal")
    ap.add_argument("--block", type=int, default=BLOCK, help="runs in flight per kernel call (lanes)")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sc = load_edl_scenario(SCENARIO)
    model = sc.model()
    nominal = sc.to_params(sc.faults_for(a.case))
    sig = sc.dispersions.model_dump()
    p = sample_params(nominal, sig, 1, 0, a.runs)
    t0 = time.perf_counter()
    run_batch({k: v[: 4 * a.block] for k, v in p.items()}, model, block=a.block)  # compile (chunked shapes)
    t_compile = time.perf_counter() - t0
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        out = run_batch(p, model, block=a.block)
        best = min(best, time.perf_counter() - t0)
    rate_jax = a.runs / best
    landed = float(np.mean(out["status"] == 1))
    t0 = time.perf_counter()
    for i in range(a.scipy_runs):
        simulate_scipy({k: float(v[i]) for k, v in p.items()}, model)
    rate_scipy = a.scipy_runs / (time.perf_counter() - t0)
    dev = jax.devices()[0]
    print(
        f"machine: {platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} cores; JAX {jax.__version__} on {dev.platform}:{dev.device_kind}"
    )
    print(
        f"case {a.case!r}, dispersions on, {a.runs} runs, block {a.block}: mean steps {out['steps'].mean():.0f}, max {out['steps'].max():.0f}; landed {100 * landed:.2f} %"
    )
    print(f"JAX batched kernel : {rate_jax:12,.0f} runs/s   (compile {t_compile:.1f} s, best of {a.repeat})")
    print(f"scipy solve_ivp loop: {rate_scipy:12,.1f} runs/s   ({a.scipy_runs} runs, DOP853 + events)")
    print(f"ratio              : {rate_jax / rate_scipy:12,.0f} x")


if __name__ == "__main__":
    main()
