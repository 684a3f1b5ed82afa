"""The coast, impulsive-manoeuvre and orbit-trim segments (areo.cruise.segments.coast, .trim), each flown alone.

Checked against invariants and the two-body conic, never against areo's own output: with the Sun and Mars the only
gravity, a coast keeps the Mars-relative specific energy and reaches periapsis at the conic's radius and time
(Kepler's equation, areo.kepler, checked against Curtis in tests/test_kepler.py) to within what the Sun's tidal
acceleration (2 GM_sun r / d^3, bounded over the coast) can change; a VNB burn along V changes |v| by its Delta-v;
a trim at periapsis hits its target apoapsis (vis-viva) and keeps the periapsis.
"""

import dataclasses

import numpy as np
import pytest

from areo.constants import AU, G0, GM_MARS, GM_SUN, R_MARS_EQ
from areo.cruise import ForceModel, SpacecraftState
from areo.cruise.segments import CoastSpec, ManeuverSpec, MissionState, Segment, TrimSpec
from areo.cruise.segments.coast import coast, maneuver
from areo.cruise.segments.trim import trim
from areo.errors import AreoError, InputError
from areo.kepler import elements_to_state, state_to_elements
from areo.kepler import propagate as kepler_propagate
from tests.cruise._plans import exomars2016_plan
from tests.units import KM, M_S, METRE, SECOND

DAY = 86400.0
MU = float(GM_MARS)


@pytest.fixture(scope="module")
def plan():
    return exomars2016_plan(lander=None, avoidance_tdb_s=None, separation_tdb_s=None)


def _state(plan, t0, cur, span_s=12 * DAY):
    """Mars alone in the force model: the Mars-relative two-body problem, whose conic is the authority."""
    forces = ForceModel.for_span(t0 - DAY, t0 + span_s, bodies=("sun", "mars"))
    st = MissionState(plan, forces, t0 + span_s - DAY, lambda text: None, cur=cur)
    st.separated = True
    return st


def _tidal_bound(r_max_m):
    """Upper bound of the Sun's tidal acceleration on a Mars orbiter (m/s^2): 2 GM_sun r / d^3, d >= 1.38 AU."""
    return 2 * float(GM_SUN) * r_max_m / (1.38 * float(AU)) ** 3


def _energy(s):
    return s.v_m_s @ s.v_m_s / 2 - MU / np.linalg.norm(s.r_m)


def _ellipse(t0, rp_m, ra_m, mass=3000.0, dry=1319.0, before_peri_s=3600.0):
    a = (rp_m + ra_m) / 2
    r, v = elements_to_state(a, (ra_m - rp_m) / (ra_m + rp_m), np.radians(7.0), 0.3, 1.1, 0.0, MU)
    r0, v0, _ = kepler_propagate(r, v, -before_peri_s, MU)
    return SpacecraftState(t0, r0, v0, mass, "mars", dry)


def test_coast_to_periapsis_keeps_the_energy_and_meets_the_conic(plan):
    t0 = plan.arrival_tdb_s - 2 * DAY
    v_inf, rp = 3000.0, R_MARS_EQ + 400 * KM
    a = -MU / v_inf**2
    r, v = elements_to_state(a, 1 - rp / a, np.radians(20.0), 0.3, 1.1, 0.0, MU)
    dt = 3600.0
    r0, v0, _ = kepler_propagate(r, v, -dt, MU)
    st = _state(plan, t0, SpacecraftState(t0, r0, v0, 3000.0, "mars", 1319.0))
    e0 = _energy(st.cur)
    coast(st, Segment("coast", None, "coast-1", CoastSpec("periapsis:mars")))
    end = st.cur
    a_tid = _tidal_bound(np.linalg.norm(r0))
    v_max = np.linalg.norm(end.v_m_s) + 1.0
    dr = 0.5 * a_tid * dt**2  # the most the Sun can move it off the conic over the coast
    assert np.linalg.norm(end.r_m) == pytest.approx(rp, abs=dr + 1 * METRE)
    assert end.tdb_s - t0 == pytest.approx(dt, abs=(dr + 1 * METRE) / v_max + 0.01 * SECOND)
    assert _energy(end) == pytest.approx(e0, abs=a_tid * v_max * dt)
    assert a_tid * v_max * dt < 1e-4 * abs(e0)  # the bound is tight enough to catch a lost burn or step
    assert st.events[-1].name == "coast-end:coast-1"


