"""Launch periods: for each departure day, the best transfer in an arrival window (or to a fixed arrival date),
its C3, DLA and RLA, the launcher's capability and margin for a payload, and the first and last feasible days.

"Best" follows the practice of launch-period design: for each day, the arrival in the window with the lowest C3
among those whose DLA the launcher can reach (if none can be reached, the lowest C3, marked infeasible). With a
fixed arrival date every day targets that date (ExoMars 2016: launch 14-25 March 2016, arrival on 19 October; that
one arrival date held for every launch day is areo's reading of ESA's published plan).

With a ``Spacecraft`` and its ``CaptureOrbit`` (``areo.launch.spacecraft``) a day also needs the propellant for the
orbit insertion from its arrival v-infinity (and any DSM handed to ``judge_days``); each day then reports
``spacecraft_dv_m_s``, ``propellant_margin_kg`` and ``limited_by``.

Every day also reports its two lift-off opportunities (``launch_times_utc``, the instants the launch site passes
through the parking-orbit plane that contains the day's asymptote), the coast from lift-off to the escape burn of
each (``coast_min``) and whether it fits the launcher's ``max_coast_min`` (``coast_ok``); a day on which neither
fits is "coast longer than the launcher allows" (``areo.launch.departure``; the day's asymptote is held over the
day).

``transfer="dsm"`` (a fixed arrival date and a spacecraft needed): each day flies instead the one-DSM transfer that
maximises the smaller of the launcher's and the propellant margins (``areo.launch.dsm``); each day then also
reports ``dsm_dv_m_s`` and ``dsm_utc`` (None where the ballistic arc was the best).

This module composes ``areo.transfer`` (porkchop grids) with the launcher records of this package; transfer
never imports launch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from ..constants import DAY
from ..errors import InputError
from ..time import parse_utc, parse_utc_range, tdb_seconds_to_utc_iso, utc_to_tdb_seconds
from ..units import accepts_quantities
from .departure import DEPARTURE_COAST_TOO_LONG, DEPARTURE_NO_ASYMPTOTE, LaunchOpportunities, launch_opportunities
from .spacecraft import BUDGET_OK, CaptureOrbit, Spacecraft, spacecraft_budget
from .vehicle import C3_ABOVE_TABLE, CAPABILITY_OK, Launcher, check_payload

if TYPE_CHECKING:
    from ..transfer.window import DateRange, PorkchopResult


def _utc(tdb_s: float) -> str:
    return str(tdb_seconds_to_utc_iso(tdb_s))


# per-day status codes
DAY_FEASIBLE = 0
DAY_OVER_CAPABILITY = 1
DAY_DLA_UNREACHABLE = 2
DAY_C3_OUTSIDE_TABLE = 3
DAY_NO_TRANSFER = 4
DAY_SPACECRAFT_PROPELLANT = 5
DAY_COAST_TOO_LONG = 6
DAY_STATUS = {
    DAY_FEASIBLE: "feasible",
    DAY_OVER_CAPABILITY: "capability below payload + reserve",
    DAY_DLA_UNREACHABLE: "DLA outside the reachable range",
    DAY_C3_OUTSIDE_TABLE: "C3 outside the performance table",
    DAY_NO_TRANSFER: "no transfer in the arrival window",
    DAY_SPACECRAFT_PROPELLANT: "spacecraft propellant below the DSM + insertion need",
    DAY_COAST_TOO_LONG: "coast longer than the launcher allows",
}
MAX_PERIOD_DAYS = 2000
TRANSFERS = ("ballistic", "dsm")


@dataclass
class LaunchPeriod:
    """Daily departures and their verdicts; arrays indexed by day (epochs in TDB seconds past J2000)."""

    launcher: Launcher
    payload_kg: float
    reserve_kg: float
    depart_tdb_s: np.ndarray
    arrive_tdb_s: np.ndarray
    c3_km2_s2: np.ndarray
    dla_deg: np.ndarray
    rla_deg: np.ndarray
    capability_kg: np.ndarray
    status: np.ndarray
    arrival_constraint: str
    spacecraft: Spacecraft | None = None
    spacecraft_dv_m_s: np.ndarray | None = None  # DSM + insertion per day (NaN without a transfer)
    propellant_margin_kg: np.ndarray | None = None  # propellant carried - needed per day
    transfer: str = "ballistic"
    dsm_tdb_s: np.ndarray | None = None  # per day, NaN without a DSM; None: DSMs not reported
    dsm_dv_m_s: np.ndarray | None = None  # per day (m/s), 0 without a DSM
    opportunities: LaunchOpportunities | None = None  # lift-off instants and coasts per day (areo.launch.departure)

    @property
    def margin_kg(self) -> np.ndarray:
        return cast(np.ndarray, self.capability_kg - self.payload_kg)

    @property
    def feasible(self) -> np.ndarray:
        return cast(np.ndarray, self.status == DAY_FEASIBLE)

    def _edge(self, k: int) -> str | None:
        idx = np.flatnonzero(self.feasible)
        return None if idx.size == 0 else _utc(float(self.depart_tdb_s[idx[k]]))

    @property
    def first_utc(self) -> str | None:
        return self._edge(0)

    @property
    def last_utc(self) -> str | None:
        return self._edge(-1)

    def limited_by(self, i: int) -> str:
        """Day ``i``: the failed constraint, or for a feasible day the one with the smaller margin (kg)."""
        if self.status[i] != DAY_FEASIBLE:
            return DAY_STATUS[int(self.status[i])]
        if self.propellant_margin_kg is None or self.margin_kg[i] - self.reserve_kg <= self.propellant_margin_kg[i]:
            return "launcher capability"
        return "spacecraft propellant"

    def _edge_cause(self, k: int) -> str | None:
        """Why the period opens (k = 0: the day before the first) or closes (k = -1: the day after the last)."""
        idx = np.flatnonzero(self.feasible)
        if idx.size == 0:
            return None
        i = idx[0] - 1 if k == 0 else idx[-1] + 1
        return "end of the searched days" if not 0 <= i < self.status.size else DAY_STATUS[int(self.status[i])]

    def days(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.depart_tdb_s.size):
            ok = self.status[i] != DAY_NO_TRANSFER
            day = {
                "utc": _utc(float(self.depart_tdb_s[i])),
                "arrive_utc": _utc(float(self.arrive_tdb_s[i])) if ok else None,
                "c3_km2_s2": round(float(self.c3_km2_s2[i]), 4) if ok else None,
                "dla_deg": round(float(self.dla_deg[i]), 3) if ok else None,
                "rla_deg": round(float(self.rla_deg[i]), 3) if ok else None,
                "capability_kg": round(float(self.capability_kg[i]), 1),
                "margin_kg": round(float(self.margin_kg[i]), 1),
            }
            if self.spacecraft_dv_m_s is not None and self.propellant_margin_kg is not None:
                dv, pm = float(self.spacecraft_dv_m_s[i]), float(self.propellant_margin_kg[i])
                day["spacecraft_dv_m_s"] = round(dv, 1) if np.isfinite(dv) else None
                day["propellant_margin_kg"] = round(pm, 1) if np.isfinite(pm) else None
            if self.dsm_tdb_s is not None and self.dsm_dv_m_s is not None:
                t_dsm, dv = float(self.dsm_tdb_s[i]), float(self.dsm_dv_m_s[i])
                day["dsm_dv_m_s"] = round(dv, 1) if ok and np.isfinite(dv) else None
                day["dsm_utc"] = _utc(t_dsm) if ok and np.isfinite(t_dsm) else None
            day.update(self._departure(i, ok))
            day.update(feasible=bool(self.feasible[i]), status=self._status_text(i))
            day["limited_by"] = self.limited_by(i)
            out.append(day)
        return out

    def _status_text(self, i: int) -> str:
        code = int(self.status[i])
        if code != DAY_COAST_TOO_LONG or self.opportunities is None:
            return DAY_STATUS[code]
        o = self.opportunities
        return f"{DAY_STATUS[code]} ({np.nanmin(o.coast_s[i]) / 60:.0f} min needed, {o.max_coast_s / 60:g} allowed)"

    def _departure(self, i: int, ok: bool) -> dict[str, Any]:
        """Day ``i``'s lift-off instants (UTC, the day's two opportunities), coasts (min) and a note."""
        o = self.opportunities
        if o is None or not ok:
            return {"launch_times_utc": [], "coast_min": [], "coast_ok": [], "launch_note": None}
        have = np.isfinite(o.coast_s[i])
        note = None
        if int(o.status[i]) == DEPARTURE_NO_ASYMPTOTE:
            note = "C3 <= 0 km^2/s^2: no departure asymptote, so no launch time of day and no coast check"
        elif self.launcher.site.longitude_deg is None and have.any():
            note = f"no longitude for the launch site {self.launcher.site.name!r}: coasts only, no launch times"
        return {
            "launch_times_utc": [_utc(float(t)) for t in o.launch_tdb_s[i][have] if np.isfinite(t)],
            "coast_min": [round(float(c) / 60.0, 1) for c in o.coast_s[i][have]],
            "coast_ok": [bool(b) for b in o.coast_ok[i][have]],
            "launch_note": note,
        }

    def summary(self) -> dict[str, Any]:
        """JSON-ready: ``first_utc``, ``last_utc`` (None when no day is feasible), what bounds them, ``days`` and
        the inputs."""
        sc = self.spacecraft
        return {
            "launcher": self.launcher.name,
            "payload_kg": self.payload_kg,
            "reserve_kg": self.reserve_kg,
            "arrival_constraint": self.arrival_constraint,
            "transfer": self.transfer,
            "max_dla_deg": self.launcher.max_dla_deg,
            "max_coast_min": self.launcher.max_coast_min,
            "spacecraft": None
            if sc is None
            else {
                "launch_mass_kg": sc.launch_mass_kg,
                "dry_mass_kg": sc.dry_mass_kg,
                "released_mass_kg": sc.released_mass_kg,
                "propellant_kg": round(sc.propellant_kg, 1),
                "isp_s": sc.isp_s,
            },
            "first_utc": self.first_utc,
            "last_utc": self.last_utc,
            "opens_after": self._edge_cause(0),
            "closes_before": self._edge_cause(-1),
            "feasible_days": int(np.sum(self.feasible)),
            "days": self.days(),
        }


def _day_range(depart: DateRange) -> np.ndarray:
    start, stop = parse_utc_range(depart) if isinstance(depart, str) else (parse_utc(str(t)) for t in depart)
    t0, t1 = (float(x) for x in utc_to_tdb_seconds([start, stop]))
    if t1 < t0:
        raise InputError("the departure range ends before it starts; give START:STOP with STOP later than START.")
    n = int(np.floor((t1 - t0) / DAY + 1e-9)) + 1
    if n > MAX_PERIOD_DAYS:
        raise InputError(f"a launch period of {n} days is too long (at most {MAX_PERIOD_DAYS}); narrow the range.")
    return t0 + DAY * np.arange(n)


def departure_days(depart: DateRange) -> np.ndarray:
    """TDB seconds of each day of ``depart`` (``'START:STOP'`` UTC or a pair), one per day from START."""
    return _day_range(depart)


def arrival_days(arrive: DateRange) -> tuple[np.ndarray, str]:
    """Arrival epochs (TDB s) for ``arrive`` (a date: two equal epochs; a range: daily) and a description."""
    return _arrivals(arrive)


def _arrivals(arrive: DateRange) -> tuple[np.ndarray, str]:
    """A fixed date (``'2016-10-19'``) or a window (``'2016-10-01:2016-11-15'``, sampled daily)."""
    text = (arrive if isinstance(arrive, str) else ":".join(str(t) for t in arrive)).strip()
    if not re.match(r"^.+?:\d{4}-\d{2}-\d{2}", text):  # one date: a fixed arrival
        t = float(utc_to_tdb_seconds([parse_utc(text)])[0])
        return np.array([t, t]), f"fixed arrival {_utc(t)}"
    start, stop = parse_utc_range(text)
    t0, t1 = (float(x) for x in utc_to_tdb_seconds([start, stop]))
    n = max(2, int(np.floor((t1 - t0) / DAY + 1e-9)) + 1)
    return np.linspace(t0, t1, n), f"best arrival in {text}"


def _pick_arrivals(reach: np.ndarray, c3: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Per departure row, the arrival column with the lowest C3 among ``reach`` cells (else lowest C3)."""
    big = np.inf
    c3_reach = np.where(reach & ok, c3, big)
    c3_any = np.where(ok, c3, big)
    j_reach = np.argmin(c3_reach, axis=1)
    j_any = np.argmin(c3_any, axis=1)
    return cast(np.ndarray, np.where(np.any(reach & ok, axis=1), j_reach, j_any))


