"""Lambert solves per second on the same problems, one process: lambert_cases.npz from $AREO_FULL_AUTHORITIES (the
100,000 set, build_lambert_cases.py --n 100000 in tests/authorities/builders), else the 20,000 in tests/authorities;
pykep 3.0.1 (Python loop), lamberthub 1.0.0 izzo2015 from a numba prange loop, areo batched (JAX, float64).

The ratio areo / numba loop is the median of ``--rounds`` interleaved rounds (areo kernel, areo API, numba loop,
then again ...), each timing ``REPS`` back-to-back solves of all problems, printed with its min and max: on a
shared machine single runs vary between 1.2x and 2.9x, and interleaving exposes both solvers to the same load.

Run: .venv/bin/python benchmarks/bench_lambert.py [--rounds 15]   (needs `pip install -e '.[bench]'`;
`make bench` does it)
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _peers import best_of, fix_pykep_wheel, git_rev, machine

REPS = 5  # solves of all problems per timed run


def _timed(fn) -> float:
    t = time.perf_counter()
    for _ in range(REPS):
        fn()
    return (time.perf_counter() - t) / REPS


def interleaved(fns: dict, rounds: int) -> dict[str, np.ndarray]:
    """Seconds per call of each function, one timed run of each per round, in turn: {name: (rounds,)}."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            times[k].append(_timed(fn))
    return {k: np.array(v) for k, v in times.items()}


ORACLE = Path(os.environ.get("AREO_FULL_AUTHORITIES") or Path(__file__).resolve().parents[1] / "tests" / "authorities")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (median, min and max reported)")
    rounds = ap.parse_args().rounds
    if rounds < 1:
        ap.error(f"--rounds must be >= 1, got {rounds}")
    d = np.load(ORACLE / "lambert_cases.npz")
    r1, r2, tof = d["r1_km"] * 1e3, d["r2_km"] * 1e3, d["tof_s"]
    mu = float(d["mu_km3s2"]) * 1e9
    n = tof.size
    rows = []

    # areo, batched JAX
    import jax

    from areo.transfer.lambert import _kernel, lambert

    mu_a = np.full(n, mu)
    z = np.zeros(n, np.int32)
    f = np.zeros(n, bool)
    fns = {
        "areo kernel (JAX, batched)": lambda: jax.block_until_ready(
            _kernel(r1, r2, tof, mu_a, z, f, f, multirev=False)
        ),
        "areo.lambert() incl. input handling": lambda: lambert(r1, r2, tof, mu),
    }
    fns["areo kernel (JAX, batched)"]()
    sol = lambert(r1, r2, tof, mu)
    err = {k: np.max(np.abs(sol.v1_m_s - d["v1_kms"] * 1e3)) for k in fns}

    # lamberthub izzo2015 in a numba prange loop, all 10 arguments passed (see peers.md)
    peer = "lamberthub izzo2015, numba prange loop"
    try:
        import numba
        from lamberthub import izzo2015

        @numba.njit(parallel=True)
        def loop(mu, r1, r2, tof, v1, v2):
            for i in numba.prange(r1.shape[0]):
                a, b = izzo2015(mu, r1[i], r2[i], tof[i], 0, True, True, 35, 1e-5, 1e-7)
                v1[i] = a
                v2[i] = b

        v1 = np.empty_like(r1)
        v2 = np.empty_like(r1)
        loop(mu, r1[:10], r2[:10], tof[:10], v1[:10], v2[:10])
        fns[peer] = lambda: loop(mu, r1, r2, tof, v1, v2)
        fns[peer]()
        err[peer] = np.max(np.abs(v1 - d["v1_kms"] * 1e3))
    except ImportError as exc:
        print(f"lamberthub/numba not installed ({exc}); pip install -e '.[bench]'")

    times = interleaved(fns, rounds)
    for k, t in times.items():
        rows.append((k, n / np.median(t), err[k]))
    ratios = {k: times[peer] / t for k, t in times.items() if k != peer} if peer in times else {}

    # pykep, Python loop (a 10,000-problem slice, scaled)
    m = 10_000
    try:
        fix_pykep_wheel()
        import pykep as pk

        r1k, r2k = d["r1_km"][:m], d["r2_km"][:m]
        muk = float(d["mu_km3s2"])

        def pk_loop():
            out = np.empty((m, 3))
            for i in range(m):
                out[i] = pk.lambert_problem(r1k[i], r2k[i], tof[i], muk, False, 0).v0[0]
            return out

        t_pk, v = best_of(pk_loop, 2)
        rows.append(("pykep 3.0.1 lambert_problem, Python loop", m / t_pk, np.max(np.abs(v - d["v1_kms"][:m])) * 1e3))
    except ImportError as exc:
        print(f"pykep not installed ({exc})")

    print(f"# Lambert, {n:,} single-revolution problems; {machine()}; {datetime.date.today()}; areo {git_rev()}")
    print(f"# solves/s: median of {rounds} interleaved rounds of {REPS} solves each; pykep: best of 2 on {m:,}")
    print(f"{'solver':45s} {'solves/s':>12s} {'vs numba loop':>14s} {'max |dv1| vs oracle m/s':>24s}")
    base = n / np.median(times[peer]) if peer in times else None
    for name, rate, e in rows:
        ratio = f"{rate / base:.2f}x" if base else "n/a"
        print(f"{name:45s} {rate:12.3e} {ratio:>14s} {e:24.2e}")
    for name, r in ratios.items():
        print(
            f"ratio {name} / numba loop, {rounds} interleaved rounds: median {np.median(r):.2f}x "
            f"(min {r.min():.2f}x, max {r.max():.2f}x)"
        )
    sys.stdout.flush()
    os._exit(0)  # pykep's bundled libraries can abort at interpreter exit (peers.md)


if __name__ == "__main__":
    main()
