"""Published launches checked against the launcher tables and the DLA model.

Inputs are the flown (published) spacecraft masses and dates, cited on each case; C3 and DLA of each departure
come from areo's Lambert solver (itself checked against the shared Lambert oracles in tests/test_lambert.py) between
the published launch and arrival dates. A flown mission
must come out feasible with a positive margin. The performance tables are marked estimates in launchers.toml
(no verbatim public table could be read for this release), so these checks are only as strong as those tables:
they catch a table or a DLA model that would have forbidden a launch that happened.
"""

import numpy as np
import pytest

from areo.launch import Spacecraft, assess, get_launcher, launch_period
from areo.mission.launcher import scenario_launch_period, scenario_payload_kg, scenario_spacecraft
from areo.mission.scenario import load_scenario
from areo.time import utc_to_tdb_seconds
from areo.transfer.porkchop import transfer_point
from tests.units import KM2_S2

KG = 1.0
M_S = 1.0
DAY_TOL = 2  # days: the tolerance on the launch period's first and last days

# (launcher, target, payload kg, launch UTC, arrival UTC, sources)
FLOWN = {
    "ExoMars 2016": (
        "proton-m-breeze-m",
        "mars",
        4332.0,  # ESA TGO fact sheet: 4332 kg launch mass with Schiaparelli
        "2016-03-14T09:31:42Z",  # ESA PR 8-2016; Roscosmos 12:31:42 MSK
        "2016-10-19T13:15:00Z",  # ESA: Mars orbit insertion on 19 October 2016
    ),
    "Venus Express": (
        "soyuz-fg-fregat",
        "venus",
        1270.0,  # Roscosmos via AFP, 2005-10-31: "the 1.27-tonne orbiter"
        "2005-11-09T03:33:00Z",  # Spaceflight Now / Roscosmos: 0333 GMT, 9 November 2005
        "2006-04-11T08:00:00Z",  # ESA: Venus orbit insertion on 11 April 2006 (time of day approximate)
    ),
    "Phobos 2": (
        "proton-k-d-2",
        "mars",
        6220.0,  # NASA NSSDC Phobos project information: 6220 kg with the orbital insertion hardware
        "1988-07-12T17:01:43Z",  # NSSDC: launched 1988-07-12 17:01:43 UTC, Proton-K, Baikonur
        "1989-01-29T12:00:00Z",  # NSSDC: Mars orbit insertion 29 January 1989 (time of day assumed)
    ),
}


@pytest.mark.parametrize("mission", sorted(FLOWN))
def test_flown_interplanetary_launch_is_feasible(mission):
    name, target, payload, launch_utc, arrive_utc = FLOWN[mission]
    td, ta = (float(x) for x in utc_to_tdb_seconds([launch_utc, arrive_utc]))
    p = transfer_point("earth", target, td, ta)
    a = assess(get_launcher(name), p.c3_km2_s2, p.dla_deg, payload)
    assert a.feasible, a.reason
    assert a.margin_kg > 0 * KG


def test_spektr_rg_on_proton_dm03():
    """Spektr-RG: 2713 kg (Roscosmos; der-orion.com launch log 2019) launched 2019-07-13 on Proton-M/DM-03 into a
    transfer to the Sun-Earth L2 region. Such transfers are barely bound: C3 between about -1 and 0 km^2/s^2
    (a range, not a published figure for this flight; L2 transfers need no asymptote, so no DLA)."""
    lv = get_launcher("proton-m-dm-03")
    for c3 in (-1.0, -0.7, 0.0):
        a = assess(lv, c3, None, 2713.0)
        assert a.feasible and a.margin_kg > 0 * KG


def test_exomars_on_soyuz_is_not_feasible():
    """Negative control: 4332 kg is far beyond Soyuz-Fregat at any C3 (that is why ExoMars flew on Proton)."""
    a = assess(get_launcher("soyuz-fg-fregat"), 14.7, -50.4, 4332.0)
    assert not a.feasible and a.margin_kg < -2000 * KG


ESA_FIRST_DAY, ESA_LAST_DAY = 14, 25  # of March 2016; sources in test_exomars_2016_launch_period_matches_esa
# ESA, 2016-01-06, "Supplies for spacecraft fuelling" (exploration.esa.int, ExoMars 2016): "About 937 kg of MMH
# and 1499 kg of MON will be used for TGO" -> 2436 kg of propellant in the 3755 kg TGO (ESA fact sheet).
ESA_TGO_PROPELLANT_KG = 937.0 + 1499.0