def _spacecraft_ok(
    spacecraft: Spacecraft | None, capture: CaptureOrbit | None, vinf_arrive_km_s: npt.ArrayLike
) -> np.ndarray | bool:
    if spacecraft is None:
        return True
    capture = cast(CaptureOrbit, capture)  # callers ran _check_spacecraft: a spacecraft comes with its capture orbit
    b = spacecraft_budget(spacecraft, capture, np.asarray(vinf_arrive_km_s, dtype=float).ravel() * 1e3)
    return cast(np.ndarray, (b.status == BUDGET_OK).reshape(np.shape(vinf_arrive_km_s)))


@accepts_quantities
def launch_period(
    launcher: Launcher,
    payload_kg: float,
    depart: DateRange,
    arrive: DateRange,
    origin: str = "earth",
    target: str = "mars",
    reserve_kg: float = 0.0,
    spacecraft: Spacecraft | None = None,
    capture: CaptureOrbit | None = None,
    transfer: str = "ballistic",
) -> LaunchPeriod:
    """Daily departures over ``depart`` (``'START:STOP'`` UTC, one per day from START) towards ``target``,
    arriving on a fixed date or in a window (``arrive``); each day judged against ``launcher`` with ``payload_kg``
    and, when given, the ``spacecraft``'s propellant for inserting into ``capture`` (ballistic transfers: no DSM).

    A day is feasible when its DLA is reachable, the capability covers ``payload_kg + reserve_kg``, one of its two
    lift-off opportunities coasts to the escape burn within ``launcher.max_coast_min`` (``areo.launch.departure``;
    not checked for C3 <= 0) and the spacecraft carries the propellant its insertion needs; the reserve is a launcher margin the mission requires
    (0 = none; say where a value comes from). In an arrival window the day's transfer is the lowest-C3 arrival
    among those the launcher's DLA range and the spacecraft's propellant allow (else the lowest C3).

    ``transfer="dsm"``: each day flies the one-DSM transfer to the fixed arrival date that maximises the smaller of
    the two margins (``areo.launch.dsm``); needs ``spacecraft`` and ``capture``."""
    from ..transfer.porkchop import porkchop_grid

    check_masses(payload_kg, reserve_kg)
    _check_spacecraft(spacecraft, capture)
    if transfer not in TRANSFERS:
        raise InputError(f"unknown launch-period transfer {transfer!r}; valid: {', '.join(TRANSFERS)}.")
    deps = _day_range(depart)
    arrs, constraint = _arrivals(arrive)
    if transfer == "dsm":
        return _dsm_period(launcher, payload_kg, deps, arrs, constraint, target, reserve_kg, spacecraft, capture)
    g = porkchop_grid(origin, target, deps, arrs)
    ok = (g.status == 0) & np.isfinite(g.c3_km2_s2) & (g.tof_days > 0)
    reach = launcher.dla_reachable(np.nan_to_num(g.dla_deg, nan=90.0))
    reach = reach & _spacecraft_ok(spacecraft, capture, np.where(ok, g.vinf_arrive_km_s, np.nan))
    j = _pick_arrivals(reach, g.c3_km2_s2, ok)
    rows = np.arange(deps.size)
    return judge_days(
        launcher,
        payload_kg,
        deps,
        arrs[j],
        g.c3_km2_s2[rows, j],
        g.dla_deg[rows, j],
        g.rla_deg[rows, j],
        ok[rows, j],
        constraint,
        reserve_kg=reserve_kg,
        spacecraft=spacecraft,
        capture=capture,
        vinf_arrive_m_s=g.vinf_arrive_km_s[rows, j] * 1e3,
    )


