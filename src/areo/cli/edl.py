"""`areo edl`: simulate entry, descent and landing from a scenario file (one case, or a Monte Carlo)."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from ._app import app, console, handles_errors, print_json


def _fmt(x, spec):
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else format(x, spec)


@app.command("edl")
@handles_errors
def edl_command(
    scenario: str = typer.Argument(
        ..., help="Shipped scenario name (exomars2016) or a TOML file with \\[edl...] tables."
    ),
    case: str | None = typer.Option(
        None, "--case", help="Case name from \\[edl.cases.NAME] (default: the scenario's default_case, nominal)."
    ),
    fault: list[str] = typer.Option(
        [],
        "--fault",
        help="Inject a fault (repeatable): imu-saturation, radar-dropout, parachute-failure, thruster-failure.",
    ),
    runs: int = typer.Option(
        1, "--runs", help="Number of dispersed Monte Carlo runs (1 = a single nominal run with timeline and plots)."
    ),
    seed: int = typer.Option(0, "--seed", help="Monte Carlo seed; run i of seed s always draws the same dispersions."),
    out: str | None = typer.Option(
        None,
        "--out",
        help="Output directory: plots of one run (none written without it) or Parquet chunks + summary.json of a Monte Carlo.",
    ),
    chunk: int | None = typer.Option(
        None, "--chunk", help="Runs per Parquet chunk of a campaign (needs --out; default min(runs, 100000))."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://HOST:8786) to run the campaign on."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        help="With --dof 6 and --runs N: single-threaded worker processes (default: one per core; 1: this process).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables."),
    dof: int = typer.Option(
        3,
        "--dof",
        help="Degrees of freedom: 3 (point mass, the default) or 6 (rigid capsule and parachute bodies, needs the "
        "scenario's \\[edl.sixdof] table; --out writes edl6_summary.json, with Parquet chunks for --runs N > 1).",
    ),
    riser: str | None = typer.Option(
        None,
        "--riser",
        help="With --dof 6: elastic (the default: parachute as a second body on an elastic riser) or pendulum "
        "(the reduced constrained-pendulum model, faster).",
    ),
):
    """Entry, descent and landing: event timeline and plots for one run, or Monte Carlo statistics."""
    out_dir = _check_options(case, fault, runs, seed, out, chunk, scheduler, workers, dof, riser)
    if dof == 6:
        return _six_dof(
            scenario, case, fault, runs, seed, out_dir, (chunk, scheduler, workers), as_json, riser or "elastic"
        )
    _three_dof(scenario, case, fault, runs, seed, out, out_dir, chunk, scheduler, as_json)


def _check_options(case, fault, runs, seed, out, chunk, scheduler, workers, dof, riser) -> Path | None:
    """The options of `areo edl` and how they combine, checked before anything runs (InputError naming the
    option); returns the checked --out folder."""
    from ..edl.sixdof.api import RISERS
    from ..errors import InputError
    from ..io.outpath import check_out_dir
    from ._checks import check_chunk, check_runs, check_scheduler, check_seed

    if case is not None and not case.strip():
        raise InputError("--case is empty; give a case name from the scenario's [edl.cases.NAME] tables, or omit it")
    if any(not f.strip() for f in fault):
        raise InputError("--fault is empty; give a fault name (imu-saturation, radar-dropout, ...) or omit it")
    check_runs(runs, low=1, campaign=out is not None)
    check_seed(seed)
    if runs == 1 and (chunk is not None or scheduler is not None):
        raise InputError("--chunk and --scheduler apply to Monte Carlo campaigns: add --runs N (N > 1) and --out DIR")
    check_chunk(chunk)
    if scheduler is not None:
        check_scheduler(scheduler)
    out_dir = check_out_dir(out) if out is not None else None
    if dof not in (3, 6):
        raise InputError(f"--dof must be 3 or 6, got {dof}")
    if riser is not None and riser not in RISERS:
        raise InputError(f"--riser must be one of {', '.join(RISERS)}, got {riser!r}")
    if dof == 6 and runs == 1 and workers is not None:
        raise InputError("--workers applies to a Monte Carlo: add --runs N (N > 1), or leave --workers out")
    if dof != 6 and workers is not None:
        raise InputError("--workers applies to the 6-DOF Monte Carlo: add --dof 6, or leave --workers out")
    if dof != 6 and riser is not None:
        raise InputError("--riser applies to the 6-DOF model: add --dof 6, or leave --riser out")
    return out_dir


def _three_dof(scenario, case, fault, runs, seed, out, out_dir, chunk, scheduler, as_json) -> None:
    """``--dof 3``: one run (event table, plots with --out) or a Monte Carlo (statistics; a resumable Parquet
    campaign with --out), as text or JSON."""
    from ..edl import api

    if runs == 1:
        run = api.simulate_scenario(scenario, case, fault)
        files = api.write_plots(run, out_dir) if out_dir is not None else []
        if as_json:
            d = run.to_json()
            d["plots"] = [str(f) for f in files]
            print_json(d)
            return
        _print_run(scenario, run, files, out_dir)
        return

    with _progress(runs, out is not None and not as_json) as progress_cb:
        res = api.monte_carlo(scenario, runs, seed, case, fault, chunk, out, scheduler, progress_cb)
    j = res.to_json()
    if as_json:
        print_json(j)
        return
    _print_monte_carlo(res, j, runs, seed)


def _print_run(scenario: str, run, files: list, out_dir) -> None:
    """One run as text: the event table (time, altitude, speed, Mach), the outcome line and the plots written."""
    j = run.to_json()
    tab = Table(title=escape(f"{Path(scenario).name}: case {run.case!r}, faults: {', '.join(run.faults) or 'none'}"))
    for col in ("event", "t (s)", "altitude (m)", "speed (m/s)", "Mach"):
        tab.add_column(col, justify="left" if col == "event" else "right")
    for e in j["events"]:
        tab.add_row(
            e["label"],
            _fmt(e["t_s"], ".2f"),
            _fmt(e["altitude_m"] if abs(e["altitude_m"]) >= 0.5 else 0.0, ",.0f"),
            _fmt(e["speed_m_s"], ".1f"),
            _fmt(e["mach"], ".2f"),
        )
    console.print(tab)
    console.print(
        f"status: [bold]{escape(j['status'])}[/]; touchdown {_fmt(j['touchdown_speed_m_s'], '.1f')} m/s "
        f"({_fmt(j['touchdown_speed_km_h'], '.0f')} km/h) at {_fmt(j['landing_lat_deg'], '.3f')} deg, "
        f"{_fmt(j['landing_lon_deg'], '.3f')} deg; peak {_fmt(j['peak_deceleration_g'], '.1f')} g, "
        f"{_fmt(j['peak_heat_rate_w_cm2'], '.0f')} W/cm2; thrusters {_fmt(j['thruster_burn_s'], '.1f')} s; "
        f"max pitch rate {_fmt(j['max_pitch_rate_deg_s'], '.0f')} deg/s, attitude error {_fmt(j['max_attitude_error_deg'], '.0f')} deg",
        highlight=False,
    )
    if files:
        console.print(
            f"wrote plots into {out_dir}/: " + ", ".join(f.name for f in files), highlight=False, markup=False
        )


def _print_monte_carlo(res, j: dict, runs: int, seed: int) -> None:
    """A Monte Carlo as text: runs and seed, success rate with its 95 % interval and outcomes, 99 % ellipse."""
    e = j["landing_ellipse_99"]
    lo, hi = j["success_rate_ci95"]
    console.print(
        f"{runs} runs, case {res.case!r}, faults: {', '.join(res.faults) or 'none'}, seed {seed}",
        highlight=False,
        markup=False,
    )
    console.print(
        f"success rate {100 * j['success_rate']:.2f} % (95 % CI {100 * lo:.2f}-{100 * hi:.2f} %); outcomes: "
        + ", ".join(f"{k} {v}" for k, v in j["status_counts"].items()),
        highlight=False,
    )
    console.print(
        f"99 % landing ellipse: {_fmt(e['major_axis_km'], '.1f')} x {_fmt(e['minor_axis_km'], '.1f')} km, "
        f"major axis at {_fmt(e['major_axis_azimuth_deg'], '.0f')} deg from north, centred "
        f"{_fmt(e['centre_lat_deg'], '.3f')} deg, {_fmt(e['centre_lon_deg'], '.3f')} deg",
        highlight=False,
    )
    if res.out_dir:
        console.print(f"per-run Parquet: {res.out_dir}", highlight=False, markup=False)


@contextlib.contextmanager
def _progress(runs: int, shown: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar (runs done, runs/s since the start, elapsed time) fed by a campaign's ``progress(done,
    total)`` callback; None when not ``shown``."""
    if not shown:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
    )
    tid = bar.add_task("runs", total=runs, rate="")
    t0 = time.perf_counter()
    first: dict[str, int] = {}

    def progress_cb(done, total):
        if not first:  # the first call comes once the folder is checked: a refused campaign shows no bar
            bar.start()
        first.setdefault("done", done)
        el = time.perf_counter() - t0
        rate = (done - first["done"]) / el if el > 0 else 0.0
        bar.update(tid, completed=done, rate=f"{rate:,.0f} runs/s")

    try:
        yield progress_cb
    finally:
        bar.stop()


