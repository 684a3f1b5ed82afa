"""Real spacecraft as tracking targets: SPICE SPK kernels and CCSDS OEM files.

:func:`load_target` opens ``TGO.bsp`` (with a NAIF id, e.g. -143) or ``trajectory.oem`` and returns a
:class:`~areo.ground.geometry.Target` that every ground function takes (passes, observables, link budgets,
coverage). Positions are chained to the solar-system barycentre through the file's own segments and, for a
centre the file does not hold (Mars 499, the Sun 10, ...), through areo's planetary ephemeris (DE421).

Epochs outside the file's coverage raise :class:`~areo.errors.InputError` naming the coverage (receive times
are checked too: like SPICE's light-time corrections, areo needs the target at the receive epoch as a first
guess). Frames: SPK J2000 and OEM ICRF/EME2000 are ICRF-aligned (see :mod:`areo.io.spk`, :mod:`areo.io.oem`).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from ..ephem import Ephemeris, default_ephemeris
from ..errors import InputError
from .geometry import Target

# NAIF ids that areo's planetary ephemeris answers for (the SSB itself is 0)
NAIF_BODIES = {
    10: "sun",
    1: "mercury",
    199: "mercury",
    2: "venus",
    299: "venus",
    3: "earth-moon-barycenter",
    399: "earth",
    301: "moon",
    4: "mars-barycenter",
    499: "mars",
    5: "jupiter",
    6: "saturn",
    7: "uranus",
    8: "neptune",
    9: "pluto",
}
_MAX_CHAIN = 12
StateFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def _utc(tdb_s: float) -> str:
    from ..time import tdb_seconds_to_utc_iso

    return str(tdb_seconds_to_utc_iso(float(tdb_s)))


def merge_intervals(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of closed intervals, sorted; touching intervals merge."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def coverage_text(intervals: list[tuple[float, float]], limit: int = 4) -> str:
    """'A to B, C to D' in UTC (at most ``limit`` intervals, then how many more)."""
    parts = [f"{_utc(a)} to {_utc(b)}" for a, b in intervals[:limit]]
    more = len(intervals) - limit
    return ", ".join(parts) + (f" and {more} more intervals" if more > 0 else "")


def center_state(naif: int, t: np.ndarray, eph: Ephemeris) -> tuple[np.ndarray, np.ndarray]:
    """SSB ICRF state (m, m/s) of a NAIF body areo's ephemeris knows; zeros for the SSB (0)."""
    if naif == 0:
        return np.zeros((*t.shape, 3)), np.zeros((*t.shape, 3))
    name = NAIF_BODIES.get(int(naif))
    if name is None:
        known = ", ".join(str(k) for k in sorted(NAIF_BODIES))
        raise InputError(
            f"the trajectory is given relative to NAIF body {naif}, which is neither in the file nor in areo's "
            f"planetary ephemeris (it knows 0 and {known}); add that body's kernel segments to the file."
        )
    return eph.state(name, t, center="ssb")


