"""CCSDS Tracking Data Message (TDM) writer, KVN form (CCSDS 503.0-B-2, "Tracking Data Message", 2020).

A TDM is a header, then one or more segments of ``META_START ... META_STOP`` keyword = value lines followed by
``DATA_START ... DATA_STOP`` tracking-data lines ``KEYWORD = EPOCH VALUE``. This module formats what it is given
(metadata dict and records) and checks the few rules a reader relies on; it computes nothing.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from .files import atomic_write_text

TDM_VERSION = "2.0"
# Tracking-data keywords areo writes (a subset of CCSDS 503.0-B-2 table 3-5).
DATA_KEYWORDS = frozenset(
    {
        "RANGE",
        "DOPPLER_INSTANTANEOUS",
        "DOPPLER_INTEGRATED",
        "RECEIVE_FREQ_1",
        "RECEIVE_FREQ_2",
        "TRANSMIT_FREQ_1",
        "TRANSMIT_FREQ_2",
        "ANGLE_1",
        "ANGLE_2",
    }
)
REQUIRED_META = ("TIME_SYSTEM", "PARTICIPANT_1")


def format_tdm(
    segments: Iterable[tuple[Mapping[str, str], Iterable[tuple[str, str, str]]]],
    originator: str = "areo",
    creation_date: str | None = None,
    comments: Iterable[str] = (),
) -> str:
    """Text of a KVN TDM from ``[(metadata, [(keyword, epoch, value), ...]), ...]``.

    Metadata values are written as given (``COMMENT`` lines are allowed); epochs are ISO strings in the
    segment's TIME_SYSTEM. Raises InputError for a missing TIME_SYSTEM/PARTICIPANT_1 or an unknown data keyword.
    """
    created = creation_date or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    lines = [f"CCSDS_TDM_VERS = {TDM_VERSION}"]
    lines += [f"COMMENT {c}" for c in comments]
    lines += [f"CREATION_DATE = {created}", f"ORIGINATOR = {originator}", ""]
    n = 0
    for meta, records in segments:
        for k in REQUIRED_META:
            if k not in meta:
                raise InputError(f"TDM metadata lacks {k}; every segment needs {', '.join(REQUIRED_META)}.")
        lines.append("META_START")
        for k, v in meta.items():
            lines.append(f"COMMENT {v}" if k == "COMMENT" else f"{k} = {v}")
        lines += ["META_STOP", "", "DATA_START"]
        for kw, epoch, value in records:
            if kw not in DATA_KEYWORDS:
                raise InputError(
                    f"{kw!r} is not a TDM tracking-data keyword areo writes; use one of "
                    f"{', '.join(sorted(DATA_KEYWORDS))}."
                )
            lines.append(f"{kw} = {epoch} {value}")
        lines += ["DATA_STOP", ""]
        n += 1
    if n == 0:
        raise InputError("a TDM needs at least one segment of metadata and data.")
    return "\n".join(lines)


def write_tdm(
    path: str | os.PathLike[str],
    segments: Iterable[tuple[Mapping[str, str], Iterable[tuple[str, str, str]]]],
    **kw: Any,
) -> Path:
    """Write :func:`format_tdm` text to ``path`` atomically (temporary file + rename); returns the path."""
    atomic_write_text(path, format_tdm(segments, **kw))
    return Path(path)


def parse_tdm(text: str) -> list[tuple[dict[str, str], list[tuple[str, str, float]]]]:
    """Read back a KVN TDM written by :func:`format_tdm` (a minimal reader, used by tests and users' checks)."""
    segments: list[tuple[dict[str, str], list[tuple[str, str, float]]]] = []
    meta: dict[str, str] = {}
    data: list[tuple[str, str, float]] = []
    state = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("COMMENT"):
            continue
        if line in ("META_START", "META_STOP", "DATA_START", "DATA_STOP"):
            state = line
            if line == "META_START":
                meta, data = {}, []
            elif line == "DATA_STOP":
                segments.append((meta, data))
            continue
        key, _, val = (s.strip() for s in line.partition("="))
        if state == "META_START":
            meta[key] = val
        elif state == "DATA_START":
            epoch, value = val.split()
            data.append((key, epoch, float(value)))
    return segments
