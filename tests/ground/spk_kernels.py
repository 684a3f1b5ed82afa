"""Small SPK kernels written in the tests by NAIF's own writers (nothing downloaded), one per data type.

Truth: two-body orbits from SPICE's ``prop2b`` (universal variables; NAIF), not from areo. Types 2, 3, 8, 9, 13
are written with spiceypy's ``spkw02/03/08/09/13``; types 1 and 21 (modified difference arrays, what JPL's
navigation software writes, e.g. for MRO and TGO) with SPICELIB's ``SPKW01``/``SPKW21`` called through ctypes
in the CSPICE library spiceypy ships (spiceypy wraps no writer for them). Their records hold a cubic Taylor
polynomial about each record's epoch: with KQMAX1 = 3 and G(1) = g, SPICE's SPKE01 evaluates
``p + v d + DT1 d^2/2 + DT2 d^3/(6 g)`` (see spke01.f), so DT1 = acceleration, DT2 = jerk * g.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np

GM_MARS_KM3_S2 = 42828.37  # only shapes the test orbit; any value works
GM_SUN_KM3_S2 = 1.32712440018e11
# A Mars orbiter (2 h, eccentric) around 2016-10-18, and a heliocentric cruise around 2016-06-01 (TDB s)
MARS_ORBIT = (np.array([4200.0, 300.0, -900.0, 0.3, 3.1, 1.2]), 499, GM_MARS_KM3_S2, 530_000_000.0)
CRUISE = (np.array([1.6e8, -4.0e7, 1.0e6, 8.0, 29.0, 1.5]), 10, GM_SUN_KM3_S2, 518_000_000.0)


def truth_km(orbit, t: np.ndarray) -> np.ndarray:
    """States (n, 6) km, km/s relative to the orbit's centre at TDB epochs, from SPICE prop2b."""
    import spiceypy as sp

    s0, _, gm, t0 = orbit
    return np.array([sp.prop2b(gm, s0, float(x - t0)) for x in np.atleast_1d(t)])


def _cheb_records(orbit, t0: float, intlen: float, n: int, deg: int, with_velocity: bool) -> np.ndarray:
    nodes = np.cos(np.pi * (np.arange(deg + 1) + 0.5) / (deg + 1))  # Chebyshev nodes in [-1, 1]
    recs = []
    for k in range(n):
        mid = t0 + (k + 0.5) * intlen
        st = truth_km(orbit, mid + nodes * intlen / 2)
        cols = range(6) if with_velocity else range(3)
        recs.append(np.concatenate([np.polynomial.chebyshev.chebfit(nodes, st[:, c], deg) for c in cols]))
    return np.array(recs)


def _mda_records(orbit, epochs: np.ndarray, g_s: float) -> np.ndarray:
    """Type 1 / 21 records (71 doubles, MAXDIM 15) of a cubic Taylor polynomial about each record's start."""
    recs = []
    for t in epochs[:-1]:
        h = 1.0
        s = truth_km(orbit, np.array([t - h, t, t + h]))
        acc = (s[2, 3:] - s[0, 3:]) / (2 * h)
        jerk = (s[2, 3:] - 2 * s[1, 3:] + s[0, 3:]) / h**2
        rec = np.zeros(71)
        rec[0] = t
        rec[1:16] = g_s
        rec[16:22] = [s[1, 0], s[1, 3], s[1, 1], s[1, 4], s[1, 2], s[1, 5]]
        for i in range(3):
            rec[22 + 15 * i] = acc[i]
            rec[22 + 15 * i + 1] = jerk[i] * g_s
        rec[67] = 3
        rec[68:71] = 2
        recs.append(rec)
    return np.array(recs)


