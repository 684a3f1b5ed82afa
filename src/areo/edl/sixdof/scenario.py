"""The 6-DOF model's inputs, from one scenario file: the ``[edl.sixdof]`` table (declared in
:mod:`areo.edl.schema_sixdof`: inertia, aerodynamic tables, parachute body, riser, winds, per-axis IMU, step
sizes) on top of the other ``[edl.*]`` tables (entry, masses, IMU, radar, thrusters, the parachute stage and
the thresholds of the phase table), converted here to the kernel's SI parameters. The checks that need the
flight (aerodynamic tables covering the entry Mach number) are made here, one line naming the file and key."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...errors import InputError
from .. import atmosphere as atm_mod
from ..scenario import EDLScenario, load_edl_scenario
from ..schema_sixdof import CALIBRATED, SixDOFIn, check_inertia
from . import aerodb
from .sim import Model6

__all__ = ["CALIBRATED", "DEFAULT_SCENARIO", "from_scenario", "inertia", "load_6dof"]

DEG = math.pi / 180.0
DEFAULT_SCENARIO = "exomars2016"
SEQUENCE = (
    "the 6-DOF model flies a fixed sequence: mortar fire on a Mach threshold (armed at 2 g), front-shield "
    "jettison a fixed time after it, back-shell release on an altitude, a timed separation burn, engines off "
    "on an altitude"
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


def load_6dof(faults=(), path: str | Path | None = None, pendulum: bool = False):
    """(parameters, model) for the 6-DOF kernel from a scenario with an ``[edl.sixdof]`` table (a path or a
    shipped name; default: Schiaparelli, ``exomars2016``), with the named faults applied."""
    from ...scenarios import locate

    file = locate(path if path is not None else DEFAULT_SCENARIO)
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
    p.update(_software(sc))
    p["ref_length"] = math.sqrt(4.0 * p["area_capsule"] / math.pi)
    edl_model = sc.model(base_dir)
    entry_mach = _entry_mach(edl_model.atmosphere, p)
    cap, chute = _tables(six, entry_mach, p["deploy_mach"])
    p.update(_gyro_axes(six, p))
    model = Model6(edl_model.atmosphere, edl_model.nav_atmosphere, cap, chute, pendulum=pendulum)
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


def _software(sc: EDLScenario) -> dict[str, float]:
    """Phase-logic figures from the phase table (``[[edl.phases]]``) and the parachute size from its stage
    (``[[edl.parachutes]]``): the 6-DOF kernel's minimal phase logic reads them as numbers."""
    if len(sc.parachutes) != 1:
        raise InputError(
            f"edl.parachutes: the 6-DOF model flies one parachute stage, the scenario declares {len(sc.parachutes)}; "
            "give one [[edl.parachutes]] stage"
        )
    stage = sc.parachutes[0]
    phases = sc.phases
    dep = _entering(phases, lambda ph: ph.deploy_parachute is not None, "deploys the parachute")
    jet = _entering(phases, lambda ph: ph.jettison_heatshield, "jettisons the front shield")
    rel = _entering(phases, lambda ph: ph.release_backshell, "releases the back shell")
    i_rel = next(i for i, ph in enumerate(phases) if ph.release_backshell)
    off = _entering(phases[i_rel + 1 :], lambda ph: ph.engines == "off", "turns the engines off after release")
    mortar = _threshold(dep, ("mach",), "below", "mortar fire (a Mach 'below' trigger)")
    if mortar.armed_above_peak_g not in (None, 2.0):
        raise InputError(
            f"edl.phases: armed_above_peak_g = {mortar.armed_above_peak_g:g} on the mortar trigger; {SEQUENCE}: "
            "use 2.0 (or fly the scenario in 3-DOF)"
        )
    burn = _threshold(
        phases[i_rel].exit, ("time",), "above_s", "the separation burn (a 'time' exit of the release phase)"
    )
    return {
        "deploy_mach": float(mortar.below),
        "t_jettison": float(_threshold(jet, ("time",), "above_s", "the front-shield jettison").above_s),
        "release_alt": float(_threshold(rel, ("altitude", "radar_altitude"), "below_m", "the release").below_m),
        "sep_burn": float(burn.above_s),
        "cutoff_alt": float(_threshold(off, ("altitude", "radar_altitude"), "below_m", "the cut-off").below_m),
        "t_inflation": float(stage.inflation_time_s),
        "area_chute": math.pi / 4.0 * float(stage.diameter_m) ** 2,
    }


def _entering(phases, pred, what: str) -> list:
    """The triggers (``[[edl.phases.exit]]``) that lead into the first phase that ``what``."""
    target = next((ph.name for ph in phases if pred(ph)), None)
    if target is None:
        raise InputError(f"edl.phases: no phase {what}; {SEQUENCE}")
    return [tr for ph in phases for tr in ph.exit if tr.goto == target]


def _threshold(triggers, quantities: tuple[str, ...], key: str, what: str):
    for tr in triggers:
        if tr.quantity in quantities and getattr(tr, key) is not None:
            return tr
    raise InputError(f"edl.phases: no trigger on {' or '.join(quantities)} with {key} for {what}; {SEQUENCE}")


def _vehicle(six: SixDOFIn) -> dict[str, float]:
    c, pc, rs, wd, it = six.capsule, six.parachute, six.riser, six.wind, six.integration
    inert = np.asarray(c.inertia_kg_m2, dtype=float)
    return {
        "ixx": inert[0, 0], "iyy": inert[1, 1], "izz": inert[2, 2],
        "ixy": inert[0, 1], "ixz": inert[0, 2], "iyz": inert[1, 2],
        "entry_alpha": float(c.entry_angle_of_attack_deg) * DEG,
        "entry_rate_y": float(c.entry_pitch_rate_deg_s) * DEG,
        "att_x": -float(rs.attach_behind_cm_m), "riser_l0": float(rs.rest_length_m), "riser_k": float(rs.stiffness_n_m),
        "riser_c": float(rs.damping_n_s_m), "pend_beta": float(rs.pendulum_baumgarte_per_s),
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
    }  # fmt: skip
