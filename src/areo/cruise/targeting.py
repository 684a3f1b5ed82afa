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

Entry targeting from far away is strongly nonlinear (the entry point and epoch jump when the aim changes), so
:func:`target_entry` solves it in two stages: first the B-plane aim point and periapsis epoch that the two-body
hyperbola maps onto the entry conditions (:func:`entry_aim_point`: ``|B|`` from the flight-path angle, the B-plane
angle from the latitude, the periapsis epoch from the entry epoch; a smooth, nearly linear problem), then the
entry conditions themselves from that burn (a small correction for the n-body forces).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from ..bodies import body as central_body
from ..constants import G0, GM_MARS, OMEGA_MARS, R_MARS_EQ
from ..errors import InputError
from .bplane import MARS_POLE_ICRF, body_bplane, bplane, mars_radius_m, mars_relative_figures
from .forces import ForceModel
from .maneuvers import ImpulsiveBurn
from .propagate import SpacecraftState, propagate


@dataclass(frozen=True)
class BPlaneTarget:
    """Aim point in the B-plane of ``body`` (m), optionally with the periapsis epoch (TDB s)."""

    b_t_m: float
    b_r_m: float
    periapsis_tdb_s: float | None = None
    tolerance_m: float = 100.0
    tolerance_s: float = 1.0
    body: str = "mars"


@dataclass(frozen=True)
class PeriapsisTarget:
    """Periapsis altitude (m above the equatorial radius) and inclination (rad, to the equator) of the approach
    to ``body`` (:mod:`areo.bodies`)."""

    altitude_m: float
    inclination_rad: float
    periapsis_tdb_s: float | None = None
    tolerance_m: float = 100.0
    tolerance_rad: float = 1e-4
    tolerance_s: float = 1.0
    body: str = "mars"


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
    branch: str = "prograde"  # of the two B-plane angles that give the latitude: "prograde" (h.N > 0) or "retrograde"

    def __post_init__(self):
        if self.branch not in ("prograde", "retrograde"):
            raise InputError(f"entry branch must be 'prograde' or 'retrograde'; got {self.branch!r}.")
        if self.fpa_frame not in ("inertial", "relative"):
            raise InputError(
                f"entry fpa_frame must be 'inertial' or 'relative' (to the rotating atmosphere); "
                f"got {self.fpa_frame!r}."
            )
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
    diagnosis: dict = field(default_factory=dict)  # why it failed and what would fix it (see target_entry)


def _wrap_deg(x):
    return (np.asarray(x) + 180.0) % 360.0 - 180.0


def _arrival_arc(state, dv, t_burn, forces, t_stop, entry_altitude_m, isp_s, name, extra_burns):
    burns = [ImpulsiveBurn(t_burn, dv, isp_s=isp_s, name=name), *extra_burns]
    return propagate(
        state,
        t_stop,
        forces,
        burns,
        entry_altitude_m=entry_altitude_m,
        stop_at_entry=entry_altitude_m is not None,
        stop_at_periapsis=entry_altitude_m is None,
    )


def _mars_final(arc, forces, body: str = "mars"):
    if arc.final.origin != body:
        st = arc.final.with_origin(body, forces)
    else:
        st = arc.final
    return st


def residual_function(
    target,
    state: SpacecraftState,
    t_burn: float,
    forces: ForceModel,
    t_stop: float,
    isp_s: float = 318.0,
    name: str = "tcm",
    extra_burns=(),
):
    """Scaled residual ``f(dv) -> (res_scaled, res_physical, arc)`` for one target type."""

    def f(dv):
        if isinstance(target, EntryTarget):
            arc = _arrival_arc(state, dv, t_burn, forces, t_stop, target.altitude_m, isp_s, name, extra_burns)
            phys, scale = _entry_residual(target, arc, forces)
        else:
            arc = _arrival_arc(state, dv, t_burn, forces, t_stop, None, isp_s, name, extra_burns)
            phys, scale = _approach_residual(target, arc, forces)
        phys = np.asarray(phys, float)
        return phys / np.asarray(scale, float), phys, arc

    return f


def _entry_residual(target: EntryTarget, arc, forces) -> tuple[list, list]:
    """Physical residuals (deg, s) of an entry target's conditions, and their tolerances."""
    fpa, lat, lon, t = _entry_figures(target, arc, forces)
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
    return phys, scale


