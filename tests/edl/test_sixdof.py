"""6-DOF capsule + parachute (areo.edl.sixdof): Schiaparelli as flown and as designed from the physics, agreement
with the 3-DOF path when attitude dynamics are damped out, invariants of the free two-body system, the numpy
reference against the JAX kernel over the inflation window, status codes and bad input.

Published figures (ESA press release 2016-11-23 and inquiry report 2017, as quoted in tests/edl/test_reference.py):
IMU saturation just after parachute inflation, flag held ~1 s instead of the 15 ms design persistence, negative
estimated altitude, release at ~3.7 km, thrusters ~3 s, on-ground mode, free fall, impact ~540 km/h.
Calibrated inputs of the 6-DOF model (areo.edl.sixdof.CALIBRATED): DGB trim angle 5.2 deg and inflation exponent
6 ([edl.sixdof] of exomars2016.toml), gyro range 200 deg/s and radar range 4000 m (base scenario).
"""

import math

import numpy as np
import pytest

from areo.errors import InputError
from tests.units import DEG, KM, METRE, SECOND

KMH = 1 / 3.6
LANES = (
    "as_flown",
    "nominal",
    "damped",
    "no_incidence",
    "blow_up",
    "calm",
    "east_wind",
    "gust",
    "window",
    "as_flown_half_step",
    "nominal_half_step",
)


@pytest.fixture(scope="module")
def six():
    from areo.edl.sixdof import load_6dof

    return load_6dof(["imu-saturation"])


@pytest.fixture(scope="module")
def batch(six):
    """One compile of the state kernel, every full-flight case as one lane of one batch."""
    from areo._jax import jnp
    from areo.edl.sixdof.sim import finish, initial_state, make_batch_kernel, prepare

    p, model = six
    n = len(LANES)
    pa = {k: np.full(n, v, dtype=float) for k, v in p.items()}
    i = LANES.index
    pa["flag_hold"][i("nominal")] = 0.015
    pa["entry_alpha"][i("damped")] = 3.0 * DEG
    pa["cmq_add"][i("damped")] = -30.0
    pa["entry_alpha"][i("no_incidence")] = 0.0
    pa["t_stop"][i("damped")] = pa["t_stop"][i("no_incidence")] = 200.0
    pa["rho_scale"][i("blow_up")] = 1e300  # aerodynamic forces beyond float64's range from the first step
    pa["flag_hold"][i("nominal_half_step")] = 0.015
    pa["dt_scale"][i("as_flown_half_step")] = pa["dt_scale"][i("nominal_half_step")] = 0.5
    for name in ("calm", "east_wind", "gust"):  # a canopy at zero trim angle does not glide
        pa["flag_hold"][i(name)] = 0.015
        pa["chute_sin_trim"][i(name)] = 0.0
    pa["wind_e"][i("east_wind")] = 10.0
    pa["gust_amp"][i("gust")], pa["gust_t0"][i("gust")], pa["gust_len"][i("gust")] = 20.0, 20.0, 4.0
    pa["t_stop"][i("window")] = 186.4
    kern = make_batch_kernel(model, state=True)
    pj = {k: jnp.asarray(v) for k, v in pa.items()}
    S = kern(pj, initial_state(prepare(pj, jnp), jnp))
    S = {k: np.asarray(v) for k, v in S.items()}
    res = finish(S, pa, np)
    return {"p": pa, "S": S, "res": res, "kern": kern, "model": model}


def lane(batch, name):
    j = LANES.index(name)
    return {k: float(v[j]) for k, v in batch["res"].items()}


