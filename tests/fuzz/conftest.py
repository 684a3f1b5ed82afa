"""Hypothesis profiles for the API fuzz tests and a count of the cases each test tried.

``ci`` (default, a few dozen examples per test, part of ``make test``) and ``long`` (``make fuzz``:
``pytest tests/fuzz --hypothesis-profile=long``, minutes). ``AREO_FUZZ_PROFILE`` selects one too.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

CASES: Counter[str] = Counter()

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}
settings.register_profile("ci", max_examples=40, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=3000, **_COMMON)


def pytest_configure(config):
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile(os.environ.get("AREO_FUZZ_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter):
    if CASES:
        total = sum(CASES.values())
        terminalreporter.write_line(
            f"API fuzz cases tried: {total:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(CASES.items()))})"
        )
