"""Flight software as a phase table (the scenario's ``[[edl.phases]]`` and ``[[edl.parachutes]]``).

:func:`compile_sequence` turns the validated table into a :class:`Sequence` (small static tuples: phase of each
trigger, quantity index, comparison, event it counts from or is armed by, next phase; the actions done on
entering each phase) and per-run parameters (thresholds, persistences, arming g-loads, parachute areas, drag
coefficients and inflation times, SI) that the kernels read like every other parameter, so they can be
dispersed. :func:`run_table` is the same generic vectorised ``where`` chain for every mission and both kernels:
at the start of a cycle it completes the inflation of the current parachute stage (event ``NAME_inflated``),
then walks the phases in the table's (topological) order, firing each armed trigger of the phase a run is in
(on the navigated quantities of a :class:`areo.edl.navigation.Nav`) and doing the actions of the phase it
enters: the generic ones here (record the phase's event, set the parachute stage, start the radar, mark the
release and the attitude hold, set the engine mode), the vehicle's through hooks (3-DOF, :func:`transitions`:
the snatch-load pitch kick, mass drops, the frozen pitch plane; 6-DOF, :func:`areo.edl.sixdof.sim.transitions`:
the canopy body, mass drops, the held attitude). Several transitions may chain in one cycle; time triggers
count from the phase start or a named event. It also gives the step control the time to the next time event
and the predicted step to the next threshold crossing of the phase each run is in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import aero, parachutes
from ._vec import cross, dot
from .schema import BUILTIN_EVENTS, ENGINE_MODES, QUANTITIES, ParachuteStageIn, PhaseIn
from .stepcontrol import INF, approach, predict

QUANTITY_NAMES = tuple(QUANTITIES)
MACH, DYN_PRESSURE, ALTITUDE, RADAR_ALTITUDE, SPEED, VERTICAL_SPEED, TIME = range(len(QUANTITY_NAMES))
ENGINE_OFF, ENGINE_FULL, ENGINE_LAW, ENGINE_CV, ENGINE_GT = range(len(ENGINE_MODES))


@dataclass(frozen=True)
class Sequence:
    """The compiled phase table: static structure only (values are per-run parameters ``fsw_*``/``chute_*``)."""

    phases: tuple[str, ...]
    order: tuple[int, ...]  # phases in evaluation order (every goto leads later in it)
    events: tuple[str, ...]  # every event a run records, built-ins included
    labels: tuple[str, ...]  # words for each event in timelines
    stage_event: tuple[int, ...]  # event index of each parachute stage's full inflation
    stage_cd_table: tuple[bool, ...]  # the stage's drag coefficient comes from the DGB table vs Mach
    trig_phase: tuple[int, ...]
    trig_quantity: tuple[int, ...]
    trig_below: tuple[bool, ...]
    trig_since: tuple[int, ...]  # event index the time counts from, -1: the phase start
    trig_armed_by: tuple[int, ...]  # event index that arms the trigger, -1: none
    trig_arm_g: tuple[bool, ...]  # armed once the peak g exceeds fsw_arm_g{k}
    trig_persist: tuple[bool, ...]  # has a persistence time fsw_persist{k}
    trig_next: tuple[int, ...]
    act_event: tuple[int, ...]  # per phase: event recorded on entering (-1 none)
    act_chute: tuple[int, ...]  # stage deployed (-1 none)
    act_jettison: tuple[bool, ...]
    act_release: tuple[bool, ...]
    act_hold: tuple[bool, ...]
    act_engine: tuple[int, ...]  # engine mode set (-1 unchanged)

    @property
    def engine_modes(self) -> frozenset[int]:
        return frozenset(e for e in self.act_engine if e >= 0)

    def event_index(self, name: str) -> int:
        return self.events.index(name)


def _topological(phases: list[PhaseIn]) -> tuple[int, ...]:
    names = [ph.name for ph in phases]
    done: list[int] = []

    def visit(i):
        if i in done:
            return
        for tr in phases[i].exit:
            visit(names.index(tr.goto))
        done.append(i)

    for i in range(len(phases)):
        visit(i)
    return tuple(reversed(done))


def compile_sequence(phases: list[PhaseIn], stages: list[ParachuteStageIn]) -> tuple[Sequence, dict[str, float]]:
    """The static :class:`Sequence` and the per-run parameters of a table validated by
    :func:`areo.edl.schema.check_sequence`."""
    names = [ph.name for ph in phases]
    stage_names = [s.name for s in stages]
    events, labels = _event_names(phases, stage_names)
    params: dict[str, float] = {}
    trig: dict[str, list] = {k: [] for k in ("phase", "q", "below", "since", "armed", "arm_g", "persist", "next")}
    for i, ph in enumerate(phases):
        for tr in ph.exit:
            k = len(trig["phase"])
            below, value = tr.threshold()
            params[f"fsw_value{k}"] = value
            trig["phase"].append(i)
            trig["q"].append(QUANTITY_NAMES.index(tr.quantity))
            trig["below"].append(below)
            trig["since"].append(events.index(tr.since) if tr.since else -1)
            trig["armed"].append(events.index(tr.armed_after) if tr.armed_after else -1)
            trig["arm_g"].append(tr.armed_above_peak_g is not None)
            if tr.armed_above_peak_g is not None:
                params[f"fsw_arm_g{k}"] = tr.armed_above_peak_g
            trig["persist"].append(tr.persist_s > 0)
            if tr.persist_s > 0:
                params[f"fsw_persist{k}"] = tr.persist_s
            trig["next"].append(names.index(tr.goto))
    for j, st in enumerate(stages):
        params[f"chute_area{j}"] = math.pi * st.diameter_m**2 / 4.0
        params[f"chute_infl{j}"] = st.inflation_time_s
        if st.drag_coefficient is not None:
            params[f"chute_cd{j}"] = st.drag_coefficient
    seq = Sequence(
        phases=tuple(names),
        order=_topological(phases),
        events=tuple(events),
        labels=tuple(labels),
        stage_event=tuple(events.index(f"{s}_inflated") for s in stage_names),
        stage_cd_table=tuple(st.drag_coefficient is None for st in stages),
        trig_phase=tuple(trig["phase"]),
        trig_quantity=tuple(trig["q"]),
        trig_below=tuple(trig["below"]),
        trig_since=tuple(trig["since"]),
        trig_armed_by=tuple(trig["armed"]),
        trig_arm_g=tuple(trig["arm_g"]),
        trig_persist=tuple(trig["persist"]),
        trig_next=tuple(trig["next"]),
        act_event=tuple(events.index(ph.event) if ph.event else -1 for ph in phases),
        act_chute=tuple(stage_names.index(ph.deploy_parachute) if ph.deploy_parachute else -1 for ph in phases),
        act_jettison=tuple(ph.jettison_heatshield for ph in phases),
        act_release=tuple(ph.release_backshell for ph in phases),
        act_hold=tuple(ph.attitude_hold for ph in phases),
        act_engine=tuple(ENGINE_MODES.index(ph.engines) if ph.engines else -1 for ph in phases),
    )
    return seq, params


def _event_names(phases: list[PhaseIn], stage_names: list[str]) -> tuple[list[str], list[str]]:
    """Every event a run records and its words, in the order a cycle records them (navigation, the table, the
    physics), so that ties keep causal order."""
    events = ["entry", "radar_lock"]
    labels = ["entry interface", "radar lock"]
    for ph in phases:
        if ph.event is not None:
            events.append(ph.event)
            labels.append(ph.event_label or ph.event.replace("_", " "))
        if ph.deploy_parachute is not None and f"{ph.deploy_parachute}_inflated" not in events:
            events.append(f"{ph.deploy_parachute}_inflated")
            labels.append(f"{ph.deploy_parachute.replace('_', ' ')} inflated")
    for s in stage_names:  # stages no phase deploys still name an event (never recorded)
        if f"{s}_inflated" not in events:
            events.append(f"{s}_inflated")
            labels.append(f"{s.replace('_', ' ')} inflated")
    events += ["imu_saturation", "touchdown"]
    labels += ["IMU rate saturation", "touchdown / impact"]
    assert set(BUILTIN_EVENTS) <= set(events)
    return events, labels


def initial_state(seq: Sequence, z0) -> dict[str, Any]:
    """The flight software's part of the state at the entry interface (``z0``: zeros of the batch shape)."""
    S = {
        "phase": z0,
        "t_phase": z0,
        "chute": z0 - 1.0,  # current parachute stage (-1: none)
        "t_deploy": z0 + INF,
        "inflated": z0,  # the current stage is fully inflated
        "chute_ok": z0,  # a stage has inflated (else a crash is "crashed without parachute")
        "radar_on": z0,
        "released": z0,
        "hold": z0,
        "engine": z0,
    }
    for k, q in enumerate(seq.trig_quantity):
        if q != TIME:
            S[f"fsw_g{k}"] = z0 + INF  # last distance to the threshold (crossing prediction)
        if seq.trig_persist[k]:
            S[f"fsw_since{k}"] = z0 + INF  # time the condition became true
    return S


