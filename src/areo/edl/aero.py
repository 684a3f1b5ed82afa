"""Aerodynamics: capsule drag and lift-to-drag tables vs Mach, bank-angle laws, disk-gap-band parachute drag,
stagnation heating.

``cd_capsule(mach, xp)`` and ``cd_parachute(mach, xp)`` interpolate the CSV tables in ``areo/edl/data``
(sources in the files' headers) linearly in Mach and clamp outside them. A scenario may give its own capsule
table (:class:`CapsuleAero`, ``[edl.aeroshell] aero_table``: columns ``mach, drag_coefficient`` and optionally
``lift_to_drag``); the kernels compile it in. :class:`BankLaw` is the bank angle of the lift vector: constant
(a per-run parameter), a profile vs time since entry or vs air-relative speed (evaluated at every RK4 stage), or
held from the entry guidance (:mod:`.entry_guidance`). ``sutton_graves_heat_rate`` is the stagnation-point
convective heat flux q = k sqrt(rho / R_n) v^3 (W/m^2) with k for Mars (Sutton & Graves 1971, NASA TR R-376).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..constants import K_SUTTON_GRAVES_MARS
from ..errors import InputError


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


@dataclass(frozen=True)
class CapsuleAero:
    """Capsule aerodynamics vs Mach, compiled into the kernels: drag coefficient (reference area pi D^2 / 4) and,
    if given, the trim lift-to-drag ratio (else the per-run constant ``lift_to_drag`` applies)."""

    mach: tuple[float, ...]
    drag_coefficient: tuple[float, ...]
    lift_to_drag: tuple[float, ...] | None = None
    name: str = "sphere_cone_70deg"

    def cd(self, mach, xp=np):
        return piecewise_linear(mach, list(self.mach), list(self.drag_coefficient), xp)

    def ld(self, mach, p, xp=np, dispersed=True):
        """Trim L/D at ``mach``: the table's or the per-run constant, times the run's dispersion ``ld_scale``
        (``dispersed=False``: the nominal value the on-board guidance assumes)."""
        ld = (
            p["lift_to_drag"]
            if self.lift_to_drag is None
            else piecewise_linear(mach, list(self.mach), list(self.lift_to_drag), xp)
        )
        return ld * p["ld_scale"] if dispersed else ld

    @property
    def has_lift(self) -> bool:
        return self.lift_to_drag is not None and any(v != 0.0 for v in self.lift_to_drag)


DEFAULT_CAPSULE = CapsuleAero(tuple(CAPSULE_MACH.tolist()), tuple(CAPSULE_CD.tolist()))
BUILTIN_AERO = {"sphere_cone_70deg": DEFAULT_CAPSULE}


def load_capsule_aero(table: str, base_dir: Path | None = None) -> CapsuleAero:
    """A capsule table by built-in name or CSV path (relative to ``base_dir``): columns ``mach,
    drag_coefficient`` [, ``lift_to_drag``], Mach strictly increasing; InputError naming the line otherwise."""
    if table in BUILTIN_AERO:
        return BUILTIN_AERO[table]
    path = Path(table)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    what = f"aerodynamic table {path.name!r} ([edl.aeroshell] aero_table)"
    from ..io.pathkind import refuse_special

    refuse_special(path, what, "give a UTF-8 CSV file or a built-in name")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {what}: {getattr(exc, 'strerror', None) or exc}; give a UTF-8 CSV with columns "
            f"mach, drag_coefficient[, lift_to_drag] or a built-in name ({', '.join(BUILTIN_AERO)})"
        ) from None
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip() and not ln.lstrip().startswith("#")]
    header = [h.strip() for h in next(csv.reader([lines[0][1]]))] if lines else []
    if header[:2] != ["mach", "drag_coefficient"] or not set(header[2:]) <= {"lift_to_drag"}:
        raise InputError(f"{what}: header must be 'mach,drag_coefficient' or 'mach,drag_coefficient,lift_to_drag'")
    rows: list[list[float]] = []
    for n, ln in lines[1:]:
        try:
            row = [float(x) for x in next(csv.reader([ln]))]
        except ValueError:
            row = []
        if len(row) != len(header) or not all(math.isfinite(x) for x in row):
            raise InputError(f"{what}, line {n}: expected {len(header)} finite numbers, got {ln.strip()[:60]!r}")
        if row[0] < 0.0:
            raise InputError(f"{what}, line {n}: mach = {row[0]:g} is negative; Mach numbers are >= 0")
        if rows and row[0] <= rows[-1][0]:
            raise InputError(f"{what}, line {n}: mach = {row[0]:g} must be above the previous row's {rows[-1][0]:g}")
        if not 0.0 < row[1] <= 5.0 or (len(row) > 2 and not 0.0 <= row[2] <= 1.0):
            raise InputError(f"{what}, line {n}: drag_coefficient must be in (0, 5] and lift_to_drag in [0, 1]")
        rows.append(row)
    if len(rows) < 2:
        raise InputError(f"{what}: needs at least 2 rows of numbers after the header")
    cols = list(zip(*rows))
    return CapsuleAero(cols[0], cols[1], cols[2] if len(header) > 2 else None, path.stem)


BANK_LAWS = ("constant", "time", "speed", "drag_tracking")


@dataclass(frozen=True)
class BankLaw:
    """Bank angle of the lift vector about the air-relative velocity (positive: lift to the right of the
    velocity, towards ``u x up``). ``constant``: the per-run ``bank``; ``time``/``speed``: a profile (rad) vs
    time since entry (s) or air-relative speed (m/s), piecewise linear, held beyond its ends;
    ``drag_tracking``: the guidance's command, held over a flight-software cycle, following a reference drag
    profile vs navigated speed (``ref_speed``, ``ref_drag``, ``ref_hdot``)."""

    mode: str = "constant"
    knots: tuple[float, ...] = ()
    angles_rad: tuple[float, ...] = ()
    ref_speed: tuple[float, ...] = ()
    ref_drag: tuple[float, ...] = ()
    ref_hdot: tuple[float, ...] = ()


CONSTANT_BANK = BankLaw()


def bank_cos_sin(law: BankLaw, p, tt, speed, held, xp=np):
    """(cos, sin) of the bank angle at time since entry ``tt`` and air-relative ``speed``; ``held`` is the
    (cos, sin) the guidance commanded for this cycle."""
    if law.mode == "constant":
        return p["cos_bank"], p["sin_bank"]
    if law.mode == "drag_tracking":
        return held
    b = piecewise_linear(tt if law.mode == "time" else speed, list(law.knots), list(law.angles_rad), xp)
    return xp.cos(b), xp.sin(b)


def sutton_graves_heat_rate(density_kg_m3, speed_m_s, nose_radius_m, xp=np):
    """Stagnation-point convective heat flux, W/m^2 (Sutton-Graves, Mars coefficient)."""
    return float(K_SUTTON_GRAVES_MARS) * xp.sqrt(density_kg_m3 / nose_radius_m) * speed_m_s**3
