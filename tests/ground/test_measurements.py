"""Light time, range rate and Doppler: skyfield's light time, the light-time derivative identity, the diurnal
Doppler signature of station rotation, and the CCSDS TDM layout."""

from __future__ import annotations

import numpy as np
import pytest

from areo.constants import C_LIGHT
from areo.errors import InputError
from areo.ground import get_station, observables
from areo.ground.geometry import altaz
from areo.ground.measurements import tdm_records
from areo.io.tdm import format_tdm, parse_tdm
from areo.time import utc_to_tdb_seconds
from tests.units import M_S, SECOND


def test_one_way_light_time_matches_skyfield(sky):
    from skyfield.api import wgs84

    ts, eph = sky
    st = get_station("dss-43")
    tt = utc_to_tdb_seconds("2016-10-19T14:42:00Z") + np.arange(0, 86400, 3600.0)
    obs = observables(st, "mars", tt)
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    lt = site.at(ts.tdb_jd(2451545.0 + tt / 86400.0)).observe(eph["mars"]).light_time * 86400.0
    assert np.max(np.abs(obs.one_way_light_time_s - lt)) < 1e-6 * SECOND


def test_range_rate_obeys_light_time_derivative(sky):
    """d tau/dt = u.(v_T - v_o) / (c + u.v_T) with skyfield's retarded target velocity and observer velocity."""
    from skyfield.api import wgs84

    ts, eph = sky
    st = get_station("dss-14")
    tt = utc_to_tdb_seconds("2016-06-01") + np.arange(0, 86400, 7200.0)
    obs = observables(st, "mars", tt)
    t = ts.tdb_jd(2451545.0 + tt / 86400.0)
    obsr = (eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)).at(t)
    ast = obsr.observe(eph["mars"])
    tr = ts.tdb_jd(2451545.0 + (tt - ast.light_time * 86400.0) / 86400.0)
    v_t = eph["mars"].at(tr).velocity.m_per_s
    v_o = obsr.velocity.m_per_s
    u = ast.position.m / np.linalg.norm(ast.position.m, axis=0)
    dtau = np.sum(u * (v_t - v_o), axis=0) / (C_LIGHT + np.sum(u * v_t, axis=0))
    assert np.max(np.abs(obs.one_way_range_rate_m_s - C_LIGHT * dtau)) < 1e-3 * M_S


def test_station_rotation_diurnal_doppler():
    """Range rate minus its smooth trend oscillates with amplitude omega (R cos(lat)) cos(dec)."""
    st = get_station("dss-63")
    tt = utc_to_tdb_seconds("2016-10-19") + np.arange(0, 3 * 86400.0, 600.0)
    obs = observables(st, "mars", tt)
    rr = obs.one_way_range_rate_m_s
    x = (tt - tt.mean()) / 86400.0
    w = 7.2921150e-5 * (tt - tt.mean())
    design = np.stack([np.ones_like(x), x, x * x, np.cos(w), np.sin(w)], axis=1)
    coef = np.linalg.lstsq(design, rr, rcond=None)[0]
    amp = np.hypot(coef[3], coef[4])
    a = altaz(st, "mars", tt)
    r_itrs = np.asarray(st.r_itrs_m)
    rho = np.hypot(r_itrs[0], r_itrs[1])
    # declination of Mars from the geocentre is enough here (parallax is 1e-5 rad)
    from areo.ephem import state_ssb_icrf

    d = state_ssb_icrf("mars", tt)[0] - state_ssb_icrf("earth", tt)[0]
    dec = np.arcsin(d[:, 2] / np.linalg.norm(d, axis=1)).mean()
    expected = 7.2921150e-5 * rho * np.cos(dec)
    assert abs(amp - expected) / expected < 0.02
    assert a.elevation_deg.max() > 0


