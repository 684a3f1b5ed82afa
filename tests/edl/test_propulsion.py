"""Propulsion families (issue 10, section 2): the gravity-turn engine mode, pulse-modulated engines and
engines with a throttle range, in the numpy reference, the JAX kernel and the scipy model.

Authorities: the closed-form constant thrust-to-weight gravity turn (Culler & Fried, "Universal gravity turn
trajectories", J. Appl. Phys. 28(6), 672-676, 1957; the same equations as Wallace 1958 and the textbook
point-mass form dv/dt = g (cos(beta) - n), v dbeta/dt = -g sin(beta) for a descent, beta from the downward
vertical, n the thrust-to-weight ratio), invariants (no horizontal speed: the gravity turn is the vertical
throttle law; a minimum throttle of 1 is full thrust; pulse-width modulation averages to the commanded
throttle within the minimum impulse bit), and the numpy/JAX/scipy agreement the other EDL tests use.

Test vehicles: the shipped ExoMars 2016 and Phoenix 2008 scenarios with the changes each test states. The
pulse period (0.1 s, 10 Hz) and minimum on-times (20 and 50 ms) are assumed values of hydrazine descent
engines, not Phoenix's published ones; nothing here is calibrated.
"""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from areo.edl import dynamics as dyn
from areo.edl import guidance
from areo.edl.montecarlo import run_batch, sample_params
from areo.edl.navigation import Nav
from areo.edl.scenario import parse_edl
from areo.edl.scipy_model import simulate_scipy
from areo.edl.simulate import LANDED, simulate_reference
from areo.errors import InputError
from tests.units import KM, MM_S, SECOND

from .conftest import SCENARIO

PHOENIX = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios" / "phoenix2008.toml"
M_S = 1.0


def _scenario(path, change=None):
    d = tomllib.loads(Path(path).read_text())
    if change is not None:
        change(d["edl"])
    return parse_edl(d)


def _powered_from_the_start(engines, cutoff_m=0.5):
    """A table whose engines start in the first cycle (a phase's actions are done on entering it) and are cut at
    ``cutoff_m`` above the ground (None: never)."""

    def change(edl):
        powered = {"name": "powered", "event": "engines_on", "engines": engines}
        edl["phases"] = [{"name": "coast", "exit": [{"quantity": "time", "above_s": 0.0, "goto": "powered"}]}, powered]
        if cutoff_m is not None:
            powered["exit"] = [{"quantity": "altitude", "below_m": cutoff_m, "goto": "ground"}]
            edl["phases"].append({"name": "ground", "event": "engines_off", "engines": "off"})

    return change


def _lander_state(p, altitude_m, speed_m_s, angle_from_vertical_rad, lat_rad):
    """``p`` flying the drag-free lander (the mass left at separation) from the given state, speed and angle
    relative to an inertial frame (at the pole: relative to the ground too), ground on the ellipsoid, perfect
    IMU."""
    return dict(
        p,
        m_entry=p["m_entry"] - p["m_front_shield"] - p["m_backshell_chute"],
        m_front_shield=0.0,
        m_backshell_chute=0.0,
        entry_alt=altitude_m,
        entry_lat=lat_rad,
        entry_lon=0.0,
        entry_speed=speed_m_s,
        entry_fpa=angle_from_vertical_rad - math.pi / 2,
        entry_azimuth=0.0,
        ground_elev=0.0,
        nav_ground_elev=0.0,
        cd_capsule_scale=0.0,
        lift_to_drag=0.0,
        gyro_arw=0.0,
        acc_vrw=0.0,
        radar_noise=0.0,
    )


def _horizontal_speed(r):
    return math.sqrt(max(r["touchdown_speed"] ** 2 - r["touchdown_vertical_speed"] ** 2, 0.0))


# ---- gravity turn ------------------------------------------------------------------------------------------------


