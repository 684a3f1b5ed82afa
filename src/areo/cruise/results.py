"""What a flown cruise produces: manoeuvre records, vehicle trajectories, the capture orbit and the
:class:`CruiseResult` that :func:`areo.cruise.fly` returns (TDB seconds, Sun-centred ICRF samples, SI units)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..ephem import default_ephemeris
from ..errors import InputError
from ..time import tdb_seconds_to_utc_iso
from .forces import ForceModel
from .maneuvers import ImpulsiveBurn
from .propagate import Arc, SpacecraftState

if TYPE_CHECKING:
    from .flight import CruisePlan


@dataclass(frozen=True)
class ManeuverRecord:
    """One manoeuvre as flown in the simulation (ICRF dv vector, m/s; duration s; propellant kg)."""

    name: str
    vehicle: str
    tdb_s: float
    utc: str
    dv_m_s: np.ndarray
    dv_magnitude_m_s: float
    duration_s: float
    propellant_kg: float
    kind: str
    note: str = ""


@dataclass
class Trajectory:
    """Samples of one vehicle: TDB s, Sun-centred and Mars-centred ICRF positions/velocities (m, m/s), mass."""

    name: str
    tdb_s: np.ndarray
    r_sun_icrf_m: np.ndarray
    v_sun_icrf_m_s: np.ndarray
    mass_kg: np.ndarray

    def relative_to(self, body: str):
        """(r_m, v_m_s) relative to a DE421 body (ICRF), at the sample epochs."""
        rb, vb = default_ephemeris().state(body, self.tdb_s, center="sun")
        return self.r_sun_icrf_m - rb, self.v_sun_icrf_m_s - vb


@dataclass(frozen=True)
class CaptureOrbit:
    """Osculating orbit about the arrival body after insertion (altitudes above its equatorial radius, angles to
    its equator)."""

    tdb_s: float
    a_m: float
    e: float
    inclination_deg: float
    raan_deg: float
    argp_deg: float
    periapsis_altitude_m: float
    apoapsis_altitude_m: float
    period_days: float


@dataclass
class CruiseResult:
    """Everything the cruise produced; see the module docstring.

    ``miss_distance_km``: closest distance to Mars' centre (km) of the pure Lambert arc flown from the escape
    hyperbola (``pure_lambert_km``), of the same arc started at the Earth's centre without Earth/Moon gravity
    (``pure_lambert_without_earth_km``), of the patched-conic DSM design, and after aiming the injection.
    ``bplane``: B-plane summaries (km, deg) of the lander's and the orbiter's approach.
    """

    plan: CruisePlan
    orbiter: Trajectory
    lander: Trajectory | None
    events: list
    maneuvers: list
    entry: Any  # MarsRelativeFigures of the lander at the entry interface
    capture: CaptureOrbit | None
    bplane: dict
    miss_distance_km: dict
    design: object
    forces: object = None
    arcs: dict | None = None

    def summary(self) -> dict:
        """Key figures as plain numbers (SI unless the name says otherwise), for reports and timelines."""
        out = {
            "miss_distance_km": dict(self.miss_distance_km),
            "bplane": dict(self.bplane),
            "maneuvers": [
                {
                    "name": m.name,
                    "utc": m.utc,
                    "dv_m_s": m.dv_magnitude_m_s,
                    "duration_s": m.duration_s,
                    "propellant_kg": m.propellant_kg,
                }
                for m in self.maneuvers
            ],
        }
        if self.entry is not None:
            e = self.entry
            out["entry"] = {
                "utc": tdb_seconds_to_utc_iso(e.tdb_s),
                "altitude_m": e.altitude_m,
                "latitude_deg": e.latitude_deg,
                "longitude_deg": e.longitude_deg,
                "speed_inertial_m_s": e.speed_inertial_m_s,
                "fpa_inertial_deg": e.fpa_inertial_deg,
                "speed_relative_m_s": e.speed_relative_m_s,
                "fpa_relative_deg": e.fpa_relative_deg,
            }
        if self.capture is not None:
            c = self.capture
            out["capture"] = {
                "periapsis_altitude_km": c.periapsis_altitude_m / 1e3,
                "apoapsis_altitude_km": c.apoapsis_altitude_m / 1e3,
                "period_days": c.period_days,
                "inclination_deg": c.inclination_deg,
            }
        return out

    def __repr__(self) -> str:
        n_o = self.orbiter.tdb_s.size
        n_l = self.lander.tdb_s.size if self.lander is not None else 0
        c = self.capture
        cap = (
            f"capture {c.periapsis_altitude_m / 1e3:.0f} x {c.apoapsis_altitude_m / 1e3:.0f} km "
            f"{c.period_days:.2f} d {c.inclination_deg:.1f} deg"
            if c is not None
            else "no capture"
        )
        ent = (
            f"entry {self.entry.altitude_m / 1e3:.0f} km {self.entry.fpa_inertial_deg:.2f} deg "
            f"{self.entry.latitude_deg:.2f}N {self.entry.longitude_deg:.2f}E"
            if self.entry
            else "no entry"
        )
        return (
            f"<CruiseResult {len(self.maneuvers)} manoeuvres, {len(self.events)} events, {ent}, {cap}, "
            f"{n_o} orbiter / {n_l} lander samples>"
        )

    def sample(self, vehicle: str, tdb_s, origin: str = "sun") -> tuple[np.ndarray, np.ndarray]:
        """Positions (m) and velocities (m/s), shape (N, 3), of a vehicle at the epochs ``tdb_s`` (e.g. a regular
        grid for an OEM or CZML file), relative to ``origin``, ICRF."""
        t = np.atleast_1d(np.asarray(tdb_s, float))
        r = np.empty((t.size, 3))
        v = np.empty((t.size, 3))
        for k, tk in enumerate(t):
            st = self.state_at(vehicle, float(tk), origin=origin)
            r[k], v[k] = st.r_m, st.v_m_s
        return r, v

    def state_at(self, vehicle: str, tdb_s: float, origin: str = "mars") -> SpacecraftState:
        """State of 'orbiter' or 'lander' at any epoch it was flown (integrator dense output, full precision),
        relative to ``origin`` ('sun', 'earth' or 'mars'); e.g. the orbiter during the lander's EDL for relay."""
        arcs = self.arcs or {}
        if vehicle not in arcs:
            raise InputError(f"unknown vehicle {vehicle!r}; choose one of {sorted(arcs)}.")
        for arc in arcs[vehicle]:
            if arc.tdb_s[0] - 1e-6 <= tdb_s <= arc.tdb_s[-1] + 1e-6:
                return arc.state_at(tdb_s, self.forces, origin=origin)
        lo = arcs[vehicle][0].tdb_s[0]
        hi = arcs[vehicle][-1].tdb_s[-1]
        raise InputError(
            f"{vehicle} was flown from {tdb_seconds_to_utc_iso(lo)} to {tdb_seconds_to_utc_iso(hi)}; "
            f"{tdb_seconds_to_utc_iso(tdb_s)} is outside that span."
        )

    def timeline(self) -> list[dict]:
        """Events and manoeuvres in time order as plain dicts (name, utc, tdb_s, figures)."""
        rows = [
            {"name": e.name, "tdb_s": e.tdb_s, "utc": tdb_seconds_to_utc_iso(e.tdb_s), **e.figures} for e in self.events
        ]
        rows += [
            {
                "name": m.name,
                "tdb_s": m.tdb_s,
                "utc": m.utc,
                "dv_m_s": m.dv_magnitude_m_s,
                "duration_s": m.duration_s,
                "propellant_kg": m.propellant_kg,
            }
            for m in self.maneuvers
        ]
        return sorted(rows, key=lambda r: r["tdb_s"])


