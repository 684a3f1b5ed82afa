"""WGS84 geodesy against skyfield's own tests (skyfield 1.55, repository skyfielders/python-skyfield,
``skyfield/tests/test_topos.py``): ``test_polar_radius``, ``test_wgs84_subpoint`` (latitude/longitude round trip to
0.1 mas at -15, 15, 35, 45 deg), ``test_wgs84_subpoint_at_pole`` (height 10 m at the pole to 1 micrometre) and
``test_itrs_xyz_attribute_and_itrf_xyz_method`` (45 N at 1 AU from the geocentre: (sqrt(1/2), 0, sqrt(1/2)) AU
to 2e-7 AU). areo stores stations in ITRS, so the round trip is geodetic -> ITRS -> geodetic (skyfield's goes
through GCRS at an epoch and back, which adds nothing without polar motion)."""

import math

import pytest

from areo.ground.stations import geodetic_to_itrs, itrs_to_geodetic

from ..units import ARCSEC, DEG, METRE

AU_M = 149597870700.0
ERAD_M = 6378136.6  # skyfield constants.ERAD (IERS 2010), used by the 1 AU case
ANGLES = (-15, 15, 35, 45)  # test_topos.py `angle` fixture


def test_polar_radius():
    """test_polar_radius: round(wgs84.polar_radius.km) == 6357."""
    assert round(geodetic_to_itrs(90.0, 0.0, 0.0)[2] / 1e3) == 6357


@pytest.mark.parametrize("angle", ANGLES)
def test_wgs84_subpoint(angle):
    lat, lon, h = itrs_to_geodetic(geodetic_to_itrs(angle, angle, 0.0))
    assert abs(lat - angle) * DEG < 1e-4 * ARCSEC
    assert abs(lon - angle) * DEG < 1e-4 * ARCSEC
    assert abs(h) < 1e-6 * METRE


@pytest.mark.parametrize("z_sign", [1, -1], ids=["north", "south"])
def test_wgs84_subpoint_at_pole(z_sign):
    """test_wgs84_subpoint_at_pole: height 10 m at the pole to 1 micrometre; also exactly on the axis (x = y = 0),
    where areo's former Bowring height divided by cos(90 deg) and raised ZeroDivisionError."""
    b = 6356752.314245179  # WGS84 polar radius a (1 - f)
    for r in (geodetic_to_itrs(90.0 * z_sign, 0.0, 10.0), (0.0, 0.0, z_sign * (b + 10.0))):
        lat, _, h = itrs_to_geodetic(r)
        assert abs(h - 10.0) < 1e-6 * METRE
        assert abs(lat - 90.0 * z_sign) * DEG < 1e-4 * ARCSEC


def test_itrs_xyz_at_one_au():
    """test_itrs_xyz_attribute_and_itrf_xyz_method: latlon(45, 0, elevation AU - ERAD) is (sqrt(.5), 0, sqrt(.5))
    AU to 2e-7 AU (the flattening shifts the normal's foot by ~ e^2 R; skyfield's own tolerance covers it)."""
    x, y, z = geodetic_to_itrs(45.0, 0.0, AU_M - ERAD_M) / AU_M
    assert abs(x - math.sqrt(0.5)) < 2e-7 and abs(y) < 1e-14 and abs(z - math.sqrt(0.5)) < 2e-7
