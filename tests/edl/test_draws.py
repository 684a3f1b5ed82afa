"""Monte Carlo draws keyed by dispersion name (README, "Reproducibility and compatibility rule"): a dispersion's
draw in run i of seed s depends only on (s, i, its name), so adding, removing or reordering dispersions leaves
every other dispersion's seeded draws unchanged; and the draws are independent standard normals (invariants,
with tolerances of 5 standard errors for n runs)."""

import hashlib
import math

import numpy as np

from areo.edl import montecarlo as mc
from areo.edl.montecarlo import DISPERSION_MAP, sample_params

RUNS = 2_000


def _draws(scenario, dispersion_map=None, monkeypatch=None, sigmas=None, start=0, stop=RUNS):
    if dispersion_map is not None:
        monkeypatch.setattr(mc, "DISPERSION_MAP", dispersion_map)
    return sample_params(scenario.to_params([]), sigmas or scenario.dispersions.model_dump(), 9, start, stop)


def test_adding_or_reordering_dispersions_leaves_the_others_unchanged(scenario, monkeypatch):
    before = _draws(scenario, stop=64)
    sigmas = {**scenario.dispersions.model_dump(), "aa_new_dispersion": 2.0}
    added = {"aa_new_dispersion": ("new_param", "add", 1.0), **DISPERSION_MAP}  # first, where it shifts most
    after = _draws(scenario, added, monkeypatch, sigmas, stop=64)
    assert set(after) == set(before) | {"new_param"}
    for k in before:
        np.testing.assert_array_equal(after[k], before[k], err_msg=k)
    assert np.std(after["new_param"]) > 0.5  # it is drawn (sigma 2)
    reordered = dict(reversed(list(DISPERSION_MAP.items())))
    again = _draws(scenario, reordered, monkeypatch, stop=64)
    for k in before:
        np.testing.assert_array_equal(again[k], before[k], err_msg=k)


def test_switching_one_dispersion_off_leaves_the_others_unchanged(scenario):
    sigmas = scenario.dispersions.model_dump()
    before = _draws(scenario, stop=64)
    off = _draws(scenario, sigmas={**sigmas, "entry_speed_m_s": 0.0}, stop=64)
    nominal = scenario.to_params([])
    np.testing.assert_array_equal(off["entry_speed"], np.full(64, nominal["entry_speed"]))
    for k in before:
        if k != "entry_speed":
            np.testing.assert_array_equal(off[k], before[k], err_msg=k)


def test_draws_are_independent_standard_normals(scenario):
    nominal = scenario.to_params([])
    p = _draws(scenario)
    z = {}
    for name, (param, kind, unit) in DISPERSION_MAP.items():
        s = float(scenario.dispersions.model_dump().get(name, 0.0)) * unit
        if s == 0.0 or param not in nominal:
            continue
        base = nominal[param]
        z[name] = (p[param] - base) / s if kind == "add" else (p[param] / base - 1.0) / s
    assert len(z) >= 5
    se = 1.0 / math.sqrt(RUNS)
    for name, v in z.items():
        assert abs(np.mean(v)) < 5 * se, name
        assert abs(np.std(v) - 1.0) < 5 * se / math.sqrt(2), name
    names = sorted(z)
    corr = np.corrcoef(np.vstack([z[n] for n in names]))
    off = corr[~np.eye(len(names), dtype=bool)]
    assert np.max(np.abs(off)) < 5 * se, "two dispersions share draws"


def test_name_ids_are_a_stable_hash_not_pythons(scenario):
    """The id is the first 32 bits of SHA-256 (hashlib's, the same in every process), checked on a known
    digest: sha256(b"abc") starts ba7816bf (FIPS 180-2, appendix B.1)."""
    assert mc.name_id("abc") == int.from_bytes(bytes.fromhex("ba7816bf"), "little")
    ids = [mc.name_id(n) for n in [*DISPERSION_MAP, mc.DENSITY_PERTURBATION]]
    assert len(set(ids)) == len(ids)


