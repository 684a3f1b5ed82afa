"""Entry targeting from a landing site: the entry-interface state (latitude, longitude, heading at the entry
epoch) from which the nominal EDL (the numpy reference :func:`~areo.edl.simulate.simulate_reference`) lands on
a given site, for a given entry speed, flight-path angle and altitude (or radius).

The approach is given as one of

* the **azimuth** of the approach plane's ground track at the site (heading clockwise from north): the entry
  point lies back along that great circle;
* the **inclination** of the approach plane to Mars' equator, with the branch: the plane crosses the site's
  latitude ``phi`` twice, heading ``asin(cos i / cos phi)`` on the **ascending** pass (moving north over the
  site) and 180 deg minus that on the **descending** one; unreachable when ``|cos i| > cos phi``;
* the **incoming asymptote** of the approach hyperbola, by its declination in Mars' equator frame (its right
  ascension is free: the arrival time sets it), with the branch. The entry point then lies on the small
  circle at the angle ``alpha_e = pi + nu_inf - nu_e`` from the asymptote direction (``nu_e``: true anomaly
  at the entry interface, ``nu_inf = -acos(-1/e)``: that of the incoming asymptote; conic from the entry
  speed, radius and flight-path angle), heading towards it. A site at latitude ``phi`` seen at the angle
  ``zeta`` from the asymptote (declination ``delta``) is reached by the two asymptote longitudes
  ``+-acos((cos zeta - sin phi sin delta) / (cos phi cos delta))`` from the site, mirror images about the
  site's meridian: the **prograde** branch (moving east over the site) and the **retrograde** one. Both pass
  the site in the same sense (ascending when ``sin delta > cos zeta sin phi``): for a given declination the
  geometry fixes it. None when the cosine is beyond +-1: the site is unreachable.

Both are solved with the same two unknowns, ``psi`` (the downrange angle from entry to site) and ``chi`` (a
lateral rotation of the whole approach: about the site's along-track axis for an azimuth, about the asymptote
for an asymptote, which keeps the asymptote exact), by Broyden's method on the landing miss (downrange,
crossrange) starting from the Jacobian -I (the miss moves one for one with the entry point) after a first
simulation from the site itself; a handful of simulations. Geometry is on the sphere (geocentric latitude),
in the Mars-fixed frame at the entry epoch (inertial at that instant); the simulation brings in Mars'
rotation, J2, the ellipsoid and the vehicle, and the iteration absorbs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from . import dynamics as dyn
from .simulate import CRASHED, LANDED, Model, simulate_reference

PASSES = ("ascending", "descending")  # branches of an inclination
DIRECTIONS = ("prograde", "retrograde")  # branches of an asymptote


@dataclass(frozen=True)
class Site:
    """Landing site: planetocentric latitude and east longitude (deg), terrain height above the ellipsoid (m)."""

    latitude_deg: float
    longitude_deg: float
    elevation_m: float


@dataclass(frozen=True)
class Approach:
    """The approach, exactly one of: ``azimuth_deg`` (ground-track heading at the site); ``inclination_deg``
    (approach plane to Mars' equator) with ``branch`` "ascending" or "descending"; ``asymptote_declination_deg``
    (incoming asymptote, Mars equator frame) with ``branch`` "prograde" or "retrograde"."""

    azimuth_deg: float | None = None
    inclination_deg: float | None = None
    asymptote_declination_deg: float | None = None
    branch: str | None = None


@dataclass(frozen=True)
class EntryTarget:
    """The entry-interface state that lands on the site, and how well it does."""

    latitude_deg: float  # planetocentric latitude of the entry interface
    longitude_deg: float  # east longitude at the entry epoch
    azimuth_deg: float  # inertial heading at entry, clockwise from north
    altitude_m: float  # entry interface altitude above the ellipsoid at that latitude
    branch: str | None  # the branch asked for (None for an azimuth)
    pass_direction: str  # "ascending" or "descending": moving north or south over the site
    motion: str  # "prograde" or "retrograde": moving east or west over the site
    site_heading_deg: float  # ground-track heading of the approach plane at the site
    downrange_deg: float  # angle from the entry interface to the site
    asymptote_longitude_deg: float | None  # Mars-fixed longitude of the incoming asymptote at the entry epoch
    miss_m: float  # distance from the simulated touchdown to the site
    simulations: int  # reference simulations the solve took
    landing_status: int  # simulation status of the last run (STATUS)

    def params(self) -> dict[str, float]:
        """Kernel parameters (SI) that set this entry state."""
        return {
            "entry_lat": math.radians(self.latitude_deg),
            "entry_lon": math.radians(self.longitude_deg),
            "entry_azimuth": math.radians(self.azimuth_deg),
            "entry_alt": self.altitude_m,
        }


# ---- sphere geometry (unit 3-vectors, Mars-fixed frame at the entry epoch)


def _unit(lat, lon):
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])


def _east_north(r):
    east = np.array([-r[1], r[0], 0.0])
    east /= np.linalg.norm(east)
    return east, np.cross(r, east)


def _heading_vector(r, az):
    east, north = _east_north(r)
    return math.sin(az) * east + math.cos(az) * north


def _heading(r, t):
    east, north = _east_north(r)
    return math.atan2(float(t @ east), float(t @ north))


def _rotate(v, axis, angle):
    c, s = math.cos(angle), math.sin(angle)
    return v * c + np.cross(axis, v) * s + axis * float(axis @ v) * (1.0 - c)


def _lat_lon(r):
    return math.asin(max(-1.0, min(1.0, float(r[2])))), math.atan2(float(r[1]), float(r[0]))


def asymptote_angle(speed_m_s: float, radius_m: float, fpa_rad: float) -> float:
    """Angle (rad) between the incoming asymptote direction and the entry-interface position on the approach
    hyperbola with inertial ``speed_m_s`` and flight-path angle ``fpa_rad`` at ``radius_m``."""
    energy = 0.5 * speed_m_s * speed_m_s - dyn.MU / radius_m
    if energy <= 0.0:
        raise InputError(
            f"entry speed {speed_m_s / 1e3:g} km/s at radius {radius_m / 1e3:g} km is below escape speed "
            f"{math.sqrt(2.0 * dyn.MU / radius_m) / 1e3:.3f} km/s: the approach has no asymptote; "
            "give the approach as an azimuth instead"
        )
    h = radius_m * speed_m_s * math.cos(fpa_rad)
    e = math.sqrt(1.0 + 2.0 * energy * h * h / (dyn.MU * dyn.MU))
    p = h * h / dyn.MU
    nu_e = -math.acos(max(-1.0, min(1.0, (p / radius_m - 1.0) / e)))  # descending: before periapsis
    nu_inf = -math.acos(-1.0 / e)
    return math.pi + nu_inf - nu_e


def _asymptote_direction(site_r, lat, dec, zeta, branch):
    """Asymptote direction that sees the site at angle ``zeta`` on the requested branch (InputError if none)."""
    c = (math.cos(zeta) - math.sin(lat) * math.sin(dec)) / (math.cos(lat) * math.cos(dec))
    if not -1.0 <= c <= 1.0:
        raise InputError(
            f"site latitude {math.degrees(lat):g} deg is unreachable from an asymptote at declination "
            f"{math.degrees(dec):g} deg with these entry conditions (the site must lie "
            f"{math.degrees(zeta):.1f} deg from the asymptote); choose a site within that angle of it or change "
            "the arrival asymptote"
        )
    _, lon = _lat_lon(site_r)
    dl = math.acos(c) if branch == "prograde" else -math.acos(c)  # east component of the motion: cos dec sin dl
    s = _unit(dec, lon + dl)
    t = s - math.cos(zeta) * site_r
    return s, t / np.linalg.norm(t)


class _Geometry:
    """Entry state (position, inertial heading) as a function of (psi, chi) for one approach."""

    def __init__(self, site_r, approach: Approach, alpha_e: float | None):
        self.site_r = site_r
        self.alpha_e = alpha_e
        self.approach = approach
        lat, _ = _lat_lon(site_r)
        if approach.asymptote_declination_deg is None:
            self.s = None
            self.t_site = _heading_vector(site_r, _site_heading(lat, approach))
        else:
            self.s, self.t_site = _asymptote_direction(
                site_r, lat, math.radians(approach.asymptote_declination_deg or 0.0), alpha_e, approach.branch
            )
        self.n_site = np.cross(site_r, self.t_site)  # left of track

    def entry(self, psi, chi):
        r = math.cos(psi) * self.site_r - math.sin(psi) * self.t_site
        t = math.sin(psi) * self.site_r + math.cos(psi) * self.t_site
        if self.s is None:
            # azimuth: the site plane with its entry point back by psi, the great circle shifted sideways by chi
            return _rotate(r, self.t_site, chi), _rotate(t, self.t_site, chi)
        # asymptote: the plane through the asymptote and the site (entry at alpha_e from the asymptote), with
        # psi setting where the site sits in it (the asymptote's longitude), chi rotating it about the asymptote
        g = _PlaneOnAsymptote(self.site_r, self.s, self.alpha_e, psi, self.approach.branch)
        return _rotate(g.r, g.s, chi), _rotate(g.t, g.s, chi)

    def miss(self, landing_r):
        """(downrange, crossrange) of a touchdown point from the site, rad (positive: beyond, left)."""
        return np.array([float(landing_r @ self.t_site), float(landing_r @ self.n_site)])


class _PlaneOnAsymptote:
    """Entry point and heading on the plane through an asymptote at the site's declination-set longitude for
    a downrange ``psi``: the site then lies at ``alpha_e - psi`` from the asymptote."""

    def __init__(self, site_r, s0, alpha_e, psi, branch):
        lat, _ = _lat_lon(site_r)
        dec, _ = _lat_lon(s0)
        self.s, self.t_site = _asymptote_direction(site_r, lat, dec, alpha_e - psi, branch)
        self.r = math.cos(psi) * site_r - math.sin(psi) * self.t_site
        self.t = math.sin(psi) * site_r + math.cos(psi) * self.t_site


def _site_heading(lat, approach: Approach) -> float:
    """Heading (rad) of the approach plane at the site for an azimuth or an inclination and branch."""
    if approach.azimuth_deg is not None:
        return math.radians(approach.azimuth_deg)
    inc = math.radians(approach.inclination_deg or 0.0)
    ratio = math.cos(inc) / math.cos(lat)
    if abs(ratio) > 1.0:
        raise InputError(
            f"site latitude {math.degrees(lat):g} deg is unreachable on a plane inclined {math.degrees(inc):g} deg "
            f"to the equator; the inclination must lie between {abs(math.degrees(lat)):g} and "
            f"{180.0 - abs(math.degrees(lat)):g} deg"
        )
    az = math.asin(ratio)
    return az if approach.branch == "ascending" else math.pi - az


def _fly(params, model, r, t, alt_of_lat):
    lat, lon = _lat_lon(r)
    p = dict(
        params,
        entry_lat=lat,
        entry_lon=lon,
        entry_azimuth=_heading(r, t),
        entry_alt=alt_of_lat(lat),
    )
    res, _ = simulate_reference(p, model, history=False)
    if int(res["status"]) not in (LANDED, CRASHED) or not math.isfinite(res["landing_lat"]):
        raise InputError(
            "entry targeting: the nominal EDL from the trial entry state does not reach the ground "
            f"(status {int(res['status'])}); check the entry speed and flight-path angle"
        )
    return res


def _check(site: Site, approach: Approach, params: dict):
    given = [approach.azimuth_deg, approach.inclination_deg, approach.asymptote_declination_deg]
    if sum(v is not None for v in given) != 1:
        raise InputError(
            "give the approach as exactly one of azimuth_deg (ground-track heading at the site), inclination_deg "
            "(with branch 'ascending' or 'descending') or asymptote_declination_deg (with branch 'prograde' or "
            "'retrograde')"
        )
    allowed = {None: (None,), "inc": PASSES, "asy": DIRECTIONS}[
        None if approach.azimuth_deg is not None else "inc" if approach.inclination_deg is not None else "asy"
    ]
    if approach.branch not in allowed:
        raise InputError(f"approach branch {approach.branch!r} is not one of {allowed}; pick one of them")
    inc = approach.inclination_deg
    if inc is not None and not 0.0 <= inc <= 180.0:
        raise InputError(f"approach inclination {inc:g} deg must lie within 0 to 180 deg")
    if not -89.0 <= site.latitude_deg <= 89.0:
        raise InputError(
            f"site latitude {site.latitude_deg:g} deg: targeting needs a site within 89 deg of the equator "
            "(a heading is undefined at the pole)"
        )
    dec = approach.asymptote_declination_deg
    if dec is not None and not -89.0 <= dec <= 89.0:
        raise InputError(f"asymptote declination {dec:g} deg must lie within -89 to 89 deg")
    if float(params.get("entry_fpa", -1.0)) >= 0.0:
        raise InputError(f"entry flight-path angle {math.degrees(params['entry_fpa']):g} deg must be negative")


def target_entry(
    params: dict,
    model: Model,
    site: Site,
    approach: Approach,
    *,
    entry_radius_m: float | None = None,
    tolerance_m: float = 50.0,
    max_simulations: int = 12,
) -> EntryTarget:
    """Entry-interface state from which the nominal EDL of ``params`` (kernel parameters, SI: entry speed and
    flight-path angle, vehicle) lands on ``site``. The entry interface is ``params['entry_alt']`` above the
    ellipsoid or, with ``entry_radius_m``, that radius from Mars' centre. InputError if the site cannot be
    reached, the trial entries do not reach the ground, or the miss stays above ``tolerance_m``."""
    _check(site, approach, params)
    params = dict(params, ground_elev=site.elevation_m, nav_ground_elev=site.elevation_m)
    speed, fpa = float(params["entry_speed"]), float(params["entry_fpa"])

    def alt_of_lat(lat):
        if entry_radius_m is None:
            return float(params["entry_alt"])
        return entry_radius_m - float(dyn.ellipsoid_radius(math.sin(lat)))

    site_r = _unit(math.radians(site.latitude_deg), math.radians(site.longitude_deg))
    radius = entry_radius_m or float(dyn.ellipsoid_radius(math.sin(math.radians(site.latitude_deg)))) + alt_of_lat(
        math.radians(site.latitude_deg)
    )
    alpha_e = None if approach.asymptote_declination_deg is None else asymptote_angle(speed, radius, fpa)
    geo = _Geometry(site_r, approach, alpha_e)
    r_site = float(dyn.ellipsoid_radius(site_r[2])) + site.elevation_m
    x = np.zeros(2)  # (psi, chi), rad
    x_prev = x.copy()
    jac_inv = -np.eye(2)
    f = None
    n, miss_m = 0, math.inf
    for n in range(1, max_simulations + 1):
        r_e, t_e = geo.entry(*x)
        res = _fly(params, model, r_e, t_e, alt_of_lat)
        f_new = geo.miss(_unit(res["landing_lat"], res["landing_lon"]))
        miss_m = float(np.hypot(*f_new)) * r_site
        if miss_m <= tolerance_m:
            return _result(geo, x, r_e, t_e, res, miss_m, n, alt_of_lat)
        if f is not None:  # Broyden ("good") update of the inverse Jacobian
            df, dx = f_new - f, x - x_prev
            u = jac_inv @ df
            if abs(float(dx @ u)) > 1e-30:
                jac_inv = jac_inv + np.outer(dx - u, dx @ jac_inv) / float(dx @ u)
        x_prev, f = x.copy(), f_new
        x = x - jac_inv @ f
    raise InputError(
        f"entry targeting did not converge: the touchdown stays {miss_m / 1e3:.2f} km from the site after {n} "
        f"simulations (tolerance {tolerance_m:g} m); the site may be unreachable with this approach"
    )


def _result(geo: _Geometry, x, r_e, t_e, res, miss_m, n, alt_of_lat) -> EntryTarget:
    lat, lon = _lat_lon(r_e)
    t_site, s_lon = geo.t_site, None
    if geo.s is not None:
        plane = _PlaneOnAsymptote(geo.site_r, geo.s, geo.alpha_e, float(x[0]), geo.approach.branch)
        t_site, s_lon = plane.t_site, math.degrees(_lat_lon(plane.s)[1])
    east, north = (float(t_site @ u) for u in _east_north(geo.site_r))
    return EntryTarget(
        latitude_deg=math.degrees(lat),
        longitude_deg=math.degrees(lon),
        azimuth_deg=math.degrees(_heading(r_e, t_e)),
        altitude_m=alt_of_lat(lat),
        branch=geo.approach.branch,
        pass_direction="ascending" if north >= 0.0 else "descending",
        motion="prograde" if east >= 0.0 else "retrograde",
        site_heading_deg=math.degrees(_heading(geo.site_r, t_site)),
        downrange_deg=math.degrees(float(x[0])),
        asymptote_longitude_deg=s_lon,
        miss_m=miss_m,
        simulations=n,
        landing_status=int(res["status"]),
    )
