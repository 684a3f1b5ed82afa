"""Validation of the 6-DOF model's canopy dynamics (areo.edl.sixdof) against an analytic invariant and against
published oscillation figures of disk-gap-band (DGB) parachute systems.

1. Invariant: a canopy on a riser behind a pivot moving at constant speed V through still air swings as a pendulum
   whose restoring force is the canopy's normal force C_N_alpha sin(alpha) q S and whose inertia is the canopy
   mass plus its added (apparent) mass, m_eff L theta'' = -C_N_alpha q S (theta + L theta' / V): small-amplitude
   period 2 pi / (omega_0 sqrt(1 - zeta^2)), omega_0^2 = C_N_alpha q S / (m_eff L),
   zeta = C_N_alpha q S / (2 m_eff V omega_0) (the L theta' / V term is the incidence the swing adds). The linear
   model of a parachute with apparent mass: White and Wolf, "A theory of three-dimensional parachute dynamic
   stability", J. Aircraft 5(1), 86-92, 1968; Knacke, Parachute Recovery Systems Design Manual, NWC TP 6575,
   1992, ch. 5 (apparent mass, stability). The pivot is a capsule of 1e12 kg and 1e12 kg m^2 (it neither
   decelerates nor turns), gravity and the frame rotation are off, the air is uniform.
2. Published figures (tests/authorities/dgb_oscillation.json, each with its source): the Mars Science Laboratory's
   peak aeroshell rotation rate under its 21.35 m DGB, 69.4 deg/s, its peak rotational acceleration, 625 deg/s^2,
   and the first peak inflation force, 153.8 kN (Cruz et al., JSR 51(4) 2014); the canopy pitch-yaw
   oscillations of a 9.1 m DGB in flight, under 5 deg (Eckstrom and Preisser, NASA TM X-1451, 1967). The MSL
   case flies the shipped model (load_6dof("exomars2016"), with the two calibrated canopy inputs, trim angle 5.2 deg and
   inflation exponent 6) with MSL's size, mass and riser, several of them estimates (listed in the JSON), from
   mortar fire for 8 s, with the shipped symmetric riser and with a hysteretic one (unloading damping twice
   critical, assumed). Where the model disagrees the test is a strict xfail whose reason gives the measured
   gap: the model is not tuned to these figures.
3. Invariant: the pack's rebound off the riser at line stretch, symmetric or hysteretic (a different damping
   while the line shortens), against the piecewise-linear oscillator integrated by scipy.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tests.edl._sixdof_ctx import canopy_ctx
from tests.units import DEG, SECOND

AUTH = json.loads((Path(__file__).resolve().parents[1] / "authorities" / "dgb_oscillation.json").read_text())
FIG = {k: v["value"] for k, v in AUTH["figures"].items()}
MSL = {k: v["value"] for k, v in AUTH["msl_case"].items() if isinstance(v, dict)}
KN = 1e3

# ---------------------------------------------------------------------------------------------------------------
# 1. the canopy as a pendulum behind a fixed pivot: period and damping against the analytic small-amplitude values

RHO, TEMP, V = 0.01, 220.0, 100.0  # uniform air (kg/m^3, K) and the pivot's speed (m/s): q = 50 Pa
D0, CT, CN_ALPHA, M_CHUTE, K_A, L0, K_RISER = 12.0, 0.6, 0.3, 15.0, 0.11, 20.0, 8e4


class _UniformAir:
    def evaluate(self, h, xp):
        return TEMP + 0.0 * h, 0.0 * h, RHO + 0.0 * h


def _pivot(pendulum: bool, trim_deg: float, **over):
    """(model, prepared parameters) of a canopy on its riser behind a pivot of 1e12 kg in uniform air, gravity and
    frame rotation off; ``over`` replaces parameters."""
    from areo.edl.sixdof.sim import Model6, prepare

    zeros = [0.0, 0.0]
    cap = {
        "mach": [0.0, 50.0],
        **{c: zeros for c in ("axial", "normal_slope_per_rad", "moment_slope_per_rad", "pitch_damping")},
    }
    model = Model6(
        _UniformAir(), _UniformAir(), cap, {"mach": [0.0, 50.0], "drag": [CT, CT]}, pendulum=pendulum, omega=0.0
    )
    big = 1e12
    p = dict(
        ixx=big, iyy=big, izz=big, ixy=0.0, ixz=0.0, iyz=0.0, att_x=-1.0, riser_l0=L0, riser_k=K_RISER, riser_c=400.0,
        pend_beta=10.0, chute_mass=M_CHUTE, chute_ka=K_A, chute_cn_alpha=CN_ALPHA,
        chute_sin_trim=math.sin(trim_deg * DEG), area_chute=math.pi / 4.0 * D0**2, area_capsule=4.5, ref_length=2.4,
        cd_capsule_scale=1.0, cd_chute_scale=1.0, cmq_add=0.0, cd_lander=1.0, area_lander=2.0, rho_scale=1.0,
        gravity_on=0.0, t_inflation=1.0, infl_exp=2.0, chute_fail=0.0, wind_e=0.0, wind_n=0.0, gust_amp=0.0,
        gust_t0=0.0, gust_len=1.0, acc_sf=0.0, acc_bias=0.0, k_vel=2.0, isp=225.0,
        **{f"gyro_{a}_{i}": v for i in range(3) for a, v in (("sf", 0.0), ("bias", 0.0), ("limit", 10.0))},
    )  # fmt: skip
    p.update(over)
    return model, prepare({k: np.array([v]) for k, v in p.items()}, np)


def _swing(pendulum: bool, trim_deg: float, theta0_deg: float = 2.0, t_end: float = 6.5, dt: float = 0.004):
    """Canopy angle (deg, from the wake axis, in the swing plane) against time, the canopy starting
    ``theta0_deg`` beyond its trim angle at rest relative to the pivot."""
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof.sim import rk4

    model, p = _pivot(pendulum, trim_deg)
    big = 1e12
    length = _riser_length(pendulum)
    pivot = np.array([3.4e6 - 1.0, 0.0, 0.0])
    th = (trim_deg + theta0_deg) * DEG
    rp = pivot + length * np.array([-math.cos(th), math.sin(th), 0.0])
    Y = tuple(
        np.array([x])
        for x in (3.4e6, 0, 0, V, 0, 0, 1, 0, 0, 0, 0, 0, 0, *rp, V, 0, 0, 3.4e6, 0, 0, V, 0, 0, 1, 0, 0, 0, big)
    )
    c = canopy_ctx(-10.0, quasi=pendulum)  # the reduced model's riser is held at its rest length
    f = lambda Y, t: B.deriv(model, p, np, c, Y, t)  # noqa: E731
    n = round(t_end / dt)
    t, theta = np.empty(n), np.empty(n)
    for i in range(n):
        Y, *_ = rk4(f, Y, i * dt, dt, np)
        d = (Y[13][0] - Y[0][0] + 1.0, Y[14][0] - Y[1][0])
        t[i], theta[i] = (i + 1) * dt, math.degrees(math.atan2(d[1], -d[0]))
    return t, theta


def _riser_length(pendulum: bool) -> float:
    """Riser length at equilibrium: the rest length, stretched by the canopy's drag for the elastic riser."""
    q = 0.5 * RHO * V * V
    return L0 if pendulum else L0 + CT * q * math.pi / 4.0 * D0**2 / K_RISER