@pytest.fixture(scope="module")
def exomars_scenario():
    return load_scenario("exomars2016")


@pytest.fixture(scope="module")
def exomars_period(exomars_scenario):
    """The ExoMars 2016 launch period from the launcher and mission constraints, nothing fitted: Proton-M/Breeze-M
    (ILS table, 51.5 deg parking orbit), 4332 kg (ESA), arrival on 19 October 2016 (ESA) held for every launch
    day (an assumption: ESA publishes one arrival date for the window), the TGO's propellant for the insertion
    into the 250 x 98 000 km capture orbit (ESA 2016-10-20), no reserve; days 1 March - 15 April."""
    assert exomars_scenario.launch.reserve_kg == 0.0  # nothing calibrated any more
    return scenario_launch_period(exomars_scenario)


def _period(sc, reserve_kg):
    lv = get_launcher(sc.launch.launcher)
    return launch_period(
        lv, scenario_payload_kg(sc), sc.launch.period_depart, sc.launch.period_arrive, reserve_kg=reserve_kg
    )


def _day_of_march(utc: str) -> int:
    assert utc.startswith("2016-03"), utc
    return int(utc[8:10])


def test_exomars_2016_period_opens_on_esa_first_day_from_geometry_alone(exomars_period):
    """Uncalibrated: no reserve, nothing fitted. The first day comes from the DLA limit: before it the asymptote
    lies south of -51.5 deg, beyond the 51.5 deg parking orbit."""
    p = exomars_period
    assert abs(_day_of_march(p.first_utc) - ESA_FIRST_DAY) <= DAY_TOL
    days = p.days()
    first = next(k for k, d in enumerate(days) if d["feasible"])
    assert days[first - 1]["status"] == "DLA outside the reachable range"
    assert days[first - 1]["dla_deg"] < -51.5 < days[first]["dla_deg"]
    assert p.summary()["opens_after"] == "DLA outside the reachable range"


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 13): areo closes the ExoMars 2016 period on 3 April (launcher capability), "
    "ESA on 25 March (+9 days); no citable constraint closes it (sources searched: see the docstring)",
)
def test_exomars_2016_launch_period_matches_esa(exomars_period):
    """ESA: launch window 14-25 March 2016 (ESA, 2015-12-21, 'Antonov at Turin-Caselle airport': 'scheduled for
    14 March, at the start of a launch window that remains open until 25 March'; spaceflight101 'ExoMars 2016
    launch overview': 'March 14 to 25, 2016').

    Nothing calibrated (the scenario's former reserve_kg = 400, fitted to this date, is gone). The first day holds
    (test above); the LAST DAY DOES NOT: areo keeps the period open to 3 April, 9 days late, closed by the
    Breeze-M capability (C3 20.3 km^2/s^2 on 3 April). The spacecraft's own propellant does not close it (test
    below): on a ballistic transfer to a fixed 19 October arrival the arrival v-infinity is flattest and lowest
    near 23 March, so the insertion costs least there. Likely causes, none modelled: (1) the launcher table is a
    third-party transcription marked estimate; ~400 kg less capability at C3 16 (the old reserve) closes it on 25
    March; (2) the flown transfer had a 326.5 m/s DSM (ESA 2016-07-28) designed by ESA for each launch day;
    areo's per-day DSM design (transfer="dsm", test below) opens every day from before 1 December 2015 to 17
    April, and the flown magnitude held every day moves the DLA edge to about 8 March: both further from ESA;
    (3) ESA's propellant budget also held the post-capture manoeuvres (inclination change to 74 deg, apoapsis
    lowering for aerobraking) and margins, not in the
    scenario. Context: ESA moved the launch from January to March 2016 "still within the launch window of early
    2016" (ESA, 2015-09-18, 'ExoMars 2016 targets March launch window'), so 14-25 March was a launch period
    designed inside a longer opportunity, not the edge of what a Proton could fly. The fixed arrival itself is
    sourced, not guessed: ESA (2015-09-18, same release; closing paragraphs read in its copy at
    globalnewsconnect.com/exomars-2016-targets-march-launch-window) says the March window "is open 14-25 March and ... the
    mission will still arrive at Mars in October, just as if launched in January", one arrival for two windows.
    No public source found (ESA pages, Roscosmos, spaceflight101, ILS) names the constraint that closed the window
    on 25 March (Roscosmos, Sputnik 2015-09-25, even says 14-26 March), so none is modelled: measured gap, last
    day 3 April vs 25 March (+9 days, tolerance 2). Strict xfail: this test fails loudly the day the model
    reproduces ESA's last day.

    Searched again for a citable closing constraint (issue 13, launcher side first), none found: the ILS Proton
    Mission Planner's Guide Rev. 7 (2009, ilslaunch.com/wp-content/uploads/pdf/Proton-Mission-Planners-Guide-
    Revision-7-LKEB-9812-1990.pdf) could not be read here (its escape table reaches areo only as the MERLOT
    transcription; the Rev. 4 1999 copy, id.scribd.com/document/16925269, is stored only as its opening pages), so
    neither a different Breeze-M capability nor a DLA dependence of it can be cited; ESA/ESOC papers on the mission
    (Renault et al., "ExoMars 2016, TGO GNC design and in-flight GNC behaviour", ESA GNC 2017; IAC-17,A3,3A,8,x39567,
    "The ExoMars 2016 mission flight performances ...") are available only as abstracts, which name no launch-period
    constraint (the IAC abstract does say the cruise flew two DSMs, "DSM#1 and DSM#2"). What the published periods
    do show (test_esa_2020_and_2022_periods_end_on_days_of_equal_c3 below): ESA's 2020 and 2022 periods end on days
    of equal C3, as a C3 (capability) limit would close them on both sides; on the same fixed-arrival reading,
    ESA's 25 March here has C3 16.1 km^2/s^2, where the transcribed table gives 4733 kg for 4332 kg flown: a
    capability-closed 25 March needs ~400 kg less capability (or more mass) than areo has a source for."""
    p = exomars_period
    assert abs(_day_of_march(p.first_utc) - ESA_FIRST_DAY) <= DAY_TOL
    assert abs(_day_of_march(p.last_utc) - ESA_LAST_DAY) <= DAY_TOL


