"""Sunrise, sunset, twilight and moonrise against USNO via skyfield's almanac tests, with areo's pass search.

Ported from skyfield 1.55 (repository skyfielders/python-skyfield), ``skyfield/tests/test_almanac.py``:

* ``test_sunrise_sunset_old`` / ``test_sunrise_sunset_new`` (USNO one-day table, Bluffton OH, 2018-09-12):
  sunrise 11:13, sunset 23:50 UTC, the Sun's centre at -0.8333 deg (50' = 16' radius + 34' refraction);
* ``test_dark_twilight_day`` (Defiance OH, 2019-11-08): astronomical, nautical and civil twilight and day begin
  and end at 10:42, 11:15, 11:48, 12:17, 22:25, 22:54, 23:27, 23:59 UTC (-18, -12, -6, -0.8333 deg);
* ``test_new_moonrise_at_70_degrees_north`` (70 N 0 E, 2023-02-19): moonrise 11:28, moonset 12:05 UTC, the
  Moon's centre at -34' minus its angular radius (1737.4 km / topocentric distance), as skyfield's almanac.

The expected strings are times rounded to the minute, so an event must fall within 30 s of the printed minute
(plus 0.5 s for the difference between areo's and skyfield's models). They exercise pass searches with
thresholds below the horizon, which areo accepts down to -90 deg.
"""

import math

import numpy as np
import pytest

from areo.ground import altaz, passes
from areo.ground.stations import load_catalogue
from areo.time import utc_to_tdb_seconds

from ..units import SECOND

SITES = {  # skyfield's Topos / wgs84.latlon positions; height 0 as in the tests
    "bluffton": (40.8939, -83.8917),
    "defiance": (41.281944, -84.362778),
    "seventy-north": (70.0, 0.0),
}
SUN_HORIZON_DEG = -50.0 / 60.0  # skyfield almanac._sun_horizon_radians (USNO convention)
ROUNDING = 30.5 * SECOND


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    path = tmp_path_factory.mktemp("sites") / "sites.toml"
    rows = [
        f'[[station]]\nid = "{sid}"\nlat_deg = {lat}\nlon_deg = {lon}\nheight_m = 0.0\ndiameter_m = 0.0\n'
        f'source = "skyfield test_almanac.py"\n'
        for sid, (lat, lon) in SITES.items()
    ]
    path.write_text("\n".join(rows))
    return (str(path),)


def _events(rows):
    """(rise, set) UTC strings of pass dicts that rise and set inside the span."""
    return [r["rise_utc"] for r in rows if r["rise_utc"]], [r["set_utc"] for r in rows if r["set_utc"]]


def _close(got_utc: str, want_utc_minute: str) -> bool:
    return abs(float(utc_to_tdb_seconds(got_utc)) - float(utc_to_tdb_seconds(want_utc_minute))) <= ROUNDING


def test_sunrise_sunset_bluffton(sites):
    """test_almanac.py::test_sunrise_sunset_old/new: ['2018-09-12 11:13', '2018-09-12 23:50']."""
    rows = passes("bluffton", "sun", "2018-09-12T04:00", "2018-09-13T04:00", SUN_HORIZON_DEG, extra=sites)
    rises, sets = _events(rows)
    assert len(rises) == 1 and len(sets) == 1
    assert _close(rises[0], "2018-09-12T11:13Z")
    assert _close(sets[0], "2018-09-12T23:50Z")


# test_almanac.py::test_dark_twilight_day: transitions and the Sun altitude threshold of each
TWILIGHT = [
    (-18.0, "2019-11-08T10:42Z", "2019-11-08T23:59Z"),
    (-12.0, "2019-11-08T11:15Z", "2019-11-08T23:27Z"),
    (-6.0, "2019-11-08T11:48Z", "2019-11-08T22:54Z"),
    (SUN_HORIZON_DEG, "2019-11-08T12:17Z", "2019-11-08T22:25Z"),
]


@pytest.mark.parametrize("threshold_deg,begin,end", TWILIGHT, ids=["astronomical", "nautical", "civil", "day"])
def test_dark_twilight_day_defiance(sites, threshold_deg, begin, end):
    rows = passes("defiance", "sun", "2019-11-08T04:00", "2019-11-09T04:00", threshold_deg, extra=sites)
    rises, sets = _events(rows)
    assert len(rises) == 1 and len(sets) == 1
    assert _close(rises[0], begin)
    assert _close(sets[0], end)


def test_new_moonrise_at_70_degrees_north(sites):
    """test_almanac.py::test_new_moonrise_at_70_degrees_north: rise '2023-02-19 11:28', set '2023-02-19 12:05'."""
    st = load_catalogue(sites).station("seventy-north")
    mid = float(utc_to_tdb_seconds("2023-02-19T11:46Z"))
    dist_m = float(altaz(st, "moon", np.array([mid])).range_m[0])
    horizon = -34.0 / 60.0 - math.degrees(1.7374e6 / dist_m)  # skyfield almanac.build_horizon_function (Moon)
    rows = passes("seventy-north", "moon", "2023-02-19", "2023-02-20", horizon, extra=sites)
    rises, sets = _events(rows)
    assert len(rises) == 1 and len(sets) == 1
    assert _close(rises[0], "2023-02-19T11:28Z")
    assert _close(sets[0], "2023-02-19T12:05Z")
