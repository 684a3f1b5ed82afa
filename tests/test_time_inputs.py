"""One converter for every epoch form (areo.time.epoch_tdb_s): ISO strings with an optional scale suffix, aware
datetimes, numpy datetime64 (UTC), pandas Timestamp/DatetimeIndex, astropy Time in its own scale.

Authorities: skyfield's timescale on the same calendar fields (UTC, TT, TAI), astropy's own TDB for its Time
objects (astropy 8, ERFA), and exact arithmetic for TDB calendar dates (TDB seconds past 2000-01-01T12:00 TDB).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from areo.errors import InputError
from areo.time import epoch_tdb_s, epochs_tdb_s, parse_utc
from tests.units import SECOND

US = 1e-6 * SECOND


@pytest.fixture(scope="module")
def ts():
    from areo.time import timescale

    return timescale()


def _sky_s(t) -> float:
    return float((t.whole - 2451545.0 + t.tdb_fraction) * 86400.0)


def test_every_plain_form_of_one_utc_instant_agrees_with_skyfield(ts):
    pd = pytest.importorskip("pandas")
    ref = _sky_s(ts.utc(2016, 10, 19, 14, 42, 7.25))
    forms = [
        "2016-10-19T14:42:07.250Z",
        "2016-10-19T16:42:07.250+02:00",
        "2016-10-19T14:42:07.250 UTC",
        dt.datetime(2016, 10, 19, 14, 42, 7, 250_000, tzinfo=dt.UTC),
        np.datetime64("2016-10-19T14:42:07.250"),
        np.datetime64("2016-10-19T14:42:07.250000000", "ns"),
        pd.Timestamp("2016-10-19T14:42:07.25Z"),
        pd.Timestamp("2016-10-19T10:42:07.25", tz="America/New_York"),
    ]
    for f in forms:
        assert abs(epoch_tdb_s(f) - ref) < 1 * US, f


def test_scale_suffixes_match_skyfield_and_exact_tdb(ts):
    assert epoch_tdb_s("2000-01-01T12:00:00 TDB") == 0.0
    assert epoch_tdb_s("2016-10-19 TDB") == (dt.date(2016, 10, 19) - dt.date(2000, 1, 1)).days * 86400.0 - 43200.0
    assert abs(epoch_tdb_s("2016-10-19T14:42:07.25 TT") - _sky_s(ts.tt(2016, 10, 19, 14, 42, 7.25))) < 1 * US
    assert abs(epoch_tdb_s("2016-10-19T14:42:07.25 tai") - _sky_s(ts.tai(2016, 10, 19, 14, 42, 7.25))) < 1 * US


def test_astropy_time_is_read_in_its_own_scale():
    Time = pytest.importorskip("astropy.time").Time
    for scale in ("utc", "tai", "tt", "tdb", "tcg", "tcb"):
        t = Time("2016-10-19T14:42:07.25", scale=scale)
        ref = (t.tdb.jd1 - 2451545.0 + t.tdb.jd2) * 86400.0  # astropy/ERFA's own TDB
        assert abs(epoch_tdb_s(t) - ref) < 10 * US, scale  # skyfield and ERFA TDB-TT models differ by < 10 us
    tdb = Time("2016-10-19T14:42:07.25", scale="tdb")
    assert epoch_tdb_s(tdb) == pytest.approx(epoch_tdb_s("2016-10-19T14:42:07.25 TDB"), abs=1 * US)
    # the bug this fixes: a TDB-scale Time used to be read as UTC, 68.18 s off in 2016 (32.184 + 36 leap s)
    assert abs(epoch_tdb_s(tdb) - epoch_tdb_s("2016-10-19T14:42:07.25Z") + 68.184) < 2e-3 * SECOND
    got = parse_utc(tdb) - tdb.utc.to_datetime(timezone=dt.UTC)
    assert abs(got.total_seconds()) < 10 * US


def test_arrays_of_every_kind(ts):
    pd = pytest.importorskip("pandas")
    Time = pytest.importorskip("astropy.time").Time
    iso = ["2016-10-19T00:00:00Z", "2016-10-19T06:00:00Z", "2016-10-19T12:00:00Z"]
    ref = np.array([_sky_s(ts.utc(2016, 10, 19, h)) for h in (0, 6, 12)])
    arrays = [
        iso,
        np.array(["2016-10-19T00", "2016-10-19T06", "2016-10-19T12"], dtype="datetime64[h]"),
        pd.date_range("2016-10-19", periods=3, freq="6h", tz="UTC"),
        pd.Series(pd.date_range("2016-10-19", periods=3, freq="6h", tz="UTC")),
        Time(["2016-10-19T00:00:00", "2016-10-19T06:00:00", "2016-10-19T12:00:00"], scale="utc"),
        [np.datetime64("2016-10-19T00:00"), "2016-10-19T06:00Z", pd.Timestamp("2016-10-19T12:00Z")],
    ]
    for a in arrays:
        assert np.max(np.abs(epochs_tdb_s(a) - ref)) < 10 * US, type(a)


def test_a_tdb_time_gives_the_link_budget_at_the_right_instant():
    Time = pytest.importorskip("astropy.time").Time
    from areo.ground.api import link_report

    TimeDelta = pytest.importorskip("astropy.time").TimeDelta
    t = Time("2016-10-19T14:43:00", scale="tdb")
    r = link_report("dss-63", "x", t, pass_volume=False)
    rounded = (t.utc + TimeDelta(0.5, format="sec")).strftime("%Y-%m-%dT%H:%M:%SZ")  # areo rounds to the second
    assert r["at_utc"] == rounded != "2016-10-19T14:43:00Z"


def test_passes_read_a_tdb_time_as_tdb():
    """12:35:30 TDB is 12:34:21.8 UTC, before Mars rose above 10 deg at Yevpatoria (12:34:48.333 UTC in the
    skyfield oracle passes_yevpatoria_2016-10.json): the pass has its rise. Read as UTC (the old bug), the window
    would start after the rise, with the target already up."""
    Time = pytest.importorskip("astropy.time").Time
    from areo.ground.api import passes

    start = Time("2016-10-01T12:35:30", scale="tdb")
    as_tdb = passes("rt70-yevpatoria", "mars", start, "2016-10-01T20:00Z", min_elevation_deg=10)
    assert as_tdb == passes("rt70-yevpatoria", "mars", start.utc.isot + "Z", "2016-10-01T20:00Z", min_elevation_deg=10)
    assert abs(epoch_tdb_s(as_tdb[0]["rise_utc"]) - epoch_tdb_s("2016-10-01T12:34:48.333Z")) < 1 * SECOND
    misread = passes("rt70-yevpatoria", "mars", "2016-10-01T12:35:30Z", "2016-10-01T20:00Z", min_elevation_deg=10)
    assert misread[0]["rise_utc"] is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2016-10-19T14:42 GMT", "unknown time scale 'GMT' in '2016-10-19T14:42 GMT'; valid scales: UTC, TAI"),
        (dt.datetime(2016, 10, 19), "has no time zone; areo does not guess"),
        (3.0, "cannot read 3.0 as an epoch; give an ISO string"),
        (None, "cannot read None as an epoch"),
        (np.datetime64("NaT"), "a datetime64 epoch is NaT"),
        ("19/10/2016", "cannot read '19/10/2016' as a UTC date"),
    ],
)
def test_bad_epochs_say_what_is_accepted(value, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        epoch_tdb_s(value)


def test_unknown_astropy_scale_and_naive_pandas_are_refused():
    pd = pytest.importorskip("pandas")
    Time = pytest.importorskip("astropy.time").Time
    with pytest.raises(InputError, match=r"unknown astropy Time scale 'local'\. Valid choices: tai, tcb, tcg, tdb"):
        epoch_tdb_s(Time("2016-10-19T14:42", scale="local"))
    with pytest.raises(InputError, match="has no time zone"):
        epoch_tdb_s(pd.Timestamp("2016-10-19T14:42"))
    with pytest.raises(InputError, match=r"pandas datetimes without a time zone.*tz_localize\('UTC'\)"):
        epochs_tdb_s(pd.date_range("2016-10-19", periods=2))
