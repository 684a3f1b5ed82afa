"""A scenario's ``[cruise]`` table as an :class:`areo.cruise.CruisePlan` (UTC -> TDB, km -> m, deg -> rad)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from ..time import utc_to_tdb_seconds
from .scenario import Scenario, VehicleIn
from .site_targeting import site_target

if TYPE_CHECKING:
    from ..cruise import CruisePlan


def _tdb(utc: str) -> float:
    return float(utc_to_tdb_seconds(utc))


def _tdb_or_none(utc: str | None) -> float | None:
    return None if utc is None else _tdb(utc)


def _vehicle(v: VehicleIn | None) -> Any:
    from ..cruise import Vehicle

    return None if v is None else Vehicle(v.name, v.mass_kg, v.dry_mass_kg, thrust_n=v.thrust_n, isp_s=v.isp_s)


def _when(v: str) -> float | str:
    """An event name as given (``periapsis:mars``), a UTC epoch as TDB seconds."""
    return v if v.split(":", 1)[0] in ("periapsis", "soi-entry") else _tdb(v)


def arrival_body(sc: Scenario) -> str:
    """The body the scenario's cruise arrives at (``cruise.body``; Mars without a [cruise] table)."""
    return sc.cruise.body.lower() if sc.cruise is not None else "mars"


def cruise_plan(sc: Scenario) -> CruisePlan:
    """The scenario's [cruise] table as an :class:`areo.cruise.CruisePlan` (UTC -> TDB, km -> m, deg -> rad)."""
    from ..cruise import CaptureTarget, CruisePlan, EntryTarget
    from ..cruise.segments import CoastSpec, ManeuverSpec, TrimSpec

    c = sc.cruise
    if c is None:
        raise InputError(f"{sc.where('cruise')}: the scenario has no [cruise] table; add one to fly the cruise.")
    tdb, veh = _tdb_or_none, _vehicle
    cap = c.capture
    plan = CruisePlan(
        launch_tdb_s=_tdb(sc.launch.utc),
        arrival_tdb_s=_tdb(c.arrival_utc),
        orbiter=veh(c.orbiter),
        lander=veh(c.lander),
        dsm_dv_m_s=c.dsm_dv_m_s,
        # the cruise model centres the finite DSM burn on its epoch; the scenario gives the published start
        dsm_tdb_s=None if c.dsm_utc is None else _tdb(c.dsm_utc) + 30.0 * c.dsm_duration_min,
        tcm_tdb_s=tuple(_tdb(u) for u in c.tcm_utc),
        tcm_names=tuple(c.tcm_names or ()),
        entry=EntryTarget(
            altitude_m=c.entry_altitude_km * 1e3,
            fpa_deg=c.entry_fpa_deg,
            latitude_deg=c.entry_latitude_deg,
            tdb_s=tdb(c.arrival_utc),
        ),
        separation_tdb_s=tdb(c.separation_utc),
        separation_dv_m_s=c.separation_dv_m_s,
        avoidance_tdb_s=tdb(c.avoidance_utc),
        moi_end_tdb_s=tdb(c.moi_end_utc),
        moi_duration_guess_s=c.moi_duration_min * 60.0,
        capture=CaptureTarget(
            cap.periapsis_altitude_km * 1e3, cap.period_days * 86400.0, np.radians(cap.inclination_deg)
        ),
        perigee_altitude_m=c.perigee_altitude_km * 1e3,
        sequence=tuple(c.sequence or ()),
        body=c.body.lower(),
        coasts=tuple(CoastSpec(_when(x.until)) for x in c.coasts),
        maneuvers=tuple(
            ManeuverSpec(tuple(x.dv_m_s), x.frame, _when(x.at), x.body and x.body.lower(), x.name) for x in c.maneuvers
        ),
        trims=tuple(
            TrimSpec(
                None if t.apoapsis_altitude_km is None else t.apoapsis_altitude_km * 1e3,
                None if t.period_days is None else t.period_days * 86400.0,
            )
            for t in c.trims
        ),
        transfer_revs=c.transfer_revs,
        transfer_branch=c.transfer_branch,
        site=site_target(sc),
    )
    plan.validate()
    return plan