def _entry_figures(target: EntryTarget, arc, forces):
    """FPA (deg, target's frame), latitude, longitude (deg), epoch (TDB s) at entry; a flyby's surrogate."""
    ev = arc.event("entry-interface")
    st = _mars_final(arc, forces)
    if ev is None:
        return _flyby_figures(target, arc, st, forces)
    fig = mars_relative_figures(st.tdb_s, st.r_m, st.v_m_s)
    fpa = fig.fpa_inertial_deg if target.fpa_frame == "inertial" else fig.fpa_relative_deg
    return fpa, fig.latitude_deg, fig.longitude_deg, st.tdb_s


def _flyby_figures(target: EntryTarget, arc, st, forces):
    """A flyby's surrogate entry figures: the conic's FPA at entry radius, closest approach's place and epoch."""
    bp = bplane(st.r_m, st.v_m_s)
    r_ei = R_MARS_EQ + target.altitude_m
    v_ei = np.sqrt(bp.v_inf_m_s**2 + 2 * GM_MARS / r_ei)
    cosg = bp.b_m * bp.v_inf_m_s / (r_ei * v_ei)
    fpa = -np.degrees(np.arccos(min(cosg, 1.0))) + np.degrees(max(cosg - 1.0, 0.0))
    pe = arc.event("periapsis:mars")
    sp = arc.state_at(pe.tdb_s, forces, origin="mars") if pe is not None else st
    fig = mars_relative_figures(sp.tdb_s, sp.r_m, sp.v_m_s)
    t = sp.tdb_s if pe is not None else conic_periapsis_tdb_s(st.tdb_s, st.r_m, st.v_m_s)
    return fpa, fig.latitude_deg, fig.longitude_deg, t


def _approach_residual(target, arc, forces) -> tuple[list, list]:
    """Physical residuals (m, rad, s) of a B-plane or periapsis target, and their tolerances."""
    st = _mars_final(arc, forces, target.body)
    bp = body_bplane(st.r_m, st.v_m_s, target.body)
    ev = arc.event(f"periapsis:{target.body}")
    # the arc may stop at the surface before periapsis: then the osculating conic's periapsis epoch
    mu = float(central_body(target.body).gm_m3_s2)
    t_p = ev.tdb_s if ev is not None else conic_periapsis_tdb_s(st.tdb_s, st.r_m, st.v_m_s, mu)
    if isinstance(target, BPlaneTarget):
        phys = [bp.b_t_m - target.b_t_m, bp.b_r_m - target.b_r_m]
        scale = [target.tolerance_m, target.tolerance_m]
    else:
        phys = [bp.periapsis_altitude_m - target.altitude_m, bp.inclination_rad - target.inclination_rad]
        scale = [target.tolerance_m, target.tolerance_rad]
    if target.periapsis_tdb_s is not None:
        phys.append(t_p - target.periapsis_tdb_s)
        scale.append(target.tolerance_s)
    return phys, scale


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


def correct(
    target,
    state: SpacecraftState,
    t_burn: float,
    forces: ForceModel,
    t_stop: float,
    *,
    dv0_m_s=(0.0, 0.0, 0.0),
    isp_s: float = 318.0,
    name: str = "tcm",
    extra_burns=(),
    max_iter: int = 15,
    max_step_m_s: float = 200.0,
) -> Correction:
    """Find the impulsive burn at ``t_burn`` that meets ``target``; ``state`` is the state just before it.

    ``t_stop`` bounds the propagation (after the expected arrival). ``extra_burns`` are later manoeuvres kept
    fixed (e.g. the lander's separation push). Does not raise when not converged: check ``.converged``.
    """
    _check_burn_epoch(state, t_burn)
    f = residual_function(target, state, t_burn, forces, t_stop, isp_s=isp_s, name=name, extra_burns=extra_burns)
    x, rs, rp, _arc, it, ok, hist = differential_correction(
        f, np.asarray(dv0_m_s, float), max_iter=max_iter, max_step=max_step_m_s
    )
    return Correction(ImpulsiveBurn(t_burn, x, isp_s=isp_s, name=name), rp, float(np.linalg.norm(rs)), it, ok, hist)


