"""Coast-to-an-event and impulsive-manoeuvre segments.

``coast``: the current vehicle (the stack, or the orbiter after separation) coasts, flying its pending burns, to
an epoch (TDB s) or to the first ``periapsis:<body>`` / ``soi-entry:<body>`` event of the arrival body.
``maneuver``: a stand-alone impulsive burn, a Delta-v vector given in a named frame at an epoch or an event:

* ``VNB``: velocity, normal (orbit normal r x v), binormal (V x N), relative to the reference body;
* ``RTN``: radial, transverse (N x R), normal (r x v);
* ``ICRF``: the vector as given.

The burn is applied at once (the state jumps; the mass follows the rocket equation) and recorded; a burn that
needs more propellant than is left is refused before it is flown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ... import constants as K
from ...bodies import body as central_body
from ...errors import InputError
from ...time import tdb_seconds_to_utc_iso
from ..maneuvers import ImpulsiveBurn
from ..propagate import Event, propagate
from ..results import _record_burn
from .state import MissionState, Segment

FRAMES = ("VNB", "RTN", "ICRF")
EVENT_KINDS = ("periapsis", "soi-entry")


@dataclass(frozen=True)
class CoastSpec:
    """Where a coast ends: ``until`` an epoch (TDB s) or an event name (``periapsis:mars``, ``soi-entry:venus``)."""

    until: float | str


@dataclass(frozen=True)
class ManeuverSpec:
    """An impulsive burn: ``dv_m_s`` (3 components) in ``frame`` (VNB, RTN or ICRF) relative to ``body`` (None:
    the vehicle's current origin), flown ``at`` an epoch (TDB s) or an event (``periapsis:mars``)."""

    dv_m_s: tuple[float, ...]
    frame: str = "VNB"
    at: float | str = 0.0
    body: str | None = None
    name: str = "manoeuvre"

    def __post_init__(self):
        dv = tuple(float(x) for x in self.dv_m_s)
        if len(dv) != 3 or not all(np.isfinite(dv)):
            raise InputError(f"manoeuvre {self.name!r}: dv_m_s must be 3 finite numbers (m/s); got {self.dv_m_s!r}.")
        if self.frame.upper() not in FRAMES:
            raise InputError(
                f"manoeuvre {self.name!r}: unknown frame {self.frame!r}; valid: {', '.join(FRAMES)} "
                "(VNB: velocity/normal/binormal, RTN: radial/transverse/normal, ICRF: inertial)."
            )
        object.__setattr__(self, "dv_m_s", dv)
        object.__setattr__(self, "frame", self.frame.upper())

    @property
    def dv_magnitude_m_s(self) -> float:
        return float(np.linalg.norm(self.dv_m_s))


def parse_event(name: str, arrival_body: str) -> tuple[str, str]:
    """``(kind, body)`` of an event name such as ``periapsis:mars``; the body must be the arrival body (the one
    the cruise's force model and sphere-of-influence switching follow). One line naming the fix otherwise."""
    kind, _, who = str(name).partition(":")
    if kind not in EVENT_KINDS or not who:
        raise InputError(
            f"unknown event {name!r}; a coast or manoeuvre waits for "
            f"{' or '.join(f'{k}:BODY' for k in EVENT_KINDS)} (e.g. 'periapsis:{arrival_body}') or a UTC epoch."
        )
    cb = central_body(who)  # an unknown body lists the known ones
    if cb.name != arrival_body:
        raise InputError(
            f"event {name!r}: the cruise arrives at {arrival_body}, so its coasts wait for events of "
            f"{arrival_body} (e.g. 'periapsis:{arrival_body}'); set cruise.body = {cb.name!r} or name "
            f"'{kind}:{arrival_body}'."
        )
    return kind, cb.name


def _arcs(st: MissionState) -> list:
    """Where the current vehicle's arcs go: the stack's before separation, the orbiter's after."""
    return st.arcs if st.plan.lander is not None and not st.separated else st.orbiter_arcs


def _drop_sample(st: MissionState) -> None:
    """After insertion the orbiter's trajectory carries a sample arc beyond its last state; a later segment
    replaces it with the orbit it actually flies."""
    if st.capture is not None and st.orbiter_arcs:
        last = st.orbiter_arcs[-1]
        if abs(float(last.tdb_s[0]) - st.cur.tdb_s) < 1e-6 and last.final.tdb_s > st.cur.tdb_s + 1e-6:
            st.orbiter_arcs.pop()


def resample(st: MissionState) -> None:
    """After insertion, sample the orbit flown ``sample_after_moi_s`` on (dropped again by the next segment)."""
    if st.capture is not None and st.plan.sample_after_moi_s > 0:
        st.orbiter_arcs.append(
            propagate(st.cur, st.cur.tdb_s + st.plan.sample_after_moi_s, st.forces, switch_origin=False)
        )


def _horizon(st: MissionState) -> float:
    """How far an event may be waited for: two days past arrival, or the force model's span after it."""
    return max(st.t_stop_arrival, min(st.cur.tdb_s + 30 * 86400.0, st.forces.table.span_tdb_s[1] - 7200.0))


def coast_until(st: MissionState, until: float | str) -> None:
    """Coast the current vehicle to an epoch or to the arrival body's next ``periapsis`` / ``soi-entry`` event."""
    _drop_sample(st)
    arcs = _arcs(st)
    if not isinstance(until, str):
        if float(until) < st.cur.tdb_s - 1e-6:
            raise InputError(
                f"a coast to {tdb_seconds_to_utc_iso(float(until))} starts after it (the previous segment ended at "
                f"{tdb_seconds_to_utc_iso(st.cur.tdb_s)}); order the sequence by epoch or fix the date."
            )
        arc = propagate(st.cur, float(until), st.forces, st.burns)
        arcs.append(arc)
        st.burns, st.cur = [], arc.final
        return
    kind, who = parse_event(until, st.plan.body)
    if kind == "soi-entry" and st.cur.origin == who:
        raise InputError(
            f"coast to {until!r}: the vehicle is already inside the sphere of influence of {who}; "
            f"coast to 'periapsis:{who}' or an epoch instead."
        )
    t_end = _horizon(st)
    for _ in range(50):  # periapses of other bodies or SOI switches end a solve early; go on until ours
        arc = propagate(st.cur, t_end, st.forces, st.burns, stop_at_periapsis=kind == "periapsis")
        arcs.append(arc)
        st.burns, st.cur = [], arc.final
        hit = next((e for e in arc.events if e.name == until), None)
        if hit is not None:
            if kind == "soi-entry":  # the arc ran on past it: cut it there
                st.cur = arc_state_at(st, arc, hit.tdb_s)
            return
        if arc.final.tdb_s >= t_end - 1e-6 or any(e.name.startswith("impact:") for e in arc.events):
            break
    raise InputError(
        f"the coast never reaches {until!r} before {tdb_seconds_to_utc_iso(t_end)}; "
        "check the sequence (is the vehicle on its way there?) or coast to an epoch."
    )


def arc_state_at(st: MissionState, arc, tdb_s: float):
    """The state on ``arc`` at ``tdb_s`` relative to the arrival body (dense output), the arc trimmed there."""
    s = arc.state_at(tdb_s, st.forces, origin=st.plan.body)
    keep = arc.tdb_s <= tdb_s + 1e-6
    arc.tdb_s, arc.r_sun_icrf_m = arc.tdb_s[keep], arc.r_sun_icrf_m[keep]
    arc.v_sun_icrf_m_s, arc.mass_kg = arc.v_sun_icrf_m_s[keep], arc.mass_kg[keep]
    arc.events = [e for e in arc.events if e.tdb_s <= tdb_s + 1e-6]
    arc.final = s
    return s


def coast(st: MissionState, seg: Segment) -> None:
    """The ``coast`` segment: to its epoch or event (``seg.params``, a :class:`CoastSpec`)."""
    spec: CoastSpec = seg.params
    st.say(f"{seg.name}: coast to {spec.until if isinstance(spec.until, str) else tdb_seconds_to_utc_iso(spec.until)}")
    coast_until(st, spec.until)
    st.events.append(Event(f"coast-end:{seg.name}", st.cur.tdb_s, {"until": str(spec.until)}))
    resample(st)


def frame_matrix(frame: str, r_m: np.ndarray, v_m_s: np.ndarray) -> np.ndarray:
    """Columns: the frame's unit axes in ICRF, from the position and velocity relative to the reference body."""
    if frame == "ICRF":
        return np.eye(3)
    n = np.cross(r_m, v_m_s)
    n /= np.linalg.norm(n)
    if frame == "VNB":
        v = v_m_s / np.linalg.norm(v_m_s)
        return np.column_stack((v, n, np.cross(v, n)))
    r = r_m / np.linalg.norm(r_m)
    return np.column_stack((r, np.cross(n, r), n))


def impulse(st: MissionState, dv_icrf_m_s: np.ndarray, name: str, note: str = "") -> ImpulsiveBurn:
    """Apply an impulsive burn to the current vehicle now (rocket equation at the vehicle's Isp), record it;
    refuse it in one line when it needs more propellant than is left."""
    cur, isp = st.cur, st.plan.orbiter.isp_s
    b = ImpulsiveBurn(cur.tdb_s, dv_icrf_m_s, isp_s=isp, name=name)
    m_after = cur.mass_kg * np.exp(-b.dv_magnitude_m_s / (isp * K.G0))
    if m_after < cur.dry_mass_kg - 1e-9:
        left = isp * K.G0 * np.log(cur.mass_kg / cur.dry_mass_kg)
        raise InputError(
            f"{name} of {b.dv_magnitude_m_s:.1f} m/s needs {cur.mass_kg - m_after:.1f} kg of propellant (Isp "
            f"{isp:g} s) but {cur.mass_kg - cur.dry_mass_kg:.1f} kg is left ({left:.1f} m/s); reduce it or "
            "carry more propellant."
        )
    st.records.append(_record_burn(b, _vehicle(st), cur.mass_kg, m_after, note))
    st.cur = replace(cur, v_m_s=cur.v_m_s + b.dv_m_s, mass_kg=m_after)
    return b


def _vehicle(st: MissionState) -> str:
    return "stack" if st.plan.lander is not None and not st.separated else st.plan.orbiter.name


def maneuver(st: MissionState, seg: Segment) -> None:
    """The ``maneuver`` segment: coast to its epoch or event, then the impulsive burn in its frame."""
    spec: ManeuverSpec = seg.params
    st.say(f"{seg.name}: impulsive manoeuvre ({spec.frame})")
    if isinstance(spec.at, str) or abs(spec.at - st.cur.tdb_s) > 1e-6:
        coast_until(st, spec.at)
    else:
        _drop_sample(st)
    ref = spec.body or st.cur.origin
    rel = st.cur.with_origin(ref, st.forces)
    dv = frame_matrix(spec.frame, rel.r_m, rel.v_m_s) @ np.asarray(spec.dv_m_s)
    impulse(st, dv, seg.name, f"{spec.frame} {np.round(spec.dv_m_s, 3).tolist()} m/s relative to {ref}")
    resample(st)
