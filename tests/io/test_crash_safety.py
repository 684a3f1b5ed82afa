"""Crash safety of the writers: a process killed (SIGKILL) at a chosen point leaves the old output or the new one,
never a part, and the next run starts cleanly. Kills are placed deterministically: the child kills itself at
its K-th ``os.replace`` (the commit point of every atomic write), never after a wall-clock delay."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from areo.io.files import atomic_write_text, staged_output

SRC = Path(__file__).resolve().parents[2] / "src"

# The child stages three files into OUT (one in a sub-folder) and SIGKILLs itself at its K-th os.replace.
_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from areo.io.files import staged_output

    out, k = sys.argv[1], int(sys.argv[2])
    calls, real = [0], os.replace

    def replace(a, b):
        calls[0] += 1
        if calls[0] == k:
            os.kill(os.getpid(), signal.SIGKILL)
        real(a, b)

    os.replace = replace
    with staged_output(out) as tmp:
        (tmp / "summary.json").write_text('{"run": "new"}')
        (tmp / "report.html").write_text("<html>new</html>")
        (tmp / "sub").mkdir()
        (tmp / "sub" / "table.csv").write_text("a,b\\n1,2\\n")
    """
)


def _stage_and_kill(out: Path, k: int) -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(out), str(k)], env=env, capture_output=True, timeout=120)
    return proc.returncode


def _stages(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*"))


def _files(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}


NEW = {"report.html": "<html>new</html>", "sub/table.csv": "a,b\n1,2\n", "summary.json": '{"run": "new"}'}


def test_a_new_folder_killed_while_committing_is_all_or_nothing_and_the_rerun_cleans_up(tmp_path):
    out = tmp_path / "replay"
    assert _stage_and_kill(out, 1) == -signal.SIGKILL  # killed at the commit: before the fix, mid-way through
    assert not out.exists(), f"a half-committed folder was left: {_files(out)}"
    assert len(_stages(out)) == 1  # the killed process's staging folder, beside --out
    with staged_output(out) as tmp:  # the next run
        for name, text in NEW.items():
            (tmp / name).parent.mkdir(exist_ok=True)
            (tmp / name).write_text(text)
    assert _files(out) == NEW
    assert _stages(out) == [], "the dead run's staging folder was left behind"
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())  # not mkdtemp's 0700


def test_an_existing_folder_killed_while_committing_holds_whole_files_only(tmp_path):
    out = tmp_path / "replay"
    out.mkdir()
    (out / "summary.json").write_text('{"run": "old"}')
    (out / "mine.txt").write_text("the user's own notes")
    assert _stage_and_kill(out, 2) == -signal.SIGKILL  # one file replaced, the others not yet
    files = _files(out)
    assert files.pop("mine.txt") == "the user's own notes"
    assert files.pop("summary.json") in ('{"run": "old"}', '{"run": "new"}')
    for name, text in files.items():
        assert text == NEW[name], f"{name} is not whole: {text!r}"
    assert _stage_and_kill(out, 10_000) == 0  # run again: everything new, the user's file kept
    assert _files(out) == {**NEW, "mine.txt": "the user's own notes"}
    assert _stages(out) == []


def test_a_live_staging_folder_is_not_removed_by_another_writer(tmp_path):
    out = tmp_path / "o"
    with staged_output(out) as first:
        (first / "a.txt").write_text("a")
        with staged_output(out) as second:
            (second / "b.txt").write_text("b")
        assert (first / "a.txt").read_text() == "a"
    assert _files(out) == {"a.txt": "a", "b.txt": "b"}


def test_atomic_write_flushes_to_disk_before_the_rename(tmp_path, monkeypatch):
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    atomic_write_text(tmp_path / "f.bin", b"\x00\x01")
    assert (tmp_path / "f.bin").read_bytes() == b"\x00\x01"
    assert events[:2] == ["fsync", "replace"], events


@pytest.fixture(scope="module")
def small_porkchop():
    from areo import porkchop

    return porkchop("earth", "mars", "2016-02-01:2016-04-30", "2016-09-01:2016-12-31", grid=8)


@pytest.mark.parametrize("what", ["png", "html", "parquet"])
def test_porkchop_files_written_to_a_user_path_keep_the_old_file_when_stopped_at_the_rename(
    tmp_path, monkeypatch, small_porkchop, what
):
    pytest.importorskip("matplotlib")
    pytest.importorskip("plotly")
    pytest.importorskip("pyarrow")
    from areo.io.grid import write_grid_parquet
    from areo.report.porkchop import porkchop_html, porkchop_png

    write = {
        "png": lambda p: porkchop_png(small_porkchop, p),
        "html": lambda p: porkchop_html(small_porkchop, p),
        "parquet": lambda p: write_grid_parquet(small_porkchop.grid, p),
    }[what]
    path = tmp_path / f"porkchop.{what}"
    path.write_bytes(b"old")

    class Killed(BaseException):
        pass

    def killed(a, b):
        raise Killed  # the process dies here: the new file is complete but has not taken the name

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(Killed):
        write(path)
    assert path.read_bytes() == b"old", "the user's file was overwritten in place"
    monkeypatch.undo()
    write(path)
    data = path.read_bytes()
    if what == "png":
        assert data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    elif what == "html":
        assert data.rstrip().endswith(b"</html>")
    else:
        import pandas as pd

        assert len(pd.read_parquet(path)) == 8 * 8
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_replay_run_again_into_a_folder_removes_the_earlier_replays_files_and_keeps_the_users(tmp_path):
    # an earlier replay (another scenario) listed its files in files.json; the new one writes other files
    from areo.mission.replay import replay

    out = tmp_path / "out"
    (out / "porkchop").mkdir(parents=True)
    (out / "porkchop" / "grid.parquet").write_text("earlier replay")
    (out / "trajectory-tgo.oem").write_text("earlier replay")
    (out / "notes.txt").write_text("the user's own notes")
    (tmp_path / "outside.txt").write_text("not the replay's")
    listed = ["trajectory-tgo.oem", "porkchop/grid.parquet", "files.json", "notes-not-there.txt", "../outside.txt"]
    (out / "files.json").write_text(json.dumps({"files": listed}))
    res = replay("venus-orbiter-isro", out)
    written = {str(Path(f).relative_to(out)) for f in res.files}
    assert {str(p.relative_to(out)) for p in out.rglob("*")} == written | {"notes.txt"}
    assert (out / "notes.txt").read_text() == "the user's own notes"
    assert (tmp_path / "outside.txt").read_text() == "not the replay's"


def test_the_cli_rerun_after_a_kill_says_so_in_one_line(tmp_path):
    # the lock line a killed writer leaves (its process gone): the rerun takes the folder over and says so
    out = tmp_path / "mc"
    out.mkdir()
    (out / ".lock").write_text("pid 999999 on elsewhere since 2026-01-01T00:00:00Z\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    args = ["aerobrake", "magellan1993", "--runs", "2", "--chunk", "1", "--out", str(out), "--json"]
    cmd = [sys.executable, "-c", "from areo.cli import main; main()", *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-500:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "stopped without releasing" in lines[0], lines
