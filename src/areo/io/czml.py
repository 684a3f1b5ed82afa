"""CZML (Cesium Language) documents for trajectories.

Cesium's ``INERTIAL`` reference frame is Earth-centred ICRF, so pass Earth-centred ICRF positions in metres
(``Trajectory.relative_to('earth')`` in :mod:`areo.cruise`). Sample epochs go out as UTC: an ISO ``epoch`` and
offsets in seconds, as the CZML ``cartesian`` ``[t, x, y, z, ...]`` form asks.
Reference: https://github.com/AnalyticalGraphicsInc/czml-writer/wiki/CZML-Structure
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import numpy as np

from ..errors import InputError
from ..time import tdb_seconds_to_utc
from .files import atomic_write_text


@dataclass
class CzmlPath:
    """One object to draw: id, name, TDB epochs (s), Earth-centred ICRF positions (m), colour RGBA 0-255."""

    id: str
    name: str
    tdb_s: np.ndarray
    r_earth_icrf_m: np.ndarray
    rgba: tuple = (255, 200, 0, 255)
    width_px: float = 2.0


def _iso(dt) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def czml_document(paths, name: str = "areo trajectory") -> list[dict]:
    """The CZML packets (a JSON-ready list) for ``paths``."""
    if isinstance(paths, CzmlPath):
        paths = [paths]
    if not paths:
        raise InputError("czml_document needs at least one CzmlPath.")
    t_lo = min(float(np.min(p.tdb_s)) for p in paths)
    t_hi = max(float(np.max(p.tdb_s)) for p in paths)
    lo, hi = cast(list[datetime], tdb_seconds_to_utc(np.array([t_lo, t_hi])))
    doc = [
        {
            "id": "document",
            "name": name,
            "version": "1.0",
            "clock": {
                "interval": f"{_iso(lo)}/{_iso(hi)}",
                "currentTime": _iso(lo),
                "multiplier": 3600,
                "range": "LOOP_STOP",
                "step": "SYSTEM_CLOCK_MULTIPLIER",
            },
        }
    ]
    for p in paths:
        t = np.asarray(p.tdb_s, float)
        r = np.asarray(p.r_earth_icrf_m, float)
        if r.shape != (t.size, 3) or t.size < 2 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(r)):
            raise InputError(
                f"CZML path {p.id!r}: need >= 2 increasing epochs and finite positions (N, 3); "
                f"got {t.shape} epochs and positions {r.shape}."
            )
        utc = cast(list[datetime], tdb_seconds_to_utc(t))
        epoch = utc[0]
        offs = np.array([(u - epoch).total_seconds() for u in utc])
        cart = np.column_stack([offs, r]).ravel().tolist()
        doc.append(
            {
                "id": p.id,
                "name": p.name,
                "availability": f"{_iso(utc[0])}/{_iso(utc[-1])}",
                "position": {
                    "epoch": _iso(epoch),
                    "referenceFrame": "INERTIAL",
                    "interpolationAlgorithm": "LAGRANGE",
                    "interpolationDegree": 7,  # the degree the OEM samples are checked for
                    "cartesian": cart,
                },
                "path": {
                    "material": {"solidColor": {"color": {"rgba": list(p.rgba)}}},
                    "width": p.width_px,
                    "leadTime": 0,
                    "resolution": 3600,
                },
                "point": {"pixelSize": 6, "color": {"rgba": list(p.rgba)}},
            }
        )
    return doc


def write_czml(path, paths, name: str = "areo trajectory") -> str:
    """Write the CZML document to ``path`` atomically; returns the path."""
    atomic_write_text(path, json.dumps(czml_document(paths, name=name), separators=(",", ":")))
    return os.fspath(path)
