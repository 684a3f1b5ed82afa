# %% [markdown]
# # The Schiaparelli failure chain, and an EDL Monte Carlo
#
# On 2016-10-19 Schiaparelli entered the Martian atmosphere at 14:42 UTC. About three seconds after its
# parachute inflated, the capsule's angular rate exceeded the range of its inertial measurement unit; the
# saturation flag was held for about a second instead of the ~15 ms the designers expected, the on-board
# attitude went wrong, the navigation computed a negative altitude, the computer released the parachute at
# about 3.7 km, fired the thrusters for ~3 s and switched to on-ground mode. The lander fell freely and hit the
# ground at about 540 km/h (ESA press release 2016-11-23; ESA inquiry board report, 2017-05-24).
#
# areo's `exomars2016` scenario holds the vehicle, its flight software and two cases: `nominal` and
# `as-flown` (the IMU saturation fault). The same physics runs both.

# %%
import matplotlib.pyplot as plt

from areo.edl import monte_carlo, simulate_scenario

runs = {case: simulate_scenario("exomars2016", case) for case in ("nominal", "as-flown")}
for case, run in runs.items():
    j = run.to_json()
    print(
        f"{case:9s} {j['status']:8s} touchdown {j['touchdown_speed_km_h']:6.0f} km/h, "
        f"release at {j['release_altitude_m'] / 1e3:4.2f} km, thrusters {j['thruster_burn_s']:4.1f} s, "
        f"peak rate {j['max_pitch_rate_deg_s']:4.0f} deg/s"
    )

# %% [markdown]
# The event timeline of the as-flown case, beside the published figures:

# %%
published_km = {"parachute_deploy": "~12", "heatshield_jettison": "7.8", "backshell_release": "~3.7", "touchdown": "0"}
for e in runs["as-flown"].events():
    print(
        f"{e['name']:20s} t+{e['t_s']:6.1f} s  {e['altitude_m'] / 1e3:7.2f} km  {e['speed_m_s'] * 3.6:7.0f} km/h"
        f"   published: {published_km.get(e['name'], ''):>4s} km"
    )

# %% [markdown]
# What the vehicle believed against the truth: after the saturation the estimated altitude dives below the
# ground, which triggers the release sequence far too high.

# %%
fig, ax = plt.subplots(figsize=(8, 4))
for case, style in (("nominal", "-"), ("as-flown", "--")):
    h = runs[case].history
    ax.plot(h["t"], h["altitude_m"] / 1e3, style, label=f"{case}: true altitude")
    ax.plot(h["t"], h["altitude_est_m"] / 1e3, style, alpha=0.6, label=f"{case}: on-board estimate")
ax.set(xlim=(170, 330), ylim=(-60, 15), xlabel="time since entry (s)", ylabel="altitude (km)")
ax.axhline(0, color="k", lw=0.5)
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## Monte Carlo
#
# The batched JAX kernel flies thousands of dispersed runs (entry state, atmosphere, aerodynamics, masses,
# sensors: the `[edl.dispersions]` table). Nominal flight software, 2000 runs:

# %%
mc = monte_carlo("exomars2016", runs=2000, seed=1)
s = mc.summary
print(
    f"landed {s.landed}/{s.runs} ({100 * s.success_rate:.1f} %, 95 % interval {100 * s.ci_low:.1f}-{100 * s.ci_high:.1f} %)"
)
print(
    f"99 % landing ellipse {s.ellipse_major_km:.0f} x {s.ellipse_minor_km:.0f} km, azimuth {s.ellipse_azimuth_deg:.0f} deg"
    " (ESA: 100 x 15 km; the entry dispersions are calibrated to it)"
)

# %% [markdown]
# The same with the as-flown fault in every run: how robust is the failure?

# %%
bad = monte_carlo("exomars2016", runs=2000, seed=1, case="as-flown")
print(f"as-flown fault: landed {bad.summary.landed}/{bad.summary.runs}; outcomes {bad.summary.status_counts}")
