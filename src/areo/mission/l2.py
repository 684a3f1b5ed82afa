"""Replay of a libration-point mission: a scenario with a ``[halo]`` table (no mission name in this code).

Stages: the launcher's margin at the modelled departure C3 (``areo.launch``), the transfer and the halo in the
DE421 ephemeris model with correction manoeuvres and station-keeping (``areo.cr3bp.api.l2_mission``), ground
passes, link budget and network coverage of the flown trajectory (``areo.ground.api``) with a what-if that drops
one station, then ``summary.json``, ``timeline.csv``, ``trajectory.csv`` and a one-page ``report.html``.
"""

from __future__ import annotations

import html
import itertools
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import InputError, naming
from ..time import parse_utc, tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from .scenario import Scenario
from .stages import run_stage
from .timeline import TimelineEvent, sort_key, timeline_csv


class HaloIn(BaseModel):
    """``[halo]``: the orbit, the transfer's assumptions and the spacecraft radio (each number with a source or
    labelled an assumption in the scenario file)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    vehicle: str
    libration_point: str = "L2"
    amplitude_z_km: float = Field(..., gt=0, lt=2e6)
    injection_utc: str = Field(..., description="escape burn from the parking orbit (UTC)")
    parking_altitude_km: float = Field(200.0, ge=150, le=50_000)
    halo_days: float = Field(365.25, ge=30, le=1100)
    tcm_days: list[float] = [9.0]
    injection_error_m_s: float = Field(1.0, ge=0, le=50)
    station_keeping_interval_days: float = Field(30.0, ge=1, le=180)
    nav_position_km: float = Field(1.0, ge=0, le=1000)
    nav_velocity_cm_s: float = Field(1.0, ge=0, le=100)
    execution_error_percent: float = Field(2.0, ge=0, le=50)
    band: str = "x"
    eirp_dbw: float = Field(..., ge=-50, le=100)
    data_rate_kbps: float = Field(..., gt=0, le=1e6)
    coverage_days: float = Field(10.0, ge=1, le=60)
    whatif_network: str = ""  # network spec the what-if starts from (e.g. "russia,rt70")
    whatif_without: list[str] = []
    seed: int = Field(0, ge=0, lt=2**63)

    @field_validator("injection_utc")
    @classmethod
    def _utc(cls, v):
        parse_utc(v)
        return v

    @field_validator("libration_point")
    @classmethod
    def _point(cls, v):
        if str(v).strip().upper() not in ("L1", "L2"):
            raise ValueError("halo orbits are computed about L1 or L2; give 'L1' or 'L2'")
        return v

    @field_validator("tcm_days")
    @classmethod
    def _tcm_days(cls, v):
        if any(d <= 0 for d in v) or any(b <= a for a, b in itertools.pairwise(v)):
            raise ValueError("give the correction days after injection, each > 0, in increasing order")
        return v

    @field_validator("band")
    @classmethod
    def _band(cls, v):
        from ..ground.api import check_band

        try:
            return check_band(v)
        except InputError as exc:
            raise ValueError(str(exc)) from None


def halo_config(sc: Scenario) -> HaloIn:
    try:
        cfg = HaloIn.model_validate(sc.halo)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise InputError(
            f"{Path(sc.path).name}: [halo] {where}: {err['msg'].removeprefix('Value error, ')} "
            f"(given {err.get('input')!r}); see scenarios/spektr-rg2019.toml for the layout."
        ) from None
    _check_halo_against_scenario(sc, cfg)
    return cfg


def _check_halo_against_scenario(sc: Scenario, cfg: HaloIn) -> None:
    """What [halo] names elsewhere, checked before any stage: the injection after the launch, the what-if's
    network and stations in the catalogue."""
    from ..ground.stations import load_catalogue
    from .preflight import preflight_common

    preflight_common(sc)
    name = Path(sc.path).name
    if float(utc_to_tdb_seconds(cfg.injection_utc)) <= float(utc_to_tdb_seconds(sc.launch.utc)):
        raise InputError(
            f"{name}: [halo] injection_utc {cfg.injection_utc} is not after [launch] utc {sc.launch.utc}; the escape "
            "burn follows the launch (give a later injection_utc)."
        )
    cat = load_catalogue()
    if cfg.whatif_network:
        with naming(f"{name}: [halo] whatif_network"):
            cat.network(cfg.whatif_network)
    for sid in cfg.whatif_without:
        with naming(f"{name}: [halo] whatif_without"):
            cat.station(sid)


# ---------------------------------------------------------------------------------------------------- stages
def stage_launch(sc: Scenario, c3_km2_s2: float) -> dict:
    """summary.json ``launcher``: the launcher's capability and margin at the modelled C3 (no DLA: the departure
    is elliptic, so there is no asymptote); ``launch_period`` is not computed for libration-point missions."""
    if sc.launch.launcher is None or sc.launch.payload_kg is None:
        return {"launcher": None, "launch_period": None}
    from ..launch import assess, get_launcher

    lv = get_launcher(sc.launch.launcher)
    out: dict = {"name": lv.name, "title": lv.title, "payload_kg": sc.launch.payload_kg, "estimate": lv.estimate}
    out["c3_km2_s2"] = round(c3_km2_s2, 4)
    try:
        a = assess(lv, c3_km2_s2, None, sc.launch.payload_kg)
        out.update(capability_kg=round(a.capability_kg, 1), margin_kg=round(a.margin_kg or 0.0, 1))
        out.update(feasible=a.feasible, reason=a.reason)
    except InputError as exc:
        out.update(capability_kg=None, margin_kg=None, feasible=False, reason=str(exc))
    return {"launcher": out, "launch_period": None}


def _target(cfg: HaloIn, fl: dict):
    from ..ground.geometry import TrajectoryTarget

    tr = fl["trajectory"]
    return TrajectoryTarget(tr["tdb_s"], tr["r_ssb_icrf_m"], tr["v_ssb_icrf_m_s"], name=cfg.vehicle)


def stage_ground(sc: Scenario, cfg: HaloIn, fl: dict) -> dict:
    """Passes over the first two days in the halo, the link budget at the best pass of each station, coverage of
    each network over ``coverage_days`` and the what-if without ``whatif_without``."""
    from ..ground.api import link_report, network_coverage, passes
    from ..ground.stations import load_catalogue

    if sc.ground is None:
        return {}
    cat = load_catalogue()
    tgt = _target(cfg, fl)
    t_arr = float(utc_to_tdb_seconds(fl["arrival_utc"]))
    start, stop = tdb_seconds_to_utc_iso(t_arr + 86400.0), tdb_seconds_to_utc_iso(t_arr + 3 * 86400.0)
    ids = sorted({s.id for n in sc.ground.networks for s in cat.network(n)})
    out: dict = {"passes": [], "links": [], "coverage": [], "whatif": []}
    for sid in ids:
        ps = passes(sid, tgt, start, stop, sc.ground.min_elevation_deg)
        out["passes"] += ps
        best = max((p for p in ps if p["culmination_utc"]), key=lambda p: p["max_elevation_deg"], default=None)
        if best is not None and cfg.band in cat.stations[sid].bands:
            lr = link_report(
                sid,
                cfg.band,
                best["culmination_utc"],
                target=tgt,
                spacecraft_name=None,
                eirp_dbw=cfg.eirp_dbw,
                data_rate_kbps=cfg.data_rate_kbps,
                pass_volume=False,
            )
            out["links"].append({k: lr[k] for k in ("station", "band", "at_utc", "elevation_deg", "range_km")})
            out["links"][-1].update(margin_db=lr["margin_db"], max_data_rate_kbps=lr["max_data_rate_kbps"])
    stop_cov = tdb_seconds_to_utc_iso(t_arr + (1 + cfg.coverage_days) * 86400.0)
    kw = dict(target=tgt, step_s=600.0, min_elevation_deg=sc.ground.min_elevation_deg, band=cfg.band)
    kw.update(spacecraft_name=None, eirp_dbw=cfg.eirp_dbw)
    out["coverage"] = network_coverage(sc.ground.networks, start, stop_cov, **kw)
    for row in out["coverage"]:
        row["daily_volume_at_rate_gbit"] = _volume(row, cfg)
    if cfg.whatif_without:
        base = sorted(s.id for s in cat.network(cfg.whatif_network or ",".join(sc.ground.networks)))
        without = [i for i in base if i not in set(cfg.whatif_without)]
        rows = network_coverage([",".join(base), ",".join(without)], start, stop_cov, **kw)
        for label, row in zip(("with", "without " + ", ".join(cfg.whatif_without)), rows, strict=True):
            keep = {k: row[k] for k in _COVERAGE_KEYS}
            out["whatif"].append({"case": label, **keep, "daily_volume_at_rate_gbit": _volume(row, cfg)})
    return out


def _volume(row: dict, cfg: HaloIn) -> float:
    """Data per day at the radio's rate while any station of the network sees the spacecraft (Gbit)."""
    return round(row["coverage_fraction"] * 86400.0 * cfg.data_rate_kbps * 1e3 / 1e9, 2)


