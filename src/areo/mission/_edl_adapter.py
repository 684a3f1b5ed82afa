"""Replay's EDL stage: the scenario's EDL cases flown from the cruise's entry-interface state.

The cruise (areo.cruise) and EDL (areo.edl) packages do not know each other; this module maps the lander's
Mars-relative state at entry (altitude, inertial speed, inertial flight-path angle, latitude, longitude, inertial
azimuth) onto the EDL kernel's entry parameters.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..time import tdb_seconds_to_utc_iso


def entry_params_from_cruise(entry) -> dict:
    """EDL entry parameters (SI, rad) from a cruise ``MarsRelativeFigures`` at the entry interface."""
    from ..cruise.bplane import MARS_POLE_ICRF

    r = np.asarray(entry.r_mars_icrf_m, float)
    v = np.asarray(entry.v_mars_icrf_m_s, float)
    up = r / np.linalg.norm(r)
    east = np.cross(np.asarray(MARS_POLE_ICRF, float), up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    azimuth = math.atan2(float(v @ east), float(v @ north))  # inertial heading, from north towards east
    return {
        "entry_alt": float(entry.altitude_m),
        "entry_lat": math.radians(entry.latitude_deg),
        "entry_lon": math.radians(entry.longitude_deg),
        "entry_speed": float(entry.speed_inertial_m_s),
        "entry_fpa": math.radians(entry.fpa_inertial_deg),
        "entry_azimuth": azimuth,
    }


def run_edl_cases(sc, entry, runs: int = 0, seed: int = 0):
    """Every ``[edl.cases.*]`` of the scenario with the numpy reference (with history) and, when ``runs`` > 0,
    a dispersed Monte Carlo of the default case with the batched JAX kernel. Returns ``(cases, montecarlo)``."""
    from ..edl import montecarlo as mc
    from ..edl.api import EDLChunkTask, EDLRun
    from ..edl.simulate import simulate_reference

    edl = sc.edl_scenario()
    model = edl.model(Path(sc.path).parent)
    override = entry_params_from_cruise(entry) if entry is not None else {}
    t_entry = float(entry.tdb_s) if entry is not None else None
    cases = {}
    for case in edl.cases:
        faults = edl.faults_for(case)
        p = {**edl.to_params(faults), **override}
        res, hist = simulate_reference(p, model, history=True)
        run = EDLRun(case, faults, res, hist, model)
        d = run.to_json()
        for ev in d["events"]:
            ev["utc"] = None if t_entry is None else tdb_seconds_to_utc_iso(t_entry + ev["t_s"])
        d["entry_from"] = "cruise (n-body lander state)" if entry is not None else "scenario [edl.entry]"
        d["history"] = {
            "t_s": np.asarray(hist["t"]),
            "altitude_m": np.asarray(hist["altitude_m"]),
            "estimated_altitude_m": np.asarray(hist["altitude_est_m"]),
            "speed_m_s": np.asarray(hist["speed_m_s"]),
            "mach": np.asarray(hist["mach"]),
            "events": [(ev["name"], ev["t_s"]) for ev in d["events"] if ev["name"] != "entry"],
        }
        cases[case] = d
    montecarlo = None
    if runs > 0:
        case = edl.default_case
        nominal = {**edl.to_params(edl.faults_for(case)), **override}
        table = {"run": np.arange(runs), **EDLChunkTask(nominal, edl.dispersions.model_dump(), model, seed)(0, runs)}
        lat = np.radians(table["landing_lat_deg"])
        lon = np.radians(table["landing_lon_deg"])
        s = mc.summarize({"status": table["status"], "landing_lat": lat, "landing_lon": lon})
        ellipse = None
        if np.isfinite(s.ellipse_major_km):
            ellipse = ellipse_outline(
                s.centre_lat_deg, s.centre_lon_deg, s.ellipse_major_km, s.ellipse_minor_km, s.ellipse_azimuth_deg
            )
        montecarlo = {
            "case": case,
            "runs": runs,
            "seed": seed,
            "success_rate": s.success_rate,
            "success_ci": (s.ci_low, s.ci_high),
            "ellipse_major_km": s.ellipse_major_km,
            "ellipse_minor_km": s.ellipse_minor_km,
            "lat_deg": table["landing_lat_deg"],
            "lon_deg": table["landing_lon_deg"],
            "ellipse_latlon_deg": ellipse,
            "table": table,  # column name -> per-run array
        }
    return cases, montecarlo


def ellipse_outline(lat0_deg, lon0_deg, major_km, minor_km, azimuth_deg, n: int = 120):
    """Outline (lat, lon arrays, deg) of a landing ellipse given by centre, full axes (km) and the azimuth of the
    major axis (deg from north), drawn in the local tangent plane on the Mars ellipsoid."""
    from ..edl.dynamics import ellipsoid_radius

    r_km = float(ellipsoid_radius(math.sin(math.radians(lat0_deg)))) / 1e3
    th = np.linspace(0, 2 * np.pi, n)
    a, b, az = major_km / 2.0, minor_km / 2.0, math.radians(azimuth_deg)
    u, w = a * np.cos(th), b * np.sin(th)  # along / across the major axis
    north = u * math.cos(az) - w * math.sin(az)
    east = u * math.sin(az) + w * math.cos(az)
    lat = lat0_deg + np.degrees(north / r_km)
    lon = lon0_deg + np.degrees(east / (r_km * math.cos(math.radians(lat0_deg))))
    return lat, lon
