# %% [markdown]
# # A tracker's workflow: passes, Doppler and link margin for a small dish
#
# Amateur deep-space trackers listen to spacecraft with dishes of a few metres. Given the spacecraft's ephemeris
# (a SPICE SPK kernel from the mission, e.g. ESA's TGO kernels with NAIF id -143, or a CCSDS OEM file), areo
# predicts when it is above the horizon, the Doppler shift of its X-band carrier, and whether the link closes.
# Here the ephemeris is the one areo's own ExoMars 2016 replay writes (an OEM per vehicle), so the notebook runs
# offline; with a real kernel, only the `load_target` line changes.

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from areo.ground import link_report, observables_between, passes, tracking_data
from areo.ground.targets import load_target
from areo.io.check import check_ccsds_file
from areo.mission.replay import replay

work = Path(tempfile.mkdtemp())
replay("exomars2016", work / "replay", runs=0)
tgo = load_target(work / "replay" / "trajectory-tgo.oem")
print(tgo)

# %% [markdown]
# ## The tracker's station
#
# A station file in the catalogue's layout: position, dish diameter, horizon mask and, per band, either published
# G/T and EIRP or the aperture efficiency and system noise temperature from which areo derives them. The station
# below is an example (a 3.7 m dish with an uncooled X-band LNA; every value assumed for this tutorial).

# %%
station_file = work / "my-station.toml"
station_file.write_text("""
[[station]]
id = "my-dish"
name = "Example amateur station, 3.7 m dish"
lat_deg = 52.0
lon_deg = 5.0
height_m = 10.0
diameter_m = 3.7
min_elevation_deg = 10.0
source = "example for the areo tutorial (assumed)"
[station.bands.x]
efficiency = 0.55
system_noise_k = 120.0
source = "assumed: uncooled X-band LNA, 3.7 m prime-focus dish"
""")
extra = [station_file]

# %% [markdown]
# ## When is TGO above 10° in the days before arrival?
#
# From 52° N in October 2016 Mars was low in the south-west after sunset: short, low passes. The pass list is a
# list of dicts (JSON-ready) with `.to_dataframe()` (UTC as datetime64[ns, UTC]); here saved as CSV.

# %%
p = passes("my-dish", tgo, "2016-10-17", "2016-10-20T12:00", extra=extra)  # the OEM ends on 10-20
df = p.to_dataframe()
print(df[["rise_utc", "culmination_utc", "set_utc", "max_elevation_deg"]].to_string(index=False))
df.to_csv(work / "passes.csv", index=False)

# %% [markdown]
# ## The Doppler curve of the X-band carrier over the first pass
#
# One-way Doppler (the spacecraft's own oscillator at 8.4 GHz, no uplink): what a tracker's receiver must follow.

# %%
rise, set_ = p[0]["rise_utc"], p[0]["set_utc"]
obs = observables_between("my-dish", tgo, rise, set_, step_s=120.0, two_way=False, extra=extra)
od = obs.to_dataframe()
od.to_csv(work / "doppler.csv", index=False)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(od["receive_utc"], od["one_way_doppler_hz"] / 1e3)
ax.set(xlabel="UTC", ylabel="one-way Doppler (kHz)", title="TGO X-band carrier at the example station")
fig.autofmt_xdate()
plt.show()
print(f"Doppler from {od['one_way_doppler_hz'].iloc[0] / 1e3:.1f} to {od['one_way_doppler_hz'].iloc[-1] / 1e3:.1f} kHz")

# %% [markdown]
# ## Does the link close?
#
# TGO's X-band downlink EIRP (areo's spacecraft table: the high-gain antenna pointed at Earth) against the small
# dish, at culmination: the budget line by line. The carrier-to-noise density C/N0 (dB-Hz) is what an amateur
# tracker detects with a narrow FFT bin, whether or not the telemetry rate closes.

# %%
lb = link_report(
    "my-dish", "x", p[0]["culmination_utc"], target=tgo, spacecraft_name="tgo", data_rate_kbps=8.0, extra=extra
)
print(f"range {lb['range_km'] / 1e6:.1f} million km, elevation {lb['elevation_deg']:.1f} deg")
budget = lb.budget_dataframe()
print(budget.to_string(index=False))
print(
    f"margin at 8 kbit/s {lb['margin_db']:+.1f} dB; highest rate with a 3 dB margin {lb['max_data_rate_kbps']:.2f} kbit/s"
)

# %% [markdown]
# ## Export as a CCSDS Tracking Data Message
#
# The same predicted observables as a CCSDS TDM (KVN), which other tools (Orekit, ccsds-ndm) read; `areo check`
# reads it back.

# %%
tdm = work / "my-dish.tdm"
tracking_data("my-dish", rise, set_, target=tgo, step_s=60.0, two_way=False, out=tdm, extra=extra)
print(check_ccsds_file(tdm))
