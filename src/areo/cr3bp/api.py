"""User layer of the three-body tools: kilometres, days and UTC in, plain dicts out; validates every input and
turns failed corrections into :class:`~areo.errors.InputError` with the range that works.

    >>> from areo.cr3bp.api import halo
    >>> h = halo(400_000, point="L2")          # Sun-Earth L2 halo whose largest |z| is 400 000 km
    >>> round(h["period_d"])
    180

Amplitudes: ``amplitude_y_km`` and ``amplitude_z_km`` are the largest |y| and |z| over the orbit (distances from
the Sun-Earth line in the ecliptic and out of it, i.e. semi-amplitudes); ``amplitude_x_km`` is half the x range.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError, unknown_choice
from . import halo as _halo
from .dynamics import SYSTEMS, System, gamma, jacobi
from .dynamics import lagrange_points as _lagrange_points

# Largest Richardson amplitude (in units of gamma, the L point's distance from the smaller primary) from which the
# third-order guess converges directly (measured over the Sun-Earth and Earth-Moon families; larger orbits need
# continuation, which areo does not do yet).
MAX_AZ_GAMMA = {1: 0.8, 2: 0.5}
MAX_FAMILY = 10_000
DAY_S = 86400.0


def _system(name: str) -> System:
    key = str(name).strip().lower()
    if key not in SYSTEMS:
        raise unknown_choice("three-body system", str(name), SYSTEMS)
    return SYSTEMS[key]


def _point(point) -> int:
    key = str(point).strip().upper().removeprefix("L")
    if key not in ("1", "2"):
        raise InputError(f"libration point {point!r}: halo orbits are computed about L1 or L2; give 'L1' or 'L2'.")
    return int(key)


def _az_range_km(sys_: System, pt: int) -> tuple[float, float]:
    return 0.0, MAX_AZ_GAMMA[pt] * gamma(sys_.mu, pt) * sys_.length_m / 1e3


def _check_az(az_km, sys_: System, pt: int, what: str = "amplitude_z_km") -> float:
    lo, hi = _az_range_km(sys_, pt)
    try:
        v = float(az_km)
    except (TypeError, ValueError):
        v = math.nan
    if not (math.isfinite(v) and lo < v <= hi):
        raise InputError(
            f"{what} = {az_km!r} km has no convergent halo about L{pt} of {sys_.name}: areo's correction converges "
            f"for {lo:g} < Az <= {hi:,.0f} km; choose an amplitude in that range."
        )
    return v


def check_amplitude_km(az_km, point="L2", system: str = "sun-earth", what: str = "amplitude_z_km") -> float:
    """A halo amplitude (km) inside the range where the correction converges about ``point`` of ``system``, else
    InputError naming ``what`` (the CLI passes its option, ``--az-km``)."""
    return _check_az(az_km, _system(system), _point(point), what)


def check_ephemeris_days(days, what: str = "days") -> float:
    """The span (days) of the ephemeris continuation with station-keeping: 30 to 3 x 365.25 days."""
    return _check_range(days, 30.0, MAX_EPHEMERIS_DAYS, what)


def lagrange_points(system: str = "sun-earth") -> list[dict]:
    """L1..L5: normalised rotating-frame positions and distances from the smaller primary (km)."""
    s = _system(system)
    pts = _lagrange_points(s.mu)
    sec = np.array([1.0 - s.mu, 0.0, 0.0])
    return [
        {
            "point": f"L{i + 1}",
            "x": float(p[0]),
            "y": float(p[1]),
            "z": float(p[2]),
            "distance_from_secondary_km": round(float(np.linalg.norm(p - sec)) * s.length_m / 1e3, 1),
            "jacobi": float(jacobi(np.r_[p, 0.0, 0.0, 0.0], s.mu)),
        }
        for i, p in enumerate(pts)
    ]


def _describe(h: _halo.Halo, s: System, with_stability: bool = True) -> dict:
    _, pts = _halo.orbit_points(h, 400)
    xl = _lagrange_points(s.mu)[h.point - 1, 0]
    out = {
        "system": s.name,
        "libration_point": f"L{h.point}",
        "state0": [float(v) for v in h.state0],
        "period_d": h.period * s.time_s / DAY_S,
        "amplitude_x_km": 0.5 * float(np.ptp(pts[:, 0])) * s.length_m / 1e3,
        "amplitude_y_km": float(np.max(np.abs(pts[:, 1]))) * s.length_m / 1e3,
        "amplitude_z_km": float(np.max(np.abs(pts[:, 2]))) * s.length_m / 1e3,
        "x_min_from_point_km": float(pts[:, 0].min() - xl) * s.length_m / 1e3,
        "x_max_from_point_km": float(pts[:, 0].max() - xl) * s.length_m / 1e3,
        "jacobi": h.jacobi,
        "iterations": h.iterations,
    }
    if with_stability:
        out["stability_indices"] = list(_halo.stability_indices(h))
    return out


def halo_orbit(amplitude_z_km: float, point="L2", system: str = "sun-earth", northern: bool = True) -> _halo.Halo:
    """The corrected :class:`~areo.cr3bp.halo.Halo` whose largest |z| is ``amplitude_z_km`` (secant on z0)."""
    s, pt = _system(system), _point(point)
    az = _check_az(amplitude_z_km, s, pt) * 1e3 / s.length_m
    target = az
    h = _halo.halo_from_az(s.mu, pt, az, northern)
    prev = None
    for _ in range(8):
        if h.status != _halo.OK:
            break
        _, pts = _halo.orbit_points(h, 400)
        err = float(np.max(np.abs(pts[:, 2]))) - target
        if abs(err) * s.length_m < 1.0:
            return h
        z0 = float(h.state0[2])
        if prev is None:
            z_new = z0 - err * z0 / (target + err)
        else:
            z_new = z0 - err * (z0 - prev[0]) / (err - prev[1])
        prev = (z0, err)
        s_new = h.state0.copy()
        s_new[2] = z_new
        h = _halo.correct(s.mu, pt, s_new, 0.5 * h.period)
    if h.status != _halo.OK:
        lo, hi = _az_range_km(s, pt)
        raise InputError(
            f"no convergent halo about L{pt} of {s.name} with amplitude_z_km = {amplitude_z_km:g} "
            f"({_halo.STATUS_TEXT[h.status]}); try an amplitude inside {lo:g}..{hi:,.0f} km."
        )
    return h


def halo(amplitude_z_km: float, point="L2", system: str = "sun-earth", northern: bool = True) -> dict:
    """One halo orbit: initial state (normalised), period, amplitudes (km), Jacobi constant, stability indices."""
    return _describe(halo_orbit(amplitude_z_km, point, system, northern), _system(system))


def halo_family(
    az_min_km: float,
    az_max_km: float,
    n: int = 100,
    point="L2",
    system: str = "sun-earth",
    northern: bool = True,
    *,
    steps: int = 600,
) -> list[dict]:
    """``n`` halos with Richardson amplitudes evenly spaced in [az_min_km, az_max_km], corrected at once by the
    batched JAX kernel. Each row has a ``status`` ('converged', 'not converged', 'diverged'); no row is NaN."""
    s, pt = _system(system), _point(point)
    lo = _check_az(az_min_km, s, pt, "az_min_km")
    hi = _check_az(az_max_km, s, pt, "az_max_km")
    if hi < lo:
        raise InputError(f"az_max_km ({hi:g}) is below az_min_km ({lo:g}); give the range as min then max.")
    if not (isinstance(n, int | np.integer) and 1 <= n <= MAX_FAMILY):
        raise InputError(f"family size n = {n!r}; give a whole number from 1 to {MAX_FAMILY}.")
    from .family import correct_batch

    az_km = np.linspace(lo, hi, int(n))
    guesses = [_halo.guess(s.mu, pt, a * 1e3 / s.length_m, northern) for a in az_km]
    g = np.array([x[0] for x in guesses])
    th = np.array([x[1] for x in guesses])
    x0, vy0, period, status, its, res = correct_batch(s.mu, g[:, 0], g[:, 2], g[:, 4], th, steps=steps)
    xl = _lagrange_points(s.mu)[pt - 1, 0]
    status = np.where(np.abs(x0 - xl) > gamma(s.mu, pt), _halo.DIVERGED, status)
    rows = []
    for i in range(len(az_km)):
        ok = status[i] == _halo.OK
        st = np.array([x0[i], 0.0, g[i, 2], 0.0, vy0[i], 0.0])
        rows.append(
            {
                "az_richardson_km": float(az_km[i]),
                "status": _halo.STATUS_TEXT[int(status[i])],
                "x0": float(x0[i]) if ok else None,
                "z0_km": float(g[i, 2]) * s.length_m / 1e3,
                "vy0": float(vy0[i]) if ok else None,
                "period_d": float(period[i]) * s.time_s / DAY_S if ok else None,
                "jacobi": float(jacobi(st, s.mu)) if ok else None,
                "iterations": int(its[i]),
                "residual": float(res[i]) if np.isfinite(res[i]) else None,
            }
        )
    return rows


# ------------------------------------------------------------------------------------------ ephemeris model
MAX_EPHEMERIS_DAYS = 3 * 365.25


def _epoch(utc: str, what: str) -> float:
    from ..ephem import default_ephemeris
    from ..time import utc_to_tdb_seconds

    t = float(utc_to_tdb_seconds(utc))
    default_ephemeris().check_range(np.array([t]), what=what)
    return t


def _check_range(days, lo: float, hi: float, what: str, unit: str = "days") -> float:
    try:
        v = float(days)
    except (TypeError, ValueError):
        v = math.nan
    if not (math.isfinite(v) and lo <= v <= hi):
        raise InputError(f"{what} = {days!r} {unit}; give a number of {unit} from {lo:g} to {hi:g}.")
    return v


def _sun_earth(system: str) -> System:
    s = _system(system)
    if s.name != "sun-earth":
        raise InputError(
            f"the ephemeris model is built for the Sun-Earth system only (got {s.name!r}); use system='sun-earth'."
        )
    return s


def ephemeris_halo(
    h: _halo.Halo, start_tdb_s: float, days: float, *, phase: float = 0.0, node_days: float = 20.0, model=None
):
    """Multiple-shooting continuation of CR3BP halo ``h`` (from normalised time ``phase`` on it) into the
    ephemeris model from ``start_tdb_s`` for ``days``: returns (model, ShootingResult, Reference)."""
    from .dynamics import SUN_EARTH
    from .dynamics import propagate as cr3bp_propagate
    from .ephemeris import EphemerisModel, Reference, multiple_shooting

    s = SUN_EARTH
    model = model or EphemerisModel(start_tdb_s, start_tdb_s + days * DAY_S)
    nodes = np.arange(0.0, days * DAY_S + 1.0, node_days * DAY_S)
    if nodes[-1] < days * DAY_S - 1.0:
        nodes = np.append(nodes, days * DAY_S)
    span = nodes[-1] / s.time_s
    sol = cr3bp_propagate(h.state0, phase + span, h.mu, dense=True)
    states = np.array([model.from_synodic(start_tdb_s + t, sol.sol(phase + t / s.time_s)) for t in nodes])
    res = multiple_shooting(model, start_tdb_s + nodes, states)
    if not res.converged:
        raise InputError(
            f"the ephemeris-model continuation did not converge (defect {res.defect_m / 1e3:.1f} km after "
            f"{res.iterations} iterations); try a shorter span or a smaller amplitude."
        )
    return model, res, Reference(model, res)


def continue_to_ephemeris(
    amplitude_z_km: float, start_utc: str, days: float = 365.0, point="L2", system: str = "sun-earth"
) -> dict:
    """The halo carried into the DE421 Sun-Earth-Moon model by multiple shooting over ``days`` from
    ``start_utc``: convergence, continuity defect and the orbit's extent in the Sun-EMB rotating frame."""
    s = _sun_earth(system)
    days = _check_range(days, 20.0, MAX_EPHEMERIS_DAYS, "days")
    t0 = _epoch(start_utc, "start_utc")
    _epoch_end = _epoch(_utc(t0 + days * DAY_S), "end of the span")
    del _epoch_end
    h = halo_orbit(amplitude_z_km, point, system)
    model, res, _ = ephemeris_halo(h, t0, days)
    syn = np.array([model.to_synodic(t, x) for t, x in zip(res.tdb_s, res.states, strict=True)])
    return {
        "start_utc": start_utc,
        "days": days,
        "nodes": len(res.tdb_s),
        "iterations": res.iterations,
        "defect_m": res.defect_m,
        "defect_m_s": res.defect_m_s,
        "amplitude_y_km": float(np.max(np.abs(syn[:, 1]))) * s.length_m / 1e3,
        "amplitude_z_km": float(np.max(np.abs(syn[:, 2]))) * s.length_m / 1e3,
    }


