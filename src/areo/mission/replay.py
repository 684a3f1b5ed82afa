"""`areo replay`: one scenario file -> launch window, transfer, cruise, EDL, ground coverage -> report and files.

Each stage calls one domain package's user layer; this module only composes them (domains never import each
other) and collects a :class:`ReplayResult`, which the report and the writers read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..time import format_utc_dt, parse_utc_range, tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from .scenario import Scenario, load_scenario
from .stages import run_stage
from .timeline import TimelineEvent, sort_key

STAGES = ("launch window", "transfer", "cruise", "entry, descent and landing", "ground coverage", "report")


@dataclass
class ReplayResult:
    scenario: Scenario
    porkchop: object = None  # areo.transfer.window.PorkchopResult
    transfer: dict = field(default_factory=dict)
    cruise: object = None  # areo.cruise.CruiseResult
    edl: dict = field(default_factory=dict)  # case name -> EDL run summary and history
    montecarlo: object = None
    ground: dict = field(default_factory=dict)
    timeline: list = field(default_factory=list)
    stage_seconds: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    launch: dict = field(default_factory=dict)  # summary.json keys "launcher" and "launch_period"
    porkchop_launch: object = None  # areo.launch.PorkchopLaunch: the launcher's shading of the porkchop
    summary: dict = field(default_factory=dict)  # summary.json (areo.mission.summary: the contract)


# ----------------------------------------------------------------------------------------------------- stages
def stage_launch(sc: Scenario, res: ReplayResult) -> None:
    from ..transfer.window import porkchop

    arrive_utc = sc.cruise.arrival_utc if sc.cruise else None
    at = f"{sc.launch.utc}/{arrive_utc}" if arrive_utc else None
    res.porkchop = porkchop(
        "earth", "mars", sc.launch.window_depart, sc.launch.window_arrive, grid=sc.launch.window_grid, at=at
    )
    from .launcher import launcher_summary, scenario_porkchop_launch

    res.porkchop_launch = scenario_porkchop_launch(sc, res.porkchop)
    period = None if res.porkchop_launch is None else res.porkchop_launch.period
    res.launch = launcher_summary(sc, res.porkchop, period)
    lv = res.launch["launcher"]
    if lv and lv.get("margin_kg") is not None:
        res.notes.append(f"launcher {lv['title']}: {lv['reason']} (capability {lv['capability_kg']:.0f} kg)")


def stage_transfer(sc: Scenario, res: ReplayResult) -> None:
    """The pure Lambert arc of the flown dates (for comparison with the n-body cruise)."""
    from ..constants import GM_SUN
    from ..ephem import default_ephemeris
    from ..kepler import propagate
    from ..transfer.lambert import lambert

    if sc.cruise is None:
        return
    t1, t2 = (float(x) for x in utc_to_tdb_seconds([sc.launch.utc, sc.cruise.arrival_utc]))
    eph = default_ephemeris()
    r1, v_e = eph.state("earth", t1)
    r2, v_m = eph.state("mars", t2)
    sol = lambert(r1, r2, t2 - t1, GM_SUN)
    sol.raise_if_failed()
    t = np.linspace(t1, t2, 200)
    r, _, _ = propagate(np.broadcast_to(r1, (200, 3)), np.broadcast_to(sol.v1_m_s, (200, 3)), t - t1, GM_SUN)
    res.transfer = {
        "tdb_s": t,
        "r_sun_icrf_m": r,
        "c3_km2_s2": float(np.sum((sol.v1_m_s - v_e) ** 2) / 1e6),
        "vinf_arrive_km_s": float(np.linalg.norm(sol.v2_m_s - v_m) / 1e3),
        "tof_days": (t2 - t1) / 86400.0,
    }


def cruise_plan(sc: Scenario):
    """The scenario's [cruise] table as an :class:`areo.cruise.CruisePlan` (UTC -> TDB, km -> m, deg -> rad)."""
    from ..cruise import CaptureTarget, CruisePlan, EntryTarget, Vehicle

    c = sc.cruise
    tdb = lambda u: None if u is None else float(utc_to_tdb_seconds(u))  # noqa: E731
    veh = lambda v: (  # noqa: E731
        None
        if v is None
        else Vehicle(
            v.name,
            v.mass_kg,
            v.dry_mass_kg,
            thrust_n=v.thrust_n,
            isp_s=v.isp_s,
        )
    )
    cap = c.capture
    plan = CruisePlan(
        launch_tdb_s=tdb(sc.launch.utc),
        arrival_tdb_s=tdb(c.arrival_utc),
        orbiter=veh(c.orbiter),
        lander=veh(c.lander),
        dsm_dv_m_s=c.dsm_dv_m_s,
        # the cruise model centres the finite DSM burn on its epoch; the scenario gives the published start
        dsm_tdb_s=None if c.dsm_utc is None else tdb(c.dsm_utc) + 30.0 * c.dsm_duration_min,
        tcm_tdb_s=tuple(tdb(u) for u in c.tcm_utc),
        entry=EntryTarget(
            altitude_m=c.entry_altitude_km * 1e3,
            fpa_deg=c.entry_fpa_deg,
            latitude_deg=c.entry_latitude_deg,
            tdb_s=tdb(c.arrival_utc),
        ),
        separation_tdb_s=tdb(c.separation_utc),
        separation_dv_m_s=c.separation_dv_m_s,
        avoidance_tdb_s=tdb(c.avoidance_utc),
        moi_end_tdb_s=tdb(c.moi_end_utc),
        moi_duration_guess_s=c.moi_duration_min * 60.0,
        capture=CaptureTarget(
            cap.periapsis_altitude_km * 1e3, cap.period_days * 86400.0, np.radians(cap.inclination_deg)
        ),
        perigee_altitude_m=c.perigee_altitude_km * 1e3,
        sequence=tuple(c.sequence or ()),
    )
    plan.validate()
    return plan


