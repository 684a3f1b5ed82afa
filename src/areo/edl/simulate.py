"""EDL simulation: one step function, driven by a numpy reference loop (one run, with history) and by a
batched JAX kernel (``lax.while_loop`` over steps, arrays over runs) that runs unchanged on CPU and GPU.

Each step is one flight-software cycle: sensors and navigation are read at the start of the step, the phase
table of the scenario fires its transitions (:mod:`.flight_software`; events are time-stamped there), then the
physics (RK4 for translation, mass and inertial navigation; exact solution for the capsule's pitch oscillation)
advances by a step size chosen by the vehicle's configuration and shortened to land on the next event: time
events exactly, threshold crossings (the table's triggers, radar lock, touchdown) by predicting them, so
events are located precisely (time events exactly, crossings to ~1e-6 of their threshold) while steps stay at
2-8 s in quiet phases (8 s above 60 km, 4 s under the parachute, 0.5 s in powered descent, 0.02 s while the
gyro saturates).

Per-run outputs (``RESULT_FIELDS``): status code (``STATUS``), event times and conditions of every event of
the model (``Model.events``: the built-ins and the table's user-named ones; NaN = the event did not happen), touchdown speed, landing latitude/longitude, peak deceleration (g), peak Sutton-Graves
heat rate, largest true pitch rate and attitude error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from ..constants import G0
from . import aero, attitude, entry_guidance, flight_software, gnc, guidance, navigation, stepcontrol
from . import atmosphere as atm_mod
from . import dynamics as dyn
from ._fuse import keep as _keep
from ._vec import cross, norm, unit
from .flight_software import Sequence
from .schema import KERNEL_DEFAULTS
from .stepcontrol import INF

STATUS = {
    0: "running",
    1: "landed",
    2: "crashed",
    3: "crashed without parachute",
    4: "skip-out",
    5: "step limit reached",
}
LANDED, CRASHED, NO_CHUTE, SKIP_OUT, STEP_LIMIT = 1, 2, 3, 4, 5
# events every run records; the phase table adds its own (``Model.sequence.events`` lists them all)
BUILTIN_EVENTS = ("entry", "imu_saturation", "radar_lock", "touchdown")
EVENT_FIELDS = ("t", "h", "v", "mach")
RESULT_FIELDS = (
    "status",
    "touchdown_speed",
    "touchdown_vertical_speed",
    "landing_lat",
    "landing_lon",
    "peak_g",
    "peak_heat",
    "max_rate",
    "max_att_err",
    "final_mass",
    "steps",
)

T_MAX = 2000.0


@dataclass(frozen=True, eq=False)
class Model:
    """Static part of a simulation, compiled into the kernels: the true atmosphere and the one the navigation
    believes, the compiled flight-software phase table (:func:`areo.edl.flight_software.compile_sequence`), the
    wind profile (if any; else the true atmosphere's own winds), the capsule's aerodynamic tables and the bank-angle
    law."""

    atmosphere: atm_mod.MarsAtmosphere
    nav_atmosphere: atm_mod.MarsAtmosphere
    has_wind: bool = False
    has_lift: bool = False  # the capsule has a trim lift (L/D > 0): the kernel is compiled with the lift terms
    sequence: Sequence | None = None
    capsule: aero.CapsuleAero = aero.DEFAULT_CAPSULE
    bank: aero.BankLaw = aero.CONSTANT_BANK
    wind: atm_mod.WindProfile | None = None

    @property
    def events(self) -> tuple[str, ...]:
        """Every event a run of this model records (result fields ``{event}_t``, ``_h``, ``_v``, ``_mach``)."""
        return self.seq.events

    @property
    def seq(self) -> Sequence:
        if self.sequence is None:
            from ..errors import InputError

            raise InputError("this EDL model has no flight-software phase table; build it with EDLScenario.model()")
        return self.sequence


DEFAULTS = KERNEL_DEFAULTS  # every kernel parameter not given takes its default from the schema


def with_lift_if_needed(model: Model, lift_to_drag) -> Model:
    """``model`` compiled with the lift terms when any run has a lift-to-drag ratio (a model without them
    would ignore it)."""
    if model.has_lift or not (model.capsule.has_lift or np.any(np.asarray(lift_to_drag) != 0.0)):
        return model
    return replace(model, has_lift=True)


def prepare(p, xp=np):
    """``p`` with the parameter-only expressions the step needs precomputed once per run (the batched kernel
    calls this before its loop; :func:`step` calls it itself when given raw parameters)."""
    p = dict(p)
    p["radar_cos_cant"], p["radar_sin_cant"] = xp.cos(p["radar_cant"]), xp.sin(p["radar_cant"])
    p["sin_misalign"] = xp.sin(p["chute_misalign"])
    p["osc_wd"] = p["osc_omega_n"] * xp.sqrt(1.0 - p["osc_zeta"] * p["osc_zeta"])
    p["cos_bank"], p["sin_bank"] = xp.cos(p["bank"]), xp.sin(p["bank"])
    return p


def _true_air(model, p, x, y, z, vx, vy, vz, xp):
    """True atmosphere at a state: (altitude, rho, speed of sound, air-relative velocity)."""
    h = dyn.altitude(x, y, z, xp)
    temp, _, rho = model.atmosphere.evaluate(h, xp)
    rho = rho * atm_mod.density_factor(
        h, p["rho_scale"], (p["pert_a0"], p["pert_a1"], p["pert_a2"]), (p["pert_p0"], p["pert_p1"], p["pert_p2"]), xp
    )
    if model.has_wind:
        we, wn = (model.wind or model.atmosphere).wind(h, xp)
        we, wn = we * p["wind_scale"], wn * p["wind_scale"]
        lat, lon = dyn.lat_lon(x, y, z, xp)
        sl, cl, so, co = xp.sin(lat), xp.cos(lat), xp.sin(lon), xp.cos(lon)
        wx = -so * we - sl * co * wn
        wy = co * we - sl * so * wn
        wz = cl * wn
        va = (vx - wx, vy - wy, vz - wz)
    else:
        va = (vx, vy, vz)
    return h, rho, atm_mod.speed_of_sound(temp, xp), va


class Config(NamedTuple):
    """The vehicle's configuration over a step (from the flight software's state)."""

    capsule: Any  # back shell still on: capsule aerodynamics (else the lander's)
    lift: Any  # before the first mortar fire: the capsule's trim lift acts
    chute_on: Any  # a parachute stage is deployed (and not released)
    t_deploy: Any  # its mortar fire time
    chute_area: Any  # its nominal area (m^2)
    chute_cd: Any  # its constant drag coefficient (0: the DGB table vs Mach)
    t_inflation: Any  # its inflation time (s)


def _config(seq: Sequence, p, F, xp) -> Config:
    """The vehicle's configuration over the step from the flight software's state ``F``."""
    capsule = F["released"] < 0.5
    chute_on = (F["chute"] >= 0) & capsule
    return Config(
        capsule,
        (F["chute"] < 0) & capsule,
        chute_on,
        F["t_deploy"],
        flight_software.stage_value(seq, p, F["chute"], "chute_area", xp),
        flight_software.stage_value(seq, p, F["chute"], "chute_cd", xp),
        flight_software.stage_value(seq, p, F["chute"], "chute_infl", xp, 1.0),
    )


def _specific_force(model, p, xp, cfg, thrust, tdir, bank_cs, r, v, m, tt):
    """True non-gravitational acceleration (m/s^2: capsule or lander drag, parachute drag, thrust, the capsule's
    trim lift banked about the airflow until mortar fire) and (rho, air speed, Mach) at a state."""
    x, y, z = r
    _h, rho, a_snd, va = _true_air(model, p, x, y, z, v[0], v[1], v[2], xp)
    V = norm(va, xp)
    mach = V / a_snd
    cd_cap = model.capsule.cd(mach, xp) * p["cd_capsule_scale"]
    cda = xp.where(cfg.capsule, cd_cap * p["area_capsule"], p["cd_lander"] * p["area_lander"])
    infl = xp.clip((tt - cfg.t_deploy) / cfg.t_inflation, 0.0, 1.0)
    frac = xp.where(cfg.chute_on, infl * infl, 0.0) * (1.0 - p["chute_fail"])
    cd_chute = flight_software.stage_cd(model.seq, cfg.chute_cd, mach, xp)
    cda = cda + cd_chute * p["cd_chute_scale"] * cfg.chute_area * frac
    kd = -0.5 * rho * V * cda / m
    # trim lift of the capsule until mortar fire: |L| = L/D |D_capsule|, banked about the airflow
    f = tuple(kd * va[i] + thrust / m * tdir[i] for i in range(3))
    if model.has_lift:
        ld_ratio = model.capsule.ld(mach, p, xp)
        kl = xp.where(cfg.lift, 0.5 * rho * V * V * cd_cap * p["area_capsule"] * ld_ratio / m, 0.0)
        cb, sb = aero.bank_cos_sin(model.bank, p, tt, V, bank_cs, xp)
        ld = aero.lift_direction(va, (x, y, z), cb, sb, xp)
        f = tuple(f[i] + kl * ld[i] for i in range(3))
    return f, rho, V, mach


def _measured_force(f, p, pax, err_cs, xp):
    """(specific force the accelerometers measure, rotated into the navigation frame by the attitude error
    (``err_cs``: its cos, sin), |f|)."""
    fn = norm(f, xp)
    fu = unit(f, xp)
    fm = tuple(f[i] * (1.0 + p["acc_sf"]) + p["acc_bias"] * fu[i] * (fn > 0) for i in range(3))
    return gnc.rotate(fm, pax, None, xp, err_cs), fn


def _deriv(model, p, xp, cfg, thrust, tdir, err_cs, pax, bank_cs, Y, tt):
    """Time derivative of (true position, velocity, mass, navigated position, velocity) and (|f|, rho, V, Mach)."""
    x, y, z, vx, vy, vz, m, nx, ny, nz, nvx, nvy, nvz = Y
    f, rho, V, mach = _specific_force(model, p, xp, cfg, thrust, tdir, bank_cs, (x, y, z), (vx, vy, vz), m, tt)
    gx, gy, gz = dyn.gravity(x, y, z, xp)
    cx, cy = dyn.apparent(x, y, vx, vy, xp)
    # inertial navigation: measured specific force, rotated by the attitude error
    fr, fn = _measured_force(f, p, pax, err_cs, xp)
    ngx, ngy, ngz = dyn.gravity(nx, ny, nz, xp)
    ncx, ncy = dyn.apparent(nx, ny, nvx, nvy, xp)
    mdot = -thrust / (p["isp"] * float(G0))
    dY = (
        vx,
        vy,
        vz,
        gx + cx + f[0],
        gy + cy + f[1],
        gz + f[2],
        mdot,
        nvx,
        nvy,
        nvz,
        ngx + ncx + fr[0],
        ngy + ncy + fr[1],
        ngz + fr[2],
    )
    return dY, (fn, rho, V, mach)


def _rk4(f, Y, t, dt):
    """One classical Runge-Kutta step of ``f(Y, t) -> (dY/dt, extra)``: (Y at t + dt, extra at t)."""
    n = len(Y)
    k1, ex = f(Y, t)
    k2, _ = f(tuple(Y[i] + 0.5 * dt * k1[i] for i in range(n)), t + 0.5 * dt)
    k3, _ = f(tuple(Y[i] + 0.5 * dt * k2[i] for i in range(n)), t + 0.5 * dt)
    k4, _ = f(tuple(Y[i] + dt * k3[i] for i in range(n)), t + dt)
    return tuple(Y[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) for i in range(n)), ex


def initial_state(p, xp=np):
    """State at the entry interface for parameter arrays ``p`` (dict of equal-shape arrays)."""
    (x, y, z), (vx, vy, vz) = dyn.state_from_entry(
        p["entry_alt"], p["entry_lat"], p["entry_lon"], p["entry_speed"], p["entry_fpa"], p["entry_azimuth"], xp
    )
    z0 = 0.0 * x
    nan = z0 + np.nan
    S = {
        "t": z0,
        "x": x,
        "y": y,
        "z": z,
        "vx": vx,
        "vy": vy,
        "vz": vz,
        "m": z0 + p["m_entry"],
        "nx": x,
        "ny": y,
        "nz": z,
        "nvx": vx,
        "nvy": vy,
        "nvz": vz,
        "th": z0,
        "om": z0,
        "the": z0,
        "flag_t": z0,
        "sat_sign": z0 + 1.0,
        "bank": z0 + p["bank"],
        "bank_sign": xp.where(p["bank"] < 0.0, -1.0, 1.0) + z0,
        "locked": z0,
        "px": z0,
        "py": z0,
        "pz": z0 + 1.0,
        "err_hold": z0,
        "status": z0,
        "peak_g": z0,
        "peak_heat": z0,
        "max_rate": z0,
        "max_att_err": z0,
        "g_lock": z0 + INF,
        "dt_prev": z0,
        "steps": z0,
        "touchdown_speed": nan,
        "touchdown_vertical_speed": nan,
        "landing_lat": nan,
        "landing_lon": nan,
        "final_mass": nan,
    }
    for e in BUILTIN_EVENTS:
        for f in EVENT_FIELDS:
            S[f"{e}_{f}"] = nan
    return S


def _with_sequence_state(S, seq: Sequence, xp):
    """``S`` with the flight software's state and the table's event fields added where missing."""
    if "t_phase" in S:
        return S
    S = dict(S)
    z0 = 0.0 * S["t"]
    S.update(flight_software.initial_state(seq, z0))
    for e in seq.events:
        for f in EVENT_FIELDS:
            S.setdefault(f"{e}_{f}", z0 + np.nan)
    return S


class Truth(NamedTuple):
    """True geometry and air at the start of a cycle."""

    r: tuple  # position (m)
    v: tuple  # velocity (m/s)
    rr: Any  # |r| (m)
    nadir: tuple  # unit vector to the planet's centre
    agl: Any  # altitude above the site (m)
    rho: Any  # density (kg/m^3)
    air: tuple  # air-relative velocity (m/s)
    V: Any  # air speed (m/s)
    speed: Any  # inertial speed (m/s)
    mach: Any


def _truth(S, p, model: Model, xp) -> Truth:
    """True geometry and air of every run at the start of the cycle."""
    x, y, z, vx, vy, vz = S["x"], S["y"], S["z"], S["vx"], S["vy"], S["vz"]
    r = (x, y, z)
    v = (vx, vy, vz)
    rr = norm(r, xp)
    D = (-x / rr, -y / rr, -z / rr)
    h = dyn.altitude(x, y, z, xp)
    agl = h - p["ground_elev"]
    _, rho, a_snd, va = _true_air(model, p, x, y, z, vx, vy, vz, xp)
    V = norm(va, xp)
    speed = norm(v, xp)
    mach = V / a_snd
    return Truth(r, v, rr, D, agl, rho, va, V, speed, mach)


def _pitch_frame(S, tr: Truth, xp):
    """(pitch axis, unit airflow, attitude reference): the capsule hangs along the airflow (pitch plane through
    the airflow and nadir, east if they align) until the lander holds its attitude (frozen plane, from nadir)."""
    x, y, _ = tr.r
    pf = cross(tr.air, tr.nadir)
    pn = norm(pf, xp)
    ok = pn > 1e-3 * tr.V + 1e-12
    east = (-y / tr.rr, x / tr.rr, 0.0 * x)
    pf = tuple(xp.where(ok, pf[i], east[i]) for i in range(3))
    pf = unit(pf, xp)
    released = S["hold"] > 0.5  # the lander holds its attitude: frozen pitch plane, attitude from nadir
    pax = tuple(xp.where(released, S[k], pf[i]) for i, k in enumerate(("px", "py", "pz")))
    u = unit(tr.air, xp)
    ref = tuple(xp.where(released, tr.nadir[i], u[i]) for i in range(3))
    return pax, u, ref


def _bank_command(S, p, model: Model, cfg: Config, tr: Truth, nav, xp):
    """(bank angle, sign of its reversal) over the step: the entry guidance's command under drag tracking (on the
    accelerometers' drag and the navigated state), else the carried ones."""
    bank, bank_sign = S["bank"], S["bank_sign"]
    if model.has_lift and model.bank.mode == "drag_tracking":
        cd_cap = model.capsule.cd(tr.mach, xp) * p["cd_capsule_scale"]
        drag = 0.5 * tr.rho * tr.V * tr.V * cd_cap * p["area_capsule"] / S["m"] * (1.0 + p["acc_sf"])
        ld_ratio = model.capsule.ld(tr.mach, p, xp, dispersed=False)
        bank, bank_sign = entry_guidance.command(S, p, model.bank, cfg.lift, drag, ld_ratio, nav.r, nav.v, xp)
    return bank, bank_sign


