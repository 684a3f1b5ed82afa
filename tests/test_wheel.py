"""The wheel as users install it: built from a copy of the sources, installed with ``[all]`` into a fresh virtual
environment (packages from the configured index or pip's local cache), then run from an unrelated folder, where
only the package data inside the wheel can supply the shipped scenarios."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_FILES = ("pyproject.toml", "README.md", "LICENSE")


def _run(cmd, cwd, timeout=1500):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("AREO")}
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, (
        f"{' '.join(map(str, cmd))} -> exit {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
    )
    return p.stdout


def _install(tmp: Path) -> Path:
    """Build the wheel from a copy of the sources (nothing lands in the repository) and install it with ``[all]``
    into a fresh virtual environment; returns the environment's bin folder."""
    src = tmp / "src-copy"
    shutil.copytree(REPO / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for f in SHIPPED_FILES:
        shutil.copy2(REPO / f, src / f)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", src], cwd=tmp)
    (wheel,) = (tmp / "dist").glob("areo-*.whl")
    _run([sys.executable, "-m", "venv", tmp / "venv"], cwd=tmp)
    bin_dir = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", f"{wheel}[all]"], cwd=tmp)
    return bin_dir


PROBE = (
    "import areo, importlib.metadata as m, importlib.resources as r, json; d = m.distribution('areo');"
    "print(json.dumps({'file': areo.__file__, 'version': areo.__version__, 'dist': d.version,"
    " 'licence': [str(f) for f in d.files if 'LICENSE' in str(f)],"
    " 'typed': r.files('areo').joinpath('py.typed').is_file(),"
    " 'extras': sorted(d.metadata.get_all('Provides-Extra'))}))"
)


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_runs_from_another_folder(tmp_path):
    """One test (one install) so that parallel workers never build the environment twice."""
    bin_dir = _install(tmp_path)
    where = tmp_path / "elsewhere"
    where.mkdir()

    d = json.loads(_run([bin_dir / "python", "-c", PROBE], cwd=where))
    assert Path(d["file"]).is_relative_to(bin_dir.parent), d["file"]  # the installed copy, not the repository
    assert d["version"] == d["dist"] and d["licence"] and d["typed"]
    assert {"all", "campaign", "parquet", "report", "telemetry"} <= set(d["extras"])

    edl = json.loads(_run([bin_dir / "areo", "edl", "exomars2016", "--json"], cwd=where))
    assert edl["case"] == "nominal" and edl["status"] == "landed" and edl["plots"] == []
    assert {"events", "touchdown_speed_m_s", "landing_lat_deg", "landing_lon_deg"} <= set(edl)
    assert [e["name"] for e in edl["events"]][:2] == ["entry", "parachute_deploy"]
    assert list(where.iterdir()) == []  # a single run writes nothing unless --out is given

    out = _run([bin_dir / "areo", "replay", "exomars2016", "--runs", "20", "--out", "replay"], cwd=where)
    assert "wrote" in out and "report.html" in out
    timeline = json.loads((where / "replay" / "timeline.json").read_text())
    names = [e["name"] for e in timeline]
    assert names[0] == "launch" and "nominal: touchdown" in names and "capture" in names
    assert (where / "replay" / "report.html").stat().st_size > 100_000  # self-contained: plotly.js embedded
    assert sorted(p.name for p in where.iterdir()) == ["replay"]