def stage_cruise(sc: Scenario, res: ReplayResult) -> None:
    from ..cruise import fly

    if sc.cruise is None:
        res.notes.append("no [cruise] table: cruise not simulated")
        return
    res.cruise = fly(cruise_plan(sc))
    _cruise_context(res)


def _cruise_context(res: ReplayResult) -> None:
    """Samples the report draws: planet paths, trajectories in the ecliptic, Mars-centred approach, Earth-relative
    positions for CZML (ephemeris look-ups, done here so that the report never calls the physics)."""
    from ..cruise.bplane import icrf_to_mars_equator_matrix
    from ..ephem import default_ephemeris, icrf_to_ecliptic

    eph = default_ephemeris()
    cr = res.cruise
    t0 = float(cr.orbiter.tdb_s[0])
    t1 = float(cr.orbiter.tdb_s[-1])
    t = np.linspace(t0, max(t1, t0 + 86400.0), 400)
    ctx = res.transfer
    ctx["earth_path_ecl_m"] = icrf_to_ecliptic(eph.state("earth", t)[0])
    ctx["mars_path_ecl_m"] = icrf_to_ecliptic(eph.state("mars", t)[0])
    if "r_sun_icrf_m" in ctx:
        ctx["lambert_path_ecl_m"] = icrf_to_ecliptic(ctx["r_sun_icrf_m"])
    crafts = [tr for tr in (cr.orbiter, cr.lander) if tr is not None]
    ctx["craft_paths_ecl_m"] = {tr.name: icrf_to_ecliptic(tr.r_sun_icrf_m) for tr in crafts}
    ctx["markers_ecl_m"] = {}
    for m in cr.maneuvers:
        tr = cr.orbiter
        k = int(np.argmin(np.abs(tr.tdb_s - m.tdb_s)))
        if m.dv_magnitude_m_s > 1.0:
            ctx["markers_ecl_m"][m.name] = icrf_to_ecliptic(tr.r_sun_icrf_m[k])
    rot = icrf_to_mars_equator_matrix()
    ctx["approach_paths_m"] = {}
    for tr in crafts:
        near = tr.tdb_s >= float(tr.tdb_s[-1]) - 3 * 86400.0
        r_mars, _ = tr.relative_to("mars")
        ctx["approach_paths_m"][tr.name] = r_mars[near] @ rot.T
    from .trajectory_files import trajectory_samples

    ctx["trajectory_files"] = trajectory_samples(cr, f"{res.scenario.mission.name}: simulated by areo")
    if cr.entry is not None:
        ctx["entry_utc"] = tdb_seconds_to_utc_iso(cr.entry.tdb_s)


