"""N-body propagation with scipy's DOP853, origin switching at spheres of influence, and event detection.

A trajectory is integrated relative to the Sun, or to a central body (:mod:`areo.bodies`: Earth, Mars, Venus)
while inside its sphere of influence: the origin switches when a sphere is crossed, so an arrival is integrated
planet-centred with full precision. Samples are reported Sun-centred ICRF (``r_sun_icrf_m``).

Events (all recorded in :attr:`Arc.events`), named after the body: ``soi-entry:<body>``, ``soi-exit:<body>``,
``periapsis:<body>`` (closest approach, from r.v = 0; not at the arc's start, e.g. a departure perigee),
``entry-interface`` (altitude above the body's spheroid crossing ``entry_altitude_m`` downwards; it stops the arc
when ``stop_at_entry``), ``impact:<body>`` (altitude 0, stops unless ``stop_at_impact=False``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.integrate import solve_ivp

from .. import constants as K
from ..bodies import BODIES, body
from ..errors import InputError
from .bplane import mars_relative_figures
from .forces import ForceModel
from .maneuvers import FiniteBurn, ImpulsiveBurn

SOI_M = {name: float(b.soi_m) for name, b in BODIES.items() if b.soi_m is not None}
_G0 = float(K.G0)


@dataclass(frozen=True)
class SpacecraftState:
    """State of a spacecraft: epoch (TDB s past J2000), position/velocity relative to ``origin`` (ICRF, SI)."""

    tdb_s: float
    r_m: np.ndarray
    v_m_s: np.ndarray
    mass_kg: float
    origin: str = "sun"
    dry_mass_kg: float = 0.0

    def __post_init__(self):
        for name in ("r_m", "v_m_s"):
            a = np.asarray(getattr(self, name), dtype=float)
            if a.shape != (3,) or not np.all(np.isfinite(a)):
                raise InputError(f"{name} must be 3 finite numbers (ICRF, SI units); got {getattr(self, name)!r}.")
            object.__setattr__(self, name, a)
        if not (self.mass_kg > 0 and self.mass_kg >= self.dry_mass_kg):
            raise InputError(f"mass_kg must be > 0 and >= dry_mass_kg ({self.dry_mass_kg} kg); got {self.mass_kg!r}.")

    def with_origin(self, origin: str, forces: ForceModel) -> SpacecraftState:
        """The same state relative to another origin body (via the force model's ephemeris table)."""
        if origin == self.origin:
            return self
        r0, v0 = forces.origin_state(self.origin, self.tdb_s)
        r1, v1 = forces.origin_state(origin, self.tdb_s)
        return replace(self, r_m=self.r_m + r0 - r1, v_m_s=self.v_m_s + v0 - v1, origin=origin)


@dataclass(frozen=True)
class Event:
    """Something that happened on an arc: ``name``, epoch ``tdb_s`` and key figures (SI unless named)."""

    name: str
    tdb_s: float
    figures: dict = field(default_factory=dict)


@dataclass
class Arc:
    """Propagated trajectory: samples (integrator steps), events and the final state."""

    tdb_s: np.ndarray
    r_sun_icrf_m: np.ndarray
    v_sun_icrf_m_s: np.ndarray
    mass_kg: np.ndarray
    events: list
    final: SpacecraftState
    _pieces: list = field(default_factory=list, repr=False)

    def state_at(self, tdb_s: float, forces: ForceModel, origin: str = "sun") -> SpacecraftState:
        """Interpolated state (integrator dense output) at an epoch inside the arc, relative to ``origin``."""
        for t0, t1, sol, org in self._pieces:
            if min(t0, t1) - 1e-6 <= tdb_s <= max(t0, t1) + 1e-6:
                y = sol(tdb_s)
                st = SpacecraftState(tdb_s, y[:3], y[3:6], y[6], org, self.final.dry_mass_kg)
                return st.with_origin(origin, forces)
        raise InputError(
            f"epoch {tdb_s:.1f} s TDB is outside the arc [{self.tdb_s[0]:.1f}, {self.tdb_s[-1]:.1f}] s TDB."
        )

    def dense_pieces(self, forces: ForceModel, origin: str = "sun") -> list:
        """The arc's smooth pieces, split wherever the integration restarted (manoeuvres, origin changes at
        spheres of influence, terminal events): ``[(step_epochs, states), ...]`` in time order, where
        ``step_epochs`` are the integrator's steps and ``states(t)`` gives (r_m (N, 3), v_m_s (N, 3)) relative
        to ``origin`` (ICRF) from the dense output at TDB epochs ``t`` inside the piece."""
        out = []
        for t0, t1, sol, org in sorted(self._pieces, key=lambda p: min(p[0], p[1])):
            if t0 == t1:
                continue

            def states(t, sol=sol, org=org):
                t = np.atleast_1d(np.asarray(t, float))
                y = np.atleast_2d(sol(t).T)
                shift = [np.subtract(forces.origin_state(org, tk), forces.origin_state(origin, tk)) for tk in t]
                d = np.asarray(shift).reshape(t.size, 2, 3)
                return y[:, :3] + d[:, 0], y[:, 3:6] + d[:, 1]

            lo, hi = min(t0, t1), max(t0, t1)
            steps = np.clip(np.sort(np.asarray(sol.ts, float)), lo, hi)
            out.append((np.unique(np.concatenate(([lo], steps, [hi]))), states))
        return out

    def event(self, name: str) -> Event | None:
        """The first event called ``name``, or None."""
        return next((e for e in self.events if e.name == name), None)


def _rhs_factory(forces: ForceModel, origin: str, burn: FiniteBurn | None):
    acc = forces.acceleration
    if burn is None:

        def rhs(t, y):
            a = acc(t, y[:3], origin, y[6])
            return np.concatenate((y[3:6], a, (0.0,)))
    else:
        mdot = burn.mass_flow_kg_s
        thrust = burn.thrust_n

        def rhs(t, y):
            r, v, m = y[:3], y[3:6], y[6]
            a = acc(t, r, origin, m) + (thrust / m) * burn.thrust_direction(r, v)
            return np.concatenate((v, a, (-mdot,)))

    return rhs


def _departing(y0, gm_m3_s2: float) -> bool:
    """True for a hyperbolic state at (or within 0.6 deg of flight-path angle before) its periapsis: a departure,
    whose periapsis is the start itself and not an event (an injection correction tilts it by a fraction of this)."""
    r, v = y0[:3], y0[3:6]
    rn, vn = np.linalg.norm(r), np.linalg.norm(v)
    return bool(vn * vn / 2 - gm_m3_s2 / rn >= 0 and r @ v > -0.01 * rn * vn)


def _events_for(
    origin: str,
    forces: ForceModel,
    entry_altitude_m,
    stop_at_entry: bool,
    switch_origin: bool,
    stop_at_periapsis: bool = False,
    stop_at_impact: bool = True,
    y0=None,
):
    """Event functions and their names for one origin. Terminal ones end the solve_ivp call."""
    evs, names = [], []
    if origin == "sun" and switch_origin:
        for name in SOI_M:
            if name in forces.bodies:

                def g(t, y, name=name):
                    d = y[:3] - forces.table.state(name, t)[0]
                    return np.sqrt(d @ d) - SOI_M[name]

                g.terminal, g.direction = True, -1
                evs.append(g)
                names.append(f"soi-entry:{name}")
    if origin in SOI_M and switch_origin:

        def g(t, y, R=SOI_M[origin]):
            return np.sqrt(y[:3] @ y[:3]) - R

        g.terminal, g.direction = True, 1
        evs.append(g)
        names.append(f"soi-exit:{origin}")
    if origin != "sun":
        cb = body(origin)
        if y0 is None or not _departing(y0, cb.gm_m3_s2):

            def peri(t, y):
                return y[:3] @ y[3:6]

            peri.terminal, peri.direction = bool(stop_at_periapsis), 1
            evs.append(peri)
            names.append(f"periapsis:{origin}")
        pole = cb.pole_icrf()

        def alt(t, y):
            r = y[:3]
            rn = np.sqrt(r @ r)
            return rn - cb.surface_radius_m(np.arcsin((r @ pole) / rn))

        alt.terminal, alt.direction = bool(stop_at_impact), -1
        evs.append(alt)
        names.append(f"impact:{origin}")
        if entry_altitude_m is not None:

            def ei(t, y, h=float(entry_altitude_m)):
                return alt(t, y) - h

            ei.terminal, ei.direction = bool(stop_at_entry), -1
            evs.append(ei)
            names.append("entry-interface")
    return evs, names


def _event_figures(name: str, t: float, y: np.ndarray, origin: str) -> dict:
    r, v = y[:3], y[3:6]
    out = {
        "origin": origin,
        "distance_m": float(np.linalg.norm(r)),
        "speed_m_s": float(np.linalg.norm(v)),
        "mass_kg": float(y[6]),
    }
    if origin != "sun":
        out["altitude_m"] = float(body(origin).altitude_m(r))
    if origin == "mars":  # body-fixed figures (latitude, longitude, relative flight-path angle) for Mars arrivals
        f = mars_relative_figures(t, r, v)
        out.update(
            altitude_m=f.altitude_m,
            latitude_deg=f.latitude_deg,
            longitude_deg=f.longitude_deg,
            fpa_inertial_deg=f.fpa_inertial_deg,
            speed_relative_m_s=f.speed_relative_m_s,
            fpa_relative_deg=f.fpa_relative_deg,
        )
    return out


@dataclass(frozen=True)
class _Settings:
    """The options of one :func:`propagate` call: events, stops and integrator tolerances."""

    switch_origin: bool
    entry_altitude_m: float | None
    stop_at_entry: bool
    stop_at_periapsis: bool
    stop_at_impact: bool
    rtol: float
    atol: float
    max_step_s: float


def _burns_in_span(burns, t0: float, t1: float, sgn: float) -> tuple[list, list]:
    """The impulsive and the finite burns inside the span, each in time order; refuses burns with a backward
    propagation, a finite burn that starts before ``t0`` and overlapping finite burns."""
    lo, hi = min(t0, t1), max(t0, t1)
    if sgn < 0 and burns:
        raise InputError("burns can only be propagated forwards in time; propagate backwards without burns.")
    imp = sorted((b for b in burns if isinstance(b, ImpulsiveBurn) and t0 <= b.tdb_s < t1), key=lambda b: b.tdb_s)
    fin = sorted(
        (b for b in burns if isinstance(b, FiniteBurn) and b.end_tdb_s > lo and b.start_tdb_s < hi),
        key=lambda b: b.start_tdb_s,
    )
    for b in fin:
        if b.start_tdb_s < t0 - 1e-6:
            raise InputError(
                f"burn {b.name!r} starts before the state's epoch; propagate from a state at or "
                "before the start of the burn."
            )
    for a, b in itertools.pairwise(fin):
        if b.start_tdb_s < a.end_tdb_s:
            raise InputError(f"burns {a.name!r} and {b.name!r} overlap in time; finite burns must not overlap.")
    return imp, fin


def _cut_epochs(t0: float, t1: float, sgn: float, imp: list, fin: list) -> list[float]:
    """Epochs where the integration restarts (impulses, finite-burn starts and ends, the end), in flight order."""
    lo, hi = min(t0, t1), max(t0, t1)
    cuts = {t1}
    for b in imp:
        cuts.add(float(b.tdb_s))
    for b in fin:
        cuts.update((max(b.start_tdb_s, lo), min(b.end_tdb_s, hi)))
    return sorted((c for c in cuts if sgn * (c - t0) > 0), key=lambda c: sgn * c)


@dataclass
class _Samples:
    """The integrator's steps, piece by piece, as Sun-centred ICRF samples."""

    ts: list = field(default_factory=list)
    rs: list = field(default_factory=list)
    vs: list = field(default_factory=list)
    ms: list = field(default_factory=list)

    def add(self, t_arr, y_arr, org: str, forces: ForceModel) -> None:
        """Append one solve_ivp solution's steps, shifted from origin ``org`` to the Sun."""
        r = y_arr[:3].T.copy()
        v = y_arr[3:6].T.copy()
        if org != "sun":
            for k, t in enumerate(t_arr):
                ro, vo = forces.origin_state(org, t)
                r[k] += ro
                v[k] += vo
        self.ts.append(t_arr)
        self.rs.append(r)
        self.vs.append(v)
        self.ms.append(y_arr[6].copy())

    def arrays(self, state: SpacecraftState, forces: ForceModel, t0: float) -> tuple[np.ndarray, ...]:
        """(epochs, r, v, mass) of all steps; the start state alone when nothing was integrated."""
        t_all = np.concatenate(self.ts) if self.ts else np.array([t0])
        if self.ts:
            return t_all, np.concatenate(self.rs), np.concatenate(self.vs), np.concatenate(self.ms)
        s_sun = state.with_origin("sun", forces)
        return t_all, s_sun.r_m[None], s_sun.v_m_s[None], np.array([state.mass_kg])


def _apply_impulses(st: SpacecraftState, imp: list, sgn: float) -> SpacecraftState:
    """Apply (and take off ``imp``) the impulsive burns due at the state's epoch; refuses one without propellant."""
    while imp and abs(imp[0].tdb_s - st.tdb_s) < 1e-6:
        b = imp.pop(0)
        m = st.mass_kg * np.exp(-sgn * b.dv_magnitude_m_s / (b.isp_s * _G0))
        if m < st.dry_mass_kg - 1e-9:
            raise InputError(
                f"burn {b.name!r} of {b.dv_magnitude_m_s:.1f} m/s needs more propellant than is left "
                f"({st.mass_kg - st.dry_mass_kg:.1f} kg); reduce it or carry more propellant."
            )
        st = replace(st, v_m_s=st.v_m_s + sgn * b.dv_m_s, mass_kg=m)
    return st


def _integrate(cur: SpacecraftState, t_cut: float, forces: ForceModel, burn: FiniteBurn | None, opt: _Settings):
    """One DOP853 solve from ``cur`` towards ``t_cut`` about cur's origin with its events: (sol, events, names)."""
    org = cur.origin
    y0 = np.concatenate((cur.r_m, cur.v_m_s, (cur.mass_kg,)))
    evs, names = _events_for(
        org,
        forces,
        opt.entry_altitude_m,
        opt.stop_at_entry,
        opt.switch_origin,
        opt.stop_at_periapsis,
        opt.stop_at_impact,
        y0,
    )
    sol = solve_ivp(
        _rhs_factory(forces, org, burn),
        (cur.tdb_s, t_cut),
        y0,
        method="DOP853",
        rtol=opt.rtol,
        atol=opt.atol,
        events=evs or None,
        dense_output=True,
        max_step=opt.max_step_s,
    )
    if sol.status < 0:
        raise InputError(f"the integrator failed: {sol.message}")
    return sol, evs, names


def _collect_events(sol, evs: list, names: list, cur: SpacecraftState, events: list) -> str | None:
    """Append the events ``sol`` met (not a non-terminal one at the start) to ``events``; returns the name of the
    terminal event that ended the solve, if one did."""
    terminal_name = None
    for name, g, te, ye in zip(names, evs, sol.t_events or [], sol.y_events or []):
        for t_e, y_e in zip(te, ye):
            if t_e == cur.tdb_s and not g.terminal:
                continue
            events.append(Event(name, float(t_e), _event_figures(name, t_e, y_e, cur.origin)))
            if g.terminal and sol.status == 1 and abs(t_e - sol.t[-1]) < 1e-6:
                terminal_name = name
    return terminal_name


def _after_terminal(cur: SpacecraftState, terminal_name: str, forces: ForceModel) -> tuple[SpacecraftState, bool]:
    """The state after a terminal event and whether the arc ends there (entry, impact, periapsis) or goes on
    about a new origin (sphere-of-influence crossings)."""
    if terminal_name == "entry-interface" or terminal_name.startswith(("impact:", "periapsis:")):
        return cur, True
    if terminal_name.startswith("soi-entry:"):
        return cur.with_origin(terminal_name.removeprefix("soi-entry:"), forces), False
    if terminal_name.startswith("soi-exit:"):
        return cur.with_origin("sun", forces), False
    return cur, False


def _fly_to(
    cur: SpacecraftState,
    t_cut: float,
    sgn: float,
    forces: ForceModel,
    burn: FiniteBurn | None,
    opt: _Settings,
    out: tuple[_Samples, list, list],
) -> tuple[SpacecraftState, bool]:
    """Integrate from ``cur`` to ``t_cut``, restarting at each origin switch, into ``out`` = (samples, events,
    pieces); returns the state reached and whether a stop event ended the arc."""
    samples, events, pieces = out
    done = False
    while not done and sgn * (t_cut - cur.tdb_s) > 1e-9:
        org = cur.origin
        sol, evs, names = _integrate(cur, t_cut, forces, burn, opt)
        samples.add(sol.t, sol.y, org, forces)
        pieces.append((sol.t[0], sol.t[-1], sol.sol, org))
        yend = sol.y[:, -1]
        terminal_name = _collect_events(sol, evs, names, cur, events)
        cur = SpacecraftState(float(sol.t[-1]), yend[:3], yend[3:6], float(yend[6]), org, cur.dry_mass_kg)
        if terminal_name is not None:
            cur, done = _after_terminal(cur, terminal_name, forces)
    return cur, done


def propagate(
    state: SpacecraftState,
    t_end_tdb_s: float,
    forces: ForceModel,
    burns=(),
    *,
    switch_origin: bool = True,
    entry_altitude_m: float | None = None,
    stop_at_entry: bool = False,
    stop_at_periapsis: bool = False,
    stop_at_impact: bool = True,
    rtol: float = 1e-11,
    atol: float = 1e-6,
    max_step_s: float = np.inf,
) -> Arc:
    """Propagate ``state`` to ``t_end_tdb_s`` (forwards or backwards) under ``forces`` with ``burns`` applied.

    Burns (:class:`ImpulsiveBurn`, :class:`FiniteBurn`) outside the time span are ignored. The arc stops early at
    impact on the origin body (unless ``stop_at_impact=False``), at the entry interface when ``stop_at_entry``,
    at periapsis when ``stop_at_periapsis``. Raises InputError when a finite burn needs more propellant than
    ``mass_kg - dry_mass_kg``, when burns overlap, or when burns are given for a backward propagation.
    """
    forces.check_origin(state.origin)
    t0, t1 = float(state.tdb_s), float(t_end_tdb_s)
    sgn = 1.0 if t1 >= t0 else -1.0
    imp, fin = _burns_in_span(burns, t0, t1, sgn)
    cuts = _cut_epochs(t0, t1, sgn, imp, fin)
    opt = _Settings(
        switch_origin, entry_altitude_m, stop_at_entry, stop_at_periapsis, stop_at_impact, rtol, atol, max_step_s
    )
    samples: _Samples = _Samples()
    events: list = []
    pieces: list = []
    cur = _apply_impulses(state, imp, sgn)
    for t_cut in cuts:
        active = next((b for b in fin if b.start_tdb_s <= cur.tdb_s + 1e-9 and b.end_tdb_s >= t_cut - 1e-9), None)
        if active is not None:
            active.check_propellant(cur.mass_kg, cur.dry_mass_kg)
        cur, done = _fly_to(cur, t_cut, sgn, forces, active, opt, (samples, events, pieces))
        if done:
            break
        cur = _apply_impulses(cur, imp, sgn)
    events.sort(key=lambda e: sgn * e.tdb_s)
    t_all, r_all, v_all, m_all = samples.arrays(state, forces, t0)
    return Arc(t_all, r_all, v_all, m_all, events, cur, pieces)
