"""EDL environment (issue 10, physics): season and local time (Mars24), atmosphere profile sets by season, latitude
and local time, separate truth and on-board atmospheres, winds, datums, and the bad inputs of each.

Authorities: NASA GISS "Mars24 Algorithm and Worked Examples" (worked example at 2000-01-06 00:00:00 UTC, JD_TT
2451549.50074: Ls = 277.18758 deg, MST 44795.999758 sols, LTST at the prime meridian 23:38:53.998; the same
values are quoted as the test case of Project Pluto's marstime.cpp); the speed of sound sqrt(gamma R T) (the
navigation fires the parachute on its own Mach estimate, so a warmer on-board atmosphere fires it at a true Mach
higher by a_nav / a_true); the IAU 2015 Mars radii (Archinal et al. 2018); invariants (a uniform wind drifts the
landing point downwind by about the wind speed times the time under the canopy)."""

import math
import tomllib

import numpy as np
import pytest

from areo.constants import R_MARS_EQ
from areo.edl import atmosphere as atm_mod
from areo.edl import dynamics as dyn
from areo.edl.atmosphere import GlennMarsAtmosphere, ProfileSet, TabulatedAtmosphere, mars_solar_time
from areo.edl.montecarlo import run_batch
from areo.edl.scenario import parse_edl
from areo.edl.simulate import simulate_reference
from areo.errors import InputError
from tests.units import METRE

from .conftest import SCENARIO

A, B = 3396.19e3, 3376.20e3  # IAU Mars ellipsoid radii (m)


def data():
    return tomllib.loads(SCENARIO.read_text())


def quiet(p, **kw):
    return dict(p, gyro_arw=0.0, acc_vrw=0.0, radar_noise=0.0, **kw)


def test_mars24_worked_example():
    ls, ltst = mars_solar_time(2451549.50074, 0.0)
    assert abs(ls - 277.18758) < 1e-5
    assert abs(ltst - (23 + 38 / 60 + 53.998 / 3600)) * 3600 < 0.5  # seconds of Mars time
    _, east = mars_solar_time(2451549.50074, 90.0)
    assert abs((east - ltst) % 24 - 6.0) < 1e-9  # 90 deg east: 6 Mars hours later


# ---- profile sets


def glenn_rows(ls, lat, lt, t_shift=0.0, rho_factor=1.0, heights=(-10e3, 0.0, 20e3, 60e3, 130e3)):
    g = GlennMarsAtmosphere()
    out = []
    for h in heights:
        t, p, rho = (float(x) for x in g.evaluate(np.array(h)))
        out.append(f"{ls},{lat},{lt},{h},{t + t_shift},{p},{rho * rho_factor}")
    return out


HEADER = "solar_longitude_deg,latitude_deg,local_time_h,altitude_m,temperature_K,pressure_Pa,density_kg_m3"


