"""CCSDS Orbit Ephemeris Message (OEM), KVN form, version 3.0 (CCSDS 502.0-B-3, Orbit Data Messages, 2023).

Writing: ``oem_text`` / ``write_oem`` write one object per file (one or more segments, each with its own
metadata block, ``INTERPOLATION = LAGRANGE`` and ``INTERPOLATION_DEGREE``); epochs are written on the TDB scale
(TDB seconds past J2000 map exactly to 2000-01-01T12:00:00 TDB + seconds). :func:`sample_for_interpolation` picks
the sample epochs of a segment so that the stated Lagrange interpolation reproduces a continuous trajectory
(e.g. an integrator's dense output) to a stated tolerance.

Reading: ``parse_oem`` reads KVN OEM versions 1.0 to 3.0: header, metadata, ephemeris data lines (optional
accelerations ignored), optional covariance blocks. It honours TIME_SYSTEM (UTC, TT, TAI, GPS, TDB: epochs come
back as TDB seconds past J2000) and REF_FRAME (ICRF, GCRF, EME2000: states come back ICRF-aligned, EME2000
rotated by the IAU 2006 frame bias), keeps CENTER_NAME (one of :data:`CENTER_NAMES`) and refuses anything else
with an :class:`~areo.errors.InputError` naming the line, what is allowed and how to fix it.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .files import atomic_write_text

_J2000 = _dt.datetime(2000, 1, 1, 12, 0, 0)
CENTER_NAMES = (
    "SUN",
    "SOLAR SYSTEM BARYCENTER",
    "EARTH",
    "EARTH BARYCENTER",
    "MOON",
    "MARS",
    "MARS BARYCENTER",
)
REF_FRAMES = ("ICRF", "GCRF", "EME2000")
TIME_SYSTEMS = ("TDB", "TT", "TAI", "GPS", "UTC")
INTERPOLATION = "LAGRANGE"
INTERPOLATION_DEGREE = 7
StatesFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # epochs -> (r_m (N, 3), v_m_s (N, 3))
_META_REQUIRED = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "START_TIME", "STOP_TIME")
_META_OPTIONAL = (
    "REF_FRAME_EPOCH",
    "USEABLE_START_TIME",
    "USEABLE_STOP_TIME",
    "INTERPOLATION",
    "INTERPOLATION_DEGREE",
)
_OEM_VERSIONS = ("1.0", "2.0", "3.0")  # CCSDS 502.0-B-1 (2004), -B-2 (2009), -B-3 (2023)
_HEADER_KEYS = ("CCSDS_OEM_VERS", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID", "CLASSIFICATION")
_TT_MINUS_TAI_S = 32.184
_TAI_MINUS_GPS_S = 19.0
_FIX = "see CCSDS 502.0-B-3 section 5"


def tdb_seconds_to_calendar(tdb_s: float) -> str:
    """TDB seconds past J2000 to 'YYYY-MM-DDThh:mm:ss.ffffff' on the TDB time scale."""
    return (_J2000 + _dt.timedelta(seconds=float(tdb_s))).strftime("%Y-%m-%dT%H:%M:%S.%f")


def calendar_to_tdb_seconds(text: str) -> float:
    """Seconds from 2000-01-01T12:00:00 to a calendar string on the same scale ('YYYY-MM-DDThh:mm:ss[.f]' or
    'YYYY-DDDThh:mm:ss[.f]'); on the TDB scale this is TDB seconds past J2000."""
    s = text.strip().rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%jT%H:%M:%S.%f", "%Y-%jT%H:%M:%S"):
        try:
            t = _dt.datetime.strptime(s, fmt)
            return (t - _J2000).total_seconds()
        except ValueError:
            continue
    raise InputError(f"cannot read OEM epoch {text!r}; expected 'YYYY-MM-DDThh:mm:ss[.ffffff]'.")


def scale_seconds_to_tdb(seconds: np.ndarray, time_system: str) -> np.ndarray:
    """Calendar seconds past 2000-01-01T12:00:00 on ``time_system`` (UTC, TT, TAI, GPS, TDB) to TDB seconds past
    J2000, leap seconds and the TDB-TT periodic terms from skyfield's built-in tables."""
    s = np.atleast_1d(np.asarray(seconds, float))
    if time_system == "TDB":
        return s
    if time_system == "UTC":
        from ..time import utc_to_tdb_seconds

        utc = [_J2000.replace(tzinfo=_dt.UTC) + _dt.timedelta(seconds=float(x)) for x in s]
        return np.atleast_1d(utc_to_tdb_seconds(utc))
    if time_system == "GPS":
        s = s + _TAI_MINUS_GPS_S
        time_system = "TAI"
    if time_system == "TAI":
        s = s + _TT_MINUS_TAI_S
        time_system = "TT"
    if time_system != "TT":
        raise InputError(
            f"OEM TIME_SYSTEM {time_system!r} is not supported; use one of {', '.join(TIME_SYSTEMS)} "
            "(convert the epochs first)."
        )
    from ..constants import DAY, J2000_JD
    from ..time import timescale

    whole = np.floor(s / DAY)
    t = timescale().tt_jd(J2000_JD + whole, s / DAY - whole)
    return cast(np.ndarray, (np.asarray(t.whole, float) - J2000_JD + np.asarray(t.tdb_fraction, float)) * DAY)


