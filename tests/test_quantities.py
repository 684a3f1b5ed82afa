"""Quantities where a unit-named float is expected (``areo.units``).

Authority: the unit definitions themselves (1 day = 86400 s, 1 deg = pi/180 rad, 1 km = 1000 m: SI brochure,
9th ed., table 8) and the invariant that a quantity gives exactly what the same value in the named unit gives.
The converter is tested with a duck-typed stand-in (astropy's ``unit`` / ``to_value`` interface) so that it is
tested without astropy; the public functions are then called with real astropy quantities when astropy is there.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import areo
from areo.errors import InputError
from areo.units import accepts_quantities, named_unit, to_named_unit
from tests.units import DEG, METRE, SECOND

# stand-in unit table: (dimension, factor to SI) for the units the stand-in knows
_UNITS = {
    "m": ("L", 1.0),
    "km": ("L", 1000.0),
    "s": ("T", 1.0),
    "min": ("T", 60.0),
    "day": ("T", 86400.0),
    "deg": ("A", math.pi / 180),
    "rad": ("A", 1.0),
    "kg": ("M", 1.0),
}


class FakeQuantity:
    """A number with a unit, speaking astropy's ``unit`` / ``to_value(unit)``; UnitsError as a ValueError."""

    def __init__(self, value: float, unit: str):
        self.value, self.unit = value, unit

    def to_value(self, unit: str) -> float:
        (d0, f0), (d1, f1) = _UNITS[self.unit], _UNITS.get(unit.replace(" ", ""), ("?", 1.0))
        if d0 != d1:
            raise ValueError(f"'{self.unit}' and '{unit}' are not convertible")
        return self.value * f0 / f1

    def __format__(self, spec: str) -> str:
        return f"{format(self.value, spec)} {self.unit}"


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("tof_s", "s"),
        ("min_elevation_deg", "deg"),
        ("c3_km2_s2", "km2 / s2"),
        ("v0_m_s", "m / s"),
        ("vinf_km_s", "km / s"),
        ("mu_m3_s2", "m3 / s2"),
        ("payload_kg", "kg"),
        ("altitude_km", "km"),
        ("r1_m", "m"),
        ("tof_days", "day"),
        ("data_rate_kbps", "kbit / s"),
        ("eirp_dbw", "dB(W)"),
    ],
)
def test_the_name_says_the_unit(name, unit):
    assert named_unit(name)[0] == unit


def test_names_without_a_unit_suffix_state_none():
    assert named_unit("station_id") is None and named_unit("grid") is None and named_unit("_s") is None


def test_stand_in_quantities_convert_to_the_named_unit_and_floats_pass_through():
    assert abs(to_named_unit("tof_s", FakeQuantity(2.0, "day")) - 2 * 86400.0) < 1e-9 * SECOND
    assert abs(math.radians(to_named_unit("min_elevation_deg", FakeQuantity(0.1, "rad"))) - 0.1) < 1e-15
    assert abs(to_named_unit("altitude_km", FakeQuantity(250e3, "m")) - 250.0) < 1e-12
    for plain in (3.0, 7, np.arange(3.0), None):
        assert to_named_unit("tof_s", plain) is plain


def test_an_incompatible_unit_is_one_clear_line():
    with pytest.raises(InputError, match=r"^min_elevation_deg got 3 m: give an angle \(it is read in deg\)$"):
        to_named_unit("min_elevation_deg", FakeQuantity(3, "m"))
    with pytest.raises(InputError, match=r"^payload_kg got 2 s: give a mass"):
        to_named_unit("payload_kg", FakeQuantity(2, "s"))
    with pytest.raises(InputError, match="states no unit"):
        to_named_unit("grid", FakeQuantity(3, "m"))


def test_decorator_converts_positional_and_keyword_arguments_and_keeps_the_signature():
    @accepts_quantities
    def f(station: str, tof_s: float, min_elevation_deg: float = 0.0) -> tuple:
        """doc"""
        return tof_s, min_elevation_deg

    assert f("x", FakeQuantity(1.0, "min"), min_elevation_deg=FakeQuantity(math.pi, "rad")) == (60.0, 180.0)
    assert f("x", 5.0, 2.0) == (5.0, 2.0)
    assert f.__doc__ == "doc" and list(__import__("inspect").signature(f).parameters) == [
        "station",
        "tof_s",
        "min_elevation_deg",
    ]
    with pytest.raises(TypeError, match="no unit-named parameter"):
        accepts_quantities(lambda station: station)


def test_public_propagate_takes_stand_in_quantities():
    r0, v0 = np.array([7000e3, 0.0, 0.0]), np.array([0.0, 7.5e3, 0.0])
    ref = areo.propagate(r0, v0, 5400.0, 3.986004418e14)[0]
    got = areo.propagate(r0, v0, FakeQuantity(90.0, "min"), 3.986004418e14)[0]
    assert np.max(np.abs(np.asarray(got) - np.asarray(ref))) < 1e-6 * METRE


# ---- real astropy quantities at the public functions (astropy is not an areo dependency) ----


@pytest.fixture(scope="module")
def u():
    return pytest.importorskip("astropy.units", reason="astropy is optional; the stand-in tests cover the converter")


def test_lambert_in_km_and_days_equals_lambert_in_si(u):
    r1, r2 = np.array([1.0, 0.0, 0.0]) * 1.496e8, np.array([0.0, 1.5, 0.1]) * 1.496e8  # km
    ref = areo.lambert(r1 * 1e3, r2 * 1e3, 200 * 86400.0, 1.32712440018e20)
    got = areo.lambert(r1 * u.km, r2 * u.km, 200 * u.day, 1.32712440018e11 * u.km**3 / u.s**2)
    assert np.max(np.abs(np.asarray(got.v1_m_s) - np.asarray(ref.v1_m_s))) < 1e-9 * METRE / SECOND


def test_passes_with_an_elevation_in_radians(u):
    ref = areo.passes("rt70-yevpatoria", "mars", "2016-10-01", "2016-10-02", min_elevation_deg=10.0)
    got = areo.passes("rt70-yevpatoria", "mars", "2016-10-01", "2016-10-02", min_elevation_deg=(10 * u.deg).to(u.rad))
    assert got == ref and len(ref) >= 1
    with pytest.raises(InputError, match=r"^min_elevation_deg got 3 m: give an angle"):
        areo.passes("rt70-yevpatoria", "mars", "2016-10-01", "2016-10-02", 3 * u.m)


def test_launch_period_payload_in_tonnes_is_refused_in_metres(u):
    with pytest.raises(InputError, match=r"^payload_kg got 4 m: give a mass"):
        areo.launch_period(None, 4 * u.m, "2016-03-01:2016-03-20", "2016-10-01:2016-10-30")  # type: ignore[arg-type]


def test_degree_tolerance_unit_is_consistent():  # tests.units.DEG is the definition the converter must match
    assert abs(to_named_unit("x_rad", FakeQuantity(1.0, "deg")) - DEG) < 1e-15
