"""The 6-DOF EDL step (one flight-software cycle), driven by a numpy reference loop (one run, with history) and
by a batched JAX kernel (``lax.while_loop`` over steps, arrays over runs) that runs unchanged on CPU and GPU.

Each step: radar and navigation at the start of the cycle, the scenario's phase table (the same compiled
:class:`areo.edl.flight_software.Sequence` and trigger engine as the 3-DOF kernel, :func:`transitions`: its
triggers read the 6-DOF navigation, its actions act on the 6-DOF state), the thrust of the engine mode
(:mod:`areo.edl.guidance`), then RK4 of :func:`bodies.deriv` with the step from :mod:`.stepcontrol`. The bodies
see a physical mode (:func:`physical_mode`: entry, under a canopy, radar on, lander burning full / throttled /
engines off) derived from the table's state, and the parameters of the parachute stage deployed last. The 3-axis IMU
raises a per-axis saturation flag while the axis is out of range and holds it ``flag_hold`` after; the
navigation integrates the saturation value meanwhile (:func:`bodies.gyro_used`).

Per-run status codes (``STATUS``): never a silent NaN; a state that stops being finite ends the run with
code 6.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from ...constants import OMEGA_MARS
from .. import atmosphere as atm_mod
from .. import dynamics as dyn
from .. import flight_software as fsw
from .. import guidance
from .._vec import norm
from ..navigation import Nav
from ..sensors import white_noises
from . import aerodb, lander
from . import bodies as B
from . import quat as Q
from . import stepcontrol as SC
from .bodies import CANOPY, ENTRY, ON_GROUND, POWERED, RADAR, SEP_BURN, STATE, Ctx

STATUS = {0: "running", 1: "landed", 2: "crashed", 4: "skip-out", 5: "step limit reached", 6: "non-finite state"}
LANDED, CRASHED, SKIP_OUT, STEP_LIMIT, NON_FINITE = 1, 2, 4, 5, 6
RELEASE = "release"  # every run records the release action (whatever the table calls its event) under this name
EVENT_FIELDS = ("t", "h", "v")
RESULT_FIELDS = (
    "status",
    "touchdown_speed",
    "peak_rate",
    "rate_above_range_s",
    "flag_up_s",
    "max_att_err",
    "min_h_est",
    "peak_tension",
    "steps",
)
T_MAX = 2000.0


@dataclass(frozen=True, eq=False)
class Model6:
    """Static part of a 6-DOF simulation (hashable by identity, so it can be a static jit argument)."""

    atmosphere: object
    nav_atmosphere: object
    capsule_table: dict = field(repr=False)
    parachute_table: dict = field(repr=False)
    pendulum: bool = False  # reduced model: inextensible riser
    omega: float = float(OMEGA_MARS)
    seq: fsw.Sequence | None = None  # the compiled phase table (None: a model for the bodies only)

    @property
    def sequence(self) -> fsw.Sequence:
        """The phase table (a model built for the bodies alone has none to fly)."""
        if self.seq is None:
            raise ValueError("this 6-DOF model has no phase table (Model6.seq); build it with load_6dof")
        return self.seq

    @property
    def events(self) -> tuple[str, ...]:
        """Every event a run records: the table's (built-ins included) and :data:`RELEASE`."""
        return (*(self.seq.events if self.seq is not None else ()), RELEASE)


def prepare(p, xp=np):
    """Parameter-only expressions: the inverse inertia tensor (``jxx`` ...); the defaults of optional parameters
    (``riser_cu``: ``riser_c``, a symmetric riser)."""
    p = dict(p)
    p.setdefault("riser_cu", p["riser_c"])
    a, b, c = p["ixx"], p["iyy"], p["izz"]
    d, e, f = p["ixy"], p["ixz"], p["iyz"]
    det = a * (b * c - f * f) - d * (d * c - f * e) + e * (d * f - b * e)
    p["jxx"], p["jyy"], p["jzz"] = (b * c - f * f) / det, (a * c - e * e) / det, (a * b - d * d) / det
    p["jxy"], p["jxz"], p["jyz"] = (e * f - d * c) / det, (d * f - b * e) / det, (d * e - a * f) / det
    return p


