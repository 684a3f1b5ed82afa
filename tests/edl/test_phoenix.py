"""Phoenix 2008 (src/areo/scenarios/phoenix2008.toml) against NASA/JPL's published EDL (issue 10, section 3).

Published figures (sources in the scenario's header): NASA/JPL landing timeline (nominal, 2008-05): entry
4:46:33, parachute 4:50:15 (+-13 s, 99 %), lander separation 4:53:09, touchdown 4:53:52 (+-46 s), so
entry->parachute 222 s, parachute->touchdown 217 s, entry->separation 396 s; Withers & Catling (AGU 2009,
P54B-08): parachute deployment at 13.5 km above the surface and 391 m/s; JPL caption "Phoenix Without its
Parachute": separation at ~1 km and ~56 m/s; NASA/JPL PIA10675 and the 2008-05-24 briefing: 99 % ellipse about
70 km long and 20-23 km wide; Ryne et al. 2008 (JPL TRS 2014/45419): delivery to an entry corridor ~20 km wide.

Inputs that are not published figures (see the scenario): calibrated: ``software.terminal_gain_per_s`` = 0.1
(slope of the terminal speed profile, chosen so that separation->touchdown takes ~40 s, the timeline's 43 s;
with the generic 0.5 it takes ~30 s and parachute->touchdown drops by ~12 s); solved, not fitted to any
duration: the entry latitude, longitude and azimuth (areo.edl.targeting, for an assumed approach azimuth of
115 deg at the site); derived from published figures: ``software.braking_accel_m_s2`` (56 m/s at 1 km). The
durations entry->parachute and parachute->touchdown are otherwise un-calibrated. Measured (numpy reference,
nominal): entry->parachute 223.1 s, parachute->touchdown 215.6 s, deploy at 13.52 km and 414 m/s, separation at
398.8 s and 55 m/s; Monte Carlo (2000 runs, seed 0, the fixture below): 99 % ellipse 68.6 x 8.2 km.

The ellipse width stays an expected failure. Phoenix's own Monte Carlo inputs (the navigation team's entry-state
covariance; Prince et al. 2008's uncertainty table) were searched for and not reachable; what was found (scenario
header: Ryne 2008, Lakdawalla 2008-05-24, Grover 2008) bounds the entry corridor (flight-path angle, so the
length), not the crossrange. Across track the width comes only from the assumed entry latitude (0.02 deg: 7.0 km
alone), azimuth (0.05 deg: 4.0 km) and longitude (0.02 deg: 2.7 km) dispersions; 20-23 km needs ~3.5 km of
1-sigma crossrange, which no input was changed to give."""

import math
from pathlib import Path

import numpy as np
import pytest

from areo.constants import GM_MARS
from areo.edl.api import load, monte_carlo
from areo.edl.simulate import LANDED, simulate_reference
from tests.units import KM, METRE, SECOND

SCENARIO = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios" / "phoenix2008.toml"
SITE_LAT, SITE_LON = 68.22, 234.25  # HiRISE landing site (scenario)


@pytest.fixture(scope="module")
def phoenix():
    sc, model = load(SCENARIO)
    res, _ = simulate_reference(sc.to_params(sc.faults_for("nominal")), model, history=False)
    return res


def test_entry_to_parachute_duration_matches_the_nasa_timeline(phoenix):
    assert abs(phoenix["parachute_deploy_t"] - 222.0 * SECOND) < 10 * SECOND  # 4:46:33 -> 4:50:15


def test_parachute_to_touchdown_duration_matches_the_nasa_timeline(phoenix):
    assert abs(phoenix["touchdown_t"] - phoenix["parachute_deploy_t"] - 217.0 * SECOND) < 10 * SECOND  # -> 4:53:52


def test_lander_separation_time_altitude_and_speed(phoenix):
    assert abs(phoenix["lander_separation_t"] - 396.0 * SECOND) < 10 * SECOND  # 4:46:33 -> 4:53:09
    assert abs(phoenix["lander_separation_h"] - 1.0 * KM) < 50 * METRE  # "about a kilometer"
    assert abs(phoenix["lander_separation_v"] - 56.0) < 0.1 * 56.0  # ~56 m/s