def _dsm_period(
    launcher: Launcher,
    payload_kg: float,
    deps: np.ndarray,
    arrs: np.ndarray,
    constraint: str,
    target: str,
    reserve_kg: float,
    spacecraft: Spacecraft | None,
    capture: CaptureOrbit | None,
) -> LaunchPeriod:
    from .dsm import best_dsm_transfers

    if arrs[0] != arrs[-1]:
        raise InputError(
            f"a launch period with DSM transfers needs a fixed arrival date (got {constraint}); give one date."
        )
    if spacecraft is None or capture is None:
        raise InputError(
            "a launch period with DSM transfers needs the spacecraft (masses, Isp) and its capture orbit: the DSM "
            "and the insertion are paid from its propellant; give both, or use transfer='ballistic'."
        )
    best = best_dsm_transfers(launcher, payload_kg + reserve_kg, deps, float(arrs[0]), spacecraft, capture, target)
    leg = best.leg
    return judge_days(
        launcher,
        payload_kg,
        deps,
        np.full(deps.size, arrs[0]),
        leg.c3_km2_s2,
        leg.dla_deg,
        leg.rla_deg,
        leg.ok,
        constraint,
        reserve_kg=reserve_kg,
        spacecraft=spacecraft,
        capture=capture,
        vinf_arrive_m_s=np.linalg.norm(leg.v_inf_arrival_m_s, axis=-1),
        dsm_dv_m_s=best.dsm_dv_m_s,
        transfer="dsm",
        dsm_tdb_s=best.dsm_tdb_s,
    )


