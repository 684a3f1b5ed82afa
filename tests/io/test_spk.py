"""SPK type 13 writer: areo trajectories out as SPICE kernels, read back by NAIF's SPICE (spiceypy) within 1 m.

Truth: a two-body Mars orbit from SPICE's ``prop2b``. areo samples it (``sample_for_interpolation``), writes the
samples as SPK type 13 and as an OEM; SPICE reads the SPK, areo reads the OEM back as a target, and both are
compared with the truth and with each other between the samples (where interpolation, not copying, happens).
"""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import InputError, MissingExtraError
from areo.io.oem import OemSegment, sample_for_interpolation, write_oem
from areo.io.spk import spk_segments, write_spk
from tests.units import METRE

sp = pytest.importorskip("spiceypy", reason="spiceypy is the 'spice' extra (installed by make test)")

GM_MARS_KM3_S2 = 42828.37
S0_KM = np.array([4200.0, 300.0, -900.0, 0.3, 3.1, 1.2])  # an eccentric 2 h Mars orbit
T0 = 530_000_000.0  # TDB s past J2000 (2016-10-17)


def truth(t):
    """(r_m, v_m_s) relative to Mars from SPICE prop2b."""
    s = np.array([sp.prop2b(GM_MARS_KM3_S2, S0_KM, float(x - T0)) for x in np.atleast_1d(t)]) * 1e3
    return s[:, :3], s[:, 3:]


@pytest.fixture(scope="module")
def segment():
    t, r, v, err = sample_for_interpolation(truth, [T0, T0 + 86400.0], degree=7, tol_m=0.05)
    assert err < 0.05
    return OemSegment("TGO", "2016-017A", "MARS", t, r, v, interpolation="LAGRANGE", interpolation_degree=7)


@pytest.fixture
def spice():
    from areo.ephem import de421_path

    sp.kclear()
    sp.furnsh(de421_path())
    yield sp
    sp.kclear()


def _midpoints(t):
    return 0.5 * (t[:-1] + t[1:])


def test_spk13_written_by_areo_is_read_by_spice_within_a_metre(tmp_path, segment, spice):
    path = tmp_path / "tgo.bsp"
    assert write_spk(path, [segment], -143) == str(path)
    (seg,) = spk_segments(path)
    assert (seg.target, seg.center, seg.frame, seg.data_type) == (-143, 499, 1, 13)
    assert seg.start_tdb_s == segment.tdb_s[0] and seg.stop_tdb_s == segment.tdb_s[-1]
    spice.furnsh(str(path))
    tq = _midpoints(segment.tdb_s)
    got = np.array([spice.spkgps(-143, float(x), "J2000", 499)[0] for x in tq]) * 1e3
    assert np.max(np.linalg.norm(got - truth(tq)[0], axis=-1)) < 1 * METRE
    at_nodes = np.array([spice.spkgps(-143, float(x), "J2000", 499)[0] for x in segment.tdb_s]) * 1e3
    assert np.max(np.linalg.norm(at_nodes - segment.r_m, axis=-1)) < 1e-3 * METRE  # km written to 1e-6 m or so


def test_oem_and_spk_of_one_trajectory_agree_through_spice(tmp_path, segment, spice):
    """areo's OEM read back as a target vs SPICE's reading of areo's SPK, chained to the SSB: within 1 m."""
    from areo.ground.targets import load_target

    write_oem(tmp_path / "tgo.oem", [segment])
    write_spk(tmp_path / "tgo.bsp", [segment], -143)
    spice.furnsh(str(tmp_path / "tgo.bsp"))
    tq = np.linspace(segment.tdb_s[0] + 1.0, segment.tdb_s[-1] - 1.0, 301)
    ref = np.array([spice.spkgps(-143, float(x), "J2000", 0)[0] for x in tq]) * 1e3
    oem = load_target(tmp_path / "tgo.oem")
    spk = load_target(tmp_path / "tgo.bsp", -143)
    assert np.max(np.linalg.norm(oem.position_ssb_icrf_m(tq) - ref, axis=-1)) < 1 * METRE
    assert np.max(np.linalg.norm(spk.position_ssb_icrf_m(tq) - ref, axis=-1)) < 1e-3 * METRE


def test_several_segments_and_overwrite(tmp_path, segment, spice):
    half = segment.tdb_s.size // 2
    a = OemSegment("TGO", "1", "MARS", segment.tdb_s[: half + 1], segment.r_m[: half + 1], segment.v_m_s[: half + 1])
    b = OemSegment("TGO", "1", "MARS", segment.tdb_s[half:], segment.r_m[half:], segment.v_m_s[half:])
    path = tmp_path / "two.bsp"
    path.write_bytes(b"old")
    write_spk(path, [a, b], -143, degree=5)
    assert [s.start_tdb_s for s in spk_segments(path)] == [a.tdb_s[0], b.tdb_s[0]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two.bsp"]  # no temporary left beside it


def test_bad_writer_input_is_refused_before_writing(tmp_path, segment, monkeypatch):
    path = tmp_path / "x.bsp"
    with pytest.raises(InputError, match=r"degree 4 must be odd, 1\.\.15"):
        write_spk(path, [segment], -143, degree=4)
    with pytest.raises(InputError, match="must be a whole number"):
        write_spk(path, [segment], "tgo")
    bad = OemSegment("X", "1", "PHOBOS", segment.tdb_s, segment.r_m, segment.v_m_s)
    with pytest.raises(InputError, match="centre 'PHOBOS' has no NAIF id here"):
        write_spk(path, [bad], -143)
    assert not path.exists()
    import areo.io.spk as spk

    monkeypatch.setattr(spk, "_has_spice", lambda: False)
    with pytest.raises(MissingExtraError, match=r"pip install 'areo\[spice\]'"):
        write_spk(path, [segment], -143)
