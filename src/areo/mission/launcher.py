"""The launcher of a scenario: its capability and margin at the flown (or planned) departure, and the launch
period over the scenario's departure window. Read by the replay into summary.json (``launcher``,
``launch_period``)."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from .scenario import Scenario


def scenario_payload_kg(sc: Scenario) -> float | None:
    """``[launch] payload_kg`` if given, else the sum of the cruise vehicles' launch masses."""
    if sc.launch.payload_kg is not None:
        return sc.launch.payload_kg
    if sc.cruise is None:
        return None
    return sc.cruise.orbiter.mass_kg + (sc.cruise.lander.mass_kg if sc.cruise.lander else 0.0)


def scenario_spacecraft(sc: Scenario):
    """``(Spacecraft, CaptureOrbit)`` from the scenario's cruise tables, or ``(None, None)`` when the orbiter
    has no main engine (``thrust_n`` 0: nothing to insert into orbit, e.g. a carrier that releases a lander).

    Launch mass: the launch payload; released mass: the lander's; dry mass and Isp: the orbiter's; the capture
    ellipse: ``[cruise.capture]`` periapsis altitude and apoapsis altitude (or, without it, the period) above the
    equatorial radius of the arrival body (``cruise.body``), with its GM."""
    import numpy as np

    from ..bodies import body
    from ..launch import CaptureOrbit, Spacecraft

    c = sc.cruise
    payload = scenario_payload_kg(sc)
    if c is None or payload is None or not c.orbiter.thrust_n > 0:
        return None, None
    released = c.lander.mass_kg if c.lander else 0.0
    craft = Spacecraft(payload, c.orbiter.dry_mass_kg, released, c.orbiter.isp_s)
    arrival = body(c.body)
    mu, r_body, cap = float(arrival.gm_m3_s2), float(arrival.radius_m), c.capture
    rp = r_body + cap.periapsis_altitude_km * 1e3
    if cap.apoapsis_altitude_km is not None:
        ra = r_body + cap.apoapsis_altitude_km * 1e3
    else:
        ra = 2.0 * (mu * (cap.period_days * 86400.0 / (2.0 * np.pi)) ** 2) ** (1.0 / 3.0) - rp
    return craft, CaptureOrbit(mu, rp, ra)


def scenario_launch_period(sc: Scenario, with_dsm: bool = False):
    """The scenario's launch period: its launcher and payload, ``reserve_kg``, and the spacecraft's insertion
    budget (``scenario_spacecraft``), over ``period_depart`` (or ``window_depart``) towards ``period_arrive``
    (or ``window_arrive``); None without a launcher or payload.

    Transfers follow ``[launch] period_transfer``: ``"ballistic"`` (one Lambert arc a day) or ``"dsm"`` (each day
    the one-DSM transfer to the fixed arrival that maximises the smaller of the launcher's and the propellant
    margins, ``areo.launch.dsm``). ``with_dsm``: instead, every day flies the scenario's DSM
    (``cruise.dsm_utc``, ``cruise.dsm_dv_m_s``: the flown magnitude held for every launch day, an assumption)
    in areo's patched-conic DSM design (``areo.cruise.design``), and the spacecraft's budget pays for it; it
    needs a fixed arrival date."""
    from ..launch import get_launcher, launch_period

    payload = scenario_payload_kg(sc)
    if sc.launch.launcher is None or payload is None:
        return None
    craft, capture = scenario_spacecraft(sc)
    depart = sc.launch.period_depart or sc.launch.window_depart
    arrive = sc.launch.period_arrive or sc.launch.window_arrive
    lv = get_launcher(sc.launch.launcher)
    if with_dsm:
        return _dsm_launch_period(sc, lv, payload, depart, arrive, craft, capture)
    return launch_period(
        lv,
        payload,
        depart,
        arrive,
        target=sc.cruise.body if sc.cruise is not None else "mars",  # the scenario's arrival body
        reserve_kg=sc.launch.reserve_kg,
        spacecraft=craft,
        capture=capture,
        transfer=sc.launch.period_transfer,
    )


