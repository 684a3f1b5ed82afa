"""Scenario files: the shipped ones validate; bad ones fail with the file, line, key, value and what is allowed."""

from pathlib import Path

import pytest

from areo.errors import EphemerisRangeError, InputError
from areo.mission.replay import preflight
from areo.mission.scenario import load_scenario

SCEN = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios"
SHIPPED = ["exomars2016", "exomars2022", "exomars2028"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_validate(name):
    sc = load_scenario(name)
    preflight(sc)
    assert sc.mission.name.startswith("ExoMars")
    assert sc.landmarks, "each scenario marks its landing target"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_number_has_a_source_comment(name):
    """DEVELOPERS.md: every number in a scenario carries its source (a comment on the line, or a source key)."""
    text = (SCEN / f"{name}.toml").read_text()
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#") or "=" not in s:
            continue
        key, value = (p.strip() for p in s.split("=", 1))
        bare = value.split("#")[0].strip()
        is_number = bare.replace(".", "", 1).replace("-", "", 1).replace("e", "", 1).isdigit()
        if is_number:
            assert "#" in value, f"{name}.toml line {i}: {key} = {bare} has no source comment"


def _variant(tmp_path, name, old, new):
    text = (SCEN / f"{name}.toml").read_text()
    assert old in text, old
    p = tmp_path / "bad.toml"
    p.write_text(text.replace(old, new, 1))
    return str(p)


def test_unknown_key_names_file_line_and_key(tmp_path):
    path = _variant(tmp_path, "exomars2016", "dsm_dv_m_s =", "dsm_dvv_m_s =")
    with pytest.raises(InputError, match=r"bad\.toml, line \d+: unknown key 'cruise\.dsm_dvv_m_s'"):
        load_scenario(path)


def test_out_of_range_value_says_allowed(tmp_path):
    path = _variant(tmp_path, "exomars2016", "period_days = 4.2", "period_days = -4.2")
    with pytest.raises(InputError, match=r"cruise\.capture\.period_days = -4\.2: Input should be greater than 0\.05"):
        load_scenario(path)


def test_separation_after_entry_is_refused(tmp_path):
    path = _variant(
        tmp_path, "exomars2016", 'separation_utc = "2016-10-16T14:42:00Z"', 'separation_utc = "2016-10-20T14:42:00Z"'
    )
    with pytest.raises(InputError, match=r"must come after separation \(2016-10-20T14:42:00Z\)"):
        preflight(load_scenario(path))


def test_burn_longer_than_propellant_allows(tmp_path):
    # 2436 kg: the TGO propellant load ESA published (937 kg MMH + 1499 kg MON), scenario dry mass 1319 kg
    path = _variant(tmp_path, "exomars2016", "dsm_dv_m_s = 326.5", "dsm_dv_m_s = 4900.0")
    with pytest.raises(InputError, match=r"needs 3432 kg of propellant .* but the orbiter carries 2436 kg"):
        preflight(load_scenario(path))


def test_dates_outside_ephemeris(tmp_path):
    path = _variant(tmp_path, "exomars2016", 'utc = "2016-03-14T09:31:42Z"', 'utc = "2066-03-14T09:31:42Z"')
    with pytest.raises(EphemerisRangeError, match=r"launch\.utc 2066-03-14T09:31:42Z is outside the DE421"):
        preflight(load_scenario(path))


def test_missing_network(tmp_path):
    path = _variant(tmp_path, "exomars2016", 'networks = ["estrack", "dsn", "rt70"]', 'networks = ["estrack", "nasa"]')
    with pytest.raises(InputError, match=r"ground\.networks: unknown network or station 'nasa'"):
        preflight(load_scenario(path))


def test_edl_telemetry_station_is_checked_before_the_run(tmp_path):
    path = _variant(tmp_path, "exomars2016", 'station = "gmrt"', 'station = "gmrt-2"')
    with pytest.raises(InputError, match=r"line \d+: ground\.edl_telemetry\.station: .*'gmrt-2'"):
        preflight(load_scenario(path))
    path = _variant(tmp_path, "exomars2016", 'band = "uhf"', 'band = "q"')
    with pytest.raises(InputError, match=r"ground\.edl_telemetry\.band.*unknown band"):
        load_scenario(path)


def test_no_edl_telemetry_table_means_no_what_if():
    """The what-if is the scenario's choice: generic code names no station (the 2022 and 2028 plans ask for none)."""
    assert load_scenario("exomars2022").ground.edl_telemetry is None
    assert load_scenario("exomars2016").ground.edl_telemetry.station == "gmrt"


def test_unknown_scenario_lists_shipped():
    with pytest.raises(InputError, match=r"shipped scenario .*exomars2016, exomars2022, exomars2028"):
        load_scenario("exomars2099")