def _translate(model: Model, p, xp, cfg: Config, F, pax, thrust, tdir, bank, tr: Truth, nav, t, dt):
    """RK4 of the truth's translation and mass and of the inertial navigation over the step: (the 13 states at
    its end, (|f|, rho, V, Mach) at its start)."""
    x, y, z = tr.r
    vx, vy, vz = tr.v
    nr, nv = nav.r, nav.v
    err = F["the"] - F["th"]
    Y = (x, y, z, vx, vy, vz, F["m"], nr[0], nr[1], nr[2], nv[0], nv[1], nv[2])
    bank_cs = (xp.cos(bank), xp.sin(bank)) if model.bank.mode == "drag_tracking" else None
    f = partial(_deriv, model, p, xp, cfg, thrust, tdir, _keep(xp, xp.cos(err), xp.sin(err)), pax, bank_cs)
    return _rk4(f, Y, t, dt)


def _event_values(S, name, fire, t, h, v, mach, xp):
    """The fields of event ``name`` (time, altitude, speed, Mach) with those of runs where it fires for the first
    time."""
    new = fire & xp.isnan(S[f"{name}_t"])
    return {f"{name}_{f}": xp.where(new, val, S[f"{name}_{f}"]) for f, val in zip(EVENT_FIELDS, (t, h, v, mach))}


