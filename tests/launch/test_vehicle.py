"""Launcher records: interpolation, refusal outside the table, per-element status codes, DLA reachability."""

import numpy as np
import pytest

from areo.errors import InputError
from areo.launch import assess, get_launcher, load_launchers
from areo.launch.vehicle import C3_ABOVE_TABLE, C3_BELOW_TABLE, CAPABILITY_OK

KG = 1.0


@pytest.fixture(scope="module")
def proton():
    return get_launcher("proton-m-breeze-m")


def test_every_shipped_launcher_has_a_source_and_a_decreasing_table():
    launchers = load_launchers()
    assert {"proton-m-breeze-m", "proton-m-dm-03", "proton-k-d-2", "soyuz-fg-fregat"} <= set(launchers)
    for lv in launchers.values():
        assert len(lv.source) > 40, lv.name
        # physics: more energy, less mass, for every launcher
        assert np.all(np.diff(lv.payload_table_kg) < 0), lv.name
        # a direct ascent cannot reach an inclination below the site latitude
        assert min(lv.parking_inclinations_deg) >= abs(lv.site.latitude_deg)


def test_capability_is_linear_between_table_points(proton):
    c3 = np.asarray(proton.c3_table_km2_s2)
    m = np.asarray(proton.payload_table_kg)
    mid = 0.5 * (c3[:-1] + c3[1:])
    cap, status = proton.capability_kg(mid)
    assert np.all(status == CAPABILITY_OK)
    np.testing.assert_allclose(cap, 0.5 * (m[:-1] + m[1:]), atol=1e-9 * KG)


def test_status_codes_not_nan_outside_the_table(proton):
    lo, hi = proton.c3_range_km2_s2
    cap, status = proton.capability_kg([lo - 1.0, hi + 1.0, np.nan, lo])
    assert list(status) == [C3_BELOW_TABLE, C3_ABOVE_TABLE, C3_ABOVE_TABLE, CAPABILITY_OK]
    assert np.all(np.isfinite(cap)) and cap[0] == cap[1] == cap[2] == 0.0


def test_scalar_refuses_c3_outside_the_table_with_the_range(proton):
    with pytest.raises(InputError, match=r"outside the performance table of proton-m-breeze-m \(0\.\.36 km"):
        assess(proton, 45.0)


@pytest.mark.parametrize("incl_deg", [46.0, 51.5, 64.8, 72.7])
def test_dla_limit_equals_the_largest_declination_in_the_orbit_plane(incl_deg):
    """Invariant behind the model: directions in a plane inclined by i reach declinations -i..+i, no more."""
    i = np.radians(incl_deg)
    u = np.linspace(0, 2 * np.pi, 100_001)
    z = np.sin(i) * np.sin(u)  # unit vectors in the plane: (cos u, cos i sin u, sin i sin u)
    assert np.degrees(np.arcsin(z).max()) == pytest.approx(incl_deg, abs=1e-6)


def test_dla_reach_follows_the_parking_inclination(proton):
    assert proton.max_dla_deg == 51.5
    assert list(proton.dla_reachable([-51.5, 51.4, -51.6, 60.0])) == [True, True, False, False]
    soyuz = get_launcher("Soyuz-FG / Fregat")  # the title form works too
    assert soyuz.max_dla_deg == pytest.approx(51.8)


def test_assess_reports_margin_and_reason(proton):
    # ILS Proton MPG Rev. 7 escape table: 4745 kg at v-infinity 4 km/s (C3 = 16)
    a = assess(proton, 16.0, dla_deg=-20.0, payload_kg=4000.0)
    assert a.feasible and a.margin_kg == pytest.approx(745.0, abs=1 * KG)
    b = assess(proton, 16.0, dla_deg=-60.0, payload_kg=5000.0)
    assert not b.feasible
    assert "by 255 kg" in b.reason and "-51.5..+51.5 deg" in b.reason