def test_as_flown_failure_chain_within_five_percent(batch):
    from areo.edl.sixdof.sim import CRASHED

    r = lane(batch, "as_flown")
    assert r["status"] == CRASHED
    # the rate exceeds the 200 deg/s range just after full inflation (t_inflation = 1 s after mortar fire)
    assert math.degrees(r["peak_rate"]) > 200.0
    assert abs(r["imu_saturation_t"] - r["parachute_inflated_t"]) < 0.1 * SECOND
    # the flag is up ~1 s (ESA: "persisted for about one second"); the attitude estimate goes beyond 90 deg,
    # the radar-derived altitude is negative
    assert abs(r["flag_up_s"] - 1.0 * SECOND) < 0.1 * SECOND
    assert math.degrees(r["max_att_err"]) > 90.0
    assert r["min_h_est"] < 0.0
    assert abs(r["backshell_release_h"] - 3.7 * KM) < 0.05 * 3.7 * KM
    assert abs(r["on_ground_mode_t"] - r["backshell_release_t"] - 3.0 * SECOND) < 0.05 * 3.0 * SECOND
    assert abs(r["touchdown_speed"] - 540 * KMH) < 0.05 * 540 * KMH


def test_design_persistence_lands(batch):
    from areo.edl.sixdof.sim import LANDED

    r = lane(batch, "nominal")
    assert math.degrees(r["peak_rate"]) > 200.0  # the same rate saturates the gyro ...
    assert math.degrees(r["max_att_err"]) < 5.0  # ... but 15 ms of persistence keeps the attitude
    assert r["status"] == LANDED and r["touchdown_speed"] < 5.0
    assert abs(r["backshell_release_h"] - 1.2 * KM) < 50 * METRE  # ESA: release at ~1.2 km


def test_six_dof_matches_three_dof_at_deploy_when_attitude_is_damped(batch, scenario, model):
    """The 3-DOF path (areo.edl.simulate, a different integrator and step control) and the 6-DOF one with the
    attitude motion damped out (pitch damping -30) or absent (zero incidence) reach mortar fire within 1 %."""
    from areo.edl.simulate import simulate_reference

    r3, _ = simulate_reference(scenario.to_params([]), model, history=False)
    for name in ("damped", "no_incidence"):
        r6 = lane(batch, name)
        assert abs(r6["parachute_deploy_h"] - r3["parachute_deploy_h"]) < 0.01 * r3["parachute_deploy_h"]
        assert abs(r6["parachute_deploy_v"] - r3["parachute_deploy_v"]) < 0.01 * r3["parachute_deploy_v"]
        assert abs(r6["parachute_deploy_t"] - r3["parachute_deploy_t"]) < 0.01 * r3["parachute_deploy_t"]


def test_step_control_converges_when_the_step_size_factor_is_halved(batch):
    """Halving every step (the step-size factor ``dt_scale`` 1 -> 0.5: entry, canopy, snatch, lander cycle and the
    event approaches) moves the back-shell release by less than 10 m (the descent under the canopy in ~0.15 s at
    ~65 m/s, under 1 % of the 1.2 km release altitude) and the impact speed by less than 0.1 m/s for the soft
    landing (2 % of ~4 m/s, far inside a crush limit of several m/s) and 1 m/s for the free fall (~0.7 % of
    ~150 m/s): the step control resolves the physics, not the step."""
    for name, dv in (("nominal", 0.1), ("as_flown", 1.0)):
        a, b = lane(batch, name), lane(batch, f"{name}_half_step")
        assert a["status"] == b["status"], name
        assert abs(a["backshell_release_h"] - b["backshell_release_h"]) < 10.0 * METRE, name
        assert abs(a["touchdown_speed"] - b["touchdown_speed"]) < dv, name
        assert b["steps"] > 1.8 * a["steps"], name  # the factor reaches every step class


def test_non_finite_state_gets_a_status_code_not_nan(batch):
    from areo.edl.sixdof.sim import NON_FINITE

    # the forces overflow float64 (a riser stepped beyond RK4's limit no longer serves: once the riser is held at
    # its rest length, the step follows the tension it sees; riser_courant 40 with a Baumgarte rate of 1000 /s ran
    # into the step limit, code 5, not into overflow)
    r = lane(batch, "blow_up")
    assert r["status"] == NON_FINITE
    assert all(np.isfinite(lane(batch, n)["status"]) for n in LANES)


