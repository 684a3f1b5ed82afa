"""The spacecraft's side of a launch period (areo.launch.spacecraft): insertion velocity change and propellant.

Checked against closed forms of two-body mechanics and the rocket equation (any textbook, e.g. Curtis,
"Orbital Mechanics for Engineering Students", ch. 6 and 8; Vallado, "Fundamentals of Astrodynamics", ch. 6),
and against the per-element status contract; no areo output is used as a reference.
"""

import numpy as np
import pytest

from areo.constants import G0, GM_MARS, R_MARS_EQ
from areo.errors import InputError
from areo.launch import CaptureOrbit, Spacecraft, capture_dv_m_s, get_launcher, launch_period, spacecraft_budget
from areo.launch.spacecraft import BUDGET_NO_ARRIVAL, BUDGET_OK, BUDGET_SHORT, propellant_needed_kg

M_S = 1.0
KG = 1.0
MU = float(GM_MARS)
RP = float(R_MARS_EQ) + 250e3


def test_parabolic_arrival_into_a_circle_costs_sqrt2_minus_1_circular_speeds():
    """v_inf = 0 at periapsis is escape speed sqrt(2 mu / r); the circular speed is sqrt(mu / r)."""
    dv = capture_dv_m_s(0.0, CaptureOrbit(MU, RP, RP))
    assert float(dv) == pytest.approx((np.sqrt(2.0) - 1.0) * np.sqrt(MU / RP), abs=1e-6 * M_S)


def test_capture_into_a_barely_bound_ellipse_removes_only_the_excess_energy():
    """Apoapsis at infinity: dv = sqrt(v_inf^2 + v_esc^2) - v_esc (vis-viva of hyperbola and parabola)."""
    v_inf = np.array([2000.0, 3000.0, 4000.0])
    v_esc = np.sqrt(2 * MU / RP)
    dv = capture_dv_m_s(v_inf, CaptureOrbit(MU, RP, 1e18))
    np.testing.assert_allclose(dv, np.sqrt(v_inf**2 + v_esc**2) - v_esc, atol=1e-3 * M_S)


def test_insertion_dv_grows_with_arrival_speed_and_shrinks_with_apoapsis():
    v_inf = np.linspace(1000.0, 6000.0, 11)
    dv_low = capture_dv_m_s(v_inf, CaptureOrbit(MU, RP, RP + 1e6))
    dv_high = capture_dv_m_s(v_inf, CaptureOrbit(MU, RP, RP + 1e8))
    assert np.all(np.diff(dv_low) > 0) and np.all(dv_high < dv_low)


def test_margin_is_zero_at_the_rocket_equation_capacity():
    """Tsiolkovsky: the orbiter (launch mass - released mass) can make ve ln(m / m_dry) with all its propellant."""
    sc = Spacecraft(launch_mass_kg=4332.0, dry_mass_kg=1319.0, released_mass_kg=577.0, isp_s=318.0)
    ve = 318.0 * float(G0)
    dv_max = ve * np.log((4332.0 - 577.0) / 1319.0)
    need = propellant_needed_kg(sc, 0.0, dv_max)
    assert float(need) == pytest.approx(sc.propellant_kg, abs=1e-6 * KG)
    # a DSM flown with the lander aboard: the whole stack burns first, then the lander leaves
    dsm = 300.0
    m_after_dsm = 4332.0 * np.exp(-dsm / ve)
    expected = (4332.0 - m_after_dsm) + (m_after_dsm - 577.0) * (1 - np.exp(-1000.0 / ve))
    assert float(propellant_needed_kg(sc, dsm, 1000.0)) == pytest.approx(expected, abs=1e-6 * KG)


def test_budget_status_codes_per_element():
    sc = Spacecraft(4332.0, 1319.0, 577.0, 318.0)
    cap = CaptureOrbit(MU, RP, RP + 98_000e3)
    b = spacecraft_budget(sc, cap, [3800.0, np.nan, 3800.0], dsm_dv_m_s=[0.0, 0.0, 2000.0])
    assert list(b.status) == [BUDGET_OK, BUDGET_NO_ARRIVAL, BUDGET_SHORT]
    assert b.margin_kg[0] > 0 * KG and np.isnan(b.margin_kg[1]) and b.margin_kg[2] < 0 * KG
    assert b.dv_m_s[2] == pytest.approx(2000.0 + b.insertion_dv_m_s[2], abs=1e-9 * M_S)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"launch_mass_kg": 4332.0, "dry_mass_kg": 4000.0, "released_mass_kg": 577.0, "isp_s": 318.0}, "dry mass"),
        ({"launch_mass_kg": 4332.0, "dry_mass_kg": 1300.0, "released_mass_kg": 577.0, "isp_s": 0.0}, "specific"),
        ({"launch_mass_kg": 500.0, "dry_mass_kg": 100.0, "released_mass_kg": 577.0, "isp_s": 318.0}, "released"),
    ],
)
def test_impossible_spacecraft_is_one_clear_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        Spacecraft(**kwargs)


def test_capture_orbit_and_period_inputs_are_checked():
    with pytest.raises(InputError, match="periapsis radius"):
        CaptureOrbit(MU, RP + 1e6, RP)
    with pytest.raises(InputError, match="give both or neither"):
        launch_period(
            get_launcher("proton-m-breeze-m"),
            4332.0,
            "2016-03-10:2016-03-12",
            "2016-10-19",
            spacecraft=Spacecraft(4332.0, 1319.0, 577.0, 318.0),
        )


def test_a_spacecraft_short_of_propellant_closes_every_day():
    """Behaviour: 178 kg of propellant cannot brake a ~3.8 km/s arrival into any orbit; every day whose launch
    is flyable is then marked by the spacecraft, and the JSON reports the per-day budget."""
    p = launch_period(
        get_launcher("proton-m-breeze-m"),
        4332.0,
        "2016-03-14:2016-03-16",
        "2016-10-19",
        spacecraft=Spacecraft(4332.0, 3577.0, 577.0, 318.0),
        capture=CaptureOrbit(MU, RP, RP + 98_000e3),
    )
    s = p.summary()
    assert s["first_utc"] is None and s["feasible_days"] == 0
    for d in s["days"]:
        assert d["status"] == d["limited_by"] == "spacecraft propellant below the DSM + insertion need"
        assert d["spacecraft_dv_m_s"] > 1000 * M_S and d["propellant_margin_kg"] < 0 * KG
