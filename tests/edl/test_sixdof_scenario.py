"""The 6-DOF model's inputs as the ``[edl.sixdof]`` table of the main scenario: schema round trip, the reference
page, bad input (one line naming file, key, value and what is allowed) and the ``areo edl --dof 6`` command
(exit 0 with its table, exit 2 on bad input)."""

import csv
import json
import math
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.errors import InputError
from tests.units import DEG, KM, SECOND

from .conftest import SCENARIO

TEXT = SCENARIO.read_text()
SIX_START, SIX_END = TEXT.index("[edl.sixdof.capsule]"), TEXT.index("[edl.cases.nominal]")
MACH = "mach                 = [0.0,   0.5,   0.8,   1.0,   1.2,   1.5,   2.0,   3.0,   5.0,   10.0,  25.0,  50.0]"
INERTIA = "[[190.0, 0.0, 1.5], [0.0, 150.0, 0.0], [1.5, 0.0, 150.0]]"
DRAG_MACH = "drag_mach = [0.0, 0.5, 0.9, 1.2, 1.5, 2.0, 2.5, 5.0]"


def _write(tmp_path, old, new, name="bad.toml"):
    assert old in TEXT[SIX_START:SIX_END] or old in TEXT
    f = tmp_path / name
    f.write_text(TEXT[:SIX_START] + TEXT[SIX_START:SIX_END].replace(old, new) + TEXT[SIX_END:])
    return f


def test_schema_round_trip_of_the_shipped_table(scenario):
    from areo.edl.schema_sixdof import SixDOFIn

    six = scenario.sixdof
    assert six is not None
    again = SixDOFIn.model_validate(six.model_dump())
    assert again == six
    # the numbers as written in the file reach the model unchanged
    assert six.capsule.inertia_kg_m2[0] == [190.0, 0.0, 1.5]
    assert six.riser.stiffness_n_m == 80_000.0 and six.parachute.trim_angle_deg == 5.2
    assert six.capsule.aero.mach[-1] == 50.0 and six.integration.steps_per_period == 20.0


def test_parameters_come_from_the_main_scenario_tables(scenario):
    """Parachute size, inflation time and the phase table are read from [[edl.parachutes]] and [[edl.phases]]
    (compiled once, for both kernels), not declared twice."""
    from areo.edl.sixdof import load_6dof

    p, model = load_6dof("exomars2016", [])
    stage = scenario.parachutes[0]
    assert p["area_chute"] == math.pi / 4.0 * stage.diameter_m**2 and p["t_inflation"] == stage.inflation_time_s
    assert model.seq.phases == tuple(ph.name for ph in scenario.phases)
    # mortar Mach, jettison delay, release altitude, separation burn, cut-off altitude, as written in the file
    assert [p[f"fsw_value{k}"] for k in range(5)] == [2.0, 40.0, 1200.0, 3.0, 2.0]
    assert p["fsw_arm_g0"] == 2.0 and p["chute_mass0"] == 15.0
    assert p["att_x"] == -1.0 and p["gyro_limit_1"] == math.radians(200.0)
    assert model.capsule_table["mach"][-1] == 50.0


