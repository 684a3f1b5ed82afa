"""OEM (CCSDS 502.0-B-3, KVN) and CZML writers."""

import json

import numpy as np
import pytest

from areo.errors import InputError
from areo.io.czml import CzmlPath, czml_document, write_czml
from areo.io.oem import OemSegment, calendar_to_tdb_seconds, oem_text, parse_oem, tdb_seconds_to_calendar, write_oem
from tests.units import MM, MM_S


def _segment():
    t = 5.2e8 + np.arange(5) * 600.0
    rng = np.random.default_rng(7)
    r = rng.normal(0, 2e11, (5, 3))
    v = rng.normal(0, 3e4, (5, 3))
    return OemSegment("TGO", "2016-017A", "SUN", t, r, v, comments=["areo test"])


def test_oem_round_trip(tmp_path):
    seg = _segment()
    path = write_oem(tmp_path / "tgo.oem", [seg], creation_date_utc="2026-11-24T00:00:00")
    header, segs = parse_oem(tmp_path.joinpath("tgo.oem").read_text())
    assert str(path).endswith("tgo.oem")
    assert header == {"CCSDS_OEM_VERS": "3.0", "CREATION_DATE": "2026-11-24T00:00:00", "ORIGINATOR": "areo"}
    (back,) = segs
    assert back.object_name == "TGO" and back.center_name == "SUN" and back.ref_frame == "ICRF"
    assert back.time_system == "TDB" and back.comments == ["areo test"]
    np.testing.assert_allclose(back.tdb_s, seg.tdb_s, atol=1e-6)
    # positions written to 1e-6 km, velocities to 1e-9 km/s
    assert np.max(np.abs(back.r_m - seg.r_m)) < 1 * MM
    assert np.max(np.abs(back.v_m_s - seg.v_m_s)) < 1e-3 * MM_S


def test_oem_keywords_follow_ccsds_502():
    text = oem_text(_segment(), creation_date_utc="2026-11-24T00:00:00")
    lines = text.splitlines()
    assert lines[0] == "CCSDS_OEM_VERS = 3.0"
    for key in ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "START_TIME", "STOP_TIME"):
        assert any(line.startswith(key + " = ") for line in lines), key
    assert lines.index("META_START") < lines.index("META_STOP")
    assert "START_TIME = 2016-06-24T00:26:40.000000" in lines  # 5.2e8 s after 2000-01-01T12:00:00 TDB


def test_tdb_calendar_round_trip_and_errors():
    assert tdb_seconds_to_calendar(0.0) == "2000-01-01T12:00:00.000000"
    assert calendar_to_tdb_seconds("2000-001T12:00:00") == 0.0
    with pytest.raises(InputError, match="cannot read OEM epoch"):
        calendar_to_tdb_seconds("yesterday")
    with pytest.raises(InputError, match="epochs must increase strictly"):
        oem_text(OemSegment("X", "1", "SUN", np.array([1.0, 1.0]), np.ones((2, 3)), np.ones((2, 3))))
    with pytest.raises(InputError, match="first keyword must be CCSDS_OEM_VERS"):
        parse_oem("META_START\nOBJECT_NAME = X\nMETA_STOP\n")


def test_czml_document(tmp_path):
    t = 5.2e8 + np.arange(4) * 3600.0
    r = np.outer(np.arange(4), [1e7, 2e7, 0.0]) + 7e6
    doc = czml_document([CzmlPath("tgo", "TGO", t, r)])
    assert doc[0]["id"] == "document" and doc[0]["version"] == "1.0"
    pos = doc[1]["position"]
    assert pos["referenceFrame"] == "INERTIAL"
    cart = np.array(pos["cartesian"]).reshape(-1, 4)
    np.testing.assert_allclose(cart[:, 0], [0, 3600, 7200, 10800], atol=1e-6)
    np.testing.assert_allclose(cart[:, 1:], r)
    path = write_czml(tmp_path / "t.czml", [CzmlPath("tgo", "TGO", t, r)])
    assert json.loads(tmp_path.joinpath("t.czml").read_text())[1]["id"] == "tgo" and str(path).endswith(".czml")
    with pytest.raises(InputError, match="need >= 2 increasing epochs"):
        czml_document([CzmlPath("x", "X", t[:1], r[:1])])
