"""CCSDS telemetry chain: space packets -> TM transfer frames -> Reed-Solomon codeblocks -> noisy channel -> back.

* Space packets: the ``spacepackets`` library (CCSDS 133.0-B).
* TM transfer frames (CCSDS 132.0-B-3): 6-byte primary header (version 0, spacecraft id, virtual channel id,
  master and virtual-channel frame counts, data-field status with the first-header pointer), a packet-zone data
  field, and the frame error control field: CRC-16/CCITT (poly 0x1021, initial 0xFFFF) over the whole frame.
  Idle frames carry first-header pointer 0x7FE; a frame in which no packet starts carries 0x7FF.
* Reed-Solomon (255,223), CCSDS 131.0-B-4 section 4: GF(2^8) with p(x) = x^8+x^7+x^2+x+1 (0x187), code generator
  roots (alpha^11)^j for j = 112..143, symbols in Berlekamp's dual basis (the conventional<->dual matrix of
  131.0-B Annex F, as tabulated by libfec ``ccsds_tal.c``), interleaving depth I (1..8) by symbol. The field
  arithmetic and the Berlekamp-Massey decoder are the ``reedsolo`` library's; the dual basis and interleaving
  are here.
* Pseudo-randomiser (131.0-B-4 section 10): h(x) = x^8+x^7+x^5+x^3+1, all-ones seed, XORed over the codeblock.
* Channel: BPSK with hard decisions = a binary symmetric channel with bit error probability
  p = Q(sqrt(2 R Eb/N0)), R = 223/255; frame synchronisation is assumed (the ASM is not corrupted).

Theory for that channel: a codeword fails when more than 16 of its 255 symbols are wrong (bounded-distance
decoding), P_cw = sum_{j>16} C(255,j) ps^j (1-ps)^(255-j), ps = 1-(1-p)^8; a codeblock of I codewords fails
with 1-(1-P_cw)^I (:func:`rs_frame_error_rate_theory`).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

import numpy as np

from .._extras import require
from ..errors import InputError

EXTRA_MODULES = ("spacepackets", "reedsolo", "fastcrc")  # the ``telemetry`` extra


def require_extra(feature: str = "CCSDS telemetry") -> None:
    """Raise :class:`areo.errors.MissingExtraError` (one line naming the extra) unless it is installed."""
    for m in EXTRA_MODULES:
        require(m, feature)


ASM = bytes.fromhex("1ACFFC1D")
RS_N, RS_K, RS_E = 255, 223, 16
PRIMARY_HEADER_LEN = 6
FECF_LEN = 2
FHP_IDLE = 0x7FE
FHP_NO_PACKET_START = 0x7FF
_TAL = (0x8D, 0xEF, 0xEC, 0x86, 0xFA, 0x99, 0xAF, 0x7B)


# ------------------------------------------------------------------------------------------------ CRC and PN
def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection): the TM frame error control field."""
    import fastcrc

    return fastcrc.crc16.ibm_3740(bytes(data))


@lru_cache(maxsize=8)
def pseudo_random_sequence(n_bytes: int) -> np.ndarray:
    """CCSDS pseudo-randomiser sequence (131.0-B-4 section 10.4), ``n_bytes`` long, as uint8."""
    reg = [1] * 8  # x1..x8, all ones
    bits = np.empty(n_bytes * 8, dtype=np.uint8)
    for i in range(n_bytes * 8):
        bits[i] = reg[7]
        fb = reg[7] ^ reg[4] ^ reg[2] ^ reg[0]  # h(x) = x^8 + x^7 + x^5 + x^3 + 1
        reg = [fb, *reg[:7]]
    return np.packbits(bits)


# ------------------------------------------------------------------------------------------------ Reed-Solomon
@lru_cache(maxsize=1)
def dual_basis_tables() -> tuple[np.ndarray, np.ndarray]:
    """(to_dual, to_conventional) byte maps between conventional alpha and Berlekamp dual-basis symbols."""
    to_dual = np.zeros(256, dtype=np.uint8)
    for i in range(256):
        v = 0
        for k in range(8):
            if i & (1 << k):
                v ^= _TAL[7 - k]
        to_dual[i] = v
    to_conv = np.zeros(256, dtype=np.uint8)
    to_conv[to_dual] = np.arange(256, dtype=np.uint8)
    return to_dual, to_conv


def _gf_alpha(power: int) -> int:
    x = 1
    for _ in range(power % 255):
        x <<= 1
        if x & 0x100:
            x ^= 0x187
    return x


