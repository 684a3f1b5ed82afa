"""ExoMars 2022 descent module (src/areo/scenarios/exomars2022.toml [edl], issues 10 and 12) against ESA's
published EDL figures, as planned for 2023-06-10 at Oxia Planum (never flown).

Published figures (sources in scenarios/data/exomars2022_dm_edl.toml): ESA 2019-10-15 "ExoMars parachute
progress": first parachute at ~1700 km/h, the second "some 20 seconds later, at about 400 km/h", "the entire
sequence from atmospheric entry to landing takes just six minutes", parachutes separated ~1 km above ground; ESA
2017-03-28 "Oxia Planum texture map": 120 x 19 km landing ellipses (orientation depends on the launch day);
ESA 2018-11-09: site centre 18.275 N, 335.368 E.

Inputs that are not published figures (see the scenario): calibrated: ``software.braking_accel_m_s2`` = 4.0
(platform release -> touchdown ~24 s, near ESA's engines "triggered 20 seconds before touching"; it moves the
entry -> touchdown time by ~5 s); solved, not fitted: the entry latitude, longitude and azimuth
(areo.edl.targeting for the cruise's incoming asymptote) and cruise.arrival_utc / entry_latitude_deg; assumed:
the dispersions (generic, not fitted), engines, masses of the shields. Un-calibrated: the deploy speeds, the
timeline, the ellipse. Measured (numpy reference, nominal, scenario entry): first parachute at 491 m/s
(1766 km/h, 9.1 km above the site), second main at 154 m/s (553 km/h), touchdown at 373 s and 3.1 m/s;
replay Monte Carlo (2000 runs, seed 0, scenario entry): 99 % ellipse 65 x 8 km, 99.7 % landed (the 6 others
touch down at 5.0-5.5 m/s, just above the assumed 5 m/s leg limit); the replay fixture below (200 runs, seed 0):
64.5 x 7.6 km.

Two expected failures stay, no input having been fitted to close them. (1) The speed at the second main: ESA
publishes only "some 20 seconds later, at about 400 km/h" and (graphic caption 2019/2021) that the second pilot and
main deploy "once at subsonic speeds"; no speed or Mach trigger was found. Under the 15 m stage alone areo's
module slows to 400 km/h only ~33 s after deploy (535 km/h at 20 s, 340 km/h at 60 s and 3 km above the site),
in line with test_exomars2022_dm_data's terminal-speed bracket: ESA's pair of figures implies a faster
deceleration under the first main than areo's assumed DGB Cd table, round 2 t and global Glenn atmosphere give.
(2) The ellipse: ESA's dispersions were not found in public sources; across track only the assumed entry
latitude/longitude/azimuth act (scenario [edl.dispersions] comment), and ESA's 19 km width is the same at Oxia
Planum and Mawrth Vallis (DM data [site.sources])."""

import json
import math
from pathlib import Path

import pytest

from areo.edl.api import load
from areo.edl.simulate import LANDED, simulate_reference
from areo.mission.replay import replay
from tests.units import KM, SECOND

SCENARIO = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios" / "exomars2022.toml"
SITE_LAT, SITE_LON = 18.275, 335.368  # ESA 2018-11-09, Oxia Planum
R_MARS_KM = 3389.5
KMH = 1 / 3.6  # m/s per km/h
ELLIPSE_KM = (120.0, 19.0)  # ESA 2017-03-28: 120 x 19 km
IN_ELLIPSE_KM = ELLIPSE_KM[1] / 2  # inside it whatever its (launch-day dependent) orientation


def _miss_km(lat_deg: float, lon_deg: float) -> float:
    dlat = math.radians(lat_deg - SITE_LAT)
    dlon = math.radians((lon_deg - SITE_LON + 180.0) % 360.0 - 180.0) * math.cos(math.radians(SITE_LAT))
    return math.hypot(dlat, dlon) * R_MARS_KM


@pytest.fixture(scope="module")
def nominal():
    sc, model = load(SCENARIO)
    res, _ = simulate_reference(sc.to_params(sc.faults_for("nominal")), model, history=False)
    return sc, res


def test_nominal_lands_softly_inside_the_published_ellipse(nominal):
    sc, res = nominal
    assert int(res["status"]) == LANDED
    assert res["touchdown_speed"] < sc.touchdown.crush_limit_m_s  # assumed leg capability, 5 m/s
    lat, lon = math.degrees(res["landing_lat"]), math.degrees(res["landing_lon"])
    assert _miss_km(lat, lon) * KM < IN_ELLIPSE_KM * KM


