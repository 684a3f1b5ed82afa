"""CCSDS TM coding against published vectors: frame CRC, pseudo-randomiser, Reed-Solomon (255,223) and framing.

Sources, cited per test:

* CRC-16/CCITT-FALSE (CCSDS 132.0-B-3 section 4.1.6, poly 0x1021, init 0xFFFF): the CRC catalogue of Greg Cook
  (reveng, "CRC-16/IBM-3740", alias CRC-16/CCITT-FALSE): check = 0x29B1 for ASCII "123456789", residue 0x0000.
* Pseudo-randomiser (CCSDS 131.0-B-3 section 10.4, h(x) = x^8+x^7+x^5+x^3+1, all-ones seed): the 255-byte period
  as tabulated in repository petrinm/suo, ``libsuo/coding/randomizer.cpp`` (``ccsds_tm_randomizer``, "Ref: CCSDS
  131.0-B-4, 10.4.1"), whose first bytes FF 48 0E C0 9A 0D 70 BC are those printed in CCSDS 131.0-B-3.
* RS(255,223), E = 16, CCSDS 131.0-B-3 section 4: repository crozone/ReedSolomonCCSDS (a port of Phil Karn's
  libfec), ``ReedSolomonTests/FixedDualBasisTests.cs`` (``TestEncodeFixedDualBasis``, ``TestDecodeFixedDualBasis``)
  and ``ReedSolomonTests/FixedConventionalTests.cs`` (``TestEncodeFixed``, ``TestDecodeFixed``): data 0x00..0xDE,
  the 32 parity bytes in dual basis and in conventional basis, and a 16-symbol error mask that must be corrected.
"""

import numpy as np
import pytest

from areo.errors import InputError
from areo.ground.telemetry import (
    ASM,
    ReedSolomonCCSDS,
    TmConfig,
    TmEncoder,
    TmFrameHeader,
    crc16_ccitt,
    pseudo_random_sequence,
)


# ---------------------------------------------------------------------------------------------------------- CRC
def test_crc16_ccitt_false_check_value():
    """reveng CRC catalogue, CRC-16/IBM-3740 (CCITT-FALSE): check = 0x29b1."""
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_crc16_of_nothing_is_the_initial_register():
    """CCSDS 132.0-B-3 4.1.6.2: the register is preset to all ones; no bytes leave it there."""
    assert crc16_ccitt(b"") == 0xFFFF


def _crc_bitwise(data: bytes) -> int:
    """Independent oracle: the shift-register definition of CCSDS 132.0-B-3 4.1.6 (MSB first, no reflection)."""
    reg = 0xFFFF
    for byte in data:
        for k in range(7, -1, -1):
            bit = ((byte >> k) & 1) ^ (reg >> 15)
            reg = ((reg << 1) & 0xFFFF) ^ (0x1021 if bit else 0)
    return reg


@pytest.mark.parametrize("seed", range(5))
def test_crc16_matches_the_shift_register_definition(seed):
    data = np.random.default_rng(seed).integers(0, 256, 50 + 97 * seed, dtype=np.uint8).tobytes()
    assert crc16_ccitt(data) == _crc_bitwise(data)


def test_crc16_residue_of_a_frame_with_its_fecf_is_zero():
    """reveng catalogue: residue 0x0000, i.e. a frame followed by its FECF checks to zero (what the decoder tests)."""
    body = b"areo telemetry frame"
    crc = crc16_ccitt(body)
    assert crc16_ccitt(body + crc.to_bytes(2, "big")) == 0x0000


# ---------------------------------------------------------------------------------------------------------- PN
def _suo_table() -> bytes:
    """petrinm/suo libsuo/coding/randomizer.cpp, ccsds_tm_randomizer (256 bytes: the 255-byte period + 0xff)."""
    rows = """
    ff 48 0e c0 9a 0d 70 bc 8e 2c 93 ad a7 b7 46 ce 5a 97 7d cc 32 a2 bf 3e 0a 10 f1 88 94 cd ea b1
    fe 90 1d 81 34 1a e1 79 1c 59 27 5b 4f 6e 8d 9c b5 2e fb 98 65 45 7e 7c 14 21 e3 11 29 9b d5 63
    fd 20 3b 02 68 35 c2 f2 38 b2 4e b6 9e dd 1b 39 6a 5d f7 30 ca 8a fc f8 28 43 c6 22 53 37 aa c7
    fa 40 76 04 d0 6b 85 e4 71 64 9d 6d 3d ba 36 72 d4 bb ee 61 95 15 f9 f0 50 87 8c 44 a6 6f 55 8f
    f4 80 ec 09 a0 d7 0b c8 e2 c9 3a da 7b 74 6c e5 a9 77 dc c3 2a 2b f3 e0 a1 0f 18 89 4c de ab 1f
    e9 01 d8 13 41 ae 17 91 c5 92 75 b4 f6 e8 d9 cb 52 ef b9 86 54 57 e7 c1 42 1e 31 12 99 bd 56 3f
    d2 03 b0 26 83 5c 2f 23 8b 24 eb 69 ed d1 b3 96 a5 df 73 0c a8 af cf 82 84 3c 62 25 33 7a ac 7f
    a4 07 60 4d 06 b8 5e 47 16 49 d6 d3 db a3 67 2d 4b be e6 19 51 5f 9f 05 08 78 c4 4a 66 f5 58 ff
    """
    return bytes.fromhex("".join(rows.split()))


def test_pseudo_randomiser_first_bytes_as_printed_in_ccsds_131():
    assert pseudo_random_sequence(8).tobytes() == bytes.fromhex("FF480EC09A0D70BC")


def test_pseudo_randomiser_full_period_against_published_table():
    assert pseudo_random_sequence(256).tobytes() == _suo_table()


