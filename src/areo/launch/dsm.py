"""Launch periods with a deep-space manoeuvre (DSM): for each launch day, towards a fixed arrival date, the
one-DSM transfer that best shares the launcher's and the spacecraft's margins.

Transfer model (patched conics about the Sun, impulsive DSM; the "MGA-1DSM" velocity formulation of Vasile &
De Pascale 2006 and ESA/ACT's PaGMO ``mga_1dsm``): the spacecraft leaves Earth on day ``t_L`` with the
asymptotic velocity ``v_inf`` (3 free components), coasts on a Kepler orbit to the DSM epoch
``t_D = t_L + eta (t_A - t_L)`` (``eta`` free in ``ETA_BOUNDS``), and a Lambert arc from there reaches Mars'
position at the arrival epoch ``t_A``. The DSM is the velocity jump between the coast and the Lambert arc; the
arrival v-infinity is the Lambert arc's velocity less Mars'. Zero DSM is the ballistic Lambert arc (the coast
and the arc coincide), so the ballistic transfer is one point of the search.

Criterion: maximise the smaller of the two margins, both in kg,
``min(capability(C3) - payload - reserve, propellant carried - propellant for DSM + insertion)``, subject to
a reachable DLA (``|DLA| <= launcher.max_dla_deg``). It spends the spacecraft's spare propellant on lowering
C3 (or turning the asymptote's declination into range) when the launcher is short, and the reverse: the
transfer a mission analyst would pick to keep both sides of the interface equally robust. A day is feasible
when that best transfer has both margins >= 0 and a reachable DLA, so the feasible days are the same as
under "most propellant margin with the launcher's margin >= 0", another criterion in use; only the reported
transfer differs. The search is a local one (SLSQP from the ballistic arc, and from the previous day's
optimum), not a global one; the ballistic arc is kept when it is better.

Left out: launcher dispersions and trajectory-correction budgets, DSM execution limits (burn length, attitude),
the gravity losses of finite burns, and multi-revolution arcs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

from ..constants import GM_SUN
from ..errors import InputError
from ..kepler import propagate
from ..transfer.lambert import lambert
from .spacecraft import CaptureOrbit, Spacecraft, capture_dv_m_s, propellant_needed_kg
from .vehicle import Launcher

if TYPE_CHECKING:
    from ..ephem import Ephemeris

ETA_BOUNDS = (0.05, 0.95)  # DSM epoch as a fraction of the flight time (an assumption: not at launch or arrival)
_DV_SMOOTH_M_S = 0.1  # |DSM| smoothed as sqrt(dv^2 + eps^2) inside the optimiser only (its kink at 0)
_FD_STEP = 1e-6  # finite-difference step: km/s on v_inf, fraction on eta


@dataclass(frozen=True)
class DsmLeg:
    """Evaluated one-DSM transfers (arrays over candidates; SI)."""

    v_inf_departure_m_s: np.ndarray  # (m, 3) ICRF
    dsm_tdb_s: np.ndarray  # (m,)
    dsm_dv_m_s: np.ndarray  # (m, 3) ICRF
    v_inf_arrival_m_s: np.ndarray  # (m, 3) ICRF
    ok: np.ndarray  # (m,) bool: the coast and the Lambert arc were both solved

    @property
    def c3_km2_s2(self) -> np.ndarray:
        return cast(np.ndarray, np.sum(self.v_inf_departure_m_s**2, axis=-1) / 1e6)

    @property
    def dla_deg(self) -> np.ndarray:
        v = self.v_inf_departure_m_s
        return cast(np.ndarray, np.degrees(np.arcsin(v[:, 2] / np.linalg.norm(v, axis=-1))))

    @property
    def rla_deg(self) -> np.ndarray:
        v = self.v_inf_departure_m_s
        return cast(np.ndarray, np.degrees(np.arctan2(v[:, 1], v[:, 0])) % 360.0)


@dataclass(frozen=True)
class DsmProblem:
    """One launch day: Earth's state at launch, Mars' at arrival (heliocentric ICRF, SI) and the two epochs."""

    launch_tdb_s: float
    arrival_tdb_s: float
    r_earth_m: np.ndarray
    v_earth_m_s: np.ndarray
    r_mars_m: np.ndarray
    v_mars_m_s: np.ndarray

    def legs(self, v_inf_departure_m_s: np.ndarray, eta: np.ndarray) -> DsmLeg:
        """The transfers for candidate departure v-infinities (m, 3) and DSM epoch fractions (m,)."""
        v_inf = np.atleast_2d(np.asarray(v_inf_departure_m_s, dtype=float))
        eta = np.atleast_1d(np.asarray(eta, dtype=float))
        tof = self.arrival_tdb_s - self.launch_tdb_s
        t1 = eta * tof
        r_d, v_minus, st = propagate(self.r_earth_m, self.v_earth_m_s + v_inf, t1, float(GM_SUN))
        sol = lambert(r_d, np.broadcast_to(self.r_mars_m, r_d.shape), tof - t1, float(GM_SUN))
        ok = (st == 0) & (sol.status == 0)
        dv = sol.v1_m_s - v_minus
        return DsmLeg(v_inf, self.launch_tdb_s + t1, dv, sol.v2_m_s - self.v_mars_m_s, ok)


def dsm_problems(
    launch_tdb_s: npt.ArrayLike, arrival_tdb_s: float, ephemeris: Ephemeris | None = None, target: str = "mars"
) -> list[DsmProblem]:
    """One ``DsmProblem`` per launch epoch, all to the same arrival epoch (one ephemeris call per body)."""
    from ..ephem import default_ephemeris

    t = np.atleast_1d(np.asarray(launch_tdb_s, dtype=float))
    if not np.all(arrival_tdb_s > t):
        raise InputError("every launch day must come before the arrival date; check the launch period's dates.")
    eph = ephemeris or default_ephemeris()
    re, ve = eph.state("earth", t)
    rm, vm = eph.state(target, float(arrival_tdb_s))
    return [DsmProblem(float(t[i]), float(arrival_tdb_s), re[i], ve[i], rm, vm) for i in range(t.size)]


@dataclass(frozen=True)
class Margins:
    """What the criterion weighs, per candidate (kg, deg)."""

    launcher_kg: np.ndarray  # capability - payload - reserve (capability extrapolated off the table)
    propellant_kg: np.ndarray  # propellant carried - needed
    dla_deg: np.ndarray


def margins(
    leg: DsmLeg,
    launcher: Launcher,
    need_kg: float,
    spacecraft: Spacecraft,
    capture: CaptureOrbit,
    dv_smooth_m_s: float = 0.0,
) -> Margins:
    """Launcher and propellant margins of each transfer in ``leg`` (``need_kg``: payload + reserve)."""
    c3 = leg.c3_km2_s2
    xs, ys = np.asarray(launcher.c3_table_km2_s2), np.asarray(launcher.payload_table_kg)
    cap = np.interp(c3, xs, ys)
    lo_slope, hi_slope = (ys[1] - ys[0]) / (xs[1] - xs[0]), (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    cap = np.where(c3 < xs[0], ys[0] + lo_slope * (c3 - xs[0]), cap)
    cap = np.where(c3 > xs[-1], ys[-1] + hi_slope * (c3 - xs[-1]), cap)  # smooth for the optimiser
    dsm = np.sqrt(np.sum(leg.dsm_dv_m_s**2, axis=-1) + dv_smooth_m_s**2)
    moi = capture_dv_m_s(np.linalg.norm(leg.v_inf_arrival_m_s, axis=-1), capture)
    prop = spacecraft.propellant_kg - propellant_needed_kg(spacecraft, dsm, moi)
    bad = ~leg.ok
    return Margins(
        np.where(bad, -1e9, cap - need_kg), np.where(bad, -1e9, prop), np.where(bad, 90.0, np.nan_to_num(leg.dla_deg))
    )


def _score(m: Margins, max_dla_deg: float) -> np.ndarray:
    """Order candidates: a reachable DLA first, then the larger smaller-margin (kg)."""
    worst = np.minimum(m.launcher_kg, m.propellant_kg)
    over = np.maximum(np.abs(m.dla_deg) - max_dla_deg, 0.0)
    return cast(np.ndarray, np.where(over > 0, -1e6 - 1e3 * over, worst))


class _Day:
    """SLSQP on z = (v_inf km/s [3], eta, s kg/1000): maximise s with both margins >= s and |DLA| <= max."""

    def __init__(self, prob: DsmProblem, launcher: Launcher, need_kg: float, sc: Spacecraft, cap: CaptureOrbit):
        self.prob, self.lv, self.need, self.sc, self.cap = prob, launcher, need_kg, sc, cap
        self._key: bytes | None = None
        self._val: np.ndarray = np.zeros((5, 3))

    def _eval(self, z: np.ndarray) -> np.ndarray:
        """Rows: value and the four forward differences; columns: launcher, propellant (kg/1000), DLA (deg)."""
        if self._key != z.tobytes():
            x = np.tile(z[:4], (5, 1))
            x[1:, :4] += _FD_STEP * np.eye(4)
            leg = self.prob.legs(x[:, :3] * 1e3, x[:, 3])
            m = margins(leg, self.lv, self.need, self.sc, self.cap, _DV_SMOOTH_M_S)
            self._val = np.stack([m.launcher_kg / 1e3, m.propellant_kg / 1e3, m.dla_deg], axis=1)
            self._key = z.tobytes()
        return self._val

    def _cons(self, z: np.ndarray) -> np.ndarray:
        v = self._eval(z)[0]
        lim = self.lv.max_dla_deg
        return np.array([v[0] - z[4], v[1] - z[4], (lim - v[2]) / 10.0, (lim + v[2]) / 10.0])

    def _jac(self, z: np.ndarray) -> np.ndarray:
        e = self._eval(z)
        d = (e[1:] - e[0]) / _FD_STEP  # (4 vars, 3 quantities)
        j = np.zeros((4, 5))
        j[0, :4], j[1, :4], j[2, :4], j[3, :4] = d[:, 0], d[:, 1], -d[:, 2] / 10.0, d[:, 2] / 10.0
        j[:2, 4] = -1.0
        return j

    def solve(self, v_inf_m_s: np.ndarray, eta: float) -> tuple[np.ndarray, float]:
        from scipy.optimize import minimize

        z0 = np.append(np.append(v_inf_m_s / 1e3, eta), 0.0)
        v = self._eval(z0)[0]
        z0[4] = min(v[0], v[1])
        bounds = [(None, None)] * 3 + [ETA_BOUNDS, (None, None)]
        cons = {"type": "ineq", "fun": self._cons, "jac": self._jac}
        res = minimize(
            lambda z: -z[4],
            z0,
            jac=lambda z: np.array([0, 0, 0, 0, -1.0]),
            bounds=bounds,
            constraints=[cons],
            method="SLSQP",
            options={"maxiter": 60, "ftol": 1e-6},
        )
        z = res.x if np.all(np.isfinite(res.x)) else z0
        return z[:3] * 1e3, float(z[3])


@dataclass(frozen=True)
class DsmDays:
    """The chosen transfer of each launch day (arrays by day; ``dsm_tdb_s`` NaN where the ballistic arc won)."""

    leg: DsmLeg
    dsm_tdb_s: np.ndarray
    dsm_dv_m_s: np.ndarray
    ballistic: np.ndarray  # bool: the ballistic arc was at least as good as the best DSM transfer


def best_dsm_transfers(
    launcher: Launcher,
    need_kg: float,
    depart_tdb_s: np.ndarray,
    arrive_tdb_s: float,
    spacecraft: Spacecraft,
    capture: CaptureOrbit,
    target: str = "mars",
    ephemeris: Ephemeris | None = None,
) -> DsmDays:
    """Per launch day, the one-DSM transfer to ``arrive_tdb_s`` that maximises min(launcher, propellant margin)
    with a reachable DLA (see the module docstring); ``need_kg`` is the payload plus any launcher reserve."""
    probs = dsm_problems(depart_tdb_s, arrive_tdb_s, ephemeris, target)
    deps = np.array([p.launch_tdb_s for p in probs])
    r_e, v_e = np.array([p.r_earth_m for p in probs]), np.array([p.v_earth_m_s for p in probs])
    arcs = lambert(r_e, np.broadcast_to(probs[0].r_mars_m, r_e.shape), arrive_tdb_s - deps, float(GM_SUN))
    v_ball = np.where((arcs.status == 0)[:, None], arcs.v1_m_s - v_e, np.nan)
    rows: list[tuple[DsmLeg, bool]] = []
    prev: tuple[np.ndarray, float] | None = None
    for i, prob in enumerate(probs):
        one, eta, is_ballistic = _best_day(prob, v_ball[i], launcher, need_kg, spacecraft, capture, prev)
        rows.append((one, is_ballistic))
        prev = (one.v_inf_departure_m_s[0], eta) if bool(one.ok[0]) and not is_ballistic else None
    leg = DsmLeg(*(np.concatenate([getattr(r[0], f) for r in rows]) for f in DsmLeg.__dataclass_fields__))
    ballistic = np.array([r[1] for r in rows])
    dv = np.where(ballistic, 0.0, np.linalg.norm(leg.dsm_dv_m_s, axis=-1))
    return DsmDays(leg, np.where(ballistic, np.nan, leg.dsm_tdb_s), dv, ballistic)


def _best_day(
    prob: DsmProblem,
    v_ball: np.ndarray,
    launcher: Launcher,
    need_kg: float,
    sc: Spacecraft,
    cap: CaptureOrbit,
    prev: tuple[np.ndarray, float] | None,
) -> tuple[DsmLeg, float, bool]:
    """The day's best transfer (a one-row ``DsmLeg``), its DSM epoch fraction and whether it is the ballistic arc."""
    if not np.all(np.isfinite(v_ball)):  # no ballistic arc: no start for the search either
        return prob.legs(np.full((1, 3), np.nan), np.array([0.5])), 0.5, True
    day = _Day(prob, launcher, need_kg, sc, cap)
    starts = [(v_ball, 0.5)] + ([prev] if prev is not None else [])
    cands = [day.solve(v0, e0) for v0, e0 in starts] + [(v_ball, 0.5)]  # the ballistic arc last
    cands += [cands[-1]] * (_CANDIDATES - len(cands))  # one batch shape for every day (one JAX compilation)
    legs = prob.legs(np.array([c[0] for c in cands]), np.array([c[1] for c in cands]))
    score = _score(margins(legs, launcher, need_kg, sc, cap), launcher.max_dla_deg)
    k = int(np.argmax(score))
    ballistic = bool(score[-1] >= score[k])  # the ballistic arc is as good: keep it (no DSM)
    k = len(cands) - 1 if ballistic else k
    one = DsmLeg(*(getattr(legs, f)[k : k + 1] for f in DsmLeg.__dataclass_fields__))
    return one, float(cands[k][1]), ballistic


_CANDIDATES = 5  # rows of the candidate batch: the searches' results and the ballistic arc, padded


__all__ = [
    "ETA_BOUNDS",
    "DsmDays",
    "DsmLeg",
    "DsmProblem",
    "Margins",
    "best_dsm_transfers",
    "dsm_problems",
    "margins",
]
