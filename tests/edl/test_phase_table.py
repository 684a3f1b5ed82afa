"""The flight software as a phase table in the scenario (issue 10, item 1): validation before any run (one line
naming file, key, value and what is allowed), invented tables (two phases; three parachute stages) flown by the
numpy reference and the JAX kernel with identical events, persistence, and physics invariants of the new modes.

The invented tables reuse Schiaparelli's vehicle from the shipped scenario; their thresholds and parachute sizes
are test values, not a mission's (the three stages are shaped like ExoMars 2022's pilot, 15 m supersonic and
35 m subsonic canopies, sizes from ESA's descent-module description; the pilot's size and the drag coefficients
are assumed)."""

import copy
import math
import tomllib

import numpy as np
import pytest

from areo.edl.montecarlo import run_batch, sample_params
from areo.edl.scenario import load_edl_scenario, parse_edl
from areo.edl.simulate import CRASHED, LANDED, simulate_reference
from areo.errors import InputError
from tests.units import METRE, SECOND

from .conftest import SCENARIO

MARS_G = 3.71  # m/s^2, Mars surface gravity (NASA Mars fact sheet)


def shipped() -> dict:
    return tomllib.loads(SCENARIO.read_text())


def with_table(phases, parachutes) -> dict:
    d = shipped()
    d["edl"]["phases"] = copy.deepcopy(phases)
    d["edl"]["parachutes"] = copy.deepcopy(parachutes)
    return d


TWO_PHASE = [
    {"name": "entry", "exit": [{"quantity": "mach", "below": 1.5, "armed_above_peak_g": 2.0, "goto": "descent"}]},
    {"name": "descent", "event": "chute_out", "deploy_parachute": "main"},
]
ONE_CHUTE = [{"name": "main", "diameter_m": 12.0, "inflation_time_s": 1.0}]

THREE_STAGES = [
    {"name": "pilot", "diameter_m": 4.0, "drag_coefficient": 0.5, "inflation_time_s": 0.3},
    {"name": "supersonic", "diameter_m": 15.0, "inflation_time_s": 1.0},  # DGB table vs Mach
    {"name": "subsonic", "diameter_m": 35.0, "drag_coefficient": 0.6, "inflation_time_s": 2.0},
]
THREE_STAGE_PHASES = [
    {"name": "entry", "exit": [{"quantity": "mach", "below": 2.0, "armed_above_peak_g": 2.0, "goto": "pilot"}]},
    {
        "name": "pilot",
        "event": "pilot_fire",
        "deploy_parachute": "pilot",
        "exit": [{"quantity": "time", "above_s": 1.0, "goto": "supersonic"}],
    },
    {
        "name": "supersonic",
        "event": "main1_fire",
        "deploy_parachute": "supersonic",
        "exit": [{"quantity": "mach", "below": 0.8, "persist_s": 1.5, "goto": "subsonic"}],
    },
    {
        "name": "subsonic",
        "event": "main2_fire",
        "deploy_parachute": "subsonic",
        "jettison_heatshield": True,
        "exit": [{"quantity": "radar_altitude", "below_m": 1000.0, "armed_after": "main2_fire", "goto": "lander"}],
    },
    {
        "name": "lander",
        "event": "lander_off",
        "release_backshell": True,
        "attitude_hold": True,
        "engines": "throttle_law",
        "exit": [{"quantity": "altitude", "below_m": 20.0, "goto": "terminal"}],
    },
    {
        "name": "terminal",
        "event": "constant_velocity",
        "engines": "constant_velocity",
        "exit": [{"quantity": "altitude", "below_m": 2.0, "goto": "ground"}],
    },
    {"name": "ground", "event": "engines_cut", "engines": "off"},
]


def fly_both(sc, n=4, seed=3):
    """Dispersed runs through the JAX kernel and the numpy reference; asserts identical events."""
    model = sc.model()
    p = sample_params(sc.to_params([]), sc.dispersions.model_dump(), seed, 0, n)
    out = run_batch(p, model)
    refs = []
    for i in range(n):
        ref, _ = simulate_reference({k: float(v[i]) for k, v in p.items()}, model, history=False)
        assert out["status"][i] == ref["status"] and out["steps"][i] == ref["steps"]
        for e in model.events:
            a, b = out[f"{e}_t"][i], ref[f"{e}_t"]
            assert (math.isnan(a) and math.isnan(b)) or abs(a - b) < 1e-6 * SECOND, e
            a, b = out[f"{e}_h"][i], ref[f"{e}_h"]
            assert (math.isnan(a) and math.isnan(b)) or abs(a - b) < 1e-3 * METRE, e
        refs.append(ref)
    return model, refs


