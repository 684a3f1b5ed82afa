"""Mission scenario files (TOML), validated with pydantic.

A scenario has top-level tables ``[mission]``, ``[launch]``, ``[cruise]``, ``[ground]``, ``[[events]]`` (recorded
events with sources) and ``[edl]`` (validated by :mod:`areo.edl.scenario`). Every error names the file, the line
where the key sits (when it can be found), the key, the value given and what is allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError, abridged
from ..io.tomlfile import line_of, read_toml
from ..time import parse_utc, parse_utc_range


class _Strict(BaseModel):
    # strict: no true for a number, no 2.0 for a count, no number for a text; finite numbers only
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


_NAME = Field(..., min_length=1, max_length=200)
_TEXT = Field("", max_length=10_000)


def _utc(v: str) -> str:
    parse_utc(v)  # raises InputError with the accepted forms
    return v


class MissionIn(_Strict):
    name: str = _NAME
    description: str = _TEXT
    status: str = Field("as flown", description="'as flown', 'as planned' or 'assumption'")


class LaunchIn(_Strict):
    utc: str = Field(..., description="launch epoch (UTC)")
    vehicle: str = ""
    site: str = ""
    window_depart: str = Field(..., description="porkchop departure range START:STOP (UTC)")
    window_arrive: str = Field(..., description="porkchop arrival range START:STOP (UTC)")
    window_grid: int = Field(160, ge=20, le=1000)
    c3_km2_s2: float | None = Field(None, ge=0, le=200, description="published launch C3, for comparison")
    launcher: str | None = Field(None, description="launcher name in areo's catalogue (`areo launchers`)")
    payload_kg: float | None = Field(None, gt=0, lt=1e5, description="launch mass; default: the cruise vehicles'")
    period_depart: str | None = Field(None, description="launch-period departures START:STOP (default: window_depart)")
    period_arrive: str | None = Field(None, description="launch-period arrival: a date or START:STOP")
    reserve_kg: float = Field(0.0, ge=0, lt=1e5, description="launcher margin the launch period requires (kg)")
    period_transfer: Literal["ballistic", "dsm"] = Field(
        "ballistic", description="launch-period transfers: 'ballistic' (Lambert) or 'dsm' (best one-DSM transfer)"
    )

    _v_utc = field_validator("utc")(_utc)

    @field_validator("launcher")
    @classmethod
    def _launcher(cls, v):
        if v is not None:
            from ..launch import get_launcher

            get_launcher(v)  # raises InputError listing the known launchers
        return v

    @field_validator("period_depart")
    @classmethod
    def _period(cls, v):
        if v is not None:
            parse_utc_range(v)
        return v

    @field_validator("period_arrive")
    @classmethod
    def _arrival(cls, v):
        if v is not None:
            parse_utc_range(v) if re.match(r"^.+?:\d{4}-\d{2}-\d{2}", v) else parse_utc(v)
        return v

    @field_validator("window_depart", "window_arrive")
    @classmethod
    def _range(cls, v):
        parse_utc_range(v)
        return v


class CaptureIn(_Strict):
    periapsis_altitude_km: float = Field(250.0, gt=50, lt=1e5)
    apoapsis_altitude_km: float | None = Field(None, gt=50, lt=1e6)
    period_days: float = Field(4.2, gt=0.05, lt=60)
    inclination_deg: float = Field(7.0, ge=0, le=180)


class VehicleIn(_Strict):
    name: str = _NAME
    mass_kg: float = Field(..., gt=0, lt=1e5)
    dry_mass_kg: float = Field(..., gt=0, lt=1e5)
    thrust_n: float = Field(0.0, ge=0, lt=1e6)
    isp_s: float = Field(300.0, gt=0, lt=1e4)
    naif_id: int | None = Field(
        None, lt=0, description="NAIF id of the spacecraft in the replay's SPK (negative; default -900/-901)"
    )

    @model_validator(mode="after")
    def _dry_below_wet(self):
        if self.dry_mass_kg > self.mass_kg:
            raise ValueError(
                f"dry_mass_kg = {self.dry_mass_kg:g} is above mass_kg = {self.mass_kg:g} (wet mass, propellant "
                "included); make dry_mass_kg <= mass_kg"
            )
        return self


def _utc_or_event(v: str) -> str:
    """An event of the arrival body ('periapsis:mars', 'soi-entry:mars', checked with the sequence) or a UTC."""
    return v if v.split(":", 1)[0] in ("periapsis", "soi-entry") else _utc(v)


class CoastIn(_Strict):
    """A 'coast' segment: until a UTC epoch or an event of the arrival body ('periapsis:mars', 'soi-entry:mars')."""

    until: str = Field(..., min_length=1, max_length=100)

    _until = field_validator("until")(_utc_or_event)


class ManeuverIn(_Strict):
    """A 'maneuver' segment: an impulsive Delta-v (m/s) in VNB, RTN or ICRF, at a UTC epoch or an event."""

    dv_m_s: list[float] = Field(..., min_length=3, max_length=3)
    frame: Literal["VNB", "RTN", "ICRF"] = "VNB"
    at: str = Field(..., min_length=1, max_length=100)
    body: str | None = Field(None, description="reference body of the frame; default: the vehicle's origin")
    name: str = Field("manoeuvre", min_length=1, max_length=64)

    _at = field_validator("at")(_utc_or_event)

    @field_validator("body")
    @classmethod
    def _origin(cls, v):
        from ..bodies import origins

        if v is not None and v not in origins():  # "" fell back to the vehicle's origin, a typo failed mid-cruise
            raise ValueError(
                f"unknown reference body {v!r}; use one of {', '.join(origins())}, or leave body out for the "
                "vehicle's origin"
            )
        return v


class TrimIn(_Strict):
    """A 'trim' segment after insertion: periapsis burn to an apoapsis altitude or a period (exactly one)."""

    apoapsis_altitude_km: float | None = Field(None, gt=50, lt=1e6)
    period_days: float | None = Field(None, gt=0.05, lt=60)

    @model_validator(mode="after")
    def _one(self):
        if (self.apoapsis_altitude_km is None) == (self.period_days is None):
            raise ValueError("give exactly one of apoapsis_altitude_km, period_days")
        return self


class CruiseIn(_Strict):
    arrival_utc: str = Field(..., description="Mars arrival (entry interface of the lander, or MOI)")
    orbiter: VehicleIn
    lander: VehicleIn | None = None
    dsm_utc: str | None = None
    dsm_dv_m_s: float | None = Field(None, gt=0, lt=5000)
    dsm_duration_min: float = Field(0.0, ge=0, lt=1000, description="published burn length; dsm_utc is its start")
    tcm_utc: list[str] = []
    tcm_names: list[str] | None = Field(None, description="a name per tcm_utc epoch (default TCM-1, TCM-2, ...)")
    separation_utc: str | None = None
    separation_dv_m_s: float = Field(0.3, ge=0, lt=10)
    avoidance_utc: str | None = None
    entry_altitude_km: float = Field(121.0, gt=0, lt=1000)
    entry_fpa_deg: float = Field(-12.4, gt=-90, lt=0)
    entry_latitude_deg: float = Field(-2.0, ge=-90, le=90)
    moi_end_utc: str | None = None
    moi_duration_min: float = Field(139.0, gt=0, lt=1000)
    capture: CaptureIn = CaptureIn()
    perigee_altitude_km: float = Field(200.0, gt=100, lt=5000)
    body: str = Field("mars", description="arrival body (areo.bodies): 'mars' or 'venus'")
    sequence: list[str] | None = Field(
        None, description="segment kinds in order (areo.cruise.segments); default: the one the keys imply"
    )
    coasts: list[CoastIn] = []
    maneuvers: list[ManeuverIn] = []
    trims: list[TrimIn] = []
    transfer_revs: int = Field(0, ge=0, le=10, description="full revolutions about the Sun of the designed transfer")
    transfer_branch: Literal["short-period", "long-period"] = "short-period"
    site_branch: Literal["prograde", "retrograde"] | None = Field(
        None,
        description="aim the TCMs at the entry state that lands on [edl.site], from the incoming asymptote on this "
        "branch (areo.cruise.segments.site); unset: the entry_* keys",
    )

    @field_validator("body")
    @classmethod
    def _body(cls, v):
        if v.lower() not in ("mars", "venus"):
            raise ValueError("a cruise arrives at 'mars' or 'venus' (areo.bodies); check the spelling")
        return v

    @field_validator("sequence")
    @classmethod
    def _kinds(cls, v):
        if v == []:  # read as "absent" downstream: say so instead of flying the implied sequence
            raise ValueError(
                "an empty sequence names no segment; list the segment kinds in order (e.g. ['launch', 'tcm', "
                "'entry', 'end']) or leave sequence out for the one the keys imply"
            )
        if v is not None:
            from ..cruise.segments import SEGMENTS
            from ..errors import unknown_choice

            for kind in v:
                if kind not in SEGMENTS:
                    raise ValueError(str(unknown_choice("segment", kind, SEGMENTS)))
        return v

    @field_validator("arrival_utc", "dsm_utc", "separation_utc", "avoidance_utc", "moi_end_utc")
    @classmethod
    def _u(cls, v):
        return None if v is None else _utc(v)

    @field_validator("tcm_utc")
    @classmethod
    def _tcm(cls, v):
        return [_utc(x) for x in v]

    @field_validator("tcm_names")
    @classmethod
    def _tcm_names(cls, v):
        if v == []:  # read as "absent" downstream (TCM-1, TCM-2, ...)
            raise ValueError("an empty tcm_names names no TCM; give one name per tcm_utc epoch, or leave it out")
        blank = next((i for i, n in enumerate(v or ()) if not n.strip()), None)
        if blank is not None:
            raise ValueError(f"name {blank} is empty; give each TCM a name (e.g. 'TCM-{blank + 1}')")
        return v

    @model_validator(mode="after")
    def _lander_separates(self):
        if self.lander is not None and self.separation_utc is None:
            raise ValueError("a [cruise.lander] needs cruise.separation_utc (when it separates); add it")
        return self


def _known_band(v: str) -> str:
    from ..ground.stations import BANDS

    if v.lower() not in BANDS:
        raise ValueError(f"unknown band; use one of {', '.join(b.upper() for b in BANDS)} (case does not matter)")
    return v


class EdlTelemetryIn(_Strict):
    """What-if: the lander's EDL history sent as housekeeping packets to one station (TM frames + RS(255,223))."""

    station: str = Field(..., min_length=1, max_length=64, description="station id that listens during EDL")
    band: str = "uhf"
    rate_kbps: float = Field(8.0, gt=0, le=10_000)

    _band = field_validator("band")(_known_band)


