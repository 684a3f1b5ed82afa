"""Force model, propagation, events and manoeuvres against outside authorities and invariants."""

import numpy as np
import pytest

from areo.constants import G0, GM_MARS, GM_SUN, R_MARS_EQ
from areo.cruise import (
    FiniteBurn,
    ForceModel,
    ImpulsiveBurn,
    SpacecraftState,
    bplane,
    ideal_dv_m_s,
    propagate,
    propellant_kg,
)
from areo.ephem import default_ephemeris
from areo.errors import AreoError, InputError
from areo.kepler import elements_to_state
from areo.kepler import propagate as kepler_propagate
from areo.time import utc_to_tdb_seconds
from tests.units import DEG, KM, M_S, METRE, MM

T0 = float(utc_to_tdb_seconds("2016-03-14T09:31:42Z"))
DAY = 86400.0


def _earth_like_state():
    r, v = default_ephemeris().state("earth", T0)
    return r + np.array([2e9, 1e9, 5e8]), v + np.array([2500.0, 1500.0, -800.0])


def test_sun_only_nbody_equals_kepler_over_seven_months():
    """With the Sun alone, the n-body integrator must reproduce two-body motion (areo.kepler, Vallado alg. 8)."""
    forces = ForceModel.for_span(T0, T0 + 220 * DAY, bodies=("sun",))
    r0, v0 = _earth_like_state()
    arc = propagate(SpacecraftState(T0, r0, v0, 1000.0), T0 + 220 * DAY, forces, rtol=1e-13, atol=1e-8)
    rk, vk, st = kepler_propagate(r0, v0, 220 * DAY, float(GM_SUN))
    assert st == 0
    assert np.linalg.norm(arc.final.r_m - rk) < 5 * METRE
    assert np.linalg.norm(arc.final.v_m_s - vk) < 1 * MM / 1.0


def test_ephemeris_table_matches_de421():
    """The Hermite table the forces use reproduces DE421 between its nodes (Moon < 1 m, Earth < 5 cm, planets
    < 1 cm)."""
    forces = ForceModel.for_span(T0, T0 + 20 * DAY)
    eph = default_ephemeris()
    rng = np.random.default_rng(20160314)
    for t in T0 + rng.uniform(0, 20 * DAY, 25):
        p = forces.table.positions(t)
        for body, tol in (("moon", 1 * METRE), ("earth", 50 * MM), ("mars", 10 * MM), ("jupiter", 10 * MM)):
            ref, _ = eph.state(body, t)
            assert np.linalg.norm(p[forces.table.index[body]] - ref) < tol, body


def test_full_nbody_is_time_reversible():
    """Forward 100 days then back again returns to the start (invariant of the exact flow)."""
    forces = ForceModel.for_span(T0 - DAY, T0 + 101 * DAY)
    r0, v0 = _earth_like_state()
    s0 = SpacecraftState(T0, r0, v0, 1000.0)
    fwd = propagate(s0, T0 + 100 * DAY, forces, switch_origin=False, rtol=1e-12, atol=1e-8)
    back = propagate(fwd.final, T0, forces, switch_origin=False, rtol=1e-12, atol=1e-8)
    assert np.linalg.norm(back.final.r_m - r0) < 10 * METRE


def test_srp_pushes_away_from_sun_with_expected_size():
    """Cannonball SRP at 1 au: a = 4.54e-6 N/m^2 * Cr * A / m (Kopp & Lean 2011 irradiance / c)."""
    from areo.cruise import SolarRadiationPressure

    f0 = ForceModel.for_span(T0, T0 + DAY, bodies=("sun",))
    f1 = ForceModel.for_span(T0, T0 + DAY, bodies=("sun",), srp=SolarRadiationPressure(area_m2=20.0, cr=1.5))
    r = np.array([1.495978707e11, 0.0, 0.0])
    da = f1.acceleration(T0, r, "sun", 1000.0) - f0.acceleration(T0, r, "sun", 1000.0)
    assert da[0] == pytest.approx(1361.0 / 299792458.0 * 1.5 * 20.0 / 1000.0, rel=1e-9)