def stage_value(seq: Sequence, p, chute, name: str, xp, default=0.0):
    """Per-run parameter ``name{j}`` of the current stage ``chute`` (``default`` without a stage)."""
    out = default + 0.0 * chute
    for j in range(len(seq.stage_cd_table)):
        if f"{name}{j}" in p:
            out = xp.where(chute == j, p[f"{name}{j}"], out)
    return out


def stage_cd(seq: Sequence, cd_const, mach, xp):
    """Drag coefficient of the current stage: the DGB table vs Mach, or its constant (``cd_const`` > 0)."""
    if all(seq.stage_cd_table):
        return aero.cd_parachute(mach, xp)
    if not any(seq.stage_cd_table):
        return cd_const
    return xp.where(cd_const > 0, cd_const, aero.cd_parachute(mach, xp))


class Transition(NamedTuple):
    state: dict  # updated flight-software state (phase, chute, engine, ...) and m, om, th, the
    pax: tuple  # pitch axis (frozen when the attitude is held)
    t_event: Any  # time to the next time event of the phase each run is in (s, INF: none)
    pred: Any  # predicted step to the next threshold crossing of that phase (s, INF: none)


def _quantity(q, nav, s_nav, xp):
    if q == MACH:
        return nav.mach
    if q == DYN_PRESSURE:
        return nav.q
    if q in (ALTITUDE, RADAR_ALTITUDE):
        return nav.h
    if q == SPEED:
        return xp.sqrt(dot(nav.v, nav.v))
    return s_nav  # VERTICAL_SPEED