# mean_daily_volume_gbit: what the stations' links could carry (capacity), not the radio's 512-kbit/s-style rate
_COVERAGE_KEYS = ("stations", "coverage_fraction", "n_gaps", "longest_gap_h", "mean_daily_volume_gbit")


def timeline(sc: Scenario, cfg: HaloIn, fl: dict) -> list[TimelineEvent]:
    """Simulated events, each paired with the scenario's recorded event of the same name (if any)."""
    tr = fl["transfer"]
    sim = [
        ("launch", "launch", sc.launch.utc, {}),
        ("escape burn (perigee)", "launch", fl["injection_utc"], {"c3_km2_s2": tr["c3_ephemeris_km2_s2"]}),
    ]
    sim += [(f"trajectory correction {i + 1}", "cruise", t["utc"], t) for i, t in enumerate(tr["tcm"])]
    sim.append(("halo arrival", "arrival", fl["arrival_utc"], {"insertion_dv_m_s": tr["insertion_dv_m_s"]}))
    ev = []
    for name, phase, utc, details in sim:
        rec = sc.recorded(name)
        rec_utc = sc.launch.utc if name == "launch" else (rec.utc if rec else None)
        src = "scenario [launch] utc" if name == "launch" else (rec.source if rec else None)
        ev.append(TimelineEvent(name, phase, utc, rec_utc, src, details=details))
    names = {e.name for e in ev}
    ev += [TimelineEvent(e.name, e.phase, None, e.utc, e.source) for e in sc.events if e.utc and e.name not in names]
    return sorted(ev, key=sort_key)


