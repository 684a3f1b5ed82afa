"""hapsira's (poliastro's successor) two-body tests, ported: anomalies, elements round trips, propagation.

Source: pleiszenburg/hapsira, ``tests/tests_twobody/test_angles.py`` and ``tests/tests_twobody/test_propagation.py``
(expected values copied as written there, with hapsira's tolerances). hapsira compares its analytic propagators
with its Cowell integrator; here the same cases are checked against scipy's DOP853 (an independent integrator).
"""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from areo import anomalies as an
from areo.kepler import elements_to_state, parabolic_to_state, propagate, propagate_reference, state_to_elements
from tests.units import DEG, KM, KM_S

MU_EARTH = 3.986004418e5 * KM**3  # hapsira Earth.k
R_EARTH = 6378.1366 * KM  # hapsira Earth.R (IAU 2015 equatorial radius)
PATHS = {"jax": propagate, "reference": propagate_reference}

# test_angles.py ELLIPTIC_ANGLES_DATA "Data from Schlesinger & Udick, 1912": (ecc, M deg, nu deg)
ELLIPTIC_ANGLES_DATA = [
    (0.0, 0.0, 0.0),
    (0.05, 10.0, 11.06),
    (0.06, 30.0, 33.67),
    (0.04, 120.0, 123.87),
    (0.14, 65.0, 80.50),
    (0.19, 21.0, 30.94),
    (0.35, 65.0, 105.71),
    (0.48, 180.0, 180.0),
    (0.75, 125.0, 167.57),
]


@pytest.mark.parametrize(("ecc", "m_deg", "nu_deg"), ELLIPTIC_ANGLES_DATA)
def test_mean_to_true(ecc, m_deg, nu_deg):
    """test_angles.py::test_mean_to_true (rtol=1e-4)."""
    nu = an.eccentric_to_true(an.mean_to_eccentric(m_deg * DEG, ecc), ecc)
    np.testing.assert_allclose(nu, nu_deg * DEG, rtol=1e-4)


@pytest.mark.parametrize(("ecc", "m_deg", "nu_deg"), ELLIPTIC_ANGLES_DATA)
def test_true_to_mean(ecc, m_deg, nu_deg):
    """test_angles.py::test_true_to_mean (rtol=1e-4)."""
    m = an.eccentric_to_mean(an.true_to_eccentric(nu_deg * DEG, ecc), ecc)
    np.testing.assert_allclose(m, m_deg * DEG, rtol=1e-4)


@pytest.mark.parametrize(
    ("ecc", "e_deg", "nu_deg"),
    [
        (0.0, 0.0, 0.0),
        (0.05, 10.52321, 11.05994),
        (0.10, 54.67466, 59.49810),
        (0.35, 142.27123, 153.32411),
        (0.61, 161.87359, 171.02189),
    ],
)
def test_true_to_eccentric(ecc, e_deg, nu_deg):
    """test_angles.py::test_true_to_eccentric, "Data from NASA-TR-R-158" (rtol=1e-6)."""
    np.testing.assert_allclose(an.true_to_eccentric(nu_deg * DEG, ecc), e_deg * DEG, rtol=1e-6)


def test_true_to_eccentric_hyperbolic():
    """test_angles.py::test_true_to_eccentric_hyperbolic = Curtis Example 3.5: nu = 100 deg, e = 2.7696 -> F = 2.2927."""
    np.testing.assert_allclose(an.true_to_hyperbolic(100 * DEG, 2.7696), 2.2927, rtol=1e-4)


def test_true_to_mean_hyperbolic():
    """test_angles.py::test_true_to_mean_hyperbolic = Curtis Example 3.5: M = 11.279 rad."""
    m = an.hyperbolic_to_mean(an.true_to_hyperbolic(100 * DEG, 2.7696), 2.7696)
    np.testing.assert_allclose(m, 11.279, rtol=1e-4)


@pytest.mark.parametrize(("ecc", "nu_deg"), [(1.1, 153.51501), (2.7696, 100.0)])
def test_mean_to_true_hyperbolic(ecc, nu_deg):
    """test_angles.py::test_mean_to_true_hyperbolic (Curtis Example 3.5), M = 11.279 rad."""
    nu = an.hyperbolic_to_true(an.mean_to_hyperbolic(11.279, ecc), ecc)
    np.testing.assert_allclose(nu, nu_deg * DEG, rtol=1e-4)


