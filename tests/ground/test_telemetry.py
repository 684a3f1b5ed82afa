"""CCSDS telemetry: randomiser and CRC check values, the dual basis from its definition, RS codewords evaluated at
the generator roots, burst correction by interleaving, packet round trips, and frame error rate vs theory."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import InputError
from areo.ground.telemetry import (
    RS_K,
    DecodeStats,
    ReedSolomonCCSDS,
    TmConfig,
    TmDecoder,
    TmEncoder,
    TmFrameHeader,
    _gf_alpha,
    crc16_ccitt,
    dual_basis_tables,
    pseudo_random_sequence,
    rs_codeword_error_rate_theory,
    rs_frame_error_rate_theory,
    simulate_link,
    synthetic_housekeeping,
)


def _mul(a: int, b: int) -> int:  # GF(2^8) product modulo x^8+x^7+x^2+x+1, written here independently
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x187
        b >>= 1
    return r


def _trace(x: int) -> int:
    s, y = 0, x
    for _ in range(8):
        s ^= y
        y = _mul(y, y)
    return s


def test_pseudo_randomiser_sequence():
    """CCSDS 131.0-B-4 section 10: the sequence starts FF 48 0E C0 9A 0D 70 BC and has period 255 bits."""
    seq = pseudo_random_sequence(64)
    assert seq[:8].tobytes().hex() == "ff480ec09a0d70bc"
    bits = np.unpackbits(seq)
    assert np.array_equal(bits[:255], bits[255:510])


def test_crc16_check_value():
    """CRC-16/IBM-3740 (CCITT-FALSE) check value over '123456789' is 0x29B1 (Greg Cook's CRC catalogue)."""
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_dual_basis_matches_its_definition():
    """CCSDS 131.0-B-4 section 4.3.9 / Annex F: Berlekamp bit z_i = Tr(z alpha^(117 i)), z_0 sent first (MSB)."""
    to_dual, to_conv = dual_basis_tables()
    for z in range(256):
        want = 0
        for i in range(8):
            want |= _trace(_mul(z, _gf_alpha(117 * i))) << (7 - i)
        assert to_dual[z] == want
    assert to_conv[1] == 0xCC


def test_codewords_vanish_at_generator_roots():
    """Every codeword, mapped to the conventional basis, is zero at (alpha^11)^j for j = 112..143."""
    rs = ReedSolomonCCSDS(interleave=1)
    _, to_conv = dual_basis_tables()
    rng = np.random.default_rng(4)
    for _ in range(3):
        data = rng.integers(0, 256, RS_K, dtype=np.uint8).tobytes()
        cw = np.frombuffer(rs.encode(data), dtype=np.uint8)
        assert cw[:RS_K].tobytes() == data  # systematic
        c = [int(x) for x in to_conv[cw]]
        for j in range(112, 144):
            root = _gf_alpha(11 * j)
            acc = 0
            for coef in c:  # Horner, highest power first
                acc = _mul(acc, root) ^ coef
            assert acc == 0


def test_interleaving_corrects_bursts():
    rs = ReedSolomonCCSDS(interleave=5)
    data = np.random.default_rng(1).integers(0, 256, rs.data_length, dtype=np.uint8).tobytes()
    block = bytearray(rs.encode(data))
    for k in range(300, 380):  # an 80-byte burst = 16 symbols in each of the 5 codewords
        block[k] ^= 0xA5
    out, ncorr, ok = rs.decode(bytes(block))
    assert out == data and ncorr == 80 and ok.all()
    with pytest.raises(InputError, match="not a CCSDS value"):
        ReedSolomonCCSDS(interleave=6)


def test_beyond_sixteen_errors_the_frame_is_dropped():
    """17 symbol errors in one codeword exceed t = 16: RS fails (or miscorrects) and the frame is not delivered."""
    cfg = TmConfig()
    enc, dec = TmEncoder(cfg), TmDecoder(cfg)
    (frame,) = enc.frames(synthetic_housekeeping(1.0, 8000.0))
    cadu = bytearray(enc.cadu(frame))
    for k in range(0, 17 * 5, 5):  # symbols 0, 5, 10, ... all belong to codeword 0
        cadu[4 + k] ^= 0x01
    stats = DecodeStats()
    assert dec.frame_from_cadu(bytes(cadu), stats) is None
    assert stats.frames_bad == 1


def test_frame_header_round_trip():
    h = TmFrameHeader(spacecraft_id=0x3FF, vcid=5, mc_count=200, vc_count=17, first_header_pointer=0x123)
    b = h.pack()
    assert len(b) == 6 and b[0] >> 6 == 0
    assert TmFrameHeader.unpack(b) == h


def test_packets_round_trip_and_lost_frames():
    packets = synthetic_housekeeping(20.0, 8000.0)
    cfg = TmConfig()
    enc, dec = TmEncoder(cfg), TmDecoder(cfg)
    frames = enc.frames(packets, vcid=1)
    cadus = [enc.cadu(f) for f in frames]
    stats = DecodeStats()
    for i, c in enumerate(cadus):
        if i == 5:
            continue  # frame lost on the ground
        fr = dec.frame_from_cadu(c, stats)
        dec.packets_from_frame(fr, stats)
    got = set(stats.packets)
    lost = [i for i, p in enumerate(packets) if p not in got]
    per_frame = cfg.data_field_length / len(packets[0])
    assert 1 <= len(lost) <= per_frame + 2  # only the packets touching frame 5
    assert all(abs(i - 5 * per_frame) < per_frame + 2 for i in lost)


def test_frame_error_rate_matches_theory():
    """At the Eb/N0 where theory gives frame error rate 0.5 the simulated codeword error rate stays within
    4 standard deviations of the bounded-distance formula."""
    from scipy.optimize import brentq

    eb = brentq(lambda x: rs_frame_error_rate_theory(x) - 0.5, 3.0, 9.0)
    r = simulate_link(synthetic_housekeeping(80.0, 8000.0), eb, seed=11)
    p = rs_codeword_error_rate_theory(eb)
    n = r.rs_codewords
    assert n >= 300
    sigma = np.sqrt(p * (1 - p) / n)
    assert abs(r.rs_codewords_failed / n - p) < 4 * sigma
    fer_sigma = np.sqrt(0.25 / r.frames_sent)
    assert abs(r.frames_lost / r.frames_sent - 0.5) < 4 * fer_sigma
    clean = simulate_link(synthetic_housekeeping(5.0, 8000.0), 12.0, seed=1)
    assert clean.frames_lost == 0 and clean.packets_lost == 0


def test_virtual_channels_are_demultiplexed():
    cfg = TmConfig()
    enc, dec = TmEncoder(cfg), TmDecoder(cfg)
    hk = synthetic_housekeeping(10.0, 8000.0, apid=0x65, seed=1)
    sci = synthetic_housekeeping(10.0, 8000.0, packet_bytes=300, apid=0x66, seed=2)
    f_hk, f_sci = enc.frames(hk, vcid=0), enc.frames(sci, vcid=3)
    mixed = [f for pair in zip(f_hk, f_sci) for f in pair] + f_hk[len(f_sci) :] + f_sci[len(f_hk) :]
    stats = DecodeStats()
    for f in mixed:
        fr = dec.frame_from_cadu(enc.cadu(f), stats)
        assert TmFrameHeader.unpack(fr).vcid in (0, 3)
        dec.packets_from_frame(fr, stats)
    assert [p for p in stats.packets if p in set(hk)] == hk
    assert [p for p in stats.packets if p in set(sci)] == sci


def test_housekeeping_packets_carry_the_samples_through_the_link():
    """EDL-like samples packed at 8 kbit/s survive TM framing + RS at a strong Eb/N0 and unpack to the input
    (float32 precision), and the stream has the requested rate."""
    import numpy as np

    from areo.ground.telemetry import housekeeping_packets, simulate_link

    t = np.linspace(0.0, 300.0, 601)
    alt = 120e3 * np.exp(-t / 80.0)
    pk = housekeeping_packets(t, {"altitude_m": alt, "speed_m_s": 5800.0 - 19.0 * t}, rate_bps=8000.0)
    assert abs(len(pk) * 128 * 8 / 300.0 - 8000.0) < 128 * 8 / 300.0 + 1e-9
    from spacepackets.ccsds.spacepacket import SpacePacketHeader

    hdr = SpacePacketHeader.unpack(pk[3][:6])
    assert hdr.apid == 0x66 and hdr.seq_count == 3 and hdr.data_len == 128 - 7
    body = pk[3][6:]  # after the 6-byte primary header (no secondary header)
    rec = np.frombuffer(body[: (len(body) // 16) * 16], dtype=[("t", "<f8"), ("a", "<f4"), ("v", "<f4")])
    assert np.allclose(rec["a"], np.interp(rec["t"], t, alt), rtol=1e-6)
    assert np.allclose(rec["v"], 5800.0 - 19.0 * rec["t"], rtol=1e-6)
    r = simulate_link(pk, 12.0, seed=2)
    assert r.packets_lost == 0 and r.packets_sent == len(pk)
