"""Approach (avoidance) manoeuvre and orbit insertion segments.

``avoidance`` (after separation) or ``approach`` (an orbiter's last TCM, without a lander): an impulsive burn
setting the approach's inclination and periapsis altitude; when an ``insertion`` follows, the two are targeted
together: the approach burn sets the periapsis altitude, the insertion burn (thrust against the Mars-relative
velocity, ending at ``moi_end_tdb_s``) its duration, so that the osculating orbit at burn end has the capture
periapsis altitude and period. ``insertion`` alone (no approach manoeuvre) solves the burn's duration and pitch.
"""

from __future__ import annotations

import numpy as np

from ... import constants as K
from ...bodies import CentralBody
from ...bodies import body as central_body
from ...errors import InputError
from ...kepler import state_to_elements
from ..bplane import body_bplane, icrf_to_equator_matrix
from ..forces import ForceModel
from ..maneuvers import FiniteBurn
from ..propagate import Event, SpacecraftState, propagate
from ..results import CaptureOrbit, _record_burn
from ..targeting import PeriapsisTarget, correct, differential_correction
from .state import MissionState, Segment
from .tcm import coast


def _capture_residual(st: SpacecraftState, capture) -> np.ndarray:
    """(periapsis altitude error m, period error s) from the osculating conic; smooth across e = 1 (the period
    error is extrapolated from the energy: dT/T = -1.5 dE/E). ``st`` is relative to the body it orbits."""
    cb = central_body(st.origin)
    r, v = st.r_m, st.v_m_s
    mu = float(cb.gm_m3_s2)
    h = np.cross(r, v)
    energy = v @ v / 2 - mu / np.linalg.norm(r)
    e = np.sqrt(max(1 + 2 * energy * (h @ h) / mu**2, 0.0))
    rp = (h @ h) / mu / (1 + e)
    a_t = (mu * (capture.period_s / (2 * np.pi)) ** 2) ** (1 / 3)
    e_t = -mu / (2 * a_t)
    return np.array([rp - cb.radius_m - capture.periapsis_altitude_m, -1.5 * capture.period_s * (energy - e_t) / e_t])


def insert_into_orbit(
    state: SpacecraftState,
    end_tdb_s: float,
    thrust_n: float,
    isp_s: float,
    capture,
    forces: ForceModel,
    duration_guess_s: float,
):
    """Orbit insertion as a finite burn ending at ``end_tdb_s``: find (duration_s, pitch_rad) so that the
    osculating orbit at burn end has the target periapsis altitude and period. ``state`` is centred on the body
    to orbit (``state.origin``), before the burn. Returns ``(x, arc, residual, converged)``; the arc runs from ``state`` to the burn end."""
    scale = np.array([1000.0, 60.0])  # 1 km periapsis, 1 min period

    def f(x):
        b = FiniteBurn(
            end_tdb_s - x[0] * 1000.0,
            x[0] * 1000.0,
            thrust_n,
            isp_s,
            "anti-velocity",
            pitch_rad=float(x[1]),
            name="MOI",
        )
        a = propagate(state, end_tdb_s, forces, [b], switch_origin=False, stop_at_impact=False)
        phys = _capture_residual(a.final, capture)
        return phys / scale, phys, a

    x, _rs, rph, arc, _it, ok, _hist = differential_correction(
        f, np.array([duration_guess_s / 1000.0, 0.0]), perturbation=1e-3, max_step=2.0
    )
    return np.array([x[0] * 1000.0, x[1]]), arc, rph, ok


def _limited_inclination(st: MissionState, st_avoid: SpacecraftState) -> float:
    """The capture inclination, raised to just above the arrival asymptote's declination on the Mars equator when
    it is below it (the approach cannot be less inclined); an ``inclination-limited`` event says so."""
    plan, forces, cb = st.plan, st.forces, st.body
    coast_st = propagate(st_avoid, st.t_stop_arrival, forces, stop_at_periapsis=True).final.with_origin(cb.name, forces)
    decl = abs(np.arcsin(np.clip(body_bplane(coast_st.r_m, coast_st.v_m_s, cb.name).s_hat @ cb.pole_icrf(), -1, 1)))
    inc = plan.capture.inclination_rad
    if inc < decl + np.radians(0.05):
        inc = decl + np.radians(0.05)
        st.events.append(
            Event(
                "inclination-limited",
                st_avoid.tdb_s,
                {
                    "target_inclination_deg": float(np.degrees(plan.capture.inclination_rad)),
                    "flown_inclination_deg": float(np.degrees(inc)),
                    "reason": f"the arrival asymptote's declination on the {cb.name} equator is larger than the target",
                },
            )
        )
    return inc


