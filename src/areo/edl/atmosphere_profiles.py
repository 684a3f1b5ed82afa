"""Scattered profile sets: measured Mars atmosphere profiles, each at its own season, latitude and local time.

A :class:`ScatteredProfileSet` holds whole profiles (temperature, pressure, density against height above the
ground where they were measured), each tagged with its solar longitude Ls, latitude and local true solar time.
Unlike :class:`areo.edl.atmosphere.ProfileSet` (a full grid, interpolated) it does not blend profiles: a handful
of landers' entry profiles do not fill a grid, and a blend of two landers' profiles was measured nowhere.
:meth:`ScatteredProfileSet.at` takes the profile nearest to the scenario's conditions in the distance
``sqrt((dLs / 90 deg)^2 + (dlat / 30 deg)^2 + (dLT / 6 h)^2)`` (Ls and local time periodic; the scales are a
season, a climate band, a quarter of a day), places it on the scenario's ground (height above the site + the
site's elevation) and continues it beyond its measured ends isothermally and hydrostatically (the end
temperature, g = 3.71 m/s^2), so that the whole EDL trajectory is covered. The label says which profile was
taken, how far it is, and what was measured.

Built-in set (``table = "mars_lander_entry_profiles"``): the reconstructed entry profiles of Viking Lander 1
(Seiff & Kirk 1977; NASA PDS Atmospheres Node) and Mars Pathfinder (Magalhaes et al. 1999; PDS
MPFL-M-ASIMET-4-DDR-EDL-V1.0), built by ``tests/authorities/builders/build_mars_entry_profiles.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from .atmosphere import PROFILE_KEYS, TabulatedAtmosphere, _read_table

SCALES = (90.0, 30.0, 6.0)  # Ls deg, latitude deg, local time h: one unit of the selection distance each
PERIODS = (360.0, None, 24.0)
G_SURFACE_M_S2 = 3.71  # Mars surface gravity (NASA Mars Fact Sheet), for the isothermal continuation
EXTEND_STEP_M = 2000.0
COLUMNS = ("altitude_m", "temperature_K", "pressure_Pa", "density_kg_m3")


@dataclass(frozen=True, eq=False)
class MeasuredProfile:
    """One profile: its conditions (Ls deg, latitude deg, local time h) and columns vs height above its site."""

    conditions: tuple[float, float, float]
    height_m: np.ndarray
    temperature_k: np.ndarray
    pressure_pa: np.ndarray
    density_kg_m3: np.ndarray

    def distance(self, ls_deg: float, lat_deg: float, lt_h: float) -> float:
        """Selection distance from these conditions (see the module docstring)."""
        total = 0.0
        for mine, theirs, scale, period in zip(self.conditions, (ls_deg, lat_deg, lt_h), SCALES, PERIODS):
            d = abs(mine - theirs)
            if period is not None:
                d = min(d % period, period - d % period)
            total += (d / scale) ** 2
        return math.sqrt(total)


@dataclass(frozen=True, eq=False)
class ScatteredProfileSet:
    profiles: tuple[MeasuredProfile, ...]
    name: str

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> ScatteredProfileSet:
        """Read a set: CSV columns ``solar_longitude_deg, latitude_deg, local_time_h, altitude_m (height above the
        site), temperature_K, pressure_Pa, density_kg_m3``; the rows of one profile share the three conditions."""
        path = Path(path)
        need = (*PROFILE_KEYS, *COLUMNS)
        if not path.exists():
            raise InputError(
                f"atmosphere profile set {str(path)!r} does not exist; give a CSV with columns {', '.join(need)}"
            )
        header, data, line_no = _read_table(path)
        missing = [c for c in need if c not in header]
        if missing:
            raise InputError(
                f"atmosphere profile set {path.name!r} lacks column(s) {', '.join(missing)}; expected {', '.join(need)}"
            )
        col = {h: data[:, i] for i, h in enumerate(header)}
        keys = np.stack([col[k] for k in PROFILE_KEYS], axis=1)
        profiles = []
        for cond in np.unique(keys, axis=0):
            rows = np.flatnonzero(np.all(keys == cond, axis=1))
            profiles.append(_profile(tuple(float(c) for c in cond), col, rows, path.name, line_no))
        return cls(profiles=tuple(profiles), name=name or path.stem)

    def nearest(self, ls_deg: float, lat_deg: float, lt_h: float) -> tuple[int, float]:
        """Index of the profile nearest to these conditions, and its distance."""
        d = [p.distance(ls_deg, lat_deg, lt_h) for p in self.profiles]
        i = int(np.argmin(d))
        return i, d[i]

    def at(
        self, ls_deg: float, lat_deg: float, lt_h: float, ground_elevation_m: float = 0.0, top_m: float = 250_000.0
    ) -> TabulatedAtmosphere:
        """The nearest profile on this ground (altitude = height above its site + ``ground_elevation_m``),
        continued isothermally from 2 km below the ground to ``top_m``."""
        i, dist = self.nearest(ls_deg, lat_deg, lt_h)
        p = self.profiles[i]
        h, t, pr, rho = extend_isothermal(
            p.height_m + ground_elevation_m,
            p.temperature_k,
            p.pressure_pa,
            p.density_kg_m3,
            ground_elevation_m - 2000.0,
            top_m,
        )
        c = p.conditions
        label = (
            f"{self.name} profile Ls={c[0]:.1f} lat={c[1]:.1f} LT={c[2]:.2f}h (nearest to Ls={ls_deg:.1f} "
            f"lat={lat_deg:.1f} LT={lt_h:.2f}h, distance {dist:.2f}; measured {p.height_m[0] / 1e3:.1f}-"
            f"{p.height_m[-1] / 1e3:.1f} km above its site, isothermal beyond)"
        )
        col = {"temperature_K": t, "pressure_Pa": pr, "density_kg_m3": rho}
        return TabulatedAtmosphere.from_columns(h, col, label)


def _profile(cond, col: dict, rows: np.ndarray, name: str, line_no: list[int]) -> MeasuredProfile:
    h = col["altitude_m"][rows]
    bad = np.flatnonzero(np.diff(h) <= 0)
    if len(rows) < 2 or bad.size:
        n = line_no[rows[int(bad[0]) + 1]] if bad.size else line_no[rows[0]]
        raise InputError(
            f"atmosphere profile set {name!r}, line {n}: the profile at Ls={cond[0]:g}, latitude={cond[1]:g}, "
            f"local time={cond[2]:g} needs at least 2 rows with strictly increasing altitude_m; sort its rows"
        )
    for c in COLUMNS[1:]:
        if np.any(col[c][rows] <= 0):
            n = line_no[rows[int(np.flatnonzero(col[c][rows] <= 0)[0])]]
            raise InputError(f"atmosphere profile set {name!r}, line {n}: {c} must be > 0")
    return MeasuredProfile(cond, h, col["temperature_K"][rows], col["pressure_Pa"][rows], col["density_kg_m3"][rows])


def extend_isothermal(h, t, p, rho, low_m: float, high_m: float):
    """Continue a profile below ``h[0]`` down to ``low_m`` and above ``h[-1]`` up to ``high_m`` with the end
    temperature, pressure and density falling off by the isothermal scale height R T / g (R = p / (rho T) of
    the end point), every ``EXTEND_STEP_M``."""
    h, t, p, rho = (np.asarray(a, dtype=float) for a in (h, t, p, rho))
    parts = []
    for end, target in ((0, low_m), (-1, high_m)):
        span = target - h[end]
        if (end == 0 and span >= 0) or (end == -1 and span <= 0):
            parts.append(np.zeros(0))
            continue
        n = max(1, math.ceil(abs(span) / EXTEND_STEP_M))
        parts.append(h[end] + span * np.arange(1, n + 1) / n)
    lo, hi = parts
    lo = lo[::-1]
    scale = [p[e] / (rho[e] * t[e]) * t[e] / G_SURFACE_M_S2 for e in (0, -1)]  # R T / g at each end

    def block(hs, e, scale_m):
        f = np.exp(-(hs - h[e]) / scale_m)
        return np.full_like(hs, t[e]), p[e] * f, rho[e] * f

    tl, pl, rl = block(lo, 0, scale[0])
    th, ph, rh = block(hi, -1, scale[1])
    return (
        np.concatenate([lo, h, hi]),
        np.concatenate([tl, t, th]),
        np.concatenate([pl, p, ph]),
        np.concatenate([rl, rho, rh]),
    )