def taylor_km(records: np.ndarray, epochs: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The polynomial of each MDA record at epochs ``t`` (positions, km): the oracle for types 1 and 21."""
    out = []
    for x in np.atleast_1d(t):
        k = min(max(int(np.searchsorted(epochs, x, side="left")) - 1, 0), len(records) - 1)
        rec = records[k]
        d = x - rec[0]
        p = rec[[16, 18, 20]]
        v = rec[[17, 19, 21]]
        a = rec[[22, 37, 52]]
        j = rec[[23, 38, 53]] / rec[1]
        out.append(p + v * d + a * d * d / 2 + j * d**3 / 6)
    return np.array(out)


def _fortran_writer(name: str):
    from spiceypy.utils.libspicehelper import libspice

    f = getattr(libspice, name)
    f.restype = ctypes.c_int
    return f


def _write_mda(handle: int, kind: int, body: int, center: int, records: np.ndarray, epochs: np.ndarray) -> None:
    """SPKW01 / SPKW21 through ctypes (f2c calling convention: every argument by reference, string lengths last)."""
    import spiceypy as sp

    i = lambda v: ctypes.byref(ctypes.c_int(v))  # noqa: E731
    d = lambda v: ctypes.byref(ctypes.c_double(v))  # noqa: E731
    frame, segid = b"J2000", f"mda type {kind}".encode()
    lines = np.ascontiguousarray(records, dtype=np.float64)
    ends = np.ascontiguousarray(epochs[1:], dtype=np.float64)
    ptr = lambda a: a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))  # noqa: E731
    first, last = float(epochs[0]), float(epochs[-1])
    if kind == 1:
        _fortran_writer("spkw01_")(
            i(handle), i(body), i(center), frame, d(first), d(last), segid, i(len(lines)), ptr(lines), ptr(ends),
            ctypes.c_int(len(frame)), ctypes.c_int(len(segid)),
        )  # fmt: skip
    else:
        _fortran_writer("spkw21_")(
            i(handle), i(body), i(center), frame, d(first), d(last), segid, i(len(lines)), i(71), ptr(lines),
            ptr(ends), ctypes.c_int(len(frame)), ctypes.c_int(len(segid)),
        )  # fmt: skip
    if sp.failed():
        msg = sp.getmsg("LONG", 1840)
        sp.reset()
        raise RuntimeError(msg)


def write_kernel(path: Path, data_type: int, body: int, orbit, span_s: float, frame: str = "J2000") -> dict:
    """Write one segment of ``data_type`` for ``body`` about the orbit's centre over [t0, t0 + span_s].

    Returns what the oracle needs: {'t0', 't1', 'records', 'epochs'} (records/epochs for types 1 and 21).
    """
    import spiceypy as sp

    center, t0 = orbit[1], orbit[3]
    t1 = t0 + span_s
    h = sp.spkopn(str(path), "areo test", 0)
    info: dict = {"t0": t0, "t1": t1}
    try:
        if data_type in (2, 3):
            n = 24
            intlen = span_s / n
            recs = _cheb_records(orbit, t0, intlen, n, 12, data_type == 3)
            w = sp.spkw02 if data_type == 2 else sp.spkw03
            w(h, body, center, frame, t0, t1, f"type {data_type}", intlen, n, 12, recs.ravel(), t0)
        elif data_type == 8:
            n = int(span_s // 60) + 1
            st = truth_km(orbit, t0 + 60.0 * np.arange(n))
            sp.spkw08(h, body, center, frame, t0, t0 + 60.0 * (n - 1), "type 8", 7, n, st, t0, 60.0)
            info["t1"] = t0 + 60.0 * (n - 1)
        elif data_type in (9, 13):
            t = np.concatenate([np.arange(t0, t1, 45.0), [t1]])
            w = sp.spkw09 if data_type == 9 else sp.spkw13
            w(h, body, center, frame, t0, t1, f"type {data_type}", 7, t.size, truth_km(orbit, t), t)
        elif data_type in (1, 21):
            epochs = np.concatenate([np.arange(t0, t1, 20.0), [t1]])
            recs = _mda_records(orbit, epochs, 20.0)
            _write_mda(h, data_type, body, center, recs, epochs)
            info.update(records=recs, epochs=epochs)
        else:
            raise ValueError(data_type)
    finally:
        sp.spkcls(h)
    return info
