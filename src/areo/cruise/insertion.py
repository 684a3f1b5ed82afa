"""Orbit insertion to target elements: from an arrival hyperbola to a captured orbit, impulsive and finite burn.

The arrival is given by its excess-velocity vector ``v_inf_m_s`` in a body-centred frame whose xy-plane is the
reference plane of the target's inclination and node (the body's equator, say); the caller rotates into it. The
approach is free to be aimed (a TCM targets it), so the hyperbola is chosen to suit the target:

* its plane contains the asymptote and has the target inclination (and node, if given): reachable only for
  inclinations between the asymptote's declination ``|delta|`` and ``180 deg - |delta|``, and, for a given
  inclination, only for two nodes;
* its periapsis is the target periapsis (impulsive), or the one that the finite burn turns into it.

**Impulsive**: one tangential burn at periapsis, ``dv = sqrt(v_inf^2 + 2 mu / r_p) - sqrt(2 mu r_a / (r_p (r_p +
r_a)))`` (vis-viva); the plane and periapsis direction are those of the hyperbola.

**Finite burn**: constant thrust against the velocity (retrograde), constant Isp, the burn centred on the
periapsis of the arrival hyperbola (ignition half a burn before it); the burn duration and the hyperbola's
periapsis radius are iterated until the orbit after the burn has the target periapsis and apoapsis. Thrust in the
plane keeps the inclination and node exactly; the periapsis direction turns a little (reported). The difference
from the impulsive Delta-v is the gravity loss.

All SI (m, s, kg, rad); two-body (the body's GM only). Sources: vis-viva and the hyperbola geometry as in
H. D. Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014), ch. 2 and 8; constant-thrust
equations of motion as in its section 6.10 (Eq. 6.26).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from ..constants import G0
from ..errors import InputError
from ..kepler import propagate as kepler_propagate
from ..kepler import state_to_elements

STEERINGS = ("retrograde", "prograde")
NODE_TOLERANCE_DEG = 0.05  # a target node closer than this to a reachable one counts as reached
# a centred capture burn longer than this many circular periods at the target periapsis is refused (TGO's 139-min
# MOI in 2016 was 1.2 of them at 250 km)
MAX_BURN_CIRCULAR_PERIODS = 2.0


@dataclass(frozen=True)
class OrbitTarget:
    """Target elements of the captured orbit (m, s, rad); give the apoapsis altitude or the period, not both."""

    periapsis_altitude_m: float
    apoapsis_altitude_m: float | None = None
    period_s: float | None = None
    inclination_rad: float | None = None  # None: the hyperbola's own plane is kept (the lowest inclination)
    node_rad: float | None = None  # right ascension of the ascending node; needs inclination_rad


@dataclass(frozen=True)
class InsertionSolution:
    """One way to reach the target: ``method`` 'impulsive' or 'finite'. Elements are of the orbit after the burn.

    ``hyperbola_periapsis_radius_m`` and ``r_periapsis_m``/``v_periapsis_m_s`` describe the arrival hyperbola to
    aim for (its periapsis state, body frame); ``ignition_before_periapsis_s`` is when the burn starts, counted
    back from that periapsis (0 for impulsive), at the state ``r_ignition_m``/``v_ignition_m_s`` on the hyperbola.
    """

    method: str
    dv_m_s: float
    burn_duration_s: float
    propellant_kg: float
    mass_after_kg: float
    gravity_loss_m_s: float
    periapsis_radius_m: float
    apoapsis_radius_m: float
    semi_major_axis_m: float
    eccentricity: float
    period_s: float
    inclination_rad: float
    node_rad: float
    argument_of_periapsis_rad: float
    hyperbola_periapsis_radius_m: float
    r_periapsis_m: np.ndarray
    v_periapsis_m_s: np.ndarray
    ignition_before_periapsis_s: float
    r_ignition_m: np.ndarray
    v_ignition_m_s: np.ndarray


@dataclass(frozen=True)
class Insertion:
    """The impulsive solution and, when an engine was given, the finite-burn one."""

    impulsive: InsertionSolution
    finite: InsertionSolution | None


# ----------------------------------------------------------------------------------------------------------------
# geometry


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x)


def _plane_normals(s: np.ndarray, inc: float) -> list[np.ndarray]:
    """Unit normals h of the planes containing direction ``s`` with inclination ``inc`` (h_z = cos inc): two, one
    (tangent), or none when |declination of s| > inc or > 180 deg - inc."""
    z = np.array([0.0, 0.0, 1.0])
    z_perp = z - (z @ s) * s
    zp = float(np.linalg.norm(z_perp))
    if zp < 1e-12:  # asymptote along the pole: every polar plane contains it
        return [_unit(np.cross(s, [1.0, 0.0, 0.0]))] if abs(math.cos(inc)) < 1e-9 else []
    u1 = z_perp / zp
    u2 = np.cross(s, u1)
    c = math.cos(inc) / zp
    if abs(c) > 1.0 + 1e-12:
        return []
    c = max(-1.0, min(1.0, c))
    sn = math.sqrt(1.0 - c * c)
    return [c * u1 + sn * u2, c * u1 - sn * u2]


def _node(h: np.ndarray) -> float:
    return math.atan2(h[0], -h[1]) % (2 * math.pi)


def _ang_diff(a: float, b: float) -> float:
    return abs((a - b + math.pi) % (2 * math.pi) - math.pi)


def _periapsis_state(s: np.ndarray, h: np.ndarray, v_inf: float, rp: float, mu: float) -> tuple[np.ndarray, ...]:
    """Periapsis state of the hyperbola with incoming asymptote ``s``, plane normal ``h`` and periapsis ``rp``."""
    e = 1.0 + rp * v_inf**2 / mu
    p_hat = s / e - math.sqrt(1.0 - 1.0 / e**2) * np.cross(h, s)
    q_hat = np.cross(h, p_hat)
    vp = math.sqrt(v_inf**2 + 2.0 * mu / rp)
    return rp * p_hat, vp * q_hat


# ----------------------------------------------------------------------------------------------------------------
# checks


def _apoapsis_radius(target: OrbitTarget, radius_m: float, mu: float) -> float:
    rp = radius_m + target.periapsis_altitude_m
    if (target.apoapsis_altitude_m is None) == (target.period_s is None):
        raise InputError(
            "give the target orbit's apoapsis altitude or its period (exactly one of apoapsis_altitude_m, period_s)."
        )
    if target.period_s is not None:
        if not target.period_s > 0:
            raise InputError(f"target period must be positive; got {target.period_s!r} s.")
        a = (mu * (target.period_s / (2 * math.pi)) ** 2) ** (1 / 3)
        ra = 2 * a - rp
        if ra < rp:
            shortest = 2 * math.pi * math.sqrt(rp**3 / mu)
            raise InputError(
                f"a {target.period_s / 3600:.3f} h period is shorter than the circular orbit at the target periapsis "
                f"({shortest / 3600:.3f} h at {target.periapsis_altitude_m / 1e3:.1f} km); lengthen the period or "
                "lower the periapsis."
            )
        return ra
    assert target.apoapsis_altitude_m is not None
    ra = radius_m + target.apoapsis_altitude_m
    if ra < rp:
        raise InputError(
            f"target apoapsis altitude {target.apoapsis_altitude_m / 1e3:.1f} km is below the periapsis altitude "
            f"{target.periapsis_altitude_m / 1e3:.1f} km; swap them or raise the apoapsis."
        )
    return ra


def _check_inputs(v_inf: np.ndarray, gm: float, radius_m: float, target: OrbitTarget) -> None:
    if v_inf.shape != (3,) or not np.all(np.isfinite(v_inf)) or not np.linalg.norm(v_inf) > 0:
        raise InputError(
            f"v_inf_m_s must be a finite, non-zero 3-vector (the arrival excess velocity, m/s); got {v_inf.tolist()}."
        )
    if not (gm > 0 and radius_m > 0 and math.isfinite(gm) and math.isfinite(radius_m)):
        raise InputError(f"the body needs GM > 0 and radius > 0; got GM {gm!r} m^3/s^2, radius {radius_m!r} m.")
    if not target.periapsis_altitude_m > 0:
        raise InputError(
            f"target periapsis altitude must be above the surface (> 0 km); got "
            f"{target.periapsis_altitude_m / 1e3:g} km."
        )
    if target.node_rad is not None and target.inclination_rad is None:
        raise InputError("a target node needs a target inclination too; add inclination or drop the node.")
    if target.inclination_rad is not None and not 0 <= target.inclination_rad <= math.pi:
        raise InputError(
            f"target inclination must lie in 0..180 deg; got {math.degrees(target.inclination_rad):g} deg."
        )


def _choose_plane(s: np.ndarray, target: OrbitTarget, dv_m_s: float) -> np.ndarray:
    """The plane normal for the target inclination/node, or an InputError naming the nearest reachable one."""
    decl = math.degrees(math.asin(max(-1.0, min(1.0, float(s[2])))))
    if target.inclination_rad is None:
        return _plane_normals(s, math.radians(abs(decl)))[0]  # the lowest inclination: the hyperbola's own plane
    inc = target.inclination_rad
    hs = _plane_normals(s, inc)
    if not hs:
        lo, hi = abs(decl), 180.0 - abs(decl)
        near = lo if math.degrees(inc) < lo else hi
        raise InputError(
            f"inclination {math.degrees(inc):.2f} deg cannot be reached from this arrival: the asymptote's "
            f"declination is {decl:.2f} deg, so the reachable inclinations are {lo:.2f}..{hi:.2f} deg; the nearest "
            f"reachable is {near:.2f} deg (impulsive Delta-v {dv_m_s:.1f} m/s there). Change the target inclination "
            "or the arrival (v_inf direction)."
        )
    if target.node_rad is None:
        return hs[0]
    nodes = [_node(h) for h in hs]
    best = min(range(len(hs)), key=lambda k: _ang_diff(nodes[k], target.node_rad or 0.0))
    if _ang_diff(nodes[best], target.node_rad) > math.radians(NODE_TOLERANCE_DEG):
        listed = " or ".join(f"{math.degrees(n):.2f}" for n in nodes)
        raise InputError(
            f"node {math.degrees(target.node_rad):.2f} deg cannot be reached at inclination {math.degrees(inc):.2f} "
            f"deg from this arrival: the planes through the asymptote have nodes {listed} deg; the nearest "
            f"reachable is {math.degrees(nodes[best]):.2f} deg (impulsive Delta-v {dv_m_s:.1f} m/s there). Drop the "
            "node, use one of these, or change the arrival."
        )
    return hs[best]


# ----------------------------------------------------------------------------------------------------------------
# impulsive


def _solution(
    method: str,
    r: np.ndarray,
    v: np.ndarray,
    mu: float,
    dv: float,
    duration: float,
    mass_kg: float | None,
    isp_s: float | None,
    loss: float,
    rp_h: float,
    r_p: np.ndarray,
    v_p: np.ndarray,
    ignition: float,
) -> InsertionSolution:
    a, e, inc, raan, argp, _ = (float(x) for x in state_to_elements(r, v, mu))
    if mass_kg is not None and isp_s is not None:
        m_after = mass_kg * math.exp(-dv / (isp_s * G0))
        prop = mass_kg - m_after
    else:
        m_after = prop = float("nan")
    r_ig, v_ig = (r_p, v_p) if ignition <= 0 else kepler_propagate(r_p, v_p, -ignition, mu)[:2]
    return InsertionSolution(
        method=method,
        dv_m_s=dv,
        burn_duration_s=duration,
        propellant_kg=prop,
        mass_after_kg=m_after,
        gravity_loss_m_s=loss,
        periapsis_radius_m=a * (1 - e),
        apoapsis_radius_m=a * (1 + e),
        semi_major_axis_m=a,
        eccentricity=e,
        period_s=2 * math.pi * math.sqrt(a**3 / mu) if a > 0 else float("inf"),
        inclination_rad=inc,
        node_rad=raan,
        argument_of_periapsis_rad=argp,
        hyperbola_periapsis_radius_m=rp_h,
        r_periapsis_m=r_p,
        v_periapsis_m_s=v_p,
        ignition_before_periapsis_s=ignition,
        r_ignition_m=np.asarray(r_ig, float),
        v_ignition_m_s=np.asarray(v_ig, float),
    )


def _impulsive_dv(v_inf: float, rp: float, ra: float, mu: float) -> float:
    return math.sqrt(v_inf**2 + 2 * mu / rp) - math.sqrt(2 * mu * ra / (rp * (rp + ra)))


# ----------------------------------------------------------------------------------------------------------------
# finite burn


def integrate_burn(
    r_m: npt.ArrayLike,
    v_m_s: npt.ArrayLike,
    mass_kg: float,
    thrust_n: float,
    isp_s: float,
    duration_s: float,
    mu_m3_s2: float,
    steering: str = "retrograde",
) -> tuple[np.ndarray, np.ndarray, float]:
    """State (r_m, v_m_s) and mass after a constant-thrust burn along (prograde) or against (retrograde) the
    velocity, two-body: Curtis (2014) Eq. 6.26. DOP853, relative tolerance 1e-12."""
    from scipy.integrate import solve_ivp

    if steering not in STEERINGS:
        raise InputError(f"unknown steering {steering!r}; valid: {', '.join(STEERINGS)}.")
    sign = 1.0 if steering == "prograde" else -1.0
    mdot = thrust_n / (isp_s * G0)
    if duration_s * mdot >= mass_kg:
        raise InputError(
            f"a {duration_s:.1f} s burn at {thrust_n:g} N, Isp {isp_s:g} s uses {duration_s * mdot:.1f} kg, more than "
            f"the whole {mass_kg:.1f} kg vehicle; shorten the burn."
        )

    def rhs(_t, y):
        r, v, m = y[:3], y[3:6], y[6]
        rn = math.sqrt(r @ r)
        a = -mu_m3_s2 * r / rn**3 + sign * (thrust_n / m) * v / math.sqrt(v @ v)
        return np.concatenate([v, a, [-mdot]])

    y0 = np.concatenate([np.asarray(r_m, float), np.asarray(v_m_s, float), [mass_kg]])
    if duration_s <= 0:
        return y0[:3], y0[3:6], mass_kg
    sol = solve_ivp(rhs, (0.0, duration_s), y0, method="DOP853", rtol=1e-12, atol=1e-6)
    y = sol.y[:, -1]
    return y[:3], y[3:6], float(y[6])


def _finite(
    s: np.ndarray,
    h: np.ndarray,
    v_inf: float,
    rp_t: float,
    ra_t: float,
    mu: float,
    mass_kg: float,
    thrust_n: float,
    isp_s: float,
    dv_imp: float,
) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Burn duration and hyperbola periapsis that reach (rp_t, ra_t); returns them with the end state and the
    hyperbola's periapsis state."""
    from scipy.optimize import root

    c = isp_s * G0
    mdot = thrust_n / c
    t_imp = mass_kg / mdot * (1 - math.exp(-dv_imp / c))
    inv_a_t = 2.0 / (rp_t + ra_t)
    t_circ = 2 * math.pi * math.sqrt(rp_t**3 / mu)
    if t_imp > MAX_BURN_CIRCULAR_PERIODS * t_circ:
        raise InputError(
            f"the engine is too weak for a single capture burn: {thrust_n:g} N on {mass_kg:.0f} kg needs about "
            f"{t_imp / 3600:.1f} h for {dv_imp:.0f} m/s, more than {MAX_BURN_CIRCULAR_PERIODS:g} circular periods at the "
            f"target periapsis ({t_circ / 3600:.2f} h each); raise the thrust, lower the mass, or raise the target "
            "apoapsis (a smaller burn)."
        )

    def fly(x):
        t_b, rp_h = max(x[0], 0.05) * t_imp, max(x[1], 0.2) * rp_t
        r_p, v_p = _periapsis_state(s, h, v_inf, rp_h, mu)
        r0, v0, _ = kepler_propagate(r_p, v_p, -t_b / 2, mu)
        r1, v1, _ = integrate_burn(r0, v0, mass_kg, thrust_n, isp_s, t_b, mu, "retrograde")
        return t_b, rp_h, r_p, v_p, r1, v1

    def resid(x):
        *_, r1, v1 = fly(x)
        rn, vn2 = float(np.linalg.norm(r1)), float(v1 @ v1)
        inv_a = 2.0 / rn - vn2 / mu
        hn = float(np.linalg.norm(np.cross(r1, v1)))
        e = math.sqrt(max(0.0, 1.0 - hn * hn * inv_a / mu))
        rp = hn * hn / mu / (1 + e)
        return [(rp - rp_t) / rp_t, (inv_a - inv_a_t) / inv_a_t]

    try:
        sol = root(resid, [1.0, 1.0], method="hybr", options={"xtol": 1e-12, "maxfev": 80})
        ok = sol.success and max(abs(f) for f in resid(sol.x)) <= 1e-8
    except InputError:  # an iterate burnt more than the vehicle
        ok = False
    if not ok:
        raise InputError(
            "the finite burn did not converge to the target orbit; the engine may be too weak for "
            f"this capture ({thrust_n:g} N on {mass_kg:.0f} kg): raise the thrust or the target apoapsis."
        )
    t_b, rp_h, r_p, v_p, r1, v1 = fly(sol.x)
    return t_b, rp_h, r_p, v_p, r1, v1


