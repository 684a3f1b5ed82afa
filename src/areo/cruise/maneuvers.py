"""Manoeuvres: impulsive and finite burns, and the rocket equation.

An :class:`ImpulsiveBurn` changes the velocity instantly by ``dv_m_s`` (ICRF) and the mass by Tsiolkovsky's
equation. A :class:`FiniteBurn` thrusts with ``thrust_n`` for ``duration_s`` from ``start_tdb_s`` with mass flow
``thrust_n / (isp_s g0)``; its direction is either fixed in ICRF (``steering='inertial'``, ``direction``) or
opposite the velocity relative to the integration origin, pitched by ``pitch_rad`` towards the outward radial
direction (``steering='anti-velocity'``, for orbit insertion).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..constants import G0
from ..errors import InputError

STEERINGS = ("inertial", "anti-velocity")


def propellant_kg(mass_kg: float, dv_m_s: float, isp_s: float) -> float:
    """Propellant (kg) a burn of ``dv_m_s`` uses from ``mass_kg`` (Tsiolkovsky): m (1 - exp(-dv / (Isp g0)))."""
    return float(mass_kg) * (1.0 - np.exp(-float(dv_m_s) / (float(isp_s) * G0)))


def ideal_dv_m_s(mass_kg: float, propellant: float, isp_s: float) -> float:
    """Ideal velocity change (m/s) from burning ``propellant`` kg out of ``mass_kg``: Isp g0 ln(m0 / m1)."""
    return float(isp_s) * G0 * np.log(float(mass_kg) / (float(mass_kg) - float(propellant)))


def _check_positive(name: str, value: float, unit: str, allow_inf: bool = False) -> None:
    if not ((np.isfinite(value) or (allow_inf and value == np.inf)) and value > 0):
        raise InputError(f"{name} must be a finite number > 0 ({unit}); got {value!r}.")


@dataclass(frozen=True)
class ImpulsiveBurn:
    """Instant velocity change ``dv_m_s`` (ICRF, m/s) at ``tdb_s``; ``isp_s`` sets the propellant used.

    ``isp_s = inf`` means no propellant (a spring push, as at separation).
    """

    tdb_s: float
    dv_m_s: np.ndarray
    isp_s: float = 318.0
    name: str = "burn"

    def __post_init__(self):
        dv = np.asarray(self.dv_m_s, dtype=float)
        if dv.shape != (3,) or not np.all(np.isfinite(dv)):
            raise InputError(f"burn {self.name!r}: dv_m_s must be 3 finite numbers (ICRF, m/s); got {self.dv_m_s!r}.")
        object.__setattr__(self, "dv_m_s", dv)
        _check_positive(f"burn {self.name!r}: isp_s", self.isp_s, "s", allow_inf=True)

    @property
    def dv_magnitude_m_s(self) -> float:
        return float(np.linalg.norm(self.dv_m_s))


@dataclass(frozen=True)
class FiniteBurn:
    """Constant-thrust burn; see the module docstring for the steering laws."""

    start_tdb_s: float
    duration_s: float
    thrust_n: float
    isp_s: float
    steering: str = "inertial"
    direction: np.ndarray = field(default_factory=lambda: np.array([1.0, 0.0, 0.0]))
    pitch_rad: float = 0.0
    name: str = "burn"

    def __post_init__(self):
        _check_positive(f"burn {self.name!r}: duration_s", self.duration_s, "s")
        _check_positive(f"burn {self.name!r}: thrust_n", self.thrust_n, "N")
        _check_positive(f"burn {self.name!r}: isp_s", self.isp_s, "s")
        if self.steering not in STEERINGS:
            raise InputError(f"burn {self.name!r}: steering must be one of {STEERINGS}; got {self.steering!r}.")
        d = np.asarray(self.direction, dtype=float)
        n = np.linalg.norm(d) if d.shape == (3,) else 0.0
        if self.steering == "inertial" and not (np.isfinite(n) and n > 0):
            raise InputError(
                f"burn {self.name!r}: direction must be a non-zero 3-vector (ICRF); got {self.direction!r}."
            )
        object.__setattr__(self, "direction", d / n if n > 0 else d)

    @property
    def end_tdb_s(self) -> float:
        return self.start_tdb_s + self.duration_s

    @property
    def mass_flow_kg_s(self) -> float:
        return self.thrust_n / (self.isp_s * G0)

    @property
    def propellant_kg(self) -> float:
        return self.mass_flow_kg_s * self.duration_s

    def ideal_dv_m_s(self, mass_kg: float) -> float:
        return ideal_dv_m_s(mass_kg, self.propellant_kg, self.isp_s)

    def check_propellant(self, mass_kg: float, dry_mass_kg: float) -> None:
        """Raise InputError when the burn needs more propellant than ``mass_kg - dry_mass_kg``."""
        avail = mass_kg - dry_mass_kg
        if self.propellant_kg > avail + 1e-9:
            max_s = max(avail, 0.0) / self.mass_flow_kg_s
            raise InputError(
                f"burn {self.name!r} needs {self.propellant_kg:.1f} kg of propellant ({self.duration_s:.0f} s at "
                f"{self.thrust_n:g} N, Isp {self.isp_s:g} s) but only {avail:.1f} kg is left "
                f"(mass {mass_kg:.1f} kg, dry mass {dry_mass_kg:.1f} kg); shorten it to at most {max_s:.0f} s "
                "or carry more propellant."
            )

    def thrust_direction(self, r: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Unit thrust vector (ICRF) for a spacecraft at (r, v) relative to the integration origin."""
        if self.steering == "inertial":
            return self.direction
        vhat = v / np.sqrt(v @ v)
        rperp = r - (r @ vhat) * vhat
        rperp = rperp / np.sqrt(rperp @ rperp)
        return np.cos(self.pitch_rad) * (-vhat) + np.sin(self.pitch_rad) * rperp
