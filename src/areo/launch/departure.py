"""Departure from a circular parking orbit: where the escape burn must be, when the site must lift off, and how long
the upper stage coasts in between.

Geometry (Kemble, "Interplanetary Mission Analysis and Design", Springer 2006, ch. 3, "launch from a parking
orbit"; Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. 2013, sec. 2.2 hyperbolic orbits and
sec. 3.x site coordinates). A parking orbit of radius ``r_p`` and inclination ``i`` must contain the outgoing
asymptote, of declination ``delta`` (DLA) and right ascension ``alpha`` (RLA):

* the asymptote lies in the plane at argument of latitude ``u_s`` with ``sin(delta) = sin(i) sin(u_s)``: two
  solutions, ``u_s`` and ``pi - u_s`` (the day's two opportunities), none when ``|delta| > i``;
* the plane's ascending node: ``Omega = alpha - atan2(cos(i) sin(u_s), cos(u_s))``;
* the burn (perigee of the departure hyperbola) precedes the asymptote by the asymptote's true anomaly
  ``theta_inf = arccos(-1/e)``, ``e = 1 + r_p v_inf^2 / mu``: ``u_p = u_s - theta_inf``;
* the site (geocentric latitude ``phi``) lies in the plane at lift-off, on the ascending pass at
  ``sin(u_L) = sin(phi) / sin(i)`` (north-east launches such as Baikonur's to 51.6 deg; the descending pass,
  ``pi - u_L``, is available to the kernel), at right ascension ``Omega + atan2(cos(i) sin(u_L), cos(u_L))``:
  lift-off is the instant the site's sidereal angle (Earth rotation angle + east longitude) reaches it;
* the coast from lift-off to the burn is the arc ``(u_p - u_L) mod 2 pi`` at the parking orbit's mean motion.

Assumptions, stated once: the ascent is not modelled (the arc is flown at orbital rate from lift-off; a real ascent,
~10 min to orbit, is slower, so the real coast to the same burn point is a few minutes longer); a coast that
needs extra revolutions is the shortest one (it is over the limit already if that one is); the escape burn is
impulsive at perigee; the plane does not precess during the coast (J2 moves a 51.6 deg, 200 km orbit's node by
about 0.2 deg an hour); the site is a point on the WGS84 ellipsoid without polar motion.

Kernel: pure numpy, SI and radians, arrays with a trailing axis of 2 opportunities. User layer
(:func:`launch_opportunities`): a launcher's site, parking orbit and coast limit applied to one transfer per day,
with skyfield's GCRS -> CIRS rotation and Earth rotation angle for the instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

from ..constants import DAY, F_EARTH, GM_EARTH, J2000_JD, R_EARTH_EQ

if TYPE_CHECKING:
    from .vehicle import Launcher

TWO_PI = 2.0 * np.pi
# Earth rotation angle rate (rad per UT1 second): IAU 2000, 2 pi * 1.00273781191135448 per UT1 day
ERA_RATE_RAD_S = TWO_PI * 1.00273781191135448 / DAY

# per-day status of the departure geometry
DEPARTURE_OK = 0
DEPARTURE_NO_ASYMPTOTE = 1  # C3 <= 0 (a bound orbit, e.g. an L2 transfer): no asymptote to place
DEPARTURE_DLA_ABOVE_INCLINATION = 2
DEPARTURE_COAST_TOO_LONG = 3
DEPARTURE_SITE_OFF_PLANE = 4  # the site's latitude exceeds the inclination: the plane never passes over it
DEPARTURE_STATUS = {
    DEPARTURE_OK: "ok",
    DEPARTURE_NO_ASYMPTOTE: "C3 <= 0: no departure asymptote, so no launch time or coast to check",
    DEPARTURE_DLA_ABOVE_INCLINATION: "DLA beyond the parking orbit's inclination: no opportunity",
    DEPARTURE_COAST_TOO_LONG: "coast longer than the launcher allows",
    DEPARTURE_SITE_OFF_PLANE: "launch site's latitude beyond the parking orbit's inclination",
}


# ------------------------------------------------------------------------------------------------------ kernel
def asymptote_arguments(incl_rad: npt.ArrayLike, dla_rad: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Arguments of latitude (..., 2) of the asymptote in a plane of inclination ``incl_rad``: ``u_s`` and
    ``pi - u_s`` with ``sin(dla) = sin(i) sin(u_s)``; and a mask (...) False where ``|dla| > i`` (NaN there)."""
    i, d = np.broadcast_arrays(np.asarray(incl_rad, float), np.asarray(dla_rad, float))
    x = np.sin(d) / np.sin(i)
    ok = np.isfinite(x) & (np.abs(x) <= 1.0 + 1e-12)
    u = np.arcsin(np.clip(np.where(ok, x, np.nan), -1.0, 1.0))
    return np.stack([u, np.pi - u], axis=-1) % TWO_PI, ok