# ----------------------------------------------------------------------------------------------------------------
# public


def equator_frame_matrix(body_name: str) -> np.ndarray:
    """Rotation (3, 3) from ICRF to the body's equator frame: z along the IAU north pole
    (:data:`areo.constants.POLE_RA_DEC_DEG`), x to the ascending node of the body's equator on the ICRF equator.
    ``v_body = M @ v_icrf``; inclinations and nodes of :func:`insertion` are then relative to the equator."""
    from ..constants import POLE_RA_DEC_DEG
    from ..errors import unknown_choice

    key = str(body_name).strip().lower()
    if key not in POLE_RA_DEC_DEG:
        raise unknown_choice("body with a known pole", str(body_name), POLE_RA_DEC_DEG)
    ra, dec = np.radians(POLE_RA_DEC_DEG[key])
    z = np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])
    x = np.array([-np.sin(ra), np.cos(ra), 0.0])
    return np.stack([x, np.cross(z, x), z])


def insertion(
    v_inf_m_s: npt.ArrayLike,
    gm_m3_s2: float,
    radius_m: float,
    target: OrbitTarget,
    *,
    mass_kg: float | None = None,
    thrust_n: float | None = None,
    isp_s: float | None = None,
    propellant_kg: float | None = None,
) -> Insertion:
    """Impulsive (and, with ``mass_kg``, ``thrust_n`` and ``isp_s``, finite-burn) insertion from the arrival
    hyperbola of excess velocity ``v_inf_m_s`` (body frame, see the module docstring) into ``target``.

    ``propellant_kg`` (optional) is what the vehicle can burn: a burn needing more raises, naming the highest
    apoapsis that propellant reaches. Unreachable inclinations or nodes raise, naming the nearest reachable one
    and its Delta-v. Raises :class:`~areo.errors.InputError` for bad input.
    """
    v_inf_vec = np.asarray(v_inf_m_s, float)
    _check_inputs(v_inf_vec, gm_m3_s2, radius_m, target)
    engine = (mass_kg, thrust_n, isp_s)
    if any(x is not None for x in engine) and not all(x is not None and x > 0 for x in engine):
        raise InputError(
            f"a finite burn needs mass_kg, thrust_n and isp_s, all positive; got mass_kg={mass_kg!r}, "
            f"thrust_n={thrust_n!r}, isp_s={isp_s!r}."
        )
    mu = float(gm_m3_s2)
    rp_t = radius_m + target.periapsis_altitude_m
    ra_t = _apoapsis_radius(target, radius_m, mu)
    v_inf = float(np.linalg.norm(v_inf_vec))
    s = v_inf_vec / v_inf
    dv_imp = _impulsive_dv(v_inf, rp_t, ra_t, mu)
    _check_propellant(dv_imp, v_inf, rp_t, radius_m, mu, mass_kg, isp_s, propellant_kg)
    h = _choose_plane(s, target, dv_imp)
    r_p, v_p = _periapsis_state(s, h, v_inf, rp_t, mu)
    v_after = v_p * (1.0 - dv_imp / float(np.linalg.norm(v_p)))
    t_imp = 0.0
    if mass_kg is not None and thrust_n is not None and isp_s is not None:
        t_imp = mass_kg * isp_s * G0 / thrust_n * (1 - math.exp(-dv_imp / (isp_s * G0)))
    imp = _solution("impulsive", r_p, v_after, mu, dv_imp, t_imp, mass_kg, isp_s, 0.0, rp_t, r_p, v_p, 0.0)
    if mass_kg is None or thrust_n is None or isp_s is None:
        return Insertion(imp, None)
    t_b, rp_h, r_ph, v_ph, r1, v1 = _finite(s, h, v_inf, rp_t, ra_t, mu, mass_kg, thrust_n, isp_s, dv_imp)
    m_after = mass_kg - t_b * thrust_n / (isp_s * G0)
    dv_fin = isp_s * G0 * math.log(mass_kg / m_after)
    _check_propellant(dv_fin, v_inf, rp_t, radius_m, mu, mass_kg, isp_s, propellant_kg, finite=True)
    fin = _solution("finite", r1, v1, mu, dv_fin, t_b, mass_kg, isp_s, dv_fin - dv_imp, rp_h, r_ph, v_ph, t_b / 2)
    return Insertion(imp, replace(fin, propellant_kg=mass_kg - m_after, mass_after_kg=m_after))