def test_reference_page_lists_the_sixdof_tables():
    from areo.edl.schema import reference_markdown

    page = reference_markdown()
    for key in (
        "edl.sixdof.capsule.inertia_kg_m2",
        "edl.sixdof.capsule.aero.moment_slope_per_rad",
        "edl.sixdof.parachute.trim_angle_deg",
        "edl.sixdof.riser.stiffness_n_m",
        "edl.sixdof.wind.gust_m_s",
        "edl.sixdof.imu.gyro_limit_deg_s",
        "edl.sixdof.integration.riser_courant",
        "edl.sixdof.dispersions.wind_east_m_s",
    ):
        assert f"`{key}`" in page, key
    row = next(line for line in page.splitlines() if "`edl.sixdof.riser.stiffness_n_m`" in line)
    assert "N/m" in row and ">0.0" in row
    assert "calibrated" in next(line for line in page.splitlines() if "sixdof.parachute.trim_angle_deg" in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (INERTIA, "[[190.0, 0.0, 1.5], [0.0, -150.0, 0.0], [1.5, 0.0, 150.0]]",
         r"edl\.sixdof\.capsule: inertia_kg_m2 = .* is not positive definite \(eigenvalues -150"),
        (INERTIA, "[[190.0, 0.0, 1.5], [0.0, 150.0, 0.0], [1.5, 0.0, 15.0]]", r"inertia_kg_m2 = .*triangle inequality"),
        (INERTIA, "[[190.0, 0.0], [0.0, 150.0]]", r"inertia_kg_m2 = .* must be a symmetric 3x3 matrix"),
        ("stiffness_n_m = 80000.0", "stiffness_n_m = 0.0",
         r"edl\.sixdof\.riser\.stiffness_n_m: Input should be greater than 0, got 0\.0 \(valid: gt 0\.0\)"),
        ("stiffness_n_m = 80000.0", "stiffness_n_m = -5.0", r"edl\.sixdof\.riser\.stiffness_n_m: .* got -5\.0"),
        ("attach_behind_cm_m = 1.0", "attach_behind_cm_m = -0.2",
         r"edl\.sixdof\.riser\.attach_behind_cm_m: Input should be greater than 0, got -0\.2"),
        ("attach_behind_cm_m = 1.0", "attach_behind_cm_m = 0.0", r"edl\.sixdof\.riser\.attach_behind_cm_m: .* got 0\.0"),
        (MACH, MACH.replace("0.8,   1.0", "1.0,   0.8"),
         r"edl\.sixdof\.capsule\.aero: mach must increase strictly \(a monotonic Mach grid\): 0\.8 follows 1"),
        (DRAG_MACH, "drag_mach = [0.0, 0.5, 0.9, 1.2, 1.5, 1.5, 2.5, 5.0]",
         r"edl\.sixdof\.parachute: drag_mach must increase strictly .*: 1\.5 follows 1\.5"),
        (MACH, MACH.replace("[0.0,", "[0.3,"), r"edl\.sixdof\.capsule\.aero: mach = \[0\.3, \.\.\.\] must start at Mach 0"),
        ("axial                = [0.90,  ", "axial                = [", r"axial has 11 values for 12 Mach numbers"),
        (MACH, MACH.replace("25.0,  50.0", "15.0,  20.0"),
         r"bad\.toml: edl\.sixdof\.capsule\.aero\.mach covers Mach 0-20, but the flight spans Mach 0-3\d\.\d; extend"),
        (DRAG_MACH, "drag_mach = [0.0, 0.5, 0.9, 1.2, 1.5, 2.0, 2.1, 2.2]",
         r"bad\.toml: edl\.sixdof\.parachute\.drag_mach covers Mach 0-2\.2, but the flight spans Mach 0-2\.5"),
        ("gyro_limit_deg_s = [200.0, 200.0, 200.0]", "gyro_limit_deg_s = [200.0, 0.0, 200.0]",
         r"edl\.sixdof\.imu: gyro_limit_deg_s = \[200\.0, 0\.0, 200\.0\]: every axis range must be > 0"),
        ("gyro_limit_deg_s = [200.0, 200.0, 200.0]", "gyro_limit_deg_s = [200.0, 200.0]", r"give three values"),
        ("steps_per_period = 20 ", "steps_per_period = 0 ", r"edl\.sixdof\.integration\.steps_per_period: .* got 0"),
        ("damping_n_s_m = 400.0", "damping_n_s_m = 400.0\nunloading_damping_n_s_m = -1.0",
         r"edl\.sixdof\.riser\.unloading_damping_n_s_m: Input should be greater than or equal to 0, got -1\.0"),
        ("mass_kg = 15.0", "mass_kg = 15.0\nmas_kg = 1.0", r"edl\.sixdof\.parachute\.mas_kg: unknown key 'mas_kg'; valid keys here: .*mass_kg"),
    ],
)  # fmt: skip
def test_bad_input_names_file_key_value_and_what_is_allowed(tmp_path, old, new, message):
    from areo.edl.sixdof import load_6dof

    f = _write(tmp_path, old, new)
    with pytest.raises(InputError, match=message) as exc:
        load_6dof(f, [])
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("bad.toml: ")