def _analytic(pendulum: bool, trim_deg: float):
    """(damped period s, damping ratio) of m_eff L theta'' = -C_N_alpha cos(trim) q S (theta + L theta' / V)."""
    q = 0.5 * RHO * V * V
    s = math.pi / 4.0 * D0**2
    m_eff = M_CHUTE + K_A * RHO * D0**3
    length = _riser_length(pendulum)
    k = CN_ALPHA * math.cos(trim_deg * DEG) * q * s
    w0 = math.sqrt(k / (m_eff * length))
    zeta = k / (2.0 * m_eff * V * w0)
    return 2.0 * math.pi / (w0 * math.sqrt(1.0 - zeta * zeta)), zeta


def _upward_crossings(t, x):
    i = np.where((x[:-1] < 0.0) & (x[1:] >= 0.0))[0]
    return t[i] + (0.0 - x[i]) / (x[i + 1] - x[i]) * (t[i + 1] - t[i])


def _peaks(x):
    return [x[i] for i in range(1, len(x) - 1) if x[i] > x[i - 1] and x[i] >= x[i + 1]]


@pytest.mark.parametrize(
    ("pendulum", "trim_deg"), [(True, 0.0), (False, 0.0), (True, 5.2)], ids=["reduced", "elastic", "reduced-trim"]
)
def test_canopy_swings_with_the_analytic_pendulum_period_and_damping(pendulum, trim_deg):
    """The canopy swing about its trim angle: period within 10 ms of the analytic 2.878 s (2.881 s on the
    stretched elastic riser), damping ratio within 0.01 of the analytic 0.224 (log decrement of successive
    peaks), and it comes to rest at its trim angle (within 0.01 deg)."""
    t, theta = _swing(pendulum, trim_deg)
    period, zeta = _analytic(pendulum, trim_deg)
    x = theta - trim_deg
    crossings = _upward_crossings(t, x)
    assert len(crossings) >= 2
    assert abs(float(np.mean(np.diff(crossings))) - period) < 0.01 * SECOND
    peaks = _peaks(x)
    delta = math.log(peaks[0] / peaks[1])
    assert abs(delta / math.sqrt(4.0 * math.pi**2 + delta**2) - zeta) < 0.01
    assert abs(x[-1]) < 0.01 + 2.0 * math.exp(-zeta * 2.0 * math.pi / period * t[-1])