def _mars_hyperbola(b_m, v_inf, inc_rad, t0):
    """Mars-centred state 6 hours before periapsis of a hyperbola with the given B and inclination (Mars equator)."""
    from areo.cruise.bplane import icrf_to_mars_equator_matrix

    mu = float(GM_MARS)
    a = -mu / v_inf**2
    e = np.sqrt(1 + (b_m / a) ** 2)
    r, v = elements_to_state(a, e, inc_rad, 0.3, 1.1, 0.0, mu)  # periapsis, in the Mars equator frame
    m = icrf_to_mars_equator_matrix()
    rp, vp = m.T @ r, m.T @ v
    r0, v0, _ = kepler_propagate(rp, vp, -0.25 * DAY, mu)
    return r0, v0, a * (1 - e)


def test_bplane_of_analytic_hyperbola():
    """|B| = h / v_inf, r_p = a (1 - e), inclination, and B.R/B.T = tan(theta) follow the conic (Vallado 12.6)."""
    b, vinf, inc = 6000 * KM, 3400.0, 7.0 * DEG
    r0, v0, rp = _mars_hyperbola(b, vinf, inc, T0)
    bp = bplane(r0, v0)
    assert bp.b_m == pytest.approx(b, abs=1 * METRE)
    assert bp.v_inf_m_s == pytest.approx(vinf, abs=1e-6 * M_S)
    assert bp.r_periapsis_m == pytest.approx(rp, abs=1 * METRE)
    assert bp.inclination_rad == pytest.approx(inc, abs=1e-9)
    assert np.hypot(bp.b_t_m, bp.b_r_m) == pytest.approx(b, abs=1 * METRE)
    # B is perpendicular to S; the trajectory's angular momentum is along B x S
    h = np.cross(r0, v0)
    assert abs(np.dot(bp.s_hat, h)) < 1e-9 * np.linalg.norm(h)
    with pytest.raises(InputError, match="bound to Mars"):
        bplane(np.array([4e6, 0, 0]), np.array([0, 3000.0, 0]))


def test_periapsis_and_entry_events_match_the_conic():
    """Near Mars (Sun + Mars only, from 6 h before periapsis; the Sun's tide moves it < 0.5 km) the periapsis
    event and the entry-interface crossing agree with the two-body conic: periapsis altitude within 2 km, entry
    flight-path angle within 0.05 deg."""
    mu = float(GM_MARS)
    forces = ForceModel.for_span(T0 - DAY, T0 + 6 * DAY, bodies=("sun", "mars"))
    # flyby: periapsis at 1000 km
    vinf = 3400.0
    rp = R_MARS_EQ + 1000 * KM
    b = rp * np.sqrt(1 + 2 * mu / (rp * vinf**2))
    r0, v0, rp_conic = _mars_hyperbola(b, vinf, 0.2, T0)
    arc = propagate(SpacecraftState(T0, r0, v0, 500.0, "mars"), T0 + 5 * DAY, forces)
    ev = arc.event("periapsis:mars")
    assert ev is not None
    assert ev.figures["distance_m"] == pytest.approx(rp_conic, abs=2 * KM)
    # entry: periapsis 30 km below the surface; entry interface at 121 km
    rp2 = R_MARS_EQ - 30 * KM
    b2 = rp2 * np.sqrt(1 + 2 * mu / (rp2 * vinf**2))
    r0, v0, _ = _mars_hyperbola(b2, vinf, 0.0, T0)
    arc = propagate(
        SpacecraftState(T0, r0, v0, 500.0, "mars"), T0 + 5 * DAY, forces, entry_altitude_m=121e3, stop_at_entry=True
    )
    ev = arc.event("entry-interface")
    assert ev.figures["altitude_m"] == pytest.approx(121e3, abs=1 * METRE)
    r_ei = np.linalg.norm(arc.final.r_m)
    v_ei = np.sqrt(vinf**2 + 2 * mu / r_ei)
    fpa_conic = -np.degrees(np.arccos(b2 * vinf / (r_ei * v_ei)))
    assert ev.figures["fpa_inertial_deg"] == pytest.approx(fpa_conic, abs=0.05)


