"""User layer of the ground segment: validates inputs given in UTC / degrees / kbit/s, calls the kernels, and
returns plain data (dicts and lists) ready for JSON or tables. The CLI (``areo.cli.ground``) calls only these."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, unknown_choice
from ..results import LinkResult, PassList, Records
from ..time import epoch_tdb_s, epochs_tdb_s, parse_utc, tdb_seconds_to_utc_iso
from ..units import accepts_quantities
from .coverage import coverage, critical_event
from .geometry import Target, altaz, as_target, find_passes
from .link import coding, spacecraft, station_link
from .measurements import observables, tdm_records
from .stations import BANDS, check_mask, load_catalogue

# Longest pass search (days): a year takes about 0.6 s on one core, so ten years stay under ten seconds.
MAX_PASS_SPAN_DAYS = 3660.0
# Most samples (epochs x stations) of one coverage run: about a minute of work on one core.
MAX_COVERAGE_SAMPLES = 20_000_000

# Plausible ranges of the link inputs (value outside: a typo or a unit mix-up; refused with the range).
_LIMITS: dict[str, tuple[float, float, str]] = {
    "EIRP (--eirp-dbw)": (-100.0, 150.0, "dBW"),
    "data rate (--rate-kbps)": (1e-6, 1e7, "kbit/s"),
    "required margin (--margin-db)": (-50.0, 50.0, "dB"),
    "Eb/N0 (--eb-n0-db)": (-50.0, 100.0, "dB"),
    "duration (--duration)": (1e-3, 1e7, "s"),
    "step (--step)": (1e-3, 86400.0 * 30, "s"),
}


def check_value(value, what: str) -> float:
    """``value`` as a float inside the range of ``what`` in :data:`_LIMITS`, else InputError naming the range."""
    lo, hi, unit = _LIMITS[what]
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not (math.isfinite(v) and lo <= v <= hi):
        raise InputError(f"{what} is {value!r}; it must be a finite number in {lo:g}..{hi:g} {unit}.")
    return v


def check_band(band: str) -> str:
    """The lowercase band name if it is one areo knows (uhf, s, x, ka), else InputError."""
    key = str(band).strip().lower()
    if key not in BANDS:
        raise unknown_choice("band", str(band), BANDS, "Bands are the deep-space allocations areo models.")
    return key


def check_threshold(min_elevation_deg: float) -> float:
    """A search threshold for passes: -90..90 deg (below 0 for twilight-style events, e.g. -18 for the Sun)."""
    try:
        m = float(min_elevation_deg)
    except (TypeError, ValueError):
        m = math.nan
    if not (math.isfinite(m) and -90.0 <= m <= 90.0):
        raise InputError(
            f"minimum elevation (--min-elevation) is {min_elevation_deg!r} deg; it must lie between -90 and 90 "
            "degrees (negative for events below the horizon, e.g. -18 for astronomical twilight)."
        )
    return m


def network_specs(items) -> list[str]:
    """Network specs from CLI items: each item may hold several separated by ';' (``'estrack;estrack,dsn'``)."""
    if isinstance(items, str):
        items = [items]
    specs = [n.strip() for item in items for n in str(item).split(";") if n.strip()]
    if not specs or any(not p.strip() for n in specs for p in n.split(",")):
        raise InputError(
            f"no network in {list(items)!r}; give a name such as 'estrack', 'estrack,dsn' (one network of "
            "both) or several separated by ';' (see `areo stations` for the names)."
        )
    return specs


def _span(start_utc: object, stop_utc: object, max_days: float | None = None) -> tuple[float, float]:
    """TDB seconds of a start and stop in any epoch form (:func:`areo.time.epoch_tdb_s`), checked."""
    t0, t1 = epoch_tdb_s(start_utc), epoch_tdb_s(stop_utc)
    if t1 <= t0:
        raise InputError(f"stop {_iso(t1)} is not after start {_iso(t0)}; give --stop later than --start.")
    from ..ephem import default_ephemeris

    default_ephemeris().check_range(np.array([t0, t1]), what="epoch")
    if max_days is not None and (t1 - t0) / 86400.0 > max_days:
        raise InputError(
            f"the span {_iso(t0)} to {_iso(t1)} is {(t1 - t0) / 86400.0:.0f} days; at most "
            f"{max_days:.0f} days in one search. Split it into shorter runs."
        )
    return t0, t1


def _iso(tdb_s, decimals=0):
    """UTC ISO string rounded (not truncated) to ``decimals`` places of seconds."""
    if tdb_s is None:
        return None
    return tdb_seconds_to_utc_iso(float(tdb_s), decimals=decimals)  # areo.time rounds itself


def _covered_window(tgt, lo: float, hi: float, margin_s: float = 0.0) -> tuple[float, float]:
    """[lo, hi] cut to the covered span of a trajectory target around the middle, receive times starting
    ``margin_s`` (light time) after its start (other targets: unchanged)."""
    spans = getattr(tgt, "coverage_tdb_s", None)
    if not spans:
        return lo, hi
    mid = 0.5 * (lo + hi)
    a, b = next(((a, b) for a, b in spans if a <= mid <= b), (lo, hi))
    return max(lo, min(a + margin_s, mid)), min(hi, b)


def _eirp(spacecraft_name: str | None, eirp_dbw: float | None, band: str) -> float | None:
    if eirp_dbw is not None:
        return check_value(eirp_dbw, "EIRP (--eirp-dbw)")
    if spacecraft_name:
        return spacecraft(spacecraft_name).eirp(band)
    return None


def stations_table(extra=()) -> Records:
    """One dict per catalogue station (id, name, position, dish, mask, networks, bands with G/T and EIRP)."""
    cat = load_catalogue(extra)
    rows = Records()
    for s in cat.stations.values():
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "lat_deg": round(s.lat_deg, 5),
                "lon_deg": round(s.lon_deg, 5),
                "height_m": round(s.height_m, 1),
                "diameter_m": s.diameter_m,
                "min_elevation_deg": s.min_elevation_deg,
                "status": s.status,
                "networks": list(s.networks),
                "bands": {
                    b: {
                        "g_t_db_k": round(bs.g_t_db_k, 2),
                        "eirp_dbw": None if bs.eirp_dbw is None else round(bs.eirp_dbw, 2),
                        "derived": bs.derived,
                    }
                    for b, bs in s.bands.items()
                },
                "source": s.source,
            }
        )
    return rows


@accepts_quantities
def passes(
    station_id: str,
    target: str | Target,
    start_utc: object,
    stop_utc: object,
    min_elevation_deg: float | None = None,
    *,
    extra=(),
    refraction: bool = False,
) -> PassList:
    """Visibility passes as dicts {station, rise_utc, culmination_utc, set_utc, max_elevation_deg}.

    ``target`` is a DE421 body name or a Target (e.g. ``areo.ground.load_target('TGO.bsp', -143)``); start and
    stop take any epoch form of :func:`areo.time.epoch_tdb_s` (ISO string, datetime, datetime64, pandas, astropy
    Time in its own scale). ``min_elevation_deg`` None uses the station's own mask; a given threshold may be
    negative (-90..90 deg) for twilight-style events (the Sun 6, 12 or 18 deg below the horizon). Times are UTC
    ISO strings to the millisecond; the list has ``.to_dataframe()`` and ``.figure()``. Spans longer than
    :data:`MAX_PASS_SPAN_DAYS` or outside the ephemeris are refused.
    """
    st = load_catalogue(extra).station(station_id)
    if min_elevation_deg is not None:
        min_elevation_deg = check_threshold(min_elevation_deg)
    t0, t1 = _span(start_utc, stop_utc, MAX_PASS_SPAN_DAYS)
    out = PassList()
    for p in find_passes(st, as_target(target), t0, t1, min_elevation_deg, refraction=refraction):
        out.append(
            {
                "station": st.id,
                "rise_utc": _iso(p.rise_tdb_s, 3),
                "culmination_utc": _iso(p.culmination_tdb_s, 3),
                "set_utc": _iso(p.set_tdb_s, 3),
                "max_elevation_deg": round(p.max_elevation_deg, 4),
            }
        )
    return out


@accepts_quantities
def link_report(
    station_id: str,
    band: str,
    at_utc: object,
    *,
    target: str | Target = "mars",
    spacecraft_name: str | None = "tgo",
    eirp_dbw: float | None = None,
    data_rate_kbps: float = 8.0,
    coding_name: str = "rs+conv",
    required_margin_db: float = 3.0,
    pass_volume: bool = True,
    extra=(),
) -> LinkResult:
    """Link budget for a station/band at an instant (range and elevation from the geometry), plus the volume of
    the pass containing that instant at the highest closing rate. ``target``: body name or Target; ``at_utc``:
    any epoch form. The dict has ``.to_dataframe()``, ``.budget_dataframe()`` and ``.figure()``."""
    st = load_catalogue(extra).station(station_id)
    spec = st.band(check_band(band))
    eirp = _link_eirp(spacecraft_name, eirp_dbw, spec.band)
    data_rate_kbps = check_value(data_rate_kbps, "data rate (--rate-kbps)")
    required_margin_db = check_value(required_margin_db, "required margin (--margin-db)")
    coding(coding_name)
    t = epoch_tdb_s(at_utc)
    tgt = as_target(target)
    tgt.check_range(np.array([t]))
    a = altaz(st, tgt, np.array([t]))
    search = _covered_window(tgt, t - 86400.0, t + 86400.0, margin_s=2.0 * float(a.light_time_s[0]) + 60.0)
    el, rng = float(a.elevation_deg[0]), float(a.range_m[0])
    link: dict[str, Any] = {"eirp_dbw": eirp, "coding_name": coding_name, "required_margin_db": required_margin_db}
    lb = station_link(st, spec.band, rng, max(el, 0.1), data_rate_bps=data_rate_kbps * 1e3, **link)
    out = LinkResult(_instant_fields(st, spec, t, tgt, a, lb))
    if pass_volume:
        ps = [p for p in find_passes(st, tgt, *search) if p.start_tdb_s <= t <= p.stop_tdb_s]
        if ps:
            out["pass"] = _pass_volume(st, spec.band, tgt, ps[0], link, _radio_cap_bps(spacecraft_name, eirp_dbw))
    return out


def _link_eirp(spacecraft_name: str | None, eirp_dbw: float | None, band: str) -> float:
    """The EIRP (dBW) given or the spacecraft's in that band; InputError when neither is given."""
    eirp = _eirp(spacecraft_name, eirp_dbw, band)
    if eirp is None:
        raise InputError("give --spacecraft or --eirp-dbw: the link needs the spacecraft's EIRP.")
    return eirp


