"""Lift, bank and aerodynamic tables (issue 10, physics): capsule C_D and L/D tables vs Mach from the scenario, the
bank angle as a constant, a profile vs time or air speed, or the reference-drag entry guidance with bank reversals.

Authorities: the Allen-Eggers ballistic entry solution and its constant-L/D lifting form (H. J. Allen and A. J. Eggers, "A Study of the Motion and
Aerodynamic Heating of Ballistic Missiles Entering the Earth's Atmosphere at High Supersonic Speeds", NACA Report
1381, 1958: in an isothermal exponential atmosphere, neglecting gravity and curvature, V(h) = V_E exp(-(C_D A rho0 H
/ (2 m sin|gamma_E|)) exp(-h/H))); the independent scipy solve_ivp model (its own lift geometry and bank profile,
numpy.interp tables, DOP853 with events); the JAX kernel against the numpy reference; invariants of guided entry
(the guidance removes most of a flight-path-angle error's downrange miss and holds the crossrange within its
reversal deadband)."""

import dataclasses
import math

import numpy as np
import pytest

from areo.constants import R_MARS_EQ
from areo.edl import aero, entry_guidance
from areo.edl import atmosphere as atm_mod
from areo.edl.montecarlo import run_batch
from areo.edl.scipy_model import simulate_scipy
from areo.edl.simulate import Model, simulate_reference
from areo.errors import InputError
from tests.units import DEG, KM, M_S, METRE, SECOND

LD = 0.24  # MSL hypersonic trim L/D (Way et al., IEEE Aerospace Conference 2007), as in test_lift


def quiet(p, **kw):
    return dict(p, gyro_arw=0.0, acc_vrw=0.0, radar_noise=0.0, **kw)


@pytest.mark.parametrize("fpa_deg", [-45.0, -60.0])
def test_ballistic_speed_altitude_law_matches_allen_eggers(scenario, fpa_deg):
    # steep entries (the solution neglects gravity and curvature), near the pole (no planet rotation), constant C_D
    rho0, big_h, v_e, cd = 0.02, 11_100.0, 7000.0, 1.6
    atm = atm_mod.ExponentialAtmosphere(rho0, big_h, 210.0)
    model = Model(
        atm, atm, capsule=aero.CapsuleAero((0.0, 50.0), (cd, cd), None, "constant"), sequence=scenario.model().seq
    )
    p = quiet(scenario.to_params([]))
    p.update(entry_lat=88.0 * DEG, entry_lon=0.0, entry_azimuth=math.pi, entry_fpa=fpa_deg * DEG, entry_speed=v_e)
    p.update(entry_alt=125e3, ground_elev=-8000.0, nav_ground_elev=-8000.0)
    _, h = simulate_reference(p, model)
    k = cd * p["area_capsule"] * rho0 * big_h / (2.0 * p["m_entry"] * math.sin(-fpa_deg * DEG))
    sel = h["speed_m_s"] > 0.4 * v_e  # through the deceleration pulse: speed falls from 7 to 2.8 km/s
    assert sel.sum() >= 4
    v_ae = v_e * np.exp(-k * np.exp(-(h["altitude_m"][sel] + p["ground_elev"]) / big_h))
    assert np.max(np.abs(h["speed_m_s"][sel] - v_ae)) < 70 * M_S  # 1 % of the entry speed
    assert np.min(v_ae) < 0.6 * v_e  # the comparison reaches past the peak deceleration (V = V_E e^-1/2)