def _check_propellant(
    dv: float,
    v_inf: float,
    rp: float,
    radius_m: float,
    mu: float,
    mass_kg: float | None,
    isp_s: float | None,
    propellant_kg: float | None,
    finite: bool = False,
) -> None:
    if propellant_kg is None or mass_kg is None or isp_s is None:
        return
    c = isp_s * G0
    need = mass_kg * (1 - math.exp(-dv / c))
    if need <= propellant_kg:
        return
    if propellant_kg >= mass_kg:
        raise InputError(f"propellant_kg ({propellant_kg:g}) must be below the vehicle mass ({mass_kg:g} kg).")
    dv_max = c * math.log(mass_kg / (mass_kg - propellant_kg))
    v_ell = math.sqrt(v_inf**2 + 2 * mu / rp) - dv_max
    energy = v_ell**2 / 2 - mu / rp
    kind = "finite burn (gravity loss included)" if finite else "impulsive burn"
    if energy >= 0:
        reach = "which is not enough to be captured at all"
    else:
        ra = -mu / energy - rp
        reach = f"enough for an apoapsis altitude of {(ra - radius_m) / 1e3:,.0f} km at most (impulsive)"
    raise InputError(
        f"this insertion needs {need:.1f} kg of propellant ({kind}, Delta-v {dv:.1f} m/s, Isp {isp_s:g} s, "
        f"{mass_kg:.1f} kg) but only {propellant_kg:.1f} kg is available ({dv_max:.1f} m/s), {reach}; raise the "
        "target apoapsis or carry more propellant."
    )
