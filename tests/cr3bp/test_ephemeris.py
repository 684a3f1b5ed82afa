"""The DE421 ephemeris model: frame round trip (invariant), multiple-shooting continuation of a Sun-Earth L2 halo
and station-keeping that holds it for a year (the brief's acceptance: bounded >= 1 year with the stated
station-keeping), against the same flight without station-keeping, which leaves L2."""

import numpy as np
import pytest

from areo.cr3bp.api import ephemeris_halo, halo_orbit
from areo.cr3bp.ephemeris import EphemerisModel, station_keeping
from areo.time import utc_to_tdb_seconds
from tests.units import KM, M_S, MM_S

YEAR_S = 365.25 * 86400.0


@pytest.fixture(scope="module")
def reference():
    t0 = float(utc_to_tdb_seconds("2019-10-21"))
    model = EphemerisModel(t0, t0 + YEAR_S + 70 * 86400.0)
    _, res, ref = ephemeris_halo(halo_orbit(400_000), t0, 365.25 + 65)
    return t0, model, res, ref


def test_frame_round_trip():
    t0 = float(utc_to_tdb_seconds("2020-01-01"))
    m = EphemerisModel(t0, t0 + 86400.0)
    xi = np.array([1.008, 0.002, 0.003, 0.001, 0.01, -0.002])
    assert np.max(np.abs(m.to_synodic(t0 + 3600.0, m.from_synodic(t0 + 3600.0, xi)) - xi)) < 1e-13


def test_continuation_is_continuous(reference):
    _, _, res, _ = reference
    assert res.converged
    assert res.defect_m < 0.1 * KM
    assert res.defect_m_s < 1 * MM_S


def test_station_keeping_holds_the_halo_for_a_year(reference):
    t0, _, _, ref = reference
    sk = station_keeping(ref, t0, t0 + YEAR_S)
    assert sk.max_deviation_m < 1000 * KM
    # published Sun-Earth L2 station-keeping budgets are a few m/s per year at most (e.g. ESA Gaia, Herschel)
    assert sk.dv_per_year_m_s < 5 * M_S


def test_without_station_keeping_it_leaves(reference):
    t0, model, _, ref = reference
    s = ref.state(t0) + np.r_[1000.0, 0.0, 0.0, 0.0, 0.01, 0.0]
    end = model.propagate(s, t0, t0 + YEAR_S)[0]
    assert np.linalg.norm(end[:3] - ref.state(t0 + YEAR_S)[:3]) > 1e6 * KM