def write_set(path, combos):
    lines = [HEADER] + [row for c in combos for row in glenn_rows(*c)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def profile_set(tmp_path):
    combos = []
    for ls in (90.0, 270.0):
        for lat in (-30.0, 30.0):
            for lt in (3.0, 15.0):
                warm = 10.0 * (ls == 270.0) + 5.0 * (lat > 0) + 2.0 * (lt == 15.0)
                combos.append((ls, lat, lt, warm, 1.0 + 0.2 * (ls == 270.0)))
    return write_set(tmp_path / "set.csv", combos)


def test_profile_set_reproduces_its_nodes_and_interpolates_between(profile_set):
    ps = ProfileSet.from_csv(profile_set)
    h = np.array([0.0, 20e3, 60e3])
    g_t, _, g_rho = GlennMarsAtmosphere().evaluate(h)
    t, _, rho = ps.at(270.0, 30.0, 15.0).evaluate(h)
    assert np.max(np.abs(t - (g_t + 17.0))) < 1e-9 and np.allclose(rho, 1.2 * g_rho, rtol=1e-12)
    t, _, rho = ps.at(180.0, 0.0, 9.0).evaluate(h)  # the middle of every axis
    assert np.max(np.abs(t - (g_t + 8.5))) < 1e-9
    assert np.allclose(rho, math.sqrt(1.2) * g_rho, rtol=1e-12)  # log-linear in density
    t_wrap, _, _ = ps.at(0.0, 30.0, 21.0).evaluate(h)  # Ls 0 is halfway from 270 to 90 (periodic), 21 h from 15 to 3
    assert np.max(np.abs(t_wrap - (g_t + 5.0 + 5.0 + 1.0))) < 1e-9
    t_pole, _, _ = ps.at(90.0, 80.0, 3.0).evaluate(h)  # latitude clamped to the set's range
    assert np.max(np.abs(t_pole - (g_t + 5.0))) < 1e-9


def test_scenario_profile_set_takes_season_and_local_time_from_the_epoch(profile_set):
    d = data()
    d["edl"]["atmosphere"].update(model="table_set", table=str(profile_set))
    sc = parse_edl(d)
    ls, lat, lt = sc.conditions()
    jd_tt = (
        2451545.0
        + (np.datetime64(sc.entry.epoch_utc.rstrip("Z")) - np.datetime64("2000-01-01T12:00:00"))
        / np.timedelta64(1, "D")
        + 69.184 / 86400
    )
    want_ls, want_lt = mars_solar_time(float(jd_tt), sc.site.target_longitude_deg)
    assert abs(ls - want_ls) < 1e-3 and abs(lt - want_lt) < 1e-2 and lat == sc.site.target_latitude_deg
    assert "Ls=" in sc.model().atmosphere.name
    d["edl"]["atmosphere"].update(solar_longitude_deg=270.0, local_time_h=15.0)
    sc2 = parse_edl(d)
    assert sc2.conditions() == (270.0, sc2.site.target_latitude_deg, 15.0)


def test_incomplete_or_unsorted_profile_set_is_one_clear_line(tmp_path):
    bad = write_set(tmp_path / "holes.csv", [(90.0, 0.0, 3.0), (270.0, 0.0, 3.0), (270.0, 30.0, 3.0)])
    with pytest.raises(InputError, match=r"do not fill the grid of 2 x 2 x 1"):
        ProfileSet.from_csv(bad)
    text = "\n".join([HEADER, *glenn_rows(90.0, 0.0, 3.0, heights=(0.0, 20e3, 10e3))]) + "\n"
    (tmp_path / "desc.csv").write_text(text)
    with pytest.raises(InputError, match=r"line 4: altitude_m = 10000 does not increase") as err:
        ProfileSet.from_csv(tmp_path / "desc.csv")
    assert "\n" not in str(err.value)


def test_table_not_monotonic_in_altitude_names_the_line_and_value(tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text(
        "# profile\naltitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,210,600,0.015\n5000,205,500,0.013\n4000,206,510,0.0131\n"
    )
    with pytest.raises(
        InputError, match=r"'t.csv', line 5: altitude_m = 4000 is not above the previous row's 5000"
    ) as err:
        TabulatedAtmosphere.from_csv(bad)
    assert "\n" not in str(err.value)


# ---- truth and on-board atmospheres, winds


def test_warmer_onboard_atmosphere_fires_the_parachute_at_a_higher_true_mach(scenario, tmp_path):
    g = GlennMarsAtmosphere()
    h = np.linspace(-10e3, 150e3, 321)
    t, p, rho = g.evaluate(h)
    rows = "\n".join(f"{a},{b + 20.0},{c},{d}" for a, b, c, d in zip(h, t, p, rho))
    (tmp_path / "warm.csv").write_text("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n" + rows + "\n")
    d = data()
    d["edl"]["atmosphere"].update(navigation_model="table", navigation_table=str(tmp_path / "warm.csv"))
    sc = parse_edl(d)
    model = sc.model(tmp_path)
    assert model.atmosphere.name == "glenn" and model.nav_atmosphere.name == "warm"
    r, _ = simulate_reference(quiet(sc.to_params([])), model, history=False)
    t_true = float(g.evaluate(np.array(r["parachute_deploy_h"] + sc.site.elevation_m))[0])
    a_true = atm_mod.speed_of_sound(t_true)
    a_nav = atm_mod.speed_of_sound(t_true + 20.0)
    deploy_mach = next(tr.below for ph in sc.phases for tr in ph.exit if tr.quantity == "mach")  # the table's
    assert abs(r["parachute_deploy_mach"] - deploy_mach * a_nav / a_true) < 0.01  # Mach


def with_wind(north_m_s):
    d = data()
    d["edl"]["atmosphere"].update(
        wind_altitude_km=[-10.0, 150.0], wind_east_m_s=[0.0, 0.0], wind_north_m_s=[north_m_s] * 2
    )
    return parse_edl(d)


def test_uniform_wind_drifts_the_landing_point_downwind(scenario, model):
    p = quiet(scenario.to_params([]))
    calm, _ = simulate_reference(p, model, history=False)
    sc = with_wind(10.0)
    windy_model = sc.model()
    assert windy_model.has_wind
    windy, _ = simulate_reference(p, windy_model, history=False)
    north = (windy["landing_lat"] - calm["landing_lat"]) * float(R_MARS_EQ)
    east = (windy["landing_lon"] - calm["landing_lon"]) * math.cos(calm["landing_lat"]) * float(R_MARS_EQ)
    under_canopy = calm["touchdown_t"] - calm["parachute_deploy_t"]
    # the canopy drifts with the wind; the lateral speed gained never exceeds the wind's over the whole descent
    assert 0.6 * 10.0 * under_canopy < north < 10.0 * calm["touchdown_t"]
    assert abs(east) < 0.2 * north
    out = run_batch({k: np.full(2, float(v)) for k, v in p.items()}, windy_model)
    assert abs(out["landing_lat"][0] - windy["landing_lat"]) * 3.4e6 < 1e-3 * METRE  # kernel = numpy reference


@pytest.mark.parametrize(
    "wind,match",
    [
        ({"wind_altitude_km": [0.0, 10.0], "wind_east_m_s": [1.0], "wind_north_m_s": [0.0, 0.0]}, "same length"),
        (
            {"wind_altitude_km": [10.0, 0.0], "wind_east_m_s": [1.0, 1.0], "wind_north_m_s": [0.0, 0.0]},
            "increase strictly",
        ),
    ],
)
def test_bad_wind_profile(wind, match):
    d = data()
    d["edl"]["atmosphere"].update(wind)
    with pytest.raises(InputError, match=match) as err:
        parse_edl(d)
    assert "\n" not in str(err.value)


# ---- datums


def entry_with(**entry):
    d = data()
    d["edl"]["entry"].pop("altitude_km")
    d["edl"]["entry"].update(entry)
    return parse_edl(d)


def test_altitude_above_a_named_sphere():
    lat = 68.0
    phi = math.radians(lat)
    r_ell = A * B / math.hypot(B * math.cos(phi), A * math.sin(phi))
    for ref, radius in (("mean_sphere", 3389.5e3), ("mola_sphere", 3396.0e3)):
        sc = entry_with(altitude_km=125.0, altitude_reference=ref, latitude_deg=lat)
        assert abs(sc.to_params([])["entry_alt"] - (radius + 125e3 - r_ell)) < 1e-6 * METRE
    with pytest.raises(InputError, match="unknown altitude reference 'geoid'"):
        entry_with(altitude_km=125.0, altitude_reference="geoid", latitude_deg=lat)


def test_kernels_start_at_the_quoted_entry_radius():
    sc = entry_with(radius_km=3522.2, latitude_deg=68.0)
    p = sc.to_params([])
    (x, y, z), _ = dyn.state_from_entry(
        p["entry_alt"], p["entry_lat"], p["entry_lon"], p["entry_speed"], p["entry_fpa"], p["entry_azimuth"]
    )
    assert abs(math.sqrt(x * x + y * y + z * z) - 3522.2e3) < 1e-3 * METRE


def test_site_elevation_above_the_areoid():
    d = data()
    d["edl"]["site"].update(elevation_reference="areoid", areoid_height_m=-250.0)
    sc = parse_edl(d)
    p = sc.to_params([])
    assert p["ground_elev"] == p["nav_ground_elev"] == sc.site.elevation_m - 250.0
    r, _ = simulate_reference(quiet(p), sc.model(), history=False)
    assert r["status"] == 1 and abs(r["touchdown_h"]) < 1.0 * METRE  # touchdown on the shifted ground
    del d["edl"]["site"]["areoid_height_m"]
    with pytest.raises(InputError, match="give areoid_height_m") as err:
        parse_edl(d)
    assert "\n" not in str(err.value)


# ---- bank laws and aero tables in the scenario


def test_bank_table_in_the_scenario(tmp_path):
    d = data()
    d["edl"]["aeroshell"]["lift_to_drag"] = 0.2
    d["edl"]["bank"] = {
        "law": "profile",
        "profile_of": "speed_m_s",
        "profile_at": [1000.0, 5000.0],
        "profile_deg": [0.0, 90.0],
    }
    law = parse_edl(d).model().bank
    assert law.mode == "speed" and law.angles_rad == (0.0, math.pi / 2)
    d["edl"]["bank"]["profile_at"] = [5000.0, 1000.0]
    with pytest.raises(InputError, match=r"profile_at must increase strictly: 1000 follows 5000"):
        parse_edl(d)
    d["edl"]["bank"]["profile_at"] = [1000.0, 5000.0]
    d["edl"]["aeroshell"]["bank_angle_deg"] = 30.0
    with pytest.raises(InputError, match="both declare the bank angle"):
        parse_edl(d).model()
    d["edl"]["bank"] = {"law": "drag_tracking", "reference_speed_m_s": [1000.0], "reference_drag_m_s2": [5.0]}
    with pytest.raises(InputError, match="at least 2"):
        parse_edl(d)


def test_lift_declared_twice_is_refused(tmp_path):
    (tmp_path / "ld.csv").write_text("mach,drag_coefficient,lift_to_drag\n0,1.6,0.2\n30,1.6,0.2\n")
    d = data()
    d["edl"]["aeroshell"].update(aero_table="ld.csv", lift_to_drag=0.2)
    with pytest.raises(InputError, match="both declare the capsule's L/D"):
        parse_edl(d).model(tmp_path)
    d["edl"]["aeroshell"]["lift_to_drag"] = 0.0
    m = parse_edl(d).model(tmp_path)
    assert m.has_lift and m.capsule.lift_to_drag == (0.2, 0.2)


def test_wind_dispersion_scales_the_profile(scenario, model):
    from areo.edl.montecarlo import sample_params

    p = quiet(scenario.to_params([]))
    windy_model = with_wind(10.0).model()
    calm, _ = simulate_reference(p, model, history=False)
    still, _ = simulate_reference(dict(p, wind_scale=0.0), windy_model, history=False)
    assert still["landing_lat"] == calm["landing_lat"] and still["touchdown_t"] == calm["touchdown_t"]
    one, _ = simulate_reference(p, windy_model, history=False)
    two, _ = simulate_reference(dict(p, wind_scale=2.0), windy_model, history=False)
    drift1, drift2 = one["landing_lat"] - calm["landing_lat"], two["landing_lat"] - calm["landing_lat"]
    assert abs(drift2 / drift1 - 2.0) < 0.1  # drift about linear in the wind
    draws = sample_params(p, {"wind": 0.3}, seed=3, start=0, stop=2000)["wind_scale"]
    assert abs(np.mean(draws) - 1.0) < 0.03 and abs(np.std(draws) - 0.3) < 0.03


@pytest.mark.parametrize(
    "entry", [{"radius_km": 3420.0, "latitude_deg": 0.0}, {"radius_km": 3401.0, "latitude_deg": 80.0}]
)
def test_entry_interface_below_the_atmosphere_or_the_surface_is_refused(entry):
    with pytest.raises(
        InputError, match=r"radius_km = 34\d\d puts the entry interface .* km above the IAU ellipsoid"
    ) as err:
        entry_with(**entry)
    assert "\n" not in str(err.value)