def conic_periapsis_tdb_s(tdb_s: float, r_m, v_m_s, mu_m3_s2: float = float(GM_MARS)) -> float:
    """Periapsis epoch (TDB s) of the two-body hyperbola through the planet-centred state (r, v) at ``tdb_s``
    (hyperbolic Kepler equation ``M = e sinh F - F``; Vallado sec. 2.2). Raises InputError if not hyperbolic."""
    r = np.asarray(r_m, float)
    v = np.asarray(v_m_s, float)
    rn = float(np.linalg.norm(r))
    energy = float(v @ v) / 2 - mu_m3_s2 / rn
    if energy <= 0:
        raise InputError(
            f"the state is bound (specific energy {energy:.1f} J/kg <= 0): no hyperbolic periapsis "
            "epoch; use it on the approach, before orbit insertion."
        )
    a = -mu_m3_s2 / (2 * energy)
    h2 = float(np.cross(r, v) @ np.cross(r, v))
    e = np.sqrt(1 + 2 * energy * h2 / mu_m3_s2**2)
    sinh_f = float(r @ v) / (e * np.sqrt(-mu_m3_s2 * a))
    mean = e * sinh_f - np.arcsinh(sinh_f)
    return float(tdb_s - mean / np.sqrt(mu_m3_s2 / (-a) ** 3))


@dataclass(frozen=True)
class EntryAim:
    """Two-body B-plane aim point of an entry target (see :func:`entry_aim_point`)."""

    target: BPlaneTarget
    b_m: float
    theta_rad: float
    entry_to_periapsis_s: float
    latitude_range_deg: tuple
    natural_entry_tdb_s: float
    declination_deg: float


def entry_aim_point(
    entry: EntryTarget, r_mars_m, v_mars_m_s, tdb_s: float, *, tolerance_m: float = 1000.0, tolerance_s: float = 10.0
) -> EntryAim:
    """B-plane point and periapsis epoch of the Mars-centred hyperbola that meets ``entry``, for the approach
    asymptote of the state (r, v) at ``tdb_s`` (any point of the approach).

    Two-body geometry (Vallado sec. 12.6): the entry radius ``r_e`` (ellipsoid radius at the target latitude plus
    the entry altitude) and speed ``v_e = sqrt(v_inf^2 + 2 mu / r_e)`` give ``h = r_e v_e cos(fpa)`` and
    ``|B| = h / v_inf``. With ``B = |B| (cos(theta) T + sin(theta) R)`` the entry point is
    ``u = a_s S + a_b B_hat`` (``a_s = cos(nu)/e + c sin(nu)``, ``a_b = c cos(nu) - sin(nu)/e``, ``c = sqrt(1 -
    1/e^2)``, ``nu < 0`` its true anomaly), so ``sin(lat) = a_s sin(delta) - a_b cos(delta) sin(theta)`` with
    ``delta`` the asymptote's declination on the Mars equator; of the two solutions the prograde one
    (``cos(theta) > 0``, ``h.N > 0``) is taken, or the retrograde one for ``entry.branch == "retrograde"``. The
    periapsis epoch is the entry epoch plus the hyperbola's time from entry to periapsis; with a free entry epoch
    and a longitude target, the epoch is the one nearest the natural one at which Mars' rotation brings that
    longitude under the entry point.

    Raises InputError when no B-plane angle gives the latitude (the message gives the reachable range).
    The inertial flight-path angle is used (the atmosphere-relative one differs by a few tenths of a degree; the
    second stage of :func:`target_entry` corrects that).
    """
    r = np.asarray(r_mars_m, float)
    v = np.asarray(v_mars_m_s, float)
    bp = bplane(r, v)
    lat_t = np.radians(entry.latitude_deg) if entry.latitude_deg is not None else 0.0
    r_e = float(mars_radius_m(lat_t)) + entry.altitude_m
    b, e, nu, a_s, a_b = _entry_hyperbola(bp.v_inf_m_s, r_e, entry.fpa_deg)
    sin_d = float(np.clip(bp.s_hat @ MARS_POLE_ICRF, -1, 1))
    cos_d = np.sqrt(1 - sin_d**2)
    lat_range = _latitude_range_deg(a_s, a_b, sin_d, cos_d)
    theta = _bplane_angle(entry, lat_t, a_s, a_b, sin_d, cos_d, lat_range)
    dt = _entry_to_periapsis_s(bp.v_inf_m_s, e, nu)
    t_nat = conic_periapsis_tdb_s(tdb_s, r, v) - dt
    t_entry = _aimed_entry_tdb_s(entry, t_nat, bp, theta, a_s, a_b, r_e, v)
    tgt = BPlaneTarget(
        b * np.cos(theta),
        b * np.sin(theta),
        None if t_entry is None else float(t_entry + dt),
        tolerance_m=tolerance_m,
        tolerance_s=tolerance_s,
    )
    return EntryAim(tgt, float(b), theta, float(dt), lat_range, float(t_nat), float(np.degrees(np.arcsin(sin_d))))


