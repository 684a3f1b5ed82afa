"""Hypothesis profiles for the fuzz suites: ``ci`` (short, the default, run by ``make test``) and ``long``
(``make fuzz``: ``pytest tests/fuzz --hypothesis-profile=long``). ``HYPOTHESIS_PROFILE`` picks one by name."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
