"""`areo check FILE`: read a CCSDS OEM or TDM the way areo does and summarise it (or one line and exit 2)."""

from __future__ import annotations

import typer
from rich.table import Table

from ._app import app, console, handles_errors, print_json


@app.command()
@handles_errors
def check(
    path: str = typer.Argument(..., help="A CCSDS OEM or TDM file (KVN)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
):
    """Check a CCSDS OEM/TDM file: keywords, time system, epochs, covariance; prints one row per segment."""
    from ..io.check import check_ccsds_file

    summary = check_ccsds_file(path)
    if as_json:
        print_json(summary)
        return
    rows = summary["segments"]
    t = Table(title=f"{path}: CCSDS {summary['kind']}, {len(rows)} segment(s)")
    for col in rows[0]:
        t.add_column(col)
    for r in rows:
        t.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in r.values()))
    console.print(t)