@pytest.mark.parametrize("fpa_deg", [-45.0, -60.0])
def test_lifting_entry_matches_the_lifting_allen_eggers_solution(scenario, fpa_deg):
    # the same flat-planet, no-gravity entry with a constant L/D and lift up: dgamma/dt = L/(m V) gives
    # cos(gamma) - cos(gamma_E) = (L/D) (C_D A rho0 H / 2m) (exp(-h/H) - exp(-h_E/H)), and dV/dh = -D/(m V sin gamma)
    # then V(h) by quadrature (e.g. Regan & Anandakrishnan, Dynamics of Atmospheric Re-Entry, AIAA 1993)
    from scipy.integrate import quad

    rho0, big_h, v_e, cd, ld, h_e = 0.02, 11_100.0, 7000.0, 1.6, 0.4, 125e3
    atm = atm_mod.ExponentialAtmosphere(rho0, big_h, 210.0)
    model = Model(
        atm,
        atm,
        has_lift=True,
        capsule=aero.CapsuleAero((0.0, 50.0), (cd, cd), None, "constant"),
        sequence=scenario.model().seq,
    )
    p = quiet(scenario.to_params([]), lift_to_drag=ld, bank=0.0)
    p.update(entry_lat=88.0 * DEG, entry_lon=0.0, entry_azimuth=math.pi, entry_fpa=fpa_deg * DEG, entry_speed=v_e)
    p.update(entry_alt=h_e, ground_elev=-8000.0, nav_ground_elev=-8000.0)
    _, h = simulate_reference(p, model)
    b = cd * p["area_capsule"] / (2.0 * p["m_entry"])

    def integrand(x):
        cos_g = math.cos(fpa_deg * DEG) + ld * b * rho0 * big_h * (math.exp(-x / big_h) - math.exp(-h_e / big_h))
        return b * rho0 * math.exp(-x / big_h) / math.sqrt(1.0 - cos_g * cos_g)

    sel = h["speed_m_s"] > 0.4 * v_e
    alt = h["altitude_m"][sel] + p["ground_elev"]
    v_lift = np.array([v_e * math.exp(-quad(integrand, a, h_e, limit=200)[0]) for a in alt])
    v_ballistic = v_e * np.exp(-(b * rho0 * big_h / math.sin(-fpa_deg * DEG)) * np.exp(-alt / big_h))
    assert np.max(np.abs(h["speed_m_s"][sel] - v_lift)) < 70 * M_S  # 1 % of the entry speed
    assert np.max(np.abs(h["speed_m_s"][sel] - v_ballistic)) > 100 * M_S  # and the lift is what makes it agree


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_lift_to_drag_table_equals_the_constant_it_tabulates(scenario, model, tmp_path):
    rows = "\n".join(f"{m:g},{c:g},{LD}" for m, c in zip(aero.CAPSULE_MACH, aero.CAPSULE_CD))
    table = aero.load_capsule_aero(str(write(tmp_path, "ld.csv", "mach,drag_coefficient,lift_to_drag\n" + rows)))
    p = quiet(scenario.to_params([]), bank=30 * DEG)
    a, _ = simulate_reference(dict(p, lift_to_drag=LD), model, history=False)
    b, _ = simulate_reference(p, dataclasses.replace(model, capsule=table), history=False)
    assert abs(a["parachute_deploy_t"] - b["parachute_deploy_t"]) < 1e-9 * SECOND
    assert abs(a["landing_lat"] - b["landing_lat"]) * 3.4e6 < 1e-6 * METRE


def test_drag_table_from_the_scenario_changes_the_trajectory_as_drag_should(scenario, model, tmp_path):
    rows = "\n".join(f"{m:g},{1.1 * c:g}" for m, c in zip(aero.CAPSULE_MACH, aero.CAPSULE_CD))
    more = aero.load_capsule_aero(str(write(tmp_path, "cd.csv", "mach,drag_coefficient\n" + rows)))
    p = quiet(scenario.to_params([]))
    base, _ = simulate_reference(p, model, history=False)
    draggy, _ = simulate_reference(p, dataclasses.replace(model, capsule=more), history=False)
    scaled, _ = simulate_reference(dict(p, cd_capsule_scale=1.1), model, history=False)
    assert draggy["parachute_deploy_h"] > base["parachute_deploy_h"] + 500 * METRE  # slows higher up
    assert abs(draggy["parachute_deploy_t"] - scaled["parachute_deploy_t"]) < 1e-9 * SECOND  # = a 1.1 C_D scale


@pytest.mark.parametrize(
    "text,match",
    [
        ("mach,cd\n0,1\n1,1\n", "header must be"),
        ("mach,drag_coefficient\n0,1.6\n2,1.5\n1,1.4\n", r"line 4: mach = 1 must be above the previous row's 2"),
        ("mach,drag_coefficient\n0,1.6\n2,nan\n", "line 3: expected 2 finite numbers"),
        ("mach,drag_coefficient,lift_to_drag\n0,1.6,0.2\n2,1.5,1.5\n", r"line 3: drag_coefficient must be in \(0, 5\]"),
        ("mach,drag_coefficient\n0,1.6\n", "at least 2 rows"),
    ],
)
def test_bad_aero_table_is_one_clear_line(tmp_path, text, match):
    with pytest.raises(InputError, match=match) as err:
        aero.load_capsule_aero(str(write(tmp_path, "bad.csv", text)))
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "law",
    [
        aero.BankLaw("time", (0.0, 120.0, 200.0), (60 * DEG, -45 * DEG, 0.0)),
        aero.BankLaw("speed", (1000.0, 4000.0, 6000.0), (0.0, 90 * DEG, 30 * DEG)),
    ],
)
def test_bank_profile_agrees_with_independent_scipy_model(scenario, model, law):
    m = dataclasses.replace(model, has_lift=True, bank=law)
    p = quiet(scenario.to_params([]), lift_to_drag=LD)
    s = simulate_scipy(p, m)
    r, _ = simulate_reference(p, m, history=False)
    assert abs(r["parachute_deploy_t"] - s["deploy_t"]) < 0.05 * SECOND
    assert abs(r["parachute_deploy_h"] - s["deploy_h"]) < 10 * METRE
    d = math.hypot(
        r["landing_lat"] - s["landing_lat"], (r["landing_lon"] - s["landing_lon"]) * math.cos(s["landing_lat"])
    )
    assert d * float(R_MARS_EQ) < 0.2 * KM
    c, _ = simulate_reference(dict(p, bank=60 * DEG), dataclasses.replace(m, bank=aero.CONSTANT_BANK), history=False)
    assert abs(c["parachute_deploy_t"] - r["parachute_deploy_t"]) > 1.0 * SECOND  # the profile is not ignored
    out = run_batch({k: np.full(2, float(v)) for k, v in p.items()}, m)
    assert abs(out["parachute_deploy_t"][0] - r["parachute_deploy_t"]) < 1e-6 * SECOND  # JAX kernel = numpy


