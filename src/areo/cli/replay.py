"""`areo replay`: a whole mission from its scenario file to report.html and data files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from ._app import app, console, handles_errors, print_json


@app.command()
@handles_errors
def replay(
    scenario: str = typer.Argument(..., help="Scenario name (exomars2016, exomars2022, exomars2028) or a .toml path."),
    out: Path = typer.Option(..., "--out", help="Output folder (written atomically: nothing half-written on error)."),
    runs: int = typer.Option(200, "--runs", help="EDL Monte Carlo runs for the landing ellipse (0 to skip)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the EDL dispersions."),
    as_json: bool = typer.Option(False, "--json", help="Print the timeline as JSON."),
):
    """Replay a mission: launch window, transfer, cruise, EDL, ground coverage, then a self-contained report."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..mission.replay import STAGES, replay as run

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True, disable=as_json) as bar:
        tasks = {name: bar.add_task(f"[dim]{name}", total=1) for name in STAGES}

        def progress(stage, seconds):
            if seconds is None:
                bar.update(tasks[stage], description=f"[bold]{stage}")
            else:
                bar.update(tasks[stage], description=f"[green]{stage}[/] ({seconds:.1f} s)", completed=1)

        res = run(scenario, out, runs=runs, seed=seed, progress=progress)
    if as_json:
        print_json([e.as_dict() for e in res.timeline])
        return
    t = Table(title=f"{res.scenario.mission.name}: simulated vs recorded")
    for col, just in (("event", "left"), ("simulated UTC", "left"), ("recorded UTC", "left"), ("Δt", "right"),
                      ("alt sim/rec km", "right")):
        t.add_column(col, justify=just, no_wrap=col != "event")
    for e in res.timeline:
        d = e.difference_s
        alt = ""
        if e.recorded_altitude_m is not None:
            sim = "—" if e.simulated_altitude_m is None else f"{e.simulated_altitude_m / 1e3:.1f}"
            alt = f"{sim} / {e.recorded_altitude_m / 1e3:.1f}"
        t.add_row(e.name, (e.simulated_utc or "—")[5:19].replace("T", " "),
                  (e.recorded_utc or "—")[5:19].replace("T", " "), "—" if d is None else f"{d:+.0f} s", alt)
    console.print(t)
    console.print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in res.stage_seconds.items()))
    for n in res.notes:
        console.print(f"[yellow]note:[/] {escape(n)}")
    console.print(f"wrote {len(res.files)} files into {out}/ (open {Path(out) / 'report.html'})")
