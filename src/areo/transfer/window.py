"""Launch windows, user layer: parse dates, validate, compute the porkchop grid, find and refine the optima.

>>> from areo.transfer.window import porkchop
>>> res = porkchop("earth", "mars", depart="2016-01-01:2016-06-30", arrive="2016-08-01:2017-03-31",
...                grid=400, at="2016-03-14/2016-10-19")
>>> res.optimum.c3_km2_s2, res.summary()["at"]["tof_days"]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np

from ..constants import GM_SUN
from ..ephem import BODIES, default_ephemeris
from ..errors import InputError, naming, unknown_choice
from ..time import parse_utc, parse_utc_range, tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from ..units import accepts_quantities
from .porkchop import (
    PorkchopGrid,
    TransferPoint,
    check_grid_size,
    grid_minimum,
    porkchop_grid,
    refine_minimum,
    transfer_point,
)

DateRange = str | Sequence[str | datetime]  # 'START:STOP' (or 'DEPART/ARRIVE'), or two dates
GridSize = int | str | Sequence[int]  # 400, '400x300' or (400, 300)

# bodies a transfer can start from or go to (not the Sun itself)
TRANSFER_BODIES = tuple(b for b in BODIES if b != "sun")


@dataclass
class PorkchopResult:
    """A porkchop grid with its optima (overall, type I, type II) and an optional point of interest."""

    grid: PorkchopGrid
    optimum: TransferPoint
    optimum_type1: TransferPoint | None
    optimum_type2: TransferPoint | None
    at: TransferPoint | None
    objective: str = "c3_km2_s2"

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary: grid description, the optima and the ``at`` point in user units and UTC."""
        g = self.grid
        return {
            "origin": g.origin,
            "target": g.target,
            "ephemeris": g.ephemeris,
            "frame": "Sun-centred; prograde in the mean ecliptic of J2000; DLA/RLA and declinations in ICRF",
            "grid": {
                "n_depart": int(g.depart_tdb_s.size),
                "n_arrive": int(g.arrive_tdb_s.size),
                "depart_utc": [
                    tdb_seconds_to_utc_iso(float(g.depart_tdb_s[0])),
                    tdb_seconds_to_utc_iso(float(g.depart_tdb_s[-1])),
                ],
                "arrive_utc": [
                    tdb_seconds_to_utc_iso(float(g.arrive_tdb_s[0])),
                    tdb_seconds_to_utc_iso(float(g.arrive_tdb_s[-1])),
                ],
                "valid_cells": int(np.sum(g.status == 0)),
            },
            "objective": self.objective,
            "optimum": point_dict(self.optimum),
            "optimum_type1": point_dict(self.optimum_type1),
            "optimum_type2": point_dict(self.optimum_type2),
            "at": point_dict(self.at),
        }

    def to_xarray(self) -> Any:
        """The grid as an ``xarray.Dataset`` over ``depart`` x ``arrive`` (UTC, ``datetime64[ns]``; the TDB
        seconds ride along as ``depart_tdb_s``/``arrive_tdb_s``); each variable's unit is in its ``units`` attr.

        Failed cells are NaN with their ``status`` (0 = OK). xarray comes with ``pip install 'areo[notebook]'``.
        """
        from ..results import _need, utc_datetime64

        xr = _need("xarray", "to_xarray()")
        g = self.grid
        dims = ("depart", "arrive")
        data = {
            name: (dims, np.asarray(getattr(g, name)), {"units": unit, "long_name": long})
            for name, (unit, long) in GRID_VARIABLES.items()
        }
        coords = {
            "depart": ("depart", utc_datetime64(g.depart_tdb_s), {"long_name": "departure epoch", "time_scale": "UTC"}),
            "arrive": ("arrive", utc_datetime64(g.arrive_tdb_s), {"long_name": "arrival epoch", "time_scale": "UTC"}),
            "depart_tdb_s": ("depart", np.asarray(g.depart_tdb_s), {"units": "s", "long_name": "TDB s past J2000"}),
            "arrive_tdb_s": ("arrive", np.asarray(g.arrive_tdb_s), {"units": "s", "long_name": "TDB s past J2000"}),
        }
        attrs = {"origin": g.origin, "target": g.target, "ephemeris": g.ephemeris, "objective": self.objective}
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def figure(self) -> Any:
        """The interactive plotly porkchop (C3 contours, arrival v-infinity, optima and the ``at`` point)."""
        from ..results import _need

        _need("plotly.graph_objects", "figure()")
        from ..report.porkchop import porkchop_figure

        return porkchop_figure(self)

    def _repr_html_(self) -> str:
        from ..results import html_table

        points = {"optimum": self.optimum, "type I": self.optimum_type1, "type II": self.optimum_type2, "at": self.at}
        rows = [
            {"point": label, **{k: v for k, v in (point_dict(p) or {}).items() if not k.endswith("_tdb_s")}}
            for label, p in points.items()
            if p is not None
        ]
        g = self.grid
        title = f"porkchop {g.origin} -> {g.target}, {g.shape[0]} x {g.shape[1]} cells, minimum {self.objective}"
        return html_table(rows, title)


