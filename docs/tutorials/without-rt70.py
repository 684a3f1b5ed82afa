# %% [markdown]
# # Planning without the Crimean RT-70
#
# Soviet and Russian deep-space missions were tracked by two 70 m antennas, RT-70 at Yevpatoria (Crimea) and
# RT-70 at Ussuriysk (Far East), ~8 h of longitude apart. Since 2014 Yevpatoria's availability to Roscosmos and
# its partners is a planning question. What does losing it cost a Mars mission? Here for the ExoMars 2022 plan
# (descent module landing on 2023-06-10), over the week before arrival: the share of time Mars is above the
# stations' masks, the longest gap and the daily data volume at X band with TGO's EIRP as the spacecraft.

# %%
from areo.ground import event_coverage, network_coverage

specs = ["rt70", "rt70-ussuriysk", "russia", "russia,estrack", "rt70,estrack"]
rows = network_coverage(specs, "2023-06-03", "2023-06-10", step_s=300)
print(f"{'network':18s} {'coverage':>9s} {'longest gap':>12s} {'Gbit/day':>9s}")
for r in rows:
    print(
        f"{r['network']:18s} {100 * r['coverage_fraction']:8.1f}% {r['longest_gap_h']:10.1f} h {r['mean_daily_volume_gbit']:9.1f}"
    )

# %% [markdown]
# In that week (Mars high in the northern sky), Ussuriysk alone sees Mars a little over half the time, with
# ~10-hour gaps every day. The two RT-70s together cover ~84 %: Yevpatoria fills most of Ussuriysk's gap. Without
# Yevpatoria, the Russian network (Ussuriysk plus the 64 m antennas at Bear Lakes and Kalyazin near Moscow, at
# nearly Yevpatoria's longitude) gets the same coverage back but ~15 % less data per day (smaller dishes). With
# ESA's ESTRACK stations added, Mars is never out of sight.
#
# ## A critical event
#
# Which stations of a network see Mars at a given instant, and with what margin at 8 kbit/s? For the planned
# landing epoch (about 15:30 UTC on 2023-06-10, assumption for this notebook):

# %%
for net in ("rt70", "russia", "estrack"):
    seen = event_coverage(net, "2023-06-10T15:30:00", data_rate_kbps=8.0)
    print(net, [(s["station"], round(s["elevation_deg"], 1), round(s["margin_db"], 1)) for s in seen if s["visible"]])