def test_riser_unloading_damping_defaults_to_the_loading_damping(tmp_path):
    """Absent (every shipped scenario): a symmetric line, the unloading damping is ``damping_n_s_m``; given: that
    value (the hysteretic riser of docs/edl_6dof.md)."""
    from areo.edl.sixdof import load_6dof

    p, _ = load_6dof("exomars2016", [])
    assert p["riser_cu"] == p["riser_c"] == 400.0
    f = _write(tmp_path, "damping_n_s_m = 400.0", "damping_n_s_m = 400.0\nunloading_damping_n_s_m = 4324.0")
    p, _ = load_6dof(f, [])
    assert p["riser_c"] == 400.0 and p["riser_cu"] == 4324.0


def test_scenario_without_sixdof_table_is_refused_with_what_to_add(tmp_path):
    from areo.edl.sixdof import load_6dof

    f = tmp_path / "plain.toml"
    f.write_text(TEXT[:SIX_START] + TEXT[SIX_END:])
    with pytest.raises(InputError, match=r"^plain\.toml: has no \[edl\.sixdof\] table.*add \[edl\.sixdof\.capsule\]"):
        load_6dof(f, [])


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            'event = "heatshield_jettison"',
            'event = "heatshield_jettison"\nengines = "full"',
            r"phase 'radar_descent'\): engines = 'full' before any release",
        ),
        (
            "jettison_heatshield = true",
            "jettison_heatshield = true\nattitude_hold = true",
            r"phase 'radar_descent'\): attitude_hold before any release",
        ),
        (
            'name = "powered_descent"\n',
            'name = "powered_descent"\ndeploy_parachute = "parachute"\n',
            r"phase 'powered_descent'\): deploy_parachute after a release",
        ),
    ],
)
def test_a_phase_table_the_six_dof_model_cannot_fly_is_refused(tmp_path, old, new, message):
    from areo.edl.sixdof import load_6dof

    f = tmp_path / "seq.toml"
    assert old in TEXT
    f.write_text(TEXT.replace(old, new, 1))
    with pytest.raises(
        InputError, match=r"^seq\.toml: edl\.phases \(" + message + r".*the 6-DOF model flies parachute"
    ):
        load_6dof(f, [])


def test_monte_carlo_draws_the_shared_dispersions_as_the_three_dof_one(scenario):
    """Run i of seed s draws the same entry flight-path angle, density scale, ... as the 3-DOF Monte Carlo; the
    gyro errors independently per axis; the 6-DOF-only dispersions with their one-sigma spread; and leaves the
    3-DOF pitch-kick parameters alone."""
    from areo.edl import montecarlo as mc
    from areo.edl.sixdof import load_6dof
    from areo.edl.sixdof import montecarlo as mc6

    nominal, _ = load_6dof("exomars2016", [])
    sig, sig6 = scenario.dispersions.model_dump(), scenario.sixdof.dispersions.model_dump()
    n = 4000
    p6 = mc6.sample_params(nominal, sig, sig6, 7, 0, n)
    p3 = mc.sample_params(scenario.to_params([]), sig, 7, 0, n)
    for k in ("entry_fpa", "entry_speed", "rho_scale", "cd_chute_scale", "m_entry", "acc_bias", "noise_key"):
        assert np.array_equal(p6[k], p3[k]), k
    for k in ("chute_misalign", "om_deploy", "wind_scale", "ld_scale"):
        assert np.all(p6[k] == nominal[k]), k  # 3-DOF-only dispersions are not applied
    b = np.array([p6[f"gyro_bias_{i}"] for i in range(3)])
    assert abs(np.corrcoef(b)[0, 1]) < 0.1 and abs(b.std(axis=1) / math.radians(0.001) - 1.0).max() < 0.1
    # 3 deg and 5 m/s one-sigma (exomars2016.toml): sample spread of 4000 draws within 10 %
    assert abs(np.std(p6["entry_alpha"]) - 3.0 * DEG) < 0.3 * DEG
    assert abs(np.mean(p6["entry_alpha"]) - 3.0 * DEG) < 0.3 * DEG
    assert abs(np.std(p6["wind_e"]) - 5.0) < 0.5 and abs(np.std(p6["wind_n"]) - 5.0) < 0.5


