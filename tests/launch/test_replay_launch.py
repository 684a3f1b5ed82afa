"""A scenario's [launch] names its launcher; the replay's summary.json carries `launcher` and `launch_period`."""

import json

import pytest

from areo.errors import InputError
from areo.mission.launcher import launcher_summary, scenario_payload_kg, write_launch_summary
from areo.mission.scenario import load_scenario
from areo.scenarios import locate
from areo.transfer.window import porkchop


def test_shipped_scenarios_name_their_launcher():
    assert load_scenario("exomars2016").launch.launcher == "proton-m-breeze-m"
    assert load_scenario("exomars2022").launch.launcher == "proton-m-breeze-m"
    # ESA TGO fact sheet: 3755 kg + Schiaparelli 577 kg = 4332 kg at launch
    assert scenario_payload_kg(load_scenario("exomars2016")) == 4332.0


def test_unknown_launcher_in_a_scenario_names_file_line_and_choices(tmp_path):
    text = locate("exomars2016").read_text().replace('launcher = "proton-m-breeze-m"', 'launcher = "protn"')
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InputError, match=r"bad\.toml, line \d+: launch\.launcher = 'protn': unknown launcher"):
        load_scenario(str(f))


@pytest.fixture(scope="module")
def exomars_launch():
    sc = load_scenario("exomars2016")
    pc = porkchop(
        "earth",
        "mars",
        sc.launch.window_depart,
        sc.launch.window_arrive,
        grid=20,
        at=f"{sc.launch.utc}/{sc.cruise.arrival_utc}",
    )
    return sc, launcher_summary(sc, pc)


def test_launcher_summary_of_exomars_2016(exomars_launch):
    _sc, d = exomars_launch
    lv = d["launcher"]
    assert {"name", "payload_kg", "capability_kg", "margin_kg"} <= set(lv)
    assert lv["name"] == "proton-m-breeze-m" and lv["feasible"] and lv["margin_kg"] > 0
    lp = d["launch_period"]
    assert {"first_utc", "last_utc", "days"} <= set(lp)
    assert lp["first_utc"][:10] == "2016-03-14"  # ESA's first day, 14 March 2016 (see test_published)


def test_summary_json_created_or_extended(tmp_path, exomars_launch):
    _sc, d = exomars_launch
    # no summary.json yet: written with the two keys
    assert write_launch_summary(d, tmp_path, tmp_path, []) == [str(tmp_path / "summary.json")]
    s = json.loads((tmp_path / "summary.json").read_text())
    assert set(s) == {"launcher", "launch_period"}
    (tmp_path / "summary.json").write_text(json.dumps({"other": 1}))
    assert write_launch_summary(d, tmp_path, tmp_path, [str(tmp_path / "summary.json")]) == []  # keeps its keys
    s = json.loads((tmp_path / "summary.json").read_text())
    assert set(s) == {"other", "launcher", "launch_period"}


def test_replay_porkchop_is_shaded_for_the_launcher():
    """The replay's launch stage keeps the launcher's shading of its porkchop (as `areo porkchop --launcher`
    draws it) and the report's porkchop figure carries it; the launch period in summary.json is the same one."""
    from areo.mission.replay import ReplayResult, stage_launch
    from areo.report.porkchop import porkchop_figure

    sc = load_scenario("exomars2016").model_copy(deep=True)
    sc.launch.window_grid = 24  # coarse grid: the wiring, not the resolution, is under test
    res = ReplayResult(scenario=sc)
    stage_launch(sc, res)
    pl = res.porkchop_launch
    assert pl is not None and pl.feasible_grid.shape == res.porkchop.grid.shape
    assert pl.feasible_grid.any() and not pl.feasible_grid.all()
    assert res.launch["launch_period"]["first_utc"] == pl.period.first_utc
    names = [t.name or "" for t in porkchop_figure(res.porkchop, pl).data]
    assert any(n.startswith("not flyable: Proton-M / Breeze-M, 4332 kg") for n in names)
