"""The one declaration of every EDL vehicle, GNC and sequence parameter.

Each scenario key is declared here once, as a pydantic field carrying its unit, meaning, default and allowed
range, and (for the keys the kernels read) the kernel parameter it feeds and the conversion to SI. Everything
else is derived from these declarations: the scenario tables (the pydantic models below, validated when a file
is read), the flat parameter mapping of the kernels (:func:`kernel_params`), the kernels' defaults
(:data:`KERNEL_DEFAULTS`, which also lists the parameters that only dispersions and faults set), the
dispersion map of the Monte Carlo (:data:`DISPERSIONS`) and the scenario reference page
(:func:`reference_markdown`). Generic defaults only: a mission's numbers live in its scenario file.

Datums (the one place they are defined; ``docs/datums.md`` says the same for users). Inside the kernels every
altitude is geometric height along the radius above the IAU Mars ellipsoid (equatorial radius 3396.19 km,
polar 3376.20 km; Archinal et al. 2018) at the geocentric latitude of the point.

* Entry interface: ``entry.radius_km`` (from Mars' centre, as NASA/JPL quote it, e.g. 3522.2 km) or
  ``entry.altitude_km`` above ``entry.altitude_reference``: ``"ellipsoid"`` (the IAU ellipsoid, default),
  ``"mean_sphere"`` (IAU mean radius 3389.50 km) or ``"mola_sphere"`` (the MOLA reference sphere, 3396.0 km);
  exactly one of the two. The kernels receive the equivalent altitude above the ellipsoid at the entry latitude
  (:meth:`Entry.altitude_m`).
* Landing site: ``site.elevation_m`` above ``site.elevation_reference``: ``"ellipsoid"`` (default) or
  ``"areoid"`` (MOLA topography is quoted relative to the areoid, an equipotential surface); with ``"areoid"``
  the scenario gives ``site.areoid_height_m``, the areoid's height above the IAU ellipsoid at the site (from the
  MOLA MEGDR areoid product or the GMM gravity field; areo ships no areoid model), and the kernels receive
  elevation_m + areoid_height_m (:meth:`SiteIn.elevation_above_ellipsoid_m`).

The flight-software sequence is data too: ``[[edl.parachutes]]`` (stages in deployment order) and
``[[edl.phases]]`` (phases in flight order, each with its entry actions and ``[[edl.phases.exit]]`` triggers),
checked by :func:`check_sequence` (cycles, unreachable phases, unknown phases, stages and events) and compiled
by :func:`areo.edl.flight_software.compile_sequence`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# conversions from a scenario key's unit to the SI value the kernel reads, by name
CONVERT: dict[str, Callable[[float], float]] = {
    "": float,
    "km": lambda x: x * 1e3,
    "deg": math.radians,
    "area_from_diameter": lambda d: math.pi * d**2 / 4.0,
    "omega_from_period": lambda t: 2.0 * math.pi / t,
    "cos_deg": lambda x: math.cos(math.radians(x)),
    "deg_per_sqrt_h": lambda x: math.radians(x) / 60.0,  # deg/sqrt(h) -> rad/sqrt(s)
    "per_sqrt_h": lambda x: x / 60.0,  # (m/s)/sqrt(h) -> (m/s)/sqrt(s)
    "deg_per_km_s": lambda x: math.radians(x) / 1e3,  # deg per km/s -> rad per m/s
}

# reference surfaces an entry altitude may be measured from (radius in m; None: the IAU ellipsoid)
ALTITUDE_REFERENCES: dict[str, float | None] = {
    "ellipsoid": None,
    "mean_sphere": 3_389_500.0,  # IAU WGCCRE 2015 mean radius (Archinal et al. 2018)
    "mola_sphere": 3_396_000.0,  # MOLA reference sphere (Smith et al. 2001)
}


def P(default: Any = ..., *, unit: str, meaning: str, kernel: str | tuple[str, ...] = (), si: str = "", **bounds):
    """A scenario key: default (``...`` = required), unit, meaning, allowed range (``ge``/``gt``/``le``/``lt``),
    and the kernel parameter(s) it sets with the named conversion ``si`` (see :data:`CONVERT`)."""
    kernel = (kernel,) if isinstance(kernel, str) else tuple(kernel)
    extra: dict[str, Any] = {"unit": unit, "kernel": list(kernel), "si": si}
    return Field(default, description=meaning, json_schema_extra=extra, **bounds)


def D(*, unit: str, meaning: str, kernel: str, kind: str = "add", si: str = "", le: float):
    """A one-sigma dispersion: ``add`` adds sigma * z (converted with ``si``), ``rel`` multiplies by 1 + sigma * z."""
    extra: dict[str, Any] = {"unit": unit, "kernel": [kernel], "si": si, "kind": kind}
    return Field(0.0, ge=0.0, le=le, description=meaning, json_schema_extra=extra)


class _Strict(BaseModel):
    # strict: no true for a number, no 2.0 for a count, no number for a text; finite numbers only
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


EPOCH_YEARS = (1900, 2100)


class Entry(_Strict):
    epoch_utc: str | None = P(
        None, unit="UTC ISO 8601", meaning="UTC of the entry interface; the mission replay checks it against cruise"
    )
    altitude_km: float | None = P(
        None,
        unit="km",
        meaning="entry interface altitude above altitude_reference (give this or radius_km)",
        kernel="entry_alt",
        si="km",
        gt=50.0,
        le=300.0,
    )
    radius_km: float | None = P(
        None,
        unit="km",
        meaning="entry interface radius from Mars' centre, as NASA/JPL quote it (give this or altitude_km)",
        gt=3400.0,
        le=3700.0,
    )
    altitude_reference: str = P(
        "ellipsoid",
        unit="",
        meaning="surface altitude_km is measured from: 'ellipsoid' (IAU), 'mean_sphere' (3389.5 km), 'mola_sphere' (3396.0 km)",
    )
    speed_km_s: float = P(
        unit="km/s", meaning="inertial speed at entry", kernel="entry_speed", si="km", gt=1.0, le=12.0
    )
    flight_path_angle_deg: float = P(
        unit="deg",
        meaning="inertial flight-path angle (negative: descending)",
        kernel="entry_fpa",
        si="deg",
        ge=-45.0,
        lt=0.0,  # 0 or above: the capsule never enters
    )
    azimuth_deg: float = P(
        unit="deg", meaning="heading from north", kernel="entry_azimuth", si="deg", ge=-360.0, le=360.0
    )
    latitude_deg: float = P(
        unit="deg", meaning="planetocentric latitude", kernel="entry_lat", si="deg", ge=-90.0, le=90.0
    )
    longitude_deg: float = P(unit="deg", meaning="east longitude", kernel="entry_lon", si="deg", ge=-360.0, le=360.0)

    @field_validator("epoch_utc")
    @classmethod
    def _epoch(cls, v):
        if v is None:
            return v
        from ..time import parse_utc

        year = parse_utc(v).year  # InputError naming the accepted forms
        if not EPOCH_YEARS[0] <= year <= EPOCH_YEARS[1]:
            raise ValueError(f"the entry epoch must lie in the years {EPOCH_YEARS[0]} to {EPOCH_YEARS[1]}")
        return v

    @field_validator("altitude_reference")
    @classmethod
    def _reference(cls, v):
        if v not in ALTITUDE_REFERENCES:
            raise ValueError(f"unknown altitude reference {v!r}; valid: {', '.join(ALTITUDE_REFERENCES)}")
        return v

    @model_validator(mode="after")
    def _one_datum(self):
        if (self.altitude_km is None) == (self.radius_km is None):
            raise ValueError(
                "give the entry interface either as altitude_km (above the IAU ellipsoid) or as radius_km "
                "(from Mars' centre), exactly one of them"
            )
        alt = self.altitude_m()
        if not 50e3 < alt <= 300e3:
            given = (
                f"radius_km = {self.radius_km:g}"
                if self.radius_km is not None
                else f"altitude_km = {self.altitude_km:g}"
            )
            raise ValueError(
                f"{given} puts the entry interface {alt / 1e3:.1f} km above the IAU ellipsoid at latitude "
                f"{self.latitude_deg:g} deg; it must lie 50 to 300 km above it (below that the capsule starts inside the "
                "atmosphere or under the surface)"
            )
        return self

    def altitude_m(self) -> float:
        """Entry interface altitude above the IAU ellipsoid at the entry (geocentric) latitude, m."""
        from .dynamics import ellipsoid_radius

        sphere = ALTITUDE_REFERENCES[self.altitude_reference]
        if self.altitude_km is not None and sphere is None:
            return self.altitude_km * 1e3
        if self.altitude_km is not None and sphere is not None:
            radius = sphere + self.altitude_km * 1e3
        else:
            radius = float(self.radius_km or 0.0) * 1e3
        return radius - float(ellipsoid_radius(math.sin(math.radians(self.latitude_deg))))


class SiteIn(_Strict):
    target_latitude_deg: float = P(
        unit="deg", meaning="landing ellipse centre latitude", kernel="target_lat", si="deg", ge=-90.0, le=90.0
    )
    target_longitude_deg: float = P(
        unit="deg", meaning="landing ellipse centre longitude", kernel="target_lon", si="deg", ge=-360.0, le=360.0
    )
    elevation_m: float = P(
        unit="m",
        meaning="terrain height at the site above elevation_reference (truth and on-board)",
        kernel=("ground_elev", "nav_ground_elev"),  # converted to the ellipsoid by elevation_above_ellipsoid_m
        ge=-9000.0,
        le=22000.0,
    )
    elevation_reference: str = P(
        "ellipsoid", unit="", meaning="surface elevation_m is measured from: 'ellipsoid' or 'areoid'"
    )
    areoid_height_m: float | None = P(
        None,
        unit="m",
        meaning="height of the areoid above the IAU ellipsoid at the site (needed with elevation_reference = 'areoid')",
        ge=-5000.0,
        le=5000.0,
    )

    @model_validator(mode="after")
    def _datum(self):
        if self.elevation_reference not in ("ellipsoid", "areoid"):
            raise ValueError(f"elevation_reference must be 'ellipsoid' or 'areoid', got {self.elevation_reference!r}")
        if (self.elevation_reference == "areoid") != (self.areoid_height_m is not None):
            raise ValueError(
                "give areoid_height_m (the areoid's height above the IAU ellipsoid at the site) exactly when "
                "elevation_reference = 'areoid'"
            )
        return self

    def elevation_above_ellipsoid_m(self) -> float:
        """Terrain height at the site above the IAU ellipsoid, m (what the kernels read)."""
        return self.elevation_m + (self.areoid_height_m or 0.0)


class Atmosphere(_Strict):
    model: str = P(
        "glenn",
        unit="",
        meaning="true atmosphere: 'glenn', 'table' (CSV profile), 'table_set' (profiles by Ls, latitude, local time) "
        "or 'entry_profile' (the measured lander profile nearest in Ls, latitude, local time)",
    )
    table: str | None = P(
        None, unit="path", meaning="CSV profile (or profile set) of the true atmosphere (relative to the scenario)"
    )
    navigation_model: str = P("glenn", unit="", meaning="atmosphere the on-board navigation assumes")
    navigation_table: str | None = P(
        None, unit="path", meaning="CSV profile (or profile set) the on-board navigation assumes (default: table)"
    )
    solar_longitude_deg: float | None = P(
        None, unit="deg", meaning="season Ls for a profile set (default: from entry.epoch_utc)", ge=0.0, lt=360.0
    )
    local_time_h: float | None = P(
        None,
        unit="h",
        meaning="local true solar time at the site for a profile set (default: from entry.epoch_utc)",
        ge=0.0,
        lt=24.0,
    )
    wind_altitude_km: list[float] = P([], unit="km", meaning="altitudes of the wind profile (increasing)")
    wind_east_m_s: list[float] = P([], unit="m/s", meaning="eastward wind at those altitudes (true atmosphere)")
    wind_north_m_s: list[float] = P([], unit="m/s", meaning="northward wind at those altitudes (true atmosphere)")

    @model_validator(mode="after")
    def _wind(self):
        n = len(self.wind_altitude_km)
        if len(self.wind_east_m_s) != n or len(self.wind_north_m_s) != n or n == 1:
            raise ValueError(
                "wind_altitude_km, wind_east_m_s and wind_north_m_s must have the same length (0, or 2 or more)"
            )
        h = self.wind_altitude_km
        for i in range(1, n):
            if h[i] <= h[i - 1]:
                raise ValueError(f"wind_altitude_km must increase strictly: {h[i]:g} follows {h[i - 1]:g}")
        if any(abs(w) > 300.0 for w in (*self.wind_east_m_s, *self.wind_north_m_s)):
            raise ValueError("wind speeds must lie within +-300 m/s")
        reads = ("table", "table_set", "entry_profile")  # the models that read a CSV
        if (
            self.table is not None
            and self.model not in reads
            and not (self.navigation_model in reads and self.navigation_table is None)
        ):
            raise ValueError(
                f"table = {self.table!r} is read by no model: model = {self.model!r} and navigation_model = "
                f"{self.navigation_model!r}; set model (or navigation_model) to one of {', '.join(reads)}, or drop table"
            )
        if self.navigation_table is not None and self.navigation_model not in reads:
            raise ValueError(
                f"navigation_table = {self.navigation_table!r} is not read with navigation_model = "
                f"{self.navigation_model!r}; set navigation_model to one of {', '.join(reads)}, or drop navigation_table"
            )
        return self


class AeroshellIn(_Strict):
    entry_mass_kg: float = P(unit="kg", meaning="mass at entry", kernel="m_entry", gt=0.0, le=10_000.0)
    front_shield_mass_kg: float = P(
        unit="kg", meaning="front shield, dropped at jettison", kernel="m_front_shield", ge=0.0, le=5_000.0
    )
    backshell_parachute_mass_kg: float = P(
        unit="kg",
        meaning="back shell and parachute, dropped at release",
        kernel="m_backshell_chute",
        ge=0.0,
        le=5_000.0,
    )
    diameter_m: float = P(
        unit="m",
        meaning="aeroshell diameter (reference area)",
        kernel="area_capsule",
        si="area_from_diameter",
        gt=0.1,
        le=15.0,
    )
    nose_radius_m: float = P(unit="m", meaning="nose radius (heat rate)", kernel="nose_radius", gt=0.01, le=10.0)
    lander_diameter_m: float = P(
        unit="m",
        meaning="lander frontal diameter after release",
        kernel="area_lander",
        si="area_from_diameter",
        gt=0.1,
        le=15.0,
    )
    lander_drag_coefficient: float = P(unit="", meaning="lander drag coefficient", kernel="cd_lander", gt=0.1, le=3.0)
    aero_table: str = P(
        "sphere_cone_70deg",
        unit="path",
        meaning="capsule C_D [and L/D] vs Mach until mortar fire: a built-in name or a CSV with columns mach, "
        "drag_coefficient[, lift_to_drag] (relative to the scenario)",
    )
    lift_to_drag: float = P(
        0.0,
        unit="",
        meaning="constant trim lift-to-drag ratio of the capsule until mortar fire (or a lift_to_drag column in aero_table)",
        kernel="lift_to_drag",
        ge=0.0,
        le=0.6,
    )
    bank_angle_deg: float = P(
        0.0,
        unit="deg",
        meaning="bank of the lift vector about the air-relative velocity (0: lift up, 180: down, + right); "
        "with bank.law = 'drag_tracking' the nominal bank its reference was flown with",
        kernel="bank",
        si="deg",
        ge=-180.0,
        le=180.0,
    )


BANK_LAWS = ("constant", "profile", "drag_tracking")


class BankIn(_Strict):
    """Bank-angle law of the lifting capsule (see areo.edl.aero.BankLaw and areo.edl.entry_guidance)."""

    law: str = P(
        "constant",
        unit="",
        meaning="'constant' (aeroshell.bank_angle_deg), 'profile' (profile_deg vs profile_at) or 'drag_tracking' "
        "(reference-drag entry guidance with bank reversals)",
    )
    profile_of: str = P(
        "time_s", unit="", meaning="abscissa of the profile: 'time_s' since entry or 'speed_m_s' (air-relative)"
    )
    profile_at: list[float] = P([], unit="s or m/s", meaning="profile abscissae (strictly increasing)")
    profile_deg: list[float] = P([], unit="deg", meaning="bank angle at those abscissae (linear between)")
    reference_speed_m_s: list[float] = P(
        [], unit="m/s", meaning="drag tracking: navigated speeds of the reference (increasing)"
    )
    reference_drag_m_s2: list[float] = P(
        [], unit="m/s^2", meaning="drag tracking: reference drag acceleration at those speeds"
    )
    reference_altitude_rate_m_s: list[float] = P(
        [], unit="m/s", meaning="drag tracking: reference altitude rate at those speeds (default 0)"
    )
    drag_gain_s2_m: float = P(
        0.05,
        unit="s^2/m",
        meaning="drag tracking: vertical L/D per m/s^2 of drag error",
        kernel="bank_k_drag",
        ge=0.0,
        le=10.0,
    )
    altitude_rate_gain_s_m: float = P(
        0.0,
        unit="s/m",
        meaning="drag tracking: vertical L/D per m/s of altitude-rate error",
        kernel="bank_k_hdot",
        ge=0.0,
        le=10.0,
    )
    rate_limit_deg_s: float = P(
        20.0, unit="deg/s", meaning="largest bank rate (reversals)", kernel="bank_rate", si="deg", gt=0.0, le=180.0
    )
    reversal_deadband_deg: float = P(
        0.5,
        unit="deg",
        meaning="crossrange angle beyond which the bank reverses",
        kernel="bank_deadband",
        si="deg",
        ge=0.0,
        le=30.0,
    )
    reversal_deadband_per_km_s_deg: float = P(
        0.0,
        unit="deg/(km/s)",
        meaning="growth of that deadband with navigated speed",
        kernel="bank_deadband_slope",
        si="deg_per_km_s",
        ge=0.0,
        le=30.0,
    )
    start_drag_m_s2: float = P(
        1.0,
        unit="m/s^2",
        meaning="sensed drag at which the guidance starts (nominal bank before)",
        kernel="bank_start_drag",
        ge=0.0,
        le=200.0,
    )

    @model_validator(mode="after")
    def _consistent(self):
        if self.law not in BANK_LAWS:
            raise ValueError(f"unknown bank law {self.law!r}; valid: {', '.join(BANK_LAWS)}")
        if self.profile_of not in ("time_s", "speed_m_s"):
            raise ValueError(f"profile_of must be 'time_s' or 'speed_m_s', got {self.profile_of!r}")
        unused = [key for law, keys in _BANK_LAW_KEYS if law != self.law for key in keys if getattr(self, key)]
        if unused:  # they would be ignored: the law flown is not the one they describe
            law = next(law for law, keys in _BANK_LAW_KEYS if unused[0] in keys)
            raise ValueError(
                f"{unused[0]} is given but law = {self.law!r} does not read it; set law = {law!r}, or drop "
                f"{', '.join(unused)}"
            )
        if self.law == "profile":
            _check_curve("profile_at", self.profile_at, "profile_deg", self.profile_deg)
            if self.profile_at[0] < 0.0:
                raise ValueError(
                    f"profile_at starts at {self.profile_at[0]:g}; its values ({self.profile_of}: time since entry or "
                    "air-relative speed) must be >= 0"
                )
            if any(abs(b) > 180.0 for b in self.profile_deg):
                raise ValueError("profile_deg values must lie within -180 to 180")
        if self.law == "drag_tracking":
            _check_curve(
                "reference_speed_m_s", self.reference_speed_m_s, "reference_drag_m_s2", self.reference_drag_m_s2
            )
            if not 0.0 <= self.reference_speed_m_s[0] or self.reference_speed_m_s[-1] > 20_000.0:
                raise ValueError("reference_speed_m_s values must lie in [0, 20000] m/s (navigated speeds)")
            if any(not 0.0 <= a <= 2_000.0 for a in self.reference_drag_m_s2):
                raise ValueError("reference_drag_m_s2 values must lie in [0, 2000] m/s^2 (a drag acceleration)")
            if self.reference_altitude_rate_m_s and len(self.reference_altitude_rate_m_s) != len(
                self.reference_speed_m_s
            ):
                raise ValueError(
                    "reference_altitude_rate_m_s must have as many values as reference_speed_m_s (or none)"
                )
        return self


# the lists each bank law reads (given with another law, they would be ignored)
_BANK_LAW_KEYS = (
    ("profile", ("profile_at", "profile_deg")),
    ("drag_tracking", ("reference_speed_m_s", "reference_drag_m_s2", "reference_altitude_rate_m_s")),
)


def _check_curve(xname: str, x: list[float], yname: str, y: list[float]) -> None:
    if len(x) < 2 or len(x) != len(y):
        raise ValueError(f"{xname} and {yname} need the same number of values, at least 2 (got {len(x)} and {len(y)})")
    for i in range(1, len(x)):
        if x[i] <= x[i - 1]:
            raise ValueError(f"{xname} must increase strictly: {x[i]:g} follows {x[i - 1]:g}; sort the points")


class ParachuteIn(_Strict):
    """The capsule under its canopy: snatch load at each stage's full inflation and the pitch oscillation. The
    canopies themselves are the ``[[edl.parachutes]]`` stages."""

    inflation_overshoot: float = P(
        unit="", meaning="peak-to-steady inflation load ratio", kernel="chute_overshoot", ge=1.0, le=3.0
    )
    lever_arm_m: float = P(unit="m", meaning="riser attachment to centre of mass", kernel="chute_arm", gt=0.0, le=5.0)
    snatch_duration_s: float = P(
        unit="s", meaning="duration of the snatch-load peak", kernel="chute_tau", gt=0.0, le=1.0
    )
    misalignment_deg: float = P(
        unit="deg", meaning="riser-to-axis angle at line stretch", kernel="chute_misalign", si="deg", ge=0.0, le=45.0
    )
    pitch_inertia_kg_m2: float = P(
        unit="kg m^2", meaning="capsule pitch inertia", kernel="pitch_inertia", gt=1.0, le=1e5
    )
    oscillation_period_s: float = P(
        unit="s",
        meaning="capsule pitch oscillation period under the canopy",
        kernel="osc_omega_n",
        si="omega_from_period",
        gt=0.1,
        le=30.0,
    )
    oscillation_damping_ratio: float = P(unit="", meaning="its damping ratio", kernel="osc_zeta", gt=0.0, lt=1.0)


class ThrustersIn(_Strict):
    count: int = P(unit="", meaning="number of thrusters", kernel="n_thrusters", ge=1, le=64)
    thrust_each_n: float = P(unit="N", meaning="thrust of one thruster", kernel="thrust_each", gt=0.0, le=1e5)
    isp_s: float = P(unit="s", meaning="specific impulse", kernel="isp", gt=50.0, le=500.0)
    propellant_kg: float = P(unit="kg", meaning="usable propellant", kernel="propellant", gt=0.0, le=5000.0)
    failed_in_thruster_failure: int | None = P(
        None, unit="", meaning="thrusters lost in the 'thruster-failure' fault (needed by that fault)", ge=0, le=64
    )
    min_throttle: float = P(
        0.0,
        unit="",
        meaning="smallest throttle fraction of the available thrust in the throttled modes (throttle_law, "
        "constant_velocity, gravity_turn): a command below it runs the engines at it (throttleable main engines)",
        kernel="min_throttle",
        ge=0.0,
        le=1.0,
    )
    pulse_period_s: float = P(
        0.0,
        unit="s",
        meaning="pulse-modulation period of the throttled modes (on-time = throttle x period), modelled as its "
        "average over a period with the on-time limited by min_on_time_s; 0: continuous throttle",
        kernel="pulse_period",
        ge=0.0,
        le=10.0,
    )
    min_on_time_s: float = P(
        0.0,
        unit="s",
        meaning="shortest pulse the engines fire (minimum impulse bit = thrust x this): shorter commanded pulses are "
        "rounded to 0 or to it, whichever is nearer",
        kernel="min_on_time",
        ge=0.0,
        le=1.0,
    )

    @model_validator(mode="after")
    def _pulse(self):
        if self.min_on_time_s > 0.0 and self.min_on_time_s > self.pulse_period_s:
            raise ValueError(
                f"min_on_time_s = {self.min_on_time_s!r} needs a pulse_period_s at least as long (got "
                f"{self.pulse_period_s!r}); set pulse_period_s for pulsed engines, or min_on_time_s = 0"
            )
        return self


class TouchdownIn(_Strict):
    crush_limit_m_s: float = P(
        unit="m/s", meaning="largest survivable touchdown speed", kernel="crush_limit", gt=0.0, le=50.0
    )


class IMUIn(_Strict):
    gyro_limit_deg_s: float = P(
        unit="deg/s", meaning="gyro measurement range", kernel="gyro_limit", si="deg", gt=1.0, le=5000.0
    )
    saturation_flag_hold_s: float = P(
        unit="s", meaning="persistence of the saturation flag", kernel="flag_hold", ge=0.0, le=10.0
    )
    as_flown_saturation_flag_hold_s: float | None = P(
        None, unit="s", meaning="flag persistence in the 'imu-saturation' fault (needed by that fault)", ge=0.0, le=10.0
    )
    gyro_angle_random_walk_deg_sqrt_h: float = P(
        0.0,
        unit="deg/sqrt(h)",
        meaning="gyro angle random walk",
        kernel="gyro_arw",
        si="deg_per_sqrt_h",
        ge=0.0,
        le=100.0,
    )
    accel_velocity_random_walk_m_s_sqrt_h: float = P(
        0.0,
        unit="m/s/sqrt(h)",
        meaning="accelerometer velocity random walk",
        kernel="acc_vrw",
        si="per_sqrt_h",
        ge=0.0,
        le=100.0,
    )


class RadarIn(_Strict):
    beam_cant_deg: float = P(
        unit="deg", meaning="beam cant from the capsule axis", kernel="radar_cant", si="deg", gt=1.0, le=45.0
    )
    max_range_m: float = P(
        unit="m", meaning="largest slant range that returns", kernel="radar_max_range", gt=10.0, le=100_000.0
    )
    max_off_nadir_deg: float = P(
        60.0,
        unit="deg",
        meaning="largest beam angle from nadir that returns",
        kernel="radar_cos_max_off",
        si="cos_deg",
        gt=5.0,
        lt=90.0,
    )
    range_noise_fraction: float = P(
        0.0,
        unit="",
        meaning="1-sigma slant-range noise of one sample, fraction of range",
        kernel="radar_noise",
        ge=0.0,
        le=0.5,
    )
    altitude_filter_time_s: float = P(
        0.0,
        unit="s",
        meaning="time constant of the radar/inertial altitude blend (0: radar as measured)",
        kernel="radar_tau",
        ge=0.0,
        le=30.0,
    )
    measurement_period_s: float = P(
        0.0,
        unit="s",
        meaning="radar sample period; samples within a step are averaged (0: one per step)",
        kernel="radar_period",
        ge=0.0,
        le=10.0,
    )


class SoftwareIn(_Strict):
    """Powered-descent guidance laws used by the ``engines`` modes of the phase table (``[[edl.phases]]``)."""

    profile_end_altitude_m: float = P(
        unit="m",
        meaning="estimated altitude where the throttle law's descent-speed profile reaches final_speed_m_s",
        kernel="profile_alt",
        ge=0.0,
        le=100.0,
    )
    final_speed_m_s: float = P(unit="m/s", meaning="descent speed at cut-off", kernel="v_final", ge=0.0, le=20.0)
    braking_accel_m_s2: float = P(
        unit="m/s^2", meaning="descent-speed profile deceleration", kernel="a_brake", gt=0.0, le=50.0
    )
    speed_gain_per_s: float = P(unit="1/s", meaning="throttle-law speed gain", kernel="k_vel", gt=0.0, le=7.0)
    terminal_gain_per_s: float = P(
        0.5, unit="1/s", meaning="slope of the speed profile near cut-off", kernel="k_term", gt=0.0, le=5.0
    )
    constant_velocity_m_s: float = P(
        2.5,
        unit="m/s",
        meaning="descent speed held by engines = 'constant_velocity' (legged landers: ~2.4 m/s)",
        kernel="v_const",
        gt=0.0,
        le=20.0,
    )


# ---- the flight-software sequence: parachute stages and the phase table ----------------------------------------

NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"  # phase, stage and event names (they become result columns)
# trigger quantities: name -> (unit suffix of its value keys, meaning)
QUANTITIES: dict[str, tuple[str, str]] = {
    "mach": ("", "navigated Mach number (on-board atmosphere)"),
    "dynamic_pressure": ("pa", "navigated dynamic pressure (Pa)"),
    "altitude": ("m", "navigated altitude above the site (radar-aided once the radar is locked) (m)"),
    "radar_altitude": ("m", "radar-aided altitude above the site (m); armed only while the radar is locked"),
    "speed": ("m_s", "navigated speed (m/s)"),
    "vertical_speed": ("m_s", "navigated descent speed, positive downwards (m/s)"),
    "time": ("s", "time since the event named by 'since', or since the phase began (s)"),
}
# quantity -> (lowest, highest, lowest excluded) threshold a trigger may watch for: beyond, it never fires or
# fires at once (a Mach of 0 is never reached in flight, a navigated speed never exceeds ~20 km/s at Mars)
TRIGGER_RANGES: dict[str, tuple[float, float, bool]] = {
    "mach": (0.0, 50.0, True),
    "dynamic_pressure": (0.0, 1e6, False),
    "altitude": (0.0, 1e6, False),
    "radar_altitude": (0.0, 1e5, True),  # the radar returns only above the ground: 0 m is never read
    "speed": (0.0, 2e4, False),
    "vertical_speed": (-2e4, 2e4, False),
    "time": (0.0, 1e5, False),
}
ENGINE_MODES = ("off", "full", "throttle_law", "constant_velocity", "gravity_turn")
# events every run records whatever its table: entry interface, first gyro saturation, first radar return, touchdown
BUILTIN_EVENTS = ("entry", "imu_saturation", "radar_lock", "touchdown")
VALUE_KEYS = tuple(f"{cmp}{'_' + u if u else ''}" for u in ("", "pa", "m", "m_s", "s") for cmp in ("below", "above"))


_UNITS = {"": "", "pa": " Pa", "m": " m", "m_s": " m/s", "s": " s"}  # a value key's suffix -> its unit


def _threshold_range(quantity: str) -> str:
    """``'mach' threshold must be > 0 and <= 50``: the range a trigger on ``quantity`` takes, with its unit."""
    lo, hi, open_low = TRIGGER_RANGES[quantity]
    unit = _UNITS[QUANTITIES[quantity][0]]
    return f"{quantity!r} threshold must be {'>' if open_low else '>='} {lo:g} and <= {hi:g}{unit}"


def trigger_range(key: str) -> str:
    """The ranges a trigger value key (``below_m``) takes, one per quantity it goes with, for messages."""
    suffix = key.removeprefix("below").removeprefix("above").lstrip("_")
    return " / ".join(_threshold_range(q) for q, (sfx, _) in QUANTITIES.items() if sfx == suffix)


def _value(meaning: str, unit: str):
    return P(None, unit=unit, meaning=meaning)


class ParachuteStageIn(_Strict):
    """One parachute stage (``[[edl.parachutes]]``, in deployment order): deploying a stage releases the one before."""

    name: str = P(unit="", meaning="stage name; its full inflation is recorded as the event NAME_inflated")
    diameter_m: float = P(
        unit="m", meaning="nominal canopy diameter", gt=0.0, le=60.0
    )  # > 0: a stage without canopy is no stage
    drag_coefficient: float | None = P(
        None,
        unit="",
        meaning="constant drag coefficient (nominal area); absent: the disk-gap-band table vs Mach (areo.edl.aero)",
        gt=0.0,
        le=3.0,
    )
    inflation_time_s: float = P(
        unit="s", meaning="deploy to full inflation (drag area grows as time squared)", gt=0.05, le=30.0
    )

    @field_validator("name")
    @classmethod
    def _name(cls, v):
        return _check_name(v)


def _check_name(v: str) -> str:
    import re

    if not re.match(NAME_PATTERN, v):
        raise ValueError("a name is lower-case letters, digits and '_', starting with a letter, at most 40 characters")
    return v


class TriggerIn(_Strict):
    """An exit of a phase (``[[edl.phases.exit]]``): when its quantity crosses the value (for ``persist_s``, once
    armed) the software goes to phase ``goto``. The value key carries the quantity's unit: ``below``/``above``
    (Mach), ``below_pa``, ``below_m``, ``below_m_s``, ``above_s``, ..."""

    quantity: Literal["mach", "dynamic_pressure", "altitude", "radar_altitude", "speed", "vertical_speed", "time"] = P(
        unit="", meaning="navigated quantity the trigger watches: " + ", ".join(QUANTITIES)
    )
    below: float | None = _value("fire when the Mach number is at or below this", "")
    above: float | None = _value("fire when the Mach number is at or above this", "")
    below_pa: float | None = _value("fire when the dynamic pressure is at or below this", "Pa")
    above_pa: float | None = _value("fire when the dynamic pressure is at or above this", "Pa")
    below_m: float | None = _value("fire when the altitude is at or below this", "m")
    above_m: float | None = _value("fire when the altitude is at or above this", "m")
    below_m_s: float | None = _value("fire when the speed is at or below this", "m/s")
    above_m_s: float | None = _value("fire when the speed is at or above this", "m/s")
    below_s: float | None = _value("fire while the time is at or below this (rarely useful)", "s")
    above_s: float | None = _value("fire when the time is at or above this", "s")
    since: str | None = P(None, unit="", meaning="quantity 'time': the event it counts from (absent: phase start)")
    persist_s: float = P(
        0.0,
        unit="s",
        meaning="the condition must hold this long before the trigger fires",
        ge=0.0,
        le=TRIGGER_RANGES["time"][1],
    )
    armed_after: str | None = P(None, unit="", meaning="armed only once this event has happened")
    armed_above_peak_g: float | None = P(
        None, unit="g", meaning="armed only once the peak sensed deceleration has exceeded this", gt=0.0, le=100.0
    )
    goto: str = P(unit="", meaning="phase entered when the trigger fires")

    @model_validator(mode="after")
    def _one_value(self):
        suffix = QUANTITIES[self.quantity][0]
        allowed = [k for k in VALUE_KEYS if k.removeprefix("below").removeprefix("above").lstrip("_") == suffix]
        given = [k for k in VALUE_KEYS if getattr(self, k) is not None]
        if given != [k for k in given if k in allowed] or len(given) != 1:
            raise ValueError(
                f"quantity {self.quantity!r} takes exactly one of {' / '.join(allowed)} (its unit is in the key), "
                f"got {', '.join(given) or 'none'}"
            )
        if self.since is not None and self.quantity != "time":
            raise ValueError(f"'since' goes with quantity 'time', not {self.quantity!r}")
        lo, hi, open_low = TRIGGER_RANGES[self.quantity]
        value = getattr(self, given[0])
        if not (lo < value if open_low else lo <= value) or value > hi:
            raise ValueError(
                f"{given[0]} = {value!r}: a {_threshold_range(self.quantity)}; beyond that the trigger never fires "
                "or fires at once"
            )
        return self

    def threshold(self) -> tuple[bool, float]:
        """(fires below the value, value in SI)."""
        k = next(k for k in VALUE_KEYS if getattr(self, k) is not None)
        return k.startswith("below"), float(getattr(self, k))


class PhaseIn(_Strict):
    """A flight-software phase (``[[edl.phases]]``, the first is flown from the entry interface): the actions done
    on entering it, in this order (event, parachute, heatshield, back shell, attitude, engines), and its exits."""

    name: str = P(unit="", meaning="phase name")
    event: str | None = P(None, unit="", meaning="event recorded on entering the phase (a result column prefix)")
    event_label: str | None = P(None, unit="", meaning="words for the event in timelines (default: its name)")
    deploy_parachute: str | None = P(None, unit="", meaning="fire the mortar of this [[edl.parachutes]] stage")
    jettison_heatshield: bool = P(
        False, unit="", meaning="drop the front shield (aeroshell.front_shield_mass_kg); the radar starts"
    )
    release_backshell: bool = P(
        False,
        unit="",
        meaning="the lander leaves the back shell and its parachutes (aeroshell.backshell_parachute_mass_kg) and flies "
        "with the lander's drag; in 3-DOF a lander dropped from the back shell and a released back shell are alike",
    )
    attitude_hold: bool = P(False, unit="", meaning="the lander holds the attitude it has (no more pendulum motion)")
    engines: Literal["off", "full", "throttle_law", "constant_velocity", "gravity_turn"] | None = P(
        None,
        unit="",
        meaning="engine mode from now on: off (cut-off), full (all thrusters), throttle_law (descent-speed "
        "profile, [edl.software]), constant_velocity (software.constant_velocity_m_s), gravity_turn (thrust "
        "opposite the navigated velocity, the speed tracking the same profile); absent: unchanged",
    )
    exit: list[TriggerIn] = Field(default_factory=list, max_length=8)

    @field_validator("name", "event")
    @classmethod
    def _name(cls, v):
        return v if v is None else _check_name(v)


def check_sequence(phases: list[PhaseIn], stages: list[ParachuteStageIn]) -> str | None:
    """What is wrong with a phase table (a one-line message naming key, value and what is allowed), or None."""
    names = [ph.name for ph in phases]
    stage_names = [s.name for s in stages]
    for i, n in enumerate(names):
        if n in names[:i]:
            return f"phases.{i}.name = {n!r} is used twice; give each phase its own name"
    for j, n in enumerate(stage_names):
        if n in stage_names[:j]:
            return f"parachutes.{j}.name = {n!r} is used twice; give each stage its own name"
    events = list(BUILTIN_EVENTS) + [f"{s}_inflated" for s in stage_names]
    for i, ph in enumerate(phases):
        if ph.event is not None:
            if ph.event in events:
                return f"phases.{i}.event = {ph.event!r} is already an event; names in use: {', '.join(events)}"
            events.append(ph.event)
    for i, ph in enumerate(phases):
        if ph.deploy_parachute is not None and ph.deploy_parachute not in stage_names:
            return (
                f"phases.{i}.deploy_parachute = {ph.deploy_parachute!r} is not a [[edl.parachutes]] stage; "
                f"stages: {', '.join(stage_names) or 'none declared'}"
            )
        for k, tr in enumerate(ph.exit):
            key = f"phases.{i}.exit.{k}"
            if tr.goto not in names:
                return f"{key}.goto = {tr.goto!r} is not a phase; phases: {', '.join(names)}"
            for attr in ("since", "armed_after"):
                ev = getattr(tr, attr)
                if ev is not None and ev not in events:
                    return f"{key}.{attr} = {ev!r} is not an event; events: {', '.join(events)}"
    cycle = _find_cycle(phases)
    if cycle:
        return (
            f"phases: the exits make a cycle {' -> '.join(cycle)}; a phase may not lead back to itself "
            f"(change the goto of {cycle[-2]!r})"
        )
    seen, todo = {names[0]}, [0]
    while todo:
        for tr in phases[todo.pop()].exit:
            if tr.goto not in seen:
                seen.add(tr.goto)
                todo.append(names.index(tr.goto))
    for i, n in enumerate(names):
        if n not in seen:
            return f"phases.{i}.name = {n!r} is unreachable from the first phase {names[0]!r}; add an exit to it or drop it"
    return None


def _find_cycle(phases: list[PhaseIn]) -> list[str] | None:
    names = [ph.name for ph in phases]
    state = [0] * len(phases)  # 0 new, 1 on the path, 2 done

    def visit(i, path):
        state[i] = 1
        for tr in phases[i].exit:
            j = names.index(tr.goto)
            if state[j] == 1:
                return [*path[path.index(j) :], j]
            if state[j] == 0:
                found = visit(j, [*path, j])
                if found:
                    return found
        state[i] = 2
        return None

    for i in range(len(phases)):
        if state[i] == 0:
            found = visit(i, [i])
            if found:
                return [names[j] for j in found]
    return None


class Dispersions(_Strict):
    """One-sigma dispersions (Gaussian unless said)."""

    entry_flight_path_angle_deg: float = D(
        unit="deg", meaning="entry flight-path angle", kernel="entry_fpa", si="deg", le=5.0
    )
    entry_speed_m_s: float = D(unit="m/s", meaning="entry speed", kernel="entry_speed", le=500.0)
    entry_azimuth_deg: float = D(unit="deg", meaning="entry azimuth", kernel="entry_azimuth", si="deg", le=10.0)
    entry_latitude_deg: float = D(unit="deg", meaning="entry latitude", kernel="entry_lat", si="deg", le=10.0)
    entry_longitude_deg: float = D(unit="deg", meaning="entry longitude", kernel="entry_lon", si="deg", le=10.0)
    density_scale: float = D(unit="", meaning="density scale factor", kernel="rho_scale", kind="rel", le=0.5)
    density_perturbation: float = D(
        unit="",
        meaning="amplitude of each of three altitude waves (phases uniform)",
        kernel="pert_a0",
        kind="waves",
        le=0.3,
    )
    capsule_cd: float = D(unit="", meaning="capsule drag coefficient", kernel="cd_capsule_scale", kind="rel", le=0.3)
    parachute_cd: float = D(unit="", meaning="parachute drag coefficient", kernel="cd_chute_scale", kind="rel", le=0.3)
    lift_to_drag: float = D(unit="", meaning="capsule lift-to-drag ratio", kernel="ld_scale", kind="rel", le=0.5)
    wind: float = D(unit="", meaning="wind speed (scale of the wind profile)", kernel="wind_scale", kind="rel", le=1.0)
    misalignment_deg: float = D(unit="deg", meaning="riser misalignment", kernel="chute_misalign", si="deg", le=20.0)
    deploy_rate_deg_s: float = D(
        unit="deg/s", meaning="pitch rate at mortar fire", kernel="om_deploy", si="deg", le=100.0
    )
    entry_mass_kg: float = D(unit="kg", meaning="entry mass", kernel="m_entry", le=100.0)
    gyro_bias_deg_s: float = D(unit="deg/s", meaning="gyro bias", kernel="gyro_bias", si="deg", le=10.0)
    gyro_scale_factor: float = D(unit="", meaning="gyro scale-factor error", kernel="gyro_sf", le=0.1)
    accel_bias_m_s2: float = D(unit="m/s^2", meaning="accelerometer bias", kernel="acc_bias", le=1.0)
    accel_scale_factor: float = D(unit="", meaning="accelerometer scale-factor error", kernel="acc_sf", le=0.1)
    thrust: float = D(unit="", meaning="thrust of each thruster", kernel="thrust_each", kind="rel", le=0.3)
    isp: float = D(unit="", meaning="specific impulse", kernel="isp", kind="rel", le=0.3)


class Case(_Strict):
    description: str = Field("", max_length=10_000)
    faults: list[str] = Field(default_factory=list)

    @field_validator("faults")
    @classmethod
    def _known(cls, v):
        from .gnc import FAULTS

        bad = [f for f in v if f not in FAULTS]
        if bad:
            raise ValueError(f"unknown fault(s) {', '.join(map(repr, bad))}; valid faults: {', '.join(FAULTS)}")
        return v


VEHICLE_TABLES: dict[str, type[_Strict]] = {
    "entry": Entry,
    "site": SiteIn,
    "aeroshell": AeroshellIn,
    "bank": BankIn,
    "parachute": ParachuteIn,
    "thrusters": ThrustersIn,
    "touchdown": TouchdownIn,
    "imu": IMUIn,
    "radar": RadarIn,
    "software": SoftwareIn,
}


@dataclass(frozen=True)
class KernelParam:
    """A kernel parameter no scenario key sets directly (dispersions, faults and numerics set them)."""

    name: str
    default: float
    unit: str
    meaning: str


INTERNAL = (
    KernelParam("radar_fail", 0.0, "", "1: the radar never returns ('radar-dropout' fault)"),
    KernelParam("chute_fail", 0.0, "", "1: the parachute does not open ('parachute-failure' fault)"),
    KernelParam("n_failed", 0.0, "", "thrusters lost ('thruster-failure' fault)"),
    KernelParam("rho_scale", 1.0, "", "true density scale factor"),
    *(KernelParam(f"pert_a{k}", 0.0, "", f"amplitude of density wave {k}") for k in range(3)),
    *(KernelParam(f"pert_p{k}", 0.0, "rad", f"phase of density wave {k}") for k in range(3)),
    KernelParam("cd_capsule_scale", 1.0, "", "capsule drag coefficient scale"),
    KernelParam("cd_chute_scale", 1.0, "", "parachute drag coefficient scale"),
    KernelParam("ld_scale", 1.0, "", "capsule lift-to-drag ratio scale"),
    KernelParam("wind_scale", 1.0, "", "wind profile scale"),
    KernelParam("om_deploy", 0.0, "rad/s", "pitch rate at mortar fire"),
    KernelParam("gyro_bias", 0.0, "rad/s", "gyro bias"),
    KernelParam("gyro_sf", 0.0, "", "gyro scale-factor error"),
    KernelParam("acc_bias", 0.0, "m/s^2", "accelerometer bias"),
    KernelParam("acc_sf", 0.0, "", "accelerometer scale-factor error"),
    KernelParam("noise_key", 0.0, "", "sensor-noise key of the run (32-bit integer as float)"),
    KernelParam("dt_scale", 1.0, "", "step-size scale (numerics)"),
)


def _extra(field) -> dict:
    return field.json_schema_extra or {}


def _scenario_defaults() -> dict[str, float]:
    out: dict[str, float] = {}
    for model in VEHICLE_TABLES.values():
        for f in model.model_fields.values():
            ex = _extra(f)
            if ex.get("kernel") and not f.is_required() and f.default is not None:
                for k in ex["kernel"]:
                    out[k] = CONVERT[ex["si"]](f.default)
    return out


KERNEL_DEFAULTS: dict[str, float] = {**{q.name: q.default for q in INTERNAL}, **_scenario_defaults()}

# dispersion name -> (kernel parameter, kind, factor to SI of one unit of sigma)
DISPERSIONS: dict[str, tuple[str, str, float]] = {
    name: (_extra(f)["kernel"][0], _extra(f)["kind"], CONVERT[_extra(f)["si"]](1.0))
    for name, f in Dispersions.model_fields.items()
    if _extra(f)["kind"] != "waves"
}


def kernel_params(tables: dict[str, BaseModel]) -> dict[str, float]:
    """The kernels' flat SI parameter mapping from validated scenario tables (``{"entry": Entry(...), ...}``)."""
    p = dict(KERNEL_DEFAULTS)
    for rec in tables.values():
        for name, f in type(rec).model_fields.items():
            ex = _extra(f)
            value = getattr(rec, name)
            for k in ex.get("kernel", []) if value is not None else ():
                p[k] = CONVERT[ex["si"]](value)
    return p