@lru_cache(maxsize=1)
def _codec():
    import reedsolo

    return reedsolo.RSCodec(nsym=RS_N - RS_K, nsize=RS_N, fcr=112, prim=0x187, generator=_gf_alpha(11), c_exp=8)


class ReedSolomonCCSDS:
    """RS(255,223) with CCSDS dual-basis symbols and interleaving depth ``interleave`` (1..8).

    ``encode(data)`` takes ``223 * I`` bytes and returns the ``255 * I``-byte codeblock (data first, symbol
    interleaved); ``decode(block)`` returns ``(data, n_corrected, ok_per_codeword)``.
    """

    def __init__(self, interleave: int = 5, dual_basis: bool = True):
        if interleave not in (1, 2, 3, 4, 5, 8):
            raise InputError(f"interleaving depth {interleave} is not a CCSDS value; use 1, 2, 3, 4, 5 or 8.")
        self.interleave = interleave
        self.dual_basis = dual_basis

    @property
    def data_length(self) -> int:
        return RS_K * self.interleave

    @property
    def block_length(self) -> int:
        return RS_N * self.interleave

    def encode(self, data: bytes) -> bytes:
        d = np.frombuffer(bytes(data), dtype=np.uint8)
        if d.size != self.data_length:
            raise InputError(f"RS encoder needs {self.data_length} bytes (223 x I={self.interleave}); got {d.size}.")
        to_dual, to_conv = dual_basis_tables()
        words = d.reshape(RS_K, self.interleave).T  # codeword i takes symbols i, i+I, i+2I, ...
        out = np.empty((self.interleave, RS_N), dtype=np.uint8)
        codec = _codec()
        for i, w in enumerate(words):
            conv = to_conv[w] if self.dual_basis else w
            cw = np.frombuffer(bytes(codec.encode(bytearray(conv.tobytes()))), dtype=np.uint8)
            out[i, :RS_K] = w
            out[i, RS_K:] = to_dual[cw[RS_K:]] if self.dual_basis else cw[RS_K:]
        return out.T.reshape(-1).tobytes()

    def decode(self, block: bytes) -> tuple[bytes, int, np.ndarray]:
        import reedsolo

        b = np.frombuffer(bytes(block), dtype=np.uint8)
        if b.size != self.block_length:
            raise InputError(f"RS decoder needs {self.block_length} bytes (255 x I); got {b.size}.")
        to_dual, to_conv = dual_basis_tables()
        words = b.reshape(RS_N, self.interleave).T
        data = np.empty((self.interleave, RS_K), dtype=np.uint8)
        ok = np.ones(self.interleave, dtype=bool)
        n_corr = 0
        codec = _codec()
        for i, w in enumerate(words):
            conv = to_conv[w] if self.dual_basis else w
            try:
                msg, _, errata = codec.decode(bytearray(conv.tobytes()))
                m = np.frombuffer(bytes(msg), dtype=np.uint8)
                data[i] = to_dual[m] if self.dual_basis else m
                n_corr += len(errata)
            except reedsolo.ReedSolomonError:
                ok[i] = False
                data[i] = w[:RS_K]
        return data.T.reshape(-1).tobytes(), n_corr, ok


# ------------------------------------------------------------------------------------------------ TM frames
@dataclass(frozen=True)
class TmFrameHeader:
    spacecraft_id: int
    vcid: int
    mc_count: int
    vc_count: int
    first_header_pointer: int
    ocf_flag: bool = False

    def pack(self) -> bytes:
        if not (0 <= self.spacecraft_id < 1024 and 0 <= self.vcid < 8):
            raise InputError("spacecraft id must be 0..1023 and virtual channel id 0..7.")
        w1 = (0 << 14) | (self.spacecraft_id << 4) | (self.vcid << 1) | int(self.ocf_flag)
        status = (0 << 15) | (0 << 14) | (0 << 13) | (0b11 << 11) | (self.first_header_pointer & 0x7FF)
        return struct.pack(">HBBH", w1, self.mc_count & 0xFF, self.vc_count & 0xFF, status)

    @classmethod
    def unpack(cls, b: bytes) -> TmFrameHeader:
        w1, mc, vc, status = struct.unpack(">HBBH", bytes(b[:6]))
        if w1 >> 14 != 0:
            raise InputError("not a TM transfer frame (version number is not 00).")
        return cls((w1 >> 4) & 0x3FF, (w1 >> 1) & 0x7, mc, vc, status & 0x7FF, bool(w1 & 1))


