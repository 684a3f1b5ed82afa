# %% [markdown]
# # Schiaparelli in six degrees of freedom: the saturating rate from the dynamics
#
# The [3-DOF tutorial](../schiaparelli/) gets Schiaparelli's saturating rate from a calibrated pitch kick. Here
# the rate comes from the bodies: the capsule as a rigid body (quaternion attitude, full inertia tensor, the
# static and dynamic moments of a 70-degree sphere-cone), the parachute as a second body on an elastic riser,
# a 3-axis IMU whose gyros saturate, the flight software's saturation flag with its persistence, and the
# on-board navigation that integrates the gyros into an attitude and the accelerometers into an altitude
# (`areo.edl.sixdof`, `areo edl SCENARIO --dof 6`). What the ESA inquiry board reported (2017-05-24): the rate
# exceeded the IMU's range just after the parachute inflated, the flag was held ~1 s instead of ~15 ms, the
# estimated altitude went negative, the back shell went at ~3.7 km, the thrusters fired ~3 s, the lander hit
# the ground at ~540 km/h.
#
# Inputs chosen to reproduce that chain (the rest of the `[edl.sixdof]` table carries its sources in the
# scenario file):

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from areo.edl.sixdof import CALIBRATED, fly, load_6dof, run_scenario, simulate_reference

print("\n".join(CALIBRATED))

# %% [markdown]
# ## One flight, as flown and as designed
#
# `fly` runs one undispersed flight through the batched JAX kernel; keyword arguments override kernel
# parameters by name (SI units): here the saturation flag's persistence, `flag_hold`.

# %%
for hold in (1.0, 0.015):  # s: as flown, as designed
    r = fly("exomars2016", ["imu-saturation"], flag_hold=hold)
    print(
        f"flag hold {hold * 1000:6.0f} ms: {r['status_name']:8s} peak rate {math.degrees(r['peak_rate']):4.0f} deg/s, "
        f"flag up {r['flag_up_s']:.2f} s, attitude error {math.degrees(r['max_att_err']):4.0f} deg, "
        f"release at {r['release_h'] / 1e3:.2f} km, touchdown {r['touchdown_speed'] * 3.6:4.0f} km/h"
    )

# %% [markdown]
# ## What the gyros saw
#
# The numpy reference (`simulate_reference`, the same equations one step at a time in Python) also keeps a
# history. The capsule's body rates around mortar fire: the parachute's snatch and its pull off the capsule's
# axis swing the capsule past the gyros' range (dashed), which sets the saturation flag.

# %%
p, model = load_6dof("exomars2016", ["imu-saturation"])
res, h, _ = simulate_reference(p, model)
t0 = res["parachute_deploy_t"]
limit = math.degrees(p["gyro_limit_0"])
fig, ax = plt.subplots(figsize=(8, 3.5))
for axis in "xyz":
    ax.plot(h["t"] - t0, np.degrees(h[f"rate_{axis}"]), label=f"body {axis}")
for sign in (1, -1):
    ax.axhline(sign * limit, color="k", ls="--", lw=0.8)
ax.set(xlim=(-1, 6), xlabel="time since mortar fire (s)", ylabel="body rate (deg/s)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Once the flag has been up for a second the on-board attitude is off by nearly half a turn, so the
# accelerometers' deceleration is integrated in the wrong direction and the altitude estimate dives below the
# ground. The phase table's release trigger (radar-aided altitude below 1,200 m) is armed only while the radar
# is locked: when the radar locks on, about 100 s after mortar fire, the estimate is far below the threshold,
# so the back shell goes at once, 3.6 km above the ground; the thrusters fire and the software switches to
# on-ground mode.

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(h["t"] - t0, h["altitude_m"] / 1e3, label="true altitude")
ax.plot(h["t"] - t0, h["altitude_est_m"] / 1e3, label="on-board estimate")
ax.axhline(0, color="k", lw=0.5)
ax.set(xlim=(-5, 200), ylim=(-70, 15), xlabel="time since mortar fire (s)", ylabel="altitude (km)")
ax.legend(fontsize=8)
plt.show()
print(
    f"attitude error {math.degrees(res['max_att_err']):.0f} deg, lowest estimate {res['min_h_est'] / 1e3:.1f} km, "
    f"release at {res['release_h'] / 1e3:.2f} km (true), touchdown {res['touchdown_speed'] * 3.6:.0f} km/h"
)

# %% [markdown]
# ## How often: a dispersed Monte Carlo
#
# `run_scenario` flies a scenario case with `runs` dispersed runs (entry state, density, aerodynamics, masses,
# sensors, entry angle of attack, winds; seeded by run index, so the results do not depend on how the runs are
# split over processes). The same 64 runs with the flight software as flown and as designed: the same runs
# saturate their gyros; only the flag's persistence differs.

# %%
for case in ("as-flown", "nominal"):
    mc = run_scenario("exomars2016", case, runs=64, seed=1, workers=1)
    rate = mc.table["peak_rate_deg_s"]
    print(
        f"{case:9s} {mc.status_counts()}  peak rate median {np.median(rate):.0f} deg/s (max {rate.max():.0f}), "
        f"rate beyond the gyro range in {int(np.sum(mc.table['rate_above_range_s'] > 0))} runs"
    )

# %% [markdown]
# The same from the command line: `areo edl exomars2016 --dof 6 --case as-flown --runs 64 --seed 1`
# (`--out DIR` writes the per-run CSV and a summary; large `--runs` become a resumable Parquet campaign). The
# model, its validation and its limits: [Six degrees of freedom under the canopy](../../edl_6dof/).