def _record(S, name, fire, t, h, v, mach, xp):
    """Record event ``name`` in ``S`` (in place) for the runs where it fires for the first time."""
    S.update(_event_values(S, name, fire, t, h, v, mach, xp))


def _ground_contact(S, p, F, active, t1, Y1, xp):
    """(status, touchdown records) after the step: landed (below the crush limit), crashed (with or without a
    parachute), skip-out (climbing 20 km above the entry altitude, or past ``T_MAX``)."""
    x1, y1, z1 = Y1[0], Y1[1], Y1[2]
    h1 = dyn.altitude(x1, y1, z1, xp)
    agl1 = h1 - p["ground_elev"]
    r1 = norm((x1, y1, z1), xp)
    speed1 = norm((Y1[3], Y1[4], Y1[5]), xp)
    vert1 = -(x1 * Y1[3] + y1 * Y1[4] + z1 * Y1[5]) / r1
    down = active & (agl1 <= 1e-3)
    skip = active & (agl1 > p["entry_alt"] + 20_000.0) & (vert1 < 0)
    late = active & (t1 > T_MAX)
    no_chute = F["chute_ok"] < 0.5
    status = xp.where(
        down, xp.where(speed1 <= p["crush_limit"], LANDED, xp.where(no_chute, NO_CHUTE, CRASHED)), S["status"]
    )
    status = xp.where(skip | late, SKIP_OUT, status)
    lat1, lon1 = dyn.lat_lon(x1, y1, z1, xp)
    rec = _event_values(S, "touchdown", down, t1, agl1, speed1, speed1 * 0.0 + np.nan, xp)
    rec.update(
        touchdown_speed=xp.where(down, speed1, S["touchdown_speed"]),
        touchdown_vertical_speed=xp.where(down, vert1, S["touchdown_vertical_speed"]),
        landing_lat=xp.where(down, lat1, S["landing_lat"]),
        landing_lon=xp.where(down, lon1, S["landing_lon"]),
        final_mass=xp.where(down, Y1[6], S["final_mass"]),
    )
    return status, rec


