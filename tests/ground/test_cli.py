"""CLI of the ground segment: JSON contracts, the oracle through the command line, and errors (exit code 2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.time import utc_to_tdb_seconds
from tests.conftest import ORACLES
from tests.units import SECOND

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_passes_json_matches_oracle():
    o = json.loads((ORACLES / "passes_yevpatoria_2016-10.json").read_text())
    r = run(
        "passes",
        "--station",
        "rt70-yevpatoria",
        "--target",
        "mars",
        "--start",
        "2016-10-01",
        "--stop",
        "2016-10-31",
        "--min-elevation",
        "10",
        "--json",
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 30  # the oracle's 31st pass is on 31 October, after --stop
    assert set(rows[0]) == {"station", "rise_utc", "culmination_utc", "set_utc", "max_elevation_deg"}
    for row, ref in zip(rows, o["passes"]):
        assert row["station"] == "rt70-yevpatoria"
        assert abs(utc_to_tdb_seconds(row["rise_utc"]) - utc_to_tdb_seconds(ref["rise_utc"])) < 1 * SECOND
        assert abs(utc_to_tdb_seconds(row["set_utc"]) - utc_to_tdb_seconds(ref["set_utc"])) < 1 * SECOND


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["passes", "--station", "rt70-yevpatria", "--start", "2016-10-01", "--stop", "2016-10-02"],
            "unknown station 'rt70-yevpatria'; did you mean 'rt70-yevpatoria'",
        ),
        (
            [
                "passes",
                "--station",
                "dss-14",
                "--start",
                "2016-10-01",
                "--stop",
                "2016-10-02",
                "--min-elevation",
                "-95",
            ],
            "minimum elevation (--min-elevation) is -95.0 deg; it must lie between -90 and 90 degrees",
        ),
        (
            ["passes", "--station", "dss-14", "--start", "2016-10-05", "--stop", "2016-10-02"],
            "stop 2016-10-02T00:00:00Z is not after start 2016-10-05T00:00:00Z",
        ),
        (
            ["link", "--station", "gmrt", "--band", "x", "--at", "2016-10-19T14:42Z"],
            "station 'gmrt' has no 'x' band; it has: uhf",
        ),
        (
            ["coverage", "--network", "estrak", "--start", "2016-10-01", "--stop", "2016-10-02"],
            "unknown network or station 'estrak'; did you mean 'estrack'",
        ),
    ],
)
def test_bad_input_exit_code_2(args, message):
    r = run(*args)
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())


def test_stations_lists_every_station():
    r = run("stations", "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    ids = {s["id"] for s in d["stations"]}
    assert {"rt70-yevpatoria", "dss-63", "dsa-3", "gmrt"} <= ids
    assert "estrack" in d["networks"]
    r = run("stations")
    assert r.exit_code == 0 and "rt70-ussuriysk" in r.stdout


def test_coverage_side_by_side_and_critical_event():
    r = run(
        "coverage",
        "--network",
        "estrack",
        "--network",
        "estrack,dsn",
        "--network",
        "rt70",
        "--start",
        "2016-10-01",
        "--stop",
        "2016-10-02",
        "--step",
        "300",
        "--json",
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["network"] for x in rows] == ["estrack", "estrack,dsn", "rt70"]
    assert rows[1]["coverage_fraction"] >= rows[0]["coverage_fraction"]
    r = run("coverage", "--network", "all", "--at", "2016-10-19T14:42Z", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {"station", "elevation_deg", "visible", "margin_db"} <= set(rows[0])


def test_link_tracking_telemetry(tmp_path):
    r = run("link", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["visible"] and d["margin_db"] > 0 and "pass" in d
    out = tmp_path / "dss63.tdm"
    r = run(
        "tracking",
        "--station",
        "dss-63",
        "--start",
        "2016-10-19T12:00Z",
        "--stop",
        "2016-10-19T12:10Z",
        "--out",
        str(out),
    )
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("CCSDS_TDM_VERS = 2.0")
    r = run("telemetry", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--duration", "10", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["frames_sent"] > 0 and d["packets_lost"] == 0


def test_user_station_file_on_the_command_line(tmp_path):
    f = tmp_path / "club.toml"
    f.write_text(
        '[[station]]\nid = "club-dish"\nlat_deg = 48.0\nlon_deg = 11.0\nheight_m = 600.0\n'
        'diameter_m = 20.0\nmin_elevation_deg = 10.0\nsource = "our club"\n'
        '[station.bands.x]\nefficiency = 0.6\nsystem_noise_k = 60.0\nsource = "measured"\n'
    )
    r = run(
        "passes",
        "--station",
        "club-dish",
        "--start",
        "2016-10-01",
        "--stop",
        "2016-10-03",
        "--stations-file",
        str(f),
        "--json",
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 2 and all(x["max_elevation_deg"] > 10 for x in rows)


def test_dates_outside_de421_exit_2():
    r = run("passes", "--station", "dss-14", "--start", "2060-01-01", "--stop", "2060-01-02")
    assert r.exit_code == 2
    assert "outside the DE421 ephemeris" in " ".join(r.output.split())
