"""Time scales: UTC parsing, leap seconds, TDB. Authorities: IERS Bulletin C (leap seconds), IAU TT definition."""

import datetime as dt

import numpy as np
import pytest

from areo.errors import InputError
from areo.time import parse_utc, parse_utc_range, tdb_seconds_to_utc_iso, utc_to_tdb, utc_to_tdb_seconds
from tests.units import SECOND


def test_parse_forms():
    assert parse_utc("2016-03-14") == dt.datetime(2016, 3, 14, tzinfo=dt.UTC)
    assert parse_utc("2016-03-14T09:31:42Z") == dt.datetime(2016, 3, 14, 9, 31, 42, tzinfo=dt.UTC)
    assert parse_utc("2016-03-14T12:31:42+03:00") == dt.datetime(2016, 3, 14, 9, 31, 42, tzinfo=dt.UTC)
    a, b = parse_utc_range("2016-03-14T09:31:42Z:2016-10-19")
    assert (a.hour, a.minute, b.day) == (9, 31, 19)


@pytest.mark.parametrize("bad", ["14/03/2016", "yesterday", "2016-13-45"])
def test_parse_errors_teach(bad):
    with pytest.raises(InputError, match="expected a form like '2016-03-14'"):
        parse_utc(bad)


def test_range_must_increase():
    with pytest.raises(InputError, match="ends before it starts"):
        parse_utc_range("2016-06-30:2016-01-01")
    with pytest.raises(InputError, match="expected START:STOP"):
        parse_utc_range("2016-06-30")


def test_tt_minus_utc_2016():
    # IERS Bulletin C 52: TAI-UTC = 36 s from 2015-07-01 to the leap second at the end of 2016-12-31.
    # TT = TAI + 32.184 s, and |TDB - TT| < 2 ms, so TDB - UTC = 68.184 s within 2 ms.
    t = utc_to_tdb_seconds("2016-06-01T00:00:00Z")
    naive = (dt.datetime(2016, 6, 1) - dt.datetime(2000, 1, 1, 12)).total_seconds()
    # leap seconds between 2000-01-01 and 2016-06-01: 2005, 2008, 2012, 2015 (TAI-UTC 32 -> 36 s)
    assert t - naive == pytest.approx(32.184 + 36.0, abs=2e-3 * SECOND)


def test_leap_second_end_2016():
    # 2016-12-31 had 86,401 SI seconds (leap second 23:59:60, IERS Bulletin C 52)
    a, b = utc_to_tdb_seconds(["2016-12-31T00:00:00Z", "2017-01-01T00:00:00Z"])
    assert b - a == pytest.approx(86401.0, abs=1e-4 * SECOND)


def test_round_trip_and_two_floats():
    t = utc_to_tdb_seconds("2016-10-19T14:42:00.250Z")
    assert tdb_seconds_to_utc_iso(t, decimals=3) == "2016-10-19T14:42:00.250Z"
    two = utc_to_tdb("2016-10-19T14:42:00Z")
    assert float(two.jd) == np.floor(float(two.jd))  # whole part is a whole Julian day number (x.5 not used)
    assert two.seconds == pytest.approx(utc_to_tdb_seconds("2016-10-19T14:42:00Z"), abs=1e-6)


def test_naive_datetime_refused():
    with pytest.raises(InputError, match="no time zone"):
        utc_to_tdb([dt.datetime(2016, 1, 1)])
