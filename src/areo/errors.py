"""Errors that teach: each says what was wrong, what is valid, and how to fix it.

The CLI catches ``AreoError`` once, prints ``ErrorName: message`` on one line and exits with code 2.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class AreoError(ValueError):
    """Base class of all user-facing errors raised by areo."""


class InputError(AreoError):
    """A value given by the user is malformed or outside its valid range."""


class EphemerisRangeError(AreoError):
    """An epoch lies outside the ephemeris kernel's coverage; ``out_of_range`` masks the bad epochs."""

    def __init__(self, message: str, out_of_range: np.ndarray | None = None):
        super().__init__(message)
        self.out_of_range = out_of_range


class MissingExtraError(InputError):
    """A feature needs an optional dependency group (an "extra") that is not installed; the message names it."""


class OutputError(AreoError):
    """A result could not be written (full disk, read-only file system, no permission)."""


class ResourceError(AreoError):
    """A request would need more memory or time than areo allows."""


def abridged(text: str, limit: int = 80) -> str:
    """``text`` as given when up to ``limit`` characters, else its first 60 and its length: a value quoted in a
    one-line message (a pasted file, a 10 000-character name) stays short."""
    return text if len(text) <= limit else text[:60] + f"... ({len(text)} characters)"


@contextlib.contextmanager
def naming(prefix: str, hint: str = "") -> Iterator[None]:
    """An ``InputError`` raised inside is raised again as ``'<prefix>: <message><hint>'``: the option, key or file
    it came from."""
    try:
        yield
    except InputError as exc:
        raise InputError(f"{prefix}: {exc}{hint}") from None


def unknown_choice(kind: str, given: str, valid: Iterable[str], hint: str = "") -> InputError:
    """An ``InputError`` for a name not in ``valid``, with close matches and the full list."""
    valid = sorted(valid)
    close = difflib.get_close_matches(given.lower(), valid, n=3, cutoff=0.6)
    msg = f"unknown {kind} {abridged(given)!r}"
    msg += f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "."
    msg += f" Valid choices: {', '.join(valid)}."
    if hint:
        msg += " " + hint
    return InputError(msg)
