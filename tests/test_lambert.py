"""Lambert solver, both paths (batched JAX kernel and numpy reference) under the same tests.

Authority: pykep 3.0.1 solutions in tests/authorities/lambert_cases.npz (20,000 single-revolution problems; the
100,000-problem set is opt-in through AREO_FULL_AUTHORITIES, test marked slow) and lambert_multirev_cases.npz
(5,000 problems, multi-revolution, both branches, 20 % retrograde), made by the builders in
tests/authorities/builders/; invariants (Kepler propagation lands on r2; time reversal symmetry).
"""

import numpy as np
import pytest

import areo
from areo.errors import InputError
from areo.kepler import propagate
from areo.transfer._lambert_ref import lambert_reference
from areo.transfer.lambert import LambertStatus, lambert
from tests.conftest import load_full_authority, load_oracle
from tests.units import KM, M_S, MM_S


def _jax(*a, **k):
    s = lambert(*a, **k)
    return s.v1_m_s, s.v2_m_s, s.status


# the reference is a Python loop: it runs on a slice of the big oracle
PATHS = {"jax": (_jax, None), "reference": (lambert_reference, 4000)}


@pytest.fixture(scope="module")
def single():
    d = load_oracle("lambert_cases.npz")
    return {k: d[k] for k in d.files}


@pytest.fixture(scope="module")
def multi():
    d = load_oracle("lambert_multirev_cases.npz")
    return {k: d[k] for k in d.files}


def _check_single(cases, solve, n):
    sl = slice(None, n)
    mu = float(cases["mu_km3s2"]) * KM**3
    v1, v2, st = solve(cases["r1_km"][sl] * KM, cases["r2_km"][sl] * KM, cases["tof_s"][sl], mu)
    assert np.all(st == LambertStatus.OK)
    assert np.max(np.abs(v1 - cases["v1_kms"][sl] * KM)) < 1e-6 * M_S
    assert np.max(np.abs(v2 - cases["v2_kms"][sl] * KM)) < 1e-6 * M_S


@pytest.mark.parametrize("path", PATHS)
def test_single_revolution_matches_pykep(single, path):
    _check_single(single, *PATHS[path])


@pytest.mark.slow
def test_full_single_revolution_set_matches_pykep():
    """The opt-in 100,000-problem set (build_lambert_cases.py --n 100000), JAX kernel only."""
    d = load_full_authority("lambert_cases.npz")
    _check_single({k: d[k] for k in d.files}, _jax, None)


@pytest.mark.parametrize("path", PATHS)
def test_multi_revolution_matches_pykep(multi, path):
    solve, _ = PATHS[path]
    c = multi["case"]
    branch = np.where(multi["branch"] == 2, "long-period", "short-period")
    mu = float(multi["mu_km3s2"]) * KM**3
    v1, v2, st = solve(
        multi["r1_km"][c] * KM,
        multi["r2_km"][c] * KM,
        multi["tof_s"][c],
        mu,
        revs=multi["revs"],
        retrograde=multi["clockwise"][c],
        branch=branch,
    )
    assert np.all(st == LambertStatus.OK)
    assert np.max(np.abs(v1 - multi["v1_kms"] * KM)) < 1 * MM_S
    assert np.max(np.abs(v2 - multi["v2_kms"] * KM)) < 1 * MM_S


def test_no_solution_beyond_pykeps_maximum(multi):
    """pykep lists every feasible revolution count up to max_revs; one more than it found must have no solution
    whenever pykep stopped below max_revs (it did so because the time of flight was too short)."""
    found = np.zeros(multi["tof_s"].shape, int)
    np.maximum.at(found, multi["case"], multi["revs"])
    limited = found < multi["max_revs"]
    idx = np.flatnonzero(limited)[:500]
    assert idx.size > 50
    mu = float(multi["mu_km3s2"]) * KM**3
    for solve in (_jax, lambert_reference):
        for branch in ("short-period", "long-period"):
            *_, st = solve(
                multi["r1_km"][idx] * KM,
                multi["r2_km"][idx] * KM,
                multi["tof_s"][idx],
                mu,
                revs=found[idx] + 1,
                retrograde=multi["clockwise"][idx],
                branch=branch,
            )
            assert np.all(st == LambertStatus.NO_SOLUTION)


def test_propagation_lands_on_r2(single, multi):
    mu = float(single["mu_km3s2"]) * KM**3
    r1, r2 = single["r1_km"] * KM, single["r2_km"] * KM
    sol = lambert(r1, r2, single["tof_s"], mu)
    r, _, st = propagate(r1, sol.v1_m_s, single["tof_s"], mu)
    assert np.all(st == 0)
    assert np.max(np.linalg.norm(r - r2, axis=-1) / np.linalg.norm(r2, axis=-1)) < 1e-9
    c = multi["case"]
    r1, r2 = multi["r1_km"][c] * KM, multi["r2_km"][c] * KM
    sol = lambert(
        r1,
        r2,
        multi["tof_s"][c],
        mu,
        revs=multi["revs"],
        retrograde=multi["clockwise"][c],
        branch=np.where(multi["branch"] == 2, "long-period", "short-period"),
    )
    r, _, st = propagate(r1, sol.v1_m_s, multi["tof_s"][c], mu)
    assert np.all(st == 0)
    assert np.max(np.linalg.norm(r - r2, axis=-1) / np.linalg.norm(r2, axis=-1)) < 1e-9


