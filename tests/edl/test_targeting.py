"""Entry targeting from a landing site (issue 10, section 2): round trips (target, then fly the batched JAX
kernel from the returned entry state: it must land within 1 km), both branches of an inclination and of an
asymptote, mirror invariants for a site on the equator, the asymptote angle against an independent two-body
integration (scipy solve_ivp), and bad input. Vehicle: the shipped Schiaparelli scenario, no dispersions."""

import math

import numpy as np
import pytest

from areo.edl import dynamics as dyn
from areo.edl.montecarlo import run_batch
from areo.edl.targeting import Approach, EntryTarget, Site, asymptote_angle, target_entry
from areo.errors import InputError
from tests.units import DEG, KM, METRE

MERIDIANI = Site(latitude_deg=-2.0, longitude_deg=-6.0, elevation_m=-1440.0)  # the scenario's ellipse centre
EQUATOR = Site(latitude_deg=0.0, longitude_deg=30.0, elevation_m=0.0)


@pytest.fixture(scope="module")
def nominal(scenario):
    return scenario.to_params(scenario.faults_for("nominal"))


@pytest.fixture(scope="module")
def solved(nominal, model):
    cases = {
        "ascending": Approach(inclination_deg=20.0, branch="ascending"),
        "descending": Approach(inclination_deg=20.0, branch="descending"),
        "prograde": Approach(asymptote_declination_deg=10.0, branch="prograde"),
        "retrograde": Approach(asymptote_declination_deg=-10.0, branch="retrograde"),
    }
    return {k: target_entry(nominal, model, MERIDIANI, a) for k, a in cases.items()}


def _land_km(targets: list[EntryTarget], site: Site, nominal, model):
    """Distance (km) from each target's touchdown (batched JAX kernel) to the site."""
    p = {k: np.full(len(targets), float(v)) for k, v in nominal.items()}
    for i, t in enumerate(targets):
        for k, v in t.params().items():
            p[k][i] = v
    p["ground_elev"] = p["nav_ground_elev"] = np.full(len(targets), site.elevation_m)
    out = run_batch(p, model)
    r = dyn.RE + site.elevation_m
    lat0, lon0 = math.radians(site.latitude_deg), math.radians(site.longitude_deg)
    dlat = out["landing_lat"] - lat0
    dlon = (out["landing_lon"] - lon0 + math.pi) % (2 * math.pi) - math.pi
    return np.hypot(dlat, dlon * math.cos(lat0)) * r, out["status"]


def test_round_trip_lands_on_the_site_on_every_branch(solved, nominal, model):
    miss, status = _land_km(list(solved.values()), MERIDIANI, nominal, model)
    assert np.all(status == 1)  # landed
    assert np.all(miss < 1 * KM), miss
    for t in solved.values():
        assert t.miss_m <= 50 * METRE and t.simulations <= 8


def test_branches_pass_the_site_as_asked(solved):
    a, d = solved["ascending"], solved["descending"]
    assert (a.pass_direction, d.pass_direction) == ("ascending", "descending")
    # heading on a 20 deg plane at 2 deg S: asin(cos 20 / cos 2) = 70.05 deg, 180 deg minus that descending
    assert abs(a.site_heading_deg - math.degrees(math.asin(math.cos(20 * DEG) / math.cos(2 * DEG)))) < 1e-6
    assert abs(a.site_heading_deg + d.site_heading_deg - 180.0) < 1e-6
    # the ascending pass enters south of the site, the descending one north of it
    assert a.latitude_deg < MERIDIANI.latitude_deg < d.latitude_deg
    assert (solved["prograde"].motion, solved["retrograde"].motion) == ("prograde", "retrograde")


def test_asymptote_target_keeps_the_entry_on_the_asymptote_cone(solved, nominal):
    r_entry = float(dyn.ellipsoid_radius(math.sin(MERIDIANI.latitude_deg * DEG))) + nominal["entry_alt"]
    alpha = asymptote_angle(nominal["entry_speed"], r_entry, nominal["entry_fpa"])
    for name, dec in (("prograde", 10.0), ("retrograde", -10.0)):
        t = solved[name]
        s = _unit(dec, t.asymptote_longitude_deg)
        r = _unit(t.latitude_deg, t.longitude_deg)
        assert abs(math.acos(float(r @ s)) - alpha) < 1e-3 * DEG
        # the entry heading is in the plane of the asymptote, towards it
        east = np.array([-r[1], r[0], 0.0]) / math.hypot(r[0], r[1])
        north = np.cross(r, east)
        az = math.radians(t.azimuth_deg)
        h = math.sin(az) * east + math.cos(az) * north
        assert abs(float(np.cross(r, s) @ h)) < 1e-9 and float(h @ s) > 0


