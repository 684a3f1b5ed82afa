"""Mission replay outputs: ``report.html`` (self-contained), ``timeline.json`` / ``timeline.csv``, CCSDS OEM and
TDM, CZML and Parquet files. Reads a :class:`areo.mission.replay.ReplayResult`; never calls the physics."""

from __future__ import annotations

import html as _html
from pathlib import Path

import numpy as np

from .._extras import has, message
from ..io.files import atomic_write_text, write_json
from ..mission.timeline import timeline_csv
from .html import Section, render_report, table_html


def _sections(res) -> list[Section]:
    """The report's sections in page order; a section whose stage did not run is left out."""
    secs = [_timeline_section(res)]
    if res.porkchop is not None:
        secs.append(_launch_section(res))
    if res.cruise is not None and "earth_path_ecl_m" in res.transfer:
        secs += [_cruise_section(res), _approach_section(res)]
    if res.edl:
        secs += [_edl_section(res), _landing_section(res)]
    if res.ground:
        secs.append(_ground_section(res))
    return secs


def _km(m) -> str:
    return "" if m is None else f"{m / 1e3:.2f}"


def _timeline_row(e) -> dict:
    """One event of the timeline table: simulated against recorded time, altitude and speed."""
    d = e.difference_s
    return {
        "event": e.name,
        "phase": e.phase,
        "simulated UTC": e.simulated_utc or "—",
        "recorded UTC": e.recorded_utc or "—",
        "sim − rec": "—" if d is None else f"{d:+.0f} s",
        "sim alt (km)": _km(e.simulated_altitude_m),
        "rec alt (km)": _km(e.recorded_altitude_m),
        "sim / rec speed (km/h)": ""
        if e.recorded_speed_m_s is None
        else f"{'—' if e.simulated_speed_m_s is None else round(e.simulated_speed_m_s * 3.6)} / "
        f"{round(e.recorded_speed_m_s * 3.6)}",
        "details": ", ".join(f"{k} {v}" for k, v in e.details.items()),
        "source": e.recorded_source or "",
    }


def _timeline_section(res) -> Section:
    """The mission description, scenario file, stage run times, notes and the event table."""
    sc = res.scenario
    rows = [_timeline_row(e) for e in res.timeline]
    stage = ", ".join(f"{k} {v:.1f} s" for k, v in res.stage_seconds.items())
    notes = "".join(f"<li>{_html.escape(n)}</li>" for n in res.notes)
    return Section(
        "Timeline: simulated and recorded events",
        f"<p>{_html.escape(sc.mission.description)}</p>"
        f"<p class='note'>Scenario <code>{_html.escape(Path(sc.path).name)}</code> ({_html.escape(sc.mission.status)}). "
        f"Stage run times: {_html.escape(stage)}.</p>"
        + (f"<ul class='note'>{notes}</ul>" if notes else "")
        + table_html(rows),
        anchor="timeline",
    )


_PORKCHOP_COLUMNS = (
    "depart_utc",
    "arrive_utc",
    "tof_days",
    "c3_km2_s2",
    "vinf_depart_km_s",
    "dla_deg",
    "vinf_arrive_km_s",
)


def _launch_section(res) -> Section:
    """The porkchop's notable points (optimum, best of each type, flown dates) and its figure."""
    from .porkchop import porkchop_figure

    sc = res.scenario
    s = res.porkchop.summary()
    pts = [
        {"point": k, **{c: s[k][c] for c in _PORKCHOP_COLUMNS}}
        for k in ("optimum", "optimum_type1", "optimum_type2", "at")
        if s.get(k)
    ]
    extra = ""
    if sc.launch.c3_km2_s2 is not None and s.get("at"):
        extra = (
            f"<p>Published launch C3: {sc.launch.c3_km2_s2} km²/s²; areo's pure Lambert value for the "
            f"flown dates: {s['at']['c3_km2_s2']:.2f} km²/s².</p>"
        )
    return Section(
        "Launch window (porkchop, flown dates marked)",
        extra + table_html(pts),
        [porkchop_figure(res.porkchop, getattr(res, "porkchop_launch", None))],
        anchor="launch",
    )


def _capture_table(res) -> str:
    """The capture orbit, simulated against recorded ("" without a simulated capture)."""
    cap = res.cruise.capture
    if cap is None:
        return ""
    c = res.scenario.cruise.capture
    return table_html(
        [
            {
                "": "simulated",
                "periapsis alt (km)": round(cap.periapsis_altitude_m / 1e3, 1),
                "apoapsis alt (km)": round(cap.apoapsis_altitude_m / 1e3, 0),
                "period (d)": round(cap.period_days, 3),
                "inclination (°)": round(cap.inclination_deg, 2),
            },
            {
                "": "recorded",
                "periapsis alt (km)": c.periapsis_altitude_km,
                "apoapsis alt (km)": c.apoapsis_altitude_km or "—",
                "period (d)": c.period_days,
                "inclination (°)": c.inclination_deg,
            },
        ]
    )


