"""Arrival geometry at Mars: B-plane of a hyperbola, Mars body-fixed frame, entry figures.

B-plane (Kizner 1961; Vallado, *Fundamentals of Astrodynamics*, 4th ed., sec. 12.6): ``S`` is the incoming
asymptote, ``T = S x N / |S x N|`` with ``N`` the Mars north pole (IAU 2015), ``R = S x T``; ``B`` is the vector
from Mars' centre to where the incoming asymptote pierces the plane normal to ``S``. ``|B| = b`` the impact
parameter, ``B.T`` and ``B.R`` its components, ``theta = atan2(B.R, B.T)``.

Mars body-fixed frame: IAU 2015 pole (``POLE_RA_DEC_DEG['mars']``) and prime meridian ``W = W0 + omega d``;
latitudes planetocentric, longitudes east-positive in (-180, 180]. Altitude above the IAU ellipsoid
(R_MARS_EQ, R_MARS_POLAR) along the radius. Flight-path angle: angle of the velocity above the local horizontal
(negative descending), both inertial and relative to the rotating atmosphere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import constants as K


def _pole(body: str = "mars") -> np.ndarray:
    ra, dec = np.radians(K.POLE_RA_DEC_DEG[body])
    return np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])


MARS_POLE_ICRF = _pole("mars")


def icrf_to_equator_matrix(pole_ra_deg: float, pole_icrf: np.ndarray) -> np.ndarray:
    """Rotation from ICRF to a body's equator / IAU node frame (x to the ascending node of the equator on ICRF),
    from the right ascension of its pole and the pole's unit vector (:meth:`areo.bodies.CentralBody.pole_icrf`)."""
    ra = np.radians(pole_ra_deg)
    x = np.array([-np.sin(ra), np.cos(ra), 0.0])
    return np.stack([x, np.cross(pole_icrf, x), pole_icrf])


def icrf_to_mars_equator_matrix() -> np.ndarray:
    """Rotation from ICRF to the Mars equator / IAU node frame (x to the ascending node of the equator on ICRF)."""
    ra, dec = np.radians(K.POLE_RA_DEC_DEG["mars"])
    z = MARS_POLE_ICRF
    x = np.array([-np.sin(ra), np.cos(ra), 0.0])  # node of the Mars equator on the ICRF equator
    y = np.cross(z, x)
    del dec
    return np.stack([x, y, z])


def mars_rotation_angle_rad(tdb_s) -> np.ndarray:
    """Prime meridian angle W (rad) of Mars at TDB seconds past J2000 (IAU 2015, periodic terms neglected)."""
    return np.radians(K.W0_MARS_DEG) + K.OMEGA_MARS * np.asarray(tdb_s, dtype=float)


def icrf_to_mars_fixed(r_m, tdb_s) -> np.ndarray:
    """Mars-centred ICRF vectors (..., 3) to the Mars body-fixed frame at the same epochs."""
    e = np.asarray(r_m, float) @ icrf_to_mars_equator_matrix().T
    w = mars_rotation_angle_rad(tdb_s)
    c, s = np.cos(w), np.sin(w)
    return np.stack([c * e[..., 0] + s * e[..., 1], -s * e[..., 0] + c * e[..., 1], e[..., 2]], axis=-1)


def mars_radius_m(lat_rad) -> np.ndarray:
    """Radius (m) of the IAU Mars ellipsoid at planetocentric latitude ``lat_rad``."""
    a, b = float(K.R_MARS_EQ), float(K.R_MARS_POLAR)
    return a * b / np.sqrt((b * np.cos(lat_rad)) ** 2 + (a * np.sin(lat_rad)) ** 2)


def mars_altitude_m(r_mars_icrf_m) -> np.ndarray:
    """Altitude (m) above the IAU ellipsoid along the radius, from a Mars-centred ICRF position."""
    r = np.asarray(r_mars_icrf_m, float)
    rn = np.linalg.norm(r, axis=-1)
    sinlat = (r @ MARS_POLE_ICRF) / rn
    return rn - mars_radius_m(np.arcsin(np.clip(sinlat, -1, 1)))


@dataclass(frozen=True)
class MarsRelativeFigures:
    """Position and velocity figures of a Mars-centred state (what the EDL simulation starts from)."""

    tdb_s: float
    r_mars_icrf_m: np.ndarray
    v_mars_icrf_m_s: np.ndarray
    altitude_m: float
    latitude_deg: float
    longitude_deg: float
    speed_inertial_m_s: float
    fpa_inertial_deg: float
    speed_relative_m_s: float
    fpa_relative_deg: float
    azimuth_relative_deg: float


