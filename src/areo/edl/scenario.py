"""Pydantic models of the EDL part of a scenario file (``[edl]`` and its sub-tables).

Top-level tables other than ``[edl]`` (``[mission]``, and later ``[launch]``, ``[cruise]``, ``[ground]``)
are ignored here; inside ``[edl...]`` unknown keys are refused with a message naming the key and the
valid ones. Values are given in the units their names carry and converted to SI once, in
:meth:`EDLScenario.to_params`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError, abridged, naming, unknown_choice
from ..io.tomlfile import line_of, read_toml
from . import aero, flight_software, gnc
from .atmosphere import WindProfile, make_atmosphere, mars_solar_time
from .schema import (
    VALUE_KEYS,
    AeroshellIn,
    Atmosphere,
    BankIn,
    Case,
    Dispersions,
    Entry,
    IMUIn,
    ParachuteIn,
    ParachuteStageIn,
    PhaseIn,
    RadarIn,
    SiteIn,
    SoftwareIn,
    ThrustersIn,
    TouchdownIn,
    TriggerIn,
    _Strict,
    check_sequence,
    kernel_params,
    trigger_range,
)
from .schema_sixdof import SixDOFIn
from .simulate import Model

Site = SiteIn


VEHICLE_TABLE_NAMES = (
    "entry",
    "site",
    "aeroshell",
    "bank",
    "parachute",
    "thrusters",
    "touchdown",
    "imu",
    "radar",
    "software",
)


CASE_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"
# Mach number from which a blunt capsule's aerodynamic coefficients are taken as constant (hypersonic Mach
# independence; the 70-degree sphere-cone C_D changes by ~2 % from Mach 10 to 50 in the built-in table): a
# capsule table must reach it or the entry Mach number
AERO_MACH_HELD = 10.0


class EDLScenario(_Strict):
    entry: Entry
    site: SiteIn
    atmosphere: Atmosphere = Atmosphere()
    aeroshell: AeroshellIn
    bank: BankIn = BankIn()
    parachute: ParachuteIn
    thrusters: ThrustersIn
    touchdown: TouchdownIn
    imu: IMUIn
    radar: RadarIn
    software: SoftwareIn
    parachutes: list[ParachuteStageIn] = Field(default_factory=list, max_length=8)
    phases: list[PhaseIn] = Field(min_length=1, max_length=32)
    dispersions: Dispersions = Dispersions()
    cases: dict[str, Case] = Field(default_factory=lambda: {"nominal": Case()})
    default_case: str = "nominal"
    sixdof: SixDOFIn | None = None  # [edl.sixdof]: the 6-DOF model's own inputs (areo.edl.sixdof)

    @field_validator("cases")
    @classmethod
    def _case_names(cls, v: dict[str, Case]) -> dict[str, Case]:
        bad = [n for n in v if not re.fullmatch(CASE_NAME, n)]
        if bad:  # a case names output files (edl_<case>.png): a '/' or a space would fail after the run
            raise ValueError(
                f"case name {bad[0]!r} is not allowed: use letters, digits, '-', '_' and '.', starting with a letter "
                "or digit, at most 40 characters (e.g. as-flown)"
            )
        return v

    @model_validator(mode="after")
    def _consistent(self):
        """Cross-field checks, so that a file that loads also flies (they used to surface mid-run)."""
        a, th = self.aeroshell, self.thrusters
        jettisoned = a.front_shield_mass_kg + a.backshell_parachute_mass_kg + th.propellant_kg
        if jettisoned >= a.entry_mass_kg:
            raise ValueError(
                f"aeroshell.front_shield_mass_kg + aeroshell.backshell_parachute_mass_kg + thrusters.propellant_kg "
                f"= {jettisoned:g} kg must be below entry_mass_kg = {a.entry_mass_kg:g} kg (aeroshell); lower them"
            )
        if th.failed_in_thruster_failure is not None and th.failed_in_thruster_failure > th.count:
            raise ValueError(
                f"thrusters.failed_in_thruster_failure = {th.failed_in_thruster_failure} is more than thrusters.count "
                f"= {th.count}; make it at most the number of thrusters"
            )
        bad = check_sequence(self.phases, self.parachutes)
        if bad:
            raise ValueError(bad)
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
        """Flat SI parameter mapping for the kernels (nominal values, faults applied), derived from the schema."""
        a, th = self.aeroshell, self.thrusters
        if a.front_shield_mass_kg + a.backshell_parachute_mass_kg + th.propellant_kg >= a.entry_mass_kg:
            raise InputError(
                "edl.aeroshell: front_shield_mass_kg + backshell_parachute_mass_kg + edl.thrusters.propellant_kg "
                f"= {a.front_shield_mass_kg + a.backshell_parachute_mass_kg + th.propellant_kg:g} kg must be below entry_mass_kg = {a.entry_mass_kg:g} kg"
            )
        p = kernel_params({name: getattr(self, name) for name in VEHICLE_TABLE_NAMES})
        p["entry_alt"] = self.entry.altitude_m()
        p["ground_elev"] = p["nav_ground_elev"] = self.site.elevation_above_ellipsoid_m()
        p.update(flight_software.compile_sequence(self.phases, self.parachutes)[1])
        p.update(gnc.fault_params(faults, self.imu.as_flown_saturation_flag_hold_s, th.failed_in_thruster_failure))
        return p

    def conditions(self) -> tuple[float, float, float] | None:
        """(solar longitude deg, site latitude deg, local true solar time h) for a profile-set atmosphere: the
        [edl.atmosphere] values, else computed from the entry epoch (Mars24) at the site; None if neither."""
        a, site = self.atmosphere, self.site
        ls, lt = a.solar_longitude_deg, a.local_time_h
        if (ls is None or lt is None) and self.entry.epoch_utc is not None:
            from ..time import utc_to_tdb_seconds

            jd_tt = 2451545.0 + float(utc_to_tdb_seconds(self.entry.epoch_utc)) / 86400.0  # TDB - TT < 2 ms
            ls_e, lt_e = mars_solar_time(jd_tt, site.target_longitude_deg)
            ls, lt = (ls if ls is not None else ls_e), (lt if lt is not None else lt_e)
        if ls is None or lt is None:
            return None
        return ls, site.target_latitude_deg, lt

    def model(self, base_dir: Path | None = None) -> Model:
        a = self.atmosphere
        seasonal = {"table_set", "entry_profile"} & {a.model, a.navigation_model}
        cond = self.conditions() if seasonal else None
        lo = self.site.elevation_above_ellipsoid_m()
        with naming("edl.atmosphere.model / table"):
            atm = make_atmosphere(a.model, a.table, base_dir, cond, ground_elevation_m=lo)
        with naming("edl.atmosphere.navigation_model / navigation_table"):
            nav_table = a.navigation_table or a.table
            nav = make_atmosphere(a.navigation_model, nav_table, base_dir, cond, ground_elevation_m=lo)
        hi = self.entry.altitude_m() + 1000.0
        with naming("edl.atmosphere"):
            atm.check_range(lo, hi, "EDL trajectory (ground elevation to entry altitude)")
        wind = None
        if a.wind_altitude_km:
            wind = WindProfile(
                tuple(h * 1e3 for h in a.wind_altitude_km), tuple(a.wind_east_m_s), tuple(a.wind_north_m_s)
            )
        own = getattr(atm, "wind_east_m_s", None)
        has_wind = wind is not None and any(w != 0.0 for w in (*wind.east_m_s, *wind.north_m_s))
        if wind is None and own is not None and len(own):
            has_wind = bool(abs(own).max() > 0 or abs(atm.wind_north_m_s).max() > 0)  # type: ignore[attr-defined]
        with naming("edl.aeroshell.aero_table"):
            capsule = aero.load_capsule_aero(self.aeroshell.aero_table, base_dir)
        self._check_aero_reach(capsule, atm)
        if capsule.lift_to_drag is not None and self.aeroshell.lift_to_drag != 0.0:
            raise InputError(
                f"edl.aeroshell: lift_to_drag = {self.aeroshell.lift_to_drag:g} and a lift_to_drag column in aero_table "
                f"{self.aeroshell.aero_table!r} both declare the capsule's L/D; keep one of them"
            )
        has_lift = self.aeroshell.lift_to_drag > 0 or capsule.has_lift
        seq = flight_software.compile_sequence(self.phases, self.parachutes)[0]
        return Model(
            atm, nav, has_wind, has_lift=has_lift, sequence=seq, capsule=capsule, bank=self.bank_law(), wind=wind
        )

    def _check_aero_reach(self, capsule: aero.CapsuleAero, atm) -> None:
        """The capsule table reaches the entry Mach number, or Mach AERO_MACH_HELD above which a capsule's
        coefficients hardly change (Mach independence) and the kernels may hold the last row; else InputError."""
        top = float(capsule.mach[-1])
        if top >= AERO_MACH_HELD:
            return
        import numpy as np

        from .atmosphere import speed_of_sound

        t_k = atm.evaluate(np.asarray(self.entry.altitude_m()))[0]
        mach = self.entry.speed_km_s * 1e3 / float(speed_of_sound(t_k))
        if mach > top:
            raise InputError(
                f"edl.aeroshell.aero_table {self.aeroshell.aero_table!r} stops at Mach {top:g} but the entry is at "
                f"Mach {mach:.0f}; extend the table to the entry Mach number or at least Mach {AERO_MACH_HELD:g} "
                "(its last row is held beyond)"
            )

    def bank_law(self) -> aero.BankLaw:
        """The bank-angle law of the kernels from [edl.bank] (angles in rad, speeds in m/s)."""
        import math

        b = self.bank
        if b.law == "constant":
            return aero.CONSTANT_BANK
        if b.law == "profile":
            if self.aeroshell.bank_angle_deg != 0.0:
                raise InputError(
                    "edl.aeroshell.bank_angle_deg and edl.bank.profile_deg both declare the bank angle; with "
                    "bank.law = 'profile' leave bank_angle_deg out"
                )
            mode = "time" if b.profile_of == "time_s" else "speed"
            return aero.BankLaw(mode, tuple(b.profile_at), tuple(math.radians(x) for x in b.profile_deg))
        hdot = tuple(b.reference_altitude_rate_m_s) or (0.0,) * len(b.reference_speed_m_s)
        return aero.BankLaw(
            "drag_tracking",
            ref_speed=tuple(b.reference_speed_m_s),
            ref_drag=tuple(b.reference_drag_m_s2),
            ref_hdot=hdot,
        )


class ScenarioFile(BaseModel):
    """A whole scenario file as far as EDL is concerned: other top-level tables are ignored."""

    model_config = ConfigDict(extra="ignore")
    edl: EDLScenario


def _named_key(msg: str, err: Any) -> tuple[int | str, ...]:
    """The key a check across keys names first (``phases.0.exit.0.goto = ...``), as a location below the table."""
    m = re.match(r"([a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\b", msg)
    if err["type"] != "value_error" or m is None:
        return ()
    return tuple(int(x) if x.isdigit() else x for x in m[1].split("."))


_BOUNDS = ("ge", "gt", "le", "lt")


def _declared_range(loc: tuple[int | str, ...], root: type[BaseModel] | None = None, label: str = "valid") -> str:
    """The allowed range declared for the key at ``loc`` (a list element's own, for ``key.N``) in the model
    ``root`` (default: :class:`ScenarioFile`), as ``" (valid: gt 0.0, le 10.0)"``; "" when it declares none. For
    the errors whose own message does not say it (not a finite number, not a number)."""
    ann: Any = root or ScenarioFile
    metadata: list = []
    model: type[BaseModel] | None = None
    for part in loc:
        if isinstance(part, int):  # an element of list[X] or list[Annotated[X, Field(...)]]
            elem = next((a for a in get_args(ann) if a is not type(None)), None)
            elem = next(iter(get_args(elem)), None) if get_origin(elem) is list else elem
            ann = get_args(elem)[0] if hasattr(elem, "__metadata__") else elem
            metadata = [m for fi in getattr(elem, "__metadata__", ()) for m in getattr(fi, "metadata", [fi])]
            continue
        model = _model_in(ann)
        if model is None or part not in model.model_fields:
            return ""
        field = model.model_fields[part]
        ann, metadata = field.annotation, list(field.metadata)
    bounds = [f"{name} {getattr(m, name)}" for m in metadata for name in _BOUNDS if getattr(m, name, None) is not None]
    if not bounds and ann is bool:
        bounds = ["true or false"]
    if not bounds and model is TriggerIn and loc and loc[-1] in VALUE_KEYS:  # its range is the quantity's
        bounds = [trigger_range(str(loc[-1]))]
    return f" ({label}: {', '.join(bounds)})" if bounds else ""


def _model_in(ann: Any) -> type[BaseModel] | None:
    """The pydantic model in an annotation (``Model``, ``Model | None``, ``list[Model]``), else None."""
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    return next((m for a in get_args(ann) if (m := _model_in(a)) is not None), None)


def _format_error(exc: ValidationError, text: str | None = None) -> str:
    msgs = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        line = line_of(text, err["loc"] + _named_key(msg, err)) if text is not None else None
        at = f" (line {line})" if line else ""
        if err["type"] == "extra_forbidden":
            parent = err["loc"][:-1]
            model = ScenarioFile
            try:
                for part in parent:
                    ann = model.model_fields[part].annotation
                    model = next((a for a in get_args(ann) if isinstance(a, type) and issubclass(a, BaseModel)), ann)
                valid = ", ".join(sorted(model.model_fields))
            except Exception:  # pragma: no cover - dict-valued tables
                valid = "see the documentation"
            msgs.append(f"{loc}: unknown key {err['loc'][-1]!r}; valid keys here: {valid}{at}")
        elif err["type"] == "missing":
            msgs.append(f"{loc}: missing required field; add it to the scenario file{at}")
        elif isinstance(err.get("input"), dict):  # a check across keys names them; else a table given for a value
            got = "" if err["type"] == "value_error" else ", got a table"
            msgs.append(f"{loc}: {msg}{got}{at}")
        else:
            ctx = err.get("ctx", {})
            rng = ""
            if ctx and "error" not in ctx:  # a validator's own message already says what is allowed
                rng = " (valid: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ctx.items()) + ")"
            elif not ctx:  # "a finite number", "a valid number": add the range the key declares
                rng = _declared_range(tuple(err["loc"]))
            msgs.append(f"{loc}: {msg.rstrip('.')}, got {abridged(repr(err.get('input')))}{rng}{at}")
    return "invalid scenario: " + "; ".join(msgs)


def parse_edl(data: dict, text: str | None = None) -> EDLScenario:
    """Validate the ``[edl]`` part of a parsed scenario mapping (``text``: the file's text, for line numbers)."""
    if "edl" not in data:
        raise InputError(
            "the scenario has no [edl] table; add [edl.entry], [edl.site], [edl.aeroshell], ... (see the shipped scenario exomars2016)"
        )
    try:
        return ScenarioFile.model_validate(data).edl
    except ValidationError as exc:
        raise InputError(_format_error(exc, text)) from None


def load_edl_scenario(path: str | Path) -> EDLScenario:
    """Read a TOML scenario (a path or a shipped name such as ``exomars2016``) and validate its EDL part."""
    from ..scenarios import locate

    path = locate(path)
    text, data = read_toml(path)
    try:
        return parse_edl(data, text)
    except InputError as exc:  # name the file: one line says which file, key and value, and what is allowed
        raise InputError(f"{Path(path).name}: {exc}") from None
