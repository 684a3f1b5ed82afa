"""User layer: fly a Mars cruise from launch to orbit insertion, with a lander that separates and enters.

:func:`fly` composes the plan's segments in order (:mod:`areo.cruise.segments`: launch, dsm, tcm, separation,
entry, avoidance/approach, insertion, end), each acting on one :class:`~areo.cruise.segments.MissionState`; the
sequence is the plan's ``sequence`` (a scenario's ``cruise.sequence``) or the one its fields imply.

    >>> from areo.mission.replay import cruise_plan          # a CruisePlan from a scenario file
    >>> from areo.mission.scenario import load_scenario
    >>> fly(cruise_plan(load_scenario("exomars2016")))     # about 3-5 s on 2 cores
    <CruiseResult 6 manoeuvres, 9 events, entry 121 km -12.40 deg -2.00N -17.49E, capture 250 x 97515 km 4.20 d
    7.0 deg, 229 orbiter / 164 lander samples>

Segments (each an n-body propagation under :class:`~areo.cruise.forces.ForceModel`):

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

from ..ephem import default_ephemeris
from ..errors import InputError
from ..time import tdb_seconds_to_utc_iso
from .forces import DEFAULT_BODIES, ForceModel, SolarRadiationPressure
from .results import CaptureOrbit, CruiseResult, ManeuverRecord, Trajectory
from .segments import SEGMENTS, MissionState, check_sequence, default_sequence, insert_into_orbit, resolve, result
from .segments.budget import check_budget
from .segments.site import SiteTarget
from .targeting import EntryTarget

__all__ = [
    "CaptureOrbit",
    "CaptureTarget",
    "CruisePlan",
    "CruiseResult",
    "ExecutionErrors",
    "ManeuverRecord",
    "Trajectory",
    "Vehicle",
    "fly",
    "insert_into_orbit",
]


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
    tcm_names: tuple = ()  # one per TCM epoch (e.g. "TCM-5" when TCM-4 was skipped); empty: TCM-1, TCM-2, ...
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
    sequence: tuple = ()  # segment kinds in order (areo.cruise.segments); empty: default_sequence(plan)
    body: str = "mars"  # the arrival body (areo.bodies); entry targeting (a lander) is Mars-only for now
    coasts: tuple = ()  # CoastSpec for each 'coast' in the sequence, in order
    maneuvers: tuple = ()  # ManeuverSpec for each 'maneuver', in order
    trims: tuple = ()  # TrimSpec for each 'trim', in order
    transfer_revs: int = 0  # full revolutions about the Sun of the designed transfer (areo.cruise.design)
    transfer_branch: str = "short-period"  # of a multi-revolution transfer: 'short-period' or 'long-period'
    site: SiteTarget | None = None  # aim the TCMs at the entry state that lands on a site (segments.site)

    def segments(self):
        """The plan's segments with their epochs (:func:`areo.cruise.segments.resolve`)."""
        return resolve(self.sequence or default_sequence(self), self)

    def validate(self) -> None:
        """Raise InputError on an impossible sequence (each message names the dates and the fix)."""
        _check_dates(self)
        _check_vehicles(self)
        _check_body(self)
        check_sequence(self.segments(), self)
        if self.transfer_revs or self.transfer_branch != "short-period":  # a multi-revolution arc may not exist
            from .design import design_transfer

            design_transfer(
                self.launch_tdb_s,
                self.arrival_tdb_s,
                revs=self.transfer_revs,
                branch=self.transfer_branch,
                arrival_body=self.body,
            )
        check_budget(self)


def _milestones(plan: CruisePlan) -> list[tuple[str, float]]:
    """(name, epoch) of launch, DSM, TCMs, separation and arrival, in the order they must come."""
    seq = [("launch", plan.launch_tdb_s)]
    if plan.dsm_tdb_s is not None:
        seq.append(("deep-space manoeuvre", plan.dsm_tdb_s))
    seq += [(f"TCM {k + 1}", t) for k, t in enumerate(plan.tcm_tdb_s)]
    if plan.lander is not None:
        if plan.separation_tdb_s is None:
            raise InputError("a plan with a lander needs separation_tdb_s (when the lander separates).")
        seq.append(("separation", plan.separation_tdb_s))
    seq.append(("arrival", plan.arrival_tdb_s))
    return seq


