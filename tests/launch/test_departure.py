"""Departure from a circular parking orbit (areo.launch.departure): the plane that holds the asymptote, the
lift-off instant and the coast to the escape burn.

Invariants are checked with outside tools: skyfield's Earth rotation (the site's GCRS position at lift-off) and
areo's universal-variable Kepler solver (itself checked in tests/test_kepler.py against outside oracles). The
published lift-off times and coasts are predictions: nothing is fitted; each tolerance is an error budget stated on
the test.
"""

import dataclasses

import numpy as np
import pytest

from areo.constants import GM_EARTH, J2000_JD, R_EARTH_EQ
from areo.errors import InputError
from areo.kepler import propagate
from areo.launch import get_launcher, judge_days, launch_period, load_launchers
from areo.launch.departure import (
    DEPARTURE_DLA_ABOVE_INCLINATION,
    DEPARTURE_NO_ASYMPTOTE,
    DEPARTURE_OK,
    departure_geometry,
    in_plane_vector,
    launch_opportunities,
)
from areo.mission.launcher import scenario_launch_period
from areo.mission.scenario import load_scenario
from areo.time import timescale, utc_to_tdb_seconds
from tests.units import DEG, KM, MINUTE

MU = float(GM_EARTH)
R_P = float(R_EARTH_EQ) + 200e3


def _radec(v):
    v = v / np.linalg.norm(v, axis=-1, keepdims=True)
    return np.arcsin(v[..., 2]), np.arctan2(v[..., 1], v[..., 0]) % (2 * np.pi)


def _random_cases(n=400, seed=13):
    rng = np.random.default_rng(seed)
    incl = rng.uniform(np.radians(46.5), np.radians(133.5), n)  # direct and retrograde planes over a 46 deg site
    dla = rng.uniform(-1, 1, n) * np.minimum(incl, np.pi - incl) * 0.999
    rla = rng.uniform(0, 2 * np.pi, n)
    c3 = rng.uniform(4e6, 60e6, n)
    return incl, dla, rla, c3


def test_both_opportunities_put_the_asymptote_at_the_requested_ra_and_dec():
    incl, dla, rla, c3 = _random_cases()
    g = departure_geometry(R_P, incl, c3, dla, rla, np.radians(45.85))
    assert np.all(g.status == DEPARTURE_OK)
    dec, ra = _radec(in_plane_vector(g.node_rad, incl[:, None], g.u_asymptote_rad))
    assert np.max(np.abs(dec - dla[:, None])) < 1e-9
    assert np.max(np.abs((ra - rla[:, None] + np.pi) % (2 * np.pi) - np.pi)) < 1e-9
    assert np.all(np.abs(np.diff(g.node_rad, axis=-1)) > 1e-6)  # two different planes: two opportunities


def test_the_perigee_burn_flies_out_along_the_asymptote():
    """Two-body propagation (areo.kepler, universal variables) of the perigee state, prograde in the plane at
    v = sqrt(C3 + 2 mu / r_p), for 2 years: position and velocity point along the asymptote within 0.1 deg (the
    residual bending at > 1e11 m is below 0.02 deg)."""
    incl, dla, rla, c3 = _random_cases(200)
    g = departure_geometry(R_P, incl, c3, dla, rla, np.radians(45.85))
    i2 = incl[:, None]
    r0 = R_P * in_plane_vector(g.node_rad, i2, g.u_burn_rad)
    v0 = np.sqrt(c3 + 2 * MU / R_P)[:, None, None] * in_plane_vector(g.node_rad, i2, g.u_burn_rad + np.pi / 2)
    r, v, status = propagate(r0, v0, 6e7, MU)
    assert np.all(status == 0)
    s = in_plane_vector(g.node_rad, i2, g.u_asymptote_rad)
    for vec in (r, v):
        cosang = np.sum(vec / np.linalg.norm(vec, axis=-1, keepdims=True) * s, axis=-1)
        assert np.max(np.arccos(np.clip(cosang, -1, 1))) < 0.1 * DEG


def test_no_opportunity_beyond_the_inclination_and_none_without_an_asymptote():
    g = departure_geometry(R_P, np.radians(51.5), [10e6, 10e6, -0.7e6, 0.0], np.radians([52.0, -60.0, 10.0, 10.0]),
                           0.3, np.radians(45.85))  # fmt: skip
    assert list(g.status) == [DEPARTURE_DLA_ABOVE_INCLINATION] * 2 + [DEPARTURE_NO_ASYMPTOTE] * 2
    assert np.all(np.isnan(g.coast_s)) and np.all(np.isnan(g.node_rad))


