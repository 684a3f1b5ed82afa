"""Trajectory-correction manoeuvres by differential correction (Newton on finite-difference sensitivities).

The control is an impulsive velocity change ``dv`` (ICRF, 3 components) at a given epoch; the residual is
computed from a full n-body propagation to Mars (periapsis, or entry interface). Targets:

* :class:`BPlaneTarget`: ``B.T``, ``B.R`` (m) of the Mars-centred osculating hyperbola near periapsis, optionally
  the epoch of periapsis (3 x 3 problem);
* :class:`PeriapsisTarget`: periapsis altitude, inclination to the Mars equator, optionally periapsis epoch;
* :class:`EntryTarget`: inertial flight-path angle at the entry-interface altitude plus any of latitude,
  longitude and epoch of the entry point (least squares when more than three conditions).

Each step solves ``J ddv = -res`` in the least-squares sense with residuals scaled by their tolerances, and halves
the step while the scaled residual norm grows. Source of the method: Vallado, *Fundamentals of Astrodynamics
and Applications*, 4th ed., sec. 7.6 (differential correction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..constants import GM_MARS, R_MARS_EQ
from ..errors import InputError
from .bplane import bplane, mars_relative_figures
from .forces import ForceModel
from .maneuvers import ImpulsiveBurn
from .propagate import SpacecraftState, propagate


@dataclass(frozen=True)
class BPlaneTarget:
    """Aim point in the Mars B-plane (m), optionally with the periapsis epoch (TDB s)."""

    b_t_m: float
    b_r_m: float
    periapsis_tdb_s: float | None = None
    tolerance_m: float = 100.0
    tolerance_s: float = 1.0


@dataclass(frozen=True)
class PeriapsisTarget:
    """Periapsis altitude (m above R_MARS_EQ) and inclination (rad, to the Mars equator) of the approach."""

    altitude_m: float
    inclination_rad: float
    periapsis_tdb_s: float | None = None
    tolerance_m: float = 100.0
    tolerance_rad: float = 1e-4
    tolerance_s: float = 1.0


@dataclass(frozen=True)
class EntryTarget:
    """Conditions at the entry interface (altitude crossing): flight-path angle (inertial, or relative to the
    rotating atmosphere with ``fpa_frame='relative'``) and optional latitude, longitude and epoch."""

    altitude_m: float = 121_000.0
    fpa_deg: float = -12.4
    latitude_deg: float | None = None
    longitude_deg: float | None = None
    tdb_s: float | None = None
    tolerance_deg: float = 0.01
    tolerance_s: float = 1.0
    fpa_frame: str = "inertial"

    def __post_init__(self):
        if self.fpa_frame not in ("inertial", "relative"):
            raise InputError(f"entry fpa_frame must be 'inertial' or 'relative' (to the rotating atmosphere); "
                             f"got {self.fpa_frame!r}.")
        if not (0 < self.altitude_m < 1_000_000):
            raise InputError(f"entry altitude_m must lie in (0, 1e6) m; got {self.altitude_m!r}.")
        if not (-90 < self.fpa_deg < 0):
            raise InputError(
                f"entry fpa_deg must be negative (descending) and > -90 deg; got {self.fpa_deg!r}. "
                "Mars entries fly about -10 to -16 deg."
            )


@dataclass
class Correction:
    """Result of a differential correction: the burn, the final residuals and the iteration history."""

    burn: ImpulsiveBurn
    residual: np.ndarray
    scaled_norm: float
    iterations: int
    converged: bool
    history: list = field(default_factory=list)


def _wrap_deg(x):
    return (np.asarray(x) + 180.0) % 360.0 - 180.0


def _arrival_arc(state, dv, t_burn, forces, t_stop, entry_altitude_m, isp_s, name, extra_burns):
    burns = [ImpulsiveBurn(t_burn, dv, isp_s=isp_s, name=name), *extra_burns]
    return propagate(state, t_stop, forces, burns, entry_altitude_m=entry_altitude_m,
                     stop_at_entry=entry_altitude_m is not None, stop_at_periapsis=entry_altitude_m is None)


def _mars_final(arc, forces):
    if arc.final.origin != "mars":
        st = arc.final.with_origin("mars", forces)
    else:
        st = arc.final
    return st


def residual_function(target, state: SpacecraftState, t_burn: float, forces: ForceModel, t_stop: float,
                      isp_s: float = 318.0, name: str = "tcm", extra_burns=()):
    """Scaled residual ``f(dv) -> (res_scaled, res_physical, arc)`` for one target type."""

    def f(dv):
        if isinstance(target, EntryTarget):
            arc = _arrival_arc(state, dv, t_burn, forces, t_stop, target.altitude_m, isp_s, name, extra_burns)
            ev = arc.event("entry-interface")
            st = _mars_final(arc, forces)
            if ev is not None:
                fig = mars_relative_figures(st.tdb_s, st.r_m, st.v_m_s)
                fpa = fig.fpa_inertial_deg if target.fpa_frame == "inertial" else fig.fpa_relative_deg
                lat, lon, t = fig.latitude_deg, fig.longitude_deg, st.tdb_s
            else:
                # flyby: a smooth surrogate from the conic, so Newton can walk into the corridor
                bp = bplane(st.r_m, st.v_m_s)
                r_ei = R_MARS_EQ + target.altitude_m
                v_ei = np.sqrt(bp.v_inf_m_s**2 + 2 * GM_MARS / r_ei)
                cosg = bp.b_m * bp.v_inf_m_s / (r_ei * v_ei)
                fpa = -np.degrees(np.arccos(min(cosg, 1.0))) + np.degrees(max(cosg - 1.0, 0.0))
                fig = mars_relative_figures(st.tdb_s, st.r_m, st.v_m_s)
                lat, lon, t = fig.latitude_deg, fig.longitude_deg, st.tdb_s
            phys, scale = [fpa - target.fpa_deg], [target.tolerance_deg]
            if target.latitude_deg is not None:
                phys.append(lat - target.latitude_deg)
                scale.append(target.tolerance_deg)
            if target.longitude_deg is not None:
                phys.append(float(_wrap_deg(lon - target.longitude_deg)))
                scale.append(target.tolerance_deg)
            if target.tdb_s is not None:
                phys.append(t - target.tdb_s)
                scale.append(target.tolerance_s)
        else:
            arc = _arrival_arc(state, dv, t_burn, forces, t_stop, None, isp_s, name, extra_burns)
            st = _mars_final(arc, forces)
            bp = bplane(st.r_m, st.v_m_s)
            ev = arc.event("periapsis-mars")
            t_p = ev.tdb_s if ev is not None else st.tdb_s
            if isinstance(target, BPlaneTarget):
                phys = [bp.b_t_m - target.b_t_m, bp.b_r_m - target.b_r_m]
                scale = [target.tolerance_m, target.tolerance_m]
            else:
                phys = [bp.periapsis_altitude_m - target.altitude_m, bp.inclination_rad - target.inclination_rad]
                scale = [target.tolerance_m, target.tolerance_rad]
            if target.periapsis_tdb_s is not None:
                phys.append(t_p - target.periapsis_tdb_s)
                scale.append(target.tolerance_s)
        phys = np.asarray(phys, float)
        return phys / np.asarray(scale, float), phys, arc

    return f


def differential_correction(f, x0, *, perturbation: float = 1e-3, max_iter: int = 15, max_step: float = np.inf):
    """Damped Gauss-Newton on a scaled residual ``f(x) -> (res_scaled, res_physical, extra)``.

    Converged when every scaled residual is below 1 (each residual inside its tolerance). Step components
    larger than ``max_step`` (units of x) are clipped; a trial step whose evaluation raises an
    :class:`~areo.errors.AreoError` (e.g. a burn beyond the propellant) is halved like one that does not improve.
    Returns ``(x, res_scaled, res_physical, extra, iterations, converged, history)``.
    """
    from ..errors import AreoError

    x = np.asarray(x0, float).copy()
    rs, rp, ex = f(x)
    hist = [float(np.linalg.norm(rs))]
    for it in range(1, max_iter + 1):
        if np.all(np.abs(rs) < 1.0):
            return x, rs, rp, ex, it - 1, True, hist
        J = np.empty((rs.size, x.size))
        for k in range(x.size):
            dx = np.zeros_like(x)
            dx[k] = perturbation
            J[:, k] = (f(x + dx)[0] - rs) / perturbation
        step = np.linalg.lstsq(J, -rs, rcond=None)[0]
        step = np.clip(step, -max_step, max_step)
        lam = 1.0
        improved = False
        while lam >= 1e-3:
            try:
                rsn, rpn, exn = f(x + lam * step)
            except AreoError:
                lam /= 2
                continue
            if np.linalg.norm(rsn) < np.linalg.norm(rs):
                improved = True
                break
            lam /= 2
        if not improved:
            break
        x, rs, rp, ex = x + lam * step, rsn, rpn, exn
        hist.append(float(np.linalg.norm(rs)))
    return x, rs, rp, ex, len(hist) - 1, bool(np.all(np.abs(rs) < 1.0)), hist


def correct(target, state: SpacecraftState, t_burn: float, forces: ForceModel, t_stop: float, *,
            dv0_m_s=(0.0, 0.0, 0.0), isp_s: float = 318.0, name: str = "tcm", extra_burns=(),
            max_iter: int = 15, max_step_m_s: float = 200.0) -> Correction:
    """Find the impulsive burn at ``t_burn`` that meets ``target``; ``state`` is the state just before it.

    ``t_stop`` bounds the propagation (after the expected arrival). ``extra_burns`` are later manoeuvres kept
    fixed (e.g. the lander's separation push). Does not raise when not converged: check ``.converged``.
    """
    if state.tdb_s != t_burn:
        raise InputError(
            f"the state to correct is at {state.tdb_s:.3f} s TDB but the burn is at {t_burn:.3f} s TDB; "
            "propagate the state to the burn epoch first."
        )
    f = residual_function(target, state, t_burn, forces, t_stop, isp_s=isp_s, name=name, extra_burns=extra_burns)
    x, rs, rp, arc, it, ok, hist = differential_correction(f, np.asarray(dv0_m_s, float), max_iter=max_iter,
                                                           max_step=max_step_m_s)
    return Correction(ImpulsiveBurn(t_burn, x, isp_s=isp_s, name=name), rp, float(np.linalg.norm(rs)), it, ok, hist)