def _peaks(S, p, active, capsule, ex, att, the1, xp):
    """Largest deceleration (g), Sutton-Graves heat rate (capsule only), true pitch rate and attitude error
    (capsule only) so far."""
    fn, rho0, V0, _ = ex
    heat = aero.sutton_graves_heat_rate(rho0, V0, p["nose_radius"], xp)
    return dict(
        peak_g=xp.maximum(S["peak_g"], xp.where(active, fn / float(G0), 0.0)),
        peak_heat=xp.maximum(S["peak_heat"], xp.where(active & capsule, heat, 0.0)),
        max_rate=xp.maximum(S["max_rate"], xp.where(active, xp.abs(att.om), 0.0)),
        max_att_err=xp.maximum(S["max_att_err"], xp.where(active & capsule, xp.abs(the1 - att.th), 0.0)),
    )


_TRANSLATION_STATE = ("x", "y", "z", "vx", "vy", "vz", "m", "nx", "ny", "nz", "nvx", "nvy", "nvz")


def _write_back(S, active, Y1, new, F, xp):
    """``S`` with the translation state ``Y1``, the carried values ``new`` and the flight software's state ``F``
    of the active runs (finished runs keep theirs)."""

    def keep(val, old):
        return xp.where(active, val, old)

    for i, k in enumerate(_TRANSLATION_STATE):
        S[k] = keep(Y1[i], S[k])
    S.update({k: keep(val, S[k]) for k, val in new.items()})
    for k, val in F.items():
        if k not in ("m", "om", "th", "the"):
            S[k] = keep(val, S[k])
    return S


