"""The 6-DOF model's inputs: the base EDL scenario's parameters (entry, masses, IMU, radar, software) plus the
6-DOF file (inertia, aerodynamic tables, parachute body, riser, winds, step sizes), checked once here with one
clear line naming the key when something is wrong."""

from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np

from ...errors import InputError
from .. import atmosphere as atm_mod
from ..scenario import load_edl_scenario
from . import aerodb
from .sim import Model6

DEG = math.pi / 180.0
CALIBRATED = (
    "parachute.trim_angle_deg",
    "parachute.inflation_exponent",
    "edl.imu.gyro_limit_deg_s",
    "edl.radar.max_range_m",
)
"""Inputs chosen to reproduce the as-flown chain (the 3-DOF pitch-kick model calibrates five more:
lever arm, misalignment, snatch duration, oscillation period and damping)."""


def default_path() -> Path:
    return Path(str(resources.files("areo.edl.sixdof") / "data" / "exomars2016_6dof.toml"))


def _get(d: dict, key: str, where: str):
    if key not in d:
        raise InputError(f"{where}.{key}: missing; add it to the 6-DOF scenario file")
    return d[key]


def inertia(raw, where: str = "capsule.inertia_kg_m2") -> np.ndarray:
    """A symmetric positive-definite 3x3 inertia tensor (kg m^2)."""
    a = np.asarray(raw, dtype=float)
    if a.shape != (3, 3) or not np.allclose(a, a.T):
        raise InputError(f"{where}: must be a symmetric 3x3 matrix (kg m^2), got shape {a.shape}")
    ev = np.linalg.eigvalsh(a)
    if ev.min() <= 0.0:
        raise InputError(
            f"{where}: not positive definite (eigenvalues {', '.join(f'{x:.3g}' for x in ev)} kg m^2); "
            "give a physical inertia tensor"
        )
    if 2.0 * ev.max() > ev.sum() + 1e-9:
        raise InputError(f"{where}: violates the triangle inequality of principal moments; fix the tensor")
    return a


def load_6dof(faults=(), path: str | Path | None = None, pendulum: bool = False):
    """(parameters, model) for the 6-DOF kernel from the 6-DOF scenario file (default: the shipped Schiaparelli
    file) and its base EDL scenario, with the named faults applied."""
    path = Path(path) if path is not None else default_path()
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"6-DOF scenario {path}: cannot be read ({exc})") from None
    from ...scenarios import locate

    base = load_edl_scenario(locate(_get(raw, "base_scenario", "6-DOF scenario")))
    p = base.to_params(list(faults))
    p.update(_vehicle(raw))
    p.update(_software(raw))
    p["ref_length"] = math.sqrt(4.0 * p["area_capsule"] / math.pi)
    edl_model = base.model()
    entry_mach = _entry_mach(edl_model.atmosphere, p)
    cap, chute = _tables(raw, entry_mach, p["deploy_mach"])
    p.update(_gyro_axes(raw.get("imu", {}), p))
    model = Model6(edl_model.atmosphere, edl_model.nav_atmosphere, cap, chute, pendulum=pendulum)
    return p, model


def _gyro_axes(imu: dict, p: dict) -> dict[str, float]:
    """Per-axis gyro range, scale factor and bias (body x, y, z): the optional ``[imu]`` lists of three, else the
    base scenario's single values on every axis."""
    out = {}
    for key, name, unit, scale in (
        ("gyro_limit_deg_s", "gyro_limit", DEG, 1.0),
        ("gyro_scale_factor", "gyro_sf", 1.0, 0.0),
        ("gyro_bias_deg_s", "gyro_bias", DEG, 0.0),
    ):
        vals = imu.get(key, [p[name] / unit] * 3)
        if not isinstance(vals, list) or len(vals) != 3:
            raise InputError(f"imu.{key}: give three values (body x, y, z axes), got {vals!r}")
        if scale > 0 and min(vals) <= 0:
            raise InputError(f"imu.{key}: every axis range must be > 0, got {vals!r}")
        for i, v in enumerate(vals):
            out[f"{name}_{i}"] = float(v) * unit
    return out


def _entry_mach(atmosphere, p) -> float:
    temp = atmosphere.evaluate(np.array([p["entry_alt"]]), np)[0]
    return float(p["entry_speed"] / atm_mod.speed_of_sound(temp, np)[0])


def _tables(raw, entry_mach: float, deploy_mach: float):
    c = _get(raw, "capsule", "6-DOF scenario")
    a = _get(c, "aero", "capsule")
    cap = {"mach": list(map(float, _get(a, "mach", "capsule.aero")))}
    for col in aerodb.CAPSULE_COLUMNS:
        cap[col] = list(map(float, _get(a, col, "capsule.aero")))
    pc = _get(raw, "parachute", "6-DOF scenario")
    chute = {"mach": list(map(float, _get(pc, "drag_mach", "parachute"))), "drag": list(map(float, pc["drag"]))}
    aerodb.check_tables({"aero": cap}, entry_mach, "capsule")
    _check_chute(chute, 1.25 * deploy_mach)
    return cap, chute


