"""The command line: exit codes, one-line errors, outputs written (typer's CliRunner)."""

import json

import pytest
from typer.testing import CliRunner

from areo import __version__
from areo.cli import app

runner = CliRunner()
PORK = ["porkchop", "earth", "mars", "--depart", "2016-01-01:2016-06-30", "--arrive", "2016-08-01:2017-03-31"]


def test_help_and_version():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0 and "porkchop" in r.output
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and __version__ in r.output


def test_porkchop_json_and_files(tmp_path):
    out = tmp_path / "pc"
    r = runner.invoke(app, [*PORK, "--grid", "50", "--at", "2016-03-14/2016-10-19", "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["at"]["arrive_utc"] == "2016-10-19T00:00:00Z"
    assert abs(s["at"]["c3_km2_s2"] - 14.68) < 0.01
    for name in ("porkchop.png", "porkchop.html", "grid.parquet", "summary.json"):
        assert (out / name).stat().st_size > 1000 or name == "summary.json"
    html = (out / "porkchop.html").read_text()
    assert '<script src="http' not in html  # plotly.js embedded: works offline
    import pandas as pd

    grid = pd.read_parquet(out / "grid.parquet")
    assert len(grid) == 2500 and {"c3_km2_s2", "dla_deg", "transfer_type"} <= set(grid.columns)
    assert not list(tmp_path.glob(".*.tmp"))  # no staging folder left behind


def test_porkchop_table_output():
    r = runner.invoke(app, [*PORK, "--grid", "30"])
    assert r.exit_code == 0
    assert "optimum" in r.output and "C3 (km²/s²)" in r.output


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["porkchop", "earth", "vulcan", "--depart", "2016-01-01:2016-06-30", "--arrive", "2016-08-01:2017-03-31"],
            "unknown body 'vulcan'",
        ),
        ([*PORK[:4], "2016-06-30:2016-01-01", "--arrive", "2016-08-01:2017-03-31"], "ends before it starts"),
        ([*PORK, "--at", "2016-03-14/2016-01-14"], "must be positive"),
        ([*PORK, "--grid", "4000x4000"], "the limit is 9,000,000 cells"),
        (
            ["porkchop", "earth", "mars", "--depart", "2070-01-01:2070-06-30", "--arrive", "2070-08-01:2071-03-31"],
            "outside the DE421 ephemeris",
        ),
        ([*PORK[:4], "March 2016:2016-06-30", "--arrive", "2016-08-01:2017-03-31"], "expected a form like"),
    ],
)
def test_bad_input_one_line_exit_2(args, message):
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    err = " ".join(r.stderr.split())
    assert message in err
    assert "Traceback" not in r.output + r.stderr


def test_ephem_command_matches_library():
    """`areo ephem` rows equal the library states (km, km/s) and accept dates and ranges."""
    import numpy as np

    from areo.ephem import state_sun_icrf
    from areo.time import utc_to_tdb_seconds

    r = runner.invoke(app, ["ephem", "mars", "--at", "2016-10-01:2016-10-03", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [row["utc"] for row in rows] == ["2016-10-01T00:00:00Z", "2016-10-02T00:00:00Z", "2016-10-03T00:00:00Z"]
    pos, vel = state_sun_icrf("mars", utc_to_tdb_seconds("2016-10-02"))
    # range rows step in TDB; the UTC label of row 1 is 00:00:00 within ~0.1 ms (TDB-UTC drift): Mars moves < 1 m
    assert np.allclose([rows[1]["x_km"], rows[1]["y_km"], rows[1]["z_km"]], pos / 1e3, rtol=0, atol=1e-3)
    assert np.allclose([rows[1]["vx_km_s"], rows[1]["vy_km_s"], rows[1]["vz_km_s"]], vel / 1e3, atol=1e-9)
    r = runner.invoke(app, ["ephem", "mars", "--at", "2016-10-01", "--frame", "galactic"])
    assert r.exit_code == 2 and "unknown frame 'galactic'. Valid choices: ecliptic, icrf." in " ".join(r.stderr.split())