@pytest.fixture(scope="module")
def exomars_dsm_period(exomars_scenario):
    """The same constraints with ``transfer="dsm"``: each day the one-DSM transfer to 19 October that maximises the
    smaller of the launcher's and the TGO's propellant margins (areo.launch.dsm); days 8-31 March (ESA's edges
    +-6 days, enough to see where the period opens and closes relative to ESA's)."""
    sc = exomars_scenario.model_copy(deep=True)
    sc.launch.period_depart, sc.launch.period_transfer = "2016-03-08:2016-03-31", "dsm"
    return scenario_launch_period(sc)


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 13): with an optimised DSM every day of 8-31 March is feasible (the period runs from "
    "before 1 December 2015 to 17 April 2016), ESA's is 14-25 March; see the docstring",
)
def test_exomars_2016_dsm_launch_period_matches_esa(exomars_dsm_period):
    """ESA flew the March 2016 window with a deep-space manoeuvre (326.5 m/s, ESA 2016-07-28; "the mission will still
    arrive at Mars in October, just as if launched in January", ESA 2015-09-18), so the launch period should be
    judged on DSM transfers. areo's DSM mode (nothing fitted: Proton-M/Breeze-M table, 51.5 deg parking orbit, 4332
    kg, TGO 2436 kg of propellant, Isp 318 s assumed, insertion into 250 x 98 000 km, fixed 19 October arrival)
    finds a feasible DSM transfer on EVERY day: measured over 1 December 2015 - 20 May 2016, the period opens before
    1 December 2015 (the January ballistic window and the March one merge: a DSM turns the declination of the
    asymptote, so the DLA limit that opens the ballistic period on 14 March no longer binds) and closes on 17 April
    (capability, after the TGO has spent ~1300 m/s of DSM as an upper stage). Gap: first day over 100 days early,
    last day +23 days. What is still missing: (a) spacecraft side: the DSM mode spends all of the TGO's 2436 kg on
    the DSM and the insertion, while ESA's budget also held the manoeuvres after capture (apoapsis lowering, the
    inclination change to 74 deg before aerobraking), the TCMs and margins, none published as a figure areo could
    use; holding back 400 / 700 / 900 kg of it (a diagnostic, 1 Feb - 30 Apr) gives 1 Feb (or earlier) - 11 Apr / 28
    Feb - 7 Apr (and 1-6 Feb) / 8 Mar - 5 Apr: it can open the period near ESA's first day but never closes it
    before 5 April, where the launcher's capability closes it; (b) so the closing day needs something on the
    launcher side (a capability that depends on the DLA or the launch time, a Breeze-M table read from the ILS guide
    rather than a transcription) or a constraint outside areo's model (Schiaparelli's arrival geometry for its entry
    and relay, operations); (c) ESA's DSM was designed with limits areo does not know (flown 136 days after launch;
    areo's optimum on 14 March comes ~96 days after launch, and holding the DSM on the flown 28 July still leaves at
    least 28 February - 10 April open). Strict xfail: fails loudly the day the model reproduces ESA's window."""
    p = exomars_dsm_period
    assert abs(_day_of_march(p.first_utc) - ESA_FIRST_DAY) <= DAY_TOL
    assert abs(_day_of_march(p.last_utc) - ESA_LAST_DAY) <= DAY_TOL