def test_constant_thrust_to_weight_gravity_turn_follows_the_closed_form():
    """Thrust n m g opposite the velocity, no drag, constant mass: v(beta) = v0 [tan(beta/2) / tan(beta0/2)]^(n-1)
    cos^2(beta0/2) / cos^2(beta/2) (Culler & Fried 1957). The speed law saturates at full thrust throughout
    (speed gain 100 /s, profile ~0), so the thrust is the constant n m g; near the pole, where the frame's
    rotation neither moves the start state nor deflects the descent."""
    sc = _scenario(SCENARIO, _powered_from_the_start("gravity_turn", cutoff_m=None))
    p = sc.to_params([])
    n, v0, beta0, h0, lat = 2.0, 80.0, math.radians(60.0), 400.0, math.radians(90.0)
    pos, _ = dyn.state_from_entry(h0, lat, 0.0, v0, beta0 - math.pi / 2, 0.0)
    g = math.hypot(*dyn.gravity(*pos))  # true gravity at the start (J2 included; 0.02 % weaker at the ground)
    p = _lander_state(p, h0, v0, beta0, lat)
    # mass held (Isp huge); the law's command far above the available thrust; steps of 0.01 s (the direction is
    # held over a step, a 0.5 s hold alone moves the end speed by ~1 m/s)
    p.update(isp=1e12, n_thrusters=1.0, thrust_each=n * p["m_entry"] * g, k_vel=100.0, v_final=0.0, a_brake=1e-6)
    p.update(dt_scale=0.02)
    r, _ = simulate_reference(p, sc.model(), history=False)
    v, beta = r["touchdown_speed"], math.acos(r["touchdown_vertical_speed"] / r["touchdown_speed"])
    v_closed = v0 * (math.tan(beta / 2) / math.tan(beta0 / 2)) ** (n - 1) * math.cos(beta0 / 2) ** 2
    v_closed /= math.cos(beta / 2) ** 2
    assert math.degrees(beta0 - beta) > 30.0  # the velocity turned well towards the vertical (60 -> ~24 deg)
    assert abs(v - v_closed) < 0.1 * M_S


def test_gravity_turn_with_no_horizontal_speed_is_the_vertical_throttle_law():
    """At the pole, falling straight down (no horizontal speed, no Coriolis deflection), thrust opposite the
    velocity is thrust along the vertical lander axis and the gravity-turn law is the throttle law."""
    runs = {}
    for mode in ("gravity_turn", "throttle_law"):
        sc = _scenario(PHOENIX, _powered_from_the_start(mode))
        p = _lander_state(sc.to_params([]), 1000.0, 56.0, 0.0, math.radians(90.0))
        runs[mode], _ = simulate_reference(p, sc.model(), history=False)
    a, b = runs["gravity_turn"], runs["throttle_law"]
    assert a["status"] == b["status"] == LANDED
    assert abs(a["touchdown_t"] - b["touchdown_t"]) < 1e-3 * SECOND
    assert abs(a["touchdown_speed"] - b["touchdown_speed"]) < 1 * MM_S
    assert _horizontal_speed(a) < 1 * MM_S


def test_gravity_turn_kills_the_horizontal_speed_the_held_attitude_keeps():
    """From 1 km at 56 m/s, 45 deg from the vertical, at the pole: thrust opposite the velocity lands the Phoenix
    lander softly with almost no horizontal speed; thrust along the (vertical) lander axis keeps the 40 m/s."""
    runs = {}
    for mode in ("gravity_turn", "throttle_law"):
        sc = _scenario(PHOENIX, _powered_from_the_start(mode))
        p = _lander_state(sc.to_params([]), 1000.0, 56.0, math.radians(45.0), math.radians(90.0))
        runs[mode], _ = simulate_reference(p, sc.model(), history=False)
    gt, held = runs["gravity_turn"], runs["throttle_law"]
    assert gt["status"] == LANDED and gt["touchdown_speed"] < 4.0 * M_S
    assert _horizontal_speed(gt) < 0.5 * M_S
    assert abs(_horizontal_speed(held) - 56.0 * math.sin(math.radians(45.0))) < 0.1 * M_S  # no drag, no thrust across


# ---- engines: throttle range and pulse modulation -----------------------------------------------------------------


