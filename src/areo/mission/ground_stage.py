"""The replay's ground stage: coverage of the critical events, passes and network coverage around arrival, link
margins over the cruise, a CCSDS TDM of the arrival day, and the EDL telemetry what-if.

The ground follows :func:`tracked_vehicle`; a vehicle that ends (burn-up, impact, entry) ends its tracking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..time import tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from .plan import arrival_body
from .scenario import Scenario

if TYPE_CHECKING:
    from .replay import ReplayResult


def _critical_events(sc: Scenario, res: ReplayResult) -> list[tuple[str, str]]:
    evs = [("launch", sc.launch.utc)]
    if res.cruise is not None:
        for m in res.cruise.maneuvers:
            if m.dv_magnitude_m_s > 0.01:
                evs.append((m.name, m.utc))
        for e in res.cruise.events:
            if e.name in ("separation", "lander:entry-interface", "capture"):
                evs.append((e.name, str(tdb_seconds_to_utc_iso(e.tdb_s))))
    elif sc.cruise is not None:
        evs.append(("arrival", sc.cruise.arrival_utc))
    return evs


def tracked_vehicle(cruise):
    """The trajectory the ground follows: the orbiter when it enters orbit; without an orbit insertion (a
    direct-entry mission, whose carrier or cruise stage ends at arrival) the entry vehicle, up to its entry."""
    if cruise.capture is None and cruise.lander is not None:
        return cruise.lander
    return cruise.orbiter


def _spacecraft_target(res: ReplayResult):
    """The tracked vehicle's simulated trajectory as a ground-segment target (SSB-centred table), or Mars as a
    stand-in. A vehicle that ends (burn-up, impact, entry) ends its tracking: the table stops with it."""
    if res.cruise is None:
        return arrival_body(res.scenario), None
    from ..ephem import default_ephemeris
    from ..ground.geometry import TrajectoryTarget

    tr = tracked_vehicle(res.cruise)
    t, keep = np.unique(tr.tdb_s, return_index=True)
    rs, vs = default_ephemeris().state("sun", t, center="ssb")
    tgt = TrajectoryTarget(t, tr.r_sun_icrf_m[keep] + rs, tr.v_sun_icrf_m_s[keep] + vs, name=tr.name)
    return tgt, (float(t[0]), float(t[-1]))


def stage_ground(sc: Scenario, res: ReplayResult) -> None:
    """The replay's ground stage: fills ``res.ground`` (critical events, arrival passes and coverage, the link
    series over the cruise, the arrival day's TDM, the EDL telemetry what-if)."""
    if sc.ground is None:
        res.notes.append("no [ground] table: ground coverage not computed")
        return
    from ..ground.stations import load_catalogue

    cat = load_catalogue()
    nets = sc.ground.networks
    band = sc.ground.band.lower()
    target, span = _spacecraft_target(res)
    out: dict = {"critical": [], "passes": [], "coverage": [], "link_series": {}}
    out["critical"] = _critical_coverage(sc, res, nets, target, band, span)
    if sc.cruise is not None:
        _arrival_passes(sc, cat, nets, band, out)
    if span is not None and sc.cruise is not None:
        out["link_series"] = _link_series(nets, target, band, span)
        out["tdm"], out["tdm_station"] = _arrival_tdm(sc, cat, nets, target, band, span)
    _edl_telemetry_whatif(sc, res, out)
    res.ground = out


def _critical_coverage(sc: Scenario, res: ReplayResult, nets, target, band: str, span) -> list[dict]:
    """Each network's coverage of each critical event inside the tracked trajectory."""
    from ..ground.api import event_coverage

    rows = []
    for name, utc in _critical_events(sc, res):
        t = float(utc_to_tdb_seconds(utc))
        # the trajectory table starts at injection: a minute after it, light time is well inside the table
        if span is not None and not span[0] + 120.0 < t <= span[1]:
            continue  # launch: still in the launcher's hands; after its trajectory ends: nothing left to track
        for n in nets:
            for row in event_coverage(n, utc, target=target, band=band):
                rows.append({"event": name, "utc": utc, "network": n, **row})
    return rows