@pytest.mark.parametrize("ecc", [3200.0, 1.5])
def test_mean_to_true_hyperbolic_highecc(ecc):
    """test_angles.py::test_mean_to_true_hyperbolic_highecc: 100 nu in [-pi/3, pi/3] round trip (rtol=1e-4)."""
    expected_nu = np.linspace(-1 / 3.0, 1 / 3.0, num=100) * np.pi
    m = an.hyperbolic_to_mean(an.true_to_hyperbolic(expected_nu, ecc), ecc)
    nu = an.hyperbolic_to_true(an.mean_to_hyperbolic(m, ecc), ecc)
    np.testing.assert_allclose(nu, expected_nu, rtol=1e-4, atol=1e-12)


@pytest.mark.parametrize("ecc", np.linspace(0.1, 0.9, num=10))
def test_eccentric_to_true_range(ecc):
    """test_angles.py::test_eccentric_to_true_range: E in [-pi, pi] (10 values) round trip (rtol=1e-8)."""
    e_anom = np.linspace(-1, 1, num=10) * np.pi
    np.testing.assert_allclose(an.true_to_eccentric(an.eccentric_to_true(e_anom, ecc), ecc), e_anom, rtol=1e-8)


# test_angles.py fixtures: (k [m^3/s^2], (p [m], ecc, inc, raan, argp, nu))
COE_FIXTURES = {
    "circular": (3.9860047e14, (24464560.0, 0.0, 0.122138, 1.00681, 0.0, 0.048363)),
    "hyperbolic": (3.9860047e14, (4.884856334147761e7, 1.7311, 0.122138, 1.00681, 3.10686, 0.12741601769795755)),
    "equatorial": (3.9860047e14, (1.13880762905224e7, 0.7311, 0.0, 0.0, 3.10686, 0.44369564302687126)),
    "circular_equatorial": (3.9860047e14, (1.13880762905224e7, 0.0, 0.0, 0.0, 0.0, 0.44369564302687126)),
    # "classical" fixture = Vallado Example 2-5 (p = 11067.790 km), with hapsira's Earth.k
    "classical": (MU_EARTH, (11067.790 * KM, 0.83285, 87.87 * DEG, 227.89 * DEG, 53.38 * DEG, 92.335 * DEG)),
}


@pytest.mark.parametrize("name", COE_FIXTURES)
def test_convert_coe_and_rv(name):
    """test_angles.py::test_convert_coe_and_rv_{circular,hyperbolic,equatorial,circular_equatorial} and
    ::test_convert_between_coe_and_rv_is_transitive: elements -> state -> elements (atol=1e-8 there).

    hapsira's equatorial orbits have raan = 0 and argp measured from x, like areo's; circular orbits argp = 0.
    """
    k, (p, ecc, inc, raan, argp, nu) = COE_FIXTURES[name]
    a = p / (1 - ecc * ecc)
    r, v = elements_to_state(a, ecc, inc, raan, argp, nu, k)
    a2, e2, i2, o2, w2, f2 = state_to_elements(r, v, k)
    np.testing.assert_allclose(a2 * (1 - e2 * e2), p, rtol=1e-9)
    np.testing.assert_allclose([e2, i2, o2, w2, f2], [ecc, inc, raan, argp, nu], atol=1e-8)


@pytest.mark.parametrize("path", PATHS)
def test_propagation_vallado_2_4(path):
    """test_propagation.py::test_propagation = Vallado Example 2-4, 40 min (rtol 1e-5 on r, 1e-4 on v)."""
    r, v, st = PATHS[path](
        np.array([1131.340, -2282.343, 6672.423]) * KM,
        np.array([-5.64305, 4.30333, 2.42879]) * KM_S,
        40 * 60.0,
        MU_EARTH,
    )
    assert st == 0
    np.testing.assert_allclose(r, np.array([-4219.7527, 4363.0292, -3958.7666]) * KM, rtol=1e-5)
    np.testing.assert_allclose(v, np.array([3.689866, -1.916735, -6.112511]) * KM_S, rtol=1e-4)


@pytest.mark.parametrize("path", PATHS)
def test_propagation_hyperbolic(path):
    """test_propagation.py::test_propagation_hyperbolic = Curtis Example 3.5: |r| = 163180 km, |v| = 10.51 km/s."""
    r, v, st = PATHS[path](np.array([R_EARTH + 300 * KM, 0, 0]), np.array([0, 15, 0]) * KM_S, 14941.0, MU_EARTH)
    assert st == 0
    np.testing.assert_allclose(np.linalg.norm(r), 163180 * KM, rtol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(v), 10.51 * KM_S, rtol=1e-3)