def _utc(tdb_s: float) -> str:
    from ..time import tdb_seconds_to_utc_iso

    return str(tdb_seconds_to_utc_iso(float(tdb_s)))


def station_keeping(
    amplitude_z_km: float,
    start_utc: str,
    days: float = 365.25,
    point="L2",
    *,
    interval_days: float = 30.0,
    target_days: float = 60.0,
    nav_position_km: float = 1.0,
    nav_velocity_cm_s: float = 1.0,
    execution_error_percent: float = 2.0,
    seed: int = 0,
) -> dict:
    """Station-keeping of the ephemeris-model halo over ``days``: manoeuvres every ``interval_days`` with
    orbit-determination and execution errors; total and yearly delta-v and the largest distance from the
    reference."""
    _sun_earth("sun-earth")
    days = _check_range(days, 30.0, MAX_EPHEMERIS_DAYS, "days")
    interval_days = _check_range(interval_days, 1.0, 180.0, "interval_days")
    target_days = _check_range(target_days, interval_days, 365.0, "target_days")
    t0 = _epoch(start_utc, "start_utc")
    _epoch(_utc(t0 + (days + target_days) * DAY_S), "end of the span")
    h = halo_orbit(amplitude_z_km, point)
    _, _, ref = ephemeris_halo(h, t0, days + target_days)
    from .ephemeris import station_keeping as _sk

    sk = _sk(
        ref,
        t0,
        t0 + days * DAY_S,
        interval_days=interval_days,
        target_days=target_days,
        nav_position_m=nav_position_km * 1e3,
        nav_velocity_m_s=nav_velocity_cm_s / 100.0,
        execution_error=execution_error_percent / 100.0,
        seed=seed,
    )
    return _sk_summary(sk)


