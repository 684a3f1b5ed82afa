"""Two-body propagation (JAX kernel and numpy reference) and element conversions.

Authorities: D. Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 2-4 (KEPLER) and
Example 2-5 (RV2COE); invariants (energy, angular momentum, forward/backward round trip).
"""

import numpy as np
import pytest

from areo.kepler import KeplerStatus, elements_to_state, propagate, propagate_reference, state_to_elements
from tests.units import DEG, KM, KM_S, M_S, METRE, MM, MM_S

MU_EARTH_VALLADO = 398600.4418 * KM**3
PATHS = {"jax": propagate, "reference": propagate_reference}


@pytest.mark.parametrize("path", PATHS)
def test_vallado_example_2_4(path):
    r0 = np.array([1131.340, -2282.343, 6672.423]) * KM
    v0 = np.array([-5.64305, 4.30333, 2.42879]) * KM_S
    r, v, st = PATHS[path](r0, v0, 40 * 60.0, MU_EARTH_VALLADO)
    assert st == KeplerStatus.OK
    # published to 0.1 m and 1 mm/s
    np.testing.assert_allclose(r, np.array([-4219.7527, 4363.0292, -3958.7666]) * KM, atol=1 * METRE)
    np.testing.assert_allclose(v, np.array([3.689866, -1.916735, -6.112511]) * KM_S, atol=1 * MM_S)


def _random_states(n, seed=7):
    rng = np.random.default_rng(seed)
    r = rng.normal(size=(n, 3))
    r *= (rng.uniform(7e6, 5e7, n) / np.linalg.norm(r, axis=1))[:, None]
    v = rng.normal(size=(n, 3))
    vcirc = np.sqrt(MU_EARTH_VALLADO / np.linalg.norm(r, axis=1))
    v *= (rng.uniform(0.3, 1.8, n) * vcirc / np.linalg.norm(v, axis=1))[:, None]  # ellipses and hyperbolae
    dt = rng.uniform(-3e5, 3e5, n)
    return r, v, dt


@pytest.mark.parametrize("path", PATHS)
def test_invariants_and_round_trip(path):
    r0, v0, dt = _random_states(300)
    r, v, st = PATHS[path](r0, v0, dt, MU_EARTH_VALLADO)
    assert np.all(st == 0)

    def energy(r, v):
        return 0.5 * np.sum(v * v, -1) - MU_EARTH_VALLADO / np.linalg.norm(r, axis=-1)

    e0 = energy(r0, v0)
    assert np.max(np.abs(energy(r, v) - e0) / np.abs(e0)) < 1e-10
    h0 = np.cross(r0, v0)
    assert np.max(np.linalg.norm(np.cross(r, v) - h0, axis=-1) / np.linalg.norm(h0, axis=-1)) < 1e-10
    rb, vb, st = PATHS[path](r, v, -dt, MU_EARTH_VALLADO)
    assert np.all(st == 0)
    assert np.max(np.linalg.norm(rb - r0, axis=-1)) < 1 * MM  # orbits of 7,000-50,000 km, up to 3.5 days
    assert np.max(np.linalg.norm(vb - v0, axis=-1)) < 1e-3 * M_S


def test_jax_matches_reference():
    r0, v0, dt = _random_states(200, seed=3)
    a = propagate(r0, v0, dt, MU_EARTH_VALLADO)
    b = propagate_reference(r0, v0, dt, MU_EARTH_VALLADO)
    np.testing.assert_allclose(a[0], b[0], atol=1 * MM)
    np.testing.assert_allclose(a[1], b[1], atol=1e-6 * M_S)


def test_many_revolutions_keep_precision():
    """After exactly 50 periods an ellipse returns to its start (the span is reduced modulo the period)."""
    r0 = np.array([7000e3, 0.0, 0.0])
    v0 = np.array([0.0, 8.5e3, 1.0e3])
    a = 1.0 / (2.0 / 7000e3 - np.dot(v0, v0) / MU_EARTH_VALLADO)
    period = 2 * np.pi * np.sqrt(a**3 / MU_EARTH_VALLADO)
    for fn in PATHS.values():
        r, _v, st = fn(r0, v0, 50 * period, MU_EARTH_VALLADO)
        assert st == 0
        assert np.linalg.norm(r - r0) < 1 * MM


def test_bad_input_status():
    r, _v, st = propagate(
        np.array([[0.0, 0, 0], [7e6, 0, 0]]),
        np.array([[1.0, 0, 0], [0, 7.5e3, 0]]),
        np.array([10.0, np.nan]),
        MU_EARTH_VALLADO,
    )
    assert st.tolist() == [KeplerStatus.BAD_INPUT, KeplerStatus.BAD_INPUT]
    assert np.all(np.isnan(r))


def test_vallado_example_2_5_elements():
    r = np.array([6524.834, 6862.875, 6448.296]) * KM
    v = np.array([4.901327, 5.533756, -1.976341]) * KM_S
    a, e, i, raan, argp, nu = state_to_elements(r, v, MU_EARTH_VALLADO)
    # published: p = 11067.790 km, a = 36127.343 km, e = 0.83285, i = 87.870 deg, raan = 227.89 deg,
    # argp = 53.38 deg, nu = 92.335 deg
    assert a == pytest.approx(36127.343 * KM, abs=1 * KM)
    assert e == pytest.approx(0.83285, abs=1e-5)
    assert i == pytest.approx(87.870 * DEG, abs=0.001 * DEG)
    assert raan == pytest.approx(227.89 * DEG, abs=0.01 * DEG)
    assert argp == pytest.approx(53.38 * DEG, abs=0.01 * DEG)
    assert nu == pytest.approx(92.335 * DEG, abs=0.001 * DEG)
    r2, v2 = elements_to_state(a, e, i, raan, argp, nu, MU_EARTH_VALLADO)
    np.testing.assert_allclose(r2, r, atol=1e-3 * METRE)
    np.testing.assert_allclose(v2, v, atol=1e-6 * M_S)