def test_exomars_2016_dsm_on_the_flown_day_is_close_to_the_flown_one(exomars_dsm_period):
    """ESA 2016-07-28 ('ExoMars changes course for Mars'): the TGO's DSM was 326.5 m/s. On the flown launch day
    (14 March) the DSM that balances the Proton's and the TGO's margins comes out within 10 % of it (measured
    ~332 m/s; the tolerance covers the assumed Isp and that ESA's criterion is not published, and was set after
    the first measurement); it is flown some 5 weeks before ESA's 28 July (only bounded loosely here). Both margins stay
    positive: the flown day is feasible with the flown kind of transfer."""
    flown = next(d for d in exomars_dsm_period.days() if d["utc"].startswith("2016-03-14"))
    assert flown["feasible"], flown["status"]
    assert abs(flown["dsm_dv_m_s"] - 326.5 * M_S) < 0.1 * 326.5 * M_S
    assert flown["margin_kg"] > 0 * KG and flown["propellant_margin_kg"] > 0 * KG
    assert "2016-05-01" < flown["dsm_utc"] < "2016-08-31"


def test_exomars_2016_period_is_one_stretch_closed_by_the_launcher(exomars_period):
    """areo's prediction (the gap above): one contiguous period, closed by capability, not by propellant."""
    idx = np.flatnonzero(exomars_period.feasible)
    assert idx.size > 0 and np.all(np.diff(idx) == 1)
    assert exomars_period.summary()["closes_before"] == "capability below payload + reserve"
    assert exomars_period.days()[idx[-1]]["margin_kg"] >= 0 * KG > exomars_period.days()[idx[-1] + 1]["margin_kg"]


def test_exomars_2016_asymptote_flattens_through_the_period(exomars_period):
    """Why a DLA-dependent capability cannot close the 2016 period on ESA's 25 March (issue 13). Where a launcher's
    escape table depends on the declination, the capability is highest near DLA 0 and falls towards the parking
    orbit's inclination: ESA ACT's Soyuz-Fregat table in kep3 (github.com/esa/kep3, pykep/trajopt/_launchers.py,
    `_data_SF`: at v-infinity 3 km/s 2013.6 kg at DLA 0, 1866.5 at +30, 1722.7 at +50, a 100 kg floor at +-65;
    no such table was found for Proton). From 14 March on, |DLA| falls every day (-50.4 deg to -31.0 on 3 April),
    so any capability that does not grow with |DLA| can only gain on the later days: it would move the first day,
    not bring the last day forward."""
    days = exomars_period.days()
    idx = np.flatnonzero(exomars_period.feasible)
    dla = np.abs([days[i]["dla_deg"] for i in range(idx[0], idx[-1] + 2)])  # the period and the first day after
    assert np.all(np.diff(dla) < 0)
    assert dla[0] > 50.0 and dla[-1] < 31.0


