"""Ground-segment benchmarks (figures for BENCHMARKS.md).

1. One station, one year of Mars elevation at 60 s steps (525,600 samples): areo's vectorised path (numpy
   reference and the jitted JAX kernel, CPU) vs skyfield
   (``(earth + wgs84.latlon(...)).at(t).observe(mars).apparent().altaz()``) on the same epochs, in one run;
   accuracy is the largest elevation difference between the two.
2. Coverage of a 10-station network over the ExoMars 2016 cruise (2016-03-14 to 2016-10-19, 7 months) at 60 s.
3. Passes of Mars for one month (root finding to 1 ms) vs skyfield's almanac.find_risings/find_settings.

Usage: python benchmarks/bench_ground.py [--days 365] [--skyfield-samples N]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import platform
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--skyfield-samples", type=int, default=0, help="0: all samples (same epochs as areo)")
    args = ap.parse_args()

    from skyfield import almanac
    from skyfield.api import load_file, wgs84

    from areo.ephem import de421_path
    from areo.ground import altaz, coverage, find_passes, get_network, get_station
    from areo.time import timescale, utc_to_tdb_seconds

    ts = timescale()
    eph = load_file(de421_path())
    st = get_station("rt70-yevpatoria")
    t0 = float(utc_to_tdb_seconds("2016-01-01"))
    tt = t0 + np.arange(0.0, args.days * 86400.0, 60.0)
    altaz(st, "mars", tt[:1000])  # warm caches (ephemeris segments, timescale)

    t = time.perf_counter()
    a = altaz(st, "mars", tt)
    t_areo = time.perf_counter() - t
    altaz(st, "mars", tt, backend="jax")  # compile for this shape
    t = time.perf_counter()
    aj = altaz(st, "mars", tt, backend="jax")
    t_jax = time.perf_counter() - t
    assert abs(aj.elevation_deg - a.elevation_deg).max() < 1e-9

    n_sky = tt.size if args.skyfield_samples <= 0 else min(args.skyfield_samples, tt.size)
    idx = np.linspace(0, tt.size - 1, n_sky).astype(int)
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    t = time.perf_counter()
    tsky = ts.tdb_jd(2451545.0 + tt[idx] / 86400.0)
    alt, _, _ = site.at(tsky).observe(eph["mars"]).apparent().altaz()
    t_sky = time.perf_counter() - t
    err_mas = float(np.max(np.abs(a.elevation_deg[idx] - alt.degrees)) * 3.6e6)

    # coverage: 10 stations, 7-month cruise, 60 s
    net = get_network("estrack,dsn70,rt70,kalyazin-64,tna1500-bear-lakes")[:10]
    c0, c1 = (float(x) for x in utc_to_tdb_seconds(["2016-03-14", "2016-10-19"]))
    t = time.perf_counter()
    cov = coverage(net, "mars", c0, c1, step_s=60.0)
    t_cov = time.perf_counter() - t
    n_cov = int(np.ceil((c1 - c0) / 60.0)) * len(net)

    # passes, one month
    p0, p1 = (float(x) for x in utc_to_tdb_seconds(["2016-10-01", "2016-11-01"]))
    t = time.perf_counter()
    ps = find_passes(st, "mars", p0, p1, 10.0)
    t_pass = time.perf_counter() - t
    topo = wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    t = time.perf_counter()
    ta, tb = ts.tdb_jd(2451545.0 + p0 / 86400.0), ts.tdb_jd(2451545.0 + p1 / 86400.0)
    almanac.find_risings(eph["earth"] + topo, eph["mars"], ta, tb, horizon_degrees=10.0)
    almanac.find_settings(eph["earth"] + topo, eph["mars"], ta, tb, horizon_degrees=10.0)
    t_pass_sky = time.perf_counter() - t
    eph.close()

    res = {
        "date_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{platform.processor() or platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}",
        "elevation_samples": int(tt.size),
        "areo_s": round(t_areo, 3),
        "areo_samples_per_s": round(tt.size / t_areo),
        "areo_jax_s": round(t_jax, 3),
        "areo_jax_samples_per_s": round(tt.size / t_jax),
        "skyfield_samples": int(n_sky),
        "skyfield_s": round(t_sky, 3),
        "skyfield_samples_per_s": round(n_sky / t_sky),
        "speedup": round((tt.size / t_areo) / (n_sky / t_sky), 1),
        "max_elevation_difference_mas": round(err_mas, 3),
        "coverage_stations": [s.id for s in net],
        "coverage_station_samples": n_cov,
        "coverage_s": round(t_cov, 2),
        "coverage_fraction": round(cov.coverage_fraction, 4),
        "passes_month": len(ps),
        "passes_s": round(t_pass, 3),
        "skyfield_almanac_s": round(t_pass_sky, 3),
    }
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
