"""`areo porkchop`: launch-window grids between two bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from ._app import app, console, fail, handles_errors, print_json

if TYPE_CHECKING:
    from ..launch import Launcher

_ROWS = (
    ("depart (UTC)", "depart_utc", "{}"),
    ("arrive (UTC)", "arrive_utc", "{}"),
    ("time of flight (d)", "tof_days", "{:.1f}"),
    ("C3 (km²/s²)", "c3_km2_s2", "{:.3f}"),
    ("v∞ departure (km/s)", "vinf_depart_km_s", "{:.4f}"),
    ("DLA (°)", "dla_deg", "{:.2f}"),
    ("RLA (°)", "rla_deg", "{:.2f}"),
    ("v∞ arrival (km/s)", "vinf_arrive_km_s", "{:.4f}"),
    ("arrival declination (° ICRF)", "dec_arrive_deg", "{:.2f}"),
    ("transfer type", "transfer_type", "{}"),
)


def summary_table(summary: dict[str, Any]) -> Table:
    """Quantities as rows, points (optimum, best type I/II, --at) as columns: fits an 80-column terminal."""
    t = Table(
        title=f"{summary['origin'].title()} → {summary['target'].title()} "
        f"({summary['ephemeris']}, Sun-centred, zero-revolution)"
    )
    t.add_column("")
    candidates = [
        (label, summary.get(key))
        for key, label in (
            ("optimum", "optimum"),
            ("optimum_type1", "best type I"),
            ("optimum_type2", "best type II"),
            ("at", "--at"),
        )
    ]
    points = [(label, p) for label, p in candidates if p]
    for label, _ in points:
        t.add_column(label, justify="right")
    for name, key, fmt in _ROWS:
        cells = []
        for _, p in points:
            v = p[key]
            if key.endswith("_utc"):
                v = v[:16].replace("T", " ")
            elif key == "transfer_type":
                v = "I" if v == 1 else "II"
            cells.append(fmt.format(v))
        t.add_row(name, *cells)
    return t


def _opportunities(d: dict[str, Any]) -> tuple[str, str]:
    """A day's lift-off times (UTC HH:MM:SS) and coasts (min), those whose coast fits first; a coast over the
    launcher's limit (and its lift-off) in parentheses; "—" where there is none (C3 <= 0, no site longitude)."""
    ok = d.get("coast_ok", [])
    order = sorted(range(len(ok)), key=lambda k: not ok[k])  # stable: by lift-off within fits / does not fit
    times, coasts = d.get("launch_times_utc", []), d.get("coast_min", [])
    mark = ["{}" if ok[k] else "({})" for k in order]
    have_times = len(times) == len(ok) > 0
    lift = " ".join(m.format(times[k][11:19]) for m, k in zip(mark, order, strict=True)) if have_times else "—"
    coast = " ".join(m.format(f"{coasts[k]:.0f}") for m, k in zip(mark, order, strict=True))
    return lift, coast or "—"


_MIN_WIDTH = {"depart": 10, "lift-off": 8}  # narrow terminals fold the two lift-off times onto two lines


def launch_period_table(lp: dict[str, Any]) -> Table:
    """The feasible days (first to last) of a launch period, one row per day, with its lift-off opportunities."""
    first, last = lp["first_utc"], lp["last_utc"]
    reserve = f" + {lp['reserve_kg']:g} kg reserve" if lp["reserve_kg"] else ""
    title = f"Launch period: {lp['launcher']}, {lp['payload_kg']:g} kg{reserve}, {lp['arrival_constraint']}, |DLA| ≤ "
    title += f"{lp['max_dla_deg']:g}°: " + (f"{first[:10]} to {last[:10]}" if first else "no feasible day")
    caption = "lift-off: the day's opportunities (UTC), those whose coast to the escape burn fits first"
    if lp.get("max_coast_min") is not None:
        caption += f"; ( ): coast over {lp['max_coast_min']:g} min"
    t = Table(title=title, caption=caption)
    cols = ("depart", "arrive", "C3 km²/s²", "DLA °", "RLA °", "capability kg", "margin kg", "lift-off", "coast min")
    for col in (*cols, "status"):
        left = col in ("depart", "arrive", "status", "lift-off")
        t.add_column(col, justify="left" if left else "right", min_width=_MIN_WIDTH.get(col))
    days = lp["days"]
    feas = [k for k, d in enumerate(days) if d["feasible"]]
    lo, hi = (max(0, feas[0] - 1), min(len(days), feas[-1] + 2)) if feas else (0, 0)
    for d in days[lo:hi]:
        if d["c3_km2_s2"] is None:
            continue
        t.add_row(
            d["utc"][:10],
            d["arrive_utc"][:10],
            f"{d['c3_km2_s2']:.2f}",
            f"{d['dla_deg']:.1f}",
            f"{d['rla_deg']:.1f}",
            f"{d['capability_kg']:.0f}",
            f"{d['margin_kg']:+.0f}",
            *_opportunities(d),
            d["status"],
        )
    return t