def initial_state(p, xp=np, seq=None):
    """State at the entry interface: the capsule's x axis at ``entry_alpha`` from the air-relative velocity
    (in the vertical plane), body rates ``entry_rate_y``; navigation initialised to the truth; with ``seq`` the
    flight software's state too (else :func:`step` adds it)."""
    (x, y, z), (vx, vy, vz) = dyn.state_from_entry(
        p["entry_alt"], p["entry_lat"], p["entry_lon"], p["entry_speed"], p["entry_fpa"], p["entry_azimuth"], xp
    )
    r, v = (x, y, z), (vx, vy, vz)
    u = tuple(c / norm(v, xp) for c in v)
    up = tuple(c / norm(r, xp) for c in r)
    q_v = Q.from_axes(u, up, xp)  # x along the velocity, z towards local up
    a = 0.5 * p["entry_alpha"]
    q = Q.mul(q_v, (xp.cos(a), 0.0 * a, xp.sin(a), 0.0 * a))  # pitch by alpha about body y
    z0 = 0.0 * x
    Y = (*r, *v, *q, z0, z0 + p["entry_rate_y"], z0, *r, *v, *r, *v, *q, z0 + p["m_entry"])
    S = {k: Y[i] for i, k in enumerate(STATE)}
    nan = z0 + np.nan
    S.update(
        t=z0,
        mode=z0 + ENTRY,
        locked=z0,
        status=z0,
        peak_g=z0 + p["peak_g0"],
        steps=z0,
        touchdown_speed=nan,
        peak_rate=z0,
        rate_above_range_s=z0,
        flag_first=z0 + 1e30,
        flag_last=z0 - 1e30,
        max_att_err=z0,
        min_h_est=z0 + 1e30,
        peak_tension=z0,
        h_est=z0 + p["entry_alt"],
        dt_prev=z0,  # step control: the last step, deploy-threshold distance, riser tension, dynamic pressure
        g_deploy=z0 + SC.INF,
        tension=z0,
        qd=z0,
        fn=z0,
        wdot=z0,
    )
    for i in range(3):
        S[f"flag_t{i}"] = z0
        S[f"sign{i}"] = z0 + 1.0
    return S if seq is None else with_sequence_state(S, seq)


def with_sequence_state(S, seq: fsw.Sequence):
    """``S`` with the flight software's state (:func:`areo.edl.flight_software.initial_state`: phase, stage,
    radar, release, engine mode, trigger memories) and the event fields (NaN) added where missing."""
    if "t_phase" in S:
        return S
    S = dict(S)
    z0 = 0.0 * S["t"]
    S.update(fsw.initial_state(seq, z0))
    for e in (*seq.events, RELEASE):
        for f in EVENT_FIELDS:
            S.setdefault(f"{e}_{f}", z0 + np.nan)
    return S


def _record(S, name, fire, t, h, v, xp):
    new = fire & xp.isnan(S[f"{name}_t"])
    for f, val in zip(EVENT_FIELDS, (t, h, v)):
        S[f"{name}_{f}"] = xp.where(new, val, S[f"{name}_{f}"])