@dataclass
class OemCovariance:
    """One covariance block entry: TDB epoch (s), frame, 6x6 matrix in SI (m^2, m^2/s, m^2/s^2)."""

    tdb_s: float
    ref_frame: str
    matrix_si: np.ndarray


@dataclass
class OemSegment:
    """One OEM segment: metadata and states (TDB s, position m, velocity m/s).

    ``interpolation`` / ``interpolation_degree`` are written as INTERPOLATION / INTERPOLATION_DEGREE (None: not
    written; set them only for samples that support it, as :func:`segments_from_pieces` does). ``metadata`` holds every metadata keyword as read (reader only); ``covariances`` any covariance
    blocks read.
    """

    object_name: str
    object_id: str
    center_name: str
    tdb_s: np.ndarray
    r_m: np.ndarray
    v_m_s: np.ndarray
    ref_frame: str = "ICRF"
    time_system: str = "TDB"
    comments: list[str] = field(default_factory=list)
    interpolation: str | None = None
    interpolation_degree: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    covariances: list[OemCovariance] = field(default_factory=list)


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
    if seg.center_name not in CENTER_NAMES:
        raise InputError(f"OEM CENTER_NAME {seg.center_name!r} is not supported; use one of {CENTER_NAMES}.")
    if seg.time_system != "TDB":
        raise InputError(
            f"OEM segment {seg.object_name!r}: areo writes epochs on the TDB scale; set time_system='TDB' "
            f"(got {seg.time_system!r})."
        )
    if seg.interpolation is not None:
        deg = seg.interpolation_degree
        if seg.interpolation not in ("LAGRANGE", "HERMITE", "LINEAR") or not isinstance(deg, int) or deg < 1:
            raise InputError(
                f"OEM segment {seg.object_name!r}: INTERPOLATION must be LAGRANGE, HERMITE or LINEAR with an "
                f"integer degree >= 1; got {seg.interpolation!r}, {deg!r}."
            )
        if t.size < deg + 1:
            raise InputError(
                f"OEM segment {seg.object_name!r}: {t.size} states cannot carry degree-{deg} interpolation; "
                f"give at least {deg + 1} (see sample_for_interpolation)."
            )


def _segment_lines(seg: OemSegment) -> list[str]:
    t = np.asarray(seg.tdb_s, float)
    lines = [
        "META_START",
        f"OBJECT_NAME = {seg.object_name}",
        f"OBJECT_ID = {seg.object_id}",
        f"CENTER_NAME = {seg.center_name}",
        f"REF_FRAME = {seg.ref_frame}",
        f"TIME_SYSTEM = {seg.time_system}",
        f"START_TIME = {tdb_seconds_to_calendar(t[0])}",
        f"STOP_TIME = {tdb_seconds_to_calendar(t[-1])}",
    ]
    if seg.interpolation is not None:
        lines += [f"INTERPOLATION = {seg.interpolation}", f"INTERPOLATION_DEGREE = {seg.interpolation_degree}"]
    lines += ["META_STOP", ""]
    lines += [f"COMMENT {c}" for c in seg.comments]  # comments may open the data section, nowhere else in it
    r = np.asarray(seg.r_m, float) / 1e3
    v = np.asarray(seg.v_m_s, float) / 1e3
    for k in range(t.size):
        lines.append(
            f"{tdb_seconds_to_calendar(t[k])} {r[k, 0]: .6f} {r[k, 1]: .6f} {r[k, 2]: .6f} "
            f"{v[k, 0]: .9f} {v[k, 1]: .9f} {v[k, 2]: .9f}"
        )
    lines.append("")
    return lines


