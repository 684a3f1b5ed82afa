"""Aerodynamic coefficient tables of the 6-DOF model, read from the scenario, and their evaluation.

Capsule (reference area pi D^2 / 4, reference length D, moments about the centre of mass), as functions of
Mach number M and total angle of attack alpha (angle between the body x axis and the air-relative velocity):

    axial force     C_A(M)                         along -x_body
    normal force    C_N = C_N_alpha(M) sin(alpha)  against the crossflow
    static moment   C_m = C_m_alpha(M) sin(alpha)  about x_body x u (negative slope: restoring)
    pitch damping   C_mq(M) q D / (2 V)            on the transverse body rates (C_mq + C_m_alpha_dot)

Disk-gap-band parachute (reference area pi D0^2 / 4): drag C_D(M) along the canopy's air-relative velocity and
normal force C_N = C_N_alpha sin(alpha_p) towards the wake axis (alpha_p: riser axis to the airflow).

Tables are piecewise linear in Mach; :func:`check_tables` refuses tables that do not cover the Mach range
of the flight (from 0 to the entry Mach number), naming the key.
"""

from __future__ import annotations

import numpy as np

from ...errors import InputError

CAPSULE_COLUMNS = ("axial", "normal_slope_per_rad", "moment_slope_per_rad", "pitch_damping")
PARACHUTE_COLUMNS = ("drag",)


def piecewise_linear(x, knots, values, xp=np):
    """Linear interpolation through (knots, values), constant beyond the ends, as a sum of clipped ramps
    (vectorises without gathers; equals ``numpy.interp``)."""
    out = values[0] + 0.0 * x
    for i in range(len(knots) - 1):
        slope = (values[i + 1] - values[i]) / (knots[i + 1] - knots[i])
        out = out + slope * xp.clip(x - knots[i], 0.0, knots[i + 1] - knots[i])
    return out


def check_tables(tables: dict, mach_max: float, where: str) -> None:
    """Each table ``{'mach': [...], column: [...]}`` must have increasing Mach knots from 0 to at least
    ``mach_max`` and one value per knot; the error names the key (``where``.table.column)."""
    for name, tab in tables.items():
        mach = np.asarray(tab.get("mach", []), dtype=float)
        key = f"{where}.{name}.mach"
        if mach.size < 2 or np.any(np.diff(mach) <= 0):
            raise InputError(f"{key}: needs at least two strictly increasing Mach numbers; fix the table")
        if mach[0] > 0.0 or mach[-1] < mach_max:
            raise InputError(
                f"{key} covers Mach {mach[0]:g}-{mach[-1]:g}, but the flight spans Mach 0-{mach_max:.1f}; "
                "extend the table to cover it"
            )
        for col, vals in tab.items():
            if col != "mach" and len(vals) != mach.size:
                raise InputError(f"{where}.{name}.{col}: {len(vals)} values for {mach.size} Mach numbers")


def capsule(mach, table, xp):
    """(C_A, C_N_alpha, C_m_alpha, C_mq) at Mach ``mach`` from the capsule ``table``; the normal force and
    static moment are formed by the caller from the crossflow (sin alpha) vector."""
    return tuple(piecewise_linear(mach, table["mach"], table[c], xp) for c in CAPSULE_COLUMNS)


def parachute_drag(mach, table, xp):
    return piecewise_linear(mach, table["mach"], table["drag"], xp)
