"""Launch and deep-space manoeuvre segments.

``launch``: the patched-conic design (Sun-centred Lambert arcs with the DSM point, :mod:`areo.cruise.design`),
n-body checks of the pure Lambert arc, and the launcher's injection: perigee of the Earth-escape hyperbola whose
asymptote is the design's, aimed in full n-body at the entry corridor's B-plane point with the planned DSM.
``dsm``: the deep-space manoeuvre as a finite burn (thrust, Isp) along the designed direction, centred on its
epoch, flown (with execution errors, if any) on the next coast.
"""

from __future__ import annotations

import numpy as np

from ... import constants as K
from ..design import design_transfer, escape_hyperbola_state
from ..forces import ForceModel
from ..maneuvers import FiniteBurn, propellant_kg
from ..propagate import Event, SpacecraftState, propagate
from ..results import _closest_approach_km, _record_burn
from ..targeting import BPlaneTarget, EntryTarget, correct
from .state import MissionState, Segment


def _entry_corridor_bplane(design, entry: EntryTarget, cb) -> BPlaneTarget:
    """B-plane aim point of the entry corridor: |B| from the conic, theta giving a prograde, low-inclination
    approach (both theta = 0 and pi are tried with the first-order geometry)."""
    v_inf = float(np.linalg.norm(design.v_inf_arrival_m_s))
    r_ei = float(cb.radius_m) + entry.altitude_m
    v_ei = np.sqrt(v_inf**2 + 2 * cb.gm_m3_s2 / r_ei)
    pole = cb.pole_icrf()
    b = r_ei * v_ei * np.cos(np.radians(entry.fpa_deg)) / v_inf
    s = design.v_inf_arrival_m_s / v_inf
    t_hat = np.cross(s, pole)
    t_hat /= np.linalg.norm(t_hat)
    for theta in (0.0, np.pi):
        b_vec = b * t_hat * np.cos(theta) + b * np.cross(s, t_hat) * np.sin(theta)
        if np.cross(b_vec, s) @ pole > 0:  # prograde
            return BPlaneTarget(b * np.cos(theta), b * np.sin(theta), tolerance_m=1000.0, body=cb.name)
    return BPlaneTarget(b, 0.0, tolerance_m=1000.0, body=cb.name)


def launch(st: MissionState, seg: Segment) -> None:
    """Design the transfer, check the pure Lambert arc, and inject the stack on the aimed escape hyperbola."""
    plan, forces = st.plan, st.forces
    st.say("design: Lambert departure and deep-space manoeuvre")
    design = st.design = _design(plan)
    st.events.append(Event("launch", plan.launch_tdb_s, {"c3_km2_s2": design.c3_km2_s2}))
    st.say("n-body check of the pure Lambert arc")
    ballistic = propagate(_departure(st, design.ballistic_v_inf_departure_m_s), st.t_stop_arrival, forces)
    st.miss["pure_lambert_km"] = _closest_approach_km(ballistic, forces, plan.body)
    st.miss["pure_lambert_without_earth_km"] = _pure_lambert_without_earth_km(st, design)
    burns = st.planned_burns = _planned_dsm(design, st.stack_mass_kg, plan.orbiter)
    dep = _departure(st, design.v_inf_departure_m_s)
    planned = propagate(dep, st.t_stop_arrival, forces, burns)
    st.miss["patched_conic_design_km"] = _closest_approach_km(planned, forces, plan.body)
    # the launcher aims in full n-body: injection corrected to the entry corridor's B-plane point (DSM fixed)
    st.say("injection: aim the escape hyperbola at the entry corridor (n-body)")
    dep, injection = _aimed_injection(st, design, dep, burns)
    st.events.append(injection)
    aimed = propagate(dep, st.t_stop_arrival, forces, burns)
    st.miss["after_injection_aim_km"] = _closest_approach_km(aimed, forces, plan.body)
    st.cur = dep


