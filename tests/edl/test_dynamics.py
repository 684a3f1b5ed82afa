"""Dynamics invariants: potential/gravity consistency, Jacobi integral without drag, mirror symmetry,
exact oscillator, convergence with step size, and an independent scipy solve_ivp implementation."""

import math

import numpy as np
from scipy.integrate import solve_ivp

from areo.constants import GM_MARS, J2_MARS, OMEGA_MARS, R_MARS_EQ
from areo.edl import dynamics as dyn
from areo.edl.scipy_model import simulate_scipy
from areo.edl.simulate import DEFAULTS, initial_state, simulate_reference, step
from tests.units import DEG, KM, METRE, SECOND


def quiet(p):
    """Parameters with the sensor white noise off (noise realisations differ between step sizes)."""
    return dict(p, gyro_arw=0.0, acc_vrw=0.0, radar_noise=0.0)


def potential(x, y, z):
    """Point mass + J2 potential, U = mu/r (1 - J2 (R/r)^2 P2(sin phi)) (Vallado, eq. 8-19)."""
    r = math.sqrt(x * x + y * y + z * z)
    s = z / r
    return GM_MARS / r * (1.0 - J2_MARS * (R_MARS_EQ / r) ** 2 * 0.5 * (3.0 * s * s - 1.0))


def test_gravity_is_gradient_of_j2_potential():
    r = np.array([2.1e6, -1.7e6, 2.0e6])
    g = dyn.gravity(*r)
    eps = 1.0
    for i in range(3):
        d = np.zeros(3)
        d[i] = eps
        num = (potential(*(r + d)) - potential(*(r - d))) / (2 * eps)
        assert abs(g[i] - num) < 1e-7


def test_entry_state_has_the_given_inertial_speed_and_angle(scenario):
    p = scenario.to_params([])
    pos, vel = dyn.state_from_entry(
        p["entry_alt"], p["entry_lat"], p["entry_lon"], p["entry_speed"], p["entry_fpa"], p["entry_azimuth"]
    )
    r = np.array(pos)
    vin = np.array(vel) + np.cross([0, 0, OMEGA_MARS], r)
    assert abs(np.linalg.norm(vin) - 5830.0) < 1e-6
    fpa = math.asin(np.dot(vin, r) / np.linalg.norm(vin) / np.linalg.norm(r))
    assert abs(fpa - (-12.4 * DEG)) < 1e-9


def _coast(p, model):
    """Propagate with the atmosphere switched off (density scale 0) until the ground; return first/last state."""
    pa = {k: np.atleast_1d(float(v)) for k, v in {**DEFAULTS, **p}.items()}
    S = initial_state(pa)
    S["entry_h"] = S["entry_v"] = S["entry_mach"] = S["t"] * 0
    first = {k: S[k].copy() for k in ("x", "y", "z", "vx", "vy", "vz")}
    while S["status"][0] == 0:
        S = step(S, pa, model)
    return first, S


def jacobi(s):
    x, y, z, vx, vy, vz = (float(np.asarray(s[k]).reshape(-1)[0]) for k in ("x", "y", "z", "vx", "vy", "vz"))
    return 0.5 * (vx * vx + vy * vy + vz * vz) - potential(x, y, z) - 0.5 * OMEGA_MARS**2 * (x * x + y * y)


def test_jacobi_integral_conserved_without_drag(scenario, model):
    p = dict(scenario.to_params([]), rho_scale=0.0, entry_fpa=-20.0 * DEG)
    first, last = _coast(p, model)
    assert last["status"][0] != 0 and math.isnan(last["parachute_deploy_t"][0])
    # 1 J/kg over a 6 km/s, ~10 min arc: relative 1e-7 of the kinetic energy
    assert abs(jacobi(last) - jacobi(first)) < 1.0


