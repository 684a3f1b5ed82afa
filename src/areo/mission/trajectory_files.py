"""Samples of the flown trajectories for the files other tools read (CCSDS OEM, CZML).

The integrator's own steps are too far apart for a reader's interpolation (days in cruise), so each smooth piece
of each arc (pieces end at manoeuvres, sphere-of-influence origin changes and terminal events) is resampled from
the integrator's dense output at epochs chosen so that the Lagrange interpolation stated in the OEM reproduces
the integrated trajectory within ``tol_m`` (checked at every interval's midpoint). Done in the replay stage so
that the writers never call the physics.
"""

from __future__ import annotations

import numpy as np

from ..io.oem import INTERPOLATION, INTERPOLATION_DEGREE, segments_from_pieces

OEM_TOLERANCE_M = 100.0  # a tenth of the 1 km the OEM promises its readers


def trajectory_samples(cruise, comment: str, tol_m: float = OEM_TOLERANCE_M) -> dict:
    """``{vehicle name: {"segments": [OemSegment], "worst_m": float, "tdb_s": (N,), "r_earth_icrf_m": (N, 3)}}``
    for the orbiter and (if any) the lander of a :class:`areo.cruise.CruiseResult`."""
    from ..ephem import default_ephemeris

    out = {}
    for key, tr in (("orbiter", cruise.orbiter), ("lander", cruise.lander)):
        if tr is None or key not in (cruise.arcs or {}):
            continue
        pieces = [p for arc in cruise.arcs[key] for p in arc.dense_pieces(cruise.forces)]
        note = f"samples chosen so that {INTERPOLATION} degree {INTERPOLATION_DEGREE} interpolation is within {tol_m / 1e3:g} km"
        segs, worst = segments_from_pieces(
            tr.name, f"areo-{tr.name.lower()}", pieces, comments=[comment, note], tol_m=tol_m
        )
        t = np.concatenate([s.tdb_s for s in segs])
        r = np.concatenate([s.r_m for s in segs])
        keep = np.concatenate(([True], np.diff(t) > 1e-3))  # adjacent segments share their boundary epoch
        r_earth = r[keep] - default_ephemeris().state("earth", t[keep], center="sun")[0]
        out[tr.name] = {"segments": segs, "worst_m": worst, "tdb_s": t[keep], "r_earth_icrf_m": r_earth}
    return out