def test_east_wind_drifts_the_landing_east(batch):
    """With the canopy at zero trim angle (no glide), a steady 10 m/s east wind on the parachute system moves the landing point east by at least half the wind
    times the time under the canopy (the system drifts with the air once it has picked the wind up) and by less
    than the wind times the whole time from mortar fire to touchdown."""
    S = batch["S"]
    a, b = LANES.index("calm"), LANES.index("east_wind")
    lon = np.arctan2(S["y"], S["x"])
    east = (lon[b] - lon[a]) * 3_390e3 * math.cos(-2.0 * DEG)
    r = lane(batch, "east_wind")
    t_canopy = r["backshell_release_t"] - r["parachute_deploy_t"]
    assert 0.5 * 10.0 * t_canopy < east < 10.0 * (r["touchdown_t"] - r["parachute_deploy_t"])


def test_a_gust_displaces_the_system_by_the_gust_integral(batch):
    """A 1-cosine east gust of 20 m/s over 4 s (20 s after mortar fire) on the parachute system: a body that
    follows the air with a first-order lag ends displaced by the time integral of the wind, 20 * 4 / 2 = 40 m."""
    S = batch["S"]
    a, b = LANES.index("calm"), LANES.index("gust")
    lon = np.arctan2(S["y"], S["x"])
    east = (lon[b] - lon[a]) * 3_390e3 * math.cos(-2.0 * DEG)
    assert abs(east - 40.0 * METRE) < 10.0 * METRE


def test_numpy_reference_matches_the_kernel_over_inflation_and_saturation(batch):
    """From the kernel's state just before mortar fire, 1.6 s (mortar fire, inflation, snatch, saturation) in the
    numpy reference and in the kernel agree."""
    from areo._jax import jnp
    from areo.edl.sixdof.sim import simulate_reference

    j = LANES.index("window")
    p = {k: float(v[j]) for k, v in batch["p"].items()}
    S0 = {k: v[j : j + 1] for k, v in batch["S"].items()}
    p["t_stop"] = 188.0
    r_np, _, S_np = simulate_reference(p, batch["model"], history=False, S=S0)
    pa = {k: v.copy() for k, v in batch["p"].items()}
    pa["t_stop"][:] = 0.0
    pa["t_stop"][j] = 188.0
    pj = {k: jnp.asarray(v) for k, v in pa.items()}
    S_jx = batch["kern"](pj, {k: jnp.asarray(v) for k, v in batch["S"].items()})
    assert not math.isnan(r_np["imu_saturation_t"])  # the window holds the saturation
    for k, tol in (("x", 1e-6 * METRE), ("vz", 1e-6), ("wy", 1e-6 * DEG), ("n1", 1e-9), ("t", 1e-9 * SECOND)):
        assert abs(float(S_np[k][0]) - float(np.asarray(S_jx[k])[j])) < tol, k


def test_reduced_pendulum_model_agrees_with_the_two_body_model_on_the_trajectory(batch):
    """The constrained-pendulum parachute (inextensible riser) against the elastic two-body one, same inputs
    (canopy at zero trim): mortar fire to touchdown agree within 1 % on trajectory quantities. The reduced model
    has no elastic snatch overshoot, so its riser load and capsule rates are lower: it is for trajectory Monte
    Carlo, not for the saturation. Halving its step-size factor moves the release and the impact speed by less
    than the bounds of the elastic model's convergence test."""
    from areo._jax import jnp
    from areo.edl.sixdof import load_6dof
    from areo.edl.sixdof.sim import finish, initial_state, make_batch_kernel, prepare

    _, model = load_6dof([], pendulum=True)
    j = LANES.index("calm")
    pa = {k: np.array([v[j], v[j]]) for k, v in batch["p"].items()}
    pa["dt_scale"][1] = 0.5  # and the reduced model's step control at half the step-size factor
    pj = {k: jnp.asarray(v) for k, v in pa.items()}
    S = make_batch_kernel(model, state=True)(pj, initial_state(prepare(pj, jnp), jnp))
    out = finish({k: np.asarray(v) for k, v in S.items()}, pa, np)
    red, half = ({k: float(v[i]) for k, v in out.items()} for i in (0, 1))
    full = lane(batch, "calm")
    assert red["status"] == full["status"]
    for k in ("heatshield_jettison_h", "heatshield_jettison_v", "radar_lock_t", "backshell_release_v", "touchdown_t"):
        assert abs(red[k] - full[k]) < 0.01 * abs(full[k]), k
    assert red["peak_tension"] < full["peak_tension"]
    # the convergence bounds of test_step_control_converges_when_the_step_size_factor_is_halved
    assert abs(red["backshell_release_h"] - half["backshell_release_h"]) < 10.0 * METRE
    assert abs(red["touchdown_speed"] - half["touchdown_speed"]) < 0.1


