"""Link-budget lines against published budgets, measured antenna gains and pylink's own tests.

* pylink (repository harrison-caudill/pylink, PyPI pylink-satcom), ``test/channel_test.py``
  ``test_unity_gain_propagation_loss_db`` (100 km at 100 MHz: 112.4 dB, "eg values from pasternack's website",
  tolerance 0.05 dB) and ``test/budget_test.py`` ``test_rx_g_over_t_db`` (-6 dBi over 2786 K: -40.45 dB/K),
  ``test_rx_n0_dbw_per_hz`` (2786 K: -194.15 dBW/Hz), ``test_rx_power_dbw`` (EIRP 20 dBW, 100 dB channel loss,
  3 dB polarisation mismatch: -83.0 dBW), ``test_rx_ebn0_db`` (Eb/N0 = C/N0 - 10 log10 R).
* FCC IBFS filing SAT-MOD-20080204-00036, attachment "Schedule S GXT" (X-band telecommand budget, 2007): path loss
  200.5 dB at 7026 MHz at 90 deg elevation (geostationary altitude, 35 786 km), and C/N = 61.7 - 200.5 - 0.1 + 20
  - 10 log(3300) + 228.6 - 10 log(440000) = 18.1 dB.
* Richter & Slobin, "DSN 70-meter antenna X- and S-band calibration. Part 1: Gain measurements", TDA Progress
  Report 42-97 (1989), NTRS 19890018533: peak gains 74.18 dBi at 8420 MHz (aperture efficiency 0.687) and
  63.34 dBi at 2295 MHz (efficiency 0.762).
"""

import math

import numpy as np
import pytest

from areo.ground import free_space_loss_db, link_budget, make_station
from areo.ground.link import BOLTZMANN_DB
from areo.ground.stations import dish_gain_dbi

C = 299792458.0
DB = 1.0  # tolerances in decibels


def _range_for_loss_m(loss_db: float, frequency_hz: float) -> float:
    return 10 ** (loss_db / 20.0) * C / (4.0 * math.pi * frequency_hz)


def test_free_space_loss_pylink_pasternack():
    """pylink test_unity_gain_propagation_loss_db: 100 km, 100 MHz -> 112.4 dB (+- 0.05)."""
    assert abs(float(free_space_loss_db(100e3, 100e6)) - 112.4) < 0.05 * DB


def test_free_space_loss_fcc_geostationary_uplink():
    """FCC SAT-MOD-20080204-00036: 7026 MHz over 35 786 km -> 200.5 dB (printed to 0.1 dB)."""
    assert abs(float(free_space_loss_db(35786e3, 7026e6)) - 200.5) <= 0.05 * DB


def test_g_over_t_pylink():
    """pylink test_rx_g_over_t_db: G = -6 dBi, T = 2786 K -> -40.45 dB/K. areo stores G/T with the system noise
    and recovers the gain from them: a band given G/T = -40.45 and 2786 K must have a gain of -6.00 dBi."""
    st = make_station("pylink-rx", 0.0, 0.0, bands={"uhf": {"g_t_db_k": -40.45, "system_noise_k": 2786.0}})
    assert abs(st.band("uhf").gain_dbi - (-6.0)) < 1e-2 * DB


def test_noise_density_pylink():
    """pylink test_rx_n0_dbw_per_hz: 2786 K -> -194.15 dBW/Hz (pylink uses k = 1.3806488e-23, areo the exact SI
    value; they differ by 2e-6 dB)."""
    assert abs(BOLTZMANN_DB + 10 * math.log10(2786.0) - (-194.15)) < 1e-2 * DB


def _bare_budget(eirp_dbw, loss_db, f_hz, g_t_db_k, rate_bps, polarization_loss_db=0.0):
    """areo's budget with every loss it adds by itself set to zero (atmosphere, pointing, implementation)."""
    return link_budget(
        eirp_dbw=eirp_dbw,
        frequency_hz=f_hz,
        range_m=_range_for_loss_m(loss_db, f_hz),
        g_t_db_k=g_t_db_k,
        data_rate_bps=rate_bps,
        elevation_deg=90.0,
        zenith_attenuation_db=0.0,
        pointing_loss_db=0.0,
        polarization_loss_db=polarization_loss_db,
        implementation_loss_db=0.0,
    )


def test_received_power_and_ebn0_pylink():
    """pylink test_rx_power_dbw (20 dBW - 100 dB - 3 dB = -83 dBW with a 0 dBi receiver) and test_rx_ebn0_db /
    test_rx_eb (Eb = P - 10 log R; Eb/N0 = Eb - N0): with T = 2786 K (N0 = -194.15 dBW/Hz) and R = 1e4 bit/s,
    C/N0 = -83 + 194.15 = 111.15 dB-Hz and Eb/N0 = 111.15 - 40 = 71.15 dB."""
    lb = _bare_budget(20.0, 100.0, 100e6, -10 * math.log10(2786.0), 1e4, polarization_loss_db=3.0)
    assert abs(float(lb.c_n0_dbhz) - 111.15) < 1e-2 * DB
    assert abs(float(lb.eb_n0_db) - 71.15) < 1e-2 * DB


def test_carrier_to_noise_fcc_telecommand_budget():
    """FCC SAT-MOD-20080204-00036: EIRP 61.7 dBW, path 200.5 dB, atmosphere 0.1 dB, receive gain 20 dBi, 3300 K,
    440 kHz -> C/N 18.1 dB. In areo C/N over B equals Eb/N0 at R = B bit/s."""
    lb = link_budget(
        eirp_dbw=61.7,
        frequency_hz=7026e6,
        range_m=_range_for_loss_m(200.5, 7026e6),
        g_t_db_k=20.0 - 10 * math.log10(3300.0),
        data_rate_bps=440e3,
        elevation_deg=90.0,
        zenith_attenuation_db=0.1,
        pointing_loss_db=0.0,
        implementation_loss_db=0.0,
    )
    assert abs(float(lb.eb_n0_db) - 18.1) <= 0.06 * DB


@pytest.mark.parametrize(
    "f_hz,eff,gain_dbi", [(8420e6, 0.687, 74.18), (2295e6, 0.762, 63.34)], ids=["x-8420MHz", "s-2295MHz"]
)
def test_70m_dish_gain_against_dsn_measurements(f_hz, eff, gain_dbi):
    """Richter & Slobin (TDA PR 42-97): measured peak gain and aperture efficiency of the DSN 70 m antennas
    satisfy G = eff (pi D f / c)^2 to the measurement's rounding (efficiency given to 3 digits: +-0.003 dB at X)."""
    assert abs(dish_gain_dbi(70.0, f_hz, eff) - gain_dbi) < 0.02 * DB


def test_atmosphere_at_zenith_is_the_zenith_attenuation():
    """Kasten & Young (1989), Applied Optics 28(22):4735: their formula gives air mass 1 at zenith (to 3e-4) and
    "approximately 38" at the horizon (the interpolation formula itself gives 37.92)."""
    lb = link_budget(
        eirp_dbw=0.0,
        frequency_hz=8.42e9,
        range_m=1e9,
        g_t_db_k=0.0,
        data_rate_bps=1.0,
        elevation_deg=np.array([90.0, 0.0]),
        zenith_attenuation_db=1.0,
    )
    assert abs(lb.atmospheric_loss_db[0] - 1.0) < 1e-3 * DB
    assert abs(lb.atmospheric_loss_db[1] - 38.0) < 0.25 * DB