def step(S, p, model: Model, xp=np):
    """Advance every run by one flight-software cycle (runs whose status is not 0 stay frozen): truth at the
    start of the cycle, navigation (:mod:`.navigation`), phase transitions (:mod:`.flight_software`), thrust
    command (:mod:`.guidance`), step size (:mod:`.stepcontrol`), bank command (:mod:`.entry_guidance`), then
    the physics over the step (RK4 of translation and navigation, :mod:`.attitude`) and ground contact."""
    seq = model.seq
    S = _with_sequence_state(dict(S), seq, xp)
    if "osc_wd" not in p:
        p = prepare(p, xp)
    active, t = S["status"] == 0, S["t"]
    tr = _truth(S, p, model, xp)
    pax, u, ref = _pitch_frame(S, tr, xp)
    record = partial(_record, S, t=t, h=tr.agl, v=tr.speed, mach=tr.mach, xp=xp)
    nav = navigation.update(S, p, model, S["radar_on"] > 0.5, active, tr.agl, tr.v, tr.nadir, ref, pax, xp)
    record("radar_lock", nav.fire_lock)
    fsw = flight_software.transitions(S, p, seq, nav, active, t, tr.rho, tr.V, tr.mach, u, tr.nadir, pax, record, xp)
    F, pax = fsw.state, fsw.pax
    thrust, g_loc = guidance.thrust_command(p, F["engine"], F["m"], nav, tr.rr, xp, seq.engine_modes)
    cfg = _config(seq, p, F, xp)
    ax_true = gnc.rotate(tr.nadir, pax, F["th"], xp)
    tdir = guidance.thrust_direction(F["engine"], nav, tuple(-ax_true[i] for i in range(3)), xp, seq.engine_modes)
    g_lock = nav.rng_max - p["radar_max_range"]
    s_nav = xp.maximum(guidance.descent_speed_estimate(nav, xp), 0.0)
    dt, osc = stepcontrol.step_size(S, p, fsw, nav, active, t, tr.agl, tr.r, tr.rr, tr.v, g_loc, g_lock, s_nav, xp)
    bank, bank_sign = _bank_command(S, p, model, cfg, tr, nav, xp)
    Y1, ex = _translate(model, p, xp, cfg, F, pax, thrust, tdir, bank, tr, nav, t, dt)
    att = attitude.advance(S, p, F["th"], F["om"], F["the"], dt, osc, xp)
    d_the, d_nv = attitude.imu_noise(S, p, dt, xp)
    the1 = att.the + d_the
    Y1 = Y1[:10] + tuple(Y1[10 + i] + d_nv[i] for i in range(3))
    record("imu_saturation", active & att.saturated)
    t1 = t + dt
    status, touchdown = _ground_contact(S, p, F, active, t1, Y1, xp)
    S.update(
        touchdown, status=status, steps=S["steps"] + active, **_peaks(S, p, active, cfg.capsule, ex, att, the1, xp)
    )
    carried = dict(t=t1, th=att.th, om=att.om, the=the1, flag_t=att.flag_t, sat_sign=att.sat_sign)
    carried.update(bank=bank, bank_sign=bank_sign, locked=nav.locked, g_lock=g_lock, dt_prev=dt)
    carried.update(zip(("px", "py", "pz"), pax))
    S = _write_back(S, active, Y1, carried, F, xp)
    # extra outputs for histories (not part of the carried state's meaning)
    S.update(_h_est=nav.h, _mach_est=nav.mach, _agl=tr.agl, _mach=tr.mach, _speed=tr.speed, _rate_used=att.rate_used)
    return S


