"""Network coverage: when some station of a network sees the target, the gaps between, and the data it can return.

Sampling: elevations of every station on a uniform grid (``step_s``, default 60 s) from the vectorised geometry
(:func:`areo.ground.geometry.altaz_many`); a sample is covered when at least one station has the target above its
mask. Gaps and coverage fraction are resolved to ``step_s``. Data volume: at each sample the best visible station's
highest rate that closes the link (:func:`areo.ground.link.station_link`, with the required margin) times
``step_s``, capped at the radio's ``max_rate_bps``; stations without the band contribute visibility only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import DAY
from ..errors import InputError
from .geometry import EarthOrientation, altaz_many, as_target
from .link import station_link
from .stations import Station

MAX_SAMPLES = 50_000_000


@dataclass(frozen=True)
class Gap:
    start_tdb_s: float
    length_s: float


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of ``target`` by ``network`` over [start, stop)."""

    network: str
    stations: tuple[str, ...]
    start_tdb_s: float
    stop_tdb_s: float
    step_s: float
    coverage_fraction: float
    station_fraction: dict[str, float]
    gaps: tuple[Gap, ...]
    daily_volume_bits: np.ndarray  # per UTC-agnostic 86400 s bin from start
    band: str

    @property
    def longest_gap_s(self) -> float:
        return max((g.length_s for g in self.gaps), default=0.0)

    @property
    def mean_daily_volume_bits(self) -> float:
        return float(np.mean(self.daily_volume_bits)) if self.daily_volume_bits.size else 0.0


def _visibility(stations, tgt, t, min_elevation_deg, eo):
    aa = altaz_many(stations, tgt, t, eo=eo)
    el = np.stack([a.elevation_deg for a in aa])
    rng = np.stack([a.range_m for a in aa])
    if min_elevation_deg is None:
        mask = np.stack([s.mask_deg(a.azimuth_deg) for s, a in zip(stations, aa)])
    else:
        mask = np.full(el.shape, float(min_elevation_deg))
    return el, rng, el >= mask


def _sample_count(stations, tdb_start_s, tdb_stop_s, step_s) -> int:
    """Samples in the span; refuses an empty span or network and more than MAX_SAMPLES station samples."""
    if not tdb_stop_s > tdb_start_s:
        raise InputError("the coverage span ends before it starts; give a stop time later than the start time.")
    if not stations:
        raise InputError("the network has no stations.")
    n = int(np.ceil((tdb_stop_s - tdb_start_s) / step_s - 1e-6))
    if n * len(stations) > MAX_SAMPLES:
        from ..errors import ResourceError

        raise ResourceError(
            f"{n} samples x {len(stations)} stations exceeds {MAX_SAMPLES}; use a larger --step or a shorter span."
        )
    return n


def _best_rate(stations, band, el, rng, vis, size, link, max_rate_bps) -> np.ndarray:
    """Per sample, the best visible station's highest rate that closes the link (bps), capped at ``max_rate_bps``."""
    best = np.zeros(size)
    for k, st in enumerate(stations):
        if band not in st.bands:
            continue
        lb = station_link(st, band, rng[k], np.maximum(el[k], 0.1), **link)
        best = np.maximum(best, np.where(vis[k], np.minimum(lb.max_data_rate_bps, max_rate_bps), 0.0))
    return best


def _sample(stations, tgt, t_all, eo, chunk, min_elevation_deg, band, link, max_rate_bps):
    """(covered, per-station visibility, best data rate) at every sample, ``chunk`` samples at a time."""
    n = t_all.size
    covered = np.zeros(n, dtype=bool)
    per_station = np.zeros((len(stations), n), dtype=bool)
    rate = np.zeros(n)
    for i0 in range(0, n, chunk):
        t = t_all[i0 : i0 + chunk]
        el, rng, vis = _visibility(stations, tgt, t, min_elevation_deg, eo)
        per_station[:, i0 : i0 + chunk] = vis
        covered[i0 : i0 + chunk] = vis.any(axis=0)
        if link is not None:
            rate[i0 : i0 + chunk] = _best_rate(stations, band, el, rng, vis, t.size, link, max_rate_bps)
    return covered, per_station, rate