runner = CliRunner()


def test_cli_six_dof_as_flown_prints_the_table_and_writes_results(tmp_path):
    """``areo edl exomars2016 --dof 6 --case as-flown``: the table, and the ESA figures (inquiry 2017, press
    release 2016-11-23: release at ~3.7 km, impact ~540 km/h, flag held ~1 s) within 5 %."""
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "6", "--case", "as-flown", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    for label in ("peak angular rate", "IMU saturation flag up", "back-shell release altitude", "touchdown speed"):
        assert label in r.stdout
    assert "status: crashed 1" in r.stdout and "undispersed" in r.stdout
    d = json.loads((tmp_path / "edl6_summary.json").read_text())
    assert d["dof"] == 6 and d["runs"] == 1 and d["faults"] == ["imu-saturation"]
    st = d["stats"]
    assert abs(st["release_altitude_m"]["median"] - 3.7 * KM) < 0.05 * 3.7 * KM
    assert abs(st["touchdown_speed_m_s"]["median"] - 540 / 3.6) < 0.05 * 540 / 3.6
    assert abs(st["saturation_flag_up_s"]["median"] - 1.0 * SECOND) < 0.1 * SECOND
    assert st["peak_rate_deg_s"]["median"] > 200.0  # above the gyro range (calibrated, 200 deg/s)
    rows = list(csv.DictReader((tmp_path / "edl6_runs.csv").read_text().splitlines()))
    assert len(rows) == 1 and rows[0]["status_name"] == "crashed"
    assert float(rows[0]["release_altitude_m"]) == st["release_altitude_m"]["median"]
    assert not list(tmp_path.glob("*.tmp*"))  # atomic writes leave no temporary file


def test_cli_six_dof_monte_carlo(tmp_path):
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "6", "--runs", "4", "--seed", "3", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["runs"] == 4 and d["seed"] == 3 and sum(d["status_counts"].values()) == 4
    assert "sixdof.entry_angle_of_attack_deg" in d["dispersions"] and "misalignment_deg" not in d["dispersions"]
    s = d["stats"]["peak_rate_deg_s"]
    assert s["runs"] == 4 and s["min"] <= s["median"] <= s["max"]


def test_cli_six_dof_bad_input_exits_2_with_one_line(tmp_path):
    plain = tmp_path / "plain.toml"
    plain.write_text(TEXT[:SIX_START] + TEXT[SIX_END:])
    r = runner.invoke(app, ["edl", str(plain), "--dof", "6"])
    assert r.exit_code == 2 and "plain.toml: has no [edl.sixdof] table" in r.output and "Traceback" not in r.output
    assert "add [edl.sixdof.capsule]" in r.output
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "5"])
    assert r.exit_code == 2 and "--dof must be 3 or 6, got 5" in r.output
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "6", "--runs", "4", "--chunk", "2"])
    assert r.exit_code == 2 and "--chunk needs --out DIR" in r.output
    bad = _write(tmp_path, "stiffness_n_m = 80000.0", "stiffness_n_m = 0.0")
    r = runner.invoke(app, ["edl", str(bad), "--dof", "6"])
    assert r.exit_code == 2 and "bad.toml: invalid scenario: edl.sixdof.riser.stiffness_n_m" in r.output