def node_from_asymptote(incl_rad: npt.ArrayLike, u_s_rad: npt.ArrayLike, rla_rad: npt.ArrayLike) -> np.ndarray:
    """Right ascension of the ascending node that puts argument of latitude ``u_s`` at right ascension ``rla``."""
    i, u = np.asarray(incl_rad, float), np.asarray(u_s_rad, float)
    return cast(np.ndarray, (np.asarray(rla_rad, float) - np.arctan2(np.cos(i) * np.sin(u), np.cos(u))) % TWO_PI)


def right_ascension_in_plane(node_rad: npt.ArrayLike, incl_rad: npt.ArrayLike, u_rad: npt.ArrayLike) -> np.ndarray:
    """Right ascension of the point at argument of latitude ``u`` of the plane (node, inclination)."""
    i, u = np.asarray(incl_rad, float), np.asarray(u_rad, float)
    return cast(np.ndarray, (np.asarray(node_rad, float) + np.arctan2(np.cos(i) * np.sin(u), np.cos(u))) % TWO_PI)


def asymptote_true_anomaly(r_p_m: npt.ArrayLike, c3_m2_s2: npt.ArrayLike, mu_m3_s2: float) -> np.ndarray:
    """True anomaly of the outgoing asymptote, ``arccos(-1/e)`` with ``e = 1 + r_p C3 / mu`` (NaN for C3 <= 0)."""
    c3 = np.asarray(c3_m2_s2, float)
    e = 1.0 + np.asarray(r_p_m, float) * np.where(c3 > 0, c3, np.nan) / mu_m3_s2
    return np.arccos(-1.0 / e)


def site_argument(incl_rad: npt.ArrayLike, lat_rad: npt.ArrayLike, ascending: bool = True) -> np.ndarray:
    """Argument of latitude of a site of geocentric latitude ``lat`` in the plane: ``arcsin(sin(lat)/sin(i))`` on
    the ascending pass, ``pi`` minus it on the descending one (NaN where ``|lat| > i``)."""
    x = np.sin(np.asarray(lat_rad, float)) / np.sin(np.asarray(incl_rad, float))
    u = np.arcsin(np.where(np.abs(x) <= 1.0, x, np.nan))
    return cast(np.ndarray, (u if ascending else np.pi - u) % TWO_PI)


def plane_normal(node_rad: npt.ArrayLike, incl_rad: npt.ArrayLike) -> np.ndarray:
    """Unit angular-momentum vector (..., 3) of the plane (node, inclination), equatorial frame."""
    o, i = np.asarray(node_rad, float), np.asarray(incl_rad, float)
    o, i = np.broadcast_arrays(o, i)
    return np.stack([np.sin(i) * np.sin(o), -np.sin(i) * np.cos(o), np.cos(i)], axis=-1)


def in_plane_vector(node_rad: npt.ArrayLike, incl_rad: npt.ArrayLike, u_rad: npt.ArrayLike) -> np.ndarray:
    """Unit vector (..., 3) at argument of latitude ``u`` of the plane (node, inclination)."""
    o, i, u = np.broadcast_arrays(*(np.asarray(a, float) for a in (node_rad, incl_rad, u_rad)))
    co, so, ci, si, cu, su = np.cos(o), np.sin(o), np.cos(i), np.sin(i), np.cos(u), np.sin(u)
    return np.stack([co * cu - so * ci * su, so * cu + co * ci * su, si * su], axis=-1)


@dataclass
class DepartureGeometry:
    """Per transfer (...) and opportunity (..., 2): node, arguments of latitude of asymptote, burn and site, the
    site's right ascension at lift-off, the coast (s) and a per-transfer status (``DEPARTURE_STATUS``, without
    the coast verdict, which needs the launcher's limit)."""

    node_rad: np.ndarray
    u_asymptote_rad: np.ndarray
    u_burn_rad: np.ndarray
    u_site_rad: np.ndarray
    site_ra_rad: np.ndarray
    coast_s: np.ndarray
    status: np.ndarray


