"""`areo replay exomars2016`: the whole chain, checked against published figures, its data files read back, and
the report opened in headless Chromium (console errors fail the test; every figure must render).

Published figures (ESA): capture orbit ~250 x 98,000 km, 4.2 days, ~7 deg (2016-10-20); Schiaparelli's parachute
opened at ~11-12 km (issue 3; 12 km per ESA 2016-11-23), back shell released at ~3.7 km and impact at ~540 km/h
in the failure (ESA 2016-11-23, inquiry 2017); nominal landing inside the 100 x 15 km ellipse centred 2 S 6 W.
"""

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from areo.bodies import body
from areo.cli import app
from areo.mission.replay import replay
from areo.time import utc_to_tdb_seconds
from tests.units import DAY, DEG, KM, METRE, SECOND

SCEN = Path(__file__).resolve().parents[2] / "src" / "areo" / "scenarios"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay") / "exomars2016"
    res = replay("exomars2016", out, runs=100, seed=3)
    return res, out


def test_files_written(replayed):
    _res, out = replayed
    expected = [
        "report.html",
        "timeline.json",
        "timeline.csv",
        "trajectory-tgo.oem",
        "trajectory-schiaparelli.oem",
        "trajectory-tgo.bsp",
        "trajectory-schiaparelli.bsp",
        "trajectory.czml",
        "trajectory.parquet",
        "tracking.tdm",
        "passes.parquet",
        "edl_nominal.parquet",
        "edl_as-flown.parquet",
        "edl_montecarlo.parquet",
        "porkchop/porkchop.png",
        "porkchop/summary.json",
        "files.json",
    ]
    for name in expected:
        assert (out / name).is_file(), name
    assert not list(out.parent.glob(".*.tmp")), "staging folder left behind"
    assert '<script src="http' not in (out / "report.html").read_text()


def test_every_listed_file_exists_where_the_listing_says(replayed):
    """files.json and porkchop/summary.json name files that exist after the staged folder was moved into place
    (porkchop/summary.json used to list paths inside the replay's temporary staging folder)."""
    _res, out = replayed
    for name in json.loads((out / "files.json").read_text())["files"]:
        assert (out / name).is_file(), name
    for path in json.loads((out / "porkchop" / "summary.json").read_text())["files"]:
        assert Path(path).is_file() and Path(path).parent == out / "porkchop", path


def test_summary_json_has_launcher_and_launch_period(replayed):
    """Issue 13: the replay reports the launcher margin and the launch period (ESA: 14-25 March 2016)."""
    _res, out = replayed
    s = json.loads((out / "summary.json").read_text())
    assert s["launcher"]["name"] == "proton-m-breeze-m" and s["launcher"]["margin_kg"] > 0
    assert s["launch_period"]["first_utc"].startswith("2016-03-1")


def _utc_s(utc: str) -> float:
    return float(utc_to_tdb_seconds(utc))


