"""Orbit insertion to target elements (areo.cruise.insertion): impulsive and finite burn from an arrival hyperbola.

Authorities: vis-viva written out here (Curtis 2014, Eq. 2.71 / 8.58); the hyperbola checked by Kepler
propagation (its asymptote is the given v-infinity); the finite-burn integrator against Curtis, *Orbital
Mechanics for Engineering Students*, 3rd ed. (2014), Example 6.15 / Appendix D.30 (integrate_thrust.m) with the
inputs of Example 6.1; invariants (a finite burn tends to the impulsive one as the thrust grows, with a gravity loss
falling as 1/thrust^2). No input is calibrated.
"""

import math
from dataclasses import replace

import numpy as np
import pytest

from areo.bodies import body
from areo.constants import G0
from areo.cruise.insertion import (
    OrbitTarget,
    equator_frame_matrix,
    insertion,
    integrate_burn,
)
from areo.errors import InputError
from areo.kepler import propagate, state_to_elements
from tests.units import DEG, KM, M_S, METRE, MINUTE, SECOND

MARS = body("mars")
V_INF = np.array([2500.0, 1000.0, 600.0])  # m/s, Mars equator frame; declination 12.6 deg
TARGET = OrbitTarget(300 * KM, apoapsis_altitude_m=30_000 * KM, inclination_rad=60 * DEG)


def _vis_viva_dv(v_inf, rp, ra, mu):
    v_hyp = math.sqrt(v_inf**2 + 2 * mu / rp)  # energy v^2/2 - mu/r = v_inf^2/2
    v_ell = math.sqrt(mu * (2 / rp - 2 / (rp + ra)))  # vis-viva, a = (rp + ra)/2
    return v_hyp - v_ell


def test_impulsive_matches_vis_viva_and_reaches_the_target():
    ins = insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET)
    s = ins.impulsive
    rp, ra = MARS.radius_m + 300 * KM, MARS.radius_m + 30_000 * KM
    assert s.dv_m_s == pytest.approx(_vis_viva_dv(np.linalg.norm(V_INF), rp, ra, MARS.gm_m3_s2), abs=1e-6 * M_S)
    assert abs(s.periapsis_radius_m - rp) < 1 * METRE and abs(s.apoapsis_radius_m - ra) < 1 * METRE
    assert abs(s.inclination_rad - 60 * DEG) < 1e-9
    assert ins.finite is None and s.gravity_loss_m_s == 0.0


def test_the_hyperbola_to_aim_for_has_the_given_asymptote():
    """Propagating the hyperbola's periapsis state back 60 days: its velocity tends to v-infinity (direction and
    speed) and its plane contains the asymptote."""
    s = insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET).impulsive
    _r, v, st = propagate(s.r_periapsis_m, s.v_periapsis_m_s, -60 * 86400.0, MARS.gm_m3_s2)
    assert st == 0
    # far out, v = v_inf + O(mu / (r v_inf)) in speed and O(b / r) in direction
    assert np.linalg.norm(v - V_INF) < 5 * M_S
    h = np.cross(s.r_periapsis_m, s.v_periapsis_m_s)
    assert abs(h @ V_INF) / (np.linalg.norm(h) * np.linalg.norm(V_INF)) < 1e-12


def test_period_target_and_node_target():
    t = OrbitTarget(400 * KM, period_s=24 * 3600.0, inclination_rad=80 * DEG)
    s = insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, t).impulsive
    assert abs(s.period_s - 24 * 3600.0) < 1e-3 * SECOND
    # a node off both planes through the asymptote: the error lists the two reachable nodes
    with pytest.raises(InputError) as e:
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, replace(t, node_rad=s.node_rad + 0.5))
    listed = [float(x) for x in str(e.value).split("have nodes ")[1].split(" deg")[0].split(" or ")]
    assert min(abs(x - math.degrees(s.node_rad)) for x in listed) < 0.01
    other = max(listed, key=lambda x: abs(x - math.degrees(s.node_rad)))
    s2 = insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, replace(t, node_rad=other * DEG)).impulsive
    assert abs(math.degrees(s2.node_rad) - other) < 0.01
    assert abs(s2.inclination_rad - 80 * DEG) < 1e-9 and abs(s2.dv_m_s - s.dv_m_s) < 1e-9 * M_S
    assert abs(s2.node_rad - s.node_rad) > 1 * DEG  # the other plane


