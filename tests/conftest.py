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


# Case counts of the fuzz tests (tests/fuzz): summed from the reports (so it works under pytest-xdist too) and
# printed at the end of the session.
_FUZZ_TOTALS: dict[str, int] = {}


def pytest_runtest_logreport(report):
    if report.when == "teardown":  # the fixture records its counts at teardown
        for name, value in report.user_properties:
            if name == "fuzz_counts":
                for k, n in value.items():
                    _FUZZ_TOTALS[k] = _FUZZ_TOTALS.get(k, 0) + n


def pytest_terminal_summary(terminalreporter):
    if _FUZZ_TOTALS:
        terminalreporter.section("fuzz cases tried")
        for key in sorted(_FUZZ_TOTALS):
            terminalreporter.write_line(f"{key:<60} {_FUZZ_TOTALS[key]:>7}")
        terminalreporter.write_line(f"{'total':<60} {sum(_FUZZ_TOTALS.values()):>7}")