@dataclass
class TmConfig:
    """TM link settings. ``frame_length`` defaults to 223 x interleave (a frame fills one RS codeblock)."""

    spacecraft_id: int = 0x1F
    interleave: int = 5
    reed_solomon: bool = True
    randomize: bool = True
    frame_length: int | None = None

    def __post_init__(self):
        if self.frame_length is None:
            self.frame_length = RS_K * self.interleave if self.reed_solomon else 1115
        if self.reed_solomon and self.frame_length != RS_K * self.interleave:
            raise InputError(f"with Reed-Solomon the frame length must be 223 x I = {RS_K * self.interleave} bytes.")

    @property
    def data_field_length(self) -> int:
        return cast(int, self.frame_length) - PRIMARY_HEADER_LEN - FECF_LEN  # set in __post_init__


class TmEncoder:
    """Packs space packets into TM frames per virtual channel and frames into channel access data units."""

    def __init__(self, config: TmConfig | None = None):
        self.config = config or TmConfig()
        self.mc_count = 0
        self.vc_counts = [0] * 8
        self.rs = ReedSolomonCCSDS(self.config.interleave) if self.config.reed_solomon else None

    def _frame(self, vcid: int, fhp: int, data: bytes) -> bytes:
        h = TmFrameHeader(self.config.spacecraft_id, vcid, self.mc_count, self.vc_counts[vcid], fhp).pack()
        self.mc_count = (self.mc_count + 1) % 256
        self.vc_counts[vcid] = (self.vc_counts[vcid] + 1) % 256
        body = h + data
        return body + struct.pack(">H", crc16_ccitt(body))

    def frames(self, packets: list[bytes], vcid: int = 0) -> list[bytes]:
        """TM frames carrying the concatenated ``packets`` on virtual channel ``vcid`` (last frame idle-filled)."""
        n = self.config.data_field_length
        stream = bytearray()
        starts = []
        for p in packets:
            starts.append(len(stream))
            stream += p
        frames, starts_arr = [], np.array(starts, dtype=np.int64)
        for off in range(0, max(len(stream), 1), n):
            chunk = bytes(stream[off : off + n])
            inside = starts_arr[(starts_arr >= off) & (starts_arr < off + n)]
            fhp = int(inside[0] - off) if inside.size else FHP_NO_PACKET_START
            if len(chunk) < n:  # pad with an idle packet (its start counts as a packet start for the pointer)
                if not inside.size:
                    fhp = len(chunk)
                chunk = chunk + idle_fill(n - len(chunk))
            frames.append(self._frame(vcid, fhp, chunk))
        return frames

    def idle_frame(self, vcid: int = 7) -> bytes:
        return self._frame(vcid, FHP_IDLE, b"\x55" * self.config.data_field_length)

    def cadu(self, frame: bytes) -> bytes:
        """ASM + codeblock (RS-encoded when configured), randomised when configured."""
        block = self.rs.encode(frame) if self.rs else bytes(frame)
        if self.config.randomize:
            pn = pseudo_random_sequence(len(block))
            block = (np.frombuffer(block, dtype=np.uint8) ^ pn).tobytes()
        return ASM + block


def idle_fill(n: int) -> bytes:
    """Fill for the end of a packet zone: an idle space packet (APID 0x7FF) when it fits, else 0x55 bytes."""
    from spacepackets.ccsds.spacepacket import PacketType, SpacePacket, SpacePacketHeader

    if n >= 7:
        hdr = SpacePacketHeader(PacketType.TM, apid=0x7FF, seq_count=0, data_len=n - 7)
        return bytes(SpacePacket(hdr, None, b"\x55" * (n - 6)).pack())
    return b"\x55" * n


@dataclass
class DecodeStats:
    cadus: int = 0
    rs_codewords: int = 0
    rs_codewords_failed: int = 0
    rs_symbols_corrected: int = 0
    frames_bad: int = 0
    frames_ok: int = 0
    packets: list = field(default_factory=list)


