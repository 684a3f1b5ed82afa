# %% [markdown]
# # Lambert's problem, checked against pykep
#
# areo's Lambert solver is Izzo's 2015 algorithm written as a batched JAX kernel (float64, CPU or GPU). Its
# authority is pykep (ESA's own implementation of the same algorithm): the repository carries 20,000 random
# single-revolution and 5,000 multi-revolution problems solved by pykep 3.0.1
# (`tests/authorities/lambert_cases.npz`, made by `tests/authorities/builders/build_lambert_cases.py`).
# This notebook solves them again with areo and compares. pykep itself is not needed.

# %%
from pathlib import Path

import numpy as np

import areo

root = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "tests" / "authorities").is_dir())
case = np.load(root / "tests" / "authorities" / "lambert_cases.npz")
print({k: case[k].shape for k in case.files})

# %%
km = 1e3
sol = areo.lambert(case["r1_km"] * km, case["r2_km"] * km, case["tof_s"], case["mu_km3s2"] * km**3)
dv1 = np.linalg.norm(sol.v1_m_s / km - case["v1_kms"], axis=-1)
dv2 = np.linalg.norm(sol.v2_m_s / km - case["v2_kms"], axis=-1)
print(f"{sol.ok.sum()} of {sol.ok.size} converged")
print(f"largest difference from pykep: departure {dv1.max() * km:.1e} m/s, arrival {dv2.max() * km:.1e} m/s")

# %% [markdown]
# Multi-revolution problems: pykep's `max_revs` returns, for each revolution count N, two solutions; areo names
# them by their period (`short-period`, pykep's first, and `long-period`). A problem with too short a time of
# flight for N revolutions has no solution: areo says so per problem with a status code instead of a NaN.

# %%
m = np.load(root / "tests" / "authorities" / "lambert_multirev_cases.npz")
i = m["case"]
revs, branch = m["revs"], np.where(m["branch"] == 2, "long-period", "short-period")
sol = areo.lambert(
    m["r1_km"][i] * km,
    m["r2_km"][i] * km,
    m["tof_s"][i],
    m["mu_km3s2"] * km**3,
    revs=revs,
    retrograde=m["clockwise"][i],
    branch=branch,
)
err = np.linalg.norm(sol.v1_m_s / km - m["v1_kms"], axis=-1)
print(f"{len(i)} pykep solutions, revolutions 0..{revs.max()}: areo converged on {sol.ok.sum()}")
print(f"largest departure-velocity difference: {np.nanmax(err) * km:.1e} m/s")

# %%
too_short = areo.lambert([1.5e11, 0, 0], [0, 1.5e11, 0], 30 * 86400.0, 1.32712440018e20, revs=2)
print(areo.LambertStatus(int(too_short.status)).name, "-", too_short.messages().item())