def _design(plan):
    """The plan's patched-conic transfer design (Lambert arcs with the DSM point)."""
    return design_transfer(
        plan.launch_tdb_s,
        plan.arrival_tdb_s,
        plan.dsm_tdb_s,
        plan.dsm_dv_m_s,
        arrival_body=plan.body,
        revs=plan.transfer_revs,
        branch=plan.transfer_branch,
    )


def _departure(st: MissionState, v_inf) -> SpacecraftState:
    """The stack at launch, at perigee of the Earth-escape hyperbola of asymptote velocity ``v_inf`` (m/s)."""
    plan = st.plan
    rp = float(K.R_EARTH_EQ) + plan.perigee_altitude_m
    r, v = escape_hyperbola_state(v_inf, rp)
    return SpacecraftState(plan.launch_tdb_s, r, v, st.stack_mass_kg, "earth", st.stack_dry_mass_kg)


def _pure_lambert_without_earth_km(st: MissionState, design) -> float:
    """Closest approach (km) of the pure Lambert arc from the Earth's centre without Earth and Moon gravity."""
    plan, t_stop_arrival = st.plan, st.t_stop_arrival
    no_earth = tuple(b for b in plan.bodies if b not in ("earth", "moon"))
    f_ne = ForceModel.for_span(plan.launch_tdb_s - 3600.0, t_stop_arrival + 3600.0, bodies=no_earth, srp=plan.srp)
    re, ve = st.eph.state("earth", plan.launch_tdb_s)
    ne = propagate(
        SpacecraftState(plan.launch_tdb_s, re, ve + design.ballistic_v_inf_departure_m_s, st.stack_mass_kg),
        t_stop_arrival,
        f_ne,
    )
    return _closest_approach_km(ne, f_ne, plan.body)


def _planned_dsm(design, stack_mass: float, orbiter) -> list:
    """The designed DSM as a finite burn of the orbiter's engine centred on its epoch, at the stack's mass."""
    isp, thrust = orbiter.isp_s, orbiter.thrust_n
    burns: list = []
    if design.dsm_tdb_s is not None and design.dsm_dv_m_s is not None:
        dv = float(np.linalg.norm(design.dsm_dv_m_s))
        dur = propellant_kg(stack_mass, dv, isp) / (thrust / (isp * K.G0))
        burns.append(
            FiniteBurn(design.dsm_tdb_s - dur / 2, dur, thrust, isp, "inertial", design.dsm_dv_m_s, name="DSM")
        )
    return burns


def _aimed_injection(st: MissionState, design, dep: SpacecraftState, burns: list) -> tuple[SpacecraftState, Event]:
    """The departure corrected in n-body to the entry corridor's B-plane point (burns fixed), and its event."""
    plan = st.plan
    corridor = _entry_corridor_bplane(design, plan.entry, st.body)
    inj = correct(
        corridor,
        dep,
        plan.launch_tdb_s,
        st.forces,
        st.t_stop_arrival,
        isp_s=np.inf,
        name="injection-correction",
        extra_burns=burns,
    )
    dep = SpacecraftState(dep.tdb_s, dep.r_m, dep.v_m_s + inj.burn.dv_m_s, dep.mass_kg, dep.origin, dep.dry_mass_kg)
    injection = Event(
        "injection",
        plan.launch_tdb_s,
        {
            "correction_to_patched_conic_m_s": inj.burn.dv_magnitude_m_s,
            "converged": inj.converged,
            "v_perigee_m_s": float(np.linalg.norm(dep.v_m_s)),
            "perigee_altitude_m": plan.perigee_altitude_m,
        },
    )
    return dep, injection


def dsm(st: MissionState, seg: Segment) -> None:
    """Fly the designed deep-space manoeuvre (with execution errors, if any) on the next coast."""
    errs = st.plan.execution_errors
    flown = [st.executed(b) for b in st.planned_burns]
    for fb in flown:
        st.records.append(
            _record_burn(
                fb,
                "stack",
                st.stack_mass_kg,
                st.stack_mass_kg - fb.propellant_kg,
                f"planned {np.linalg.norm(st.design.dsm_dv_m_s):.2f} m/s by the patched-conic "
                "design" + (", flown with execution errors" if errs else ""),
            )
        )
    st.burns = flown