def test_keplerian_arc_without_j2_rotation_and_drag():
    """Same RK4-free check: the dynamics functions with J2=0 and omega=0 integrate to the conic's radius."""
    mu = float(GM_MARS)
    r0 = np.array([3.52e6, 0.0, 0.0])
    v0 = np.array([-400.0, 3300.0, 500.0])

    def rhs(t, s):
        g = dyn.gravity(*s[:3], j2=0.0)
        c = dyn.apparent(s[0], s[1], s[3], s[4], omega=0.0)
        return np.concatenate([s[3:], np.array(g) + np.array([c[0], c[1], 0.0])])

    sol = solve_ivp(rhs, (0, 3000.0), np.concatenate([r0, v0]), method="DOP853", rtol=1e-11, atol=1e-6)
    h = np.cross(r0, v0)
    e_vec = np.cross(v0, h) / mu - r0 / np.linalg.norm(r0)
    p_conic = np.dot(h, h) / mu
    r_end = sol.y[:3, -1]
    nu = math.atan2(np.dot(np.cross(e_vec, r_end), h) / np.linalg.norm(h), np.dot(e_vec, r_end))
    assert abs(np.linalg.norm(r_end) - p_conic / (1 + np.linalg.norm(e_vec) * math.cos(nu))) < 1 * METRE


def test_north_south_mirror_symmetry(scenario, model):
    # J2 and rotation are symmetric about the equator: mirrored entry -> mirrored landing.
    p = dict(quiet(scenario.to_params([])), entry_lat=-3.0 * DEG, entry_azimuth=60.0 * DEG)
    q = dict(p, entry_lat=3.0 * DEG, entry_azimuth=120.0 * DEG)
    a, _ = simulate_reference(p, model, history=False)
    b, _ = simulate_reference(q, model, history=False)
    r = float(R_MARS_EQ)
    assert abs(a["landing_lat"] + b["landing_lat"]) * r < 1 * METRE
    assert abs(a["landing_lon"] - b["landing_lon"]) * r < 1 * METRE
    assert abs(a["touchdown_t"] - b["touchdown_t"]) < 1e-6 * SECOND


def test_oscillator_is_exact():
    wn, zeta = 5.0, 0.15
    sol = solve_ivp(
        lambda t, s: [s[1], -wn * wn * s[0] - 2 * zeta * wn * s[1]], (0, 2.7), [0.1, 4.0], rtol=1e-12, atol=1e-12
    )
    th, om = dyn.oscillator(0.1, 4.0, 2.7, wn, zeta)
    assert abs(th - sol.y[0, -1]) < 1e-9 and abs(om - sol.y[1, -1]) < 1e-9


def test_step_size_convergence(scenario, model):
    """Halving every step twice moves the nominal landing by < 20 m and touchdown speed by < 0.1 m/s."""
    p = quiet(scenario.to_params([]))
    a, _ = simulate_reference(p, model, history=False)
    b, _ = simulate_reference(dict(p, dt_scale=0.25), model, history=False)
    r = float(R_MARS_EQ)
    assert math.hypot(a["landing_lat"] - b["landing_lat"], a["landing_lon"] - b["landing_lon"]) * r < 20 * METRE
    assert abs(a["parachute_deploy_h"] - b["parachute_deploy_h"]) < 1 * METRE
    assert abs(a["touchdown_speed"] - b["touchdown_speed"]) < 0.1


def test_kernel_agrees_with_independent_scipy_solve_ivp(scenario, model):
    """DOP853 with terminal events and perfect navigation vs the step-by-phase reference."""
    p = quiet(scenario.to_params([]))
    s = simulate_scipy(p, model)
    r, _ = simulate_reference(p, model, history=False)
    assert abs(r["parachute_deploy_t"] - s["deploy_t"]) < 0.01 * SECOND
    assert abs(r["parachute_deploy_h"] - s["deploy_h"]) < 2 * METRE
    assert abs(r["heatshield_jettison_h"] - s["jettison_h"]) < 2 * METRE
    # the reference releases on the radar estimate (a few degrees of attitude error after saturation)
    assert abs(r["backshell_release_h"] - s["release_h"]) < 20 * METRE
    assert abs(r["touchdown_t"] - s["touchdown_t"]) < 1 * SECOND
    assert abs(r["touchdown_speed"] - s["touchdown_speed"]) < 0.3
    rr = float(R_MARS_EQ)
    assert (
        math.hypot(
            r["landing_lat"] - s["landing_lat"], (r["landing_lon"] - s["landing_lon"]) * math.cos(s["landing_lat"])
        )
        * rr
        < 0.1 * KM
    )
