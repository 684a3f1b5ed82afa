"""Equations of motion of the capsule (rigid body, 6-DOF), the parachute (a second body: point mass with added
mass, drag and normal force) and the riser joining them, with the on-board inertial navigation integrated
alongside; all xp-generic (numpy or jax.numpy), vectors as tuples of component arrays.

Frame: Mars body-fixed, rotating at ``omega`` about z (as :mod:`areo.edl.dynamics`); gravity point mass + J2
plus Coriolis and centrifugal terms act on both bodies. The capsule attitude quaternion ``q`` maps body axes to
that frame; ``w`` is the capsule's inertial angular velocity in body axes (Euler's equations
I dw/dt = M - w x I w), so the attitude kinematics use w minus the frame rate. Body x points forward
(heat-shield apex); the riser is attached on the x axis at ``att_x`` < 0 behind the centre of mass.

Riser: an elastic line of rest length L0, stiffness k and damping c, tension T = max(k (L - L0) + c dL/dt, 0)
when stretched (c = ``riser_cu`` while the line shortens: :func:`riser_elastic_tension`), held at its rest length once its snatch has settled (``Ctx.quasi``, :func:`riser_settled`): an
inextensible line whose tension is solved from the constraint |d| = L0 with Baumgarte stabilisation (rate
``pend_beta``), zero while the line is slack. In the two-body model the elastic line carries the inflation
snatch (held from five decay times of its axial mode, ~70 rad/s, after full inflation: it then only carries the
static stretch T / k, ~3 cm of 20 m); in the reduced model (``pendulum`` True) it carries only the pack's
line-stretch snatch at mortar fire (held from five decay times after mortar fire): the rebound decides where the
canopy opens, hence on which side of the wake it trims, and the trajectory with it; the inflation snatch
overshoot is left out.

Parachute: tangential and normal force coefficients (see :func:`canopy_force`) on the area S0 f(t) with the
inflation law f = clip((t - t_deploy) / t_inflation, 0, 1)^n
(n = ``infl_exp``, the power-law area growth of Knacke, Parachute Recovery Systems Design Manual, 1992, ch. 5),
mass ``chute_mass`` plus added mass
k_a rho D0^3 f^1.5 (the rate of change of the added mass is neglected).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .. import atmosphere as atm_mod
from .. import dynamics as dyn
from .._fuse import keep
from .._vec import cross, dot, norm
from . import aerodb, lander
from . import quat as Q

SLACK = 2.5e-3  # a held riser shorter than its rest length by this fraction is slack (5 cm of 20 m)
ENTRY, CANOPY, RADAR, SEP_BURN, POWERED, ON_GROUND = range(6)
PARTS = ((True, True), (False, False), (False, True), (True, False))
"""(``chute``, ``lander_on``) of :func:`deriv`'s variants, by :func:`parts_index`: the full derivative; no canopy
and no lander (every run in entry); no canopy (every run released, or in entry); no lander (no run released)."""
PHASE_NAMES = ("entry", "under canopy", "radar descent", "separation burn", "powered descent", "on-ground mode")


class Ctx(NamedTuple):
    """What the flight software holds fixed over a step."""

    phase: Any
    t_deploy: Any
    thrust: Any
    flag: tuple  # per-axis saturation flag up at the start of the step (bool arrays)
    sign: tuple  # per-axis sign of the saturating rate
    quasi: Any = False  # riser held at its rest length (once its snatch has settled: :func:`riser_settled`)
    steer: Any = 0.0  # released lander in a gravity turn: thrust commanded against the navigated velocity


def riser_mode(p, m, xp):
    """(axial frequency, decay rate) of the elastic riser between the capsule (mass ``m``) and the canopy (its
    bare mass: the added mass only lowers the frequency)."""
    m_red = m * p["chute_mass"] / (m + p["chute_mass"])
    return xp.sqrt(p["riser_k"] / m_red), p["riser_c"] / (2.0 * m_red)


def settle_time(model, p, m, t_deploy, xp):
    """Time from which the riser is held at its rest length: five decay times c / 2 m_red of its axial mode after
    full inflation in the two-body model (the inflation snatch resolved); in the reduced model five decay times
    after mortar fire, once the pack's line-stretch snatch has rebounded, so that the canopy opens where the
    two-body model opens it, with no inflation snatch overshoot (never for an undamped riser)."""
    _, sigma = riser_mode(p, m, xp)
    opened = 0.0 if model.pendulum else p["t_inflation"]
    return t_deploy + opened + 5.0 / xp.maximum(sigma, 1e-30)


def riser_settled(model, p, m, t, t_deploy, phase, xp):
    """Whether the riser is held at its rest length over a step starting at ``t`` (:class:`Ctx` ``quasi``): under
    the canopy from :func:`settle_time` on (elastic before)."""
    canopy = (phase == CANOPY) | (phase == RADAR)
    return canopy & (t >= settle_time(model, p, m, t_deploy, xp) - 1e-9)


def gust(t, t_deploy, p, xp):
    """East wind (m/s) from mortar fire on: the steady ``wind_e`` plus a 1-cosine gust of amplitude ``gust_amp``
    starting ``gust_t0`` after mortar fire and lasting ``gust_len``; zero before. One value for both bodies,
    materialised once in the JAX CPU kernel (:func:`areo.edl._fuse.keep`: its ``cos`` is not recomputed in every
    expression that uses it)."""
    tg = xp.clip((t - t_deploy - p["gust_t0"]) / p["gust_len"], 0.0, 1.0)
    tg = xp.where(tg < 1.0, tg, 0.0)  # cos(2 pi) rounds to 1 = cos(0): the same value, on libm's fast path
    we = xp.where(t >= t_deploy, p["wind_e"] + 0.5 * p["gust_amp"] * (1.0 - xp.cos(2.0 * math.pi * tg)), 0.0)
    return keep(xp, we)


def wind(r, t, t_deploy, p, xp, we=None):
    """Wind on the parachute system, body-fixed frame (m/s), from mortar fire on: a steady east/north wind plus
    a 1-cosine gust along east (``we``: :func:`gust`, computed here if not given)."""
    x, y, z = r
    rr = norm(r, xp)
    rxy = xp.sqrt(x * x + y * y)
    so, co = y / rxy, x / rxy
    sl, cl = z / rr, rxy / rr
    we = gust(t, t_deploy, p, xp) if we is None else we
    wn = xp.where(t >= t_deploy, p["wind_n"], 0.0)
    return (-so * we - sl * co * wn, co * we - sl * so * wn, cl * wn)


def air(model, p, r, v, t, t_deploy, xp, we=None):
    """(rho, speed of sound, air-relative velocity, its norm) at position ``r`` (``we``: :func:`gust`)."""
    h = dyn.altitude(r[0], r[1], r[2], xp)
    temp, _, rho = model.atmosphere.evaluate(h, xp)
    w = wind(r, t, t_deploy, p, xp, we)
    va = tuple(v[i] - w[i] for i in range(3))
    return rho * p["rho_scale"], atm_mod.speed_of_sound(temp, xp), va, norm(va, xp)


def accel_field(model, p, r, v, xp):
    """Gravity plus apparent accelerations of the rotating frame."""
    g = dyn.gravity(r[0], r[1], r[2], xp)
    c = dyn.apparent(r[0], r[1], v[0], v[1], xp, omega=model.omega)
    s = p["gravity_on"]
    return (s * g[0] + c[0], s * g[1] + c[1], s * g[2])


def inertia_mul(p, w):
    return (
        p["ixx"] * w[0] + p["ixy"] * w[1] + p["ixz"] * w[2],
        p["ixy"] * w[0] + p["iyy"] * w[1] + p["iyz"] * w[2],
        p["ixz"] * w[0] + p["iyz"] * w[1] + p["izz"] * w[2],
    )


def inertia_solve(p, m):
    """I^-1 m with the precomputed inverse (``jxx`` ...)."""
    return (
        p["jxx"] * m[0] + p["jxy"] * m[1] + p["jxz"] * m[2],
        p["jxy"] * m[0] + p["jyy"] * m[1] + p["jyz"] * m[2],
        p["jxz"] * m[0] + p["jyz"] * m[1] + p["jzz"] * m[2],
    )


def capsule_aero(model, p, mach, qd, V, u_b, w, on, xp):
    """Aerodynamic force and moment on the capsule, body axes (zero where ``on`` is false)."""
    ca, cna, cma, cmq = aerodb.capsule(mach, model.capsule_table, xp)
    qs = xp.where(on, qd * p["area_capsule"], 0.0)
    qsd = qs * p["ref_length"]
    f = (-qs * ca * p["cd_capsule_scale"], -qs * cna * u_b[1], -qs * cna * u_b[2])
    damp = qsd * (cmq + p["cmq_add"]) * p["ref_length"] / (2.0 * xp.maximum(V, 1e-6))
    mom = (0.0 * qs, qsd * cma * u_b[2] + damp * w[1], -qsd * cma * u_b[1] + damp * w[2])
    return f, mom


def inflation(t, c: Ctx, p, xp):
    """Fraction of the full drag area open at ``t`` (0 before mortar fire and after release)."""
    s = xp.clip((t - c.t_deploy) / p["t_inflation"], 0.0, 1.0)
    on = ((c.phase == CANOPY) | (c.phase == RADAR)) & (p["chute_fail"] < 0.5)
    full = s == 1.0  # 1^n = 1 for every n: libm's pow is called with 0 there (its fast path), result unused
    return xp.where(on, xp.where(full, 1.0, xp.where(full, 0.0, s) ** p["infl_exp"]), 0.0), on


def canopy_force(model, p, rp, vp, t, c: Ctx, e, xp, we=None):
    """(aerodynamic force on the parachute, its effective mass). Tangential force C_T(M) q S along the riser
    axis ``e`` (downstream) and normal force C_N = C_N_alpha (sin(alpha_p) - sin(alpha_trim)) q S towards the
    wake axis, alpha_p being the angle between the riser axis and the wake: a DGB rides at its trim angle
    alpha_trim off the wake (Cruz et al., AIAA 2003-2129: non-zero statically stable trim angles)."""
    rho, a_snd, va, V = air(model, p, rp, vp, t, c.t_deploy, xp, we)
    frac, _ = inflation(t, c, p, xp)
    ct = aerodb.parachute_drag(V / a_snd, model.parachute_table, xp) * p["cd_chute_scale"]
    qs = 0.5 * rho * V * V * p["area_chute"] * frac
    up = tuple(va[i] / xp.maximum(V, 1e-9) for i in range(3))
    k = -dot(up, e)  # cos(alpha_p): wake direction -up against the riser axis e
    n = tuple(-up[i] - k * e[i] for i in range(3))  # towards the wake axis, |n| = sin(alpha_p)
    s = norm(n, xp)
    cn = p["chute_cn_alpha"] * (1.0 - p["chute_sin_trim"] / xp.maximum(s, 1e-3))
    f = tuple(qs * (ct * e[i] + cn * n[i]) for i in range(3))
    d0 = xp.sqrt(4.0 * p["area_chute"] / math.pi)
    m_eff = p["chute_mass"] + p["chute_ka"] * rho * d0**3 * frac * xp.sqrt(frac)
    return f, m_eff


def deriv(model, p, xp, c: Ctx, Y, t, chute=True, lander_on=True):
    """Time derivative of the state tuple (see :data:`STATE`) and extras (specific force norm, riser tension,
    per-axis gyro saturation, dynamic pressure).

    ``chute`` / ``lander_on`` (static, :data:`PARTS`): False drops the parachute and riser (T = 0, the canopy
    follows the capsule) / the lander. The shared parts and the dropped parts' outputs are materialised
    (:func:`areo.edl._fuse.keep`) so that XLA compiles them to the same code in every variant (it fuses
    multiply-adds within a fusion): a run gets the same floats from every variant that applies to it."""
    Y = keep(xp, *Y)
    r, v, q, w = Y[0:3], Y[3:6], Y[6:10], Y[10:13]
    vp, nv, m = Y[16:19], Y[22:25], Y[29]
    C = Q.dcm(q)
    we = gust(t, c.t_deploy, p, xp)
    rho, a_snd, va, V = air(model, p, r, v, t, c.t_deploy, xp, we)
    mach = V / a_snd
    qd = 0.5 * rho * V * V
    u_b = tuple(x / xp.maximum(V, 1e-9) for x in Q.mtv(C, va))
    capsule_on = c.phase <= RADAR
    f_b, mom = capsule_aero(model, p, mach, qd, V, u_b, w, capsule_on, xp)
    f = Q.mv(C, f_b)
    ra_b = (p["att_x"], 0.0 * m, 0.0 * m)
    omf_b = Q.mtv(C, (0.0 * m, 0.0 * m, 0.0 * m + model.omega))
    wr = tuple(w[i] - omf_b[i] for i in range(3))
    gc = accel_field(model, p, r, v, xp)
    Iw = inertia_mul(p, w)
    gyro_torque = cross(w, Iw)
    m0 = tuple(mom[i] - gyro_torque[i] for i in range(3))
    k = keep(xp, *C[0], *C[1], *C[2], *f, *va, *m0, *wr, *gc, rho, V, we, qd, mach)
    C, (f, va, m0, wr, gc), (rho, V, we, qd, mach) = (
        (k[0:3], k[3:6], k[6:9]),
        (k[9:12], k[12:15], k[15:18], k[18:21], k[21:24]),
        k[24:29],
    )
    kl, tdir, dw_ctrl = lander_part(lander_on, p, xp, c, C, Y, rho, V, va, wr, capsule_on)
    T, e, fp, m_eff, gp = (
        0.0 * m,
        tuple(0.0 * x for x in gc),
        tuple(0.0 * x for x in f),
        m + 0.0,
        tuple(0.0 * x for x in m0),
    )
    if chute:
        T, e, fp, m_eff, gp = riser(model, p, xp, c, C, f, m, m0, w, wr, ra_b, gc, Y, t, we)
    k = keep(xp, kl, *tdir, *dw_ctrl, T, *e, *fp, m_eff, *gp)
    kl, tdir, dw_ctrl, T, e, fp, m_eff, gp = k[0], k[1:4], k[4:7], k[7], k[8:11], k[11:14], k[14], k[15:18]
    _, chute_on = inflation(t, c, p, xp)
    f = tuple(f[i] + kl * va[i] + c.thrust * tdir[i] for i in range(3))
    fs = tuple((f[i] + T * e[i]) / m for i in range(3))  # specific force on the capsule
    e_b = Q.mtv(C, e)
    mom_t = cross(ra_b, tuple(T * x for x in e_b))
    released = c.phase >= SEP_BURN  # the lander's attitude control after release (zero: it holds its attitude)
    dw = inertia_solve(p, tuple(m0[i] + mom_t[i] for i in range(3)))
    dw = tuple(xp.where(released, dw_ctrl[i], dw[i]) for i in range(3))
    dq = Q.rate(q, wr)
    a = tuple(fs[i] + gc[i] for i in range(3))
    ap = tuple(xp.where(chute_on, (fp[i] - T * e[i]) / m_eff + gp[i] * p["chute_mass"] / m_eff, a[i]) for i in range(3))
    na, dnq, sat = navigation_rates(model, p, xp, c, C, fs, Y)
    mdot = -c.thrust / (p["isp"] * 9.80665)
    dY = (*v, *a, *dq, *dw, *vp, *ap, *nv, *na, *dnq, mdot)
    return dY, (norm(fs, xp), T, sat, qd, mach)


def lander_part(lander_on, p, xp, c: Ctx, C, Y, rho, V, va, wr, capsule_on):
    """(drag factor, thrust direction, commanded angular acceleration) of the released lander in :func:`deriv`:
    the surface platform's drag (none while ``capsule_on``), thrust and attitude control (:mod:`.lander`); zeros
    where ``lander_on`` (static) is False, each a distinct expression (so that XLA cannot merge them into one value)."""
    kl, tdir, dw_ctrl = 0.0 * V, tuple(0.0 * x for x in va), tuple(0.0 * x for x in wr)
    if lander_on:
        kl = xp.where(capsule_on, 0.0, -0.5 * rho * V * p["cd_lander"] * p["area_lander"])
        # on inputs of its own: an expression it shares with the rest (the dcm of nq) would change that code
        k = keep(xp, *C[0], *C[1], *C[2], *Y[10:13], *Y[19:22], *Y[22:25], *Y[25:29])
        Cl, (wl, nrl, nvl), nql = (k[0:3], k[3:6], k[6:9]), (k[9:12], k[12:15], k[15:18]), k[18:22]
        tdir, dw_ctrl = lander.thrust_and_torque(Cl, wl, nrl, nvl, nql, c.steer, c.phase == SEP_BURN, p, xp)
    return kl, tdir, dw_ctrl


def navigation_rates(model, p, xp, c: Ctx, C, fs, Y):
    """On-board navigation of :func:`deriv`: (navigated acceleration, navigated attitude rate, per-axis gyro
    saturation) from the accelerometers (specific force ``fs`` through the true attitude ``C``, scale factor and
    bias) and the gyros (:func:`gyro_used`) through the estimated attitude."""
    w, nr, nv, nq, m = Y[10:13], Y[19:22], Y[22:25], Y[25:29], Y[29]
    f_m = tuple(x * (1.0 + p["acc_sf"]) for x in Q.mtv(C, fs))
    fmn = norm(f_m, xp)
    f_m = tuple(f_m[i] + p["acc_bias"] * f_m[i] / xp.maximum(fmn, 1e-12) for i in range(3))
    nC = Q.dcm(nq)
    gn = accel_field(model, p, nr, nv, xp)
    na = tuple(x + gn[i] for i, x in enumerate(Q.mv(nC, f_m)))
    used, sat = gyro_used(w, c, p, xp)
    nomf = Q.mtv(nC, (0.0 * m, 0.0 * m, 0.0 * m + model.omega))
    dnq = Q.rate(nq, tuple(used[i] - nomf[i] for i in range(3)))
    return na, dnq, sat


def riser(model, p, xp, c: Ctx, C, f, m, m0, w, wr, ra_b, gc, Y, t, we):
    """The riser and the parachute of :func:`deriv` (``f``: the capsule's aerodynamic force): (tension T, unit
    riser axis e (capsule to canopy), force on the canopy, its effective mass, its gravity)."""
    r, v, rp, vp = Y[0:3], Y[3:6], Y[13:16], Y[16:19]
    ra = Q.mv(C, ra_b)
    va_att = Q.mv(C, cross(wr, ra_b))
    d = tuple(rp[i] - r[i] - ra[i] for i in range(3))
    dv = tuple(vp[i] - v[i] - va_att[i] for i in range(3))
    L = norm(d, xp)
    e = tuple(d[i] / xp.maximum(L, 1e-9) for i in range(3))
    ldot = dot(e, dv)
    fp, m_eff = canopy_force(model, p, rp, vp, t, c, e, xp, we)
    _, chute_on = inflation(t, c, p, xp)
    gp = accel_field(model, p, rp, vp, xp)
    T = pendulum_tension(p, C, f, m, m0, w, fp, m_eff, gc, gp, e, dv, L, ldot, ra_b, xp)
    elastic = riser_elastic_tension(p, L, ldot, xp)
    T = xp.where(c.quasi, T, elastic)
    T = xp.where(chute_on, T, 0.0)
    return T, e, fp, m_eff, gp


def parts_index(phase, thrust, xp):
    """Index in :data:`PARTS` of the cheapest derivative that gives every run the full derivative's floats
    (``phase``, ``thrust``: every run's physical mode and thrust, finished runs included): the parachute and riser
    only if a run is under a canopy, the lander only if a run has released or thrusts."""
    chute = xp.any((phase == CANOPY) | (phase == RADAR))
    lander_on = xp.any(phase >= SEP_BURN) | xp.any(thrust != 0.0)
    return xp.where(chute, xp.where(lander_on, 0, 3), xp.where(lander_on, 2, 1))


def riser_elastic_tension(p, L, ldot, xp):
    """Tension of the taut elastic riser, k (L - L0) + c dL/dt (none while slack or pushing), with the damping
    ``riser_cu`` instead of ``riser_c`` while the line shortens (dL/dt < 0, unloading): textile hysteresis, a
    line that gives back less of the energy it stored than a symmetric Kelvin-Voigt element (``riser_cu`` =
    ``riser_c``: main's symmetric line; a parameter set without the key is symmetric)."""
    c = xp.where(ldot < 0.0, p["riser_cu"], p["riser_c"])
    return xp.maximum(p["riser_k"] * (L - p["riser_l0"]) + c * ldot, 0.0) * (L > p["riser_l0"])


def gyro_used(w, c: Ctx, p, xp):
    """Rates the navigation integrates: the gyro output, or the saturation value (per-axis range with the
    saturating sign) while the axis saturates or its flag is held."""
    used, sat = [], []
    for i in range(3):
        raw = w[i] * (1.0 + p[f"gyro_sf_{i}"]) + p[f"gyro_bias_{i}"]
        lim = p[f"gyro_limit_{i}"]
        s = xp.abs(raw) >= lim
        sign = xp.where(s, xp.sign(raw), c.sign[i])
        used.append(xp.where(s | c.flag[i], sign * lim, raw))
        sat.append(s)
    return tuple(used), tuple(sat)


def pendulum_tension(p, C, f, m, m0, w, fp, m_eff, gc, gp, e, dv, L, ldot, ra_b, xp):
    """Tension keeping the riser at its rest length (reduced model), from e . d''(T) = the Baumgarte target; none
    while the line is slack (shorter than its rest length by more than :data:`SLACK`): the line only pulls once
    taut, it does not catch a canopy still closing in on line stretch."""
    dw0 = inertia_solve(p, m0)
    acc_att0 = Q.mv(C, tuple(cross(dw0, ra_b)[i] + cross(w, cross(w, ra_b))[i] for i in range(3)))
    a_c0 = tuple(f[i] / m + gc[i] for i in range(3))
    a_p0 = tuple(fp[i] / m_eff + gp[i] * p["chute_mass"] / m_eff for i in range(3))
    rel0 = dot(e, tuple(a_p0[i] - a_c0[i] - acc_att0[i] for i in range(3)))
    e_b = Q.mtv(C, e)
    lever = cross(inertia_solve(p, cross(ra_b, e_b)), ra_b)
    k = 1.0 / m_eff + 1.0 / m + dot(e_b, lever)
    b = p["pend_beta"]
    target = -2.0 * b * ldot - b * b * (L - p["riser_l0"]) - (dot(dv, dv) - ldot * ldot) / xp.maximum(L, 1e-9)
    return xp.where(L >= p["riser_l0"] * (1.0 - SLACK), xp.maximum((rel0 - target) / k, 0.0), 0.0)


STATE = (
    "x", "y", "z", "vx", "vy", "vz", "q0", "q1", "q2", "q3", "wx", "wy", "wz",
    "px", "py", "pz", "pvx", "pvy", "pvz", "nx", "ny", "nz", "nvx", "nvy", "nvz", "n0", "n1", "n2", "n3", "m",
)  # fmt: skip
