"""TDM layout per CCSDS 503.0-B-2: COMMENT only at the start of the header, metadata and data sections, metadata
keywords in table 3-3 order; areo's reader refuses what Orekit refuses; ccsds-ndm (GPL, a test oracle only)
reads areo's file with the same values."""

import pytest

from areo.errors import InputError
from areo.io.tdm import META_ORDER, format_tdm, parse_tdm

META = {
    "PARTICIPANT_2": "TGO",
    "COMMENT": "areo: a comment given last",
    "TIME_SYSTEM": "UTC",
    "RANGE_UNITS": "km",
    "PARTICIPANT_1": "DSS-63",
    "MODE": "SEQUENTIAL",
    "PATH": "1,2,1",
}
RECORDS = [("RANGE", "2016-10-19T12:00:00.000", "175913896.366221"), ("RANGE", "2016-10-19T12:01:00.000", "1.5")]


def _meta_block(text):
    lines = text.splitlines()
    return lines[lines.index("META_START") + 1 : lines.index("META_STOP")]


def test_comment_opens_the_metadata_and_keywords_follow_table_3_3():
    block = _meta_block(format_tdm([(META, RECORDS)], creation_date="2026-11-30T00:00:00", comments=["hdr"]))
    assert block[0] == "COMMENT areo: a comment given last"
    keys = [line.split(" = ")[0] for line in block[1:]]
    assert keys == sorted(keys, key=META_ORDER.index)
    assert keys[:3] == ["TIME_SYSTEM", "PARTICIPANT_1", "PARTICIPANT_2"]


def test_header_comment_directly_after_the_version():
    lines = format_tdm([(META, RECORDS)], comments=["hdr"]).splitlines()
    assert lines[0].startswith("CCSDS_TDM_VERS") and lines[1] == "COMMENT hdr"


def test_unknown_metadata_keyword_is_refused():
    with pytest.raises(InputError, match=r"SPACECRAFT_COLOUR are not in CCSDS 503\.0-B-2 table 3-3"):
        format_tdm([({**META, "SPACECRAFT_COLOUR": "red"}, RECORDS)])


def _old_layout():
    """What areo wrote before issue 8: the metadata COMMENT after the keywords (Orekit: 'unexpected keyword')."""
    text = format_tdm([(META, RECORDS)], creation_date="2026-11-30T00:00:00")
    return text.replace("COMMENT areo: a comment given last\n", "").replace(
        "PATH = 1,2,1\n", "PATH = 1,2,1\nCOMMENT areo: a comment given last\n"
    )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: _old_layout(), "line 11: COMMENT is only allowed at the start"),
        (lambda t: t.replace("TIME_SYSTEM = UTC", "TIME_SYSTEM = LOCAL"), "TIME_SYSTEM 'LOCAL' is not one of"),
        (lambda t: t.replace("PARTICIPANT_1 = DSS-63\n", ""), "metadata lacks PARTICIPANT_1"),
        (lambda t: t.replace("12:01:00.000", "11:59:00.000"), "is earlier than the line before .* sort by time"),
        (lambda t: t.replace("CCSDS_TDM_VERS", "CCSDS_OEM_VERS"), "not a TDM"),
        (lambda t: t.replace("DATA_STOP", ""), "TDM ends before DATA_STOP"),
        (lambda t: t.replace(" 1.5", " lots"), "expected KEYWORD = EPOCH VALUE"),
    ],
)
def test_reader_refuses_malformed_tdm_with_one_line(mutate, message):
    text = mutate(format_tdm([(META, RECORDS)], creation_date="2026-11-30T00:00:00"))
    with pytest.raises(InputError, match=message) as err:
        parse_tdm(text)
    assert "\n" not in str(err.value)


def test_ccsds_ndm_reads_areos_tracking_file(tmp_path):
    ndm = pytest.importorskip("ccsds_ndm.ndm_io", reason="ccsds-ndm is a test extra")
    from areo.ground.api import tracking_data

    path = tmp_path / "tracking.tdm"
    tracking_data("dss-63", "2016-10-19T12:00:00Z", "2016-10-19T12:03:00Z", step_s=60.0, out=path)
    tdm = ndm.NdmIo().from_path(path)
    (seg,) = tdm.body.segment
    meta = seg.metadata
    assert meta.time_system == "UTC" and meta.participant_1 == "DSS-63" and meta.participant_2 == "MARS"
    assert meta.comment and meta.comment[0].startswith("areo:")
    ours = parse_tdm(path.read_text())[0][1]
    theirs = seg.data.observation
    assert len(theirs) == len(ours) == 4 * 4
    rng = [o.range for o in theirs if o.range is not None]
    assert rng[0] == pytest.approx(next(v for k, _e, v in ours if k == "RANGE"), rel=1e-15)
