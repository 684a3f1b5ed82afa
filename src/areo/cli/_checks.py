"""Checks of command-line numbers and addresses made before any work: one clear error each (InputError)."""

from __future__ import annotations

import math
import re

from ..errors import InputError
from ..limits import MAX_RUNS_CAMPAIGN, MAX_RUNS_IN_MEMORY, SEED_LIMIT, check_chunk, check_runs, check_seed

_HOST = r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)"
_ADDRESS = re.compile(rf"^((tcp|tls|ws|wss|ucx)://)?{_HOST}:(?P<port>[0-9]{{1,5}})/?$")


def check_scheduler(address: str, option: str = "--scheduler") -> str:
    """A Dask scheduler address: HOST:PORT or tcp://HOST:PORT (tls://, ws://, wss://, ucx:// too)."""
    m = _ADDRESS.match(address.strip())
    if m is None or not 1 <= int(m.group("port")) <= 65535:
        raise InputError(
            f"{option} {address!r} is not a scheduler address; give HOST:PORT or tcp://HOST:PORT with a port "
            "from 1 to 65535, e.g. tcp://127.0.0.1:8786"
        )
    return address.strip()


def check_number(
    value: float | None,
    option: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    unit: str = "",
) -> float | None:
    """A finite number inside [low, high] (``low_open``: low excluded); None passes through (option not given)."""
    if value is None:
        return None
    u = f" {unit}" if unit else ""
    bad = not math.isfinite(value)
    if low is not None:
        bad = bad or value < low or (low_open and value == low)
    if high is not None:
        bad = bad or value > high
    if bad:
        lo = "" if low is None else (f"> {low:g}{u}" if low_open else f">= {low:g}{u}")
        hi = "" if high is None else f"<= {high:g}{u}"
        rng = " and ".join(x for x in (lo, hi) if x) or "finite"
        raise InputError(f"{option} must be a finite number {rng}, got {value!r}")
    return value


MAX_SAMPLES = 5_000_000


def check_samples(start: str | None, stop: str | None, step_s: float, option: str = "--step") -> None:
    """Refuse a span/step that would need more than MAX_SAMPLES epochs (a run of hours and gigabytes)."""
    from ..time import parse_utc

    if start is None or stop is None:
        return
    try:
        span_s = (parse_utc(stop) - parse_utc(start)).total_seconds()
    except (InputError, ValueError, OverflowError):
        return  # the command reports the bad date itself
    if span_s / step_s > MAX_SAMPLES:
        raise InputError(
            f"{option} {step_s:g} s over {span_s / 86400:,.1f} days is {span_s / step_s:,.0f} samples, more than "
            f"{MAX_SAMPLES:,}; raise {option} to at least {span_s / MAX_SAMPLES:.3g} s or shorten the span"
        )


MAX_PASS_SPAN_DAYS = 3660.0  # ten years of passes take ~30 s; a longer search is refused, not left running


def check_span(start: str, stop: str, max_days: float = MAX_PASS_SPAN_DAYS) -> None:
    """Refuse a search span longer than ``max_days`` (bad dates are left to the command's own message)."""
    from ..time import parse_utc

    try:
        span_days = (parse_utc(stop) - parse_utc(start)).total_seconds() / 86400.0
    except (InputError, ValueError, OverflowError):
        return
    if span_days > max_days:
        raise InputError(
            f"--start to --stop spans {span_days:,.0f} days, more than the {max_days:,.0f} days one search covers; "
            "split it into shorter spans"
        )


__all__ = [
    "MAX_RUNS_CAMPAIGN",
    "MAX_RUNS_IN_MEMORY",
    "SEED_LIMIT",
    "check_chunk",
    "check_number",
    "check_runs",
    "check_samples",
    "check_scheduler",
    "check_seed",
    "check_span",
]