def _sk_summary(sk, skip_first: bool = False) -> dict:
    """Station-keeping figures; ``skip_first`` leaves out the first burn (a halo insertion, reported apart)."""
    dv = np.linalg.norm(sk.dv_m_s, axis=1)[1 if skip_first else 0 :]
    years = (sk.sample_tdb_s[-1] - sk.sample_tdb_s[0]) / (365.25 * DAY_S)
    return {
        "manoeuvres": int(dv.size),
        "total_dv_m_s": round(float(dv.sum()), 4),
        "dv_per_year_m_s": round(float(dv.sum()) / years, 4),
        "max_deviation_km": round(sk.max_deviation_m / 1e3, 1),
        "dv_m_s": [round(float(d), 4) for d in dv],
    }


def check_parking_km(parking_altitude_km, system: str = "sun-earth") -> float:
    """The altitude (km) of a transfer's circular parking orbit: 150 to 50 000 km, else InputError; a transfer is
    computed in the Sun-Earth system only."""
    if _system(system).name != "sun-earth":
        raise InputError(
            f"a transfer is computed in the Sun-Earth system only (got {system}); use the sun-earth system."
        )
    return _check_range(parking_altitude_km, 150.0, 50_000.0, "parking_altitude_km", "km")


def transfer(amplitude_z_km: float, parking_altitude_km: float = 200.0, point="L2") -> dict:
    """Direct single-impulse transfer from a circular parking orbit along the halo's stable manifold (CR3BP):
    time of flight, escape-burn delta-v and the perigee C3 (Earth+Moon as the CR3BP's secondary)."""
    from ..constants import R_EARTH_EQ
    from .dynamics import SUN_EARTH
    from .transfer import stable_manifold_transfer

    alt = check_parking_km(parking_altitude_km)
    h = halo_orbit(amplitude_z_km, point)
    s = SUN_EARTH
    rp = (float(R_EARTH_EQ) + alt * 1e3) / s.length_m
    tr = stable_manifold_transfer(h, rp)
    if tr is None:
        raise InputError(
            f"no transfer reaches the L{h.point} halo with amplitude_z_km = {amplitude_z_km:g} from a "
            f"{alt:g} km parking orbit: its stable manifold never comes that close to Earth; choose a larger "
            "amplitude or a higher parking orbit."
        )
    return _transfer_summary(tr, h, s)


