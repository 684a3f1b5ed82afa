"""Phoenix (src/areo/scenarios/phoenix2008.toml) replayed end to end (issue 12, section 3): launch, TCMs aimed at
the landing site through the EDL entry solver, cruise-stage separation, entry, EDL, summary.json.

Published figures (sources in the scenario's header):
- landing site 68.22 N, 234.25 E: NASA/JPL/UA HiRISE image of the lander (PIA10705, 2008); Withers & Catling
  (AGU 2009, P54B-08): 68.2 N 234.3 E;
- entry 2008-05-25 23:31:13 UTC at Mars: NASA/JPL landing timeline, entry 4:46:33 p.m. PDT Earth-receive, less the
  920 s one-way light time;
- launch C3 = 29.080 km^2/s^2: J. McDowell's launch summary (Jonathan's Space Report, via weebau.com satplan).

Inputs, not outputs: the launch epoch, the TCM dates, the separation lead (7 min), entry altitude and flight-path
angle, the EDL vehicle. Calibrated: none here (the EDL's ``software.terminal_gain_per_s`` is calibrated on the
touchdown timing, see tests/edl/test_phoenix.py). Solved, not fitted: the entry latitude, longitude, azimuth and
epoch (areo.edl.targeting from the cruise's own incoming asymptote). Measured (2026-11-30): landing 0.2 km from the
site (prograde) and 1.5 km (retrograde); entry 17.4 min before the published epoch; C3 28.74 km^2/s^2.
"""

import json
import math

import numpy as np
import pytest

from areo.cruise.segments.site import entry_epoch
from areo.errors import InputError
from areo.mission.replay import replay
from areo.mission.scenario import load_scenario
from areo.mission.site_targeting import reachable_latitudes_deg, site_solver
from areo.time import utc_to_tdb_seconds
from tests.units import KM, KM2_S2, MINUTE, SECOND

SITE_LAT_DEG, SITE_LON_DEG = 68.22, 234.25  # HiRISE (PIA10705)
ENTRY_UTC = "2008-05-25T23:31:13Z"  # NASA/JPL timeline, less light time
C3_KM2_S2 = 29.080  # McDowell
R_SITE = 3376 * KM  # local radius at 68 N, -4.1 km (IAU ellipsoid less the MOLA elevation)


def _miss_m(lat_deg, lon_deg):
    """Great-circle distance (m) from the HiRISE site on a sphere of the site's radius."""
    p1, p2 = math.radians(SITE_LAT_DEG), math.radians(lat_deg)
    dl = math.radians(lon_deg - SITE_LON_DEG)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return R_SITE * math.acos(min(1.0, c))


@pytest.fixture(scope="module")
def flown(tmp_path_factory):
    out = tmp_path_factory.mktemp("phoenix")
    res = replay("phoenix2008", out, runs=0)
    return res, json.loads((out / "summary.json").read_text())


def test_landing_within_10_km_of_the_hirise_site(flown):
    _, summary = flown
    (landing,) = summary["landings"]
    assert landing["status"] == "landed"
    assert _miss_m(landing["lat_deg"], landing["lon_deg"]) < 10 * KM


def test_entry_epoch_against_the_published_one(flown):
    # the entry epoch is an output: the epoch at which Mars' rotation brings the site under the simulated approach
    # (measured 17.4 min early, i.e. ~4 deg of Mars rotation)
    _, summary = flown
    entry = next(e for e in summary["events"] if e["name"] == "entry-interface")
    dt = float(utc_to_tdb_seconds(entry["utc"])) - float(utc_to_tdb_seconds(ENTRY_UTC))
    assert abs(dt) < 25 * MINUTE


def test_launch_c3_against_the_published_one(flown):
    res, _ = flown
    launch = next(e for e in res.cruise.events if e.name == "launch")
    # McDowell's figure is the flown hyperbola (with the launch bias away from Mars); areo's the design's
    assert abs(launch.figures["c3_km2_s2"] - C3_KM2_S2) * KM2_S2 < 1.0 * KM2_S2