def finish(S, events, xp=np):
    """Per-run results from a final state (dict of arrays, SI units, angles in rad); ``events``: the model's."""
    out = {k: S[k] for k in RESULT_FIELDS if k != "status"}
    out["status"] = xp.where(S["status"] == 0, STEP_LIMIT, S["status"])
    for e in events:
        for f in EVENT_FIELDS:
            out[f"{e}_{f}"] = S[f"{e}_{f}"]
    return out


def _entry_event(S, p, xp):
    """``S`` with the entry event's time, altitude above the site and speed (its Mach: :func:`start_state`)."""
    h = dyn.altitude(S["x"], S["y"], S["z"], xp) - p["ground_elev"]
    speed = norm((S["vx"], S["vy"], S["vz"]), xp)
    S["entry_t"], S["entry_h"], S["entry_v"] = S["t"], h, speed
    return S


def start_state(p, model: Model, xp=np):
    """The state at the entry interface with the flight software's state and the entry event recorded."""
    S = _with_sequence_state(initial_state(p, xp), model.seq, xp)
    S = _entry_event(S, p, xp)
    temp = model.atmosphere.evaluate(S["entry_h"] + p["ground_elev"], xp)[0]
    S["entry_mach"] = S["entry_v"] / atm_mod.speed_of_sound(temp, xp)
    return S