def _transfer_summary(tr, h, s) -> dict:
    gm = s.mu * s.length_m**3 / s.time_s**2
    r = tr.perigee_state[:3] - np.array([1.0 - s.mu, 0.0, 0.0])
    v = tr.perigee_state[3:] + np.cross([0.0, 0.0, 1.0], r)
    rp, vp = float(np.linalg.norm(r)) * s.length_m, float(np.linalg.norm(v)) * s.velocity_m_s
    return {
        "tof_d": tr.tof * s.time_s / DAY_S,
        "insertion_phase": tr.phase / h.period,
        "perigee_radius_km": rp / 1e3,
        "perigee_speed_m_s": vp,
        "escape_dv_m_s": vp - math.sqrt(gm / rp),
        "c3_km2_s2": (vp**2 - 2 * gm / rp) / 1e6,
    }


def l2_mission(
    amplitude_z_km: float,
    injection_utc: str,
    *,
    point="L2",
    parking_altitude_km: float = 200.0,
    halo_days: float = 365.25,
    tcm_days: tuple[float, ...] = (9.0,),
    injection_error_m_s: float = 1.0,
    interval_days: float = 30.0,
    target_days: float = 60.0,
    nav_position_km: float = 1.0,
    nav_velocity_cm_s: float = 1.0,
    execution_error_percent: float = 2.0,
    seed: int = 0,
) -> dict:
    """Parking orbit to halo and station-keeping in the DE421 ephemeris model, from the escape burn at
    ``injection_utc``:

    1. the CR3BP stable-manifold transfer gives the perigee, the insertion phase and the time of flight;
    2. the halo from that phase is continued into the ephemeris model from the insertion epoch (multiple shooting);
    3. the transfer is made continuous in the ephemeris model (multiple shooting, perigee and insertion positions
       pinned: the escape burn is re-targeted); an injection error (1-sigma per axis) is added, correction
       manoeuvres ``tcm_days`` after injection re-target the insertion point, and the insertion burn matches the
       halo's velocity;
    4. station-keeping over ``halo_days`` with orbit-determination and execution errors.

    Returns summary numbers and the flown trajectory (``tdb_s``, SSB-centred ICRF positions and velocities).
    """
    from .dynamics import SUN_EARTH

    s = SUN_EARTH
    halo_days = _check_range(halo_days, 30.0, MAX_EPHEMERIS_DAYS, "halo_days")
    t_inj = _epoch(injection_utc, "injection_utc")
    h = halo_orbit(amplitude_z_km, point)
    rp, tr = _manifold_transfer(h, s, amplitude_z_km, parking_altitude_km)
    _check_tcm_days(tcm_days, tr.tof * s.time_s / DAY_S)
    model, shoot, ref = _reference_halo(h, s, tr, t_inj, halo_days, target_days)
    fly_kw = dict(
        rp=rp, halo_days=halo_days, tcm_days=tuple(tcm_days), injection_error_m_s=injection_error_m_s,
        nav=(nav_position_km * 1e3, nav_velocity_cm_s / 100.0), execution_error=execution_error_percent / 100,
        sk_interval_days=interval_days, sk_target_days=target_days, seed=seed,
    )  # fmt: skip
    fl = _fly_l2(model, h, tr, t_inj, ref, shoot, injection_utc, fly_kw)
    return {
        "halo": _describe(h, s),
        "injection_utc": _utc(fl.t_injection),
        "injection_offset_d": (fl.t_injection - t_inj) / DAY_S,
        "arrival_utc": _utc(fl.t_insertion),
        "transfer": _l2_transfer(tr, h, s, fl, injection_error_m_s),
        "ephemeris_halo": {"nodes": len(shoot.tdb_s), "iterations": shoot.iterations, "defect_m": shoot.defect_m},
        "station_keeping": _sk_summary(fl.sk),
        "trajectory": _l2_trajectory(model, fl),
    }


