"""The released lander in 6-DOF (areo.edl.sixdof.lander): the gravity turn (thrust against the navigated
velocity), its attitude controller (ideal, or rate-limited PD on the pointing error) and pulse-modulated engines.

Authorities: the closed-form constant thrust-to-weight gravity turn (Culler & Fried, "Universal gravity turn
trajectories", J. Appl. Phys. 28(6), 672-676, 1957), as tests/edl/test_propulsion.py uses it for the 3-DOF model;
invariants (a faster attitude loop converges on the ideal limit; the slew rate never exceeds the controller's
limit; the finite-rate lag lets the speed down less than the ideal turn does). Test vehicle: Schiaparelli's
shipped 6-DOF tables flying a drag-free lander from a given state with a one-phase table (released, engines in
gravity_turn); Phoenix 2008's shipped scenario with gravity_turn in its terminal phase. The controller figures
(bandwidth 2 rad/s, damping 0.7, 20 deg/s, 30 deg/s^2) are the schema's assumed defaults; nothing is calibrated.
"""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from areo.edl import dynamics as dyn
from areo.edl import guidance
from areo.edl.scenario import parse_edl
from areo.edl.sixdof.scenario import from_scenario
from areo.edl.sixdof.sim import LANDED, initial_state, prepare, step
from areo.errors import InputError
from tests.units import DEG, M_S, METRE

SCEN = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios"
N_TW, V0, BETA0, H0, LAT = 2.0, 80.0, math.radians(60.0), 400.0, math.radians(90.0)


def _model(name, change):
    d = tomllib.loads((SCEN / f"{name}.toml").read_text())
    change(d["edl"])
    return from_scenario(parse_edl(d), [], SCEN)


def _gravity_turn_only(edl):
    edl["phases"] = [{"name": "powered", "event": "engines_on", "release_backshell": True, "engines": "gravity_turn"}]


def _free_lander(p, lanes):
    """``p`` as (lanes,) arrays flying the drag-free, constant-mass lander at the pole (no frame-rotation effects on
    the start state), perfect IMU, thrust N_TW m g against the velocity (the speed law saturated: gain 1 /s on
    a ~0 profile, the command above the available thrust throughout)."""
    pos, _ = dyn.state_from_entry(H0, LAT, 0.0, V0, BETA0 - math.pi / 2, 0.0)
    g = math.hypot(*dyn.gravity(*pos))
    m = p["m_entry"] - p["m_front_shield"] - p["m_backshell_chute"]
    q = dict(p, m_entry=m, m_front_shield=0.0, m_backshell_chute=0.0, entry_alt=H0, entry_lat=LAT, entry_lon=0.0)
    q.update(entry_speed=V0, entry_fpa=BETA0 - math.pi / 2, entry_azimuth=0.0, ground_elev=0.0, nav_ground_elev=0.0)
    q.update(rho_scale=0.0, entry_alpha=0.0, entry_rate_y=0.0, gyro_arw=0.0, acc_vrw=0.0, acc_bias=0.0, acc_sf=0.0)
    q.update({f"gyro_{k}_{i}": 0.0 for k in ("bias", "sf") for i in range(3)})
    q.update(isp=1e12, n_thrusters=1.0, n_failed=0.0, thrust_each=N_TW * m * g, k_vel=1.0, v_final=0.0, a_brake=1e-6)
    q.update(min_throttle=0.0, pulse_period=0.0, crush_limit=1e3)
    return {k: np.full(lanes, v, dtype=float) for k, v in q.items()}


def _fly(p, model, max_steps=20_000, released=True):
    """numpy reference, every lane at once, from the entry interface or (``released``) from the released state (the
    table's one phase entered: released, engines in gravity_turn). Returns the final state and the largest body
    rate (rad/s) of each lane."""
    pa = prepare(p, np)
    S = initial_state(pa, np, model.sequence)
    if released:
        S["released"], S["engine"] = S["released"] + 1.0, S["engine"] + guidance.ENGINE_GT
    peak = np.zeros_like(S["t"])
    for _ in range(max_steps):
        if np.all(S["status"] != 0):
            break
        S = step(S, pa, model, np)
        peak = np.maximum(peak, np.sqrt(S["wx"] ** 2 + S["wy"] ** 2 + S["wz"] ** 2))
    return S, peak


def _speed_and_angle(S):
    r = np.array([S["x"], S["y"], S["z"]])
    v = np.array([S["vx"], S["vy"], S["vz"]])
    speed = np.linalg.norm(v, axis=0)
    down = -np.sum(v * r, axis=0) / np.linalg.norm(r, axis=0)
    return speed, np.arccos(np.clip(down / speed, -1.0, 1.0))