def _instant_fields(st, spec, t: float, tgt, a, lb) -> dict:
    """The fields of a link report at one instant: geometry (rounded, km/deg/s), the budget lines, margin, rate."""
    el, rng = float(a.elevation_deg[0]), float(a.range_m[0])
    return {
        "station": st.id,
        "band": spec.band,
        "at_utc": tdb_seconds_to_utc_iso(t),
        "target": tgt.name,
        "elevation_deg": round(el, 3),
        "azimuth_deg": round(float(a.azimuth_deg[0]), 3),
        "range_km": round(rng / 1e3, 1),
        "one_way_light_time_s": round(float(a.light_time_s[0]), 3),
        "visible": el >= float(st.mask_deg(a.azimuth_deg[0])),
        "g_t_derived": spec.derived,
        "budget": [{"line": n, "value": round(v, 2), "unit": u} for n, v, u in lb.rows()],
        "margin_db": round(float(np.ravel(lb.margin_db)[0]), 2),
        "max_data_rate_kbps": round(float(np.ravel(lb.max_data_rate_bps)[0]) / 1e3, 3),
    }


def _radio_cap_bps(spacecraft_name: str | None, eirp_dbw: float | None) -> float:
    """The catalogue spacecraft radio's highest rate (bit/s); inf when the EIRP was given instead."""
    return spacecraft(spacecraft_name).max_rate_bps if (spacecraft_name and eirp_dbw is None) else np.inf


