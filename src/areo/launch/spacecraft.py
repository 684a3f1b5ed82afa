"""The spacecraft's side of a launch period: the velocity change it must make after the launcher lets go
(a deep-space manoeuvre, then the orbit insertion at the target) and the propellant that takes, against the
propellant it carries.

Model (impulsive, two burns, rocket equation)
---------------------------------------------
* Orbit insertion: a single impulse at periapsis from the arrival hyperbola (``v_inf``) to the capture ellipse
  (periapsis radius ``r_p``, apoapsis radius ``r_a``):
  ``dv = sqrt(v_inf^2 + 2 mu / r_p) - sqrt(mu (2 / r_p - 2 / (r_p + r_a)))``.
* Propellant: the DSM (if any) is flown by the whole stack (launch mass); then the mass carried for release
  (a lander) leaves; then the insertion is flown by the propulsive vehicle. Each burn uses
  ``m_prop = m0 (1 - exp(-dv / (Isp g0)))``.
* Margin: propellant carried (launch mass - released mass - dry mass) minus propellant needed.

Left out: gravity losses of a finite insertion burn, trajectory-correction and attitude-control budgets,
manoeuvres after capture, and any margin policy. They all lower the real margin; areo reports the bare margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from ..constants import G0
from ..errors import InputError

# per-element status codes of spacecraft_budget
BUDGET_OK = 0
BUDGET_SHORT = 1
BUDGET_NO_ARRIVAL = 2
BUDGET_STATUS = {
    BUDGET_OK: "ok",
    BUDGET_SHORT: "propellant below the DSM + insertion need",
    BUDGET_NO_ARRIVAL: "no arrival velocity (no transfer)",
}


@dataclass(frozen=True)
class Spacecraft:
    """What the launcher lifts and what the spacecraft can burn (kg, s)."""

    launch_mass_kg: float  # everything the launcher sends on its way
    dry_mass_kg: float  # the propulsive vehicle without usable propellant
    released_mass_kg: float  # carried through the DSM, released before insertion (a lander); 0 if none
    isp_s: float  # specific impulse of the main engine

    def __post_init__(self) -> None:
        if not self.isp_s > 0:
            raise InputError(f"specific impulse must be positive (got {self.isp_s:g} s); give the engine's Isp in s.")
        if not 0 <= self.released_mass_kg < self.launch_mass_kg:
            raise InputError(
                f"released mass {self.released_mass_kg:g} kg must be 0 or more and below the launch mass "
                f"{self.launch_mass_kg:g} kg; check the lander's mass."
            )
        if not 0 < self.dry_mass_kg <= self.launch_mass_kg - self.released_mass_kg:
            raise InputError(
                f"dry mass {self.dry_mass_kg:g} kg must be positive and at most the orbiter's launch mass "
                f"{self.launch_mass_kg - self.released_mass_kg:g} kg; check the orbiter's masses."
            )

    @property
    def propellant_kg(self) -> float:
        return self.launch_mass_kg - self.released_mass_kg - self.dry_mass_kg


@dataclass(frozen=True)
class CaptureOrbit:
    """The ellipse the insertion burn aims for, about a body of gravitational parameter ``mu_m3_s2``."""

    mu_m3_s2: float
    periapsis_radius_m: float
    apoapsis_radius_m: float

    def __post_init__(self) -> None:
        if not 0 < self.periapsis_radius_m <= self.apoapsis_radius_m:
            raise InputError(
                f"capture orbit: periapsis radius {self.periapsis_radius_m:g} m must be positive and at most the "
                f"apoapsis radius {self.apoapsis_radius_m:g} m; check the capture table."
            )


def capture_dv_m_s(v_inf_m_s: npt.ArrayLike, capture: CaptureOrbit) -> np.ndarray:
    """Impulsive insertion velocity change (m/s) at periapsis for each arrival ``v_inf_m_s`` (NaN where not finite)."""
    v_inf = np.asarray(v_inf_m_s, dtype=float)
    mu, rp, ra = capture.mu_m3_s2, capture.periapsis_radius_m, capture.apoapsis_radius_m
    v_hyp = np.sqrt(v_inf**2 + 2.0 * mu / rp)
    v_ell = np.sqrt(mu * (2.0 / rp - 2.0 / (rp + ra)))
    return cast(np.ndarray, v_hyp - v_ell)


def propellant_needed_kg(
    spacecraft: Spacecraft, dsm_dv_m_s: npt.ArrayLike, insertion_dv_m_s: npt.ArrayLike
) -> np.ndarray:
    """Propellant (kg) for a DSM flown by the whole stack, then an insertion flown after the release."""
    ve = spacecraft.isp_s * float(G0)
    m0 = spacecraft.launch_mass_kg
    p_dsm = m0 * -np.expm1(-np.asarray(dsm_dv_m_s, dtype=float) / ve)
    m1 = m0 - p_dsm - spacecraft.released_mass_kg
    return cast(np.ndarray, p_dsm + m1 * -np.expm1(-np.asarray(insertion_dv_m_s, dtype=float) / ve))


@dataclass(frozen=True)
class SpacecraftBudget:
    """Per element: total velocity change, propellant margin (NaN without an arrival) and a status code."""

    dsm_dv_m_s: np.ndarray
    insertion_dv_m_s: np.ndarray
    margin_kg: np.ndarray
    status: np.ndarray

    @property
    def dv_m_s(self) -> np.ndarray:
        return cast(np.ndarray, self.dsm_dv_m_s + self.insertion_dv_m_s)


def spacecraft_budget(
    spacecraft: Spacecraft, capture: CaptureOrbit, v_inf_arrive_m_s: npt.ArrayLike, dsm_dv_m_s: npt.ArrayLike = 0.0
) -> SpacecraftBudget:
    """The spacecraft's budget for each arrival ``v_inf_arrive_m_s`` (and DSM, 0 for a ballistic transfer)."""
    v_inf = np.atleast_1d(np.asarray(v_inf_arrive_m_s, dtype=float))
    dsm = np.broadcast_to(np.asarray(dsm_dv_m_s, dtype=float), v_inf.shape).astype(float)
    have = np.isfinite(v_inf) & np.isfinite(dsm)
    moi = np.where(have, capture_dv_m_s(np.where(have, v_inf, 0.0), capture), np.nan)
    need = propellant_needed_kg(spacecraft, np.where(have, dsm, 0.0), np.where(have, moi, 0.0))
    margin = np.where(have, spacecraft.propellant_kg - need, np.nan)
    status = np.where(have, np.where(margin >= 0, BUDGET_OK, BUDGET_SHORT), BUDGET_NO_ARRIVAL).astype(np.int8)
    return SpacecraftBudget(np.where(have, dsm, np.nan), moi, margin, status)


__all__ = [
    "BUDGET_STATUS",
    "CaptureOrbit",
    "Spacecraft",
    "SpacecraftBudget",
    "capture_dv_m_s",
    "propellant_needed_kg",
    "spacecraft_budget",
]
