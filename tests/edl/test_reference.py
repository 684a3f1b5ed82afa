"""The numpy reference reproduces the published Schiaparelli figures, nominal and as flown, from the physics.

Sources: ESA, "Schiaparelli with parachute deployed" and descent-sequence pages (2016): entry ~121 km,
~21 000 km/h; parachute at ~11 km, ~1700 km/h, 3 min 21 s after entry; front shield 40 s later; release at
~1.2 km, ~240 km/h; thrusters to ~2 m. ESA press release 2016-11-23 and inquiry report (2017): parachute at
12 km / 1730 km/h, front shield at 7.8 km, IMU saturation ~1 s after inflation, negative estimated altitude,
release at ~3.7 km, thrusters ~3 s, on-ground mode, free fall; impact ~540 km/h. Landing ellipse 100 x 15 km
centred 2 S 6 W. HiRISE crash site 2.07 S 6.21 W.
"""

import math

import numpy as np

from areo.edl.simulate import CRASHED, LANDED, NO_CHUTE, simulate_reference
from tests.units import DEG, KM, METRE, SECOND

KMH = 1 / 3.6


def test_nominal_landing_matches_the_planned_sequence(nominal_run):
    r, _h = nominal_run
    assert r["status"] == LANDED
    assert abs(r["parachute_deploy_h"] - 11 * KM) < 1.0 * KM
    assert abs(r["parachute_deploy_v"] - 1700 * KMH) < 0.1 * 1700 * KMH
    assert abs(r["parachute_deploy_t"] - 201 * SECOND) < 20 * SECOND
    assert abs(r["heatshield_jettison_t"] - r["parachute_deploy_t"] - 40 * SECOND) < 1e-6 * SECOND
    assert abs(r["heatshield_jettison_h"] - 7.8 * KM) < 1.0 * KM
    assert abs(r["backshell_release_h"] - 1.2 * KM) < 50 * METRE
    assert abs(r["backshell_release_v"] - 240 * KMH) < 0.2 * 240 * KMH
    assert abs(r["on_ground_mode_h"] - 2 * METRE) < 0.05 * METRE  # cut-off located to centimetres
    assert r["touchdown_speed"] < 5.0  # crushable structure limit
    # ESA's sequence (2016): mortar, inflation, front shield, radar lock, back-shell release, on-ground mode
    order = ("entry", "parachute_deploy", "parachute_inflated", "heatshield_jettison", "radar_lock")
    order += ("backshell_release", "on_ground_mode", "touchdown")
    times = [r[f"{e}_t"] for e in order]
    assert times == sorted(times)


def test_nominal_lands_in_the_published_ellipse(nominal_run):
    r, _ = nominal_run
    lat, lon = r["landing_lat"], r["landing_lon"]
    r_m = 3_396_000.0
    north = (lat - (-2.0 * DEG)) * r_m
    east = (lon - (-6.0 * DEG)) * r_m * math.cos(lat)
    assert math.hypot(north, east) < 7.5 * KM  # inside the 15 km width of the 100 x 15 km ellipse


def test_as_flown_failure_chain_arises_from_the_physics(as_flown_run, model):
    r, h = as_flown_run
    assert r["status"] == CRASHED
    # IMU saturates at parachute inflation, and the true rate exceeds the gyro range
    assert abs(r["imu_saturation_t"] - r["parachute_inflated_t"]) < 0.05 * SECOND
    assert math.degrees(r["max_rate"]) > 200.0
    # the propagated attitude error exceeds 90 deg, so the radar-derived altitude is negative at release
    assert 90.0 < math.degrees(r["max_att_err"]) % 360.0 < 270.0
    i = int(np.argmax(h["phase"] >= model.seq.phases.index("separation_burn")))
    assert h["altitude_est_m"][i] < 0.0 and h["altitude_m"][i] > 3 * KM
    # early release at ~3.7 km, ~3 s of thrusters, on-ground mode, free fall, impact ~540 km/h
    assert abs(r["backshell_release_h"] - 3.7 * KM) < 0.3 * KM
    assert abs(r["on_ground_mode_t"] - r["backshell_release_t"] - 3.0 * SECOND) < 0.5 * SECOND
    assert r["on_ground_mode_h"] > 3 * KM
    assert abs(r["touchdown_speed"] - 540 * KMH) < 0.1 * 540 * KMH
    # it still hits near the target (HiRISE crash site 2.07 S, 6.21 W lies inside the ellipse)
    assert abs(r["landing_lat"] - (-2.0 * DEG)) < 0.2 * DEG


