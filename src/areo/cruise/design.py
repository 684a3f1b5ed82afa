"""Patched-conic design of the departure: Lambert arcs (areo.transfer), optional deep-space manoeuvre, and the
Earth-escape hyperbola that starts the n-body flight.

With a DSM of given magnitude at a given epoch, the DSM point ``r_D`` is chosen to minimise
``v_inf_departure^2 + v_inf_arrival^2`` over two Sun-centred Lambert legs (Earth -> r_D -> Mars) subject to
``|dv_DSM| = dsm_dv_m_s`` (SLSQP). Without a DSM it is one Lambert arc.

Multi-revolution transfers: ``revs >= 1`` full revolutions about the Sun before arrival, on the ``branch``
``"short-period"`` or ``"long-period"`` (the two solutions of :func:`areo.transfer.lambert.lambert`). With a DSM,
each leg keeps the revolutions (and branch) that the ballistic ``revs`` arc makes before and after the DSM epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import GM_EARTH, GM_SUN
from ..ephem import default_ephemeris
from ..errors import InputError
from ..kepler import propagate as kepler_propagate
from ..transfer.lambert import lambert


@dataclass(frozen=True)
class TransferDesign:
    """Sun-centred ICRF patched-conic design (m, m/s, TDB s)."""

    launch_tdb_s: float
    arrival_tdb_s: float
    v_inf_departure_m_s: np.ndarray
    v_inf_arrival_m_s: np.ndarray
    dsm_tdb_s: float | None
    dsm_dv_m_s: np.ndarray | None
    r_dsm_sun_icrf_m: np.ndarray | None
    ballistic_v_inf_departure_m_s: np.ndarray
    ballistic_v_inf_arrival_m_s: np.ndarray
    revs: int = 0
    branch: str = "short-period"

    @property
    def c3_km2_s2(self) -> float:
        return float(self.v_inf_departure_m_s @ self.v_inf_departure_m_s) / 1e6


def design_transfer(
    launch_tdb_s: float,
    arrival_tdb_s: float,
    dsm_tdb_s: float | None = None,
    dsm_dv_m_s: float | None = None,
    ephemeris=None,
    *,
    revs: int = 0,
    branch: str = "short-period",
    departure_body: str = "earth",
    arrival_body: str = "mars",
) -> TransferDesign:
    """Lambert departure (and DSM) from ``departure_body`` to ``arrival_body``; see the module docstring."""
    eph = ephemeris or default_ephemeris()
    if not arrival_tdb_s > launch_tdb_s:
        raise InputError("arrival must be after launch; check the dates of the transfer.")
    revs = _check_revs(revs, branch)
    re, ve = eph.state(departure_body, launch_tdb_s)
    rm, vm = eph.state(arrival_body, arrival_tdb_s)
    tof = arrival_tdb_s - launch_tdb_s
    sol = lambert(re, rm, tof, float(GM_SUN), revs=revs, branch=branch)
    if not sol.ok:
        near = _nearest_arrival(eph, departure_body, arrival_body, launch_tdb_s, arrival_tdb_s, revs, branch)
        raise InputError(_no_transfer(revs, branch, tof, sol.messages()) + near)
    vinf_d0, vinf_a0 = sol.v1_m_s - ve, sol.v2_m_s - vm
    if dsm_tdb_s is None or not dsm_dv_m_s:
        return TransferDesign(
            launch_tdb_s, arrival_tdb_s, vinf_d0, vinf_a0, None, None, None, vinf_d0, vinf_a0, revs, branch
        )
    if not launch_tdb_s < dsm_tdb_s < arrival_tdb_s:
        raise InputError("the deep-space manoeuvre must lie between launch and arrival; move its date.")
    from scipy.optimize import minimize

    r_b, v_b, _ = kepler_propagate(re, sol.v1_m_s, dsm_tdb_s - launch_tdb_s, float(GM_SUN))
    t_legs = np.array([dsm_tdb_s - launch_tdb_s, arrival_tdb_s - dsm_tdb_s])
    leg_revs, leg_branch = _leg_revolutions(re, sol.v1_m_s, r_b, v_b, rm, t_legs, revs)
    scale = 1e9

    def legs(x):
        r_d = r_b + x * scale
        s = lambert(np.stack([re, r_d]), np.stack([r_d, rm]), t_legs, float(GM_SUN), revs=leg_revs, branch=leg_branch)
        return s.v1_m_s[0] - ve, s.v1_m_s[1] - s.v2_m_s[0], s.v2_m_s[1] - vm, r_d

    def cost(x):
        d, _, a, _ = legs(x)
        return (d @ d + a @ a) / 1e6

    con = {"type": "eq", "fun": lambda x: (np.linalg.norm(legs(x)[1]) - dsm_dv_m_s) / 100.0}
    res = minimize(cost, np.full(3, 0.01), constraints=[con], method="SLSQP", options={"maxiter": 100})
    d, dv, a, r_d = legs(res.x)
    if not (res.success and abs(np.linalg.norm(dv) - dsm_dv_m_s) < 0.01):
        raise InputError(
            f"no transfer with a {dsm_dv_m_s:.1f} m/s deep-space manoeuvre found between these dates "
            f"({res.message}); try another DSM date or magnitude."
        )
    return TransferDesign(launch_tdb_s, arrival_tdb_s, d, a, dsm_tdb_s, dv, r_d, vinf_d0, vinf_a0, revs, branch)


def _check_revs(revs, branch: str) -> int:
    from ..transfer.lambert import BRANCHES

    if isinstance(revs, bool) or not isinstance(revs, (int, np.integer)) or not 0 <= int(revs) <= 100:
        raise InputError(f"revs must be a whole number of revolutions from 0 to 100; got {revs!r}.")
    if branch not in BRANCHES:
        raise InputError(
            f"unknown branch {branch!r}; valid: {', '.join(BRANCHES)} (the smaller or larger semi-major axis of the "
            "two multi-revolution solutions)."
        )
    return int(revs)


def _no_transfer(revs: int, branch: str, tof_s: float, messages) -> str:
    why = str(np.asarray(messages).reshape(-1)[0])
    if revs:
        return (
            f"no {revs}-revolution transfer ({branch}) between these dates ({tof_s / 86400:.1f} days of flight): {why}."
        )
    return f"no transfer between these dates: {why}; check the dates."


def _nearest_arrival(eph, dep: str, arr: str, t_launch: float, t_arrival: float, revs: int, branch: str) -> str:
    """' Nearest reachable: ...' -- the arrival date closest to ``t_arrival`` (same launch, a 2-day grid within
    two years inside the ephemeris) that has a transfer with these revolutions, with its C3 and arrival v_inf."""
    from ..time import tdb_seconds_to_utc_iso

    lo, hi = (float(x) for x in eph.coverage_tdb_s)
    t = t_arrival + 86400.0 * np.arange(-730.0, 731.0, 2.0)
    t = t[(t > t_launch + 86400.0) & (t > lo + 86400.0) & (t < hi - 86400.0)]
    if t.size == 0:
        return ""
    re, ve = eph.state(dep, t_launch)
    rm, vm = eph.state(arr, t)
    n = t.size
    s = lambert(np.broadcast_to(re, (n, 3)), rm, t - t_launch, float(GM_SUN), revs=revs, branch=branch)
    ok = np.asarray(s.status) == 0
    if not ok.any():
        return (
            " No arrival within two years of it has such a transfer from this launch date; ask for fewer revolutions."
        )
    k = int(np.flatnonzero(ok)[np.argmin(np.abs(t[ok] - t_arrival))])
    c3 = float(np.sum((s.v1_m_s[k] - ve) ** 2)) / 1e6
    vinf = float(np.linalg.norm(s.v2_m_s[k] - vm[k])) / 1e3
    return (
        f" Nearest reachable from this launch: arrival {str(tdb_seconds_to_utc_iso(float(t[k])))[:10]} "
        f"(C3 {c3:.1f} km2/s2, arrival v_inf {vinf:.2f} km/s)."
    )


def _leg_revolutions(r0, v0, r_dsm, v_dsm, r_arr, t_legs, revs: int) -> tuple[np.ndarray, np.ndarray]:
    """Revolutions and branch of each leg (launch -> DSM, DSM -> arrival) that keep the ballistic ``revs`` arc:
    whole periods of that arc within each leg, and the branch whose departure velocity is that arc's."""
    if revs == 0:
        return np.zeros(2, int), np.array(["short-period"] * 2)
    mu = float(GM_SUN)
    a = 1.0 / (2.0 / np.linalg.norm(r0) - (v0 @ v0) / mu)
    period = 2 * np.pi * np.sqrt(a**3 / mu)
    k = np.floor(t_legs / period).astype(int)
    branches = []
    for ri, vi, rf, dt, ki in ((r0, v0, r_dsm, t_legs[0], k[0]), (r_dsm, v_dsm, r_arr, t_legs[1], k[1])):
        if ki == 0:
            branches.append("short-period")
            continue
        both = lambert(np.stack([ri, ri]), np.stack([rf, rf]), np.array([dt, dt]), mu, revs=ki, branch=BRANCH_PAIR)
        miss = np.linalg.norm(both.v1_m_s - vi, axis=-1)
        branches.append(BRANCH_PAIR[int(np.nanargmin(miss))])
    return k, np.array(branches)