def test_soi_crossing_switches_origin_without_a_jump():
    """Crossing Mars' sphere of influence changes the origin; the Sun-centred samples stay continuous."""
    forces = ForceModel.for_span(T0 - DAY, T0 + 10 * DAY)
    rm, vm = default_ephemeris().state("mars", T0)
    r0 = rm + np.array([7.0e8, 0, 0])
    v0 = vm + np.array([-2000.0, 300.0, 0.0])
    arc = propagate(SpacecraftState(T0, r0, v0, 500.0), T0 + 8 * DAY, forces)
    names = [e.name for e in arc.events]
    assert "soi-entry:mars" in names
    dt = np.diff(arc.tdb_s)
    ok = dt > 0
    d = np.linalg.norm(np.diff(arc.r_sun_icrf_m, axis=0), axis=1)[ok] / dt[ok]
    assert np.max(d) < 40_000.0  # m per second of time: no jump at the switch


def test_short_finite_burn_equals_impulsive_burn():
    """A 2 s finite burn converges to the impulsive burn of the same ideal dv (rocket equation)."""
    forces = ForceModel.for_span(T0 - DAY, T0 + 12 * DAY)
    r0, v0 = _earth_like_state()
    s0 = SpacecraftState(T0, r0, v0, 1000.0, "sun", 100.0)
    u = np.array([0.0, 0.6, 0.8])
    fb = FiniteBurn(T0 + DAY, 2.0, 4000.0, 300.0, "inertial", u, name="short")
    dv = fb.ideal_dv_m_s(1000.0)
    ib = ImpulsiveBurn(T0 + DAY + 1.0, dv * u, isp_s=300.0)
    a1 = propagate(s0, T0 + 10 * DAY, forces, [fb], switch_origin=False)
    a2 = propagate(s0, T0 + 10 * DAY, forces, [ib], switch_origin=False)
    assert np.linalg.norm(a1.final.r_m - a2.final.r_m) < 1 * METRE
    assert a1.final.mass_kg == pytest.approx(1000.0 - fb.propellant_kg, abs=1e-6)
    assert a2.final.mass_kg == pytest.approx(1000.0 - fb.propellant_kg, abs=1e-6)


def test_rocket_equation_and_published_dsm_duration():
    """Tsiolkovsky, and ExoMars 2016's DSM: 326.5 m/s with the 424 N engine took about 52 min (ESA, 2016-07-28)
    for the 4332 kg stack at an assumed Isp of 318 s."""
    m = propellant_kg(4332.0, 326.5, 318.0)
    assert m == pytest.approx(4332.0 * (1 - np.exp(-326.5 / (318.0 * G0))), rel=1e-12)
    assert ideal_dv_m_s(4332.0, m, 318.0) == pytest.approx(326.5, abs=1e-9)
    minutes = m / (424.0 / (318.0 * G0)) / 60.0
    assert minutes == pytest.approx(52.0, abs=2.0)


def test_burn_longer_than_propellant_allows_is_refused():
    forces = ForceModel.for_span(T0 - DAY, T0 + 3 * DAY)
    r0, v0 = _earth_like_state()
    s0 = SpacecraftState(T0, r0, v0, 1000.0, "sun", 900.0)
    fb = FiniteBurn(T0 + 1000.0, 5000.0, 424.0, 318.0, "inertial", np.array([1.0, 0, 0]), name="big")
    with pytest.raises(
        InputError,
        match=r"burn 'big' needs .* kg of propellant .* only 100.0 kg is left.*"
        r"shorten it to at most 735 s",
    ):
        propagate(s0, T0 + DAY, forces, [fb])
    with pytest.raises(InputError, match="duration_s must be a finite number > 0"):
        FiniteBurn(T0, -1.0, 424.0, 318.0)
    with pytest.raises(AreoError, match="outside the DE421 ephemeris, which covers 1899-07-28 to 2053-10-08"):
        ForceModel.for_span(float(utc_to_tdb_seconds("2060-01-01")), float(utc_to_tdb_seconds("2060-06-01")))


def test_force_model_moves_mars_like_de421():
    """Mars, started from its DE421 state and pulled by the Sun, Moon and the other planets of the force model,
    follows DE421 within 5 km over 30 days (the Sun alone leaves it 500 km off; what is left is Mars' own mass
    in the Sun-Mars pull, asteroids and relativity, which DE421 has and a spacecraft does not need)."""
    t0 = T0
    bodies = ("sun", "mercury", "venus", "earth", "moon", "jupiter", "saturn", "uranus", "neptune")
    forces = ForceModel.for_span(t0 - DAY, t0 + 31 * DAY, bodies=bodies)
    eph = default_ephemeris()
    r0, v0 = eph.state("mars", t0)
    arc = propagate(SpacecraftState(t0, r0, v0, 1.0), t0 + 30 * DAY, forces, switch_origin=False, rtol=1e-13, atol=1e-9)
    r1, _ = eph.state("mars", t0 + 30 * DAY)
    assert np.linalg.norm(arc.final.r_m - r1) < 5 * KM


