"""`areo replay` of an orbiter arriving at Venus (cruise.body = "venus"): the replay composes the same segments
around another central body and knows no mission by name. The scenario is written here (a Venus Express-like
plan, ESA figures: launch 2005-11-09 03:33:34 UTC, 1270 kg with 570 kg propellant, 400 N engine, ~50 min
insertion burn ending about 08:00 UTC on 2006-04-11 into a ~400 x 330,000 km, 9-day polar orbit); assumed:
Isp 317 s, the TCM dates and the 07:35 arrival (see tests/cruise/test_central_bodies.py for the cruise itself).
"""

import json

import pytest

from areo.mission.replay import replay
from tests.units import KM

SCENARIO = """
[mission]
name = "Venus orbiter test"
status = "assumption"

[launch]
utc = "2005-11-09T03:33:34Z"
window_depart = "2005-10-01:2005-12-31"
window_arrive = "2006-03-01:2006-06-30"
window_grid = 40

[cruise]
body = "venus"
arrival_utc = "2006-04-11T07:35:00Z"
tcm_utc = ["2005-11-11T12:00:00Z", "2006-02-17T12:00:00Z", "2006-04-04T12:00:00Z"]
moi_end_utc = "2006-04-11T08:00:00Z"
moi_duration_min = 50.0
sequence = ["launch", "tcm", "tcm", "approach", "insertion", "end"]

[cruise.orbiter]
name = "Venus Express"
mass_kg = 1270.0
dry_mass_kg = 700.0
thrust_n = 400.0
isp_s = 317.0

[cruise.capture]
periapsis_altitude_km = 400.0
period_days = 9.0
inclination_deg = 90.0

[ground]
networks = ["estrack"]
"""


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("venus")
    (tmp / "vex.toml").write_text(SCENARIO, encoding="utf-8")
    res = replay(str(tmp / "vex.toml"), tmp / "out", runs=0)
    return res, json.loads((tmp / "out" / "summary.json").read_text())


def test_orbit_about_venus_in_the_contract(summary):
    _res, s = summary
    (orbit,) = s["orbits"]
    assert (orbit["vehicle"], orbit["body"]) == ("Venus Express", "venus")
    assert orbit["periapsis_altitude_km"] == pytest.approx(400.0, abs=1.0)
    assert orbit["apoapsis_altitude_km"] * KM == pytest.approx(330e3 * KM, abs=5e3 * KM)  # ESA: ~330,000 km
    assert orbit["period_h"] == pytest.approx(9 * 24, abs=0.05)
    assert orbit["epoch_utc"].startswith("2006-04-11T08:00")
    names = {e["name"] for e in s["events"]}
    assert {"soi-entry:venus", "periapsis:venus", "MOI", "MOI end", "capture"} <= names
    assert s["landings"] == [] and s["halo"] == []


def test_the_replay_looks_at_venus(summary):
    """Porkchop, transfer and ground passes are computed for the arrival body, not Mars (wiring: the passes are
    those of the ground layer for Venus over the replay's arrival window)."""
    from areo.ground.api import passes

    res, _s = summary
    assert res.porkchop.grid.target == "venus"
    assert res.transfer["tof_days"] == pytest.approx(153.17, abs=0.01)  # 2005-11-09 03:33 to 2006-04-11 07:35
    assert 2.0 < res.transfer["vinf_arrive_km_s"] < 5.0  # a Mars v_inf on these dates would be far larger
    station = res.ground["passes"][0]["station"]
    ours = [p for p in res.ground["passes"] if p["station"] == station]
    venus = passes(station, "venus", "2006-04-08T07:35:00Z", "2006-04-13T07:35:00Z", 10.0)
    assert [p["culmination_utc"] for p in ours] == [p["culmination_utc"] for p in venus]
