"""`areo replay` for a scenario with an ``[aerobraking]`` table: launch, heliocentric transfer, orbit insertion,
the aerobraking campaign, ground coverage and data volume, then ``summary.json`` and the tables.

Generic: every mission number comes from the scenario (``[launch]``, ``[orbiter]``, ``[ground]``,
``[aerobraking]``). The orbiter is assumed to make its own departure burn from the launcher's parking orbit
(impulsive, at perigee) and an impulsive insertion burn at the capture periapsis; both are the patched-conic
minimum (no gravity losses, no plane-change or asymptote constraints).
"""

from __future__ import annotations

import csv
import html
import io
import math
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..constants import G0, GM_SUN
from ..errors import InputError, naming
from ..time import tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from .replay import ReplayResult
from .scenario import Scenario
from .stages import run_stage
from .timeline import TimelineEvent, sort_key


class OrbiterIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str
    launch_mass_kg: float = Field(..., gt=0, lt=1e5)
    isp_s: float = Field(..., gt=0, lt=1e4)
    parking_perigee_altitude_km: float = Field(..., gt=100, lt=1e5)
    parking_apoapsis_altitude_km: float = Field(..., gt=100, lt=1e7)
    launcher_capacity_kg: float | None = Field(None, gt=0, lt=1e6)
    arrival_utc: str
    eirp_dbw_x: float = Field(..., gt=0, lt=120)
    max_rate_kbps: float = Field(..., gt=0, lt=1e6, description="the radio's highest downlink rate")


def has_aerobraking(scenario: str) -> bool:
    """Whether the scenario file has an ``[aerobraking]`` table (the replay dispatches here when it has)."""
    from ..io.tomlfile import read_toml
    from .scenario import resolve_scenario_path

    return "aerobraking" in read_toml(resolve_scenario_path(scenario))[1]


def _load(scenario: str):
    from ..aerobraking import load
    from .scenario import resolve_scenario_path

    cfg, doc, path = load(resolve_scenario_path(scenario))
    where = path.name
    missing = [t for t in ("mission", "launch", "orbiter") if t not in doc]
    if missing:
        raise InputError(
            f"{where}: a replay needs the [{'], ['.join(missing)}] table(s) besides [aerobraking] (see "
            f"scenarios/venus-orbiter-isro.toml); for the aerobraking campaign alone run `areo aerobrake {scenario}`."
        )
    try:
        orb = OrbiterIn.model_validate(doc.get("orbiter") or {})
    except ValidationError as exc:
        e = exc.errors()[0]
        raise InputError(f"{where}: orbiter.{'.'.join(map(str, e['loc']))}: {e['msg']}") from None
    base = {k: v for k, v in doc.items() if k in Scenario.model_fields}
    try:
        sc = Scenario.model_validate({**base, "path": str(path)})
    except ValidationError as exc:
        e = exc.errors()[0]
        raise InputError(f"{where}: {'.'.join(map(str, e['loc']))}: {e['msg']}") from None
    _check_dates(where, sc, orb, cfg)
    return sc, orb, cfg


def _check_dates(where: str, sc: Scenario, orb: OrbiterIn, cfg) -> None:
    """The common checks (:func:`areo.mission.preflight.preflight_common`); ``orbiter.arrival_utc`` reads as UTC,
    lies inside the ephemeris and follows the launch; the campaign starts at or after the arrival."""
    from ..ephem import default_ephemeris
    from .preflight import preflight_common

    preflight_common(sc)
    with naming(f"{where}: orbiter.arrival_utc = {orb.arrival_utc!r}"):
        t_arr = float(utc_to_tdb_seconds(orb.arrival_utc))
    default_ephemeris().check_range(np.array([t_arr]), f"{where}: orbiter.arrival_utc")
    if t_arr <= float(utc_to_tdb_seconds(sc.launch.utc)):
        raise InputError(
            f"{where}: orbiter.arrival_utc {orb.arrival_utc} is not after launch.utc {sc.launch.utc}; give an "
            "arrival after the launch."
        )
    t_start = float(utc_to_tdb_seconds(cfg.start_utc))
    if t_start < t_arr:
        raise InputError(
            f"{where}: aerobraking.start_utc {cfg.start_utc} is before orbiter.arrival_utc {orb.arrival_utc}; the "
            "campaign starts in orbit (give a start at or after the arrival)."
        )
    default_ephemeris().check_range(np.array([t_start]), f"{where}: aerobraking.start_utc")


