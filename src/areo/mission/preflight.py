"""Checks of a whole scenario before any replay stage runs: a bad file fails in a second, not after minutes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError, naming
from ..time import format_utc_dt, parse_utc_range, utc_to_tdb_seconds
from .plan import cruise_plan
from .scenario import Scenario


def preflight(sc: Scenario) -> None:
    """Check the whole scenario before any stage runs, so that a bad file fails in a second, not after minutes:
    every date inside the ephemeris, the cruise sequence and propellant, the networks, the EDL tables."""
    preflight_common(sc)
    if sc.cruise is not None:
        _check_cruise(sc)
    _preflight_launch(sc)
    _preflight_edl(sc)


def preflight_common(sc: Scenario) -> None:
    """The checks every replay runner makes (Mars, L2, aerobraking): the dates of [launch] (and [cruise]) inside
    the ephemeris, the porkchop windows in order, the [ground] networks in the catalogue."""
    from ..ephem import default_ephemeris

    _check_dates(sc, default_ephemeris(), _scenario_dates(sc))
    _check_windows(sc)
    if sc.ground is not None:
        _check_ground(sc)


def _scenario_dates(sc: Scenario) -> list[tuple[str, str | None]]:
    """Every (key, UTC) date of the scenario: launch, the launch windows' ends and the cruise's dates."""
    dates: list[tuple[str, str | None]] = [("launch.utc", sc.launch.utc)]
    for key in ("window_depart", "window_arrive"):
        lo, hi = parse_utc_range(getattr(sc.launch, key))
        dates += [(f"launch.{key}", format_utc_dt(lo)), (f"launch.{key}", format_utc_dt(hi))]
    if sc.cruise is not None:
        c = sc.cruise
        dates += [
            ("cruise.arrival_utc", c.arrival_utc),
            ("cruise.dsm_utc", c.dsm_utc),
            ("cruise.separation_utc", c.separation_utc),
            ("cruise.avoidance_utc", c.avoidance_utc),
            ("cruise.moi_end_utc", c.moi_end_utc),
        ] + [("cruise.tcm_utc", u) for u in c.tcm_utc]
        events = ("periapsis:", "soi-entry:")  # the coasts' and manoeuvres' other form, checked with the sequence
        dates += [("cruise.coasts", x.until) for x in c.coasts if not x.until.startswith(events)]
        dates += [("cruise.maneuvers", x.at) for x in c.maneuvers if not x.at.startswith(events)]
    return dates


def _check_dates(sc: Scenario, eph, dates: list[tuple[str, str | None]]) -> None:
    """Each given date reads as UTC and lies inside the ephemeris."""
    for key, utc in dates:
        if utc is not None:
            try:
                tdb_s = utc_to_tdb_seconds(utc)
            except InputError as exc:
                raise InputError(f"{sc.where(key)}: {key} {utc}: {exc}") from None
            eph.check_range(tdb_s, f"{sc.where(key)}: {key}")


def _check_cruise(sc: Scenario) -> None:
    """The cruise sequence is in order and the orbiter carries the deep-space manoeuvre's propellant."""
    try:
        cruise_plan(sc)  # validates the sequence (launch < DSM < TCMs < separation < arrival)
    except InputError as exc:
        raise InputError(f"{Path(sc.path).name}: cruise: {exc}") from None
    from ..cruise.maneuvers import propellant_kg

    c = sc.cruise
    assert c is not None
    stack = c.orbiter.mass_kg + (c.lander.mass_kg if c.lander else 0.0)
    if c.dsm_dv_m_s is not None:
        need = propellant_kg(stack, c.dsm_dv_m_s, c.orbiter.isp_s)
        have = c.orbiter.mass_kg - c.orbiter.dry_mass_kg
        if need > have:
            raise InputError(
                f"{sc.where('cruise.dsm_dv_m_s')}: the deep-space manoeuvre of {c.dsm_dv_m_s} m/s needs {need:.0f} kg of "
                f"propellant (Isp {c.orbiter.isp_s} s, stack {stack:.0f} kg) but the orbiter carries "
                f"{have:.0f} kg (mass_kg - dry_mass_kg); lower cruise.dsm_dv_m_s or raise the propellant load."
            )


