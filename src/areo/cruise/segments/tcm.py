"""Trajectory-correction manoeuvre segment: an impulsive burn found by differential correction to a target.

With a lander still attached, the target is the lander's entry-interface conditions (the separation push
included), in two stages (:func:`~areo.cruise.targeting.target_entry`); with a landing site in the plan
(``plan.site``), the entry state that lands on it from the approach's asymptote (:mod:`.site`). Without a lander,
the capture orbit's periapsis altitude, inclination and a periapsis epoch mid-way through the insertion burn.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ... import constants as K
from ...errors import InputError
from .._messages import _approach_failure, _entry_failure, _utc_min
from ..maneuvers import ImpulsiveBurn
from ..propagate import propagate
from ..results import _record_burn
from ..targeting import PeriapsisTarget, available_dv_m_s, correct, target_entry
from .site import entry_from_site
from .state import MissionState, Segment


def coast(st: MissionState, t_tdb_s: float, arcs: list, **kw) -> None:
    """Coast the stack (or orbiter) to ``t_tdb_s`` flying its pending burns; the arc joins ``arcs``."""
    arc = propagate(st.cur, t_tdb_s, st.forces, st.burns, **kw)
    arcs.append(arc)
    st.burns = []
    st.cur = arc.final


def tcm(st: MissionState, seg: Segment) -> None:
    """Coast to the TCM, correct to the target, and leave the burn (as flown) to the next coast."""
    t_tcm, name = seg.epoch, seg.name
    coast(st, t_tcm, st.arcs)
    cur = st.cur
    st.say(f"{name}: differential correction")
    lander = st.plan.lander
    if lander is None:
        corr = _correct_to_approach(st, cur, t_tcm, name)
    else:
        corr = _correct_to_entry(st, cur, t_tcm, name)
    _record_tcm(st, cur, corr, lander is not None)


def _correct_to_approach(st: MissionState, cur, t_tcm: float, name: str):
    """No lander: aim the orbiter's approach at the capture orbit's periapsis altitude and inclination."""
    plan, forces = st.plan, st.forces
    isp = plan.orbiter.isp_s
    t_p = plan.orbiter_periapsis_tdb_s
    if t_p is None and plan.moi_end_tdb_s is not None:
        t_p = plan.moi_end_tdb_s - plan.moi_duration_guess_s / 2  # periapsis mid-way through the burn
    tgt = PeriapsisTarget(
        plan.capture.periapsis_altitude_m,
        plan.capture.inclination_rad,
        t_p,
        tolerance_m=100.0,
        tolerance_rad=np.radians(0.001),
        tolerance_s=1.0,
        body=plan.body,
    )
    corr = correct(tgt, cur, t_tcm, forces, st.t_stop_arrival, isp_s=isp, name=name)
    if not corr.converged:
        raise InputError(_approach_failure(name, t_tcm, tgt, corr, available_dv_m_s(cur, isp)))
    return corr


def _correct_to_entry(st: MissionState, cur, t_tcm: float, name: str):
    """With a lander: aim at its entry conditions, the separation push included (a site's entry when planned)."""
    plan, forces = st.plan, st.forces
    isp = plan.orbiter.isp_s
    # the lander's path includes the separation push; estimate its direction from a coast to separation
    coast_arc = propagate(cur, plan.separation_tdb_s, forces)
    push = st.separation_push(coast_arc.final)
    extra = [ImpulsiveBurn(plan.separation_tdb_s, push, isp_s=np.inf, name="separation")]
    if plan.site is not None:  # aim at the entry state that lands on the site (entry_from_site)
        plan, extra = _aim_at_site(st, cur, t_tcm, name, push, extra)
    # staged: the two-body B-plane aim point of the entry conditions (on the entry's branch), then the entry
    # conditions themselves (targeting.target_entry)
    corr = target_entry(plan.entry, cur, t_tcm, forces, st.t_stop_arrival, isp_s=isp, name=name, extra_burns=extra)
    if not corr.converged:
        raise InputError(_entry_failure(name, t_tcm, plan, corr))
    return corr


def _aim_at_site(st: MissionState, cur, t_tcm: float, name: str, push, extra: list):
    """Replace the plan's entry (and separation epoch) by the entry state that lands on its site; returns the
    new plan and the separation burn at the new epoch."""
    plan, forces = st.plan, st.forces
    st.say(f"{name}: entry state for the {plan.site.name} ({plan.site.branch} approach)")
    ref = st.site_reference = st.site_reference or plan
    site_entry = entry_from_site(plan.site, ref.entry, cur, st.t_stop_arrival, forces, extra)
    # the lander separates as long before the solved entry as the plan has it before the planned one
    assert site_entry.tdb_s is not None  # entry_from_site always sets it
    t_entry = site_entry.tdb_s
    t_sep = t_entry - (ref.entry.tdb_s - ref.separation_tdb_s)  # validate() checked both are set
    if t_sep <= t_tcm:
        raise InputError(
            f"{name} ({_utc_min(t_tcm)}): the entry that lands on the {plan.site.name} comes at "
            f"{_utc_min(t_entry)}, so the lander would separate ({_utc_min(t_sep)}) before this TCM; "
            "plan the TCM earlier or move the arrival (cruise.arrival_utc) later."
        )
    st.plan = plan = replace(plan, entry=site_entry, separation_tdb_s=t_sep)
    return plan, [ImpulsiveBurn(t_sep, push, isp_s=np.inf, name="separation")]


def _record_tcm(st: MissionState, cur, corr, to_entry: bool) -> None:
    """Fly the burn with its execution errors: record it and leave it to the next coast."""
    isp = st.plan.orbiter.isp_s
    fb = st.executed(corr.burn)
    m_after = cur.mass_kg * np.exp(-np.linalg.norm(fb.dv_m_s) / (isp * K.G0))
    st.records.append(
        _record_burn(
            fb,
            "stack",
            cur.mass_kg,
            m_after,
            f"planned {corr.burn.dv_magnitude_m_s:.3f} m/s; "
            + ("entry" if to_entry else "approach periapsis")
            + f" residual if flown as planned {np.round(corr.residual, 4)}",
        )
    )
    st.burns = [fb]
