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
# With the `spice` extra (spiceypy, NAIF's CSPICE) the replay also writes one SPICE SPK kernel per vehicle beside
# its OEM, `trajectory-<vehicle>.bsp`: type 13 (Hermite) segments through the same samples, with their
# velocities, one segment per OEM segment and the same centres. The NAIF id comes from `naif_id` in the
# scenario's `[cruise.orbiter]` / `[cruise.lander]`: ExoMars 2016's gives TGO's (-143, as in NAIF's ExoMars 2016
# kernels) and none for Schiaparelli, for which the replay used a placeholder and said so in its notes. (To write
# an SPK from other samples, `areo.write_spk`.)
#
# Here spiceypy reads the replay's kernel back on its own: the ids and coverage it finds, then the states of the
# longest Sun-centred segment against the OEM's samples. areo's epochs are TDB seconds past J2000, which is
# SPICE's ephemeris time, so no leap-second kernel is needed.

# %%
import spiceypy as spice

print([n for n in res.notes if ".bsp" in n])
bsp = str(out / "trajectory-tgo.bsp")
(naif_id,) = spice.spkobj(bsp, spice.cell_int(10))
cover = spice.spkcov(bsp, naif_id, spice.cell_double(2000))
print(f"NAIF id {naif_id}; {spice.wncard(cover)} coverage window(s), {cover[0]:.0f} .. {cover[-1]:.0f} s TDB")

seg = max((s for s in segments if s.center_name.upper() == "SUN"), key=lambda s: len(s.tdb_s))
epochs = seg.tdb_s[1:-1]  # inside the segment (its ends are shared with Mars-centred neighbours)
spice.furnsh(bsp)
back_km = np.array([spice.spkgeo(int(naif_id), float(t), "J2000", 10)[0] for t in epochs])  # 10: the Sun
spice.kclear()
diff_m = np.linalg.norm(back_km[:, :3] * 1e3 - seg.r_m[1:-1], axis=1)
print(f"{len(epochs)} samples; largest position difference {diff_m.max():.2e} m")
assert diff_m.max() < 1.0
