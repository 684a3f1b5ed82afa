"""Launch periods with one deep-space manoeuvre per day (areo.launch.dsm, ``launch_period(transfer="dsm")``).

Checked on invariants, none taken from areo's own output:
* the chosen transfer reaches Mars' position at the arrival epoch, and its arrival v-infinity is the velocity
  relative to Mars there: re-flown with scipy's DOP853 integrator of the two-body problem (not areo's Kepler
  solver), from the departure asymptote, through the DSM;
* zero DSM is the ballistic Lambert arc (any DSM epoch); where the ballistic arc is optimal, the DSM mode
  reports the ballistic period's C3 and DLA (that one comes from the porkchop grid, another code path), and no
  small DSM nearby does better;
* the ballistic arc is one point of the search, so the DSM mode never loses a feasible day, and its chosen
  transfer is a local optimum of the criterion (random nearby transfers are not better).
"""

import numpy as np
import pytest

from areo.constants import GM_SUN
from areo.errors import InputError
from areo.launch import CaptureOrbit, Spacecraft, get_launcher, launch_period
from areo.launch.dsm import best_dsm_transfers, dsm_problems, margins
from areo.mission.launcher import scenario_launch_period, scenario_spacecraft
from areo.mission.scenario import load_scenario
from areo.time import utc_to_tdb_seconds
from areo.transfer.lambert import lambert
from tests.units import DAY, KM, M_S, MM_S

ARRIVE = "2016-10-19"  # ExoMars 2016 arrival (ESA); any fixed date would do for the invariants
LV = get_launcher("proton-m-breeze-m")
KG = 1.0


@pytest.fixture(scope="module")
def exomars():
    sc = load_scenario("exomars2016")
    craft, capture = scenario_spacecraft(sc)
    return sc, craft, capture


def _tdb(*utc):
    return np.array([float(x) for x in utc_to_tdb_seconds(list(utc))])


def _fly(r0, v0, t_s):
    """Two-body flight with scipy's DOP853 (independent of areo.kepler), heliocentric, SI."""
    from scipy.integrate import solve_ivp

    mu = float(GM_SUN)

    def f(_t, y):
        r = y[:3]
        return np.concatenate([y[3:], -mu * r / np.linalg.norm(r) ** 3])

    sol = solve_ivp(f, (0.0, t_s), np.concatenate([r0, v0]), method="DOP853", rtol=1e-12, atol=1e-4)
    return sol.y[:3, -1], sol.y[3:, -1]


@pytest.fixture(scope="module")
def march_dsm(exomars):
    """Three launch days in late March 2016, where the best transfer has a DSM of a few hundred m/s."""
    _sc, craft, capture = exomars
    deps = _tdb("2016-03-18", "2016-03-19", "2016-03-20")
    return deps, best_dsm_transfers(LV, 4332.0, deps, _tdb(ARRIVE)[0], craft, capture)


def test_dsm_transfer_reaches_the_arrival_state(march_dsm):
    deps, best = march_dsm
    probs = dsm_problems(deps, _tdb(ARRIVE)[0])
    for i, p in enumerate(probs):
        assert not best.ballistic[i] and best.dsm_dv_m_s[i] > 100 * M_S  # a real DSM is under test
        t_dsm = best.dsm_tdb_s[i]
        r1, v1 = _fly(p.r_earth_m, p.v_earth_m_s + best.leg.v_inf_departure_m_s[i], t_dsm - p.launch_tdb_s)
        r2, v2 = _fly(r1, v1 + best.leg.dsm_dv_m_s[i], p.arrival_tdb_s - t_dsm)
        assert np.linalg.norm(r2 - p.r_mars_m) < 10 * KM
        np.testing.assert_allclose(v2 - p.v_mars_m_s, best.leg.v_inf_arrival_m_s[i], atol=1 * M_S)


def test_zero_dsm_is_the_ballistic_arc_at_any_dsm_epoch():
    deps = _tdb("2016-03-20")
    p = dsm_problems(deps, _tdb(ARRIVE)[0])[0]
    arc = lambert(p.r_earth_m, p.r_mars_m, p.arrival_tdb_s - p.launch_tdb_s, float(GM_SUN))
    eta = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    leg = p.legs(np.tile(arc.v1_m_s - p.v_earth_m_s, (5, 1)), eta)
    assert np.all(np.linalg.norm(leg.dsm_dv_m_s, axis=1) < 1 * MM_S)
    np.testing.assert_allclose(leg.v_inf_arrival_m_s, np.tile(arc.v2_m_s - p.v_mars_m_s, (5, 1)), atol=1 * MM_S)