# Issue 11 audit (s22): inputs the schema let through before, each flying to a "non-finite state" status, to a
# numerical blow-up reported as a physical status, or to a traceback. Each is now refused by the range declared
# with the key, before any flight. (old text, new text, the one-line message expected)
AXIAL = "axial                = [0.90,  "
DRAG = "drag      = [0.62, 0.62, 0.60, 0.55, 0.52, 0.48, 0.45, 0.42]"
CHUTE_CN = "normal_slope_per_rad = 0.3         # assumed: slope"
AUDIT_CASES = [
    (AXIAL, "axial                = [1e300,  ", r"edl\.sixdof\.capsule\.aero\.axial\.0: Input should be less than or equal to 5"),
    (AXIAL, "axial                = [-1.0,  ", r"edl\.sixdof\.capsule\.aero\.axial\.0: Input should be greater than 0"),
    (AXIAL, "axial                = [nan,  ", r"aero\.axial\.0: Input should be a finite number, got nan \(valid: gt 0\.0, le 5\.0\)"),
    ("pitch_damping        = [0.10,", "pitch_damping        = [1e300,", r"aero\.pitch_damping\.0: .* less than or equal to 10"),
    ("moment_slope_per_rad = [-0.06,", "moment_slope_per_rad = [-1e300,", r"aero\.moment_slope_per_rad\.0: .* -10"),
    (MACH, MACH.replace("50.0]", "1e300]"), r"aero\.mach\.11: Input should be less than or equal to 100"),
    (DRAG, DRAG.replace("[0.62,", "[-1.0,"), r"edl\.sixdof\.parachute\.drag\.0: Input should be greater than 0, got -1\.0"),
    (DRAG, DRAG.replace("[0.62,", "[1e300,"), r"edl\.sixdof\.parachute\.drag\.0: Input should be less than or equal to 5"),
    (CHUTE_CN, "normal_slope_per_rad = 0.0 #", r"edl\.sixdof\.parachute\.normal_slope_per_rad: Input should be greater than 0"),
    (CHUTE_CN, "#", r"edl\.sixdof\.parachute\.normal_slope_per_rad: missing required field"),
    (INERTIA, "[[1e300, 0.0, 0.0], [0.0, 1e300, 0.0], [0.0, 0.0, 1e300]]",
     r"inertia_kg_m2 = .*: principal moments 1e\+300, .* lie outside 0\.001 to 1e\+08 kg m\^2"),
    (INERTIA, "[[1e-300, 0.0, 0.0], [0.0, 1e-300, 0.0], [0.0, 0.0, 1e-300]]", r"inertia_kg_m2 = .* lie outside 0\.001 to"),
    ("steps_per_period = 20 ", "steps_per_period = 2.5 ",
     r"edl\.sixdof\.integration\.steps_per_period: Input should be greater than or equal to 4, got 2\.5"),
    ("snatch_steps_per_period = 45 ", "snatch_steps_per_period = 2.5 ", r"snatch_steps_per_period: .* or equal to 4"),
    ("max_step_s = 1.0", "max_step_s = 0.0005",
     r"edl\.sixdof\.integration: min_step_s = 0\.001 s exceeds max_step_s = 0\.0005 s; .*lower min_step_s or raise"),
    ("stiffness_n_m = 80000.0", "stiffness_n_m = nan",
     r"riser\.stiffness_n_m: Input should be a finite number, got nan \(valid: gt 0\.0, le 1000000000\.0\)"),
    ("stiffness_n_m = 80000.0", 'stiffness_n_m = "stiff"', r"riser\.stiffness_n_m: .* got 'stiff' \(valid: gt 0\.0"),
    ("rest_length_m = 20.0", "rest_length_m = 20.0\nrest_length_m = 21.0",
     r"not valid TOML: .*; key 'rest_length_m' is given twice in the same table: keep one"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "message"), AUDIT_CASES, ids=[c[2][:40] for c in AUDIT_CASES])
