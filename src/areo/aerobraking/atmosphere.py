"""Tabulated planetary atmospheres for aerobraking: log-linear density in altitude, scale factors, dispersions.

The Venus table (``data/venus_vira.csv``, 0-250 km) is VIRA below 100 km (Seiff et al. 1985) and a hydrostatic
dayside thermosphere anchored on VIRA and Pioneer Venus measurements above; ``data/build_venus_table.py`` builds
it and says where each input comes from. Altitudes outside the table are refused, never extrapolated: kernels
get a status code, the user layer an :class:`~areo.errors.InputError`.

Dispersions follow the usual aerobraking practice (e.g. the orbit-to-orbit density variability seen by Venus
Express, ESA 2014, and VIRA's day-to-day variability tables, Keating et al. 1985): a campaign-wide bias factor and
an independent log-normal factor per pass, both multiplying the table density.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt

from ..errors import InputError, unknown_choice

DATA = Path(__file__).with_name("data")
TABLES = {"venus-vira": DATA / "venus_vira.csv"}


@dataclass(frozen=True)
class AtmosphereTable:
    """Density (kg/m^3) and temperature (K) against altitude (m), interpolated log-linearly in density."""

    name: str
    altitude_m: np.ndarray
    density_kg_m3: np.ndarray
    temperature_k: np.ndarray
    source: str

    @property
    def top_m(self) -> float:
        return float(self.altitude_m[-1])

    @property
    def bottom_m(self) -> float:
        return float(self.altitude_m[0])

    def inside(self, altitude_m: npt.ArrayLike) -> np.ndarray:
        h = np.asarray(altitude_m, dtype=float)
        return cast(np.ndarray, (h >= self.bottom_m) & (h <= self.top_m))

    def density(self, altitude_m: npt.ArrayLike, scale: npt.ArrayLike = 1.0) -> np.ndarray:
        """Density at ``altitude_m`` (any shape) times ``scale``; NaN outside the table (callers check
        :meth:`inside` or use :meth:`density_checked`)."""
        h = np.asarray(altitude_m, dtype=float)
        log_rho = np.interp(h, self.altitude_m, np.log(self.density_kg_m3), left=np.nan, right=np.nan)
        return cast(np.ndarray, np.exp(log_rho) * scale)

    def density_checked(self, altitude_m: npt.ArrayLike, scale: npt.ArrayLike = 1.0) -> np.ndarray:
        """As :meth:`density`, but an altitude outside the table raises one clear :class:`InputError`."""
        h = np.asarray(altitude_m, dtype=float)
        bad = ~self.inside(h)
        if np.any(bad):
            worst = float(np.ravel(h)[np.argmax(np.ravel(bad))])
            raise InputError(
                f"altitude {worst / 1e3:.1f} km is outside the {self.name} atmosphere table "
                f"({self.bottom_m / 1e3:g}-{self.top_m / 1e3:g} km); keep periapsis and corridor inside it."
            )
        return self.density(h, scale)

    def temperature(self, altitude_m: npt.ArrayLike) -> np.ndarray:
        return cast(np.ndarray, np.interp(np.asarray(altitude_m, dtype=float), self.altitude_m, self.temperature_k))

    def scale_height_m(self, altitude_m: npt.ArrayLike) -> np.ndarray:
        """Local density scale height -d z / d ln(rho) from the table (m)."""
        h = np.asarray(altitude_m, dtype=float)
        d = 50.0
        return cast(np.ndarray, 2 * d / (np.log(self.density(h - d)) - np.log(self.density(h + d))))

    def altitude_for_density(self, density_kg_m3: npt.ArrayLike) -> np.ndarray:
        """Inverse of :meth:`density` (the table is monotonic): NaN where the density is outside the table."""
        log_rho = np.log(np.asarray(density_kg_m3, dtype=float))
        lr = np.log(self.density_kg_m3)[::-1]
        return cast(np.ndarray, np.interp(log_rho, lr, self.altitude_m[::-1], left=np.nan, right=np.nan))


@cache
def load_table(name: str = "venus-vira") -> AtmosphereTable:
    """A shipped atmosphere table by name (``venus-vira``)."""
    if name not in TABLES:
        raise unknown_choice("atmosphere table", name, TABLES)
    path = TABLES[name]
    lines = path.read_text().splitlines()
    source = " ".join(line.lstrip("# ") for line in lines if line.startswith("#"))
    data = np.loadtxt([line for line in lines if line and not line.startswith(("#", "altitude"))], delimiter=",")
    alt, temp, rho = data[:, 0] * 1e3, data[:, 1], data[:, 2]
    if np.any(np.diff(alt) <= 0) or np.any(np.diff(rho) >= 0):
        raise InputError(f"{path.name}: altitudes must increase and densities decrease down the table.")
    return AtmosphereTable(name, alt, rho, temp, source)


@dataclass(frozen=True)
class DensityDispersion:
    """One-sigma log-normal density factors: ``bias_sigma`` per campaign, ``pass_sigma`` per pass."""

    bias_sigma: float = 0.0
    pass_sigma: float = 0.0

    def __post_init__(self) -> None:
        for what, v in (("bias_sigma", self.bias_sigma), ("pass_sigma", self.pass_sigma)):
            if not (0.0 <= v <= 1.5):
                raise InputError(f"density dispersion {what} must be between 0 and 1.5 (log-normal sigma); got {v}.")

    def campaign_factors(self, rng: np.random.Generator, n_runs: int) -> np.ndarray:
        return np.exp(self.bias_sigma * rng.standard_normal(n_runs) - 0.5 * self.bias_sigma**2)

    def pass_factors(self, rng: np.random.Generator, n_runs: int) -> np.ndarray:
        return np.exp(self.pass_sigma * rng.standard_normal(n_runs) - 0.5 * self.pass_sigma**2)
