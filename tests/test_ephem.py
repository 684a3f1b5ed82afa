"""DE421 body states. Authority: skyfield 1.x reading the same DE421 kernel (its own segment chaining)."""

import numpy as np
import pytest

from areo.ephem import (
    EPHEM_OK,
    EPHEM_OUT_OF_RANGE,
    default_ephemeris,
    ecliptic_to_icrf,
    icrf_to_ecliptic,
    state_ssb_icrf,
    state_sun_icrf,
    state_with_status,
)
from areo.errors import EphemerisRangeError, InputError
from areo.time import utc_to_tdb_seconds
from tests.units import METRE, MM_S

BODIES = ["mercury", "venus", "earth", "moon", "mars", "jupiter", "saturn", "uranus", "neptune", "sun"]


@pytest.fixture(scope="module")
def skyfield_planets():
    import warnings

    from skyfield.api import Loader

    from areo.ephem import de421_path

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import os

        kernel = Loader(os.path.dirname(de421_path()))("de421.bsp")
    yield kernel
    kernel.close()


_NAMES = {
    "mercury": "mercury",
    "venus": "venus",
    "earth": "earth",
    "moon": "moon",
    "mars": "mars",
    "jupiter": "jupiter barycenter",
    "saturn": "saturn barycenter",
    "uranus": "uranus barycenter",
    "neptune": "neptune barycenter",
    "sun": "sun",
}


@pytest.mark.parametrize("body", BODIES)
def test_against_skyfield(body, skyfield_planets):
    from areo.time import timescale

    utc = ["1950-01-01", "2016-03-14T09:31:42Z", "2016-10-19T14:42:00Z", "2028-11-01"]
    tdb_s = utc_to_tdb_seconds(utc)
    ts = timescale()
    t = ts.tdb_jd(2451545.0 + tdb_s / 86400.0)
    sf = skyfield_planets[_NAMES[body]].at(t)
    r, v = state_ssb_icrf(body, tdb_s)
    np.testing.assert_allclose(r, sf.position.m.T, rtol=0, atol=1 * METRE)
    np.testing.assert_allclose(v, sf.velocity.km_per_s.T * 1e3, rtol=0, atol=0.01 * MM_S)
    sun = skyfield_planets["sun"].at(t)
    r_h, _ = state_sun_icrf(body, tdb_s)
    np.testing.assert_allclose(r_h, (sf.position.m - sun.position.m).T, rtol=0, atol=1 * METRE)


def test_shapes_vectorised():
    t = np.zeros((4, 5))
    r, v = state_sun_icrf("mars", t)
    assert r.shape == (4, 5, 3) and v.shape == (4, 5, 3)
    # heliocentric distance of Mars is between perihelion 1.381 and aphelion 1.666 AU (NASA Mars fact sheet)
    d_au = np.linalg.norm(r, axis=-1) / 1.495978707e11
    assert np.all((d_au > 1.38) & (d_au < 1.67))


def test_out_of_range_error_names_coverage():
    with pytest.raises(
        EphemerisRangeError, match=r"outside the DE421 ephemeris, which covers 1899-07-2\d to 2053-10-0\d"
    ):
        state_sun_icrf("mars", utc_to_tdb_seconds("2060-01-01"))


def test_batched_status_instead_of_raise():
    t = utc_to_tdb_seconds(["2016-01-01", "2070-01-01", "1850-01-01"])
    r, _v, st = state_with_status("earth", t)
    assert st.tolist() == [EPHEM_OK, EPHEM_OUT_OF_RANGE, EPHEM_OUT_OF_RANGE]
    assert np.all(np.isfinite(r[0])) and np.all(np.isnan(r[1:]))


def test_unknown_body_lists_valid_names():
    with pytest.raises(InputError, match=r"unknown body 'marz'; did you mean 'mars'.*Valid choices: earth"):
        state_sun_icrf("marz", 0.0)


def test_ecliptic_rotation_round_trip_and_pole():
    x = np.random.default_rng(1).normal(size=(10, 3))
    np.testing.assert_allclose(ecliptic_to_icrf(icrf_to_ecliptic(x)), x, atol=1e-15)
    # Earth's heliocentric orbit lies in the ecliptic: |z_ecl| < 1e-4 of its distance (lunar wobble of the EMB offset)
    r, _ = default_ephemeris().state("earth-moon-barycenter", np.linspace(0, 3e8, 50), frame="ecliptic")
    assert np.max(np.abs(r[:, 2]) / np.linalg.norm(r, axis=1)) < 1e-4
