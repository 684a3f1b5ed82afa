"""Coverage: sampling agrees with root-found passes; set algebra of networks; the Schiaparelli entry instant."""

from __future__ import annotations

import numpy as np
import pytest

from areo.ground import coverage, critical_event, find_passes, get_network, get_station
from areo.time import utc_to_tdb_seconds
from tests.units import MINUTE


def test_single_station_coverage_equals_pass_durations():
    st = get_station("dsa-1")
    t0, t1 = utc_to_tdb_seconds(["2016-10-01", "2016-10-08"])
    r = coverage([st], "mars", t0, t1, step_s=60.0)
    passes = find_passes(st, "mars", t0, t1)
    up = sum(p.duration_s for p in passes)
    assert abs(r.coverage_fraction * (t1 - t0) - up) < len(passes) * 2 * MINUTE
    gaps = sum(g.length_s for g in r.gaps)
    assert abs(gaps - (1 - r.coverage_fraction) * (t1 - t0)) < 1.0


def test_network_union_bounds():
    t0, t1 = utc_to_tdb_seconds(["2016-10-01", "2016-10-04"])
    a = coverage(get_network("rt70"), "mars", t0, t1, step_s=120.0).coverage_fraction
    b = coverage(get_network("estrack"), "mars", t0, t1, step_s=120.0).coverage_fraction
    ab = coverage(get_network("rt70,estrack"), "mars", t0, t1, step_s=120.0).coverage_fraction
    assert max(a, b) <= ab <= min(1.0, a + b)
    assert a < 1.0  # two northern-hemisphere 70 m dishes cannot follow Mars at -24 deg all day


def test_daily_volume_grows_with_eirp():
    t0, t1 = utc_to_tdb_seconds(["2016-10-01", "2016-10-03"])
    sts = get_network("dsn70")
    lo = coverage(sts, "mars", t0, t1, step_s=300.0, eirp_dbw=50.0)
    hi = coverage(sts, "mars", t0, t1, step_s=300.0, eirp_dbw=60.0)
    assert hi.daily_volume_bits.shape == (2,)
    np.testing.assert_allclose(hi.daily_volume_bits / lo.daily_volume_bits, 10.0, rtol=1e-9)


def test_schiaparelli_entry_was_visible_from_gmrt():
    """GMRT (Pune) listened to Schiaparelli's 401 MHz signal during its descent on 2016-10-19 around 14:42 UTC
    (NCRA-TIFR / ESA, October 2016): Mars must be above GMRT's 17 deg limit then."""
    rows = critical_event(
        get_network("all"), "mars", float(utc_to_tdb_seconds("2016-10-19T14:42:00Z")), band="x", eirp_dbw=60.0
    )
    by = {r.station: r for r in rows}
    assert by["gmrt"].visible and by["gmrt"].elevation_deg > 17.0 and by["gmrt"].margin_db is None
    assert by["dss-63"].visible and by["dss-63"].margin_db is not None
    assert not by["dss-14"].visible and by["dss-14"].margin_db is None  # Mars is below the horizon in California
    assert [r.elevation_deg for r in rows] == sorted((r.elevation_deg for r in rows), reverse=True)


def test_volume_is_capped_by_the_radio():
    t0, t1 = utc_to_tdb_seconds(["2016-10-01", "2016-10-02"])
    sts = get_network("dsn70")
    r = coverage(sts, "mars", t0, t1, step_s=300.0, eirp_dbw=60.0, max_rate_bps=1000.0)
    assert r.daily_volume_bits[0] == pytest.approx(1000.0 * r.coverage_fraction * r.step_s * 288)