# Draws computed by the op-by-op implementation (jax.random + vmap un-jitted, areo commit 98196e1) before the
# draws were compiled into one function: seeded campaigns must keep their exact numbers (DRAW_SCHEME unchanged).
_OLD_NORMALS_SEED_2026_RUNS_1000_1003 = {
    "entry_speed_m_s": [
        "-0x1.b6575fcff6570p-2",
        "0x1.661e499eebbdfp+0",
        "-0x1.ee221dcd5c6eep-7",
        "0x1.38a746ed05348p-2",
    ],
    "density_scale": ["-0x1.5464f20099077p-1", "0x1.7db385c29434ap-3", "0x1.8a9b04fbb4c92p-3", "-0x1.8d0ad391bfec5p-4"],
    "abc": ["-0x1.472547c3d8ef9p-3", "-0x1.52641012e6356p+0", "0x1.1134b87a8ad10p+1", "0x1.098e9bf74a0a2p-3"],
}
_OLD_PERTURBATION_SEED_2026_RUNS_1000_1001 = (
    [["-0x1.2fd2dec09d653p-1", "-0x1.8a9dae54c0f9dp-3", "-0x1.01895b62d40d7p-1"],
     ["0x1.1b50289583498p-1", "-0x1.1aae179a25a66p+0", "0x1.b7f948b2b99dbp-6"]],
    [["0x1.c3bf6daab930dp-2", "0x1.239c67930d69ep-2", "0x1.8d764ea194220p+2"],
     ["0x1.3493755b9a5afp-1", "0x1.31e8bead08bd4p-3", "0x1.2af24e6ded7f9p-1"]],
)  # fmt: skip
# SHA-256 of the float64 little-endian bytes of the old code's draws: 2,000 runs of seed 0 for these 17 names
# (the dispersions of the exomars2016 scenario at the time), the density perturbation (amplitudes, then phases),
# and runs 700 .. 999 of seed 5 for the first three names
_OLD_NAMES = [
    "accel_bias_m_s2", "accel_scale_factor", "capsule_cd", "density_scale", "deploy_rate_deg_s", "entry_azimuth_deg",
    "entry_flight_path_angle_deg", "entry_latitude_deg", "entry_longitude_deg", "entry_mass_kg", "entry_speed_m_s",
    "gyro_bias_deg_s", "gyro_scale_factor", "isp", "misalignment_deg", "parachute_cd", "thrust",
]  # fmt: skip
_OLD_SHA256 = {
    "normals_seed0_2000": "7685d959b7e5e02a18143f80261ddac7934998d7f63b8f4ead334f69d2d64eb5",
    "perturbation_seed0_2000": "b4ad586d57a093ff4287c3f96cdee7e93f52f477f2220e98979006631c43c83b",
    "normals_seed5_700_1000": "2dddc4b2a77d6bd0d6f5157b47ebc216eb8ba9f191b52336b05e2ef7b1295a4d",
}


def _sha256(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a, dtype="<f8").tobytes())
    return h.hexdigest()


def test_draws_are_bit_for_bit_those_of_the_op_by_op_code():
    names = list(_OLD_NORMALS_SEED_2026_RUNS_1000_1003)
    z = mc.draw_normals(2026, 1000, 1004, names)
    for j, name in enumerate(names):
        assert [float(x).hex() for x in z[:, j]] == _OLD_NORMALS_SEED_2026_RUNS_1000_1003[name], name
    z3, u3 = mc._draw_perturbation(2026, 1000, 1002)
    assert [[float(x).hex() for x in row] for row in z3] == _OLD_PERTURBATION_SEED_2026_RUNS_1000_1001[0]
    assert [[float(x).hex() for x in row] for row in u3] == _OLD_PERTURBATION_SEED_2026_RUNS_1000_1001[1]
    assert _sha256(mc.draw_normals(0, 0, 2000, _OLD_NAMES)) == _OLD_SHA256["normals_seed0_2000"]
    assert _sha256(*mc._draw_perturbation(0, 0, 2000)) == _OLD_SHA256["perturbation_seed0_2000"]
    assert _sha256(mc.draw_normals(5, 700, 1000, _OLD_NAMES[:3])) == _OLD_SHA256["normals_seed5_700_1000"]


def test_sample_params_uses_the_same_draws_as_draw_normals(scenario):
    """sample_params draws its normals and perturbation in one call; they are those of draw_normals."""
    sigmas = scenario.dispersions.model_dump()
    p = sample_params(scenario.to_params([]), sigmas, 3, 10, 20)
    z3, u3 = mc._draw_perturbation(3, 10, 20)
    np.testing.assert_array_equal(p["pert_p1"], u3[:, 1])
    np.testing.assert_array_equal(p["pert_a2"], float(sigmas.get(mc.DENSITY_PERTURBATION, 0.0)) * z3[:, 2])
    (name, (param, kind, unit)), *_ = [(n, v) for n, v in DISPERSION_MAP.items() if sigmas.get(n, 0.0)]
    z = mc.draw_normals(3, 10, 20, [name])[:, 0]
    base = scenario.to_params([])[param]
    s = float(sigmas[name]) * unit
    np.testing.assert_array_equal(p[param], base + s * z if kind == "add" else base * (1.0 + s * z))