def _lean_tgo():
    """A TGO-like stack whose propellant only just covers the ballistic insertion: the propellant binds, so a
    DSM (paid by the whole stack) only costs; its launcher margin at a small payload is large."""
    return Spacecraft(launch_mass_kg=2000.0, dry_mass_kg=1200.0, released_mass_kg=0.0, isp_s=318.0)


def test_where_the_ballistic_arc_is_optimal_the_dsm_mode_reduces_to_it(exomars):
    _sc, _craft, capture = exomars
    craft = _lean_tgo()
    days = "2016-03-18:2016-03-22"
    ball = launch_period(LV, 2000.0, days, ARRIVE, spacecraft=craft, capture=capture)
    dsm = launch_period(LV, 2000.0, days, ARRIVE, spacecraft=craft, capture=capture, transfer="dsm")
    assert ball.margin_kg.min() > 1000 * KG  # the launcher has plenty: the propellant margin is the smaller one
    assert np.all(dsm.dsm_dv_m_s == 0.0) and np.all(np.isnan(dsm.dsm_tdb_s))
    np.testing.assert_allclose(dsm.c3_km2_s2, ball.c3_km2_s2, atol=1e-6)  # km^2/s^2
    np.testing.assert_allclose(dsm.dla_deg, ball.dla_deg, atol=1e-5)  # deg
    np.testing.assert_allclose(dsm.propellant_margin_kg, ball.propellant_margin_kg, atol=0.01 * KG)
    assert [d["dsm_utc"] for d in dsm.days()] == [None] * 5
    # ... and it is optimal: no small DSM transfer near the ballistic arc has a larger smaller-margin
    p = dsm_problems(dsm.depart_tdb_s[:1], dsm.arrive_tdb_s[0])[0]
    rng = np.random.default_rng(1)
    arc = lambert(p.r_earth_m, p.r_mars_m, p.arrival_tdb_s - p.launch_tdb_s, float(GM_SUN))
    v0 = arc.v1_m_s - p.v_earth_m_s
    x = v0 + rng.normal(0.0, 20.0, (200, 3))
    m = margins(p.legs(x, rng.uniform(0.1, 0.9, 200)), LV, 2000.0, craft, capture)
    assert np.all(np.minimum(m.launcher_kg, m.propellant_kg) <= ball.propellant_margin_kg[0] + 0.01 * KG)


def test_dsm_mode_keeps_every_ballistic_day_and_its_choice_is_a_local_optimum(exomars):
    _sc, craft, capture = exomars
    days = "2016-03-10:2016-04-08"  # the ballistic period opens (DLA) and closes (capability) in here
    ball = launch_period(LV, 4332.0, days, ARRIVE, spacecraft=craft, capture=capture)
    dsm = launch_period(LV, 4332.0, days, ARRIVE, spacecraft=craft, capture=capture, transfer="dsm")
    assert np.all(dsm.feasible >= ball.feasible) and dsm.feasible.sum() > ball.feasible.sum()
    worst_b = np.minimum(ball.margin_kg, ball.propellant_margin_kg)
    worst_d = np.minimum(dsm.margin_kg, dsm.propellant_margin_kg)
    ok = ball.feasible
    assert np.all(worst_d[ok] >= worst_b[ok] - 0.5 * KG)
    # local optimum on one day: random transfers near the chosen one are not better (criterion, kg)
    i = 10  # 20 March
    best = best_dsm_transfers(LV, 4332.0, dsm.depart_tdb_s[i : i + 1], dsm.arrive_tdb_s[0], craft, capture)
    p = dsm_problems(dsm.depart_tdb_s[i : i + 1], dsm.arrive_tdb_s[0])[0]
    eta0 = (best.dsm_tdb_s[0] - p.launch_tdb_s) / (p.arrival_tdb_s - p.launch_tdb_s)
    rng = np.random.default_rng(2)
    x = best.leg.v_inf_departure_m_s[0] + rng.normal(0.0, 5.0, (200, 3))
    eta = np.clip(eta0 + rng.normal(0.0, 0.01, 200), 0.05, 0.95)
    m = margins(p.legs(x, eta), LV, 4332.0, craft, capture)
    reach = np.abs(m.dla_deg) <= LV.max_dla_deg
    assert np.all(np.minimum(m.launcher_kg, m.propellant_kg)[reach] <= worst_d[i] + 2 * KG)