# porkchop grid fields in xarray: name -> (unit, meaning)
GRID_VARIABLES = {
    "c3_km2_s2": ("km2 s-2", "departure C3 (v-infinity squared)"),
    "vinf_depart_km_s": ("km s-1", "departure hyperbolic excess speed"),
    "dla_deg": ("degree", "declination of the departure asymptote (ICRF)"),
    "rla_deg": ("degree", "right ascension of the departure asymptote (ICRF)"),
    "vinf_arrive_km_s": ("km s-1", "arrival hyperbolic excess speed"),
    "dec_arrive_deg": ("degree", "declination of the arrival asymptote (ICRF)"),
    "dec_arrive_body_equator_deg": ("degree", "declination of the arrival asymptote, target's equator"),
    "tof_days": ("day", "time of flight"),
    "transfer_type": ("1", "1 (less than 180 deg) or 2 (more)"),
    "status": ("1", "Lambert status per cell, 0 = OK (areo.LambertStatus)"),
}


def point_dict(p: TransferPoint | None) -> dict[str, Any] | None:
    """A transfer point in user units: UTC strings, days, km/s, km^2/s^2, degrees."""
    if p is None:
        return None
    d = asdict(p)
    d.pop("extra")
    out: dict[str, object] = {
        "depart_utc": tdb_seconds_to_utc_iso(p.depart_tdb_s),
        "arrive_utc": tdb_seconds_to_utc_iso(p.arrive_tdb_s),
    }
    for k, v in d.items():
        if k in ("depart_tdb_s", "arrive_tdb_s", "status"):
            continue
        out[k] = int(v) if k == "transfer_type" else round(float(v), 6)
    out["depart_tdb_s"] = p.depart_tdb_s
    out["arrive_tdb_s"] = p.arrive_tdb_s
    return out


def _body(name: str) -> str:
    key = str(name).strip().lower()
    if key not in TRANSFER_BODIES:
        raise unknown_choice("body", str(name), TRANSFER_BODIES)
    return key


def _range_tdb(text_or_pair: DateRange, what: str) -> tuple[float, float]:
    if isinstance(text_or_pair, str):
        with naming(f"{what} range {text_or_pair!r}"):
            start, stop = parse_utc_range(text_or_pair)
    else:
        start, stop = (parse_utc(t) if isinstance(t, str) else t for t in text_or_pair)
        if stop <= start:
            raise InputError(f"{what} range ends before it starts; give START:STOP with STOP later than START.")
    t0, t1 = (float(x) for x in utc_to_tdb_seconds([start, stop]))
    default_ephemeris().check_range(np.array([t0, t1]), f"{what} date")
    return t0, t1


def parse_grid(grid: GridSize) -> tuple[int, int]:
    """``400`` -> (400, 400); ``'400x300'`` -> (400, 300) (departure x arrival)."""
    bad = InputError(f"cannot read grid size {grid!r}; expected N or NxM, e.g. 400 or 400x300.")
    if isinstance(grid, (tuple, list)):
        if len(grid) != 2 or not all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in grid):
            raise bad
        n, m = grid
    else:
        s = str(grid).lower().strip()
        try:
            n, m = (int(p) for p in s.split("x")) if "x" in s else (int(s), int(s))
        except ValueError:
            raise bad from None
    check_grid_size(int(n), int(m))
    return int(n), int(m)