def test_summary_json_landing_entry_follows_the_contract(flown):
    _, summary = flown
    (landing,) = summary["landings"]
    assert set(landing) >= {"vehicle", "status", "lat_deg", "lon_deg", "touchdown_speed_m_s", "utc"}
    assert landing["vehicle"] == "Phoenix entry vehicle" and landing["case"] == "nominal"
    assert landing["touchdown_speed_m_s"] < 4.0  # [edl.touchdown] crush limit; 2.4 m/s constant velocity (NASA/JPL)
    entry = next(e for e in summary["events"] if e["name"] == "entry-interface")
    t_entry, t_touch = (float(utc_to_tdb_seconds(u)) for u in (entry["utc"], landing["utc"]))
    assert abs(t_touch - t_entry - 439 * SECOND) < 30 * SECOND  # NASA/JPL timeline: entry -> touchdown 439 s


def test_cruise_stage_separates_7_minutes_before_the_solved_entry(flown):
    _, summary = flown
    ev = {e["name"]: float(utc_to_tdb_seconds(e["utc"])) for e in summary["events"]}
    assert abs(ev["entry-interface"] - ev["separation"] - 7 * MINUTE) < 1 * SECOND
    # the cruise stage follows the entry vehicle in and breaks up at the entry interface (no orbit insertion): its
    # trajectory and tracking end there
    assert ev["burn-up:mars"] >= ev["entry-interface"] and summary["orbits"] == []  # same second: no avoidance


def _fly_branch(branch):
    from areo.cruise import fly
    from areo.mission._edl_adapter import entry_params_from_cruise, run_edl_cases
    from areo.mission.plan import cruise_plan

    sc = load_scenario("phoenix2008")
    sc = sc.model_copy(update={"cruise": sc.cruise.model_copy(update={"site_branch": branch})})
    cr = fly(cruise_plan(sc))
    cases, _ = run_edl_cases(sc, cr.entry)
    return entry_params_from_cruise(cr.entry), cases["nominal"]


def test_retrograde_branch_is_selectable_and_lands_on_the_site(flown):
    res, _ = flown
    from areo.mission._edl_adapter import entry_params_from_cruise

    prograde = entry_params_from_cruise(res.cruise.entry)
    entry, run = _fly_branch("retrograde")
    # heading at entry: east of north on the prograde branch, west on the retrograde one (mirror images)
    assert math.sin(prograde["entry_azimuth"]) > 0.5 and math.sin(entry["entry_azimuth"]) < -0.5
    assert run["status"] == "landed"
    assert _miss_m(run["landing_lat_deg"], run["landing_lon_deg"]) < 10 * KM


def test_an_unreachable_site_says_the_nearest_reachable_latitude_in_one_line():
    sc = load_scenario("phoenix2008")
    solve = site_solver(sc, "prograde", 143e3, -13.0)
    with pytest.raises(InputError) as e:
        solve(-75.0, 5600.0)  # an asymptote far south of the equator: the northern site is out of its reach
    msg = str(e.value)
    assert "nearest reachable latitude" in msg and "\n" not in msg
    near = float(msg.split("nearest reachable latitude is ")[1].split(" deg")[0])
    assert near < SITE_LAT_DEG


def test_site_branch_accepts_only_the_two_branches(tmp_path):
    from areo.scenarios import locate

    text = locate("phoenix2008").read_text().replace('site_branch = "prograde"', 'site_branch = "sideways"')
    (tmp_path / "p.toml").write_text(text)
    with pytest.raises(InputError, match="site_branch"):
        load_scenario(str(tmp_path / "p.toml"))


def test_reachable_latitudes_match_a_brute_force_search_on_the_sphere():
    rng = np.random.default_rng(1)
    lons = np.radians(np.linspace(-180, 180, 7201))
    for dec, zeta in zip(rng.uniform(-80, 80, 20), rng.uniform(20, 160, 20), strict=True):
        lo, hi = reachable_latitudes_deg(dec, zeta)
        for lat in np.linspace(-89, 89, 90):
            # angle from a site at `lat` to an asymptote at `dec`, over every relative longitude
            c = np.sin(np.radians(lat)) * np.sin(np.radians(dec)) + np.cos(np.radians(lat)) * np.cos(
                np.radians(dec)
            ) * np.cos(lons)
            ang = np.degrees(np.arccos(np.clip(c, -1, 1)))
            found = ang.min() - 0.05 <= zeta <= ang.max() + 0.05
            if abs(lat - lo) > 0.1 and abs(lat - hi) > 0.1:  # away from the edges (grid resolution)
                assert found == (lo <= lat <= hi), (dec, zeta, lat, lo, hi)