def radar(p, Y, agl, xp):
    """Four beams canted by ``radar_cant`` around the body x axis: (valid, altitude estimated with the
    on-board attitude and position, velocity estimated with the on-board attitude)."""
    r, v, q, nr, nq = Y[0:3], Y[3:6], Y[6:10], Y[19:22], Y[25:29]
    C, nC = Q.dcm(q), Q.dcm(nq)
    rr, nrr = norm(r, xp), norm(nr, xp)
    nadir = tuple(-c / rr for c in r)
    n_nadir = tuple(-c / nrr for c in nr)
    cb, sb = xp.cos(p["radar_cant"]), xp.sin(p["radar_cant"])
    valid = agl > 0.0
    h_sum = 0.0 * agl
    for cp, sp in ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)):
        b_b = (cb + 0.0 * agl, sb * cp + 0.0 * agl, sb * sp + 0.0 * agl)
        cos_n = sum(x * y for x, y in zip(Q.mv(C, b_b), nadir))
        cos_e = sum(x * y for x, y in zip(Q.mv(nC, b_b), n_nadir))
        ok = cos_n > p["radar_cos_max_off"]
        rng = agl / xp.where(ok, cos_n, 1.0)
        valid = valid & ok & (rng <= p["radar_max_range"])
        h_sum = h_sum + rng * cos_e
    v_est = Q.mv(nC, Q.mtv(C, v))
    return valid & (p["radar_fail"] < 0.5), h_sum / 4.0, v_est


def radar_if_on(p, Y, agl, on, xp):
    """:func:`radar` where a run has its radar ``on``; in the JAX kernel, before any run has, no beams at all
    (a ``lax.cond``: not valid, zero estimates)."""
    if xp is np:
        return radar(p, Y, agl, xp)
    from ..._jax import jax

    z = 0.0 * agl
    return jax.lax.cond(xp.any(on), lambda: radar(p, Y, agl, xp), lambda: (z > 1.0, z, (z, z, z)))


def physical_mode(F, xp):
    """What the bodies fly (:data:`bodies.PHASE_NAMES`), from the flight software's state: the capsule without
    a canopy (ENTRY), under the canopy of the stage deployed last (CANOPY; RADAR once the front shield is off),
    the released lander with its engines at full thrust (SEP_BURN: along its held axis), throttled (POWERED:
    along the navigated vertical, or against the navigated velocity in a gravity turn; see :mod:`.lander`) or
    off (ON_GROUND)."""
    attached = xp.where(F["chute"] >= 0, xp.where(F["radar_on"] > 0.5, float(RADAR), float(CANOPY)), float(ENTRY))
    engine = F["engine"]
    lander = xp.where(
        engine == fsw.ENGINE_FULL, float(SEP_BURN), xp.where(engine == fsw.ENGINE_OFF, float(ON_GROUND), float(POWERED))
    )
    return xp.where(F["released"] > 0.5, lander, attached)


def transitions(S, p, seq: fsw.Sequence, Y, t, nav: Nav, active, record, xp):
    """The scenario's phase table over one cycle (:func:`areo.edl.flight_software.run_table`, the 3-DOF kernel's
    trigger engine) with the 6-DOF vehicle's actions: a parachute stage's deploy puts its canopy at line stretch
    (:func:`place_canopy`; a later stage replaces the earlier canopy), the front-shield jettison drops its mass
    (the radar starts), the release drops the back shell and the canopy (body rates zeroed: the lander then
    holds its attitude, or steers it under ``[edl.sixdof.lander]`` rate-limited control) and records :data:`RELEASE`. Returns (flight-software state, Y, time to the next time
    event, predicted step to the next threshold crossing)."""
    F = {k: S[k] for k in fsw.initial_state(seq, 0.0) if not k.startswith("fsw_")}
    F["Y"] = Y

    def enter(j, fire, F):
        Y = F["Y"]
        if seq.act_chute[j] >= 0:
            Y = place_canopy(Y, p, fire, xp)
        if seq.act_jettison[j]:
            Y = shed_mass(Y, p, fire, p["m_front_shield"], xp)
        if seq.act_release[j]:
            Y = shed_mass(Y, p, fire, p["m_backshell_chute"], xp)
            Y = Y[:10] + tuple(xp.where(fire, 0.0, Y[10 + i]) for i in range(3)) + Y[13:]  # the lander holds attitude
            record(RELEASE, fire)
        F["Y"] = Y

    def approach_alt(gap):  # altitude thresholds: each step covers APPROACH of the time left on the descent speed
        s_est = xp.maximum(-sum(nav.v[i] * nav.r[i] for i in range(3)) / nav.rr, 1e-3)
        return xp.where(gap > 0.0, SC.APPROACH * gap / s_est, SC.INF)

    t_event, pred = fsw.run_table(S, F, p, seq, nav, active, t, record, xp, enter, None, approach_alt)
    return F, F.pop("Y"), t_event, pred


