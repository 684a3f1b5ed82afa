"""Lambert solves per second on the same problems, one process: lambert_cases.npz from $AREO_FULL_AUTHORITIES (the
100,000 set, build_lambert_cases.py --n 100000 in tests/authorities/builders), else the 20,000 in tests/authorities;
pykep 3.0.1 (Python loop), lamberthub 1.0.0 izzo2015 from a numba prange loop, areo batched (JAX, float64).

Run: .venv/bin/python benchmarks/bench_lambert.py   (needs `pip install -e '.[bench]'`; `make bench` does it)
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _peers import best_of, fix_pykep_wheel, git_rev, machine

ORACLE = Path(os.environ.get("AREO_FULL_AUTHORITIES") or Path(__file__).resolve().parents[1] / "tests" / "authorities")


def main():
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
    jax.block_until_ready(_kernel(r1, r2, tof, mu_a, z, f, f, multirev=False))
    t_kernel, _ = best_of(lambda: jax.block_until_ready(_kernel(r1, r2, tof, mu_a, z, f, f, multirev=False)), 10)
    t_api, sol = best_of(lambda: lambert(r1, r2, tof, mu), 5)
    err = np.max(np.abs(sol.v1_m_s - d["v1_kms"] * 1e3))
    rows.append(("areo kernel (JAX, batched)", n / t_kernel, err))
    rows.append(("areo.lambert() incl. input handling", n / t_api, err))

    # lamberthub izzo2015 in a numba prange loop, all 10 arguments passed (see peers.md)
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
        t_nb, _ = best_of(lambda: loop(mu, r1, r2, tof, v1, v2), 5)
        rows.append(("lamberthub izzo2015, numba prange loop", n / t_nb, np.max(np.abs(v1 - d["v1_kms"] * 1e3))))
    except ImportError as exc:
        print(f"lamberthub/numba not installed ({exc}); pip install -e '.[bench]'")
        t_nb = None

    # pykep, Python loop (a 10,000-problem slice, scaled)
    try:
        fix_pykep_wheel()
        import pykep as pk

        m = 10_000
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
    print(f"{'solver':45s} {'solves/s':>12s} {'vs numba loop':>14s} {'max |dv1| vs oracle m/s':>24s}")
    base = n / t_nb if t_nb else None
    for name, rate, e in rows:
        ratio = f"{rate / base:.2f}x" if base else "n/a"
        print(f"{name:45s} {rate:12.3e} {ratio:>14s} {e:24.2e}")
    sys.stdout.flush()
    os._exit(0)  # pykep's bundled libraries can abort at interpreter exit (peers.md)


if __name__ == "__main__":
    main()
