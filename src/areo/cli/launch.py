"""`areo launcher` and `areo launchers`: a launcher's capability and margin at a C3/DLA, and the catalogue."""

from __future__ import annotations

import typer
from rich.table import Table

from ._app import app, console, fail, handles_errors, print_json

_FILE_HELP = "Extra launcher TOML file ([sites.*] and [launchers.*] tables, as areo/launch/launchers.toml)."


@app.command("launcher")
@handles_errors
def launcher_cmd(
    name: str = typer.Argument(..., help="Launcher name, e.g. proton-m-breeze-m (see `areo launchers`)."),
    c3: float = typer.Option(..., "--c3", help="Departure energy C3 (km²/s²)."),
    dla: float = typer.Option(None, "--dla", help="Declination of the launch asymptote (deg, ICRF)."),
    payload_kg: float = typer.Option(None, "--payload-kg", help="Spacecraft mass to launch (kg)."),
    file: str = typer.Option(None, "--file", help=_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
):
    """Capability (kg) of a launcher at C3, the margin for a payload, and whether the DLA is reachable.

    Exits with code 2 and one line saying why when the departure is not feasible."""
    from ..launch import assess, get_launcher

    lv = get_launcher(name, file)
    a = assess(lv, c3, dla, payload_kg)
    if as_json:
        d = a.as_dict()
        d.pop("payload_kg")
        print_json(d)
    elif a.feasible:
        t = Table(title=f"{lv.title} from {lv.site.title}" + (" (performance: estimate)" if lv.estimate else ""))
        t.add_column("")
        t.add_column("value", justify="right")
        t.add_row("C3 (km²/s²)", f"{a.c3_km2_s2:g}")
        t.add_row("capability (kg)", f"{a.capability_kg:.0f}")
        if a.payload_kg is not None:
            t.add_row("payload (kg)", f"{a.payload_kg:g}")
            t.add_row("margin (kg)", f"{a.margin_kg:+.0f}")
        if a.dla_deg is not None:
            t.add_row("DLA (°)", f"{a.dla_deg:g}")
        t.add_row("reachable DLA (°)", lv.describe_dla_range())
        t.add_row("verdict", a.reason)
        console.print(t)
    if not a.feasible:
        fail(a.reason + ".")


@app.command("launchers")
@handles_errors
def launchers_cmd(
    file: str = typer.Option(None, "--file", help=_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON."),
):
    """The launch vehicles areo knows, with their C3 range, reachable DLA and the source of their numbers."""
    from ..launch import load_launchers

    launchers = load_launchers(file)
    rows = [
        {
            "name": lv.name,
            "title": lv.title,
            "site": lv.site.title,
            "c3_range_km2_s2": list(lv.c3_range_km2_s2),
            "payload_range_kg": [lv.payload_table_kg[0], lv.payload_table_kg[-1]],
            "max_dla_deg": lv.max_dla_deg,
            "max_coast_min": lv.max_coast_min,
            "estimate": lv.estimate,
            "source": lv.source,
        }
        for lv in launchers.values()
    ]
    if as_json:
        print_json(rows)
        return
    t = Table(title="Launch vehicles (payload kg at the table's lowest and highest C3)")
    for col in ("name", "site", "C3 km²/s²", "payload kg", "|DLA| ≤", "estimate"):
        t.add_column(col)
    for lv in launchers.values():
        (c0, c1), m = lv.c3_range_km2_s2, lv.payload_table_kg
        t.add_row(
            lv.name,
            lv.site.title,
            f"{c0:g}..{c1:g}",
            f"{m[0]:.0f}..{m[-1]:.0f}",
            f"{lv.max_dla_deg:g}°",
            "yes" if lv.estimate else "no",
        )
    console.print(t)
    for r in rows:
        console.print(f"[bold]{r['name']}[/]: {r['source']}", highlight=False)