class FileTarget(Target):
    """A target read from a file: pieces (one per segment) each valid over a TDB span, chained to the SSB.

    Subclasses fill ``self.pieces`` with ``(start_tdb_s, stop_tdb_s, states_fn, center_naif)``; where pieces
    overlap, the later one wins (SPICE's rule within one kernel; OEM segments follow each other).
    """

    path: str
    pieces: list[tuple[float, float, StateFn, int]]
    ephemeris: Ephemeris

    @property
    def coverage_tdb_s(self) -> list[tuple[float, float]]:
        """Covered TDB spans (s past J2000), merged."""
        return merge_intervals([(a, b) for a, b, _, _ in self.pieces])

    def _owner(self, t: np.ndarray) -> np.ndarray:
        owner = np.full(t.shape, -1)
        for k in range(len(self.pieces) - 1, -1, -1):
            a, b = self.pieces[k][0], self.pieces[k][1]
            owner[(owner < 0) & (t >= a) & (t <= b)] = k
        return owner

    def check_range(self, tdb_s) -> None:
        t = np.asarray(tdb_s, dtype=float)
        owner = self._owner(t)
        if np.any(owner < 0):
            bad = t[owner < 0].ravel()[0]
            when = _utc(bad) if np.isfinite(bad) and abs(bad) < 6e10 else repr(float(bad))
            raise InputError(
                f"epoch {when} is outside {os.path.basename(self.path)!r} ({self.name}), which covers "
                f"{coverage_text(self.coverage_tdb_s)} (UTC, at the target: a signal received at t left it one light "
                "time earlier); choose times inside that coverage."
            )

    def state_ssb_icrf(self, tdb_s) -> tuple[np.ndarray, np.ndarray]:
        """(r_ssb_icrf_m, v_ssb_icrf_m_s), shape tdb_s.shape + (3,); InputError outside the coverage."""
        t = np.asarray(tdb_s, dtype=float)
        self.check_range(t)
        flat = t.ravel()
        owner = self._owner(flat)
        r = np.empty((flat.size, 3))
        v = np.empty((flat.size, 3))
        for k in np.unique(owner):
            m = owner == k
            _, _, fn, center = self.pieces[int(k)]
            rk, vk = fn(flat[m])
            rc, vc = self._center(center, flat[m])
            r[m], v[m] = rk + rc, vk + vc
        return r.reshape((*t.shape, 3)), v.reshape((*t.shape, 3))

    def _center(self, naif: int, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return center_state(naif, t, self.ephemeris)

    def position_ssb_icrf_m(self, tdb_s):
        return self.state_ssb_icrf(tdb_s)[0]

    def velocity_ssb_icrf_m_s(self, tdb_s):
        return self.state_ssb_icrf(tdb_s)[1]


class SpkTarget(FileTarget):
    """Body ``target_id`` of an SPK kernel (any data type through spiceypy; 2 and 3 also without it).

    ``target_id`` None picks the kernel's only spacecraft-like body (one that is no other segment's centre).
    Centres the kernel also holds are chained through it, the rest through areo's ephemeris.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        target_id: int | str | None = None,
        *,
        backend: str = "auto",
        ephemeris: Ephemeris | None = None,
    ):
        from ..io.spk import SpkFile

        self.path = os.fspath(path)
        self.kernel = SpkFile(self.path, backend=backend)
        self.ephemeris = ephemeris or default_ephemeris()
        self.naif_id = self._choose(target_id)
        self.name = str(self.naif_id)
        self.pieces = self._pieces_of(self.naif_id)

    def _held(self) -> str:
        ids = sorted({s.target for s in self.kernel.segments})
        return ", ".join(str(i) for i in ids)

    def _choose(self, target_id: int | str | None) -> int:
        base = os.path.basename(self.path)
        if target_id is None:
            centers = {s.center for s in self.kernel.segments}
            leaves = sorted({s.target for s in self.kernel.segments} - centers)
            if len(leaves) != 1:
                raise InputError(
                    f"{base!r} holds NAIF ids {self._held()}; choose one with --target-id (e.g. --target-id "
                    f"{leaves[0] if leaves else self.kernel.segments[0].target})."
                )
            return leaves[0]
        try:
            naif = int(str(target_id).strip())
        except ValueError:
            raise InputError(
                f"--target-id {target_id!r} is not a NAIF id; give a whole number (spacecraft are negative, e.g. "
                f"-143). {base!r} holds {self._held()}."
            ) from None
        if not any(s.target == naif for s in self.kernel.segments):
            raise InputError(
                f"{base!r} has no segment for NAIF id {naif}; it holds {self._held()}. Give one of those with "
                "--target-id, or the kernel that holds that body."
            )
        return naif

    def _pieces_of(self, naif: int) -> list[tuple[float, float, StateFn, int]]:
        out: list[tuple[float, float, StateFn, int]] = []
        for seg in self.kernel.segments:
            if seg.target == naif:
                self.kernel.check_segment(seg)

                def fn(t: np.ndarray, seg=seg) -> tuple[np.ndarray, np.ndarray]:
                    return self.kernel.state(seg, t)

                out.append((seg.start_tdb_s, seg.stop_tdb_s, fn, seg.center))
        return out

    def _center(self, naif: int, t: np.ndarray, depth: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """SSB state of a centre: through the kernel's own segments where they cover, else the ephemeris."""
        segs = [s for s in self.kernel.segments if s.target == naif]
        if naif == 0 or not segs or depth > _MAX_CHAIN:
            return center_state(naif, t, self.ephemeris)
        owner = np.full(t.shape, -1)
        for s in reversed(segs):
            owner[(owner < 0) & (t >= s.start_tdb_s) & (t <= s.stop_tdb_s)] = s.index
        r = np.empty((t.size, 3))
        v = np.empty((t.size, 3))
        if np.any(owner < 0):  # not covered by the kernel: the ephemeris must know the body
            m = owner < 0
            r[m], v[m] = center_state(naif, t[m], self.ephemeris)
        for k in np.unique(owner[owner >= 0]):
            m = owner == k
            seg = self.kernel.segments[int(k)]
            rk, vk = self.kernel.state(seg, t[m])
            rc, vc = self._center(seg.center, t[m], depth + 1)
            r[m], v[m] = rk + rc, vk + vc
        return r, v


class OemTarget(FileTarget):
    """The object of a CCSDS OEM (KVN) file, interpolated as each segment's metadata says.

    LAGRANGE of degree n uses the n + 1 samples whose mean epoch is nearest (python-oem's window); HERMITE and
    files that state no interpolation use cubic Hermite on positions and velocities; LINEAR is linear. Centres
    are chained to the SSB with areo's ephemeris. ``target_id`` (OBJECT_ID or OBJECT_NAME) picks one object of
    a file that holds several.
    """

    def __init__(
        self, path: str | os.PathLike[str], target_id: str | int | None = None, *, ephemeris: Ephemeris | None = None
    ):
        from ..io.oem import parse_oem

        self.path = os.fspath(path)
        base = os.path.basename(self.path)
        try:
            with open(self.path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read OEM file {self.path!r} ({exc}); give a CCSDS OEM in KVN form.") from None
        try:
            segs = parse_oem(text)[1]
        except InputError as exc:
            raise InputError(
                f"{base!r} is not an SPK kernel (no DAF/SPK signature), so it was read as a CCSDS OEM: {exc}"
            ) from None
        objects = sorted({(s.object_id, s.object_name) for s in segs})
        if target_id is not None:
            key = str(target_id).strip().upper()
            segs = [s for s in segs if key in (s.object_id.upper(), s.object_name.upper())]
        if not segs or len({(s.object_id, s.object_name) for s in segs}) > 1:
            listed = ", ".join(f"{i} ({n})" for i, n in objects)
            what = f"has no object {target_id!r}" if target_id is not None else "holds several objects"
            raise InputError(f"{base!r} {what}; it holds {listed}. Choose one with --target-id (OBJECT_ID or NAME).")
        self.ephemeris = ephemeris or default_ephemeris()
        self.name = segs[0].object_name
        self.object_id = segs[0].object_id
        self.pieces = [(float(s.tdb_s[0]), float(s.tdb_s[-1]), _interpolator(s), _oem_center(s)) for s in segs]


def _oem_center(seg) -> int:
    from ..io.spk import OEM_CENTER_IDS

    return OEM_CENTER_IDS[seg.center_name.upper()]


def _interpolator(seg) -> StateFn:
    """States of one OEM segment at epochs inside it, by its INTERPOLATION (see :class:`OemTarget`)."""
    from scipy.interpolate import CubicHermiteSpline

    from ..io.oem import _windows, lagrange_interpolate

    t, r, v = np.asarray(seg.tdb_s, float), np.asarray(seg.r_m, float), np.asarray(seg.v_m_s, float)
    kind = (seg.interpolation or "HERMITE").upper()
    if t.size == 1:
        raise InputError(f"OEM segment of {seg.object_name!r} holds one state; interpolation needs at least two.")
    if kind == "LAGRANGE" and t.size > 2:
        deg = min(int(seg.interpolation_degree or 7), t.size - 1)
        y = np.hstack([r, v])

        def lagrange(tq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            s = lagrange_interpolate(t, y, tq, deg, _windows(t, tq, deg + 1)[0])
            return s[:, :3], s[:, 3:]

        return lagrange
    if kind == "LINEAR":

        def linear(tq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            rr = np.column_stack([np.interp(tq, t, r[:, k]) for k in range(3)])
            vv = np.column_stack([np.interp(tq, t, v[:, k]) for k in range(3)])
            return rr, vv

        return linear
    spline = CubicHermiteSpline(t, r, v, axis=0)

    def hermite(tq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(spline(tq)), np.asarray(spline(tq, 1))

    return hermite


def load_target(path: str | os.PathLike[str], target_id: int | str | None = None, **kw) -> FileTarget:
    """A target from an SPK kernel (``.bsp``; ``target_id`` = NAIF id) or a CCSDS OEM (anything else, KVN).

    The kind is recognised from the file's first bytes (a DAF/SPK starts with ``DAF/SPK``), not its name.
    """
    p = os.fspath(path)
    if not os.path.isfile(p):
        what = "does not exist" if not os.path.exists(p) else "is not a regular file"
        raise InputError(f"--target-file {p!r} {what}; give an SPK kernel (.bsp) or a CCSDS OEM file.")
    with open(p, "rb") as fh:
        head = fh.read(8)
    if head.startswith((b"DAF/SPK", b"NAIF/DAF")):
        return SpkTarget(p, target_id, **kw)
    if head.startswith(b"DAF/"):
        raise InputError(f"{p!r} is a SPICE {head.decode('ascii', 'replace').strip()} file, not an SPK (.bsp) kernel.")
    return OemTarget(p, target_id, **kw)
