"""Reading user TOML files (scenarios) into text and a mapping, with one clear error for every way it can fail:
unreadable, binary, not UTF-8 (UTF-16, Latin-1), not TOML, or nested too deeply to be a scenario."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from ..errors import InputError

MAX_BYTES = 10_000_000  # a scenario is a few kB; anything this large is not one
MAX_DEPTH = 16  # scenario tables nest 4 deep; inline tables/arrays deeper than this are refused


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: the file is UTF-16 text; TOML files are UTF-8: save it again as UTF-8")
    if b"\x00" in data:
        raise InputError(f"{name}: the file is binary (it contains NUL bytes), not a TOML text file")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 (a Latin-1 or Windows character?); "
            "TOML files are UTF-8: save the file again as UTF-8"
        ) from None


def _depth(obj: object, limit: int) -> int:
    """Nesting depth of dicts/lists in ``obj``, iteratively (no recursion), stopping once above ``limit``."""
    stack = [(obj, 1)]
    deepest = 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            break
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def read_toml(path: str | os.PathLike[str]) -> tuple[str, dict[str, Any]]:
    """The text and the parsed mapping of the TOML file at ``path``; InputError naming the file otherwise."""
    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder; give the path of a .toml file")
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {str(p)!r}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB; a scenario file is a few kB of TOML")
    text = _decode(data, name)
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(
            f"{name}: arrays or inline tables nested too deeply; a scenario nests at most a few levels"
        ) from None
    if _depth(parsed, MAX_DEPTH) > MAX_DEPTH:
        raise InputError(
            f"{name}: arrays or inline tables nested more than {MAX_DEPTH} levels deep; a scenario nests a few levels"
        )
    return text, parsed


__all__ = ["read_toml"]
