"""Back-shell release on the radar-aided altitude estimate (issue 10): before the fix, in ~13 % of Monte Carlo
runs radar noise made the crossing prediction give up, the step fell back to 4 s under the canopy and the
release came 200-250 m below the commanded altitude. Requirement (issue 10, section 3): release within 20 m of
the command in 99.9 % of Monte Carlo runs, measured on the *true* altitude above ground."""

import numpy as np

from areo.edl import gnc
from areo.edl.montecarlo import run_batch, sample_params
from tests.units import METRE, SECOND

RUNS = 2000


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
        r, _ = simulate_reference({k: float(v[i]) for k, v in p.items()}, model, history=False)
        assert abs(r["backshell_release_h"] - command(scenario)) <= 20 * METRE