def _burn(gm, r_periapsis, v_inf, r_other):
    """Impulsive delta-v at periapsis between a hyperbola of excess speed ``v_inf`` and the ellipse of apsides
    (``r_periapsis``, ``r_other``)."""
    v_hyp = math.sqrt(v_inf**2 + 2 * gm / r_periapsis)
    v_ell = math.sqrt(2 * gm * r_other / (r_periapsis * (r_periapsis + r_other)))
    return v_hyp - v_ell


def stage_launch_transfer(sc: Scenario, orb: OrbiterIn, cfg, res: ReplayResult) -> None:
    """The porkchop, the Lambert transfer from launch to ``orbiter.arrival_utc`` with its departure and insertion
    burns (``res.transfer``), and the launcher as the scenario gives it (``res.launch``)."""
    from ..transfer.window import porkchop

    target = cfg.body
    res.porkchop = porkchop(
        "earth",
        target,
        sc.launch.window_depart,
        sc.launch.window_arrive,
        grid=sc.launch.window_grid,
        at=f"{sc.launch.utc}/{orb.arrival_utc}",
    )
    t1, t2 = (float(x) for x in utc_to_tdb_seconds([sc.launch.utc, orb.arrival_utc]))
    v_inf_dep, v_inf_arr = _excess_speeds(target, t1, t2)
    dv_dep, dv_ins = _departure_and_insertion(orb, cfg, v_inf_dep, v_inf_arr)
    res.transfer = _transfer_table(sc, orb, t2 - t1, v_inf_dep, v_inf_arr, dv_dep, dv_ins)
    opt = res.porkchop.optimum
    res.transfer["window_minimum_c3"] = {
        "c3_km2_s2": round(float(opt.c3_km2_s2), 3),
        "depart_utc": str(tdb_seconds_to_utc_iso(opt.depart_tdb_s)),
        "arrive_utc": str(tdb_seconds_to_utc_iso(opt.arrive_tdb_s)),
    }
    res.launch = _launcher_as_given(sc, orb)
    res.notes.append(res.launch["launcher"]["reason"])


def _excess_speeds(target: str, t1: float, t2: float) -> tuple[float, float]:
    """Hyperbolic excess speeds (m/s) at Earth departure and at ``target`` of the Lambert arc from ``t1`` to ``t2``."""
    from ..ephem import default_ephemeris
    from ..transfer.lambert import lambert

    eph = default_ephemeris()
    r1, v_e = eph.state("earth", t1)
    r2, v_t = eph.state(target, t2)
    sol = lambert(r1, r2, t2 - t1, GM_SUN)
    sol.raise_if_failed()
    v_inf_dep = float(np.linalg.norm(sol.v1_m_s - v_e))
    v_inf_arr = float(np.linalg.norm(sol.v2_m_s - v_t))
    return v_inf_dep, v_inf_arr


def _departure_and_insertion(orb: OrbiterIn, cfg, v_inf_dep: float, v_inf_arr: float) -> tuple[float, float]:
    """The orbiter's departure burn from the parking orbit and its insertion burn into the initial orbit (m/s)."""
    from ..bodies import body

    earth, planet = body("earth"), body(cfg.body)
    dv_dep = _burn(
        earth.gm_m3_s2,
        earth.radius_m + orb.parking_perigee_altitude_km * 1e3,
        v_inf_dep,
        earth.radius_m + orb.parking_apoapsis_altitude_km * 1e3,
    )
    dv_ins = _burn(
        planet.gm_m3_s2,
        planet.radius_m + cfg.initial_periapsis_altitude_km * 1e3,
        v_inf_arr,
        planet.radius_m + cfg.initial_apoapsis_altitude_km * 1e3,
    )
    return dv_dep, dv_ins


