# %% [markdown]
# # A full replay, to OEM, Cesium and SPICE
#
# `areo replay` flies a scenario end to end (launch window, transfer, cruise with its manoeuvres, separation,
# orbit insertion, entry, descent and landing, ground coverage) and writes standard files: one CCSDS OEM per
# vehicle, a Cesium CZML file, a CCSDS TDM of the arrival day, Parquet tables, `summary.json` and a
# self-contained HTML report. Here from Python, for ExoMars 2016, into a temporary folder.

# %%
import json
import tempfile
from pathlib import Path

import numpy as np

from areo.io.oem import parse_oem
from areo.mission.replay import replay

out = Path(tempfile.mkdtemp()) / "exomars2016"
res = replay("exomars2016", out, runs=50)
print("\n".join(sorted(p.name for p in out.iterdir())))

# %% [markdown]
# `timeline.json` (and `.csv`) holds every event, simulated beside recorded with the source of each recorded
# epoch; `summary.json` is the machine-readable digest (launcher margin, launch period, ...).

# %%
timeline = json.loads((out / "timeline.json").read_text())
for e in timeline[:12]:
    dt = "" if e["difference_s"] is None else f"{e['difference_s']:+8.0f} s vs {e['recorded_source']}"
    print(f"{e['name']:24s} {e['simulated_utc']}  {dt[:70]}")
summary = json.loads((out / "summary.json").read_text())
print(sorted(summary))

# %% [markdown]
# ## The OEM files
#
# One file per vehicle, segments broken at manoeuvres and sphere-of-influence changes, samples from the
# integrator's dense output spaced so that the interpolation the file states (Lagrange, degree 7) stays within
# 1 km of the integrated path. areo reads OEMs from any tool the way it writes them:

# %%
meta, segments = parse_oem((out / "trajectory-tgo.oem").read_text())
for s in segments[:6]:
    print(
        f"{s.object_name:5s} centre {s.center_name:8s} {s.ref_frame:8s} {len(s.tdb_s):4d} samples, "
        f"interpolation {s.interpolation} {s.interpolation_degree}"
    )

# %% [markdown]
# ## Cesium
#
# `trajectory.czml` loads into CesiumJS (drag it onto a Cesium viewer): a packet per vehicle, positions in the
# inertial frame, with the availability interval of each.

# %%
czml = json.loads((out / "trajectory.czml").read_text())
print(len(czml), "packets:", [p.get("id") for p in czml])

# %% [markdown]
# ## SPICE
#
# A SPICE SPK kernel (type 13, Hermite interpolation) from the OEM samples, written with spiceypy (NAIF's
# CSPICE), then read back: the states agree with the OEM's samples to well under a metre. areo's epochs are TDB
# seconds past J2000, which is SPICE's ephemeris time, so no leap-second kernel is needed.

# %%
import spiceypy as spice

seg = max((s for s in segments if s.center_name.upper() == "SUN"), key=lambda s: len(s.tdb_s))
naif_id, center = -143, 10  # TGO's NAIF id; the Sun
bsp = str(out / "tgo-cruise.bsp")
handle = spice.spkopn(bsp, "areo replay", 0)
states_km = np.ascontiguousarray(np.hstack([seg.r_m, seg.v_m_s]) / 1e3)
epochs = np.ascontiguousarray(seg.tdb_s)
spice.spkw13(handle, naif_id, center, "J2000", epochs[0], epochs[-1], "TGO cruise", 7, len(epochs), states_km, epochs)
spice.spkcls(handle)
spice.furnsh(bsp)
back = np.array([spice.spkgeo(naif_id, t, "J2000", center)[0] for t in epochs])
spice.kclear()
print(f"{len(epochs)} samples; largest position difference {np.abs(back[:, :3] - states_km[:, :3]).max() * 1e3:.2e} m")