def _closed_form(beta):
    v = V0 * (np.tan(beta / 2) / math.tan(BETA0 / 2)) ** (N_TW - 1) * math.cos(BETA0 / 2) ** 2
    return v / np.cos(beta / 2) ** 2


LANES = ("ideal", "wn20", "wn60", "default", "slow")


@pytest.fixture(scope="module")
def turn():
    """The free gravity turn in five lanes: ideal tracking; rate-limited with 20 and 60 rad/s loops and no
    practical rate or acceleration limit; the schema's default controller (2 rad/s, 20 deg/s, 30 deg/s^2); a slow
    one (0.5 rad/s, 5 deg/s, 5 deg/s^2)."""
    p, model = _model("exomars2016", _gravity_turn_only)
    pa = _free_lander(p, len(LANES))
    i = LANES.index
    for name, wn, rate, acc in (
        ("wn20", 20.0, 1000.0, 1e5),
        ("wn60", 60.0, 1000.0, 1e5),
        ("default", 2.0, 20.0, 30.0),
        ("slow", 0.5, 5.0, 5.0),
    ):
        pa["att_ctrl"][i(name)], pa["att_wn"][i(name)] = 1.0, wn
        pa["att_rate_max"][i(name)], pa["att_acc_max"][i(name)] = rate * DEG, acc * DEG
    S, peak = _fly(pa, model)
    speed, beta = _speed_and_angle(S)
    err = {n: speed[i(n)] - _closed_form(beta[i(n)]) for n in LANES}
    out = {"S": S, "p": pa, "speed": dict(zip(LANES, speed)), "beta": beta, "peak": peak, "err": err}
    return out | {"model": model}


def test_ideal_gravity_turn_follows_the_closed_form(turn):
    """Thrust N_TW m g opposite the velocity, no drag, constant mass: v(beta) of Culler & Fried 1957 at the
    touchdown's flight-path angle, within 0.05 m/s (the 3-DOF test allows 0.1 m/s; here 2 mm/s)."""
    assert np.all(turn["S"]["status"] == LANDED)
    assert math.degrees(BETA0 - turn["beta"][LANES.index("ideal")]) > 30.0  # turned well towards the vertical
    assert abs(turn["err"]["ideal"]) < 0.05 * M_S


def test_rate_limited_controller_converges_on_the_ideal_limit(turn):
    """The attitude lag of a loop of natural frequency w_n is ~ beta' 2 zeta / w_n, so the distance to the closed
    form falls as 1 / w_n (measured: 0.38 m/s at 20 rad/s, 0.13 at 60): the ratio within 2.5-3.5, and the
    Richardson extrapolation to an infinitely fast loop, (3 e60 - e20) / 2, within 0.05 m/s of the closed form."""
    e20, e60 = turn["err"]["wn20"], turn["err"]["wn60"]
    assert 2.5 < e20 / e60 < 3.5, (e20, e60)
    assert abs((3.0 * e60 - e20) / 2.0) < 0.05 * M_S


def test_finite_rate_lag_keeps_the_lander_faster_at_touchdown(turn):
    """Measured lag of the finite-rate controller: the speed at touchdown (a fixed altitude, 0 m) above the
    ideal turn's for the default controller and more for the slow one; the slew rate never exceeds the
    controller's limit (1 % margin: the rate loop saturates at it)."""
    s = turn["speed"]
    lag_default, lag_slow = s["default"] - s["ideal"], s["slow"] - s["ideal"]
    assert 0.1 * M_S < lag_default < lag_slow, (lag_default, lag_slow)
    for n in ("default", "slow"):
        j = LANES.index(n)
        assert turn["peak"][j] <= 1.01 * turn["p"]["att_rate_max"][j]
        assert turn["peak"][j] > 0.1 * DEG  # the body did turn


def test_kernel_flies_the_gravity_turn_and_its_controller_as_the_numpy_reference(turn):
    """The JAX kernel (one lax.while_loop over the same step) ends every lane of the free gravity turn where the
    numpy reference does: position within 1 micrometre, velocity within 1 um/s, body rates within 1e-9 rad/s."""
    from areo._jax import jnp
    from areo.edl.sixdof.sim import make_batch_kernel

    pa = prepare(turn["p"], np)
    S0 = initial_state(pa, np, turn["model"].sequence)
    S0["released"], S0["engine"] = S0["released"] + 1.0, S0["engine"] + guidance.ENGINE_GT
    kern = make_batch_kernel(turn["model"], state=True)
    S = kern({k: jnp.asarray(v) for k, v in turn["p"].items()}, {k: jnp.asarray(v) for k, v in S0.items()})
    ref = turn["S"]
    assert np.array_equal(np.asarray(S["steps"]), ref["steps"])
    for keys, tol in ((("x", "y", "z"), 1e-6 * METRE), (("vx", "vy", "vz"), 1e-6 * M_S), (("wx", "wy", "wz"), 1e-9)):
        for k in keys:
            assert np.max(np.abs(np.asarray(S[k]) - ref[k])) < tol, k


