"""Real spacecraft as targets: SPK kernels of every data type a tracker meets, and CCSDS OEM files.

Authorities: NAIF's SPICE (through spiceypy) evaluates the same kernels, chained to the barycentre with DE421
(``spkgps``); two-body truth from SPICE's ``prop2b``; UTC epochs of a hand-written OEM from SPICE's ``et2utc``;
apparent elevation from skyfield (``observe().apparent().altaz()``), which reads type 2/3 kernels through
jplephem. Kernels are written in the tests by NAIF's writers (see ``spk_kernels.py``); nothing is downloaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from areo.errors import InputError, MissingExtraError
from areo.ground.targets import OemTarget, SpkTarget, load_target
from tests.units import ARCSEC, DEG, METRE, MM, MM_S, SECOND

from .spk_kernels import CRUISE, MARS_ORBIT, taylor_km, truth_km, write_kernel

sp = pytest.importorskip("spiceypy", reason="spiceypy is the 'spice' extra (installed by make test)")


LSK = Path(__file__).parents[1] / "authorities" / "naif0012.tls"


@pytest.fixture(scope="module")
def spice():
    """SPICE with DE421 (the same planetary file areo uses) and the leapseconds kernel, cleared afterwards."""
    from areo.ephem import de421_path

    sp.kclear()
    sp.furnsh(de421_path())
    sp.furnsh(str(LSK))
    yield sp
    sp.kclear()


def test_the_transcribed_leapseconds_kernel_agrees_with_skyfield(spice):
    """Every TAI-UTC step of tests/authorities/naif0012.tls, against skyfield's built-in table."""
    from areo.time import timescale

    ts = timescale()
    for year in range(1972, 2026):
        for month in (1, 7):
            t = ts.utc(year, month, 1)
            et = spice.str2et(f"{year}-{month:02d}-01T00:00:00")
            assert abs(et - (t.tdb - 2451545.0) * 86400.0) < 1e-4  # TDB models differ by < 0.1 ms


def _spice_ssb(spice, path, body, t):
    spice.furnsh(str(path))
    try:
        return np.array([spice.spkgps(body, float(x), "J2000", 0)[0] for x in t]) * 1e3
    finally:
        spice.unload(str(path))


@pytest.mark.parametrize("data_type", [1, 2, 3, 8, 9, 13, 21])
def test_every_segment_type_reads_as_spice_does(tmp_path, spice, data_type):
    path = tmp_path / f"type{data_type}.bsp"
    info = write_kernel(path, data_type, -143, MARS_ORBIT, 3 * 3600.0)
    t = np.linspace(info["t0"] + 7.0, info["t1"] - 7.0, 97)
    tgt = load_target(path, -143)
    assert isinstance(tgt, SpkTarget) and tgt.name == "-143"
    spice.furnsh(str(path))
    try:
        ref = np.array([spice.spkgps(-143, float(x), "J2000", 0)[0] for x in t]) * 1e3
        ref_v = np.array([spice.spkgeo(-143, float(x), "J2000", 0)[0][3:] for x in t]) * 1e3
        rel = np.array([spice.spkgps(-143, float(x), "J2000", 499)[0] for x in t])
    finally:
        spice.unload(str(path))
    assert np.max(np.linalg.norm(tgt.position_ssb_icrf_m(t) - ref, axis=-1)) < 1 * MM
    assert np.max(np.linalg.norm(tgt.velocity_ssb_icrf_m_s(t) - ref_v, axis=-1)) < 1e-3 * MM_S
    assert np.max(np.abs(rel - truth_km(MARS_ORBIT, t)[:, :3])) * 1e3 < 0.1 * METRE  # the kernel holds the orbit
    if data_type in (1, 21):  # SPICE evaluates the difference lines as the builder meant
        assert np.max(np.abs(taylor_km(info["records"], info["epochs"], t) - rel)) * 1e3 < 1 * MM


@pytest.mark.parametrize("data_type", [2, 3])
def test_jplephem_reads_types_2_and_3_without_spice(tmp_path, data_type):
    path = tmp_path / "cheb.bsp"
    info = write_kernel(path, data_type, -143, MARS_ORBIT, 3 * 3600.0)
    t = np.linspace(info["t0"] + 1.0, info["t1"] - 1.0, 50)
    a, b = SpkTarget(path, backend="jplephem"), SpkTarget(path, backend="spice")
    assert np.max(np.abs(a.position_ssb_icrf_m(t) - b.position_ssb_icrf_m(t))) < 1 * MM
    assert np.max(np.abs(a.velocity_ssb_icrf_m_s(t) - b.velocity_ssb_icrf_m_s(t))) < 1e-3 * MM_S