def _entry_hyperbola(v_inf: float, r_e: float, fpa_deg: float):
    """``|B|``, e, entry true anomaly (< 0) and its ``a_s``, ``a_b`` of the hyperbola entering at ``fpa_deg``."""
    mu = float(GM_MARS)
    v_e = np.sqrt(v_inf**2 + 2 * mu / r_e)
    h = r_e * v_e * np.cos(np.radians(fpa_deg))
    b = h / v_inf
    e = np.sqrt(1 + (v_inf * h / mu) ** 2)
    p = h**2 / mu
    nu = -np.arccos(np.clip((p / r_e - 1) / e, -1.0, 1.0))
    c = np.sqrt(1 - 1 / e**2)
    a_s = np.cos(nu) / e + c * np.sin(nu)
    a_b = c * np.cos(nu) - np.sin(nu) / e
    return b, e, nu, a_s, a_b


def _latitude_range_deg(a_s, a_b, sin_d: float, cos_d) -> tuple[float, float]:
    """Lowest and highest latitude (deg) of the entry points over all B-plane angles."""
    lo, hi = a_s * sin_d - abs(a_b) * cos_d, a_s * sin_d + abs(a_b) * cos_d
    return (float(np.degrees(np.arcsin(np.clip(lo, -1, 1)))), float(np.degrees(np.arcsin(np.clip(hi, -1, 1)))))


def _bplane_angle(entry: EntryTarget, lat_t, a_s, a_b, sin_d: float, cos_d, lat_range) -> float:
    """B-plane angle (rad) giving the target latitude on the entry's branch (0 without one); else InputError."""
    if entry.latitude_deg is None:
        return 0.0  # prograde, lowest inclination
    x = (np.sin(lat_t) - a_s * sin_d) / (-a_b * cos_d)
    if abs(x) > 1:
        raise InputError(
            f"entry latitude {entry.latitude_deg:.3f} deg cannot be reached from this approach: with the arrival "
            f"asymptote at {np.degrees(np.arcsin(sin_d)):.2f} deg declination on the Mars equator and an entry "
            f"flight-path angle of {entry.fpa_deg:.2f} deg, the entry point lies between latitudes "
            f"{lat_range[0]:.2f} and {lat_range[1]:.2f} deg; choose a latitude in that range, or another "
            "arrival date (which changes the asymptote)."
        )
    theta = float(np.arcsin(x))  # cos(theta) > 0: prograde (h.N = cos(delta) cos(theta) > 0)
    if entry.branch == "retrograde":
        theta = float(np.pi - theta)  # the mirror solution, cos(theta) < 0
    return theta


def _entry_to_periapsis_s(v_inf: float, e, nu):
    """Time (s) from the entry point (true anomaly ``nu`` < 0) to periapsis on the Mars hyperbola."""
    mu = float(GM_MARS)
    a = -mu / v_inf**2
    f_e = 2 * np.arctanh(np.sqrt((e - 1) / (e + 1)) * np.tan(nu / 2))
    return -(e * np.sinh(f_e) - f_e) / np.sqrt(mu / (-a) ** 3)


def _aimed_entry_tdb_s(entry: EntryTarget, t_nat: float, bp, theta: float, a_s, a_b, r_e: float, v):
    """The target's entry epoch, or with a longitude the one near ``t_nat`` putting it under the entry point."""
    t_entry = entry.tdb_s
    if t_entry is None and entry.longitude_deg is not None:
        b_hat = np.cos(theta) * bp.t_hat + np.sin(theta) * bp.r_hat
        u = a_s * bp.s_hat + a_b * b_hat
        lon = mars_relative_figures(t_nat, u * r_e, v).longitude_deg
        t_entry = t_nat + float(_wrap_deg(lon - entry.longitude_deg)) / np.degrees(float(OMEGA_MARS))
    return t_entry


def available_dv_m_s(state: SpacecraftState, isp_s: float) -> float:
    """Velocity change (m/s) the propellant left in ``state`` gives (Tsiolkovsky; inf without an engine limit)."""
    if not np.isfinite(isp_s):
        return np.inf
    if state.dry_mass_kg <= 0:
        return np.inf
    return float(isp_s * float(G0) * np.log(state.mass_kg / state.dry_mass_kg))


