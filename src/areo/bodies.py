"""Central bodies: one small record per body (GM, radius, J2, rotation, sphere of influence, atmosphere name).

Every number comes from :mod:`areo.constants`, where its unit and source live; a ``None`` means areo has no
sourced value for it yet. Generic code asks ``body("venus")`` rather than importing constants body by body.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import constants as k
from .errors import unknown_choice


@dataclass(frozen=True)
class CentralBody:
    """A body that orbits are flown around (SI: m, m^3/s^2, rad/s)."""

    name: str
    gm_m3_s2: float
    radius_m: float
    j2: float | None = None
    rotation_rad_s: float | None = None
    soi_m: float | None = None
    atmosphere: str | None = None  # name of the atmosphere model areo ships for it, if any

    def period_s(self, semi_major_axis_m: float) -> float:
        """Keplerian period of an orbit of semi-major axis ``semi_major_axis_m``."""
        return 2.0 * math.pi * math.sqrt(semi_major_axis_m**3 / self.gm_m3_s2)


BODIES: dict[str, CentralBody] = {
    "sun": CentralBody("sun", k.GM_SUN, k.R_SUN_NOMINAL),
    "earth": CentralBody("earth", k.GM_EARTH, k.R_EARTH_EQ, rotation_rad_s=k.OMEGA_EARTH, soi_m=k.R_SOI_EARTH),
    "moon": CentralBody("moon", k.GM_MOON, k.R_MOON_MEAN),
    "mars": CentralBody(
        "mars",
        k.GM_MARS,
        k.R_MARS_EQ,
        j2=k.J2_MARS,
        rotation_rad_s=k.OMEGA_MARS,
        soi_m=k.R_SOI_MARS,
        atmosphere="glenn",
    ),
    "venus": CentralBody(
        "venus",
        k.GM_VENUS,
        k.R_VENUS_MEAN,
        j2=k.J2_VENUS,
        rotation_rad_s=k.OMEGA_VENUS,
        soi_m=k.R_SOI_VENUS,
        atmosphere="venus-vira",
    ),
}


def body(name: str) -> CentralBody:
    """The :class:`CentralBody` called ``name`` (case-insensitive); an unknown name lists the known ones."""
    key = str(name).strip().lower()
    if key not in BODIES:
        raise unknown_choice("central body", str(name), BODIES)
    return BODIES[key]