@pytest.fixture(scope="module")
def synthetic_days():
    """Ten days of 2016 with random asymptotes (|DLA| < 51 deg) for the Proton-M/Breeze-M from Baikonur."""
    rng = np.random.default_rng(7)
    days = float(utc_to_tdb_seconds("2016-03-01")) + 86400.0 * np.arange(10)
    lv = get_launcher("proton-m-breeze-m")
    c3, dla, rla = rng.uniform(5, 30, 10), rng.uniform(-51, 51, 10), rng.uniform(0, 360, 10)
    return lv, days, c3, dla, rla, launch_opportunities(lv, days, c3, dla, rla)


def _site_gcrs_m(lv, tdb_s):
    """The launch site's GCRS position (m) from skyfield (WGS84, IERS Earth orientation incl. precession-nutation)."""
    from skyfield.api import wgs84

    t = timescale().tdb_jd(float(J2000_JD) + np.asarray(tdb_s) / 86400.0)
    return np.asarray(wgs84.latlon(lv.site.latitude_deg, lv.site.longitude_deg).at(t).position.m).T


def test_site_lies_in_the_plane_at_lift_off_on_its_ascending_pass(synthetic_days):
    """skyfield's site position at each computed lift-off is in the parking plane within 1 km and moves north
    there (the ascending pass); each lift-off falls within the day."""
    lv, days, _, _, _, o = synthetic_days
    assert np.all(o.status == DEPARTURE_OK)
    t = o.launch_tdb_s.ravel()
    assert np.all((t >= np.repeat(days, 2)) & (t < np.repeat(days, 2) + 86400.0))
    r = _site_gcrs_m(lv, t)
    n = o.normal_gcrs.reshape(-1, 3)
    assert np.max(np.abs(np.sum(r * n, axis=-1))) < 1 * KM
    assert np.all(np.cross(n, r)[:, 2] > 0)  # orbital motion at the site points north


def test_coast_from_the_site_reaches_the_burn_point(synthetic_days):
    """End to end with outside pieces: start the circular parking orbit above skyfield's site at lift-off, fly it
    with the Kepler solver for the coast, then burn to the day's C3: the hyperbola leaves along the day's
    asymptote within 0.1 deg (the site's 1 km off-plane and the ellipsoid's ~0.2 deg of geocentric latitude are
    inside that)."""
    lv, _, c3, dla, rla, o = synthetic_days
    r_p = float(R_EARTH_EQ) + lv.parking_altitude_km * 1e3
    site = _site_gcrs_m(lv, o.launch_tdb_s.ravel())
    n = o.normal_gcrs.reshape(-1, 3)
    r0 = r_p * site / np.linalg.norm(site, axis=-1, keepdims=True)
    v0 = np.sqrt(MU / r_p) * np.cross(n, r0 / r_p)
    r1, v1, st = propagate(r0, v0, o.coast_s.ravel(), MU)
    assert np.all(st == 0)
    vb = np.sqrt(np.repeat(c3, 2) * 1e6 + 2 * MU / r_p)[:, None] * v1 / np.linalg.norm(v1, axis=-1, keepdims=True)
    _, v, st = propagate(r1, vb, 6e7, MU)
    d, a = np.radians(np.repeat(dla, 2)), np.radians(np.repeat(rla, 2))
    s = np.stack([np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)], axis=-1)
    ang = np.arccos(np.clip(np.sum(v / np.linalg.norm(v, axis=-1, keepdims=True) * s, axis=-1), -1, 1))
    assert np.all(st == 0) and np.max(ang) < 0.1 * DEG


# ----------------------------------------------------------------------------------- published lift-off times
# Error budget of a predicted lift-off (minutes), from the sensitivities measured on these days: parking
# inclination +-0.3 deg (51.5 / 51.6 / 51.8 deg in the sources) moves it 2.6-4.2 min; the pad's longitude +-0.5 deg
# (Baikonur's pads span 63.03-63.56 E; areo has one site) 2 min; the day's asymptote held from 00:00 UTC to the
# lift-off (RLA drifts 0.7-0.9 deg a day) up to 2 min; the node's J2 drift over a < 90 min coast 1.3 min; sources
# quoted to the minute 0.5 min. Root sum square ~5 min: tolerance 6 min. The gaps were measured before the budget
# was written; the budget comes from the sensitivities, not from the gaps.
LIFT_OFF_TOL = 6 * MINUTE