def _engine_params(**kw):
    return {"min_throttle": 0.0, "pulse_period": 0.0, "min_on_time": 0.0, **kw}


def test_pulse_modulation_averages_to_the_commanded_throttle_within_the_minimum_bit():
    full, period, tau = 3516.0, 0.1, 0.02  # 12 x 293 N, 10 Hz, 20 ms (assumed)
    u = np.linspace(0.0, 1.0, 2001)
    thrust = guidance.engine_thrust(u * full, full, _engine_params(pulse_period=period, min_on_time=tau), np)
    impulse, wanted = thrust * period, u * full * period  # N s over one pulse period
    assert np.all(np.abs(impulse - wanted) <= 0.5 * full * tau + 1e-9)  # within half the minimum impulse bit
    long = u * period >= tau
    assert np.all(np.abs(impulse[long] - wanted[long]) < 1e-9)  # pulses the valves can fire come out exact
    short = (u * period > 0.0) & (u * period < tau)
    assert set(np.unique(impulse[short]).round(9)) == {0.0, round(full * tau, 9)}  # short pulses: 0 or one bit


def test_throttle_range_clips_the_command():
    full = 1000.0
    cmd = np.array([-50.0, 0.0, 100.0, 399.0, 400.0, 750.0, 1000.0, 2500.0])
    thrust = guidance.engine_thrust(cmd, full, _engine_params(min_throttle=0.4), np)
    assert np.allclose(thrust, [400.0, 400.0, 400.0, 400.0, 400.0, 750.0, 1000.0, 1000.0], atol=1e-12)


def test_minimum_throttle_applies_to_the_throttled_modes_only():
    """A lander falling at 1 m/s, far below its profile: the laws ask for less than the minimum and get it;
    'full' stays full, 'off' stays off."""
    r = (dyn.RE + 100.0, 0.0, 0.0)
    nav = Nav(r, (-1.0, 0.0, 0.0), dyn.RE + 100.0, 0.0, 0.0, 100.0, 1.0, False, 0.0)
    p = {
        "n_thrusters": 4.0,
        "n_failed": 0.0,
        "thrust_each": 1000.0,
        "profile_alt": 0.0,
        "v_final": 2.0,
        "a_brake": 1.0,
        "k_term": 0.5,
        "k_vel": 7.0,
        "v_const": 2.5,
        "m_entry": 600.0,
        "m_front_shield": 0.0,
        "m_backshell_chute": 0.0,
        "propellant": 100.0,
        **_engine_params(min_throttle=0.6),
    }
    engine = np.arange(5.0)  # off, full, throttle_law, constant_velocity, gravity_turn
    thrust, _ = guidance.thrust_command(p, engine, 550.0, nav, dyn.RE + 100.0, np, frozenset(range(1, 5)))
    assert np.allclose(thrust, [0.0, 4000.0, 2400.0, 2400.0, 2400.0], atol=1e-9)


def test_minimum_throttle_of_one_flies_the_throttle_law_at_full_thrust():
    def table(engines, min_throttle):
        def change(edl):
            edl["phases"][3]["engines"] = engines
            edl["thrusters"]["min_throttle"] = min_throttle

        return change

    runs = []
    for engines, mt in (("full", 0.0), ("throttle_law", 1.0)):
        sc = _scenario(PHOENIX, table(engines, mt))
        runs.append(simulate_reference(sc.to_params([]), sc.model(), history=False)[0])
    a, b = runs
    assert abs(a["touchdown_t"] - b["touchdown_t"]) < 1e-6 * SECOND
    assert abs(a["touchdown_speed"] - b["touchdown_speed"]) < 1e-3 * MM_S