def approach(st: MissionState, seg: Segment) -> None:
    """The orbiter's approach manoeuvre (``avoidance`` or ``approach``), with the insertion if one follows."""
    plan, forces = st.plan, st.forces
    isp, thrust = plan.orbiter.isp_s, plan.orbiter.thrust_n
    st.orbiter_only()
    t_app, name = seg.epoch, seg.name
    moi = st.follows(seg, "insertion")
    coast(st, t_app, st.orbiter_arcs)
    st_avoid = cur = st.cur
    st.say(f"orbiter: {name} manoeuvre" + (" and orbit insertion (finite burn)" if moi else ""))
    memo = {"dv": np.zeros(3)}
    inc = _limited_inclination(st, st_avoid)
    t_peri = plan.orbiter_periapsis_tdb_s

    def avoid(h_m):
        tgt = PeriapsisTarget(
            h_m, inc, t_peri, tolerance_m=1.0, tolerance_rad=np.radians(1e-4), tolerance_s=0.1, body=plan.body
        )
        c = correct(tgt, st_avoid, t_app, forces, st.t_stop_arrival, dv0_m_s=memo["dv"], isp_s=isp, name=name)
        if not c.converged:
            raise InputError(
                f"the {name} manoeuvre cannot reach an approach periapsis of {h_m / 1e3:.0f} km at "
                f"{np.degrees(inc):.2f} deg inclination (residual {np.round(c.residual, 3)}); move it earlier "
                "or change the capture orbit."
            )
        memo["dv"] = c.burn.dv_m_s
        return c

    if moi:
        t_pre = plan.moi_end_tdb_s - 3.0 * plan.moi_duration_guess_s

        def g(x):
            c = avoid(x[0] * 1e5)
            pre = propagate(st_avoid, t_pre, forces, [c.burn]).final.with_origin(plan.body, forces)
            dur = x[1] * 1000.0
            b = FiniteBurn(plan.moi_end_tdb_s - dur, dur, thrust, isp, "anti-velocity", name="MOI")
            a = propagate(pre, plan.moi_end_tdb_s, forces, [b], switch_origin=False, stop_at_impact=False)
            phys = _capture_residual(a.final, plan.capture)
            return phys / np.array([1000.0, 60.0]), phys, (c, pre, b, a)

        _x, _rs, rph, (corr, pre, b, a_moi), _it, ok, _hist = differential_correction(
            g, np.array([plan.capture.periapsis_altitude_m / 1e5, plan.moi_duration_guess_s / 1000.0]), max_step=5.0
        )  # at most 500 km of approach periapsis and 5000 s of burn per step
        st.insertion = (pre, b, a_moi, rph, ok)
    else:
        corr = avoid(plan.capture.periapsis_altitude_m)
    m_after = cur.mass_kg * np.exp(-np.linalg.norm(corr.burn.dv_m_s) / (isp * K.G0))
    st.records.append(
        _record_burn(
            corr.burn,
            plan.orbiter.name,
            cur.mass_kg,
            m_after,
            f"approach periapsis residual {np.round(corr.residual, 4)}",
        )
    )
    st.burns = [corr.burn]


def insertion(st: MissionState, seg: Segment) -> None:
    """Orbit insertion as a finite burn ending at the segment's epoch; the capture orbit is the result."""
    plan = st.plan
    st.orbiter_only()
    pre, b, a_moi, rph, ok = _insertion_burn(st)
    st.burns = []
    cur = pre
    st.bsum["orbiter"] = body_bplane(cur.r_m, cur.v_m_s, plan.body).summary()
    b.check_propellant(cur.mass_kg, cur.dry_mass_kg)
    st.orbiter_arcs.append(a_moi)
    r_body_sc = a_moi.r_sun_icrf_m - st.eph.state(plan.body, a_moi.tdb_s)[0]
    low = float(np.min(np.linalg.norm(r_body_sc, axis=1))) - st.body.radius_m
    st.records.append(
        _record_burn(
            b,
            plan.orbiter.name,
            cur.mass_kg,
            a_moi.final.mass_kg,
            f"lowest altitude {low / 1e3:.0f} km; capture residual {np.round(rph, 3)}"
            + ("" if ok else " (not converged)"),
        )
    )
    _refuse_failed_capture(plan, b, rph, ok, low)
    _enter_orbit(st, a_moi.final)