# (scenario or None, launcher, target, payload kg, day, arrival (scenario's if None), published lift-off, source)
LIFT_OFFS = {
    "Venus Express": ("venus-express2005", "2005-11-09T03:33:00Z"),  # Spaceflight Now / Roscosmos: 0333 GMT
    "Phobos 2": ("phobos2-1988", "1988-07-12T17:01:43Z"),  # NASA NSSDC: 17:01:43 UTC
}


def _scenario_day(name: str, day: str):
    """The scenario's launch period (its launcher, payload, arrival constraint and target) on one day."""
    sc = load_scenario(name).model_copy(deep=True)
    nxt = str(np.datetime64(day) + np.timedelta64(1, "D"))
    sc.launch.period_depart = f"{day}:{nxt}"
    return scenario_launch_period(sc).days()[0]


def _gap_s(day: dict, utc: str) -> float:
    """Published minus the nearest predicted opportunity (s)."""
    pub = float(utc_to_tdb_seconds(utc))
    t = np.asarray(utc_to_tdb_seconds(day["launch_times_utc"]), float)
    return float(pub - t[np.argmin(np.abs(t - pub))])


@pytest.mark.parametrize("mission", sorted(LIFT_OFFS))
def test_predicted_lift_off_matches_the_published_one(mission):
    """Measured: Venus Express 03:36:49 (published 03:33, -3.8 min; coast 85.6 min), Phobos 2 16:59:32 (published
    17:01:43, +2.2 min). The other opportunity of the day is hours away (it is not a match by chance)."""
    name, utc = LIFT_OFFS[mission]
    day = _scenario_day(name, utc[:10])
    assert len(day["launch_times_utc"]) == 2 and day["c3_km2_s2"] > 0
    assert abs(_gap_s(day, utc)) < LIFT_OFF_TOL
    t = np.asarray(utc_to_tdb_seconds(day["launch_times_utc"]), float)
    assert abs(t[1] - t[0]) > 60 * MINUTE


def test_mars_express_lift_off_and_coast():
    """Mars Express, not a shipped scenario: 1223 kg on Soyuz-FG/Fregat, lift-off "at 17:45 UT on 2 June 2003", the
    Fregat re-ignited "one hour and thirty-two minutes after launch" (ESA, sci.esa.int/web/mars-express/31035-launch-
    phase; the seconds, 17:45:26, are not in that source and are within the tolerance either way); Mars orbit
    insertion on 25 December 2003 (ESA; the time of day, ~03:00 UTC, is an assumption), the arrival held fixed.
    Predicted 17:50:37 UTC (+5.2 min, inside the budget above)."""
    lv = get_launcher("soyuz-fg-fregat")
    day = launch_period(lv, 1223.0, "2003-06-02:2003-06-03", "2003-12-25T03:00:00Z").days()[0]
    assert abs(_gap_s(day, "2003-06-02T17:45:26Z")) < LIFT_OFF_TOL


@pytest.mark.xfail(
    strict=True,
    reason="known gap: on 14 March 2016 the fixed-arrival ballistic asymptote (DLA -50.4 deg, 1.1 deg inside the "
    "51.5 deg plane) gives lift-offs at 05:54 and 07:54 UTC, the flown one was 09:31:42 (-98 min); see the docstring",
)
def test_exomars_2016_predicted_lift_off_matches_the_flown_one():
    """ExoMars 2016: lift-off 2016-03-14 09:31:42 UTC (ESA PR 8-2016; Roscosmos 12:31:42 MSK). GAP -98 min, far
    beyond the 6 min budget. Likely reasons, none modelled: (1) ill-conditioning: with |DLA| 1.1 deg below the
    inclination the asymptote sits near the plane's apex and the lift-off moves ~25 min per degree of DLA (measured
    sensitivity), so the flown asymptote, not published, must differ from areo's ballistic one by ~4 deg for this
    gap; (2) the flown transfer had a DSM (326.5 m/s, ESA 2016-07-28) and its launch asymptote: areo's transfer
    with the flown DSM (areo.cruise.design) gives 10:19 UTC (+47 min) on the same day; (3) Breeze-M's four burns
    through intermediate orbits (separation 10 h 42 min after lift-off) let the node drift (J2, ~5 deg a day at
    200 km) before the escape burn. Strict xfail: it fails loudly the day the model reproduces the flown time."""
    day = _scenario_day("exomars2016", "2016-03-14")
    assert abs(_gap_s(day, "2016-03-14T09:31:42Z")) < LIFT_OFF_TOL


