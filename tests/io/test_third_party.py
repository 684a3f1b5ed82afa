"""Third-party readers of areo's OEM and CZML: ccsds-ndm (GPL: a test oracle, never imported by areo) and czml3's
pydantic models (they refuse unknown properties and malformed values)."""

import json

import numpy as np
import pytest

from areo.io.czml import CzmlPath, czml_document, write_czml
from areo.io.oem import segments_from_pieces, write_oem
from tests.units import MM


def test_ccsds_ndm_reads_areos_oem(helio, tmp_path):
    ndm = pytest.importorskip("ccsds_ndm.ndm_io", reason="ccsds-ndm is a test extra")
    arc, forces, _ = helio
    segs, _ = segments_from_pieces("TEST", "2016-000A", arc.dense_pieces(forces), comments=["made by areo"])
    path = write_oem(tmp_path / "t.oem", segs)
    oem = ndm.NdmIo().from_path(path)
    theirs = oem.body.segment
    assert len(theirs) == 2
    for ours, seg in zip(segs, theirs):
        m = seg.metadata
        assert (m.object_name, m.center_name, m.ref_frame, m.time_system) == ("TEST", "SUN", "ICRF", "TDB")
        assert (m.interpolation, m.interpolation_degree) == ("LAGRANGE", 7)
        assert seg.data.comment == ours.comments == ["made by areo"]
        sv = seg.data.state_vector
        assert len(sv) == ours.tdb_s.size
        r = np.array([[s.x.value, s.y.value, s.z.value] for s in sv]) * 1e3
        assert np.abs(r - ours.r_m).max() < 1 * MM


def test_czml3_validates_areos_czml(helio, tmp_path):
    czml3 = pytest.importorskip("czml3", reason="czml3 is a test extra")
    arc, forces, _ = helio
    segs, _ = segments_from_pieces("TEST", "2016-000A", arc.dense_pieces(forces))
    t = np.concatenate([segs[0].tdb_s, segs[1].tdb_s[1:]])
    r = np.concatenate([segs[0].r_m, segs[1].r_m[1:]]) - 1.0e11  # any Earth-centred stand-in will do
    write_czml(tmp_path / "t.czml", [CzmlPath("test", "TEST", t, r)])
    packets = json.loads((tmp_path / "t.czml").read_text())
    doc = czml3.Document(packets=[czml3.Packet(**p) for p in packets])
    assert len(doc.packets) == 2
    pos = doc.packets[1].position
    assert pos.referenceFrame == "INERTIAL" or str(pos.referenceFrame).endswith("INERTIAL")
    assert len(packets[1]["position"]["cartesian"]) == 4 * t.size


def test_czml3_would_refuse_an_unknown_property():
    """The oracle is not a rubber stamp: a misspelt property fails validation."""
    czml3 = pytest.importorskip("czml3", reason="czml3 is a test extra")
    t = 5.2e8 + np.arange(3) * 60.0
    packet = czml_document([CzmlPath("x", "X", t, np.ones((3, 3)))])[1]
    packet["pathh"] = packet.pop("path")
    with pytest.raises(Exception, match="pathh"):
        czml3.Packet(**packet)
