"""Packaging as users install it: shipped scenarios by name, one version source, the licence, optional extras that
fail with one line naming the extra (exit 2, nothing written), and a core without any extra."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import areo
from areo import scenarios
from areo._extras import EXTRA_OF, require
from areo.cli import app
from areo.errors import InputError, MissingExtraError

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
runner = CliRunner()
SHIPPED = (
    "exomars2016, exomars2022, exomars2028, magellan1993, phobos2-1988, phoenix2008, spektr-rg2019, "
    "venus-express2005, venus-orbiter-isro"
)


def test_shipped_scenarios_are_package_data():
    assert scenarios.shipped() == [
        "exomars2016",
        "exomars2022",
        "exomars2028",
        "magellan1993",
        "phobos2-1988",
        "phoenix2008",
        "spektr-rg2019",
        "venus-express2005",
        "venus-orbiter-isro",
    ]
    for name in scenarios.shipped():
        p = scenarios.locate(name)
        assert p.name == f"{name}.toml" and p.is_file()
        assert p.parent == Path(areo.__file__).parent / "scenarios"  # inside the package, not the repository
    assert scenarios.locate("exomars2016.toml") == scenarios.locate("exomars2016")


def test_a_path_wins_over_a_name(tmp_path, monkeypatch):
    mine = tmp_path / "exomars2016"
    mine.write_text(scenarios.locate("exomars2016").read_text())
    monkeypatch.chdir(tmp_path)
    assert scenarios.locate("exomars2016") == Path("exomars2016")  # an existing file is taken as given
    assert scenarios.locate(mine) == mine


def test_unknown_names_list_the_shipped_ones(tmp_path):
    with pytest.raises(InputError) as e:
        scenarios.locate("exomars2061")
    assert str(e.value) == (
        "unknown scenario 'exomars2061' (did you mean 'exomars2016'?): not a file, nor a shipped scenario "
        f"({SHIPPED}); give one of those names or the path of a .toml file"
    )
    with pytest.raises(InputError, match=r"scenario file '.*nope\.toml' not found; .* \(exomars2016, exomars2022"):
        scenarios.locate(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "args",
    [
        ["edl", "exomars2099"],
        ["replay", "exomars2099", "--out", "out"],
        ["telemetry", "--station", "gmrt", "--at", "2016-10-19T14:42Z", "--edl", "exomars2099"],
    ],
)
def test_cli_unknown_scenario_one_line_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("InputError: unknown scenario 'exomars2099'")
    assert SHIPPED in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_edl_single_run_writes_nothing_without_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["edl", "exomars2016", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["status"] == "landed" and d["plots"] == []
    r = runner.invoke(app, ["edl", "exomars2016", "--case", "as-flown"])
    assert r.exit_code == 0 and "status: crashed" in r.stdout and "wrote" not in r.stdout
    assert list(tmp_path.iterdir()) == []


def _hide(monkeypatch, *modules):
    """Simulate an install without these modules: importing them (or a submodule) raises ImportError."""
    for m in list(sys.modules):
        if m.partition(".")[0] in modules:
            monkeypatch.delitem(sys.modules, m)
    for m in modules:
        monkeypatch.setitem(sys.modules, m, None)


def test_missing_extra_is_one_line_naming_the_extra(monkeypatch):
    _hide(monkeypatch, "plotly", "pyarrow", "distributed", "reedsolo")
    cases = {
        "plotly.graph_objects": "'report' extra (plotly is not installed): pip install 'areo[report]'",
        "pyarrow": "'parquet' extra (pyarrow is not installed): pip install 'areo[parquet]'",
        "distributed": "'campaign' extra (distributed is not installed): pip install 'areo[campaign]'",
        "reedsolo": "'telemetry' extra (reedsolo is not installed): pip install 'areo[telemetry]'",
    }
    for module, text in cases.items():
        with pytest.raises(MissingExtraError) as e:
            require(module, "this feature")
        assert str(e.value) == f"this feature needs the {text}"
        assert isinstance(e.value, InputError)


def test_missing_extra_on_the_cli_exits_2_and_writes_nothing(tmp_path, monkeypatch):
    _hide(monkeypatch, "plotly", "matplotlib")
    out = tmp_path / "plots"
    r = runner.invoke(app, ["edl", "exomars2016", "--out", str(out)])
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "MissingExtraError: writing EDL plots (--out) needs the 'report' extra (plotly is not installed): "
        "pip install 'areo[report]'"
    )
    assert not out.exists()
    _hide(monkeypatch, "pyarrow")
    r = runner.invoke(app, ["edl", "exomars2016", "--runs", "4", "--json", "--out", str(tmp_path / "mc")])
    assert r.exit_code == 2 and "pip install 'areo[parquet]'" in r.stderr
    assert not (tmp_path / "mc").exists()


def test_extras_declared_match_the_modules_they_provide():
    extras = PYPROJECT["project"]["optional-dependencies"]
    core = " ".join(PYPROJECT["project"]["dependencies"])
    for module, extra in EXTRA_OF.items():
        dist = "dask[distributed]" if module == "distributed" else module
        assert any(d.startswith(dist) for d in extras[extra]), (module, extra)
        assert dist not in core, f"{dist} must not be a core dependency"
    assert extras["all"] == ["areo[report,parquet,campaign,telemetry,spice,notebook]"]


CORE_ONLY = """
import json, sys
for m in {hidden!r}:
    sys.modules[m] = None
