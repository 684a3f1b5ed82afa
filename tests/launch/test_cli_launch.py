"""`areo launcher`, `areo launchers` and `areo porkchop --launcher`: outputs and one-line errors (exit 2)."""

import json

from typer.testing import CliRunner

from areo.cli import app

runner = CliRunner()


def _one_line_error(r, *fragments):
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("InputError:"), r.stderr
    for f in fragments:
        assert f in lines[0], lines[0]
    assert "Traceback" not in r.output


def test_launcher_json():
    r = runner.invoke(app, ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--dla", "-50", "--payload-kg", "4332"])
    assert r.exit_code == 0 and "feasible with a margin" in r.stdout
    r = runner.invoke(
        app, ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--dla", "-50", "--payload-kg", "4332", "--json"]
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d) == {"launcher", "c3_km2_s2", "dla_deg", "capability_kg", "margin_kg", "feasible", "reason"}
    assert d["feasible"] is True and d["margin_kg"] > 0
    assert d["capability_kg"] - d["margin_kg"] == 4332


def test_payload_above_capability_says_by_how_much():
    r = runner.invoke(app, ["launcher", "soyuz-fg-fregat", "--c3", "8", "--payload-kg", "2000"])
    _one_line_error(r, "exceeds the capability of soyuz-fg-fregat", "by ")
    assert r.stdout == ""


def test_dla_outside_reach_gives_the_range():
    r = runner.invoke(app, ["launcher", "proton-m-breeze-m", "--c3", "10", "--dla", "-60"])
    _one_line_error(r, "DLA -60 deg", "-51.5..+51.5 deg")


def test_unknown_launcher_and_c3_out_of_table():
    _one_line_error(runner.invoke(app, ["launcher", "ariane-6", "--c3", "10"]), "Valid choices: proton-k-d-2")
    _one_line_error(runner.invoke(app, ["launcher", "proton-m-breeze-m", "--c3", "55"]), "(0..36 km^2/s^2)")


def test_launchers_lists_sources():
    r = runner.invoke(app, ["launchers", "--json"])
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert {x["name"] for x in rows} >= {"proton-m-breeze-m", "proton-m-dm-03", "proton-k-d-2", "soyuz-fg-fregat"}
    assert all(x["source"] for x in rows)
    r = runner.invoke(app, ["launchers"])
    assert r.exit_code == 0 and "ILS Proton Mission Planner" in r.stdout


PORK = ["porkchop", "earth", "mars", "--depart", "2016-03-05:2016-04-04", "--arrive", "2016-09-01:2016-12-31"]


def test_porkchop_with_launcher_writes_launch_period(tmp_path):
    out = tmp_path / "pc"
    args = [*PORK, "--grid", "31x40", "--launcher", "proton-m-breeze-m", "--payload-kg", "4332", "--reserve-kg", "400"]
    r = runner.invoke(app, [*args, "--period-arrive", "2016-10-19", "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text())
    lp = s["launch_period"]
    assert lp["first_utc"].startswith("2016-03-1") and lp["last_utc"].startswith("2016-03-2")
    assert lp["reserve_kg"] == 400
    day = lp["days"][0]
    assert {"utc", "c3_km2_s2", "dla_deg", "rla_deg", "capability_kg", "margin_kg"} <= set(day)
    assert len(lp["days"]) == 31
    assert (out / "porkchop.png").stat().st_size > 1000


def test_porkchop_launcher_needs_payload():
    r = runner.invoke(app, [*PORK, "--grid", "10", "--launcher", "proton-m-breeze-m"])
    _one_line_error(r, "--launcher and --payload-kg go together")
    _one_line_error(runner.invoke(app, [*PORK, "--launcher", "x", "--payload-kg", "1"]), "unknown launcher 'x'")


def test_launcher_from_a_user_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[launchers.my-rocket]\ntitle = "My rocket"\nsite = "baikonur"\nparking_inclinations_deg = [64.8]\n'
        'max_coast_min = 100.0\nc3_km2_s2 = [0.0, 10.0]\npayload_kg = [2000.0, 1000.0]\nsource = "test"\n'
    )
    r = runner.invoke(app, ["launcher", "my-rocket", "--file", str(f), "--c3", "5", "--dla", "-60", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["capability_kg"] == 1500.0 and d["feasible"]  # linear in the user's table; |DLA| 60 <= 64.8