def stage_params(p, seq: fsw.Sequence, chute, mach, model, xp):
    """``p`` with the canopy figures (``area_chute``, ``t_inflation``, ``chute_mass``, ``infl_exp``,
    ``cd_chute_scale``) of the stage deployed last (one stage: ``p`` itself). A stage with a constant drag
    coefficient scales the ``[edl.sixdof.parachute]`` drag table to it at the Mach number of the step's start."""
    if len(seq.stage_event) <= 1:
        return p
    q = dict(p)
    names = (("area_chute", "chute_area"), ("t_inflation", "chute_infl"), ("chute_mass", "chute_mass"))
    for key, name in (*names, ("infl_exp", "chute_exp")):
        q[key] = fsw.stage_value(seq, p, chute, name, xp, p[key])
    if not all(seq.stage_cd_table):
        cd = fsw.stage_value(seq, p, chute, "chute_cd", xp)
        table = aerodb.parachute_drag(mach, model.parachute_table, xp)
        q["cd_chute_scale"] = p["cd_chute_scale"] * xp.where(cd > 0.0, cd / xp.maximum(table, 1e-6), 1.0)
    return q


def place_canopy(Y, p, fire, xp):
    """At mortar fire the canopy is put at line stretch, ``riser_l0`` behind the attachment point along the
    capsule's velocity, leaving it at ``mortar_speed`` (relative)."""
    r, v, q = Y[0:3], Y[3:6], Y[6:10]
    C = Q.dcm(q)
    ra = Q.mv(C, (p["att_x"], 0.0 * p["att_x"], 0.0 * p["att_x"]))
    u = tuple(c / norm(v, xp) for c in v)
    rp = tuple(r[i] + ra[i] - p["riser_l0"] * u[i] for i in range(3))
    vp = tuple(v[i] - p["mortar_speed"] * u[i] for i in range(3))
    return Y[:13] + tuple(xp.where(fire, a, b) for a, b in zip(rp + vp, Y[13:19])) + Y[19:]


def shed_mass(Y, p, fire, dm, xp):
    """Drop ``dm`` from the capsule (the inertia tensor is kept: an approximation of the model)."""
    m = Y[29]
    return (*Y[:29], xp.where(fire, m - dm, m))


def thrust_command(p, seq: fsw.Sequence, engine, m, nav: Nav, xp):
    """Thrust (N) of the engine mode the table set (:func:`areo.edl.guidance.thrust_command`, the 3-DOF
    guidance, on the 6-DOF navigated state; local gravity from the navigated radius)."""
    thrust, _ = guidance.thrust_command(p, engine, m, nav, nav.rr, xp, seq.engine_modes)
    return thrust


def step_size(model, p, S, Y, mode, t, t_deploy, agl, t_event, pred, xp):
    """Step (s) of every run, from the physics (:mod:`.stepcontrol`), shortened to land on the next event and,
    for a released lander under rate-limited attitude control, to resolve its attitude loop
    (:func:`.lander.step_limit`)."""
    dt = SC.step_size(model, p, S, Y, mode, t, t_deploy, agl, t_event, pred, xp)
    return xp.minimum(dt, lander.step_limit(p, mode >= SEP_BURN, xp))


def att_error(q, nq, xp):
    """Angle (rad) between the true and the estimated attitude."""
    d = xp.abs(q[0] * nq[0] + q[1] * nq[1] + q[2] * nq[2] + q[3] * nq[3])
    d = d / xp.sqrt(sum(c * c for c in q) * sum(c * c for c in nq))
    return 2.0 * xp.arccos(xp.clip(d, 0.0, 1.0))


