"""The 6-DOF model's inputs, from one scenario file: the ``[edl.sixdof]`` table (declared in
:mod:`areo.edl.schema_sixdof`: inertia, aerodynamic tables, parachute body, riser, winds, per-axis IMU, step
sizes) on top of the other ``[edl.*]`` tables (entry, masses, IMU, radar, thrusters, the parachute stages and
the phase table, compiled once by :func:`areo.edl.flight_software.compile_sequence` for both kernels), converted
here to the kernel's SI parameters. The checks that need the flight (aerodynamic tables covering the entry Mach
number) and the table's actions the 6-DOF model cannot fly are made here, one line naming the file and key."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...errors import InputError
from .. import atmosphere as atm_mod
from .. import flight_software as fsw
from ..scenario import EDLScenario, load_edl_scenario
from ..schema_sixdof import CALIBRATED, SixDOFIn, check_inertia
from . import aerodb
from .sim import Model6

__all__ = ["CALIBRATED", "from_scenario", "inertia", "load_6dof"]

DEG = math.pi / 180.0
SUPPORTED = (
    "the 6-DOF model flies parachute stage deploys, front-shield jettison, back-shell release / lander "
    "separation (the lander then holds its attitude or steers it, [edl.sixdof.lander]), events, and engines "
    "off / full / throttle_law / constant_velocity / gravity_turn after a release"
)
MISSING = (
    "has no [edl.sixdof] table, which the 6-DOF model needs: add [edl.sixdof.capsule] (inertia_kg_m2) with "
    "[edl.sixdof.capsule.aero] (Mach tables), [edl.sixdof.parachute] and [edl.sixdof.riser] (see the shipped "
    "scenario exomars2016 and the EDL scenario keys page), or fly it in 3-DOF (without --dof 6)"
)


def inertia(raw, where: str = "edl.sixdof.capsule.inertia_kg_m2") -> np.ndarray:
    """A symmetric positive-definite 3x3 inertia tensor (kg m^2), else InputError naming ``where``."""
    try:
        check_inertia([list(map(float, r)) for r in raw], where)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc)) from None
    return np.asarray(raw, dtype=float)


def load_6dof(path: str | Path, faults=(), pendulum: bool = False):
    """(parameters, model) for the 6-DOF kernel from a scenario with an ``[edl.sixdof]`` table (a path or a
    shipped name), with the named faults applied."""
    from ...scenarios import locate

    file = locate(path)
    sc = load_edl_scenario(file)
    try:
        return from_scenario(sc, list(faults), file.parent, pendulum)
    except InputError as exc:
        raise InputError(f"{file.name}: {exc}") from None


def from_scenario(sc: EDLScenario, faults, base_dir: Path | None = None, pendulum: bool = False):
    """(parameters, model) of a validated scenario (InputError without the file name)."""
    six = sc.sixdof
    if six is None:
        raise InputError(MISSING)
    p = sc.to_params(list(faults))
    p.update(_vehicle(six))
    edl_model = sc.model(base_dir)
    seq = edl_model.seq
    check_sequence(sc, seq)
    p.update(_stages(sc, six))
    p["ref_length"] = math.sqrt(4.0 * p["area_capsule"] / math.pi)
    entry_mach = _entry_mach(edl_model.atmosphere, p)
    cap, chute = _tables(six, entry_mach, _deploy_mach(seq, p))
    p.update(_gyro_axes(six, p))
    model = Model6(edl_model.atmosphere, edl_model.nav_atmosphere, cap, chute, pendulum=pendulum, seq=seq)
    return p, model


def _gyro_axes(six: SixDOFIn, p: dict) -> dict[str, float]:
    """Per-axis gyro range, scale factor and bias (body x, y, z): the ``[edl.sixdof.imu]`` lists of three, else
    the base scenario's single values on every axis."""
    out = {}
    imu = six.imu
    for vals, name, unit in (
        (imu.gyro_limit_deg_s, "gyro_limit", DEG),
        (imu.gyro_scale_factor, "gyro_sf", 1.0),
        (imu.gyro_bias_deg_s, "gyro_bias", DEG),
    ):
        vals = vals if vals is not None else [p[name] / unit] * 3
        for i, v in enumerate(vals):
            out[f"{name}_{i}"] = float(v) * unit
    return out


def _entry_mach(atmosphere, p) -> float:
    temp = atmosphere.evaluate(np.array([p["entry_alt"]]), np)[0]
    return float(p["entry_speed"] / atm_mod.speed_of_sound(temp, np)[0])


def _tables(six: SixDOFIn, entry_mach: float, deploy_mach: float):
    a = six.capsule.aero
    cap = {"mach": list(map(float, a.mach))}
    for col in aerodb.CAPSULE_COLUMNS:
        cap[col] = list(map(float, getattr(a, col)))
    pc = six.parachute
    chute = {"mach": list(map(float, pc.drag_mach)), "drag": list(map(float, pc.drag))}
    aerodb.check_tables({"aero": cap}, entry_mach, "edl.sixdof.capsule")
    try:
        aerodb.check_tables({"drag": chute}, 1.25 * deploy_mach, "edl.sixdof.parachute")
    except InputError as exc:
        raise InputError(str(exc).replace("parachute.drag.mach", "parachute.drag_mach")) from None
    return cap, chute


