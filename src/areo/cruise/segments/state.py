"""The state every cruise segment acts on: vehicles, masses, trajectories, events and manoeuvre records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ...ephem import default_ephemeris
from ...errors import InputError
from ..forces import ForceModel
from ..maneuvers import FiniteBurn, ImpulsiveBurn
from ..propagate import SpacecraftState


@dataclass(frozen=True)
class Segment:
    """One step of a mission: its ``kind`` (a name in :data:`areo.cruise.segments.SEGMENTS`), its epoch (TDB s;
    None when the segment has none of its own), a display name (``TCM-2``) and its parameters, if any (a
    coast's :class:`~.coast.CoastSpec`, a manoeuvre's :class:`~.coast.ManeuverSpec`, a trim's
    :class:`~.trim.TrimSpec`)."""

    kind: str
    tdb_s: float | None = None
    name: str = ""
    params: Any = None

    @property
    def epoch(self) -> float:
        """The segment's epoch (TDB s); an InputError for a segment that has none."""
        if self.tdb_s is None:
            raise InputError(f"segment {self.name or self.kind!r} has no epoch; give it one in the plan.")
        return float(self.tdb_s)


@dataclass
class MissionState:
    """Mutable state of a flight, threaded through the segments in order (SI units, TDB seconds).

    ``cur`` is the stack's state (the orbiter's after separation) and ``burns`` the manoeuvres it has still to
    fly on its next coast; ``arcs`` hold the stack's trajectory, ``orbiter_arcs`` / ``lander_arcs`` each
    vehicle's after separation; ``lander`` is the released lander's state until it enters.
    """

    plan: Any  # areo.cruise.flight.CruisePlan
    forces: ForceModel
    t_stop_arrival: float
    say: Callable[[str], object]
    sequence: tuple[Segment, ...] = ()
    design: Any = None
    cur: Any = None  # SpacecraftState of the stack (the orbiter after separation), from launch on
    burns: list[Any] = field(default_factory=list)
    planned_burns: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)
    miss: dict[str, float] = field(default_factory=dict)
    arcs: list[Any] = field(default_factory=list)
    orbiter_arcs: list[Any] = field(default_factory=list)
    lander_arcs: list[Any] = field(default_factory=list)
    lander: Any = None  # SpacecraftState of the released lander, from separation to entry
    separated: bool = False
    orbiter_alone: bool = False
    entry_fig: Any = None
    capture: Any = None
    bsum: dict[str, Any] = field(default_factory=dict)
    insertion: tuple[Any, ...] | None = None  # (pre-burn state, burn, arc, residual, converged) once targeted
    site_reference: Any = None  # the plan as given, kept when landing-site targeting replaces its entry (tcm)
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))

    @property
    def eph(self):
        return default_ephemeris()

    @property
    def body(self):
        """The arrival body's :class:`~areo.bodies.CentralBody` (the plan's ``body``)."""
        from ...bodies import body

        return body(self.plan.body)

    @property
    def stack_mass_kg(self) -> float:
        p = self.plan
        return float(p.orbiter.mass_kg + (p.lander.mass_kg if p.lander else 0.0))

    @property
    def stack_dry_mass_kg(self) -> float:
        p = self.plan
        return float(p.orbiter.dry_mass_kg + (p.lander.mass_kg if p.lander else 0.0))

    def follows(self, seg: Segment, kind: str) -> bool:
        """True when a segment of ``kind`` comes after ``seg`` in the sequence."""
        idx = next(i for i, s in enumerate(self.sequence) if s is seg)
        return any(s.kind == kind for s in self.sequence[idx + 1 :])

    def executed(self, b):
        """The burn as flown: the planned one with the plan's execution errors, if any."""
        errs = self.plan.execution_errors
        if errs is None:
            return b
        if isinstance(b, ImpulsiveBurn):
            return ImpulsiveBurn(b.tdb_s, errs.perturb(b.dv_m_s, self.rng), b.isp_s, b.name)
        d = errs.perturb(b.direction * b.duration_s, self.rng)
        dur = float(np.linalg.norm(d))
        return FiniteBurn(b.start_tdb_s, dur, b.thrust_n, b.isp_s, "inertial", d / dur, name=b.name)

    def separation_push(self, st_before_sep: SpacecraftState) -> np.ndarray:
        """Lander push along its velocity relative to the arrival body at separation (the stack's state there)."""
        _, v_m = self.eph.state(self.plan.body, st_before_sep.tdb_s)
        st = st_before_sep.with_origin("sun", self.forces)
        v_rel = st.v_m_s - v_m
        return self.plan.separation_dv_m_s * v_rel / np.linalg.norm(v_rel)

    def orbiter_only(self) -> None:
        """Without a lander, the stack is the orbiter: from here on its dry mass is the orbiter's."""
        if self.plan.lander is None and not self.orbiter_alone:
            self.cur = replace(self.cur, dry_mass_kg=self.plan.orbiter.dry_mass_kg)
            self.orbiter_alone = True