def _free_two_body(pendulum):
    """Capsule and parachute in vacuum, no gravity, non-rotating frame, riser undamped: a closed system."""
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof.sim import Model6, prepare, rk4

    class Vacuum:
        def evaluate(self, h, xp):
            return 200.0 + 0.0 * h, 0.0 * h, 0.0 * h

    cap = {
        "mach": [0.0, 50.0],
        **{c: [0.0, 0.0] for c in ("axial", "normal_slope_per_rad", "moment_slope_per_rad", "pitch_damping")},
    }
    model = Model6(Vacuum(), Vacuum(), cap, {"mach": [0.0, 50.0], "drag": [0.0, 0.0]}, pendulum=pendulum, omega=0.0)
    p = dict(
        ixx=190.0, iyy=150.0, izz=160.0, ixy=3.0, ixz=1.5, iyz=-2.0, att_x=-1.0, riser_l0=20.0, riser_k=8e4,
        riser_c=0.0, pend_beta=10.0, chute_mass=15.0, chute_ka=0.0, chute_cn_alpha=0.0, chute_sin_trim=0.0,
        area_chute=113.0, area_capsule=4.5, ref_length=2.4, cd_capsule_scale=1.0, cd_chute_scale=1.0, cmq_add=0.0,
        cd_lander=1.0, area_lander=2.0, rho_scale=1.0, gravity_on=0.0, t_inflation=1.0, infl_exp=2.0,
        chute_fail=0.0, wind_e=0.0, wind_n=0.0, gust_amp=0.0, gust_t0=0.0, gust_len=1.0, acc_sf=0.0, acc_bias=0.0,
        k_vel=2.0, isp=225.0, **{f"gyro_{a}_{i}": v for i in range(3) for a, v in (("sf", 0.0), ("bias", 0.0), ("limit", 10.0))},
    )  # fmt: skip
    p = {k: np.array([v]) for k, v in p.items()}
    p = prepare(p, np)
    r = (3.4e6, 0.0, 0.0)
    q = tuple(x / math.sqrt(1.0083) for x in (1.0, 0.05, 0.07, 0.03))
    w = (0.2, -0.5, 0.3)
    a = tuple(np.array([x]) for x in (*r, 10.0, -5.0, 1.0, *q, *w))
    # the canopy whirls round the capsule (~100 m/s across a riser stretched ~0.1 m), so the riser stays taut
    rp = (3.4e6 - 21.1, 0.3, 0.2)
    vp = (10.0, 95.0, 4.0)
    Y = tuple(np.atleast_1d(np.asarray(x, dtype=float)) for x in (*a, *rp, *vp, *r, 0, 0, 0, 1, 0, 0, 0, 577.0))
    c = B.Ctx(np.array([B.CANOPY]), np.array([-10.0]), np.array([0.0]), (np.array([False]),) * 3, (np.ones(1),) * 3)
    return model, p, Y, c, B, rk4


