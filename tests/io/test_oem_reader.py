"""areo's OEM reader: time systems, frames, centres and covariance per CCSDS 502.0-B-3, and clear refusals.

``MGS_SAMPLE`` is python-oem's test sample ``tests/samples/v2_0/KVN/valid/sample02.oem`` (repository
bradsease/oem), the Mars Global Surveyor example of the CCSDS ODM Blue Book: UTC epochs, EME2000 frame,
MARS BARYCENTER centre, two covariance matrices. Outside figures: TAI-UTC = 30 s from 1996-07-01 and 36 s from
2015-07-01 (IERS Bulletin C), TT-TAI = 32.184 s exactly, |TDB-TT| < 1.7 ms (IERS Conventions 2010 sec. 10.1);
the EME2000 frame bias from ERFA's ``bp00`` (SOFA, an independent implementation).
"""

import erfa
import numpy as np
import pytest

from areo.errors import InputError
from areo.io.oem import calendar_to_tdb_seconds, parse_oem
from tests.units import MM, SECOND

MGS_SAMPLE = """CCSDS_OEM_VERS = 2.0
COMMENT Valid example of a single data/covariance block
CREATION_DATE = 1996-11-04T17:22:31
ORIGINATOR = NASA/JPL

META_START
OBJECT_NAME         = MARS GLOBAL SURVEYOR
OBJECT_ID           = 1996-062A
CENTER_NAME         = MARS BARYCENTER
REF_FRAME           = EME2000
TIME_SYSTEM         = UTC
START_TIME          = 1996-12-18T12:00:00.331
USEABLE_START_TIME  = 1996-12-18T12:00:00.331
USEABLE_STOP_TIME   = 1996-12-28T21:28:00.331
STOP_TIME           = 1996-12-28T21:28:00.331
INTERPOLATION       = HERMITE
INTERPOLATION_DEGREE = 7
META_STOP

1996-12-18T12:00:00.331  2789.619 -280.045 -1746.755  4.73372 -2.49586 -1.04195
1996-12-18T12:01:00.331  2783.419 -308.143 -1877.071  5.18604 -2.42124 -1.99608
1996-12-18T12:02:00.331  2776.033 -336.859 -2008.682  5.63678 -2.33951 -1.94687

COVARIANCE_START
EPOCH = 1996-12-18T21:29:07.267
COV_REF_FRAME = EME2000
3.3313494e-04
4.6189273e-04  6.7824216e-04
-3.0700078e-04 -4.2212341e-04  3.2319319e-04
-3.3493650e-07 -4.6860842e-07  2.4849495e-07  4.2960228e-10
-2.2118325e-07 -2.8641868e-07  1.7980986e-07  2.6088992e-10  1.7675147e-10
-3.0413460e-07 -4.9894969e-07  3.5403109e-07  1.8692631e-10  1.0088625e-10  6.2244443e-10

EPOCH = 1996-12-19T21:00:00
COV_REF_FRAME = EME2000
3.4424505e-04
4.5078162e-04  6.8935327e-04
-3.0600067e-04 -4.1101230e-04  3.3420420e-04
-3.2382549e-07 -4.5750731e-07  2.3738384e-07  4.3071339e-10
-2.1007214e-07 -2.7530757e-07  1.6870875e-07  2.5077881e-10  1.8786258e-10
-3.0302350e-07 -4.8783858e-07  3.4302008e-07  1.7581520e-10  1.0077514e-10  6.2244443e-10
COVARIANCE_STOP
"""
TDB_MINUS_TT_MAX_S = 1.7e-3


def _one_segment(time_system="TDB", frame="ICRF", center="SUN", extra="", epochs=None):
    epochs = epochs or [f"2016-10-19T12:0{k}:00.000" for k in range(8)]
    rows = "\n".join(f"{e} 1.0 2.0 3.0 0.1 0.2 0.3" for e in epochs)
    return (
        "CCSDS_OEM_VERS = 3.0\nCREATION_DATE = 2026-11-30T00:00:00\nORIGINATOR = test\n\nMETA_START\n"
        f"OBJECT_NAME = X\nOBJECT_ID = 2016-000A\nCENTER_NAME = {center}\nREF_FRAME = {frame}\n"
        f"TIME_SYSTEM = {time_system}\nSTART_TIME = {epochs[0]}\nSTOP_TIME = {epochs[-1]}\n{extra}META_STOP\n\n"
        f"{rows}\n"
    )


