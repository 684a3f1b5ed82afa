"""Geometry against outside authorities: the skyfield passes oracle (tests/authorities) and skyfield itself."""

from __future__ import annotations

import json

import numpy as np
import pytest

from areo.ephem import state_ssb_icrf
from areo.errors import InputError
from areo.ground import BodyTarget, EarthOrientation, TrajectoryTarget, altaz, find_passes, get_station, make_station
from areo.time import tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from tests.conftest import ORACLES
from tests.units import ARCSEC, DEG, SECOND

MAS = 1e-3 * ARCSEC


def _oracle():
    return json.loads((ORACLES / "passes_yevpatoria_2016-10.json").read_text())


def test_passes_match_skyfield_oracle_within_one_second():
    o = _oracle()
    site = o["site"]
    st = make_station("oracle-site", site["lat_deg"], site["lon_deg_east"], site["height_m_wgs84"])
    t0, t1 = utc_to_tdb_seconds(o["window_utc"])
    ps = find_passes(st, "mars", t0, t1, o["min_elevation_deg"])
    assert len(ps) == o["n_passes"]
    rise = utc_to_tdb_seconds([p["rise_utc"] for p in o["passes"]])
    sets = utc_to_tdb_seconds([p["set_utc"] for p in o["passes"]])
    culm = utc_to_tdb_seconds([p["max_elevation_utc"] for p in o["passes"]])
    assert np.max(np.abs(np.array([p.rise_tdb_s for p in ps]) - rise)) < 1 * SECOND
    assert np.max(np.abs(np.array([p.set_tdb_s for p in ps]) - sets)) < 1 * SECOND
    # the oracle's culmination is the best sample of a 60 s grid; its elevation is rounded to 1e-4 deg
    assert np.max(np.abs(np.array([p.culmination_tdb_s for p in ps]) - culm)) <= 60 * SECOND
    elmax = np.array([p["max_elevation_deg"] for p in o["passes"]])
    assert np.max(np.abs(np.array([p.max_elevation_deg for p in ps]) - elmax)) < 1e-3


@pytest.mark.parametrize("backend", ["numpy", "jax"])
@pytest.mark.parametrize("station_id", ["dss-43", "gmrt", "tna1500-bear-lakes"])
@pytest.mark.parametrize(
    "body,sky_name", [("mars", "mars"), ("venus", "venus"), ("jupiter", "jupiter barycenter"), ("moon", "moon")]
)
def test_apparent_altaz_matches_skyfield(sky, station_id, body, sky_name, backend):
    """The vectorised path against skyfield's observe().apparent().altaz() over 60 years of DE421."""
    from skyfield.api import wgs84

    ts, eph = sky
    st = get_station(station_id)
    rng = np.random.default_rng(7)
    tt = np.sort(rng.uniform(-15 * 365.25 * 86400, 45 * 365.25 * 86400, 120))
    t = ts.tdb_jd(2451545.0 + tt / 86400.0)
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    ap = site.at(t).observe(eph[sky_name]).apparent()
    alt, az, _ = ap.altaz()
    a = altaz(st, body, tt, backend=backend)
    d_el = np.radians(a.elevation_deg - alt.degrees)
    d_az = np.radians((a.azimuth_deg - az.degrees + 180.0) % 360.0 - 180.0) * np.cos(alt.radians)
    assert np.max(np.abs(d_el)) < 5 * MAS
    assert np.max(np.abs(d_az)) < 5 * MAS
    assert np.max(np.abs(a.light_time_s - ap.light_time * 86400.0)) < 1e-6 * SECOND


def test_refraction_matches_skyfield(sky):
    from skyfield.api import wgs84

    ts, eph = sky
    st = get_station("dsa-2")
    tt = utc_to_tdb_seconds("2016-10-19T00:00:00Z") + np.arange(0, 86400, 600.0)
    t = ts.tdb_jd(2451545.0 + tt / 86400.0)
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    alt, _, _ = site.at(t).observe(eph["mars"]).apparent().altaz(temperature_C=10.0, pressure_mbar=1010.0)
    a = altaz(st, "mars", tt, refraction=True)
    up = alt.degrees > 0
    assert up.sum() > 10
    assert np.max(np.abs(a.elevation_deg - alt.degrees)[up]) * DEG < 0.05 * ARCSEC


def test_earth_orientation_interpolation_bound(sky):
    """Interpolated GCRS->ITRS matrix vs skyfield's exact one: well below 1 mas (module docstring bound)."""
    ts, _ = sky
    t0 = utc_to_tdb_seconds("2016-01-01")
    tt = t0 + np.random.default_rng(3).uniform(0, 365 * 86400, 200)
    eo = EarthOrientation(tt.min(), tt.max())
    R = eo.gcrs_to_itrs(tt)
    from skyfield.framelib import itrs

    Rs = np.moveaxis(itrs.rotation_at(ts.tdb_jd(2451545.0 + tt / 86400.0)), -1, 0)
    err = np.max(np.abs(R - Rs))  # small-angle: matrix element error = rotation error in rad
    assert err < 1 * MAS