def mars_relative_figures(tdb_s: float, r_m, v_m_s) -> MarsRelativeFigures:
    """Altitude, planetocentric latitude/longitude, inertial and atmosphere-relative speed, FPA and azimuth."""
    r = np.asarray(r_m, float)
    v = np.asarray(v_m_s, float)
    rn = np.linalg.norm(r)
    rf = icrf_to_mars_fixed(r, tdb_s)
    lat = np.arcsin(rf[2] / rn)
    lon = np.arctan2(rf[1], rf[0])
    v_rel = v - np.cross(K.OMEGA_MARS * MARS_POLE_ICRF, r)
    up = r / rn
    fpa_i = np.arcsin(np.clip(v @ up / np.linalg.norm(v), -1, 1))
    fpa_r = np.arcsin(np.clip(v_rel @ up / np.linalg.norm(v_rel), -1, 1))
    east = np.cross(MARS_POLE_ICRF, up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    az = np.arctan2(v_rel @ east, v_rel @ north)
    return MarsRelativeFigures(
        tdb_s=float(tdb_s),
        r_mars_icrf_m=r,
        v_mars_icrf_m_s=v,
        altitude_m=float(mars_altitude_m(r)),
        latitude_deg=float(np.degrees(lat)),
        longitude_deg=float(np.degrees(lon)),
        speed_inertial_m_s=float(np.linalg.norm(v)),
        fpa_inertial_deg=float(np.degrees(fpa_i)),
        speed_relative_m_s=float(np.linalg.norm(v_rel)),
        fpa_relative_deg=float(np.degrees(fpa_r)),
        azimuth_relative_deg=float(np.degrees(az) % 360.0),
    )


@dataclass(frozen=True)
class BPlane:
    """B-plane of a Mars-centred hyperbola (see module docstring). Lengths in m, angles in rad."""

    b_t_m: float
    b_r_m: float
    b_m: float
    theta_rad: float
    v_inf_m_s: float
    r_periapsis_m: float
    inclination_rad: float
    s_hat: np.ndarray
    t_hat: np.ndarray
    r_hat: np.ndarray
    radius_m: float = float(K.R_MARS_EQ)  # the body's equatorial radius, for altitudes

    @property
    def periapsis_altitude_m(self) -> float:
        return self.r_periapsis_m - self.radius_m

    def summary(self) -> dict:
        return {
            "b_t_km": self.b_t_m / 1e3,
            "b_r_km": self.b_r_m / 1e3,
            "b_km": self.b_m / 1e3,
            "theta_deg": float(np.degrees(self.theta_rad)),
            "v_inf_km_s": self.v_inf_m_s / 1e3,
            "periapsis_altitude_km": self.periapsis_altitude_m / 1e3,
            "inclination_deg": float(np.degrees(self.inclination_rad)),
        }


def body_bplane(r_m, v_m_s, body: str) -> BPlane:
    """B-plane of the hyperbola through (r, v) relative to the central body ``body`` (:mod:`areo.bodies`)."""
    from ..bodies import body as central_body

    cb = central_body(body)
    return bplane(r_m, v_m_s, float(cb.gm_m3_s2), cb.pole_icrf(), float(cb.radius_m), cb.name)


def bplane(
    r_m,
    v_m_s,
    mu_m3_s2: float = float(K.GM_MARS),
    pole=MARS_POLE_ICRF,
    radius_m: float = float(K.R_MARS_EQ),
    name="mars",
) -> BPlane:
    """B-plane of the two-body hyperbola through (r, v) relative to the planet (ICRF; Mars unless ``mu_m3_s2``,
    ``pole``, ``radius_m`` say otherwise: see :func:`body_bplane`). Raises if not hyperbolic."""
    from ..errors import InputError

    r = np.asarray(r_m, float)
    v = np.asarray(v_m_s, float)
    rn = np.linalg.norm(r)
    v2 = v @ v
    energy = v2 / 2 - mu_m3_s2 / rn
    if energy <= 0:
        raise InputError(
            f"the state is bound to {name.capitalize()} (specific energy {energy:.1f} J/kg <= 0), so it has no B-plane; "
            "compute the B-plane on the approach hyperbola, before orbit insertion."
        )
    h = np.cross(r, v)
    hn = np.linalg.norm(h)
    evec = ((v2 - mu_m3_s2 / rn) * r - (r @ v) * v) / mu_m3_s2
    e = np.linalg.norm(evec)
    v_inf = np.sqrt(2 * energy)
    a = -mu_m3_s2 / (2 * energy)
    hhat = h / hn
    ehat = evec / e
    # incoming asymptote (velocity direction as t -> -inf): true anomaly -nu_inf with cos(nu_inf) = -1/e
    s_hat = (1.0 / e) * ehat + np.sqrt(1.0 - 1.0 / e**2) * np.cross(hhat, ehat)
    b = hn / v_inf
    b_vec = b * np.cross(s_hat, hhat)
    t_hat = np.cross(s_hat, pole)
    t_hat /= np.linalg.norm(t_hat)
    r_hat = np.cross(s_hat, t_hat)
    bt, br = float(b_vec @ t_hat), float(b_vec @ r_hat)
    rp = a * (1 - e)
    inc = np.arccos(np.clip(hhat @ pole, -1, 1))
    return BPlane(
        b_t_m=bt,
        b_r_m=br,
        b_m=float(b),
        theta_rad=float(np.arctan2(br, bt)),
        v_inf_m_s=float(v_inf),
        r_periapsis_m=float(rp),
        inclination_rad=float(inc),
        s_hat=s_hat,
        t_hat=t_hat,
        r_hat=r_hat,
        radius_m=float(radius_m),
    )
