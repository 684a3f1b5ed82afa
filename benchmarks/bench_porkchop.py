"""500 x 500 Earth->Mars porkchop (2016 window) including ephemeris evaluation, one process:
areo.transfer.porkchop.porkchop_grid (JAX) vs the same grid through lamberthub izzo2015 in a numba prange loop and
through pykep's Python loop (both fed the same DE421 Sun-centred states). Prints seconds, ratios, C3 agreement.

Run: .venv/bin/python benchmarks/bench_porkchop.py   (needs `pip install -e '.[bench]'`; `make bench` does it)
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _peers import best_of, fix_pykep_wheel, git_rev, machine

N = 500


def main():
    from areo.constants import GM_SUN
    from areo.time import utc_to_tdb_seconds
    from areo.transfer.porkchop import body_states_ecliptic, porkchop_grid

    d0, d1, a0, a1 = utc_to_tdb_seconds(["2016-01-01", "2016-06-30", "2016-08-01", "2017-03-31"])
    td, ta = np.linspace(d0, d1, N), np.linspace(a0, a1, N)
    porkchop_grid("earth", "mars", td, ta)  # compile
    t_areo, g = best_of(lambda: porkchop_grid("earth", "mars", td, ta), 7)
    rows = [("areo porkchop_grid (JAX), incl. ephemeris", t_areo, 0.0)]

    def states():
        rd, vd = body_states_ecliptic("earth", td)
        ra, va = body_states_ecliptic("mars", ta)
        return rd, vd, ra, va

    try:
        import numba
        from lamberthub import izzo2015

        @numba.njit(parallel=True)
        def grid_loop(mu, rd, vd, ra, va, td, ta, c3):
            na = ta.shape[0]
            for k in numba.prange(td.shape[0] * na):
                i, j = k // na, k % na
                tof = ta[j] - td[i]
                if tof <= 0:
                    c3[i, j] = np.nan
                    continue
                v1, _v2 = izzo2015(mu, rd[i], ra[j], tof, 0, True, True, 35, 1e-5, 1e-7)
                c3[i, j] = np.sum((v1 - vd[i]) ** 2) / 1e6

        def numba_run():
            rd, vd, ra, va = states()
            c3 = np.empty((N, N))
            grid_loop(float(GM_SUN), rd, vd, ra, va, td, ta, c3)
            return c3

        numba_run()
        t_nb, c3 = best_of(numba_run, 5)
        rows.append(("lamberthub izzo2015 numba prange loop", t_nb, np.nanmax(np.abs(c3 - g.c3_km2_s2))))
    except ImportError as exc:
        print(f"lamberthub/numba not installed: {exc}")

    try:
        fix_pykep_wheel()
        import pykep as pk

        def pykep_run():
            rd, vd, ra, _va = states()
            rd, vd, ra = rd / 1e3, vd / 1e3, ra / 1e3
            mu = float(GM_SUN) / 1e9
            c3 = np.full((N, N), np.nan)
            for i in range(N):
                for j in range(N):
                    tof = ta[j] - td[i]
                    if tof > 0:
                        v1 = np.asarray(pk.lambert_problem(rd[i], ra[j], tof, mu, False, 0).v0[0])
                        c3[i, j] = np.sum((v1 - vd[i]) ** 2)
            return c3

        t_pk, c3 = best_of(pykep_run, 1)
        rows.append(("pykep lambert_problem, Python loop", t_pk, np.nanmax(np.abs(c3 - g.c3_km2_s2))))
    except ImportError as exc:
        print(f"pykep not installed: {exc}")

    print(f"# Porkchop {N}x{N} Earth->Mars 2016; {machine()}; {datetime.date.today()}; areo {git_rev()}")
    print(f"{'implementation':45s} {'seconds':>9s} {'areo speed-up':>14s} {'max |dC3| km2/s2':>17s}")
    for name, t, e in rows:
        print(f"{name:45s} {t:9.4f} {t / t_areo:13.2f}x {e:17.2e}")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
