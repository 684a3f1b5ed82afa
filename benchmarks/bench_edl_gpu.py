"""EDL Monte Carlo throughput on an accelerator: the batched JAX kernel (float64) at several lane counts.

For the device machine (one GPU); on a CPU it runs too, with small sizes. Prints, per lane count, the compile
time, the best-of-N wall time for ``--chunks`` chunks of lanes and runs/s, with the device's name, so the
figures can go to BENCHMARKS.md labelled with the card. Same scenario and dispersions as bench_edl.py.

    python benchmarks/bench_edl_gpu.py [--lanes 16384 65536 262144] [--chunks 4] [--case nominal]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from areo._jax import jax
from areo.edl.montecarlo import run_batch, sample_params
from areo.edl.scenario import load_edl_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "src" / "areo" / "scenarios" / "exomars2016.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lanes", type=int, nargs="+", default=[16_384, 65_536, 262_144])
    ap.add_argument("--chunks", type=int, default=4, help="chunks of lanes per timed call (refilled lanes)")
    ap.add_argument("--case", default="nominal")
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    dev = jax.devices()[0]
    print(f"JAX {jax.__version__} on {dev.platform}:{dev.device_kind}; float64 = {jax.config.jax_enable_x64}")
    sc = load_edl_scenario(SCENARIO)
    model = sc.model()
    nominal = sc.to_params(sc.faults_for(a.case))
    sig = sc.dispersions.model_dump()
    for lanes in a.lanes:
        n = lanes * a.chunks
        p = sample_params(nominal, sig, 1, 0, n)
        t0 = time.perf_counter()
        run_batch({k: v[: 2 * lanes] for k, v in p.items()}, model, block=lanes)
        t_compile = time.perf_counter() - t0
        best = float("inf")
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            out = run_batch(p, model, block=lanes)
            best = min(best, time.perf_counter() - t0)
        landed = 100.0 * float(np.mean(out["status"] == 1))
        print(
            f"lanes {lanes:>8,}  runs {n:>9,}  first call {t_compile:6.1f} s  best {best:7.2f} s"
            f"  {n / best:12,.0f} runs/s  mean steps {out['steps'].mean():.0f}  landed {landed:.2f} %",
            flush=True,
        )


if __name__ == "__main__":
    main()
