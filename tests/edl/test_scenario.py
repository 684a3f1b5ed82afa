"""Scenario files: the EDL tables validate, other top-level tables are ignored, bad input is explained."""

import tomllib

import pytest

from areo.edl.scenario import load_edl_scenario, parse_edl
from areo.errors import InputError

from .conftest import SCENARIO


def data():
    return tomllib.loads(SCENARIO.read_text())


def test_shipped_scenario_has_both_cases(scenario):
    assert set(scenario.cases) >= {"nominal", "as-flown"}
    assert scenario.faults_for("as-flown") == ["imu-saturation"]
    assert scenario.faults_for("nominal", ["radar-dropout"]) == ["radar-dropout"]


def test_other_top_level_tables_are_ignored():
    d = data()
    d["launch"] = {"window_opens_utc": "2016-03-14", "anything": 1}
    d["cruise"] = {"whatever": [1, 2]}
    d["ground"] = {"stations": ["x"]}
    assert parse_edl(d).parachutes[0].diameter_m == 12.0


def test_unknown_key_inside_edl_is_refused_by_name():
    d = data()
    d["edl"]["aeroshell"]["diamter_m"] = 2.4
    with pytest.raises(
        InputError, match=r"edl\.aeroshell\.diamter_m: unknown key 'diamter_m'; valid keys here: .*diameter_m"
    ):
        parse_edl(d)


@pytest.mark.parametrize(
    "table,key,value,expect",
    [
        (
            "aeroshell",
            "entry_mass_kg",
            -5.0,
            r"edl\.aeroshell\.entry_mass_kg: Input should be greater than 0.*got -5\.0",
        ),
        (
            "aeroshell",
            "diameter_m",
            80.0,
            r"edl\.aeroshell\.diameter_m: Input should be less than or equal to 15.*got 80\.0",
        ),
        ("entry", "speed_km_s", 0.0, r"edl\.entry\.speed_km_s: Input should be greater than 1.*got 0\.0"),
    ],
)
def test_out_of_range_values_name_the_field_and_range(table, key, value, expect):
    d = data()
    d["edl"][table][key] = value
    with pytest.raises(InputError, match=expect):
        parse_edl(d)


def test_missing_field_and_missing_table():
    d = data()
    del d["edl"]["thrusters"]["isp_s"]
    with pytest.raises(InputError, match=r"edl\.thrusters\.isp_s: missing required field"):
        parse_edl(d)
    with pytest.raises(InputError, match=r"no \[edl\] table"):
        parse_edl({"mission": {"name": "x"}})


def test_unknown_case_fault_and_model(scenario, tmp_path):
    with pytest.raises(InputError, match="unknown EDL case 'as-flow'; did you mean 'as-flown'"):
        scenario.faults_for("as-flow")
    with pytest.raises(InputError, match=r"unknown fault 'imu-sat'.*imu-saturation"):
        scenario.faults_for("nominal", ["imu-sat"])
    d = data()
    d["edl"]["atmosphere"]["model"] = "mcd"
    with pytest.raises(InputError, match=r"unknown atmosphere model 'mcd'.*glenn, table"):
        parse_edl(d).model()
    with pytest.raises(InputError, match="not found"):
        load_edl_scenario(tmp_path / "nope.toml")


def test_masses_must_add_up():
    d = data()
    d["edl"]["aeroshell"]["front_shield_mass_kg"] = 500.0
    with pytest.raises(InputError, match="must be below entry_mass_kg"):
        parse_edl(d).to_params()