def oem_text(
    segments: OemSegment | Sequence[OemSegment], originator: str = "areo", creation_date_utc: str | None = None
) -> str:
    """The OEM file content (KVN) for a list of :class:`OemSegment` of one object (one file per object, as
    readers such as python-oem require). Segments must follow each other in time."""
    if isinstance(segments, OemSegment):
        segments = [segments]
    if not segments:
        raise InputError("an OEM needs at least one segment.")
    names = {(s.object_name, s.object_id) for s in segments}
    if len(names) > 1:
        raise InputError(f"one OEM file holds one object; got {sorted(names)}. Write one file per object.")
    for a, b in itertools.pairwise(segments):
        if float(np.asarray(b.tdb_s)[0]) < float(np.asarray(a.tdb_s)[-1]):
            raise InputError(f"OEM segments of {a.object_name!r} overlap in time; give them in time order.")
    created = creation_date_utc or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    lines = ["CCSDS_OEM_VERS = 3.0", f"CREATION_DATE = {created}", f"ORIGINATOR = {originator}", ""]
    for seg in segments:
        _check(seg)
        lines += _segment_lines(seg)
    return "\n".join(lines)


def write_oem(
    path: str | os.PathLike[str],
    segments: OemSegment | Sequence[OemSegment],
    originator: str = "areo",
    creation_date_utc: str | None = None,
) -> str:
    """Write ``oem_text(segments)`` to ``path`` atomically (temporary file, then rename); returns the path."""
    atomic_write_text(path, oem_text(segments, originator=originator, creation_date_utc=creation_date_utc))
    return os.fspath(path)


# --- sampling for interpolation -------------------------------------------------------------------------------