# ---- reference-drag entry guidance with bank reversals


def _unit(lat, lon):
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])


def _down_cross(r, p):
    """Downrange from the entry point and crossrange from the entry-to-target great circle, m."""
    e, t = _unit(p["entry_lat"], p["entry_lon"]), _unit(p["target_lat"], p["target_lon"])
    land = _unit(r["landing_lat"], r["landing_lon"])
    n = np.cross(e, t) / np.linalg.norm(np.cross(e, t))
    rk = float(R_MARS_EQ)
    return rk * math.acos(np.clip(e @ land, -1.0, 1.0)), rk * math.asin(land @ n)


@pytest.fixture(scope="module")
def guided(scenario, model):
    """A constant-bank (60 deg) lifting entry, its drag vs speed as the guidance's reference, and the guided model."""
    p = quiet(scenario.to_params([]), lift_to_drag=LD, bank=60 * DEG)
    p.update(bank_k_drag=0.05, bank_deadband=0.3 * DEG, bank_rate=20 * DEG)
    lifting = dataclasses.replace(model, has_lift=True)
    ref, _ = simulate_reference(p, lifting, history=False)
    law = entry_guidance.reference_law(p, model)
    assert law.mode == "drag_tracking" and len(law.ref_speed) > 10 and max(law.ref_drag) > 50.0  # m/s^2
    return p, ref, lifting, dataclasses.replace(lifting, bank=law)


@pytest.mark.parametrize("dfpa_deg", [0.5, -0.5])
def test_drag_tracking_removes_most_of_a_flight_path_angle_miss(guided, dfpa_deg):
    p, ref, lifting, model = guided
    nominal, _ = simulate_reference(p, model, history=False)
    q = dict(p, entry_fpa=p["entry_fpa"] + dfpa_deg * DEG)
    open_loop, _ = simulate_reference(q, lifting, history=False)
    closed, _ = simulate_reference(q, model, history=False)
    miss_open = _down_cross(open_loop, p)[0] - _down_cross(ref, p)[0]
    miss_closed = _down_cross(closed, p)[0] - _down_cross(nominal, p)[0]
    assert abs(miss_open) > 40 * KM  # a 0.5 deg error misses by tens of km without guidance
    assert abs(miss_closed) < 0.5 * abs(miss_open)


def test_bank_reversals_hold_the_crossrange_within_the_deadband(guided):
    p, ref, _, model = guided
    deadband = 0.3 * DEG * float(R_MARS_EQ)  # 17.8 km
    assert abs(_down_cross(ref, p)[1]) > 3 * deadband  # a constant 60 deg bank drifts far to the side
    for rho_scale in (0.85, 1.0, 1.15):
        r, h = simulate_reference(dict(p, rho_scale=rho_scale), model)
        assert abs(_down_cross(r, p)[1]) < deadband + 8 * KM  # plus the drift after the last reversal
        bank = h["bank_rad"][h["phase"] == 0]
        assert np.count_nonzero(np.diff(np.sign(bank)) != 0) >= 1  # it reversed
        assert np.max(np.abs(np.diff(bank))) <= 20 * DEG * 8.0 + 1e-9  # at most the rate limit over a cycle


def test_guided_jax_kernel_matches_numpy_reference(guided):
    p, _, _, model = guided
    cols = {k: np.full(3, float(v)) for k, v in p.items()}
    cols["rho_scale"] = np.array([0.9, 1.0, 1.1])
    out = run_batch(cols, model)
    for i in range(3):
        ref, _ = simulate_reference({k: float(v[i]) for k, v in cols.items()}, model, history=False)
        assert abs(out["parachute_deploy_t"][i] - ref["parachute_deploy_t"]) < 1e-6 * SECOND
        assert abs(out["landing_lat"][i] - ref["landing_lat"]) * 3.4e6 < 1e-3 * METRE


def test_lift_to_drag_dispersion_scales_the_lift(scenario, model):
    p = quiet(scenario.to_params([]), lift_to_drag=LD, bank=30 * DEG)
    lifting = dataclasses.replace(model, has_lift=True)
    ballistic, _ = simulate_reference(dict(p, lift_to_drag=0.0), model, history=False)
    no_lift, _ = simulate_reference(dict(p, ld_scale=0.0), lifting, history=False)
    assert no_lift["touchdown_t"] == ballistic["touchdown_t"] and no_lift["landing_lat"] == ballistic["landing_lat"]
    half, _ = simulate_reference(dict(p, ld_scale=0.5), lifting, history=False)
    same, _ = simulate_reference(dict(p, lift_to_drag=LD / 2), lifting, history=False)
    assert abs(half["parachute_deploy_t"] - same["parachute_deploy_t"]) < 1e-9 * SECOND
