"""CCSDS Orbit Ephemeris Message (OEM), KVN form, version 3.0 (CCSDS 502.0-B-3, Orbit Data Messages, 2023).

``oem_text`` writes one or more segments (one per object/centre); ``write_oem`` writes a file atomically;
``parse_oem`` reads back the subset areo writes (header, META blocks, COMMENT lines, ephemeris data lines with
position in km and velocity in km/s). Epochs are calendar strings in the TIME_SYSTEM of the segment (areo uses
TDB: TDB seconds past J2000 map exactly to 2000-01-01T12:00:00 TDB + seconds, with no leap seconds).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ..errors import InputError
from .files import atomic_write_text

_J2000 = _dt.datetime(2000, 1, 1, 12, 0, 0)
CENTER_NAMES = ("SUN", "SOLAR SYSTEM BARYCENTER", "EARTH", "MARS", "MARS BARYCENTER")
REF_FRAMES = ("ICRF", "EME2000")


def tdb_seconds_to_calendar(tdb_s: float) -> str:
    """TDB seconds past J2000 to 'YYYY-MM-DDThh:mm:ss.ffffff' on the TDB time scale."""
    return (_J2000 + _dt.timedelta(seconds=float(tdb_s))).strftime("%Y-%m-%dT%H:%M:%S.%f")


def calendar_to_tdb_seconds(text: str) -> float:
    """Inverse of :func:`tdb_seconds_to_calendar` (accepts 'YYYY-DDDThh:mm:ss' day-of-year form too)."""
    s = text.strip().rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%jT%H:%M:%S.%f", "%Y-%jT%H:%M:%S"):
        try:
            t = _dt.datetime.strptime(s, fmt)
            return (t - _J2000).total_seconds()
        except ValueError:
            continue
    raise InputError(f"cannot read OEM epoch {text!r}; expected 'YYYY-MM-DDThh:mm:ss[.ffffff]'.")


@dataclass
class OemSegment:
    """One OEM segment: metadata and states (TDB s, position m, velocity m/s)."""

    object_name: str
    object_id: str
    center_name: str
    tdb_s: np.ndarray
    r_m: np.ndarray
    v_m_s: np.ndarray
    ref_frame: str = "ICRF"
    time_system: str = "TDB"
    comments: list = field(default_factory=list)


def _check(seg: OemSegment) -> None:
    t = np.asarray(seg.tdb_s, float)
    r = np.asarray(seg.r_m, float)
    v = np.asarray(seg.v_m_s, float)
    if t.ndim != 1 or r.shape != (t.size, 3) or v.shape != (t.size, 3) or t.size == 0:
        raise InputError(
            f"OEM segment {seg.object_name!r}: need tdb_s (N,), r_m (N, 3), v_m_s (N, 3) with N >= 1; "
            f"got {t.shape}, {r.shape}, {v.shape}."
        )
    if np.any(np.diff(t) <= 0):
        raise InputError(f"OEM segment {seg.object_name!r}: epochs must increase strictly (CCSDS 502.0-B-3 5.2.4).")
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        raise InputError(f"OEM segment {seg.object_name!r}: states contain NaN or infinity.")
    if seg.ref_frame not in REF_FRAMES:
        raise InputError(f"OEM REF_FRAME {seg.ref_frame!r} is not supported; use one of {REF_FRAMES}.")


def oem_text(segments, originator: str = "areo", creation_date_utc: str | None = None) -> str:
    """The OEM file content (KVN) for a list of :class:`OemSegment`."""
    if isinstance(segments, OemSegment):
        segments = [segments]
    created = creation_date_utc or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    lines = ["CCSDS_OEM_VERS = 3.0", f"CREATION_DATE = {created}", f"ORIGINATOR = {originator}", ""]
    for seg in segments:
        _check(seg)
        t = np.asarray(seg.tdb_s, float)
        lines += [
            "META_START",
            f"OBJECT_NAME = {seg.object_name}",
            f"OBJECT_ID = {seg.object_id}",
            f"CENTER_NAME = {seg.center_name}",
            f"REF_FRAME = {seg.ref_frame}",
            f"TIME_SYSTEM = {seg.time_system}",
            f"START_TIME = {tdb_seconds_to_calendar(t[0])}",
            f"STOP_TIME = {tdb_seconds_to_calendar(t[-1])}",
            "META_STOP",
            "",
        ]
        for c in seg.comments:
            lines.append(f"COMMENT {c}")
        r = np.asarray(seg.r_m, float) / 1e3
        v = np.asarray(seg.v_m_s, float) / 1e3
        for k in range(t.size):
            lines.append(
                f"{tdb_seconds_to_calendar(t[k])} {r[k, 0]: .6f} {r[k, 1]: .6f} {r[k, 2]: .6f} "
                f"{v[k, 0]: .9f} {v[k, 1]: .9f} {v[k, 2]: .9f}"
            )
        lines.append("")
    return "\n".join(lines)


def write_oem(path, segments, **kw) -> str:
    """Write ``oem_text(segments)`` to ``path`` atomically (temporary file, then rename); returns the path."""
    atomic_write_text(path, oem_text(segments, **kw))
    return os.fspath(path)


def parse_oem(text: str) -> tuple[dict, list[OemSegment]]:
    """Parse OEM KVN text into (header dict, segments). Raises InputError naming the line on malformed input."""
    header: dict = {}
    segs: list[OemSegment] = []
    meta: dict | None = None
    in_meta = False
    rows: list = []
    comments: list = []

    def close():
        if meta is not None:
            a = np.array(rows, float).reshape(-1, 7)
            segs.append(
                OemSegment(
                    meta.get("OBJECT_NAME", ""),
                    meta.get("OBJECT_ID", ""),
                    meta.get("CENTER_NAME", ""),
                    a[:, 0],
                    a[:, 1:4] * 1e3,
                    a[:, 4:7] * 1e3,
                    meta.get("REF_FRAME", ""),
                    meta.get("TIME_SYSTEM", ""),
                    list(comments),
                )
            )

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("COMMENT"):
            comments.append(line[7:].strip())
            continue
        if line == "META_START":
            close()
            meta, in_meta, rows, comments = {}, True, [], []
            continue
        if line == "META_STOP":
            in_meta = False
            continue
        if "=" in line and (in_meta or meta is None):
            k, v = (x.strip() for x in line.split("=", 1))
            cast(dict, meta if in_meta else header)[k] = v
            continue
        parts = line.split()
        if meta is None or in_meta or len(parts) not in (7, 10):
            raise InputError(
                f"OEM line {n} is not valid here: {raw!r}; expected 'EPOCH X Y Z VX VY VZ' after META_STOP."
            )
        try:
            rows.append([calendar_to_tdb_seconds(parts[0])] + [float(x) for x in parts[1:7]])
        except ValueError:
            raise InputError(f"OEM line {n}: cannot read numbers in {raw!r}.") from None
    close()
    if header.get("CCSDS_OEM_VERS") is None:
        raise InputError("not an OEM: the first keyword must be CCSDS_OEM_VERS (CCSDS 502.0-B-3, 5.2.2).")
    return header, segs
