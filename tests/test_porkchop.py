"""Porkchop grids. Authority: tests/authorities/porkchop_2016.npz (pykep 3.0.1 + DE421 via jplephem, Sun-centred
states; builder in tests/authorities/builders/) and the figures quoted in its README (2016-03-14 -> 2016-10-19: C3 14.681 km2/s2, v-inf 3.8315 and
3.8399 km/s; grid minimum 7.994 km2/s2 on 2016-03-13 -> 2017-01-10)."""

import numpy as np
import pytest

from areo.constants import DAY, J2000_JD
from areo.errors import EphemerisRangeError, InputError, ResourceError
from areo.kepler import propagate
from areo.time import utc_to_tdb_seconds
from areo.transfer.porkchop import body_states_ecliptic, porkchop_grid, transfer_point
from areo.transfer.window import porkchop
from tests.conftest import load_oracle
from tests.units import KM2_S2, KM_S, METRE


@pytest.fixture(scope="module")
def oracle():
    d = load_oracle("porkchop_2016.npz")
    return {k: d[k] for k in d.files}


@pytest.fixture(scope="module")
def grid(oracle):
    td = (oracle["dep_jd_tdb"] - J2000_JD) * DAY
    ta = (oracle["arr_jd_tdb"] - J2000_JD) * DAY
    return porkchop_grid("earth", "mars", td, ta, float(oracle["mu_km3s2"]) * 1e9)


def test_grid_matches_pykep_oracle(grid, oracle):
    assert np.all(grid.status == 0)
    assert np.max(np.abs(grid.c3_km2_s2 - oracle["c3_km2s2"])) * KM2_S2 < 1e-6 * KM2_S2
    assert np.max(np.abs(grid.vinf_depart_km_s - oracle["vinf_dep_kms"])) * KM_S < 1e-6 * KM_S
    assert np.max(np.abs(grid.vinf_arrive_km_s - oracle["vinf_arr_kms"])) * KM_S < 1e-6 * KM_S


def test_exomars_2016_point_published_figures():
    t = utc_to_tdb_seconds(["2016-03-14", "2016-10-19"])
    # the oracle README's figures are for 00:00 TDB; 00:00 UTC is 68 s later in TDB: use TDB directly
    td = (2457461.5 - J2000_JD) * DAY
    ta = (2457680.5 - J2000_JD) * DAY
    p = transfer_point("earth", "mars", td, ta)
    assert p.c3_km2_s2 == pytest.approx(14.681, abs=0.0005)
    assert p.vinf_depart_km_s == pytest.approx(3.8315, abs=0.00005)
    assert p.vinf_arrive_km_s == pytest.approx(3.8399, abs=0.00005)
    assert p.transfer_type == 1 and p.tof_days == pytest.approx(219.0, abs=1e-9)
    assert abs(t[0] - td) < 70  # sanity: UTC and TDB midnights differ by 68.184 s in 2016


def test_minimum_located_and_refined(grid, oracle):
    from areo.transfer.porkchop import grid_minimum, refine_minimum

    ij = grid_minimum(grid)
    assert grid.c3_km2_s2[ij] == pytest.approx(float(oracle["c3_km2s2"].min()), abs=1e-6)
    assert grid.c3_km2_s2[ij] == pytest.approx(7.994, abs=0.0005)
    best = refine_minimum(grid, ij)
    assert best.c3_km2_s2 <= grid.c3_km2_s2[ij] + 1e-12
    # the continuous optimum is a stationary point: C3 rises a little in every direction
    for dd, da in ((0.5, 0), (-0.5, 0), (0, 0.5), (0, -0.5)):
        q = transfer_point("earth", "mars", best.depart_tdb_s + dd * DAY, best.arrive_tdb_s + da * DAY)
        assert q.c3_km2_s2 >= best.c3_km2_s2 - 1e-9


def test_transfer_type_matches_geometry(grid):
    """Type I <=> prograde transfer angle below 180 deg, from the body positions themselves."""
    r1, _ = body_states_ecliptic("earth", grid.depart_tdb_s)
    r2, _ = body_states_ecliptic("mars", grid.arrive_tdb_s)
    i, j = np.meshgrid(np.arange(0, 200, 7), np.arange(0, 200, 7), indexing="ij")
    a, b = r1[i], r2[j]
    ang = np.arctan2(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0], np.sum(a[..., :2] * b[..., :2], -1)) % (2 * np.pi)
    expected = np.where(ang < np.pi, 1, 2)
    assert np.array_equal(grid.transfer_type[i, j], expected)
    assert {1, 2} <= set(np.unique(grid.transfer_type).tolist())