def departure_geometry(
    r_p_m: npt.ArrayLike,
    incl_rad: npt.ArrayLike,
    c3_m2_s2: npt.ArrayLike,
    dla_rad: npt.ArrayLike,
    rla_rad: npt.ArrayLike,
    site_lat_rad: npt.ArrayLike,
    mu_m3_s2: float = float(GM_EARTH),
    ascending: bool = True,
) -> DepartureGeometry:
    """The two daily opportunities of a departure from a circular parking orbit (module docstring); NaN where the
    status is not ``DEPARTURE_OK``."""
    r_p, i, c3 = np.broadcast_arrays(*(np.asarray(a, float) for a in (r_p_m, incl_rad, c3_m2_s2)))
    u_s, reach = asymptote_arguments(i, dla_rad)
    u_site = site_argument(i, site_lat_rad, ascending)
    status = np.where(reach, DEPARTURE_OK, DEPARTURE_DLA_ABOVE_INCLINATION)
    status = np.where(np.isfinite(u_site), status, DEPARTURE_SITE_OFF_PLANE)
    status = np.where(np.isfinite(c3) & (c3 > 0), status, DEPARTURE_NO_ASYMPTOTE).astype(np.int8)
    bad = (status != DEPARTURE_OK)[..., None]
    i2 = i[..., None]
    node = np.where(bad, np.nan, node_from_asymptote(i2, u_s, np.asarray(rla_rad, float)[..., None]))
    u_p = (u_s - asymptote_true_anomaly(r_p, c3, mu_m3_s2)[..., None]) % TWO_PI
    u_l = np.broadcast_to(u_site[..., None], u_s.shape)
    ra_l = right_ascension_in_plane(node, i2, u_l)
    arc = (u_p - u_l) % TWO_PI
    coast = arc / np.sqrt(mu_m3_s2 / r_p**3)[..., None]
    nan = np.where(bad, np.nan, 1.0)
    return DepartureGeometry(node, u_s * nan, u_p * nan, u_l * nan, ra_l * nan, coast * nan, status)


def geocentric_latitude_rad(geodetic_lat_rad: npt.ArrayLike) -> np.ndarray:
    """Geocentric latitude of a point on the WGS84 ellipsoid: ``atan((1 - f)^2 tan(phi))``."""
    return cast(np.ndarray, np.arctan((1.0 - float(F_EARTH)) ** 2 * np.tan(np.asarray(geodetic_lat_rad, float))))


# ------------------------------------------------------------------------------------------------- user layer
@dataclass
class LaunchOpportunities:
    """Per day (N) the two opportunities (N, 2), sorted by lift-off: lift-off epochs (TDB s past J2000, NaN where
    none), coasts (s), whether each coast fits the launcher's limit, the plane's normal (N, 2, 3, GCRS), the
    parking inclination used (rad) and the day's status (``DEPARTURE_STATUS``)."""

    launch_tdb_s: np.ndarray
    coast_s: np.ndarray
    coast_ok: np.ndarray
    normal_gcrs: np.ndarray
    incl_rad: np.ndarray
    status: np.ndarray
    max_coast_s: float


def parking_inclination_rad(launcher: Launcher, dla_deg: npt.ArrayLike) -> np.ndarray:
    """Per day, the lowest listed parking inclination that reaches ``|DLA|`` (the highest listed where none)."""
    incl = np.sort(np.asarray(launcher.parking_inclinations_deg, float))
    k = np.searchsorted(incl, np.abs(np.nan_to_num(np.asarray(dla_deg, float), nan=0.0)), side="left")
    return cast(np.ndarray, np.radians(incl[np.minimum(k, incl.size - 1)]))


