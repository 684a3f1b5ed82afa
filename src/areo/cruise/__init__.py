"""Cruise and arrival: n-body propagation, manoeuvres, B-plane and entry targeting, separation, orbit insertion.

Conventions: epochs in TDB seconds past J2000; positions (m) and velocities (m/s) in ICRF axes, relative to the
origin named in the attribute (``r_sun_icrf_m``, ``r_mars_icrf_m``) or in ``SpacecraftState.origin``.

User layer::

    from areo.cruise import fly
    from areo.mission.replay import cruise_plan
    from areo.mission.scenario import load_scenario
    result = fly(cruise_plan(load_scenario("exomars2016")))          # CruiseResult
    result.entry, result.capture, result.maneuvers, result.events

A flight is an ordered list of segments (:mod:`areo.cruise.segments`: launch, dsm, tcm, separation, entry,
avoidance/approach, insertion, end) acting on one :class:`~areo.cruise.segments.MissionState`, around the
arrival body of the plan (``CruisePlan.body``: Mars, or Venus for an orbiter; :mod:`areo.bodies`).

Building blocks: :class:`ForceModel`, :func:`propagate`, :class:`ImpulsiveBurn`, :class:`FiniteBurn`,
:func:`bplane`, :func:`correct` with :class:`BPlaneTarget` / :class:`PeriapsisTarget` / :class:`EntryTarget`,
:func:`target_entry` (staged entry targeting through :func:`entry_aim_point`).
"""

from .bplane import BPlane, MarsRelativeFigures, bplane, mars_altitude_m, mars_relative_figures
from .design import TransferDesign, design_transfer, escape_hyperbola_state
from .flight import (
    CaptureOrbit,
    CaptureTarget,
    CruisePlan,
    CruiseResult,
    ExecutionErrors,
    ManeuverRecord,
    Trajectory,
    Vehicle,
    fly,
    insert_into_orbit,
)
from .forces import DEFAULT_BODIES, EphemerisTable, ForceModel, SolarRadiationPressure
from .maneuvers import FiniteBurn, ImpulsiveBurn, ideal_dv_m_s, propellant_kg
from .propagate import Arc, Event, SpacecraftState, propagate
from .targeting import (
    BPlaneTarget,
    Correction,
    EntryAim,
    EntryTarget,
    PeriapsisTarget,
    conic_periapsis_tdb_s,
    correct,
    differential_correction,
    entry_aim_point,
    target_entry,
)

__all__ = [
    "DEFAULT_BODIES",
    "Arc",
    "BPlane",
    "BPlaneTarget",
    "CaptureOrbit",
    "CaptureTarget",
    "Correction",
    "CruisePlan",
    "CruiseResult",
    "EntryAim",
    "EntryTarget",
    "EphemerisTable",
    "Event",
    "ExecutionErrors",
    "FiniteBurn",
    "ForceModel",
    "ImpulsiveBurn",
    "ManeuverRecord",
    "MarsRelativeFigures",
    "PeriapsisTarget",
    "SolarRadiationPressure",
    "SpacecraftState",
    "Trajectory",
    "TransferDesign",
    "Vehicle",
    "bplane",
    "conic_periapsis_tdb_s",
    "correct",
    "design_transfer",
    "differential_correction",
    "entry_aim_point",
    "escape_hyperbola_state",
    "fly",
    "ideal_dv_m_s",
    "insert_into_orbit",
    "mars_altitude_m",
    "mars_relative_figures",
    "propagate",
    "propellant_kg",
    "target_entry",
]