@pytest.mark.parametrize("min_on_time_s", [0.02, 0.05])
def test_pulsed_phoenix_lands_like_the_continuous_throttle(min_on_time_s):
    """Phoenix's descent with 10 Hz pulse-modulated engines: the touchdown speed within the speed one minimum
    impulse bit of all twelve engines gives the lander (F tau / m), the resolution of the pulsed control."""

    def pulsed(edl):
        edl["thrusters"].update(pulse_period_s=0.1, min_on_time_s=min_on_time_s)

    cont = _scenario(PHOENIX)
    puls = _scenario(PHOENIX, pulsed)
    a, _ = simulate_reference(cont.to_params([]), cont.model(), history=False)
    b, _ = simulate_reference(puls.to_params([]), puls.model(), history=False)
    assert a["status"] == b["status"] == LANDED
    bit_speed = cont.thrusters.count * cont.thrusters.thrust_each_n * min_on_time_s / b["final_mass"]
    assert abs(a["touchdown_speed"] - b["touchdown_speed"]) < bit_speed
    assert abs(a["touchdown_t"] - b["touchdown_t"]) < 2 * SECOND


# ---- one declaration, three models --------------------------------------------------------------------------------


def test_gravity_turn_pulsed_and_throttle_range_run_identically_in_numpy_and_jax():
    def change(edl):
        edl["phases"][3]["engines"] = "gravity_turn"
        edl["thrusters"].update(min_throttle=0.3, pulse_period_s=0.1, min_on_time_s=0.02)

    sc = _scenario(PHOENIX, change)
    model = sc.model()
    p = sample_params(sc.to_params([]), sc.dispersions.model_dump(), 5, 0, 3)
    out = run_batch(p, model)
    for i in range(3):
        ref, _ = simulate_reference({k: float(v[i]) for k, v in p.items()}, model, history=False)
        assert out["status"][i] == ref["status"] == LANDED and out["steps"][i] == ref["steps"]
        assert abs(out["touchdown_t"][i] - ref["touchdown_t"]) < 1e-6 * SECOND
        assert abs(out["touchdown_speed"][i] - ref["touchdown_speed"]) < 1e-3 * MM_S


def test_scipy_model_flies_the_same_throttle_range():
    """Schiaparelli with a 40 % minimum throttle: the independent solve_ivp model (perfect navigation) and the
    reference agree to the tolerances of the unchanged model (tests/edl/test_dynamics.py)."""
    sc = _scenario(SCENARIO, lambda edl: edl["thrusters"].update(min_throttle=0.4))
    model = sc.model()
    p = dict(sc.to_params([]), gyro_arw=0.0, acc_vrw=0.0, radar_noise=0.0)
    s = simulate_scipy(p, model)
    r, _ = simulate_reference(p, model, history=False)
    base, _ = simulate_reference(dict(p, min_throttle=0.0), model, history=False)
    assert abs(r["touchdown_t"] - s["touchdown_t"]) < 1 * SECOND
    assert abs(r["touchdown_speed"] - s["touchdown_speed"]) < 0.3 * M_S
    assert abs(r["final_mass"] - base["final_mass"]) > 0.1  # the minimum throttle did act (more propellant burnt)
    lat = s["landing_lat"]
    miss = math.hypot(r["landing_lat"] - lat, (r["landing_lon"] - s["landing_lon"]) * math.cos(lat)) * dyn.RE
    assert miss < 0.1 * KM


@pytest.mark.parametrize(
    ("key", "value", "expect"),
    [
        ("min_throttle", 1.5, r"min_throttle"),
        ("pulse_period_s", -0.1, r"pulse_period_s"),
        ("min_on_time_s", 0.2, r"min_on_time_s = 0\.2 needs a pulse_period_s"),
    ],
)
def test_bad_engine_keys_are_refused_in_one_line(key, value, expect):
    with pytest.raises(InputError, match=expect) as info:
        _scenario(PHOENIX, lambda edl: edl["thrusters"].update({key: value}))
    assert "\n" not in str(info.value)


def test_gravity_turn_is_an_engine_mode_of_the_phase_table():
    sc = _scenario(PHOENIX, lambda edl: edl["phases"][3].update(engines="gravity_turn"))
    assert sc.model().seq.act_engine[3] == 4
    with pytest.raises(InputError, match="gravity_turn"):
        _scenario(PHOENIX, lambda edl: edl["phases"][3].update(engines="gravity-turn"))
