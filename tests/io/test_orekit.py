"""Orekit reads areo's TDM and OEM (issue 8: Orekit refused tracking.tdm with "unexpected keyword ... COMMENT").

Orekit's stand-in data are described in ``orekit_oracle.py``; Orekit runs in a child process (its JVM must not
share a process with the other tests) and the tests skip, saying why, where Java or orekit-jpype is missing. The
OEM check interpolates with Orekit's own ephemeris propagator (degree+1 samples, Hermite on positions and
velocities) at quarter points and midpoints of every sample interval, against the propagator's dense output.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from areo.io.oem import segments_from_pieces, write_oem
from areo.io.tdm import parse_tdm
from tests.units import KM

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(tmp_path_factory, helio):
    from areo.ground.api import tracking_data

    folder = tmp_path_factory.mktemp("orekit")
    tdm = folder / "tracking.tdm"
    tracking_data("dss-63", "2016-10-19T12:00:00Z", "2016-10-19T12:05:00Z", step_s=60.0, out=tdm)
    lines = tdm.read_text().splitlines()
    comment = next(line for line in lines if line.startswith("COMMENT"))
    lines.remove(comment)
    lines.insert(lines.index("META_STOP"), comment)  # the layout areo wrote before
    old = folder / "old.tdm"
    old.write_text("\n".join(lines))
    arc, forces, _burn = helio
    segs, _ = segments_from_pieces("TEST", "2016-000A", arc.dense_pieces(forces))
    oem = write_oem(folder / "test.oem", segs, creation_date_utc="2026-11-30T00:00:00")
    epochs = [(s.tdb_s[:-1, None] + np.diff(s.tdb_s)[:, None] * [0.25, 0.5, 0.75]).ravel() for s in segs]
    return {"tdm": tdm, "old_tdm": old, "oem": oem, "epochs": epochs, "arc": arc, "forces": forces}


@pytest.fixture(scope="module")
def orekit_says(files, tmp_path_factory):
    req = {k: str(files[k]) for k in ("tdm", "old_tdm", "oem")}
    req["epochs"] = [e.tolist() for e in files["epochs"]]
    path = tmp_path_factory.mktemp("orekit-req") / "request.json"
    path.write_text(json.dumps(req))
    r = subprocess.run(
        [sys.executable, "-m", "tests.io.orekit_oracle", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    if "skip" in out:
        pytest.skip(f"Orekit unavailable: {out['skip']}")
    return out


def test_orekit_reads_areos_tdm(files, orekit_says):
    assert orekit_says["participants"] == {"1": "DSS-63", "2": "MARS"}
    assert orekit_says["comments"] == ["areo: coordinate-time observables from DE421; no media, Shapiro or clock terms"]
    ours = parse_tdm(files["tdm"].read_text())[0][1]
    assert orekit_says["n_obs"] == len(ours) == 6 * 4
    first_km = next(v for k, _e, v in ours if k == "RANGE")
    # Orekit converts the km of RANGE_UNITS = km to metres
    assert orekit_says["ranges_m"][0] == pytest.approx(first_km * 1e3, abs=1e-3)


def test_orekit_refuses_the_old_comment_placement(orekit_says):
    """The oracle is strict: the layout areo wrote before (COMMENT after the metadata keywords) is refused."""
    assert orekit_says["old_tdm_error"] is not None and "unexpected keyword" in orekit_says["old_tdm_error"]


def test_orekit_interpolates_areos_oem_within_1_km(files, orekit_says):
    osegs = orekit_says["oem_segments"]
    assert len(osegs) == 2
    assert [s["degree"] for s in osegs] == [7, 7]
    assert [s["method"] for s in osegs] == ["LAGRANGE", "LAGRANGE"]
    worst = 0.0
    for epochs, oseg in zip(files["epochs"], osegs, strict=True):
        for tk, r in zip(epochs, np.array(oseg["positions_m"]), strict=True):
            truth = files["arc"].state_at(tk, files["forces"], origin="sun").r_m
            worst = max(worst, float(np.linalg.norm(r - truth)))
    assert worst < 1 * KM
