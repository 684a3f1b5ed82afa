"""Landing-site targeting (``entry_from_site``): the entry state a TCM aims at, from the approach's incoming
asymptote and an entry solver that knows the vehicle.

The cruise does not know the EDL (domains do not import each other): the plan carries a :class:`SiteTarget`
whose ``solver`` (built by :mod:`areo.mission.site_targeting` from the scenario's ``[edl]``) maps the incoming
asymptote's declination on the Mars equator and the inertial entry speed onto the entry point that lands on the
site (latitude, longitude at the entry epoch) and the Mars-fixed longitude the asymptote must have then.

The asymptote's inertial direction is fixed by the approach, so Mars' rotation sets the entry epoch: the one at
which the asymptote's Mars-fixed longitude is the solver's (one per sol: the one nearest the planned entry epoch;
the TCM moves the separation with it). The TCM aims at flight-path angle, latitude and that epoch on the site's
branch (:func:`~areo.cruise.targeting.target_entry`); on the solver's asymptote the entry longitude follows (a
fourth, redundant condition would over-constrain the correction, whose burn moves the asymptote a little). The
next TCM starts again from the moved asymptote, so the last one, small, leaves the entry on the site's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...constants import GM_MARS, OMEGA_MARS
from ..bplane import MARS_POLE_ICRF, bplane, mars_radius_m, mars_relative_figures
from ..propagate import propagate
from ..targeting import EntryTarget, _mars_final, _wrap_deg


@dataclass(frozen=True)
class SiteEntry:
    """What the solver returns: the entry point (deg, Mars-fixed at the entry epoch) and the Mars-fixed longitude
    (deg) of the incoming asymptote at that epoch."""

    latitude_deg: float
    longitude_deg: float
    asymptote_longitude_deg: float


@dataclass(frozen=True)
class SiteTarget:
    """Aim every TCM at the entry state that lands on a site. ``solver(declination_deg, speed_m_s)`` gives the
    :class:`SiteEntry` for an incoming asymptote at that declination (Mars equator) and that inertial entry speed;
    ``branch`` ("prograde"/"retrograde") and ``name`` are for messages and records."""

    solver: Callable[[float, float], SiteEntry]
    branch: str
    name: str = "landing site"


@dataclass(frozen=True)
class Asymptote:
    """Incoming asymptote of an approach: declination on the Mars equator (deg), v-infinity (m/s), ICRF unit vector."""

    declination_deg: float
    v_inf_m_s: float
    s_hat: np.ndarray


def incoming_asymptote(state, t_stop: float, forces, extra_burns=()) -> Asymptote:
    """The incoming asymptote of ``state``'s approach to Mars (coast with ``extra_burns``, osculating conic)."""
    arc = propagate(state, t_stop, forces, list(extra_burns), stop_at_periapsis=True)
    st = _mars_final(arc, forces)
    bp = bplane(st.r_m, st.v_m_s)
    s = np.asarray(bp.s_hat, float)
    dec = float(np.degrees(np.arcsin(np.clip(s @ MARS_POLE_ICRF, -1.0, 1.0))))
    return Asymptote(dec, float(bp.v_inf_m_s), s)


def entry_speed_m_s(v_inf_m_s: float, altitude_m: float, latitude_deg: float) -> float:
    """Inertial speed (m/s) on the approach hyperbola at ``altitude_m`` above the ellipsoid (vis-viva)."""
    r_e = float(mars_radius_m(np.radians(latitude_deg))) + altitude_m
    return float(np.sqrt(v_inf_m_s**2 + 2 * float(GM_MARS) / r_e))


def entry_epoch(s_hat, asymptote_longitude_deg: float, ref_tdb_s: float) -> float:
    """Epoch at which the inertial direction ``s_hat`` has the Mars-fixed longitude ``asymptote_longitude_deg``:
    the one nearest ``ref_tdb_s`` (they repeat every sol)."""
    lon_ref = mars_relative_figures(ref_tdb_s, np.asarray(s_hat) * 1e7, np.asarray(s_hat)).longitude_deg
    t = ref_tdb_s + float(_wrap_deg(lon_ref - asymptote_longitude_deg)) / np.degrees(float(OMEGA_MARS))
    return float(t)


def entry_from_site(site: SiteTarget, entry: EntryTarget, state, t_stop: float, forces, extra_burns=()) -> EntryTarget:
    """The entry target (flight-path angle, latitude, epoch, branch) that lands on ``site`` from the incoming
    asymptote of ``state``'s approach; ``entry`` gives the altitude, flight-path angle, tolerances and the
    reference epoch (the planned one)."""
    asy = incoming_asymptote(state, t_stop, forces, extra_burns)
    lat0 = entry.latitude_deg if entry.latitude_deg is not None else 0.0
    sol = site.solver(asy.declination_deg, entry_speed_m_s(asy.v_inf_m_s, entry.altitude_m, lat0))
    ref = entry.tdb_s if entry.tdb_s is not None else float(state.tdb_s)
    t = entry_epoch(asy.s_hat, sol.asymptote_longitude_deg, ref)
    return EntryTarget(
        altitude_m=entry.altitude_m,
        fpa_deg=entry.fpa_deg,
        latitude_deg=sol.latitude_deg,
        tdb_s=t,
        tolerance_deg=entry.tolerance_deg,
        tolerance_s=entry.tolerance_s,
        fpa_frame=entry.fpa_frame,
        branch=site.branch,
    )