def _cruise_section(res) -> Section:
    """Miss distances, the manoeuvre table, the capture orbit and the heliocentric 3-D trajectory."""
    from . import figures as F

    ctx = res.transfer
    paths = {
        "Earth": ctx["earth_path_ecl_m"],
        "Mars": ctx["mars_path_ecl_m"],
        "Lambert arc (two-body)": ctx["lambert_path_ecl_m"],
    }
    for name, r in ctx.get("craft_paths_ecl_m", {}).items():
        paths[name] = r
    man = [
        {
            "manoeuvre": m.name,
            "vehicle": m.vehicle,
            "UTC": m.utc,
            "Δv (m/s)": round(m.dv_magnitude_m_s, 3),
            "duration (s)": round(m.duration_s, 1),
            "propellant (kg)": round(m.propellant_kg, 1),
        }
        for m in res.cruise.maneuvers
    ]
    miss = ", ".join(f"{k.replace('_', ' ')}: {v:,.0f} km" for k, v in res.cruise.miss_distance_km.items())
    return Section(
        "Cruise: n-body trajectory and manoeuvres",
        f"<p class='note'>Mars miss distance of each design under full n-body forces — {_html.escape(miss)}.</p>"
        + table_html(man)
        + "<h3>Capture orbit</h3>"
        + _capture_table(res),
        [F.heliocentric_3d(paths, ctx.get("markers_ecl_m", {}), "Heliocentric trajectory (ecliptic J2000)")],
        anchor="cruise",
    )


def _approach_section(res) -> Section:
    """The entry state (when the lander was flown to the interface) and the B-plane figure."""
    from . import figures as F

    ctx = res.transfer
    bp = {}
    for who, b in res.cruise.bplane.items():
        bp[who] = (b["b_t_km"], b["b_r_km"])
    ent = res.cruise.entry
    ent_html = ""
    if ent is not None:
        ent_html = table_html(
            [
                {
                    "entry UTC": ctx.get("entry_utc", ""),
                    "altitude (km)": round(ent.altitude_m / 1e3, 2),
                    "speed inertial (km/s)": round(ent.speed_inertial_m_s / 1e3, 4),
                    "FPA inertial (°)": round(ent.fpa_inertial_deg, 3),
                    "latitude (°)": round(ent.latitude_deg, 3),
                    "longitude (°E)": round(ent.longitude_deg, 3),
                }
            ]
        )
    return Section(
        "Mars approach and B-plane",
        ent_html,
        [F.mars_approach(ctx.get("approach_paths_m", {}), bp)],
        anchor="approach",
    )


def _edl_rows(res) -> list[dict]:
    """One row per EDL case (status, touchdown, landing site), each followed by its events."""
    rows = []
    for k, v in res.edl.items():
        rows.append(
            {
                "case": k,
                "status": v["status"],
                "touchdown speed (m/s)": v.get("touchdown_speed_m_s"),
                "landing lat (°)": v.get("landing_lat_deg"),
                "landing lon (°E)": v.get("landing_lon_deg"),
            }
        )
        for ev in v.get("events", []):
            rows.append(
                {
                    "case": f"  {ev['name']}",
                    "status": f"t+{ev['t_s']:.1f} s",
                    "touchdown speed (m/s)": f"h {ev['altitude_m'] / 1e3:.2f} km",
                    "landing lat (°)": f"v {ev['speed_m_s']:.0f} m/s",
                    "landing lon (°E)": f"M {ev['mach']:.2f}" if ev.get("mach") is not None else "",
                }
            )
    return rows


def _edl_section(res) -> Section:
    """The EDL table of every case and, for cases with a time history, altitude and speed/Mach figures."""
    from . import figures as F

    cases = {k: v["history"] for k, v in res.edl.items() if v.get("history")}
    figs = []
    if cases:
        figs = [F.edl_altitude(cases), F.edl_speed_mach(cases)]
    return Section("Entry, descent and landing", table_html(_edl_rows(res)), figs, anchor="edl")