def _six_dof(scenario, case, fault, runs, seed, out_dir, how, as_json, riser):
    """``--dof 6``: one case or a dispersed Monte Carlo of the 6-DOF model (a resumable Parquet campaign with
    --out), as a short table."""
    from ..edl.sixdof.api import SHOWN, run_scenario

    chunk, scheduler, workers = how
    with _progress(runs, runs > 1 and out_dir is not None and not as_json) as cb:
        res = run_scenario(
            scenario, case, fault, runs, seed, out_dir, riser == "pendulum", chunk, scheduler, cb, workers
        )
    if as_json:
        print_json(res.to_json())
        return
    what = f"seed {seed}, {len(res.dispersions)} dispersions" if runs > 1 else "undispersed"
    title = f"{res.scenario} 6-DOF ({res.model}): case {res.case!r}, faults: {', '.join(res.faults) or 'none'}"
    console.print(f"{title}; {runs} run{'s' if runs > 1 else ''}, {what}", highlight=False, markup=False)
    tab = Table()
    heads = ("quantity", "unit", "value") if runs == 1 else ("quantity", "unit", "min", "median", "max", "runs")
    for col in heads:
        tab.add_column(col, justify="left" if col in ("quantity", "unit") else "right")
    stats = res.stats()
    for col, (label, unit, k, spec) in SHOWN.items():
        s = stats[col]
        vals = [None if s[q] is None else s[q] * k for q in ("min", "median", "max")]
        cells = [_fmt(vals[1], spec)] if runs == 1 else [*(_fmt(v, spec) for v in vals), str(s["runs"])]
        tab.add_row(label, unit, *cells)
    console.print(tab)
    console.print(
        "status: " + ", ".join(f"{k} {v}" for k, v in res.status_counts().items()), highlight=False, markup=False
    )
    if res.parquet_dir:
        console.print(
            f"per-run Parquet: {res.parquet_dir} (chunks of {res.chunk:,} runs; run the same command again to resume)",
            highlight=False,
            markup=False,
        )
    if res.files:
        console.print("wrote " + ", ".join(res.files), highlight=False, markup=False)