class GroundIn(_Strict):
    networks: list[str] = Field(..., min_length=1)
    min_elevation_deg: float = Field(10.0, ge=0, le=90)
    band: str = "X"
    edl_telemetry: EdlTelemetryIn | None = None  # without it, no EDL telemetry what-if

    _band = field_validator("band")(_known_band)


class RecordedEvent(_Strict):
    """A recorded (published) event: its UTC and/or the altitude and speed at which it happened, with a source.
    ``name`` matches the simulated event it is compared with (e.g. ``as-flown: parachute_deploy``)."""

    name: str = _NAME
    utc: str | None = None
    altitude_km: float | None = Field(None, ge=-10, le=1000)
    speed_km_h: float | None = Field(None, ge=0, le=100_000)
    source: str = Field(..., min_length=1, max_length=10_000, description="where the figure comes from")
    phase: Literal["launch", "cruise", "arrival", "edl", "ground"] = "cruise"

    @field_validator("utc")
    @classmethod
    def _v(cls, v):
        return None if v is None else _utc(v)


class Landmark(_Strict):
    """A named place on Mars for the landing map (target, landing or crash site), with its source."""

    name: str = _NAME
    latitude_deg: float = Field(..., ge=-90, le=90)
    longitude_deg: float = Field(..., ge=-360, le=360)
    source: str = Field(..., min_length=1, max_length=10_000, description="where the place comes from")


