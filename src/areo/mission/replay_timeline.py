"""The replay's timeline: simulated events and manoeuvres paired with the scenario's recorded ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..time import tdb_seconds_to_utc_iso
from .scenario import Scenario
from .timeline import TimelineEvent, sort_key

if TYPE_CHECKING:
    from .replay import ReplayResult


def build_timeline(sc: Scenario, res: ReplayResult) -> list[TimelineEvent]:
    """Every simulated event paired with the recorded one of the same name, then the recorded events the
    simulation has no counterpart for; sorted by time."""
    rec = {e.name: e for e in sc.events}
    at = None if res.porkchop is None else res.porkchop.at
    evs = [_paired(rec, "launch", "launch", sc.launch.utc, c3_km2_s2=None if at is None else round(at.c3_km2_s2, 3))]
    if res.cruise is not None:
        evs += _cruise_events(rec, res.cruise)
    evs += _edl_events(rec, res.edl)
    evs += _recorded_only(sc, {e.name for e in evs})
    return sorted(evs, key=sort_key)


def _paired(rec: dict, name, phase, sim_utc, altitude_m=None, speed_m_s=None, **details) -> TimelineEvent:
    """A simulated event with the recorded event of the same name in ``rec`` (if any); None details are dropped."""
    r = rec.get(name)
    return TimelineEvent(
        name=name,
        phase=phase,
        simulated_utc=sim_utc,
        recorded_utc=r.utc if r else None,
        recorded_source=r.source if r else None,
        details={k: v for k, v in details.items() if v is not None},
        simulated_altitude_m=None if altitude_m is None else round(altitude_m, 1),
        simulated_speed_m_s=None if speed_m_s is None else round(speed_m_s, 2),
        **_recorded_figures(r),
    )


def _recorded_figures(r) -> dict:
    """A recorded event's altitude (m) and speed (m/s), None where it records none (or ``r`` is None)."""
    return dict(
        recorded_altitude_m=None if r is None or r.altitude_km is None else r.altitude_km * 1e3,
        recorded_speed_m_s=None if r is None or r.speed_km_h is None else round(r.speed_km_h / 3.6, 2),
    )


def _cruise_events(rec: dict, cruise) -> list[TimelineEvent]:
    """Each manoeuvre (and its end, for a finite burn), then the cruise's own events after injection."""
    evs = []
    for m in cruise.maneuvers:
        phase = "cruise" if m.name != "MOI" else "arrival"
        evs.append(
            _paired(rec, m.name, phase, m.utc, dv_m_s=round(m.dv_magnitude_m_s, 3), duration_s=round(m.duration_s, 1))
        )
        if m.duration_s > 0:
            evs.append(_paired(rec, f"{m.name} end", phase, tdb_seconds_to_utc_iso(m.tdb_s + m.duration_s)))
    for e in cruise.events:
        if e.name in ("launch", "injection"):
            continue
        evs.append(_paired(rec, e.name, _phase(e.name), tdb_seconds_to_utc_iso(e.tdb_s)))
    return evs


def _edl_events(rec: dict, edl: dict) -> list[TimelineEvent]:
    """The events of every EDL case, named ``case: event``, with altitude, speed, time from entry and Mach."""
    return [
        _paired(
            rec,
            f"{case}: {ev['name']}",
            "edl",
            ev.get("utc"),
            altitude_m=ev.get("altitude_m"),
            speed_m_s=ev.get("speed_m_s"),
            t_from_entry_s=round(ev["t_s"], 1),
            mach=None if ev.get("mach") is None else round(ev["mach"], 2),
        )
        for case, run in edl.items()
        for ev in run.get("events", [])
    ]


def _recorded_only(sc: Scenario, names: set[str]) -> list[TimelineEvent]:
    """The scenario's recorded events whose name is not in ``names`` (no simulated counterpart)."""
    return [
        TimelineEvent(
            r.name,
            r.phase,
            None,
            r.utc,
            r.source,
            **_recorded_figures(r),
        )
        for r in sc.events
        if r.name not in names
    ]


def _phase(event_name: str) -> str:
    """'arrival' for events at a body other than the Earth (``soi-entry:mars``), separation, entry and capture."""
    from ..bodies import BODIES

    parts = event_name.split(":")
    at = parts[-1] if parts[-1] in BODIES else None
    kind = parts[-2] if at and len(parts) > 1 else parts[-1]
    if (at is not None and at != "earth") or kind in ("capture", "separation") or "entry" in kind:
        return "arrival"
    return "cruise"
