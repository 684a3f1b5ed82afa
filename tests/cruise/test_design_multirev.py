"""Multi-revolution transfers in the cruise design (areo.cruise.design.design_transfer with revs >= 1).

Authorities: pykep 3.0.1 multi-revolution Lambert solutions (tests/authorities/lambert_multirev_cases.npz, built by
tests/authorities/builders/build_lambert_multirev_cases.py; prograde rows), fed to the design through a stub
ephemeris whose planets sit at pykep's r1/r2 at rest, so the design's v-infinity is pykep's v1/v2; invariants on
real DE421 Earth -> Mars transfers (Kepler propagation lands on Mars; the arc makes exactly ``revs`` whole periods;
the short-period branch has the smaller semi-major axis).
"""

import numpy as np
import pytest

from areo.constants import GM_SUN
from areo.cruise.design import design_transfer
from areo.ephem import default_ephemeris
from areo.errors import InputError
from areo.kepler import propagate
from areo.time import utc_to_tdb_seconds
from tests.conftest import load_oracle
from tests.units import KM, M_S, MM_S

T0 = float(utc_to_tdb_seconds("2016-03-14T00:00:00Z"))


class _Fixed:
    """Stub ephemeris: 'earth' at r1 and 'mars' at r2, both at rest (the design then returns Lambert's v1, v2)."""

    def __init__(self, r1_m, r2_m):
        self.r = {"earth": r1_m, "mars": r2_m}

    def state(self, name, _t):
        return self.r[name], np.zeros(3)


@pytest.fixture(scope="module")
def multi():
    d = load_oracle("lambert_multirev_cases.npz")
    return {k: d[k] for k in d.files}


def test_design_matches_pykep_multirev_both_branches(multi):
    c = multi["case"]
    rows = np.flatnonzero((multi["revs"] >= 1) & ~multi["clockwise"][c])[:60]
    assert {1, 2} <= set(multi["branch"][rows].tolist())  # both branches present
    for i in rows:
        k = c[i]
        eph = _Fixed(multi["r1_km"][k] * KM, multi["r2_km"][k] * KM)
        d = design_transfer(
            0.0,
            float(multi["tof_s"][k]),
            ephemeris=eph,
            revs=int(multi["revs"][i]),
            branch="long-period" if multi["branch"][i] == 2 else "short-period",
        )
        assert np.max(np.abs(d.v_inf_departure_m_s - multi["v1_kms"][i] * KM)) < 1 * MM_S
        assert np.max(np.abs(d.v_inf_arrival_m_s - multi["v2_kms"][i] * KM)) < 1 * MM_S
        assert d.revs == multi["revs"][i]


@pytest.mark.parametrize("tof_days", [800.0, 900.0])
def test_earth_mars_one_revolution_invariants(tof_days):
    eph = default_ephemeris()
    t1 = T0 + tof_days * 86400.0
    re, ve = eph.state("earth", T0)
    rm, _ = eph.state("mars", t1)
    sma = {}
    for branch in ("short-period", "long-period"):
        d = design_transfer(T0, t1, revs=1, branch=branch)
        v = d.v_inf_departure_m_s + ve
        r, _, st = propagate(re, v, t1 - T0, float(GM_SUN))
        assert st == 0 and np.linalg.norm(r - rm) < 1 * KM
        a = 1.0 / (2.0 / np.linalg.norm(re) - (v @ v) / float(GM_SUN))
        period = 2 * np.pi * np.sqrt(a**3 / float(GM_SUN))
        assert int((t1 - T0) // period) == 1  # one whole revolution, then the partial arc to Mars
        sma[branch] = a
    assert sma["short-period"] < sma["long-period"]


def test_multirev_design_with_dsm_keeps_its_magnitude_and_lands():
    eph = default_ephemeris()
    t1, t_dsm = T0 + 800 * 86400.0, T0 + 300 * 86400.0
    d = design_transfer(T0, t1, t_dsm, 200.0, revs=1, branch="long-period")
    assert abs(np.linalg.norm(d.dsm_dv_m_s) - 200.0) < 0.01 * M_S
    re, ve = eph.state("earth", T0)
    rm, vm = eph.state("mars", t1)
    r_d, v_d, _ = propagate(re, d.v_inf_departure_m_s + ve, t_dsm - T0, float(GM_SUN))
    assert np.linalg.norm(r_d - d.r_dsm_sun_icrf_m) < 1 * KM
    r_a, v_a, _ = propagate(r_d, v_d + d.dsm_dv_m_s, t1 - t_dsm, float(GM_SUN))
    assert np.linalg.norm(r_a - rm) < 1 * KM
    assert np.linalg.norm(v_a - vm - d.v_inf_arrival_m_s) < 1 * MM_S
    # the DSM buys a lower launch energy than the ballistic one-revolution arc of the same dates
    assert d.c3_km2_s2 < float(d.ballistic_v_inf_departure_m_s @ d.ballistic_v_inf_departure_m_s) / 1e6


def test_multirev_bad_input_says_what_to_change():
    with pytest.raises(InputError, match=r"no 1-revolution transfer \(short-period\).*200\.0 days.*fewer revolutions"):
        design_transfer(T0, T0 + 200 * 86400.0, revs=1)
    with pytest.raises(InputError, match=r"unknown branch 'left'.*short-period, long-period"):
        design_transfer(T0, T0 + 800 * 86400.0, revs=1, branch="left")
    with pytest.raises(InputError, match="revs must be a whole number"):
        design_transfer(T0, T0 + 800 * 86400.0, revs=1.5)  # type: ignore[arg-type]
