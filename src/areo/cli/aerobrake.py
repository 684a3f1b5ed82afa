"""`areo aerobrake`: an aerobraking campaign from a scenario's [aerobraking] table (nominal, or Monte Carlo)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ._app import app, console, handles_errors, print_json


def days_table(days: list[dict], every: int) -> Table:
    t = Table(title=f"Aerobraking day by day (every {every} days and the last)")
    cols = (
        ("day", "day"),
        ("phase", "phase"),
        ("period h", "period_h"),
        ("peri km", "periapsis_altitude_km"),
        ("apo km", "apoapsis_altitude_km"),
        ("max q N/m²", "max_dynamic_pressure_n_m2"),
        ("max heat W/m²", "max_heat_rate_w_m2"),
        ("drag Δv m/s", "drag_dv_m_s"),
        ("ABM Δv m/s", "abm_dv_m_s"),
    )
    for name, _ in cols:
        t.add_column(name, justify="left" if name == "phase" else "right")
    for i, d in enumerate(days):
        if i % every == 0 or i == len(days) - 1:
            t.add_row(*(str(d[k]) for _, k in cols))
    return t


def _check_options(runs: int, seed: int, out: Path | None, chunk: int, every: int, backend: str) -> None:
    """Every option checked before the scenario is flown: one clear line and exit 2, never a traceback."""
    from ..aerobraking.api import check_montecarlo_options
    from ..errors import InputError
    from ..io.outpath import check_out_dir

    if every < 1:
        raise InputError(f"--every must be a whole number of days >= 1 (got {every}).")
    if runs == 0:
        given = [o for o, g in (("--out", out is not None), ("--backend", backend != "numpy"), ("--seed", seed != 0),
                                ("--chunk", chunk != 100)) if g]  # fmt: skip
        if given:
            verb = "applies" if len(given) == 1 else "apply"
            raise InputError(f"{', '.join(given)} {verb} to a Monte Carlo; add --runs N (N >= 1).")
        return
    check_montecarlo_options(runs, seed, chunk, backend)
    if out is not None:
        check_out_dir(out)


@app.command("aerobrake")
@handles_errors
def aerobrake(
    scenario: str = typer.Argument(..., help="Scenario name (magellan1993, venus-orbiter-isro) or a .toml path."),
    runs: int = typer.Option(0, "--runs", help="Monte Carlo runs over the density dispersions (0: nominal only)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the dispersions."),
    out: Path = typer.Option(None, "--out", help="Folder for a resumable chunked Monte Carlo (areo.campaign)."),
    chunk: int = typer.Option(100, "--chunk", help="Runs per chunk with --out."),
    every: int = typer.Option(10, "--every", help="Print every N-th day of the table."),
    backend: str = typer.Option("numpy", "--backend", help="Pass kernel of the Monte Carlo: numpy or jax."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
):
    """Fly an aerobraking campaign: walk-in, corridor control by apoapsis manoeuvres, walk-out; day-by-day table.

    Exits with code 2 and one line when the corridor cannot be held, leaves the atmosphere table or goes below
    the surface."""
    from ..aerobraking import load, run_montecarlo, run_nominal
    from ..mission.scenario import resolve_scenario_path

    _check_options(runs, seed, out, chunk, every, backend)
    cfg, _, _ = load(resolve_scenario_path(scenario))
    res = run_nominal(cfg)
    mc = None
    if runs:
        _, mc = run_montecarlo(cfg, runs, seed, out_dir=out, chunk=chunk, backend=backend)
    if as_json:
        print_json({**res.as_dict(), "montecarlo": mc})
        return
    console.print(days_table(res.days, every))
    s = res.summary
    console.print(
        f"{s['status']}: {s['duration_days']} days, {s['passes']} passes, drag Δv {s['drag_dv_m_s']} m/s, "
        f"ABM Δv {s['abm_dv_m_s']} m/s in {s['abm_count']} burns, max q {s['max_dynamic_pressure_n_m2']} N/m², "
        f"max heat rate {s['max_heat_rate_w_m2']} W/m²"
    )
    for o, when in zip(res.orbits, ("before", "after"), strict=True):
        console.print(
            f"orbit {when}: {o['periapsis_altitude_km']} x {o['apoapsis_altitude_km']} km, {o['period_h']} h "
            f"({o['epoch_utc']})"
        )
    if mc:
        console.print(f"Monte Carlo ({mc['runs']} runs): {mc}")