def test_other_types_without_spice_name_the_extra(tmp_path):
    path = tmp_path / "t13.bsp"
    write_kernel(path, 13, -143, MARS_ORBIT, 3600.0)
    with pytest.raises(MissingExtraError, match=r"SPK type 13; without spiceypy .* pip install 'areo\[spice\]'"):
        SpkTarget(path, backend="jplephem")


def test_eclipj2000_segments_are_rotated_with_spice_obliquity(tmp_path, spice):
    path = tmp_path / "ecl.bsp"
    info = write_kernel(path, 9, -5, CRUISE, 5 * 86400.0, frame="ECLIPJ2000")
    t = np.linspace(info["t0"] + 10.0, info["t1"] - 10.0, 20)
    ref = _spice_ssb(spice, path, -5, t)  # SPICE rotates ECLIPJ2000 -> J2000 itself
    assert np.max(np.linalg.norm(load_target(path).position_ssb_icrf_m(t) - ref, axis=-1)) < 1 * MM


def test_centres_held_by_the_kernel_are_chained_through_it(tmp_path, spice):
    """-500 about -501 about the Sun, both in one kernel: the leaf -500 is picked without --target-id."""
    path = tmp_path / "chain.bsp"
    t0 = CRUISE[3]
    h = spice.spkopn(str(path), "chain", 0)
    t = np.arange(t0, t0 + 2 * 86400.0 + 1, 600.0)
    relay = truth_km(CRUISE, t)
    local = np.array([spice.prop2b(1e-3, np.array([50.0, 0, 0, 0, 0.004, 0]), float(x - t0)) for x in t])
    spice.spkw13(h, -501, 10, "J2000", t[0], t[-1], "relay", 7, t.size, relay, t)
    spice.spkw13(h, -500, -501, "J2000", t[0], t[-1], "craft", 7, t.size, local, t)
    spice.spkcls(h)
    tgt = load_target(path)
    assert tgt.naif_id == -500
    tq = np.linspace(t[0] + 30.0, t[-1] - 30.0, 25)
    ref = _spice_ssb(spice, path, -500, tq)
    assert np.max(np.linalg.norm(tgt.position_ssb_icrf_m(tq) - ref, axis=-1)) < 1 * MM


# ------------------------------------------------------------------------------------------------ bad input
def test_kernel_without_the_asked_id_lists_the_ids_it_has(tmp_path):
    path = tmp_path / "tgo.bsp"
    write_kernel(path, 13, -143, MARS_ORBIT, 3600.0)
    with pytest.raises(InputError) as e:
        load_target(path, -74)
    msg = str(e.value)
    assert "'tgo.bsp' has no segment for NAIF id -74; it holds -143." in msg and "--target-id" in msg
    with pytest.raises(InputError, match="is not a NAIF id; give a whole number"):
        load_target(path, "tgo")


def test_kernel_with_several_bodies_asks_for_one(tmp_path, spice):
    path = tmp_path / "two.bsp"
    h = spice.spkopn(str(path), "two", 0)
    t = np.arange(MARS_ORBIT[3], MARS_ORBIT[3] + 3601.0, 60.0)
    for body in (-143, -41):
        spice.spkw13(h, body, 499, "J2000", t[0], t[-1], "x", 7, t.size, truth_km(MARS_ORBIT, t), t)
    spice.spkcls(h)
    with pytest.raises(InputError, match=r"'two.bsp' holds NAIF ids -143, -41; choose one with --target-id"):
        load_target(path)
    assert load_target(path, "-41").naif_id == -41


def test_epochs_outside_the_kernel_name_its_coverage(tmp_path, spice):
    path = tmp_path / "short.bsp"
    info = write_kernel(path, 13, -143, MARS_ORBIT, 3600.0)
    tgt = load_target(path, -143)
    lo, hi = (spice.et2utc(x, "ISOC", 0) for x in (info["t0"], info["t1"]))
    with pytest.raises(InputError) as e:
        tgt.position_ssb_icrf_m(np.array([info["t1"] + 120.0]))
    assert f"which covers {lo}Z to {hi}Z (UTC, at the target" in str(e.value)


def test_non_spk_and_unsupported_frames_are_refused(tmp_path, spice):
    bad = tmp_path / "notes.bsp"
    bad.write_text("not a kernel")
    with pytest.raises(InputError, match="OEM"):  # not DAF: read as an OEM, which says what it expected
        load_target(bad)
    with pytest.raises(InputError, match="does not exist"):
        load_target(tmp_path / "missing.bsp")
    path = tmp_path / "fixed.bsp"
    write_kernel(path, 13, -143, MARS_ORBIT, 3600.0, frame="IAU_MARS")
    with pytest.raises(InputError, match=r"frame id 10014; areo reads the inertial frames J2000 \(1\) and ECLIPJ2000"):
        load_target(path)


