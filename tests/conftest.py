"""Shared test fixtures: oracle files and physical units for tolerances."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import areo._jax  # noqa: F401  (64-bit JAX before any test imports jax)

REPO = Path(__file__).resolve().parents[1]


def _find_oracles() -> Path:
    env = os.environ.get("AREO_ORACLES")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "oracles", REPO / "tests" / "authorities"]
    for c in candidates:
        if (c / "lambert_cases.npz").exists():
            return c
    raise FileNotFoundError(f"oracle files not found in {[str(c) for c in candidates]}; set AREO_ORACLES")


ORACLES = _find_oracles()


@pytest.fixture(scope="session")
def oracles() -> Path:
    return ORACLES


def load_oracle(name: str):
    return np.load(ORACLES / name)