def test_coast_to_an_epoch_keeps_the_energy(plan):
    t0 = plan.arrival_tdb_s
    st = _state(plan, t0, _ellipse(t0, R_MARS_EQ + 300 * KM, R_MARS_EQ + 30000 * KM))
    e0 = _energy(st.cur)
    dt = 0.5 * DAY
    coast(st, Segment("coast", t0 + dt, "coast-1", CoastSpec(t0 + dt)))
    assert st.cur.tdb_s == pytest.approx(t0 + dt)
    v_max = np.sqrt(2 * MU / (R_MARS_EQ + 300 * KM))  # at most the escape speed at periapsis
    assert _energy(st.cur) == pytest.approx(e0, abs=_tidal_bound(R_MARS_EQ + 30000 * KM) * v_max * dt)


@pytest.mark.parametrize(
    ("frame", "dv", "check"),
    [
        ("VNB", (12.5, 0.0, 0.0), lambda v0, v1, r: np.linalg.norm(v1) - np.linalg.norm(v0) - 12.5),
        ("VNB", (-7.0, 0.0, 0.0), lambda v0, v1, r: np.linalg.norm(v1) - np.linalg.norm(v0) + 7.0),
        # RTN: a radial burn keeps the angular momentum r x v (it adds a vector parallel to r)
        ("RTN", (25.0, 0.0, 0.0), lambda v0, v1, r: np.linalg.norm(np.cross(r, v1 - v0))),
        # a normal burn is perpendicular to the velocity: |v1|^2 = |v0|^2 + dv^2
        ("VNB", (0.0, 40.0, 0.0), lambda v0, v1, r: v1 @ v1 - v0 @ v0 - 1600.0),
        ("ICRF", (1.0, -2.0, 3.0), lambda v0, v1, r: np.linalg.norm(v1 - v0 - np.array([1.0, -2.0, 3.0]))),
    ],
)
def test_impulsive_manoeuvre_in_its_frame(plan, frame, dv, check):
    t0 = plan.arrival_tdb_s
    st = _state(plan, t0, _ellipse(t0, R_MARS_EQ + 300 * KM, R_MARS_EQ + 30000 * KM))
    t1 = t0 + 3 * 3600.0
    maneuver(st, Segment("maneuver", t1, "trim-A", ManeuverSpec(dv, frame, t1, "mars", "trim-A")))
    pre = st.orbiter_arcs[0].final
    assert pre.tdb_s == pytest.approx(t1) and st.cur.tdb_s == pytest.approx(t1)
    assert abs(check(pre.v_m_s, st.cur.v_m_s, pre.r_m)) < 1e-6
    (rec,) = st.records
    m = pre.mass_kg * np.exp(-np.linalg.norm(dv) / (plan.orbiter.isp_s * G0))
    assert st.cur.mass_kg == pytest.approx(m, abs=1e-9) and rec.propellant_kg == pytest.approx(pre.mass_kg - m)


def test_manoeuvre_at_periapsis(plan):
    t0 = plan.arrival_tdb_s
    st = _state(plan, t0, _ellipse(t0, R_MARS_EQ + 300 * KM, R_MARS_EQ + 30000 * KM, before_peri_s=7200.0))
    maneuver(st, Segment("maneuver", None, "m", ManeuverSpec((5.0, 0, 0), "VNB", "periapsis:mars", None, "m")))
    assert st.cur.tdb_s - t0 == pytest.approx(7200.0, abs=0.01 * SECOND)
    assert abs(st.cur.r_m @ st.cur.v_m_s) / np.linalg.norm(st.cur.r_m) < 1e-6 * M_S  # r.v = 0 at periapsis