def test_a_spice_failure_inside_a_kernel_is_one_input_error(tmp_path, monkeypatch):
    import areo.io.spk as spk

    path = tmp_path / "bad.bsp"
    info = write_kernel(path, 13, -143, MARS_ORBIT, 3600.0)

    def broken(*_):
        raise sp.exceptions.SpiceyError(short="SPICE(BADRECORD)")

    monkeypatch.setattr(spk, "_spkpvn", broken)
    with pytest.raises(InputError, match=r"SPICE could not evaluate segment 0 of .*bad.bsp.*\(target -143, type 13\)"):
        load_target(path).position_ssb_icrf_m(np.array([info["t0"] + 10.0]))


# ------------------------------------------------------------------------------------------------ OEM files
def _hand_oem(spice, t, states_km, *, name="TGO", oid="2016-017A", time_system="UTC") -> str:
    """A KVN OEM written here (not by areo): ICRF states about Mars, epochs in UTC from SPICE's et2utc."""
    lines = [
        "CCSDS_OEM_VERS = 2.0",
        "CREATION_DATE = 2026-11-30T00:00:00",
        "ORIGINATOR = TEST",
        "",
        "META_START",
        f"OBJECT_NAME = {name}",
        f"OBJECT_ID = {oid}",
        "CENTER_NAME = MARS",
        "REF_FRAME = ICRF",
        f"TIME_SYSTEM = {time_system}",
        f"START_TIME = {spice.et2utc(float(t[0]), 'ISOC', 6)}",
        f"STOP_TIME = {spice.et2utc(float(t[-1]), 'ISOC', 6)}",
        "INTERPOLATION = LAGRANGE",
        "INTERPOLATION_DEGREE = 7",
        "META_STOP",
        "",
    ]
    for x, s in zip(t, states_km):
        lines.append(f"{spice.et2utc(float(x), 'ISOC', 6)} " + " ".join(f"{v:.9f}" for v in s))
    return "\n".join(lines) + "\n"


def test_an_oem_in_utc_is_read_as_a_target_within_a_metre(tmp_path, spice):
    t = np.arange(MARS_ORBIT[3], MARS_ORBIT[3] + 6 * 3600.0 + 1, 30.0)
    path = tmp_path / "tgo.oem"
    path.write_text(_hand_oem(spice, t, truth_km(MARS_ORBIT, t)))
    tgt = load_target(path)
    assert isinstance(tgt, OemTarget) and tgt.name == "TGO"
    tq = np.linspace(t[0] + 15.0, t[-1] - 15.0, 60)
    mars = np.array([spice.spkgps(499, float(x), "J2000", 0)[0] for x in tq])
    ref = (mars + truth_km(MARS_ORBIT, tq)[:, :3]) * 1e3
    assert np.max(np.linalg.norm(tgt.position_ssb_icrf_m(tq) - ref, axis=-1)) < 1 * METRE


def test_oem_objects_are_chosen_by_id_or_name(tmp_path, spice):
    t = np.arange(MARS_ORBIT[3], MARS_ORBIT[3] + 3601.0, 60.0)
    st = truth_km(MARS_ORBIT, t)
    text = _hand_oem(spice, t, st) + _hand_oem(spice, t, st, name="EDM", oid="2016-017B").split("\n", 4)[4]
    path = tmp_path / "two.oem"
    path.write_text(text)
    with pytest.raises(InputError, match=r"holds several objects; it holds 2016-017A \(TGO\), 2016-017B \(EDM\)"):
        load_target(path)
    assert load_target(path, "edm").name == "EDM" and load_target(path, "2016-017A").name == "TGO"
    with pytest.raises(InputError, match="has no object 'MEX'"):
        load_target(path, "MEX")


# ------------------------------------------------------------------------------ geometry and the CLI
@pytest.fixture(scope="module")
def tgo_kernel(tmp_path_factory, spice):
    """A type 3 kernel of the Mars orbiter over 36 h from 2016-10-17T18:12Z (skyfield reads type 3)."""
    path = tmp_path_factory.mktemp("k") / "orbiter.bsp"
    write_kernel(path, 3, -143, MARS_ORBIT, 36 * 3600.0)
    return path


def test_apparent_place_of_a_kernel_target_matches_skyfield(tgo_kernel, sky):
    from skyfield.api import load_file, wgs84

    from areo.ground.geometry import altaz
    from areo.ground.stations import get_station

    ts, eph = sky
    st = get_station("dss-63")
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    t = np.linspace(MARS_ORBIT[3] + 3 * 3600.0, MARS_ORBIT[3] + 30 * 3600.0, 40)
    tt = ts.tdb_jd(2451545.0 + t / 86400.0)
    k = load_file(str(tgo_kernel))
    try:
        astrometric = site.at(tt).observe(eph["mars"] + k.segments[0])
        alt, az, _ = astrometric.apparent().altaz()
    finally:
        k.close()
    a = altaz(st, load_target(tgo_kernel, -143), t)
    assert np.max(np.abs(a.light_time_s - astrometric.light_time * 86400.0)) < 1e-9 * SECOND
    assert np.max(np.abs(a.elevation_deg - alt.degrees)) * DEG < 1e-3 * ARCSEC
    d_az = (a.azimuth_deg - az.degrees + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(d_az * np.cos(np.radians(alt.degrees)))) * DEG < 1e-3 * ARCSEC