def test_entry_epoch_puts_the_asymptote_at_the_solved_longitude_within_half_a_sol():
    from areo.constants import OMEGA_MARS
    from areo.cruise.bplane import mars_relative_figures

    ref = float(utc_to_tdb_seconds(ENTRY_UTC))
    half_sol = math.pi / float(OMEGA_MARS)
    for s in (np.array([0.3, -0.8, 0.52]), np.array([-0.6, 0.1, -0.79])):
        s = s / np.linalg.norm(s)
        for target in (-170.0, -20.0, 95.0):
            t = entry_epoch(s, target, ref)
            lon = mars_relative_figures(t, s * 1e7, s).longitude_deg
            assert abs((lon - target + 180) % 360 - 180) < 1e-6
            assert abs(t - ref) <= half_sol + 1 * SECOND


def test_tcms_keep_their_published_numbers(flown):
    # TCM-4 (2008-05-10) was skipped (JPL 2008-05-09): the last TCM flown is TCM-5, 9:00 p.m. PDT May 17 (JPL 2008-74b)
    _, summary = flown
    names = {e["name"]: e["utc"] for e in summary["events"] if e["name"].startswith("TCM")}
    assert set(names) == {"TCM-1", "TCM-2", "TCM-3", "TCM-5"}
    assert names["TCM-5"].startswith("2008-05-18T04:00:00")


def test_tcm_names_must_match_the_epochs():
    from dataclasses import replace

    from areo.mission.plan import cruise_plan

    plan = cruise_plan(load_scenario("phoenix2008"))
    with pytest.raises(InputError, match="one name per epoch"):
        replace(plan, tcm_names=("TCM-1",)).validate()


def test_entry_aim_point_branches_are_mirror_solutions_for_one_latitude():
    from areo.cruise.targeting import EntryTarget, entry_aim_point

    r, v = np.array([-2.0e8, 3.0e7, 5.0e7]), np.array([2500.0, -300.0, -600.0])  # a Mars-centred approach
    aims = {
        b: entry_aim_point(EntryTarget(143e3, -13.0, 40.0, branch=b), r, v, 0.0) for b in ("prograde", "retrograde")
    }
    pro, retro = aims["prograde"], aims["retrograde"]
    assert math.cos(pro.theta_rad) > 0 > math.cos(retro.theta_rad)  # h.N > 0 and < 0
    assert abs(math.sin(pro.theta_rad) - math.sin(retro.theta_rad)) < 1e-12  # the same latitude equation
    assert abs(pro.b_m - retro.b_m) < 1e-6  # |B| set by the flight-path angle alone
    with pytest.raises(InputError, match="branch"):
        EntryTarget(143e3, -13.0, 40.0, branch="sideways")


def test_an_unreachable_site_is_refused_before_anything_is_flown(tmp_path):
    from areo.mission.preflight import preflight
    from areo.scenarios import locate

    text = locate("phoenix2008").read_text().replace("target_latitude_deg = 68.22", "target_latitude_deg = -80.0")
    (tmp_path / "p.toml").write_text(text)
    sc = load_scenario(str(tmp_path / "p.toml"))
    with pytest.raises(InputError, match="nearest reachable latitude") as e:
        preflight(sc)  # the patched-conic arrival asymptote (declination ~23 deg) cannot reach 80 S
    assert "\n" not in str(e.value)


def test_an_unreachable_site_on_the_command_line_is_one_line_exit_2_and_nothing_written(tmp_path):
    from typer.testing import CliRunner

    from areo.cli import app
    from areo.scenarios import locate

    text = locate("phoenix2008").read_text().replace("target_latitude_deg = 68.22", "target_latitude_deg = -80.0")
    (tmp_path / "p.toml").write_text(text)
    r = CliRunner().invoke(app, ["replay", str(tmp_path / "p.toml"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "nearest reachable latitude" in lines[0], r.output
    assert not (tmp_path / "out").exists()