def _closest_approach_km(arc: Arc, forces: ForceModel, body: str = "mars") -> float:
    """Smallest distance (km) to ``body`` along an arc, refined between samples with the dense output."""
    from scipy.optimize import minimize_scalar

    rm, _ = default_ephemeris().state(body, arc.tdb_s)
    d = np.linalg.norm(arc.r_sun_icrf_m - rm, axis=1)
    k = int(np.argmin(d))
    lo, hi = arc.tdb_s[max(k - 1, 0)], arc.tdb_s[min(k + 1, len(d) - 1)]
    if hi <= lo:
        return float(d[k] / 1e3)

    def dist(t):
        return float(np.linalg.norm(arc.state_at(t, forces, origin=body).r_m))

    res = minimize_scalar(dist, bounds=(lo, hi), method="bounded", options={"xatol": 1.0})
    return float(min(res.fun, d[k]) / 1e3)


def _record_burn(b, vehicle: str, mass_before: float, mass_after: float, note: str = "") -> ManeuverRecord:
    if isinstance(b, ImpulsiveBurn):
        dv, dur, t, kind = b.dv_m_s, 0.0, b.tdb_s, "impulsive"
    else:
        dv = b.direction * b.ideal_dv_m_s(mass_before) if b.steering == "inertial" else np.full(3, np.nan)
        dur, t, kind = b.duration_s, b.start_tdb_s, "finite"
    mag = float(np.linalg.norm(dv)) if np.all(np.isfinite(dv)) else b.ideal_dv_m_s(mass_before)
    return ManeuverRecord(
        b.name,
        vehicle,
        float(t),
        str(tdb_seconds_to_utc_iso(float(t))),
        np.asarray(dv, float),
        float(mag),
        float(dur),
        float(mass_before - mass_after),
        kind,
        note,
    )


def _join(name: str, arcs) -> Trajectory:
    t = np.concatenate([a.tdb_s for a in arcs])
    r = np.concatenate([a.r_sun_icrf_m for a in arcs])
    v = np.concatenate([a.v_sun_icrf_m_s for a in arcs])
    m = np.concatenate([a.mass_kg for a in arcs])
    order = np.argsort(t, kind="stable")
    t, r, v, m = t[order], r[order], v[order], m[order]
    keep = np.concatenate(([True], np.diff(t) > 1e-6))
    return Trajectory(name, t[keep], r[keep], v[keep], m[keep])
