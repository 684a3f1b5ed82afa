"""`areo halo`: three-body tools. Lagrange points, one halo orbit, a batched halo family, Lissajous, the ephemeris-model
continuation with station-keeping, and the parking-orbit transfer; each calls ``areo.cr3bp.api``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ._app import app, console, handles_errors, print_json


def _write(out: Path | None, obj, quiet: bool) -> None:
    if out is not None:
        from ..io.files import write_json

        write_json(out, obj)
        if not quiet:
            console.print(f"wrote {out}")


def _check_options(az_km, point, system, family, n, points, ay_km, ephemeris, days, transfer, parking_km, out):
    """Every option before any work (one line naming the option): one kind of result per run, no option that the
    chosen kind would silently leave unused, the halo's amplitude, the span, the parking orbit, the output file."""
    from ..cr3bp import api
    from ..errors import naming

    _check_combination(az_km, family, n, points, ay_km, ephemeris, days, transfer, parking_km)
    if out is not None:
        from ..io.outpath import check_out_file

        check_out_file(out)
    if az_km is not None and not points and family is None and ay_km is None:  # one halo
        api.check_amplitude_km(az_km, point, system, "--az-km")
    if ephemeris is not None:
        api.check_ephemeris_days(days, "--days")
    if transfer:
        with naming("--transfer --parking-km"):
            api.check_parking_km(parking_km, system)


def _check_combination(az_km, family, n, points, ay_km, ephemeris, days, transfer, parking_km) -> None:
    """One kind of result per run, and no option that the chosen kind would silently leave unused."""
    from ..errors import InputError

    kinds = [
        name
        for name, given in (
            ("--lagrange", points),
            ("--family", family is not None),
            ("--lissajous-ay-km", ay_km is not None),
            ("--ephemeris", ephemeris is not None),
            ("--transfer", transfer),
        )
        if given
    ]
    if len(kinds) > 1:
        raise InputError(f"{' and '.join(kinds)} ask for different results; give one of them per run.")
    unused = [
        f"{option} (it applies to {owner})"
        for option, given, owner in (
            ("--az-km", az_km is not None and (points or family is not None), "one orbit, not --lagrange/--family"),
            ("--n", n != 100 and family is None, "--family"),
            ("--days", days != 365.25 and ephemeris is None, "--ephemeris"),
            ("--parking-km", parking_km != 200.0 and not transfer, "--transfer"),
        )
        if given
    ]
    if unused:
        raise InputError(f"{'; '.join(unused)} would be ignored here; drop it or add what it applies to.")


@app.command()
@handles_errors
def halo(
    az_km: float = typer.Option(None, "--az-km", help="Largest |z| of the orbit (km), e.g. 400000."),
    point: str = typer.Option("L2", "--point", help="L1 or L2."),
    system: str = typer.Option("sun-earth", "--system", help="sun-earth or earth-moon."),
    family: str = typer.Option(None, "--family", help="Richardson amplitude range MIN:MAX (km) of a batched family."),
    n: int = typer.Option(100, "--n", help="Members of the family."),
    points: bool = typer.Option(False, "--lagrange", help="List the Lagrange points instead."),
    ay_km: float = typer.Option(None, "--lissajous-ay-km", help="A Lissajous trajectory with this Ay and --az-km."),
    ephemeris: str = typer.Option(None, "--ephemeris", help="Start (UTC): continue the halo into DE421 from it."),
    days: float = typer.Option(365.25, "--days", help="Span of --ephemeris (days), with station-keeping."),
    transfer: bool = typer.Option(False, "--transfer", help="Also the stable-manifold transfer from a parking orbit."),
    parking_km: float = typer.Option(200.0, "--parking-km", help="Parking-orbit altitude (km) for --transfer."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    out: Path = typer.Option(None, "--out", help="Also write the JSON result to this file (atomically)."),
):
    """Halo orbits about the collinear points L1/L2 (CR3BP, Richardson guess + differential correction)."""
    from ..cr3bp import api
    from ..errors import InputError, naming

    _check_options(az_km, point, system, family, n, points, ay_km, ephemeris, days, transfer, parking_km, out)
    if points:
        res: object = api.lagrange_points(system)
    elif family is not None:
        try:
            lo, hi = (float(x) for x in family.split(":"))
        except ValueError:
            raise InputError(f"--family {family!r}: give MIN:MAX in km, e.g. 100000:700000.") from None
        with naming(f"--family {family} --n {n}"):
            res = api.halo_family(lo, hi, n, point, system)
    elif az_km is None:
        raise InputError("give --az-km (one orbit), --family MIN:MAX (a family) or --lagrange.")
    elif ay_km is not None:
        with naming("--lissajous-ay-km"):
            res = api.lissajous(ay_km, az_km, point, system)
    elif ephemeris is not None:
        res = {
            "continuation": api.continue_to_ephemeris(az_km, ephemeris, days, point, system),
            "station_keeping": api.station_keeping(az_km, ephemeris, days, point),
        }
    else:
        res = api.halo(az_km, point, system)
        if transfer:
            res["transfer"] = api.transfer(az_km, parking_km, point)
    _write(out, res, as_json)
    if as_json:
        print_json(res)
        return
    _show(res)


def _show(res) -> None:
    if isinstance(res, list):
        t = Table()
        keys = [k for k in res[0] if not isinstance(res[0][k], list | dict)]
        for k in keys:
            t.add_column(k)
        for r in res if len(res) <= 12 else [*res[:5], *res[-5:]]:
            t.add_row(*(f"{r[k]:.6g}" if isinstance(r[k], float) else str(r[k]) for k in keys))
        console.print(t)
        if len(res) > 12:
            console.print(f"({len(res)} rows; first and last five shown; --json for all)")
        return
    for k, v in res.items():
        if isinstance(v, dict):
            console.print(f"[bold]{k}[/]")
            for k2, v2 in v.items():
                console.print(f"  {k2}: {v2:.6g}" if isinstance(v2, float) else f"  {k2}: {v2}")
        else:
            console.print(f"{k}: {v:.10g}" if isinstance(v, float) else f"{k}: {v}")
