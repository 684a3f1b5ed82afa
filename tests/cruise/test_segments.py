"""Cruise segments (areo.cruise.segments), each flown alone on a hand-made state, and the sequence checks.

Physics is checked against invariants (momentum at separation, the rocket equation, the two-body conic near
Mars) and published figures (ESA: TGO's capture orbit 250 km x 4.2 d; the 0.3 m/s separation push), never
against areo's own output. ExoMars 2016 flown as a whole is in test_exomars2016.py.
"""

import dataclasses

import numpy as np
import pytest

from areo.bodies import body
from areo.constants import G0, GM_MARS, R_MARS_EQ
from areo.cruise import ForceModel, SpacecraftState
from areo.cruise.segments import MissionState, Segment, default_sequence, resolve
from areo.cruise.segments.end import end
from areo.cruise.segments.insertion import insertion
from areo.cruise.segments.launch import dsm
from areo.cruise.segments.separation import entry, separation
from areo.errors import InputError
from areo.kepler import elements_to_state
from areo.kepler import propagate as kepler_propagate
from tests.cruise._plans import exomars2016_plan
from tests.units import DEG, KM, M_S, METRE, SECOND

DAY = 86400.0


@pytest.fixture(scope="module")
def plan():
    return exomars2016_plan()


def _state(plan, t0, t1, cur=None):
    forces = ForceModel.for_span(t0 - DAY, t1 + DAY, bodies=("sun", "mars"))
    return MissionState(plan, forces, t1, lambda text: None, sequence=plan.segments(), cur=cur)


def _mars_hyperbola(rp_m, v_inf, inc_rad, t_before_s):
    """Mars-centred ICRF state ``t_before_s`` before periapsis of a hyperbola (inclination to the Mars equator)."""
    from areo.cruise.bplane import icrf_to_mars_equator_matrix

    mu = float(GM_MARS)
    a = -mu / v_inf**2
    r, v = elements_to_state(a, 1 - rp_m / a, inc_rad, 0.3, 1.1, 0.0, mu)
    m = icrf_to_mars_equator_matrix()
    r0, v0, _ = kepler_propagate(m.T @ r, m.T @ v, -t_before_s, mu)
    return r0, v0


def test_exomars2016_scenario_sequence_is_the_one_its_keys_imply(plan):
    """The scenario names its flight (ESA: DSM, three TCMs, separation, entry, avoidance, MOI) as data."""
    assert plan.sequence == default_sequence(dataclasses.replace(plan, sequence=()))
    segs = plan.segments()
    assert [s.name for s in segs if s.kind == "tcm"] == ["TCM-1", "TCM-2", "TCM-3"]
    assert [s.tdb_s for s in segs if s.kind == "tcm"] == list(plan.tcm_tdb_s)


def test_dsm_alone_follows_the_rocket_equation(plan):
    """The DSM segment flies the designed finite burn: propellant = m (1 - exp(-dv / (Isp g0))) of the stack."""
    from areo.cruise import FiniteBurn

    st = _state(plan, plan.launch_tdb_s, plan.launch_tdb_s + DAY)
    dv = np.array([326.5, 0.0, 0.0])  # ESA 2016-07-28: 326.5 m/s
    st.design = type("D", (), {"dsm_dv_m_s": dv})()
    m0 = st.stack_mass_kg
    dur = m0 * (1 - np.exp(-326.5 / (318.0 * G0))) / (424.0 / (318.0 * G0))
    st.planned_burns = [FiniteBurn(plan.dsm_tdb_s, dur, 424.0, 318.0, "inertial", dv, name="DSM")]
    dsm(st, Segment("dsm", plan.dsm_tdb_s, "DSM"))
    (rec,) = st.records
    assert rec.propellant_kg == pytest.approx(m0 * (1 - np.exp(-326.5 / (318.0 * G0))), abs=0.01)
    assert rec.dv_magnitude_m_s == pytest.approx(326.5, abs=1e-6 * M_S)
    assert st.burns == st.planned_burns  # flown on the next coast