def _pass_volume(st, band: str, tgt, p, link: dict, cap: float) -> dict:
    """Rise, set and data volume (Mbit, at the highest rate with the margin, capped by the radio) of one pass."""
    tt = np.linspace(p.start_tdb_s, p.stop_tdb_s, 200)
    aa = altaz(st, tgt, tt)
    lbp = station_link(st, band, aa.range_m, np.maximum(aa.elevation_deg, 0.1), data_rate_bps=1.0, **link)
    vol = float(np.trapezoid(np.minimum(lbp.max_data_rate_bps, cap), tt))
    return {
        "rise_utc": _iso(p.rise_tdb_s),
        "set_utc": _iso(p.set_tdb_s),
        "volume_mbit": round(vol / 1e6, 1),
        "radio_max_rate_kbps": None if not np.isfinite(cap) else cap / 1e3,
    }


@accepts_quantities
def network_coverage(
    networks: list[str],
    start_utc: object,
    stop_utc: object,
    *,
    target: str | Target = "mars",
    step_s: float = 60.0,
    min_elevation_deg: float | None = None,
    band: str = "x",
    spacecraft_name: str | None = "tgo",
    eirp_dbw: float | None = None,
    coding_name: str = "rs+conv",
    extra=(),
) -> Records:
    """Coverage of each network spec (e.g. ``['estrack', 'estrack,dsn', 'rt70', 'all']``) side by side."""
    networks = network_specs(networks)
    if min_elevation_deg is not None:
        check_mask(min_elevation_deg, "minimum elevation (--min-elevation)")
    band = check_band(band)
    step_s = check_value(step_s, "step (--step)")
    eirp_dbw = None if eirp_dbw is None else check_value(eirp_dbw, "EIRP (--eirp-dbw)")
    t0, t1 = _span(start_utc, stop_utc)
    cat = load_catalogue(extra)
    _check_coverage_samples(cat, networks, t0, t1, step_s)
    eirp, cap = _coverage_radio(spacecraft_name, eirp_dbw, band)
    rows = Records()
    for spec in networks:
        sts = cat.network(spec)
        r = coverage(
            sts,
            as_target(target),
            t0,
            t1,
            network=spec,
            step_s=step_s,
            min_elevation_deg=min_elevation_deg,
            band=band,
            eirp_dbw=eirp,
            coding_name=coding_name,
            max_rate_bps=cap,
        )
        rows.append(_coverage_row(spec, r, eirp is not None))
    return rows