def test_trajectory_target_reproduces_body():
    """A spacecraft table (Mars positions every hour, cubic Hermite) gives Mars's direction to 1 mas."""
    t0 = utc_to_tdb_seconds("2016-10-18")
    grid = t0 + np.arange(-2 * 3600.0, 3 * 86400.0, 3600.0)
    r, v = state_ssb_icrf("mars", grid)
    traj = TrajectoryTarget(grid, r, v, name="table")
    fn = TrajectoryTarget(fn=lambda t: state_ssb_icrf("mars", t)[0], name="fn")
    st = get_station("dss-63")
    tt = t0 + np.linspace(3600.0, 2 * 86400.0, 50)
    ref = altaz(st, BodyTarget("mars"), tt)
    for tgt in (traj, fn):
        a = altaz(st, tgt, tt)
        assert np.max(np.abs(a.elevation_deg - ref.elevation_deg)) * DEG < 1 * MAS
    with pytest.raises(InputError, match="outside the trajectory of 'table'"):
        altaz(st, traj, np.array([t0 + 10 * 86400.0]))


def test_pass_search_rejects_reversed_span():
    st = get_station("dss-14")
    with pytest.raises(InputError, match="ends before it starts"):
        find_passes(st, "mars", 1000.0, 0.0, 10.0)


def test_unknown_target_lists_choices():
    with pytest.raises(InputError, match="unknown target 'marz'; did you mean 'mars'"):
        BodyTarget("marz")


def test_pass_times_are_printed_in_utc():
    o = _oracle()
    st = get_station("rt70-yevpatoria")  # catalogue row carries the oracle's coordinates
    t0, t1 = utc_to_tdb_seconds(["2016-10-01", "2016-10-02"])
    (p,) = find_passes(st, "mars", t0, t1, 10.0)
    assert tdb_seconds_to_utc_iso(p.rise_tdb_s)[:19] == o["passes"][0]["rise_utc"][:19]


def test_dense_path_matches_skyfield(sky):
    """Dense grids use Hermite-interpolated ephemeris states; the result still matches skyfield to 1 mas."""
    from skyfield.api import wgs84

    from areo.ground.geometry import HERMITE_MIN_SAMPLES

    ts, eph = sky
    st = get_station("rt70-ussuriysk")
    tt = utc_to_tdb_seconds("2016-03-14") + np.arange(0.0, 10 * 86400.0, 60.0)
    assert tt.size >= HERMITE_MIN_SAMPLES
    a = altaz(st, "mars", tt)
    pick = np.random.default_rng(5).choice(tt.size, 150, replace=False)
    t = ts.tdb_jd(2451545.0 + tt[pick] / 86400.0)
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    alt, _, _ = site.at(t).observe(eph["mars"]).apparent().altaz()
    assert np.max(np.abs(a.elevation_deg[pick] - alt.degrees)) * DEG < 1 * MAS


def test_hermite_state_bound():
    from areo.ephem import default_ephemeris
    from areo.ground.geometry import hermite_state

    eph = default_ephemeris()
    tt = utc_to_tdb_seconds("2020-01-01") + np.random.default_rng(2).uniform(0, 30 * 86400, 500)
    for body in ("earth", "mars", "sun", "moon"):
        r, v = hermite_state(eph, body, tt)
        r0, v0 = eph.state(body, tt, center="ssb")
        assert np.max(np.abs(r - r0)) < 0.05  # metres: 2 mm for the Earth, 13 mm for the Moon when written
        assert np.max(np.abs(v - v0)) < 1e-4  # m/s


def test_jax_kernel_equals_numpy_reference():
    """Several stations, a 2-D epoch array: the jitted kernel and the numpy path agree to rounding."""
    from areo.ground import get_network
    from areo.ground.geometry import altaz_many

    sts = get_network("estrack,rt70")
    tt = utc_to_tdb_seconds("2016-10-19") + np.arange(0.0, 86400.0, 450.0).reshape(8, 24)
    ref = altaz_many(sts, "mars", tt)
    got = altaz_many(sts, "mars", tt, backend="jax")
    for a, b in zip(got, ref):
        assert a.elevation_deg.shape == (8, 24)
        assert np.max(np.abs(a.elevation_deg - b.elevation_deg)) * DEG < 1e-6 * MAS
        assert np.max(np.abs(a.range_m - b.range_m)) < 1e-3  # metres
    with pytest.raises(InputError, match="unknown backend 'torch'"):
        altaz_many(sts, "mars", tt, backend="torch")