def test_two_phase_table_runs_identically_in_numpy_and_jax():
    sc = parse_edl(with_table(TWO_PHASE, ONE_CHUTE))
    model, refs = fly_both(sc)
    assert set(model.events) == {"entry", "chute_out", "main_inflated", "imu_saturation", "radar_lock", "touchdown"}
    for r in refs:
        # no retro-rockets: a 577 kg capsule under a 12 m canopy hits the ground at tens of m/s, with a parachute
        assert r["status"] == CRASHED and r["touchdown_speed"] > 20.0
        assert abs(r["chute_out_mach"] - 1.5) < 0.03  # fired on the navigated Mach (true Mach within a few %)
        assert abs(r["main_inflated_t"] - r["chute_out_t"] - 1.0 * SECOND) < 1e-6 * SECOND
        assert math.isnan(r["radar_lock_t"])  # no phase starts the radar


def test_three_parachute_stages_and_constant_velocity_descent():
    sc = parse_edl(with_table(THREE_STAGE_PHASES, THREE_STAGES))
    model, refs = fly_both(sc, n=3)
    nominal, _ = simulate_reference(sc.to_params([]), model, history=False)
    order = ["pilot_fire", "pilot_inflated", "main1_fire", "supersonic_inflated", "main2_fire", "subsonic_inflated"]
    order += ["radar_lock", "lander_off", "constant_velocity", "engines_cut", "touchdown"]
    for r in [*refs, nominal]:
        assert r["status"] == LANDED
        times = [r[f"{e}_t"] for e in order]
        assert times == sorted(times), dict(zip(order, times))
        assert abs(r["main1_fire_t"] - r["pilot_fire_t"] - 1.0 * SECOND) < 1e-6 * SECOND
    r = nominal
    # force balance under the 35 m main just before release: m g = 1/2 rho v^2 (Cd S)_main (the capsule adds
    # ~1 %); density from the NASA Glenn Mars model written out here (below 7 km: p = 0.699 exp(-0.00009 h) kPa,
    # T = -23.4 - 0.00222 h degC), altitude on the model's datum = AGL + site elevation (-1440 m)
    h = r["lander_off_h"] - 1440.0
    rho = 0.699 * math.exp(-0.00009 * h) / (0.1921 * (273.1 - 23.4 - 0.00222 * h))
    m = 577.0 - 80.0  # entry mass less the front shield (shipped scenario)
    v_t = math.sqrt(2.0 * m * MARS_G / (rho * 0.6 * math.pi * 35.0**2 / 4.0))
    assert abs(r["lander_off_v"] / v_t - 1.0) < 0.02
    # from 20 m a constant-velocity descent at software.constant_velocity_m_s (2.5 m/s default) to the 2 m
    # cut-off, then free fall: v^2 = v_c^2 + 2 g h (energy), within the throttle law's tracking error
    v_c = sc.software.constant_velocity_m_s
    assert abs(abs(r["touchdown_vertical_speed"]) - math.sqrt(v_c**2 + 2.0 * MARS_G * 2.0)) < 0.3


def _fly_two_phase(trigger):
    phases = copy.deepcopy(TWO_PHASE)
    phases[0]["exit"][0] = {**trigger, "armed_above_peak_g": 2.0, "goto": "descent"}
    sc = parse_edl(with_table(phases, ONE_CHUTE))
    r, h = simulate_reference(sc.to_params([]), sc.model(), history=True)
    return r, h, int(np.argmax(h["phase"] >= 1))  # history index of the cycle the trigger fired in


def test_speed_altitude_and_rising_dynamic_pressure_triggers_fire_at_their_thresholds():
    # the events record the true state, the triggers read the navigated one (inertial errors before radar lock)
    r, _, _ = _fly_two_phase({"quantity": "speed", "below_m_s": 600.0})
    assert abs(r["chute_out_v"] - 600.0) < 2.0
    r, h, i = _fly_two_phase({"quantity": "altitude", "below_m": 9000.0})
    assert -1.0 * METRE < h["altitude_est_m"][i] - 9000.0 <= 1e-6 * METRE  # crossing located on the estimate
    assert abs(r["chute_out_h"] - h["altitude_m"][i]) < 1e-6 * METRE
    # rising q: above 3000 Pa once armed (q is ~1.5 kPa at 2 g); density from the NASA Glenn model written out
    # (above 7 km: p = 0.699 exp(-0.00009 h) kPa, T = -31 - 0.000998 h degC), h = AGL + site elevation (-1440 m)
    r, _, _ = _fly_two_phase({"quantity": "dynamic_pressure", "above_pa": 3000.0})
    alt = r["chute_out_h"] - 1440.0
    rho = 0.699 * math.exp(-0.00009 * alt) / (0.1921 * (273.1 - 31.0 - 0.000998 * alt))
    assert abs(0.5 * rho * r["chute_out_v"] ** 2 / 3000.0 - 1.0) < 0.03


