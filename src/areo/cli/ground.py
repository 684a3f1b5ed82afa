"""`areo stations`, `areo passes`, `areo link`, `areo coverage`, `areo tracking`, `areo telemetry`: the ground
segment. Each command parses its options and calls one function of ``areo.ground.api``. Every command that takes
``--target`` (a DE421 body) also takes ``--target-file`` (SPK kernel or CCSDS OEM) with ``--target-id``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from ._app import app, console, handles_errors, print_json
from ._checks import check_number, check_samples

# The channel is simulated bit by bit (~8 bytes of memory per bit) at ~1 Mbit/s: 20 Mbit took 19 s (29 s at
# Eb/N0 1 dB) on the shared 2-core dev machine (2026-11-30), so 50 Mbit stays near a minute (200 Mbit ran ~5 min).
_MAX_TELEMETRY_BITS = 5e7
_FILE = typer.Option(None, "--stations-file", help="Extra TOML station file (same layout as the built-in one).")


_TARGET_FILE = typer.Option(
    None, "--target-file", help="Spacecraft trajectory instead of --target: a SPICE SPK kernel (.bsp) or a CCSDS OEM."
)
_TARGET_ID = typer.Option(None, "--target-id", help="Body in --target-file: NAIF id (e.g. -143) or OEM OBJECT_ID.")


def _target(target: str, target_file: Path | None, target_id: str | None):
    """The body name, or the Target read from --target-file (SPK or OEM) with --target-id."""
    if target_file is None:
        if target_id is not None:
            from ..errors import InputError

            raise InputError("--target-id selects a body inside --target-file; give --target-file too (.bsp or OEM).")
        return target
    from ..ground.targets import load_target

    return load_target(target_file, target_id)


def _extra(path: Path | None) -> tuple:
    if path is None:
        return ()
    if not path.is_file():
        from ..errors import InputError

        what = "does not exist" if not path.exists() else "is not a regular file"
        raise InputError(f"--stations-file {str(path)!r} {what}; give a TOML station file (layout of `areo stations`)")
    return (str(path),)


@app.command()
@handles_errors
def stations(
    network: str = typer.Option(None, "--network", help="Only this network (e.g. estrack, dsn, rt70, russia, all)."),
    stations_file: Path = _FILE,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
):
    """List ground stations (ids, position, dish, bands with G/T and EIRP) and the named networks."""
    from ..ground.api import network_specs, stations_table
    from ..ground.stations import load_catalogue
    from ..results import Records

    rows = stations_table(_extra(stations_file))
    cat = load_catalogue(_extra(stations_file))
    if network is not None:
        keep = {s.id for spec in network_specs(network) for s in cat.network(spec)}
        rows = Records(r for r in rows if r["id"] in keep)
    if as_json:
        print_json({"stations": rows, "networks": {k: list(v) for k, v in cat.networks.items()}})
        return
    t = Table(title="areo ground stations (* = G/T, EIRP derived from diameter and efficiency)")
    for col in ("id", "lat °", "lon °", "dish m", "mask °", "bands: G/T dB/K (EIRP dBW)", "networks"):
        t.add_column(col)
    for r in rows:
        bands = "  ".join(
            f"{b} {v['g_t_db_k']:.1f}"
            + (f" ({v['eirp_dbw']:.0f})" if v["eirp_dbw"] is not None else "")
            + ("*" if v["derived"] else "")
            for b, v in r["bands"].items()
        )
        t.add_row(
            escape(r["id"]),
            f"{r['lat_deg']:.3f}",
            f"{r['lon_deg']:.3f}",
            f"{r['diameter_m']:g}",
            f"{r['min_elevation_deg']:g}",
            bands,
            escape(",".join(r["networks"])),
        )
    console.print(t)
    console.print(
        "networks: " + "; ".join(f"{k} = {','.join(v)}" for k, v in cat.networks.items()) + "; all", markup=False
    )


@app.command()
@handles_errors
def passes(
    station: str = typer.Option(..., "--station", help="Station id, e.g. rt70-yevpatoria (see `areo stations`)."),
    target: str = typer.Option("mars", "--target", help="DE421 body, e.g. mars."),
    start: str = typer.Option(..., "--start", help="Start (UTC), e.g. 2016-10-01."),
    stop: str = typer.Option(..., "--stop", help="Stop (UTC), e.g. 2016-10-31."),
    min_elevation: float = typer.Option(
        None,
        "--min-elevation",
        help="Threshold in degrees, -90..90 (default: the station's mask); e.g. -18 --target sun.",
    ),
    refraction: bool = typer.Option(False, "--refraction", help="Add standard atmospheric refraction."),
    target_file: Path = _TARGET_FILE,
    target_id: str = _TARGET_ID,
    stations_file: Path = _FILE,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of passes."),
):
    """Visibility passes of a target above an elevation mask: rise, culmination, set (UTC, to 1 ms)."""
    from ..ground.api import passes as run

    tgt = _target(target, target_file, target_id)
    rows = run(station, tgt, start, stop, min_elevation, extra=_extra(stations_file), refraction=refraction)
    if as_json:
        print_json(list(rows))
        return
    name = tgt if isinstance(tgt, str) else tgt.name
    t = Table(
        title=escape(f"{name} from {station}" + (f" above {min_elevation:g}°" if min_elevation is not None else ""))
    )
    for col in ("rise (UTC)", "culmination (UTC)", "set (UTC)", "max elevation °"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            *(r[k] or "(up at edge)" for k in ("rise_utc", "culmination_utc", "set_utc")),
            f"{r['max_elevation_deg']:.3f}",
        )
    console.print(t)
    console.print(f"{len(rows)} passes")


@app.command()
@handles_errors
def link(
    station: str = typer.Option(..., "--station", help="Station id, e.g. dss-63."),
    at: str = typer.Option(..., "--at", help="Instant (UTC), e.g. 2016-10-19T14:42Z."),
    band: str = typer.Option("x", "--band", help="Downlink band: uhf, s, x, ka."),
    target: str = typer.Option("mars", "--target", help="DE421 body standing in for the spacecraft position."),
    spacecraft: str = typer.Option("tgo", "--spacecraft", help="Spacecraft radio preset: tgo, schiaparelli, ..."),
    eirp_dbw: float = typer.Option(None, "--eirp-dbw", help="Spacecraft EIRP (dBW); overrides --spacecraft."),
    rate_kbps: float = typer.Option(8.0, "--rate-kbps", help="Data rate (kbit/s)."),
    coding: str = typer.Option("rs+conv", "--coding", help="uncoded, conv, rs, rs+conv, turbo-1/2, turbo-1/6."),
    margin_db: float = typer.Option(3.0, "--margin-db", help="Required margin for the highest closing rate."),
    target_file: Path = _TARGET_FILE,
    target_id: str = _TARGET_ID,
    stations_file: Path = _FILE,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Downlink budget at an instant: EIRP, losses, G/T, C/N0, Eb/N0, margin, highest rate, pass volume."""
    from ..ground.api import link_report

    r = link_report(
        station,
        band,
        at,
        target=_target(target, target_file, target_id),
        spacecraft_name=spacecraft,
        eirp_dbw=eirp_dbw,
        data_rate_kbps=rate_kbps,
        coding_name=coding,
        required_margin_db=margin_db,
        extra=_extra(stations_file),
    )
    if as_json:
        print_json(r)
        return
    t = Table(
        title=escape(
            f"{r['station']} {r['band'].upper()}-band at {r['at_utc']}: {r['target']} at elevation "
            f"{r['elevation_deg']:.2f}°, range {r['range_km'] / 1.495978707e8:.4f} AU"
        )
    )
    t.add_column("line")
    t.add_column("value", justify="right")
    t.add_column("unit")
    for row in r["budget"]:
        t.add_row(row["line"], f"{row['value']:.2f}", row["unit"])
    console.print(t)
    if not r["visible"]:
        console.print("[yellow]the target is below the station's mask at that instant[/]")
    if "pass" in r:
        p = r["pass"]
        console.print(f"pass {p['rise_utc']} – {p['set_utc']}: {p['volume_mbit']:.1f} Mbit at the highest closing rate")