def test_audit_bad_values_are_refused_by_their_declared_range(tmp_path, old, new, message):
    from areo.edl.sixdof import load_6dof

    f = _write(tmp_path, old, new)
    with pytest.raises(InputError, match=message) as exc:
        load_6dof(f, [])
    assert "\n" not in str(exc.value) and str(exc.value).startswith("bad.toml: ")


@pytest.fixture
def no_flight(monkeypatch):
    """Any flight fails the test: the input must be refused before one starts (nothing compiled or flown)."""

    def flown(*_a, **_k):
        raise AssertionError("a flight started: the input was accepted")

    for target in ("make_batch_kernel", "_blocks_in_workers", "_campaign"):
        monkeypatch.setattr(f"areo.edl.sixdof.api.{target}", flown)


@pytest.mark.parametrize(("old", "new", "message"), AUDIT_CASES, ids=[c[2][:40] for c in AUDIT_CASES])
def test_cli_audit_bad_values_exit_2_naming_the_key(tmp_path, no_flight, old, new, message):
    f = _write(tmp_path, old, new)
    r = runner.invoke(app, ["edl", str(f), "--dof", "6"])
    text = " ".join(r.output.split())  # the console may wrap a long line
    assert r.exit_code == 2 and "Traceback" not in r.output and "bad.toml: " in text
    assert re.search(message, text), text
    key = next(k for k in ("axial", "pitch_damping", "moment_slope", "mach", "drag", "normal_slope_per_rad",
                           "inertia_kg_m2", "snatch_steps_per_period", "steps_per_period", "min_step_s",
                           "stiffness_n_m", "rest_length_m") if k in message.replace("\\", ""))  # fmt: skip
    assert key in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"runs": 2.5}, r"^--runs must be an integer, got 2\.5 \(float\)"),
        ({"runs": "8"}, r"^--runs must be an integer, got '8' \(str\)"),
        ({"runs": True}, r"^--runs must be an integer, got True \(bool\)"),
        ({"runs": 10**12}, r"^--runs must be at most 1,000,000, got 1,000,000,000,000: without --out"),
        ({"runs": 10**12, "out_dir": "OUT"}, r"^--runs must be at most 10,000,000"),
        ({"runs": 8, "seed": 1.5}, r"^--seed must be an integer, got 1\.5"),
        ({"runs": 8, "seed": 2**70}, r"^--seed must be an integer from 0 to 2\*\*63 - 1"),
        ({"runs": 8, "seed": "1"}, r"^--seed must be an integer, got '1'"),
        ({"runs": 8, "chunk": "4", "out_dir": "OUT"}, r"^--chunk must be an integer"),
        ({"runs": 8, "chunk": 10**12, "out_dir": "OUT"}, r"^--chunk must be from 1 to 10,000,000 runs"),
        ({"faults": "imu-saturation"}, r"^faults must be a list of fault names, e\.g\. \['imu-saturation'\]"),
        ({"faults": 3}, r"^faults must be a list of fault names"),
        ({"case": 3}, r"^case must be a case name from \[edl\.cases\.NAME\] or None"),
        ({"case": " "}, r"^case must be a case name"),
        ({"path": 3}, r"^path must be a scenario name or a file path \(str or Path\), got int"),
        ({"pendulum": "yes"}, r"^pendulum must be True or False, got 'yes'"),
        (
            {"runs": 8, "out_dir": "OUT", "progress": "x"},
            r"^progress must be a function progress\(done, runs\) or None",
        ),
    ],
)
def test_run_scenario_refuses_wrong_types_and_sizes_before_any_flight(tmp_path, no_flight, kwargs, message):
    from areo.edl.sixdof import run_scenario

    kw = {"path": "exomars2016", **kwargs}
    if kw.get("out_dir") == "OUT":
        kw["out_dir"] = tmp_path / "out"
    with pytest.raises(InputError, match=message) as exc:
        run_scenario(**kw)
    assert "\n" not in str(exc.value)
    assert not (tmp_path / "out").exists()
