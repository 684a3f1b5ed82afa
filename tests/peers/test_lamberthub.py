"""lamberthub's test suite, ported: every case runs the JAX kernel and the numpy reference.

Source: jorgepiloto/lamberthub, ``tests/test_all_solvers.py``, ``tests/test_multirev_solvers.py`` and
``tests/tests_utils/test_elements.py`` (expected values copied as written there; units km and km/s there, SI here).
lamberthub's ``low_path=True`` is areo's ``branch="long-period"`` (see :mod:`areo.transfer.lambert`). Tolerances:
lamberthub's own (``ATOL, RTOL = 0.02 km/s, 1e-3`` for single-revolution cases, ``rtol=5e-6`` for Der's multi-rev
table) unless a tighter one follows from the digits printed in the source.
"""

import numpy as np
import pytest

from areo.errors import InputError
from areo.kepler import state_to_elements
from areo.transfer._lambert_ref import lambert_reference
from areo.transfer.lambert import lambert
from areo.transfer.lambert_status import LambertStatus
from tests.units import DEG, KM, KM_S

MU_EARTH = 3.986004418e5 * KM**3  # lamberthub's mu_earth [km^3/s^2]
ATOL, RTOL = 0.02 * KM_S, 1e-3  # lamberthub test_all_solvers.py


def _jax(r1, r2, tof, mu, **kw):
    sol = lambert(r1, r2, tof, mu, **kw)
    return sol.v1_m_s, sol.v2_m_s, sol.status


def _ref(r1, r2, tof, mu, revs=0, retrograde=False, branch="short-period"):
    return lambert_reference(r1, r2, tof, mu, revs=revs, retrograde=retrograde, branch=branch)


SOLVERS = {"jax": _jax, "reference": _ref}


def _check(solver, r1_km, r2_km, tof_s, v1_kms, v2_kms, atol=ATOL, rtol=RTOL, mu=MU_EARTH, **kw):
    v1, v2, st = SOLVERS[solver](np.asarray(r1_km) * KM, np.asarray(r2_km) * KM, tof_s, mu, **kw)
    assert int(st) == LambertStatus.OK
    np.testing.assert_allclose(v1, np.asarray(v1_kms) * KM_S, atol=atol, rtol=rtol)
    if v2_kms is not None:
        np.testing.assert_allclose(v2, np.asarray(v2_kms) * KM_S, atol=atol, rtol=rtol)


