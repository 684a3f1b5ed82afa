"""The 6-DOF model's inputs as the ``[edl.sixdof]`` table of the main scenario: schema round trip, the reference
page, bad input (one line naming file, key, value and what is allowed) and the ``areo edl --dof 6`` command
(exit 0 with its table, exit 2 on bad input)."""

import math

import pytest
from typer.testing import CliRunner

from areo.errors import InputError

from .conftest import SCENARIO

TEXT = SCENARIO.read_text()
SIX_START, SIX_END = TEXT.index("[edl.sixdof.capsule]"), TEXT.index("[edl.cases.nominal]")
MACH = "mach                 = [0.0,   0.5,   0.8,   1.0,   1.2,   1.5,   2.0,   3.0,   5.0,   10.0,  25.0,  50.0]"
INERTIA = "[[190.0, 0.0, 1.5], [0.0, 150.0, 0.0], [1.5, 0.0, 150.0]]"
DRAG_MACH = "drag_mach = [0.0, 0.5, 0.9, 1.2, 1.5, 2.0, 2.5, 5.0]"

runner = CliRunner()


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
    """Parachute size, inflation time and the phase thresholds are read from [[edl.parachutes]] and
    [[edl.phases]], not declared twice."""
    from areo.edl.sixdof import load_6dof

    p, model = load_6dof([])
    stage = scenario.parachutes[0]
    assert p["area_chute"] == math.pi / 4.0 * stage.diameter_m**2 and p["t_inflation"] == stage.inflation_time_s
    assert (p["deploy_mach"], p["t_jettison"], p["release_alt"], p["sep_burn"], p["cutoff_alt"]) == (
        2.0,
        40.0,
        1200.0,
        3.0,
        2.0,
    )
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
        ("mass_kg = 15.0", "mass_kg = 15.0\nmas_kg = 1.0", r"edl\.sixdof\.parachute\.mas_kg: unknown key 'mas_kg'; valid keys here: .*mass_kg"),
    ],
)  # fmt: skip
def test_bad_input_names_file_key_value_and_what_is_allowed(tmp_path, old, new, message):
    from areo.edl.sixdof import load_6dof

    f = _write(tmp_path, old, new)
    with pytest.raises(InputError, match=message) as exc:
        load_6dof([], path=f)
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("bad.toml: ")


def test_scenario_without_sixdof_table_is_refused_with_what_to_add(tmp_path):
    from areo.edl.sixdof import load_6dof

    f = tmp_path / "plain.toml"
    f.write_text(TEXT[:SIX_START] + TEXT[SIX_END:])
    with pytest.raises(InputError, match=r"^plain\.toml: has no \[edl\.sixdof\] table.*add \[edl\.sixdof\.capsule\]"):
        load_6dof([], path=f)


def test_a_phase_table_the_six_dof_model_cannot_fly_is_refused(tmp_path):
    from areo.edl.sixdof import load_6dof

    f = tmp_path / "seq.toml"
    f.write_text(TEXT.replace("armed_above_peak_g = 2.0 ", "armed_above_peak_g = 3.0 "))
    with pytest.raises(InputError, match=r"armed_above_peak_g = 3 on the mortar trigger; the 6-DOF model flies"):
        load_6dof([], path=f)