def target_entry(
    entry: EntryTarget,
    state: SpacecraftState,
    t_burn: float,
    forces: ForceModel,
    t_stop: float,
    *,
    isp_s: float = 318.0,
    name: str = "tcm",
    extra_burns=(),
    max_iter: int = 15,
    max_step_m_s: float = 200.0,
) -> Correction:
    """Impulsive burn at ``t_burn`` that brings the trajectory to the entry conditions, in stages:

    1. no burn if the uncorrected trajectory already meets the target;
    2. the two-body aim point (:func:`entry_aim_point`) of the uncorrected approach, reached by differential
       correction on (B.T, B.R, periapsis epoch), twice (the aim moves with the corrected asymptote); a large
       change of the periapsis epoch that Newton cannot take in one go is approached by continuation (the
       epoch moved in quarters);
    3. the entry conditions themselves, from that burn;
    4. if that fails, the entry conditions from no burn (plain Newton).

    Does not raise when not converged (except for an unreachable latitude): check ``.converged``; then
    ``.diagnosis`` holds ``natural_entry_tdb_s`` (the entry epoch when the entry corridor point is aimed with the
    epoch left free: the smallest burn; two-body estimate, within minutes), ``dv_needed_m_s``
    (of the aim stage, propellant ignored; None if it did not converge), ``dv_available_m_s`` and ``stage``.
    """
    _check_burn_epoch(state, t_burn)
    kw = dict(name=name, extra_burns=extra_burns, max_iter=max_iter, max_step_m_s=max_step_m_s)
    f = residual_function(entry, state, t_burn, forces, t_stop, isp_s=isp_s, name=name, extra_burns=extra_burns)
    rs0, rp0, _arc0 = f(np.zeros(3))
    n0 = float(np.linalg.norm(rs0))
    diag = {
        "dv_available_m_s": available_dv_m_s(state, isp_s),
        "dv_needed_m_s": None,
        "stage": "no burn",
        "residual_without_burn": rp0,
    }
    if np.all(np.abs(rs0) < 1.0):
        return Correction(ImpulsiveBurn(t_burn, np.zeros(3), isp_s=isp_s, name=name), rp0, n0, 0, True, [n0], diag)
    # stage 2: the two-body aim point (the propellant limit is checked after, so that the need is known)
    aim_ok, dv, aim0 = _aim_point_burn(entry, state, t_burn, forces, t_stop, kw)
    diag["natural_entry_tdb_s"], diag["latitude_range_deg"] = aim0.natural_entry_tdb_s, aim0.latitude_range_deg
    c = None
    if aim_ok:
        diag["dv_needed_m_s"] = float(np.linalg.norm(dv))
        if diag["dv_needed_m_s"] > diag["dv_available_m_s"]:
            diag["stage"] = "propellant"
            diag["natural_entry_tdb_s"] = _natural_entry_tdb_s(aim0, state, t_burn, forces, t_stop, kw)
            return Correction(ImpulsiveBurn(t_burn, dv, isp_s=np.inf, name=name), rp0, n0, 0, False, [n0], diag)
        # stage 3: the entry conditions from the aim point's burn
        c = correct(entry, state, t_burn, forces, t_stop, dv0_m_s=dv, isp_s=isp_s, **kw)
        if c.converged:
            return _diagnosed(c, diag, "aim point, then entry conditions")
    return _plain_newton(entry, state, t_burn, forces, t_stop, isp_s, c, aim0, diag, kw)


def _check_burn_epoch(state: SpacecraftState, t_burn: float) -> None:
    """InputError unless the state to correct is at the burn epoch."""
    if state.tdb_s != t_burn:
        raise InputError(
            f"the state to correct is at {state.tdb_s:.3f} s TDB but the burn is at {t_burn:.3f} s TDB; "
            "propagate the state to the burn epoch first."
        )


