"""Earth rotation angle and refraction against skyfield's NOVAS vectors; polar motion (areo neglects it).

Ported from skyfield 1.55 (repository skyfielders/python-skyfield), ``skyfield/tests/test_against_novas.py``:
``test_earth_rotation_angle_date0..3``, ``test_refraction0..15``, ``test_refraction_with_angle_array``,
``test_refract0..7``, ``test_refract_with_angle_array``; ``skyfield/tests/test_earthlib.py``:
``test_refract_with_nan_does_not_loop_forever``; ``skyfield/tests/test_topos.py``:
``test_polar_motion_when_computing_topos_position``. Expected values and tolerances are skyfield's.
"""

import math

import numpy as np
import pytest

from areo.ground import EarthOrientation
from areo.ground.geometry import bennett_refraction_deg, earth_rotation_angle_rad, refraction_deg
from areo.time import timescale

from ..units import ARCSEC, DEG, KM, METRE

# test_earth_rotation_angle_date0..3: (UT1 Julian date, ERA degrees), tolerance 1e-6 arcsec.
ERA = [
    (2440423.345833333, 243.3216078027496),
    (2448031.5, 237.5118441792128),
    (2451545.0, 280.46061837504),
    (2456164.5, 333.4965831957672),
]


@pytest.mark.parametrize("jd_ut1,era_deg", ERA, ids=[f"date{k}" for k in range(4)])
def test_earth_rotation_angle_against_novas(jd_ut1, era_deg):
    got = math.degrees(float(earth_rotation_angle_rad(jd_ut1 - 2451545.0)))
    assert abs(got - era_deg) * DEG <= 1e-6 * ARCSEC


# test_refraction0..15: (apparent altitude deg, temperature C, pressure mbar, refraction deg), tol 1e-9 arcsec.
REFRACTION = [
    (-5, 10, 1010, 0.0),
    (-5, 10, 1013.25, 0.0),
    (-5, 25, 1010, 0.0),
    (-5, 25, 1013.25, 0.0),
    (-1, 10, 1010, 0.8296919418249878),
    (-1, 10, 1013.25, 0.8323617426278902),
    (-1, 25, 1010, 0.7879289246190321),
    (-1, 25, 1013.25, 0.7904643394754796),
    (15, 10, 1010, 0.06056215494995108),
    (15, 10, 1013.25, 0.06075703317132469),
    (15, 25, 1010, 0.057513724331664955),
    (15, 25, 1013.25, 0.057698793246593584),
    (89.95, 10, 1010, 0.0),
    (89.95, 10, 1013.25, 0.0),
    (89.95, 25, 1010, 0.0),
    (89.95, 25, 1013.25, 0.0),
]


@pytest.mark.parametrize("alt,temp_c,mbar,want", REFRACTION, ids=[f"refraction{k}" for k in range(16)])
def test_refraction_against_novas(alt, temp_c, mbar, want):
    assert abs(float(bennett_refraction_deg(alt, temp_c, mbar)) - want) * DEG <= 1e-9 * ARCSEC


def test_refraction_with_angle_array():
    got = bennett_refraction_deg(np.array([-5, -1, 15, 89.95]), 10.0, 1010.0)
    want = [0.0, 0.8296919418249878, 0.06056215494995108, 0.0]
    assert np.max(np.abs(got - want)) * DEG <= 1e-9 * ARCSEC


# test_refract0..7: true altitude -> refracted (apparent) altitude at 10 C, 1010 mbar, tol 1e-9 arcsec.
REFRACT = [
    (-90, -90.0),
    (-2, -2.0),
    (-1, -0.34540033564054795),
    (0, 0.4819388815393779),
    (1, 1.362447444478633),
    (3, 3.227564692764261),
    (9, 9.098059272393698),
    (90, 90.0),
]


@pytest.mark.parametrize("alt,want", REFRACT, ids=[f"refract{k}" for k in range(8)])
def test_refract_against_novas(alt, want):
    assert abs(alt + float(refraction_deg(alt, 10.0, 1010.0)) - want) * DEG <= 1e-9 * ARCSEC


def test_refract_with_angle_array():
    alt = np.array([a for a, _ in REFRACT], dtype=float)
    got = alt + refraction_deg(alt, 10.0, 1010.0)
    assert np.max(np.abs(got - [w for _, w in REFRACT])) * DEG <= 1e-9 * ARCSEC


def test_refract_with_nan_does_not_loop_forever():
    """skyfield test_earthlib.py::test_refract_with_nan_does_not_loop_forever: NaN in, NaN out, no hang."""
    got = refraction_deg(np.array([np.nan, 5.0]), 10.0, 1010.0)
    assert np.isnan(got[0]) and np.isfinite(got[1])


def _iers2010_itrs_m(lat_deg, lon_deg, height_m):
    """Geodetic -> ITRS on the IERS 2010 ellipsoid (a = 6378136.6 m, 1/f = 298.25642), as skyfield's iers2010."""
    a, f = 6378136.6, 1.0 / 298.25642
    e2 = f * (2.0 - f)
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    n = a / math.sqrt(1.0 - e2 * math.sin(la) ** 2)
    return [
        (n + height_m) * math.cos(la) * math.cos(lo),
        (n + height_m) * math.cos(la) * math.sin(lo),
        (n * (1.0 - e2) + height_m) * math.sin(la),
    ]


def _polar_motion_case_gcrs_km():
    """areo's GCRS position of the station of skyfield's test_polar_motion_when_computing_topos_position."""
    lat = 42 + 21 / 60 + 24.1 / 3600
    lon = -(71 + 3 / 60 + 24.8 / 3600)
    r_itrs = np.array(_iers2010_itrs_m(lat, lon, 43.0))
    t = timescale().utc(2005, 11, 12, 22, 2)
    tdb = np.array([(t.whole - 2451545.0 + t.tdb_fraction) * 86400.0])
    R = EarthOrientation.for_epochs(tdb).gcrs_to_itrs(tdb)[0]
    return R.T @ r_itrs / 1e3


# novas.compat.ter2cel with xp = 11", yp = 22" (the value skyfield's test stores).
POLAR_MOTION_EXPECTED_KM = (3129.530248036487, -3535.1665884086683, 4273.94957733827)


@pytest.mark.xfail(
    strict=True,
    reason="areo neglects polar motion (convention: no polar motion, see geometry.py); skyfield's case sets "
    'xp = 11", yp = 22", which moves this station by 0.756 km (measured) against the 3e-11 km of the test',
)
def test_polar_motion_when_computing_topos_position():
    got = _polar_motion_case_gcrs_km()
    assert np.max(np.abs(got - POLAR_MOTION_EXPECTED_KM)) * KM < 3e-11 * KM


def test_polar_motion_neglect_is_the_size_of_the_polar_offset():
    """The xfail above is only polar motion: 11" and 22" of pole offset at 6368 km move the station by
    6368 km x 24.6" = 0.76 km at most; the measured difference (0.756 km) must be below that and above a tenth
    of it. Slack 20 m: a revision of the UT1 tables between skyfield releases moves the station 0.46 m per ms."""
    d = np.linalg.norm(_polar_motion_case_gcrs_km() - POLAR_MOTION_EXPECTED_KM) * KM
    bound = 6368 * KM * math.hypot(11.0, 22.0) * ARCSEC
    assert 0.1 * bound < d < bound + 20 * METRE
