"""The ExoMars 2022 descent-module EDL data file (scenarios/data/exomars2022_dm_edl.toml, issue 10): it parses,
every number says where it comes from (and is flagged when it is not published), and the published figures are
consistent with each other by physics that needs no EDL model: parachute areas from diameters, the ballistic
coefficient, the deploy Mach numbers against the Mars sound speed, the first parachute's terminal speed against
ESA's 400 km/h at the second deploy, the mass budget, a throttled landing being possible, a hyperbolic arrival.

Outside figures used here: NASA Glenn Research Center "Mars Atmosphere Model - Metric Units" (the equations for
T and p versus height, below); Mars atmosphere mean molar mass 43.34 g/mol (NASA Mars Fact Sheet); Braun &
Manning, "Mars Exploration Entry, Descent, and Landing Challenges", J. Spacecraft Rockets 44(2) 2007, Table 1
(ballistic coefficients of the flown Mars landers, Pathfinder/Viking ~63-64 kg/m^2 up to MSL's 115-146 kg/m^2).
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import pytest

from areo.constants import GM_MARS, R_MARS_MOLA
from areo.scenarios import shipped
from tests.units import KM, KM_S, M_S

KM_H = 1 / 3.6  # m/s
R_MARS_AIR = 8.314462618 / 0.04334  # J/(kg K), NASA Mars Fact Sheet mean molar mass 43.34 g/mol
META = {"sources", "assumed"}


@pytest.fixture(scope="module")
def data() -> dict:
    path = resources.files("areo.scenarios") / "data" / "exomars2022_dm_edl.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _leaf_tables(d: dict, prefix: str = ""):
    """(dotted name, table) of every table that holds values (not only sub-tables), skipping the sources."""
    values = {k: v for k, v in d.items() if not isinstance(v, dict) and k not in META}
    if values and prefix:
        yield prefix, d
    for k, v in d.items():
        if isinstance(v, dict) and k != "sources":
            yield from _leaf_tables(v, f"{prefix}.{k}" if prefix else k)


def glenn_density(h_m: float) -> float:
    """NASA GRC Mars atmosphere model (metric): T in deg C, p in kPa, h above the areoid in m."""
    t_c = -31.0 - 0.000998 * h_m if h_m < 7000.0 else -23.4 - 0.00222 * h_m
    p_kpa = 0.699 * math.exp(-0.00009 * h_m)
    return p_kpa / (0.1921 * (t_c + 273.1))


def mars_g(altitude_m: float) -> float:
    return float(GM_MARS) / (float(R_MARS_MOLA) + altitude_m) ** 2


def test_not_a_shipped_scenario():
    assert "exomars2022_dm_edl" not in shipped()  # a data file beside the scenarios, not one of them


def test_every_value_has_a_source_and_every_assumption_is_flagged(data):
    tables = list(_leaf_tables(data))
    assert len(tables) >= 10
    for name, table in tables:
        if name == "mission":  # names and status only, no figures
            continue
        sources = table.get("sources", {})
        assumed = table.get("assumed", [])
        for key, value in table.items():
            if key in META or isinstance(value, dict):
                continue
            assert isinstance(sources.get(key), str) and len(sources[key]) > 20, f"{name}.{key} has no source"
            if isinstance(value, float | int) and not isinstance(value, bool):
                assert math.isfinite(value), f"{name}.{key}"
            inferred = sources[key].startswith(("assumption:", "derived:"))
            assert inferred == (key in assumed), f"{name}.{key}: 'assumed' and the source disagree"
        assert set(sources) <= set(table) - META, f"{name}: a source names no value"
        assert set(assumed) <= set(table), f"{name}: 'assumed' names no value"


def test_parachute_and_aeroshell_areas_from_diameters(data):
    for table in (data["parachutes"]["supersonic"], data["parachutes"]["subsonic"], data["aeroshell"]):
        assert table["reference_area_m2"] == pytest.approx(math.pi * table["diameter_m"] ** 2 / 4, abs=0.01)


def test_entry_speed_is_esa_21000_km_h(data):
    assert data["entry"]["speed_km_s"] * KM_S == pytest.approx(21_000 * KM_H, abs=1 * M_S)


def test_ballistic_coefficient_consistent_and_within_flown_landers(data):
    a = data["aeroshell"]
    beta = a["entry_mass_kg"] / (a["drag_coefficient_hypersonic"] * a["reference_area_m2"])
    assert a["ballistic_coefficient_kg_m2"] == pytest.approx(beta, abs=0.5)
    assert 60.0 <= beta <= 150.0  # Braun & Manning 2007, Table 1: Viking/Pathfinder ~63 ... MSL ~115-146 kg/m^2


@pytest.mark.parametrize("stage,supersonic", [("supersonic", True), ("subsonic", False)])
def test_deploy_mach_against_mars_sound_speed(data, stage, supersonic):
    """ESA gives deploy speeds (1700 and 400 km/h) and says 'supersonic' / 'subsonic': with the CO2 sound speed at
    parachute altitudes (T 180-250 K, gamma 1.29-1.33) the file's Mach numbers must follow."""
    chute = data["parachutes"][stage]
    v = chute["deploy_speed_km_h"] * KM_H
    a_lo = math.sqrt(1.29 * R_MARS_AIR * 180.0)
    a_hi = math.sqrt(1.33 * R_MARS_AIR * 250.0)
    mach_lo, mach_hi = v / a_hi, v / a_lo
    assert mach_lo <= chute["deploy_mach"] <= mach_hi
    assert (mach_lo > 1.0) if supersonic else (mach_hi < 1.0)