def test_two_way_is_the_mean_of_down_and_up_legs():
    """Two-way range rate = mean of the downlink rate at t and the uplink rate ~ downlink rate at t - 2 tau, to
    first order in v/c (the second-order term v^2/c is ~0.7 m/s for Mars at 10 km/s)."""
    st = get_station("dss-63")
    tt = utc_to_tdb_seconds("2016-10-19T14:42:00Z") + np.arange(0, 3600.0, 600.0)
    obs = observables(st, "mars", tt, band="x")
    assert obs.turnaround == (880, 749)
    earlier = observables(st, "mars", tt - 2 * obs.one_way_light_time_s, band="x")
    mean_rate = 0.5 * (obs.one_way_range_rate_m_s + earlier.one_way_range_rate_m_s)
    assert np.max(np.abs(obs.two_way_range_rate_m_s - mean_rate)) < 1.0 * M_S
    # a coherent downlink on 8420 MHz: two-way Doppler = -(f / c) * 2 x two-way range rate
    assert np.allclose(obs.two_way_doppler_hz, -8420e6 * 2 * obs.two_way_range_rate_m_s / C_LIGHT, rtol=1e-9)


def test_band_the_station_lacks_is_refused():
    with pytest.raises(InputError, match="station 'gmrt' has no 'x' band"):
        observables(get_station("gmrt"), "mars", np.array([0.0]), band="x")


def test_tdm_kvn_layout():
    st = get_station("dsa-2")
    tt = utc_to_tdb_seconds("2016-10-19T12:00:00Z") + np.arange(0, 300.0, 60.0)
    obs = observables(st, "mars", tt)
    meta, recs = tdm_records(obs, st, "mars")
    text = format_tdm([(meta, recs)], creation_date="2026-01-01T00:00:00")
    lines = text.splitlines()
    assert lines[0] == "CCSDS_TDM_VERS = 2.0"
    assert lines.index("META_START") < lines.index("META_STOP") < lines.index("DATA_START") < lines.index("DATA_STOP")
    (seg,) = parse_tdm(text)
    m, data = seg
    assert m["TIME_SYSTEM"] == "UTC" and m["PARTICIPANT_1"] == "DSA-2" and m["PATH"] == "1,2,1"
    assert m["TURNAROUND_NUMERATOR"] == "880" and m["TURNAROUND_DENOMINATOR"] == "749"
    ranges = [v for k, _, v in data if k == "RANGE"]
    assert np.allclose(ranges, obs.two_way_range_m / 1000.0, rtol=0, atol=1e-5)
    with pytest.raises(InputError, match="not a TDM tracking-data keyword"):
        format_tdm([(meta, [("RANGEX", "2016-01-01T00:00:00", "1")])])


def test_spacecraft_trajectory_observables():
    """A trajectory table (the mission layer's interface) gives the same range and rate as the DE421 body, and
    epochs whose light left the target before the table starts are refused with the table's span."""
    from areo.ephem import state_ssb_icrf
    from areo.ground import TrajectoryTarget

    t0 = utc_to_tdb_seconds("2016-10-18")
    grid = t0 + np.arange(0, 3 * 86400.0, 600.0)
    r, v = state_ssb_icrf("mars", grid)
    traj = TrajectoryTarget(grid, r, v, name="tgo")
    st = get_station("dss-63")
    tt = t0 + 86400.0 + np.arange(0, 600.0, 60.0)
    a, b = observables(st, traj, tt), observables(st, "mars", tt)
    assert np.max(np.abs(a.two_way_range_m - b.two_way_range_m)) < 1e-3  # metres
    assert np.max(np.abs(a.two_way_range_rate_m_s - b.two_way_range_rate_m_s)) < 1e-3 * M_S
    with pytest.raises(InputError, match="outside the trajectory of 'tgo'"):
        observables(st, traj, np.array([t0 + 100.0]))


def test_uhf_is_one_way():
    """No UHF transponder turnaround is defined: UHF gives one-way Doppler only (Schiaparelli at 401 MHz)."""
    obs = observables(
        get_station("gmrt"), "mars", utc_to_tdb_seconds("2016-10-19T14:42:00Z") + np.arange(3.0), band="uhf"
    )
    assert obs.turnaround is None and np.all(np.isnan(obs.two_way_range_m))
    assert np.allclose(obs.one_way_doppler_hz, -401.585625e6 * obs.one_way_range_rate_m_s / C_LIGHT, rtol=1e-9)
