"""Builds ``venus_vira.csv``: the Venus reference atmosphere areo's aerobraking uses, 0-250 km (run it to rebuild).

0-100 km, every 5 km: VIRA low-latitude (< 30 deg) model of Seiff et al. 1985, "Models of the structure of the
atmosphere of Venus from the surface to 100 kilometers altitude", Adv. Space Res. 5(11), 3-58, table 1
(temperature, pressure, density, as typed below).

100-250 km, every 2 km: a hydrostatic dayside thermosphere continued from VIRA's 100 km state, built here because
the VIRA upper-atmosphere tables (Keating et al. 1985, Adv. Space Res. 5(11), 117-171) are not available in a
form we can ship. Its inputs are published figures:

- the 100 km temperature and density of the table above (175.4 K, 7.89e-5 kg/m^3);
- a Bates temperature profile rising to the dayside exospheric temperature 285 K measured by the Pioneer Venus
  bus neutral mass spectrometer (von Zahn et al. 1979, Science 203, 768-770: 285 +- 10 K at 160-170 km);
- its shape factor is solved so that CO2 has the density the same instrument measured at 150 km, 6e9 cm^-3
  (same paper), with CO2 96.5 % of the heavy gas (CO2 + N2, mean molar mass 43.44 g/mol);
- atomic oxygen in diffusive equilibrium (16 g/mol), equal to the heavy gas at 160 km, where Pioneer Venus
  orbiter drag shows oxygen becoming the major gas (Keating et al. 1979, Science 203, 772-774).

So the 100-250 km part is "VIRA-anchored", not VIRA itself: a planning atmosphere with the measured dayside
structure, to be used with the density scale factors and dispersions of :mod:`areo.aerobraking.atmosphere`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from areo.constants import GM_VENUS, M_MOLAR_VENUS_AIR, R_GAS_UNIVERSAL, R_VENUS_MEAN

R_GAS = float(R_GAS_UNIVERSAL)
N_A = 6.02214076e23  # Avogadro constant, SI 2019 (exact)
R_VENUS = float(R_VENUS_MEAN)

# Seiff et al. 1985, table 1: altitude km, temperature K, pressure bar, density kg/m^3
SEIFF_1985 = [
    (0, 735.3, 92.10, 64.79),
    (5, 696.8, 66.65, 49.87),
    (10, 658.2, 47.39, 37.72),
    (15, 620.8, 33.04, 27.95),
    (20, 580.7, 22.52, 20.39),
    (25, 539.2, 14.93, 14.57),
    (30, 496.9, 9.581, 10.15),
    (35, 455.5, 5.917, 6.831),
    (40, 417.6, 3.501, 4.404),
    (45, 385.4, 1.979, 2.693),
    (50, 350.5, 1.066, 1.594),
    (55, 302.3, 0.5314, 0.9207),
    (60, 262.8, 0.2357, 0.4694),
    (65, 243.2, 0.09599, 0.2055),
    (70, 229.8, 0.03690, 0.08393),
    (75, 215.4, 0.01335, 0.03236),
    (80, 197.1, 0.004476, 0.01186),
    (85, 181.0, 0.001351, 0.003900),
    (90, 169.4, 0.0003736, 0.001151),
    (95, 168.2, 0.00009814, 0.0003040),
    (100, 175.4, 0.00002660, 0.00007890),
]
T_EXO_K = 285.0
N_CO2_150_M3 = 6.0e9 * 1e6
CO2_FRACTION = 0.965
M_HEAVY = float(M_MOLAR_VENUS_AIR)
M_O = 16.0e-3
Z_O_EQUAL_KM = 160.0


def _profile(shape_per_km: float, z_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t100, rho100 = SEIFF_1985[-1][1], SEIFF_1985[-1][3]
    temp = T_EXO_K - (T_EXO_K - t100) * np.exp(-shape_per_km * (z_km - 100.0))
    g = GM_VENUS / (R_VENUS + z_km * 1e3) ** 2

    def column(m_molar: float) -> np.ndarray:  # n(z) / n(100) in diffusive equilibrium (thermal diffusion neglected)
        inv_h = m_molar * g / (R_GAS * temp)
        integral = np.concatenate(([0.0], np.cumsum(0.5 * (inv_h[1:] + inv_h[:-1]) * np.diff(z_km * 1e3))))
        return t100 / temp * np.exp(-integral)

    n_heavy = rho100 / (M_HEAVY / N_A) * column(M_HEAVY)
    return temp, n_heavy, column(M_O)


def build(step_km: float = 2.0) -> list[tuple[float, float, float]]:
    z = np.arange(100.0, 250.0 + 1e-9, 0.25)
    k150 = round((150.0 - 100.0) / 0.25)

    def miss(s: float) -> float:
        _, n_heavy, _ = _profile(s, z)
        return math.log(CO2_FRACTION * n_heavy[k150] / N_CO2_150_M3)

    shape = brentq(miss, 1e-3, 1.0)
    temp, n_heavy, o_shape = _profile(shape, z)
    k160 = round((Z_O_EQUAL_KM - 100.0) / 0.25)
    n_o = o_shape * n_heavy[k160] / o_shape[k160]
    rho = (n_heavy * M_HEAVY + n_o * M_O) / N_A
    rows = [(float(a), float(t), float(r)) for a, t, _, r in SEIFF_1985]
    for zk in np.arange(100.0 + step_km, 250.0 + 1e-9, step_km):
        k = round((zk - 100.0) / 0.25)
        rows.append((float(zk), float(temp[k]), float(rho[k])))
    print(f"Bates shape factor {shape:.5f} /km")
    return rows


def main() -> None:
    rows = build()
    out = Path(__file__).with_name("venus_vira.csv")
    lines = [
        "# Venus reference atmosphere for areo.aerobraking: 0-100 km VIRA (Seiff et al. 1985, table 1, low latitude);",
        "# 100-250 km hydrostatic dayside thermosphere anchored on VIRA at 100 km and Pioneer Venus ONMS/drag;",
        "# built by build_venus_table.py (see its docstring for every input and its source).",
        "altitude_km,temperature_k,density_kg_m3",
    ]
    lines += [f"{z:g},{t:.2f},{r:.5e}" for z, t, r in rows]
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