def _navigate(S, model, p, Y, agl, active, xp):
    """The navigated state the flight software reads (:class:`areo.edl.navigation.Nav`: Mach and dynamic
    pressure in the on-board atmosphere before the radar update, the radar-aided altitude) and Y with the radar
    update of position and velocity once the radar is on."""
    nr, nv = Y[19:22], Y[22:25]
    n_h = dyn.altitude(nr[0], nr[1], nr[2], xp) - p["nav_ground_elev"]
    temp, _, nrho = model.nav_atmosphere.evaluate(n_h + p["nav_ground_elev"], xp)
    nspeed = norm(nv, xp)
    nav_mach = nspeed / atm_mod.speed_of_sound(temp, xp)
    on = (S["radar_on"] > 0.5) & active
    valid, h_rad, v_rad = radar_if_on(p, Y, agl, on, xp)
    valid = valid & on
    h_est = xp.where(valid, h_rad, n_h)
    nrr = norm(nr, xp)
    scale = (dyn.ellipsoid_radius(nr[2] / nrr, xp) + p["nav_ground_elev"] + h_rad) / nrr
    nr = tuple(xp.where(valid, c * scale, c) for c in nr)
    nv = tuple(xp.where(valid, v_rad[i], nv[i]) for i in range(3))
    Y = Y[:19] + nr + nv + Y[25:]
    locked = xp.where(valid, 1.0, S["locked"])
    fire_lock = valid & (S["locked"] < 0.5)
    nav = Nav(nr, nv, norm(nr, xp), nav_mach, 0.5 * nrho * nspeed * nspeed, h_est, locked, fire_lock, 0.0 * h_est)
    return Y, nav, valid


def step(S, p, model: Model6, xp=np):
    """Advance every run by one cycle (runs whose status is not 0 stay frozen)."""
    seq = model.sequence
    S = with_sequence_state(dict(S), seq)
    t = S["t"]
    active = (S["status"] == 0) & (t < p["t_stop"] - 1e-9)
    Y = tuple(S[k] for k in STATE)
    r, v = Y[0:3], Y[3:6]
    agl = dyn.altitude(r[0], r[1], r[2], xp) - p["ground_elev"]
    speed = norm(v, xp)

    def record(name, fire):
        _record(S, name, fire, t, agl, speed, xp)

    record("entry", active & (S["steps"] == 0))
    Y, nav, valid = _navigate(S, model, p, Y, agl, active, xp)
    record("radar_lock", valid)
    F, Y, t_event, pred = transitions(S, p, seq, Y, t, nav, active, record, xp)
    mode, t_deploy = physical_mode(F, xp), F["t_deploy"]
    thrust = thrust_command(p, seq, F["engine"], Y[29], nav, xp)
    if len(seq.stage_event) > 1:
        atmosphere: Any = model.atmosphere
        temp, _, _ = atmosphere.evaluate(agl + p["ground_elev"], xp)
        p = stage_params(p, seq, F["chute"], speed / atm_mod.speed_of_sound(temp, xp), model, xp)
    dt = step_size(model, p, S, Y, mode, t, t_deploy, agl, t_event, pred, xp)
    flag = tuple(S[f"flag_t{i}"] > 0.0 for i in range(3))
    sign = tuple(S[f"sign{i}"] for i in range(3))
    steer = xp.where(F["engine"] == guidance.ENGINE_GT, 1.0, 0.0)
    c = Ctx(mode, t_deploy, thrust, flag, sign, B.riser_settled(model, p, Y[29], t, t_deploy, mode, xp), steer)
    Y1, sat, T, fn, qd = integrate(model, p, c, Y, t, dt, xp)
    Y1 = Y1[:6] + Q.normalize(Y1[6:10], xp) + Y1[10:25] + Q.normalize(Y1[25:29], xp) + Y1[29:]
    Y1 = _noise(Y1, p, S["steps"], dt, xp, active)
    t1 = t + dt
    _update_flags(S, p, Y1, sat, dt, t, active, xp)
    _update_stats(S, Y1, mode, nav.h, fn, T, active, xp)
    _finish_step(S, p, Y1, t1, active, xp)
    for i, k in enumerate(STATE):
        S[k] = xp.where(active, Y1[i], S[k])
    for k, val in F.items():
        S[k] = xp.where(active, val, S[k])
    S.update(
        t=xp.where(active, t1, t),
        mode=xp.where(active, mode, S["mode"]),
        locked=xp.where(active, nav.locked, S["locked"]),
        h_est=xp.where(active, nav.h, S["h_est"]),
        steps=S["steps"] + active,
        dt_prev=xp.where(active, dt, S["dt_prev"]),
        tension=xp.where(active, T, S["tension"]),
        qd=xp.where(active, qd, S["qd"]),
        fn=xp.where(active, fn, S["fn"]),
        wdot=xp.where(active, _wdot(Y, Y1, dt, xp), S["wdot"]),
    )
    return S