def test_cli_passes_of_a_kernel_target_rise_where_skyfield_says(tgo_kernel, sky):
    from skyfield.api import load_file, wgs84
    from typer.testing import CliRunner

    from areo.cli import app
    from areo.ground.stations import get_station

    args = ["passes", "--station", "dss-63", "--start", "2016-10-18", "--stop", "2016-10-19", "--min-elevation", "10"]
    r = CliRunner().invoke(app, [*args, "--target-file", str(tgo_kernel), "--target-id", "-143", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 1 and rows[0]["rise_utc"] and rows[0]["set_utc"]
    ts, eph = sky
    st = get_station("dss-63")
    site = eph["earth"] + wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.height_m)
    k = load_file(str(tgo_kernel))
    try:
        for key in ("rise_utc", "set_utc"):
            t = ts.utc(*(int(x) for x in rows[0][key][:16].replace("T", "-").replace(":", "-").split("-")),
                       float(rows[0][key][17:-1]))  # fmt: skip
            alt = site.at(t).observe(eph["mars"] + k.segments[0]).apparent().altaz()[0].degrees
            assert abs(alt - 10.0) < 1e-4  # elevation changes ~4e-3 deg/s: the crossing within ~25 ms
    finally:
        k.close()


def test_cli_link_and_tracking_take_the_file(tgo_kernel, tmp_path):
    from typer.testing import CliRunner

    from areo.cli import app

    run = CliRunner().invoke
    r = run(
        app, ["link", "--station", "dss-63", "--at", "2016-10-18T17:00", "--target-file", str(tgo_kernel), "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["target"] == "-143" and out["visible"] and "pass" in out
    tdm = tmp_path / "tgo.tdm"
    r = run(app, ["tracking", "--station", "dss-63", "--start", "2016-10-18T17:00", "--stop", "2016-10-18T17:10",
                  "--target-file", str(tgo_kernel), "--out", str(tdm)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "PARTICIPANT_2 = -143" in tdm.read_text()
    r = run(
        app, ["coverage", "--network", "dss-63", "--at", "2016-10-18T17:00", "--target-file", str(tgo_kernel), "--json"]
    )
    assert r.exit_code == 0, r.output
    (row,) = json.loads(r.stdout)
    assert row["station"] == "dss-63" and row["elevation_deg"] == pytest.approx(out["elevation_deg"], abs=1e-3)


@pytest.mark.parametrize(
    ("extra", "expect"),
    [
        (["--target-id", "-74"], "has no segment for NAIF id -74; it holds -143."),
        (["--start", "2016-10-20", "--stop", "2016-10-21"], "'orbiter.bsp' (-143), which covers {lo}Z to {hi}Z (UTC"),
        (["--start", "2016-10-18 GMT"], "unknown time scale 'GMT'"),
    ],
)
def test_cli_bad_target_input_is_one_line_exit_2(tgo_kernel, spice, extra, expect):
    from typer.testing import CliRunner

    from areo.cli import app

    lo, hi = (spice.et2utc(x, "ISOC", 0) for x in (MARS_ORBIT[3], MARS_ORBIT[3] + 36 * 3600.0))
    expect = expect.format(lo=lo, hi=hi)
    args = ["passes", "--station", "dss-63", "--start", "2016-10-18", "--stop", "2016-10-19"]
    args += ["--target-file", str(tgo_kernel), *extra]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2
    assert expect in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_cli_oem_coverage_missing_the_window_says_the_coverage(tmp_path, spice):
    from typer.testing import CliRunner

    from areo.cli import app

    t = np.arange(MARS_ORBIT[3], MARS_ORBIT[3] + 3 * 3600.0 + 1, 60.0)
    path = tmp_path / "tgo.oem"
    path.write_text(_hand_oem(spice, t, truth_km(MARS_ORBIT, t)))
    args = ["tracking", "--station", "dss-63", "--start", "2016-11-01", "--stop", "2016-11-02", "--target-file"]
    r = CliRunner().invoke(app, [*args, str(path)])
    lo, hi = (spice.et2utc(float(x), "ISOC", 0) for x in (t[0], t[-1]))
    assert r.exit_code == 2 and f"'tgo.oem' (TGO), which covers {lo}Z to {hi}Z" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