def _check_coverage_samples(cat, networks: list[str], t0: float, t1: float, step_s: float) -> None:
    """InputError when the run would sample more than MAX_COVERAGE_SAMPLES station instants."""
    n_samples = (t1 - t0) / step_s * sum(len(cat.network(n)) for n in networks)
    if n_samples > MAX_COVERAGE_SAMPLES:
        raise InputError(
            f"that coverage run needs {n_samples:.3g} station samples (at most {MAX_COVERAGE_SAMPLES:.0e}); use a "
            "larger --step, a shorter span or fewer networks."
        )


def _coverage_radio(spacecraft_name: str | None, eirp_dbw: float | None, band: str) -> tuple[float | None, float]:
    """EIRP (dBW; the catalogue spacecraft's in ``band`` unless given, None without one) and highest rate (bit/s)."""
    eirp, cap = eirp_dbw, float("inf")
    if spacecraft_name:
        sc = spacecraft(spacecraft_name)
        cap = sc.max_rate_bps
        if eirp is None:
            eirp = sc.eirp_dbw.get(band)  # a spacecraft without this band: coverage only, no volume
    return eirp, cap


def _coverage_row(spec: str, r, has_volume: bool) -> dict:
    """One network's coverage record: fraction, gaps (UTC, h), daily volume (Gbit, None without an EIRP)."""
    return {
        "network": spec,
        "stations": list(r.stations),
        "coverage_fraction": round(r.coverage_fraction, 4),
        "n_gaps": len(r.gaps),
        "longest_gap_h": round(r.longest_gap_s / 3600.0, 2),
        "gaps": [{"start_utc": _iso(g.start_tdb_s), "length_h": round(g.length_s / 3600.0, 3)} for g in r.gaps],
        "mean_daily_volume_gbit": round(r.mean_daily_volume_bits / 1e9, 3) if has_volume else None,
        "station_fraction": {k: round(v, 4) for k, v in r.station_fraction.items()},
    }


