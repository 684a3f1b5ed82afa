"""Hypothesis profiles and the case counters of the fuzz tests.

Profiles: ``ci`` (default; a short run inside ``make test``) and ``long`` (``make fuzz``: thousands of cases),
chosen with the environment variable ``HYPOTHESIS_PROFILE``. Each fuzz test records how many cases it tried per
category (``record_property("fuzz_counts", {...})``); tests/conftest.py sums them and prints the totals at the
end of the session, with or without pytest-xdist (worker reports carry their properties to the controller).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
settings.register_profile("ci", max_examples=60, derandomize=True, database=None, **_COMMON)
settings.register_profile("long", max_examples=3000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class Counts(Counter):
    """Cases tried by one test, by category: ``counts["scenario: clean error"] += 1``."""


# Module-level counter for property tests that count inside @given bodies (``CASES["lambert: OK"] += 1``);
# what each test adds is recorded like ``fuzz_counts`` below.
CASES: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def _record_cases(record_property):
    before = Counter(CASES)
    yield
    added = {k: v - before.get(k, 0) for k, v in CASES.items() if v != before.get(k, 0)}
    if added:
        record_property("fuzz_counts", {f"api: {k}": v for k, v in added.items()})


@pytest.fixture
def fuzz_counts(record_property):
    c = Counts()
    yield c
    record_property("fuzz_counts", dict(c))