def _arrival_passes(sc: Scenario, cat, nets, band: str, out: dict) -> None:
    """``out["passes"]`` and ``out["coverage"]``: the arrival body's passes and network coverage from three days
    before arrival to two days after."""
    from ..ground.api import network_coverage, passes

    assert sc.cruise is not None and sc.ground is not None
    t_arr = float(utc_to_tdb_seconds(sc.cruise.arrival_utc))
    start, stop = str(tdb_seconds_to_utc_iso(t_arr - 3 * 86400.0)), str(tdb_seconds_to_utc_iso(t_arr + 2 * 86400.0))
    ids = sorted({s.id for n in nets for s in cat.network(n)})
    for sid in ids:
        for p in passes(sid, arrival_body(sc), start, stop, sc.ground.min_elevation_deg):
            # a pass already under way at the window's start (or still on at its end) is clipped to it
            p["rise_utc"] = p["rise_utc"] or start
            p["set_utc"] = p["set_utc"] or stop
            out["passes"].append(p)
    out["coverage"] = network_coverage(
        nets, start, stop, step_s=300.0, min_elevation_deg=sc.ground.min_elevation_deg, band=band
    )


def _link_series(nets, target, band: str, span) -> dict:
    """Best link margin of each network every ~10 days over the cruise (TGO radio preset, 8 kbit/s)."""
    from ..ground.api import event_coverage

    series = {}
    ts = np.linspace(span[0] + 3 * 86400.0, span[1] - 3600.0, 24)
    utcs = tdb_seconds_to_utc_iso(ts)
    for n in nets:
        best = []
        for u in utcs:
            rows = [
                r for r in event_coverage(n, u, target=target, band=band) if r["visible"] and r["margin_db"] is not None
            ]
            best.append(max((r["margin_db"] for r in rows), default=np.nan))
        series[n] = (utcs, best)
    return series


def _arrival_tdm(sc: Scenario, cat, nets, target, band: str, span):
    """A CCSDS TDM of the arrival day from the first station of the first network, and that station's id."""
    from ..ground.api import tracking_data

    assert sc.cruise is not None
    st = cat.network(nets[0])[0].id
    t_arr = float(utc_to_tdb_seconds(sc.cruise.arrival_utc))
    # a vehicle that ends (a carrier burning up at arrival) ends its tracking: the TDM stops with its trajectory
    t_stop = min(t_arr + 3 * 3600.0, span[1])
    tdm = tracking_data(
        st,
        str(tdb_seconds_to_utc_iso(min(t_arr - 3 * 3600.0, t_stop - 3600.0))),
        str(tdb_seconds_to_utc_iso(t_stop)),
        target=target,
        step_s=60.0,
        band=band,
    )
    return tdm["tdm"], st


def _edl_telemetry_whatif(sc: Scenario, res: ReplayResult, out: dict) -> None:
    """``out["edl_telemetry"]`` when the scenario asks for it and the telemetry extras are installed."""
    from .._extras import has, message

    assert sc.ground is not None
    if sc.ground.edl_telemetry is None:
        pass  # the scenario asks for no EDL telemetry what-if
    elif has("spacepackets", "reedsolo", "fastcrc"):
        out["edl_telemetry"] = _edl_telemetry(sc, res)
    else:
        res.notes.append(message("the EDL telemetry what-if", "spacepackets"))


def _edl_telemetry(sc: Scenario, res: ReplayResult) -> list[dict]:
    """What-if: each EDL case's time history as housekeeping packets at the scenario's rate, sent to the station
    and band of ``[ground.edl_telemetry]`` through TM frames with RS(255,223) over the link's channel."""
    from ..ground.api import telemetry_run
    from ..ground.telemetry import housekeeping_packets

    tm = sc.ground.edl_telemetry if sc.ground is not None else None
    if tm is None:
        return []
    lander = sc.cruise.lander.name.lower() if sc.cruise is not None and sc.cruise.lander is not None else "lander"
    rows = []
    for case, run in res.edl.items():
        h = run.get("history")
        ev = run.get("events") or []
        if not h or not ev or ev[0].get("utc") is None:
            continue
        pk = housekeeping_packets(
            h["t_s"],
            {
                "altitude_m": h["altitude_m"],
                "est_altitude_m": h["estimated_altitude_m"],
                "speed_m_s": h["speed_m_s"],
                "mach": h["mach"],
            },
            rate_bps=tm.rate_kbps * 1e3,
        )
        r = telemetry_run(
            tm.station, ev[0]["utc"], band=tm.band, spacecraft_name=lander, rate_kbps=tm.rate_kbps, packets=pk, seed=1
        )
        rows.append(
            {
                "case": case,
                "station": tm.station,
                "band": tm.band.upper(),
                **{
                    k: r[k]
                    for k in (
                        "eb_n0_db",
                        "elevation_deg",
                        "frames_sent",
                        "frames_lost",
                        "packets_sent",
                        "packets_lost",
                        "frame_error_rate_theory",
                    )
                },
            }
        )
    return rows
