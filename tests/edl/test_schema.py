"""The one schema (issue 10, item 1): every parameter the kernels read is declared once, with unit, meaning and
default; generic code carries no mission's numbers; faults say which scenario key they need."""

import re
import tomllib
from pathlib import Path

import pytest

import areo.edl as edl_pkg
from areo.edl import schema
from areo.edl.scenario import parse_edl
from areo.errors import InputError

from .conftest import SCENARIO

SRC = Path(edl_pkg.__file__).parent
DERIVED = {
    "radar_cos_cant",
    "radar_sin_cant",
    "sin_misalign",
    "osc_wd",
    "cos_bank",
    "sin_bank",
}  # precomputed by simulate.prepare


def declared() -> set[str]:
    # the phase table's parameters (thresholds, parachute stages) are compiled from the scenario's tables
    sc = parse_edl(tomllib.loads(SCENARIO.read_text()))
    names = set(schema.KERNEL_DEFAULTS) | set(sc.to_params())
    for model in schema.VEHICLE_TABLES.values():
        for f in model.model_fields.values():
            names |= set((f.json_schema_extra or {}).get("kernel", []))
    return names


def test_every_kernel_parameter_read_is_declared_in_the_schema():
    read = set()
    for mod in SRC.glob("*.py"):
        read |= set(re.findall(r'\bp\["(\w+)"\]', mod.read_text()))
    assert read, "no parameter reads found: the pattern no longer matches the kernels"
    assert read - DERIVED <= declared(), sorted(read - DERIVED - declared())


def test_every_scenario_key_has_unit_and_meaning_and_appears_in_the_reference():
    page = schema.reference_markdown()
    for table, model in schema.VEHICLE_TABLES.items():
        for name, f in model.model_fields.items():
            assert f.description, f"edl.{table}.{name} has no meaning"
            assert "unit" in (f.json_schema_extra or {}), f"edl.{table}.{name} has no unit"
            assert f"`edl.{table}.{name}`" in page


def test_no_mission_defaults_in_generic_code():
    # the 2016 entry epoch, the as-flown flag hold and the "fault removes 3" used to be generic defaults
    assert schema.Entry.model_fields["epoch_utc"].default is None
    assert schema.IMUIn.model_fields["as_flown_saturation_flag_hold_s"].default is None
    assert schema.ThrustersIn.model_fields["failed_in_thruster_failure"].default is None
    for mod in SRC.glob("*.py"):
        assert "2016-10-19" not in mod.read_text(), mod.name  # Schiaparelli's entry date lives in its scenario


@pytest.mark.parametrize(
    ("table", "key", "fault"),
    [
        ("imu", "as_flown_saturation_flag_hold_s", "imu-saturation"),
        ("thrusters", "failed_in_thruster_failure", "thruster-failure"),
    ],
)
def test_fault_without_its_scenario_key_is_refused_in_one_line(table, key, fault):
    d = tomllib.loads(SCENARIO.read_text())
    del d["edl"][table][key]
    sc = parse_edl(d)  # optional key: the scenario itself is valid
    with pytest.raises(InputError, match=rf"fault '{fault}' needs edl\.{table}\.{key}") as err:
        sc.to_params([fault])
    assert "\n" not in str(err.value)


def test_dispersion_map_is_derived_from_the_schema():
    from areo.edl.montecarlo import DISPERSION_MAP

    assert DISPERSION_MAP["entry_flight_path_angle_deg"][0] == "entry_fpa"
    assert set(DISPERSION_MAP) | {"density_perturbation"} == set(schema.Dispersions.model_fields)


def test_scenario_key_page_matches_the_schema():
    page = (SRC.parents[2] / "docs" / "edl_scenario_keys.md").read_text()
    assert page.endswith(schema.reference_markdown())