def reference_markdown() -> str:
    """The scenario reference page: every ``[edl.*]`` key (``[edl.sixdof.*]`` included) with unit, default, allowed range and meaning."""
    lines = ["| key | unit | default | allowed | meaning |", "|---|---|---|---|---|"]
    tables: dict[str, type[BaseModel]] = {
        **VEHICLE_TABLES,
        "parachutes[]": ParachuteStageIn,
        "phases[]": PhaseIn,
        "phases[].exit[]": TriggerIn,
        "atmosphere": Atmosphere,
        "dispersions": Dispersions,
    }
    from .schema_sixdof import SIXDOF_TABLES

    tables.update(SIXDOF_TABLES)  # [edl.sixdof]: the 6-DOF model's own inputs
    for table, model in tables.items():
        for name, f in model.model_fields.items():
            if name == "exit" or (isinstance(f.annotation, type) and issubclass(f.annotation, BaseModel)):
                continue  # a sub-table: its own rows
            ex = _extra(f)
            rng = " ".join(
                f"{op}{getattr(m, attr)}"
                for m in f.metadata
                for op, attr in ((">=", "ge"), (">", "gt"), ("<=", "le"), ("<", "lt"))
                if getattr(m, attr, None) is not None
            )
            default = "required" if f.is_required() else repr(f.default)
            lines.append(f"| `edl.{table}.{name}` | {ex.get('unit', '')} | {default} | {rng} | {f.description or ''} |")
    return "\n".join(lines) + "\n"
