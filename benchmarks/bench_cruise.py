"""Cruise timings: one full n-body Earth -> Mars propagation with scipy DOP853 (10 bodies from DE421, the escape
hyperbola to the Mars entry interface, origin switches at the spheres of influence), and the whole ExoMars 2016
replay of areo.cruise.fly (design, injection aim, DSM, 3 TCMs, separation, avoidance, finite-burn MOI).

Run: .venv/bin/python benchmarks/bench_cruise.py
"""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _peers import git_rev, machine


def best_of(fn, repeat=3):
    ts = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return min(ts), out


def main() -> None:
    from areo.constants import R_EARTH_EQ
    from areo.cruise import ForceModel, fly, propagate
    from areo.cruise.design import design_transfer, escape_hyperbola_state
    from areo.cruise.propagate import SpacecraftState
    from areo.mission.replay import cruise_plan
    from areo.mission.scenario import load_scenario

    plan = cruise_plan(load_scenario("exomars2016"))
    t_build, forces = best_of(lambda: ForceModel.for_span(plan.launch_tdb_s - 3600, plan.arrival_tdb_s + 3 * 86400))
    d = design_transfer(plan.launch_tdb_s, plan.arrival_tdb_s)
    r, v = escape_hyperbola_state(d.v_inf_departure_m_s, R_EARTH_EQ + 200e3)
    s0 = SpacecraftState(plan.launch_tdb_s, r, v, 4332.0, "earth")
    t_prop, arc = best_of(lambda: propagate(s0, plan.arrival_tdb_s + 2 * 86400, forces, rtol=1e-11))
    t_fly, res = best_of(lambda: fly(plan), repeat=2)
    print(f"# areo cruise benchmark, {datetime.date.today()}, {machine()}, git {git_rev()}")
    print(f"ForceModel.for_span (DE421 table, 10 bodies, 221 days, 3 h step): {t_build * 1e3:.1f} ms")
    print(f"DOP853 cruise Earth perigee -> Mars, rtol 1e-11: {t_prop * 1e3:.1f} ms, {arc.tdb_s.size} steps")
    print(f"fly(exomars2016 plan) whole cruise with targeting: {t_fly:.2f} s")
    print(
        f"  entry: {res.entry.altitude_m / 1e3:.1f} km, FPA {res.entry.fpa_inertial_deg:.2f} deg, "
        f"{res.entry.speed_relative_m_s / 1e3:.3f} km/s relative; "
        f"capture {res.capture.periapsis_altitude_m / 1e3:.0f}"
        f" x {res.capture.apoapsis_altitude_m / 1e3:.0f} km, {res.capture.period_days:.3f} d, "
        f"{res.capture.inclination_deg:.2f} deg; {np.round([m.dv_magnitude_m_s for m in res.maneuvers], 2)} m/s"
    )


if __name__ == "__main__":
    main()