def test_summary_json_contract_against_published_figures(replayed):
    """summary.json (areo.mission.summary): mission, events, orbits, landings, halo, with ESA's figures: capture
    250 x ~98,000 km, 4.2 d, ~7 deg (2016-10-20); separation 2016-10-16 14:42; entry interface 14:42 and MOI end
    15:34 on 2016-10-19; Schiaparelli crashed at ~540 km/h (inquiry 2017) near 2.05 S 6.21 W (HiRISE)."""
    res, out = replayed
    s = json.loads((out / "summary.json").read_text())
    assert s == json.loads(json.dumps(res.summary))  # what `areo replay --json` prints
    assert s["mission"] == "ExoMars 2016" and s["halo"] == []
    assert {"launcher", "launch_period"} <= set(s)  # keys written before the contract are kept
    (orbit,) = s["orbits"]
    assert (orbit["vehicle"], orbit["body"]) == ("TGO", "mars")
    assert abs(orbit["periapsis_altitude_km"] - 250.0) * KM < 5 * KM
    assert abs(orbit["apoapsis_altitude_km"] - 98_000.0) * KM < 2_000 * KM
    assert abs(orbit["period_h"] - 4.2 * 24) * 3600 * SECOND < 0.05 * DAY
    assert abs(orbit["inclination_deg"] - 7.0) * DEG < 0.5 * DEG
    ev = {(e["vehicle"], e["name"]): e["utc"] for e in s["events"]}
    assert set(s["events"][0]) == {"name", "vehicle", "utc"}
    assert abs(_utc_s(ev[("TGO + Schiaparelli", "separation")]) - _utc_s("2016-10-16T14:42Z")) < 1 * SECOND
    assert abs(_utc_s(ev[("Schiaparelli", "entry-interface")]) - _utc_s("2016-10-19T14:42Z")) < 60 * SECOND
    assert abs(_utc_s(ev[("TGO", "MOI end")]) - _utc_s("2016-10-19T15:34Z")) < 60 * SECOND
    assert ("TGO", "soi-entry:mars") in ev and ("TGO", "periapsis:mars") in ev
    utcs = [_utc_s(e["utc"]) for e in s["events"]]
    assert utcs == sorted(utcs)
    land = {r["case"]: r for r in s["landings"]}
    assert set(land["as-flown"]) >= {"vehicle", "status", "lat_deg", "lon_deg", "touchdown_speed_m_s", "utc"}
    flown = land["as-flown"]
    assert flown["vehicle"] == "Schiaparelli" and flown["status"] == "crashed"
    assert abs(flown["touchdown_speed_m_s"] * 3.6 - 540.0) < 60.0
    assert math.hypot(flown["lat_deg"] + 2.052, (flown["lon_deg"] + 6.208) * math.cos(math.radians(2))) < 1.0
    assert flown["utc"].startswith("2016-10-19T14:4")
    assert land["nominal"]["status"] == "landed"


def test_capture_orbit_matches_published(replayed):
    cap = replayed[0].cruise.capture
    assert abs(cap.periapsis_altitude_m - 250 * KM) < 5 * KM
    assert abs(cap.period_days * DAY - 4.2 * DAY) < 0.05 * DAY
    assert abs(cap.inclination_deg - 7.0) * DEG < 0.5 * DEG
    assert abs(cap.apoapsis_altitude_m - 98_000 * KM) < 2_000 * KM


def test_edl_from_cruise_entry_reproduces_2016(replayed):
    res = replayed[0]
    nominal, flown = res.edl["nominal"], res.edl["as-flown"]
    assert nominal["entry_from"].startswith("cruise")
    assert nominal["status"] == "landed" and flown["status"] == "crashed"
    ev = {e["name"]: e for e in flown["events"]}
    assert 10.5 * KM < ev["parachute_deploy"]["altitude_m"] < 12.5 * KM
    assert abs(ev["backshell_release"]["altitude_m"] - 3.7 * KM) < 0.4 * KM
    assert abs(flown["touchdown_speed_m_s"] * 3.6 - 540.0) < 60.0
    # nominal landing inside the published 100 x 15 km ellipse around 2 S, 6 W (generously: within 60 km)
    r_km = 3389.5
    dlat = math.radians(nominal["landing_lat_deg"] + 2.0)
    dlon = math.radians(nominal["landing_lon_deg"] + 6.0) * math.cos(math.radians(2.0))
    assert math.hypot(dlat, dlon) * r_km < 60.0


def test_timeline_compares_with_records(replayed):
    _res, out = replayed
    tl = json.loads((out / "timeline.json").read_text())
    by = {e["name"]: e for e in tl}
    assert by["launch"]["difference_s"] == 0.0
    assert by["separation"]["recorded_source"].startswith("ESA")
    assert abs(by["DSM"]["difference_s"]) < 120  # simulated burn start vs ESA's 09:30 GMT
    pc = by["as-flown: backshell_release"]
    assert pc["recorded_altitude_m"] == 3700.0 and abs(pc["altitude_difference_m"]) < 400
    csv = pd.read_csv(out / "timeline.csv")
    assert len(csv) == len(tl) and {"simulated_utc", "recorded_utc", "difference_s"} <= set(csv.columns)