def check_sequence(sc: EDLScenario, seq: fsw.Sequence) -> None:
    """Refuse, in one line naming the phase, a table action the 6-DOF model cannot fly: an attitude hold of a
    capsule still on its canopy, engines before the release, a parachute deploy after it.
    "Before" and "after" follow the table's topological order."""
    released = False
    for j in seq.order:
        ph = sc.phases[j]
        where = f"edl.phases (phase '{ph.name}')"
        if ph.deploy_parachute is not None and released:
            raise InputError(f"{where}: deploy_parachute after a release_backshell; {SUPPORTED}")
        released = released or ph.release_backshell
        if ph.attitude_hold and not released:
            raise InputError(f"{where}: attitude_hold before any release_backshell; {SUPPORTED}")
        if ph.engines not in (None, "off") and not released:
            raise InputError(f"{where}: engines = '{ph.engines}' before any release_backshell; {SUPPORTED}")


def _stages(sc: EDLScenario, six: SixDOFIn) -> dict[str, float]:
    """The first stage's canopy (``area_chute``, ``t_inflation``: the canopy body before any deploy), each
    stage's canopy mass ``chute_mass{j}`` (``[edl.sixdof.parachute] stage_mass_kg``, else ``mass_kg`` scaled by
    the stage's area over the first stage's) and inflation exponent ``chute_exp{j}``; areas, inflation times and
    drag coefficients of every stage are the compiled table's ``chute_area{j}`` ...
    (:func:`areo.edl.flight_software.compile_sequence`)."""
    stages, pc = sc.parachutes, six.parachute
    if not stages:
        raise InputError(
            "edl.parachutes: the 6-DOF model flies the capsule under a canopy and the scenario has no "
            "[[edl.parachutes]] stage; add one, or fly it in 3-DOF (without --dof 6)"
        )
    for key in ("stage_mass_kg", "stage_inflation_exponent"):
        vals = getattr(pc, key)
        if vals is not None and len(vals) != len(stages):
            raise InputError(
                f"edl.sixdof.parachute.{key} = {vals!r}: give one value per [[edl.parachutes]] stage ({len(stages)})"
            )
    d0 = float(stages[0].diameter_m)
    out = {"t_inflation": float(stages[0].inflation_time_s), "area_chute": math.pi / 4.0 * d0**2}
    for j, st in enumerate(stages):
        m = pc.stage_mass_kg[j] if pc.stage_mass_kg is not None else pc.mass_kg * (float(st.diameter_m) / d0) ** 2
        out[f"chute_mass{j}"] = float(m)
        exps = pc.stage_inflation_exponent
        out[f"chute_exp{j}"] = float(exps[j] if exps is not None else pc.inflation_exponent)
    return out


def _deploy_mach(seq: fsw.Sequence, p: dict) -> float:
    """The highest navigated-Mach threshold that leads into a parachute deploy (1.0 if none): the parachute's
    drag table must reach 1.25 times it."""
    deploys = [k for k, j in enumerate(seq.trig_next) if seq.act_chute[j] >= 0 and seq.trig_quantity[k] == fsw.MACH]
    return max((float(p[f"fsw_value{k}"]) for k in deploys), default=1.0)


def _vehicle(six: SixDOFIn) -> dict[str, float]:
    c, pc, rs, wd, it = six.capsule, six.parachute, six.riser, six.wind, six.integration
    ld = six.lander
    inert = np.asarray(c.inertia_kg_m2, dtype=float)
    return {
        "ixx": inert[0, 0], "iyy": inert[1, 1], "izz": inert[2, 2],
        "ixy": inert[0, 1], "ixz": inert[0, 2], "iyz": inert[1, 2],
        "entry_alpha": float(c.entry_angle_of_attack_deg) * DEG,
        "entry_rate_y": float(c.entry_pitch_rate_deg_s) * DEG,
        "att_x": -float(rs.attach_behind_cm_m), "riser_l0": float(rs.rest_length_m), "riser_k": float(rs.stiffness_n_m),
        "riser_c": float(rs.damping_n_s_m),
        "riser_cu": float(rs.damping_n_s_m if rs.unloading_damping_n_s_m is None else rs.unloading_damping_n_s_m),
        "pend_beta": float(rs.pendulum_baumgarte_per_s),
        "chute_mass": float(pc.mass_kg),
        "chute_ka": float(pc.added_mass_coefficient),
        "chute_cn_alpha": float(pc.normal_slope_per_rad),
        "chute_sin_trim": math.sin(float(pc.trim_angle_deg) * DEG),
        "infl_exp": float(pc.inflation_exponent),
        "mortar_speed": float(pc.mortar_speed_m_s),
        "wind_e": float(wd.east_m_s), "wind_n": float(wd.north_m_s),
        "gust_amp": float(wd.gust_m_s), "gust_t0": float(wd.gust_start_after_mortar_s),
        "gust_len": float(wd.gust_duration_s),
        "dt_scale": 1.0,
        "steps_per_period": float(it.steps_per_period), "snatch_steps_per_period": float(it.snatch_steps_per_period),
        "max_step_s": float(it.max_step_s), "min_step_s": float(it.min_step_s), "riser_courant": float(it.riser_courant),
        "gravity_on": 1.0, "t_stop": 1e30, "cmq_add": 0.0, "peak_g0": 0.0,
        "att_ctrl": 1.0 if ld.attitude_control == "rate_limited" else 0.0,
        "att_wn": float(ld.bandwidth_rad_s), "att_zeta": float(ld.damping_ratio),
        "att_rate_max": float(ld.max_rate_deg_s) * DEG, "att_acc_max": float(ld.max_angular_accel_deg_s2) * DEG,
    }  # fmt: skip