def _manifold_transfer(h, s: System, amplitude_z_km: float, parking_altitude_km: float):
    """The parking orbit's perigee radius (m) and the CR3BP stable-manifold transfer from it to the halo ``h``."""
    from ..constants import R_EARTH_EQ
    from .transfer import stable_manifold_transfer

    alt = check_parking_km(parking_altitude_km)
    rp = float(R_EARTH_EQ) + alt * 1e3
    tr = stable_manifold_transfer(h, rp / s.length_m)
    if tr is None:
        raise InputError(
            f"no transfer reaches the L{h.point} halo with amplitude_z_km = {amplitude_z_km:g} from a {alt:g} km "
            "parking orbit (its stable manifold never comes that close to Earth); choose a larger amplitude."
        )
    return rp, tr


def _check_tcm_days(tcm_days, tof_d: float) -> None:
    """Each correction manoeuvre falls inside the transfer (and at least 6 days before its end)."""
    for d in tcm_days:
        if not 0.0 < float(d) < tof_d - 6.0:
            raise InputError(f"tcm day {d} is outside the transfer; give days after injection in 0..{tof_d - 6:.0f}.")


def _reference_halo(h, s: System, tr, t_inj: float, halo_days: float, target_days: float):
    """The ephemeris model over the mission and the halo continued into it from 40 days before the CR3BP insertion
    epoch (the ephemeris arc may arrive earlier): ``(model, shoot, ref)``."""
    from .ephemeris import EphemerisModel

    t_ref = t_inj + tr.tof * s.time_s - 40 * DAY_S
    span = halo_days + target_days + 85.0
    _epoch(_utc(t_ref + span * DAY_S), "end of the halo span")
    model = EphemerisModel(t_inj - 60 * DAY_S, t_ref + span * DAY_S)
    phase0 = (tr.phase - 40 * DAY_S / s.time_s) % h.period
    _, shoot, ref = ephemeris_halo(h, t_ref, span, phase=phase0, model=model)
    return model, shoot, ref