def test_branch_names_follow_semi_major_axis(multi):
    mu = float(multi["mu_km3s2"]) * KM**3
    i = np.flatnonzero(multi["revs"] >= 1)[:300]
    c = multi["case"][i]
    r1 = multi["r1_km"][c] * KM
    args = (r1, multi["r2_km"][c] * KM, multi["tof_s"][c], mu)
    kw = dict(revs=multi["revs"][i], retrograde=multi["clockwise"][c])
    short = lambert(*args, branch="short-period", **kw)
    long_ = lambert(*args, branch="long-period", **kw)

    def sma(v):
        return 1.0 / (2.0 / np.linalg.norm(r1, axis=-1) - np.sum(v * v, -1) / mu)

    assert np.all(sma(short.v1_m_s) < sma(long_.v1_m_s))


@pytest.mark.parametrize("solve", [_jax, lambert_reference])
def test_time_reversal_symmetry(single, solve):
    """Flying r2 -> r1 backwards along the same conic: the reversed problem is retrograde with v -> -v."""
    mu = float(single["mu_km3s2"]) * KM**3
    r1, r2, tof = single["r1_km"][:500] * KM, single["r2_km"][:500] * KM, single["tof_s"][:500]
    v1, v2, _ = solve(r1, r2, tof, mu)
    w1, w2, st = solve(r2, r1, tof, mu, retrograde=True)
    assert np.all(st == 0)
    np.testing.assert_allclose(w1, -v2, atol=1e-6 * M_S)
    np.testing.assert_allclose(w2, -v1, atol=1e-6 * M_S)


@pytest.mark.parametrize("solve", [_jax, lambert_reference])
def test_status_codes_not_silent_nan(solve):
    au = 1.495978707e11
    mu = 1.32712440018e20
    r1 = np.array([[au, 0, 0], [0, 0, 0], [au, 0, 0], [au, 0, 0], [au, 0, 0], [np.nan, 0, 0], [au, 0, 0]])
    r2 = np.array(
        [[0, 1.5 * au, 0], [0, au, 0], [-1.5 * au, 0, 0], [0, au, 0], [0, au, 0], [0, au, 0], [0, 1.5 * au, 0]]
    )
    tof = np.array([2e7, 2e7, 2e7, 0.0, -5.0, 2e7, 2e7])
    revs = np.array([0, 0, 0, 0, 0, 0, 5])
    v1, _v2, st = solve(r1, r2, tof, mu, revs=revs)
    expected = [
        LambertStatus.OK,
        LambertStatus.BAD_INPUT,
        LambertStatus.DEGENERATE,
        LambertStatus.BAD_INPUT,
        LambertStatus.BAD_INPUT,
        LambertStatus.BAD_INPUT,
        LambertStatus.NO_SOLUTION,
    ]
    assert st.tolist() == [int(e) for e in expected]
    assert np.all(np.isfinite(v1[0])) and np.all(np.isnan(v1[1:]))


def test_broadcasting_and_api():
    au = 1.495978707e11
    r1 = np.array([au, 0.0, 0.0])
    r2 = np.array([[0.0, 1.5 * au, 0.0], [0.0, 1.2 * au, 0.1 * au]])
    tof = np.array([[1.5e7], [2.0e7], [2.5e7]])  # (3, 1) with (2,) -> (3, 2)
    sol = areo.lambert(r1, r2, tof, 1.32712440018e20)
    assert sol.v1_m_s.shape == (3, 2, 3) and sol.status.shape == (3, 2)
    assert sol.ok.all()
    assert "6 problem(s), 6 converged" in repr(sol)
    single = areo.lambert(r1, r2[1], tof[2, 0], 1.32712440018e20)
    np.testing.assert_allclose(single.v1_m_s, sol.v1_m_s[2, 1], atol=1e-9)


def test_bad_arguments_raise_clearly():
    with pytest.raises(InputError, match=r"r1_m must have shape \(\.\.\., 3\)"):
        lambert(np.zeros(2), np.ones(3), 1.0, 1.0)
    with pytest.raises(InputError, match=r"unknown branch 'left'.*Valid choices: long-period, short-period"):
        lambert(np.ones(3), np.ones(3), 1.0, 1.0, revs=1, branch="left")
    with pytest.raises(InputError, match="whole revolutions"):
        lambert(np.ones(3), np.ones(3), 1.0, 1.0, revs=1.5)
    with pytest.raises(InputError, match=r"r1_m must be a finite, non-zero position"):
        lambert(np.zeros(3), np.ones(3), 1.0, 1.0)  # a scalar call raises for bad input
    sol = lambert(np.zeros((1, 3)), np.ones(3), 1.0, 1.0)  # a batch reports it per problem
    with pytest.raises(InputError, match="positions must be finite and non-zero"):
        sol.raise_if_failed()


def test_kernel_composes_under_jit():
    """The kernel is a pure JAX function: it runs inside another jit-compiled function."""
    from areo._jax import jax, jnp
    from areo.transfer.lambert import _kernel

    au = 1.495978707e11

    @jax.jit
    def c3(r1, r2, tof):
        n = tof.shape[0]
        v1, _, st = _kernel(
            r1,
            r2,
            tof,
            jnp.full(n, 1.32712440018e20),
            jnp.zeros(n, jnp.int32),
            jnp.zeros(n, bool),
            jnp.zeros(n, bool),
            multirev=False,
        )
        return jnp.sum(v1 * v1, -1), st

    r1 = np.tile([au, 0.0, 0.0], (4, 1))
    r2 = np.tile([0.0, 1.5 * au, 0.0], (4, 1))
    tof = np.array([1.2e7, 1.5e7, 2.0e7, 2.5e7])
    e, _st = c3(r1, r2, tof)
    ref = lambert_reference(r1, r2, tof, 1.32712440018e20)[0]
    np.testing.assert_allclose(np.asarray(e), np.sum(ref * ref, -1), rtol=1e-13)