@pytest.mark.parametrize("target", [TrimSpec(apoapsis_altitude_m=20000e3), TrimSpec(period_s=0.5 * DAY)])
def test_trim_hits_its_target_apoapsis_and_keeps_the_periapsis(plan, target):
    t0 = plan.arrival_tdb_s
    rp = R_MARS_EQ + 300 * KM
    st = _state(plan, t0, _ellipse(t0, rp, R_MARS_EQ + 30000 * KM))
    st.capture = object()  # after the insertion
    trim(st, Segment("trim", None, "trim-1", target))
    el = state_to_elements(st.cur.r_m, st.cur.v_m_s, MU)
    ra = el[0] * (1 + el[1])
    if target.apoapsis_altitude_m is not None:
        want = R_MARS_EQ + target.apoapsis_altitude_m
    else:  # vis-viva: a from Kepler's third law, r_a = 2a - r_p
        want = 2 * (MU * (target.period_s / (2 * np.pi)) ** 2) ** (1 / 3) - rp
    assert ra == pytest.approx(want, abs=1 * METRE)
    assert el[0] * (1 - el[1]) == pytest.approx(rp, abs=1 * METRE)
    assert st.events[-1].name == "orbit-trim" and st.records[-1].kind == "impulsive"


def test_trim_beyond_the_propellant_names_the_nearest_reachable(plan):
    t0 = plan.arrival_tdb_s
    st = _state(plan, t0, _ellipse(t0, R_MARS_EQ + 300 * KM, R_MARS_EQ + 30000 * KM, mass=1330.0))
    with pytest.raises(InputError, match=r"needs [\d.]+ m/s but the propellant left gives ([\d.]+) m/s; the nearest"):
        trim(st, Segment("trim", None, "trim-1", TrimSpec(apoapsis_altitude_m=5000e3)))
    with pytest.raises(InputError, match="below the periapsis altitude"):  # areo.cruise.insertion's check
        trim(st, Segment("trim", None, "trim-1", TrimSpec(apoapsis_altitude_m=100e3)))


def test_manoeuvre_beyond_the_propellant_is_refused_before_the_flight(plan):
    big = ManeuverSpec((3000.0, 0.0, 0.0), "VNB", plan.arrival_tdb_s + 3 * DAY)
    seq = ("launch", "dsm", "tcm", "tcm", "approach", "insertion", "maneuver", "end")
    p = dataclasses.replace(plan, sequence=seq, maneuvers=(big,))
    with pytest.raises(InputError, match=r"impulsive manoeuvres \(3000.0 m/s in all\) need more than"):
        p.validate()


ORBITER = ("launch", "dsm", "tcm", "tcm", "approach", "insertion")


@pytest.mark.parametrize(
    ("sequence", "specs", "message"),
    [
        ((*ORBITER[:4], "trim", *ORBITER[4:], "end"), {"trims": (TrimSpec(1e7),)}, "'trim' at position 5 comes before"),
        (
            (*ORBITER, "coast", "end"),
            {"coasts": (CoastSpec("soi-entry:mars"),)},
            "waits for 'soi-entry:mars' after the orbit insertion",
        ),
        ((*ORBITER, "coast", "end"), {"coasts": (CoastSpec("periapsis:venus"),)}, "the cruise arrives at mars"),
        ((*ORBITER, "coast", "end"), {"coasts": (CoastSpec("periapsis:phobos"),)}, "unknown central body 'phobos'"),
        ((*ORBITER, "coast", "end"), {"coasts": (CoastSpec("apoapsis:mars"),)}, "unknown event 'apoapsis:mars'"),
        ((*ORBITER, "coast", "end"), {"coasts": (CoastSpec(2.0e9),)}, "coast-1 epoch .* is outside the DE421"),
        ((*ORBITER, "coast", "coast", "end"), {"coasts": (CoastSpec("periapsis:mars"),)}, "more 'coast' segments"),
        ((*ORBITER, "end"), {"trims": (TrimSpec(1e7),)}, "the plan gives 1 trims but the sequence flies 0"),
        (
            (*ORBITER[:5], "coast", "insertion", "end"),
            {"coasts": (CoastSpec("periapsis:mars"),)},
            "'coast' at position 6 comes between the approach manoeuvre and the insertion",
        ),
    ],
)
def test_impossible_orders_of_the_new_segments_are_refused(plan, sequence, specs, message):
    """One line before any propagation (validate runs no integrator); the DE421 range error is an AreoError."""
    with pytest.raises(AreoError, match=message):
        dataclasses.replace(plan, sequence=sequence, **specs).validate()


