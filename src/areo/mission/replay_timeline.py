"""The replay's timeline: simulated events and manoeuvres paired with the scenario's recorded ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..time import tdb_seconds_to_utc_iso
from .scenario import Scenario
from .timeline import TimelineEvent, sort_key

if TYPE_CHECKING:
    from .replay import ReplayResult


def build_timeline(sc: Scenario, res: ReplayResult) -> list[TimelineEvent]:
    evs: list[TimelineEvent] = []
    rec = {e.name: e for e in sc.events}

    def add(name, phase, sim_utc, altitude_m=None, speed_m_s=None, **details):
        r = rec.get(name)
        evs.append(
            TimelineEvent(
                name=name,
                phase=phase,
                simulated_utc=sim_utc,
                recorded_utc=r.utc if r else None,
                recorded_source=r.source if r else None,
                details={k: v for k, v in details.items() if v is not None},
                simulated_altitude_m=None if altitude_m is None else round(altitude_m, 1),
                recorded_altitude_m=None if r is None or r.altitude_km is None else r.altitude_km * 1e3,
                simulated_speed_m_s=None if speed_m_s is None else round(speed_m_s, 2),
                recorded_speed_m_s=None if r is None or r.speed_km_h is None else round(r.speed_km_h / 3.6, 2),
            )
        )

    add(
        "launch",
        "launch",
        sc.launch.utc,
        c3_km2_s2=None if res.porkchop is None or res.porkchop.at is None else round(res.porkchop.at.c3_km2_s2, 3),
    )
    if res.cruise is not None:
        for m in res.cruise.maneuvers:
            add(
                m.name,
                "cruise" if m.name != "MOI" else "arrival",
                m.utc,
                dv_m_s=round(m.dv_magnitude_m_s, 3),
                duration_s=round(m.duration_s, 1),
            )
            if m.duration_s > 0:
                add(
                    f"{m.name} end",
                    "cruise" if m.name != "MOI" else "arrival",
                    tdb_seconds_to_utc_iso(m.tdb_s + m.duration_s),
                )
        for e in res.cruise.events:
            if e.name in ("launch", "injection"):
                continue
            add(
                e.name,
                _phase(e.name),
                tdb_seconds_to_utc_iso(e.tdb_s),
            )
    for case, run in res.edl.items():
        for ev in run.get("events", []):
            add(
                f"{case}: {ev['name']}",
                "edl",
                ev.get("utc"),
                altitude_m=ev.get("altitude_m"),
                speed_m_s=ev.get("speed_m_s"),
                t_from_entry_s=round(ev["t_s"], 1),
                mach=None if ev.get("mach") is None else round(ev["mach"], 2),
            )
    names = {e.name for e in evs}
    for r in sc.events:  # recorded events the simulation has no counterpart for
        if r.name not in names:
            evs.append(
                TimelineEvent(
                    r.name,
                    r.phase,
                    None,
                    r.utc,
                    r.source,
                    recorded_altitude_m=None if r.altitude_km is None else r.altitude_km * 1e3,
                    recorded_speed_m_s=None if r.speed_km_h is None else round(r.speed_km_h / 3.6, 2),
                )
            )
    return sorted(evs, key=sort_key)


def _phase(event_name: str) -> str:
    """'arrival' for events at a body other than the Earth (``soi-entry:mars``), separation, entry and capture."""
    from ..bodies import BODIES

    parts = event_name.split(":")
    at = parts[-1] if parts[-1] in BODIES else None
    kind = parts[-2] if at and len(parts) > 1 else parts[-1]
    if (at is not None and at != "earth") or kind in ("capture", "separation") or "entry" in kind:
        return "arrival"
    return "cruise"