BRANCH_PAIR = np.array(["short-period", "long-period"])


def escape_hyperbola_state(
    v_inf_m_s, perigee_radius_m: float, inclination_rad: float = np.radians(51.6), mu_m3_s2: float = float(GM_EARTH)
) -> tuple[np.ndarray, np.ndarray]:
    """Earth-centred ICRF perigee state (r_m, v_m_s) of the escape hyperbola with asymptote ``v_inf_m_s``.

    The plane contains the asymptote and has the given inclination to the Earth equator (51.6 deg: Proton from
    Baikonur), or the lowest possible one if that is below the asymptote's declination.
    """
    v_inf = np.asarray(v_inf_m_s, float)
    vn = np.linalg.norm(v_inf)
    s = v_inf / vn
    z = np.array([0.0, 0.0, 1.0])
    z_perp = z - (z @ s) * s
    zp = np.linalg.norm(z_perp)
    u1 = z_perp / zp
    u2 = np.cross(s, u1)
    cphi = np.clip(np.cos(inclination_rad) / zp, -1.0, 1.0)
    h = cphi * u1 + np.sqrt(1 - cphi**2) * u2  # plane normal, perpendicular to s
    e = 1 + perigee_radius_m * vn**2 / mu_m3_s2
    w = np.cross(h, s)
    e_hat = (-1.0 / e) * s - np.sqrt(1 - 1 / e**2) * w
    p_hat = np.cross(h, e_hat)
    vp = np.sqrt(vn**2 + 2 * mu_m3_s2 / perigee_radius_m)
    return perigee_radius_m * e_hat, vp * p_hat