def _phoenix_gravity_turn(edl):
    for ph in edl["phases"]:
        if ph.get("engines") == "throttle_law":
            ph["engines"] = "gravity_turn"


def test_phoenix_with_a_gravity_turn_terminal_descent_lands_in_six_dof():
    """Phoenix 2008's 6-DOF scenario with engines = "gravity_turn" after the lander separation, ideal and
    rate-limited (default controller) attitude in two lanes of the numpy reference: both land, below Phoenix's
    2.4 m/s design touchdown speed plus 1 m/s, with under 1 m/s of horizontal speed."""
    p, model = _model("phoenix2008", _phoenix_gravity_turn)
    pa = {k: np.full(2, v, dtype=float) for k, v in p.items()}
    pa["att_ctrl"][1] = 1.0
    S, _ = _fly(pa, model, max_steps=200_000, released=False)
    assert np.all(S["status"] == LANDED), S["status"]
    r = np.array([S["x"], S["y"], S["z"]])
    v = np.array([S["vx"], S["vy"], S["vz"]])
    v_h = v - np.sum(v * r, axis=0) / np.sum(r * r, axis=0) * r
    assert np.all(np.linalg.norm(v, axis=0) < 3.4 * M_S)
    assert np.all(np.linalg.norm(v_h, axis=0) < 1.0 * M_S)


def test_six_dof_honours_pulse_modulated_engines():
    """The 6-DOF thrust is the 3-DOF guidance's (areo.edl.guidance.thrust_command, its average model of pulse
    modulation): in Phoenix's gravity turn with 10 Hz pulses and a 50 ms minimum on-time, a command under half a
    minimum bit gives no thrust, one between half and a whole bit gives exactly one bit's average (F tau / period)."""
    from areo.edl.navigation import Nav
    from areo.edl.sixdof.sim import thrust_command

    p, model = _model("phoenix2008", _phoenix_gravity_turn)
    p = dict(p, pulse_period=0.1, min_on_time=0.05, min_throttle=0.0, k_vel=1.0)
    full = (p["n_thrusters"] - p["n_failed"]) * p["thrust_each"]
    m = np.full(2, p["m_entry"] - p["m_front_shield"] - p["m_backshell_chute"])  # the lander at separation
    rr = 3.39e6
    g = dyn.MU / rr**2
    # vertical descent at the profile speed plus x: command m (g + k x), set to 0.3 and 0.7 of a minimum bit
    bits = np.array([0.3, 0.7]) * full * 0.05 / 0.1
    excess = (bits / m - g) / p["k_vel"]
    v_ref = guidance.speed_reference(p, np.array([100.0, 100.0]), np)
    z = np.zeros(2)
    nav = Nav((z, z, z + rr), (z, z, -(v_ref + excess)), z + rr, z, z, z + 100.0, z, z > 1, z)
    engine = np.full(2, float(guidance.ENGINE_GT))
    thrust = thrust_command(p, model.sequence, engine, m, nav, np)
    assert thrust[0] == 0.0
    assert abs(thrust[1] - full * 0.05 / 0.1) < 1e-9 * full


@pytest.mark.parametrize(
    ("table", "expect"),
    [
        ({"attitude_control": "rate_limited", "max_rate_deg_s": -1.0}, r"edl\.sixdof\.lander\.max_rate_deg_s: .*gt 0"),
        ({"attitude_control": "pid"}, r"edl\.sixdof\.lander\.attitude_control: .*'ideal' or 'rate_limited'"),
    ],
)
def test_bad_controller_input_is_refused_in_one_line(table, expect):
    def change(edl):
        edl["sixdof"]["lander"] = table

    with pytest.raises(InputError, match=expect) as exc:
        _model("phoenix2008", change)
    assert "\n" not in str(exc.value)


def test_controller_fallbacks_are_the_schema_defaults():
    """A parameter set without the lander's keys (a bodies-only model built by hand) flies the ideal limit, and
    its fallback controller figures are the declared defaults of [edl.sixdof.lander]."""
    from areo.edl.schema_sixdof import LanderIn
    from areo.edl.sixdof.lander import DEFAULTS

    d = LanderIn()
    assert d.attitude_control == "ideal" and DEFAULTS["att_ctrl"] == 0.0
    assert (DEFAULTS["att_wn"], DEFAULTS["att_zeta"]) == (d.bandwidth_rad_s, d.damping_ratio)
    assert DEFAULTS["att_rate_max"] == pytest.approx(d.max_rate_deg_s * DEG, rel=1e-15)
    assert DEFAULTS["att_acc_max"] == pytest.approx(d.max_angular_accel_deg_s2 * DEG, rel=1e-15)
