"""Aerodynamics: 70-degree sphere-cone capsule and disk-gap-band parachute drag tables, stagnation heating.

``cd_capsule(mach, xp)`` and ``cd_parachute(mach, xp)`` interpolate the CSV tables in ``areo/edl/data``
(sources in the files' headers) linearly in Mach and clamp outside them. ``sutton_graves_heat_rate``
is the stagnation-point convective heat flux q = k sqrt(rho / R_n) v^3 (W/m^2) with k for Mars
(Sutton & Graves 1971, NASA TR R-376).
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..constants import K_SUTTON_GRAVES_MARS


def lift_direction(va, r, cos_bank, sin_bank, xp=np):
    """Unit lift direction: perpendicular to the air-relative velocity ``va``, in the vertical plane through it
    (towards local up, ``r``) for bank 0, rotated by the bank angle about ``va`` (positive: towards
    ``u x up``). Returns the zero vector where the velocity is vertical (no defined vertical plane)."""
    vn = xp.sqrt(va[0] * va[0] + va[1] * va[1] + va[2] * va[2])
    vn = xp.where(vn > 0, vn, 1.0)
    u = (va[0] / vn, va[1] / vn, va[2] / vn)
    rn = xp.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2])
    up = (r[0] / rn, r[1] / rn, r[2] / rn)
    k = up[0] * u[0] + up[1] * u[1] + up[2] * u[2]
    n = (up[0] - k * u[0], up[1] - k * u[1], up[2] - k * u[2])
    nn = xp.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2])
    nn = xp.where(nn > 1e-9, nn, xp.inf)
    n = (n[0] / nn, n[1] / nn, n[2] / nn)
    s = (u[1] * n[2] - u[2] * n[1], u[2] * n[0] - u[0] * n[2], u[0] * n[1] - u[1] * n[0])
    return tuple(cos_bank * n[i] + sin_bank * s[i] for i in range(3))


def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    text = (resources.files("areo.edl") / "data" / name).read_text()
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")][1:]
    arr = np.array([[float(x) for x in r.split(",")] for r in rows])
    return arr[:, 0].copy(), arr[:, 1].copy()


CAPSULE_MACH, CAPSULE_CD = _load("cd_sphere_cone_70deg.csv")
DGB_MACH, DGB_CD = _load("cd_dgb_parachute.csv")


def piecewise_linear(x, knots, values, xp=np):
    """Linear interpolation through (knots, values), constant beyond the ends; written as a sum of clipped
    ramps so that it vectorises without gathers (equals ``numpy.interp``)."""
    out = values[0] + 0.0 * x
    for i in range(len(knots) - 1):
        slope = (values[i + 1] - values[i]) / (knots[i + 1] - knots[i])
        out = out + slope * xp.clip(x - knots[i], 0.0, knots[i + 1] - knots[i])
    return out


def cd_capsule(mach, xp=np):
    """Drag coefficient of the 70-degree sphere-cone aeroshell (reference area pi D^2 / 4)."""
    return piecewise_linear(mach, CAPSULE_MACH.tolist(), CAPSULE_CD.tolist(), xp)


def cd_parachute(mach, xp=np):
    """Drag coefficient of a disk-gap-band parachute (reference: nominal area pi D0^2 / 4)."""
    return piecewise_linear(mach, DGB_MACH.tolist(), DGB_CD.tolist(), xp)


def sutton_graves_heat_rate(density_kg_m3, speed_m_s, nose_radius_m, xp=np):
    """Stagnation-point convective heat flux, W/m^2 (Sutton-Graves, Mars coefficient)."""
    return float(K_SUTTON_GRAVES_MARS) * xp.sqrt(density_kg_m3 / nose_radius_m) * speed_m_s**3