def parse_at(at: DateRange) -> tuple[float, float]:
    """``'2016-03-14/2016-10-19'`` (departure/arrival UTC) -> TDB seconds; arrival must follow departure."""
    if isinstance(at, str):
        parts = at.split("/")
        if len(parts) != 2:
            raise InputError(f"cannot read point {at!r}; expected DEPART/ARRIVE, e.g. 2016-03-14/2016-10-19.")
        dep, arr = (parse_utc(p) for p in parts)
    else:
        dep, arr = (parse_utc(t) if isinstance(t, str) else t for t in at)
    if arr <= dep:
        raise InputError(
            f"arrival {arr:%Y-%m-%dT%H:%M:%SZ} is not after departure {dep:%Y-%m-%dT%H:%M:%SZ}: the time of flight "
            "must be positive; give DEPART/ARRIVE with ARRIVE later."
        )
    t = utc_to_tdb_seconds([dep, arr])
    default_ephemeris().check_range(t, "date")
    return float(t[0]), float(t[1])


@accepts_quantities
def porkchop(
    origin: str,
    target: str,
    depart: DateRange,
    arrive: DateRange,
    grid: GridSize = 400,
    at: DateRange | None = None,
    objective: str = "c3_km2_s2",
    mu_m3_s2: float = GM_SUN,
) -> PorkchopResult:
    """Porkchop analysis between two bodies.

    ``depart`` and ``arrive`` are ``'START:STOP'`` UTC ranges (or pairs of dates); ``grid`` is N or (N, M);
    ``at`` an optional ``'DEPART/ARRIVE'`` point of interest; ``objective`` the grid field to minimise
    (``c3_km2_s2``, ``vinf_arrive_km_s`` or ``vinf_depart_km_s``).
    """
    origin, target = _body(origin), _body(target)
    if not (isinstance(mu_m3_s2, (int, float, np.floating)) and math.isfinite(mu_m3_s2) and mu_m3_s2 > 0):
        raise InputError(
            f"mu_m3_s2 must be a finite gravitational parameter > 0 (the Sun: {GM_SUN:.11e}); got {mu_m3_s2!r}."
        )
    if origin == target:
        raise InputError(f"origin and target are both {origin!r}; choose two different bodies.")
    if objective not in ("c3_km2_s2", "vinf_arrive_km_s", "vinf_depart_km_s"):
        raise unknown_choice("objective", objective, ("c3_km2_s2", "vinf_arrive_km_s", "vinf_depart_km_s"))
    d0, d1 = _range_tdb(depart, "departure")
    a0, a1 = _range_tdb(arrive, "arrival")
    if a1 <= d0:
        raise InputError(
            f"every arrival date ({tdb_seconds_to_utc_iso(a0)[:10]}..{tdb_seconds_to_utc_iso(a1)[:10]}) is before "
            f"every departure date ({tdb_seconds_to_utc_iso(d0)[:10]}..{tdb_seconds_to_utc_iso(d1)[:10]}); "
            "arrival must come after departure."
        )
    n, m = parse_grid(grid)
    from .porkchop import check_grid_size

    check_grid_size(n, m)
    g = porkchop_grid(origin, target, np.linspace(d0, d1, n), np.linspace(a0, a1, m), mu_m3_s2)
    optima = {}
    for ttype in (1, 2):
        ij = grid_minimum(g, objective, ttype)
        optima[ttype] = refine_minimum(g, ij, objective, mu_m3_s2) if ij is not None else None
    cands = [p for p in optima.values() if p is not None]
    if not cands:
        raise InputError("no transfer in the grid converged; check the date ranges (arrival after departure).")
    best = min(cands, key=lambda p: getattr(p, objective))
    at_point = None
    if at is not None:
        td, ta = parse_at(at)
        at_point = transfer_point(origin, target, td, ta, mu_m3_s2)
    return PorkchopResult(
        grid=g, optimum=best, optimum_type1=optima[1], optimum_type2=optima[2], at=at_point, objective=objective
    )


def utc_label(tdb_s: float) -> str:
    return str(tdb_seconds_to_utc_iso(tdb_s))[:10]


__all__ = ["TRANSFER_BODIES", "PorkchopResult", "parse_at", "parse_grid", "point_dict", "porkchop"]