def test_data_files_read_back(replayed):
    from areo.io.oem import parse_oem
    from areo.io.tdm import parse_tdm

    res, out = replayed
    files = {
        name: parse_oem((out / f"trajectory-{name.lower()}.oem").read_text())[1] for name in ("TGO", "Schiaparelli")
    }
    assert {s.object_name for segs in files.values() for s in segs} == {"TGO", "Schiaparelli"}
    # one segment per smooth piece (manoeuvres and SOI changes break them); python-oem interpolates each file as its
    # keywords say (Lagrange, degree 7) at every interval midpoint: within the promised 1 km of the integrator
    oem = pytest.importorskip("oem", reason="python-oem is a test extra")
    from astropy.time import Time

    for name, vehicle in (("TGO", "orbiter"), ("Schiaparelli", "lander")):
        eph = oem.OrbitEphemerisMessage.open(str(out / f"trajectory-{name.lower()}.oem"))
        for seg in files[name]:
            assert (seg.interpolation, seg.interpolation_degree) == ("LAGRANGE", 7)
            tm = 0.5 * (seg.tdb_s[:-1] + seg.tdb_s[1:])
            truth, _ = res.cruise.sample(vehicle, tm, origin="sun")
            r = np.array([eph(Time(2451545.0, t / DAY, format="jd", scale="tdb")).position for t in tm]) * 1e3
            assert np.linalg.norm(r - truth, axis=1).max() < 1 * KM, name
    tdm = parse_tdm((out / "tracking.tdm").read_text())
    assert tdm and tdm[0][0]["PARTICIPANT_2"] == "TGO"
    czml = json.loads((out / "trajectory.czml").read_text())
    assert czml[0]["id"] == "document" and len(czml) == 3
    czml3 = pytest.importorskip("czml3", reason="czml3 is a test extra")
    assert len(czml3.Document(packets=[czml3.Packet(**p) for p in czml]).packets) == 3
    mc = pd.read_parquet(out / "edl_montecarlo.parquet")
    assert len(mc) == 100 and mc["status"].notna().all()


def test_edl_telemetry_what_if(replayed):
    """GMRT heard only Schiaparelli's carrier: 8 kbit/s at UHF is far below threshold, so theory and the
    simulated channel agree that every frame is lost."""
    rows = replayed[0].ground["edl_telemetry"]
    assert {r["case"] for r in rows} == {"nominal", "as-flown"}
    for r in rows:
        assert r["eb_n0_db"] < 0 and r["frame_error_rate_theory"] > 0.999
        assert r["frames_lost"] == r["frames_sent"] and r["packets_sent"] > 2000


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_report_renders_in_headless_chromium(replayed, tmp_path):
    browser_path = _chromium()
    if browser_path is None:
        pytest.skip("no Chromium: `make test` installs Debian's chromium when it can (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    _, out = replayed
    html = (out / "report.html").read_text()
    n_figs = html.count('id="fig-')
    assert n_figs >= 8
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=browser_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: errors.append(f"network request {r.url}") if r.url.startswith("http") else None)
        page.goto((out / "report.html").as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_figs}", timeout=60_000
        )
        sizes = page.evaluate(
            "Array.from(document.querySelectorAll('.js-plotly-plot')).map("
            "d => [d.id, d.getBoundingClientRect().width, d.getBoundingClientRect().height])"
        )
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert errors == []
    assert len(sizes) == n_figs
    assert all(w > 300 and h > 200 for _, w, h in sizes), sizes
    assert shot.stat().st_size > 50_000


def test_bad_scenario_leaves_nothing_behind(tmp_path):
    text = (
        (SCEN / "exomars2016.toml")
        .read_text()
        .replace('separation_utc = "2016-10-16T14:42:00Z"', 'separation_utc = "2016-10-20T14:42:00Z"', 1)
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["replay", str(bad), "--out", str(out), "--runs", "0"])
    assert r.exit_code == 2
    assert "must come after separation (2016-10-20T14:42:00Z)" in " ".join(r.stderr.split())
    assert not out.exists() and not list(tmp_path.glob(".out.*"))