def _landing_section(res) -> Section:
    """The Monte Carlo success rate and 99 % ellipse, and the map of landmarks and simulated landing sites."""
    from . import figures as F

    mc = res.montecarlo
    markers = {lm.name: (lm.latitude_deg, lm.longitude_deg) for lm in res.scenario.landmarks}
    for k, v in res.edl.items():
        if v.get("landing_lat_deg") is not None:
            markers[f"{k} (simulated)"] = (v["landing_lat_deg"], v["landing_lon_deg"])
    body = ""
    if mc is not None:
        body = (
            f"<p>{mc['runs']} dispersed runs: success rate {100 * mc['success_rate']:.1f} % "
            f"(95 % interval {100 * mc['success_ci'][0]:.1f}–{100 * mc['success_ci'][1]:.1f} %); "
            f"99 % landing ellipse {mc['ellipse_major_km']:.1f} × {mc['ellipse_minor_km']:.1f} km.</p>"
        )
    return Section(
        "Landing ellipse and sites",
        body,
        [
            F.landing_map(
                None if mc is None else mc["lat_deg"],
                None if mc is None else mc["lon_deg"],
                None if mc is None else mc["ellipse_latlon_deg"],
                markers,
            )
        ],
        anchor="landing",
    )


def _critical_rows(g: dict) -> list[dict]:
    """One row per (critical event, network): the stations in view with elevation and link margin."""
    by_event: dict[tuple[str, str], dict] = {}
    for r in g.get("critical", []):
        row = by_event.setdefault(
            (r["event"], r["network"]),
            {"event": r["event"], "UTC": r["utc"], "network": r["network"], "stations in view": []},
        )
        if r.get("visible"):
            m = "" if r.get("margin_db") is None else f", {r['margin_db']:+.1f} dB"
            row["stations in view"].append(f"{r['station']} ({r['elevation_deg']:.0f}°{m})")
    return [{**v, "stations in view": "; ".join(v["stations in view"]) or "none"} for v in by_event.values()]


def _ground_figures(res) -> list:
    """The station-pass Gantt chart and the link-margin time series, where the replay made them."""
    from . import figures as F

    g = res.ground
    figs = []
    if g.get("passes"):
        figs.append(
            F.passes_gantt(
                g["passes"],
                f"Station passes over Mars around arrival (elevation mask {res.scenario.ground.min_elevation_deg:g}°)",
            )
        )
    if g.get("link_series"):
        figs.append(
            F.timeseries(g["link_series"], "link margin (dB)", "Best X-band link margin over the mission", hline=0.0)
        )
    return figs


def _ground_section(res) -> Section:
    """Stations in view at critical events, coverage around arrival, the EDL telemetry what-if and figures."""
    g = res.ground
    cov = [
        {
            "network": r["network"],
            "coverage": f"{100 * r['coverage_fraction']:.1f} %",
            "gaps": r["n_gaps"],
            "longest gap (h)": r["longest_gap_h"],
            "daily volume (Gbit)": r.get("mean_daily_volume_gbit"),
        }
        for r in g.get("coverage", [])
    ]
    return Section(
        "Ground segment: who hears the spacecraft",
        "<h3>Critical events: stations in view</h3>"
        + table_html(_critical_rows(g))
        + "<h3>Coverage around arrival</h3>"
        + table_html(cov)
        + (
            "<h3>What-if: EDL housekeeping at 8 kbit/s to GMRT (401 MHz), CCSDS TM frames with RS(255,223)</h3>"
            + table_html(g["edl_telemetry"])
            if g.get("edl_telemetry")
            else ""
        ),
        _ground_figures(res),
        anchor="ground",
    )


def write_replay_outputs(res, tmp: Path, final: Path) -> list[str]:
    """Write every output into ``tmp`` (moved to ``final`` by the caller); returns the final paths.

    report.html and the porkchop figures need the ``report`` extra, Parquet tables the ``parquet`` extra; without
    them the other files are written and ``res.notes`` says which extra adds the rest."""
    report, parquet = has("plotly", "matplotlib"), has("pandas", "pyarrow")
    names = _write_report(res, tmp) if report else []
    if not report:
        res.notes.append(message("the HTML report (report.html, porkchop figures)", "plotly"))
    if not parquet:
        res.notes.append(message("Parquet output (trajectory, passes, EDL runs)", "pyarrow"))
    write_json(tmp / "timeline.json", [e.as_dict() for e in res.timeline])
    atomic_write_text(tmp / "timeline.csv", timeline_csv(res.timeline))
    names += ["timeline.json", "timeline.csv"]
    if res.porkchop is not None and report and parquet:
        from .porkchop import PORKCHOP_FILES, write_porkchop_outputs

        write_porkchop_outputs(
            res.porkchop, tmp / "porkchop", getattr(res, "porkchop_launch", None), final_dir=Path(final) / "porkchop"
        )
        names += [f"porkchop/{n}" for n in PORKCHOP_FILES]
    if res.cruise is not None:
        names += _write_trajectory_files(res, tmp, parquet)
    if res.ground.get("tdm"):
        atomic_write_text(tmp / "tracking.tdm", res.ground["tdm"])
        names.append("tracking.tdm")
    if parquet:
        names += _write_parquet_tables(res, tmp)
    write_json(
        tmp / "files.json",
        {"files": [*names, "files.json"], "stage_seconds": {k: round(v, 3) for k, v in res.stage_seconds.items()}},
    )
    names.append("files.json")
    return [str(Path(final) / n) for n in names]