@pytest.mark.parametrize("path", PATHS)
def test_propagation_parabolic(path):
    """test_propagation.py::test_propagation_parabolic = Curtis (3rd ed.) problem 3.15: p = 2 x 6600 km;
    after 0.8897/2 h nu = 90 deg; after 36 h |r| = 304700 km (rtol=1e-4)."""
    r0, v0 = parabolic_to_state(2.0 * 6600 * KM, 0, 0, 0, 0, MU_EARTH)
    r, v, st = PATHS[path](r0, v0, 0.8897 / 2.0 * 3600, MU_EARTH)
    assert st == 0
    nu = state_to_elements(r, v, MU_EARTH)[5]
    np.testing.assert_allclose(nu, 90 * DEG, rtol=1e-4)
    r, v, st = PATHS[path](r0, v0, 36.0 * 3600, MU_EARTH)
    np.testing.assert_allclose(np.linalg.norm(r), 304700.0 * KM, rtol=1e-4)


@pytest.mark.parametrize("path", PATHS)
def test_propagation_zero_time_returns_same_state(path):
    """test_propagation.py::test_propagation_zero_time_returns_same_state (hapsira bug #50) and the hyperbolic
    variant (a = -27112.5464 km, e = 1.25)."""
    r0, v0 = np.array([1131.340, -2282.343, 6672.423]) * KM, np.array([-5.64305, 4.30333, 2.42879]) * KM_S
    r, v, _ = PATHS[path](r0, v0, 0.0, MU_EARTH)
    np.testing.assert_allclose(r, r0, rtol=1e-15)
    np.testing.assert_allclose(v, v0, rtol=1e-15)
    rh, vh = elements_to_state(-27112.5464 * KM, 1.25, 0, 0, 0, 0, MU_EARTH)
    r, v, _ = PATHS[path](rh, vh, 0.0, MU_EARTH)
    np.testing.assert_allclose(r, rh, atol=1e-24 * KM)
    np.testing.assert_allclose(v, vh, atol=1e-27 * KM_S)


def _dop853(r0, v0, dt):
    def f(_t, y):
        return np.concatenate([y[3:], -MU_EARTH * y[:3] / np.linalg.norm(y[:3]) ** 3])

    sol = solve_ivp(f, (0.0, dt), np.concatenate([r0, v0]), method="DOP853", rtol=1e-13, atol=1e-6)
    return sol.y[:3, -1], sol.y[3:, -1]


@pytest.mark.parametrize("ecc", [0.9, 0.99, 0.999, 0.9999, 0.99999, 1.0001, 1.001, 1.01, 1.1])
def test_near_parabolic(ecc):
    """test_propagation.py::test_elliptic_near_parabolic and ::test_hyperbolic_near_parabolic: a = +-10000 km,
    nu = 1 rad, 1 min; hapsira's rtol vs. its Cowell integrator is 1e-7 (1e-5 for its Vallado propagator at
    e = 0.99999). Here against scipy DOP853 at rtol 1e-13: rtol 1e-7 for every e, both paths."""
    a = 10000 * KM if ecc < 1 else -10000 * KM
    r0, v0 = elements_to_state(a, ecc, 0, 0, 0, 1.0, MU_EARTH)
    r_ref, v_ref = _dop853(r0, v0, 60.0)
    for fn in PATHS.values():
        r, v, st = fn(r0, v0, 60.0, MU_EARTH)
        assert st == 0
        np.testing.assert_allclose(r, r_ref, rtol=1e-7)
        np.testing.assert_allclose(v, v_ref, rtol=1e-7)


@pytest.mark.parametrize("path", PATHS)
def test_propagator_with_zero_eccentricity(path):
    """test_propagation.py::test_propagator_with_zero_eccentricity: circular 300 km orbit, 50 s; a, e (atol 1e-15),
    i, raan kept."""
    r0 = np.array([R_EARTH + 300 * KM, 0, 0])
    v0 = np.array([0, np.sqrt(MU_EARTH / np.linalg.norm(r0)), 0])
    r, v, st = PATHS[path](r0, v0, 50.0, MU_EARTH)
    assert st == 0
    a0, e0, i0, o0, *_ = state_to_elements(r0, v0, MU_EARTH)
    a1, e1, i1, o1, *_ = state_to_elements(r, v, MU_EARTH)
    np.testing.assert_allclose([a1, i1, o1], [a0, i0, o0], rtol=1e-7)
    assert abs(e1 - e0) < 1e-12  # hapsira: atol 1e-15; a float64 state -> elements round trip gives 1e-13