def _unit(lat_deg, lon_deg):
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])


def test_equator_site_branches_are_mirror_images(nominal, model):
    # invariant: Mars' rotation, J2, the ellipsoid and the (latitude-free) atmosphere are symmetric about the
    # equator, so for a site on it the ascending and descending passes of one plane, and the asymptotes at +dec
    # and -dec, are mirror images: opposite entry latitudes, same longitude, headings summing to 180 deg
    pairs = [
        (Approach(inclination_deg=30.0, branch="ascending"), Approach(inclination_deg=30.0, branch="descending")),
        (
            Approach(asymptote_declination_deg=15.0, branch="prograde"),
            Approach(asymptote_declination_deg=-15.0, branch="prograde"),
        ),
    ]
    targets = []
    for up, down in pairs:
        a, d = target_entry(nominal, model, EQUATOR, up), target_entry(nominal, model, EQUATOR, down)
        targets += [a, d]
        # 50 m landing tolerance on a ~1:1 map from entry to landing: ~100 m at most between the two solves
        assert abs(a.latitude_deg + d.latitude_deg) * DEG * dyn.RE < 200 * METRE
        assert abs(a.longitude_deg - d.longitude_deg) * DEG * dyn.RE < 200 * METRE
        assert abs(a.azimuth_deg + d.azimuth_deg - 180.0) < 0.01
    miss, _ = _land_km(targets, EQUATOR, nominal, model)
    assert np.all(miss < 1 * KM)


def test_due_east_on_the_equator_enters_on_the_equator(nominal, model):
    # invariant: with no lift the whole trajectory stays in the equatorial plane
    t = target_entry(nominal, model, EQUATOR, Approach(azimuth_deg=90.0))
    assert abs(t.latitude_deg) * DEG * dyn.RE < 1 * METRE
    assert abs(t.azimuth_deg - 90.0) < 1e-6
    assert t.pass_direction == "ascending" and t.motion == "prograde"


def test_asymptote_angle_matches_a_two_body_integration_back_to_large_radius(nominal):
    from scipy.integrate import solve_ivp

    r0, v0, fpa = dyn.RE + nominal["entry_alt"], nominal["entry_speed"], nominal["entry_fpa"]
    y0 = [r0, 0.0, v0 * math.sin(fpa), v0 * math.cos(fpa)]  # radial, along-track (planar, x along r0)

    def f(_t, y):
        rr = math.hypot(y[0], y[1])
        return [y[2], y[3], -dyn.MU * y[0] / rr**3, -dyn.MU * y[1] / rr**3]

    far = lambda _t, y: math.hypot(y[0], y[1]) - 2e10  # noqa: E731
    far.terminal = True
    sol = solve_ivp(f, (0, -1e9), y0, method="DOP853", rtol=1e-11, atol=1e-6, events=far)
    v = sol.y[2:, -1]
    # incoming asymptote: the velocity direction far out; the angle from it to the entry position
    angle = math.acos(float(v @ np.array([1.0, 0.0])) / float(np.linalg.norm(v)))
    assert abs(angle - asymptote_angle(v0, r0, fpa)) < 0.01 * DEG


@pytest.mark.parametrize(
    ("site", "approach", "text"),
    [
        (Site(68.0, 234.0, -4100.0), Approach(inclination_deg=10.0, branch="ascending"), "unreachable"),
        (MERIDIANI, Approach(asymptote_declination_deg=80.0, branch="prograde"), "unreachable"),
        (MERIDIANI, Approach(azimuth_deg=90.0, inclination_deg=10.0, branch="ascending"), "exactly one"),
        (MERIDIANI, Approach(inclination_deg=10.0, branch="prograde"), "branch"),
        (MERIDIANI, Approach(asymptote_declination_deg=10.0), "branch"),
        (Site(90.0, 0.0, 0.0), Approach(azimuth_deg=90.0), "pole"),
    ],
)
def test_bad_input_is_refused_in_one_line(site, approach, text, nominal, model):
    with pytest.raises(InputError, match=text) as e:
        target_entry(nominal, model, site, approach)
    assert "\n" not in str(e.value)


def test_bound_approach_below_escape_has_no_asymptote(nominal, model):
    with pytest.raises(InputError, match="below escape speed"):
        target_entry(
            dict(nominal, entry_speed=4000.0),
            model,
            MERIDIANI,
            Approach(asymptote_declination_deg=0.0, branch="prograde"),
        )