def _invariants(p, Y, pendulum):
    from areo.edl.sixdof import quat as Q

    m, mp = Y[29][0], p["chute_mass"][0]
    r, v, w = np.array(Y[0:3])[:, 0], np.array(Y[3:6])[:, 0], np.array(Y[10:13])[:, 0]
    rp, vp = np.array(Y[13:16])[:, 0], np.array(Y[16:19])[:, 0]
    C = np.array(Q.dcm(tuple(x[0] for x in Y[6:10])))
    inertia = np.array(
        [
            [p["ixx"][0], p["ixy"][0], p["ixz"][0]],
            [p["ixy"][0], p["iyy"][0], p["iyz"][0]],
            [p["ixz"][0], p["iyz"][0], p["izz"][0]],
        ]
    )
    att = r + C @ np.array([p["att_x"][0], 0.0, 0.0])
    stretch = max(np.linalg.norm(rp - att) - p["riser_l0"][0], 0.0)
    spring = 0.0 if pendulum else 0.5 * p["riser_k"][0] * stretch**2
    energy = 0.5 * m * v @ v + 0.5 * w @ inertia @ w + 0.5 * mp * vp @ vp + spring
    momentum = m * v + mp * vp
    ang = m * np.cross(r, v) + C @ (inertia @ w) + mp * np.cross(rp, vp)
    qn = math.sqrt(sum(float(x[0]) ** 2 for x in Y[6:10]))
    return energy, momentum, ang, qn, np.linalg.norm(rp - att)


def test_free_two_body_conserves_energy_momentum_angular_momentum_and_quaternion_norm():
    model, p, Y, c, B, rk4 = _free_two_body(pendulum=False)
    e0, p0, h0, _, _ = _invariants(p, Y, False)
    f = lambda Y, t: B.deriv(model, p, np, c, Y, t)  # noqa: E731
    lengths = []
    for i in range(1000):  # 2 s at 2 ms: the canopy whirls round the tumbling capsule, the riser stays taut
        Y, *_ = rk4(f, Y, 0.002 * i, 0.002, np)
        lengths.append(_invariants(p, Y, False)[4])
    e1, p1, h1, qn, _ = _invariants(p, Y, False)
    assert min(lengths) > 20.0 * METRE  # taut throughout: a smooth force, RK4 at full order
    assert abs(e1 - e0) < 1e-6 * e0
    assert np.linalg.norm(p1 - p0) < 1e-9 * np.linalg.norm(p0)
    assert np.linalg.norm(h1 - h0) < 1e-9 * np.linalg.norm(h0)
    assert abs(qn - 1.0) < 1e-9  # RK4 without renormalisation keeps the unit quaternion


def test_reduced_pendulum_holds_the_riser_length_and_energy():
    model, p, Y, c, B, rk4 = _free_two_body(pendulum=True)
    # start on the constraint, taut, with the canopy moving across the riser
    att = np.array(Y[0:3])[:, 0] + np.array([-1.0, 0.0, 0.0])
    Y = Y[:13] + tuple(np.array([x]) for x in (att[0] - 20.0, 0.0, 0.0, 10.0, -5.0 + 8.0, 1.0)) + Y[19:]
    Y = Y[:10] + (np.zeros(1),) * 3 + Y[13:]
    e0, p0, *_ = _invariants(p, Y, True)
    f = lambda Y, t: B.deriv(model, p, np, c, Y, t)  # noqa: E731
    for i in range(300):
        Y, *_ = rk4(f, Y, 0.01 * i, 0.01, np)
    e1, p1, _, _, length = _invariants(p, Y, True)
    assert abs(length - 20.0) < 1e-3 * METRE
    assert np.linalg.norm(p1 - p0) < 1e-9 * np.linalg.norm(p0)
    assert abs(e1 - e0) < 1e-3 * e0


def test_fly_refuses_an_unknown_parameter():
    from areo.edl.sixdof import fly

    with pytest.raises(InputError, match=r"unknown 6-DOF parameter\(s\) flag_hold_s; known: .*flag_hold"):
        fly(flag_hold_s=0.015)
