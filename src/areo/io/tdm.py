"""CCSDS Tracking Data Message (TDM) writer, KVN form (CCSDS 503.0-B-2, "Tracking Data Message", 2020).

A TDM is a header, then one or more segments of ``META_START ... META_STOP`` keyword = value lines followed by
``DATA_START ... DATA_STOP`` tracking-data lines ``KEYWORD = EPOCH VALUE``. This module formats what it is given
(metadata dict and records) and checks the few rules a reader relies on; it computes nothing.
"""

from __future__ import annotations

import datetime as _dt
import math
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
# Metadata keywords in the order of CCSDS 503.0-B-2 table 3-3 (the order the TDM XML schema fixes too); COMMENT
# lines may only open the header (after CCSDS_TDM_VERS), the metadata (after META_START) and the data section
# (after DATA_START), 503.0-B-2 section 3.5 / 4.
_N = range(1, 6)
META_ORDER = (
    "TRACK_ID",
    "DATA_TYPES",
    "TIME_SYSTEM",
    "START_TIME",
    "STOP_TIME",
    *(f"PARTICIPANT_{i}" for i in _N),
    "MODE",
    "PATH",
    "PATH_1",
    "PATH_2",
    *(f"EPHEMERIS_NAME_{i}" for i in _N),
    "TRANSMIT_BAND",
    "RECEIVE_BAND",
    "TURNAROUND_NUMERATOR",
    "TURNAROUND_DENOMINATOR",
    "TIMETAG_REF",
    "INTEGRATION_INTERVAL",
    "INTEGRATION_REF",
    "FREQ_OFFSET",
    "RANGE_MODE",
    "RANGE_MODULUS",
    "RANGE_UNITS",
    "ANGLE_TYPE",
    "REFERENCE_FRAME",
    "INTERPOLATION",
    "INTERPOLATION_DEGREE",
    "DOPPLER_COUNT_BIAS",
    "DOPPLER_COUNT_SCALE",
    "DOPPLER_COUNT_ROLLOVER",
    *(f"TRANSMIT_DELAY_{i}" for i in _N),
    *(f"RECEIVE_DELAY_{i}" for i in _N),
    "DATA_QUALITY",
    "CORRECTION_ANGLE_1",
    "CORRECTION_ANGLE_2",
    "CORRECTION_DOPPLER",
    "CORRECTION_MAG",
    "CORRECTION_RANGE",
    "CORRECTION_RCS",
    "CORRECTION_RECEIVE",
    "CORRECTION_TRANSMIT",
    "CORRECTION_ABERRATION_YEARLY",
    "CORRECTION_ABERRATION_DIURNAL",
    "CORRECTIONS_APPLIED",
)


def _comments(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(c) for c in value]  # type: ignore[attr-defined]


def _meta_lines(meta: Mapping[str, object]) -> list[str]:
    """META_START, COMMENT lines, keywords in table 3-3 order, META_STOP."""
    for k in REQUIRED_META:
        if k not in meta:
            raise InputError(f"TDM metadata lacks {k}; every segment needs {', '.join(REQUIRED_META)}.")
    unknown = [k for k in meta if k != "COMMENT" and k not in META_ORDER]
    if unknown:
        raise InputError(
            f"TDM metadata keyword(s) {', '.join(unknown)} are not in CCSDS 503.0-B-2 table 3-3; "
            "remove them or put the information in a COMMENT."
        )
    lines = ["META_START"] + [f"COMMENT {c}" for c in _comments(meta.get("COMMENT"))]
    lines += [f"{k} = {meta[k]}" for k in META_ORDER if k in meta]
    return [*lines, "META_STOP"]


def format_tdm(
    segments: Iterable[tuple[Mapping[str, str], Iterable[tuple[str, str, str]]]],
    originator: str = "areo",
    creation_date: str | None = None,
    comments: Iterable[str] = (),
) -> str:
    """Text of a KVN TDM from ``[(metadata, [(keyword, epoch, value), ...]), ...]``.

    Metadata values are written as given, in the keyword order of CCSDS 503.0-B-2 table 3-3 whatever the order
    of the mapping; a ``COMMENT`` entry (a string or a list of them) is written right after META_START, the only
    place the standard allows comments in metadata. Epochs are ISO strings in the segment's TIME_SYSTEM.
    Raises InputError for a missing TIME_SYSTEM/PARTICIPANT_1, a keyword outside table 3-3 or an unknown data
    keyword.
    """
    created = creation_date or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    lines = [f"CCSDS_TDM_VERS = {TDM_VERSION}"]
    lines += [f"COMMENT {c}" for c in comments]
    lines += [f"CREATION_DATE = {created}", f"ORIGINATOR = {originator}", ""]
    n = 0
    for meta, records in segments:
        lines += _meta_lines(meta)
        lines += ["", "DATA_START"]
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


TIME_SYSTEMS = ("UTC", "TAI", "TT", "GPS", "TDB", "TCB", "TCG", "UT1", "GMST", "MET", "MRT", "SCLK")