def test_cruise_converges_with_tolerance():
    """Escape hyperbola to Mars (7 months, origin switches): rtol 1e-11 agrees with rtol 1e-13 within 20 m."""
    from areo.constants import R_EARTH_EQ
    from areo.cruise import design_transfer, escape_hyperbola_state

    t1 = float(utc_to_tdb_seconds("2016-10-19T14:42:00Z"))
    forces = ForceModel.for_span(T0 - DAY, t1 + DAY)
    d = design_transfer(T0, t1)
    r, v = escape_hyperbola_state(d.v_inf_departure_m_s, R_EARTH_EQ + 200 * KM)
    s0 = SpacecraftState(T0, r, v, 4332.0, "earth")
    a = propagate(s0, t1, forces, rtol=1e-11, atol=1e-6).final.with_origin("sun", forces)
    b = propagate(s0, t1, forces, rtol=1e-13, atol=1e-9).final.with_origin("sun", forces)
    assert np.linalg.norm(a.r_m - b.r_m) < 20 * METRE


def test_escape_hyperbola_geometry():
    """Perigee state of the escape hyperbola: perigee radius, v_inf = sqrt(v^2 - 2 mu / r), inclination 51.6 deg
    (Proton from Baikonur), and the outgoing asymptote along v_inf (Vallado sec. 12.6)."""
    from areo.constants import GM_EARTH
    from areo.cruise import escape_hyperbola_state

    vinf = np.array([2000.0, -2500.0, -1800.0])
    r, v = escape_hyperbola_state(vinf, 6578e3)
    mu = float(GM_EARTH)
    assert np.linalg.norm(r) == pytest.approx(6578e3, abs=1e-6)
    assert abs(r @ v) < 1e-6 * np.linalg.norm(r) * np.linalg.norm(v)
    assert np.sqrt(v @ v - 2 * mu / np.linalg.norm(r)) == pytest.approx(np.linalg.norm(vinf), abs=1e-6)
    h = np.cross(r, v)
    assert np.degrees(np.arccos(h[2] / np.linalg.norm(h))) == pytest.approx(51.6, abs=1e-9)
    _rf, vf, _ = kepler_propagate(r, v, 200 * DAY, mu)
    u = vf / np.linalg.norm(vf)
    assert np.degrees(np.arccos(u @ vinf / np.linalg.norm(vinf))) < 0.01


def test_bplane_correction_reaches_its_aim_point():
    """Differential correction: a burn 3 days before arrival moves B.T, B.R to the aim point within 100 m,
    and the burn is of the size linear theory predicts (|dB| / time to go, within 20 %)."""
    from areo.cruise import BPlaneTarget, correct

    t_burn = T0
    forces = ForceModel.for_span(T0 - DAY, T0 + 6 * DAY, bodies=("sun", "mars", "jupiter"))
    vinf = 3400.0
    mu = float(GM_MARS)
    r0, v0 = _mars_hyperbola(8000 * KM, vinf, 0.3, T0)[:2]
    r0, v0, _ = kepler_propagate(r0, v0, -2.75 * DAY, mu)
    s0 = SpacecraftState(t_burn, r0, v0, 1000.0, "mars")
    coast = propagate(s0, T0 + 5 * DAY, forces, stop_at_periapsis=True).final.with_origin("mars", forces)
    bp0 = bplane(coast.r_m, coast.v_m_s)  # the uncorrected n-body arrival
    aim = BPlaneTarget(bp0.b_t_m + 300 * KM, bp0.b_r_m - 200 * KM)
    c = correct(aim, s0, t_burn, forces, T0 + 5 * DAY)
    assert c.converged
    assert abs(c.residual[0]) < 100 * METRE and abs(c.residual[1]) < 100 * METRE
    expected = np.hypot(300e3, 200e3) / (3 * DAY)
    assert c.burn.dv_magnitude_m_s == pytest.approx(expected, rel=0.2)