def _insertion_burn(st: MissionState):
    """(pre-burn state, burn, burn arc, capture residual, converged): solved here when no approach manoeuvre was
    targeted with it, else the approach's; the coast to the pre-burn epoch joins the orbiter's arcs."""
    plan, forces = st.plan, st.forces
    isp, thrust = plan.orbiter.isp_s, plan.orbiter.thrust_n
    t_pre = plan.moi_end_tdb_s - 3.0 * plan.moi_duration_guess_s
    if st.insertion is None:  # no approach manoeuvre: the insertion alone
        pre_arc = propagate(st.cur, t_pre, forces, st.burns)
        pre = pre_arc.final.with_origin(plan.body, forces)
        st.say(f"orbiter: orbit insertion at {plan.body} (finite burn)")
        x, a_moi, rph, ok = insert_into_orbit(
            pre, plan.moi_end_tdb_s, thrust, isp, plan.capture, forces, plan.moi_duration_guess_s
        )
        b = FiniteBurn(plan.moi_end_tdb_s - x[0], x[0], thrust, isp, "anti-velocity", pitch_rad=x[1], name="MOI")
        st.orbiter_arcs.append(pre_arc)
    else:
        pre, b, a_moi, rph, ok = st.insertion
        st.orbiter_arcs.append(propagate(st.cur, t_pre, forces, st.burns))
    return pre, b, a_moi, rph, ok


def _refuse_failed_capture(plan, b: FiniteBurn, rph: np.ndarray, ok: bool, low: float) -> None:
    """Raise when the burn missed the capture orbit or dipped below the surface (``low`` m, lowest altitude)."""
    if not ok:
        raise InputError(
            f"orbit insertion did not reach the capture orbit ({plan.capture.periapsis_altitude_m / 1e3:.0f} km "
            f"periapsis, {plan.capture.period_s / 86400:.2f} d): residual {np.round(rph / [1e3, 60], 2)} "
            f"(km, min) after a {b.duration_s / 60:.0f} min burn of {plan.orbiter.thrust_n:g} N; check the engine, "
            "the insertion end time and the capture target."
        )
    if low < 0:
        raise InputError(
            f"the orbit insertion burn passes {-low / 1e3:.0f} km below the surface; "
            "choose a later insertion or a higher capture periapsis."
        )


def _enter_orbit(st: MissionState, cur: SpacecraftState) -> None:
    """The orbiter at burn end: its capture orbit, a ``capture`` event and the sampled arc after it."""
    plan, forces = st.plan, st.forces
    st.cur = cur
    st.capture = capture = capture_orbit(cur, st.body)
    st.events.append(
        Event(
            "capture",
            cur.tdb_s,
            {
                "periapsis_altitude_km": capture.periapsis_altitude_m / 1e3,
                "apoapsis_altitude_km": capture.apoapsis_altitude_m / 1e3,
                "period_days": capture.period_days,
                "inclination_deg": capture.inclination_deg,
            },
        )
    )
    if plan.sample_after_moi_s > 0:
        st.orbiter_arcs.append(propagate(cur, cur.tdb_s + plan.sample_after_moi_s, forces, switch_origin=False))


def capture_orbit(cur: SpacecraftState, cb: CentralBody) -> CaptureOrbit:
    """Osculating orbit of ``cur`` (centred on ``cb``) with altitudes above its equatorial radius and angles to
    its equator (IAU pole and node)."""
    mu = float(cb.gm_m3_s2)
    el = state_to_elements(cur.r_m, cur.v_m_s, mu)
    m_eq = icrf_to_equator_matrix(cb.pole_ra_deg, cb.pole_icrf())
    el_eq = state_to_elements(m_eq @ cur.r_m, m_eq @ cur.v_m_s, mu)
    a_m, e = float(el[0]), float(el[1])
    return CaptureOrbit(
        cur.tdb_s,
        a_m,
        e,
        float(np.degrees(el_eq[2])),
        float(np.degrees(el_eq[3])),
        float(np.degrees(el_eq[4])),
        a_m * (1 - e) - cb.radius_m,
        a_m * (1 + e) - cb.radius_m,
        2 * np.pi * np.sqrt(a_m**3 / cb.gm_m3_s2) / 86400.0,
    )