def test_summary_reports_the_dsm_of_each_day(exomars):
    _sc, craft, capture = exomars
    p = launch_period(LV, 4332.0, "2016-03-19:2016-03-20", ARRIVE, spacecraft=craft, capture=capture, transfer="dsm")
    s = p.summary()
    assert s["transfer"] == "dsm"
    for d in s["days"]:
        assert d["dsm_dv_m_s"] > 0 * M_S and d["dsm_utc"][:4] == "2016"
        t_launch, t_dsm, t_arr = _tdb(d["utc"], d["dsm_utc"], ARRIVE)
        assert t_launch + 10 * DAY < t_dsm < t_arr - 10 * DAY
        assert d["spacecraft_dv_m_s"] > d["dsm_dv_m_s"]  # the insertion comes on top


def test_scenario_key_chooses_the_dsm_mode(exomars):
    sc = exomars[0].model_copy(deep=True)
    sc.launch.period_depart = "2016-03-19:2016-03-20"
    assert sc.launch.period_transfer == "ballistic"
    assert "dsm_utc" not in scenario_launch_period(sc).days()[0]
    sc.launch.period_transfer = "dsm"
    assert scenario_launch_period(sc).summary()["transfer"] == "dsm"


def test_replay_path_carries_the_dsm_days_into_summary_json(exomars):
    """The replay's launch stage goes through scenario_porkchop_launch and launcher_summary: the scenario key
    reaches summary.json's launch_period there too."""
    from areo.mission.launcher import launcher_summary, scenario_porkchop_launch
    from areo.transfer.window import porkchop

    sc = exomars[0].model_copy(deep=True)
    sc.launch.period_depart, sc.launch.period_transfer = "2016-03-19:2016-03-20", "dsm"
    pc = porkchop("earth", "mars", sc.launch.window_depart, sc.launch.window_arrive, grid=20)
    pl = scenario_porkchop_launch(sc, pc)
    lp = launcher_summary(sc, pc, pl.period)["launch_period"]
    assert lp["transfer"] == "dsm" and {"dsm_dv_m_s", "dsm_utc"} <= set(lp["days"][0])


def test_bad_dsm_requests_say_what_to_do(exomars):
    _sc, craft, capture = exomars
    with pytest.raises(InputError, match="unknown launch-period transfer 'dms'; valid: ballistic, dsm"):
        launch_period(LV, 4332.0, "2016-03-19:2016-03-20", ARRIVE, spacecraft=craft, capture=capture, transfer="dms")
    with pytest.raises(InputError, match="needs a fixed arrival date"):
        launch_period(
            LV,
            4332.0,
            "2016-03-19:2016-03-20",
            "2016-10-01:2016-10-30",
            spacecraft=craft,
            capture=capture,
            transfer="dsm",
        )
    with pytest.raises(InputError, match="needs the spacecraft"):
        launch_period(LV, 4332.0, "2016-03-19:2016-03-20", ARRIVE, transfer="dsm")
    # ExoMars 2022's carrier has no main engine in its scenario (thrust_n = 0): no DSM to design
    sc = load_scenario("exomars2022").model_copy(deep=True)
    sc.launch.period_transfer = "dsm"
    with pytest.raises(InputError, match="needs the spacecraft"):
        scenario_launch_period(sc)


def test_scenario_rejects_an_unknown_period_transfer(tmp_path):
    from areo.scenarios import locate

    text = locate("exomars2016").read_text()
    text = text.replace('period_transfer = "ballistic"', 'period_transfer = "lambert"')
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InputError, match="period_transfer"):
        load_scenario(str(f))


def test_capture_orbit_fixture_is_tgos(exomars):
    """Guard: the invariants above run on the scenario's TGO (4332 kg, 577 kg lander, 250 x 98 000 km)."""
    _sc, craft, capture = exomars
    assert craft.launch_mass_kg == 4332.0 and craft.released_mass_kg == 577.0
    assert isinstance(capture, CaptureOrbit)