class TmDecoder:
    """Undoes :class:`TmEncoder`: derandomise, RS-decode, CRC-check frames, and reassemble packets per VC.

    A frame whose RS decoding fails or whose CRC mismatches is dropped; the packet in progress on that virtual
    channel is discarded and reassembly restarts at the next frame's first-header pointer.
    """

    def __init__(self, config: TmConfig | None = None):
        self.config = config or TmConfig()
        self.rs = ReedSolomonCCSDS(self.config.interleave) if self.config.reed_solomon else None
        self._partial: dict[int, bytearray | None] = {}
        self._last_vc: dict[int, int] = {}

    def frame_from_cadu(self, cadu: bytes, stats: DecodeStats) -> bytes | None:
        stats.cadus += 1
        block = bytes(cadu[len(ASM) :])
        if self.config.randomize:
            block = (np.frombuffer(block, dtype=np.uint8) ^ pseudo_random_sequence(len(block))).tobytes()
        if self.rs:
            frame, ncorr, ok = self.rs.decode(block)
            stats.rs_codewords += ok.size
            stats.rs_codewords_failed += int((~ok).sum())
            stats.rs_symbols_corrected += ncorr
        else:
            frame = block
        if crc16_ccitt(frame) != 0:  # CRC over frame incl. FECF is zero when intact
            stats.frames_bad += 1
            return None
        stats.frames_ok += 1
        return frame

    def packets_from_frame(self, frame: bytes, stats: DecodeStats) -> None:
        from spacepackets.ccsds.spacepacket import get_total_space_packet_len_from_len_field

        h = TmFrameHeader.unpack(frame)
        data = frame[PRIMARY_HEADER_LEN : len(frame) - FECF_LEN]
        vc = h.vcid
        expected = (self._last_vc.get(vc, h.vc_count - 1) + 1) % 256
        if h.vc_count != expected:  # frames lost on this VC: drop the packet in progress
            self._partial[vc] = None
        self._last_vc[vc] = h.vc_count
        if h.first_header_pointer == FHP_IDLE:
            return
        buf = self._partial.get(vc)
        if h.first_header_pointer == FHP_NO_PACKET_START:
            if buf is not None:
                buf += data
                if len(buf) >= 6:  # a packet that ends here, followed by short fill (no room for an idle packet)
                    total = get_total_space_packet_len_from_len_field(struct.unpack(">H", bytes(buf[4:6]))[0])
                    if total <= len(buf):
                        self._emit(buf[:total], stats)
                        self._partial[vc] = None
            return
        if buf is not None:
            buf += data[: h.first_header_pointer]
            self._emit(buf, stats)
        rest = bytearray(data[h.first_header_pointer :])
        # emit all complete packets in rest; keep the incomplete tail
        while len(rest) >= 6:
            total = get_total_space_packet_len_from_len_field(struct.unpack(">H", bytes(rest[4:6]))[0])
            if len(rest) < total:
                break
            self._emit(rest[:total], stats)
            rest = rest[total:]
        self._partial[vc] = rest if rest else bytearray()

    @staticmethod
    def _emit(buf: bytearray, stats: DecodeStats) -> None:
        if len(buf) < 6:
            return
        apid = struct.unpack(">H", bytes(buf[0:2]))[0] & 0x7FF
        if apid != 0x7FF:
            stats.packets.append(bytes(buf))


# ------------------------------------------------------------------------------------------------ channel
def q_function(x):
    from scipy.special import erfc

    return 0.5 * erfc(np.asarray(x, dtype=float) / math.sqrt(2.0))


def bit_error_probability(eb_n0_db: float, code_rate: float) -> float:
    """Hard-decision BPSK channel bit error probability Q(sqrt(2 R Eb/N0))."""
    return float(q_function(math.sqrt(2.0 * code_rate * 10 ** (eb_n0_db / 10.0))))


def rs_codeword_error_rate_theory(eb_n0_db: float) -> float:
    from scipy.stats import binom

    p = bit_error_probability(eb_n0_db, RS_K / RS_N)
    ps = 1.0 - (1.0 - p) ** 8
    return float(binom.sf(RS_E, RS_N, ps))


def rs_frame_error_rate_theory(eb_n0_db: float, interleave: int = 5) -> float:
    """Probability that an RS(255,223) codeblock of depth I is not decoded (bounded-distance, BSC)."""
    return 1.0 - (1.0 - rs_codeword_error_rate_theory(eb_n0_db)) ** interleave


def bsc(cadus: list[bytes], p: float, rng: np.random.Generator) -> list[bytes]:
    """Flip each bit after the ASM independently with probability ``p``."""
    out = []
    n_asm = len(ASM)
    for c in cadus:
        b = np.frombuffer(c[n_asm:], dtype=np.uint8)
        flips = np.packbits(rng.random(b.size * 8) < p)
        out.append(c[:n_asm] + (b ^ flips).tobytes())
    return out


# ------------------------------------------------------------------------------------------------ scenario
def synthetic_housekeeping(
    duration_s: float, rate_bps: float, packet_bytes: int = 128, apid: int = 0x65, seed: int = 0
) -> list[bytes]:
    """A stream of space packets (``packet_bytes`` each) filling ``rate_bps`` for ``duration_s`` seconds."""
    from spacepackets.ccsds.spacepacket import PacketType, SpacePacket, SpacePacketHeader

    if packet_bytes < 8 or packet_bytes > 65542:
        raise InputError("packet size must be 8..65542 bytes.")
    n = max(1, int(duration_s * rate_bps / 8 / packet_bytes))
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        body = rng.integers(0, 256, packet_bytes - 6, dtype=np.uint8).tobytes()
        hdr = SpacePacketHeader(PacketType.TM, apid=apid, seq_count=i % 16384, data_len=len(body) - 1)
        out.append(bytes(SpacePacket(hdr, None, body).pack()))
    return out


