"""Samples of the flown trajectories for the files other tools read (CCSDS OEM, CZML).

The integrator's own steps are too far apart for a reader's interpolation (days in cruise), so each smooth piece
of each arc (pieces end at manoeuvres, sphere-of-influence origin changes and terminal events) is resampled from
the integrator's dense output at epochs chosen so that the Lagrange interpolation stated in the OEM reproduces
the integrated trajectory within ``tol_m`` (checked at every interval's midpoint). Done in the replay stage so
that the writers never call the physics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..io.oem import INTERPOLATION, INTERPOLATION_DEGREE, segments_from_pieces

OEM_TOLERANCE_M = 100.0  # a tenth of the 1 km the OEM promises its readers
# NAIF ids when the scenario gives none: negative (spacecraft), in a range no flown mission uses as far as we know
PLACEHOLDER_NAIF_IDS = {"orbiter": -900, "lander": -901}
SPK_NOTE = "type 13 (Hermite) through the OEM samples; frame J2000 = ICRF; centres as in the OEM"


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
        out[tr.name] = {
            "segments": segs,
            "worst_m": worst,
            "tdb_s": t[keep],
            "r_earth_icrf_m": r_earth,
            "vehicle": key,
        }
    return out


def write_spk_files(folder: Path, files: dict, naif_ids: dict[str, int | None], notes: list[str]) -> list[str]:
    """One SPK (type 13, the OEM's samples with their velocities) per vehicle, ``trajectory-<name>.bsp`` in
    ``folder``; returns the file names. ``naif_ids`` maps 'orbiter'/'lander' to the scenario's ``naif_id``;
    a missing one gets a placeholder (:data:`PLACEHOLDER_NAIF_IDS`) and a note. Without spiceypy (the ``spice``
    extra) nothing is written and a note says how to add it."""
    from .._extras import has, message
    from ..io.spk import write_spk

    if not files:
        return []
    if not has("spiceypy"):
        notes.append(message("SPICE kernels of the trajectories (trajectory-<vehicle>.bsp)", "spiceypy"))
        return []
    names = []
    for name, f in files.items():
        fname = f"trajectory-{name.lower()}.bsp"
        naif = naif_ids.get(f["vehicle"])
        if naif is None:
            naif = PLACEHOLDER_NAIF_IDS[f["vehicle"]]
            notes.append(
                f"{fname}: NAIF id {naif} is a placeholder; set naif_id in [cruise.{f['vehicle']}] to the "
                "spacecraft's own NAIF id (negative, as NAIF assigns them)"
            )
        write_spk(folder / fname, f["segments"], int(naif), comment=f"{name}: simulated by areo; {SPK_NOTE}")
        names.append(fname)
    return names
