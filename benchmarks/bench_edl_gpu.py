"""EDL Monte Carlo throughput on an accelerator: the batched JAX kernel (float64) at several lane counts.

For the device machine (one GPU); on a CPU it runs too, with small sizes. Prints, per lane count, the compile
time, the best-of-N wall time for ``--chunks`` chunks of lanes and runs/s, with the device's name, so the
figures can go to BENCHMARKS.md labelled with the card. Same scenario and dispersions as bench_edl.py.

    python benchmarks/bench_edl_gpu.py [--lanes 16384 65536 262144] [--chunks 4] [--case nominal]
        [--executor xla|pallas] [--block 128] [--num-warps 4] [--param-loads step|once]

``--executor pallas`` runs the same runs through the fused Pallas/Triton kernel (``areo.edl._pallas``: one
program per ``--block`` lanes, state in registers, no lane refill) instead of the XLA while loop; it needs a
GPU (on a CPU add ``--interpret`` to check it runs, at interpreter speed).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from areo._jax import jax
from areo.edl._pallas import run_batch_pallas
from areo.edl.montecarlo import run_batch, sample_params
from areo.edl.scenario import load_edl_scenario
from areo.errors import InputError

SCENARIO = Path(__file__).resolve().parents[1] / "src" / "areo" / "scenarios" / "exomars2016.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lanes", type=int, nargs="+", default=[16_384, 65_536, 262_144])
    ap.add_argument("--chunks", type=int, default=4, help="chunks of lanes per timed call (refilled lanes)")
    ap.add_argument("--case", default="nominal")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--executor", choices=("xla", "pallas"), default="xla")
    ap.add_argument("--block", type=int, default=128, help="pallas: lanes per Triton program (power of two)")
    ap.add_argument("--num-warps", type=int, default=4, help="pallas: Triton warps per program")
    ap.add_argument("--param-loads", choices=("step", "once"), default="step", help="pallas: parameter reads")
    ap.add_argument("--interpret", action="store_true", help="pallas: Pallas interpreter (CPU check, slow)")
    a = ap.parse_args()
    dev = jax.devices()[0]
    print(f"JAX {jax.__version__} on {dev.platform}:{dev.device_kind}; float64 = {jax.config.jax_enable_x64}")
    pallas = f", block {a.block}, warps {a.num_warps}, parameters read {a.param_loads}"
    print(f"executor {a.executor}" + (pallas if a.executor == "pallas" else ""))
    sc = load_edl_scenario(SCENARIO)
    model = sc.model()
    nominal = sc.to_params(sc.faults_for(a.case))
    sig = sc.dispersions.model_dump()

    def run(p, lanes):
        if a.executor == "pallas":
            return run_batch_pallas(
                p, model, block=a.block, interpret=a.interpret, num_warps=a.num_warps, param_loads=a.param_loads
            )
        return run_batch(p, model, block=lanes)

    for lanes in a.lanes:
        n = lanes * a.chunks
        p = sample_params(nominal, sig, 1, 0, n)
        t0 = time.perf_counter()
        # first call compiles: the XLA kernel's shapes depend on the lanes only, the Pallas kernel's on all runs
        run(p if a.executor == "pallas" else {k: v[: 2 * lanes] for k, v in p.items()}, lanes)
        t_compile = time.perf_counter() - t0
        best = float("inf")
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            out = run(p, lanes)
            best = min(best, time.perf_counter() - t0)
        landed = 100.0 * float(np.mean(out["status"] == 1))
        print(
            f"lanes {lanes:>8,}  runs {n:>9,}  first call {t_compile:6.1f} s  best {best:7.2f} s"
            f"  {n / best:12,.0f} runs/s  mean steps {out['steps'].mean():.0f}  landed {landed:.2f} %",
            flush=True,
        )
        if a.executor == "pallas":
            _check_against_xla(p, out, model, lanes)


def _check_against_xla(p, out, model, lanes: int, k: int = 256) -> None:
    """The first ``k`` runs again through the portable XLA kernel: same statuses and steps, and the largest
    relative difference of touchdown time and speed (the executors run the same float64 operations)."""
    ref = run_batch({key: v[:k] for key, v in p.items()}, model, block=min(lanes, k))
    same = bool(np.array_equal(ref["status"], out["status"][:k]) and np.array_equal(ref["steps"], out["steps"][:k]))
    worst = 0.0
    for f in ("touchdown_t", "touchdown_speed"):
        a, b = out[f][:k], ref[f]
        both = np.isfinite(a) & np.isfinite(b)
        worst = max(worst, float(np.max(np.abs(a[both] - b[both]) / np.abs(b[both]), initial=0.0)))
    print(f"    check vs xla, first {len(ref['status'])} runs: status and steps equal {same}, max rel diff {worst:.1e}")


if __name__ == "__main__":
    try:
        main()
    except InputError as exc:
        print(f"bench_edl_gpu: {exc}", file=sys.stderr)
        sys.exit(2)