@pytest.mark.parametrize("isp_s", [300.0, 318.0, 330.0])
def test_tgo_propellant_covers_the_insertion_on_every_searched_day(exomars_scenario, isp_s):
    """Published masses: launch 4332 kg, Schiaparelli 577 kg released before insertion (ESA fact sheets), TGO
    propellant 2436 kg (ESA 2016-01-06, above); Isp 300-330 s spans storable bipropellant engines of the 424 N
    class (the TGO's is not published here). Insertion into 250 x 98 000 km (ESA 2016-10-20). The TGO could brake
    into that orbit from every ballistic arrival on 19 October for launches 1 March - 15 April with hundreds of
    kg to spare, so its DSM + insertion budget cannot be what closed ESA's window on 25 March."""
    sc = exomars_scenario
    craft, capture = scenario_spacecraft(sc)
    esa = Spacecraft(4332.0, 3755.0 - ESA_TGO_PROPELLANT_KG, 577.0, isp_s)
    p = launch_period(
        get_launcher(sc.launch.launcher),
        4332.0,
        sc.launch.period_depart,
        sc.launch.period_arrive,
        spacecraft=esa,
        capture=capture,
    )
    assert np.all(p.propellant_margin_kg > 0 * KG)
    esa_days = slice(ESA_FIRST_DAY - 1, ESA_LAST_DAY)  # 14-25 March (the search starts on 1 March)
    assert _day_of_march(p.days()[esa_days.start]["utc"]) == ESA_FIRST_DAY
    assert np.all(p.propellant_margin_kg[esa_days] > 800 * KG)
    assert np.all(p.spacecraft_dv_m_s[esa_days] < 1500 * M_S)
    # the insertion is cheaper at the end of ESA's window than at its start: propellant did not close it
    assert p.propellant_margin_kg[esa_days][-1] > p.propellant_margin_kg[esa_days][0]
    assert craft is not None and craft.launch_mass_kg == 4332.0 and craft.released_mass_kg == 577.0


def test_a_reserve_only_shortens_the_period(exomars_scenario):
    """Invariant: requiring more margin never adds a feasible day."""
    free = _period(exomars_scenario, 0.0).feasible
    held = _period(exomars_scenario, 400.0).feasible
    assert np.all(held <= free) and held.sum() < free.sum()


PLAN_2022_FIRST, PLAN_2022_LAST = "2022-09-20", "2022-10-01"


@pytest.fixture(scope="module")
def exomars2022_period():
    return scenario_launch_period(load_scenario("exomars2022"))


def _days_between(a: str, b: str) -> int:
    return int((np.datetime64(a[:10]) - np.datetime64(b[:10])).astype(int))


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 13): areo gives 24 Sept - 11 Oct 2022 against the planned 20 Sept - 1 Oct "
    "(first day +4, last +10); the plan's first day lies beyond areo's DLA limit, see the docstring",
)
def test_exomars_2022_launch_period_matches_the_plan(exomars2022_period):
    """Planned ExoMars 2022 launch period 20 September - 1 October 2022 on Proton-M/Breeze-M from Baikonur
    (Sputnik/UrduPoint 2021-08-30: 'scheduled for the period between September 20 and October 1 of 2022';
    Sputnik media bank 2022-02-22, same; landing 10 June 2023).

    GAP: areo opens the period on 24 September (DLA north of +51.5 deg before it) and closes it on 11 October
    (C3 beyond the Breeze-M table). Likely causes: the descent-module and carrier masses are assumptions
    (3000 kg in all, no public breakdown found); the arrival is held on 10 June 2023 for every launch day (the
    plan's arrival surely moved with the launch day); the 51.5 deg parking orbit is the only one with a
    published table, while Baikonur also has 64.8 deg corridors. No spacecraft budget: the carrier has no main
    engine (the descent module enters directly). The fixed arrival is sourced (Sputnik media bank 2022-02-22: "If
    the launch window remains unchanged, they are expected to land on Mars on June 10, 2023"); ESA ("The way
    forward to Mars", 2020-10-01) says the 12-day window was chosen on launcher performance, Mars weather,
    communications, power and thermal constraints ("one of the alternatives had a longer launch window, but a
    worse connection with the spacecraft"), which areo does not model. Measured gap: first day +4, last +10.

    Issue 13 re-check (no citable change found, so nothing changed): on the plan's first day, 20 September, the
    fixed-arrival ballistic asymptote has DLA +58.8 deg, beyond the 51.5 deg parking orbit, and the plan's two end
    days have equal C3 (26.0 at the minimum, 28.0 and 27.7 at the ends; test below): the plan reads as a C3 limit on
    both sides, not as areo's DLA edge. Either the plan did not hold 10 June 2023 on its first days, or the Breeze-M
    reached |DLA| > 51.5 deg there (a 64.8 deg corridor or a dog-leg, at a cost no source read here gives)."""
    p = exomars2022_period
    assert abs(_days_between(p.first_utc, PLAN_2022_FIRST)) <= DAY_TOL
    assert abs(_days_between(p.last_utc, PLAN_2022_LAST)) <= DAY_TOL