def test_parachute_deploys_where_the_reconstruction_puts_it(phoenix):
    # Withers & Catling 2009: 13.5 km above the surface, 391 m/s (Mach 1.7 is an input, the altitude is not)
    assert abs(phoenix["parachute_deploy_h"] - 13.5 * KM) < 1 * KM
    assert abs(phoenix["parachute_deploy_v"] - 391.0) < 0.1 * 391.0


def test_nominal_lands_softly_on_the_site(phoenix):
    assert phoenix["status"] == LANDED
    assert phoenix["touchdown_speed"] < 4.0  # 2.4 m/s constant velocity, then the 0.5 m cut-off drop
    r = 3376 * KM  # local radius at 68 N, -4.1 km
    north = math.radians(math.degrees(phoenix["landing_lat"]) - SITE_LAT) * r
    dlon = (math.degrees(phoenix["landing_lon"]) - SITE_LON + 180) % 360 - 180
    east = math.radians(dlon) * r * math.cos(math.radians(SITE_LAT))
    assert math.hypot(north, east) < 1 * KM


@pytest.fixture(scope="module")
def ellipse():
    return monte_carlo(SCENARIO, runs=2000, seed=0).to_json()["landing_ellipse_99"]


def test_99_percent_ellipse_length_matches_the_published_one(ellipse):
    # PIA10675 / 2008-05-24 briefing: ~70 km long (dispersions are generic assumptions, not Phoenix's own)
    assert abs(ellipse["major_axis_km"] - 70.0) < 15.0


@pytest.mark.xfail(
    strict=True,
    reason="99 % ellipse width: measured 8.2 km (2000 runs, seed 0) vs the published 20-23 km. Across track only "
    "the assumed entry latitude/azimuth/longitude dispersions act (7.0, 4.0, 2.7 km alone); Phoenix's delivery "
    "covariance and wind/lift dispersions were not found (Ryne 2008 gives only a ~20 km-wide entry corridor, "
    "read here as bounding the flight-path angle), and no input was fitted to close the gap",
)
def test_99_percent_ellipse_width_matches_the_published_one(ellipse):
    assert abs(ellipse["minor_axis_km"] - 21.5) < 5.0


def test_assumed_flight_path_angle_dispersion_fits_the_published_entry_corridor():
    """Ryne et al. 2008 (JPL TRS 2014/45419): Phoenix had to be delivered to a corridor "approximately 20 km wide"
    at the top of the atmosphere. With B = r v cos(gamma) / v_inf (angular momentum) and v_inf from vis-viva, its
    half-width maps to a flight-path-angle half-width; the scenario's assumed 1-sigma, at 3 sigma, must fit in it."""
    sc, _ = load(SCENARIO)
    r, v = sc.entry.radius_km * KM, sc.entry.speed_km_s * KM
    gamma = math.radians(abs(sc.entry.flight_path_angle_deg))
    v_inf = math.sqrt(v * v - 2.0 * float(GM_MARS) / r)
    db_dgamma = r * v * math.sin(gamma) / v_inf  # m per rad
    half_width_deg = math.degrees(10 * KM / db_dgamma)  # ~0.36 deg
    assert 3 * sc.dispersions.entry_flight_path_angle_deg <= half_width_deg


def test_every_number_in_the_scenario_has_a_source_comment():
    for i, line in enumerate(SCENARIO.read_text().splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#") or "=" not in s:
            continue
        key, value = (p.strip() for p in s.split("=", 1))
        bare = value.split("#")[0].strip()
        if bare.replace(".", "", 1).replace("-", "", 1).replace("e", "", 1).isdigit():
            assert "#" in value, f"phoenix2008.toml line {i}: {key} = {bare} has no source comment"


def test_release_on_the_radar_altitude_within_20_m_in_monte_carlo():
    from areo.edl.montecarlo import run_batch, sample_params

    sc, model = load(SCENARIO)
    nominal = sc.to_params(sc.faults_for("nominal"))
    out = run_batch(sample_params(nominal, sc.dispersions.model_dump(), 3, 0, 500), model)
    err = out["lander_separation_h"] - next(
        tr.below_m for ph in sc.phases for tr in ph.exit if tr.quantity == "radar_altitude"
    )
    assert np.all(np.isfinite(err)) and np.all(np.abs(err) <= 20 * METRE)