# ---------------------------------------------------------------------------------------------------------------
# 1b. the line-stretch snatch: the pack's rebound off the elastic riser against the piecewise-linear oscillator

V_PACK, C_RISER = 35.0, 400.0  # pack speed away from the pivot at line stretch (m/s), loading damping (N s/m)
C_CRIT = 2.0 * math.sqrt(K_RISER * M_CHUTE)  # critical damping of the canopy's bare mass on the riser (N s/m)


def _rebound_model(c_unload: float, t_end: float = 0.2, dt: float = 2e-4) -> float:
    """dL/dt (m/s) of the riser once it has gone slack (negative: the canopy comes back towards the pivot); the canopy
    leaves the pivot at ``V_PACK`` at line stretch, no drag (inflation time 1e9 s); 6-DOF bodies, RK4."""
    from areo.edl.sixdof import bodies as B
    from areo.edl.sixdof.sim import rk4

    model, p = _pivot(False, 0.0, riser_c=C_RISER, riser_cu=c_unload, t_inflation=1e9)
    big = 1e12
    capsule = (3.4e6, 0, 0, V, 0, 0, 1, 0, 0, 0, 0, 0, 0)
    canopy = (3.4e6 - 1.0 - L0, 0, 0, V - V_PACK, 0, 0)  # at line stretch behind the attachment point, leaving it
    Y = tuple(np.array([x]) for x in (*capsule, *canopy, 3.4e6, 0, 0, V, 0, 0, 1, 0, 0, 0, big))
    c = canopy_ctx(0.0)
    f = lambda Y, t: B.deriv(model, p, np, c, Y, t)  # noqa: E731
    for i in range(round(t_end / dt)):
        Y, *_ = rk4(f, Y, i * dt, dt, np)
    return float(Y[3][0] - Y[16][0])  # dL/dt: the pivot and the line lie along x, the canopy behind the pivot


def _rebound_analytic(c_unload: float) -> float:
    """The same rebound from the piecewise-linear oscillator m x'' = -k x - c x' (c on loading, x' > 0, and
    ``c_unload`` on unloading) that lets go once the tension k x + c x' reaches zero; scipy's DOP853 with events
    (an independent integrator)."""
    from scipy.integrate import solve_ivp

    def rhs(c):
        return lambda t, y: (y[1], -(K_RISER * y[0] + c * y[1]) / M_CHUTE)

    def turn(t, y):
        return y[1]

    def slack(t, y):
        return K_RISER * y[0] + c_unload * y[1]

    turn.terminal = slack.terminal = True
    load = solve_ivp(rhs(C_RISER), (0.0, 1.0), (0.0, V_PACK), "DOP853", events=turn, rtol=1e-11, atol=1e-12)
    y = load.y_events[0][0]
    unload = solve_ivp(rhs(c_unload), (0.0, 1.0), (y[0], 1e-12), "DOP853", events=slack, rtol=1e-11, atol=1e-12)
    return float(unload.y_events[0][0][1])