def test_the_same_persistence_is_harmless_without_a_large_rate(scenario, model):
    """Not scripted: with a small snatch-load misalignment the rate stays in range and the as-flown IMU lands."""
    p = dict(scenario.to_params(["imu-saturation"]), chute_misalign=2.0 * DEG)
    r, _ = simulate_reference(p, model, history=False)
    assert math.isnan(r["imu_saturation_t"]) and r["status"] == LANDED


def test_a_short_persistence_keeps_the_attitude_error_small(nominal_run):
    r, _ = nominal_run
    assert not math.isnan(r["imu_saturation_t"])  # the rate does saturate in the nominal case too
    assert math.degrees(r["max_att_err"]) < 15.0


def test_faults(scenario, model):
    r, _ = simulate_reference(scenario.to_params(["parachute-failure"]), model, history=False)
    assert r["status"] == NO_CHUTE and r["touchdown_speed"] > 100.0
    r, _ = simulate_reference(scenario.to_params(["radar-dropout"]), model, history=False)
    assert r["status"] == CRASHED and math.isnan(r["backshell_release_t"])
    r, _ = simulate_reference(scenario.to_params(["thruster-failure"]), model, history=False)
    assert not math.isnan(r["touchdown_speed"])


def test_peak_deceleration_and_heating_are_plausible(nominal_run):
    # Mars ballistic entries at 5.8 km/s and -12.4 deg: ~8-10 g peak, tens of W/cm^2 (e.g. Pathfinder 16 g at
    # -14.1 deg and 7.3 km/s; Phoenix 9 g at -13 deg and 5.6 km/s, Desai et al. 2011)
    r, _ = nominal_run
    assert 5.0 < r["peak_g"] < 12.0
    assert 20e4 < r["peak_heat"] < 100e4


def test_shallow_entry_skips_out(scenario, model):
    from areo.edl.simulate import SKIP_OUT

    r, _ = simulate_reference(dict(scenario.to_params([]), entry_fpa=-3.0 * DEG), model, history=False)
    assert r["status"] == SKIP_OUT


def test_dynamic_pressure_trigger():
    # with a dynamic-pressure trigger the mortar fires once the (estimated) q falls to the threshold
    import tomllib

    from areo.edl.scenario import parse_edl

    from .conftest import SCENARIO

    d = tomllib.loads(SCENARIO.read_text())
    d["edl"]["phases"][0]["exit"][0] = {
        "quantity": "dynamic_pressure",
        "below_pa": 600.0,
        "armed_above_peak_g": 2.0,
        "goto": "parachute",
    }
    sc = parse_edl(d)
    r, _ = simulate_reference(sc.to_params([]), sc.model(), history=False)
    rho = (
        0.699e3
        * math.exp(-0.00009 * (r["parachute_deploy_h"] - 1440.0))
        / (192.1 * (273.1 - 31.0 - 0.000998 * (r["parachute_deploy_h"] - 1440.0)))
    )
    assert r["status"] == LANDED and abs(0.5 * rho * r["parachute_deploy_v"] ** 2 - 600.0) < 15.0


def test_tabulated_profile_and_winds_in_a_simulation(scenario, model):
    import dataclasses

    from areo.edl.atmosphere import GlennMarsAtmosphere, make_atmosphere
    from areo.edl.simulate import Model

    p = scenario.to_params([])
    glenn, _ = simulate_reference(p, model, history=False)
    tab = make_atmosphere("table", "mars_glenn_table")
    r0, _ = simulate_reference(p, Model(tab, GlennMarsAtmosphere(), sequence=model.sequence), history=False)
    r_m = 3_390_000.0
    assert abs(r0["landing_lat"] - glenn["landing_lat"]) * r_m < 20 * METRE
    assert abs(r0["landing_lon"] - glenn["landing_lon"]) * r_m < 20 * METRE
    # a uniform 20 m/s wind from the west carries the vehicle east by ~ wind x time under the canopy or more
    windy = dataclasses.replace(tab, wind_east_m_s=tab.wind_east_m_s + 20.0)
    r1, _ = simulate_reference(p, Model(windy, GlennMarsAtmosphere(), True, sequence=model.sequence), history=False)
    shift_east = (r1["landing_lon"] - r0["landing_lon"]) * r_m * math.cos(r0["landing_lat"])
    under_canopy = r1["backshell_release_t"] - r1["parachute_deploy_t"]
    assert 0.8 * 20.0 * under_canopy < shift_east < 3 * 20.0 * under_canopy
    assert abs((r1["landing_lat"] - r0["landing_lat"]) * r_m) < 0.2 * shift_east
