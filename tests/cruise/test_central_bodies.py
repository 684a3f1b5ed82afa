"""Central bodies (areo.bodies) and body-generic propagation events (soi-entry:<body>, periapsis:<body>, ...).

Published figures: IAU WGCCRE 2015 (Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22), table 4 (radii) and
tables 1-2 (poles, prime meridians); Curtis, Orbital Mechanics for Engineering Students, 3rd ed., table A.2
(spheres of influence). Venus arrivals are checked against the two-body conic (an invariant, not areo's output).
"""

import numpy as np
import pytest

from areo.bodies import body, origins
from areo.cruise import ForceModel, SpacecraftState, escape_hyperbola_state, propagate
from areo.cruise.forces import ORIGINS
from areo.errors import InputError
from areo.kepler import elements_to_state
from areo.kepler import propagate as kepler_propagate
from areo.time import utc_to_tdb_seconds
from tests.units import DEG, KM, METRE

T0 = float(utc_to_tdb_seconds("2006-04-08T00:00:00Z"))
DAY = 86400.0


def test_published_shapes_poles_and_spheres_of_influence():
    mars, venus, earth = body("mars"), body("venus"), body("earth")
    # Archinal et al. 2018, table 4: Mars 3396.19 x 3376.20 km; Venus mean 6051.8 km; WGS84 Earth 6378.137 km, 1/298.257
    assert (mars.radius_m, mars.polar_radius_m) == (3396.19 * KM, 3376.20 * KM)
    assert venus.radius_m == 6051.8 * KM and venus.polar_radius_m is None
    assert earth.polar_radius_m == pytest.approx(6356.752 * KM, abs=1 * METRE)
    # Archinal et al. 2018, tables 1-2: Mars pole (317.269202, 54.432516) deg, W0 176.049863; Venus (272.76, 67.16), 160.20
    assert (mars.pole_ra_deg, mars.pole_dec_deg, mars.w0_deg) == (317.269202, 54.432516, 176.049863)
    assert (venus.pole_ra_deg, venus.pole_dec_deg, venus.w0_deg) == (272.76, 67.16, 160.20)
    assert venus.rotation_rad_s < 0  # retrograde
    # Curtis table A.2: SOI Earth 925,000 km, Mars 577,000 km, Venus 616,000 km
    assert (earth.soi_m, mars.soi_m, venus.soi_m) == (925e3 * KM, 577e3 * KM, 616e3 * KM)
    assert mars.has_atmosphere and venus.has_atmosphere and not body("moon").has_atmosphere
    assert set(ORIGINS) == set(origins()) == {"sun", "earth", "mars", "venus"}


def test_altitude_follows_the_spheroid():
    """On the pole of the Mars spheroid the altitude is the polar radius' complement; on the equator the equatorial."""
    mars = body("mars")
    pole = mars.pole_icrf()
    assert np.linalg.norm(pole) == pytest.approx(1.0, abs=1e-15)
    assert mars.altitude_m(pole * (3376.20 * KM + 100 * KM)) == pytest.approx(100 * KM, abs=1 * METRE)
    eq = np.cross(pole, [1.0, 0.0, 0.0])
    eq /= np.linalg.norm(eq)
    assert mars.altitude_m(eq * 3400 * KM) == pytest.approx((3400 - 3396.19) * KM, abs=1 * METRE)


def _venus_hyperbola(rp_m, v_inf, inc_rad):
    """Venus-centred state 6 h before periapsis of a hyperbola (Venus equator frame rotated to ICRF by the pole)."""
    venus = body("venus")
    mu = venus.gm_m3_s2
    a = -mu / v_inf**2
    e = 1 - rp_m / a
    r, v = elements_to_state(a, e, inc_rad, 0.4, 0.9, 0.0, mu)
    z = venus.pole_icrf()
    x = np.cross([0.0, 0.0, 1.0], z)
    x /= np.linalg.norm(x)
    m = np.stack([x, np.cross(z, x), z])
    r0, v0, _ = kepler_propagate(m.T @ r, m.T @ v, -0.25 * DAY, mu)
    return r0, v0


def test_venus_arrival_events_follow_the_conic():
    """Venus-centred (Sun + Venus): the periapsis:venus event sits at the conic's periapsis radius within 2 km (the
    Sun's tide over 6 h is well below that); a grazing approach stops at impact:venus on the surface."""
    forces = ForceModel.for_span(T0 - DAY, T0 + 3 * DAY, bodies=("sun", "venus"))
    venus = body("venus")
    rp = venus.radius_m + 400 * KM
    r0, v0 = _venus_hyperbola(rp, 3000.0, 80 * DEG)
    arc = propagate(SpacecraftState(T0, r0, v0, 1000.0, "venus"), T0 + 1 * DAY, forces)
    ev = arc.event("periapsis:venus")
    assert ev is not None and ev.figures["distance_m"] == pytest.approx(rp, abs=2 * KM)
    assert ev.figures["altitude_m"] == pytest.approx(400 * KM, abs=2 * KM)
    r0, v0 = _venus_hyperbola(venus.radius_m - 50 * KM, 3000.0, 10 * DEG)
    arc = propagate(SpacecraftState(T0, r0, v0, 1000.0, "venus"), T0 + 1 * DAY, forces, entry_altitude_m=250e3)
    assert arc.event("entry-interface").figures["altitude_m"] == pytest.approx(250 * KM, abs=1 * METRE)
    assert arc.events[-1].name == "impact:venus" and arc.final.tdb_s < T0 + 0.3 * DAY
    assert venus.altitude_m(arc.final.r_m) == pytest.approx(0.0, abs=1 * METRE)