def _fly_l2(model, h, tr, t_inj: float, ref, shoot, injection_utc: str, fly_kw: dict):
    """The transfer and station-keeping flown in the ephemeris model; a transfer that cannot reach the halo is an
    InputError."""
    from .flight import TransferError, fly

    try:
        fl = fly(model, h, tr, t_inj, ref, len(shoot.tdb_s), shoot.iterations, **fly_kw)
    except TransferError as exc:
        raise InputError(
            f"the transfer cannot reach the halo in the ephemeris model from {injection_utc} ({exc}); try another "
            "injection epoch, a smaller injection error or an earlier correction manoeuvre."
        ) from None
    assert fl.sk is not None
    return fl


def _l2_transfer(tr, h, s: System, fl, injection_error_m_s: float) -> dict:
    """The ``transfer`` summary: the CR3BP figures, the ephemeris-model C3 and time of flight, the corrections and
    the insertion burn."""
    from ..constants import GM_EARTH

    sp = fl.perigee_nominal
    c3 = (float(sp[3:] @ sp[3:]) - 2 * float(GM_EARTH) / float(np.linalg.norm(sp[:3]))) / 1e6
    return {
        **_transfer_summary(tr, h, s),
        "c3_ephemeris_km2_s2": round(c3, 4),
        "ephemeris_minus_cr3bp_perigee_speed_m_s": round(fl.retarget_dv_m_s, 3),
        "tof_ephemeris_d": (fl.t_insertion - fl.t_injection) / DAY_S,
        "injection_error_m_s": injection_error_m_s,
        "tcm": [
            {"utc": _utc(t), "dv_m_s": round(float(np.linalg.norm(d)), 3), "aim_miss_km": round(m / 1e3, 1)}
            for t, d, m in fl.tcm
        ],
        "insertion_dv_m_s": round(float(np.linalg.norm(fl.insertion_dv)), 4),
    }