def _time_ref(seq, k, S, F, xp):
    """Start of the time counted by time trigger ``k`` (INF while its event has not happened)."""
    ev = seq.trig_since[k]
    if ev < 0:
        return F["t_phase"]
    t_ev = S[f"{seq.events[ev]}_t"]
    return xp.where(xp.isnan(t_ev), INF, t_ev)


def _enter(seq, j, fire, F, t, record, xp):
    """The vehicle-independent actions of entering phase ``j`` where ``fire`` (the vehicle's own, such as mass
    drops and attitude, are its ``enter`` hook's)."""
    F["phase"] = xp.where(fire, float(j), F["phase"])
    F["t_phase"] = xp.where(fire, t, F["t_phase"])
    if seq.act_event[j] >= 0:
        record(seq.events[seq.act_event[j]], fire)
    if seq.act_chute[j] >= 0:
        F["chute"] = xp.where(fire, float(seq.act_chute[j]), F["chute"])
        F["t_deploy"] = xp.where(fire, t, F["t_deploy"])
        F["inflated"] = xp.where(fire, 0.0, F["inflated"])
    if seq.act_jettison[j]:
        F["radar_on"] = xp.where(fire, 1.0, F["radar_on"])
    if seq.act_release[j]:
        F["released"] = xp.where(fire, 1.0, F["released"])
    if seq.act_hold[j]:
        F["hold"] = xp.where(fire, 1.0, F["hold"])
    if seq.act_engine[j] >= 0:
        F["engine"] = xp.where(fire, float(seq.act_engine[j]), F["engine"])


