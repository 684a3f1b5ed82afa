"""The ``summary.json`` contract of ``areo replay`` (also what ``areo replay --json`` prints).

Every replay (interplanetary, libration-point, aerobraking) writes these keys, lists possibly empty::

    mission   str
    events    [{name, vehicle, utc}]                         simulated events and manoeuvres, in time order
    orbits    [{vehicle, body, epoch_utc, periapsis_altitude_km, apoapsis_altitude_km, period_h, inclination_deg}]
    landings  [{vehicle, status, lat_deg, lon_deg, touchdown_speed_m_s, utc}]   one per EDL case (+ ``case``)
    halo      [{vehicle, libration_point, ...}]                  libration-point orbits (areo.mission.l2)

Runners may add keys of their own (``launcher``, ``launch_period``, ``transfer``, ...). Altitudes are above the
body's equatorial radius; inclinations to the body's equator (IAU pole); UTC strings end in ``Z``.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..time import tdb_seconds_to_utc_iso

CONTRACT_KEYS = ("mission", "events", "orbits", "landings", "halo")
EVENT_KEYS = ("name", "vehicle", "utc")
ORBIT_KEYS = (
    "vehicle",
    "body",
    "epoch_utc",
    "periapsis_altitude_km",
    "apoapsis_altitude_km",
    "period_h",
    "inclination_deg",
)
LANDING_KEYS = ("vehicle", "status", "lat_deg", "lon_deg", "touchdown_speed_m_s", "utc")


def _r(x: float | None, nd: int) -> float | None:
    return None if x is None else round(float(x), nd)


def conform(summary: dict[str, Any], events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``summary`` with every contract key present (missing lists empty, ``events`` filled in when given);
    raises InputError when an entry lacks a contract field (a runner's bug, caught by the tests)."""
    out = dict(summary)
    if "mission" not in out:
        raise InputError("summary.json needs 'mission' (the scenario's mission name).")
    if events is not None and not out.get("events"):
        out["events"] = events
    for key in ("events", "orbits", "landings", "halo"):
        out.setdefault(key, [])
    for key, fields in (("events", EVENT_KEYS), ("orbits", ORBIT_KEYS), ("landings", LANDING_KEYS)):
        for row in out[key]:
            missing = [f for f in fields if f not in row]
            if missing:
                raise InputError(f"summary.json {key} entry {row!r} lacks {missing}; the contract is {fields}.")
    return out


def timeline_events(timeline: list[Any], vehicle: str) -> list[dict[str, Any]]:
    """Contract events from a runner's simulated timeline (every event flown by one ``vehicle``)."""
    rows = [{"name": e.name, "vehicle": vehicle, "utc": e.simulated_utc} for e in timeline if e.simulated_utc]
    return sorted(rows, key=lambda r: r["utc"])


def cruise_events(cruise: Any, launch_utc: str) -> list[dict[str, Any]]:
    """Contract events of a flown cruise (:class:`areo.cruise.CruiseResult`): its events and manoeuvres, each
    with the vehicle that flew it (the stack before separation, ``orbiter:``/``lander:`` prefixes after)."""
    orbiter = cruise.orbiter.name
    lander = cruise.lander.name if cruise.lander is not None else None
    stack = orbiter if lander is None else f"{orbiter} + {lander}"
    who = {"orbiter": orbiter, "lander": lander or orbiter, "stack": stack}
    rows = [{"name": "launch", "vehicle": stack, "utc": launch_utc, "_t": float("-inf")}]
    for e in cruise.events:
        if e.name == "launch":
            continue
        prefix, _, rest = e.name.partition(":")
        if prefix in ("orbiter", "lander") and rest:
            rows.append({"name": rest, "vehicle": who[prefix], "utc": tdb_seconds_to_utc_iso(e.tdb_s), "_t": e.tdb_s})
        else:
            rows.append({"name": e.name, "vehicle": stack, "utc": tdb_seconds_to_utc_iso(e.tdb_s), "_t": e.tdb_s})
    for m in cruise.maneuvers:
        rows.append({"name": m.name, "vehicle": who.get(m.vehicle, m.vehicle), "utc": m.utc, "_t": m.tdb_s})
        if m.duration_s > 0:
            t_end = m.tdb_s + m.duration_s
            end = {"name": f"{m.name} end", "vehicle": who.get(m.vehicle, m.vehicle), "_t": t_end}
            rows.append({**end, "utc": tdb_seconds_to_utc_iso(t_end)})
    rows.sort(key=lambda r: r["_t"])
    return [{k: v for k, v in r.items() if k != "_t"} for r in rows]


def capture_orbits(cruise: Any, body: str) -> list[dict[str, Any]]:
    """The orbiter's orbit after insertion, when the cruise has one."""
    c = cruise.capture
    if c is None:
        return []
    return [
        {
            "vehicle": cruise.orbiter.name,
            "body": body,
            "epoch_utc": tdb_seconds_to_utc_iso(c.tdb_s),
            "periapsis_altitude_km": _r(c.periapsis_altitude_m / 1e3, 3),
            "apoapsis_altitude_km": _r(c.apoapsis_altitude_m / 1e3, 3),
            "period_h": _r(c.period_days * 24.0, 4),
            "inclination_deg": _r(c.inclination_deg, 4),
        }
    ]


def edl_landings(edl: dict[str, Any], vehicle: str) -> list[dict[str, Any]]:
    """One landing per EDL case (``case`` added): status, site, touchdown speed and UTC (when the entry epoch is
    known: from the cruise, or from ``[edl.entry]``)."""
    rows = []
    for case, run in edl.items():
        evs = run.get("events") or []
        touch = next((e for e in evs if e.get("name") == "touchdown"), evs[-1] if evs else {})
        rows.append(
            {
                "vehicle": vehicle,
                "case": case,
                "status": run.get("status"),
                "lat_deg": _r(run.get("landing_lat_deg"), 4),
                "lon_deg": _r(run.get("landing_lon_deg"), 4),
                "touchdown_speed_m_s": _r(run.get("touchdown_speed_m_s"), 2),
                "utc": touch.get("utc"),
            }
        )
    return rows


def replay_summary(res: Any, body: str = "mars") -> dict[str, Any]:
    """The contract for an interplanetary replay (:class:`areo.mission.replay.ReplayResult`)."""
    sc = res.scenario
    out: dict[str, Any] = {"mission": sc.mission.name, "status": sc.mission.status}
    cr = res.cruise
    if cr is not None:
        out["events"] = cruise_events(cr, sc.launch.utc)
        out["orbits"] = capture_orbits(cr, body)
        lander = cr.lander.name if cr.lander is not None else cr.orbiter.name
    else:
        out["events"] = [{"name": "launch", "vehicle": sc.mission.name, "utc": sc.launch.utc}]
        lander = sc.cruise.lander.name if sc.cruise is not None and sc.cruise.lander is not None else "lander"
    out["landings"] = edl_landings(res.edl, lander)
    return conform(out)