def _windows(t: np.ndarray, tq: np.ndarray, n: int) -> np.ndarray:
    """Start indices of the n-point windows two common readers use at epochs ``tq``: the window whose mean
    epoch is nearest (python-oem), and the one centred on the bracketing interval (Orekit's neighbours)."""
    m = t.size - n + 1
    c = np.concatenate(([0.0], np.cumsum(t)))
    means = (c[n:] - c[:-n]) / n
    j = np.clip(np.searchsorted(means, tq), 1, m - 1) if m > 1 else np.zeros(tq.size, int)
    if m > 1:
        j = np.where(np.abs(means[j - 1] - tq) <= np.abs(means[j] - tq), j - 1, j)
    i = np.clip(np.searchsorted(t, tq, side="right") - 1, 0, t.size - 2)
    k = np.clip(i - (n - 1) // 2, 0, m - 1)
    return np.stack((j, k))


def lagrange_interpolate(t: np.ndarray, y: np.ndarray, tq: np.ndarray, degree: int, start: np.ndarray) -> np.ndarray:
    """Lagrange interpolation of samples ``y`` (N, d) at epochs ``t`` to ``tq``, each with the degree+1 samples
    starting at index ``start`` (same shape as ``tq``). Times are centred and scaled per window."""
    n = degree + 1
    idx = start[:, None] + np.arange(n)[None, :]
    tw = t[idx]
    mid = 0.5 * (tw[:, :1] + tw[:, -1:])
    span = np.maximum(tw[:, -1:] - tw[:, :1], 1e-300)
    x = (tw - mid) / span
    xq = (tq[:, None] - mid) / span
    basis = np.ones_like(x)
    for jj in range(n):
        for kk in range(n):
            if kk != jj:
                basis[:, jj] *= (xq[:, 0] - x[:, kk]) / (x[:, jj] - x[:, kk])
    return cast(np.ndarray, np.einsum("qn,qnd->qd", basis, y[idx]))


def _graded(t: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """``bad`` widened so that no interval ends up more than twice as long as a neighbour once split: readers
    that fit a monomial polynomial (python-oem) lose precision on strongly uneven nodes."""
    h = np.diff(t) / np.where(bad, 2.0, 1.0)
    grow = np.zeros_like(bad)
    grow[:-1] |= np.diff(t)[:-1] > 2.0 * h[1:]
    grow[1:] |= np.diff(t)[1:] > 2.0 * h[:-1]
    return cast(np.ndarray, bad | grow)


def sample_for_interpolation(
    states: StatesFn, epochs: npt.ArrayLike, degree: int = INTERPOLATION_DEGREE, tol_m: float = 100.0, rounds: int = 60
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Sample epochs, positions and velocities of one smooth segment such that degree-``degree`` Lagrange
    interpolation, with the windows python-oem and Orekit choose, reproduces ``states`` within ``tol_m`` at the
    midpoint of every sample interval.

    ``states(t)`` returns (r_m (N, 3), v_m_s (N, 3)) at epochs ``t`` (a dense output, for example); the segment
    spans the first to the last of ``epochs``. Sampling starts even (degree+1 samples) and halves every interval
    whose midpoint misses, keeping neighbouring intervals within a factor of two of each other. Returns
    ``(t, r, v, max_error_m)``.
    """
    span = np.asarray(epochs, float)
    lo, hi = float(span.min()), float(span.max())
    if not hi > lo:
        raise InputError("a segment to sample needs two distinct epochs.")
    t = np.linspace(lo, hi, degree + 1)
    r, v = states(t)
    for _ in range(rounds):
        tm = 0.5 * (t[:-1] + t[1:])
        rm, vm = states(tm)
        err = np.zeros(tm.size)
        for start in _windows(t, tm, degree + 1):
            err = np.maximum(err, np.linalg.norm(lagrange_interpolate(t, r, tm, degree, start) - rm, axis=1))
        bad = (err > tol_m) & (np.diff(t) > 2e-3)
        if not bad.any():
            return t, r, v, float(err.max())
        bad = _graded(t, bad) & (np.diff(t) > 2e-3)
        order = np.argsort(np.concatenate((t, tm[bad])), kind="stable")
        t = np.concatenate((t, tm[bad]))[order]
        r = np.concatenate((r, rm[bad]))[order]
        v = np.concatenate((v, vm[bad]))[order]
    raise InputError(
        f"could not sample the segment to {tol_m} m in {rounds} halvings (worst midpoint {err.max():.1f} m); "
        "the trajectory is not smooth inside the segment: split it at manoeuvres and origin changes."
    )


def segments_from_pieces(
    object_name: str,
    object_id: str,
    pieces: Iterable[tuple[npt.ArrayLike, StatesFn]],
    *,
    center_name: str = "SUN",
    comments: Iterable[str] = (),
    degree: int = INTERPOLATION_DEGREE,
    tol_m: float = 100.0,
) -> tuple[list[OemSegment], float]:
    """One :class:`OemSegment` per smooth piece ``(first_guess_epochs, states)`` (see
    :func:`sample_for_interpolation`; e.g. ``Arc.dense_pieces`` of :mod:`areo.cruise`), each sampled for
    degree-``degree`` Lagrange interpolation within ``tol_m``. Returns the segments and the worst midpoint miss
    (m). Pieces are sorted by start; one that repeats an earlier span (an arc shared by two lists) is dropped."""
    segs: list[OemSegment] = []
    worst = 0.0
    last = -np.inf
    for epochs, states in sorted(pieces, key=lambda p: float(np.min(p[0]))):
        epochs = np.asarray(epochs, float)
        if epochs[-1] <= last:
            continue
        if epochs[0] < last:
            raise InputError(f"{object_name}: trajectory pieces overlap in time near {last:.1f} s TDB.")
        t, r, v, err = sample_for_interpolation(states, epochs, degree, tol_m)
        worst = max(worst, err)
        last = float(t[-1])
        segs.append(
            OemSegment(
                object_name,
                object_id,
                center_name,
                t,
                r,
                v,
                comments=list(comments),
                interpolation=INTERPOLATION,
                interpolation_degree=degree,
            )
        )
    return segs, worst


# --- reading ----------------------------------------------------------------------------------------------------


def _frame_bias() -> np.ndarray:
    """EME2000 (J2000 mean equator and equinox) to ICRF rotation (transpose of skyfield's frame-bias matrix)."""
    from skyfield.framelib import ICRS_to_J2000

    return np.asarray(ICRS_to_J2000, float).T


def _bad(n: int, raw: str, what: str) -> InputError:
    return InputError(f"OEM line {n}: {what} in {raw.strip()!r}; {_FIX}.")


def _floats(n: int, raw: str, parts: Iterable[str]) -> list[float]:
    try:
        values = [float(x) for x in parts]
    except ValueError:
        raise _bad(n, raw, "cannot read the numbers") from None
    if not all(math.isfinite(v) for v in values):
        raise _bad(n, raw, "a number is not finite (NaN or infinity); every value must be a finite number")
    return values


class _Reader:
    """Line-by-line state machine of a KVN OEM (header, then segments: META, data, optional covariance)."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.segs: list[OemSegment] = []
        self.state = "header"
        self.meta: dict[str, str] = {}
        self.rows: list[list[float]] = []
        self.comments: list[str] = []
        self.cov: list[tuple[float, str, np.ndarray]] = []  # epoch (file scale), frame, 6x6 SI
        self.cov_entry: dict[str, Any] = {}  # EPOCH, COV_REF_FRAME: str; values: list[float]

    def feed(self, n: int, raw: str) -> None:
        line = raw.strip()
        if not line:
            return
        if line.startswith("COMMENT"):
            if self.state in ("header", "meta", "data", "cov"):
                self.comments.append(line[7:].strip())
                return
        handler = getattr(self, f"_{self.state}")
        handler(n, raw, line)

    def _header(self, n: int, raw: str, line: str) -> None:
        if line == "META_START":
            return self._start_meta(n, raw)
        key, sep, val = (s.strip() for s in line.partition("="))
        if not sep or key not in _HEADER_KEYS:
            raise _bad(n, raw, f"unexpected header line (header keywords: {', '.join(_HEADER_KEYS)})")
        if not self.header and key != "CCSDS_OEM_VERS":
            raise _bad(n, raw, "the first keyword must be CCSDS_OEM_VERS")
        if key == "CCSDS_OEM_VERS" and val not in _OEM_VERSIONS:
            raise _bad(n, raw, f"CCSDS_OEM_VERS {val!r} is not a version areo reads ({', '.join(_OEM_VERSIONS)})")
        self.header[key] = val
        self.comments = []

    def _start_meta(self, n: int, raw: str) -> None:
        if self.state == "header":
            for k in ("CCSDS_OEM_VERS", "CREATION_DATE", "ORIGINATOR"):
                if k not in self.header:
                    raise _bad(
                        n, raw, f"the header lacks {k} before META_START (the first keyword must be CCSDS_OEM_VERS)"
                    )
        else:
            self._close(n)
        self.state, self.meta, self.rows, self.comments, self.cov = "meta", {}, [], [], []

    def _meta(self, n: int, raw: str, line: str) -> None:
        if line == "META_STOP":
            for k in _META_REQUIRED:
                if k not in self.meta:
                    raise _bad(n, raw, f"metadata lacks {k}")
            self._check_meta(n, raw)
            self.state = "data"
            return
        key, sep, val = (s.strip() for s in line.partition("="))
        if not sep or key not in _META_REQUIRED + _META_OPTIONAL:
            raise _bad(n, raw, f"unexpected metadata line (keywords: {', '.join(_META_REQUIRED + _META_OPTIONAL)})")
        self.meta[key] = val

    def _check_meta(self, n: int, raw: str) -> None:
        m = self.meta
        if m["TIME_SYSTEM"] not in TIME_SYSTEMS:
            raise InputError(
                f"OEM line {n}: TIME_SYSTEM {m['TIME_SYSTEM']!r} is not supported; use one of "
                f"{', '.join(TIME_SYSTEMS)} (convert the epochs first)."
            )
        if m["REF_FRAME"] not in REF_FRAMES:
            raise InputError(
                f"OEM line {n}: REF_FRAME {m['REF_FRAME']!r} is not supported; use one of {', '.join(REF_FRAMES)} "
                "(rotate the states first)."
            )
        if m["CENTER_NAME"].upper() not in CENTER_NAMES:
            raise InputError(
                f"OEM line {n}: CENTER_NAME {m['CENTER_NAME']!r} is not supported; use one of "
                f"{', '.join(CENTER_NAMES)}."
            )
        if "INTERPOLATION_DEGREE" in m and not m["INTERPOLATION_DEGREE"].isdigit():
            raise _bad(n, raw, "INTERPOLATION_DEGREE must be a whole number")

    def _data(self, n: int, raw: str, line: str) -> None:
        if line == "META_START":
            return self._start_meta(n, raw)
        if line == "COVARIANCE_START":
            self.state, self.cov_entry = "cov", {}
            return
        parts = line.split()
        if len(parts) not in (7, 10) or "=" in line:
            raise _bad(n, raw, "expected 'EPOCH X Y Z VX VY VZ [AX AY AZ]' (km, km/s) or COVARIANCE_START")
        try:
            epoch = calendar_to_tdb_seconds(parts[0])
        except InputError:
            raise _bad(n, raw, "cannot read the epoch (expected 'YYYY-MM-DDThh:mm:ss[.ffffff]')") from None
        self.rows.append([epoch, *_floats(n, raw, parts[1:7])])

    def _cov(self, n: int, raw: str, line: str) -> None:
        if line == "COVARIANCE_STOP":
            self._flush_cov(n, raw)
            self.state = "after_cov"
            return
        key, sep, val = (s.strip() for s in line.partition("="))
        if sep and key in ("EPOCH", "COV_REF_FRAME"):
            if key == "EPOCH":
                self._flush_cov(n, raw)
                self.cov_entry = {"EPOCH": val, "values": []}
            else:
                self.cov_entry[key] = val
            return
        if "values" not in self.cov_entry:
            raise _bad(n, raw, "a covariance matrix must start with EPOCH =")
        self.cov_entry["values"] += _floats(n, raw, line.split())

    def _flush_cov(self, n: int, raw: str) -> None:
        e = self.cov_entry
        if not e:
            return
        if len(e["values"]) != 21:
            raise _bad(n, raw, f"a covariance matrix has 21 lower-triangle numbers, got {len(e['values'])}")
        m = np.zeros((6, 6))
        m[np.tril_indices(6)] = e["values"]
        m = (m + np.tril(m, -1).T) * 1e6  # km^2, km^2/s, km^2/s^2 to m^2, m^2/s, m^2/s^2
        epoch = calendar_to_tdb_seconds(e["EPOCH"])
        frame = e.get("COV_REF_FRAME", self.meta["REF_FRAME"])
        if frame == "EME2000":
            rot = np.kron(np.eye(2), _frame_bias())
            m, frame = rot @ m @ rot.T, "ICRF"
        self.cov.append((epoch, frame, m))
        self.cov_entry = {}

    def _after_cov(self, n: int, raw: str, line: str) -> None:
        if line == "META_START":
            return self._start_meta(n, raw)
        raise _bad(n, raw, "only META_START (a new segment) may follow COVARIANCE_STOP")

    def _close(self, n: int) -> None:
        m = self.meta
        if not self.rows:
            raise InputError(f"OEM segment ending before line {n} has no ephemeris data lines; {_FIX}.")
        a = np.array(self.rows, float)
        ts = m["TIME_SYSTEM"]
        t = scale_seconds_to_tdb(a[:, 0], ts)
        if np.any(np.diff(a[:, 0]) <= 0):
            k = int(np.argmin(np.diff(a[:, 0]) > 0))
            raise InputError(
                f"OEM segment of {m['OBJECT_NAME']!r} ending before line {n}: epochs must increase strictly "
                f"(data line {k + 2} of the segment does not); sort the lines and remove duplicates."
            )
        rot = _frame_bias() if m["REF_FRAME"] == "EME2000" else np.eye(3)
        covs = []
        for epoch, frame, mat in self.cov:
            covs.append(OemCovariance(float(scale_seconds_to_tdb(np.array([epoch]), ts)[0]), frame, mat))
        deg = m.get("INTERPOLATION_DEGREE")
        self.segs.append(
            OemSegment(
                m["OBJECT_NAME"],
                m["OBJECT_ID"],
                m["CENTER_NAME"].upper(),
                t,
                a[:, 1:4] @ rot.T * 1e3,
                a[:, 4:7] @ rot.T * 1e3,
                "ICRF" if m["REF_FRAME"] == "EME2000" else m["REF_FRAME"],
                "TDB",
                list(self.comments),
                m.get("INTERPOLATION"),
                int(deg) if deg is not None else None,
                dict(m),
                covs,
            )
        )


def parse_oem(text: str) -> tuple[dict[str, str], list[OemSegment]]:
    """Parse KVN OEM text into (header dict, segments) with TDB epochs and ICRF-aligned SI states.

    The original keywords of each segment stay in ``segment.metadata`` (``TIME_SYSTEM`` as written, for
    example). Raises InputError naming the line and the fix for anything malformed or unsupported.
    """
    if text.lstrip().startswith("<"):
        raise InputError("this OEM is XML; areo reads the KVN form (convert it, e.g. with python-oem's convert).")
    rd = _Reader()
    lines = text.splitlines()
    for n, raw in enumerate(lines, 1):
        rd.feed(n, raw)
    if "CCSDS_OEM_VERS" not in rd.header:
        raise InputError("not an OEM: the first keyword must be CCSDS_OEM_VERS (CCSDS 502.0-B-3, 5.2.2).")
    if rd.state == "cov":
        raise InputError("OEM ends inside a covariance block; close it with COVARIANCE_STOP.")
    if rd.state in ("header", "meta"):
        raise InputError(f"OEM ends in its {rd.state}; every segment needs META_START ... META_STOP and data lines.")
    rd._close(len(lines))
    return rd.header, rd.segs