def test_exomars_2022_period_opens_on_the_northern_dla_limit(exomars2022_period):
    """What areo does predict for 2022: the period opens when the asymptote's declination comes down through
    +51.5 deg (the parking orbit's inclination), and the direct-entry carrier adds no propellant constraint."""
    p = exomars2022_period
    s = p.summary()
    assert s["opens_after"] == "DLA outside the reachable range" and s["spacecraft"] is None
    days = p.days()
    first = next(k for k, d in enumerate(days) if d["feasible"])
    assert days[first - 1]["dla_deg"] > 51.5 > days[first]["dla_deg"]


def test_exomars_2016_flown_day_is_feasible_with_the_flown_dsm():
    """The DSM variant (every day flies the flown 326.5 m/s DSM of 28 July 2016, ESA 2016-07-28, in areo's
    patched-conic DSM design): the flown launch day must come out feasible, and the spacecraft pays for the DSM
    on top of the insertion. (Over 1 March - 15 April this variant opens on 8 March and closes on 4 April,
    further from ESA than the ballistic period; README.)"""
    sc = load_scenario("exomars2016").model_copy(deep=True)
    sc.launch.period_depart = "2016-03-13:2016-03-15"
    p = scenario_launch_period(sc, with_dsm=True)
    days = {d["utc"][:10]: d for d in p.days()}
    flown = days["2016-03-14"]
    assert flown["feasible"], flown["status"]
    assert flown["spacecraft_dv_m_s"] > 326.5 * M_S and flown["propellant_margin_kg"] > 0 * KG
    assert p.summary()["transfer"].startswith("DSM of 326.5 m/s on 2016-07-28")
    # the DSM's propellant is paid by the whole 4332 kg stack: the margin is below the ballistic one
    ballistic = {d["utc"][:10]: d for d in scenario_launch_period(sc).days()}
    assert flown["propellant_margin_kg"] < ballistic["2016-03-14"]["propellant_margin_kg"]


def test_dsm_variant_needs_a_dsm_and_a_fixed_arrival():
    from areo.errors import InputError

    with pytest.raises(InputError, match="no deep-space manoeuvre"):
        scenario_launch_period(load_scenario("exomars2022"), with_dsm=True)
    sc = load_scenario("exomars2016").model_copy(deep=True)
    sc.launch.period_arrive = "2016-10-01:2016-10-30"
    with pytest.raises(InputError, match="needs a fixed arrival date"):
        scenario_launch_period(sc, with_dsm=True)


# ExoMars 2020: the same spacecraft, postponed to 2022 (ESA/Roscosmos, 2020-03-12, cited in the exomars2022 scenario).
# ESA's release on the Oxia Planum landing-site recommendation (Leicester meeting, 2018; read only in its copy at
# fictiontofact.com, "Preferred landing site for ExoMars 2020 rover mission presented"): launch "in the 25 July-13
# August 2020 launch window on a Proton-M rocket from Baikonur ... arriving at Mars 19 March 2021"; TASS,
# 2019-02-12 (ESA's Moscow office): the window "will open on July 25" and last "three-four weeks". CNES
# (exomars.cnes.fr, "ExoMars 2020", 2019-04-03) gives 25 July - 8 August 2020 and the same 19 March 2021 arrival;
# ESA's own dates are used.
ESA_2020_FIRST, ESA_2020_LAST, ESA_2020_ARRIVAL = "2020-07-25", "2020-08-13", "2021-03-19"


