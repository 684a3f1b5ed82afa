"""Atomic file output: nothing half-written is ever left where the user looks, even after a SIGKILL.

``staged_output(out_dir)`` yields a temporary folder beside ``out_dir``; when the block succeeds its files are
flushed to disk and committed: a new (or empty) ``out_dir`` is the temporary folder renamed in one step (all the
files or none), an ``out_dir`` holding files already gets each file by an atomic rename (a kill during that
commit can leave old and new files side by side, each whole; running again replaces them). When the block fails
the temporary folder is removed; one left by a killed process is removed by the next ``staged_output`` beside it.
``atomic_write_text(path, data)`` writes one file (text or bytes) through a temporary file, fsync and a rename.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from .outpath import output_error


@contextlib.contextmanager
def staged_output(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {str(out)!r} exists and is not a folder; give a new or existing folder path")
    lock = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_stages(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        lock = _hold(tmp)  # marks the stage as live: another staged_output beside it leaves it alone
    except OSError as exc:
        raise output_error(exc, out) from None
    try:
        yield tmp
        _commit(tmp, out)
    except OSError as exc:
        raise output_error(exc, out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if lock is not None:
            os.close(lock)


def _commit(tmp: Path, out: Path) -> None:
    files = [p for p in sorted(tmp.rglob("*")) if p.is_file()]
    for src in files:
        os.chmod(src, 0o666 & ~_umask())  # mkstemp-made files are 0600; give them the usual mode
        _fsync(src)
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        for d in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(d, 0o777 & ~_umask())  # mkdtemp makes 0700
        os.replace(tmp, out)  # all the files or none
        _fsync(out.parent)
        return
    for src in files:
        dst = out / src.relative_to(tmp)
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
    _fsync(out)


def _fsync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk; folders that cannot be opened (Windows) are skipped."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)


def _hold(stage: Path) -> int | None:
    """An OS lock on the staging folder, released by the kernel when this process dies (None without fcntl)."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(stage, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _remove_dead_stages(out: Path) -> None:
    """Remove the staging folders of ``out`` left by killed processes (their lock is free); live ones stay."""
    for stage in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
        if stage.is_symlink() or not stage.is_dir():
            continue
        with contextlib.suppress(OSError):
            fd = _hold(stage)
            if fd is not None:
                try:
                    shutil.rmtree(stage)
                finally:
                    os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` through a temporary file, fsync and a rename, so that a
    crash leaves the old file or the new one, never a part; a failed write raises OutputError and leaves nothing
    behind (a device node or pipe at ``path`` is refused, never replaced)."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise InputError(f"{str(path)!r} exists and is not a regular file; give the path of a file to (re)place")
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(exc, path) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def write_json(path: str | os.PathLike[str], obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, allow_nan=False) + "\n")