def _l2_trajectory(model, fl) -> dict:
    """The flown trajectory: ``tdb_s``, SSB-centred ICRF positions and velocities, geocentric positions."""
    e_ssb = np.array([np.concatenate([model.earth_ssb(x), model.earth_ssb(x, 1)]) for x in fl.tdb_s])
    return {
        "tdb_s": fl.tdb_s,
        "r_ssb_icrf_m": fl.states[:, :3] + e_ssb[:, :3],
        "v_ssb_icrf_m_s": fl.states[:, 3:] + e_ssb[:, 3:],
        "r_geo_icrf_m": fl.states[:, :3],
    }


def lissajous(
    amplitude_y_km: float, amplitude_z_km: float, point="L2", system: str = "sun-earth", revolutions: int = 4
) -> dict:
    """A Lissajous trajectory: the linear solution made continuous in the CR3BP by multiple shooting over
    ``revolutions`` in-plane revolutions; its extents, Jacobi constant and continuity."""
    from . import lissajous as _lj

    s, pt = _system(system), _point(point)
    hi = MAX_AZ_GAMMA[pt] * gamma(s.mu, pt) * s.length_m / 1e3
    for name, v in (("amplitude_y_km", amplitude_y_km), ("amplitude_z_km", amplitude_z_km)):
        if not (isinstance(v, int | float) and math.isfinite(v) and 0.0 < v <= hi):
            raise InputError(f"{name} = {v!r}: give a Lissajous amplitude in 0..{hi:,.0f} km about L{pt}.")
    if not (isinstance(revolutions, int) and 1 <= revolutions <= 20):
        raise InputError(f"revolutions = {revolutions!r}; give a whole number from 1 to 20.")
    o = _lj.lissajous(s.mu, pt, amplitude_y_km * 1e3 / s.length_m, amplitude_z_km * 1e3 / s.length_m, revolutions)
    if not o.converged:
        raise InputError(
            f"no continuous Lissajous trajectory with Ay = {amplitude_y_km:g} km, Az = {amplitude_z_km:g} km "
            f"(defect {o.defect * s.length_m / 1e3:.1f} km); try smaller amplitudes or fewer revolutions."
        )
    return {
        "system": s.name,
        "libration_point": f"L{pt}",
        "revolutions": revolutions,
        "span_d": float(o.times[-1]) * s.time_s / DAY_S,
        "amplitude_y_km": float(np.max(np.abs(o.states[:, 1]))) * s.length_m / 1e3,
        "amplitude_z_km": float(np.max(np.abs(o.states[:, 2]))) * s.length_m / 1e3,
        "jacobi": float(jacobi(o.states[0], s.mu)),
        "jacobi_spread": _lj.jacobi_spread(s.mu, o),
        "iterations": o.iterations,
        "defect_km": o.defect * s.length_m / 1e3,
    }


def manifolds(
    amplitude_z_km: float, point="L2", system: str = "sun-earth", n: int = 20, stable: bool = True, days: float = 250.0
) -> list[dict]:
    """The halo's stable (or unstable) manifold: ``n`` trajectories from points along the orbit, each with its
    closest approach to the smaller primary and the Jacobi constant (equal to the orbit's up to the displacement)."""
    s = _system(system)
    if not (isinstance(n, int) and 1 <= n <= 500):
        raise InputError(f"n = {n!r}; give a number of manifold trajectories from 1 to 500.")
    days = _check_range(days, 1.0, 2000.0, "days")
    h = halo_orbit(amplitude_z_km, point, system)
    sec = np.array([1.0 - s.mu, 0.0, 0.0])
    rows = []
    for i, (t, st) in enumerate(_halo.manifolds(h, n, stable=stable, duration=days * DAY_S / s.time_s, step=1e-4)):
        d = np.linalg.norm(st[:, :3] - sec, axis=1)
        k = int(np.argmin(d))
        c = jacobi(st, s.mu)
        rows.append(
            {
                "phase": i / n,
                "closest_approach_km": float(d[k]) * s.length_m / 1e3,
                "at_d": float(t[k]) * s.time_s / DAY_S,
                "jacobi": float(c[0]),
                "jacobi_spread": float(np.ptp(c)),
            }
        )
    return rows
