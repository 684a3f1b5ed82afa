"""`areo edl` end to end: timeline, JSON, plots, Monte Carlo with Parquet, and clear errors (exit code 2)."""

import json
import re

import pandas as pd
from typer.testing import CliRunner

from areo.cli import app

from .conftest import SCENARIO

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, ["edl", str(SCENARIO), *args])


def test_single_run_json_and_plots(tmp_path):
    r = invoke("--json", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["status"] == "landed"
    assert {"status", "events", "touchdown_speed_m_s", "landing_lat_deg", "landing_lon_deg"} <= set(d)
    assert set(d["events"][0]) == {"name", "label", "t_s", "altitude_m", "speed_m_s", "mach"}
    assert [e["name"] for e in d["events"]][:3] == ["entry", "parachute_deploy", "parachute_inflated"]
    assert (tmp_path / "edl_nominal.png").stat().st_size > 10_000
    html = (tmp_path / "edl_nominal.html").read_text()
    assert "<script" in html and not re.search(r"<script[^>]*src=", html)  # plotly.js embedded: works offline


def test_fault_reproduces_the_2016_chain(tmp_path):
    r = invoke("--fault", "imu-saturation", "--json", "--out", str(tmp_path))
    d = json.loads(r.stdout)
    assert d["status"] == "crashed"
    ev = {e["name"]: e for e in d["events"]}
    assert abs(ev["backshell_release"]["altitude_m"] - 3700) < 300  # ESA 2016-11-23: ~3.7 km
    assert abs(d["thruster_burn_s"] - 3.0) < 0.5
    assert abs(d["touchdown_speed_km_h"] - 540) < 54
    r2 = invoke("--case", "as-flown", "--json", "--out", str(tmp_path))
    assert json.loads(r2.stdout)["touchdown_speed_m_s"] == d["touchdown_speed_m_s"]


def test_timeline_table(tmp_path):
    r = invoke("--case", "as-flown", "--out", str(tmp_path))
    assert r.exit_code == 0
    assert "back-shell release" in r.stdout and "status: crashed" in r.stdout


def test_monte_carlo_writes_parquet_and_statistics(tmp_path):
    r = invoke("--runs", "8", "--seed", "3", "--json", "--out", str(tmp_path / "a"))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["runs"] == 8 and 0.0 <= d["success_rate_ci95"][0] <= d["success_rate"] <= d["success_rate_ci95"][1]
    assert set(d["landing_ellipse_99"]) >= {"major_axis_km", "minor_axis_km"}
    a = pd.read_parquet(tmp_path / "a" / "chunk-000000000000-000000000008.parquet")
    r = invoke("--runs", "8", "--seed", "3", "--chunk", "4", "--json", "--out", str(tmp_path / "b"))
    b = pd.concat([pd.read_parquet(p) for p in sorted((tmp_path / "b").glob("chunk-*.parquet"))], ignore_index=True)
    pd.testing.assert_frame_equal(a, b)


def test_bad_input_is_one_line_and_exit_code_2(tmp_path):
    r = invoke("--fault", "imu-sat")
    assert r.exit_code == 2 and "unknown fault 'imu-sat'" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["edl", str(tmp_path / "missing.toml")])
    assert r.exit_code == 2 and "not found" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.read_text().replace("diameter_m = 12.0", "diameter_m = 120.0"))
    r = runner.invoke(app, ["edl", str(bad)])
    assert r.exit_code == 2 and "edl.parachutes.0.diameter_m" in r.output and "60" in r.output
    r = invoke("--runs", "0")
    assert r.exit_code == 2 and "--runs must be >= 1" in r.output
    r = invoke("--runs", "10", "--chunk", "5")
    assert r.exit_code == 2 and "--chunk needs --out DIR" in r.output
    r = invoke("--scheduler", "tcp://127.0.0.1:8786")
    assert r.exit_code == 2 and "apply to Monte Carlo campaigns" in r.output


def test_a_campaign_whose_atmosphere_table_changed_is_refused_not_mixed(tmp_path):
    # the scenario names a CSV table beside it: editing that table between a kill and the rerun changes the runs
    import shutil

    from areo.edl.atmosphere import builtin_table_path

    text = SCENARIO.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith('model = "glenn"'))
    (tmp_path / "s.toml").write_text(text.replace(line, 'model = "table"\ntable = "atm.csv"'), encoding="utf-8")
    shutil.copy(builtin_table_path("mars_glenn_table"), tmp_path / "atm.csv")
    args = ["edl", str(tmp_path / "s.toml"), "--runs", "4", "--chunk", "2", "--json", "--out", str(tmp_path / "mc")]
    assert runner.invoke(app, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "mc").iterdir()}
    rows = [ln.split(",") for ln in (tmp_path / "atm.csv").read_text().splitlines()]
    for row in rows:
        if row[0] == "40000.0":
            row[3] = repr(float(row[3]) * 1.05)  # 5 % denser at 40 km, where the capsule decelerates
    (tmp_path / "atm.csv").write_text("\n".join(",".join(row) for row in rows) + "\n")
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "holds a different campaign" in r.stderr and "model_sha256" in r.stderr, r.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "mc").iterdir()} == before