def housekeeping_packets(
    t_s, channels: dict, rate_bps: float, packet_bytes: int = 128, apid: int = 0x66
) -> list[bytes]:
    """Space packets carrying sampled telemetry (e.g. an EDL time history) at ``rate_bps``.

    Each packet holds records of (time tag float64, one float32 per channel); the history is resampled linearly
    so that the stream fills ``rate_bps`` over its span. Channels are packed in the order given.
    """
    require_extra("CCSDS housekeeping packets")
    from spacepackets.ccsds.spacepacket import PacketType, SpacePacket, SpacePacketHeader

    t = np.asarray(t_s, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) < 0):
        raise InputError("housekeeping needs at least two non-decreasing sample times.")
    cols = [np.asarray(v, dtype=float) for v in channels.values()]
    if any(c.shape != t.shape for c in cols):
        raise InputError("every housekeeping channel needs one value per sample time.")
    rec = 8 + 4 * len(cols)
    per_packet = (packet_bytes - 6) // rec
    if per_packet < 1:
        raise InputError(f"a {packet_bytes}-byte packet cannot hold one record of {rec} bytes; use larger packets.")
    span = float(t[-1] - t[0])
    n = max(1, int(span * rate_bps / 8 / packet_bytes))
    tt = np.linspace(t[0], t[-1], n * per_packet)
    data = [np.interp(tt, t, np.nan_to_num(c, nan=0.0)).astype(np.float32) for c in cols]
    out = []
    for i in range(n):
        body = bytearray()
        for j in range(i * per_packet, (i + 1) * per_packet):
            body += np.float64(tt[j]).tobytes() + b"".join(d[j].tobytes() for d in data)
        body += bytes(packet_bytes - 6 - len(body))
        hdr = SpacePacketHeader(PacketType.TM, apid=apid, seq_count=i % 16384, data_len=len(body) - 1)
        out.append(bytes(SpacePacket(hdr, None, bytes(body)).pack()))
    return out


@dataclass(frozen=True)
class TelemetryResult:
    eb_n0_db: float
    bit_error_probability: float
    frames_sent: int
    frames_lost: int
    packets_sent: int
    packets_received: int
    packets_lost: int
    rs_codewords: int
    rs_codewords_failed: int
    rs_symbols_corrected: int
    frame_error_rate_theory: float
    codeword_error_rate_theory: float


def simulate_link(
    packets: list[bytes], eb_n0_db: float, *, config: TmConfig | None = None, seed: int = 0, vcid: int = 0
) -> TelemetryResult:
    """Encode ``packets`` into CADUs, pass them through the BSC at ``eb_n0_db`` and decode; count the losses."""
    cfg = config or TmConfig()
    enc, dec = TmEncoder(cfg), TmDecoder(cfg)
    frames = enc.frames(packets, vcid)
    cadus = [enc.cadu(f) for f in frames]
    rate = RS_K / RS_N if cfg.reed_solomon else 1.0
    p = bit_error_probability(eb_n0_db, rate)
    rx = bsc(cadus, p, np.random.default_rng(seed))
    stats = DecodeStats()
    for c in rx:
        fr = dec.frame_from_cadu(c, stats)
        if fr is not None:
            dec.packets_from_frame(fr, stats)
    sent = set(bytes(p) for p in packets)
    got = sum(1 for pk in stats.packets if pk in sent)
    return TelemetryResult(
        eb_n0_db=eb_n0_db,
        bit_error_probability=p,
        frames_sent=len(frames),
        frames_lost=stats.frames_bad,
        packets_sent=len(packets),
        packets_received=got,
        packets_lost=len(packets) - got,
        rs_codewords=stats.rs_codewords,
        rs_codewords_failed=stats.rs_codewords_failed,
        rs_symbols_corrected=stats.rs_symbols_corrected,
        frame_error_rate_theory=rs_frame_error_rate_theory(eb_n0_db, cfg.interleave)
        if cfg.reed_solomon
        else 1.0 - (1.0 - p) ** (8 * cast(int, cfg.frame_length)),
        codeword_error_rate_theory=rs_codeword_error_rate_theory(eb_n0_db) if cfg.reed_solomon else float("nan"),
    )
