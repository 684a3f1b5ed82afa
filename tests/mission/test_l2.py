"""The L2 replay of scenarios/spektr-rg2019.toml (shortened: 60 days in the halo, 2 days of coverage) against
Spektr-RG's published figures, and its bad-input paths (one line, exit 2)."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.mission.replay import replay
from areo.scenarios import locate
from areo.time import utc_to_tdb_seconds
from tests.units import DAY

SCENARIO = locate("spektr-rg2019")


def _short(tmp_path: Path, **halo) -> Path:
    text = SCENARIO.read_text(encoding="utf-8")
    text = re.sub(r"^halo_days = .*$", "halo_days = 60.0", text, flags=re.M)
    text = re.sub(r"^coverage_days = .*$", "coverage_days = 2.0", text, flags=re.M)
    for k, v in halo.items():
        text = re.sub(rf"^{k} = .*$", f"{k} = {v}", text, flags=re.M)
    p = tmp_path / "srg.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("srg")
    replay(str(_short(tmp)), tmp / "out")
    return json.loads((tmp / "out" / "summary.json").read_text())


def test_summary_halo_contract(summary):
    (h,) = summary["halo"]
    assert set(h) == {"vehicle", "libration_point", "arrival_utc", "period_d", "amplitude_y_km", "amplitude_z_km"}
    assert h["vehicle"] == "Spektr-RG" and h["libration_point"] == "L2"
    # "halo orbit with a period of about six months" (SRG: Roscosmos/IKI; any Sun-Earth L2 halo)
    assert 170.0 < h["period_d"] < 190.0


def test_summary_json_contract(summary):
    """The replay contract (areo.mission.summary) holds for an L2 mission: no orbit about a planet, no landing;
    events in time order from the launch (2019-07-13 12:30:57 UTC, Roscosmos) to the halo arrival, which the
    100-day cruise ended on 2019-10-21 (Roscosmos; areo's arrival is the manifold's: within 15 days)."""
    assert summary["mission"] == "Spektr-RG 2019"
    assert summary["orbits"] == [] and summary["landings"] == [] and len(summary["halo"]) == 1
    assert all(set(e) == {"name", "vehicle", "utc"} and e["vehicle"] == "Spektr-RG" for e in summary["events"])
    t = {e["name"]: float(utc_to_tdb_seconds(e["utc"])) for e in summary["events"]}
    assert abs(t["launch"] - float(utc_to_tdb_seconds("2019-07-13T12:30:57Z"))) < 60
    assert abs(t["halo arrival"] - float(utc_to_tdb_seconds("2019-10-21T12:00:00Z"))) < 15 * DAY
    assert list(t.values()) == sorted(t.values())


def test_transfer_matches_published_flight(summary):
    (h,) = summary["halo"]
    arrival = float(utc_to_tdb_seconds(h["arrival_utc"]))
    published = float(utc_to_tdb_seconds("2019-10-21T12:00:00"))  # 100-day cruise ended 21 October 2019 (Roscosmos)
    assert abs(arrival - published) < 15 * DAY  # areo's arrival is the manifold's, not the flown design's
    assert -1.0 < summary["launcher"]["c3_km2_s2"] < 0.0  # an elliptic departure to L2
    assert summary["launcher"]["feasible"]


def test_ground_and_whatif(summary):
    g = summary["ground"]
    assert g["passes"] and g["links"]
    with_, without = g["whatif"]
    assert "rt70-yevpatoria" in with_["stations"] and "rt70-yevpatoria" not in without["stations"]
    assert without["coverage_fraction"] <= with_["coverage_fraction"]
    # 512 kbit/s (Interfax 2018-04-20) closes from an RT-70 at L2 distance with the scenario's assumed EIRP
    rt70 = [r for r in g["links"] if r["station"] == "rt70-ussuriysk"]
    assert rt70 and rt70[0]["max_data_rate_kbps"] > 512.0


def test_amplitude_without_halo_is_one_line_exit_2(tmp_path):
    p = _short(tmp_path, amplitude_z_km="1500000.0")  # the Sun-Earth L2 family converges up to ~750 000 km
    res = CliRunner().invoke(app, ["replay", str(p), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "no convergent halo" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "o").exists()


def test_transfer_that_cannot_reach_is_one_line_exit_2(tmp_path):
    # a correction manoeuvre planned after the spacecraft has reached the halo: the transfer cannot be flown
    p = _short(tmp_path, tcm_days="[300.0]")
    res = CliRunner().invoke(app, ["replay", str(p), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "outside the transfer" in res.output and "Traceback" not in res.output


def test_corrections_and_station_keeping_are_modest(summary):
    tr = summary["transfer"]
    # a 1 m/s injection error costs metres per second, not hundreds (L2 missions budget ~10-50 m/s for transfer
    # corrections and insertion, e.g. ESA Herschel/Planck)
    assert all(t["dv_m_s"] < 30.0 for t in tr["tcm"])
    assert tr["insertion_dv_m_s"] < 50.0
    assert summary["station_keeping"]["max_deviation_km"] < 1000.0