@pytest.mark.parametrize("zeta_unload", [C_RISER / C_CRIT, 1.0, 2.0], ids=["symmetric", "critical", "hysteretic"])
def test_line_stretch_rebound_matches_the_piecewise_linear_oscillator(zeta_unload):
    """The pack's rebound off the riser at line stretch (15 kg canopy on 80 kN/m, 35 m/s, loading damping 400 N s/m,
    18 % of critical): the symmetric line (unloading damping = loading, the shipped model) throws the canopy back
    at 20.9 m/s (coefficient of restitution 0.60); a hysteretic line (unloading damping 1 or 2 times critical) at
    10.0 and 5.9 m/s. Within 0.05 m/s of the piecewise-linear oscillator (an invariant of the model: the capsule
    of 1e12 kg does not move)."""
    c_unload = zeta_unload * C_CRIT
    expected = _rebound_analytic(c_unload)
    assert abs(_rebound_model(c_unload) - expected) < 0.05
    assert (expected < -20.0) if zeta_unload < 0.5 else (-10.5 < expected < -5.0)


# ---------------------------------------------------------------------------------------------------------------
# 2. Mars Science Laboratory under its 21.35 m DGB, from mortar fire


def _altitude_for_density(atmosphere, rho: float) -> float:
    """Altitude (m) at which the model atmosphere has density ``rho`` (bisection; density falls with height)."""
    lo, hi = 0.0, 40_000.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if atmosphere.evaluate(np.array([mid]), np)[2][0] > rho:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _msl_params():
    from areo.edl.sixdof import load_6dof

    p, model = load_6dof("exomars2016", [])
    d, m = MSL["capsule_diameter_m"], MSL["mass_at_mortar_fire_kg"]
    kp, kr = MSL["pitch_radius_of_gyration_per_diameter"] * d, MSL["roll_radius_of_gyration_per_diameter"] * d
    v = MSL["speed_at_mortar_fire_m_s"]
    rho = 2.0 * MSL["dynamic_pressure_at_mortar_fire_pa"] / v**2
    p.update(
        m_entry=m, area_capsule=math.pi / 4.0 * d * d, ref_length=d, ixx=m * kr * kr, iyy=m * kp * kp,
        izz=m * kp * kp, ixy=0.0, ixz=0.0, iyz=0.0, att_x=-MSL["attach_behind_cm_per_diameter"] * d,
        riser_l0=MSL["riser_rest_length_m"], area_chute=math.pi / 4.0 * MSL["parachute_diameter_m"] ** 2,
        chute_mass=MSL["parachute_mass_kg"], riser_k=MSL["riser_stiffness_n_m"], riser_c=MSL["riser_damping_n_s_m"],
        entry_alt=_altitude_for_density(model.atmosphere, rho), entry_speed=v,
        entry_fpa=MSL["flight_path_angle_deg"] * DEG, entry_alpha=MSL["angle_of_attack_at_mortar_fire_deg"] * DEG,
        entry_rate_y=0.0, peak_g0=3.0, fsw_value0=5.0, t_stop=8.0, noise_key=0.0,
        **{f"gyro_limit_{i}": 1e4 * DEG for i in range(3)},  # the gyro range is not under test
    )  # fmt: skip
    return p, model


def _air_relative_start(S, p):
    """The state at mortar fire moves at ``entry_speed`` relative to the air (the entry state's speed is
    inertial), the capsule at ``entry_alpha`` from that velocity; navigation equal to the truth."""
    from areo.constants import OMEGA_MARS
    from areo.edl.sixdof import quat as Q

    r = tuple(S[k] for k in ("x", "y", "z"))
    v = (S["vx"] - OMEGA_MARS * r[1], S["vy"] + OMEGA_MARS * r[0], S["vz"])  # the inertial velocity, as relative
    u = tuple(c / np.sqrt(sum(x * x for x in v)) for c in v)
    up = tuple(c / np.sqrt(sum(x * x for x in r)) for c in r)
    a = 0.5 * p["entry_alpha"]
    q = Q.mul(Q.from_axes(u, up, np), (np.cos(a), 0.0 * a, np.sin(a), 0.0 * a))
    for k, val in zip(("vx", "vy", "vz", "q0", "q1", "q2", "q3"), (*v, *q)):
        S[k] = val
    for k, val in zip(("nvx", "nvy", "nvz", "n0", "n1", "n2", "n3", "pvx", "pvy", "pvz"), (*v, *q, *v)):
        S[k] = val
    return S


@pytest.fixture(scope="module")
def msl():
    """The MSL case as shipped (a symmetric riser: :func:`_fly_msl`)."""
    return _fly_msl()