def _transfer_table(sc: Scenario, orb: OrbiterIn, tof_s: float, v_inf_dep, v_inf_arr, dv_dep, dv_ins) -> dict:
    """summary.json ``transfer``: dates, C3, arrival excess speed, the two burns and the masses after them."""
    ve = orb.isp_s * G0
    m_after_dep = orb.launch_mass_kg * math.exp(-dv_dep / ve)
    m_after_ins = m_after_dep * math.exp(-dv_ins / ve)
    return {
        "depart_utc": sc.launch.utc,
        "arrive_utc": orb.arrival_utc,
        "tof_days": round(tof_s / 86400.0, 2),
        "c3_km2_s2": round(v_inf_dep**2 / 1e6, 3),
        "vinf_arrive_km_s": round(v_inf_arr / 1e3, 4),
        "departure_dv_from_parking_orbit_m_s": round(dv_dep, 1),
        "insertion_dv_m_s": round(dv_ins, 1),
        "mass_after_departure_kg": round(m_after_dep, 1),
        "mass_after_insertion_kg": round(m_after_ins, 1),
    }


def _launcher_as_given(sc: Scenario, orb: OrbiterIn) -> dict:
    """summary.json ``launcher``: the scenario's launcher and capacity (not in areo's catalogue); no launch period."""
    lv = sc.launch.vehicle or "launcher"
    return {
        "launcher": {
            "title": lv,
            "in_catalogue": False,
            "capacity_kg": orb.launcher_capacity_kg,
            "payload_kg": orb.launch_mass_kg,
            "margin_kg": None if orb.launcher_capacity_kg is None else orb.launcher_capacity_kg - orb.launch_mass_kg,
            "reason": f"{lv} places the orbiter in a {orb.parking_perigee_altitude_km:g} x "
            f"{orb.parking_apoapsis_altitude_km:g} km parking orbit; capacity as given in the scenario (no published "
            "escape performance, so not in areo's launcher catalogue)",
        },
        "launch_period": None,
    }


def stage_aerobraking(cfg, res: ReplayResult):
    from ..aerobraking import run_nominal

    m = res.transfer.get("mass_after_insertion_kg")
    if m:
        cfg = cfg.model_copy(update={"vehicle": cfg.vehicle.model_copy(update={"mass_kg": m})})
    return run_nominal(cfg)


def _complexes(cat, networks):
    """One antenna per site (the largest) for each network: co-located dishes would count a pass twice."""
    out = {}
    for n in networks:
        best: dict = {}
        for s in cat.network(n):
            key = (round(s.lat_deg), round(s.lon_deg))
            if key not in best or s.diameter_m > best[key].diameter_m:
                best[key] = s
        out[n] = list(best.values())
    return out


