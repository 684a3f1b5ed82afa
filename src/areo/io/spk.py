"""SPICE SPK kernels: list their segments, evaluate them, and write areo trajectories as type 13 segments.

Reading: the segment table (target, centre, frame, data type, span) comes from the DAF summaries through jplephem
(a core dependency), so a kernel can be described without the ``spice`` extra. States are evaluated by NAIF's
own readers through spiceypy (``pip install 'areo[spice]'``): every SPK data type a tracker meets (1 and 21
modified difference arrays, 2 and 3 Chebyshev, 8 and 9 Lagrange, 13 Hermite, ...). Without spiceypy, types 2
and 3 are read with jplephem and any other type raises :class:`~areo.errors.MissingExtraError` naming the extra.

Frames: SPICE's ``J2000`` (id 1) is taken as ICRF, as NAIF's planetary ephemerides are (the frame bias, 0.02
arcsec, is below what an SPK's own accuracy resolves); ``ECLIPJ2000`` (id 17) is rotated to it by SPICE's
obliquity, 84381.448 arcsec (IAU 1976). Other frames are refused with the frame id.

Writing: :func:`write_spk` writes :class:`~areo.io.oem.OemSegment` records (TDB epochs, ICRF states) as type 13
(Hermite) segments with spiceypy's ``spkw13``, atomically (temporary file, then rename).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, MissingExtraError
from .outpath import output_error

J2000_FRAME = 1
ECLIPJ2000_FRAME = 17
_OBLIQUITY_1976_RAD = np.radians(84381.448 / 3600.0)  # SPICE's ECLIPJ2000 (IAU 1976), not areo's IAU 2006 value
JPLEPHEM_TYPES = (2, 3)
SPICE_EXTRA = "pip install 'areo[spice]'"
# NAIF ids of the centres an OEM names (CCSDS 502.0-B-3 CENTER_NAME), and back
OEM_CENTER_IDS = {
    "SOLAR SYSTEM BARYCENTER": 0,
    "SUN": 10,
    "EARTH BARYCENTER": 3,
    "EARTH": 399,
    "MOON": 301,
    "MARS BARYCENTER": 4,
    "MARS": 499,
}


@dataclass(frozen=True)
class SpkSegment:
    """One segment's summary: NAIF ids of target and centre, frame id, data type, TDB span (s past J2000)."""

    index: int
    target: int
    center: int
    frame: int
    data_type: int
    start_tdb_s: float
    stop_tdb_s: float
    name: str


def _has_spice() -> bool:
    import importlib.util

    return importlib.util.find_spec("spiceypy") is not None


def spk_segments(path: str | os.PathLike[str]) -> list[SpkSegment]:
    """The segment table of an SPK file (any data type), in file order; InputError if it is not an SPK."""
    from jplephem.spk import SPK

    p = os.fspath(path)
    if not os.path.isfile(p):
        raise InputError(f"SPK file {p!r} does not exist; give the path of a .bsp kernel.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spk = SPK.open(p)
    except Exception as exc:  # jplephem raises ValueError/struct errors for anything not a DAF/SPK
        raise InputError(f"{p!r} is not a readable SPICE SPK (DAF/SPK) kernel ({exc}); give a .bsp file.") from None
    try:
        return [
            SpkSegment(
                k,
                int(s.target),
                int(s.center),
                int(s.frame),
                int(s.data_type),
                float(s.start_second),
                float(s.end_second),
                s.source.decode("ascii", "replace").strip() if isinstance(s.source, bytes) else str(s.source),
            )
            for k, s in enumerate(spk.segments)
        ]
    finally:
        spk.close()


def _frame_matrix(frame: int, seg: SpkSegment, path: str) -> np.ndarray:
    if frame == J2000_FRAME:
        return np.eye(3)
    if frame == ECLIPJ2000_FRAME:
        c, s = np.cos(_OBLIQUITY_1976_RAD), np.sin(_OBLIQUITY_1976_RAD)
        return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])
    raise InputError(
        f"segment {seg.index} of {path!r} (target {seg.target}) is in frame id {frame}; areo reads the inertial "
        "frames J2000 (1) and ECLIPJ2000 (17). Convert the kernel (e.g. with NAIF's spkmerge/mkspk) to J2000."
    )


