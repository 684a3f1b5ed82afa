"""A family of 100 Sun-Earth L2 halo orbits (Richardson amplitudes 100 000 - 700 000 km) corrected at once by the
batched JAX kernel (``areo.cr3bp.api.halo_family``), against the numpy/scipy reference corrector looping over the
same members. Goal (issue 14): <= 2 s for the family on 2 cores.

The JAX figure excludes the one-time compilation (printed apart); best of ``--repeats`` runs.

Run: .venv/bin/python benchmarks/bench_halo.py [--repeats 3] [--reference 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _peers import git_rev, machine


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--reference", type=int, default=10, help="members timed with the scipy reference (x10 scaled)")
    args = ap.parse_args()
    from areo.cr3bp.api import halo_family
    from areo.cr3bp.dynamics import SUN_EARTH
    from areo.cr3bp.halo import halo_from_az

    t = time.perf_counter()
    rows = halo_family(100_000, 700_000, 100)
    first = time.perf_counter() - t
    best = float("inf")
    for _ in range(args.repeats):
        t = time.perf_counter()
        rows = halo_family(100_000, 700_000, 100)
        best = min(best, time.perf_counter() - t)
    ok = sum(r["status"] == "converged" for r in rows)
    t = time.perf_counter()
    for az in [100_000 + 600_000 * k / max(args.reference - 1, 1) for k in range(args.reference)]:
        halo_from_az(SUN_EARTH.mu, 2, az * 1e3 / SUN_EARTH.length_m)
    ref = (time.perf_counter() - t) * 100 / args.reference
    print(f"{machine()}, commit {git_rev()}")
    print(f"JAX batched family of 100: {best:.3f} s (best of {args.repeats}); first call incl. compile {first:.2f} s")
    print(f"converged: {ok}/100")
    print(f"scipy reference loop, scaled to 100 members: {ref:.2f} s ({ref / best:.1f}x slower)")


if __name__ == "__main__":
    main()