def stage_ground(sc: Scenario, orb: OrbiterIn, cfg, camp, res: ReplayResult) -> None:
    from ..ground.api import link_report, passes
    from ..ground.stations import load_catalogue

    if sc.ground is None:
        res.notes.append("no [ground] table: ground coverage not computed")
        return
    cat = load_catalogue()
    band = sc.ground.band.lower()
    days = {
        "orbit insertion": orb.arrival_utc,
        "end of aerobraking": camp.summary["end_utc"],
    }
    out: dict = {"band": band.upper(), "eirp_dbw": orb.eirp_dbw_x, "max_rate_kbps": orb.max_rate_kbps, "days": []}
    for label, utc in days.items():
        t0 = float(utc_to_tdb_seconds(utc))
        start, stop = str(tdb_seconds_to_utc_iso(t0)), str(tdb_seconds_to_utc_iso(t0 + 86400.0))
        for net, stations in _complexes(cat, sc.ground.networks).items():
            vol, hours, rows = 0.0, 0.0, []
            for st in stations:
                for p in passes(st.id, cfg.body, start, stop, sc.ground.min_elevation_deg):
                    rise, set_ = p["rise_utc"] or start, p["set_utc"] or stop
                    lr = link_report(
                        st.id,
                        band,
                        p["culmination_utc"],
                        target=cfg.body,
                        spacecraft_name=None,
                        eirp_dbw=orb.eirp_dbw_x,
                    )
                    t_r, t_s = (float(x) for x in utc_to_tdb_seconds([rise, set_]))
                    frac = min(t_s, t0 + 86400.0) - max(t_r, t0)
                    full = max(t_s - t_r, 1.0)
                    # the pass volume at the link's best rate, capped by the radio's highest rate
                    v_pass = min((lr.get("pass") or {}).get("volume_mbit", 0.0), orb.max_rate_kbps * full / 1e3)
                    v = v_pass * max(frac, 0.0) / full
                    vol += v
                    hours += max(frac, 0.0) / 3600.0
                    rows.append(
                        {
                            "station": st.id,
                            "rise_utc": rise,
                            "set_utc": set_,
                            "range_km": lr["range_km"],
                            "max_rate_kbps_at_culmination": lr["max_data_rate_kbps"],
                            "volume_mbit_in_day": round(v, 1),
                        }
                    )
            out["days"].append(
                {
                    "day": label,
                    "start_utc": start,
                    "network": net,
                    "contact_hours": round(hours, 2),
                    "data_volume_gbit": round(vol / 1e3, 3),
                    "passes": rows,
                }
            )
    res.ground = out


def _timeline(sc: Scenario, orb: OrbiterIn, camp) -> list[TimelineEvent]:
    rec = {e.name: e for e in sc.events}
    evs = []
    for name, phase, utc, details in (
        ("launch", "launch", sc.launch.utc, {}),
        ("VOI", "arrival", orb.arrival_utc, {}),
        ("aerobraking start", "arrival", camp.summary["start_utc"], {}),
        ("aerobraking end", "arrival", camp.summary["end_utc"], {"passes": camp.summary["passes"]}),
    ):
        r = rec.get(name)
        evs.append(TimelineEvent(name, phase, utc, r.utc if r else None, r.source if r else None, details))
    return sorted(evs, key=sort_key)


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def _html(sc: Scenario, summary: dict) -> str:
    def table(rows):
        if not rows:
            return "<p>none</p>"
        head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows)
        return f"<table border=1 cellpadding=3><tr>{head}</tr>{body}</table>"

    ab = summary["aerobraking"]
    parts = [
        f"<h1>{html.escape(sc.mission.name)}</h1><p>{html.escape(sc.mission.description)}</p>",
        "<h2>Orbits</h2>" + table(summary["orbits"]),
        "<h2>Transfer</h2>" + table([summary["transfer"]]),
        "<h2>Aerobraking</h2>" + table([ab["summary"]]) + "<h3>Day by day</h3>" + table(ab["days"]),
    ]
    days = (summary.get("ground") or {}).get("days")
    if days is not None:  # no [ground] table: no ground section
        parts.append("<h2>Ground</h2>" + table([{k: v for k, v in d.items() if k != "passes"} for d in days]))
    return "<!doctype html><meta charset=utf-8><title>areo replay</title>" + "".join(parts)