def stage_edl(sc: Scenario, res: ReplayResult, runs: int = 0, seed: int = 0) -> None:
    if sc.edl is None:
        res.notes.append("no [edl] table: EDL not simulated")
        return
    from ._edl_adapter import run_edl_cases

    entry = getattr(res.cruise, "entry", None) if res.cruise is not None else None
    res.edl, res.montecarlo = run_edl_cases(sc, entry, runs=runs, seed=seed)


def _critical_events(sc: Scenario, res: ReplayResult) -> list[tuple[str, str]]:
    evs = [("launch", sc.launch.utc)]
    if res.cruise is not None:
        for m in res.cruise.maneuvers:
            if m.dv_magnitude_m_s > 0.01:
                evs.append((m.name, m.utc))
        for e in res.cruise.events:
            if e.name in ("separation", "lander:entry-interface", "capture"):
                evs.append((e.name, tdb_seconds_to_utc_iso(e.tdb_s)))
    elif sc.cruise is not None:
        evs.append(("arrival", sc.cruise.arrival_utc))
    return evs


def tracked_vehicle(cruise):
    """The trajectory the ground follows: the orbiter when it enters orbit; without an orbit insertion (a
    direct-entry mission, whose carrier or cruise stage ends at arrival) the entry vehicle, up to its entry."""
    if cruise.capture is None and cruise.lander is not None:
        return cruise.lander
    return cruise.orbiter


def _spacecraft_target(res: ReplayResult):
    """The tracked vehicle's simulated trajectory as a ground-segment target (SSB-centred table), or Mars as a
    stand-in. A vehicle that ends (burn-up, impact, entry) ends its tracking: the table stops with it."""
    if res.cruise is None:
        return "mars", None
    from ..ephem import default_ephemeris
    from ..ground.geometry import TrajectoryTarget

    tr = tracked_vehicle(res.cruise)
    t, keep = np.unique(tr.tdb_s, return_index=True)
    rs, vs = default_ephemeris().state("sun", t, center="ssb")
    tgt = TrajectoryTarget(t, tr.r_sun_icrf_m[keep] + rs, tr.v_sun_icrf_m_s[keep] + vs, name=tr.name)
    return tgt, (float(t[0]), float(t[-1]))


def stage_ground(sc: Scenario, res: ReplayResult) -> None:
    if sc.ground is None:
        res.notes.append("no [ground] table: ground coverage not computed")
        return
    from ..ground.api import event_coverage, network_coverage, passes, tracking_data
    from ..ground.stations import load_catalogue

    cat = load_catalogue()
    nets = sc.ground.networks
    band = sc.ground.band.lower()
    target, span = _spacecraft_target(res)
    out: dict = {"critical": [], "passes": [], "coverage": [], "link_series": {}}
    # the trajectory table starts at injection: a minute after it, light time is well inside the table
    lo = None if span is None else span[0] + 120.0
    for name, utc in _critical_events(sc, res):
        t = float(utc_to_tdb_seconds(utc))
        if span is not None and not lo < t <= span[1]:
            continue  # launch: still in the launcher's hands; after its trajectory ends: nothing left to track
        for n in nets:
            for row in event_coverage(n, utc, target=target, band=band):
                out["critical"].append({"event": name, "utc": utc, "network": n, **row})
    if sc.cruise is not None:
        t_arr = float(utc_to_tdb_seconds(sc.cruise.arrival_utc))
        start, stop = tdb_seconds_to_utc_iso(t_arr - 3 * 86400.0), tdb_seconds_to_utc_iso(t_arr + 2 * 86400.0)
        ids = sorted({s.id for n in nets for s in cat.network(n)})
        for sid in ids:
            for p in passes(sid, "mars", start, stop, sc.ground.min_elevation_deg):
                # a pass already under way at the window's start (or still on at its end) is clipped to it
                p["rise_utc"] = p["rise_utc"] or start
                p["set_utc"] = p["set_utc"] or stop
                out["passes"].append(p)
        out["coverage"] = network_coverage(
            nets, start, stop, step_s=300.0, min_elevation_deg=sc.ground.min_elevation_deg, band=band
        )
    if span is not None:
        # best link margin of each network every ~10 days over the cruise (TGO radio preset, 8 kbit/s)
        ts = np.linspace(span[0] + 3 * 86400.0, span[1] - 3600.0, 24)
        utcs = tdb_seconds_to_utc_iso(ts)
        for n in nets:
            best = []
            for u in utcs:
                rows = [
                    r
                    for r in event_coverage(n, u, target=target, band=band)
                    if r["visible"] and r["margin_db"] is not None
                ]
                best.append(max((r["margin_db"] for r in rows), default=np.nan))
            out["link_series"][n] = (utcs, best)
        # a CCSDS TDM of the arrival day from the first station of the first network
        st = cat.network(nets[0])[0].id
        t_arr = float(utc_to_tdb_seconds(sc.cruise.arrival_utc))
        # a vehicle that ends (a carrier burning up at arrival) ends its tracking: the TDM stops with its trajectory
        t_stop = min(t_arr + 3 * 3600.0, span[1])
        tdm = tracking_data(
            st,
            tdb_seconds_to_utc_iso(min(t_arr - 3 * 3600.0, t_stop - 3600.0)),
            tdb_seconds_to_utc_iso(t_stop),
            target=target,
            step_s=60.0,
            band=band,
        )
        out["tdm"] = tdm["tdm"]
        out["tdm_station"] = st
    from .._extras import has, message

    if sc.ground.edl_telemetry is None:
        pass  # the scenario asks for no EDL telemetry what-if
    elif has("spacepackets", "reedsolo", "fastcrc"):
        out["edl_telemetry"] = _edl_telemetry(sc, res)
    else:
        res.notes.append(message("the EDL telemetry what-if", "spacepackets"))
    res.ground = out


