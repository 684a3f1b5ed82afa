"""Central bodies: one small record per body (GM, shape, pole and rotation, J2, sphere of influence, atmosphere).

Every number comes from :mod:`areo.constants`, where its unit and source live (IAU WGCCRE 2015 for shapes,
poles and rotation, Archinal et al. 2018; JPL DE421 for GM; Curtis, table A.2, for spheres of influence); a
``None`` means areo has no sourced value for it yet. Generic code asks ``body("venus")`` rather than importing
constants body by body, and names events after the body (``soi-entry:mars``, ``periapsis:venus``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import constants as k
from .errors import unknown_choice


@dataclass(frozen=True)
class CentralBody:
    """A body that orbits are flown around (SI: m, m^3/s^2, rad/s; pole and prime meridian in degrees).

    Shape: an oblate spheroid of equatorial radius ``radius_m`` and polar radius ``polar_radius_m`` (a sphere
    when they are equal). Orientation: IAU north pole (``pole_ra_deg``, ``pole_dec_deg``, ICRF, rates neglected)
    and prime meridian ``W = w0_deg + rotation_rad_s t`` (``w0_deg`` None: no body-fixed longitudes).
    ``soi_m``: sphere of influence; a body without one is never a propagation origin.
    """

    name: str
    gm_m3_s2: float
    radius_m: float
    j2: float | None = None
    rotation_rad_s: float | None = None
    soi_m: float | None = None
    atmosphere: str | None = None  # name of the atmosphere model areo ships for it, if any
    polar_radius_m: float | None = None  # None: a sphere of radius_m
    pole_ra_deg: float = 0.0
    pole_dec_deg: float = 90.0
    w0_deg: float | None = None

    @property
    def has_atmosphere(self) -> bool:
        """True when areo ships an atmosphere model for the body (entry and aerobraking are possible)."""
        return self.atmosphere is not None

    def period_s(self, semi_major_axis_m: float) -> float:
        """Keplerian period of an orbit of semi-major axis ``semi_major_axis_m``."""
        return 2.0 * math.pi * math.sqrt(semi_major_axis_m**3 / self.gm_m3_s2)

    def pole_icrf(self) -> np.ndarray:
        """Unit vector of the north pole in ICRF axes."""
        ra, dec = np.radians((self.pole_ra_deg, self.pole_dec_deg))
        return np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])

    def surface_radius_m(self, lat_rad: ArrayLike) -> NDArray[np.float64]:
        """Radius (m) of the reference spheroid at planetocentric latitude ``lat_rad``."""
        a = float(self.radius_m)
        b = float(self.polar_radius_m if self.polar_radius_m is not None else a)
        lat = np.asarray(lat_rad, float)
        return np.asarray(a * b / np.sqrt((b * np.cos(lat)) ** 2 + (a * np.sin(lat)) ** 2), float)

    def altitude_m(self, r_icrf_m: ArrayLike) -> NDArray[np.float64]:
        """Altitude (m) above the reference spheroid along the radius, from body-centred ICRF positions (..., 3)."""
        r = np.asarray(r_icrf_m, float)
        rn = np.linalg.norm(r, axis=-1)
        sinlat = np.clip((r @ self.pole_icrf()) / rn, -1.0, 1.0)
        return np.asarray(rn - self.surface_radius_m(np.arcsin(sinlat)), float)


_POLE = k.POLE_RA_DEC_DEG


BODIES: dict[str, CentralBody] = {
    "sun": CentralBody("sun", k.GM_SUN, k.R_SUN_NOMINAL, pole_ra_deg=_POLE["sun"][0], pole_dec_deg=_POLE["sun"][1]),
    "earth": CentralBody(
        "earth",
        k.GM_EARTH,
        k.R_EARTH_EQ,
        rotation_rad_s=k.OMEGA_EARTH,
        soi_m=k.R_SOI_EARTH,
        polar_radius_m=k.R_EARTH_EQ * (1.0 - k.F_EARTH),
        pole_ra_deg=_POLE["earth"][0],
        pole_dec_deg=_POLE["earth"][1],
    ),
    "moon": CentralBody("moon", k.GM_MOON, k.R_MOON_MEAN, pole_ra_deg=_POLE["moon"][0], pole_dec_deg=_POLE["moon"][1]),
    "mars": CentralBody(
        "mars",
        k.GM_MARS,
        k.R_MARS_EQ,
        j2=k.J2_MARS,
        rotation_rad_s=k.OMEGA_MARS,
        soi_m=k.R_SOI_MARS,
        atmosphere="glenn",
        polar_radius_m=k.R_MARS_POLAR,
        w0_deg=k.W0_MARS_DEG,
        pole_ra_deg=_POLE["mars"][0],
        pole_dec_deg=_POLE["mars"][1],
    ),
    "venus": CentralBody(
        "venus",
        k.GM_VENUS,
        k.R_VENUS_MEAN,
        j2=k.J2_VENUS,
        rotation_rad_s=k.OMEGA_VENUS,
        soi_m=k.R_SOI_VENUS,
        atmosphere="venus-vira",
        w0_deg=k.W0_VENUS_DEG,
        pole_ra_deg=_POLE["venus"][0],
        pole_dec_deg=_POLE["venus"][1],
    ),
}


def body(name: str) -> CentralBody:
    """The :class:`CentralBody` called ``name`` (case-insensitive); an unknown name lists the known ones."""
    key = str(name).strip().lower()
    if key not in BODIES:
        raise unknown_choice("central body", str(name), BODIES)
    return BODIES[key]


def origins() -> tuple[str, ...]:
    """Bodies a trajectory can be integrated relative to: the Sun and every body with a sphere of influence."""
    return ("sun", *(n for n, b in BODIES.items() if b.soi_m is not None))
