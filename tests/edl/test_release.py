"""Back-shell release on the radar-aided altitude estimate (issue 10): before the fix, in ~13 % of Monte Carlo
runs radar noise made the crossing prediction give up, the step fell back to 4 s under the canopy and the
release came 200-250 m below the commanded altitude. Requirement (issue 10, section 3): release within 20 m of
the command in 99.9 % of Monte Carlo runs, measured on the *true* altitude above ground: the navigated altitude
vs the command at the firing cycle (step control) plus the truth miss (navigation). After the step-control fix
the truth miss still reached +23 m in 0.17 % of 10,000 runs (seed 0): a gyro saturation at parachute inflation
left a few degrees of attitude error, and projecting the slant ranges on the estimated nadir biased the radar
altitude by ~1.7 %; the radar altitude is now the distance to the plane of the four beam footprints (10,000
runs, seed 0: all within 8 m; 20,000 runs: 100 %, worst -7.7 m)."""

import math

import numpy as np
import pytest

from areo.edl import gnc, sensors
from areo.edl.montecarlo import run_batch, sample_params
from tests.units import METRE, SECOND

RUNS = 3000


def command(scenario) -> float:
    """The commanded release altitude: the threshold of the phase table's radar-altitude trigger (m)."""
    return next(tr.below_m for ph in scenario.phases for tr in ph.exit if tr.quantity == "radar_altitude")


def test_release_within_20_m_of_command_in_999_permille_of_runs(scenario, model):
    nominal = scenario.to_params(scenario.faults_for("nominal"))
    p = sample_params(nominal, scenario.dispersions.model_dump(), 7, 0, RUNS)
    out = run_batch(p, model)
    err = out["backshell_release_h"] - command(scenario)
    assert np.all(np.isfinite(err))  # every run released (no silent NaN)
    assert np.mean(np.abs(err) <= 20 * METRE) >= 0.999
    assert np.all(err > -100 * METRE)  # no 4 s fallback step (~240 m at ~60 m/s) left anywhere


def test_radar_filter_is_first_order_and_acquires_raw():
    # invariants of the complementary filter: gain 1 - exp(-dt/tau); tau = 0 or acquisition -> measurement
    h_nav, h_meas = np.array([1000.0]), np.array([900.0])
    no = np.array([False])
    out = gnc.radar_filter(h_meas, h_nav, 1.0 * SECOND, 1.0 * SECOND, no)
    assert abs(out[0] - (1000.0 - 100.0 * (1.0 - np.exp(-1.0)))) < 1e-9 * METRE
    assert gnc.radar_filter(h_meas, h_nav, 1.0, 0.0, no)[0] == 900.0
    assert gnc.radar_filter(h_meas, h_nav, 1.0, 5.0, np.array([True]))[0] == 900.0


def test_averaged_radar_noise_scales_as_sqrt_of_samples():
    # mean of n independent samples has sigma / sqrt(n): a 2 s step at 20 Hz averages 40 samples
    assert abs(gnc.averaging(2.0, 0.05) - 1.0 / np.sqrt(40.0)) < 1e-12
    assert gnc.averaging(0.01, 0.05) == 1.0  # shorter than one sample period: one sample
    assert gnc.averaging(2.0, 0.0) == 1.0  # period 0: one sample per step (the pre-filter behaviour)


def test_numpy_reference_releases_within_20_m_too(scenario, model):
    from areo.edl.simulate import simulate_reference

    nominal = scenario.to_params(scenario.faults_for("nominal"))
    p = sample_params(nominal, scenario.dispersions.model_dump(), 11, 0, 12)
    for i in range(12):
        r, h = simulate_reference({k: float(v[i]) for k, v in p.items()}, model)
        assert abs(r["backshell_release_h"] - command(scenario)) <= 20 * METRE
        # step control: the navigated altitude at the firing cycle is on the command (the crossing is predicted
        # from the navigated descent speed; radar noise between the last two cycles leaves up to ~3 m)
        fire = int(np.argmin(np.abs(h["t"] - r["backshell_release_t"])))
        assert abs(h["altitude_est_m"][fire] - command(scenario)) <= 5 * METRE


def _radar_params(cant_deg=20.0):
    c = math.radians(cant_deg)
    return {
        "radar_cos_cant": np.array([math.cos(c)]),
        "radar_sin_cant": np.array([math.sin(c)]),
        "radar_cos_max_off": np.array([math.cos(math.radians(60.0))]),
        "radar_max_range": np.array([1e5]),
        "radar_fail": np.array([0.0]),
    }


def _radar_altitude(agl, tilt_deg, err_deg):
    """Radar altitude over flat ground with the capsule axis tilted ``tilt_deg`` from nadir in the pitch plane
    and an attitude estimate off by ``err_deg``."""
    nadir = (np.array([0.0]), np.array([0.0]), np.array([-1.0]))
    pax = (np.array([0.0]), np.array([1.0]), np.array([0.0]))
    v = (np.array([3.0]), np.array([0.0]), np.array([-60.0]))
    th, the = np.array([math.radians(tilt_deg)]), np.array([math.radians(tilt_deg + err_deg)])
    valid, h, _, _ = sensors.radar(np.array([agl]), v, nadir, nadir, pax, th, the, _radar_params())
    return bool(valid[0]), float(h[0])


@pytest.mark.parametrize("tilt_deg", [0.0, 12.0, -25.0])
@pytest.mark.parametrize("err_deg", [0.0, 5.0, -10.0, 60.0])
def test_radar_altitude_over_flat_ground_does_not_depend_on_the_attitude_estimate(tilt_deg, err_deg):
    # invariant: the plane through the four footprints is the ground, whatever the estimated attitude
    valid, h = _radar_altitude(1200.0, tilt_deg, err_deg)
    assert valid and abs(h - 1200.0) < 1e-6 * METRE


@pytest.mark.parametrize("err_deg", [100.0, 180.0, -150.0])
def test_radar_altitude_is_negative_when_the_attitude_estimate_is_off_by_more_than_90_deg(err_deg):
    # the as-flown Schiaparelli failure (ESA inquiry 2017): an attitude error beyond 90 deg gives a negative altitude
    valid, h = _radar_altitude(3700.0, 10.0, err_deg)
    assert valid and abs(h + 3700.0) < 1e-6 * METRE


def test_tilted_beams_still_measure_the_slant_geometry():
    # 20 deg cant: with the axis 39 deg off nadir the far beam is at 59 deg (returns), at 41 deg it is at 61 deg,
    # beyond the 60 deg limit (no lock)
    assert _radar_altitude(1000.0, 39.0, 0.0)[0]
    assert not _radar_altitude(1000.0, 41.0, 0.0)[0]