def _edl_telemetry(sc: Scenario, res: ReplayResult) -> list[dict]:
    """What-if: each EDL case's time history as housekeeping packets at the scenario's rate, sent to the station
    and band of ``[ground.edl_telemetry]`` through TM frames with RS(255,223) over the link's channel."""
    from ..ground.api import telemetry_run
    from ..ground.telemetry import housekeeping_packets

    tm = sc.ground.edl_telemetry
    lander = sc.cruise.lander.name.lower() if sc.cruise is not None and sc.cruise.lander is not None else "lander"
    rows = []
    for case, run in res.edl.items():
        h = run.get("history")
        ev = run.get("events") or []
        if not h or not ev or ev[0].get("utc") is None:
            continue
        pk = housekeeping_packets(
            h["t_s"],
            {
                "altitude_m": h["altitude_m"],
                "est_altitude_m": h["estimated_altitude_m"],
                "speed_m_s": h["speed_m_s"],
                "mach": h["mach"],
            },
            rate_bps=tm.rate_kbps * 1e3,
        )
        r = telemetry_run(
            tm.station, ev[0]["utc"], band=tm.band, spacecraft_name=lander, rate_kbps=tm.rate_kbps, packets=pk, seed=1
        )
        rows.append(
            {
                "case": case,
                "station": tm.station,
                "band": tm.band.upper(),
                **{
                    k: r[k]
                    for k in (
                        "eb_n0_db",
                        "elevation_deg",
                        "frames_sent",
                        "frames_lost",
                        "packets_sent",
                        "packets_lost",
                        "frame_error_rate_theory",
                    )
                },
            }
        )
    return rows


