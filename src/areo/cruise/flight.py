"""User layer: fly a Mars cruise from launch to orbit insertion, with a lander that separates and enters.

    >>> from areo.mission.replay import cruise_plan          # a CruisePlan from a scenario file
    >>> from areo.mission.scenario import load_scenario
    >>> fly(cruise_plan(load_scenario("exomars2016")))     # about 3-5 s on 2 cores
    <CruiseResult 6 manoeuvres, 9 events, entry 121 km -12.40 deg -2.00N -17.49E, capture 250 x 97515 km 4.20 d
    7.0 deg, 229 orbiter / 164 lander samples>

Sequence (each step an n-body propagation under :class:`~areo.cruise.forces.ForceModel`):

1. design: Sun-centred Lambert arcs (``areo.transfer.lambert``) with the DSM point that minimises
   v_inf_dep^2 + v_inf_arr^2 for the given DSM magnitude (:mod:`areo.cruise.design`);
2. injection: perigee of the Earth-escape hyperbola (plane at 51.6 deg, Baikonur) whose asymptote is the design's;
   the launcher's aim is corrected in full n-body to the entry corridor's B-plane point (the patched-conic
   design alone misses Mars by ~700,000 km);
3. deep-space manoeuvre as a finite burn (thrust, Isp) along the designed direction, duration from the rocket
   equation, centred on ``dsm_tdb_s``;
4. trajectory-correction manoeuvres (impulsive), each by differential correction to the lander's
   entry-interface conditions (the separation push included), in two stages (:func:`~.targeting.target_entry`):
   the two-body B-plane aim point and periapsis epoch of the entry conditions, then the conditions themselves;
   without a lander, to the capture orbit's periapsis altitude, inclination and a periapsis epoch mid-way
   through the insertion burn;
5. separation: lander pushed by ``separation_dv_m_s`` along the Mars-relative velocity, orbiter recoils
   (momentum conserved); the lander coasts to the entry interface;
6. avoidance manoeuvre and Mars orbit insertion, targeted together: the avoidance burn sets the approach
   inclination and periapsis altitude, the insertion burn (thrust against the Mars-relative velocity, ending at
   ``moi_end_tdb_s``) its duration, so that the osculating orbit at burn end has the capture periapsis altitude
   and period.

Optional :class:`ExecutionErrors` perturb the DSM and TCMs as flown; the next TCM then corrects.
Outputs are a :class:`CruiseResult`: TDB seconds, Sun-centred ICRF samples, SI units; ``state_at`` and
``sample`` give any vehicle's state at any epoch from the integrator's dense output.

Failures raise :class:`~areo.errors.InputError` naming the step, the residual in physical units and the fix,
never a result with a missing entry: a TCM that does not converge or needs more than the propellant left (the
message gives the natural entry epoch of the approach), a latitude out of the approach's reach, a stack that
reaches Mars before separation, a lander that misses the entry interface, and (without execution errors) an entry
off its target by more than ten tolerances (e.g. a plan with a lander but no TCM; with execution errors the
entry is returned as flown, off target by what the last TCM's errors left).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from .. import constants as K
from ..ephem import default_ephemeris
from ..errors import InputError
from ..kepler import state_to_elements
from ..time import tdb_seconds_to_utc_iso
from .bplane import MARS_POLE_ICRF, bplane, icrf_to_mars_equator_matrix, mars_relative_figures
from .design import design_transfer, escape_hyperbola_state
from .forces import DEFAULT_BODIES, ForceModel, SolarRadiationPressure
from .maneuvers import FiniteBurn, ImpulsiveBurn, propellant_kg
from .propagate import Arc, Event, SpacecraftState, propagate
from .targeting import (
    BPlaneTarget,
    Correction,
    EntryTarget,
    PeriapsisTarget,
    available_dv_m_s,
    correct,
    describe_entry_residual,
    differential_correction,
    target_entry,
)


@dataclass(frozen=True)
class Vehicle:
    """A spacecraft: masses (kg) and main engine (N, s)."""

    name: str
    mass_kg: float
    dry_mass_kg: float
    thrust_n: float = 424.0
    isp_s: float = 318.0

    def __post_init__(self):
        if not (0 <= self.dry_mass_kg <= self.mass_kg and self.mass_kg > 0):
            raise InputError(
                f"vehicle {self.name!r}: need 0 <= dry_mass_kg <= mass_kg and mass_kg > 0; "
                f"got mass_kg={self.mass_kg!r}, dry_mass_kg={self.dry_mass_kg!r}."
            )


@dataclass(frozen=True)
class ExecutionErrors:
    """Random manoeuvre execution errors (1-sigma): relative magnitude and pointing (deg), seeded.

    Applied to the DSM and the TCMs as flown (not to the avoidance manoeuvre or the orbit insertion, which are
    targeted jointly); the next TCM corrects what the previous burn got wrong.
    """

    magnitude_sigma: float = 0.0
    pointing_sigma_deg: float = 0.0
    seed: int = 0

    def __post_init__(self):
        if not (0 <= self.magnitude_sigma < 0.5 and 0 <= self.pointing_sigma_deg < 30):
            raise InputError(
                f"execution errors must satisfy 0 <= magnitude_sigma < 0.5 and 0 <= pointing_sigma_deg < 30; got "
                f"{self.magnitude_sigma!r}, {self.pointing_sigma_deg!r}."
            )

    def perturb(self, dv: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        dv = np.asarray(dv, float)
        n = np.linalg.norm(dv)
        if n == 0:
            return dv
        u = dv / n
        axis = np.cross(u, rng.normal(size=3))
        axis /= np.linalg.norm(axis)
        ang = np.radians(self.pointing_sigma_deg) * rng.normal()
        u2 = u * np.cos(ang) + np.cross(axis, u) * np.sin(ang)
        return u2 * n * (1.0 + self.magnitude_sigma * rng.normal())


@dataclass(frozen=True)
class CaptureTarget:
    """Capture orbit after insertion: periapsis altitude (m above R_MARS_EQ), period (s), inclination (rad)."""

    periapsis_altitude_m: float = 250e3
    period_s: float = 4.2 * 86400.0
    inclination_rad: float = np.radians(7.0)


@dataclass(frozen=True)
class CruisePlan:
    """Everything :func:`fly` needs; epochs in TDB seconds past J2000, SI units. Built from a scenario by :func:`areo.mission.replay.cruise_plan`."""

    launch_tdb_s: float
    arrival_tdb_s: float
    orbiter: Vehicle
    lander: Vehicle | None = None
    dsm_tdb_s: float | None = None
    dsm_dv_m_s: float | None = None
    tcm_tdb_s: tuple = ()
    entry: EntryTarget = field(default_factory=EntryTarget)
    separation_tdb_s: float | None = None
    separation_dv_m_s: float = 0.3
    avoidance_tdb_s: float | None = None
    moi_end_tdb_s: float | None = None
    moi_duration_guess_s: float = 139 * 60.0
    orbiter_periapsis_tdb_s: float | None = None
    capture: CaptureTarget = CaptureTarget()
    perigee_altitude_m: float = 200e3
    execution_errors: ExecutionErrors | None = None
    bodies: tuple = DEFAULT_BODIES
    srp: SolarRadiationPressure | None = None
    sample_after_moi_s: float = 86400.0

    def validate(self) -> None:
        """Raise InputError on an impossible sequence (each message names the dates and the fix)."""
        utc = tdb_seconds_to_utc_iso
        eph = default_ephemeris()
        eph.check_range(
            np.array([self.launch_tdb_s - 86400, self.arrival_tdb_s + self.sample_after_moi_s + 86400]),
            what="cruise date",
        )
        if not self.arrival_tdb_s > self.launch_tdb_s + 30 * 86400:
            raise InputError(
                f"arrival {utc(self.arrival_tdb_s)} must be at least 30 days after launch "
                f"{utc(self.launch_tdb_s)}; check the dates."
            )
        seq = [("launch", self.launch_tdb_s)]
        if self.dsm_tdb_s is not None:
            seq.append(("deep-space manoeuvre", self.dsm_tdb_s))
        seq += [(f"TCM {k + 1}", t) for k, t in enumerate(self.tcm_tdb_s)]
        if self.lander is not None:
            if self.separation_tdb_s is None:
                raise InputError("a plan with a lander needs separation_tdb_s (when the lander separates).")
            seq.append(("separation", self.separation_tdb_s))
        seq.append(("arrival", self.arrival_tdb_s))
        for (n1, t1), (n2, t2) in itertools.pairwise(seq):
            if not t2 > t1:
                raise InputError(
                    f"{n2} ({utc(t2)}) must come after {n1} ({utc(t1)}); the sequence must be "
                    "launch < DSM < TCMs < separation < entry/arrival. Fix the dates."
                )
        if self.lander is not None and self.entry.tdb_s is not None and self.separation_tdb_s >= self.entry.tdb_s:
            raise InputError(
                f"separation ({utc(self.separation_tdb_s)}) must come before entry "
                f"({utc(self.entry.tdb_s)}); separate the lander days before arrival."
            )
        if self.avoidance_tdb_s is not None:
            lo = self.separation_tdb_s if self.separation_tdb_s is not None else seq[-2][1]
            if not lo < self.avoidance_tdb_s < self.arrival_tdb_s:
                raise InputError(
                    f"the avoidance manoeuvre ({utc(self.avoidance_tdb_s)}) must come after separation "
                    f"({utc(lo)}) and before arrival ({utc(self.arrival_tdb_s)})."
                )
        if self.lander is not None and self.lander.mass_kg >= self.orbiter.mass_kg + self.lander.mass_kg:
            raise InputError("lander mass must be smaller than the stack's.")
        if not 0 <= self.separation_dv_m_s < 10:
            raise InputError(
                f"separation_dv_m_s must lie in [0, 10) m/s (spring separations give tenths of a m/s); got {self.separation_dv_m_s!r}."
            )


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
    """Mars-centred osculating orbit after insertion (altitudes above R_MARS_EQ)."""

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
    entry: object | None  # MarsRelativeFigures of the lander at the entry interface
    capture: CaptureOrbit | None
    bplane: dict
    miss_distance_km: dict
    design: object
    forces: object = None
    arcs: dict = None

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
        if vehicle not in (self.arcs or {}):
            raise InputError(f"unknown vehicle {vehicle!r}; choose one of {sorted(self.arcs or {})}.")
        for arc in self.arcs[vehicle]:
            if arc.tdb_s[0] - 1e-6 <= tdb_s <= arc.tdb_s[-1] + 1e-6:
                return arc.state_at(tdb_s, self.forces, origin=origin)
        lo = self.arcs[vehicle][0].tdb_s[0]
        hi = self.arcs[vehicle][-1].tdb_s[-1]
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


def _closest_approach_km(arc: Arc, forces: ForceModel) -> float:
    """Smallest distance (km) to Mars along an arc, refined between samples with the dense output."""
    from scipy.optimize import minimize_scalar

    rm, _ = default_ephemeris().state("mars", arc.tdb_s)
    d = np.linalg.norm(arc.r_sun_icrf_m - rm, axis=1)
    k = int(np.argmin(d))
    lo, hi = arc.tdb_s[max(k - 1, 0)], arc.tdb_s[min(k + 1, len(d) - 1)]
    if hi <= lo:
        return float(d[k] / 1e3)

    def dist(t):
        return float(np.linalg.norm(arc.state_at(t, forces, origin="mars").r_m))

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
        tdb_seconds_to_utc_iso(float(t)),
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


def _entry_corridor_bplane(design, entry: EntryTarget) -> BPlaneTarget:
    """B-plane aim point of the entry corridor: |B| from the conic, theta giving a prograde, low-inclination
    approach (both theta = 0 and pi are tried with the first-order geometry)."""
    v_inf = float(np.linalg.norm(design.v_inf_arrival_m_s))
    r_ei = float(K.R_MARS_EQ) + entry.altitude_m
    v_ei = np.sqrt(v_inf**2 + 2 * K.GM_MARS / r_ei)
    b = r_ei * v_ei * np.cos(np.radians(entry.fpa_deg)) / v_inf
    s = design.v_inf_arrival_m_s / v_inf
    t_hat = np.cross(s, MARS_POLE_ICRF)
    t_hat /= np.linalg.norm(t_hat)
    for theta in (0.0, np.pi):
        b_vec = b * t_hat * np.cos(theta) + b * np.cross(s, t_hat) * np.sin(theta)
        if np.cross(b_vec, s) @ MARS_POLE_ICRF > 0:  # prograde
            return BPlaneTarget(b * np.cos(theta), b * np.sin(theta), tolerance_m=1000.0)
    return BPlaneTarget(b, 0.0, tolerance_m=1000.0)


def _utc_min(tdb_s: float) -> str:
    """UTC to the minute, for messages."""
    return tdb_seconds_to_utc_iso(float(tdb_s))[:16] + "Z"


def _entry_words(entry: EntryTarget) -> str:
    words = [f"{entry.altitude_m / 1e3:g} km, flight-path angle {entry.fpa_deg:g} deg ({entry.fpa_frame})"]
    if entry.latitude_deg is not None:
        words.append(f"latitude {entry.latitude_deg:g} deg")
    if entry.longitude_deg is not None:
        words.append(f"longitude {entry.longitude_deg:g} deg")
    if entry.tdb_s is not None:
        words.append(f"at {_utc_min(entry.tdb_s)}")
    return ", ".join(words)


def _entry_failure(name: str, t_tcm: float, plan: CruisePlan, corr: Correction) -> str:
    """Why a TCM could not meet the entry target, with residuals in physical units and the fixes."""
    d = corr.diagnosis
    entry = plan.entry
    nat = d.get("natural_entry_tdb_s")
    shift = ""
    if nat is not None:
        shift = f"with the epoch left free the lander would enter at about {_utc_min(nat)}"
        if entry.tdb_s is not None:
            dh = (nat - entry.tdb_s) / 3600
            shift += f" ({abs(dh):.1f} h {'before' if dh < 0 else 'after'} the requested epoch)"
    head = f"{name} ({_utc_min(t_tcm)}) cannot bring the lander to the entry target ({_entry_words(entry)})"
    fixes = []
    if entry.tdb_s is not None and nat is not None:
        fixes.append(
            f"set the entry epoch (entry.tdb_s; arrival_utc in a scenario) near {_utc_min(nat)}, with "
            "separation before it"
        )
    fixes.append(f"plan {name} earlier")
    if d.get("stage") == "propellant":
        return (
            f"{head}: it needs about {d['dv_needed_m_s']:.1f} m/s but the propellant left gives only "
            f"{d['dv_available_m_s']:.1f} m/s (Isp {plan.orbiter.isp_s:g} s); {shift}. Fix: "
            + ", ".join([*fixes, "or carry more propellant (mass_kg - dry_mass_kg)."])
        )
    need = d.get("dv_needed_m_s")
    return (
        f"{head}: the differential correction did not converge ({d.get('stage')}); residual "
        f"{describe_entry_residual(entry, corr.residual)} with a {corr.burn.dv_magnitude_m_s:.1f} m/s burn"
        + (f" (the two-body aim point needs {need:.1f} m/s)" if need is not None else "")
        + (f"; {shift}" if shift else "")
        + ". Fix: "
        + ", ".join([*fixes, "or drop a condition (longitude) that over-constrains the entry."])
    )


def _approach_failure(name: str, t_tcm: float, tgt: PeriapsisTarget, corr: Correction, avail_m_s: float) -> str:
    r = corr.residual
    res = f"periapsis altitude {r[0] / 1e3:+.3f} km, inclination {np.degrees(r[1]):+.4f} deg"
    if tgt.periapsis_tdb_s is not None:
        res += f", periapsis epoch {r[2]:+.0f} s"
    return (
        f"{name} ({_utc_min(t_tcm)}) did not converge on the capture approach (periapsis "
        f"{tgt.altitude_m / 1e3:g} km, inclination {np.degrees(tgt.inclination_rad):g} deg"
        + (f", at {_utc_min(tgt.periapsis_tdb_s)}" if tgt.periapsis_tdb_s is not None else "")
        + f"): residual {res} with a {corr.burn.dv_magnitude_m_s:.1f} m/s burn; the propellant left gives "
        f"{avail_m_s:.1f} m/s. Fix: plan the TCM earlier, carry more propellant, or check the insertion end time "
        "(moi_end) and the capture target."
    )


def _missed_entry(plan: CruisePlan, arc: Arc, forces: ForceModel, t_sep: float) -> str:
    """Why the lander has no entry interface: where it passes Mars instead."""
    head = (
        f"the lander, separated at {_utc_min(t_sep)}, never reaches the {plan.entry.altitude_m / 1e3:g} km "
        "entry interface"
    )
    st = arc.final.with_origin("mars", forces)
    try:
        bp = bplane(st.r_m, st.v_m_s)
        where = (
            f"it passes Mars at {bp.periapsis_altitude_m / 1e3:,.0f} km periapsis altitude "
            f"(B = {bp.b_m / 1e3:,.0f} km; the entry corridor needs B about "
            f"{_corridor_b_km(bp.v_inf_m_s, plan.entry):,.0f} km)"
        )
    except InputError:
        where = "it is captured by Mars without reaching the entry interface"
    why = (
        "no TCM corrects the path after the launcher's aim and the DSM; add TCMs (tcm_tdb_s; tcm_utc in a "
        "scenario) before separation"
        if not plan.tcm_tdb_s
        else "the TCMs aim the entry with the separation push included, so the lander was left off course after "
        "the last TCM (e.g. by execution errors); add a TCM between the last deviation and separation, or "
        "reduce the execution errors"
    )
    return f"{head} (flown to {_utc_min(arc.final.tdb_s)}): {where}. Fix: {why}."


def _entry_residual(entry: EntryTarget, fig) -> tuple[np.ndarray, np.ndarray]:
    """(flown - target, tolerance) of the entry conditions, in the order of targeting.residual_function."""
    fpa = fig.fpa_inertial_deg if entry.fpa_frame == "inertial" else fig.fpa_relative_deg
    res, scale = [fpa - entry.fpa_deg], [entry.tolerance_deg]
    if entry.latitude_deg is not None:
        res.append(fig.latitude_deg - entry.latitude_deg)
        scale.append(entry.tolerance_deg)
    if entry.longitude_deg is not None:
        res.append((fig.longitude_deg - entry.longitude_deg + 180.0) % 360.0 - 180.0)
        scale.append(entry.tolerance_deg)
    if entry.tdb_s is not None:
        res.append(fig.tdb_s - entry.tdb_s)
        scale.append(entry.tolerance_s)
    return np.array(res), np.array(scale)


def _off_target_entry(plan: CruisePlan, fig, res: np.ndarray) -> str:
    why = (
        "the plan has no TCM, and the launcher's aim sets only the entry corridor (not latitude, longitude or "
        "epoch); add TCMs before separation"
        if not plan.tcm_tdb_s
        else "the last TCM met the target with the separation push estimated at its epoch; check that the "
        "separation push (separation_dv_m_s) is small and add a TCM closer to separation"
    )
    return (
        f"the lander reaches the entry interface at {_utc_min(fig.tdb_s)} off its target "
        f"({_entry_words(plan.entry)}): {describe_entry_residual(plan.entry, res)}. Cause: {why}."
    )


def _corridor_b_km(v_inf_m_s: float, entry: EntryTarget) -> float:
    r_e = float(K.R_MARS_EQ) + entry.altitude_m
    v_e = np.sqrt(v_inf_m_s**2 + 2 * float(K.GM_MARS) / r_e)
    return r_e * v_e * np.cos(np.radians(entry.fpa_deg)) / v_inf_m_s / 1e3


def _capture_residual(st: SpacecraftState, capture: CaptureTarget) -> np.ndarray:
    """(periapsis altitude error m, period error s) from the osculating conic; smooth across e = 1 (the period
    error is extrapolated from the energy: dT/T = -1.5 dE/E)."""
    r, v = st.r_m, st.v_m_s
    mu = float(K.GM_MARS)
    h = np.cross(r, v)
    energy = v @ v / 2 - mu / np.linalg.norm(r)
    e = np.sqrt(max(1 + 2 * energy * (h @ h) / mu**2, 0.0))
    rp = (h @ h) / mu / (1 + e)
    a_t = (mu * (capture.period_s / (2 * np.pi)) ** 2) ** (1 / 3)
    e_t = -mu / (2 * a_t)
    return np.array([rp - K.R_MARS_EQ - capture.periapsis_altitude_m, -1.5 * capture.period_s * (energy - e_t) / e_t])


def insert_into_orbit(
    state: SpacecraftState,
    end_tdb_s: float,
    thrust_n: float,
    isp_s: float,
    capture: CaptureTarget,
    forces: ForceModel,
    duration_guess_s: float,
):
    """Mars orbit insertion as a finite burn ending at ``end_tdb_s``: find (duration_s, pitch_rad) so that the
    osculating orbit at burn end has the target periapsis altitude and period. ``state`` is Mars-centred, before
    the burn. Returns ``(x, arc, residual, converged)``; the arc runs from ``state`` to the burn end."""
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


def fly(plan: CruisePlan, *, progress=None) -> CruiseResult:
    """Fly ``plan`` (see the module docstring); ``progress(text)`` is called at each stage if given."""
    say = progress or (lambda text: None)
    plan.validate()
    t_stop_arrival = max(plan.arrival_tdb_s, plan.entry.tdb_s or plan.arrival_tdb_s) + 2 * 86400.0
    t_end = max((plan.moi_end_tdb_s or plan.arrival_tdb_s) + plan.sample_after_moi_s, t_stop_arrival)
    forces = ForceModel.for_span(plan.launch_tdb_s - 3600.0, t_end + 3600.0, bodies=plan.bodies, srp=plan.srp)
    eph = default_ephemeris()

    say("design: Lambert departure and deep-space manoeuvre")
    design = design_transfer(plan.launch_tdb_s, plan.arrival_tdb_s, plan.dsm_tdb_s, plan.dsm_dv_m_s)
    lander = plan.lander
    stack_mass = plan.orbiter.mass_kg + (lander.mass_kg if lander else 0.0)
    stack_dry = plan.orbiter.dry_mass_kg + (lander.mass_kg if lander else 0.0)
    rp = float(K.R_EARTH_EQ) + plan.perigee_altitude_m

    def departure(v_inf):
        r, v = escape_hyperbola_state(v_inf, rp)
        return SpacecraftState(plan.launch_tdb_s, r, v, stack_mass, "earth", stack_dry)

    events: list = [Event("launch", plan.launch_tdb_s, {"c3_km2_s2": design.c3_km2_s2})]
    miss: dict = {}
    say("n-body check of the pure Lambert arc")
    ballistic = propagate(departure(design.ballistic_v_inf_departure_m_s), t_stop_arrival, forces)
    miss["pure_lambert_km"] = _closest_approach_km(ballistic, forces)
    # the same arc started at the Earth's centre with Earth and Moon left out of the forces (the usual quick check)
    no_earth = tuple(b for b in plan.bodies if b not in ("earth", "moon"))
    f_ne = ForceModel.for_span(plan.launch_tdb_s - 3600.0, t_stop_arrival + 3600.0, bodies=no_earth, srp=plan.srp)
    re, ve = eph.state("earth", plan.launch_tdb_s)
    ne = propagate(
        SpacecraftState(plan.launch_tdb_s, re, ve + design.ballistic_v_inf_departure_m_s, stack_mass),
        t_stop_arrival,
        f_ne,
    )
    miss["pure_lambert_without_earth_km"] = _closest_approach_km(ne, f_ne)

    isp, thrust = plan.orbiter.isp_s, plan.orbiter.thrust_n
    burns: list = []
    records: list = []
    if design.dsm_tdb_s is not None:
        dv = float(np.linalg.norm(design.dsm_dv_m_s))
        # mass at the DSM is the stack's (no burn before it)
        dur = propellant_kg(stack_mass, dv, isp) / (thrust / (isp * K.G0))
        burns.append(
            FiniteBurn(design.dsm_tdb_s - dur / 2, dur, thrust, isp, "inertial", design.dsm_dv_m_s, name="DSM")
        )
    rng = np.random.default_rng(plan.execution_errors.seed if plan.execution_errors else 0)
    errs = plan.execution_errors

    def executed(b):
        """The burn as flown: the planned one with execution errors, if any."""
        if errs is None:
            return b
        if isinstance(b, ImpulsiveBurn):
            return ImpulsiveBurn(b.tdb_s, errs.perturb(b.dv_m_s, rng), b.isp_s, b.name)
        d = errs.perturb(b.direction * b.duration_s, rng)
        dur = float(np.linalg.norm(d))
        return FiniteBurn(b.start_tdb_s, dur, b.thrust_n, b.isp_s, "inertial", d / dur, name=b.name)

    flown_burns = [executed(b) for b in burns]
    for fb in flown_burns:
        records.append(
            _record_burn(
                fb,
                "stack",
                stack_mass,
                stack_mass - fb.propellant_kg,
                f"planned {np.linalg.norm(design.dsm_dv_m_s):.2f} m/s by the patched-conic "
                "design" + (", flown with execution errors" if errs else ""),
            )
        )
    dep = departure(design.v_inf_departure_m_s)
    planned = propagate(dep, t_stop_arrival, forces, burns)
    miss["patched_conic_design_km"] = _closest_approach_km(planned, forces)
    # the launcher aims in full n-body: injection corrected to the entry corridor's B-plane point (DSM fixed)
    say("injection: aim the escape hyperbola at the entry corridor (n-body)")
    corridor = _entry_corridor_bplane(design, plan.entry)
    inj = correct(
        corridor,
        dep,
        plan.launch_tdb_s,
        forces,
        t_stop_arrival,
        isp_s=np.inf,
        name="injection-correction",
        extra_burns=burns,
    )
    dep = SpacecraftState(dep.tdb_s, dep.r_m, dep.v_m_s + inj.burn.dv_m_s, dep.mass_kg, dep.origin, dep.dry_mass_kg)
    events.append(
        Event(
            "injection",
            plan.launch_tdb_s,
            {
                "correction_to_patched_conic_m_s": inj.burn.dv_magnitude_m_s,
                "converged": inj.converged,
                "v_perigee_m_s": float(np.linalg.norm(dep.v_m_s)),
                "perigee_altitude_m": plan.perigee_altitude_m,
            },
        )
    )
    aimed = propagate(dep, t_stop_arrival, forces, burns)
    miss["after_injection_aim_km"] = _closest_approach_km(aimed, forces)
    # fly to each TCM, correcting as we go
    arcs = []
    cur = dep
    burns = flown_burns

    def separation_push(st_before_sep):
        """Lander push along its Mars-relative velocity at separation (the stack's state there)."""
        _, v_m = eph.state("mars", st_before_sep.tdb_s)
        st = st_before_sep.with_origin("sun", forces)
        v_rel = st.v_m_s - v_m
        return plan.separation_dv_m_s * v_rel / np.linalg.norm(v_rel)

    # the manoeuvre that sets up orbit insertion: the avoidance manoeuvre, or without a lander the last TCM
    approach_tdb_s, approach_name = plan.avoidance_tdb_s, "avoidance"
    tcms = list(plan.tcm_tdb_s)
    if lander is None and approach_tdb_s is None and plan.moi_end_tdb_s is not None and tcms:
        approach_tdb_s, approach_name = tcms.pop(), f"TCM-{len(plan.tcm_tdb_s)}"
    for k, t_tcm in enumerate(tcms):
        arc = propagate(cur, t_tcm, forces, burns)
        arcs.append(arc)
        burns = []
        cur = arc.final
        name = f"TCM-{k + 1}"
        say(f"{name}: differential correction")
        extra = []
        if lander is not None:
            # the lander's path includes the separation push; estimate its direction from a coast to separation
            coast = propagate(cur, plan.separation_tdb_s, forces)
            push = separation_push(coast.final)
            extra = [ImpulsiveBurn(plan.separation_tdb_s, push, isp_s=np.inf, name="separation")]
        if lander is None:
            # no lander: aim the orbiter's approach at the capture orbit's periapsis altitude and inclination
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
            )
            corr = correct(tgt, cur, t_tcm, forces, t_stop_arrival, isp_s=isp, name=name)
            if not corr.converged:
                raise InputError(_approach_failure(name, t_tcm, tgt, corr, available_dv_m_s(cur, isp)))
        else:
            # staged: the two-body B-plane aim point of the entry conditions (prograde branch), then the entry
            # conditions themselves (targeting.target_entry)
            corr = target_entry(plan.entry, cur, t_tcm, forces, t_stop_arrival, isp_s=isp, name=name, extra_burns=extra)
            if not corr.converged:
                raise InputError(_entry_failure(name, t_tcm, plan, corr))
        fb = executed(corr.burn)
        m_after = cur.mass_kg * np.exp(-np.linalg.norm(fb.dv_m_s) / (isp * K.G0))
        records.append(
            _record_burn(
                fb,
                "stack",
                cur.mass_kg,
                m_after,
                f"planned {corr.burn.dv_magnitude_m_s:.3f} m/s; "
                + ("entry" if lander is not None else "approach periapsis")
                + f" residual if flown as planned {np.round(corr.residual, 4)}",
            )
        )
        burns = [fb]
    # to separation
    t_sep = plan.separation_tdb_s if lander is not None else None
    orbiter_arcs, lander_arcs = [], []
    entry_fig = None
    if lander is not None:
        arc = propagate(cur, t_sep, forces, burns, entry_altitude_m=plan.entry.altitude_m)
        arcs.append(arc)
        burns = []
        st = arc.final
        early = arc.event("entry-interface") or arc.event("impact:mars")
        if early is not None:
            raise InputError(
                f"the stack reaches Mars' {plan.entry.altitude_m / 1e3:g} km entry interface at "
                f"{_utc_min(early.tdb_s)}, before the lander separates at {_utc_min(t_sep)}; separate the lander "
                f"earlier (e.g. {_utc_min(early.tdb_s - 3 * 86400.0)}) or aim the entry later."
            )
        push = separation_push(st)
        m_l, m_o = lander.mass_kg, st.mass_kg - lander.mass_kg
        st_l = SpacecraftState(st.tdb_s, st.r_m, st.v_m_s + push, m_l, st.origin, lander.dry_mass_kg)
        st_o = SpacecraftState(st.tdb_s, st.r_m, st.v_m_s - push * m_l / m_o, m_o, st.origin, plan.orbiter.dry_mass_kg)
        events.append(
            Event(
                "separation", t_sep, {"dv_m_s": plan.separation_dv_m_s, "lander_mass_kg": m_l, "orbiter_mass_kg": m_o}
            )
        )
        say("lander: coast to the entry interface")
        la = propagate(st_l, t_stop_arrival, forces, entry_altitude_m=plan.entry.altitude_m, stop_at_entry=True)
        lander_arcs.append(la)
        for e in la.events:
            events.append(Event(f"lander:{e.name}", e.tdb_s, e.figures))
        if la.event("entry-interface") is None:
            raise InputError(_missed_entry(plan, la, forces, t_sep))
        fe = la.final.with_origin("mars", forces)
        entry_fig = mars_relative_figures(fe.tdb_s, fe.r_m, fe.v_m_s)
        res, scale = _entry_residual(plan.entry, entry_fig)
        if plan.execution_errors is None and np.any(np.abs(res) > 10 * scale):
            # without execution errors the flown entry is the last TCM's target (to its tolerance)
            raise InputError(_off_target_entry(plan, entry_fig, res))
        cur = st_o
    else:
        cur = SpacecraftState(cur.tdb_s, cur.r_m, cur.v_m_s, cur.mass_kg, cur.origin, plan.orbiter.dry_mass_kg)

    # orbiter: avoidance manoeuvre and orbit insertion
    capture = None
    bsum: dict = {}
    if lander_arcs:
        fl = lander_arcs[0].final.with_origin("mars", forces)
        bsum["lander"] = bplane(fl.r_m, fl.v_m_s).summary()
    moi = plan.moi_end_tdb_s is not None
    t_peri = plan.orbiter_periapsis_tdb_s
    t_pre = plan.moi_end_tdb_s - 3.0 * plan.moi_duration_guess_s if moi else None
    if approach_tdb_s is not None:
        arc = propagate(cur, approach_tdb_s, forces, burns)
        orbiter_arcs.append(arc)
        burns = []
        cur = arc.final
        st_avoid = cur
        say(f"orbiter: {approach_name} manoeuvre" + (" and orbit insertion (finite burn)" if moi else ""))
        memo = {"dv": np.zeros(3)}
        # the approach inclination cannot be below the declination of v_inf on the Mars equator
        coast = propagate(st_avoid, t_stop_arrival, forces, stop_at_periapsis=True).final.with_origin("mars", forces)
        decl = abs(np.arcsin(np.clip(bplane(coast.r_m, coast.v_m_s).s_hat @ MARS_POLE_ICRF, -1, 1)))
        inc = plan.capture.inclination_rad
        if inc < decl + np.radians(0.05):
            inc = decl + np.radians(0.05)
            events.append(
                Event(
                    "inclination-limited",
                    st_avoid.tdb_s,
                    {
                        "target_inclination_deg": float(np.degrees(plan.capture.inclination_rad)),
                        "flown_inclination_deg": float(np.degrees(inc)),
                        "reason": "the arrival asymptote's declination on the Mars equator is larger than the target",
                    },
                )
            )

        def avoid(h_m):
            tgt = PeriapsisTarget(h_m, inc, t_peri, tolerance_m=1.0, tolerance_rad=np.radians(1e-4), tolerance_s=0.1)
            c = correct(
                tgt, st_avoid, approach_tdb_s, forces, t_stop_arrival, dv0_m_s=memo["dv"], isp_s=isp, name=approach_name
            )
            if not c.converged:
                raise InputError(
                    f"the {approach_name} manoeuvre cannot reach an approach periapsis of {h_m / 1e3:.0f} km at "
                    f"{np.degrees(inc):.2f} deg inclination (residual {np.round(c.residual, 3)}); move it earlier "
                    "or change the capture orbit."
                )
            memo["dv"] = c.burn.dv_m_s
            return c

        if moi:

            def g(x):
                c = avoid(x[0] * 1e5)
                pre = propagate(st_avoid, t_pre, forces, [c.burn]).final.with_origin("mars", forces)
                dur = x[1] * 1000.0
                b = FiniteBurn(plan.moi_end_tdb_s - dur, dur, thrust, isp, "anti-velocity", name="MOI")
                a = propagate(pre, plan.moi_end_tdb_s, forces, [b], switch_origin=False, stop_at_impact=False)
                phys = _capture_residual(a.final, plan.capture)
                return phys / np.array([1000.0, 60.0]), phys, (c, pre, b, a)

            x, _rs, rph, (corr, pre, b, a_moi), _it, ok, _hist = differential_correction(
                g, np.array([plan.capture.periapsis_altitude_m / 1e5, plan.moi_duration_guess_s / 1000.0]), max_step=5.0
            )  # at most 500 km of approach periapsis and 5000 s of burn per step
        else:
            corr = avoid(plan.capture.periapsis_altitude_m)
        m_after = cur.mass_kg * np.exp(-np.linalg.norm(corr.burn.dv_m_s) / (isp * K.G0))
        records.append(
            _record_burn(
                corr.burn,
                plan.orbiter.name,
                cur.mass_kg,
                m_after,
                f"approach periapsis residual {np.round(corr.residual, 4)}",
            )
        )
        burns = [corr.burn]
    elif moi:
        pre = propagate(cur, t_pre, forces, burns).final.with_origin("mars", forces)
        burns = []
        say("orbiter: Mars orbit insertion (finite burn)")
        x, a_moi, rph, ok = insert_into_orbit(
            pre, plan.moi_end_tdb_s, thrust, isp, plan.capture, forces, plan.moi_duration_guess_s
        )
        b = FiniteBurn(plan.moi_end_tdb_s - x[0], x[0], thrust, isp, "anti-velocity", pitch_rad=x[1], name="MOI")
    if moi:
        orbiter_arcs.append(propagate(cur, t_pre, forces, burns))
        cur = pre
        bsum["orbiter"] = bplane(cur.r_m, cur.v_m_s).summary()
        b.check_propellant(cur.mass_kg, cur.dry_mass_kg)
        orbiter_arcs.append(a_moi)
        r_mars_sc = a_moi.r_sun_icrf_m - eph.state("mars", a_moi.tdb_s)[0]
        low = float(np.min(np.linalg.norm(r_mars_sc, axis=1))) - K.R_MARS_EQ
        records.append(
            _record_burn(
                b,
                plan.orbiter.name,
                cur.mass_kg,
                a_moi.final.mass_kg,
                f"lowest altitude {low / 1e3:.0f} km; capture residual {np.round(rph, 3)}"
                + ("" if ok else " (not converged)"),
            )
        )
        if not ok:
            raise InputError(
                f"orbit insertion did not reach the capture orbit ({plan.capture.periapsis_altitude_m / 1e3:.0f} km "
                f"periapsis, {plan.capture.period_s / 86400:.2f} d): residual {np.round(rph / [1e3, 60], 2)} "
                f"(km, min) after a {b.duration_s / 60:.0f} min burn of {thrust:g} N; check the engine, the "
                "insertion end time and the capture target."
            )
        if low < 0:
            raise InputError(
                f"the orbit insertion burn passes {-low / 1e3:.0f} km below the surface; "
                "choose a later insertion or a higher capture periapsis."
            )
        cur = a_moi.final
        el = state_to_elements(cur.r_m, cur.v_m_s, float(K.GM_MARS))
        m_eq = icrf_to_mars_equator_matrix()
        el_eq = state_to_elements(m_eq @ cur.r_m, m_eq @ cur.v_m_s, float(K.GM_MARS))
        a_m, e = float(el[0]), float(el[1])
        capture = CaptureOrbit(
            cur.tdb_s,
            a_m,
            e,
            float(np.degrees(el_eq[2])),
            float(np.degrees(el_eq[3])),
            float(np.degrees(el_eq[4])),
            a_m * (1 - e) - K.R_MARS_EQ,
            a_m * (1 + e) - K.R_MARS_EQ,
            2 * np.pi * np.sqrt(a_m**3 / K.GM_MARS) / 86400.0,
        )
        events.append(
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
            orbiter_arcs.append(propagate(cur, cur.tdb_s + plan.sample_after_moi_s, forces, switch_origin=False))
    elif cur.tdb_s < t_stop_arrival:
        orbiter_arcs.append(propagate(cur, t_stop_arrival, forces, burns, stop_at_periapsis=False))

    for a in arcs:
        events.extend(a.events)
    for a in orbiter_arcs:
        events.extend(Event(f"orbiter:{e.name}", e.tdb_s, e.figures) for e in a.events)
    events.sort(key=lambda e: e.tdb_s)
    orb = _join(plan.orbiter.name, arcs + orbiter_arcs)
    lan = _join(lander.name, arcs + lander_arcs) if lander is not None else None
    arcs_by = {"orbiter": arcs + orbiter_arcs}
    if lander is not None:
        arcs_by["lander"] = arcs + lander_arcs
    return CruiseResult(
        plan,
        orb,
        lan,
        events,
        sorted(records, key=lambda m: m.tdb_s),
        entry_fig,
        capture,
        bsum,
        miss,
        design,
        forces,
        arcs_by,
    )