def _check_chute(chute, mach_max):
    try:
        aerodb.check_tables({"drag": chute}, mach_max, "parachute")
    except InputError as exc:
        raise InputError(str(exc).replace("parachute.drag.mach", "parachute.drag_mach")) from None


def _software(raw) -> dict[str, float]:
    """Phase-logic figures and the parachute size, read from the 6-DOF file (not from the base scenario's
    kernel parameters, whose layout belongs to the 3-DOF flight software)."""
    sw, pc = _get(raw, "software", "6-DOF scenario"), raw["parachute"]
    out = {
        "deploy_mach": float(_get(sw, "deploy_mach", "software")),
        "t_jettison": float(_get(sw, "jettison_delay_s", "software")),
        "release_alt": float(_get(sw, "release_altitude_m", "software")),
        "sep_burn": float(_get(sw, "separation_burn_s", "software")),
        "cutoff_alt": float(_get(sw, "cutoff_altitude_m", "software")),
        "t_inflation": float(_get(pc, "inflation_time_s", "parachute")),
        "area_chute": math.pi / 4.0 * float(_get(pc, "diameter_m", "parachute")) ** 2,
    }
    for key, v in (("parachute.inflation_time_s", out["t_inflation"]), ("parachute.diameter_m", out["area_chute"])):
        if v <= 0.0:
            raise InputError(f"{key}: must be > 0")
    return out


def _integration(it: dict) -> dict[str, float]:
    """Step-control figures (see :mod:`.stepcontrol`), each > 0."""
    out = {"dt_scale": 1.0}
    for key, name in (
        ("steps_per_period", "steps_per_period"),
        ("snatch_steps_per_period", "snatch_steps_per_period"),
        ("max_step_s", "max_step_s"),
        ("min_step_s", "min_step_s"),
        ("riser_courant", "riser_courant"),
    ):
        v = float(_get(it, key, "integration"))
        if v <= 0.0:
            raise InputError(f"integration.{key} = {v:g}: must be > 0")
        out[name] = v
    return out


def _vehicle(raw) -> dict[str, float]:
    c, pc = raw["capsule"], _get(raw, "parachute", "6-DOF scenario")
    rs, wd = _get(raw, "riser", "6-DOF scenario"), raw.get("wind", {})
    it = _get(raw, "integration", "6-DOF scenario")
    inert = inertia(_get(c, "inertia_kg_m2", "capsule"))
    arm = float(_get(rs, "attach_behind_cm_m", "riser"))
    if arm <= 0.0:
        raise InputError(
            f"riser.attach_behind_cm_m = {arm:g} m puts the attachment point at or ahead of the centre of mass; "
            "it must lie behind it (> 0 m)"
        )
    k = float(_get(rs, "stiffness_n_m", "riser"))
    if k <= 0.0:
        raise InputError(f"riser.stiffness_n_m = {k:g}: must be > 0 N/m (an elastic riser)")
    for key in ("rest_length_m",):
        if float(_get(rs, key, "riser")) <= 0.0:
            raise InputError(f"riser.{key}: must be > 0 m")
    if float(_get(rs, "damping_n_s_m", "riser")) < 0.0:
        raise InputError("riser.damping_n_s_m: must be >= 0 N s/m")
    return {
        "ixx": inert[0, 0], "iyy": inert[1, 1], "izz": inert[2, 2],
        "ixy": inert[0, 1], "ixz": inert[0, 2], "iyz": inert[1, 2],
        "entry_alpha": float(c.get("entry_angle_of_attack_deg", 0.0)) * DEG,
        "entry_rate_y": float(c.get("entry_pitch_rate_deg_s", 0.0)) * DEG,
        "att_x": -arm, "riser_l0": float(rs["rest_length_m"]), "riser_k": k,
        "riser_c": float(rs["damping_n_s_m"]), "pend_beta": float(rs.get("pendulum_baumgarte_per_s", 10.0)),
        "chute_mass": float(_get(pc, "mass_kg", "parachute")),
        "chute_ka": float(pc.get("added_mass_coefficient", 0.0)),
        "chute_cn_alpha": float(pc.get("normal_slope_per_rad", 0.0)),
        "chute_sin_trim": math.sin(float(pc.get("trim_angle_deg", 0.0)) * DEG),
        "infl_exp": float(pc.get("inflation_exponent", 2.0)),
        "mortar_speed": float(pc.get("mortar_speed_m_s", 0.0)),
        "wind_e": float(wd.get("east_m_s", 0.0)), "wind_n": float(wd.get("north_m_s", 0.0)),
        "gust_amp": float(wd.get("gust_m_s", 0.0)), "gust_t0": float(wd.get("gust_start_after_mortar_s", 0.0)),
        "gust_len": float(wd.get("gust_duration_s", 1.0)),
        **_integration(it),
        "gravity_on": 1.0, "t_stop": 1e30, "cmq_add": 0.0, "peak_g0": 0.0,
    }  # fmt: skip
