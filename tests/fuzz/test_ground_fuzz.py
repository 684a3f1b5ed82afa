"""Ground API fuzz: passes, link budget, coverage, tracking, telemetry and station files.

Contract (DEVELOPERS.md, "Bad input gets a clear error"): a user-layer call either returns finite, consistent
results or raises an ``AreoError`` whose message is one sentence naming the value; never another exception, a
hang or silently accepted nonsense. Batched link budgets flag each bad element with a status code instead of
raising. The regressions of issue 9 (bug list, ground part) are pinned first; then property-based tests
(hypothesis; profile ``ci`` by default, ``long`` for ``make fuzz``).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from areo.cli import app
from areo.errors import AreoError, InputError
from areo.ground import link_budget, link_report, passes, telemetry_run, tracking_data
from areo.ground.api import event_coverage, network_coverage, network_specs
from areo.ground.link import LINK_BAD_ELEVATION, LINK_BAD_POWER, LINK_BAD_RANGE, LINK_OK
from areo.ground.stations import _load, load_catalogue

runner = CliRunner()
STATION_IDS = sorted(load_catalogue().stations)
WILD_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 1e-308, 90.0, 90.000001, -90.0, -91.0, 1e3, -1e3]),
)


def cli(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def _one_clear_line(text: str) -> bool:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return len(lines) >= 1 and "Traceback" not in text and len(lines[0]) > 20


def _all_finite(obj) -> bool:
    if isinstance(obj, dict):
        return all(_all_finite(v) for v in obj.values())
    if isinstance(obj, list):
        return all(_all_finite(v) for v in obj)
    if isinstance(obj, float):
        return math.isfinite(obj)
    return True


# ------------------------------------------------------------------------------------------ issue 9 regressions
@pytest.mark.parametrize(
    "args,needle",
    [
        (["telemetry", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--eb-n0-db", "1e308"], "Eb/N0"),
        (["telemetry", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--eb-n0-db", "nan"], "Eb/N0"),
        (["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--margin-db", "nan"], "margin"),
        (["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--margin-db", "-1e308"], "margin"),
        (["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--eirp-dbw", "1e308"], "EIRP"),
        (["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--rate-kbps", "inf"], "data rate"),
        (["coverage", "--network", "estrack", "--at", "2016-10-19T14:42Z", "--band", "q"], "unknown band 'q'"),
        (["coverage", "--network", "estrack", "--start", "2016-10-19", "--stop", "2016-10-20", "--band", "q"], "band"),
        (["coverage", "--network", "", "--start", "2016-10-19", "--stop", "2016-10-20"], "no network"),
        (["coverage", "--network", ";", "--at", "2016-10-19T14:42Z"], "no network"),
        (["stations", "--network", ""], "no network"),
        (["stations", "--network", ";"], "no network"),
        (["passes", "--station", "dss-63", "--start", "1950-01-01", "--stop", "2050-01-01"], "36525 days"),
        (["passes", "--station", "dss-63", "--start", "1850-01-01", "--stop", "1850-01-02"], "outside"),
        (
            ["passes", "--station", "dss-63", "--start", "2016-01-01", "--stop", "2016-01-02", "--min-elevation", "91"],
            "between -90 and 90",
        ),
        # audit of session 22: the option named, the Earth refused as a target, options that cannot go together
        (
            ["passes", "--station", "dss-63", "--start", "2016-01-01", "--stop", "2016-01-02", "--min-elevation", "95"],
            "(--min-elevation) is 95.0 deg",
        ),
        (
            ["coverage", "--network", "dsn", "--start", "2016-10-19", "--stop", "2016-10-20", "--min-elevation", "95"],
            "(--min-elevation) is 95.0 deg",
        ),
        (
            ["passes", "--station", "dss-63", "--target", "earth", "--start", "2016-10-18", "--stop", "2016-10-19"],
            "target 'earth': the stations stand on the Earth",
        ),
        (["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--target", "earth"], "target 'earth'"),
        (
            [
                "tracking",
                "--station",
                "dss-63",
                "--target",
                "earth-moon-barycenter",
                "--start",
                "2016-10-19",
                "--stop",
                "2016-10-19T01:00",
            ],
            "target 'earth-moon-barycenter'",
        ),
        (
            [
                "coverage",
                "--network",
                "dsn",
                "--at",
                "2016-10-19T14:42Z",
                "--start",
                "2016-10-19",
                "--stop",
                "2016-10-20",
            ],
            "--at (which stations see the target at one instant) and --start/--stop",
        ),
        (
            ["telemetry", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--case", "nominal"],
            "--case 'nominal' picks a case of --edl",
        ),
    ],
)
def test_reported_bad_inputs_are_refused_on_one_line(args, needle):
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert needle in " ".join(r.output.split())
    assert _one_clear_line(r.output)


_GOOD_ROW = {
    "id": '"fuzz-site"',
    "lat_deg": "40.0",
    "lon_deg": "-4.0",
    "height_m": "800.0",
    "diameter_m": "35.0",
    "min_elevation_deg": "10.0",
    "source": '"fuzz"',
}
_GOOD_BAND = {"efficiency": "0.7", "system_noise_k": "30.0"}
_FILE_COUNTER = itertools.count()


def _station_file(tmp_path, row: dict, band: dict | None = None, header: str = "[[station]]") -> str:
    lines = [header, *(f"{k} = {v}" for k, v in row.items())]
    if band is not None:
        lines += ["[station.bands.x]", *(f"{k} = {v}" for k, v in band.items())]
    path = tmp_path / f"stations-{next(_FILE_COUNTER)}.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.mark.parametrize(
    "change,band_change,header,needle",
    [
        ({"diameter_m": '"thirty-five"'}, {}, "[[station]]", "diameter_m of station 'fuzz-site'"),
        ({"lat_deg": '"forty"'}, {}, "[[station]]", "lat_deg of station 'fuzz-site'"),
        ({"diameter_m": "0.0"}, {}, "[[station]]", "diameter_m is 0"),
        ({}, {"efficiency": '"high"'}, "[[station]]", "efficiency of station 'fuzz-site' band 'x'"),
        ({"lat_deg": None, "lon_deg": None, "itrf_xyz_m": "[0.0, 0.0, 0.0]"}, {}, "[[station]]", "geocentre"),
        ({"lat_deg": None, "lon_deg": None, "itrf_xyz_m": "[4849.09, -360.18, 4115.1]"}, {}, "[[station]]", "not km"),
        ({"min_elevation_deg": "95.0"}, {}, "[[station]]", "between 0 and 90"),
        ({"min_elevation_deg": "nan"}, {}, "[[station]]", "between 0 and 90"),
        ({"height_m": "inf"}, {}, "[[station]]", "height_m"),
        ({"elements": "2.5"}, {}, "[[station]]", "whole number of dishes"),
        ({}, {}, "[station]", "[[station]]"),
        # audit of session 22: keys areo does not read were ignored without a word; ranges named
        ({"networks": '["mine"]'}, {}, "[[station]]", "Network membership is declared in the file's [networks]"),
        ({"lat_deg": "nan"}, {}, "[[station]]", "lat_deg of station 'fuzz-site'"),
        ({"lat_deg": "nan"}, {}, "[[station]]", "-90..90 deg"),
        ({"lon_deg": "inf"}, {}, "[[station]]", "-180..360 deg (east)"),
        ({"min_elevation": "5.0"}, {}, "[[station]]", "did you mean 'min_elevation_deg'"),
        ({"id": "5"}, {}, "[[station]]", "station id 5"),
        ({}, {"frequency_hz": "8.4e9"}, "[[station]]", "unknown key of station 'fuzz-site' band 'x'"),
        ({}, {"frequency_mhz": "0.0"}, "[[station]]", "frequency_down_mhz"),
    ],
)
def test_bad_station_files_give_clear_errors(tmp_path, change, band_change, header, needle):
    row = {k: v for k, v in {**_GOOD_ROW, **change}.items() if v is not None}
    path = _station_file(tmp_path, row, {**_GOOD_BAND, **band_change}, header)
    with pytest.raises(InputError) as exc:
        load_catalogue((path,))
    assert needle in str(exc.value)
    r = cli("stations", "--stations-file", path)
    assert r.exit_code == 2 and needle in " ".join(r.output.split())


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("", "station 'fuzz-site' appears twice"),
        ("[stations]\nx = 1\n", "unknown table of"),
        ("foo = 1\n", "'foo'"),
    ],
)
def test_bad_station_file_layout_is_refused(tmp_path, extra, needle):
    """A station given twice in one file, or a top-level key areo does not read, is refused (one line, exit 2)."""
    one = _station_file(tmp_path, _GOOD_ROW, _GOOD_BAND)
    path = tmp_path / "layout.toml"
    body = Path(one).read_text()
    path.write_text(extra + body + (body if not extra else ""))
    with pytest.raises(InputError) as exc:
        load_catalogue((str(path),))
    assert needle in str(exc.value)
    r = cli("stations", "--stations-file", str(path))
    assert r.exit_code == 2 and needle in " ".join(r.output.split())


def test_good_station_file_loads(tmp_path):
    cat = load_catalogue((_station_file(tmp_path, _GOOD_ROW, _GOOD_BAND),))
    st_ = cat.station("fuzz-site")
    assert st_.bands["x"].derived and 50.0 < st_.bands["x"].g_t_db_k < 60.0


def test_pass_search_below_the_horizon_finds_astronomical_twilight():
    """Thresholds below 0 deg are accepted for twilight-style events; the Sun spends about 1.5 h a day between
    -18 deg and the horizon at mid latitudes, so the -18 deg 'pass' is longer than the 0 deg one."""
    deep = passes("dss-63", "sun", "2016-06-01", "2016-06-02", -18.0)
    day = passes("dss-63", "sun", "2016-06-01", "2016-06-02", 0.0)
    assert len(deep) == len(day) == 1
    assert deep[0]["rise_utc"] < day[0]["rise_utc"] and deep[0]["set_utc"] > day[0]["set_utc"]


def test_batched_link_budget_flags_each_bad_element():
    lb = link_budget(
        eirp_dbw=np.array([50.0, 50.0, np.nan, 50.0, 50.0]),
        frequency_hz=8.42e9,
        range_m=np.array([2e11, -1.0, 2e11, 2e11, np.inf]),
        g_t_db_k=50.0,
        data_rate_bps=1e4,
        elevation_deg=np.array([30.0, 30.0, 30.0, 120.0, 30.0]),
    )
    assert lb.status.tolist() == [LINK_OK, LINK_BAD_RANGE, LINK_BAD_POWER, LINK_BAD_ELEVATION, LINK_BAD_RANGE]
    assert np.isfinite(lb.margin_db[0]) and np.all(np.isnan(lb.margin_db[1:]))


def test_scalar_link_budget_raises_a_sentence():
    with pytest.raises(InputError, match="range is not a distance in"):
        link_budget(eirp_dbw=50.0, frequency_hz=8.42e9, range_m=0.0, g_t_db_k=50.0, data_rate_bps=1e4)
    with pytest.raises(InputError, match="data_rate_bps is inf"):
        link_budget(eirp_dbw=50.0, frequency_hz=8.42e9, range_m=2e11, g_t_db_k=50.0, data_rate_bps=math.inf)


# ------------------------------------------------------------------------------------------ properties
@given(
    station=st.one_of(st.sampled_from(STATION_IDS), st.text(max_size=12)),
    threshold=st.one_of(st.none(), WILD_FLOATS, st.floats(-30.0, 60.0)),
    day=st.integers(0, 365 * 3),
    hours=st.floats(-2.0, 30.0, allow_nan=False),
)
def test_passes_return_consistent_passes_or_a_clear_error(station, threshold, day, hours):
    start = np.datetime64("2015-01-01T00:00") + np.timedelta64(day, "D")
    stop = start + np.timedelta64(int(hours * 3600), "s")
    try:
        rows = passes(station, "mars", str(start), str(stop), threshold)
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert threshold is None or -90.0 <= threshold <= 90.0
    for r in rows:
        times = [r[k] for k in ("rise_utc", "culmination_utc", "set_utc") if r[k]]
        assert times == sorted(times)
        if threshold is not None:
            assert r["max_elevation_deg"] >= threshold - 1e-3


@given(
    eirp=st.one_of(st.none(), WILD_FLOATS),
    rate=WILD_FLOATS,
    margin=WILD_FLOATS,
    band=st.sampled_from(["x", "s", "q", "X", ""]),
)
def test_link_report_returns_finite_numbers_or_a_clear_error(eirp, rate, margin, band):
    try:
        r = link_report("dss-63", band, "2016-10-19T14:42Z", eirp_dbw=eirp, data_rate_kbps=rate,
                        required_margin_db=margin, pass_volume=False)  # fmt: skip
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert _all_finite(r)
    assert 1e-6 <= rate <= 1e7 and -50.0 <= margin <= 50.0


@given(spec=st.text(alphabet=";, estrackdsn7-", max_size=16))
def test_network_specs_resolve_or_are_refused(spec):
    try:
        specs = network_specs([spec])
        rows = event_coverage(specs[0], "2016-10-19T14:42Z") if len(specs) == 1 else None
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert specs and all(s.strip() for s in specs)
    assert rows is None or all(math.isfinite(r["elevation_deg"]) for r in rows)


@given(step=WILD_FLOATS, band=st.sampled_from(["x", "ka", "q"]))
def test_coverage_step_and_band(step, band):
    try:
        rows = network_coverage(["dsn70"], "2016-10-19", "2016-10-19T06:00", step_s=step, band=band)
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert 1e-3 <= step and _all_finite(rows)
    assert 0.0 <= rows[0]["coverage_fraction"] <= 1.0


@given(step=WILD_FLOATS)
def test_tracking_step(step):
    try:
        r = tracking_data("dss-63", "2016-10-19T00:00", "2016-10-19T01:00", step_s=step)
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert r["n"] >= 1 and np.all(np.isfinite(r["observables"].two_way_range_m))
    assert r["n"] == int(np.floor(3600.0 / step + 1e-9)) + 1


@given(eb_n0=st.one_of(st.none(), WILD_FLOATS), rate=st.sampled_from([1.0, 8.0, 0.0, -1.0, math.nan]))
def test_telemetry_inputs(eb_n0, rate):
    try:
        r = telemetry_run("dss-63", "2016-10-19T14:42Z", eb_n0_db=eb_n0, rate_kbps=rate, duration_s=2.0)
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert _all_finite(r) and 0 <= r["frames_lost"] <= r["frames_sent"]


def _toml_value(v) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "").replace('"', "") + '"'
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else repr(v)))
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(v)


ROW_VALUES = st.one_of(
    WILD_FLOATS,
    st.integers(-10, 10_000),
    st.text(alphabet="abcxyz0123456789 .-", max_size=8),
    st.lists(st.floats(-7e6, 7e6), max_size=4),
)


@given(
    overrides=st.dictionaries(
        st.sampled_from(
            ["lat_deg", "lon_deg", "height_m", "diameter_m", "min_elevation_deg", "elements", "itrf_xyz_m"]
        ),
        ROW_VALUES,
        max_size=3,
    ),
    band=st.dictionaries(
        st.sampled_from(["efficiency", "system_noise_k", "g_t_db_k", "tx_power_w", "eirp_dbw", "frequency_down_mhz"]),
        ROW_VALUES,
        max_size=3,
    ),
)
def test_station_rows_load_sanely_or_are_refused(tmp_path_factory, overrides, band):
    row = {**_GOOD_ROW, **{k: _toml_value(v) for k, v in overrides.items()}}
    brow = {**_GOOD_BAND, **{k: _toml_value(v) for k, v in band.items()}}
    path = _station_file(tmp_path_factory.mktemp("fuzz"), row, brow)
    try:
        cat = load_catalogue((path,))
    except AreoError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    finally:
        _load.cache_clear()
    s = cat.station("fuzz-site")
    assert np.all(np.isfinite(s.r_itrs_m)) and 6.0e6 <= float(np.linalg.norm(s.r_itrs_m)) <= 6.5e6
    assert 0.0 <= s.min_elevation_deg <= 90.0 and s.diameter_m >= 0.0
    assert all(math.isfinite(b.g_t_db_k) for b in s.bands.values())
    assert all(b.eirp_dbw is None or math.isfinite(b.eirp_dbw) for b in s.bands.values())


@given(
    rng=st.lists(WILD_FLOATS, min_size=1, max_size=6),
    el=WILD_FLOATS,
    eirp=WILD_FLOATS,
)
def test_batched_link_budget_status_matches_results(rng, el, eirp):
    lb = link_budget(
        eirp_dbw=eirp, frequency_hz=8.42e9, range_m=np.array(rng), g_t_db_k=50.0, data_rate_bps=1e4, elevation_deg=el
    )
    ok = lb.status == LINK_OK
    assert np.all(np.isfinite(lb.margin_db[ok])) and np.all(np.isnan(lb.margin_db[~ok]))
    r = np.array(rng)
    assert np.array_equal(ok, (r >= 1.0) & (r <= 1e17) & (-90 <= el <= 90) & (abs(eirp) <= 300))