@pytest.mark.parametrize("solver", SOLVERS)
def test_case_from_vallado_book(solver):
    """lamberthub test_all_solvers.py::test_case_from_vallado_book = Vallado (4th ed.) Example 5-7, low_path=True."""
    _check(
        solver,
        [15945.34, 0.0, 0.0],
        [12214.83899, 10249.46731, 0.0],
        76.0 * 60,
        [2.058913, 2.915965, 0.0],
        [-3.451565, 0.910315, 0.0],
        atol=1e-5 * KM_S,
        rtol=0,
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_case_from_curtiss_book(solver):
    """lamberthub test_all_solvers.py::test_case_from_curtiss_book = Curtis (3rd ed.) Example 5.2."""
    _check(
        solver,
        [5000.0, 10000.0, 2100.0],
        [-14600.0, 2500.0, 7000.0],
        3600,
        [-5.9925, 1.9254, 3.2456],
        [-3.3125, -4.1966, -0.38529],
        atol=1e-4 * KM_S,
        rtol=0,
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_case_from_battin_book(solver):
    """lamberthub test_all_solvers.py::test_case_from_battin_book = Battin (rev. ed.) Example 7.12 (AU, years)."""
    au, year = 1.0, 1.0  # canonical units: mu_sun = 39.47692641 AU^3/year^2
    v1, _, st = SOLVERS[solver](
        np.array([0.159321004, 0.579266185, 0.052359607]) * au,
        np.array([0.057594337, 0.605750797, 0.068345246]) * au,
        0.010794065 * year,
        39.47692641 * au**3 / year**2,
    )
    assert int(st) == LambertStatus.OK
    # Battin prints 10 digits; areo (and the reference) differ from them by 7e-6 relative (2e-5 AU/year = 0.1 m/s)
    np.testing.assert_allclose(v1, [-9.303603251, 3.018641330, 1.536362143], atol=0, rtol=1e-5)  # AU/year


@pytest.mark.parametrize("solver", SOLVERS)
def test_case_from_gmat_hyperbolic_prograde(solver):
    """lamberthub test_all_solvers.py::test_case_from_GMAT_hyperbolic_prograde (GMAT R2020a propagation).

    Measured: areo's v1 differs from GMAT's initial velocity by 4.7 m/s (8.6e-4 relative; likely the force model
    of the GMAT run), inside lamberthub's own ATOL = 0.02 km/s, RTOL = 1e-3, which are kept here.
    """
    _check(
        solver,
        [7100, 200, 1300],
        [-38113.5870, 67274.1946, 29309.5799],
        12000,
        [0, 10.35, 5.5],
        [-3.6379, 4.4932, 1.7735],
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_case_from_gmat_hyperbolic_retrograde(solver):
    """lamberthub test_all_solvers.py::test_case_from_GMAT_hyperbolic_retrograde (GMAT R2020a propagation)."""
    _check(
        solver,
        [7100, 200, 1300],
        [-47332.7499, -54840.2027, -37100.17067],
        12000,
        [0, -10.35, -5.5],
        [-4.3016, -3.4314, -2.5467],
        atol=1e-4 * KM_S,
        rtol=0,
        retrograde=True,
    )


DER_I = {  # lamberthub test_all_solvers.py TABLE_OF_TRANSFERS_I (Der, "Astrodynamics 102")
    "M0_prograde_low": ([-2.09572809, 3.92602196, -4.94516810], [2.46309613, 0.84490197, 6.10890863]),
    "M0_retrograde_high": ([1.94312182, -4.35300015, 4.54630439], [-2.38885563, -1.42519647, -5.95772225]),
}
DER_II = {  # TABLE_OF_TRANSFERS_II
    "M0_prograde_high": ([2.000652697, 0.387688615, -2.666947760], [-3.79246619, -1.77707641, 6.856814395]),
    "M0_retrograde_high": ([2.96616042, -1.27577231, -0.75545632], [5.8437455, -0.20047673, -5.48615883]),
}
DER_MULTIREV = {  # lamberthub test_multirev_solvers.py TABLE_OF_TRANSFERS (Der, "The Superior Lambert Algorithm")
    "M1_prograde_high": ([0.50335770, 0.61869408, -1.57176904], [-4.18334626, -1.13262727, 6.13307091]),
    "M1_prograde_low": ([-2.45759553, 1.16945801, 0.43161258], [-5.53841370, 0.01822220, 5.49641054]),
    "M1_retrograde_high": ([1.33645655, -0.94654565, 0.30211211], [4.93628678, 0.39863416, -5.61593092]),
    "M1_retrograde_low": ([-1.38861608, -0.47836611, 2.21280154], [3.92901545, 1.50871943, -6.52926969]),
}
DER_II_R1 = [22592.145603, -1599.915239, -19783.950506]
DER_II_R2 = [1922.067697, 4054.157051, -8925.727465]


def _case_kw(case):
    m, sense, path = case.split("_")
    return {
        "revs": int(m[-1]),
        "retrograde": sense == "retrograde",
        "branch": "long-period" if path == "low" else "short-period",  # lamberthub low_path=True = long-period
    }


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", DER_I)
def test_case_from_der_article_i(solver, case):
    """lamberthub test_all_solvers.py::test_case_from_der_article_I."""
    _check(
        solver,
        [2249.171260, 1898.007100, 5639.599193],
        [1744.495443, -4601.556054, 4043.864391],
        1618.50,
        *DER_I[case],
        atol=1e-7 * KM_S,
        rtol=1e-7,
        **_case_kw(case),
    )


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", DER_II)
def test_case_from_der_article_ii(solver, case):
    """lamberthub test_all_solvers.py::test_case_from_der_article_II."""
    _check(solver, DER_II_R1, DER_II_R2, 36000, *DER_II[case], atol=0, rtol=5e-6, **_case_kw(case))


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("case", DER_MULTIREV)
def test_multirev_case(solver, case):
    """lamberthub test_multirev_solvers.py::test_multirev_case (rtol=5e-6 as there)."""
    _check(solver, DER_II_R1, DER_II_R2, 36000, *DER_MULTIREV[case], atol=0, rtol=5e-6, **_case_kw(case))


@pytest.mark.parametrize("solver", SOLVERS)
def test_exception_try_lower_m(solver):
    """lamberthub test_multirev_solvers.py::test_exception_try_lower_M: tof = 5 h has no 1-revolution solution.

    lamberthub raises ValueError("No feasible solution, try lower M!"); areo returns NO_SOLUTION for the problem.
    """
    _, _, st = SOLVERS[solver](np.array(DER_II_R1) * KM, np.array(DER_II_R2) * KM, 5 * 3600, MU_EARTH, revs=1)
    assert int(st) == LambertStatus.NO_SOLUTION
    with pytest.raises(InputError, match="no solution with this many revolutions"):
        lambert(np.array(DER_II_R1) * KM, np.array(DER_II_R2) * KM, 5 * 3600, MU_EARTH, revs=1).raise_if_failed()


RV2COE_GMAT = {  # lamberthub tests_utils/test_elements.py TABLE_OF_ELEMENTS_CONVERSIONS (GMAT R2020a)
    # r [km], v [km/s], then p [km], ecc, inc, raan, argp, nu [rad]
    "non-equatorial-non-circular": (
        [10000, 0, 0],
        [1.00, 5.171700990602514, 3.621264018986504],
        [10000.00002042279, 0.1583912232069116, 35 * DEG, 0, 270.0000007387653 * DEG, 89.99999926123472 * DEG],
    ),
    "equatorial-non-circular": ([10000, 0, 0], [0, 7.35, 0], [13553.04570077853, 0.355304570077853, 0, 0, 0, 0]),
    "non-equatorial-circular": (
        [10000, 0, 0],
        [0, 5.171700990602514, 3.621264018986504],
        [10000.00002042279, 2.042278850497544e-09, 35 * DEG, 0, 0, 0],
    ),
    "equatorial-circular": (
        [10000, 0, 0],
        [0, 6.313481143553055, 0],
        [10000.00002042279, 2.042278850497544e-09, 0, 0, 0, 0],
    ),
    "non-equatorial-hyperbolic": (
        [10000, 1250, 0],
        [0, 10, 3.50],
        [
            28209.05210914074,
            1.829130032278414,
            19.4289577238344 * DEG,
            7.125016348901807 * DEG,
            349.6072413039819 * DEG,
            10.39275869601813 * DEG,
        ],
    ),
}


NEAR_CIRCULAR_SPLIT = pytest.mark.xfail(
    strict=True,
    reason="e = 2e-9 is rounding noise: areo's periapsis follows that noise (argp = pi, nu = pi) where GMAT snaps "
    "argp and nu to 0; the sum argp + nu (argument of latitude) agrees to 1e-9 rad (test_near_circular_latitude)",
)


@pytest.mark.parametrize(
    "orbit",
    [pytest.param(k, marks=NEAR_CIRCULAR_SPLIT) if k == "equatorial-circular" else k for k in RV2COE_GMAT],
)
def test_rv2coe(orbit):
    """lamberthub test_elements.py::test_rv2coe_non_equatorial (p = a (1 - e^2); areo returns a, not p).

    lamberthub's ``assert_allclose`` default rtol is 1e-7; ecc atol 1e-8. For the two near-circular cases
    (e = 2e-9) the periapsis is undefined: areo sets argp = 0 and measures nu from the node, as GMAT does.
    """
    r_km, v_kms, (p_km, ecc, inc, raan, argp, nu) = RV2COE_GMAT[orbit]
    a, e, i, o, w, f = state_to_elements(np.array(r_km) * KM, np.array(v_kms) * KM_S, MU_EARTH)
    np.testing.assert_allclose(a * (1 - e * e), p_km * KM, rtol=1e-7)
    np.testing.assert_allclose(e, ecc, atol=1e-8)
    np.testing.assert_allclose([i, o, w, f], [inc, raan, argp, nu], rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("orbit", ["non-equatorial-circular", "equatorial-circular"])
def test_near_circular_latitude(orbit):
    """The well-defined part of the near-circular GMAT cases above: argp + nu (mod 2 pi) and a, e, i."""
    r_km, v_kms, (p_km, ecc, inc, _raan, argp, nu) = RV2COE_GMAT[orbit]
    a, e, i, _o, w, f = state_to_elements(np.array(r_km) * KM, np.array(v_kms) * KM_S, MU_EARTH)
    np.testing.assert_allclose([a * (1 - e * e), e, i], [p_km * KM, ecc, inc], rtol=1e-7, atol=1e-8)
    assert abs(np.angle(np.exp(1j * (w + f - argp - nu)))) < 1e-9
