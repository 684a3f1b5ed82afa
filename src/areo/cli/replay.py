"""`areo replay`: a whole mission from its scenario file to report.html and data files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from ._app import app, console, handles_errors, print_json


def mission_table(res) -> Table:
    """Mission events (launch to capture): simulated and recorded UTC and the difference."""
    t = Table(title=escape(f"{res.scenario.mission.name}: simulated vs recorded (UTC)"))
    for col in ("event", "simulated", "recorded", "Δt"):
        t.add_column(col, justify="right" if col == "Δt" else "left", no_wrap=col != "event")
    for e in res.timeline:
        if e.phase == "edl":
            continue
        d = e.difference_s
        t.add_row(
            escape(e.name),
            (e.simulated_utc or "—")[:16].replace("T", " "),
            (e.recorded_utc or "—")[:16].replace("T", " "),
            "—" if d is None else f"{d:+.0f} s",
        )
    return t


def edl_table(res) -> Table:
    """EDL events of each case: time from entry (s) and altitude (km), with the recorded altitude where known."""
    cases = list(res.edl)
    rec = {e.name: e for e in res.scenario.events}
    t = Table(title="Entry, descent and landing: t+ s / altitude km")
    t.add_column("event")
    for c in cases:
        t.add_column(escape(c), justify="right", no_wrap=True)
    t.add_column("recorded km", justify="right")
    names = []
    for c in cases:
        for ev in res.edl[c]["events"]:
            if ev["name"] not in names:
                names.append(ev["name"])
    for n in names:
        cells = []
        recorded = ""
        for c in cases:
            ev = next((e for e in res.edl[c]["events"] if e["name"] == n), None)
            cells.append("—" if ev is None else f"{ev['t_s']:.0f} / {ev['altitude_m'] / 1e3:.2f}")
            r = rec.get(f"{c}: {n}")
            if r is not None and r.altitude_km is not None:
                recorded = f"{r.altitude_km:g} ({c})"
        t.add_row(escape(n.replace("_", " ")), *cells, escape(recorded))
    t.add_row("status", *(res.edl[c]["status"] for c in cases), "")
    rec_speed = next(
        (
            f"{rec[f'{c}: touchdown'].speed_km_h:g} ({c})"
            for c in cases
            if f"{c}: touchdown" in rec and rec[f"{c}: touchdown"].speed_km_h is not None
        ),
        "",
    )
    t.add_row(
        "touchdown speed km/h",
        *(f"{3.6 * (res.edl[c]['touchdown_speed_m_s'] or 0):.0f}" for c in cases),
        escape(rec_speed),
    )
    return t


@app.command()
@handles_errors
def replay(
    scenario: str = typer.Argument(..., help="Scenario name (exomars2016, exomars2022, exomars2028) or a .toml path."),
    out: str = typer.Option(..., "--out", help="Output folder (written atomically: nothing half-written on error)."),
    runs: int = typer.Option(200, "--runs", help="EDL Monte Carlo runs for the landing ellipse (0 to skip)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the EDL dispersions."),
    as_json: bool = typer.Option(False, "--json", help="Print summary.json (mission, events, orbits, landings, halo)."),
):
    """Replay a mission: launch window, transfer, cruise, EDL, ground coverage, then a self-contained report."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..io.outpath import check_out_dir
    from ..mission.replay import STAGES
    from ..mission.replay import replay as run
    from ._checks import check_seed

    check_out_dir(out)
    check_seed(seed)

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        tasks = {name: bar.add_task(f"[dim]{name}", total=1) for name in STAGES}

        def progress(stage, seconds):
            if seconds is None:
                bar.update(tasks[stage], description=f"[bold]{stage}")
            else:
                bar.update(tasks[stage], description=f"[green]{stage}[/] ({seconds:.1f} s)", completed=1)

        res = run(scenario, out, runs=runs, seed=seed, progress=progress)
    if as_json:
        print_json(res.summary)
        return
    console.print(mission_table(res))
    if res.edl:
        console.print(edl_table(res))
    console.print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in res.stage_seconds.items()))
    for n in res.notes:
        console.print(f"[yellow]note:[/] {escape(n)}")
    report = Path(out) / "report.html"
    opened = f" (open {report})" if str(report) in res.files else ""
    console.print(f"wrote {len(res.files)} files into {out}/{opened}", markup=False, highlight=False)
