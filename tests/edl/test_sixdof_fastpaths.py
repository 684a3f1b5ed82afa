"""The 6-DOF step's cheaper forms give the same numbers bit for bit (issue 11, speed): libm's fast paths where a
transcendental's value is known (the gust's cos at the end of its window, the inflation law's pow at full
inflation) or discarded (the lander's pointing angle where the controller does not use it), and the noise streams
materialised together (:func:`areo.edl.sensors.white_noises`).

Authorities: invariants only. Each check compares the helper with the plain formula it replaces (IEEE 754 and
C99 Annex F: pow(1, y) = 1 for every y, cos(2 pi) in double precision rounds to 1, so 1 - cos = 0 at both ends of
the window), in numpy and in JAX (the batched kernel's backend), over values on both sides of the fast path.
Nothing is calibrated.
"""

import math

import numpy as np
import pytest

from areo._jax import jnp
from areo.edl import sensors
from areo.edl.sixdof import bodies as B
from areo.edl.sixdof import lander
from areo.edl.sixdof import quat as Q
from tests.edl._sixdof_ctx import canopy_ctx

BACKENDS = [pytest.param(np, id="numpy"), pytest.param(jnp, id="jax")]


def _bits(x):
    return np.asarray(x, dtype=np.float64).view(np.uint64)


@pytest.mark.parametrize("xp", BACKENDS)
def test_white_noises_are_the_streams_of_white_noise(xp):
    key, steps = xp.asarray(np.arange(64.0)), xp.asarray(np.arange(64.0) * 37.0 + 5.0)
    got = sensors.white_noises(key, steps, (11, 12, 13), xp)
    want = [n for s in (11, 12, 13) for n in sensors.white_noise(key, steps, s, xp)]
    assert len(got) == 6
    for g, w in zip(got, want):
        assert np.array_equal(_bits(g), _bits(w))


@pytest.mark.parametrize("xp", BACKENDS)
def test_white_noises_of_unused_runs_are_zero_and_the_others_unchanged(xp):
    key, steps = xp.asarray(np.arange(64.0)), xp.asarray(np.arange(64.0) * 11.0)
    used = np.arange(64) % 3 != 0
    got = sensors.white_noises(key, steps, (11, 12), xp, xp.asarray(used))
    want = sensors.white_noises(key, steps, (11, 12), xp)
    for g, w in zip(got, want):
        assert np.array_equal(_bits(np.asarray(g)[used]), _bits(np.asarray(w)[used]))
        assert np.all(np.asarray(g)[~used] == 0.0) and np.all(np.asarray(w)[~used] != 0.0)


@pytest.mark.parametrize("xp", BACKENDS)
def test_gust_equals_the_one_minus_cosine_formula(xp):
    p = {"gust_t0": 5.0, "gust_len": 2.0, "wind_e": 3.0, "gust_amp": 7.0}
    t = np.array([0.0, 9.9, 10.0, 15.0, 15.5, 16.0, 16.999, 17.0, 17.0000001, 30.0, 500.0])
    t_deploy = np.full_like(t, 10.0)
    got = B.gust(xp.asarray(t), xp.asarray(t_deploy), {k: xp.asarray(v) for k, v in p.items()}, xp)
    tg = np.clip((t - t_deploy - p["gust_t0"]) / p["gust_len"], 0.0, 1.0)
    want = np.where(t >= t_deploy, p["wind_e"] + 0.5 * p["gust_amp"] * (1.0 - np.cos(2.0 * math.pi * tg)), 0.0)
    assert np.array_equal(_bits(got), _bits(want))
    assert float(got[-1]) == p["wind_e"]  # after the window the gust is exactly gone


@pytest.mark.parametrize("xp", BACKENDS)
@pytest.mark.parametrize("n", [0.5, 1.0, 2.0, 6.0, 20.0])
def test_inflation_equals_the_power_law(xp, n):
    t = np.array([0.0, 9.0, 10.0, 10.3, 10.9999, 11.0, 11.5, 40.0])
    c = canopy_ctx(10.0)
    c = c._replace(phase=np.full(t.shape, B.CANOPY), t_deploy=np.full(t.shape, 10.0))
    p = {"t_inflation": 1.0, "chute_fail": 0.0, "infl_exp": n}
    frac, on = B.inflation(xp.asarray(t), c, {k: xp.asarray(v) for k, v in p.items()}, xp)
    want = np.clip((t - 10.0) / 1.0, 0.0, 1.0) ** n
    assert np.asarray(on).all()
    assert np.array_equal(_bits(frac), _bits(want))
    assert float(frac[-1]) == 1.0


def _reference_angular_acceleration(C, w, d, hold, p):
    """lander.angular_acceleration with the pointing angle always computed (the form before the fast path)."""
    d_b = Q.mtv(C, d)
    b = (-1.0, 0.0 * d_b[0], 0.0 * d_b[0])
    ax = lander.cross(b, d_b)
    s = lander.norm(ax, np)
    theta = np.arctan2(s, lander.dot(b, d_b))
    axis = tuple(c / np.maximum(s, 1e-300) for c in ax)
    kp, kr = lander.gains(p, np)
    wc = lander._sat(tuple(kp * theta * a for a in axis), lander._p(p, "att_rate_max"), np)
    wc = tuple(np.where(hold, 0.0, c) for c in wc)
    return lander._sat(tuple(kr * (wc[i] - w[i]) for i in range(3)), lander._p(p, "att_acc_max"), np)


@pytest.mark.parametrize("att_ctrl", [0.0, 1.0])
def test_lander_torque_unchanged_by_the_skipped_pointing_angle(att_ctrl):
    rng = np.random.default_rng(3)
    n = 32
    q = Q.normalize(tuple(rng.standard_normal(n) for _ in range(4)), np)
    C = Q.dcm(q)
    w = tuple(0.3 * rng.standard_normal(n) for _ in range(3))
    d = tuple(rng.standard_normal(n) for _ in range(3))
    d = tuple(c / np.sqrt(sum(x * x for x in d)) for c in d)
    hold = rng.random(n) < 0.3
    p = {"att_ctrl": att_ctrl}
    nr = tuple(3.4e6 * c for c in d)
    nv = tuple(-50.0 * c for c in d)
    _, dw = lander.thrust_and_torque(C, w, nr, nv, q, 0.0 * w[0], hold, dict(p, k_vel=0.5), np)
    d_cmd = lander.commanded_direction(C, nr, nv, q, 0.0 * w[0], dict(p, k_vel=0.5), np)
    want = _reference_angular_acceleration(C, w, d_cmd, hold, p)
    for i in range(3):
        ref = want[i] if att_ctrl > 0.5 else np.zeros(n)
        assert np.array_equal(_bits(dw[i]), _bits(ref))
    # called directly the controller keeps its full meaning (the angle is only skipped where held)
    direct = lander.angular_acceleration(C, w, d, hold, p, np)
    ref = _reference_angular_acceleration(C, w, d, hold, p)
    assert all(np.array_equal(_bits(a), _bits(b)) for a, b in zip(direct, ref))