def test_coasts_manoeuvres_and_trims_after_insertion_are_a_valid_order(plan):
    seq = (*ORBITER, "coast", "maneuver", "trim", "end")
    specs = dict(
        coasts=(CoastSpec("periapsis:mars"),),
        maneuvers=(ManeuverSpec((1.0, 0, 0), "VNB", "periapsis:mars"),),
        trims=(TrimSpec(period_s=DAY),),
    )
    p = dataclasses.replace(plan, sequence=seq, **specs)
    p.validate()
    segs = p.segments()
    assert [s.name for s in segs[-4:]] == ["coast-1", "maneuver-1", "trim-1", "end"]
    assert segs[-2].params == TrimSpec(period_s=DAY) and segs[-4].tdb_s is None


def test_insertion_beyond_the_propellant_is_refused_before_targeting(plan):
    """An orbiter with 48 m/s left after the DSM (rocket equation) cannot capture: the impulsive bound (vis-viva
    at the target periapsis from the conic's v_inf) is refused with the nearest reachable capture, no flight."""
    from areo.cruise import Vehicle

    p = dataclasses.replace(plan, orbiter=Vehicle("TGO", 3755.0, 3330.0))
    budget = 318.0 * G0 * np.log(3755.0 * np.exp(-326.5 / (318.0 * G0)) / 3330.0)
    with pytest.raises(InputError, match=r"orbit insertion into 250 km x 4.20 d needs at least (\d+) m/s") as err:
        p.validate()
    assert f"gives {budget:.0f} m/s after the DSM" in str(err.value)
    assert "nearest reachable: none" in str(err.value)


def test_exomars2016_then_coast_manoeuvre_and_trim():
    """ExoMars 2016 as flown (ESA's capture 250 km x 4.2 d unchanged), then a coast to the next periapsis (4.2 d on),
    a 5 m/s out-of-plane burn and a trim to a 1-day period: the osculating period just after the trim is 1 d
    (within 1 min), the trim comes at a periapsis, and the orbiter's samples run forward without overlap."""
    from areo.cruise import fly

    p = exomars2016_plan()
    p = dataclasses.replace(
        p,
        sequence=(*p.sequence[:-1], "coast", "maneuver", "trim", "end"),
        coasts=(CoastSpec("periapsis:mars"),),
        maneuvers=(ManeuverSpec((0.0, 0.0, 5.0), "VNB", p.moi_end_tdb_s + 5 * DAY, "mars", "plane-trim"),),
        trims=(TrimSpec(period_s=DAY),),
    )
    res = fly(p)
    assert res.capture.period_days * DAY == pytest.approx(4.2 * DAY, abs=60 * SECOND)
    coast_end = next(e for e in res.events if e.name == "coast-end:coast-1")
    assert coast_end.tdb_s - p.moi_end_tdb_s == pytest.approx(4.2 * DAY, abs=0.1 * DAY)
    trim_rec = next(m for m in res.maneuvers if m.name == "trim-1")
    s = res.state_at("orbiter", trim_rec.tdb_s + 1.0, origin="mars")
    el = state_to_elements(s.r_m, s.v_m_s, MU)
    assert 2 * np.pi * np.sqrt(el[0] ** 3 / MU) == pytest.approx(DAY, abs=60 * SECOND)
    # 1 s after a periapsis the radial speed is the radial acceleration v^2/r - mu/r^2 times 1 s
    rn, vn = np.linalg.norm(s.r_m), np.linalg.norm(s.v_m_s)
    assert (s.r_m @ s.v_m_s) / rn == pytest.approx((vn**2 / rn - MU / rn**2) * 1.0, abs=0.05 * M_S)
    assert np.all(np.diff(res.orbiter.tdb_s) > 0)
