"""Shared test fixtures: the authorities (reference results made with other tools) and physical units.

The files live in ``tests/authorities/`` (README there: what, units, tool and version, the command that made
each). Larger sets are opt-in: point ``AREO_FULL_AUTHORITIES`` at a folder holding them (built by the same
scripts, e.g. ``--n 100000``) and the ``slow`` tests that use them run; otherwise they are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import areo._jax  # noqa: F401  (64-bit JAX before any test imports jax)

REPO = Path(__file__).resolve().parents[1]
AUTHORITIES = Path(__file__).resolve().parent / "authorities"
ORACLES = AUTHORITIES  # older name, kept for tests that import it
FULL_AUTHORITIES_ENV = "AREO_FULL_AUTHORITIES"


@pytest.fixture(scope="session")
def oracles() -> Path:
    return AUTHORITIES


def load_oracle(name: str):
    """An authority file from ``tests/authorities/`` (npz)."""
    return np.load(AUTHORITIES / name)


def load_full_authority(name: str):
    """An opt-in large authority file from the folder named by AREO_FULL_AUTHORITIES; skips the test without it."""
    folder = os.environ.get(FULL_AUTHORITIES_ENV)
    if not folder:
        pytest.skip(f"opt-in: set {FULL_AUTHORITIES_ENV}=DIR with {name} (see tests/authorities/README.md)")
    path = Path(folder) / name
    if not path.exists():
        raise FileNotFoundError(
            f"{FULL_AUTHORITIES_ENV}={folder} has no {name}; build it (tests/authorities/README.md)"
        )
    return np.load(path)


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