def event_coverage(
    network: str,
    at_utc: object,
    *,
    target: str | Target = "mars",
    band: str = "x",
    spacecraft_name: str | None = "tgo",
    eirp_dbw: float | None = None,
    data_rate_kbps: float = 8.0,
    coding_name: str = "rs+conv",
    extra=(),
) -> list[dict]:
    """Which stations of ``network`` see ``target`` at ``at_utc``, with elevation and link margin."""
    specs = network_specs(network)
    if len(specs) != 1:
        raise InputError(f"give one network here, not {len(specs)} separated by ';'; call once per network.")
    network = specs[0]
    band = check_band(band)
    eirp_dbw = None if eirp_dbw is None else check_value(eirp_dbw, "EIRP (--eirp-dbw)")
    data_rate_kbps = check_value(data_rate_kbps, "data rate (--rate-kbps)")
    sts = load_catalogue(extra).network(network)
    t = epoch_tdb_s(at_utc)
    eirp = eirp_dbw
    if eirp is None and spacecraft_name:
        sc = spacecraft(spacecraft_name)
        eirp = sc.eirp_dbw.get(band)
    rows = critical_event(
        sts, as_target(target), t, band=band, eirp_dbw=eirp, data_rate_bps=data_rate_kbps * 1e3, coding_name=coding_name
    )
    return [
        {
            "station": r.station,
            "elevation_deg": round(r.elevation_deg, 3),
            "azimuth_deg": round(r.azimuth_deg, 2),
            "mask_deg": r.mask_deg,
            "visible": bool(r.visible),
            "band": r.band,
            "margin_db": None if r.margin_db is None else round(r.margin_db, 2),
        }
        for r in rows
    ]


@accepts_quantities
def observables_between(
    station_id: str,
    target: str | Target,
    start_utc: object,
    stop_utc: object,
    *,
    step_s: float = 60.0,
    band: str = "x",
    two_way: bool = True,
    extra=(),
):
    """Light time, range, range rate and Doppler of ``target`` (body name or Target) at ``station_id`` every
    ``step_s`` seconds of receive time from start to stop (any epoch forms). Returns
    :class:`~areo.ground.measurements.Observables` (``.to_dataframe()``, ``.figure()``)."""
    st = load_catalogue(extra).station(station_id)
    band = check_band(band)
    t0, t1 = _span(start_utc, stop_utc)
    step_s = check_value(step_s, "step (--step)")
    n = int(np.floor((t1 - t0) / step_s + 1e-9)) + 1
    if n > 1_000_000:
        raise InputError(f"{n} epochs is too many in one call; use a larger step or a shorter span.")
    t = t0 + np.arange(n) * step_s
    return observables(st, as_target(target), t, band=band, uplink_band=None if two_way else "none")


def tracking_data(
    station_id: str,
    start_utc: object,
    stop_utc: object,
    *,
    target: str | Target = "mars",
    step_s: float = 60.0,
    band: str = "x",
    two_way: bool = True,
    out: str | Path | None = None,
    extra=(),
) -> dict:
    """Light time, range, range rate and Doppler on a grid; optionally written as a CCSDS TDM (KVN) to ``out``."""
    from ..io.tdm import format_tdm, write_tdm

    st = load_catalogue(extra).station(station_id)
    band = check_band(band)
    t0, t1 = _span(start_utc, stop_utc)
    step_s = check_value(step_s, "step (--step)")
    import datetime as _dt

    a = parse_utc(start_utc)
    n = int(np.floor((t1 - t0) / step_s + 1e-9)) + 1
    if n > 1_000_000:
        raise InputError(f"{n} epochs is too many for one TDM; use a larger --step or a shorter span.")
    utc = [a + _dt.timedelta(seconds=k * step_s) for k in range(n)]
    t = np.atleast_1d(epochs_tdb_s(utc))
    tgt = as_target(target)
    obs = observables(st, tgt, t, band=band, uplink_band=None if two_way else "none")
    epochs = [u.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] for u in utc]
    meta, recs = tdm_records(obs, st, tgt.name, two_way=two_way, epochs_utc=epochs)
    text = format_tdm([(meta, recs)])
    if out is not None:
        write_tdm(out, [(meta, recs)])
    return {"station": st.id, "n": int(t.size), "tdm": text, "observables": obs}