def _write_report(res, tmp: Path) -> list[str]:
    """report.html: every section on one self-contained page (``report`` extra)."""
    sc = res.scenario
    title = f"{sc.mission.name}: mission replay"
    sub = f"{sc.launch.vehicle} from {sc.launch.site}, launched {sc.launch.utc}" if sc.launch.vehicle else sc.launch.utc
    atomic_write_text(tmp / "report.html", render_report(title, sub, _sections(res)))
    return ["report.html"]


def _write_trajectory_files(res, tmp: Path, parquet: bool) -> list[str]:
    """The cruise trajectories: one CCSDS OEM per vehicle, CZML, SPK kernels and (``parquet``) one Parquet table."""
    from ..io.czml import CzmlPath, write_czml
    from ..io.oem import write_oem
    from ..mission.trajectory_files import write_spk_files

    sc = res.scenario
    names: list[str] = []
    czml = []
    colours = [(255, 200, 0, 255), (0, 200, 255, 255)]
    for k, (name, f) in enumerate(res.transfer.get("trajectory_files", {}).items()):
        fname = f"trajectory-{name.lower()}.oem"  # one object per OEM file (CCSDS 502.0-B-3, python-oem)
        write_oem(tmp / fname, f["segments"])
        names.append(fname)
        czml.append(CzmlPath(name.lower(), name, f["tdb_s"], f["r_earth_icrf_m"], rgba=colours[k % 2]))
    if czml:
        write_czml(tmp / "trajectory.czml", czml, name=sc.mission.name)
        names.append("trajectory.czml")
    vehicles = {"orbiter": sc.cruise.orbiter, "lander": sc.cruise.lander} if sc.cruise is not None else {}
    ids = {k: v.naif_id for k, v in vehicles.items() if v is not None}
    names += write_spk_files(tmp, res.transfer.get("trajectory_files", {}), ids, res.notes)
    if parquet:
        _parquet(_trajectory_rows(res.cruise), tmp / "trajectory.parquet")
        names.append("trajectory.parquet")
    return names


def _trajectory_rows(cruise) -> list[dict]:
    """Sun-centred ICRF position, velocity and mass columns of the orbiter and the lander (those flown)."""
    rows = []
    for tr in (cruise.orbiter, cruise.lander):
        if tr is None:
            continue
        rows.append(
            {
                "vehicle": tr.name,
                "tdb_s": tr.tdb_s,
                **{f"{a}_sun_icrf_m": tr.r_sun_icrf_m[:, i] for i, a in enumerate("xyz")},
                **{f"v{a}_sun_icrf_m_s": tr.v_sun_icrf_m_s[:, i] for i, a in enumerate("xyz")},
                "mass_kg": tr.mass_kg,
            }
        )
    return rows


def _write_parquet_tables(res, tmp: Path) -> list[str]:
    """Station passes, each EDL case's time history and the Monte Carlo runs as Parquet tables (``parquet``)."""
    names: list[str] = []
    if res.ground.get("passes"):
        _parquet([res.ground["passes"]], tmp / "passes.parquet")
        names.append("passes.parquet")
    for case, run in res.edl.items():
        if run.get("history"):
            h = {k: np.asarray(v) for k, v in run["history"].items() if k != "events" and np.ndim(v) == 1}
            _parquet([h], tmp / f"edl_{case}.parquet")
            names.append(f"edl_{case}.parquet")
    if res.montecarlo is not None and res.montecarlo.get("table") is not None:
        _parquet([res.montecarlo["table"]], tmp / "edl_montecarlo.parquet")
        names.append("edl_montecarlo.parquet")
    return names


def _parquet(parts: list, path: Path) -> None:
    """One Parquet table from column mappings (or records) stacked in order (``parquet`` extra)."""
    import pandas as pd

    pd.concat([pd.DataFrame(p) for p in parts]).to_parquet(path, index=False)


__all__ = ["write_replay_outputs"]