@app.command()
@handles_errors
def coverage(
    network: list[str] = typer.Option(
        ...,
        "--network",
        help="Network(s) to compare; repeat or use ';' "
        "between them, ',' inside one: --network estrack --network estrack,dsn.",
    ),
    start: str = typer.Option(None, "--start", help="Start (UTC) of a coverage span."),
    stop: str = typer.Option(None, "--stop", help="Stop (UTC) of a coverage span."),
    at: str = typer.Option(None, "--at", help="Critical event instant (UTC): which stations see the target then."),
    target: str = typer.Option("mars", "--target", help="DE421 body."),
    step: float = typer.Option(60.0, "--step", help="Sampling step (s)."),
    min_elevation: float = typer.Option(None, "--min-elevation", help="Mask (deg) instead of each station's."),
    band: str = typer.Option("x", "--band", help="Band for data volume and margins."),
    spacecraft: str = typer.Option("tgo", "--spacecraft", help="Spacecraft radio preset."),
    eirp_dbw: float = typer.Option(None, "--eirp-dbw", help="Spacecraft EIRP (dBW)."),
    rate_kbps: float = typer.Option(8.0, "--rate-kbps", help="Data rate for --at margins (kbit/s)."),
    target_file: Path = _TARGET_FILE,
    target_id: str = _TARGET_ID,
    stations_file: Path = _FILE,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Network coverage over a span (fraction, gaps, daily volume), or which stations see the target --at an instant."""
    from ..errors import InputError
    from ..ground.api import event_coverage, network_coverage, network_specs

    check_number(step, "--step", low=0.0, low_open=True, high=86400.0, unit="s")
    if at is not None and (start is not None or stop is not None):
        raise InputError(
            "--at (which stations see the target at one instant) and --start/--stop (coverage over a span) "
            "exclude each other; give one or the other."
        )
    check_samples(start, stop, step)
    nets = network_specs(network)
    extra = _extra(stations_file)
    tgt = _target(target, target_file, target_id)
    target = target if isinstance(tgt, str) else tgt.name
    shared: dict[str, Any] = dict(target=tgt, band=band, spacecraft_name=spacecraft, eirp_dbw=eirp_dbw, extra=extra)
    if at is not None:
        out = {n: event_coverage(n, at, data_rate_kbps=rate_kbps, **shared) for n in nets}
        if as_json:
            print_json(out if len(nets) > 1 else out[nets[0]])
            return
        _print_event_coverage(out, target, at, band, rate_kbps)
        return
    if start is None or stop is None:
        raise InputError("give --start and --stop for a coverage span, or --at for a critical event.")
    rows = network_coverage(nets, start, stop, step_s=step, min_elevation_deg=min_elevation, **shared)
    if as_json:
        print_json(rows)
        return
    _print_coverage(rows, target, start, stop, step, band)


def _print_event_coverage(out: dict, target: str, at: str, band: str, rate_kbps: float) -> None:
    """One table per network: each station's elevation, azimuth, mask, visibility and link margin at ``at``."""
    for n, rows in out.items():
        t = Table(title=escape(f"{target} at {at} seen by {n} ({band.upper()}-band margin at {rate_kbps:g} kbit/s)"))
        for col in ("station", "elevation °", "azimuth °", "mask °", "visible", "margin dB"):
            t.add_column(col)
        for r in rows:
            t.add_row(
                r["station"],
                f"{r['elevation_deg']:.2f}",
                f"{r['azimuth_deg']:.1f}",
                f"{r['mask_deg']:g}",
                "yes" if r["visible"] else "no",
                "-" if r["margin_db"] is None else f"{r['margin_db']:.1f}",
            )
        console.print(t)


def _print_coverage(rows: list, target: str, start: str, stop: str, step: float, band: str) -> None:
    """One row per network over the span: stations, coverage, gaps, longest gap and mean daily volume."""
    t = Table(title=escape(f"{target} coverage {start} – {stop} (step {step:g} s)"))
    for col in ("network", "stations", "coverage %", "gaps", "longest gap h", f"{band.upper()} Gbit/day"):
        t.add_column(col)
    for r in rows:
        vol = "-" if r["mean_daily_volume_gbit"] is None else f"{r['mean_daily_volume_gbit']:.1f}"
        t.add_row(
            escape(r["network"]),
            str(len(r["stations"])),
            f"{100 * r['coverage_fraction']:.1f}",
            str(r["n_gaps"]),
            f"{r['longest_gap_h']:.2f}",
            vol,
        )
    console.print(t)


@app.command()
@handles_errors
def tracking(
    station: str = typer.Option(..., "--station", help="Station id, e.g. dss-63."),
    start: str = typer.Option(..., "--start", help="Start (UTC)."),
    stop: str = typer.Option(..., "--stop", help="Stop (UTC)."),
    target: str = typer.Option("mars", "--target", help="DE421 body."),
    step: float = typer.Option(60.0, "--step", help="Step (s)."),
    band: str = typer.Option("x", "--band", help="Band: s, x, ka (uhf: one-way only)."),
    one_way: bool = typer.Option(False, "--one-way", help="One-way Doppler instead of two-way range + Doppler."),
    out: str = typer.Option(None, "--out", help="Write the CCSDS TDM (KVN) to this file; else print it."),
    target_file: Path = _TARGET_FILE,
    target_id: str = _TARGET_ID,
    stations_file: Path = _FILE,
):
    """Light time, two-way range and Doppler (station rotation included) as a CCSDS Tracking Data Message."""
    from ..ground.api import tracking_data

    check_number(step, "--step", low=0.0, low_open=True, high=86400.0, unit="s")
    check_samples(start, stop, step)
    if out is not None:
        from ..io.outpath import check_out_file

        check_out_file(out)
    r = tracking_data(
        station,
        start,
        stop,
        target=_target(target, target_file, target_id),
        step_s=step,
        band=band,
        two_way=not one_way,
        out=out,
        extra=_extra(stations_file),
    )
    if out is None:
        console.print(r["tdm"], highlight=False, soft_wrap=True)
    else:
        console.print(f"wrote {out} ({r['n']} epochs)", markup=False, highlight=False)


@app.command()
@handles_errors
def telemetry(
    station: str = typer.Option(..., "--station", help="Station id, e.g. dss-63."),
    at: str = typer.Option(..., "--at", help="Instant (UTC) that sets the geometry, e.g. 2016-10-19T14:42Z."),
    band: str = typer.Option("x", "--band", help="Downlink band."),
    target: str = typer.Option("mars", "--target", help="DE421 body standing in for the spacecraft."),
    spacecraft: str = typer.Option("tgo", "--spacecraft", help="Spacecraft radio preset."),
    eirp_dbw: float = typer.Option(None, "--eirp-dbw", help="Spacecraft EIRP (dBW)."),
    rate_kbps: float = typer.Option(8.0, "--rate-kbps", help="Housekeeping rate (kbit/s)."),
    duration: float = typer.Option(60.0, "--duration", help="Stream length (s)."),
    eb_n0_db: float = typer.Option(None, "--eb-n0-db", help="Override the link's Eb/N0 (dB)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the channel."),
    edl: str = typer.Option(
        None,
        "--edl",
        help="Send an `areo edl` run's history instead of synthetic data: a scenario file or name, e.g. exomars2016.",
    ),
    case: str = typer.Option(None, "--case", help="EDL case of --edl (default: the scenario's default case)."),
    target_file: Path = _TARGET_FILE,
    target_id: str = _TARGET_ID,
    stations_file: Path = _FILE,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Housekeeping -> CCSDS packets -> TM frames + RS(255,223) I=5 -> noisy channel -> decoder.

    The stream is synthetic, or with --edl the simulated EDL time history (altitude, on-board altitude, speed,
    Mach) packed at --rate-kbps."""
    from ..errors import InputError
    from ..ground.api import telemetry_run

    if rate_kbps * 1e3 * duration > _MAX_TELEMETRY_BITS:
        raise InputError(
            f"--rate-kbps x --duration = {rate_kbps * duration / 1e3:,.0f} Mbit is more than the "
            f"{_MAX_TELEMETRY_BITS / 1e6:,.0f} Mbit a telemetry run simulates bit by bit; shorten --duration"
        )
    if case is not None and edl is None:
        raise InputError(f"--case {case!r} picks a case of --edl; add --edl SCENARIO (e.g. --edl exomars2016).")
    packets = None
    if edl is not None:
        from ..mission.links import edl_housekeeping

        packets = edl_housekeeping(edl, case, rate_kbps)
    r = telemetry_run(
        station,
        at,
        band=band,
        target=_target(target, target_file, target_id),
        spacecraft_name=spacecraft,
        eirp_dbw=eirp_dbw,
        rate_kbps=rate_kbps,
        duration_s=duration,
        eb_n0_db=eb_n0_db,
        seed=seed,
        extra=_extra(stations_file),
        packets=packets,
    )
    if as_json:
        print_json(r)
        return
    _print_telemetry(r, station, at)


def _print_telemetry(r: dict, station: str, at: str) -> None:
    """Frames, packets and Reed-Solomon codewords sent, lost and corrected, with the bit and frame error rates."""
    t = Table(title=escape(f"telemetry via {station} at {at}: Eb/N0 {r['eb_n0_db']:.2f} dB"))
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for k in (
        "frames_sent",
        "frames_lost",
        "packets_sent",
        "packets_lost",
        "rs_codewords",
        "rs_codewords_failed",
        "rs_symbols_corrected",
        "bit_error_probability",
        "frame_error_rate_theory",
    ):
        v = r[k]
        t.add_row(k.replace("_", " "), f"{v:.3g}" if isinstance(v, float) else str(v))
    console.print(t)
