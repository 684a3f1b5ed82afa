"""Atmosphere models against their published definitions and outside reference values."""

import math

import numpy as np
import pytest

from areo.edl.atmosphere import (
    GlennMarsAtmosphere,
    TabulatedAtmosphere,
    builtin_table_path,
    cp_co2_molar,
    density_factor,
    make_atmosphere,
    speed_of_sound,
)
from areo.errors import InputError

KELVIN = 1.0
PASCAL = 1.0


def glenn_published(h):
    """NASA Glenn 'Mars Atmosphere Model - Metric Units' equations, transcribed from the web page."""
    t_c = -31.0 - 0.000998 * h if h > 7000 else -23.4 - 0.00222 * h
    p_kpa = 0.699 * math.exp(-0.00009 * h)
    return t_c + 273.15, p_kpa * 1e3, p_kpa / (0.1921 * (t_c + 273.1))


@pytest.mark.parametrize("h", [0.0, 3000.0, 6999.0, 7001.0, 20_000.0, 60_000.0, 121_000.0])
def test_glenn_matches_published_equations(h):
    t, p, rho = GlennMarsAtmosphere().evaluate(np.array(h))
    te, pe, rhoe = glenn_published(h)
    assert abs(t - te) < 1e-9 * KELVIN and abs(p - pe) < 1e-9 * PASCAL and rho == pytest.approx(rhoe, rel=1e-12)


def test_glenn_surface_values():
    # Surface values quoted on the Glenn page: T = -23.4 C, p = 0.699 kPa; rho = 0.699/(0.1921*249.7) = 0.01457
    t, p, rho = GlennMarsAtmosphere().evaluate(np.array(0.0))
    assert abs(t - 249.75) < 0.01 * KELVIN and abs(p - 699.0) < 0.01 * PASCAL and abs(rho - 0.01457) < 1e-5


@pytest.mark.parametrize("temp,cp_janaf", [(200.0, 32.359), (300.0, 37.221), (400.0, 41.325)])
def test_co2_heat_capacity_against_janaf(temp, cp_janaf):
    # NIST-JANAF Thermochemical Tables (Chase 1998), CO2 ideal gas, J/(mol K)
    assert cp_co2_molar(temp) == pytest.approx(cp_janaf, rel=4e-3)


def test_speed_of_sound_on_mars():
    # Maurice et al. 2022, Nature 605, 653 (Perseverance microphones): ~240 m/s near the surface at ~240 K
    assert abs(speed_of_sound(240.0) - 240.0) < 10.0
    # ideal monatomic/diatomic limits bound it: sqrt(gamma R T) with gamma between 1.25 and 1.40
    r = 8.314462618 / 0.04334
    assert math.sqrt(1.25 * r * 200) < speed_of_sound(200.0) < math.sqrt(1.40 * r * 200)


def test_builtin_table_reproduces_glenn():
    tab = make_atmosphere("table", "mars_glenn_table")
    g = GlennMarsAtmosphere()
    h = np.linspace(0.0, 125_000.0, 997)
    tt, pt, rt = tab.evaluate(h)
    tg, pg, rg = g.evaluate(h)
    mid = np.abs(h - 7000.0) > 1000.0  # the published model has a 1 K step at 7 km
    assert np.max(np.abs(tt - tg)[mid]) < 0.01 * KELVIN
    assert np.max(np.abs(pt / pg - 1.0)) < 1e-6  # exponential pressure is exact in log-linear interpolation
    assert np.max(np.abs(rt / rg - 1.0)[mid]) < 1e-3


def test_table_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("altitude_m,temperature_K,pressure_Pa\n0,200,600\n1000,199,550\n")
    with pytest.raises(InputError, match=r"lacks column.*density_kg_m3"):
        TabulatedAtmosphere.from_csv(bad)
    bad.write_text("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,200,600,0.01\n0,199,550,0.009\n")
    with pytest.raises(InputError, match="must increase strictly"):
        TabulatedAtmosphere.from_csv(bad)
    with pytest.raises(InputError, match="unknown atmosphere model 'glen'; did you mean 'glenn'"):
        make_atmosphere("glen")
    tab = TabulatedAtmosphere.from_csv(builtin_table_path("mars_glenn_table"))
    with pytest.raises(InputError, match=r"valid from -2.0 to 130.0 km"):
        tab.check_range(0.0, 200_000.0)


def test_table_winds_are_read(tmp_path):
    f = tmp_path / "w.csv"
    f.write_text(
        "# comment\naltitude_m,temperature_K,pressure_Pa,density_kg_m3,wind_east_m_s,wind_north_m_s\n"
        "0,210,600,0.015,10,-5\n10000,200,250,0.006,30,5\n"
    )
    tab = TabulatedAtmosphere.from_csv(f)
    e, n = tab.wind(np.array(5000.0))
    assert abs(e - 20.0) < 1e-12 and abs(n - 0.0) < 1e-12


def test_density_dispersion_averages_to_scale():
    h = np.linspace(0.0, 40_000.0 * 10, 200_001)  # whole periods of every wavelength
    f = density_factor(h, 1.1, (0.05, 0.03, 0.02), (0.3, 1.0, 2.0))
    assert abs(f.mean() - 1.1) < 1e-4 and f.max() <= 1.1 * 1.1 + 1e-12
