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
from tests.edl._sixdof_ctx import canopy_ctx
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

    return load_6dof("exomars2016", ["imu-saturation"])


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
    """The reduced model (riser held at its rest length from five decay times of its axial mode after mortar fire:
    the pack's line-stretch snatch is kept, the inflation snatch is not) against the two-body model (elastic riser
    until five decay times after full inflation), same inputs, at the calibrated DGB trim angle (5.2 deg, lane
    'nominal') and at zero trim ('calm'): front-shield jettison altitude and speed, radar lock, release time and
    speed, touchdown time and speed agree within 1 % (the issue's validation of the reduced model). At the trim
    angle the force along the riser has a component across the flow (L/D = tan 5.2 deg ~0.09, ~5 m/s^2 during the
    supersonic deceleration, more than Mars gravity) whose side is set where the canopy opens: before this
    check the reduced model stopped the pack dead at line stretch, opened the canopy 20 m behind instead of
    ~8 m behind after the rebound, trimmed on the other side and jettisoned at 7.17 km against 7.84 km (ESA:
    7.8 km), touching down 11 s earlier. The reduced model has no inflation snatch overshoot, by design: its
    riser load and capsule rates are lower (no IMU saturation: it is for trajectory Monte Carlo, not for the
    saturation). Halving its step-size factor moves the release and the impact speed by less than the bounds of
    the elastic model's convergence test."""
    from areo._jax import jnp
    from areo.edl.sixdof import load_6dof
    from areo.edl.sixdof.sim import finish, initial_state, make_batch_kernel, prepare

    _, model = load_6dof("exomars2016", [], pendulum=True)
    names = ("nominal", "calm", "nominal")
    pa = {k: np.array([v[LANES.index(n)] for n in names]) for k, v in batch["p"].items()}
    pa["dt_scale"][2] = 0.5  # and the reduced model's step control at half the step-size factor
    pj = {k: jnp.asarray(v) for k, v in pa.items()}
    S = make_batch_kernel(model, state=True)(pj, initial_state(prepare(pj, jnp), jnp))
    out = finish({k: np.asarray(v) for k, v in S.items()}, pa, np)
    red, red_calm, half = ({k: float(v[i]) for k, v in out.items()} for i in range(3))
    keys = ("heatshield_jettison_h", "heatshield_jettison_v", "radar_lock_t", "backshell_release_t")
    keys += ("backshell_release_v", "touchdown_t", "touchdown_speed")
    for r, name in ((red, "nominal"), (red_calm, "calm")):
        full = lane(batch, name)
        assert r["status"] == full["status"], name
        for k in keys:
            assert abs(r[k] - full[k]) < 0.01 * abs(full[k]), (name, k)
        assert r["peak_tension"] < 0.8 * full["peak_tension"], name  # no inflation snatch overshoot
    assert math.degrees(red["peak_rate"]) < 200.0 < math.degrees(lane(batch, "nominal")["peak_rate"])
    # the convergence bounds of test_step_control_converges_when_the_step_size_factor_is_halved
    assert abs(red["backshell_release_h"] - half["backshell_release_h"]) < 10.0 * METRE
    assert abs(red["touchdown_speed"] - half["touchdown_speed"]) < 0.1


