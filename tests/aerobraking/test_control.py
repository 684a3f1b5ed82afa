"""Corridor control invariants, Monte Carlo paths, bad input (API and CLI: one line, exit 2)."""

import numpy as np
import pytest
from typer.testing import CliRunner

from areo.aerobraking import load, plan_of, run_montecarlo, run_nominal
from areo.aerobraking.api import MonteCarloTask, parse
from areo.cli import app
from areo.errors import InputError
from areo.mission.scenario import resolve_scenario_path


@pytest.fixture(scope="module")
def vom():
    return load(resolve_scenario_path("venus-orbiter-isro"))


@pytest.fixture(scope="module")
def vom_nominal(vom):
    return run_nominal(vom[0])


def test_every_controlled_pass_is_inside_the_band(vom, vom_nominal):
    cfg = vom[0]
    lo, hi = cfg.corridor.dynamic_pressure_n_m2
    p = vom_nominal.passes
    q = p["dynamic_pressure_n_m2"]
    main, out = p["phase"] == 1, p["phase"] == 2
    assert main.sum() > 100 and out.sum() > 10
    assert np.all((q[main] >= lo * (1 - 1e-9)) & (q[main] <= hi * (1 + 1e-9)))
    f = cfg.walk_out.band_factor
    assert np.all((q[out] >= f * lo * (1 - 1e-9)) & (q[out] <= f * hi * (1 + 1e-9)))
    walk = p["phase"] == 0
    assert np.all(np.diff(p["periapsis_altitude_m"][walk]) <= 1.0)  # walk-in only lowers periapsis


def test_heat_rate_corridor_is_held(vom):
    doc = {"aerobraking": vom[0].model_dump(exclude_none=True)}
    c = doc["aerobraking"]["corridor"]
    c.pop("dynamic_pressure_n_m2")
    c.pop("max_dynamic_pressure_n_m2")
    c["heat_rate_w_m2"] = [5000.0, 8000.0]
    res = run_nominal(parse(doc))
    p = res.passes
    main = p["phase"] == 1
    assert np.all(
        (p["heat_rate_w_m2"][main] >= 5000.0 * (1 - 1e-9)) & (p["heat_rate_w_m2"][main] <= 8000.0 * (1 + 1e-9))
    )
    # free-molecular heat rate = q v at the same periapsis: the two peaks are tied by the periapsis speed
    ratio = p["heat_rate_w_m2"][main] / p["dynamic_pressure_n_m2"][main]
    assert np.all((ratio > 6_500.0) & (ratio < 10_500.0))  # m/s: periapsis speeds of these orbits