def judge_days(
    launcher: Launcher,
    payload_kg: float,
    depart_tdb_s: np.ndarray,
    arrive_tdb_s: np.ndarray,
    c3_km2_s2: np.ndarray,
    dla_deg: np.ndarray,
    rla_deg: np.ndarray,
    have: np.ndarray,
    arrival_constraint: str,
    reserve_kg: float = 0.0,
    spacecraft: Spacecraft | None = None,
    capture: CaptureOrbit | None = None,
    vinf_arrive_m_s: np.ndarray | None = None,
    dsm_dv_m_s: np.ndarray | float = 0.0,
    transfer: str = "ballistic",
    dsm_tdb_s: np.ndarray | float | None = None,
) -> LaunchPeriod:
    """Verdicts for one transfer per departure day (arrays indexed by day; ``have`` False where there is none).

    The launcher side needs C3 and DLA; the spacecraft side (optional) the arrival v-infinity (m/s) and the DSM
    of each day's transfer. ``transfer`` names how the transfers were designed (reported as is). With
    ``dsm_tdb_s`` (each day's DSM epoch, NaN for none) the days also report their DSM epoch and magnitude."""
    check_masses(payload_kg, reserve_kg)
    _check_spacecraft(spacecraft, capture)
    have = np.asarray(have, dtype=bool)
    c3, dla = np.asarray(c3_km2_s2, dtype=float), np.asarray(dla_deg, dtype=float)
    cap, cap_status = launcher.capability_kg(np.where(have, c3, np.inf))
    status = np.full(have.size, DAY_FEASIBLE, dtype=np.int8)
    sc_dv, margin = _spacecraft_verdicts(status, spacecraft, capture, have, vinf_arrive_m_s, dsm_dv_m_s)
    status[cap < payload_kg + reserve_kg] = DAY_OVER_CAPABILITY
    opp = launch_opportunities(launcher, depart_tdb_s, np.where(have, c3, np.nan), dla, rla_deg)
    _launcher_verdicts(status, launcher, have, dla, cap_status, opp)
    return LaunchPeriod(
        launcher=launcher,
        payload_kg=float(payload_kg),
        reserve_kg=float(reserve_kg),
        depart_tdb_s=np.asarray(depart_tdb_s, dtype=float),
        arrive_tdb_s=np.asarray(arrive_tdb_s, dtype=float),
        c3_km2_s2=c3,
        dla_deg=dla,
        rla_deg=np.asarray(rla_deg, dtype=float),
        capability_kg=cap,
        status=status,
        arrival_constraint=arrival_constraint,
        spacecraft=spacecraft,
        spacecraft_dv_m_s=sc_dv,
        propellant_margin_kg=margin,
        transfer=transfer,
        dsm_tdb_s=None if dsm_tdb_s is None else np.broadcast_to(np.asarray(dsm_tdb_s, float), have.shape).copy(),
        dsm_dv_m_s=None if dsm_tdb_s is None else np.broadcast_to(np.asarray(dsm_dv_m_s, float), have.shape).copy(),
        opportunities=opp,
    )