def _canopy_flight(batch, pendulum, t_after_fire, **overrides):
    """The numpy reference from the kernel's state just before mortar fire (lane 'window': the state does not
    depend on the riser model yet) to ``t_after_fire`` s after mortar fire, with the reduced or the elastic riser:
    per step the time, the canopy's angle off the wake in the vertical plane of the flight (deg, positive with
    the canopy above the flight path), the system's momentum (capsule plus canopy with its added mass), the
    external forces other than the aerodynamic ones (gravity and the frame's apparent forces, N) and the drag of
    the canopy and the capsule from their tables at the local density and Mach, along their velocities (N)."""
    from areo.edl import dynamics as dyn
    from areo.edl.sixdof import aerodb, load_6dof
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof import quat as Q
    from areo.edl.sixdof.sim import STATE, _arrays, prepare, step

    j = LANES.index("window")
    p = {k: float(v[j]) for k, v in batch["p"].items()} | {"t_stop": 1e30} | overrides
    _, model = load_6dof("exomars2016", [], pendulum=pendulum)
    S = {k: v[j : j + 1].copy() for k, v in batch["S"].items()}
    pa = prepare(_arrays(p, np), np)
    chute, capsule = model.parachute_table, model.capsule_table
    rows, t_fire = [], None
    while (t_fire is None or S["t"][0] < t_fire + t_after_fire) and S["status"][0] == 0:
        S = step(S, pa, model, np)
        t_fire = float(S["t_deploy"][0]) if S["t_deploy"][0] < 1e29 else None
        if t_fire is None:
            continue
        Y = tuple(S[k] for k in STATE)
        r, v, rp, vp = (np.array([x[0] for x in Y[i : i + 3]]) for i in (0, 3, 13, 16))
        C = np.array(Q.dcm(tuple(x[0] for x in Y[6:10])))
        e = rp - r - C @ np.array([p["att_x"], 0.0, 0.0])
        e /= np.linalg.norm(e)
        up = r / np.linalg.norm(r)
        side = np.cross(vp, up)
        lift = np.cross(side / np.linalg.norm(side), vp / np.linalg.norm(vp))
        h = float(dyn.altitude(*r, np))
        temp, _, rho = model.atmosphere.evaluate(np.array([h]), np)
        a_snd = float(np.asarray(B.atm_mod.speed_of_sound(temp, np))[0])
        rho = float(np.asarray(rho)[0]) * p["rho_scale"]
        m, mp = float(Y[29][0]), p["chute_mass"]
        m_eff = mp + p["chute_ka"] * rho * (4.0 * p["area_chute"] / math.pi) ** 1.5
        gc = np.array([float(np.asarray(x)[0]) for x in B.accel_field(model, pa, r, v, np)])
        gp = np.array([float(np.asarray(x)[0]) for x in B.accel_field(model, pa, rp, vp, np)])
        drag = np.zeros(3)  # the tables' drag of both bodies along their air velocities (no wind)
        for vel, area, coef in (
            (vp, p["area_chute"], p["cd_chute_scale"] * aerodb.parachute_drag(np.linalg.norm(vp) / a_snd, chute, np)),
            (v, p["area_capsule"], p["cd_capsule_scale"] * aerodb.capsule(np.linalg.norm(v) / a_snd, capsule, np)[0]),
        ):
            drag -= 0.5 * rho * np.linalg.norm(vel) * vel * area * float(np.asarray(coef))
        rows.append((S["t"][0] - t_fire, math.degrees(math.asin(e @ lift)), m * v + m_eff * vp, m * gc + mp * gp, drag))
    return rows


def _swing(rows, t0, t1):
    """(mean angle deg, peak-to-peak deg, period s) of the canopy's swing between ``t0`` and ``t1`` after mortar
    fire (period from the upward crossings of the mean)."""
    t = np.array([r[0] for r in rows if t0 <= r[0] <= t1])
    a = np.array([r[1] for r in rows if t0 <= r[0] <= t1])
    x = a - a.mean()
    i = np.where((x[:-1] < 0.0) & (x[1:] >= 0.0))[0]
    up = t[i] - x[i] / (x[i + 1] - x[i]) * (t[i + 1] - t[i])
    return a.mean(), a.max() - a.min(), float(np.diff(up).mean())


def test_reduced_model_swings_like_the_two_body_model_after_inflation(batch):
    """The canopy's swing 2-8 s after mortar fire (after the inflation snatch), reduced against two-body model:
    both ride at the calibrated trim angle on the same side of the flow (mean 5.2 deg within 0.3 deg, the two
    within 0.1 deg; measured 5.24 and 5.23 deg) and swing with the capsule's wrist mode at the same period
    (within 3 %; measured 0.561 and 0.560 s); the reduced model's peak-to-peak swing is smaller, by design (no
    inflation snatch overshoot to excite it: measured 1.57 against 1.95 deg), within 0.6 deg of the two-body
    one."""
    (m_el, pp_el, t_el), (m_red, pp_red, t_red) = (
        _swing(_canopy_flight(batch, pend, 8.0), 2.0, 8.0) for pend in (False, True)
    )
    assert abs(m_el - 5.2) < 0.3 and abs(m_red - m_el) < 0.1
    assert abs(t_red - t_el) < 0.03 * t_el
    assert pp_red <= pp_el and pp_el - pp_red < 0.6


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
    c = canopy_ctx(-10.0, quasi=pendulum)  # the reduced model's riser is held at its rest length
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
        fly("exomars2016", flag_hold_s=0.015)


