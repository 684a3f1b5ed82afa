"""Failure messages of the cruise segments: what went wrong, the residual in physical units, and the fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import constants as K
from ..errors import InputError
from ..time import tdb_seconds_to_utc_iso
from .bplane import bplane
from .forces import ForceModel
from .propagate import Arc
from .targeting import Correction, EntryTarget, PeriapsisTarget, describe_entry_residual

if TYPE_CHECKING:
    from .flight import CruisePlan


def _utc_min(tdb_s: float) -> str:
    """UTC to the minute, for messages."""
    return str(tdb_seconds_to_utc_iso(float(tdb_s)))[:16] + "Z"


def _entry_words(entry: EntryTarget) -> str:
    words = [f"{entry.altitude_m / 1e3:g} km, flight-path angle {entry.fpa_deg:g} deg ({entry.fpa_frame})"]
    if entry.latitude_deg is not None:
        words.append(f"latitude {entry.latitude_deg:g} deg")
    if entry.longitude_deg is not None:
        words.append(f"longitude {entry.longitude_deg:g} deg")
    if entry.tdb_s is not None:
        words.append(f"at {_utc_min(entry.tdb_s)}")
    return ", ".join(words)


def _entry_failure(name: str, t_tcm: float, plan: CruisePlan, corr: Correction) -> str:
    """Why a TCM could not meet the entry target, with residuals in physical units and the fixes."""
    d = corr.diagnosis
    entry = plan.entry
    nat = d.get("natural_entry_tdb_s")
    shift = ""
    if nat is not None:
        shift = f"with the epoch left free the lander would enter at about {_utc_min(nat)}"
        if entry.tdb_s is not None:
            dh = (nat - entry.tdb_s) / 3600
            shift += f" ({abs(dh):.1f} h {'before' if dh < 0 else 'after'} the requested epoch)"
    head = f"{name} ({_utc_min(t_tcm)}) cannot bring the lander to the entry target ({_entry_words(entry)})"
    fixes = []
    if entry.tdb_s is not None and nat is not None:
        fixes.append(
            f"set the entry epoch (entry.tdb_s; arrival_utc in a scenario) near {_utc_min(nat)}, with "
            "separation before it"
        )
    fixes.append(f"plan {name} earlier")
    if d.get("stage") == "propellant":
        return (
            f"{head}: it needs about {d['dv_needed_m_s']:.1f} m/s but the propellant left gives only "
            f"{d['dv_available_m_s']:.1f} m/s (Isp {plan.orbiter.isp_s:g} s); {shift}. Fix: "
            + ", ".join([*fixes, "or carry more propellant (mass_kg - dry_mass_kg)."])
        )
    need = d.get("dv_needed_m_s")
    return (
        f"{head}: the differential correction did not converge ({d.get('stage')}); residual "
        f"{describe_entry_residual(entry, corr.residual)} with a {corr.burn.dv_magnitude_m_s:.1f} m/s burn"
        + (f" (the two-body aim point needs {need:.1f} m/s)" if need is not None else "")
        + (f"; {shift}" if shift else "")
        + ". Fix: "
        + ", ".join([*fixes, "or drop a condition (longitude) that over-constrains the entry."])
    )


def _approach_failure(name: str, t_tcm: float, tgt: PeriapsisTarget, corr: Correction, avail_m_s: float) -> str:
    r = corr.residual
    res = f"periapsis altitude {r[0] / 1e3:+.3f} km, inclination {np.degrees(r[1]):+.4f} deg"
    if tgt.periapsis_tdb_s is not None:
        res += f", periapsis epoch {r[2]:+.0f} s"
    return (
        f"{name} ({_utc_min(t_tcm)}) did not converge on the capture approach (periapsis "
        f"{tgt.altitude_m / 1e3:g} km, inclination {np.degrees(tgt.inclination_rad):g} deg"
        + (f", at {_utc_min(tgt.periapsis_tdb_s)}" if tgt.periapsis_tdb_s is not None else "")
        + f"): residual {res} with a {corr.burn.dv_magnitude_m_s:.1f} m/s burn; the propellant left gives "
        f"{avail_m_s:.1f} m/s. Fix: plan the TCM earlier, carry more propellant, or check the insertion end time "
        "(moi_end) and the capture target."
    )


def _missed_entry(plan: CruisePlan, arc: Arc, forces: ForceModel, t_sep: float) -> str:
    """Why the lander has no entry interface: where it passes Mars instead."""
    head = (
        f"the lander, separated at {_utc_min(t_sep)}, never reaches the {plan.entry.altitude_m / 1e3:g} km "
        "entry interface"
    )
    st = arc.final.with_origin("mars", forces)
    try:
        bp = bplane(st.r_m, st.v_m_s)
        where = (
            f"it passes Mars at {bp.periapsis_altitude_m / 1e3:,.0f} km periapsis altitude "
            f"(B = {bp.b_m / 1e3:,.0f} km; the entry corridor needs B about "
            f"{_corridor_b_km(bp.v_inf_m_s, plan.entry):,.0f} km)"
        )
    except InputError:
        where = "it is captured by Mars without reaching the entry interface"
    why = (
        "no TCM corrects the path after the launcher's aim and the DSM; add TCMs (tcm_tdb_s; tcm_utc in a "
        "scenario) before separation"
        if not plan.tcm_tdb_s
        else "the TCMs aim the entry with the separation push included, so the lander was left off course after "
        "the last TCM (e.g. by execution errors); add a TCM between the last deviation and separation, or "
        "reduce the execution errors"
    )
    return f"{head} (flown to {_utc_min(arc.final.tdb_s)}): {where}. Fix: {why}."


def _entry_residual(entry: EntryTarget, fig) -> tuple[np.ndarray, np.ndarray]:
    """(flown - target, tolerance) of the entry conditions, in the order of targeting.residual_function."""
    fpa = fig.fpa_inertial_deg if entry.fpa_frame == "inertial" else fig.fpa_relative_deg
    res, scale = [fpa - entry.fpa_deg], [entry.tolerance_deg]
    if entry.latitude_deg is not None:
        res.append(fig.latitude_deg - entry.latitude_deg)
        scale.append(entry.tolerance_deg)
    if entry.longitude_deg is not None:
        res.append((fig.longitude_deg - entry.longitude_deg + 180.0) % 360.0 - 180.0)
        scale.append(entry.tolerance_deg)
    if entry.tdb_s is not None:
        res.append(fig.tdb_s - entry.tdb_s)
        scale.append(entry.tolerance_s)
    return np.array(res), np.array(scale)


def _off_target_entry(plan: CruisePlan, fig, res: np.ndarray) -> str:
    why = (
        "the plan has no TCM, and the launcher's aim sets only the entry corridor (not latitude, longitude or "
        "epoch); add TCMs before separation"
        if not plan.tcm_tdb_s
        else "the last TCM met the target with the separation push estimated at its epoch; check that the "
        "separation push (separation_dv_m_s) is small and add a TCM closer to separation"
    )
    return (
        f"the lander reaches the entry interface at {_utc_min(fig.tdb_s)} off its target "
        f"({_entry_words(plan.entry)}): {describe_entry_residual(plan.entry, res)}. Cause: {why}."
    )


def _corridor_b_km(v_inf_m_s: float, entry: EntryTarget) -> float:
    r_e = float(K.R_MARS_EQ) + entry.altitude_m
    v_e = np.sqrt(v_inf_m_s**2 + 2 * float(K.GM_MARS) / r_e)
    return r_e * v_e * np.cos(np.radians(entry.fpa_deg)) / v_inf_m_s / 1e3