def test_sphere_of_influence_of_venus_switches_the_origin():
    """From 800,000 km, heading in: soi-entry:venus at 616,000 km from Venus' centre, then Venus-centred."""
    from areo.ephem import default_ephemeris

    forces = ForceModel.for_span(T0 - DAY, T0 + 6 * DAY, bodies=("sun", "venus"))
    rv, vv = default_ephemeris().state("venus", T0)
    u = rv / np.linalg.norm(rv)
    arc = propagate(SpacecraftState(T0, rv + 8e8 * u, vv - 3000.0 * u, 500.0), T0 + 4 * DAY, forces)
    ev = arc.event("soi-entry:venus")
    assert ev is not None and ev.figures["origin"] == "sun"
    d = np.linalg.norm(arc.state_at(ev.tdb_s + 1.0, forces, origin="venus").r_m)
    assert d == pytest.approx(616e3 * KM, abs=5 * KM)


def test_departure_perigee_is_not_a_periapsis_event():
    """An Earth-escape hyperbola starts at perigee: no periapsis:earth event, and stop_at_periapsis does not stop it
    there (an injection correction tilting the velocity by a few m/s does not either)."""
    t0 = float(utc_to_tdb_seconds("2016-03-14T09:31:42Z"))
    forces = ForceModel.for_span(t0 - DAY, t0 + 3 * DAY, bodies=("sun", "earth", "moon"))
    r, v = escape_hyperbola_state(np.array([3000.0, 1000.0, -500.0]), body("earth").radius_m + 200 * KM)
    for dv in (np.zeros(3), -5.0 * r / np.linalg.norm(r)):
        arc = propagate(SpacecraftState(t0, r, v + dv, 4000.0, "earth"), t0 + 2 * DAY, forces, stop_at_periapsis=True)
        assert arc.final.tdb_s == pytest.approx(t0 + 2 * DAY) and arc.event("periapsis:earth") is None


def test_unknown_body_lists_the_known_ones():
    with pytest.raises(InputError, match="venus"):
        body("vnus")


def test_a_venus_orbiter_flies_the_same_segments():
    """The Mars code paths are body-generic: a Venus Express-like orbiter (ESA: launch 2005-11-09 03:33 UTC,
    1270 kg with 570 kg of propellant, 400 N main engine; Venus orbit insertion on 2006-04-11 with a ~50 min burn
    ending about 08:00 UTC into a ~400 x 330,000 km, 9-day polar orbit) flies launch, TCMs, approach and insertion
    at Venus. Inputs: the capture orbit is the target (so meeting it is a consistency check); assumed: Isp 317 s,
    TCM dates, the 07:35 arrival. Checked against ESA: the burn length (not an input: only a first guess) within
    10 min of 50 min, and the apoapsis that 400 km and 9 days imply within 5,000 km of ESA's 330,000 km."""
    from areo.cruise import CaptureTarget, CruisePlan, Vehicle, fly

    def t(utc):
        return float(utc_to_tdb_seconds(utc))

    plan = CruisePlan(
        launch_tdb_s=t("2005-11-09T03:33:34Z"),
        arrival_tdb_s=t("2006-04-11T07:35:00Z"),
        orbiter=Vehicle("Venus Express", 1270.0, 700.0, thrust_n=400.0, isp_s=317.0),
        tcm_tdb_s=(t("2005-11-11T12:00:00Z"), t("2006-02-17T12:00:00Z"), t("2006-04-04T12:00:00Z")),
        moi_end_tdb_s=t("2006-04-11T08:00:00Z"),
        moi_duration_guess_s=3000.0,
        capture=CaptureTarget(400e3, 9 * DAY, 90 * DEG),
        body="venus",
    )
    r = fly(plan)
    c = r.capture
    assert c.periapsis_altitude_m == pytest.approx(400 * KM, abs=1 * KM)
    assert c.period_days * DAY == pytest.approx(9 * DAY, abs=60.0)
    assert c.inclination_deg == pytest.approx(90.0, abs=0.05)
    assert c.apoapsis_altitude_m == pytest.approx(330e3 * KM, abs=5e3 * KM)
    moi = r.maneuvers[-1]
    assert moi.name == "MOI" and abs(moi.duration_s - 50 * 60.0) < 10 * 60.0
    names = [e.name for e in r.events]
    assert "orbiter:soi-entry:venus" in names and "orbiter:periapsis:venus" in names
    assert not any("mars" in n for n in names)
    with pytest.raises(InputError, match="Mars-only"):
        import dataclasses

        from areo.cruise import Vehicle as V

        dataclasses.replace(
            plan, lander=V("probe", 300.0, 300.0), separation_tdb_s=t("2006-04-08T00:00:00Z")
        ).validate()