@pytest.mark.parametrize(
    ("pendulum", "trim_deg"), [(True, 0.0), (False, 0.0), (True, 5.2)], ids=["reduced", "elastic", "reduced-trim"]
)
def test_the_drag_of_the_canopy_system_is_the_tables_drag_along_the_flight(batch, pendulum, trim_deg):
    """Invariant of the descent under the canopy (28-34 s after mortar fire, ~7.7 km, Mach ~0.4, ten swing
    periods): the change of the system's momentum (capsule, canopy and its added mass) less the impulse of
    gravity and the frame's apparent forces is the impulse of the drag of both bodies from their tables at the
    local density and Mach along their velocities, within 0.5 % of it (measured 0.2 %): the riser, held or
    elastic, neither adds nor absorbs momentum, and the drag area acts on the canopy's own air velocity. With no
    trim the force across the flight averages out over the swing (the canopy's mean normal force is ~0: below
    0.5 % of the drag, measured 0.14 %); at the calibrated 5.2 deg trim the canopy rides off the wake axis and
    the force along the riser has a steady component across the flight of tan(5.2 deg) = 9.10 % of the drag
    (within 0.5 %, measured 9.11 %) and gives up 1 - cos(5.2 deg) = 0.4 % along it: the glide whose side sets
    the trajectory (test_reduced_pendulum_model_agrees_with_the_two_body_model_on_the_trajectory)."""
    rows = _canopy_flight(batch, pendulum, 34.0, chute_sin_trim=math.sin(trim_deg * DEG))
    w = [r for r in rows if r[0] >= 28.0]
    t = np.array([r[0] for r in w])
    dt = np.diff(t)[:, None]

    def impulse(i):
        f = np.array([r[i] for r in w])
        return (0.5 * (f[1:] + f[:-1]) * dt).sum(axis=0)

    drag = impulse(4)
    residual = w[-1][2] - w[0][2] - impulse(3) - drag  # the aerodynamic impulse beyond the tables' drag
    along = drag / np.linalg.norm(drag)
    # the force along the riser, at the trim angle off the wake, gives up 1 - cos(trim) of the drag (0.4 %)
    assert abs((residual @ along) / np.linalg.norm(drag) + 1.0 - math.cos(trim_deg * DEG)) < 0.005
    across = np.linalg.norm(residual - (residual @ along) * along) / np.linalg.norm(drag)
    assert abs(across - math.tan(trim_deg * DEG)) < 0.005