def test_persistence_delays_a_trigger_by_exactly_its_time():
    base = parse_edl(with_table(TWO_PHASE, ONE_CHUTE))
    slow_phases = copy.deepcopy(TWO_PHASE)
    slow_phases[0]["exit"][0]["persist_s"] = 2.0
    slow = parse_edl(with_table(slow_phases, ONE_CHUTE))
    r0, _ = simulate_reference(base.to_params([]), base.model(), history=False)
    r1, _ = simulate_reference(slow.to_params([]), slow.model(), history=False)
    assert abs(r1["chute_out_t"] - r0["chute_out_t"] - 2.0 * SECOND) < 1e-6 * SECOND


def test_schiaparelli_table_compiles_to_its_published_sequence(scenario, model):
    seq = model.seq
    assert seq.phases == ("entry", "parachute", "radar_descent", "separation_burn", "powered_descent", "on_ground")
    p = scenario.to_params([])
    # ESA 2016: mortar at Mach 2, front shield 40 s later, release at 1.2 km, ~3 s burn, cut-off at 2 m
    assert [p[f"fsw_value{k}"] for k in range(5)] == [2.0, 40.0, 1200.0, 3.0, 2.0]


# ---- validation: each mistake is refused before any run, in one line naming file, key, value, what is allowed


EXTRA_EXIT = '[[edl.phases.exit]]\nquantity = "time"\nabove_s = 1.0\ngoto = "parachute"\n\n[edl.dispersions]'
ORPHAN = '[[edl.phases]]\nname = "orphan"\nevent = "never"\n\n[edl.dispersions]'
EDITS = {  # name: (text in the shipped scenario, its replacement)
    "cycle": ("[edl.dispersions]", EXTRA_EXIT),  # on_ground -> parachute
    "unreachable": ("[edl.dispersions]", ORPHAN),
    "unknown_quantity": ('quantity = "mach"', 'quantity = "mach_number"'),
    "unknown_event": ('since = "parachute_deploy"', 'since = "mortar_fire"'),
    "unknown_arming_event": ("armed_above_peak_g = 2.0", 'armed_after = "blackout"'),
    "diameter": ("diameter_m = 12.0", "diameter_m = 0.0"),
    "unknown_goto": ('goto = "parachute"', 'goto = "chute"'),
    "unknown_stage": ('deploy_parachute = "parachute"', 'deploy_parachute = "drogue"'),
    "wrong_unit_key": ("below_m = 1200.0", "below = 1200.0"),
    "duplicate_event": ('event = "heatshield_jettison"', 'event = "touchdown"'),
}


def bad_file(tmp_path, name):
    old, new = EDITS[name]
    text = SCENARIO.read_text()
    assert old in text
    path = tmp_path / f"bad_{name}.toml"
    path.write_text(text.replace(old, new, 1))
    return path


BAD = [
    ("cycle", r"phases: the exits make a cycle parachute -> radar_descent -> .* -> on_ground -> parachute"),
    ("unreachable", r"phases\.6\.name = 'orphan' is unreachable from the first phase 'entry'"),
    ("unknown_quantity", r"edl\.phases\.0\.exit\.0\.quantity: Input should be 'mach', .*got 'mach_number'"),
    ("unknown_event", r"phases\.1\.exit\.0\.since = 'mortar_fire' is not an event; events: entry, .*"),
    ("unknown_arming_event", r"phases\.0\.exit\.0\.armed_after = 'blackout' is not an event; events: "),
    ("diameter", r"edl\.parachutes\.0\.diameter_m: Input should be greater than 0.*got 0\.0"),
    ("unknown_goto", r"phases\.0\.exit\.0\.goto = 'chute' is not a phase; phases: entry, parachute, "),
    ("unknown_stage", r"phases\.1\.deploy_parachute = 'drogue' is not a \[\[edl\.parachutes\]\] stage; stages: "),
    ("wrong_unit_key", r"quantity 'radar_altitude' takes exactly one of below_m / above_m .* got below"),
    ("duplicate_event", r"phases\.2\.event = 'touchdown' is already an event"),
]


@pytest.mark.parametrize("name,expect", BAD, ids=[n for n, _ in BAD])
def test_bad_tables_are_refused_in_one_line_naming_the_file(name, expect, tmp_path):
    with pytest.raises(InputError, match=rf"^bad_{name}\.toml: invalid scenario: .*" + expect) as info:
        load_edl_scenario(bad_file(tmp_path, name))
    assert "\n" not in str(info.value)


def test_cli_refuses_a_cycle_with_exit_code_2(tmp_path):
    from typer.testing import CliRunner

    from areo.cli import app

    r = CliRunner().invoke(app, ["edl", str(bad_file(tmp_path, "cycle"))])
    assert r.exit_code == 2 and "bad_cycle.toml" in r.output and "cycle" in r.output
    assert len(r.output.strip().splitlines()) == 1
