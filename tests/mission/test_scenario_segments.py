"""Scenario keys for the cruise segments (coasts, manoeuvres, trims) and multi-revolution transfers, and their bad
input: one line naming file, key and fix, before any heavy work, nothing written.

ExoMars 2028's plan is checked against ESA's published constraints ([ESA-J], ESA "ExoMars journey" infographic,
2025-01): launch in the September or December 2028 window, a two-year journey that is not the fastest route,
landing in 2030.
"""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.errors import AreoError, InputError
from areo.mission.plan import cruise_plan
from areo.mission.replay import preflight
from areo.mission.scenario import load_scenario
from areo.time import utc_to_tdb_seconds

SCEN = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios"
DAY = 86400.0


def _variant(tmp_path, old, new, name="exomars2028"):
    text = (SCEN / f"{name}.toml").read_text()
    assert old in text, old
    p = tmp_path / "bad.toml"
    p.write_text(text.replace(old, new, 1))
    return str(p)


def test_exomars2028_is_a_two_year_one_revolution_transfer():
    """[ESA-J]: September 2028 window, two-year journey (not the fastest route), landing 2030."""
    sc = load_scenario("exomars2028")
    plan = cruise_plan(sc)
    assert (plan.transfer_revs, plan.transfer_branch) == (1, "short-period")
    assert sc.launch.utc.startswith("2028-09") and sc.cruise.arrival_utc.startswith("2030")
    tof_years = (plan.arrival_tdb_s - plan.launch_tdb_s) / (365.25 * DAY)
    assert 1.8 < tof_years < 2.5  # "a two-year journey"
    preflight(sc)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('transfer_branch = "short-period"', 'transfer_branch = "shortest"', "transfer_branch = 'shortest'"),
        ("transfer_revs = 1 ", "transfer_revs = 1.5 ", "transfer_revs = 1.5"),
        (
            "transfer_revs = 1 ",
            "transfer_revs = 3 ",
            r"no 3-revolution transfer \(short-period\) .* Nearest reachable from this launch: arrival 20\d\d-\d\d-\d\d "
            r"\(C3 [\d.]+ km2/s2",
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nsequence = ["launch", "tcm", "tcm", "tcm", "separation", "entry", "coast", '
            '"end"]\ncoasts = [{until = "periapsis:phobos"}]',
            "unknown central body 'phobos'",
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nsequence = ["launch", "maneuver", "tcm", "tcm", "tcm", "separation", '
            '"entry", "end"]\nmaneuvers = [{dv_m_s = [500.0, 0.0, 0.0], at = "2028-10-01T00:00:00Z"}]',
            r"impulsive manoeuvres \(500.0 m/s in all\) need more than the orbiter's propellant gives after the DSM "
            r"\(350.6 m/s",
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nmaneuvers = [{dv_m_s = [1.0, 0.0, 0.0], frame = "LVLH", at = '
            '"2028-10-01T00:00:00Z"}]',
            r"cruise\.maneuvers\.0\.frame = 'LVLH'",
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nsequence = ["launch", "tcm", "tcm", "tcm", "separation", "entry", "trim", '
            '"end"]\ntrims = [{apoapsis_altitude_km = 10000.0}]',
            "'trim' at position 7 comes before the orbit insertion",
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nsequence = ["launch", "coast", "tcm", "tcm", "tcm", "separation", "entry", '
            '"end"]\ncoasts = [{until = "2060-01-01T00:00:00Z"}]',
            r"bad\.toml, line \d+: cruise\.coasts 2060-01-01T00:00:00Z is outside the DE421 ephemeris",
        ),
    ],
)
def test_bad_segment_input_is_one_line_before_any_flight(tmp_path, old, new, message):
    """Each refused by load or preflight (no propagation: preflight flies nothing)."""
    path = _variant(tmp_path, old, new)
    with pytest.raises(AreoError, match=message) as err:
        preflight(load_scenario(path))
    assert "\n" not in str(err.value)


def test_the_350_m_s_budget_is_the_rocket_equation():
    """The carrier (1000 kg, 850 kg dry, Isp 220 s; scenario assumptions) gives 220 g0 ln(1000/850) = 350.6 m/s."""
    import math

    assert 220.0 * 9.80665 * math.log(1000.0 / 850.0) == pytest.approx(350.6, abs=0.05)


def test_replay_refuses_before_writing(tmp_path):
    """`areo replay` on an impossible sequence: exit 2, one line, no output folder."""
    path = _variant(
        tmp_path,
        "perigee_altitude_km = 200.0",
        'perigee_altitude_km = 200.0\nsequence = ["launch", "tcm", "tcm", "tcm", "separation", "entry", "trim", '
        '"end"]\ntrims = [{period_days = 1.0}]',
    )
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["replay", path, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "comes before the orbit insertion" in " ".join(r.stderr.split())
    assert "Traceback" not in r.output + r.stderr
    assert not out.exists()


def test_scenario_segments_reach_the_plan(tmp_path):
    path = _variant(
        tmp_path,
        "perigee_altitude_km = 200.0",
        'perigee_altitude_km = 200.0\nsequence = ["launch", "tcm", "coast", "maneuver", "tcm", "tcm", "separation", '
        '"entry", "end"]\ncoasts = [{until = "2029-06-01T00:00:00Z"}]\n'
        'maneuvers = [{dv_m_s = [0.0, 0.0, 2.0], frame = "RTN", at = "2029-07-01T00:00:00Z", body = "sun"}]',
    )
    plan = cruise_plan(load_scenario(path))
    (c,), (m,) = plan.coasts, plan.maneuvers
    assert c.until == pytest.approx(float(utc_to_tdb_seconds("2029-06-01T00:00:00Z")))
    assert (m.dv_m_s, m.frame, m.body) == ((0.0, 0.0, 2.0), "RTN", "sun")
    assert [s.kind for s in plan.segments()][2:4] == ["coast", "maneuver"]
    no_seq = _variant(
        tmp_path, "perigee_altitude_km = 200.0", 'perigee_altitude_km = 200.0\ncoasts = [{until = "periapsis:mars"}]'
    )
    with pytest.raises(InputError, match="the plan gives 1 coasts but the sequence flies 0 'coast' segments"):
        cruise_plan(load_scenario(no_seq))