def _check_ground(sc: Scenario) -> None:
    """The ground networks and the EDL telemetry station are in the catalogue."""
    from ..ground.stations import load_catalogue

    assert sc.ground is not None
    cat = load_catalogue()
    for n in sc.ground.networks:
        try:
            cat.network(n)
        except InputError as exc:
            raise InputError(f"{sc.where('ground.networks')}: ground.networks: {exc}") from None
    tm = sc.ground.edl_telemetry
    if tm is not None:
        try:
            cat.station(tm.station)
        except InputError as exc:
            key = "ground.edl_telemetry.station"
            raise InputError(f"{sc.where(key)}: {key}: {exc}") from None


def _check_windows(sc: Scenario) -> None:
    """The porkchop's arrival window ends after its departure window starts (else no cell is a transfer)."""
    (d0, _), (_, a1) = (parse_utc_range(getattr(sc.launch, k)) for k in ("window_depart", "window_arrive"))
    if a1 <= d0:
        raise InputError(
            f"{sc.where('launch.window_arrive')}: launch.window_arrive ends before launch.window_depart starts; "
            "the porkchop's arrivals must come after its departures"
        )


def _preflight_launch(sc: Scenario) -> None:
    """The launch period's days and transfer, checked before the porkchop grid (they used to fail after it)."""
    from ..ephem import default_ephemeris
    from ..launch.period import arrival_days, departure_days
    from .launcher import scenario_payload_kg, scenario_spacecraft

    la = sc.launch
    if la.launcher is None or scenario_payload_kg(sc) is None:
        return
    keys = "launch.period_depart / period_arrive (default: window_depart / window_arrive)"
    with naming(f"{sc.where('launch.period_depart')}: {keys}"):
        deps = departure_days(la.period_depart or la.window_depart)
        arrs, constraint = arrival_days(la.period_arrive or la.window_arrive)
    default_ephemeris().check_range(np.concatenate([deps, arrs]), f"{sc.where('launch.period_depart')}: {keys}")
    if arrs[-1] <= deps[0]:
        raise InputError(
            f"{sc.where('launch.period_arrive')}: {keys}: every arrival is before the first launch day; "
            "give arrival dates after the launch days"
        )
    if la.period_transfer != "dsm":
        return
    at = f"{sc.where('launch.period_transfer')}: launch.period_transfer = 'dsm'"
    if arrs[0] != arrs[-1]:
        raise InputError(f"{at} needs a fixed arrival date (got {constraint}): give launch.period_arrive as one date")
    if scenario_spacecraft(sc)[0] is None:
        raise InputError(
            f"{at} needs the orbiter's engine and capture orbit ([cruise.orbiter] thrust_n > 0, [cruise.capture]) "
            "to pay for the DSM; give them, or use period_transfer = 'ballistic'"
        )
    if deps[-1] >= arrs[0]:
        raise InputError(f"{at}: every launch day must come before the arrival date; check {keys}")


def _preflight_edl(sc: Scenario) -> None:
    """The EDL part: the models validate, the atmosphere table loads and spans the trajectory, and the entry
    epoch agrees with the cruise arrival (within a day)."""
    edl = sc.edl_scenario()
    if edl is None:
        return
    name = Path(sc.path).name
    for case in edl.cases:
        try:
            edl.to_params(edl.faults_for(case))
        except InputError as exc:
            raise InputError(f"{name}: edl.cases.{case}: {exc}") from None
    try:
        edl.model(Path(sc.path).parent)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None  # the message names the key (edl.atmosphere..., edl.aeroshell...)
    if sc.cruise is not None and edl.entry.epoch_utc is not None:  # the epoch is optional in [edl.entry]
        gap_s = abs(float(utc_to_tdb_seconds(edl.entry.epoch_utc)) - float(utc_to_tdb_seconds(sc.cruise.arrival_utc)))
        if gap_s > 86400.0:
            raise InputError(
                f"{sc.where('edl.entry.epoch_utc')}: edl.entry.epoch_utc = {edl.entry.epoch_utc!r} is {gap_s / 86400:.1f} days from "
                f"cruise.arrival_utc = {sc.cruise.arrival_utc!r}; the entry happens at arrival: make them agree"
            )