def build_timeline(sc: Scenario, res: ReplayResult) -> list[TimelineEvent]:
    evs: list[TimelineEvent] = []
    rec = {e.name: e for e in sc.events}

    def add(name, phase, sim_utc, altitude_m=None, speed_m_s=None, **details):
        r = rec.get(name)
        evs.append(
            TimelineEvent(
                name=name,
                phase=phase,
                simulated_utc=sim_utc,
                recorded_utc=r.utc if r else None,
                recorded_source=r.source if r else None,
                details={k: v for k, v in details.items() if v is not None},
                simulated_altitude_m=None if altitude_m is None else round(altitude_m, 1),
                recorded_altitude_m=None if r is None or r.altitude_km is None else r.altitude_km * 1e3,
                simulated_speed_m_s=None if speed_m_s is None else round(speed_m_s, 2),
                recorded_speed_m_s=None if r is None or r.speed_km_h is None else round(r.speed_km_h / 3.6, 2),
            )
        )

    add(
        "launch",
        "launch",
        sc.launch.utc,
        c3_km2_s2=None if res.porkchop is None or res.porkchop.at is None else round(res.porkchop.at.c3_km2_s2, 3),
    )
    if res.cruise is not None:
        for m in res.cruise.maneuvers:
            add(
                m.name,
                "cruise" if m.name != "MOI" else "arrival",
                m.utc,
                dv_m_s=round(m.dv_magnitude_m_s, 3),
                duration_s=round(m.duration_s, 1),
            )
            if m.duration_s > 0:
                add(
                    f"{m.name} end",
                    "cruise" if m.name != "MOI" else "arrival",
                    tdb_seconds_to_utc_iso(m.tdb_s + m.duration_s),
                )
        for e in res.cruise.events:
            if e.name in ("launch", "injection"):
                continue
            add(
                e.name,
                _phase(e.name),
                tdb_seconds_to_utc_iso(e.tdb_s),
            )
    for case, run in res.edl.items():
        for ev in run.get("events", []):
            add(
                f"{case}: {ev['name']}",
                "edl",
                ev.get("utc"),
                altitude_m=ev.get("altitude_m"),
                speed_m_s=ev.get("speed_m_s"),
                t_from_entry_s=round(ev["t_s"], 1),
                mach=None if ev.get("mach") is None else round(ev["mach"], 2),
            )
    names = {e.name for e in evs}
    for r in sc.events:  # recorded events the simulation has no counterpart for
        if r.name not in names:
            evs.append(
                TimelineEvent(
                    r.name,
                    r.phase,
                    None,
                    r.utc,
                    r.source,
                    recorded_altitude_m=None if r.altitude_km is None else r.altitude_km * 1e3,
                    recorded_speed_m_s=None if r.speed_km_h is None else round(r.speed_km_h / 3.6, 2),
                )
            )
    return sorted(evs, key=sort_key)


def _phase(event_name: str) -> str:
    """'arrival' for events at a body other than the Earth (``soi-entry:mars``), separation, entry and capture."""
    from ..bodies import BODIES

    parts = event_name.split(":")
    at = parts[-1] if parts[-1] in BODIES else None
    kind = parts[-2] if at and len(parts) > 1 else parts[-1]
    if (at is not None and at != "earth") or kind in ("capture", "separation") or "entry" in kind:
        return "arrival"
    return "cruise"


def preflight(sc: Scenario) -> None:
    """Check the whole scenario before any stage runs, so that a bad file fails in a second, not after minutes:
    every date inside the ephemeris, the cruise sequence and propellant, the networks, the EDL tables."""
    from ..ephem import default_ephemeris

    eph = default_ephemeris()
    dates = [("launch.utc", sc.launch.utc)]
    for key in ("window_depart", "window_arrive"):
        lo, hi = parse_utc_range(getattr(sc.launch, key))
        dates += [(f"launch.{key}", format_utc_dt(lo)), (f"launch.{key}", format_utc_dt(hi))]
    if sc.cruise is not None:
        c = sc.cruise
        dates += [
            ("cruise.arrival_utc", c.arrival_utc),
            ("cruise.dsm_utc", c.dsm_utc),
            ("cruise.separation_utc", c.separation_utc),
            ("cruise.avoidance_utc", c.avoidance_utc),
            ("cruise.moi_end_utc", c.moi_end_utc),
        ] + [("cruise.tcm_utc", u) for u in c.tcm_utc]
    for key, utc in dates:
        if utc is not None:
            try:
                tdb_s = utc_to_tdb_seconds(utc)
            except InputError as exc:
                raise InputError(f"{sc.where(key)}: {key} {utc}: {exc}") from None
            eph.check_range(tdb_s, f"{sc.where(key)}: {key}")
    if sc.cruise is not None:
        try:
            cruise_plan(sc)  # validates the sequence (launch < DSM < TCMs < separation < arrival)
        except InputError as exc:
            raise InputError(f"{Path(sc.path).name}: cruise: {exc}") from None
        from ..cruise.maneuvers import propellant_kg

        c = sc.cruise
        stack = c.orbiter.mass_kg + (c.lander.mass_kg if c.lander else 0.0)
        if c.dsm_dv_m_s is not None:
            need = propellant_kg(stack, c.dsm_dv_m_s, c.orbiter.isp_s)
            have = c.orbiter.mass_kg - c.orbiter.dry_mass_kg
            if need > have:
                raise InputError(
                    f"{sc.where('cruise.dsm_dv_m_s')}: the deep-space manoeuvre of {c.dsm_dv_m_s} m/s needs {need:.0f} kg of "
                    f"propellant (Isp {c.orbiter.isp_s} s, stack {stack:.0f} kg) but the orbiter carries "
                    f"{have:.0f} kg (mass_kg - dry_mass_kg); lower cruise.dsm_dv_m_s or raise the propellant load."
                )
    if sc.ground is not None:
        from ..ground.stations import load_catalogue

        cat = load_catalogue()
        for n in sc.ground.networks:
            try:
                cat.network(n)
            except InputError as exc:
                raise InputError(f"{sc.where('ground.networks')}: ground.networks: {exc}") from None
        tm = sc.ground.edl_telemetry
        if tm is not None:
            try:
                cat.station(tm.station)
            except InputError as exc:
                key = "ground.edl_telemetry.station"
                raise InputError(f"{sc.where(key)}: {key}: {exc}") from None
    _preflight_edl(sc)