def _gaps(covered: np.ndarray, t_all: np.ndarray, step_s: float) -> tuple[Gap, ...]:
    """The runs of uncovered samples, each from its first sample's epoch for its length in seconds."""
    edges = np.diff(np.concatenate([[1], covered.astype(np.int8), [1]]))
    starts = np.nonzero(edges == -1)[0]
    stops = np.nonzero(edges == 1)[0]
    return tuple(Gap(float(t_all[a]), float((b - a) * step_s)) for a, b in zip(starts, stops))


def _daily_volume(t_all, rate, tdb_start_s, tdb_stop_s, step_s) -> np.ndarray:
    """Bits returned in each 86400 s bin from the start."""
    n_days = int(np.ceil((tdb_stop_s - tdb_start_s) / DAY))
    day_idx = ((t_all - tdb_start_s) // DAY).astype(int)
    return np.bincount(day_idx, weights=rate * step_s, minlength=n_days)[:n_days]


def coverage(
    stations: list[Station],
    target,
    tdb_start_s: float,
    tdb_stop_s: float,
    *,
    network: str = "",
    step_s: float = 60.0,
    min_elevation_deg: float | None = None,
    band: str = "x",
    eirp_dbw: float | None = None,
    coding_name: str = "rs+conv",
    required_margin_db: float = 3.0,
    max_rate_bps: float = float("inf"),
    chunk: int = 20_000,
) -> CoverageResult:
    """Coverage fraction, gaps and daily data volume of a station list (see module docstring)."""
    n = _sample_count(stations, tdb_start_s, tdb_stop_s, step_s)
    tgt = as_target(target)
    t_all = tdb_start_s + step_s * np.arange(n)
    tgt.check_range(t_all)
    eo = EarthOrientation(tdb_start_s, tdb_stop_s)
    link = None
    if eirp_dbw is not None:
        link = dict(
            eirp_dbw=eirp_dbw, data_rate_bps=1.0, coding_name=coding_name, required_margin_db=required_margin_db
        )
    covered, per_station, rate = _sample(stations, tgt, t_all, eo, chunk, min_elevation_deg, band, link, max_rate_bps)
    return CoverageResult(
        network=network or ",".join(s.id for s in stations),
        stations=tuple(s.id for s in stations),
        start_tdb_s=float(tdb_start_s),
        stop_tdb_s=float(tdb_stop_s),
        step_s=float(step_s),
        coverage_fraction=float(covered.mean()),
        station_fraction={s.id: float(per_station[k].mean()) for k, s in enumerate(stations)},
        gaps=_gaps(covered, t_all, step_s),
        daily_volume_bits=_daily_volume(t_all, rate, tdb_start_s, tdb_stop_s, step_s),
        band=band,
    )


@dataclass(frozen=True)
class StationView:
    """One station's view of the target at an instant (a row of :func:`critical_event`)."""

    station: str
    elevation_deg: float
    azimuth_deg: float
    mask_deg: float
    visible: bool
    range_m: float
    band: str | None
    margin_db: float | None


def critical_event(
    stations: list[Station],
    target,
    tdb_s: float,
    *,
    band: str = "x",
    eirp_dbw: float | None = None,
    data_rate_bps: float = 1000.0,
    coding_name: str = "rs+conv",
) -> list[StationView]:
    """Which stations see ``target`` at one instant, at what elevation, and with what link margin (if EIRP given).

    Rows are sorted by elevation, highest first. ``margin_db`` is None for stations without ``band``, without
    EIRP, or below their mask.
    """
    tgt = as_target(target)
    t = np.array([float(tdb_s)])
    tgt.check_range(t)
    aa = altaz_many(stations, tgt, t)
    rows = []
    for st, a in zip(stations, aa):
        el, az, rng = float(a.elevation_deg[0]), float(a.azimuth_deg[0]), float(a.range_m[0])
        mask = float(st.mask_deg(az))
        margin = None
        use_band = band if band in st.bands else None
        if eirp_dbw is not None and use_band is not None and el >= mask:
            lb = station_link(
                st, use_band, rng, max(el, 0.1), eirp_dbw=eirp_dbw, data_rate_bps=data_rate_bps, coding_name=coding_name
            )
            margin = float(np.ravel(lb.margin_db)[0])
        rows.append(StationView(st.id, el, az, mask, el >= mask, rng, use_band, margin))
    rows.sort(key=lambda r: -r.elevation_deg)
    return rows