@pytest.fixture(scope="module")
def msl_hysteretic():
    """The MSL case on a hysteretic riser: unloading damping twice critical (assumed, in the JSON), the rest as
    :func:`msl`; the pack's line-stretch rebound is ~6 m/s instead of ~20 m/s."""
    return _fly_msl(riser_cu=MSL["riser_unloading_damping_n_s_m"])


def _fly_msl(**over):
    """Fly the MSL case 8 s from mortar fire (numpy reference step); per step: time, total capsule rate and
    rotational acceleration, riser tension of the step, canopy angle off the capsule's wake (riser axis against the
    air-relative velocity). ``over`` replaces parameters."""
    from areo.edl.sixdof import quat as Q
    from areo.edl.sixdof.sim import finish, initial_state, prepare, step

    p, model = _msl_params()
    p.update(over)
    pa = prepare({k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in p.items()}, np)
    S = _air_relative_start(initial_state(pa, np), pa)
    rows = []
    for _ in range(50_000):
        if S["status"][0] != 0 or S["t"][0] >= pa["t_stop"][0] - 1e-9:
            break
        S = step(S, pa, model, np)
        body_x = np.array(Q.dcm(tuple(S[k][0] for k in ("q0", "q1", "q2", "q3"))))[:, 0]
        att = np.array([S[k][0] for k in ("x", "y", "z")]) + pa["att_x"][0] * body_x  # riser attach point
        d = np.array([S[k][0] for k in ("px", "py", "pz")]) - att
        v = np.array([S[k][0] for k in ("vx", "vy", "vz")])
        cos_off = float(-(d @ v) / (np.linalg.norm(d) * np.linalg.norm(v)))
        w = tuple(S[k][0] for k in ("wx", "wy", "wz"))
        rows.append((S["t"][0], *w, S["tension"][0], math.acos(min(1.0, cos_off))))
    res = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in finish(S, pa, np).items()}
    t, wx, wy, wz, tension, off = (np.array(c) for c in zip(*rows))
    w = np.stack([wx, wy, wz])
    accel = np.linalg.norm(np.diff(w, axis=1), axis=0) / np.diff(t)  # |dw/dt| over each step
    rate = np.linalg.norm(w, axis=0)
    return {"t": t, "rate": rate, "accel": accel, "tension": tension, "off": off, "res": res, "p": p}


def test_msl_case_deploys_at_the_published_conditions(msl):
    """The MSL case's set-up itself: mortar fire on the first step at 470 m/s air-relative and 504 Pa, and a
    full 8 s under the canopy (the comparisons below are about this flight)."""
    r = msl["res"]
    assert r["parachute_deploy_t"] == 0.0
    assert abs(r["parachute_deploy_v"] - MSL["speed_at_mortar_fire_m_s"]) < 1.0  # no wind: air-relative
    assert msl["t"][-1] >= 8.0 * SECOND - 1e-6
    assert float(np.max(msl["tension"])) > 0.0