def telemetry_run(
    station_id: str,
    at_utc: object,
    *,
    band: str = "x",
    target: str | Target = "mars",
    spacecraft_name: str | None = "tgo",
    eirp_dbw: float | None = None,
    rate_kbps: float = 8.0,
    duration_s: float = 60.0,
    eb_n0_db: float | None = None,
    seed: int = 0,
    extra=(),
    packets: list[bytes] | None = None,
) -> dict:
    """Housekeeping at ``rate_kbps`` through TM frames + RS(255,223) I=5 over the channel of the link (Eb/N0 from
    the budget at that instant, or ``eb_n0_db`` to override). ``packets`` are sent when given (e.g. built from an
    EDL history with :func:`areo.ground.telemetry.housekeeping_packets`), else ``duration_s`` of synthetic ones."""
    from .telemetry import TmConfig, require_extra, simulate_link, synthetic_housekeeping

    require_extra("CCSDS telemetry (TM frames, RS(255,223))")
    rate_kbps, duration_s, band, eb_n0_db = _check_telemetry(rate_kbps, duration_s, band, eb_n0_db, seed)
    info = None
    if eb_n0_db is None:
        info = link_report(
            station_id,
            band,
            at_utc,
            target=target,
            spacecraft_name=spacecraft_name,
            eirp_dbw=eirp_dbw,
            data_rate_kbps=rate_kbps,
            coding_name="rs",
            pass_volume=False,
            extra=extra,
        )
        eb_n0_db = _budget_eb_n0(info)
    pk = packets if packets is not None else synthetic_housekeeping(duration_s, rate_kbps * 1e3, seed=seed)
    r = simulate_link(pk, float(eb_n0_db), config=TmConfig(), seed=seed)
    return _telemetry_record(station_id, at_utc, eb_n0_db, info, r)


def _check_telemetry(
    rate_kbps: float, duration_s: float, band: str, eb_n0_db: float | None, seed: int
) -> tuple[float, float, str, float | None]:
    """The checked rate (kbit/s), duration (s), band and Eb/N0 override (dB) of a telemetry run; InputError for a
    seed outside 0..2**63-1 or a stream over 1 GB."""
    rate_kbps = check_value(rate_kbps, "data rate (--rate-kbps)")
    duration_s = check_value(duration_s, "duration (--duration)")
    band = check_band(band)
    if eb_n0_db is not None:
        eb_n0_db = check_value(eb_n0_db, "Eb/N0 (--eb-n0-db)")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise InputError(f"--seed is {seed!r}; it must be a whole number 0..2**63-1.")
    if duration_s * rate_kbps > 8_000_000:
        raise InputError("that stream is over 1 GB; shorten --duration or lower --rate-kbps.")
    return rate_kbps, duration_s, band, eb_n0_db


def _budget_eb_n0(info: dict) -> float:
    """Eb/N0 (dB) of a link report's budget; -30 dB below the horizon (nothing gets through)."""
    eb_n0_db = next(r["value"] for r in info["budget"] if r["line"] == "Eb/N0")
    if not info["visible"]:
        eb_n0_db = -30.0  # below the horizon: nothing gets through
    return eb_n0_db


def _telemetry_record(station_id: str, at_utc: object, eb_n0_db: float, info: dict | None, r) -> dict:
    """The record of a telemetry run: the link's Eb/N0 and geometry, frame and packet losses, RS decoding."""
    return {
        "station": station_id,
        "at_utc": tdb_seconds_to_utc_iso(epoch_tdb_s(at_utc)),
        "eb_n0_db": round(float(eb_n0_db), 2),
        "elevation_deg": None if info is None else info["elevation_deg"],
        "visible": None if info is None else info["visible"],
        "bit_error_probability": r.bit_error_probability,
        "frames_sent": r.frames_sent,
        "frames_lost": r.frames_lost,
        "packets_sent": r.packets_sent,
        "packets_lost": r.packets_lost,
        "rs_codewords": r.rs_codewords,
        "rs_codewords_failed": r.rs_codewords_failed,
        "rs_symbols_corrected": r.rs_symbols_corrected,
        "frame_error_rate_theory": r.frame_error_rate_theory,
    }