def _wdot(Y, Y1, dt, xp):
    """Largest per-axis angular acceleration over the step (for the gyro-range step guard)."""
    return sum(xp.abs(Y1[10 + i] - Y[10 + i]) for i in range(3)) / xp.maximum(dt, 1e-12)


def integrate(model, p, c: Ctx, Y, t, dt, xp):
    """:func:`rk4` of :func:`bodies.deriv` over the step, with the cheapest variant (:data:`bodies.PARTS`) that is
    exact for every run, chosen once per step for the whole batch (a ``lax.switch`` in the JAX kernel): no
    parachute and riser unless a run is under a canopy, no lander unless a run has released or thrusts."""

    def branch(k):
        chute, lander_on = B.PARTS[k]
        return lambda: rk4(partial(B.deriv, model, p, xp, c, chute=chute, lander_on=lander_on), Y, t, dt, xp)

    if xp is np:
        return branch(int(B.parts_index(c.phase, c.thrust, np)))()
    from ..._jax import jax

    return jax.lax.switch(B.parts_index(c.phase, c.thrust, xp), [branch(k) for k in range(len(B.PARTS))])


_A = (0.0, 0.5, 0.5, 1.0)
_W = (1.0 / 6.0, 2.0 / 6.0, 2.0 / 6.0, 1.0 / 6.0)


def rk4(f, Y, t, dt, xp):
    """Classical RK4 of ``f(Y, t) -> (dY, (specific force, tension, saturation, ...))``; returns (Y1, per-axis
    saturation at any stage, largest tension, largest specific force, largest dynamic pressure). With JAX the four stages are one
    ``fori_loop`` (the derivative is traced once, which keeps compile time down)."""
    n = len(Y)
    if xp is np:
        acc, k, sat, T, fn, qd = Y, tuple(0.0 * y for y in Y), (False,) * 3, 0.0, 0.0, 0.0
        for a, w in zip(_A, _W):
            k, ex = f(tuple(Y[i] + a * dt * k[i] for i in range(n)), t + a * dt)
            acc = tuple(acc[i] + w * dt * k[i] for i in range(n))
            sat, T, fn = tuple(sat[i] | ex[2][i] for i in range(3)), np.maximum(T, ex[1]), np.maximum(fn, ex[0])
            qd = np.maximum(qd, ex[3])
        return acc, sat, T, fn, qd
    from ..._jax import jax, jnp

    a_tab, w_tab = jnp.asarray(_A), jnp.asarray(_W)

    def stage(j, c):
        acc, k, sat, T, fn, qd = c
        k, ex = f(tuple(Y[i] + a_tab[j] * dt * k[i] for i in range(n)), t + a_tab[j] * dt)
        acc = tuple(acc[i] + w_tab[j] * dt * k[i] for i in range(n))
        sat = tuple(sat[i] | ex[2][i] for i in range(3))
        return acc, k, sat, jnp.maximum(T, ex[1]), jnp.maximum(fn, ex[0]), jnp.maximum(qd, ex[3])

    z = 0.0 * Y[0]
    init = (Y, tuple(0.0 * y for y in Y), (z > 1.0,) * 3, z, z, z)
    acc, _, sat, T, fn, qd = jax.lax.fori_loop(0, 4, stage, init)
    return acc, sat, T, fn, qd