class Scenario(_Strict):
    mission: MissionIn
    launch: LaunchIn
    cruise: CruiseIn | None = None
    ground: GroundIn | None = None
    events: list[RecordedEvent] = []
    landmarks: list[Landmark] = []
    edl: dict | None = None  # validated by areo.edl.scenario.parse_edl
    halo: dict | None = None  # an L2 mission; validated by areo.mission.l2.HaloIn
    path: str = ""

    def edl_scenario(self):
        if self.edl is None:
            return None
        from ..edl.scenario import parse_edl

        return parse_edl({"edl": self.edl})

    def where(self, key: str) -> str:
        """'file, line N' of the dotted ``key`` (e.g. ``launch.utc``) in this scenario's file, for messages."""
        name = Path(self.path).name
        try:
            text = Path(self.path).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return name
        line = line_of(text, tuple(key.split(".")))
        return f"{name}, line {line}" if line else name

    def recorded(self, name: str) -> RecordedEvent | None:
        return next((e for e in self.events if e.name == name), None)


_VALID_TOP = ("mission", "launch", "cruise", "ground", "events", "landmarks", "edl", "halo")


def _explain(exc: ValidationError, text: str, fname: str, root: type[BaseModel] | None = None) -> str:
    """One line for all of a validation's errors, each naming file, line, key, value and what is allowed (the
    range the key declares in ``root``, default :class:`Scenario`, when the error itself does not say it)."""
    from ..edl.scenario import _declared_range

    msgs = []
    for err in exc.errors():
        loc = err["loc"]
        where = ".".join(str(x) for x in loc)
        line = line_of(text, loc)  # a missing key: the line of its table
        at = f"{fname}, line {line}" if line else fname
        if err["type"] == "extra_forbidden":
            hint = f"valid top-level tables: {', '.join(_VALID_TOP)}" if len(loc) == 1 else "check the spelling"
            msgs.append(f"{at}: unknown key {where!r}; {hint}")
        elif err["type"] == "missing":
            msgs.append(f"{at}: missing required key {where!r}; add it")
        else:
            ctx = err.get("ctx") or {}
            allowed = (
                (" (allowed: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ctx.items() if k != "error") + ")")
                if ctx and "error" not in ctx
                else ""
                if ctx
                else _declared_range(tuple(loc), root or Scenario, "allowed")  # "a finite number", "a valid number"
            )
            msg = err["msg"].removeprefix("Value error, ")
            raw = err.get("input")
            if isinstance(raw, dict):  # a check across keys of one table: the message names them
                msgs.append(f"{at}: {where}: {msg}")
                continue
            msgs.append(f"{at}: {where} = {abridged(repr(raw))}: {msg}{allowed}")
    return "invalid scenario: " + "; ".join(msgs)


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A path, or the name of a shipped scenario (``exomars2016``): see :func:`areo.scenarios.locate`."""
    from ..scenarios import locate

    return locate(name_or_path)


def load_scenario(name_or_path: str) -> Scenario:
    path = resolve_scenario_path(name_or_path)
    text, data = read_toml(path)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(_explain(exc, text, path.name)) from None
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    sc.path = str(path)
    if sc.edl is not None:
        from ..edl.scenario import ScenarioFile

        try:
            ScenarioFile.model_validate({"edl": sc.edl})
        except ValidationError as exc:
            raise InputError(_explain(exc, text, path.name, ScenarioFile)) from None
        except InputError as exc:
            raise InputError(f"{path.name}: {exc}") from None
    return sc