def summary(sc: Scenario, cfg: HaloIn, fl: dict, launch: dict, ground: dict) -> dict:
    h = fl["halo"]
    return {
        "mission": sc.mission.name,
        "halo": [
            {
                "vehicle": cfg.vehicle,
                "libration_point": h["libration_point"],
                "arrival_utc": fl["arrival_utc"],
                "period_d": round(float(h["period_d"]), 3),
                "amplitude_y_km": round(h["amplitude_y_km"], 1),
                "amplitude_z_km": round(h["amplitude_z_km"], 1),
            }
        ],
        "transfer": {k: v for k, v in fl["transfer"].items()},
        "injection_utc_model": fl["injection_utc"],
        "injection_offset_d": round(float(fl["injection_offset_d"]), 3),
        "ephemeris_halo": fl["ephemeris_halo"],
        "station_keeping": fl["station_keeping"],
        "ground": ground,
        **launch,
    }


def _report_html(sm: dict, events: list[TimelineEvent]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(e.name)}</td><td>{e.simulated_utc or ''}</td><td>{e.recorded_utc or ''}</td></tr>"
        for e in events
    )
    import json

    body = html.escape(json.dumps({k: v for k, v in sm.items() if k != "ground"}, indent=1, default=str))
    return (
        f"<!doctype html><meta charset=utf-8><title>{html.escape(sm['mission'])}</title>"
        f"<h1>{html.escape(sm['mission'])}</h1><table border=1><tr><th>event</th><th>simulated (UTC)</th>"
        f"<th>recorded (UTC)</th></tr>{rows}</table><pre>{body}</pre>"
    )


