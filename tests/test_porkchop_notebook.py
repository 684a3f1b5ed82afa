"""The porkchop result in a notebook: ``.to_xarray()``, ``.figure()`` and the HTML view.

Authority for the time coordinates: TDB - UTC in 2016 is 32.184 s (TT - TAI) + 36 s (TAI - UTC from 2015-07-01 to
2016-12-31, IERS Bulletin C 49) plus the periodic TDB - TT term, below 1.7 ms (Fairhead & Bretagnon 1990). The
values inside the dataset are the grid's own (checked against pykep in test_porkchop.py); here they are checked
to be the same cells, in the same place, with their units.
"""

from __future__ import annotations

import numpy as np
import pytest

import areo
from tests.units import SECOND

xr = pytest.importorskip("xarray", reason="xarray comes with the notebook extra")

TDB_MINUS_UTC_2016_S = 32.184 + 36.0


@pytest.fixture(scope="module")
def res():
    return areo.porkchop(
        "earth", "mars", "2016-02-01:2016-04-30", "2016-09-01:2016-12-31", grid="24x20", at="2016-03-14/2016-10-19"
    )


def test_to_xarray_has_utc_coordinates_and_unit_attrs(res):
    ds = res.to_xarray()
    assert ds.sizes == {"depart": 24, "arrive": 20}
    assert ds["depart"].dtype == np.dtype("datetime64[ns]") and ds["arrive"].dtype == np.dtype("datetime64[ns]")
    for coord, tdb in (("depart", res.grid.depart_tdb_s), ("arrive", res.grid.arrive_tdb_s)):
        j2000_tdb = np.datetime64("2000-01-01T12:00:00", "ns")
        as_tdb = j2000_tdb + (tdb * 1e9).astype("timedelta64[ns]")
        offset_s = (as_tdb - ds[coord].values).astype(float) / 1e9
        assert np.all(np.abs(offset_s - TDB_MINUS_UTC_2016_S) < 2e-3 * SECOND)
    assert ds["c3_km2_s2"].attrs["units"] == "km2 s-2" and ds["tof_days"].attrs["units"] == "day"
    assert ds["dla_deg"].attrs["units"] == "degree" and ds.attrs["origin"] == "earth"
    i, j = 7, 11
    for name in ("c3_km2_s2", "vinf_arrive_km_s", "dla_deg", "status"):
        a, b = float(ds[name].values[i, j]), float(getattr(res.grid, name)[i, j])
        assert a == b or (np.isnan(a) and np.isnan(b)), name
    cell = ds.sel(depart=ds["depart"].values[i], arrive=ds["arrive"].values[j])
    assert float(cell["tof_days"]) == pytest.approx(float(res.grid.tof_days[i, j]), abs=1e-12)


def test_to_xarray_optimum_cell_is_near_the_refined_optimum(res):
    ds = res.to_xarray()
    c3 = ds["c3_km2_s2"].where(ds["status"] == 0)
    best = c3.where(c3 == c3.min(), drop=True)
    dep = best["depart"].values[0]
    opt = np.datetime64(res.summary()["optimum"]["depart_utc"].rstrip("Z"), "ns")
    step = ds["depart"].values[1] - ds["depart"].values[0]
    assert abs(dep - opt) <= step  # the refined optimum lies within one grid step of the best cell
    assert float(c3.min()) >= res.optimum.c3_km2_s2 - 1e-6


def test_html_view_lists_the_optima_and_figure_draws_them(res):
    html = res._repr_html_()
    assert html.startswith("<table><caption>porkchop earth -&gt; mars, 24 x 20 cells")
    assert "<td>optimum</td>" in html and "<td>at</td>" in html and res.summary()["at"]["depart_utc"] in html
    pytest.importorskip("plotly")
    fig = res.figure()
    assert type(fig).__name__ == "Figure" and len(fig.data) >= 2