def _tdm_error(n: int, raw: str, what: str) -> InputError:
    return InputError(f"TDM line {n}: {what} in {raw.strip()!r}; see CCSDS 503.0-B-2 sections 3 and 4.")


def parse_tdm(text: str) -> list[tuple[dict[str, str], list[tuple[str, str, float]]]]:
    """Read a KVN TDM into ``[(metadata, [(keyword, epoch, value), ...]), ...]`` (epochs as written).

    Checks what a strict reader (Orekit) checks: CCSDS_TDM_VERS first, COMMENT lines only where 503.0-B-2
    allows them, metadata keywords from table 3-3 with TIME_SYSTEM and PARTICIPANT_1, a known TIME_SYSTEM, data
    lines ``KEYWORD = EPOCH VALUE`` with non-decreasing epochs. Raises InputError naming the line otherwise.
    """
    segments: list[tuple[dict[str, str], list[tuple[str, str, float]]]] = []
    meta: dict[str, str] = {}
    data: list[tuple[str, str, float]] = []
    state, seen_key = "start", False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("COMMENT"):
            if seen_key or state in ("start", "between", "after_meta"):
                raise _tdm_error(n, raw, "COMMENT is only allowed at the start of the header, metadata or data")
            continue
        if state == "start":
            if not line.startswith("CCSDS_TDM_VERS"):
                raise _tdm_error(n, raw, "not a TDM: the first keyword must be CCSDS_TDM_VERS")
            state = "header"
            continue
        if line in _MARKERS:
            state, meta, data = _tdm_marker(n, raw, line, state, meta, data, segments)
            seen_key = False
            continue
        key, sep, val = (s.strip() for s in line.partition("="))
        if not sep or state not in ("header", "meta", "data"):
            raise _tdm_error(n, raw, "expected KEYWORD = VALUE inside a header, metadata or data section")
        seen_key = state != "header" or key != "CCSDS_TDM_VERS"
        if state == "meta":
            if key not in META_ORDER:
                raise _tdm_error(n, raw, f"{key} is not a TDM metadata keyword (table 3-3)")
            meta[key] = val
        elif state == "data":
            data.append(_tdm_data_line(n, raw, key, val, data))
    if state not in ("between",) or not segments:
        raise InputError("TDM ends before DATA_STOP of a complete segment; every segment needs META and DATA blocks.")
    return segments


_MARKERS = ("META_START", "META_STOP", "DATA_START", "DATA_STOP")


def _tdm_marker(
    n: int,
    raw: str,
    line: str,
    state: str,
    meta: dict[str, str],
    data: list[tuple[str, str, float]],
    segments: list[tuple[dict[str, str], list[tuple[str, str, float]]]],
) -> tuple[str, dict[str, str], list[tuple[str, str, float]]]:
    """A META/DATA START/STOP line: checked against the reader's state; a finished segment is appended to
    ``segments``. Returns the new state and the metadata and data being filled (fresh ones at META_START)."""
    expected = {"header": "META_START", "between": "META_START", "meta": "META_STOP"}
    expected.update({"after_meta": "DATA_START", "data": "DATA_STOP"})
    if expected.get(state) != line:
        raise _tdm_error(n, raw, f"{line} out of place (expected {expected.get(state)})")
    if line == "META_STOP":
        _check_tdm_meta(n, raw, meta)
    if line == "DATA_STOP":
        segments.append((meta, data))
    state = {"META_START": "meta", "META_STOP": "after_meta", "DATA_START": "data"}.get(line, "between")
    if line == "META_START":
        meta, data = {}, []
    return state, meta, data


def _tdm_data_line(n: int, raw: str, key: str, val: str, data: list[tuple[str, str, float]]) -> tuple[str, str, float]:
    """``KEYWORD = EPOCH VALUE`` as (keyword, epoch, value), its epoch not before the previous line's."""
    parts = val.split()
    try:
        value = float(parts[1]) if len(parts) == 2 else float("nan")
    except ValueError:
        value = float("nan")
    if len(parts) != 2 or not math.isfinite(value):
        raise _tdm_error(n, raw, "expected KEYWORD = EPOCH VALUE (VALUE a finite number)")
    if data and parts[0] < data[-1][1]:
        raise _tdm_error(n, raw, f"epoch {parts[0]} is earlier than the line before ({data[-1][1]}); sort by time")
    return key, parts[0], value


def _check_tdm_meta(n: int, raw: str, meta: dict[str, str]) -> None:
    for k in REQUIRED_META:
        if k not in meta:
            raise _tdm_error(n, raw, f"metadata lacks {k}")
    if meta["TIME_SYSTEM"] not in TIME_SYSTEMS:
        raise _tdm_error(n, raw, f"TIME_SYSTEM {meta['TIME_SYSTEM']!r} is not one of {', '.join(TIME_SYSTEMS)}")