def _dsm_launch_period(sc: Scenario, lv, payload: float, depart, arrive, craft, capture):
    import numpy as np

    from ..cruise.design import design_transfer
    from ..launch import judge_days
    from ..launch.period import arrival_days, departure_days
    from ..time import utc_to_tdb_seconds

    c = sc.cruise
    if c is None or c.dsm_utc is None or c.dsm_dv_m_s is None:
        raise InputError("the scenario has no deep-space manoeuvre (cruise.dsm_utc, cruise.dsm_dv_m_s); give both.")
    deps = departure_days(depart)
    arrs, constraint = arrival_days(arrive)
    if arrs[0] != arrs[-1]:
        raise InputError(f"a launch period with a DSM needs a fixed arrival date (got the window {arrive}).")
    t_dsm = float(utc_to_tdb_seconds(c.dsm_utc))
    n = deps.size
    c3, dla, rla, vinf = (np.full(n, np.nan) for _ in range(4))
    for i, t in enumerate(deps):
        try:
            d = design_transfer(float(t), float(arrs[0]), t_dsm, c.dsm_dv_m_s)
        except InputError:
            continue  # no design for this day: reported as "no transfer"
        v = d.v_inf_departure_m_s
        c3[i], vinf[i] = d.c3_km2_s2, float(np.linalg.norm(d.v_inf_arrival_m_s))
        dla[i] = np.degrees(np.arcsin(v[2] / np.linalg.norm(v)))
        rla[i] = np.degrees(np.arctan2(v[1], v[0])) % 360.0
    return judge_days(
        lv,
        payload,
        deps,
        np.full(n, arrs[0]),
        c3,
        dla,
        rla,
        np.isfinite(c3),
        constraint,
        reserve_kg=sc.launch.reserve_kg,
        spacecraft=craft,
        capture=capture,
        vinf_arrive_m_s=vinf,
        dsm_dv_m_s=c.dsm_dv_m_s,
        transfer=f"DSM of {c.dsm_dv_m_s:g} m/s on {c.dsm_utc[:10]} every day (areo.cruise.design)",
        dsm_tdb_s=np.where(np.isfinite(c3), t_dsm, np.nan),
    )


def scenario_porkchop_launch(sc: Scenario, porkchop_result):
    """The launcher (and spacecraft budget) applied to the scenario's porkchop: shaded cells and launch period
    (``areo.launch.PorkchopLaunch``), as ``areo porkchop --launcher`` draws them; None without a launcher."""
    from ..launch import get_launcher, porkchop_launch

    payload = scenario_payload_kg(sc)
    if sc.launch.launcher is None or payload is None:
        return None
    craft, capture = scenario_spacecraft(sc)
    return porkchop_launch(
        porkchop_result,
        get_launcher(sc.launch.launcher),
        payload,
        sc.launch.period_arrive or sc.launch.window_arrive,
        sc.launch.reserve_kg,
        period_depart=sc.launch.period_depart or sc.launch.window_depart,
        spacecraft=craft,
        capture=capture,
        transfer=sc.launch.period_transfer,
    )


def launcher_summary(sc: Scenario, porkchop_result, period=None) -> dict:
    """``{"launcher": {...} | None, "launch_period": {...} | None}`` for summary.json.

    ``launcher`` holds name, payload_kg, capability_kg, margin_kg, feasible and reason at the scenario's launch
    (C3 and DLA of the launch-to-arrival transfer in ``porkchop_result.at``); ``launch_period`` the daily launch
    period of ``scenario_launch_period`` (or ``period``, an ``areo.launch.LaunchPeriod`` already computed).
    """
    from ..launch import assess, get_launcher

    payload = scenario_payload_kg(sc)
    if sc.launch.launcher is None or payload is None:
        return {"launcher": None, "launch_period": None}
    lv = get_launcher(sc.launch.launcher)
    out: dict = {"name": lv.name, "title": lv.title, "payload_kg": payload, "estimate": lv.estimate}
    out["reserve_kg"] = sc.launch.reserve_kg
    at = getattr(porkchop_result, "at", None)
    if at is not None:
        out["c3_km2_s2"], out["dla_deg"] = round(at.c3_km2_s2, 4), round(at.dla_deg, 3)
        try:
            a = assess(lv, at.c3_km2_s2, at.dla_deg, payload)
            out.update(capability_kg=round(a.capability_kg, 1), margin_kg=round(a.margin_kg or 0.0, 1))
            out.update(feasible=a.feasible, reason=a.reason)
        except InputError as exc:
            out.update(capability_kg=None, margin_kg=None, feasible=False, reason=str(exc))
    period = period or scenario_launch_period(sc)
    return {"launcher": out, "launch_period": period.summary()}


def write_launch_summary(launch: dict, tmp: Path, final: Path, files: list[str]) -> list[str]:
    """Add ``launcher`` and ``launch_period`` to summary.json in ``tmp`` (written with only those two keys when the
    replay has no summary.json yet); returns the final path when it was not among ``files`` already."""
    from ..io.files import write_json

    path = Path(tmp) / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    summary.update(launch or {"launcher": None, "launch_period": None})
    write_json(path, summary)
    final_path = str(Path(final) / "summary.json")
    return [] if final_path in files else [final_path]
