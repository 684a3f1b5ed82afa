"""Monte Carlo draws keyed by dispersion name (README, "Reproducibility and compatibility rule"): a dispersion's
draw in run i of seed s depends only on (s, i, its name), so adding, removing or reordering dispersions leaves
every other dispersion's seeded draws unchanged; and the draws are independent standard normals (invariants,
with tolerances of 5 standard errors for n runs)."""

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
