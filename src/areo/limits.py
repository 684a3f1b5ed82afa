"""Limits on run counts, seeds and chunk sizes that the API and the command line share: one clear InputError
each, naming the option (``--runs``, ``--seed``, ``--chunk``), checked before any work."""

from __future__ import annotations

import numbers

from .errors import InputError, abridged

SEED_LIMIT = 2**63
# A Monte Carlo held in memory keeps ~0.5 kB per run (status, landing point, 36 event columns, ...).
MAX_RUNS_IN_MEMORY = 1_000_000
# A campaign written to --out is chunked, but its summary still loads every run: 10 million runs ~ 5 GB.
MAX_RUNS_CAMPAIGN = 10_000_000


def check_integers(**values: object) -> None:
    """Each value an integer (not a bool, float or text) or None; InputError naming the option otherwise."""
    for name, value in values.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
            raise InputError(f"--{name} must be an integer, got {abridged(repr(value))} ({type(value).__name__})")


def check_seed(seed: int, option: str = "--seed") -> int:
    if not 0 <= seed < SEED_LIMIT:
        raise InputError(f"{option} must be an integer from 0 to 2**63 - 1 = {SEED_LIMIT - 1}, got {seed}")
    return seed


def check_runs(runs: int, *, low: int, campaign: bool, option: str = "--runs") -> int:
    high = MAX_RUNS_CAMPAIGN if campaign else MAX_RUNS_IN_MEMORY
    if runs < low:
        raise InputError(f"{option} must be >= {low}, got {runs:,}")
    if runs > high:
        why = (
            "a campaign's summary loads every run into memory (~0.5 kB each)"
            if campaign
            else "without --out every run is held in memory (~0.5 kB each); add --out DIR for up to "
            f"{MAX_RUNS_CAMPAIGN:,} runs in Parquet chunks"
        )
        raise InputError(f"{option} must be at most {high:,}, got {runs:,}: {why}")
    return runs


def check_chunk(chunk: int | None) -> int | None:
    if chunk is not None and not 1 <= chunk <= MAX_RUNS_CAMPAIGN:
        raise InputError(f"--chunk must be from 1 to {MAX_RUNS_CAMPAIGN:,} runs per Parquet file, got {chunk:,}")
    return chunk


__all__ = [
    "MAX_RUNS_CAMPAIGN",
    "MAX_RUNS_IN_MEMORY",
    "SEED_LIMIT",
    "check_chunk",
    "check_integers",
    "check_runs",
    "check_seed",
]