def _preflight_edl(sc: Scenario) -> None:
    """The EDL part: the models validate, the atmosphere table loads and spans the trajectory, and the entry
    epoch agrees with the cruise arrival (within a day)."""
    edl = sc.edl_scenario()
    if edl is None:
        return
    name = Path(sc.path).name
    for case in edl.cases:
        try:
            edl.to_params(edl.faults_for(case))
        except InputError as exc:
            raise InputError(f"{name}: edl.cases.{case}: {exc}") from None
    try:
        edl.model(Path(sc.path).parent)
    except InputError as exc:
        raise InputError(f"{name}: edl.atmosphere: {exc}") from None
    if sc.cruise is not None and edl.entry.epoch_utc is not None:  # the epoch is optional in [edl.entry]
        gap_s = abs(float(utc_to_tdb_seconds(edl.entry.epoch_utc)) - float(utc_to_tdb_seconds(sc.cruise.arrival_utc)))
        if gap_s > 86400.0:
            raise InputError(
                f"{sc.where('edl.entry.epoch_utc')}: edl.entry.epoch_utc = {edl.entry.epoch_utc!r} is {gap_s / 86400:.1f} days from "
                f"cruise.arrival_utc = {sc.cruise.arrival_utc!r}; the entry happens at arrival: make them agree"
            )


# ----------------------------------------------------------------------------------------------------- driver
def replay(scenario: str, out_dir: str | Path, *, runs: int = 200, seed: int = 0, progress=None) -> ReplayResult:
    """Run every stage of the scenario and write the report and data files into ``out_dir`` atomically.

    ``progress(stage_name, seconds)`` is called after each stage (the CLI draws its display with it).
    """
    from ..io.files import staged_output, write_json
    from ..report.mission import write_replay_outputs
    from .aerobraking import has_aerobraking, replay_aerobraking
    from .launcher import write_launch_summary
    from .summary import replay_summary

    if has_aerobraking(scenario):  # orbiter with an aerobraking campaign: its own stages (areo.mission.aerobraking)
        return replay_aerobraking(scenario, out_dir, progress=progress)
    sc = load_scenario(scenario)
    if sc.halo is not None:  # a libration-point mission: its own runner
        from .l2 import replay_l2

        return replay_l2(sc, out_dir, progress=progress)  # type: ignore[return-value]
    if runs < 0 or runs > 100_000:
        raise InputError(
            f"--runs must be between 0 and 100000 for a replay (got {runs}); "
            "use `areo edl --runs` for larger campaigns."
        )
    preflight(sc)
    res = ReplayResult(scenario=sc)
    steps = [
        ("launch window", lambda: stage_launch(sc, res)),
        ("transfer", lambda: stage_transfer(sc, res)),
        ("cruise", lambda: stage_cruise(sc, res)),
        ("entry, descent and landing", lambda: stage_edl(sc, res, runs=runs, seed=seed)),
        ("ground coverage", lambda: stage_ground(sc, res)),
    ]
    for name, fn in steps:
        run_stage(res, name, fn, progress)
    res.timeline = build_timeline(sc, res)
    t0 = time.perf_counter()
    if progress:
        progress("report", None)
    res.summary = {**replay_summary(res), **res.launch}
    with staged_output(out_dir) as tmp:
        res.files = write_replay_outputs(res, tmp, Path(out_dir))
        write_json(Path(tmp) / "summary.json", res.summary)
        res.files += write_launch_summary(res.launch, tmp, Path(out_dir), res.files)
    res.stage_seconds["report"] = time.perf_counter() - t0
    if progress:
        progress("report", res.stage_seconds["report"])
    return res