# ------------------------------------------------------------------------------------------- published coasts
# Published lift-off-to-escape-burn times of Soyuz-FG/Fregat (launchers.toml): Venus Express ~90 min (spacetoday.net,
# 2005-11-09), Mars Express 1 h 32 min (ESA, sci.esa.int/web/mars-express/31035-launch-phase). areo's coast is the arc from the site at
# orbital rate; the ascent, slower than orbital rate for its first ~10-15 min (Soyuz third-stage cut-off near
# 9 min, then Fregat's first burn), only adds to the real figure: published - areo within -3 (sources rounded; the
# burn starts before its impulsive point) to +12 min (the ascent). Bounds set after the first measurement.
def test_published_fregat_coasts():
    vex = _scenario_day("venus-express2005", "2005-11-09")
    mex = launch_period(get_launcher("soyuz-fg-fregat"), 1223.0, "2003-06-02:2003-06-03", "2003-12-25T03:00:00Z")
    for day, pub_utc, coast_pub_min in (
        (vex, "2005-11-09T03:33:00Z", 90.0),
        (mex.days()[0], "2003-06-02T17:45:26Z", 92.0),
    ):
        t = np.asarray(utc_to_tdb_seconds(day["launch_times_utc"]), float)
        k = int(np.argmin(np.abs(t - float(utc_to_tdb_seconds(pub_utc)))))
        gap = (coast_pub_min - day["coast_min"][k]) * MINUTE
        assert -3 * MINUTE <= gap <= 12 * MINUTE, (pub_utc, day["coast_min"][k])
        assert day["coast_ok"][k]


# ----------------------------------------------------------------------------------------------- verdicts
def test_a_short_coast_limit_closes_days_and_says_by_how_much():
    """Invariant: a shorter coast limit never adds a day; below the days' shortest coasts none is left, with the
    needed and allowed minutes in the status."""
    sc = load_scenario("exomars2016")
    lv = get_launcher(sc.launch.launcher)
    args = (4332.0, "2016-03-12:2016-03-20", "2016-10-19")
    free = launch_period(lv, *args)
    mid = launch_period(dataclasses.replace(lv, max_coast_min=12.0), *args)
    none = launch_period(dataclasses.replace(lv, max_coast_min=1.0), *args)
    assert np.all(mid.feasible <= free.feasible) and not none.feasible.any()
    assert mid.feasible.sum() < free.feasible.sum()
    day = next(d for d in none.days() if d["dla_deg"] > -51.5)
    assert day["status"].startswith("coast longer than the launcher allows (") and "1 allowed" in day["status"]
    assert not any(day["coast_ok"])


def test_shipped_periods_keep_their_days():
    """The coast check closes no day of the shipped scenarios' periods (Breeze-M 660 min, Fregat 90, D-2 80 min
    against coasts of 4-88 min): the first and last days stay where tests/launch/test_published.py has them."""
    for name in ("exomars2016", "exomars2022", "phobos2-1988"):
        days = scenario_launch_period(load_scenario(name)).days()
        assert not any(d["status"].startswith("coast") for d in days), name


def test_bound_transfer_has_no_launch_time_and_says_so():
    """Spektr-RG's L2 transfer (C3 ~ -0.7 km^2/s^2): no asymptote, so no lift-off instant or coast check."""
    lv = get_launcher("proton-m-dm-03")
    t = utc_to_tdb_seconds(["2019-07-13"])
    p = judge_days(lv, 2713.0, t, t + 100 * 86400.0, [-0.7], [10.0], [100.0], [True], "L2")
    day = p.days()[0]
    assert day["feasible"] and day["launch_times_utc"] == [] and day["coast_min"] == []
    assert day["launch_note"].startswith("C3 <= 0")


def test_a_site_without_longitude_gets_coasts_but_no_times(tmp_path):
    f = tmp_path / "site.toml"
    f.write_text(
        '[sites.nowhere]\nlatitude_deg = 46.0\ninclinations_deg = [51.6]\nsource = "test"\n'
        '[launchers.r]\ntitle = "R"\nsite = "nowhere"\nparking_inclinations_deg = [51.6]\nmax_coast_min = 100.0\n'
        'c3_km2_s2 = [0.0, 40.0]\npayload_kg = [5000.0, 3000.0]\nsource = "test"\n'
    )
    lv = load_launchers(f)["r"]
    day = launch_period(lv, 1000.0, "2016-03-14:2016-03-15", "2016-10-19").days()[0]
    assert day["launch_times_utc"] == [] and len(day["coast_min"]) == 2 and "no longitude" in day["launch_note"]
    f.write_text(f.read_text().replace("latitude_deg = 46.0", "latitude_deg = 46.0\nlongitude_deg = 400.0"))
    with pytest.raises(InputError, match=r"^invalid launcher file site.toml: sites.nowhere.longitude_deg: [^\n]*$"):
        load_launchers(f)