def test_replay_of_a_campaign_only_scenario_says_what_is_missing(tmp_path):
    r = CliRunner().invoke(app, ["replay", "magellan1993", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "areo aerobrake magellan1993" in r.output.replace("\n", " ")


def test_campaign_reaches_the_target_orbit(vom, vom_nominal):
    before, after = vom_nominal.orbits
    assert (before["periapsis_altitude_km"], before["apoapsis_altitude_km"]) == (500.0, 60000.0)
    assert after["periapsis_altitude_km"] == 200.0
    assert 500.0 < after["apoapsis_altitude_km"] <= 600.0
    assert vom_nominal.summary["status"] == "target orbit reached"
    days = vom_nominal.days
    assert [d["day"] for d in days] == sorted(d["day"] for d in days)
    assert sum(d["passes"] for d in days) == vom_nominal.summary["passes"]
    assert sum(d["abm_dv_m_s"] for d in days) <= vom_nominal.summary["abm_dv_m_s"] + 1e-6


def test_montecarlo_independent_of_chunking_and_spreads_with_sigma(vom, tmp_path):
    cfg = vom[0]
    d = cfg.dispersions
    task = MonteCarloTask(plan_of(cfg), d.bias_sigma, d.pass_sigma, seed=3)
    whole = task(0, 6)
    parts = [task(0, 2), task(2, 6)]
    for k in ("duration_s", "abm_dv_m_s", "passes"):
        assert np.array_equal(whole[k], np.concatenate([p[k] for p in parts]))
    res, stats = run_montecarlo(cfg, 6, seed=3, out_dir=tmp_path / "mc", chunk=4)
    assert np.array_equal(res["duration_s"], whole["duration_s"])
    assert stats["runs"] == 6
    assert np.std(whole["duration_s"]) > 0


_KILLED_CHILD = """
import os, signal, sys
from areo import campaign
from areo.aerobraking import load, run_montecarlo
from areo.mission.scenario import resolve_scenario_path

real, calls = campaign._Folder.write, [0]

def write(self, start, stop, result):
    calls[0] += 1
    if calls[0] == 2:  # the first chunk is on disk and recorded; die before the second is written
        os.kill(os.getpid(), signal.SIGKILL)
    real(self, start, stop, result)

campaign._Folder.write = write
run_montecarlo(load(resolve_scenario_path("venus-orbiter-isro"))[0], 6, seed=3, out_dir=sys.argv[1], chunk=2)
"""


def test_montecarlo_killed_mid_campaign_resumes_the_missing_chunks_only(vom, tmp_path, monkeypatch):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from areo.campaign import CampaignWarning

    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "mc"
    child = subprocess.run([sys.executable, "-c", _KILLED_CHILD, str(out)], env=env, capture_output=True, timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-500:]
    assert sorted(p.name for p in out.glob("chunk-*")) == ["chunk-000000000000-000000000002.parquet"]
    cfg = vom[0]
    d = cfg.dispersions
    whole = MonteCarloTask(plan_of(cfg), d.bias_sigma, d.pass_sigma, seed=3)(0, 6)
    calls = []
    real = MonteCarloTask.__call__
    monkeypatch.setattr(MonteCarloTask, "__call__", lambda self, a, b: (calls.append((a, b)), real(self, a, b))[1])
    with pytest.warns(CampaignWarning, match="stopped without releasing the folder"):
        res, _ = run_montecarlo(cfg, 6, seed=3, out_dir=out, chunk=2)
    assert calls == [(2, 4), (4, 6)]  # the chunk done before the kill is not flown again
    for k in ("duration_s", "abm_dv_m_s", "passes", "max_heat_rate_w_m2"):
        assert np.array_equal(res[k], whole[k]), k  # bit-identical to an uninterrupted run


def test_montecarlo_resumed_with_the_other_backend_is_refused_before_any_run(vom, tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "mc"
    run_montecarlo(vom[0], 2, seed=1, out_dir=out, chunk=1)  # numpy; JAX differs in the last bits
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError, match=r"holds a different campaign .*inputs changed: backend"):
        run_montecarlo(vom[0], 2, seed=1, out_dir=out, chunk=1, backend="jax")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_corridor_that_cannot_be_held_names_the_pass(vom):
    doc = {"aerobraking": vom[0].model_dump(exclude_none=True)}
    doc["aerobraking"]["corridor"]["max_dynamic_pressure_n_m2"] = 0.7
    with pytest.raises(InputError, match=r"cannot be held: pass \d+ \(day [\d.]+\) meets a peak dynamic pressure"):
        run_nominal(parse(doc))


def test_a_band_above_the_table_is_refused(vom):
    doc = {"aerobraking": vom[0].model_dump(exclude_none=True)}
    doc["aerobraking"]["corridor"]["dynamic_pressure_n_m2"] = [1e-9, 2e-9]
    with pytest.raises(InputError, match="above the venus-vira atmosphere table"):
        run_nominal(parse(doc))


BAD = [
    ({"initial_periapsis_altitude_km": -20.0}, "below the surface"),
    ({"corridor": {"periapsis_altitude_km": [-5.0, 10.0]}}, "below the surface"),
    ({"corridor": {"periapsis_altitude_km": [240.0, 260.0]}}, "outside the venus-vira atmosphere table"),
    ({"corridor": {"dynamic_pressure_n_m2": [0.5, 0.4]}}, "0 < low < high"),
    ({"corridor": {}}, "exactly one corridor band"),
    ({"atmosphere": "venus-gram"}, "unknown atmosphere table"),
    ({"corridor": {"dynamic_pressure_n_m2": [0.6, 0.9], "max_dynamic_pressure_n_m2": 0.7}}, "cannot be held: pass"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_cli_one_line_exit_2(vom, tmp_path, change, message):
    import tomllib

    text = vom[2].read_text()
    doc = tomllib.loads(text)
    ab = doc["aerobraking"]
    for k, v in change.items():
        ab[k] = v
    path = tmp_path / "bad.toml"
    path.write_text(_toml({"aerobraking": ab}))
    r = CliRunner().invoke(app, ["aerobrake", str(path)])
    assert r.exit_code == 2, r.output
    assert message in r.output.replace("\n", " ")
    assert "Traceback" not in r.output


def _toml(doc, prefix=""):
    lines, subs = [], []
    for k, v in doc.items():
        if isinstance(v, dict):
            subs.append((k, v))
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            continue
        elif isinstance(v, str):
            lines.append(f"{k} = {v!r}".replace("'", '"'))
        else:
            lines.append(f"{k} = {v!r}".replace("'", '"'))
    out = "\n".join(lines) + "\n"
    for k, v in subs:
        name = f"{prefix}{k}"
        out += f"\n[{name}]\n" + _toml(v, name + ".")
    return out


def test_cli_nominal_json(tmp_path):
    import json

    r = CliRunner().invoke(app, ["aerobrake", "magellan1993", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["orbits"][0]["apoapsis_altitude_km"] == 8460.0
    assert d["summary"]["status"] == "target orbit reached"
