"""The notebook API: `import areo` exposes the everyday names lazily; results show themselves as DataFrames
(datetime64[ns, UTC] time columns), plotly figures and HTML.

Authority for the values inside the frames: the skyfield pass list ``passes_yevpatoria_2016-10.json`` (Mars above
10 deg from Yevpatoria, October 2016); the rest checks the frames against the records they are made from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import areo
from areo.errors import MissingExtraError
from tests.conftest import AUTHORITIES
from tests.units import SECOND

REPO = Path(__file__).parents[1]
pd = pytest.importorskip("pandas", reason="pandas comes with the notebook extra")
UTC_NS = "datetime64[ns, UTC]"


def test_all_lists_exactly_the_public_names_and_each_resolves():
    public = sorted(n for n in dir(areo) if not n.startswith("_") or n == "__version__")
    expected = sorted({*areo.__all__})
    assert areo.__all__ == expected  # sorted, no duplicates
    assert set(expected) <= set(public)
    for name in areo.__all__:
        assert getattr(areo, name) is not None, name
    assert {"lambert", "porkchop", "launch_period", "propagate", "passes", "observables", "link_budget"} <= set(
        areo.__all__
    )
    assert {"coverage", "edl_simulate", "edl_monte_carlo", "replay", "load_scenario", "load_target"} <= set(
        areo.__all__
    )
    assert areo.edl.simulate_scenario is areo.edl_simulate  # subpackages load on access too
    with pytest.raises(AttributeError, match=r"no attribute .lamberd.; the public names are listed in areo\.__all__"):
        areo.lamberd  # noqa: B018


def test_import_areo_loads_no_heavy_dependency():
    code = "import sys, json, areo; print(json.dumps(sorted(m for m in ('jax', 'scipy', 'numpy', 'skyfield') if m in sys.modules)))"
    p = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == []


@pytest.fixture(scope="module")
def passes_oct():
    return areo.passes("rt70-yevpatoria", "mars", "2016-10-01", "2016-10-05", min_elevation_deg=10)


def test_pass_list_dataframe_has_utc_datetimes_matching_skyfield(passes_oct):
    oracle = json.loads((AUTHORITIES / "passes_yevpatoria_2016-10.json").read_text())["passes"]
    df = passes_oct.to_dataframe()
    assert list(df.columns) == ["station", "rise_utc", "culmination_utc", "set_utc", "max_elevation_deg"]
    for c in ("rise_utc", "culmination_utc", "set_utc"):
        assert str(df[c].dtype) == UTC_NS
    assert len(df) == 4
    for (_, row), ref in zip(df.iterrows(), oracle):
        for key in ("rise_utc", "set_utc"):
            assert abs((row[key] - pd.Timestamp(ref[key])).total_seconds()) < 1 * SECOND
    assert json.loads(json.dumps(passes_oct)) == list(passes_oct)  # still the plain JSON list


def test_pass_list_figure_and_html(passes_oct):
    pytest.importorskip("plotly")
    fig = passes_oct.figure()
    assert type(fig).__name__ == "Figure" and len(fig.data) == len(passes_oct)
    assert str(fig.data[0].x[0]).startswith(passes_oct[0]["rise_utc"][:19].replace("T", " "))
    html = passes_oct._repr_html_()
    assert html.startswith("<table><caption>passes: 4 rows</caption>") and passes_oct[0]["rise_utc"] in html


def test_observables_dataframe_and_figure():
    obs = areo.observables("dss-63", "mars", "2016-10-19T12:00Z", "2016-10-19T13:00Z", step_s=600.0)
    df = obs.to_dataframe()
    assert str(df["receive_utc"].dtype) == UTC_NS and len(df) == 7
    assert abs((df["receive_utc"][0] - pd.Timestamp("2016-10-19T12:00Z")).total_seconds()) < 1e-6 * SECOND
    assert (df["tdb_s"].diff().dropna() == 600.0).all()
    assert list(df["two_way_doppler_hz"]) == list(obs.two_way_doppler_hz)
    pytest.importorskip("plotly")
    assert obs.figure().data[0].name == "two_way_doppler_hz"
    assert "observables: 7 epochs" in obs._repr_html_()


def test_link_budget_and_coverage_frames():
    lb = areo.link_budget("dss-63", "x", "2016-10-19T14:42Z", pass_volume=False)
    df = lb.to_dataframe()
    assert str(df["at_utc"].dtype) == UTC_NS and df["at_utc"][0] == pd.Timestamp("2016-10-19T14:42Z")
    assert df["margin_db"][0] == lb["margin_db"] and "budget" not in df.columns
    assert list(lb.budget_dataframe()["line"]) == [r["line"] for r in lb["budget"]]
    assert "<table>" in lb._repr_html_()
    cov = areo.coverage(["estrack"], "2016-10-19", "2016-10-20", step_s=600.0)
    assert cov.to_dataframe()["network"].tolist() == ["estrack"]
    pytest.importorskip("plotly")
    assert type(lb.figure()).__name__ == "Figure"


def test_dataframes_without_pandas_name_the_extra(passes_oct, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"to_dataframe\(\) needs pandas: pip install 'areo\[notebook\]'"):
        passes_oct.to_dataframe()