def test_finite_burn_reaches_the_target_and_tends_to_impulsive():
    losses = []
    for thrust in (4e3, 4e4, 4e5):
        ins = insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET, mass_kg=3000.0, thrust_n=thrust, isp_s=320.0)
        f = ins.finite
        assert f is not None
        assert abs(f.periapsis_radius_m - ins.impulsive.periapsis_radius_m) < 10 * METRE
        assert abs(f.apoapsis_radius_m - ins.impulsive.apoapsis_radius_m) < 1 * KM
        assert abs(f.inclination_rad - 60 * DEG) < 1e-9 and abs(f.node_rad - ins.impulsive.node_rad) < 1e-9
        # the burn is centred on the hyperbola's periapsis and uses what the rocket equation says
        assert f.ignition_before_periapsis_s == pytest.approx(f.burn_duration_s / 2)
        assert f.propellant_kg == pytest.approx(f.burn_duration_s * thrust / (320.0 * G0), rel=1e-12)
        assert f.dv_m_s == pytest.approx(320.0 * G0 * math.log(3000.0 / f.mass_after_kg), rel=1e-12)
        losses.append(f.gravity_loss_m_s)
    assert losses[0] > losses[1] > losses[2] > 0
    assert losses[2] < 0.01 * M_S  # 400 kN: the impulsive limit
    # leading order: the loss scales as (burn time)^2, i.e. 1/thrust^2
    assert losses[1] / losses[2] == pytest.approx(100.0, rel=0.05)


def test_integrate_burn_reproduces_curtis_example_6_15():
    """Curtis (2014) Example 6.15 / Appendix D.30: 2000 kg in a 480 km circular Earth orbit (r0 = 6858 km,
    v0 = 7.7102 km/s), thrust 10 kN along the velocity, Isp 300 s (g0 = 9.807 m/s^2), burn 261.1127 s: the orbit
    after the burn has its apogee at 22,378 km (16,000 km altitude, the target of Example 6.1). Example 6.1's
    impulsive burn for the same apogee is 1.7225 km/s; the finite burn's Delta-v, 300 g0 ln(m0/m1), is ~3 m/s more:
    the gravity loss."""
    mu = 398_600.0 * KM**3  # Curtis's value
    isp = 300.0 * 9.807 / float(G0)  # Curtis's g0
    r1, v1, m1 = integrate_burn([6858 * KM, 0, 0], [0, 7.7102 * KM, 0], 2000.0, 10_000.0, isp, 261.1127, mu, "prograde")
    a, e, *_ = state_to_elements(r1, v1, mu)
    assert abs(a * (1 + e) - 22_378 * KM) < 2 * KM
    assert m1 == pytest.approx(2000.0 - 261.1127 * 10_000 / (300 * 9.807), abs=1e-6)
    loss = 300 * 9.807 * math.log(2000.0 / m1) - 1722.5
    assert 2 * M_S < loss < 5 * M_S


def test_equator_frame_puts_the_pole_on_z():
    from areo.constants import POLE_RA_DEC_DEG

    ra, dec = np.radians(POLE_RA_DEC_DEG["mars"])
    pole = np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])
    m = equator_frame_matrix("Mars")
    np.testing.assert_allclose(m @ pole, [0, 0, 1], atol=1e-15)
    np.testing.assert_allclose(m @ m.T, np.eye(3), atol=1e-15)
    with pytest.raises(InputError, match="unknown body with a known pole 'vulcan'"):
        equator_frame_matrix("vulcan")


# --------------------------------------------------------------------------------------------- bad input