def _enter_3dof(seq, j, fire, F, p, u, nadir, pax, xp):
    """The 3-DOF vehicle's actions of entering phase ``j``: pitch rate at the first mortar fire, mass drops, the
    held attitude (before the generic part: it reads the stage before the deploy)."""
    if seq.act_chute[j] >= 0:
        first = F["chute"] < 0
        F["om"] = xp.where(fire & first, p["om_deploy"], F["om"])  # pitch rate at the first mortar fire
    if seq.act_jettison[j]:
        F["m"] = xp.where(fire, F["m"] - p["m_front_shield"], F["m"])
    if seq.act_release[j]:
        F["m"] = xp.where(fire, F["m"] - p["m_backshell_chute"], F["m"])
    if seq.act_hold[j]:
        # the lander keeps the attitude it had (angle from nadir in the frozen pitch plane)
        alpha_u = xp.arctan2(dot(u, cross(pax, nadir)), dot(u, nadir))
        F["th"] = xp.where(fire, alpha_u + F["th"], F["th"])
        F["the"] = xp.where(fire, alpha_u + F["the"], F["the"])
        F["om"] = xp.where(fire, 0.0, F["om"])
        F["pax"] = tuple(xp.where(fire, pax[i], F["pax"][i]) for i in range(3))


def _inflation(seq, F, p, active, t, record, xp, inflated=None):
    """Full inflation of the current stage: the vehicle's ``inflated(fire, F)`` hook and the stage's event;
    returns the stage's inflation time."""
    chute = F["chute"]
    t_infl = stage_value(seq, p, chute, "chute_infl", xp, 1.0)
    fire = active & (chute >= 0) & (F["inflated"] < 0.5) & (t >= F["t_deploy"] + t_infl - 1e-9)
    if inflated is not None:
        inflated(fire, F)
    F["inflated"] = xp.where(fire, 1.0, F["inflated"])
    ok = fire & (p["chute_fail"] < 0.5)
    F["chute_ok"] = xp.where(ok, 1.0, F["chute_ok"])
    for j, ev in enumerate(seq.stage_event):
        record(seq.events[ev], ok & (chute == j))
    return t_infl


def run_table(S, F, p, seq: Sequence, nav, active, t, record, xp, enter=None, inflated=None, approach_alt=None):
    """The phase table over one cycle, for any vehicle: completes the current stage's inflation, then fires the
    armed triggers of each run's phase in the table's order (several may chain), doing the generic actions of
    the phase entered (:func:`_enter`) after the vehicle's ``enter(j, fire, F)`` hook. ``F``: the flight
    software's state (updated in place, with whatever the hooks act on); ``nav``: a :class:`Nav`-like record of
    the navigated quantities (``mach``, ``q``, ``h``, ``v``, ``r``, ``rr``, ``locked``). Returns (time to the
    next time event, predicted step to the next threshold crossing) of the phase each run is in;
    ``approach_alt(gap)``, if given, sizes the approach of altitude thresholds instead (see
    :func:`_next_events`)."""
    t_infl = _inflation(seq, F, p, active, t, record, xp, inflated)
    s_nav = xp.maximum(-dot(nav.v, tuple(nav.r[i] / nav.rr for i in range(3))), 0.0)
    g: dict[int, Any] = {}
    for i in seq.order:
        for k in (k for k, ph in enumerate(seq.trig_phase) if ph == i):
            q = seq.trig_quantity[k]
            here = active & (F["phase"] == i)
            if q == TIME:
                dist = _time_ref(seq, k, S, F, xp) + p[f"fsw_value{k}"] - t  # time left to the threshold
                met = dist >= -1e-9 if seq.trig_below[k] else dist <= 1e-9
            else:
                val = _quantity(q, nav, s_nav, xp)
                dist = val - p[f"fsw_value{k}"] if seq.trig_below[k] else p[f"fsw_value{k}"] - val
                g[k] = dist
                met = dist <= 1e-6
            if q == RADAR_ALTITUDE:
                met = met & (nav.locked > 0.5)
            if seq.trig_arm_g[k]:
                met = met & (S["peak_g"] > p[f"fsw_arm_g{k}"])
            if seq.trig_armed_by[k] >= 0:
                met = met & ~xp.isnan(S[f"{seq.events[seq.trig_armed_by[k]]}_t"])
            fire = here & met
            if seq.trig_persist[k]:
                since = xp.where(here & met, xp.minimum(S[f"fsw_since{k}"], t), INF)
                F[f"fsw_since{k}"] = since
                fire = fire & (t - since >= p[f"fsw_persist{k}"] - 1e-9)
            j = seq.trig_next[k]
            if enter is not None:
                enter(j, fire, F)
            _enter(seq, j, fire, F, t, record, xp)
    for k, dist in g.items():
        F[f"fsw_g{k}"] = dist
    return _next_events(seq, S, F, p, t, t_infl, g, nav, s_nav, xp, approach_alt)