from typer.testing import CliRunner
import areo, areo.cli
r = CliRunner().invoke(areo.cli.app, ["edl", "exomars2016", "--runs", "16", "--json"])
print(json.dumps({{"code": r.exit_code, "out": r.stdout, "err": r.stderr,
                  "loaded": sorted(m for m in {hidden!r} if sys.modules.get(m) is not None)}}))
"""


def test_core_runs_without_any_extra(tmp_path):
    """`import areo`, the CLI and a Monte Carlo work when none of the extras' modules can be imported."""
    hidden = sorted(EXTRA_OF)
    env_path = str(REPO / "src")
    p = subprocess.run(
        [sys.executable, "-c", CORE_ONLY.format(hidden=hidden)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": env_path},
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    d = json.loads(p.stdout.strip().splitlines()[-1])
    assert d["code"] == 0, d["err"]
    mc = json.loads(d["out"])
    assert mc["runs"] == 16 and sum(mc["status_counts"].values()) == 16
    assert list(tmp_path.iterdir()) == []


def test_one_version_source():
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "areo.__version__"}
    r = runner.invoke(app, ["--version"])
    assert r.stdout.strip() == f"areo {areo.__version__}"


def test_licence_and_typing_marker_ship():
    text = (REPO / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text.splitlines()) > 190  # the whole text, not a stub
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert (Path(areo.__file__).parent / "py.typed").exists()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["areo"]
    citation = (REPO / "CITATION.cff").read_text()
    assert f'version: "{areo.__version__}"' in citation and "license: Apache-2.0" in citation
    assert "## [Unreleased]" in (REPO / "CHANGELOG.md").read_text()
    assert set(PYPROJECT["project"]["urls"]) >= {"Homepage", "Changelog", "Issues"}


def test_replay_without_extras_writes_the_data_files_and_names_the_extras(tmp_path, monkeypatch):
    from areo.mission.replay import replay

    _hide(monkeypatch, *EXTRA_OF)
    res = replay("exomars2016", tmp_path / "out", runs=0)
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "files.json",
        "summary.json",
        "timeline.csv",
        "timeline.json",
        "tracking.tdm",
        "trajectory-schiaparelli.oem",
        "trajectory-tgo.oem",
        "trajectory.czml",
    ]
    notes = " ".join(res.notes)
    for extra in ("report", "parquet", "telemetry", "spice"):
        assert f"pip install 'areo[{extra}]'" in notes
    assert json.loads((tmp_path / "out" / "timeline.json").read_text())[0]["name"] == "launch"
