"""The propellant budget checked before any targeting: the manoeuvres of known size (the DSM, the stand-alone
impulsive manoeuvres) and a lower bound of the orbit insertion must fit the orbiter's propellant.

The insertion's bound is the impulsive, tangential burn at the target periapsis from the patched-conic arrival
excess speed (vis-viva, Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., eq. 8.58): a finite burn
needs more (gravity loss), so a plan refused here could not have flown. TCMs (sizes unknown before targeting) are
left out, as is the 5 % by which the n-body arrival speed may differ from the conic's (the bound is lowered by it).
The capacity is the rocket equation's for the orbiter alone after the DSM flown with the whole stack.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import constants as K
from ...errors import InputError

MARGIN = 0.95  # the n-body arrival excess speed may differ from the patched conic's by a few per cent


def capacity_m_s(plan: Any) -> float:
    """Delta-v the orbiter can give after the DSM (m/s): the rocket equation on its propellant left."""
    o, isp = plan.orbiter, plan.orbiter.isp_s
    c = isp * K.G0
    lander = plan.lander.mass_kg if plan.lander is not None else 0.0
    used = 0.0
    if plan.dsm_dv_m_s:
        stack = o.mass_kg + lander
        used = stack * (1 - np.exp(-plan.dsm_dv_m_s / c))
    left = o.mass_kg - used
    if o.dry_mass_kg <= 0:
        return float("inf")
    if left <= o.dry_mass_kg:
        return 0.0
    return float(c * np.log(left / o.dry_mass_kg))


def insertion_dv_m_s(plan: Any) -> tuple[float, float]:
    """(lower bound of the insertion's Delta-v m/s, arrival excess speed m/s) for the plan's capture target."""
    from ...bodies import body
    from ..design import design_transfer

    d = design_transfer(
        plan.launch_tdb_s,
        plan.arrival_tdb_s,
        revs=plan.transfer_revs,
        branch=plan.transfer_branch,
        arrival_body=plan.body,
    )
    cb = body(plan.body)
    mu = float(cb.gm_m3_s2)
    v_inf = float(np.linalg.norm(d.v_inf_arrival_m_s)) * MARGIN
    rp = float(cb.radius_m) + plan.capture.periapsis_altitude_m
    a = (mu * (plan.capture.period_s / (2 * np.pi)) ** 2) ** (1 / 3)
    return float(np.sqrt(v_inf**2 + 2 * mu / rp) - np.sqrt(max(2 * mu / rp - mu / a, 0.0))), v_inf / MARGIN


def _nearest_period_days(plan: Any, cap: float, v_inf: float) -> str:
    """The capture the propellant does reach (the burn of ``cap`` m/s at the target periapsis), in words."""
    from ...bodies import body

    cb = body(plan.body)
    mu = float(cb.gm_m3_s2)
    rp = float(cb.radius_m) + plan.capture.periapsis_altitude_m
    v = np.sqrt((v_inf * MARGIN) ** 2 + 2 * mu / rp) - cap
    energy = v * v / 2 - mu / rp
    if energy >= 0:
        return f"none: {cap:.0f} m/s does not capture at all (at least {v - np.sqrt(2 * mu / rp) + cap:.0f} m/s does)"
    a = -mu / (2 * energy)
    return f"a period of {2 * np.pi * np.sqrt(a**3 / mu) / 86400:.2f} d ({cap:.0f} m/s)"


def check_budget(plan: Any) -> None:
    """Refuse in one line a plan whose known manoeuvres and insertion cannot fit the propellant (no propagation)."""
    o = plan.orbiter
    stack = o.mass_kg + (plan.lander.mass_kg if plan.lander is not None else 0.0)
    if plan.dsm_dv_m_s:
        need_kg = stack * (1 - np.exp(-plan.dsm_dv_m_s / (o.isp_s * K.G0)))
        if need_kg > o.mass_kg - o.dry_mass_kg:
            raise InputError(
                f"the deep-space manoeuvre of {plan.dsm_dv_m_s} m/s needs {need_kg:.0f} kg of propellant (Isp "
                f"{o.isp_s} s, stack {stack:.0f} kg) but the orbiter carries {o.mass_kg - o.dry_mass_kg:.0f} kg "
                "(mass_kg - dry_mass_kg); lower cruise.dsm_dv_m_s or raise the propellant load."
            )
    cap = capacity_m_s(plan)
    known = sum(m.dv_magnitude_m_s for m in getattr(plan, "maneuvers", ()))
    if known > cap + 1e-6:
        raise InputError(
            f"the impulsive manoeuvres ({known:.1f} m/s in all) need more than the orbiter's propellant gives after "
            f"the DSM ({cap:.1f} m/s at Isp {plan.orbiter.isp_s:g} s); reduce them or carry more propellant."
        )
    if plan.moi_end_tdb_s is None:
        return
    need, v_inf = insertion_dv_m_s(plan)
    if need + known > cap:
        cp = plan.capture
        raise InputError(
            f"orbit insertion into {cp.periapsis_altitude_m / 1e3:.0f} km x {cp.period_s / 86400:.2f} d needs at least "
            f"{need:.0f} m/s (impulsive bound, arrival v_inf {v_inf / 1e3:.2f} km/s) but the orbiter's propellant "
            f"gives {cap - known:.0f} m/s after the DSM and manoeuvres; nearest reachable: "
            f"{_nearest_period_days(plan, cap - known, v_inf)}; carry more propellant or lengthen the capture period."
        )