HISTORY = (
    "t",
    "altitude_m",
    "altitude_est_m",
    "speed_m_s",
    "mach",
    "phase",
    "pitch_rad",
    "pitch_est_rad",
    "rate_rad_s",
    "rate_used_rad_s",
    "bank_rad",
)


def _history_row(S, t0, th0, the0, om0):
    """One row of the history (:data:`HISTORY`) from the state after a step and the values at its start."""
    after = (S["_agl"], S["_h_est"], S["_speed"], S["_mach"], S["phase"])
    return (t0, *(a[0] for a in after), th0, the0, om0, S["_rate_used"][0], S["bank"][0])


def simulate_reference(p: dict, model: Model, max_steps: int = 20_000, history: bool = True):
    """numpy reference: one run (``p`` maps names to floats), Python loop, optional full time history.

    Returns ``(result, history)``: result fields as in :data:`RESULT_FIELDS` and events; history a dict of
    arrays (t, altitude true/estimated, speed, Mach, phase, pitch angle and its estimate, rate used, bank angle of
    the step)."""
    pa = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in {**DEFAULTS, **p}.items()}
    model = with_lift_if_needed(model, pa["lift_to_drag"])
    S = start_state(pa, model, np)
    rows = []
    for _ in range(max_steps):
        if S["status"][0] != 0:
            break
        t0, th0, the0, om0 = S["t"][0], S["th"][0], S["the"][0], S["om"][0]
        S = step(S, pa, model, np)
        if history:
            rows.append(_history_row(S, t0, th0, the0, om0))
    res = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in finish(S, model.events, np).items()}
    cols = list(zip(*rows)) if rows else [()] * len(HISTORY)
    return res, {k: np.asarray(c, dtype=float) for k, c in zip(HISTORY, cols)}


def _with_defaults(p, jnp):
    """Parameter arrays ``p`` completed with the defaults and the precomputed expressions (:func:`prepare`)."""
    p = {**{k: jnp.zeros_like(p["entry_alt"]) + v for k, v in DEFAULTS.items()}, **p}
    return prepare(p, jnp)


def _strip(S):
    """The carried state without the history-only outputs."""
    return {k: v for k, v in S.items() if not k.startswith("_")}


def _run_all(model: Model, max_steps: int, p):
    """Every run of ``p`` from entry until all have finished (or ``max_steps``): the kernel without lanes."""
    from .._jax import jax, jnp

    p = _with_defaults(p, jnp)
    S = _strip(step(start_state(p, model, jnp), p, model, jnp))  # one step outside the loop to fix the carry

    def cond(c):
        i, S = c
        return (i < max_steps) & jnp.any(S["status"] == 0)

    def body(c):
        i, S = c
        return i + 1, _strip(step(S, p, model, jnp))

    _, S = jax.lax.while_loop(cond, body, (1, S))
    return finish(S, model.events, jnp)