def transitions(S, p, seq: Sequence, nav, active, t, rho, V, mach, u, nadir, pax, record, xp) -> Transition:
    """The 3-DOF kernel's cycle of the table (:func:`run_table` with the pitch-plane vehicle's hooks)."""
    F: dict[str, Any] = {k: S[k] for k in initial_state(seq, 0.0) if not k.startswith("fsw_")}
    # the pitch axis handed on to the physics is the stored one (S px/py/pz), replaced only when an attitude hold
    # freezes the current one: the behaviour of the fixed chain this table replaces, kept bit for bit
    F.update(m=S["m"], om=S["om"], th=S["th"], the=S["the"], pax=(S["px"], S["py"], S["pz"]))

    def kick(fire, F):  # snatch-load pitch kick at full inflation
        chute = F["chute"]
        cd = stage_cd(seq, stage_value(seq, p, chute, "chute_cd", xp), mach, xp)
        area = stage_value(seq, p, chute, "chute_area", xp)
        F["om"] = xp.where(fire, F["om"] + parachutes.snatch_kick(0.5 * rho * V * V, cd * area, p, xp), F["om"])

    def enter(j, fire, F):
        _enter_3dof(seq, j, fire, F, p, u, nadir, pax, xp)

    t_event, pred = run_table(S, F, p, seq, nav, active, t, record, xp, enter, kick)
    return Transition(F, F.pop("pax"), t_event, pred)


def _next_events(seq, S, F, p, t, t_infl, g, nav, s_nav, xp, approach_alt=None):
    """(time to the next time event, predicted step to the next threshold crossing) of each run's phase: time
    events landed on, a radar-altitude threshold approached on the navigated descent speed once the radar is
    locked, other thresholds predicted from their last change; with ``approach_alt(gap)`` every altitude and
    radar-altitude threshold (radar: once locked) is approached with it."""
    phase = F["phase"]
    t_event = xp.where((F["chute"] >= 0) & (F["inflated"] < 0.5), F["t_deploy"] + t_infl - t, INF)
    pred = INF + 0.0 * t
    for k, i in enumerate(seq.trig_phase):
        here = phase == i
        q = seq.trig_quantity[k]
        if q == TIME and not seq.trig_below[k]:
            t_event = xp.minimum(t_event, xp.where(here, _time_ref(seq, k, S, F, xp) + p[f"fsw_value{k}"] - t, INF))
        elif q == TIME:
            pass
        elif approach_alt is not None and q in (ALTITUDE, RADAR_ALTITUDE):
            ok = here & (nav.locked > 0.5) if q == RADAR_ALTITUDE else here
            pred = xp.minimum(pred, xp.where(ok, approach_alt(g[k]), INF))
        elif q == RADAR_ALTITUDE:
            pred = xp.minimum(pred, xp.where(here & (nav.locked > 0.5), approach(g[k], s_nav, xp), INF))
        else:
            pred = xp.minimum(pred, xp.where(here, predict(g[k], S[f"fsw_g{k}"], S["dt_prev"], xp), INF))
        if seq.trig_persist[k]:
            since = F[f"fsw_since{k}"]
            t_event = xp.minimum(t_event, xp.where(here & (since < INF), since + p[f"fsw_persist{k}"] - t, INF))
    return t_event, pred
