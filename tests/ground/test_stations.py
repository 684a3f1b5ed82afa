"""Station catalogue: required stations, sources, derived flags, user files, networks and errors."""

from __future__ import annotations

import math

import pytest

from areo.errors import InputError
from areo.ground import get_network, get_station, load_catalogue
from areo.ground.stations import dish_gain_dbi, geodetic_to_itrs, itrs_to_geodetic
from tests.units import METRE

REQUIRED = [
    "rt70-yevpatoria",
    "rt70-ussuriysk",
    "rt70-suffa",
    "tna1500-bear-lakes",
    "kalyazin-64",
    "dss-14",
    "dss-43",
    "dss-63",
    "dss-24",
    "dss-34",
    "dss-53",
    "dsa-1",
    "dsa-2",
    "dsa-3",
    "gmrt",
]


def test_catalogue_has_the_issue_stations_each_with_a_source():
    cat = load_catalogue()
    for sid in REQUIRED:
        st = cat.station(sid)
        assert st.source, sid
        for b in st.bands.values():
            assert b.source, (sid, b.band)
            assert b.derived  # no operator-published G/T or EIRP is claimed in the built-in file
    # 34 m antennas at each DSN complex (Goldstone, Canberra, Madrid)
    dsn34 = [s for s in cat.network("dsn") if s.diameter_m == 34.0]
    lons = sorted(round(s.lon_deg) for s in dsn34)
    assert {-117, -4, 149} <= set(lons)


def test_dsn_positions_agree_with_published_geodetic_coordinates():
    """DSS-63 Robledo: 40 deg 25' 52" N, 4 deg 14' 53" W (NASA DSN Madrid complex); DSS-43: 35 deg 24' S 148 deg 59' E."""
    st = get_station("dss-63")
    assert abs(st.lat_deg - (40 + 25 / 60 + 52 / 3600)) < 0.002
    assert abs(st.lon_deg - -(4 + 14 / 60 + 53 / 3600)) < 0.002
    st = get_station("dss-43")
    assert abs(st.lat_deg - -(35 + 24 / 60)) < 0.02 and abs(st.lon_deg - (148 + 59 / 60)) < 0.02


def test_geodetic_round_trip():
    for lat, lon, h in [(45.19, 33.19, 70.0), (-35.776, -69.3982, 1550.0), (89.9, 10.0, 0.0)]:
        r = geodetic_to_itrs(lat, lon, h)
        lat2, lon2, h2 = itrs_to_geodetic(r)
        assert math.isclose(lat, lat2, abs_tol=1e-9) and math.isclose(lon, lon2, abs_tol=1e-9)
        assert abs(h - h2) < 1e-3 * METRE


def test_dish_gain_matches_published_example():
    """Mars MicroSpacecraft link budget (JPL, 'Mars MS Links' spreadsheet): 0.5 m, 60 %, 32.3 GHz -> 42.34 dBi."""
    assert abs(dish_gain_dbi(0.5, 32.3e9, 0.60) - 42.34) < 0.02


def test_networks():
    ids = {s.id for s in get_network("estrack,dsn")}
    assert {"dsa-1", "dsa-2", "dsa-3", "dss-14", "dss-43", "dss-63"} <= ids
    assert {s.id for s in get_network("rt70")} == {"rt70-yevpatoria", "rt70-ussuriysk"}
    assert len(get_network("all")) == len(load_catalogue().stations)
    with pytest.raises(InputError, match="unknown network or station 'estrak'; did you mean 'estrack'"):
        get_network("estrak")


def test_unknown_station_lists_close_matches():
    with pytest.raises(InputError, match=r"unknown station 'dss-64'; did you mean .*'dss-63'.*Valid choices"):
        get_station("dss-64")


def test_band_the_station_lacks():
    with pytest.raises(InputError, match="station 'gmrt' has no 'x' band; it has: uhf"):
        get_station("gmrt").band("x")


def test_user_station_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("""
[networks]
mine = ["my-dish", "dsa-2"]

[[station]]
id = "my-dish"
name = "A 12 m dish"
lat_deg = 52.0
lon_deg = 5.0
height_m = 10.0
diameter_m = 12.0
min_elevation_deg = 7.5
horizon_mask = [[0.0, 10.0], [180.0, 20.0]]
source = "test"
[station.bands.x]
g_t_db_k = 30.0
system_noise_k = 80.0
source = "data sheet"
""")
    cat = load_catalogue([f])
    st = cat.station("my-dish")
    assert st.bands["x"].g_t_db_k == 30.0 and not st.bands["x"].derived
    assert {s.id for s in cat.network("mine")} == {"my-dish", "dsa-2"}
    assert st.mask_deg(90.0) == pytest.approx(15.0)
    assert st.mask_deg(270.0) == pytest.approx(15.0)


def test_bad_mask_in_user_file(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(
        '[[station]]\nid = "x1"\nlat_deg = 0.0\nlon_deg = 0.0\ndiameter_m = 1.0\nsource = "t"\n'
        "min_elevation_deg = 95.0\n"
    )
    with pytest.raises(InputError, match="must lie between 0 and 90 degrees"):
        load_catalogue([f])


def test_repr_states_position_and_dish():
    assert repr(get_station("rt70-yevpatoria")) == (
        "<Station rt70-yevpatoria 45.1900 N 33.1900 E 70 m, 70 m dish, bands s,x>"
    )


def test_public_surface():
    import areo.ground as g

    assert sorted(g.__all__) == sorted(n for n in g.__all__ if hasattr(g, n))
    for name in ("passes", "link_report", "network_coverage", "event_coverage", "TrajectoryTarget", "altaz"):
        assert name in g.__all__
