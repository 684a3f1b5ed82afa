"""Separation and entry segments: the lander leaves the stack and coasts to the entry interface.

``separation``: the lander is pushed by ``separation_dv_m_s`` along the Mars-relative velocity and the orbiter
recoils (momentum conserved). ``entry``: the released lander coasts to the entry interface, where its flight
ends; without execution errors its entry must meet the last TCM's target (to ten tolerances).
"""

from __future__ import annotations

import numpy as np

from ...errors import InputError
from .._messages import _entry_residual, _missed_entry, _off_target_entry, _utc_min
from ..bplane import bplane, mars_relative_figures
from ..propagate import Event, SpacecraftState, propagate
from .state import MissionState, Segment


def separation(st: MissionState, seg: Segment) -> None:
    """Coast the stack to separation and split it into orbiter (``st.cur``) and lander (``st.lander``)."""
    plan, forces = st.plan, st.forces
    lander = plan.lander
    t_sep = plan.separation_tdb_s  # the segment's epoch, unless landing-site targeting moved the entry (tcm)
    arc = propagate(st.cur, t_sep, forces, st.burns, entry_altitude_m=plan.entry.altitude_m)
    st.arcs.append(arc)
    st.burns = []
    s = arc.final
    early = arc.event("entry-interface") or arc.event(f"impact:{plan.body}")
    if early is not None:
        raise InputError(
            f"the stack reaches {plan.body.capitalize()}' {plan.entry.altitude_m / 1e3:g} km entry interface at "
            f"{_utc_min(early.tdb_s)}, before the lander separates at {_utc_min(t_sep)}; separate the lander "
            f"earlier (e.g. {_utc_min(early.tdb_s - 3 * 86400.0)}) or aim the entry later."
        )
    push = st.separation_push(s)
    m_l, m_o = lander.mass_kg, s.mass_kg - lander.mass_kg
    st.lander = SpacecraftState(s.tdb_s, s.r_m, s.v_m_s + push, m_l, s.origin, lander.dry_mass_kg)
    st.cur = SpacecraftState(s.tdb_s, s.r_m, s.v_m_s - push * m_l / m_o, m_o, s.origin, plan.orbiter.dry_mass_kg)
    st.separated = True
    st.events.append(
        Event("separation", t_sep, {"dv_m_s": plan.separation_dv_m_s, "lander_mass_kg": m_l, "orbiter_mass_kg": m_o})
    )


def entry(st: MissionState, seg: Segment) -> None:
    """Coast the released lander to the entry interface (its end); check it met its target."""
    plan, forces = st.plan, st.forces
    st.say("lander: coast to the entry interface")
    la = propagate(st.lander, st.t_stop_arrival, forces, entry_altitude_m=plan.entry.altitude_m, stop_at_entry=True)
    st.lander_arcs.append(la)
    for e in la.events:
        st.events.append(Event(f"lander:{e.name}", e.tdb_s, e.figures))
    if la.event("entry-interface") is None:
        raise InputError(_missed_entry(plan, la, forces, st.lander.tdb_s))
    fe = la.final.with_origin("mars", forces)
    st.entry_fig = mars_relative_figures(fe.tdb_s, fe.r_m, fe.v_m_s)
    res, scale = _entry_residual(plan.entry, st.entry_fig)
    if plan.execution_errors is None and np.any(np.abs(res) > 10 * scale):
        # without execution errors the flown entry is the last TCM's target (to its tolerance)
        raise InputError(_off_target_entry(plan, st.entry_fig, res))
    st.bsum["lander"] = bplane(fe.r_m, fe.v_m_s).summary()