def _check_launch_options(depart: str, payload_kg: float, reserve_kg: float, period_arrive: str | None) -> None:
    """The launch-period options, checked before the grid is computed (InputError naming the option)."""
    from ..errors import naming
    from ..launch.period import arrival_days, check_masses, departure_days

    with naming(f"--depart {depart!r} with --launcher"):
        departure_days(depart)  # the launch period spans --depart: at most MAX_PERIOD_DAYS days
    with naming("--payload-kg / --reserve-kg"):
        check_masses(payload_kg, reserve_kg)
    if period_arrive is not None:
        with naming(f"--period-arrive {period_arrive!r}", " (give a date or START:STOP, e.g. 2016-10-19)"):
            arrival_days(period_arrive)


@app.command()
@handles_errors
def porkchop(
    origin: str = typer.Argument(..., help="Departure body, e.g. earth."),
    target: str = typer.Argument(..., help="Arrival body, e.g. mars."),
    depart: str = typer.Option(..., "--depart", help="Departure range START:STOP (UTC), e.g. 2016-01-01:2016-06-30."),
    arrive: str = typer.Option(..., "--arrive", help="Arrival range START:STOP (UTC), e.g. 2016-08-01:2017-03-31."),
    grid: str = typer.Option("400", "--grid", help="Grid points N (N x N) or NxM (departure x arrival)."),
    at: str = typer.Option(None, "--at", help="Point of interest DEPART/ARRIVE (UTC), e.g. 2016-03-14/2016-10-19."),
    objective: str = typer.Option(
        "c3_km2_s2",
        "--objective",
        help="Field minimised for the optimum: c3_km2_s2, vinf_arrive_km_s, vinf_depart_km_s.",
    ),
    out: str = typer.Option(None, "--out", help="Folder for porkchop.png, porkchop.html, grid.parquet, summary.json."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON instead of a table."),
    launcher: str = typer.Option(None, "--launcher", help="Launcher (see `areo launchers`): shade what it cannot fly."),
    payload_kg: float = typer.Option(None, "--payload-kg", help="Spacecraft mass (kg) for --launcher."),
    reserve_kg: float = typer.Option(0.0, "--reserve-kg", help="Launcher margin (kg) the launch period requires."),
    period_arrive: str = typer.Option(
        None, "--period-arrive", help="Launch-period arrival: a fixed date or START:STOP (default: --arrive)."
    ),
) -> None:
    """Launch-window porkchop: C3, v-infinity, DLA/RLA, arrival v-infinity over departure x arrival dates."""
    from ..transfer.window import porkchop as run

    if out is not None:
        from ..io.outpath import check_out_dir

        check_out_dir(out)
    lv = _launcher_option(launcher, payload_kg, reserve_kg, depart, period_arrive)
    res = run(origin, target, depart=depart, arrive=arrive, grid=grid, at=at, objective=objective)
    launch = None
    if lv is not None:
        from ..launch import porkchop_launch

        launch = porkchop_launch(res, lv, payload_kg, period_arrive, reserve_kg)
    if out is not None:
        from ..report.porkchop import write_porkchop_outputs

        summary = write_porkchop_outputs(res, out, launch)
    else:
        summary = res.summary()
        if launch is not None:
            summary["launch_period"] = launch.summary()
    _print_summary(summary, launch is not None, out is not None, as_json)


def _launcher_option(
    launcher: str, payload_kg: float, reserve_kg: float, depart: str, period_arrive: str | None
) -> Launcher | None:
    """The launcher of a launch period (None without --launcher), its options checked before the grid is computed:
    --launcher and --payload-kg together, --period-arrive and --reserve-kg only with them."""
    if launcher is not None or payload_kg is not None:
        from ..launch import get_launcher

        if launcher is None or payload_kg is None:
            fail(
                "--launcher and --payload-kg go together; give both, e.g. --launcher proton-m-breeze-m --payload-kg 4332."
            )
        lv = get_launcher(launcher)  # unknown names fail before the grid is computed
        _check_launch_options(depart, payload_kg, reserve_kg, period_arrive)
        return lv
    if period_arrive is not None or reserve_kg != 0.0:
        fail("--period-arrive and --reserve-kg apply to a launch period: add --launcher NAME --payload-kg KG.")
    return None


def _print_summary(summary: dict[str, Any], has_launch: bool, wrote: bool, as_json: bool) -> None:
    """The porkchop summary as JSON, or as tables (points; the launch period's days) and the files written."""
    if as_json:
        print_json(summary)
    else:
        console.print(summary_table(summary))
        if has_launch:
            console.print(launch_period_table(summary["launch_period"]))
        if wrote:
            console.print(f"wrote {', '.join(summary['files'])}", markup=False, highlight=False)