def replay_aerobraking(scenario: str, out_dir, *, progress=None) -> ReplayResult:
    """The replay of a scenario with an ``[aerobraking]`` table (called by :func:`areo.mission.replay.replay`)."""
    from .summary import conform, timeline_events

    sc, orb, cfg = _load(scenario)
    res = ReplayResult(scenario=sc)
    camp = _run_aerobraking_stages(sc, orb, cfg, res, progress)
    res.timeline = _timeline(sc, orb, camp)
    res.notes.append(
        f"aerobraking: {camp.summary['duration_days']:.0f} days, {camp.summary['passes']} passes, "
        f"ABM delta-v {camp.summary['abm_dv_m_s']:.1f} m/s ({camp.summary['status']})"
    )
    summary = {
        "mission": sc.mission.name,
        "dv_budget": _dv_budget(res.transfer, camp.summary, orb),
        "status": sc.mission.status,
        "orbits": camp.orbits,
        "transfer": res.transfer,
        "aerobraking": {"summary": camp.summary, "days": camp.days},
        "ground": res.ground,
        "timeline": [e.as_dict() for e in res.timeline],
        **res.launch,
    }
    summary = res.summary = conform(summary, timeline_events(res.timeline, orb.name))
    _write_aerobraking_outputs(sc, res, camp, out_dir, progress)
    res.aerobraking = camp  # type: ignore[attr-defined]
    return res


def _run_aerobraking_stages(sc: Scenario, orb: OrbiterIn, cfg, res: ReplayResult, progress):
    """The timed stages (the replay's five names; transfer and EDL are empty here); returns the campaign."""
    camp_box: dict = {}

    def timed(name, fn):
        run_stage(res, name, fn, progress)

    timed("launch window", lambda: stage_launch_transfer(sc, orb, cfg, res))
    timed("transfer", lambda: None)
    timed("cruise", lambda: camp_box.update(c=stage_aerobraking(cfg, res)))  # insertion + aerobraking
    camp = camp_box["c"]
    timed("entry, descent and landing", lambda: None)
    timed("ground coverage", lambda: stage_ground(sc, orb, cfg, camp, res))
    return camp


def _dv_budget(transfer: dict, ab: dict, orb: OrbiterIn) -> dict:
    """summary.json ``dv_budget``: the burns, the aerobraking manoeuvres and drag, the ABM propellant."""
    m_ab = transfer["mass_after_insertion_kg"]
    abm_prop = m_ab * (1 - math.exp(-ab["abm_dv_m_s"] / (orb.isp_s * G0)))
    return {
        "departure_from_parking_orbit_m_s": transfer["departure_dv_from_parking_orbit_m_s"],
        "orbit_insertion_m_s": transfer["insertion_dv_m_s"],
        "aerobraking_manoeuvres_m_s": ab["abm_dv_m_s"],
        "drag_m_s": ab["drag_dv_m_s"],
        "aerobraking_propellant_kg": round(abm_prop, 1),
        "propulsive_total_m_s": round(
            transfer["departure_dv_from_parking_orbit_m_s"] + transfer["insertion_dv_m_s"] + ab["abm_dv_m_s"], 1
        ),
    }


def _write_aerobraking_outputs(sc: Scenario, res: ReplayResult, camp, out_dir, progress) -> None:
    """The timed report stage: summary.json, the day and pass tables and report.html, written atomically."""
    from ..io.files import atomic_write_text, staged_output, write_json

    summary = res.summary
    t0 = time.perf_counter()
    if progress:
        progress("report", None)
    with staged_output(out_dir) as tmp:
        tmp = Path(tmp)
        write_json(tmp / "summary.json", summary)
        atomic_write_text(tmp / "aerobraking_days.csv", _csv(camp.days))
        cols = {k: np.round(v, 6).tolist() for k, v in camp.passes.items()}
        rows = [dict(zip(cols, vals, strict=True)) for vals in zip(*cols.values(), strict=True)]
        atomic_write_text(tmp / "aerobraking_passes.csv", _csv(rows))
        atomic_write_text(tmp / "report.html", _html(sc, summary))
    res.files = [
        str(Path(out_dir) / n)
        for n in ("summary.json", "aerobraking_days.csv", "aerobraking_passes.csv", "report.html")
    ]
    res.stage_seconds["report"] = time.perf_counter() - t0
    if progress:
        progress("report", res.stage_seconds["report"])