@pytest.mark.parametrize("pendulum", [True, False], ids=["reduced", "elastic"])
def test_phase_variants_of_the_derivative_equal_the_full_derivative_where_they_apply(pendulum):
    """Invariant of the kernel's per-step choice of derivative (``sim.integrate``, ``bodies.PARTS``): where every
    run is in entry, the variant without parachute, riser and lander gives the full derivative's floats (every
    component and extra); under the canopy (no run released) the variant without the lander does; after release
    (engines on or off) the variant without the canopy does. The dropped terms are real elsewhere: under the
    canopy the riser pulls, and a lander in its separation burn thrusts."""
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof import load_6dof
    from areo.edl.sixdof.sim import initial_state, place_canopy, prepare

    p, model = load_6dof("exomars2016", [], pendulum=pendulum)
    p = prepare({k: np.full(3, v, dtype=float) for k, v in p.items()}, np)
    p["entry_alpha"] = np.array([0.0, 4.0, 9.0]) * DEG
    p["entry_rate_y"] = np.array([0.0, 0.1, -0.2])
    S = initial_state(p, np)
    Y = tuple(S[k] for k in B.STATE)
    z = np.zeros(3)

    def ctx(phase, quasi=False, thrust=0.0):
        return B.Ctx(z + phase, z + 100.0, z + thrust, (z > 1.0,) * 3, (z + 1.0,) * 3, z + quasi > 0.5)

    def out(c, Y, t, parts=(True, True)):
        dY, ex = B.deriv(model, p, np, c, Y, t, chute=parts[0], lander_on=parts[1])
        return [np.asarray(x) for x in (*dY, ex[0], ex[1], *ex[2], ex[3], ex[4])]

    def same(a, b):
        return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))

    for t in (10.0, 90.0):  # entry interface, and Y as it is there with the clock in the heating pulse
        assert same(out(ctx(B.ENTRY), Y, t, B.PARTS[1]), out(ctx(B.ENTRY), Y, t))
    # at 11 km, 470 m/s: the canopy at line stretch (10 cm beyond it: taut), 0.5 s into its inflation
    Y = Y[:3] + tuple(x * 470.0 / 5800.0 for x in Y[3:6]) + Y[6:]
    Yc = place_canopy(Y, p, z < 1.0, np)
    Yc = Yc[:13] + tuple(Yc[13 + i] + 0.1 * (Yc[13 + i] - Y[i]) / 20.0 for i in range(3)) + Yc[16:]
    for phase in (B.CANOPY, B.RADAR):
        for quasi in (True, False):
            c = ctx(phase, quasi)
            assert not same(out(c, Yc, 100.5, B.PARTS[2]), out(c, Yc, 100.5))  # the riser pulls
            assert same(out(c, Yc, 100.5, B.PARTS[3]), out(c, Yc, 100.5))
    for phase in (B.SEP_BURN, B.POWERED, B.ON_GROUND):
        assert same(out(ctx(phase), Yc, 100.5, B.PARTS[2]), out(ctx(phase), Yc, 100.5))
    c = ctx(B.SEP_BURN, thrust=3000.0)
    assert same(out(c, Yc, 100.5, B.PARTS[2]), out(c, Yc, 100.5))
    assert not same(out(c, Yc, 100.5, B.PARTS[1]), out(c, Yc, 100.5))  # the lander thrusts
    assert not same(out(c, Yc, 100.5, B.PARTS[3]), out(c, Yc, 100.5))


def test_the_kernel_picks_the_derivative_every_run_allows():
    """``bodies.parts_index``: the parachute and riser only if a run (finished ones included) is under a canopy,
    the lander only if a run has released or thrusts."""
    from areo.edl.sixdof import bodies as B

    def pick(*modes, thrust=0.0):
        return B.PARTS[int(B.parts_index(np.array(modes, dtype=float), np.full(len(modes), thrust), np))]

    assert pick(B.ENTRY, B.ENTRY) == (False, False)
    assert pick(B.ENTRY, B.SEP_BURN, B.ON_GROUND) == pick(B.ENTRY, thrust=100.0) == (False, True)
    assert pick(B.ENTRY, B.CANOPY) == pick(B.RADAR, B.ENTRY) == pick(B.CANOPY, B.RADAR) == (True, False)
    assert pick(B.CANOPY, B.SEP_BURN) == pick(B.RADAR, B.POWERED) == pick(B.CANOPY, thrust=100.0) == (True, True)


