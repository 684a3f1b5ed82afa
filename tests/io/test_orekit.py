"""Orekit reads areo's TDM and OEM (issue 8: Orekit refused tracking.tdm with "unexpected keyword ... COMMENT").

Orekit's stand-in data are described in ``orekit_oracle.py``; the test skips, saying why, where Java or
orekit-jpype is missing. The OEM check interpolates with Orekit's own ephemeris propagator (degree+1 samples,
Hermite on positions and velocities) at quarter points and midpoints of every sample interval, against the
propagator's dense output.
"""

import numpy as np
import pytest

from areo.io.oem import segments_from_pieces, write_oem
from areo.io.tdm import parse_tdm
from tests.io.orekit_oracle import orekit, parse, tdb_date
from tests.units import KM

ctx, why = orekit()
pytestmark = pytest.mark.skipif(ctx is None, reason=f"Orekit unavailable: {why}")


@pytest.fixture(scope="module")
def tdm_file(tmp_path_factory):
    from areo.ground.api import tracking_data

    path = tmp_path_factory.mktemp("tdm") / "tracking.tdm"
    tracking_data("dss-63", "2016-10-19T12:00:00Z", "2016-10-19T12:05:00Z", step_s=60.0, out=path)
    return path


def test_orekit_reads_areos_tdm(tdm_file):
    tdm = parse("tdm", tdm_file)
    (seg,) = list(tdm.getSegments())
    meta = seg.getMetadata()
    participants = {int(e.getKey()): str(e.getValue()) for e in meta.getParticipants().entrySet()}
    assert participants == {1: "DSS-63", 2: "MARS"}
    assert list(meta.getComments()) == [
        "areo: coordinate-time observables from DE421; no media, Shapiro or clock terms"
    ]
    obs = list(seg.getData().getObservations())
    ours = parse_tdm(tdm_file.read_text())[0][1]
    assert len(obs) == len(ours) == 6 * 4
    ranges = [o for o in obs if str(o.getType()) == "RANGE"]
    first_km = next(v for k, _e, v in ours if k == "RANGE")
    # Orekit converts the km of RANGE_UNITS = km to metres
    assert float(ranges[0].getMeasurement()) == pytest.approx(first_km * 1e3, abs=1e-3)


def test_orekit_refuses_the_old_comment_placement(tdm_file, tmp_path):
    """The oracle is strict: the layout areo wrote before (COMMENT after the metadata keywords) is refused."""
    lines = tdm_file.read_text().splitlines()
    comment = next(line for line in lines if line.startswith("COMMENT"))
    lines.remove(comment)
    lines.insert(lines.index("META_STOP"), comment)
    bad = tmp_path / "old.tdm"
    bad.write_text("\n".join(lines))
    with pytest.raises(Exception, match="unexpected keyword"):
        parse("tdm", bad)


def test_orekit_interpolates_areos_oem_within_1_km(helio, tmp_path):
    arc, forces, _burn = helio
    segs, _ = segments_from_pieces("TEST", "2016-000A", arc.dense_pieces(forces))
    path = write_oem(tmp_path / "test.oem", segs, creation_date_utc="2026-11-30T00:00:00")
    oem = parse("oem", path)
    osegs = list(oem.getSegments())
    assert len(osegs) == 2
    assert [int(s.getMetadata().getInterpolationDegree()) for s in osegs] == [7, 7]
    assert [str(s.getMetadata().getInterpolationMethod()) for s in osegs] == ["LAGRANGE", "LAGRANGE"]
    worst = 0.0
    for seg, oseg in zip(segs, osegs):
        prop = oseg.getPropagator()
        frame = oseg.getFrame()
        t = (seg.tdb_s[:-1, None] + np.diff(seg.tdb_s)[:, None] * [0.25, 0.5, 0.75]).ravel()
        for tk in t:
            p = prop.getPVCoordinates(tdb_date(tk), frame).getPosition()
            r = np.array([p.getX(), p.getY(), p.getZ()])
            worst = max(worst, float(np.linalg.norm(r - arc.state_at(tk, forces, origin="sun").r_m)))
    assert worst < 1 * KM