def test_failure_mid_replay_keeps_previous_output(tmp_path, monkeypatch):
    """A crash in a late stage leaves the previous contents of --out untouched and no staging folder."""
    import areo.mission.replay as R

    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier result")

    def boom(*a, **k):
        raise RuntimeError("simulated crash in the ground stage")

    monkeypatch.setattr(R, "stage_ground", boom)
    monkeypatch.setattr(R, "stage_cruise", lambda sc, res: None)
    monkeypatch.setattr(R, "stage_edl", lambda *a, **k: None)
    with pytest.raises(RuntimeError):
        R.replay("exomars2016", out, runs=0)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert not list(tmp_path.glob(".out.*"))


def test_telemetry_cli_sends_an_edl_run():
    """`areo telemetry --edl`: the as-flown history as packets; at Eb/N0 7 dB RS(255,223) I=5 delivers them all
    (theoretical frame error rate ~1e-9), at 2 dB none (theory ~1)."""
    args = [
        "telemetry",
        "--station",
        "dss-63",
        "--at",
        "2016-10-19T14:42Z",
        "--edl",
        "exomars2016",
        "--case",
        "as-flown",
        "--json",
    ]
    good = json.loads(CliRunner().invoke(app, [*args, "--eb-n0-db", "7"]).stdout)
    assert good["packets_sent"] > 2000 and good["packets_lost"] == 0 and good["frame_error_rate_theory"] < 1e-6
    bad = json.loads(CliRunner().invoke(app, [*args, "--eb-n0-db", "2"]).stdout)
    assert bad["frames_lost"] == bad["frames_sent"] and bad["frame_error_rate_theory"] > 0.99


def test_a_vehicle_that_ends_ends_its_tracking(tmp_path):
    """ExoMars 2022's carrier module breaks up in Mars' atmosphere after releasing the descent module (CNES
    2019-04-03; its scenario says so) and no orbiter stays: the replay completes, the ground follows the descent
    module until its entry (a direct entry), the arrival TDM stops there and no critical event is tracked after it
    (it used to raise 'epoch outside the trajectory of 'Carrier module''). The cruise model has no drag: the carrier
    follows the descent module into the atmosphere (its osculating periapsis far below the 120 km entry interface,
    ~0.1 km above the spheroid) and ends there, at the entry interface: burn-up:mars (areo.cruise.segments.end)."""
    res = replay("exomars2022", tmp_path / "exomars2022", runs=0)
    entry = next(e for e in res.cruise.events if e.name == "lander:entry-interface")
    end_tdb_s = float(res.cruise.lander.tdb_s[-1])
    assert end_tdb_s == pytest.approx(entry.tdb_s, abs=1 * SECOND)
    r_mars, v_mars = res.cruise.orbiter.relative_to("mars")
    (fate,) = [e for e in res.cruise.events if e.name == "orbiter:burn-up:mars"]
    assert float(res.cruise.orbiter.tdb_s[-1]) == pytest.approx(fate.tdb_s, abs=1 * SECOND)  # its trajectory ends
    ei = res.cruise.plan.entry.altitude_m
    assert float(body("mars").altitude_m(r_mars).min()) == pytest.approx(ei, abs=1 * KM)  # at the entry interface
    r, v = r_mars[-1], v_mars[-1]  # where it was heading: the osculating periapsis, deep in the atmosphere
    mu = body("mars").gm_m3_s2
    e_vec = ((v @ v - mu / np.linalg.norm(r)) * r - (r @ v) * v) / mu
    a = 1.0 / (2.0 / np.linalg.norm(r) - (v @ v) / mu)
    assert a * (1.0 - np.linalg.norm(e_vec)) - body("mars").radius_m < ei / 10
    # summary.json: the carrier's end is an event of its own; no orbit; the descent module enters on the planned
    # landing day (ESA: 2023-06-10); its landing (the [edl] tables): tests/mission/test_exomars2022_edl.py
    s = json.loads((tmp_path / "exomars2022" / "summary.json").read_text())
    assert s["mission"] == "ExoMars 2022" and s["orbits"] == [] and s["halo"] == []
    assert [r["vehicle"] for r in s["landings"]] == ["Descent module"]
    ev = {(e["vehicle"], e["name"]): e["utc"] for e in s["events"]}
    assert ev[("Descent module", "entry-interface")].startswith("2023-06-10")
    assert _utc_s(ev[("Carrier module", fate.name.removeprefix("orbiter:"))]) == pytest.approx(
        fate.tdb_s, abs=1 * SECOND
    )
    assert _utc_s(ev[("Carrier module + Descent module", "separation")]) < fate.tdb_s
    epochs = [line.split()[2] for line in res.ground["tdm"].splitlines() if line.startswith("RANGE =")]
    assert len(epochs) > 60  # hours of data before the end, not an empty file
    last = float(utc_to_tdb_seconds(epochs[-1] + "Z"))
    assert end_tdb_s - 120 * SECOND < last <= end_tdb_s
    assert all(float(utc_to_tdb_seconds(r["utc"])) <= end_tdb_s for r in res.ground["critical"])


