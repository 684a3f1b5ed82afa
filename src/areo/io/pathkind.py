"""What a path is when it is not a regular file: the one check that input readers (scenario, launcher, CSV
tables) and the ``--out`` checks share, so that a named pipe (whose read blocks forever), a device node (whose
read never ends) or a socket is refused with one line instead of hanging or failing mid-run."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError


def special_kind(mode: int) -> str:
    """'a device node', 'a named pipe' or 'a socket' for such an ``st_mode``; '' for a file or a folder."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device node"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    return "a socket" if stat.S_ISSOCK(mode) else ""


def not_a_file(p: str | os.PathLike[str]) -> str:
    """:func:`special_kind` of the path ``p``; '' when it is a file or a folder, or is missing or unreadable (the
    caller's open then says so)."""
    try:
        return special_kind(Path(p).stat().st_mode)
    except OSError:
        return ""


def refuse_special(p: str | os.PathLike[str], what: str, fix: str) -> None:
    """InputError ``'<what> is a named pipe, not a file; <fix>'`` when ``p`` is a pipe, device node or socket."""
    kind = not_a_file(p)
    if kind:
        raise InputError(f"{what} is {kind}, not a file; {fix}")


__all__ = ["not_a_file", "refuse_special", "special_kind"]
