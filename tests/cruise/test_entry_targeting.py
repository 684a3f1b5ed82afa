"""Entry targeting beyond ExoMars 2016: ExoMars 2022-like and 2028-like plans (no DSM, no orbit insertion, entry
at Oxia Planum's latitude at a fixed epoch), the two-body aim point it starts from, and the errors that replace a
silent miss.

The plans mirror scenarios/exomars2022.toml and exomars2028.toml (sources there): ExoMars 2022 launch window
opening 2022-09-20, landing 2023-06-10 at Oxia Planum 18.275 N (ESA); the 2028 values are areo's assumptions
(ESA's September 2028 window and two-year journey flown as the window's minimum-C3 one-revolution transfer,
arriving 2030-12-07). Entry interface 120 km, FPA -12 deg (assumptions, typical of Mars landers).
"""

import dataclasses
import re

import numpy as np
import pytest

from areo.constants import G0, GM_MARS
from areo.cruise import (
    CruisePlan,
    EntryTarget,
    Vehicle,
    bplane,
    conic_periapsis_tdb_s,
    entry_aim_point,
    fly,
    mars_altitude_m,
    mars_relative_figures,
)
from areo.cruise.bplane import MARS_POLE_ICRF
from areo.cruise.flight import ExecutionErrors
from areo.errors import InputError
from areo.kepler import elements_to_state
from areo.kepler import propagate as kepler_propagate
from areo.time import utc_to_tdb_seconds
from tests.cruise._plans import exomars2016_plan
from tests.units import ARCSEC, DEG, KM, M_S, METRE, MINUTE, SECOND

OXIA_LAT_DEG = 18.275  # ESA landing-site selection (2018-11): Oxia Planum 18.275 N, 335.368 E


def _t(utc):
    return float(utc_to_tdb_seconds(utc))


def _carrier_plan(launch, entry_utc, tcms, separation, orbiter_dry_kg=850.0, **overrides):
    """Carrier module (1000 kg, trim thrusters Isp 220 s) with a 2000 kg descent module, as in the scenarios."""
    t_entry = _t(entry_utc)
    plan = dict(
        launch_tdb_s=_t(launch),
        arrival_tdb_s=t_entry,
        orbiter=Vehicle("Carrier module", 1000.0, orbiter_dry_kg, thrust_n=0.0, isp_s=220.0),
        lander=Vehicle("Descent module", 2000.0, 2000.0, thrust_n=0.0),
        tcm_tdb_s=tuple(_t(u) for u in tcms),
        entry=EntryTarget(altitude_m=120e3, fpa_deg=-12.0, latitude_deg=OXIA_LAT_DEG, tdb_s=t_entry),
        separation_tdb_s=_t(separation),
        separation_dv_m_s=0.3,
        perigee_altitude_m=200e3,
    )
    plan.update(overrides)
    return CruisePlan(**plan)


def exomars2022_like(**kw):
    return _carrier_plan(
        "2022-09-20T00:00:00Z",
        "2023-06-10T15:00:00Z",
        ["2022-10-15T12:00:00Z", "2023-02-01T12:00:00Z", "2023-05-20T12:00:00Z"],
        "2023-06-10T10:00:00Z",
        **kw,
    )


def exomars2028_like(**kw):
    kw.setdefault("transfer_revs", 1)
    return _carrier_plan(
        "2028-09-25T12:00:00Z",
        "2030-12-07T22:34:00Z",
        ["2028-10-20T12:00:00Z", "2030-06-01T12:00:00Z", "2030-11-22T12:00:00Z"],
        "2030-12-07T16:34:00Z",
        **kw,
    )


@pytest.fixture(scope="module", params=["2022", "2028"])
def flown(request):
    plan = exomars2022_like() if request.param == "2022" else exomars2028_like()
    return plan, fly(plan)


def test_entry_conditions_are_met(flown):
    """The lander reaches the entry interface at the requested epoch, FPA and Oxia Planum's latitude (before:
    every TCM failed and the lander flew past Mars, B = 42,000 km for 2028, with no error)."""
    plan, res = flown
    e = res.entry
    assert e is not None
    assert e.altitude_m == pytest.approx(120 * KM, abs=1 * METRE)
    assert e.tdb_s == pytest.approx(plan.entry.tdb_s, abs=2 * SECOND)
    assert e.fpa_inertial_deg == pytest.approx(-12.0, abs=0.02)
    assert e.latitude_deg == pytest.approx(OXIA_LAT_DEG, abs=0.02)