def test_the_compiled_variants_give_the_full_derivatives_floats():
    """The same invariant in the JAX kernel's compiled code, one RK4 step of 8 dispersed runs: XLA fuses
    multiply-adds within a fusion, so a variant compiled to other fusions would give other last bits (and a
    run's results would depend on the other runs of its batch, which picked the variant); ``deriv`` keeps the
    shared parts apart (``areo.edl._fuse.keep``) so that they compile to the same code."""
    from functools import partial

    from areo._jax import jax, jnp
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof import load_6dof
    from areo.edl.sixdof.sim import initial_state, place_canopy, prepare, rk4

    p, model = load_6dof("exomars2016", [])
    p = {k: np.full(8, v, dtype=float) for k, v in p.items()}
    p["entry_alpha"] = np.linspace(0.0, 9.0, 8) * DEG
    p["entry_rate_y"] = np.linspace(-0.2, 0.2, 8)
    p = prepare({k: jnp.asarray(v) for k, v in p.items()}, jnp)
    Y = tuple(initial_state(p, jnp)[k] for k in B.STATE)
    z = 0.0 * Y[0]
    # under the canopy: at 470 m/s, 10 cm beyond line stretch (taut), fired 0.5 s ago (inflating)
    Yv = Y[:3] + tuple(x * 470.0 / 5800.0 for x in Y[3:6]) + Y[6:]
    Yc = place_canopy(Yv, p, z < 1.0, jnp)
    Yc = Yc[:13] + tuple(Yc[13 + i] + 0.1 * (Yc[13 + i] - Yv[i]) / 20.0 for i in range(3)) + Yc[16:]

    def step(phase, parts, Y, t_deploy, quasi):
        c = B.Ctx(z + phase, z + t_deploy, z, (z > 1.0,) * 3, (z + 1.0,) * 3, (z < 1.0) == quasi, z)

        def go(Y, c):  # the flight software's state an argument, as in the kernel (constants would be folded)
            return rk4(partial(B.deriv, model, p, jnp, c, chute=parts[0], lander_on=parts[1]), Y, 90.0, 0.01, jnp)

        Y1, sat, T, fn, qd = jax.jit(go)(Y, c)
        return [np.asarray(x) for x in (*Y1, *sat, T, fn, qd)]

    cases = [(B.ENTRY, B.PARTS[1], Y, 100.0, False), (B.ON_GROUND, B.PARTS[2], Y, 100.0, False)]
    cases += [(ph, B.PARTS[3], Yc, 89.5, quasi) for ph in (B.CANOPY, B.RADAR) for quasi in (False, True)]
    for phase, parts, Y0, t_deploy, quasi in cases:
        full, variant = step(phase, B.PARTS[0], Y0, t_deploy, quasi), step(phase, parts, Y0, t_deploy, quasi)
        assert all(np.array_equal(a, b) for a, b in zip(full, variant, strict=True)), B.PHASE_NAMES[phase]


def test_the_radar_is_skipped_only_while_no_run_has_it_on():
    """``sim.radar_if_on`` in compiled code: the four beams' floats (validity, altitude, velocity) where a run
    has its radar on, whatever the other runs do; not valid anywhere while no run has it on (the beams skipped)."""
    from areo._jax import jax, jnp
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof import load_6dof
    from areo.edl.sixdof.sim import initial_state, prepare, radar, radar_if_on

    p, _ = load_6dof("exomars2016", [])
    p = {k: np.full(8, v, dtype=float) for k, v in p.items()}
    p["entry_fpa"] = np.full(8, -88.0 * DEG)  # falling near the vertical, heat shield (and radar) down...
    p["entry_alpha"] = np.linspace(0.0, 60.0, 8) * DEG  # ... tilted by 0-60 deg ...
    p = prepare({k: jnp.asarray(v) for k, v in p.items()}, jnp)
    Y = tuple(initial_state(p, jnp)[k] for k in B.STATE)
    agl = jnp.full(8, 2000.0)  # ... 2 km up: valid where the beams stay within 60 deg of the vertical

    def flat(out):
        return [np.asarray(x) for x in (out[0], out[1], *out[2])]

    every = flat(jax.jit(lambda Y, agl: radar(p, Y, agl, jnp))(Y, agl))
    assert every[0].any() and not every[0].all()
    for on in (np.arange(8) == 3, np.arange(8) >= 5, np.ones(8, bool)):
        some = flat(jax.jit(lambda Y, agl, on: radar_if_on(p, Y, agl, on, jnp))(Y, agl, jnp.asarray(on)))
        assert all(np.array_equal(a[on], b[on]) for a, b in zip(every, some, strict=True))
    off = jax.jit(lambda Y, agl, on: radar_if_on(p, Y, agl, on, jnp))(Y, agl, jnp.zeros(8, bool))
    assert not np.asarray(off[0]).any()
