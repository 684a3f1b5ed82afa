"""Reading user TOML files (scenarios) into text and a mapping, with one clear error for every way it can fail:
unreadable, binary, not UTF-8 (UTF-16, Latin-1), not TOML, or nested too deeply to be a scenario."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import InputError
from .pathkind import refuse_special

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


def _duplicate_hint(msg: str, text: str) -> str:
    """For tomllib's "Cannot overwrite a value (at line N, ...)": the key given twice and how to fix it."""
    m = re.match(r"Cannot overwrite a value \(at line (\d+),", msg)
    lines = text.splitlines()
    if m is None or not 1 <= int(m[1]) <= len(lines):
        return ""
    key = re.match(r"\s*([A-Za-z0-9_.\"'-]+)\s*=", lines[int(m[1]) - 1])
    what = f"key {key[1]!r}" if key else "a key"
    return f"; {what} is given twice in the same table: keep one of the two lines"


def read_toml(path: str | os.PathLike[str]) -> tuple[str, dict[str, Any]]:
    """The text and the parsed mapping of the TOML file at ``path``; InputError naming the file otherwise."""
    p = Path(path)
    name = p.name or str(p)
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder; give the path of a .toml file")
    refuse_special(p, repr(str(p)), "give the path of a .toml file")
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read {str(p)!r}: {exc.strerror or exc}; give the path of a readable .toml file"
        ) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB; a scenario file is a few kB of TOML")
    text = _decode(data, name)
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML: {exc}{_duplicate_hint(str(exc), text)}") from None
    except RecursionError:
        raise InputError(
            f"{name}: arrays or inline tables nested too deeply; a scenario nests at most a few levels"
        ) from None
    if _depth(parsed, MAX_DEPTH) > MAX_DEPTH:
        raise InputError(
            f"{name}: arrays or inline tables nested more than {MAX_DEPTH} levels deep; a scenario nests a few levels"
        )
    return text, parsed


def _headers(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, dotted name) of every table header, ``[a.b]`` or ``[[a.b]]``."""
    out = []
    for i, line in enumerate(lines):
        code = line.split("#", 1)[0].strip()
        if code.startswith("[") and code.endswith("]"):
            out.append((i, code.strip("[]").replace(" ", "")))
    return out


def line_of(text: str, loc: tuple[int | str, ...] | list[int | str]) -> int | None:
    """Best-effort 1-based line of the value at ``loc`` in the TOML ``text``: a pydantic error location such as
    ``("edl", "phases", 3, "engines")`` (the 4th ``[[edl.phases]]``) or ``("edl", "entry", "speed_km_s")``; the
    line of the innermost table found when the key itself is absent (a missing key); None if none is found."""
    lines = text.splitlines()
    heads = _headers(lines)
    lo, hi, best, path = 0, len(lines), None, []
    parts = list(loc)
    for k, part in enumerate(parts):
        if isinstance(part, int):
            continue
        path.append(str(part))
        name = ".".join(path)
        inside = [i for i, n in heads if lo <= i < hi and n == name]
        if inside:
            following = parts[k + 1] if k + 1 < len(parts) else None
            nth = following if isinstance(following, int) else 0
            if nth >= len(inside):
                return best
            lo = inside[nth]
            hi = next((i for i, n in heads if i > lo and (n == name or not n.startswith(name + "."))), hi)
            best = lo + 1
            continue
        if any(lo <= i < hi and n.startswith(name + ".") for i, n in heads):
            continue  # a table with sub-tables only ([edl.sixdof.capsule] but no [edl.sixdof])
        body_end = next((i for i, _ in heads if lo < i < hi), hi)
        key = re.compile(rf"^\s*{re.escape(str(part))}\s*=")
        return next((i + 1 for i in range(lo, body_end) if key.match(lines[i])), best)
    return best


__all__ = ["line_of", "read_toml"]