class SpkFile:
    """An open SPK kernel whose segments can be evaluated at TDB epochs.

    ``backend`` 'auto' uses spiceypy when it is installed, else jplephem (types 2 and 3 only); 'spice' or
    'jplephem' force one. :meth:`state` returns ICRF position (m) and velocity (m/s) of a segment's target
    relative to its centre.
    """

    def __init__(self, path: str | os.PathLike[str], backend: str = "auto"):
        self.path = os.fspath(path)
        self.segments = spk_segments(self.path)
        if backend not in ("auto", "spice", "jplephem"):
            from ..errors import unknown_choice

            raise unknown_choice("SPK backend", str(backend), ("auto", "spice", "jplephem"))
        self.backend = ("spice" if _has_spice() else "jplephem") if backend == "auto" else backend
        if self.backend == "spice" and not _has_spice():
            raise MissingExtraError(f"reading SPK kernels through SPICE needs the 'spice' extra: {SPICE_EXTRA}")
        self._handle: int | None = None
        self._jpl: Any = None
        self._descr: dict[int, np.ndarray] = {}

    def check_segment(self, seg: SpkSegment) -> None:
        """Raise unless this backend can evaluate ``seg`` (its data type) in an inertial frame areo reads."""
        _frame_matrix(seg.frame, seg, self.path)
        self._check_type(seg)

    def _check_type(self, seg: SpkSegment) -> None:
        if self.backend == "jplephem" and seg.data_type not in JPLEPHEM_TYPES:
            raise MissingExtraError(
                f"segment {seg.index} of {self.path!r} (target {seg.target}) is SPK type {seg.data_type}; without "
                f"spiceypy areo reads types 2 and 3 only. Install the 'spice' extra: {SPICE_EXTRA}"
            )

    def state(self, seg: SpkSegment, tdb_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(r_m, v_m_s), shape (n, 3), of segment ``seg`` at TDB epochs (n,) inside its span, ICRF axes."""
        self._check_type(seg)
        rot = _frame_matrix(seg.frame, seg, self.path)
        t = np.asarray(tdb_s, dtype=float).ravel()
        if self.backend == "spice":
            st = self._spice_states(seg, t)
        else:
            st = self._jplephem_states(seg, t)
        return st[:, :3] @ rot.T * 1e3, st[:, 3:] @ rot.T * 1e3

    def _spice_states(self, seg: SpkSegment, t: np.ndarray) -> np.ndarray:
        import spiceypy as sp

        if self._handle is None:
            self._handle = int(sp.dafopr(self.path))
        descr = self._descr.get(seg.index)
        if descr is None:
            raw = self._raw_segment(seg.index)
            descr = np.asarray(
                sp.dafps(
                    2,
                    6,
                    [raw.start_second, raw.end_second],
                    [raw.target, raw.center, raw.frame, raw.data_type, raw.start_i, raw.end_i],
                )
            )[:5]
            self._descr[seg.index] = descr
        try:
            return _spkpvn(self._handle, descr, t)
        except sp.exceptions.SpiceyError as exc:
            why = str(getattr(exc, "short", "") or "").strip() or str(exc).strip().splitlines()[0]
            raise InputError(
                f"SPICE could not evaluate segment {seg.index} of {self.path!r} (target {seg.target}, type "
                f"{seg.data_type}): {why}; check the kernel with NAIF's brief/spacit."
            ) from None

    def _raw_segment(self, index: int) -> Any:
        from jplephem.spk import SPK

        if self._jpl is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._jpl = SPK.open(self.path)
        return self._jpl.segments[index]

    def _jplephem_states(self, seg: SpkSegment, t: np.ndarray) -> np.ndarray:
        from ..constants import DAY, J2000_JD

        raw = self._raw_segment(seg.index)
        whole = np.floor(t / DAY)
        jd, frac = J2000_JD + whole, (t - whole * DAY) / DAY
        if seg.data_type == 3:  # position and velocity (km/s) are both stored
            return np.asarray(raw.compute(jd, frac)).T.reshape(-1, 6)
        r, v = raw.compute_and_differentiate(jd, frac)  # km, km/day
        return np.column_stack([np.asarray(r).T.reshape(-1, 3), np.asarray(v).T.reshape(-1, 3) / DAY])

    def close(self) -> None:
        if self._handle is not None:
            import spiceypy as sp

            sp.dafcls(self._handle)
            self._handle = None
        if self._jpl is not None:
            self._jpl.close()
            self._jpl = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may be gone
            pass


def _spkpvn(handle: int, descr: np.ndarray, t: np.ndarray) -> np.ndarray:
    """States (n, 6) km, km/s of one segment at epochs inside it, through NAIF's SPKPVN."""
    try:  # spiceypy's Cython layer (spiceypy >= 6.1): one call for all epochs, ~2x faster than a loop
        from spiceypy.cyice import spkpvn_v
    except ImportError:
        import spiceypy as sp

        return np.array([sp.spkpvn(handle, descr, float(et))[1] for et in t], dtype=float).reshape(-1, 6)
    return np.asarray(spkpvn_v(handle, descr, np.ascontiguousarray(t))[1], dtype=float).reshape(-1, 6)


def write_spk(
    path: str | os.PathLike[str],
    segments: Sequence[Any],
    naif_id: int,
    *,
    degree: int = 7,
    comment: str = "written by areo",
) -> str:
    """Write OEM-like segments (``tdb_s`` (n,), ``r_m`` (n, 3), ``v_m_s`` (n, 3), ``center_name``, ICRF) as SPK
    type 13 (Hermite, ``degree`` odd, 1..15) segments of body ``naif_id`` in frame J2000; returns the path.

    Each segment keeps its samples; SPICE interpolates with (degree + 1) / 2 neighbouring states.
    Needs the ``spice`` extra (spiceypy).
    """
    if not _has_spice():
        raise MissingExtraError(f"writing SPK kernels needs the 'spice' extra: {SPICE_EXTRA}")
    import spiceypy as sp

    if isinstance(naif_id, bool) or not isinstance(naif_id, (int, np.integer)):
        raise InputError(f"NAIF id {naif_id!r} must be a whole number (spacecraft ids are negative, e.g. -143).")
    if not (isinstance(degree, int) and degree % 2 == 1 and 1 <= degree <= 15):
        raise InputError(f"SPK type 13 degree {degree!r} must be odd, 1..15 (7 is usual).")
    if not segments:
        raise InputError("an SPK needs at least one segment.")
    rows = [_segment_rows(s, degree) for s in segments]
    p = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(p))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(p)}.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.remove(tmp)  # spkopn makes the file itself and refuses an existing one
    except OSError as exc:
        raise output_error(exc, p) from None
    try:
        handle = sp.spkopn(tmp, "areo", 1024)
        try:
            sp.dafac(handle, [comment[i : i + 80] for i in range(0, len(comment), 80)] or [""])
            for k, (t, states, center) in enumerate(rows):
                sp.spkw13(handle, int(naif_id), center, "J2000", t[0], t[-1], f"areo {k}", degree, t.size, states, t)
        finally:
            sp.spkcls(handle)
        with open(tmp, "rb+") as f:  # on disk before it takes the name: a crash leaves the old kernel or this one
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except OSError as exc:
        raise output_error(exc, p) from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return p


def _segment_rows(seg: Any, degree: int) -> tuple[np.ndarray, np.ndarray, int]:
    t = np.asarray(seg.tdb_s, dtype=float)
    r, v = np.asarray(seg.r_m, dtype=float), np.asarray(seg.v_m_s, dtype=float)
    center = OEM_CENTER_IDS.get(str(seg.center_name).upper())
    if center is None:
        raise InputError(f"centre {seg.center_name!r} has no NAIF id here; use one of {sorted(OEM_CENTER_IDS)}.")
    if t.ndim != 1 or r.shape != (t.size, 3) or v.shape != (t.size, 3) or np.any(np.diff(t) <= 0):
        raise InputError(f"SPK segment needs increasing epochs (n,) and states (n, 3); got {t.shape}, {r.shape}.")
    if t.size < (degree + 1) // 2:
        raise InputError(f"a degree-{degree} type 13 segment needs >= {(degree + 1) // 2} states; got {t.size}.")
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        raise InputError("SPK segment states contain NaN or infinity.")
    return t, np.hstack([r, v]) / 1e3, center
