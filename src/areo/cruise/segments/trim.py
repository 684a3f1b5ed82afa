"""Orbit-trim segment: after insertion, one tangential impulsive burn at periapsis to a target apoapsis.

The target is an apoapsis altitude or a period (:class:`areo.cruise.insertion.OrbitTarget`, whose checks refuse
an apoapsis below the periapsis or a period shorter than the circular one); the periapsis is kept. At periapsis
the velocity is perpendicular to the radius, so the burn along it sets the apoapsis by vis-viva:
``v = sqrt(2 mu r_a / (r_p (r_p + r_a)))`` (Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., eq.
2.70 and ch. 6). A trim beyond the propellant left names the nearest reachable apoapsis and its Delta-v.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import constants as K
from ...errors import InputError
from ..insertion import OrbitTarget, _apoapsis_radius
from ..propagate import Event
from .coast import coast_until, impulse, resample
from .insertion import capture_orbit
from .state import MissionState, Segment


@dataclass(frozen=True)
class TrimSpec:
    """The trimmed orbit: ``apoapsis_altitude_m`` or ``period_s`` (exactly one)."""

    apoapsis_altitude_m: float | None = None
    period_s: float | None = None

    def __post_init__(self):
        if (self.apoapsis_altitude_m is None) == (self.period_s is None):
            raise InputError(
                "an orbit trim targets the apoapsis altitude or the period: give exactly one of "
                "apoapsis_altitude_km, period_days."
            )


def trim_dv_m_s(r_p: float, v_p: float, r_a_target: float, mu: float) -> float:
    """Tangential Delta-v at periapsis radius ``r_p`` (speed ``v_p``) that sets the apoapsis radius (signed)."""
    return float(np.sqrt(2 * mu * r_a_target / (r_p * (r_p + r_a_target))) - v_p)


def trim(st: MissionState, seg: Segment) -> None:
    """The ``trim`` segment: coast to the next periapsis, burn along (or against) the velocity to the target."""
    spec: TrimSpec = seg.params
    cb = st.body
    st.say(f"{seg.name}: orbit trim at periapsis")
    coast_until(st, f"periapsis:{cb.name}")
    rel = st.cur.with_origin(cb.name, st.forces)
    r_p, v_p = float(np.linalg.norm(rel.r_m)), float(np.linalg.norm(rel.v_m_s))
    mu = float(cb.gm_m3_s2)
    tgt = OrbitTarget(r_p - cb.radius_m, spec.apoapsis_altitude_m, spec.period_s)
    r_a = _apoapsis_radius(tgt, float(cb.radius_m), mu)
    dv = trim_dv_m_s(r_p, v_p, r_a, mu)
    isp, cur = st.plan.orbiter.isp_s, st.cur
    left = isp * K.G0 * np.log(cur.mass_kg / cur.dry_mass_kg)
    if abs(dv) > left:
        v_near = v_p + np.sign(dv) * left
        eps = v_near**2 / 2 - mu / r_p
        ra_near = (-mu / eps) * 2 - r_p if eps < 0 else np.inf
        raise InputError(
            f"{seg.name}: the trim to an apoapsis of {(r_a - cb.radius_m) / 1e3:.0f} km needs {abs(dv):.1f} m/s "
            f"but the propellant left gives {left:.1f} m/s; the nearest reachable apoapsis is "
            f"{(ra_near - cb.radius_m) / 1e3:.0f} km ({left:.1f} m/s); aim there or carry more propellant."
        )
    impulse(st, dv * rel.v_m_s / v_p, seg.name, f"periapsis trim to apoapsis {(r_a - cb.radius_m) / 1e3:.0f} km")
    orbit = capture_orbit(st.cur.with_origin(cb.name, st.forces), cb)
    st.events.append(
        Event(
            "orbit-trim",
            st.cur.tdb_s,
            {
                "periapsis_altitude_km": orbit.periapsis_altitude_m / 1e3,
                "apoapsis_altitude_km": orbit.apoapsis_altitude_m / 1e3,
                "period_days": orbit.period_days,
                "inclination_deg": orbit.inclination_deg,
            },
        )
    )
    resample(st)
