"""`areo ephem`: DE421 positions and velocities of a body over a date or a date range."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from ._app import app, console, handles_errors, print_json


@app.command()
@handles_errors
def ephem(
    body: str = typer.Argument(..., help="Body: sun, mercury, venus, earth, moon, mars, jupiter ... neptune, pluto."),
    at: str = typer.Option(
        ..., "--at", help="UTC date, or range START:STOP, e.g. 2016-10-19 or 2016-10-01:2016-10-31."
    ),
    step_days: float = typer.Option(1.0, "--step-days", help="Step (days) when --at is a range."),
    center: str = typer.Option("sun", "--center", help="Origin: sun (heliocentric) or ssb (solar-system barycentre)."),
    frame: str = typer.Option("icrf", "--frame", help="Axes: icrf (equatorial) or ecliptic (J2000)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON rows instead of a table."),
) -> None:
    """Position and velocity of a body from JPL DE421 (--json gives full precision in km and km/s)."""
    from ..ephem import ephemeris_table
    from ._checks import check_number

    check_number(step_days, "--step-days", low=0.0, low_open=True, high=100_000.0, unit="days")
    rows = ephemeris_table(body, at, step_days=step_days, center=center, frame=frame)
    if as_json:
        print_json(rows)
        return
    t = Table(title=escape(f"{body} relative to {center.upper()}, {frame.upper()} axes (DE421)"))
    for col in ("UTC", "x 10⁶km", "y 10⁶km", "z 10⁶km", "vx km/s", "vy km/s", "vz km/s", "r AU"):
        t.add_column(col, justify="left" if col == "UTC" else "right")
    for r in rows:
        t.add_row(
            r["utc"][:16].replace("T", " "),
            *(f"{r[k] / 1e6:.4f}" for k in ("x_km", "y_km", "z_km")),
            *(f"{r[k]:.4f}" for k in ("vx_km_s", "vy_km_s", "vz_km_s")),
            f"{r['distance_au']:.5f}",
        )
    console.print(t)