def test_multi_revolution_transfer_circles_the_sun(flown):
    """The 2028 plan asks for one revolution (transfer_revs = 1): the flown Sun-centred path sweeps more than 360
    deg about the Sun between launch and entry (the direct 2022 one less than 180 + 90 deg), counted from the
    samples' angles in the transfer plane (normal r x v mid-cruise), unwrapped."""
    plan, res = flown
    traj = res.lander
    keep = traj.tdb_s <= res.entry.tdb_s
    r, v = traj.r_sun_icrf_m[keep], traj.v_sun_icrf_m_s[keep]
    h = np.cross(r[len(r) // 2], v[len(r) // 2])
    h /= np.linalg.norm(h)
    x = r[0] - (r[0] @ h) * h
    x /= np.linalg.norm(x)
    y = np.cross(h, x)
    swept = np.degrees(np.unwrap(np.arctan2(r @ y, r @ x)))
    total = swept[-1] - swept[0]
    if plan.transfer_revs == 1:
        assert 360.0 < total < 720.0 and res.design.revs == 1
    else:
        assert 90.0 < total < 270.0 and res.design.revs == 0


def test_prograde_branch_and_geometry(flown):
    """The prograde solution is flown: the lander moves eastward relative to the atmosphere (azimuth in (0, 180)
    deg), so the approach inclination is at least the entry latitude and at most 90 deg."""
    _, res = flown
    assert 0.0 < res.entry.azimuth_relative_deg < 180.0
    inc = res.bplane["lander"]["inclination_deg"]
    assert OXIA_LAT_DEG <= inc < 90.0
    # the atmosphere turns with an eastward entry: relative FPA steeper, relative speed smaller
    assert res.entry.fpa_relative_deg < res.entry.fpa_inertial_deg
    assert res.entry.speed_relative_m_s < res.entry.speed_inertial_m_s


def test_lander_energy_is_conserved_from_separation_to_entry(flown):
    """Between separation (hours out, deep inside Mars' sphere of influence) and entry the lander coasts: its
    Mars-relative two-body energy v^2/2 - mu/r is conserved to the Sun's tidal perturbation (< 0.1 % here)."""
    plan, res = flown
    st = res.state_at("lander", plan.separation_tdb_s + 60.0, origin="mars")
    e_sep = st.v_m_s @ st.v_m_s / 2 - GM_MARS / np.linalg.norm(st.r_m)
    e = res.entry
    e_ent = e.speed_inertial_m_s**2 / 2 - GM_MARS / np.linalg.norm(e.r_mars_icrf_m)
    assert e_ent == pytest.approx(e_sep, rel=1e-3)
    assert e_sep > 0  # hyperbolic approach: no orbit insertion for the lander


def test_tcms_converge_within_the_propellant(flown):
    """Every TCM converged, the total fits the carrier's propellant (rocket equation, 150 kg at Isp 220 s), and
    once TCM-1 has aimed the entry the later TCMs are trims (< 1 m/s)."""
    _plan, res = flown
    by = {m.name: m for m in res.maneuvers}
    assert [m for m in by if m.startswith("TCM")] == ["TCM-1", "TCM-2", "TCM-3"]
    budget = 220.0 * G0 * np.log(3000.0 / 2850.0)
    assert sum(by[n].dv_magnitude_m_s for n in ("TCM-1", "TCM-2", "TCM-3")) < budget
    assert by["TCM-2"].dv_magnitude_m_s < 1 * M_S and by["TCM-3"].dv_magnitude_m_s < 1 * M_S
    for n in ("TCM-1", "TCM-2", "TCM-3"):
        m = by[n]
        assert m.propellant_kg == pytest.approx(
            (3000.0 - sum(by[k].propellant_kg for k in by if by[k].tdb_s < m.tdb_s))
            * (1 - np.exp(-m.dv_magnitude_m_s / (220.0 * G0))),
            rel=1e-9,
            abs=1e-12,
        )
    names = [row["name"] for row in res.timeline()]
    assert names.index("TCM-3") < names.index("separation") < names.index("lander:entry-interface")


def _hyperbola_through_b_plane(v_inf_vec, b_t, b_r):
    """Periapsis state of the Mars hyperbola with incoming asymptote v_inf_vec and B-plane point (b_t, b_r),
    built from the definitions: h = B x v_inf, e = sqrt(1 + (b v_inf^2 / mu)^2), periapsis direction the
    incoming-asymptote position (-S) turned by nu_inf = acos(-1/e) about h (Vallado sec. 12.6)."""
    mu = float(GM_MARS)
    v_inf = np.linalg.norm(v_inf_vec)
    s = v_inf_vec / v_inf
    t_hat = np.cross(s, MARS_POLE_ICRF)
    t_hat /= np.linalg.norm(t_hat)
    r_hat = np.cross(s, t_hat)
    b_vec = b_t * t_hat + b_r * r_hat
    b = np.linalg.norm(b_vec)
    k = np.cross(b_vec, s) / b
    e = np.sqrt(1 + (b * v_inf**2 / mu) ** 2)
    nu_inf = np.arccos(-1 / e)
    x = -s
    p_hat = x * np.cos(nu_inf) + np.cross(k, x) * np.sin(nu_inf)
    r_p = -mu / v_inf**2 * (1 - e)
    v_p = np.sqrt(v_inf**2 + 2 * mu / r_p)
    return r_p * p_hat, v_p * np.cross(k, p_hat)


def _approach_state():
    """A Mars-centred approach state 3 days before periapsis, v_inf 2.9 km/s, asymptote well off the equator."""
    mu = float(GM_MARS)
    a = -mu / 2900.0**2
    r, v = elements_to_state(a, 1.8, 1.1, 0.7, 2.3, 0.0, mu)
    r0, v0, _ = kepler_propagate(r, v, -3 * 86400.0, mu)
    return r0, v0


def test_aim_point_meets_the_entry_conditions_on_the_conic():
    """The two-body aim point, flown on an independently built hyperbola (Kepler propagation), crosses the entry
    altitude at the target FPA and latitude, on a prograde path, at the target epoch; the conic periapsis epoch
    of any state of that hyperbola is its periapsis epoch."""
    t0 = _t("2023-06-07T15:00:00Z")
    t_entry = _t("2023-06-10T15:00:00Z")
    target = EntryTarget(altitude_m=120e3, fpa_deg=-12.0, latitude_deg=OXIA_LAT_DEG, tdb_s=t_entry)
    r0, v0 = _approach_state()
    aim = entry_aim_point(target, r0, v0, t0)
    bp0 = bplane(r0, v0)
    rp, vp = _hyperbola_through_b_plane(bp0.s_hat * bp0.v_inf_m_s, aim.target.b_t_m, aim.target.b_r_m)
    bp = bplane(rp, vp)
    assert bp.b_t_m == pytest.approx(aim.target.b_t_m, abs=1 * METRE)
    assert bp.b_r_m == pytest.approx(aim.target.b_r_m, abs=1 * METRE)
    assert np.linalg.norm(bp.s_hat - bp0.s_hat) < 1e-9  # same asymptote
    dt = aim.target.periapsis_tdb_s - t_entry
    assert 0 < dt < 30 * MINUTE  # entry at 120 km comes minutes before the (subsurface) periapsis
    r_e, v_e, _ = kepler_propagate(rp, vp, -dt, float(GM_MARS))
    fig = mars_relative_figures(t_entry, r_e, v_e)
    assert float(mars_altitude_m(r_e)) == pytest.approx(120 * KM, abs=1 * METRE)
    assert fig.fpa_inertial_deg == pytest.approx(-12.0, abs=1 * ARCSEC / DEG)
    assert fig.latitude_deg == pytest.approx(OXIA_LAT_DEG, abs=1 * ARCSEC / DEG)
    assert np.cross(rp, vp) @ MARS_POLE_ICRF > 0  # prograde
    # conic periapsis epoch from a state an hour before entry
    r1, v1, _ = kepler_propagate(rp, vp, -dt - 3600.0, float(GM_MARS))
    assert conic_periapsis_tdb_s(t_entry - 3600.0, r1, v1) == pytest.approx(t_entry + dt, abs=1e-3 * SECOND)


def test_unreachable_latitude_names_the_reachable_range():
    """A latitude beyond the entry points' reach is refused; the range given matches a scan of the B-plane angle
    on independently built hyperbolas."""
    r0, v0 = _approach_state()
    target = EntryTarget(altitude_m=120e3, fpa_deg=-12.0, latitude_deg=OXIA_LAT_DEG)
    aim = entry_aim_point(target, r0, v0, 0.0)
    lo, hi = aim.latitude_range_deg
    bp0 = bplane(r0, v0)
    lats = []
    for th in np.radians(np.arange(0.0, 360.0, 0.5)):
        rp, vp = _hyperbola_through_b_plane(bp0.s_hat * bp0.v_inf_m_s, aim.b_m * np.cos(th), aim.b_m * np.sin(th))
        r_e, v_e, _ = kepler_propagate(rp, vp, -aim.entry_to_periapsis_s, float(GM_MARS))
        lats.append(mars_relative_figures(0.0, r_e, v_e).latitude_deg)
    assert min(lats) == pytest.approx(lo, abs=0.05) and max(lats) == pytest.approx(hi, abs=0.05)
    with pytest.raises(
        InputError,
        match=rf"entry latitude {hi + 5:.3f} deg cannot be reached from this approach: "
        r".* lies between latitudes (\S+) and (\S+) deg; choose a latitude",
    ) as err:
        entry_aim_point(dataclasses.replace(target, latitude_deg=hi + 5), r0, v0, 0.0)
    # the range quoted is for the entry radius at the requested latitude (ellipsoid): within 0.1 deg of the scan's
    got = re.search(r"between latitudes (\S+) and (\S+) deg", str(err.value)).groups()
    assert float(got[0]) == pytest.approx(lo, abs=0.1) and float(got[1]) == pytest.approx(hi, abs=0.1)


def test_entry_epoch_beyond_the_propellant_is_an_error_with_the_natural_epoch():
    """With 10 kg of propellant (7.2 m/s) TCM-1 cannot move the entry the ~18 h to the requested epoch: the error
    gives the need and the budget (rocket equation), the residual's cause and the natural entry epoch, which a
    flight with the epoch left free confirms."""
    plan = exomars2022_like(orbiter_dry_kg=990.0)
    budget = 220.0 * G0 * np.log(3000.0 / 2990.0)
    with pytest.raises(InputError) as err:
        fly(plan)
    msg = str(err.value)
    assert msg.startswith(
        "TCM-1 (2022-10-15T12:00Z) cannot bring the lander to the entry target (120 km, "
        "flight-path angle -12 deg (inertial), latitude 18.275 deg, at 2023-06-10T15:00Z)"
    )
    assert f"but the propellant left gives only {budget:.1f} m/s (Isp 220 s)" in msg
    assert "carry more propellant" in msg
    need = float(re.search(r"needs about ([\d.]+) m/s", msg).group(1))
    assert need > budget
    natural = re.search(r"the lander would enter at about (\S+Z) \(([\d.]+) h before the requested epoch\)", msg)
    assert natural is not None
    assert f"set the entry epoch (entry.tdb_s; arrival_utc in a scenario) near {natural.group(1)}" in msg
    # the same plan with the epoch free (and separation three days earlier) enters at the natural epoch
    free = fly(
        exomars2022_like(
            entry=dataclasses.replace(plan.entry, tdb_s=None), separation_tdb_s=plan.separation_tdb_s - 3 * 86400.0
        )
    )
    assert free.entry.tdb_s == pytest.approx(_t(natural.group(1).replace("Z", ":00Z")), abs=5 * MINUTE)
    assert (plan.entry.tdb_s - free.entry.tdb_s) / 3600 == pytest.approx(float(natural.group(2)), abs=0.1)
    assert free.entry.latitude_deg == pytest.approx(OXIA_LAT_DEG, abs=0.02)


def test_free_epoch_with_longitude_target():
    """Epoch left free, longitude given: the entry meets FPA, latitude and longitude (the epoch follows from Mars'
    rotation)."""
    plan = exomars2022_like()
    res = fly(
        exomars2022_like(
            entry=dataclasses.replace(plan.entry, tdb_s=None, longitude_deg=-30.0),
            separation_tdb_s=plan.separation_tdb_s - 3 * 86400.0,
        )
    )
    assert res.entry.fpa_inertial_deg == pytest.approx(-12.0, abs=0.02)
    assert res.entry.latitude_deg == pytest.approx(OXIA_LAT_DEG, abs=0.02)
    assert res.entry.longitude_deg == pytest.approx(-30.0, abs=0.02)


def test_stack_reaching_mars_before_separation_is_refused():
    """Epoch left free, the lander would enter ~18 h before the planned separation: refused with the fix."""
    plan = exomars2022_like()
    with pytest.raises(
        InputError,
        match=r"the stack reaches Mars' 120 km entry interface at 2023-06-09T\d\d:\d\dZ, "
        r"before the lander separates at 2023-06-10T10:00Z; separate the lander "
        r"earlier",
    ):
        fly(exomars2022_like(entry=dataclasses.replace(plan.entry, tdb_s=None)))


def test_lander_that_misses_the_entry_interface_is_an_error():
    """No TCM after a DSM flown with 5 % / 2 deg errors: the lander flies past Mars; the error says where it
    passes (periapsis altitude and B vs the corridor's) and how to fix the plan."""
    plan = exomars2016_plan(
        tcm_tdb_s=(), avoidance_tdb_s=None, moi_end_tdb_s=None, execution_errors=ExecutionErrors(0.05, 2.0, seed=3)
    )
    with pytest.raises(
        InputError,
        match=r"the lander, separated at 2016-10-16T14:42Z, never reaches the 121 km "
        r"entry interface .*: it passes Mars at [\d,]+ km periapsis altitude "
        r"\(B = [\d,]+ km; the entry corridor needs B about [\d,]+ km\)\. "
        r"Fix: .*add TCMs",
    ):
        fly(plan)


def test_entry_off_target_without_tcm_is_an_error():
    """A lander plan without TCMs enters, but a day early and off the latitude: refused with the residual in
    physical units instead of a result that looks fine."""
    with pytest.raises(
        InputError,
        match=r"the lander reaches the entry interface at 2016-10-18T\d\d:\d\dZ off its "
        r"target .*: flight-path angle [-+]\d+\.\d+ deg, latitude [-+]\d+\.\d+ deg, "
        r"epoch [-+]\d+ s \([-+]\d+\.\d+ h\)\. Cause: the plan has no TCM",
    ):
        fly(exomars2016_plan(tcm_tdb_s=(), avoidance_tdb_s=None, moi_end_tdb_s=None))


def test_orbiter_tcm_beyond_the_propellant_is_an_error():
    """Without a lander the TCMs aim the capture approach; with a 3330 kg dry mass about 52 kg of propellant is
    left after the DSM, and the ~54 m/s TCM-1 needed is out of reach: the error gives the residual (km, deg, s)
    and the budget, which is the rocket equation's for the mass left after the DSM. With the insertion in the plan
    the budget refuses it before any targeting (test_segments_orbit.py), so the TCM is aimed at the same periapsis
    epoch (mid-way through ESA's 139 min MOI ending 15:34) without one."""
    res = None
    tgo = Vehicle("TGO", 3755.0, 3330.0)
    with pytest.raises(InputError, match=r"orbit insertion .* needs at least \d+ m/s"):
        exomars2016_plan(lander=None, avoidance_tdb_s=None, separation_tdb_s=None, orbiter=tgo).validate()
    base = exomars2016_plan()
    t_peri = base.moi_end_tdb_s - base.moi_duration_guess_s / 2
    with pytest.raises(
        InputError,
        match=r"TCM-1 \(2016-08-11T09:00Z\) did not converge on the capture approach "
        r"\(periapsis 250 km, inclination 7 deg, at 2016-10-19T14:24Z\): residual "
        r"periapsis altitude [-+][\d.]+ km, inclination [-+][\d.]+ deg, periapsis "
        r"epoch [-+]\d+ s with a [\d.]+ m/s burn; the propellant left gives "
        r"([\d.]+) m/s\. Fix: plan the TCM earlier, carry more propellant",
    ) as err:
        res = fly(
            exomars2016_plan(
                lander=None,
                avoidance_tdb_s=None,
                separation_tdb_s=None,
                moi_end_tdb_s=None,
                orbiter_periapsis_tdb_s=t_peri,
                orbiter=tgo,
            )
        )
    assert res is None
    m_after_dsm = 3755.0 * np.exp(-326.5 / (318.0 * G0))
    budget = 318.0 * G0 * np.log(m_after_dsm / 3330.0)
    assert float(re.search(r"propellant left gives ([\d.]+) m/s", str(err.value)).group(1)) == pytest.approx(
        budget, abs=0.1 * M_S
    )