def _gcrs_to_cirs(t0_tdb_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skyfield's GCRS -> CIRS rotations (N, 3, 3) and Earth rotation angles (N, rad) at the epochs (N,)."""
    from skyfield.earthlib import earth_rotation_angle

    from ..time import timescale

    days = t0_tdb_s / DAY
    t = timescale().tdb_jd(float(J2000_JD) + np.floor(days), days - np.floor(days))
    C = np.moveaxis(np.asarray(t.C, float).reshape(3, 3, -1), -1, 0)
    era0 = TWO_PI * np.asarray(earth_rotation_angle(t.whole, t.ut1_fraction), float).reshape(-1)
    return C, era0


def launch_opportunities(
    launcher: Launcher,
    day_tdb_s: npt.ArrayLike,
    c3_km2_s2: npt.ArrayLike,
    dla_deg: npt.ArrayLike,
    rla_deg: npt.ArrayLike,
) -> LaunchOpportunities:
    """Lift-off instants in ``[day, day + 1 sidereal day)`` and coasts for one transfer per day (its asymptote
    taken as fixed over the day), from ``launcher``'s site, parking altitude and inclinations; a day whose two
    coasts both exceed ``launcher.max_coast_min`` gets ``DEPARTURE_COAST_TOO_LONG``. A site without a longitude
    gets its coasts (they do not depend on it) but no lift-off instants (NaN), ordered by coast."""
    t0 = np.atleast_1d(np.asarray(day_tdb_s, float))
    c3 = np.atleast_1d(np.asarray(c3_km2_s2, float)) * 1e6
    dla, rla = np.radians(np.atleast_1d(np.asarray(dla_deg, float))), np.radians(np.atleast_1d(rla_deg))
    C, era0 = _gcrs_to_cirs(t0)
    s = np.stack([np.cos(dla) * np.cos(rla), np.cos(dla) * np.sin(rla), np.sin(dla)], axis=-1)
    s_c = np.einsum("nij,nj->ni", C, np.nan_to_num(s))
    incl = parking_inclination_rad(launcher, np.degrees(dla))
    site = launcher.site
    lat_c = geocentric_latitude_rad(np.radians(site.latitude_deg))
    r_p = float(R_EARTH_EQ) + launcher.parking_altitude_km * 1e3
    g = departure_geometry(r_p, incl, c3, np.arcsin(np.clip(s_c[:, 2], -1, 1)), np.arctan2(s_c[:, 1], s_c[:, 0]), lat_c)
    g.status[~np.isfinite(dla) | ~np.isfinite(rla)] = DEPARTURE_NO_ASYMPTOTE
    lon = np.nan if site.longitude_deg is None else np.radians(site.longitude_deg)
    launch = t0[:, None] + (g.site_ra_rad - lon - era0[:, None]) % TWO_PI / ERA_RATE_RAD_S
    order = np.argsort(np.nan_to_num(launch if site.longitude_deg is not None else g.coast_s, nan=np.inf), axis=-1)
    launch, coast = (np.take_along_axis(a, order, -1) for a in (launch, g.coast_s))
    node = np.take_along_axis(g.node_rad, order, -1)
    n_c = plane_normal(node, incl[:, None])
    normal = np.einsum("nji,nkj->nki", C, n_c)  # C^T n: back to GCRS
    max_coast = launcher.max_coast_min * 60.0
    coast_ok = np.isfinite(coast) & (coast <= max_coast)
    status = g.status.copy()
    status[(status == DEPARTURE_OK) & ~np.any(coast_ok, axis=-1)] = DEPARTURE_COAST_TOO_LONG
    return LaunchOpportunities(launch, coast, coast_ok, normal, incl, status, max_coast)


def coast_fits(
    launcher: Launcher,
    depart_tdb_s: npt.ArrayLike,
    c3_km2_s2: npt.ArrayLike,
    dla_deg: npt.ArrayLike,
    rla_deg: npt.ArrayLike,
) -> np.ndarray:
    """Element-wise (the inputs broadcast together, e.g. a porkchop's ``depart[:, None]`` against its cells): False
    where neither opportunity's coast fits ``launcher.max_coast_min`` (what ``launch_opportunities`` marks
    ``DEPARTURE_COAST_TOO_LONG``), True elsewhere, also where no coast applies (C3 <= 0, NaN, DLA beyond every
    parking inclination: other checks judge those). Same geometry as ``launch_opportunities``; the GCRS -> CIRS
    rotation is computed once per distinct departure epoch."""
    t, c3, dla, rla = np.broadcast_arrays(*(np.asarray(a, float) for a in (depart_tdb_s, c3_km2_s2, dla_deg, rla_deg)))
    epochs, inv = np.unique(t, return_inverse=True)
    C = _gcrs_to_cirs(epochs)[0][inv.reshape(-1)]  # (cells, 3, 3)
    d, a = np.radians(dla.reshape(-1)), np.radians(rla.reshape(-1))
    s = np.stack([np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)], axis=-1)
    s_c = np.einsum("nij,nj->ni", C, np.nan_to_num(s))
    incl = parking_inclination_rad(launcher, np.degrees(d))
    lat_c = geocentric_latitude_rad(np.radians(launcher.site.latitude_deg))
    r_p = float(R_EARTH_EQ) + launcher.parking_altitude_km * 1e3
    dla_c, rla_c = np.arcsin(np.clip(s_c[:, 2], -1, 1)), np.arctan2(s_c[:, 1], s_c[:, 0])
    g = departure_geometry(r_p, incl, c3.reshape(-1) * 1e6, dla_c, rla_c, lat_c)
    fits = np.any(np.isfinite(g.coast_s) & (g.coast_s <= launcher.max_coast_min * 60.0), axis=-1)
    judged = (g.status == DEPARTURE_OK) & np.isfinite(d) & np.isfinite(a)
    return cast(np.ndarray, (fits | ~judged).reshape(t.shape))


__all__ = [
    "DEPARTURE_STATUS",
    "DepartureGeometry",
    "LaunchOpportunities",
    "asymptote_arguments",
    "asymptote_true_anomaly",
    "coast_fits",
    "departure_geometry",
    "geocentric_latitude_rad",
    "in_plane_vector",
    "launch_opportunities",
    "node_from_asymptote",
    "parking_inclination_rad",
    "plane_normal",
    "right_ascension_in_plane",
    "site_argument",
]
