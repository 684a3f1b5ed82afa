# %% [markdown]
# # Passes and Doppler, checked against skyfield
#
# When does the RT-70 antenna at Yevpatoria see Mars, and what Doppler shift does an X-band carrier from Mars
# show there? areo computes both from DE421 with its own light-time solution and Earth orientation; skyfield
# (Brandon Rhodes' astronomy library, which areo uses for time scales) computes them independently. This notebook
# compares the two. Everything runs offline: DE421 comes from the `skyfield-data` package.

# %%
import warnings

import numpy as np
from skyfield import almanac
from skyfield.api import Loader, wgs84
from skyfield_data import get_skyfield_data_path

from areo.ground import get_station, observables, passes
from areo.time import utc_to_tdb_seconds

st = get_station("rt70-yevpatoria")
print(st.name, f"{st.lat_deg:.3f} N {st.lon_deg:.3f} E, {st.height_m:.0f} m, dish {st.diameter_m:.0f} m")

# %% [markdown]
# ## Passes above 10° elevation in the week of Mars arrival

# %%
ours = passes("rt70-yevpatoria", "mars", "2016-10-15", "2016-10-22", min_elevation_deg=10)

warnings.simplefilter("ignore")  # skyfield-data's bundled Earth-orientation file is old: use the built-in UT1
load = Loader(get_skyfield_data_path())
ts, eph = load.timescale(builtin=True), load("de421.bsp")
observer = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
t0, t1 = ts.utc(2016, 10, 15), ts.utc(2016, 10, 22)
rises, _ = almanac.find_risings(observer, eph["mars"], t0, t1, horizon_degrees=10.0)
sets, _ = almanac.find_settings(observer, eph["mars"], t0, t1, horizon_degrees=10.0)


def seconds(iso):
    return utc_to_tdb_seconds(iso)


print(f"{'rise (areo)':26s} {'rise - skyfield':>16s} {'set - skyfield':>15s}")
for p, r, s in zip(ours, rises, sets):
    dr = seconds(p["rise_utc"]) - seconds(r.utc_iso(places=3))
    ds = seconds(p["set_utc"]) - seconds(s.utc_iso(places=3))
    print(f"{p['rise_utc']:26s} {dr:+15.3f}s {ds:+14.3f}s")

# %% [markdown]
# Rise and set agree to about a millisecond (both without refraction, with the built-in UT1 and no polar
# motion; areo's own test of this, `tests/ground`, uses a month of passes made by skyfield's almanac).
#
# ## One-way Doppler at X band
#
# areo's observables solve the light time at each receive epoch and differentiate it; the one-way Doppler is
# −f·dτ/dt. With skyfield we take the light-time-corrected distance at receive epochs ±0.5 s.

# %%
t_utc = [f"2016-10-19T{h:02d}:00:00" for h in range(12, 19)]
tdb = np.array([utc_to_tdb_seconds(u) for u in t_utc])
obs = observables(st, "mars", tdb, band="x")


def skyfield_range_rate(hour):
    """d(light-time distance)/dt at a receive epoch, by central difference over +-0.5 s; the epoch as two
    floats (whole Julian date + fraction), as a single float64 JD would round it to ~50 microseconds."""
    t = ts.utc(2016, 10, 19, hour)
    dist = [
        observer.at(ts.tt_jd(t.whole, t.tt_fraction + k * 0.5 / 86400)).observe(eph["mars"]).distance().m
        for k in (-1, 1)
    ]
    return dist[1] - dist[0]


f = obs.downlink_frequency_hz
print(f"X-band downlink {f / 1e9:.4f} GHz")
print(f"{'UTC':20s} {'range rate m/s':>15s} {'skyfield m/s':>13s} {'diff m/s':>9s} {'Doppler Hz':>12s}")
for h, u, rr, dop in zip(range(12, 19), t_utc, obs.one_way_range_rate_m_s, obs.one_way_doppler_hz):
    sf = skyfield_range_rate(h)
    print(f"{u:20s} {rr:15.3f} {sf:13.3f} {rr - sf:9.4f} {dop:12.1f}")

# %% [markdown]
# The two agree to about a millimetre per second (the differencing of float64 light times sets that floor): at
# 8.42 GHz, 1 mm/s is 0.03 Hz of Doppler. The Doppler above is about −290 kHz: Mars was receding from Earth at
# ~10 km/s on arrival day, and the change over the pass comes from the Earth's rotation carrying the antenna.
