"""Pydantic models of the EDL part of a scenario file (``[edl]`` and its sub-tables).

Top-level tables other than ``[edl]`` (``[mission]``, and later ``[launch]``, ``[cruise]``, ``[ground]``)
are ignored here; inside ``[edl...]`` unknown keys are refused with a message naming the key and the
valid ones. Values are given in the units their names carry and converted to SI once, in
:meth:`EDLScenario.to_params`.
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError, unknown_choice
from ..io.tomlfile import read_toml
from . import gnc
from .atmosphere import make_atmosphere
from .gnc import IMU, FlightSoftware, RadarAltimeter
from .simulate import Model
from .vehicle import Aeroshell, Parachute, Thrusters, Touchdown


class _Strict(BaseModel):
    # strict: no true for a number, no 2.0 for a count, no number for a text; finite numbers only
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


EPOCH_YEARS = (1900, 2100)


class Entry(_Strict):
    epoch_utc: str = Field(
        "2016-10-19T14:42:00", description="UTC of the entry interface; the mission replay checks it against cruise"
    )
    altitude_km: float = Field(gt=50.0, le=300.0)
    speed_km_s: float = Field(gt=1.0, le=12.0)
    flight_path_angle_deg: float = Field(ge=-45.0, lt=0.0)  # 0 or above: the capsule never enters
    azimuth_deg: float = Field(ge=-360.0, le=360.0)
    latitude_deg: float = Field(ge=-90.0, le=90.0)
    longitude_deg: float = Field(ge=-360.0, le=360.0)

    @field_validator("epoch_utc")
    @classmethod
    def _epoch(cls, v):
        from ..time import parse_utc

        year = parse_utc(v).year  # InputError naming the accepted forms
        if not EPOCH_YEARS[0] <= year <= EPOCH_YEARS[1]:
            raise ValueError(f"the entry epoch must lie in the years {EPOCH_YEARS[0]} to {EPOCH_YEARS[1]}")
        return v


class Site(_Strict):
    target_latitude_deg: float = Field(ge=-90.0, le=90.0)
    target_longitude_deg: float = Field(ge=-360.0, le=360.0)
    elevation_m: float = Field(ge=-9000.0, le=22000.0)


class Atmosphere(_Strict):
    model: str = "glenn"
    table: str | None = None
    navigation_model: str = "glenn"


class AeroshellIn(_Strict):
    entry_mass_kg: float = Field(gt=0.0, le=10_000.0)
    front_shield_mass_kg: float = Field(ge=0.0, le=5_000.0)
    backshell_parachute_mass_kg: float = Field(ge=0.0, le=5_000.0)
    diameter_m: float = Field(gt=0.1, le=15.0)
    nose_radius_m: float = Field(gt=0.01, le=10.0)
    lander_diameter_m: float = Field(gt=0.1, le=15.0)
    lander_drag_coefficient: float = Field(gt=0.1, le=3.0)


class ParachuteIn(_Strict):
    diameter_m: float = Field(gt=1.0, le=40.0)
    deploy_mach: float = Field(gt=0.2, le=3.0)
    deploy_dynamic_pressure_pa: float = Field(0.0, ge=0.0, le=2000.0)
    inflation_time_s: float = Field(gt=0.05, le=10.0)
    inflation_overshoot: float = Field(ge=1.0, le=3.0)
    lever_arm_m: float = Field(gt=0.0, le=5.0)
    snatch_duration_s: float = Field(gt=0.0, le=1.0)
    misalignment_deg: float = Field(ge=0.0, le=45.0)
    pitch_inertia_kg_m2: float = Field(gt=1.0, le=1e5)
    oscillation_period_s: float = Field(gt=0.1, le=30.0)
    oscillation_damping_ratio: float = Field(gt=0.0, lt=1.0)


class ThrustersIn(_Strict):
    count: int = Field(ge=1, le=64)
    thrust_each_n: float = Field(gt=0.0, le=1e5)
    isp_s: float = Field(gt=50.0, le=500.0)
    propellant_kg: float = Field(gt=0.0, le=5000.0)
    failed_in_thruster_failure: int = Field(3, ge=0, le=64)


class TouchdownIn(_Strict):
    crush_limit_m_s: float = Field(gt=0.0, le=50.0)


class IMUIn(_Strict):
    gyro_limit_deg_s: float = Field(gt=1.0, le=5000.0)
    saturation_flag_hold_s: float = Field(ge=0.0, le=10.0)
    as_flown_saturation_flag_hold_s: float = Field(ge=0.0, le=10.0)
    gyro_angle_random_walk_deg_sqrt_h: float = Field(0.0, ge=0.0, le=100.0)
    accel_velocity_random_walk_m_s_sqrt_h: float = Field(0.0, ge=0.0, le=100.0)


class RadarIn(_Strict):
    beam_cant_deg: float = Field(gt=1.0, le=45.0)
    max_range_m: float = Field(gt=10.0, le=100_000.0)
    max_off_nadir_deg: float = Field(60.0, gt=5.0, lt=90.0)
    range_noise_fraction: float = Field(0.0, ge=0.0, le=0.5)


class SoftwareIn(_Strict):
    jettison_delay_s: float = Field(gt=0.0, le=600.0)
    release_altitude_m: float = Field(gt=10.0, le=20_000.0)
    separation_burn_s: float = Field(ge=0.0, le=60.0)
    cutoff_altitude_m: float = Field(ge=0.0, le=100.0)
    final_speed_m_s: float = Field(ge=0.0, le=20.0)
    braking_accel_m_s2: float = Field(gt=0.0, le=50.0)
    speed_gain_per_s: float = Field(gt=0.0, le=7.0)
    terminal_gain_per_s: float = Field(0.5, gt=0.0, le=5.0)


class Dispersions(_Strict):
    """One-sigma dispersions (Gaussian unless said)."""

    entry_flight_path_angle_deg: float = Field(0.0, ge=0.0, le=5.0)
    entry_speed_m_s: float = Field(0.0, ge=0.0, le=500.0)
    entry_azimuth_deg: float = Field(0.0, ge=0.0, le=10.0)
    entry_latitude_deg: float = Field(0.0, ge=0.0, le=10.0)
    entry_longitude_deg: float = Field(0.0, ge=0.0, le=10.0)
    density_scale: float = Field(0.0, ge=0.0, le=0.5)
    density_perturbation: float = Field(0.0, ge=0.0, le=0.3)
    capsule_cd: float = Field(0.0, ge=0.0, le=0.3)
    parachute_cd: float = Field(0.0, ge=0.0, le=0.3)
    misalignment_deg: float = Field(0.0, ge=0.0, le=20.0)
    deploy_rate_deg_s: float = Field(0.0, ge=0.0, le=100.0)
    entry_mass_kg: float = Field(0.0, ge=0.0, le=100.0)
    gyro_bias_deg_s: float = Field(0.0, ge=0.0, le=10.0)
    gyro_scale_factor: float = Field(0.0, ge=0.0, le=0.1)
    accel_bias_m_s2: float = Field(0.0, ge=0.0, le=1.0)
    accel_scale_factor: float = Field(0.0, ge=0.0, le=0.1)
    thrust: float = Field(0.0, ge=0.0, le=0.3)
    isp: float = Field(0.0, ge=0.0, le=0.3)


class Case(_Strict):
    description: str = Field("", max_length=10_000)
    faults: list[str] = Field(default_factory=list)

    @field_validator("faults")
    @classmethod
    def _known(cls, v):
        bad = [f for f in v if f not in gnc.FAULTS]
        if bad:
            raise ValueError(f"unknown fault(s) {', '.join(map(repr, bad))}; valid faults: {', '.join(gnc.FAULTS)}")
        return v


class EDLScenario(_Strict):
    entry: Entry
    site: Site
    atmosphere: Atmosphere = Atmosphere()
    aeroshell: AeroshellIn
    parachute: ParachuteIn
    thrusters: ThrustersIn
    touchdown: TouchdownIn
    imu: IMUIn
    radar: RadarIn
    software: SoftwareIn
    dispersions: Dispersions = Dispersions()
    cases: dict[str, Case] = Field(default_factory=lambda: {"nominal": Case()})
    default_case: str = "nominal"

    @model_validator(mode="after")
    def _consistent(self):
        """Cross-field checks, so that a file that loads also flies (they used to surface mid-run)."""
        a, th, sw = self.aeroshell, self.thrusters, self.software
        jettisoned = a.front_shield_mass_kg + a.backshell_parachute_mass_kg + th.propellant_kg
        if jettisoned >= a.entry_mass_kg:
            raise ValueError(
                f"aeroshell.front_shield_mass_kg + aeroshell.backshell_parachute_mass_kg + thrusters.propellant_kg "
                f"= {jettisoned:g} kg must be below entry_mass_kg = {a.entry_mass_kg:g} kg (aeroshell); lower them"
            )
        if th.failed_in_thruster_failure > th.count:
            raise ValueError(
                f"thrusters.failed_in_thruster_failure = {th.failed_in_thruster_failure} is more than thrusters.count "
                f"= {th.count}; make it at most the number of thrusters"
            )
        if sw.release_altitude_m >= self.entry.altitude_km * 1e3:
            raise ValueError(
                f"software.release_altitude_m = {sw.release_altitude_m:g} m is above the entry interface "
                f"(entry.altitude_km = {self.entry.altitude_km:g} km); the back-shell is released low, near the ground"
            )
        if sw.cutoff_altitude_m >= sw.release_altitude_m:
            raise ValueError(
                f"software.cutoff_altitude_m = {sw.cutoff_altitude_m:g} m must be below software.release_altitude_m "
                f"= {sw.release_altitude_m:g} m"
            )
        if self.default_case not in self.cases:
            raise ValueError(
                f"default_case = {self.default_case!r} is not one of the [edl.cases.NAME] tables "
                f"({', '.join(self.cases)}); add that table or change default_case"
            )
        return self

    def faults_for(self, case: str | None, extra_faults=()) -> list[str]:
        case = case or self.default_case
        if case not in self.cases:
            raise unknown_choice("EDL case", case, self.cases, "Cases are the [edl.cases.NAME] tables of the scenario.")
        faults = list(self.cases[case].faults) + [f for f in extra_faults if f not in self.cases[case].faults]
        for f in faults:
            if f not in gnc.FAULTS:
                raise unknown_choice("fault", f, gnc.FAULTS)
        return faults

    def to_params(self, faults=()) -> dict[str, float]:
        """Flat SI parameter mapping for the kernels (nominal values, faults applied)."""
        d = math.radians
        e, a, c, th = self.entry, self.aeroshell, self.parachute, self.thrusters
        if a.front_shield_mass_kg + a.backshell_parachute_mass_kg + th.propellant_kg >= a.entry_mass_kg:
            raise InputError(
                "edl.aeroshell: front_shield_mass_kg + backshell_parachute_mass_kg + edl.thrusters.propellant_kg "
                f"= {a.front_shield_mass_kg + a.backshell_parachute_mass_kg + th.propellant_kg:g} kg must be below entry_mass_kg = {a.entry_mass_kg:g} kg"
            )
        p = {
            "entry_alt": e.altitude_km * 1e3,
            "entry_lat": d(e.latitude_deg),
            "entry_lon": d(e.longitude_deg),
            "entry_speed": e.speed_km_s * 1e3,
            "entry_fpa": d(e.flight_path_angle_deg),
            "entry_azimuth": d(e.azimuth_deg),
            "ground_elev": self.site.elevation_m,
            "nav_ground_elev": self.site.elevation_m,
            "propellant": th.propellant_kg,
        }
        p.update(
            Aeroshell(
                a.entry_mass_kg,
                a.front_shield_mass_kg,
                a.backshell_parachute_mass_kg,
                a.diameter_m,
                a.nose_radius_m,
                1.0,
                a.lander_diameter_m,
                a.lander_drag_coefficient,
            ).params()
        )
        p.update(
            Parachute(
                c.diameter_m,
                c.deploy_mach,
                c.inflation_time_s,
                1.0,
                c.deploy_dynamic_pressure_pa,
                c.inflation_overshoot,
                c.lever_arm_m,
                c.snatch_duration_s,
                c.misalignment_deg,
                c.pitch_inertia_kg_m2,
                c.oscillation_period_s,
                c.oscillation_damping_ratio,
            ).params()
        )
        p.update(Thrusters(th.count, th.thrust_each_n, th.isp_s).params())
        p.update(Touchdown(self.touchdown.crush_limit_m_s).params())
        i = self.imu
        p.update(
            IMU(
                i.gyro_limit_deg_s,
                i.saturation_flag_hold_s,
                gyro_angle_random_walk_deg_sqrt_h=i.gyro_angle_random_walk_deg_sqrt_h,
                accel_velocity_random_walk_m_s_sqrt_h=i.accel_velocity_random_walk_m_s_sqrt_h,
            ).params()
        )
        r = self.radar
        p.update(RadarAltimeter(r.beam_cant_deg, r.max_range_m, r.max_off_nadir_deg, r.range_noise_fraction).params())
        s = self.software
        p.update(
            FlightSoftware(
                s.jettison_delay_s,
                s.release_altitude_m,
                s.separation_burn_s,
                s.cutoff_altitude_m,
                s.final_speed_m_s,
                s.braking_accel_m_s2,
                s.speed_gain_per_s,
                s.terminal_gain_per_s,
            ).params()
        )
        p.update(gnc.fault_params(faults, self.imu.as_flown_saturation_flag_hold_s, th.failed_in_thruster_failure))
        return p

    def model(self, base_dir: Path | None = None) -> Model:
        atm = make_atmosphere(self.atmosphere.model, self.atmosphere.table, base_dir)
        nav = make_atmosphere(self.atmosphere.navigation_model, self.atmosphere.table, base_dir)
        lo = self.site.elevation_m
        hi = self.entry.altitude_km * 1e3 + 1000.0
        atm.check_range(lo, hi, "EDL trajectory (ground elevation to entry altitude)")
        has_wind = bool(
            getattr(atm, "wind_east_m_s", None) is not None
            and len(getattr(atm, "wind_east_m_s", []))
            and (abs(atm.wind_east_m_s).max() > 0 or abs(atm.wind_north_m_s).max() > 0)
        )
        return Model(atm, nav, has_wind)


class ScenarioFile(BaseModel):
    """A whole scenario file as far as EDL is concerned: other top-level tables are ignored."""

    model_config = ConfigDict(extra="ignore")
    edl: EDLScenario


def _format_error(exc: ValidationError, data: dict) -> str:
    msgs = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        if err["type"] == "extra_forbidden":
            parent = err["loc"][:-1]
            model = ScenarioFile
            try:
                for part in parent:
                    ann = model.model_fields[part].annotation
                    model = ann
                valid = ", ".join(sorted(model.model_fields))
            except Exception:  # pragma: no cover - dict-valued tables
                valid = "see the documentation"
            msgs.append(f"{loc}: unknown key {err['loc'][-1]!r}; valid keys here: {valid}")
        elif err["type"] == "missing":
            msgs.append(f"{loc}: missing required field; add it to the scenario file")
        elif isinstance(err.get("input"), dict):  # a check across keys: the message names them
            msgs.append(f"{loc}: {err['msg'].removeprefix('Value error, ')}")
        else:
            ctx = err.get("ctx", {})
            rng = ""
            if ctx:
                rng = " (valid: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ctx.items()) + ")"
            given = repr(err.get("input"))
            given = given if len(given) <= 80 else given[:60] + f"... ({len(given)} characters)"
            msgs.append(f"{loc}: {err['msg']}, got {given}{rng}")
    return "invalid scenario: " + "; ".join(msgs)


def parse_edl(data: dict) -> EDLScenario:
    """Validate the ``[edl]`` part of a parsed scenario mapping."""
    if "edl" not in data:
        raise InputError(
            "the scenario has no [edl] table; add [edl.entry], [edl.site], [edl.aeroshell], ... (see the shipped scenario exomars2016)"
        )
    try:
        return ScenarioFile.model_validate(data).edl
    except ValidationError as exc:
        raise InputError(_format_error(exc, data)) from None


def load_edl_scenario(path: str | Path) -> EDLScenario:
    """Read a TOML scenario (a path or a shipped name such as ``exomars2016``) and validate its EDL part."""
    from ..scenarios import locate

    _, data = read_toml(locate(path))
    return parse_edl(data)
