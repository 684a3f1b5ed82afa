"""Checks of ``--out`` targets, made before any work so that a bad output path fails in a second.

``check_out_dir`` accepts a folder that exists or can be created; ``check_out_file`` a regular file that can be
(re)placed. Both refuse an empty path, device nodes and named pipes (they would be replaced by a regular file,
or written to without error), paths under ``/proc`` and ``/sys``, and parents where nothing can be created;
they prove the last point by creating and removing a probe entry where the output will be staged.
Writing itself goes through :func:`areo.io.files.staged_output` / :func:`~areo.io.files.atomic_write_text`,
which turn a failed write (full disk, read-only file system) into :class:`areo.errors.OutputError`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ..errors import InputError, OutputError
from .pathkind import special_kind

_PSEUDO_FS = ("/proc", "/sys")


def _kind(mode: int) -> str:
    return special_kind(mode) or ("a folder" if stat.S_ISDIR(mode) else "a file")


def _text(path: str | os.PathLike[str], option: str) -> tuple[str, Path]:
    s = os.fspath(path)
    if not s.strip():
        raise InputError(f"{option} is empty; give a path such as out/run1")
    if "\x00" in s:
        raise InputError(f"{option} {s!r} contains a NUL character; give a plain path")
    p = Path(s).expanduser()
    resolved = os.path.realpath(p)
    if any(resolved == d or resolved.startswith(d + os.sep) for d in _PSEUDO_FS):
        raise InputError(
            f"{option} {s!r} lies under {resolved.split(os.sep)[1]!r}, a system pseudo-file system; write elsewhere"
        )
    return s, p


def _existing_ancestor(p: Path) -> Path:
    q = Path(os.path.abspath(p))
    while not q.exists():
        q = q.parent
    return q


def _probe(folder: Path, option: str, s: str) -> None:
    """Create and remove an entry in ``folder``: the only reliable test that outputs can be staged there."""
    if not folder.is_dir():
        raise InputError(
            f"{option} {s!r}: {str(folder)!r} is {_kind(folder.stat().st_mode)}, not a folder; choose another path"
        )
    try:
        tmp = tempfile.mkdtemp(prefix=".areo-probe.", dir=folder)
    except OSError as exc:
        raise InputError(
            f"{option} {s!r}: cannot create files in {str(folder)!r} ({exc.strerror or exc}); choose a writable folder"
        ) from None
    with contextlib.suppress(OSError):
        os.rmdir(tmp)


def check_out_dir(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The output folder ``path``, checked: it is a folder or can be created, and files can be written there."""
    s, p = _text(path, option)
    if p.exists():
        mode = p.stat().st_mode
        if not stat.S_ISDIR(mode):
            raise InputError(
                f"{option} {s!r} exists and is {_kind(mode)}, not a folder; give a new or existing folder path"
            )
        _probe(p, option, s)
        return p
    anc = _existing_ancestor(p)
    _probe(anc, option, s)
    return p


def check_out_file(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The output file ``path``, checked: absent or a regular file, in a folder where files can be created."""
    s, p = _text(path, option)
    if s.endswith(("/", os.sep)):
        raise InputError(f"{option} {s!r} names a folder; give a file name such as out/tracking.tdm")
    if p.exists():
        mode = p.stat().st_mode
        if not stat.S_ISREG(mode):
            raise InputError(
                f"{option} {s!r} exists and is {_kind(mode)}; give the path of a regular file (it is replaced atomically)"
            )
    _probe(_existing_ancestor(p.parent), option, s)
    return p


def output_error(exc: OSError, target: str | os.PathLike[str]) -> OutputError:
    """An :class:`OutputError` for a failed write (disk full, read-only, permission), naming the target."""
    why = exc.strerror or str(exc)
    return OutputError(
        f"could not write {os.fspath(target)!r}: {why}; nothing was written there. Free space or choose another --out"
    )


__all__ = ["check_out_dir", "check_out_file", "output_error"]