def test_first_parachute_deploys_near_esas_1700_km_h(nominal):
    _sc, res = nominal
    assert abs(res["parachute_deploy_v"] - 1700 * KMH) < 0.05 * 1700 * KMH  # ESA 2019-10-15


@pytest.mark.xfail(
    strict=True,
    reason="measured 553 km/h at the second (35 m) deploy, 20 s after the first (ESA's delay, an input; 458 km/h "
    "when it is fully inflated 3 s later): under the 15 m DGB alone areo's 2 t module reaches ESA's ~400 km/h only "
    "~33 s after deploy. ESA publishes no speed or Mach trigger for the second main (only 'once at subsonic "
    "speeds'); no input fitted to close the gap",
)
def test_second_parachute_opens_near_esas_400_km_h(nominal):
    _sc, res = nominal
    assert abs(res["main_deploy_v"] - 400 * KMH) < 0.2 * 400 * KMH  # ESA 2019-10-15: "at about 400 km/h"


def test_sequence_order_and_platform_release_near_1_km(nominal):
    _sc, res = nominal
    order = ["parachute_deploy", "main_deploy", "heatshield_jettison", "platform_release", "touchdown"]
    times = [res[f"{e}_t"] for e in order]
    assert times == sorted(times)
    assert abs(res["main_deploy_t"] - res["parachute_deploy_t"] - 20 * SECOND) < 1 * SECOND  # ESA: ~20 s later
    assert abs(res["platform_release_h"] - 1 * KM) < 0.1 * KM  # ESA: "about 1 km above ground"


def test_entry_to_landing_takes_about_six_minutes(nominal):
    _sc, res = nominal
    # ESA 2019-10-15: "just six minutes" (a round figure: +-30 s)
    assert abs(res["touchdown_t"] - res["entry_t"] - 6 * 60 * SECOND) < 30 * SECOND


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    out = tmp_path_factory.mktemp("exomars2022")
    res = replay("exomars2022", out, runs=200, seed=0)
    return res, json.loads((out / "summary.json").read_text())


def test_replay_lands_the_descent_module_at_oxia_planum(replayed):
    """End to end: cruise -> separation -> the DM's EDL from the cruise's entry state -> summary.json landings."""
    res, s = replayed
    assert res.edl["nominal"]["entry_from"].startswith("cruise")
    (land,) = s["landings"]
    assert land["vehicle"] == "Descent module" and land["case"] == "nominal" and land["status"] == "landed"
    assert _miss_km(land["lat_deg"], land["lon_deg"]) * KM < IN_ELLIPSE_KM * KM
    assert land["touchdown_speed_m_s"] < 5.0  # assumed leg capability
    assert land["utc"].startswith("2023-06-10")  # ESA: landing on 2023-06-10
    ev = {(e["vehicle"], e["name"]): e["utc"] for e in s["events"]}
    assert ev[("Descent module", "entry-interface")].startswith("2023-06-10")


def test_replay_monte_carlo_ellipse_lies_inside_the_published_one(replayed):
    mc = replayed[0].montecarlo
    assert mc["runs"] == 200 and mc["success_rate"] > 0.95
    assert mc["ellipse_major_km"] * KM < ELLIPSE_KM[0] * KM and mc["ellipse_minor_km"] * KM < ELLIPSE_KM[1] * KM


@pytest.mark.xfail(
    strict=True,
    reason="the generic (assumed, not fitted) dispersions give a 99 % ellipse of 64.5 x 7.6 km (200 runs; 65 x 8 km "
    "with 2000), about half ESA's 120 x 19 km, whose dispersions (navigation at entry, atmosphere, winds) were not "
    "found in public sources; the width comes only from the assumed entry latitude/longitude/azimuth sigmas",
)
def test_replay_monte_carlo_ellipse_matches_the_published_size(replayed):
    mc = replayed[0].montecarlo
    assert abs(mc["ellipse_major_km"] - ELLIPSE_KM[0]) * KM < 0.25 * ELLIPSE_KM[0] * KM
    assert abs(mc["ellipse_minor_km"] - ELLIPSE_KM[1]) * KM < 0.25 * ELLIPSE_KM[1] * KM