def _noise(Y1, p, steps, dt, xp, active=None):
    """Angle random walk on the on-board attitude, velocity random walk on the on-board velocity (none where
    ``active`` is false: a finished run keeps its state)."""
    n1, n2, n3, n4, n5, n6 = white_noises(p["noise_key"], steps, (11, 12, 13), xp, active)
    sq = xp.sqrt(dt)
    da = tuple(0.5 * p["gyro_arw"] * sq * n for n in (n1, n2, n3))
    nq = Q.normalize(Q.mul(Y1[25:29], (1.0 + 0.0 * n1, *da)), xp)
    nv = tuple(Y1[22 + i] + p["acc_vrw"] * sq * n for i, n in enumerate((n4, n5, n6)))
    return Y1[:22] + nv + nq + Y1[29:]


def _update_flags(S, p, Y1, sat, dt, t, active, xp):
    any_sat = active & (sat[0] | sat[1] | sat[2])
    for i in range(3):
        raw = Y1[10 + i] * (1.0 + p[f"gyro_sf_{i}"]) + p[f"gyro_bias_{i}"]
        S[f"flag_t{i}"] = xp.where(sat[i], p["flag_hold"], xp.maximum(S[f"flag_t{i}"] - dt, 0.0))
        S[f"sign{i}"] = xp.where(sat[i], xp.where(raw != 0, xp.sign(raw), S[f"sign{i}"]), S[f"sign{i}"])
    up = (S["flag_t0"] > 0) | (S["flag_t1"] > 0) | (S["flag_t2"] > 0)
    S["flag_first"] = xp.where(any_sat, xp.minimum(S["flag_first"], t), S["flag_first"])
    S["flag_last"] = xp.where(active & up, xp.maximum(S["flag_last"], t + dt), S["flag_last"])
    S["rate_above_range_s"] = S["rate_above_range_s"] + xp.where(any_sat, dt, 0.0)
    _record(S, "imu_saturation", any_sat, t, 0.0 * t, 0.0 * t, xp)


def _update_stats(S, Y1, phase, h_est, fn, T, active, xp):
    g0 = 9.80665
    S["peak_g"] = xp.maximum(S["peak_g"], xp.where(active, fn / g0, 0.0))
    w = Y1[10:13]
    S["peak_rate"] = xp.maximum(S["peak_rate"], xp.where(active, norm(w, xp), 0.0))
    err = att_error(Y1[6:10], Y1[25:29], xp)
    S["max_att_err"] = xp.maximum(S["max_att_err"], xp.where(active & (phase <= RADAR), err, 0.0))
    S["min_h_est"] = xp.where(active & (phase == RADAR), xp.minimum(S["min_h_est"], h_est), S["min_h_est"])
    S["peak_tension"] = xp.maximum(S["peak_tension"], xp.where(active, T, 0.0))


def _finish_step(S, p, Y1, t1, active, xp):
    x, y, z = Y1[0:3]
    agl1 = dyn.altitude(x, y, z, xp) - p["ground_elev"]
    speed1 = norm(Y1[3:6], xp)
    down = active & (agl1 <= 0.0)
    finite = xp.isfinite(sum(Y1[i] for i in range(len(Y1))))
    skip = active & (agl1 > p["entry_alt"] + 20_000.0)
    late = active & (t1 > T_MAX)
    status = xp.where(down, xp.where(speed1 <= p["crush_limit"], LANDED, CRASHED), S["status"])
    status = xp.where(skip | late, SKIP_OUT, status)
    status = xp.where(active & ~finite, NON_FINITE, status)
    _record(S, "touchdown", down, t1, agl1, speed1, xp)
    S["touchdown_speed"] = xp.where(down, speed1, S["touchdown_speed"])
    S["status"] = status


