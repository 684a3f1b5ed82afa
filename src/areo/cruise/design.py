"""Patched-conic design of the departure: Lambert arcs (areo.transfer), optional deep-space manoeuvre, and the
Earth-escape hyperbola that starts the n-body flight.

With a DSM of given magnitude at a given epoch, the DSM point ``r_D`` is chosen to minimise
``v_inf_departure^2 + v_inf_arrival^2`` over two Sun-centred Lambert legs (Earth -> r_D -> Mars) subject to
``|dv_DSM| = dsm_dv_m_s`` (SLSQP). Without a DSM it is one Lambert arc.
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

    @property
    def c3_km2_s2(self) -> float:
        return float(self.v_inf_departure_m_s @ self.v_inf_departure_m_s) / 1e6


def design_transfer(
    launch_tdb_s: float,
    arrival_tdb_s: float,
    dsm_tdb_s: float | None = None,
    dsm_dv_m_s: float | None = None,
    ephemeris=None,
    target: str = "mars",
) -> TransferDesign:
    """Lambert departure (and DSM) for Earth -> ``target`` (Mars unless said); see the module docstring."""
    eph = ephemeris or default_ephemeris()
    if not arrival_tdb_s > launch_tdb_s:
        raise InputError("arrival must be after launch; check the dates of the transfer.")
    re, ve = eph.state("earth", launch_tdb_s)
    rm, vm = eph.state(target, arrival_tdb_s)
    sol = lambert(re, rm, arrival_tdb_s - launch_tdb_s, float(GM_SUN)).raise_if_failed()
    vinf_d0, vinf_a0 = sol.v1_m_s - ve, sol.v2_m_s - vm
    if dsm_tdb_s is None or not dsm_dv_m_s:
        return TransferDesign(launch_tdb_s, arrival_tdb_s, vinf_d0, vinf_a0, None, None, None, vinf_d0, vinf_a0)
    if not launch_tdb_s < dsm_tdb_s < arrival_tdb_s:
        raise InputError("the deep-space manoeuvre must lie between launch and arrival; move its date.")
    from scipy.optimize import minimize

    r_b, _, _ = kepler_propagate(re, sol.v1_m_s, dsm_tdb_s - launch_tdb_s, float(GM_SUN))
    scale = 1e9

    def legs(x):
        r_d = r_b + x * scale
        s = lambert(
            np.stack([re, r_d]),
            np.stack([r_d, rm]),
            np.array([dsm_tdb_s - launch_tdb_s, arrival_tdb_s - dsm_tdb_s]),
            float(GM_SUN),
        )
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
    return TransferDesign(launch_tdb_s, arrival_tdb_s, d, a, dsm_tdb_s, dv, r_d, vinf_d0, vinf_a0)


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
