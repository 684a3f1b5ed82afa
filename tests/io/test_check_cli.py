"""`areo check FILE`: an OEM or TDM read the way areo reads it; bad files get one line and exit code 2."""

import json

import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.io.tdm import format_tdm
from tests.io.test_oem_reader import MGS_SAMPLE, _one_segment
from tests.io.test_tdm import META, RECORDS

runner = CliRunner()


def test_check_summarises_an_oem_and_a_tdm(tmp_path):
    (tmp_path / "mgs.oem").write_text(MGS_SAMPLE)
    r = runner.invoke(app, ["check", str(tmp_path / "mgs.oem"), "--json"])
    assert r.exit_code == 0, r.output
    (seg,) = json.loads(r.stdout)["segments"]
    assert seg["object"] == "MARS GLOBAL SURVEYOR" and seg["time_system"] == "UTC" and seg["covariances"] == 2
    (tmp_path / "t.tdm").write_text(format_tdm([(META, RECORDS)]))
    r = runner.invoke(app, ["check", str(tmp_path / "t.tdm")])
    assert r.exit_code == 0 and "TDM" in r.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_one_segment("UT1"), "TIME_SYSTEM 'UT1' is not supported; use one of TDB, TT, TAI, GPS, UTC"),
        (_one_segment().replace("OBJECT_ID = 2016-000A\n", ""), "metadata lacks OBJECT_ID"),
        (_one_segment(epochs=["2016-10-19T12:00:00", "2016-10-19T11:00:00"]), "epochs must increase strictly"),
        (format_tdm([(META, RECORDS)]).replace("12:01:00", "11:00:00"), "sort by time"),
        (_one_segment().replace("1.0 2.0 3.0 0.1", "nan 2.0 3.0 0.1", 1), "not finite (NaN or infinity)"),
        (_one_segment().replace("0.1 0.2 0.3", "0.1 inf 0.3", 1), "not finite (NaN or infinity)"),
        (_one_segment().replace("CCSDS_OEM_VERS = 3.0", "CCSDS_OEM_VERS = 9.0"), "'9.0' is not a version"),
        (format_tdm([(META, RECORDS)]).replace(" 1.5", " inf"), "VALUE a finite number"),
        (b"\xff\xfe\x00binary", "cannot read"),
        ("hello\n", "areo checks CCSDS OEM"),
        (None, "no file at"),
    ],
)
def test_bad_files_one_line_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.oem"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    r = runner.invoke(app, ["check", str(path)])
    assert r.exit_code == 2
    err = " ".join(r.stderr.split())
    assert message in err and "Traceback" not in r.output + r.stderr
    assert len(r.stderr.strip().splitlines()) <= 3  # one message, soft-wrapped by the terminal width at most
    assert list(tmp_path.iterdir()) == ([path] if content is not None else [])  # nothing written
