"""`areo replay`: one scenario file -> launch window, transfer, cruise, EDL, ground coverage -> report and files.

Each stage calls one domain package's user layer; this module only composes them (domains never import each
other) and collects a :class:`ReplayResult`, which the report and the writers read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..time import tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from .ground_stage import stage_ground, tracked_vehicle
from .plan import arrival_body, cruise_plan
from .preflight import preflight
from .replay_timeline import build_timeline
from .scenario import Scenario, load_scenario
from .stages import run_stage

__all__ = [
    "STAGES",
    "ReplayResult",
    "build_timeline",
    "cruise_plan",
    "preflight",
    "replay",
    "stage_cruise",
    "stage_edl",
    "stage_ground",
    "stage_launch",
    "stage_transfer",
    "tracked_vehicle",
]

STAGES = ("launch window", "transfer", "cruise", "entry, descent and landing", "ground coverage", "report")


@dataclass
class ReplayResult:
    scenario: Scenario
    porkchop: Any = None  # areo.transfer.window.PorkchopResult
    transfer: dict = field(default_factory=dict)
    cruise: Any = None  # areo.cruise.CruiseResult
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
        "earth", arrival_body(sc), sc.launch.window_depart, sc.launch.window_arrive, grid=sc.launch.window_grid, at=at
    )
    from .launcher import launcher_summary, scenario_porkchop_launch

    res.porkchop_launch = scenario_porkchop_launch(sc, res.porkchop)
    period = None if res.porkchop_launch is None else res.porkchop_launch.period
    res.launch = launcher_summary(sc, res.porkchop, period)
    lv = res.launch["launcher"]
    if lv and lv.get("margin_kg") is not None:
        res.notes.append(f"launcher {lv['title']}: {lv['reason']} (capability {lv['capability_kg']:.0f} kg)")


def stage_transfer(sc: Scenario, res: ReplayResult) -> None:
    """The pure Lambert arc of the flown dates, with the scenario's revolutions (for comparison with the n-body
    cruise)."""
    from ..constants import GM_SUN
    from ..ephem import default_ephemeris
    from ..kepler import propagate
    from ..transfer.lambert import lambert

    if sc.cruise is None:
        return
    t1, t2 = (float(x) for x in utc_to_tdb_seconds([sc.launch.utc, sc.cruise.arrival_utc]))
    eph = default_ephemeris()
    r1, v_e = eph.state("earth", t1)
    r2, v_m = eph.state(arrival_body(sc), t2)
    sol = lambert(r1, r2, t2 - t1, GM_SUN, revs=sc.cruise.transfer_revs, branch=sc.cruise.transfer_branch)
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
    from ..bodies import body
    from ..cruise.bplane import icrf_to_equator_matrix
    from ..ephem import default_ephemeris, icrf_to_ecliptic

    eph = default_ephemeris()
    cr = res.cruise
    t0 = float(cr.orbiter.tdb_s[0])
    t1 = float(cr.orbiter.tdb_s[-1])
    t = np.linspace(t0, max(t1, t0 + 86400.0), 400)
    ctx = res.transfer
    ctx["earth_path_ecl_m"] = icrf_to_ecliptic(eph.state("earth", t)[0])
    target = arrival_body(res.scenario)
    ctx["mars_path_ecl_m"] = icrf_to_ecliptic(eph.state(target, t)[0])  # the arrival body's path (key of the report)
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
    cb = body(target)
    rot = icrf_to_equator_matrix(cb.pole_ra_deg, cb.pole_icrf())
    ctx["approach_paths_m"] = {}
    for tr in crafts:
        near = tr.tdb_s >= float(tr.tdb_s[-1]) - 3 * 86400.0
        r_mars, _ = tr.relative_to(target)
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


# ----------------------------------------------------------------------------------------------------- driver
def replay(scenario: str, out_dir: str | Path, *, runs: int = 200, seed: int = 0, progress=None) -> ReplayResult:
    """Run every stage of the scenario and write the report and data files into ``out_dir`` atomically.

    ``progress(stage_name, seconds)`` is called after each stage (the CLI draws its display with it). A replay
    run again into a folder restarts cleanly: the files an earlier replay listed in ``files.json`` there that
    this one does not write are removed (other files in the folder are left alone), so results never mix.
    """
    earlier = _listed_outputs(Path(out_dir))
    res = _replay(scenario, out_dir, runs=runs, seed=seed, progress=progress)
    _remove_unlisted(Path(out_dir), earlier, res.files)
    return res


def _listed_outputs(out: Path) -> set[str]:
    """The files (relative paths inside ``out``) that an earlier replay listed in ``out/files.json``."""
    import json

    try:
        names = json.loads((out / "files.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return set()
    if not isinstance(names, list):
        return set()
    return {n for n in names if isinstance(n, str) and n and not Path(n).is_absolute() and ".." not in Path(n).parts}


def _remove_unlisted(out: Path, earlier: set[str], files: list) -> None:
    """Remove what an earlier replay wrote into ``out`` and this one did not (its now-empty sub-folders too)."""
    written = set()
    for f in files:
        try:
            written.add(Path(f).relative_to(out).as_posix())
        except ValueError:
            continue
    for name in sorted(earlier - written):
        p = out / name
        if p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)
            for d in p.parents:
                if d == out or not d.is_relative_to(out) or any(d.iterdir()):
                    break
                d.rmdir()


def _replay(scenario: str, out_dir: str | Path, *, runs: int, seed: int, progress) -> ReplayResult:
    from ..io.files import staged_output, write_json
    from ..report.mission import write_replay_outputs
    from .aerobraking import has_aerobraking, replay_aerobraking
    from .launcher import write_launch_summary
    from .summary import replay_summary

    if runs < 0 or runs > 100_000:
        raise InputError(
            f"--runs must be between 0 and 100000 for a replay (got {runs}); "
            "use `areo edl --runs` for larger campaigns."
        )
    if has_aerobraking(scenario):  # orbiter with an aerobraking campaign: its own stages (areo.mission.aerobraking)
        return replay_aerobraking(scenario, out_dir, progress=progress)
    sc = load_scenario(scenario)
    if sc.halo is not None:  # a libration-point mission: its own runner
        from .l2 import replay_l2

        return replay_l2(sc, out_dir, progress=progress)  # type: ignore[return-value]
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
    res.summary = {**replay_summary(res, arrival_body(sc)), **res.launch}
    with staged_output(out_dir) as tmp:
        res.files = write_replay_outputs(res, tmp, Path(out_dir))
        write_json(Path(tmp) / "summary.json", res.summary)
        res.files += write_launch_summary(res.launch, tmp, Path(out_dir), res.files)
    res.stage_seconds["report"] = time.perf_counter() - t0
    if progress:
        progress("report", res.stage_seconds["report"])
    return res
