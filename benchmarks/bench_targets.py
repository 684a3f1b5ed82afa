"""Passes of a spacecraft read from an SPK kernel vs the same search for Mars (DE421), one month, one station.

The kernel (a 2 h Mars orbit, SPK type 13, 31 days, 60 s samples from SPICE's prop2b) is written to a temporary
folder with spiceypy; areo reads it through spiceypy's segment evaluator. Best of N wall clock.

    python benchmarks/bench_targets.py [--days 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from _peers import git_rev, machine

T0 = 530_000_000.0  # TDB s past J2000 (2016-10-17)


def write_orbiter(path: Path, days: float) -> None:
    import spiceypy as sp

    t = np.arange(T0, T0 + days * 86400.0 + 1.0, 60.0)
    s0 = np.array([4200.0, 300.0, -900.0, 0.3, 3.1, 1.2])
    states = np.array([sp.prop2b(42828.37, s0, float(x - T0)) for x in t])
    h = sp.spkopn(str(path), "bench", 0)
    sp.spkw13(h, -143, 499, "J2000", t[0], t[-1], "orbiter", 7, t.size, states, t)
    sp.spkcls(h)


def best(fn, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=30.0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    import areo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orbiter.bsp"
        write_orbiter(path, a.days + 1.0)
        tgo = areo.load_target(path, -143)
        start, stop = "2016-10-18", str(np.datetime64("2016-10-18") + np.timedelta64(int(a.days), "D"))
        areo.passes("dss-63", tgo, start, "2016-10-19")  # imports and first-call costs
        t_spk = best(lambda: areo.passes("dss-63", tgo, start, stop), a.repeat)
        t_mars = best(lambda: areo.passes("dss-63", "mars", start, stop), a.repeat)
    print(f"{machine()}, commit {git_rev()}")
    print(f"passes over {a.days:g} days from dss-63: SPK target {t_spk:.3f} s, Mars (DE421) {t_mars:.3f} s")


if __name__ == "__main__":
    main()
