"""Landing-site targeting for the cruise (``cruise.site_branch``): the scenario's EDL entry solver
(:func:`areo.edl.targeting.target_entry`, asymptote form) wrapped as the cruise's
:class:`~areo.cruise.segments.site.SiteTarget` solver. Composes the two domains, which do not know each other."""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import InputError
from .scenario import Scenario

_REUSE_DEC_DEG = (
    0.05  # a later TCM whose asymptote moved less than this reuses the last solve (azimuth within 0.05 deg)
)
_REUSE_SPEED_M_S = 2.0  # ... and whose entry speed moved less than this (a small downrange shift)


def reachable_latitudes_deg(declination_deg: float, zeta_deg: float) -> tuple[float, float]:
    """Site latitudes (deg) that an asymptote at ``declination_deg`` reaches when the site must lie ``zeta_deg``
    from it (some asymptote longitude puts it there): ``|lat - dec| <= zeta <= 180 - |lat + dec|``."""
    lo = max(declination_deg - zeta_deg, -(180.0 - zeta_deg) - declination_deg, -90.0)
    hi = min(declination_deg + zeta_deg, 180.0 - zeta_deg - declination_deg, 90.0)
    return lo, hi


def site_solver(sc: Scenario, branch: str, entry_altitude_m: float, entry_fpa_deg: float):
    """``solver(declination_deg, speed_m_s) -> SiteEntry`` for the scenario's ``[edl.site]`` on ``branch``,
    flying the default EDL case; an unreachable site raises InputError naming the nearest reachable latitude."""
    from ..cruise.segments.site import SiteEntry
    from ..edl import targeting as tg
    from ..edl.dynamics import ellipsoid_radius

    edl = sc.edl_scenario()
    if edl is None:
        raise InputError(
            f"{sc.where('cruise.site_branch')}: cruise.site_branch needs the scenario's [edl] table (its [edl.site] "
            "and vehicle); add one or remove cruise.site_branch."
        )
    model = edl.model(Path(sc.path).parent)
    base = edl.to_params(edl.faults_for(edl.default_case))
    site = tg.Site(edl.site.target_latitude_deg, edl.site.target_longitude_deg, edl.site.elevation_m)
    fpa = math.radians(entry_fpa_deg)

    def check_reachable(dec: float, speed: float, margin_deg: float = 0.0) -> None:
        r_e = float(ellipsoid_radius(math.sin(math.radians(site.latitude_deg)))) + entry_altitude_m
        zeta = math.degrees(tg.asymptote_angle(speed, r_e, fpa))
        lo, hi = reachable_latitudes_deg(dec, zeta)
        if not lo - margin_deg <= site.latitude_deg <= hi + margin_deg:
            near = min(max(site.latitude_deg, lo), hi)
            raise InputError(
                f"{sc.where('edl.site.target_latitude_deg')}: landing site at {site.latitude_deg:g} deg latitude cannot "
                f"be reached from the incoming asymptote (declination {dec:.2f} deg on the Mars equator, entry "
                f"{speed / 1e3:.3f} km/s at {entry_fpa_deg:g} deg: the site must lie {zeta:.1f} deg from it); the "
                f"nearest reachable latitude is {near:.2f} deg (reachable {lo:.2f} to {hi:.2f} deg): move the site "
                "there or change the arrival date (which moves the asymptote)."
            )

    solved: list[tuple[float, float, SiteEntry]] = []  # (declination, speed, solution) of earlier solves

    def solve(dec: float, speed: float) -> SiteEntry:
        check_reachable(dec, speed)
        p = dict(base, entry_speed=speed, entry_fpa=fpa, entry_alt=entry_altitude_m)
        t = tg.target_entry(p, model, site, tg.Approach(asymptote_declination_deg=dec, branch=branch))
        assert t.asymptote_longitude_deg is not None  # an asymptote approach always gives it
        return SiteEntry(t.latitude_deg, t.longitude_deg, t.asymptote_longitude_deg)

    def solver(declination_deg: float, speed_m_s: float) -> SiteEntry:
        for dec, speed, sol in solved:
            if abs(dec - declination_deg) <= _REUSE_DEC_DEG and abs(speed - speed_m_s) <= _REUSE_SPEED_M_S:
                return sol
        sol = solve(declination_deg, speed_m_s)
        solved.append((declination_deg, speed_m_s, sol))
        return sol

    solver.check_reachable = check_reachable  # type: ignore[attr-defined]
    return solver


def site_target(sc: Scenario):
    """The cruise's :class:`~areo.cruise.segments.site.SiteTarget` when ``cruise.site_branch`` is set, else None."""
    c = sc.cruise
    if c is None or c.site_branch is None:
        return None
    from ..cruise.segments.site import SiteTarget

    if c.lander is None:
        raise InputError(
            f"{sc.where('cruise.site_branch')}: landing-site targeting aims a lander's entry; add a [cruise.lander] "
            "or remove cruise.site_branch."
        )
    solver = site_solver(sc, c.site_branch, c.entry_altitude_km * 1e3, c.entry_fpa_deg)
    _check_design_asymptote(sc, solver)
    edl = sc.edl_scenario()
    name = f"landing site {edl.site.target_latitude_deg:g} N {edl.site.target_longitude_deg:g} E" if edl else "site"
    return SiteTarget(solver, c.site_branch, name)


def _check_design_asymptote(sc: Scenario, solver) -> None:
    """Refuse, before anything is flown, a site that the patched-conic design's arrival asymptote cannot reach
    (with a 1 deg margin: the flown asymptote differs a little; the TCMs check it again exactly)."""
    import numpy as np

    from ..constants import GM_MARS
    from ..cruise.bplane import MARS_POLE_ICRF, mars_radius_m
    from ..cruise.design import design_transfer
    from ..time import utc_to_tdb_seconds

    c = sc.cruise
    assert c is not None
    t1, t2 = (float(utc_to_tdb_seconds(u)) for u in (sc.launch.utc, c.arrival_utc))
    v = np.asarray(design_transfer(t1, t2, None, None, arrival_body="mars").v_inf_arrival_m_s, float)
    v_inf = float(np.linalg.norm(v))
    dec = float(np.degrees(np.arcsin(np.clip(v @ np.asarray(MARS_POLE_ICRF) / v_inf, -1.0, 1.0))))
    edl = sc.edl_scenario()
    assert edl is not None  # site_solver refused a scenario without [edl]
    r_e = float(mars_radius_m(np.radians(edl.site.target_latitude_deg))) + c.entry_altitude_km * 1e3
    solver.check_reachable(dec, float(np.sqrt(v_inf**2 + 2 * float(GM_MARS) / r_e)), margin_deg=1.0)