def _spacecraft_verdicts(
    status: np.ndarray,
    spacecraft: Spacecraft | None,
    capture: CaptureOrbit | None,
    have: np.ndarray,
    vinf_arrive_m_s: np.ndarray | None,
    dsm_dv_m_s: np.ndarray | float,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Each day's DSM + insertion (m/s) and propellant margin (kg), None without a spacecraft; days short of
    propellant are marked in ``status`` in place."""
    if spacecraft is None or capture is None:
        return None, None
    vinf = np.where(have, np.asarray(vinf_arrive_m_s, dtype=float), np.nan)
    b = spacecraft_budget(spacecraft, capture, vinf, dsm_dv_m_s)
    status[b.status != BUDGET_OK] = DAY_SPACECRAFT_PROPELLANT
    return b.dv_m_s, b.margin_kg


def _launcher_verdicts(
    status: np.ndarray,
    launcher: Launcher,
    have: np.ndarray,
    dla: np.ndarray,
    cap_status: np.ndarray,
    opp: LaunchOpportunities,
) -> None:
    """Overwrite ``status`` in place, later verdicts winning: coast too long, DLA unreachable, C3 outside the
    launcher's table, no transfer."""
    status[opp.status == DEPARTURE_COAST_TOO_LONG] = DAY_COAST_TOO_LONG
    status[~launcher.dla_reachable(np.where(have, dla, 90.0))] = DAY_DLA_UNREACHABLE
    status[(cap_status != CAPABILITY_OK) & have] = DAY_C3_OUTSIDE_TABLE
    status[~have] = DAY_NO_TRANSFER


def _check_spacecraft(spacecraft: Spacecraft | None, capture: CaptureOrbit | None) -> None:
    if (spacecraft is None) != (capture is None):
        raise InputError(
            "a spacecraft budget needs both the spacecraft (masses, Isp) and its capture orbit; give both or neither."
        )


def check_masses(payload_kg: float, reserve_kg: float) -> None:
    """InputError unless the payload is a finite mass > 0 kg and the reserve a finite mass >= 0 kg."""
    check_payload(payload_kg)
    if not (np.isfinite(reserve_kg) and reserve_kg >= 0):
        raise InputError(f"launcher reserve must be a finite 0 kg or more (got {reserve_kg:g} kg); give it in kg.")


def feasible_mask(
    launcher: Launcher,
    payload_kg: float,
    c3_km2_s2: npt.ArrayLike,
    dla_deg: npt.ArrayLike,
    spacecraft: Spacecraft | None = None,
    capture: CaptureOrbit | None = None,
    vinf_arrive_km_s: npt.ArrayLike | None = None,
    rla_deg: npt.ArrayLike | None = None,
    depart_tdb_s: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Element-wise: can ``launcher`` send ``payload_kg`` (include any reserve) onto each (C3, DLA), and (when
    given) can ``spacecraft`` insert into ``capture`` from each arrival v-infinity (ballistic, no DSM)? With
    ``rla_deg`` and ``depart_tdb_s`` (broadcast against C3, e.g. a porkchop's ``depart[:, None]``) a cell also
    needs one lift-off opportunity whose coast fits ``launcher.max_coast_min`` (``departure.coast_fits``)."""
    _check_spacecraft(spacecraft, capture)
    if (rla_deg is None) != (depart_tdb_s is None):
        raise InputError("the coast check needs both rla_deg and depart_tdb_s; give both or neither.")
    c3 = np.asarray(c3_km2_s2, dtype=float)
    cap, st = launcher.capability_kg(np.where(np.isfinite(c3), c3, np.inf).ravel())
    ok = (st == CAPABILITY_OK) & (cap >= payload_kg)
    ok = ok.reshape(c3.shape) & launcher.dla_reachable(np.nan_to_num(np.asarray(dla_deg, float), nan=90.0))
    if spacecraft is not None:
        ok = ok & _spacecraft_ok(spacecraft, capture, np.broadcast_to(np.asarray(vinf_arrive_km_s, float), c3.shape))
    if rla_deg is not None and depart_tdb_s is not None:
        ok = ok & _coast_ok(launcher, ok, depart_tdb_s, c3, dla_deg, rla_deg)
    return cast(np.ndarray, ok)


_COAST_CELLS = 250_000  # cells per coast-check block: bounds memory on the largest porkchop grids


def _coast_ok(
    launcher: Launcher,
    candidate: np.ndarray,
    depart_tdb_s: npt.ArrayLike,
    c3_km2_s2: np.ndarray,
    dla_deg: npt.ArrayLike,
    rla_deg: npt.ArrayLike,
) -> np.ndarray:
    """``departure.coast_fits`` on the ``candidate`` cells (True elsewhere), vectorised in blocks of cells."""
    from .departure import coast_fits

    arrays = np.broadcast_arrays(*(np.asarray(a, float) for a in (depart_tdb_s, c3_km2_s2, dla_deg, rla_deg)))
    t, c3, dla, rla = (a.reshape(-1) for a in arrays)
    idx = np.flatnonzero(np.broadcast_to(candidate, arrays[0].shape))
    out = np.ones(t.size, dtype=bool)
    for k in range(0, idx.size, _COAST_CELLS):
        i = idx[k : k + _COAST_CELLS]
        out[i] = coast_fits(launcher, t[i], c3[i], dla[i], rla[i])
    return out.reshape(arrays[0].shape)


@dataclass
class PorkchopLaunch:
    """A launcher applied to a porkchop: the feasible cells of its grid and the launch period over its departures."""

    period: LaunchPeriod
    feasible_grid: np.ndarray  # bool [i_depart, j_arrive], same shape as the porkchop grid

    def summary(self) -> dict[str, Any]:
        return self.period.summary()


def porkchop_launch(
    result: PorkchopResult,
    launcher: Launcher,
    payload_kg: float,
    period_arrive: DateRange | None = None,
    reserve_kg: float = 0.0,
    period_depart: DateRange | None = None,
    spacecraft: Spacecraft | None = None,
    capture: CaptureOrbit | None = None,
    transfer: str = "ballistic",
) -> PorkchopLaunch:
    """Apply ``launcher`` with ``payload_kg`` (and optionally the ``spacecraft``'s insertion budget) to a
    porkchop result (``areo.transfer.window.PorkchopResult``): shade its infeasible cells and compute the daily
    launch period over its departure range (or ``period_depart``), arriving in its arrival range (or on/in
    ``period_arrive``, a date or a START:STOP range). The shading judges the grid's ballistic arcs (capability, DLA,
    the coast of each cell's two lift-off opportunities, the spacecraft's propellant); the launch period's days fly
    ``transfer`` (see ``launch_period``)."""
    g = result.grid
    check_masses(payload_kg, reserve_kg)
    c3 = np.where(g.status == 0, g.c3_km2_s2, np.nan)
    mask = feasible_mask(
        launcher,
        payload_kg + reserve_kg,
        c3,
        g.dla_deg,
        spacecraft,
        capture,
        g.vinf_arrive_km_s,
        rla_deg=g.rla_deg,
        depart_tdb_s=g.depart_tdb_s[:, None],
    )
    depart = period_depart or (_utc(float(g.depart_tdb_s[0])), _utc(float(g.depart_tdb_s[-1])))
    arrive = period_arrive or f"{_utc(float(g.arrive_tdb_s[0]))}:{_utc(float(g.arrive_tdb_s[-1]))}"
    period = launch_period(
        launcher,
        payload_kg,
        depart,
        arrive,
        g.origin,
        g.target,
        reserve_kg,
        spacecraft=spacecraft,
        capture=capture,
        transfer=transfer,
    )
    return PorkchopLaunch(period=period, feasible_grid=mask)


__all__ = [
    "C3_ABOVE_TABLE",
    "DAY_STATUS",
    "TRANSFERS",
    "LaunchPeriod",
    "PorkchopLaunch",
    "arrival_days",
    "check_masses",
    "departure_days",
    "feasible_mask",
    "judge_days",
    "launch_period",
    "porkchop_launch",
]