def test_separation_alone_conserves_momentum(plan):
    """Lander pushed by 0.3 m/s (ESA) along the Mars-relative velocity; the orbiter recoils; total momentum kept."""
    t_sep = plan.separation_tdb_s
    r0, v0 = _mars_hyperbola(R_MARS_EQ + 2000 * KM, 3000.0, 7 * DEG, 3 * DAY)
    stack = SpacecraftState(t_sep - 600.0, r0, v0, 4332.0 - 30.0, "mars", 1319.0 + 577.0)
    st = _state(plan, t_sep - DAY, t_sep + DAY, cur=stack)
    separation(st, Segment("separation", t_sep, "separation"))
    o, lan = st.cur, st.lander
    assert (lan.mass_kg, o.mass_kg) == (577.0, 4332.0 - 30.0 - 577.0)
    assert lan.tdb_s == o.tdb_s == pytest.approx(t_sep)
    v_cm = (lan.mass_kg * lan.v_m_s + o.mass_kg * o.v_m_s) / (lan.mass_kg + o.mass_kg)
    coast = st.arcs[-1].final
    assert np.linalg.norm(v_cm - coast.v_m_s) < 1e-9 * M_S
    assert np.linalg.norm(lan.v_m_s - coast.v_m_s) == pytest.approx(0.3, abs=1e-9 * M_S)
    assert st.separated and st.events[-1].name == "separation"


def test_entry_alone_meets_the_conic(plan):
    """A released lander on a Mars hyperbola reaches the 121 km interface with the conic's flight-path angle."""
    mu = float(GM_MARS)
    vinf, rp = 3000.0, R_MARS_EQ - 30 * KM
    r0, v0 = _mars_hyperbola(rp, vinf, 7 * DEG, 0.25 * DAY)
    t0 = plan.arrival_tdb_s - 0.25 * DAY
    p = dataclasses.replace(plan, execution_errors=None)
    st = _state(p, t0, t0 + DAY)
    st.lander = SpacecraftState(t0, r0, v0, 577.0, "mars", 577.0)
    st.separated = True
    with pytest.raises(InputError, match="off its target"):  # not aimed at ESA's -12.4 deg / 2 S / 14:42
        entry(st, Segment("entry", p.entry.tdb_s, "entry"))
    fig = st.entry_fig
    assert fig.altitude_m == pytest.approx(121 * KM, abs=1 * METRE)
    r_ei = np.linalg.norm(fig.r_mars_icrf_m)
    b = rp * np.sqrt(1 + 2 * mu / (rp * vinf**2))
    fpa_conic = -np.degrees(np.arccos(b * vinf / (r_ei * np.sqrt(vinf**2 + 2 * mu / r_ei))))
    assert fig.fpa_inertial_deg == pytest.approx(fpa_conic, abs=0.05)
    assert st.events[-1].name == "lander:entry-interface"


def test_insertion_alone_reaches_the_published_capture_orbit(plan):
    """Insertion alone (no approach burn) from a 250 km, 7 deg approach: ESA's 250 km x 4.2 d capture within 1 km
    and 1 min, inclination unchanged by an in-plane burn (0.05 deg), propellant = thrust / (Isp g0) x duration."""
    t_end = plan.moi_end_tdb_s
    r0, v0 = _mars_hyperbola(R_MARS_EQ + 250 * KM, 2900.0, 7 * DEG, 0.5 * DAY)
    t_peri = t_end - 30 * 60.0
    cur = SpacecraftState(t_peri - 0.5 * DAY, r0, v0, 3700.0, "mars", 1319.0)
    p = dataclasses.replace(plan, lander=None, avoidance_tdb_s=None, tcm_tdb_s=(), sequence=())
    st = _state(p, t_peri - DAY, t_end + 2 * DAY, cur=cur)
    st.separated = True
    insertion(st, Segment("insertion", t_end, "MOI"))
    c = st.capture
    assert c.periapsis_altitude_m == pytest.approx(250 * KM, abs=1 * KM)
    assert c.period_days * DAY == pytest.approx(4.2 * DAY, abs=60 * SECOND)
    assert c.inclination_deg * DEG == pytest.approx(7 * DEG, abs=0.05 * DEG)
    (moi,) = st.records
    assert moi.propellant_kg == pytest.approx(424.0 / (318.0 * G0) * moi.duration_s, rel=1e-6)
    assert st.cur.tdb_s == pytest.approx(t_end)