def _lane_loader(model: Model, p_all, q: int):
    """``load(rid) -> (parameters, start state)`` of runs ``rid`` (clipped to the ``q`` runs of ``p_all``), by one
    row gather of a parameter table."""
    from .._jax import jnp

    keys = sorted(p_all)
    table = jnp.stack([p_all[k] for k in keys], axis=1)  # (q, parameters)

    def load(rid):
        rows = table[jnp.clip(rid, 0, q - 1)]
        pl = {k: rows[:, j] for j, k in enumerate(keys)}
        return pl, start_state(pl, model, jnp)

    return load


def _refill(load, n, q: int, c):
    """Lanes that are empty (run id ``q``) or finished take the next of the first ``n`` runs, in order."""
    from .._jax import jnp

    nxt, rid, pl, S = c
    free = (rid >= q) | (S["status"] != 0)
    new = (nxt + jnp.cumsum(free.astype(jnp.int32)) - 1).astype(jnp.int32)
    take = free & (new < n)
    rid = jnp.where(free, jnp.where(take, new, q), rid)
    nxt = jnp.minimum(nxt + jnp.sum(free.astype(jnp.int32)), n).astype(jnp.int32)
    pn, Sn = load(rid)
    pl = {k: jnp.where(take, pn[k], pl[k]) for k in pl}
    S = {k: jnp.where(take, Sn[k], S[k]) for k in S}
    return nxt, rid, pl, S


def _run_refill(model: Model, max_steps: int, lanes: int, p_all, n):
    """The first ``n`` runs of ``p_all`` through ``lanes`` lanes, refilled as runs finish; results (q, ...)."""
    from .._jax import jax, jnp

    threshold = max(1, lanes // 16)  # refill when this many lanes wait (or when every live lane has finished)
    p_all = _with_defaults(p_all, jnp)
    q = p_all["entry_alt"].shape[0]
    n = jnp.minimum(jnp.asarray(n, jnp.int32), q)
    load = _lane_loader(model, p_all, q)
    # every lane starts empty (rid = q: no run, frozen) and is loaded inside the loop, so that every run
    # starts through the same code whatever the chunking
    rid = jnp.full((lanes,), q, jnp.int32)
    pl, S = load(rid)
    S["status"] = S["status"] + float(STEP_LIMIT)
    rkeys = sorted(finish(S, model.events, jnp))
    out = jnp.full((q, len(rkeys)), jnp.nan)
    refill = partial(_refill, load, n, q)

    def body(c):
        nxt, rid, pl, S, out = c
        S = _strip(step(S, pl, model, jnp))
        S["status"] = jnp.where((S["status"] == 0) & (S["steps"] >= max_steps), float(STEP_LIMIT), S["status"])
        live = rid < q
        done = live & (S["status"] != 0)
        n_done = jnp.sum(done.astype(jnp.int32))
        go = (n_done >= threshold) | (n_done == jnp.sum(live.astype(jnp.int32)))
        # finished runs' results go out (in place; rows not written are dropped), then their lanes reload
        res = finish(S, model.events, jnp)
        out = out.at[jnp.where(done & go, rid, q)].set(jnp.stack([res[k] for k in rkeys], axis=1), mode="drop")
        nxt, rid, pl, S = jax.lax.cond(go, refill, lambda c: c, (nxt, rid, pl, S))
        return nxt, rid, pl, S, out

    c = (jnp.int32(0), rid, pl, S, out)
    out = jax.lax.while_loop(lambda c: jnp.any(c[1] < q) | (c[0] < n), body, c)[4]
    return {k: out[:, j] for j, k in enumerate(rkeys)}


def make_batch_kernel(model: Model, max_steps: int = 20_000, lanes: int | None = None):
    """A jitted JAX function ``params (dict of (N,) arrays) -> results (dict of (N,) arrays)``.

    With ``lanes`` the function is ``(params, n) -> results`` instead: it keeps ``lanes`` runs in flight and,
    as runs finish, loads the next of the first ``n`` entries of ``params`` into the freed lanes, so that a
    block no longer waits for its slowest run (results of entries ``n`` and beyond are NaN). Every run goes
    through the same :func:`step` either way."""
    from .._jax import jax

    if lanes is None:
        return jax.jit(partial(_run_all, model, max_steps))
    return jax.jit(partial(_run_refill, model, max_steps, int(lanes)))