def test_spk_beside_each_oem_reads_back_in_spice(replayed):
    """Each vehicle's trajectory-<name>.bsp (SPK type 13) read by NAIF's own reader (spiceypy, segment by segment:
    DAF search, SPKPVN) reproduces the OEM's samples within 1 m and the integrated trajectory between them within
    the 1 km the OEM promises; the exomars2016 scenario gives TGO's NAIF id (-143, NAIF's em16_tgo_v00.tf) and none
    for Schiaparelli, whose placeholder is used and said in a note."""
    sp = pytest.importorskip("spiceypy", reason="SPK output needs the spice extra")
    from areo.io.oem import parse_oem
    from areo.io.spk import OEM_CENTER_IDS
    from areo.mission.trajectory_files import PLACEHOLDER_NAIF_IDS

    res, out = replayed
    for name, vehicle, naif in (("TGO", "orbiter", -143), ("Schiaparelli", "lander", PLACEHOLDER_NAIF_IDS["lander"])):
        placeholder = any(f"trajectory-{name.lower()}.bsp: NAIF id {naif} is a placeholder" in n for n in res.notes)
        assert placeholder == (name == "Schiaparelli")
        path = str(out / f"trajectory-{name.lower()}.bsp")
        segs = res.transfer["trajectory_files"][name]["segments"]  # the samples written to the OEM, full precision
        in_file = parse_oem((out / f"trajectory-{name.lower()}.oem").read_text())[1]
        assert [s.tdb_s.size for s in in_file] == [s.tdb_s.size for s in segs]
        assert list(sp.spkobj(path, sp.cell_int(10))) == [naif]
        handle = sp.dafopr(path)
        try:
            sp.dafbfs(handle)
            k = 0
            while sp.daffna():
                descr = sp.dafgs(5)
                _dc, ic = sp.dafus(descr, 2, 6)
                seg = segs[k]
                assert (ic[0], ic[1], ic[2], ic[3]) == (naif, OEM_CENTER_IDS[seg.center_name], 1, 13)
                got = np.array([sp.spkpvn(handle, descr, float(t))[1] for t in seg.tdb_s]) * 1e3
                assert np.linalg.norm(got[:, :3] - seg.r_m, axis=1).max() < 1 * METRE, (name, k)
                assert np.linalg.norm(got[:, 3:] - seg.v_m_s, axis=1).max() < 1e-3 * METRE / SECOND, (name, k)
                tm = 0.5 * (seg.tdb_s[:-1] + seg.tdb_s[1:])
                mid = np.array([sp.spkpvn(handle, descr, float(t))[1][:3] for t in tm]) * 1e3
                origin = "sun" if seg.center_name == "SUN" else seg.center_name.lower()
                truth, _ = res.cruise.sample(vehicle, tm, origin=origin)
                assert np.linalg.norm(mid - truth, axis=1).max() < 1 * KM, (name, k)
                k += 1
            assert k == len(segs)
        finally:
            sp.dafcls(handle)
