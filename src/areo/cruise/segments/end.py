"""End segment and the result: vehicles that did not enter orbit coast on to the arrival (where they enter,
impact or burn up, which ends their trajectory), then every arc is joined into a :class:`CruiseResult`.

A carrier that released a lander towards the atmosphere of the arrival body follows it in: without a heat shield
it breaks up at the entry interface (the lander's, as the plan states it), event ``burn-up:<body>``; its
trajectory and tracking end there. The cruise model has no drag, so without that rule it would graze through the
atmosphere and fly on."""

from __future__ import annotations

from ...bodies import body
from ..propagate import Event
from ..results import CruiseResult, _join
from .state import MissionState, Segment
from .tcm import coast


def end(st: MissionState, seg: Segment) -> None:
    """Coast the orbiter, when it has no capture orbit, to two days after arrival, or its impact, or (a carrier
    whose lander entered an atmosphere) its burn-up at the entry interface."""
    st.orbiter_only()
    if st.capture is None and st.cur.tdb_s < st.t_stop_arrival:
        plan = st.plan
        ei = plan.entry.altitude_m if plan.lander is not None and body(plan.body).has_atmosphere else None
        kw = {"entry_altitude_m": ei, "stop_at_entry": True} if ei is not None else {}
        coast(st, st.t_stop_arrival, st.orbiter_arcs, stop_at_periapsis=False, **kw)
        arc = st.orbiter_arcs[-1]
        if ei is not None and arc.events and arc.events[-1].name == "entry-interface":
            last = arc.events.pop()
            arc.events.append(Event(f"burn-up:{plan.body}", last.tdb_s, last.figures))


def result(st: MissionState) -> CruiseResult:
    """Join the arcs into trajectories and collect events and manoeuvres in time order."""
    plan = st.plan
    events = st.events
    for a in st.arcs:
        events.extend(a.events)
    for a in st.orbiter_arcs:
        events.extend(Event(f"orbiter:{e.name}", e.tdb_s, e.figures) for e in a.events)
    events.sort(key=lambda e: e.tdb_s)
    orb = _join(plan.orbiter.name, st.arcs + st.orbiter_arcs)
    lan = _join(plan.lander.name, st.arcs + st.lander_arcs) if plan.lander is not None else None
    arcs_by = {"orbiter": st.arcs + st.orbiter_arcs}
    if plan.lander is not None:
        arcs_by["lander"] = st.arcs + st.lander_arcs
    return CruiseResult(
        plan,
        orb,
        lan,
        events,
        sorted(st.records, key=lambda m: m.tdb_s),
        st.entry_fig,
        st.capture,
        st.bsum,
        st.miss,
        st.design,
        st.forces,
        arcs_by,
    )