def _trajectory_csv(fl: dict) -> str:
    tr = fl["trajectory"]
    lines = ["utc,x_geo_km,y_geo_km,z_geo_km"]
    for t, r in zip(tdb_seconds_to_utc_iso(tr["tdb_s"][::4]), tr["r_geo_icrf_m"][::4], strict=True):
        lines.append(f"{t},{r[0] / 1e3:.1f},{r[1] / 1e3:.1f},{r[2] / 1e3:.1f}")
    return "\n".join(lines) + "\n"


def replay_l2(sc: Scenario, out_dir: str | Path, *, progress=None):
    """Run the L2 stages of ``sc`` and write the outputs into ``out_dir`` atomically; returns a ReplayResult."""
    from .replay import ReplayResult
    from .summary import conform, timeline_events

    cfg = halo_config(sc)
    res = ReplayResult(scenario=sc)
    state = _run_l2_stages(sc, cfg, res, progress)
    fl = state["fl"]
    res.launch = state["launch"]
    res.ground = state["ground"]
    res.timeline = timeline(sc, cfg, fl)
    res.transfer = {k: v for k, v in fl.items() if k != "trajectory"}
    sm = conform(summary(sc, cfg, fl, res.launch, res.ground), timeline_events(res.timeline, cfg.vehicle))
    res.summary = sm
    if abs(fl["injection_offset_d"]) > 0.01:
        res.notes.append(
            f"the modelled escape burn is {fl['injection_offset_d']:+.2f} d from [halo] injection_utc (the "
            "ephemeris-model manifold arc is solved for the perigee radius, not the date)"
        )
    _write_l2_outputs(res, fl, out_dir, progress)
    return res


def _l2_flight(cfg: HaloIn) -> dict:
    """The transfer and the halo in the ephemeris model (:func:`areo.cr3bp.api.l2_mission`) from ``[halo]``."""
    from ..cr3bp.api import l2_mission

    return l2_mission(
        cfg.amplitude_z_km,
        cfg.injection_utc,
        point=cfg.libration_point,
        parking_altitude_km=cfg.parking_altitude_km,
        halo_days=cfg.halo_days,
        tcm_days=tuple(cfg.tcm_days),
        injection_error_m_s=cfg.injection_error_m_s,
        interval_days=cfg.station_keeping_interval_days,
        nav_position_km=cfg.nav_position_km,
        nav_velocity_cm_s=cfg.nav_velocity_cm_s,
        execution_error_percent=cfg.execution_error_percent,
        seed=cfg.seed,
    )


def _run_l2_stages(sc: Scenario, cfg: HaloIn, res, progress) -> dict:
    """The timed stages (transfer, launch window, ground coverage); returns their results (``fl``, ``launch``,
    ``ground``)."""
    state: dict = {}
    steps = [
        ("transfer", lambda: state.update(fl=_l2_flight(cfg))),
        (
            "launch window",
            lambda: state.update(launch=stage_launch(sc, state["fl"]["transfer"]["c3_ephemeris_km2_s2"])),
        ),
        ("ground coverage", lambda: state.update(ground=stage_ground(sc, cfg, state["fl"]))),
    ]
    for name, fn in steps:
        run_stage(res, name, fn, progress)
    return state


def _write_l2_outputs(res, fl: dict, out_dir: str | Path, progress) -> None:
    """The timed report stage: summary.json, timeline.csv, trajectory.csv and report.html, written atomically."""
    from ..io.files import atomic_write_text, staged_output, write_json

    sm = res.summary
    t0 = time.perf_counter()
    if progress:
        progress("report", None)
    out = Path(out_dir)
    with staged_output(out) as tmp:
        write_json(tmp / "summary.json", sm)
        atomic_write_text(tmp / "timeline.csv", timeline_csv(res.timeline))
        atomic_write_text(tmp / "trajectory.csv", _trajectory_csv(fl))
        atomic_write_text(tmp / "report.html", _report_html(sm, res.timeline))
    res.files = [str(out / n) for n in ("summary.json", "timeline.csv", "trajectory.csv", "report.html")]
    res.stage_seconds["report"] = time.perf_counter() - t0
    if progress:
        progress("report", res.stage_seconds["report"])