def test_unreachable_inclination_names_the_nearest_and_its_dv():
    decl = math.degrees(math.asin(V_INF[2] / np.linalg.norm(V_INF)))
    with pytest.raises(InputError) as e:
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, OrbitTarget(300 * KM, 30_000 * KM, inclination_rad=5 * DEG))
    msg = str(e.value)
    assert f"reachable inclinations are {decl:.2f}..{180 - decl:.2f} deg" in msg
    dv = _vis_viva_dv(np.linalg.norm(V_INF), MARS.radius_m + 300 * KM, MARS.radius_m + 30_000 * KM, MARS.gm_m3_s2)
    assert f"the nearest reachable is {decl:.2f} deg (impulsive Delta-v {dv:.1f} m/s there)" in msg


def test_burn_beyond_the_propellant_names_what_it_reaches():
    kw = dict(mass_kg=3000.0, thrust_n=4e4, isp_s=320.0)
    with pytest.raises(InputError) as e:
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET, propellant_kg=700.0, **kw)
    msg = str(e.value)
    # 805 kg needed (3000 (1 - exp(-980.5 / (320 g0))); 700 kg give 834 m/s, an apoapsis of ~83,000 km at most
    assert "needs 805.1 kg of propellant" in msg and "but only 700.0 kg is available (833.8 m/s)" in msg
    km = float(msg.split("apoapsis altitude of ")[1].split(" km")[0].replace(",", ""))
    rp = MARS.radius_m + 300 * KM
    v = math.sqrt(np.linalg.norm(V_INF) ** 2 + 2 * MARS.gm_m3_s2 / rp) - 320.0 * G0 * math.log(3000 / 2300)
    ra = 1 / (2 / rp - v * v / MARS.gm_m3_s2) * 2 - rp  # vis-viva: a from the speed at periapsis
    assert abs(km * KM - (ra - MARS.radius_m)) < 1 * KM
    # 500 kg give 572 m/s, less than the 733 m/s that capture at 300 km needs at all
    with pytest.raises(InputError, match=r"but only 500\.0 kg is available.*not enough to be captured at all"):
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET, propellant_kg=500.0, **kw)


@pytest.mark.parametrize(
    ("target", "match"),
    [
        (OrbitTarget(300 * KM), "exactly one of apoapsis_altitude_m, period_s"),
        (OrbitTarget(300 * KM, 1000 * KM, period_s=3600.0), "exactly one of apoapsis_altitude_m, period_s"),
        (OrbitTarget(300 * KM, period_s=3600.0), "shorter than the circular orbit"),
        (OrbitTarget(3000 * KM, 1000 * KM), "below the periapsis altitude"),
        (OrbitTarget(-10 * KM, 1000 * KM), "above the surface"),
        (OrbitTarget(300 * KM, 1000 * KM, node_rad=1.0), "needs a target inclination"),
        (OrbitTarget(300 * KM, 1000 * KM, inclination_rad=4.0), "0..180 deg"),
    ],
)
def test_bad_targets_say_what_to_change(target, match):
    with pytest.raises(InputError, match=match):
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, target)


def test_bad_vehicle_and_arrival():
    with pytest.raises(InputError, match="needs mass_kg, thrust_n and isp_s"):
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET, mass_kg=3000.0)
    with pytest.raises(InputError, match="v_inf_m_s must be a finite, non-zero 3-vector"):
        insertion([0.0, 0.0, 0.0], MARS.gm_m3_s2, MARS.radius_m, TARGET)
    with pytest.raises(InputError, match="more than the whole"):
        integrate_burn([7e6, 0, 0], [0, 7.5e3, 0], 100.0, 1e4, 300.0, 10 * MINUTE, 3.986e14)


def test_too_weak_an_engine_is_refused_before_iterating():
    # 50 N on 3000 kg: ~14 h of burning for 981 m/s, against 1.9 h circular period at 300 km
    with pytest.raises(InputError, match=r"too weak for a single capture burn: 50 N on 3000 kg needs about 14\.0 h"):
        insertion(V_INF, MARS.gm_m3_s2, MARS.radius_m, TARGET, mass_kg=3000.0, thrust_n=50.0, isp_s=320.0)