GAP_RATE = (
    "model 30.9 deg/s peak aeroshell rate under the MSL DGB against the reconstructed 69.4 deg/s (Cruz et al. 2014): "
    "38.5 deg/s (55 %) low, with the assumed 3 deg incidence at rest at mortar fire (19.4 deg/s at 0 deg, 44.3 deg/s "
    "at 5 deg, 55.5 deg/s at 6 deg: the gap hangs on that unknown input); canopy area oscillations are not "
    "represented (measured 2026-11-30)"
)
GAP_ACCEL = (
    "model 244 deg/s^2 peak aeroshell rotational acceleration against the reconstructed 625 deg/s^2 (Cruz et al. "
    "2014): 381 deg/s^2 (61 %) low at the assumed 3 deg incidence (234 deg/s^2 at 0 deg, 569 at 5 deg, 1125 at 6 deg) "
    "(measured 2026-11-30)"
)
GAP_LOAD = (
    "model 265.6 kN peak riser tension against the reconstructed 153.8 kN first peak inflation force (Cruz et al. "
    "2014): 111.8 kN (73 %) high; the pack placed at line stretch with the mortar's 35 m/s snatches at once, the "
    "canopy rebounds, the line stays slack ~0.9 s and re-snatches as the canopy opens (inflation exponent 6, "
    "calibrated on Schiaparelli); the peak hardly depends on the dynamic pressure (269.5 kN at 750 Pa): it is the "
    "re-snatch, not the aerodynamic opening load; with less rebound (the riser's unloading damping 0.5, 1, 2, 5 "
    "times critical) 199.8, 144.2, 92.7, 90.7 kN: it hangs on the line's unknown hysteresis (measured 2026-11-30)"
)
GAP_LOAD_HYSTERETIC = (
    "model 92.7 kN peak riser tension on a hysteretic riser (unloading damping twice critical, assumed) against the "
    "reconstructed 153.8 kN (Cruz et al. 2014): 61.1 kN (40 %) low; the pack's line-stretch rebound falls from "
    "~20 to ~6 m/s, the line re-tensions gently as the canopy's drag grows and the peak is the quasi-steady opening "
    "load of the inflation law (drag area ~ t^6, no opening overshoot of the canopy's drag), at 1.03 s, after full "
    "inflation; peak rate 23.5 deg/s, rotational acceleration 147 deg/s^2 (measured 2026-11-30)"
)
GAP_PEPP = (
    "model canopy rides at its calibrated 5.2 deg trim (mean 5.3 deg over 3-8 s) and swings to 7.0 deg off the "
    "wake after inflation, against < 5 deg observed on the 9.1 m DGB of NASA TM X-1451: 2.0 deg over the bound; "
    "the calibrated trim alone exceeds it (measured 2026-11-30)"
)


@pytest.mark.xfail(strict=True, reason=GAP_RATE)
def test_msl_peak_aeroshell_rate_after_inflation_matches_the_reconstruction(msl):
    """Peak total rotation rate of the aeroshell under the canopy within 35 deg/s (half) of 69.4 deg/s: wide,
    because several MSL inputs are estimates (inertia, attach point, riser, incidence at mortar fire)."""
    peak = float(np.max(msl["rate"]))
    assert abs(peak - FIG["msl_peak_aeroshell_rate_deg_s"] * DEG) < 35.0 * DEG


@pytest.mark.xfail(strict=True, reason=GAP_ACCEL)
def test_msl_peak_aeroshell_rotational_acceleration_matches_the_reconstruction(msl):
    """Peak total rotational acceleration of the aeroshell under the canopy (|dw/dt| over each step) within
    312 deg/s^2 (half) of the reconstructed 625 deg/s^2."""
    peak = float(np.max(msl["accel"]))
    assert abs(peak - FIG["msl_peak_aeroshell_angular_acceleration_deg_s2"] * DEG) < 312.0 * DEG


@pytest.mark.xfail(strict=True, reason=GAP_LOAD)
def test_msl_first_peak_riser_load_matches_the_reconstruction(msl):
    """Peak riser tension within 25 % (38 kN) of the reconstructed first peak inflation force 153.8 kN (its
    aerodynamic part; the pre-flight Monte Carlo median was 175.4 kN, 14 % higher)."""
    peak = float(np.max(msl["tension"]))
    assert abs(peak - FIG["msl_first_peak_inflation_force_kN"] * KN) < 38.0 * KN


@pytest.mark.xfail(strict=True, reason=GAP_LOAD_HYSTERETIC)
def test_msl_first_peak_riser_load_on_a_hysteretic_riser_matches_the_reconstruction(msl_hysteretic):
    """As above, the riser's unloading damping twice critical (``edl.sixdof.riser.unloading_damping_n_s_m``,
    assumed): the line gives back little of the pack's line-stretch snatch, so the canopy opens on a taut line and
    the peak is the aerodynamic opening load of the inflation law."""
    peak = float(np.max(msl_hysteretic["tension"]))
    assert abs(peak - FIG["msl_first_peak_inflation_force_kN"] * KN) < 38.0 * KN


@pytest.mark.xfail(strict=True, reason=GAP_PEPP)
def test_canopy_pitch_yaw_after_inflation_stays_within_the_flight_tested_bound(msl):
    """After full inflation (1 s after mortar fire) the riser axis stays within 5 deg (PEPP flight test of a
    9.1 m DGB, NASA TM X-1451) plus 1 deg of the capsule's wake axis; the capsule's own incidence adds to it."""
    after = msl["t"] > 1.0 * SECOND
    assert float(np.max(msl["off"][after])) < (FIG["pepp_canopy_pitch_yaw_max_deg"] + 1.0) * DEG
