"""Helpers shared by the builders: where the files go and how pykep is imported (see README.md here)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

AUTHORITIES = Path(__file__).resolve().parents[1]
AU_KM = 149597870.7
MU_SUN_KM3_S2 = 132712440018.0
DAY_S = 86400.0


def parse_args(doc: str, default_name: str, default_n: int | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    p.add_argument("--out", type=Path, default=AUTHORITIES / default_name, help="output file (default: %(default)s)")
    if default_n is not None:
        p.add_argument("--n", type=int, default=default_n, help="number of problems (default: %(default)s)")
    return p.parse_args()


def import_pykep():
    """pykep 3.0.1's wheel lacks four benchmark-data JSON files and then fails on import; create them empty."""
    import importlib.util

    spec = importlib.util.find_spec("pykep")
    if spec is None or spec.origin is None:
        sys.exit("pykep is not installed: pip install pykep==3.0.1")
    tops = Path(spec.origin).parent / "trajopt" / "gym" / "tops"
    for name in ("cr3bp", "twobody", "ss", "mee"):
        f = tops / f"_tops_{name}.json"
        if not f.exists():
            tops.mkdir(parents=True, exist_ok=True)
            f.write_text("{}")
    import pykep

    return pykep


def random_problems(rng: np.random.Generator, n: int, tof_days: tuple[float, float], prograde_only: bool):
    """Heliocentric problems: |r| U(0.7, 1.7) AU, isotropic directions, transfer angle in (2, 178) deg,
    |h_z|/|h| > 0.01 (and h_z > 0 when ``prograde_only``, so that pykep's cw=False is the short way), tof uniform
    in ``tof_days``. Drawn in fixed chunks, so the first k problems do not depend on n (20,000 in the repository
    are the first 20,000 of the opt-in 100,000)."""
    chunk = 10_000
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while sum(len(k[2]) for k in kept) < n:
        d1 = rng.normal(size=(chunk, 3))
        d2 = rng.normal(size=(chunk, 3))
        r1 = d1 / np.linalg.norm(d1, axis=1, keepdims=True) * rng.uniform(0.7, 1.7, (chunk, 1)) * AU_KM
        r2 = d2 / np.linalg.norm(d2, axis=1, keepdims=True) * rng.uniform(0.7, 1.7, (chunk, 1)) * AU_KM
        tof = rng.uniform(*tof_days, chunk) * DAY_S
        h = np.cross(r1, r2)
        cosang = np.sum(r1 * r2, 1) / np.linalg.norm(r1, axis=1) / np.linalg.norm(r2, axis=1)
        ang = np.degrees(np.arccos(np.clip(cosang, -1, 1)))
        hz = h[:, 2] / np.linalg.norm(h, axis=1)
        ok = (ang > 2) & (ang < 178) & (np.abs(hz) > 0.01)
        if prograde_only:
            ok &= hz > 0
        kept.append((r1[ok], r2[ok], tof[ok]))
    return tuple(np.concatenate([k[i] for k in kept])[:n] for i in range(3))


def finish(path: Path, **arrays) -> None:
    """Write a compressed npz atomically, print what was written and leave at once (pykep bundles its own
    heyoka; a normal interpreter exit can abort after the work is done, see README.md)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    sys.stdout.flush()
    os._exit(0)