def test_pseudo_randomiser_period_is_255_bytes():
    """A maximal-length 8-stage register repeats after 2^8 - 1 = 255 bits x 8 = 255 bytes, not before."""
    seq = pseudo_random_sequence(255 * 3).tobytes()
    assert seq[:255] == seq[255:510] == seq[510:]
    assert all(seq[:k] != seq[k : 2 * k] for k in (1, 3, 5, 15, 17, 51, 85))


def test_randomised_cadu_of_zero_frame_is_asm_plus_the_sequence():
    """CCSDS 131.0-B-3 9 and 10: the ASM 1ACFFC1D is not randomised; the codeblock is XORed from its first bit."""
    enc = TmEncoder(TmConfig(reed_solomon=False, frame_length=300))
    cadu = enc.cadu(bytes(300))
    assert cadu[:4] == ASM == bytes.fromhex("1ACFFC1D")
    assert cadu[4:] == (_suo_table()[:255] * 2)[:300]


# ---------------------------------------------------------------------------------------------------------- RS
DATA = bytes(range(223))  # 0x00 .. 0xDE
PARITY_DUAL = bytes.fromhex("4ffb92dd557ec67f27fb8982cf58f8fd028ad117fcef6b2793d0418826578651")
PARITY_CONVENTIONAL = bytes.fromhex("2fbd4fb4748494b9acd554627212eeb3ebed41191de1d36320ea49290b25abcf")
ERROR_MASK = {  # index: XOR pattern (16 symbols), from the tests' errorMask
    0: 0x58, 2: 0xA3, 5: 0xCD, 14: 0x0D, 50: 0xCA, 51: 0x96, 80: 0x1B, 89: 0xA2, 91: 0xAC, 100: 0xB9,
    145: 0xE5, 176: 0x94, 185: 0xC3, 214: 0x97, 231: 0x7A, 250: 0x29,
}  # fmt: skip


@pytest.mark.parametrize(
    "dual,parity", [(True, PARITY_DUAL), (False, PARITY_CONVENTIONAL)], ids=["dual-basis", "conventional"]
)
def test_reed_solomon_parity_against_libfec_port(dual, parity):
    """crozone/ReedSolomonCCSDS TestEncodeFixedDualBasis / TestEncodeFixed."""
    assert len(PARITY_DUAL) == len(PARITY_CONVENTIONAL) == 32
    block = ReedSolomonCCSDS(interleave=1, dual_basis=dual).encode(DATA)
    assert block[:223] == DATA
    assert block[223:] == parity


@pytest.mark.parametrize(
    "dual,parity", [(True, PARITY_DUAL), (False, PARITY_CONVENTIONAL)], ids=["dual-basis", "conventional"]
)
def test_reed_solomon_corrects_the_16_error_mask(dual, parity):
    """crozone/ReedSolomonCCSDS TestDecodeFixedDualBasis / TestDecodeFixed: 16 symbol errors, all corrected."""
    bad = bytearray(DATA + parity)
    for i, m in ERROR_MASK.items():
        bad[i] ^= m
    data, n_corrected, ok = ReedSolomonCCSDS(interleave=1, dual_basis=dual).decode(bytes(bad))
    assert bool(ok[0]) and n_corrected == 16 and data == DATA


def test_reed_solomon_17_errors_are_detected_not_miscorrected():
    """E = 16 (CCSDS 131.0-B-3 4.2): one more symbol error than the code corrects must be reported as a failure
    (for this pattern; bounded-distance decoders may rarely miscorrect)."""
    bad = bytearray(DATA + PARITY_DUAL)
    for i, m in ERROR_MASK.items():
        bad[i] ^= m
    bad[120] ^= 0x01
    _, _, ok = ReedSolomonCCSDS(interleave=1).decode(bytes(bad))
    assert not ok[0]


@pytest.mark.parametrize("depth", [2, 5, 8])
def test_reed_solomon_interleaving_is_by_symbol(depth):
    """CCSDS 131.0-B-3 4.3: with depth I, symbol j of codeword i is byte i + I j of the codeblock; feeding the
    same 223 bytes to every codeword must give each byte and parity byte repeated I times in a row."""
    data = bytes(b for b in DATA for _ in range(depth))
    block = ReedSolomonCCSDS(interleave=depth).encode(data)
    assert block == bytes(b for b in DATA + PARITY_DUAL for _ in range(depth))


def test_reed_solomon_refuses_a_non_ccsds_depth():
    with pytest.raises(InputError, match="interleaving depth 6 is not a CCSDS value"):
        ReedSolomonCCSDS(interleave=6)


# ---------------------------------------------------------------------------------------------------------- frames
def test_tm_primary_header_layout():
    """CCSDS 132.0-B-3 4.1.2: version 00, SCID (10 bits), VCID (3), OCF flag, MC count, VC count, then the data
    field status: secondary header 0, sync 0, packet order 0, segment length id 11, first header pointer (11)."""
    h = TmFrameHeader(spacecraft_id=0x2A5, vcid=5, mc_count=0x12, vc_count=0x34, first_header_pointer=0x07F).pack()
    assert h == bytes([0b00_101010, 0b0101_101_0, 0x12, 0x34, 0b0001_1000, 0x7F])


def test_tm_frames_check_to_zero_and_carry_idle_pointer():
    """132.0-B-3 4.1.4.2.3: first header pointer 0x7FE in an idle frame; 4.1.6: every frame's CRC residue is 0."""
    enc = TmEncoder(TmConfig())
    frames = [*enc.frames([bytes(200)]), enc.idle_frame()]
    assert all(len(f) == 223 * 5 and crc16_ccitt(f) == 0 for f in frames)
    assert TmFrameHeader.unpack(frames[-1]).first_header_pointer == 0x7FE