@pytest.fixture(scope="module")
def exomars2020_period():
    """2020 as a third check: the exomars2022 scenario's launcher and payload (3000 kg, an assumption there), the
    arrival held on ESA's 19 March 2021 for every day, days 10 July - 15 September 2020 (a setting)."""
    sc = load_scenario("exomars2022")
    lv = get_launcher(sc.launch.launcher)
    return launch_period(lv, scenario_payload_kg(sc), "2020-07-10:2020-09-15", ESA_2020_ARRIVAL)


@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 13): areo gives 22 July - 2 Sept 2020 against ESA's 25 July - 13 Aug (first day -3, "
    "last +20); see the docstring",
)
def test_exomars_2020_launch_period_matches_esa(exomars2020_period):
    """ESA's 2020 period, 25 July - 13 August 2020 (sources above). Nothing fitted: Proton-M/Breeze-M table, 51.5 deg
    parking orbit, the 2022 scenario's assumed 3000 kg, arrival held on 19 March 2021. Measured: areo opens on 22
    July (the DLA edge: +51.0 deg that day) and closes on 2 September (C3 beyond the table's 36 km^2/s^2; 3000 kg
    never reaches the capability). The gap sits where the payload does: the composite's mass is not published
    here, and ESA's two end days have equal C3 (18.9 and 19.3 km^2/s^2; test below), as a capability limit for a
    composite of ~4450 kg would give on this table. Not used to set the mass: that would be fitting the day."""
    p = exomars2020_period
    assert abs(_days_between(p.first_utc, ESA_2020_FIRST)) <= DAY_TOL
    assert abs(_days_between(p.last_utc, ESA_2020_LAST)) <= DAY_TOL


def _on(period, date: str) -> dict:
    return next(d for d in period.days() if d["utc"].startswith(date))


def test_esa_2020_and_2022_periods_end_on_days_of_equal_c3(exomars2020_period, exomars2022_period, exomars_period):
    """What ESA's published periods say about the constraint that bounds them (issue 13), on areo's fixed-arrival
    ballistic transfers (Lambert checked against the shared oracles): the 2020 and 2022 periods (Proton-M/Breeze-M,
    ESA) end on days of equal C3, within 0.5 km^2/s^2 (measured 0.34 and 0.36; the bound was set after the
    measurement), with the lowest-C3 day inside: the signature of a C3 (capability) limit closing both ends. 2022's
    first day is outside areo's DLA limit (+58.8 deg > 51.5), so the plan did not open on that edge. 2016 is the
    exception: its ends differ by more than 1 km^2/s^2, its first day being the DLA edge (test above). With CNES's
    2020 dates instead of ESA's (25 July - 8 August) the 2020 ends would not match (18.9 and 17.7 km^2/s^2)."""
    for p, first, last in (
        (exomars2020_period, ESA_2020_FIRST, ESA_2020_LAST),
        (exomars2022_period, PLAN_2022_FIRST, PLAN_2022_LAST),
    ):
        c3_first, c3_last = _on(p, first)["c3_km2_s2"], _on(p, last)["c3_km2_s2"]
        assert abs(c3_first - c3_last) * KM2_S2 < 0.5 * KM2_S2
        inside = [d["c3_km2_s2"] for d in p.days() if first <= d["utc"][:10] <= last]
        assert min(inside) * KM2_S2 < (min(c3_first, c3_last) - 1.0) * KM2_S2
    assert _on(exomars2022_period, PLAN_2022_FIRST)["dla_deg"] > 51.5
    c3_14, c3_25 = _on(exomars_period, "2016-03-14")["c3_km2_s2"], _on(exomars_period, "2016-03-25")["c3_km2_s2"]
    assert abs(c3_14 - c3_25) * KM2_S2 > 1.0 * KM2_S2


def test_venus_express_period_pays_its_insertion_at_venus():
    """Venus Express flew on 2005-11-09 (Spaceflight Now) and was captured at Venus, so the scenario's launch period
    must find that day feasible with the spacecraft's insertion budget computed about Venus (the capture orbit
    used Mars' GM and radius before, which made every day infeasible on propellant)."""
    from areo.bodies import body

    sc = load_scenario("venus-express2005")
    assert scenario_spacecraft(sc)[1].mu_m3_s2 == body("venus").gm_m3_s2
    day = next(d for d in scenario_launch_period(sc).days() if d["utc"].startswith("2005-11-09"))
    assert day["feasible"], day["status"]
    assert day["propellant_margin_kg"] > 0 * KG