def test_ccsds_example_utc_eme2000_with_covariance():
    header, (seg,) = parse_oem(MGS_SAMPLE)
    assert header["ORIGINATOR"] == "NASA/JPL"
    assert seg.center_name == "MARS BARYCENTER" and seg.metadata["TIME_SYSTEM"] == "UTC"
    assert seg.ref_frame == "ICRF" and seg.time_system == "TDB"
    assert seg.interpolation == "HERMITE" and seg.interpolation_degree == 7
    # UTC to TDB: 30 leap seconds (TAI-UTC in Dec 1996) + 32.184 s, within the TDB-TT periodic terms
    calendar = calendar_to_tdb_seconds("1996-12-18T12:00:00.331")
    assert abs(seg.tdb_s[0] - calendar - 62.184) < TDB_MINUS_TT_MAX_S * SECOND
    # EME2000 rotated to ICRF with the IAU 2006 frame bias (ERFA bp00 returns it as rb, ICRS to J2000)
    rb = erfa.bp00(2451545.0, 0.0)[0]
    r_eme = np.array([2789.619, -280.045, -1746.755]) * 1e3
    np.testing.assert_allclose(seg.r_m[0], rb.T @ r_eme, rtol=0, atol=1 * MM)
    assert np.linalg.norm(seg.r_m[0] - r_eme) > 0.1 * MM  # the bias does move it (23 mas)
    (c1, c2) = seg.covariances
    assert c1.ref_frame == "ICRF" and c1.matrix_si.shape == (6, 6)
    np.testing.assert_allclose(c1.matrix_si, c1.matrix_si.T)
    assert c1.matrix_si[0, 0] == pytest.approx(3.3313494e-04 * 1e6, rel=1e-6)  # km^2 to m^2, bias negligible
    assert c2.matrix_si[5, 5] == pytest.approx(6.2244443e-10 * 1e6, rel=1e-6)
    assert c2.tdb_s - c1.tdb_s == pytest.approx(86400 - 29 * 60 - 7.267, abs=1e-3)


@pytest.mark.parametrize(
    ("system", "offset_s"),
    [("TDB", 0.0), ("TT", 0.0), ("TAI", 32.184), ("GPS", 32.184 + 19.0), ("UTC", 32.184 + 36.0)],
)
def test_time_systems_are_honoured(system, offset_s):
    """The issue's 68 s: a UTC file in 2016 is 36 leap seconds + 32.184 s behind TDB."""
    _, (seg,) = parse_oem(_one_segment(system))
    calendar = calendar_to_tdb_seconds("2016-10-19T12:00:00.000")
    assert abs(seg.tdb_s[0] - calendar - offset_s) <= TDB_MINUS_TT_MAX_S * SECOND
    assert seg.metadata["TIME_SYSTEM"] == system


def test_reads_areos_own_file_back_exactly(helio, tmp_path):
    from areo.io.oem import segments_from_pieces, write_oem

    arc, forces, _ = helio
    segs, _ = segments_from_pieces("TEST", "2016-000A", arc.dense_pieces(forces))
    write_oem(tmp_path / "t.oem", segs)
    _, back = parse_oem((tmp_path / "t.oem").read_text())
    assert len(back) == len(segs)
    for a, b in zip(segs, back):
        assert np.abs(a.tdb_s - b.tdb_s).max() < 1e-6 * SECOND
        assert np.abs(a.r_m - b.r_m).max() < 1 * MM


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_one_segment("UT1"), "TIME_SYSTEM 'UT1' is not supported; use one of TDB, TT, TAI, GPS, UTC"),
        (_one_segment(frame="ITRF"), "REF_FRAME 'ITRF' is not supported"),
        (_one_segment(center="PHOBOS"), "CENTER_NAME 'PHOBOS' is not supported"),
        (_one_segment().replace("OBJECT_ID = 2016-000A\n", ""), "metadata lacks OBJECT_ID"),
        (_one_segment().replace("ORIGINATOR = test\n", ""), "header lacks ORIGINATOR"),
        (_one_segment(extra="COLOUR = RED\n"), "unexpected metadata line"),
        (
            _one_segment(epochs=["2016-10-19T12:00:00", "2016-10-19T11:59:00"]),
            "epochs must increase strictly .*sort the lines",
        ),
        (_one_segment().replace("1.0 2.0 3.0 0.1 0.2 0.3", "1.0 2.0 3.0", 1), "expected 'EPOCH X Y Z VX VY VZ"),
        (_one_segment().replace("2016-10-19T12:03", "yesterday", 1), "cannot read the epoch"),
        (_one_segment() + "COVARIANCE_START\nEPOCH = 2016-10-19T12:00:00\n1.0\n", "ends inside a covariance"),
        (MGS_SAMPLE.replace("6.2244443e-10\n\nEPOCH", "\n\nEPOCH"), "21 lower-triangle numbers, got 20"),
        ("<?xml version='1.0'?><oem/>", "this OEM is XML"),
        ("META_START\nOBJECT_NAME = X\nMETA_STOP\n", "first keyword must be CCSDS_OEM_VERS"),
    ],
)
def test_malformed_files_get_one_clear_line(text, message):
    with pytest.raises(InputError, match=message) as err:
        parse_oem(text)
    assert "\n" not in str(err.value)