def _check_dates(plan: CruisePlan) -> None:
    """Dates inside DE421, arrival 30 days or more after launch, one name per TCM, and the epochs in order."""
    utc = tdb_seconds_to_utc_iso
    eph = default_ephemeris()
    eph.check_range(
        np.array([plan.launch_tdb_s - 86400, plan.arrival_tdb_s + plan.sample_after_moi_s + 86400]),
        what="cruise date",
    )
    if not plan.arrival_tdb_s > plan.launch_tdb_s + 30 * 86400:
        raise InputError(
            f"arrival {utc(plan.arrival_tdb_s)} must be at least 30 days after launch "
            f"{utc(plan.launch_tdb_s)}; check the dates."
        )
    if plan.tcm_names and len(plan.tcm_names) != len(plan.tcm_tdb_s):
        raise InputError(
            f"tcm_names gives {len(plan.tcm_names)} names for {len(plan.tcm_tdb_s)} TCM epochs; give one name per "
            "epoch (tcm_utc) or none."
        )
    seq = _milestones(plan)
    for (n1, t1), (n2, t2) in itertools.pairwise(seq):
        if not t2 > t1:
            raise InputError(
                f"{n2} ({utc(t2)}) must come after {n1} ({utc(t1)}); the sequence must be "
                "launch < DSM < TCMs < separation < entry/arrival. Fix the dates."
            )
    _check_late_epochs(plan, seq[-2][1])


def _check_late_epochs(plan: CruisePlan, before_arrival_tdb_s: float) -> None:
    """Separation before entry; the avoidance manoeuvre after separation (or the last milestone) and before arrival."""
    utc = tdb_seconds_to_utc_iso
    if plan.lander is not None and plan.entry.tdb_s is not None and plan.separation_tdb_s >= plan.entry.tdb_s:
        raise InputError(
            f"separation ({utc(plan.separation_tdb_s)}) must come before entry "
            f"({utc(plan.entry.tdb_s)}); separate the lander days before arrival."
        )
    if plan.avoidance_tdb_s is not None:
        lo = plan.separation_tdb_s if plan.separation_tdb_s is not None else before_arrival_tdb_s
        if not lo < plan.avoidance_tdb_s < plan.arrival_tdb_s:
            raise InputError(
                f"the avoidance manoeuvre ({utc(plan.avoidance_tdb_s)}) must come after separation "
                f"({utc(lo)}) and before arrival ({utc(plan.arrival_tdb_s)})."
            )


def _check_vehicles(plan: CruisePlan) -> None:
    """The lander lighter than the stack, a spring-sized separation push, and a site only with a lander's entry."""
    if plan.lander is not None and plan.lander.mass_kg >= plan.orbiter.mass_kg + plan.lander.mass_kg:
        raise InputError("lander mass must be smaller than the stack's.")
    if not 0 <= plan.separation_dv_m_s < 10:
        raise InputError(
            f"separation_dv_m_s must lie in [0, 10) m/s (spring separations give tenths of a m/s); got {plan.separation_dv_m_s!r}."
        )
    if plan.site is not None and (plan.lander is None or plan.entry.tdb_s is None):
        raise InputError(
            "landing-site targeting (site) aims a lander's entry near a planned epoch: give the plan a lander "
            "and an entry epoch (entry.tdb_s; cruise.arrival_utc in a scenario), or drop the site."
        )


def _check_body(plan: CruisePlan) -> None:
    """An arrival body a cruise can reach (Mars or Venus), and a lander only at Mars."""
    from ..bodies import body

    if body(plan.body).soi_m is None or plan.body in ("sun", "earth"):
        raise InputError(f"arrival body {plan.body!r}: a cruise flies from the Earth to Mars or Venus; choose one.")
    if plan.lander is not None and plan.body != "mars":
        raise InputError(
            f"a lander at {plan.body}: areo's entry targeting (B-plane aim of the entry corridor, latitude, "
            "longitude) is Mars-only for now; fly the orbiter alone (no [cruise.lander]) or arrive at Mars."
        )


def fly(plan: CruisePlan, *, progress=None) -> CruiseResult:
    """Fly ``plan`` segment by segment (see the module docstring); ``progress(text)`` is called at each stage."""
    plan.validate()
    segments = plan.segments()
    t_stop_arrival = max(plan.arrival_tdb_s, plan.entry.tdb_s or plan.arrival_tdb_s) + 2 * 86400.0
    t_end = max((plan.moi_end_tdb_s or plan.arrival_tdb_s) + plan.sample_after_moi_s, t_stop_arrival)
    t_end = max([t_end] + [s.tdb_s + plan.sample_after_moi_s for s in segments if s.tdb_s is not None])
    if any(s.kind in ("coast", "maneuver", "trim") for s in segments):
        t_end += 10 * 86400.0  # room for the events they wait for after arrival (a periapsis, a trim)
    forces = ForceModel.for_span(plan.launch_tdb_s - 3600.0, t_end + 3600.0, bodies=plan.bodies, srp=plan.srp)
    state = MissionState(
        plan,
        forces,
        t_stop_arrival,
        progress or (lambda text: None),
        sequence=segments,
        rng=np.random.default_rng(plan.execution_errors.seed if plan.execution_errors else 0),
    )
    for seg in segments:
        SEGMENTS[seg.kind](state, seg)
    return result(state)