def test_first_parachute_terminal_speed_brackets_esa_400_km_h(data):
    """Under the 15 m DGB alone (capsule drag neglected: an upper bound) the 2 t module's terminal speed, between
    the site's surface density and that 15 km above it (NASA Glenn model), must bracket the 400 km/h at which ESA
    says the second parachute opens 20 s later."""
    chute = data["parachutes"]["supersonic"]
    m = data["aeroshell"]["entry_mass_kg"]
    cda = chute["drag_coefficient"] * chute["reference_area_m2"]
    h_site = data["site"]["elevation_m"]

    def v_term(h):
        return math.sqrt(2 * m * mars_g(h) / (glenn_density(h) * cda))

    v_second = data["parachutes"]["subsonic"]["deploy_speed_km_h"] * KM_H
    assert v_term(h_site) <= v_second <= v_term(h_site + 15 * KM)


def test_mass_budget(data):
    a, m = data["aeroshell"], data["masses"]
    landed = m["landing_platform_kg"] + m["rover_kg"]
    itemised = a["front_shield_mass_kg"] + a["back_shell_mass_kg"] + m["parachute_system_kg"] + landed
    assert itemised <= a["entry_mass_kg"]
    assert m["main_parachute_canopy_kg"] < m["parachute_system_kg"]


def test_throttled_landing_is_possible(data):
    """A throttled constant-velocity landing needs maximum thrust above the weight at platform separation and
    minimum thrust below the weight at touchdown (no heavier than platform + rover, lower bound of the mass)."""
    a, m, p = data["aeroshell"], data["masses"], data["propulsion"]
    thrust_max = p["engine_count"] * p["thrust_max_each_n"]
    h_site = data["site"]["elevation_m"]
    m_sep = a["entry_mass_kg"] - a["front_shield_mass_kg"] - a["back_shell_mass_kg"] - m["parachute_system_kg"]
    assert thrust_max > 1.5 * m_sep * mars_g(h_site)
    assert p["throttle_min_fraction"] * thrust_max < (m["landing_platform_kg"] + m["rover_kg"]) * mars_g(h_site)


def test_entry_speed_is_a_hyperbolic_arrival(data):
    r = float(R_MARS_MOLA) + data["entry"]["altitude_km"] * KM
    v = data["entry"]["speed_km_s"] * KM_S
    v_esc = math.sqrt(2 * float(GM_MARS) / r)
    v_inf = math.sqrt(v**2 - v_esc**2) if v > v_esc else 0.0
    assert 2.0 * KM_S < v_inf < 4.5 * KM_S, f"v_inf {v_inf:.0f} m/s"  # Earth-Mars type I/II transfers


def test_powered_descent_timing(data):
    """ESA: engines from ~1 km, 20 s before touchdown: a mean 50 m/s, below the 400 km/h at the second deploy."""
    s = data["platform_separation"]
    mean_speed = s["altitude_m"] / s["engine_burn_before_touchdown_s"]
    assert mean_speed < data["parachutes"]["subsonic"]["deploy_speed_km_h"] * KM_H
    assert data["descent"]["entry_to_touchdown_s"] > s["engine_burn_before_touchdown_s"]