def test_end_alone_ends_a_vehicle_at_impact(plan):
    """An orbiter on a collision course ends at impact:mars, on the surface (its trajectory ends there)."""
    r0, v0 = _mars_hyperbola(R_MARS_EQ - 500 * KM, 3000.0, 20 * DEG, 0.25 * DAY)
    t0 = plan.arrival_tdb_s - 0.25 * DAY
    p = dataclasses.replace(plan, lander=None, sequence=())
    st = _state(p, t0, t0 + 2 * DAY, cur=SpacecraftState(t0, r0, v0, 3000.0, "mars", 1319.0))
    end(st, Segment("end", p.arrival_tdb_s, "end"))
    arc = st.orbiter_arcs[-1]
    assert arc.events[-1].name == "impact:mars" and arc.final.tdb_s < t0 + 0.3 * DAY
    assert body("mars").altitude_m(arc.final.r_m) == pytest.approx(0.0, abs=1 * METRE)


@pytest.mark.parametrize(
    ("sequence", "message"),
    [
        (
            ("tcm", "launch", "dsm", "tcm", "tcm", "separation", "entry", "avoidance", "insertion", "end"),
            "starts with exactly one 'launch'",
        ),
        (
            ("launch", "dsm", "tcm", "tcm", "tcm", "insertion", "separation", "entry", "avoidance", "end"),
            "'insertion' at position 6 comes while the lander is still attached",
        ),
        (
            ("launch", "dsm", "tcm", "tcm", "separation", "entry", "tcm", "avoidance", "insertion", "end"),
            "'tcm' at position 7 comes after separation",
        ),
        (
            ("launch", "dsm", "tcm", "tcm", "tcm", "entry", "separation", "avoidance", "insertion", "end"),
            "'entry' at position 6 comes before the lander separates",
        ),
        (
            ("launch", "dsm", "tcm", "tcm", "tcm", "separation", "entry", "insertion", "avoidance", "end"),
            "'avoidance' at position 9 comes after the orbit insertion",
        ),
        (("launch", "dsm", "tcm", "tcm", "separation", "entry", "avoidance", "insertion"), "gives 3 TCM epochs"),
        (("launch", "tcm", "tcm", "tcm", "separation", "entry", "avoidance", "insertion"), "dsm_utc is set"),
        (("launch", "dsm", "tcm", "tcm", "tcm", "separation", "entry", "avoidance", "insertion", "end", "end"), "once"),
    ],
)
def test_impossible_segment_orders_are_refused(plan, sequence, message):
    with pytest.raises(InputError, match=message):
        dataclasses.replace(plan, sequence=sequence).validate()


def test_separation_of_a_vehicle_that_is_not_there(plan):
    no_lander = dataclasses.replace(plan, lander=None, sequence=())
    seq = ("launch", "dsm", "tcm", "tcm", "tcm", "separation", "avoidance", "insertion", "end")
    with pytest.raises(InputError, match="'separation' at position 6: the plan has no lander"):
        dataclasses.replace(no_lander, sequence=seq).validate()
    with pytest.raises(InputError, match="unknown segment 'flyby'"):
        resolve(("launch", "flyby"), plan)


def test_segment_order_against_time(plan):
    """The orbiter's segments must come in time order: an insertion ending before the avoidance manoeuvre (an
    insertion before arrival) is refused in one line, before any propagation."""
    early = dataclasses.replace(plan, moi_end_tdb_s=plan.avoidance_tdb_s - 3600.0)
    with pytest.raises(
        InputError, match=r"MOI \(2016-10-17T01:42:00Z\) comes after avoidance \(2016-10-17T02:42:00Z\)"
    ):
        early.validate()