def test_optimum_transfer_flies_to_mars():
    """Invariant: the optimum's departure state, propagated over the time of flight, reaches Mars."""
    res = porkchop("earth", "mars", "2016-01-01:2016-06-30", "2016-08-01:2017-03-31", grid=60)
    o = res.optimum
    from areo.constants import GM_SUN
    from areo.transfer.lambert import lambert

    r1, v_e = body_states_ecliptic("earth", o.depart_tdb_s)
    r2, _ = body_states_ecliptic("mars", o.arrive_tdb_s)
    v1 = lambert(r1, r2, o.arrive_tdb_s - o.depart_tdb_s, GM_SUN).v1_m_s
    assert np.sum((v1 - v_e) ** 2) / 1e6 == pytest.approx(o.c3_km2_s2, rel=1e-12)
    r, _, _st = propagate(r1, v1, o.arrive_tdb_s - o.depart_tdb_s, GM_SUN)
    assert np.linalg.norm(r - r2) < 10 * METRE


@pytest.mark.parametrize(
    "depart, arrive",
    [
        ("2022-08-15:2022-11-15", "2023-03-01:2023-12-31"),  # ExoMars 2022 window (launch 2022-09-20..10-01)
        ("2028-10-01:2029-01-31", "2029-06-01:2030-03-31"),  # 2028 opportunity
    ],
)
def test_other_windows(depart, arrive):
    res = porkchop("earth", "mars", depart, arrive, grid=80)
    s = res.summary()
    for key in ("optimum", "optimum_type1", "optimum_type2"):
        p = s[key]
        assert p is not None
        # Earth-Mars minimum-energy launches need C3 of roughly 8-20 km2/s2 (Hohmann-like: > 8.6 in ecliptic)
        assert 7.0 < p["c3_km2_s2"] < 25.0
    assert s["optimum"]["c3_km2_s2"] == min(s["optimum_type1"]["c3_km2_s2"], s["optimum_type2"]["c3_km2_s2"])


def test_summary_fields():
    res = porkchop(
        "earth", "mars", "2016-01-01:2016-06-30", "2016-08-01:2017-03-31", grid=40, at="2016-03-14/2016-10-19"
    )
    s = res.summary()
    for key in ("optimum", "at"):
        for field in (
            "depart_utc",
            "arrive_utc",
            "tof_days",
            "c3_km2_s2",
            "vinf_depart_km_s",
            "dla_deg",
            "vinf_arrive_km_s",
        ):
            assert field in s[key]
    assert s["at"]["depart_utc"] == "2016-03-14T00:00:00Z"
    assert s["at"]["c3_km2_s2"] == pytest.approx(14.68, abs=0.01)


def test_bad_input_messages():
    with pytest.raises(InputError, match=r"unknown body 'pluton'.*Valid choices: earth"):
        porkchop("earth", "pluton", "2016-01-01:2016-06-30", "2016-08-01:2017-03-31")
    with pytest.raises(InputError, match=r"every arrival date .* is before every departure date"):
        porkchop("earth", "mars", "2016-01-01:2016-06-30", "2015-01-01:2015-06-30")
    with pytest.raises(InputError, match="the time of flight must be positive"):
        porkchop("earth", "mars", "2016-01-01:2016-06-30", "2016-08-01:2017-03-31", grid=10, at="2016-03-14/2016-03-14")
    with pytest.raises(ResourceError, match=r"the limit is 9,000,000 cells .* Use a smaller --grid"):
        porkchop("earth", "mars", "2016-01-01:2016-06-30", "2016-08-01:2017-03-31", grid=5000)
    with pytest.raises(EphemerisRangeError, match="outside the DE421 ephemeris, which covers"):
        porkchop("earth", "mars", "2060-01-01:2060-06-30", "2060-08-01:2061-03-31")
    with pytest.raises(InputError, match="cannot read grid size"):
        porkchop("earth", "mars", "2016-01-01:2016-06-30", "2016-08-01:2017-03-31", grid="big")