def _aim_point_burn(entry: EntryTarget, state, t_burn, forces, t_stop, kw) -> tuple[bool, Any, EntryAim]:
    """Stage 2 of target_entry: the burn to the two-body aim point, twice; (converged, burn, first aim)."""
    dv = np.zeros(3)
    aim_ok = False
    for k in range(2):
        coast = _arrival_arc(state, dv, t_burn, forces, t_stop, None, np.inf, kw["name"], kw["extra_burns"])
        st = _mars_final(coast, forces)
        aim = entry_aim_point(entry, st.r_m, st.v_m_s, st.tdb_s)
        if k == 0:
            aim0 = aim
        c = correct(aim.target, state, t_burn, forces, t_stop, dv0_m_s=dv, isp_s=np.inf, **kw)
        if not c.converged and k == 0 and aim.target.periapsis_tdb_s is not None:
            c = _epoch_continuation(aim, state, t_burn, forces, t_stop, coast, **kw)
        aim_ok = c.converged
        if not aim_ok:
            break
        dv = c.burn.dv_m_s
    return aim_ok, dv, aim0


def _diagnosed(c: Correction, diag: dict, stage: str) -> Correction:
    """The correction with the diagnosis attached, ``stage`` naming the stage that produced it."""
    diag["stage"] = stage
    c.diagnosis = diag
    return c


def _plain_newton(entry, state, t_burn, forces, t_stop, isp_s, c3: Correction | None, aim0, diag, kw) -> Correction:
    """Stage 4 of target_entry: entry conditions from no burn; else the better of it and stage 3's ``c3``."""
    c4 = correct(entry, state, t_burn, forces, t_stop, isp_s=isp_s, **kw)
    if c4.converged:
        return _diagnosed(c4, diag, "entry conditions")
    best = c4 if c3 is None or c4.scaled_norm < c3.scaled_norm else c3
    diag["stage"] = "entry conditions" if c3 is not None else "aim point"
    diag["natural_entry_tdb_s"] = _natural_entry_tdb_s(aim0, state, t_burn, forces, t_stop, kw)
    best.diagnosis = diag
    return best


def _natural_entry_tdb_s(aim: EntryAim, state, t_burn, forces, t_stop, kw) -> float:
    """Entry epoch of the approach aimed at the entry corridor point with the epoch left free (the smallest
    burn), from the two-body hyperbola after that burn; the uncorrected approach's estimate if that fails."""
    free = BPlaneTarget(aim.target.b_t_m, aim.target.b_r_m, None, aim.target.tolerance_m)
    c = correct(free, state, t_burn, forces, t_stop, isp_s=np.inf, **kw)
    if not c.converged:
        return aim.natural_entry_tdb_s
    arc = _arrival_arc(state, c.burn.dv_m_s, t_burn, forces, t_stop, None, np.inf, kw["name"], kw["extra_burns"])
    st = _mars_final(arc, forces)
    return conic_periapsis_tdb_s(st.tdb_s, st.r_m, st.v_m_s) - aim.entry_to_periapsis_s


def _epoch_continuation(aim: EntryAim, state, t_burn, forces, t_stop, coast, **kw) -> Correction:
    """Reach the aim point while moving its periapsis epoch from the natural one to the target in quarters."""
    st = _mars_final(coast, forces)
    t0 = conic_periapsis_tdb_s(st.tdb_s, st.r_m, st.v_m_s)
    t1 = cast(float, aim.target.periapsis_tdb_s)  # an entry aim always fixes the periapsis epoch
    dv = np.zeros(3)
    c = None
    for frac in (0.25, 0.5, 0.75, 1.0):
        tgt = BPlaneTarget(
            aim.target.b_t_m, aim.target.b_r_m, t0 + frac * (t1 - t0), aim.target.tolerance_m, aim.target.tolerance_s
        )
        c = correct(tgt, state, t_burn, forces, t_stop, dv0_m_s=dv, isp_s=np.inf, **kw)
        if not c.converged:
            return c
        dv = c.burn.dv_m_s
    return cast(Correction, c)  # the loop runs at least once


def describe_entry_residual(entry: EntryTarget, residual) -> str:
    """The entry residual in words and physical units, e.g. 'FPA +8.26 deg, latitude -34.99 deg, epoch -62404 s
    (-17.33 h)'."""
    res = list(np.asarray(residual, float))
    parts = [f"flight-path angle {res.pop(0):+.3f} deg"]
    if entry.latitude_deg is not None:
        parts.append(f"latitude {res.pop(0):+.3f} deg")
    if entry.longitude_deg is not None:
        parts.append(f"longitude {res.pop(0):+.3f} deg")
    if entry.tdb_s is not None:
        dt = res.pop(0)
        parts.append(f"epoch {dt:+.0f} s ({dt / 3600:+.2f} h)")
    return ", ".join(parts)