def event_names(S) -> list[str]:
    """The events a state (or a result) records: every ``NAME_t`` with its ``NAME_h`` and ``NAME_v``."""
    return [k[:-2] for k in S if k.endswith("_t") and f"{k[:-2]}_h" in S and f"{k[:-2]}_v" in S]


def finish(S, p, xp=np):
    """Per-run results (SI, rad): :data:`RESULT_FIELDS` and every event's time, altitude and speed."""
    out = {k: S[k] for k in RESULT_FIELDS if k not in ("status", "flag_up_s")}
    out["status"] = xp.where(S["status"] == 0, STEP_LIMIT, S["status"])
    out["flag_up_s"] = xp.maximum(S["flag_last"] - S["flag_first"], 0.0)
    for e in event_names(S):
        for f in EVENT_FIELDS:
            out[f"{e}_{f}"] = S[f"{e}_{f}"]
    return out


HISTORY = (
    "t",
    "altitude_m",
    "altitude_est_m",
    "speed_m_s",
    "phase",
    "rate_x",
    "rate_y",
    "rate_z",
    "att_err",
    "tension",
)


def _arrays(p, xp):
    return {k: xp.atleast_1d(xp.asarray(v, dtype=float)) for k, v in p.items()}


def simulate_reference(p: dict, model: Model6, max_steps: int = 200_000, history: bool = True, S=None):
    """numpy reference: one run (``p`` maps names to floats), Python loop, optional history; ``p['t_stop']``
    ends the loop early (for comparisons over a window) and ``S`` starts from a given state.

    Returns ``(result, history, final state)``."""
    pa = prepare(_arrays(p, np), np)
    S = initial_state(pa, np) if S is None else {k: np.array(v, dtype=float) for k, v in S.items()}
    S = with_sequence_state(S, model.sequence)
    hist: dict[str, list] = {k: [] for k in HISTORY}
    for _ in range(max_steps):
        if S["status"][0] != 0 or S["t"][0] >= pa["t_stop"][0] - 1e-9:
            break
        S = step(S, pa, model, np)
        if history:
            Y = tuple(S[k] for k in STATE)
            agl = dyn.altitude(S["x"], S["y"], S["z"], np) - pa["ground_elev"]
            vals = (S["t"], agl, S["h_est"], norm(Y[3:6], np), S["phase"], *Y[10:13],
                    att_error(Y[6:10], Y[25:29], np), S["peak_tension"])  # fmt: skip
            for k, val in zip(HISTORY, vals):
                hist[k].append(float(val[0]))
    res = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in finish(S, pa, np).items()}
    return res, {k: np.asarray(v) for k, v in hist.items()}, S


def make_batch_kernel(model: Model6, max_steps: int = 200_000, state: bool = False):
    """A jitted JAX function ``params (dict of (N,) arrays) -> results (dict of (N,) arrays)``: every run goes
    through :func:`step` inside one ``lax.while_loop`` until all have a status (or ``max_steps``) or reached
    their ``t_stop``. With ``state`` it is ``(params, S0) -> final state`` instead (windows compared
    with the numpy reference)."""
    from ..._jax import jax, jnp

    def loop(p, S):
        S = with_sequence_state(S, model.sequence)

        def cond(c):
            i, S = c
            return (i < max_steps) & jnp.any((S["status"] == 0) & (S["t"] < p["t_stop"] - 1e-9))

        def body(c):
            i, S = c
            return i + 1, step(S, p, model, jnp)

        return jax.lax.while_loop(cond, body, (0, S))[1]

    if state:
        return jax.jit(lambda p, S: loop(prepare(p, jnp), S))

    def run(p):
        p = prepare(p, jnp)
        S = initial_state(p, jnp, model.sequence)

        def cond(c):
            i, S = c
            return (i < max_steps) & jnp.any((S["status"] == 0) & (S["t"] < p["t_stop"] - 1e-9))

        def body(c):
            i, S = c
            return i + 1, step(S, p, model, jnp)

        _, S = jax.lax.while_loop(cond, body, (0, S))
        return finish(S, p, jnp)

    return jax.jit(run)
