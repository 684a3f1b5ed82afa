"""The one declaration of the 6-DOF model's inputs: the optional ``[edl.sixdof]`` table of a scenario and its
sub-tables (capsule inertia and aerodynamic tables, parachute body, riser, winds and gusts, per-axis IMU, step
control, 6-DOF-only dispersions). Everything else the 6-DOF model flies is read from the other ``[edl.*]``
tables: entry state, masses, diameters, IMU, radar, thrusters, the parachute stages (``[[edl.parachutes]]``:
diameters, drag, inflation times) and the phase table (``[[edl.phases]]``), flown as in 3-DOF. The conversion to
the kernel's SI parameters is :func:`areo.edl.sixdof.scenario.load_6dof`.

Inputs chosen to reproduce a flown failure chain are listed in :data:`CALIBRATED` (and marked
"calibrated" in their meaning); a scenario says where each number comes from in a comment beside it.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from .schema import D, P, _Strict

CALIBRATED = (
    "edl.sixdof.parachute.trim_angle_deg",
    "edl.sixdof.parachute.inflation_exponent",
    "edl.imu.gyro_limit_deg_s",
    "edl.radar.max_range_m",
)
"""Inputs chosen to reproduce the as-flown chain (the 3-DOF pitch-kick model calibrates five more:
lever arm, misalignment, snatch duration, oscillation period and damping)."""


MACH_MAX = 100.0  # highest Mach knot of a table: entries fly below Mach ~50 (Earth return, outer planets)
# One value of a coefficient table (allowed range declared per element; a 1e300 or a negative drag coefficient
# would fly to a "non-finite state" status or nonsense instead of being refused).
MachKnot = Annotated[float, Field(ge=0.0, le=MACH_MAX)]
ForceCoeff = Annotated[float, Field(gt=0.0, le=5.0)]  # axial / drag coefficients: blunt bodies and canopies 0.3-2
SlopeCoeff = Annotated[float, Field(ge=-10.0, le=10.0)]  # normal-force, moment slopes and pitch damping


def check_mach_grid(key: str, mach: list[float], columns: dict[str, list[float]]) -> None:
    """Strictly increasing Mach knots from 0, at least two, one value per knot in every column (ValueError
    naming the key and what is allowed)."""
    if len(mach) < 2:
        raise ValueError(f"{key} needs at least two Mach numbers, got {len(mach)}")
    if mach[0] != 0.0:
        raise ValueError(f"{key} = [{mach[0]:g}, ...] must start at Mach 0 (the flight ends subsonic); add a 0 knot")
    for i in range(1, len(mach)):
        if mach[i] <= mach[i - 1]:
            raise ValueError(
                f"{key} must increase strictly (a monotonic Mach grid): {mach[i]:g} follows {mach[i - 1]:g}; "
                "sort the table"
            )
    for col, vals in columns.items():
        if len(vals) != len(mach):
            raise ValueError(f"{col} has {len(vals)} values for {len(mach)} Mach numbers in {key}; give one per knot")


class CapsuleAeroIn(_Strict):
    """Aerodynamics of the capsule about its centre of mass vs Mach (piecewise linear, constant beyond the
    ends); reference area and length from ``edl.aeroshell.diameter_m``. See :mod:`areo.edl.sixdof.aerodb`."""

    mach: list[MachKnot] = P(
        unit="", meaning="Mach knots, strictly increasing from 0 to at least the entry Mach number (each <= 100)"
    )
    axial: list[ForceCoeff] = P(
        unit="", meaning="axial force coefficient C_A at zero incidence, along -x body (each > 0 and <= 5)"
    )
    normal_slope_per_rad: list[SlopeCoeff] = P(
        unit="1/rad", meaning="normal force slope C_N_alpha (C_N = C_N_alpha sin a; each -10 to 10)"
    )
    moment_slope_per_rad: list[SlopeCoeff] = P(
        unit="1/rad",
        meaning="static moment slope C_m_alpha about the centre of mass (negative: restoring; each -10 to 10)",
    )
    pitch_damping: list[SlopeCoeff] = P(
        unit="",
        meaning="pitch damping C_mq + C_m_alpha_dot on q D / (2 V) (positive: dynamically unstable; each -10 to 10)",
    )

    @model_validator(mode="after")
    def _grid(self):
        cols = {"axial": self.axial, "normal_slope_per_rad": self.normal_slope_per_rad}
        cols.update(moment_slope_per_rad=self.moment_slope_per_rad, pitch_damping=self.pitch_damping)
        check_mach_grid("mach", self.mach, cols)
        return self


class CapsuleIn(_Strict):
    inertia_kg_m2: list[list[float]] = P(
        unit="kg m^2",
        meaning="inertia tensor about the centre of mass in body axes (x: symmetry axis, forward), 3x3, symmetric "
        "positive definite, principal moments obeying the triangle inequality, each 1e-3 to 1e8 kg m^2",
    )
    entry_angle_of_attack_deg: float = P(
        0.0, unit="deg", meaning="total angle of attack at the entry interface (pitch plane)", ge=-90.0, le=90.0
    )
    entry_pitch_rate_deg_s: float = P(
        0.0, unit="deg/s", meaning="body pitch rate at the entry interface", ge=-360.0, le=360.0
    )
    aero: CapsuleAeroIn = P(unit="", meaning="the [edl.sixdof.capsule.aero] table")

    @model_validator(mode="after")
    def _inertia(self):
        check_inertia(self.inertia_kg_m2, "inertia_kg_m2")
        return self


INERTIA_RANGE_KG_M2 = (1e-3, 1e8)  # principal moments: a palm-sized probe to a 100 t, 50 m vehicle


def check_inertia(raw: list[list[float]], key: str) -> None:
    """A symmetric positive-definite 3x3 tensor whose principal moments obey the triangle inequality and lie in
    :data:`INERTIA_RANGE_KG_M2`."""
    a = np.asarray(raw, dtype=float) if all(len(r) == 3 for r in raw) else np.zeros((len(raw), 0))
    if a.shape != (3, 3) or not np.allclose(a, a.T):
        raise ValueError(f"{key} = {raw!r} must be a symmetric 3x3 matrix (kg m^2)")
    ev = np.linalg.eigvalsh(a)
    if ev.min() <= 0.0:
        raise ValueError(
            f"{key} = {raw!r} is not positive definite (eigenvalues {', '.join(f'{x:.3g}' for x in ev)} kg m^2); "
            "give a physical inertia tensor (all principal moments > 0)"
        )
    lo, hi = INERTIA_RANGE_KG_M2
    if not (np.all(np.isfinite(ev)) and lo <= ev.min() and ev.max() <= hi):
        raise ValueError(
            f"{key} = {raw!r}: principal moments {', '.join(f'{x:.3g}' for x in ev)} kg m^2 lie outside "
            f"{lo:g} to {hi:g} kg m^2; give the tensor in kg m^2 (a 2.4 m, 0.6 t capsule: ~150-200)"
        )
    if 2.0 * ev.max() > ev.sum() + 1e-9:
        raise ValueError(
            f"{key} = {raw!r}: the principal moments {', '.join(f'{x:.3g}' for x in ev)} kg m^2 violate the "
            "triangle inequality (the largest must not exceed the sum of the other two); fix the tensor"
        )


class Parachute6In(_Strict):
    """The canopy as a second body. Its nominal diameter, inflation time and drag coefficient (or the table
    below) are those of the ``[[edl.parachutes]]`` stage the phase table deployed last: a later stage replaces
    the earlier canopy."""

    mass_kg: float = P(unit="kg", meaning="canopy and suspension-line mass (of the first stage)", gt=0.0, le=1000.0)
    stage_mass_kg: list[float] | None = P(
        None,
        unit="kg",
        meaning="canopy mass of each [[edl.parachutes]] stage, in order; absent: mass_kg scaled by the stage's "
        "area over the first stage's",
    )
    added_mass_coefficient: float = P(
        0.0,
        unit="",
        meaning="added mass k_a rho D0^3 f^1.5 of the inflated canopy (f: inflated fraction)",
        ge=0.0,
        le=2.0,
    )
    normal_slope_per_rad: float = P(
        unit="1/rad",
        meaning="normal-force slope of the canopy about its trim angle, > 0 (at 0 the canopy feels no force "
        "towards the wake, its force follows the riser and the swing diverges)",
        gt=0.0,
        le=5.0,
    )
    trim_angle_deg: float = P(
        0.0, unit="deg", meaning="calibrated: angle off the wake axis at which the canopy rides", ge=0.0, le=30.0
    )
    inflation_exponent: float = P(
        2.0, unit="", meaning="calibrated: drag area grows as (t / inflation_time_s)^n", gt=0.0, le=20.0
    )
    mortar_speed_m_s: float = P(
        0.0, unit="m/s", meaning="canopy pack speed relative to the capsule at line stretch", ge=0.0, le=200.0
    )
    drag_mach: list[MachKnot] = P(
        unit="", meaning="Mach knots of the drag table, strictly increasing from 0 to at least 1.25 x the deploy Mach"
    )
    drag: list[ForceCoeff] = P(
        unit="", meaning="tangential (drag) coefficient C_T at those Mach numbers (nominal area; each > 0 and <= 5)"
    )

    stage_inflation_exponent: list[float] | None = P(
        None,
        unit="",
        meaning="inflation exponent n of each [[edl.parachutes]] stage, in order; absent: inflation_exponent for every stage",
    )

    @model_validator(mode="after")
    def _grid(self):
        check_mach_grid("drag_mach", self.drag_mach, {"drag": self.drag})
        exps = self.stage_inflation_exponent
        if exps is not None and (not exps or min(exps) <= 0.0 or max(exps) > 20.0):
            raise ValueError(
                f"stage_inflation_exponent = {exps!r}: give one exponent > 0 and <= 20 per parachute stage"
            )
        masses = self.stage_mass_kg
        if masses is not None and (not masses or min(masses) <= 0.0 or max(masses) > 1000.0):
            raise ValueError(f"stage_mass_kg = {masses!r}: give one mass > 0 and <= 1000 kg per parachute stage")
        return self


class RiserIn(_Strict):
    attach_behind_cm_m: float = P(
        unit="m",
        meaning="distance of the riser attachment point behind the capsule's centre of mass, on the symmetry axis "
        "(> 0: the point lies behind the centre of mass, never at or ahead of it)",
        gt=0.0,
        le=10.0,
    )
    rest_length_m: float = P(unit="m", meaning="unstretched riser and suspension-line length", gt=0.0, le=500.0)
    stiffness_n_m: float = P(unit="N/m", meaning="axial stiffness of the taut elastic riser", gt=0.0, le=1e9)
    damping_n_s_m: float = P(unit="N s/m", meaning="axial damping of the taut riser", ge=0.0, le=1e8)
    unloading_damping_n_s_m: float | None = P(
        None,
        unit="N s/m",
        meaning="axial damping of the taut riser while it shortens (unloading): textile hysteresis, the line "
        "gives back less of the energy it stored; absent: damping_n_s_m (a symmetric line)",
        ge=0.0,
        le=1e8,
    )
    pendulum_baumgarte_per_s: float = P(
        10.0,
        unit="1/s",
        meaning="constraint stabilisation rate of the riser held at its rest length (reduced model, and the two-body model after the snatch)",
        gt=0.0,
        le=1e3,
    )


class Wind6In(_Strict):
    """Wind on the parachute system (the capsule and canopy from mortar fire)."""

    east_m_s: float = P(0.0, unit="m/s", meaning="steady eastward wind", ge=-300.0, le=300.0)
    north_m_s: float = P(0.0, unit="m/s", meaning="steady northward wind", ge=-300.0, le=300.0)
    gust_m_s: float = P(0.0, unit="m/s", meaning="amplitude of a 1-cosine gust along east", ge=-300.0, le=300.0)
    gust_start_after_mortar_s: float = P(0.0, unit="s", meaning="gust start after mortar fire", ge=0.0, le=2000.0)
    gust_duration_s: float = P(1.0, unit="s", meaning="gust duration", gt=0.0, le=2000.0)


class IMU6In(_Strict):
    """Per-axis gyro figures (body x = roll, y, z); absent: ``edl.imu``'s single range on every axis, and no
    scale-factor error or bias."""

    gyro_limit_deg_s: list[float] | None = P(
        None, unit="deg/s", meaning="gyro range of each axis (three values, each > 0)"
    )
    gyro_scale_factor: list[float] | None = P(None, unit="", meaning="scale-factor error of each axis (three values)")
    gyro_bias_deg_s: list[float] | None = P(None, unit="deg/s", meaning="bias of each axis (three values)")

    @model_validator(mode="after")
    def _three(self):
        for key in ("gyro_limit_deg_s", "gyro_scale_factor", "gyro_bias_deg_s"):
            vals = getattr(self, key)
            if vals is not None and len(vals) != 3:
                raise ValueError(f"{key} = {vals!r}: give three values (body x, y, z axes)")
        if self.gyro_limit_deg_s is not None and not all(0.0 < x <= 5000.0 for x in self.gyro_limit_deg_s):
            raise ValueError(
                f"gyro_limit_deg_s = {self.gyro_limit_deg_s!r}: every axis range must be > 0 and <= 5000 deg/s"
            )
        # the same bounds as the 3-DOF [edl.dispersions] gyro_scale_factor and gyro_bias_deg_s
        for key, limit, unit in (("gyro_scale_factor", 0.1, ""), ("gyro_bias_deg_s", 10.0, " deg/s")):
            vals = getattr(self, key)
            if vals is not None and any(abs(x) > limit for x in vals):
                raise ValueError(f"{key} = {vals!r}: each axis must lie within -{limit:g} to {limit:g}{unit}")
        return self


class IntegrationIn(_Strict):
    """Step control (:mod:`areo.edl.sixdof.stepcontrol`): steps of 2 pi / (N omega) for the fastest motion."""

    steps_per_period: float = P(
        20.0,
        unit="",
        meaning="N: RK4 steps per period of the fastest mode (>= 4: RK4 diverges below ~2.3)",
        ge=4.0,
        le=1e4,
    )
    snatch_steps_per_period: float = P(
        45.0,
        unit="",
        meaning="N from mortar fire until the snatch has settled (slack/taut riser; >= 4 as steps_per_period)",
        ge=4.0,
        le=1e4,
    )
    riser_courant: float = P(
        0.5,
        unit="",
        meaning="b dt of the riser held at its rest length (Baumgarte rate times step; RK4 stable below 2.8)",
        gt=0.0,
        le=2.8,
    )
    max_step_s: float = P(1.0, unit="s", meaning="cap of the translational step", gt=0.0, le=10.0)
    min_step_s: float = P(
        0.001, unit="s", meaning="shortest step when approaching an event (<= max_step_s)", gt=0.0, le=1.0
    )

    @model_validator(mode="after")
    def _steps(self):
        if self.min_step_s > self.max_step_s:
            raise ValueError(
                f"min_step_s = {self.min_step_s:g} s exceeds max_step_s = {self.max_step_s:g} s; the shortest step "
                "must not be longer than the longest: lower min_step_s or raise max_step_s"
            )
        return self


class Dispersions6In(_Strict):
    """One-sigma dispersions of inputs only the 6-DOF model has (Gaussian, added to the nominal). The shared
    ``[edl.dispersions]`` that the 6-DOF model reads apply too (see :data:`SHARED_DISPERSIONS`)."""

    entry_angle_of_attack_deg: float = D(
        unit="deg", meaning="angle of attack at entry", kernel="entry_alpha", si="deg", le=30.0
    )
    wind_east_m_s: float = D(unit="m/s", meaning="steady east wind on the parachute system", kernel="wind_e", le=100.0)
    wind_north_m_s: float = D(
        unit="m/s", meaning="steady north wind on the parachute system", kernel="wind_n", le=100.0
    )


SHARED_DISPERSIONS = (
    "entry_flight_path_angle_deg",
    "entry_speed_m_s",
    "entry_azimuth_deg",
    "entry_latitude_deg",
    "entry_longitude_deg",
    "density_scale",
    "capsule_cd",
    "parachute_cd",
    "entry_mass_kg",
    "gyro_bias_deg_s",
    "gyro_scale_factor",
    "accel_bias_m_s2",
    "accel_scale_factor",
    "thrust",
    "isp",
)
"""``[edl.dispersions]`` keys the 6-DOF Monte Carlo applies (the gyro ones on each axis, drawn independently).
The others (density_perturbation, lift_to_drag, wind, misalignment_deg, deploy_rate_deg_s) belong to 3-DOF
models the 6-DOF one replaces by its own physics and are not applied."""


class LanderIn(_Strict):
    """``[edl.sixdof.lander]``: the attitude control of the lander after the back-shell release / lander separation
    (:mod:`areo.edl.sixdof.lander`). ``ideal``: the thrust follows the guidance's direction at once (the
    infinite-rate limit) while the body keeps the attitude it had at the release; ``rate_limited``: the thrust
    is along the body's -x axis and the attitude is steered to the guidance's direction by an eigenaxis PD law
    with a maximum slew rate and angular acceleration (the lander's attitude-control authority)."""

    attitude_control: Literal["ideal", "rate_limited"] = P(
        "ideal", unit="", meaning="ideal: thrust along the commanded direction; rate_limited: body axis steered to it"
    )
    bandwidth_rad_s: float = P(
        2.0,
        unit="rad/s",
        meaning="natural frequency of the attitude loop (rate_limited; default assumed)",
        kernel="att_wn",
        gt=0.0,
        le=100.0,
    )
    damping_ratio: float = P(
        0.7,
        unit="",
        meaning="damping ratio of the attitude loop (rate_limited; default assumed)",
        kernel="att_zeta",
        gt=0.0,
        le=5.0,
    )
    max_rate_deg_s: float = P(
        20.0,
        unit="deg/s",
        meaning="largest slew rate the controller commands (rate_limited; default assumed)",
        kernel="att_rate_max",
        si="deg",
        gt=0.0,
        le=3600.0,
    )
    max_angular_accel_deg_s2: float = P(
        30.0,
        unit="deg/s^2",
        meaning="angular acceleration of the attitude-control torque at full authority "
        "(rate_limited; RCS or engine off-pulsing torque over the lander's inertia; default assumed)",
        kernel="att_acc_max",
        si="deg",
        gt=0.0,
        le=1e5,
    )


class SixDOFIn(_Strict):
    """``[edl.sixdof]``: what only the 6-DOF model needs; a scenario without it flies in 3-DOF only."""

    capsule: CapsuleIn
    parachute: Parachute6In
    riser: RiserIn
    wind: Wind6In = Wind6In()
    imu: IMU6In = IMU6In()
    integration: IntegrationIn = IntegrationIn()
    dispersions: Dispersions6In = Dispersions6In()
    lander: LanderIn = LanderIn()


SIXDOF_TABLES: dict[str, type[_Strict]] = {
    "sixdof.capsule": CapsuleIn,
    "sixdof.capsule.aero": CapsuleAeroIn,
    "sixdof.parachute": Parachute6In,
    "sixdof.riser": RiserIn,
    "sixdof.wind": Wind6In,
    "sixdof.imu": IMU6In,
    "sixdof.integration": IntegrationIn,
    "sixdof.dispersions": Dispersions6In,
    "sixdof.lander": LanderIn,
}
"""Sub-tables of ``[edl.sixdof]`` in the order of the reference page."""
