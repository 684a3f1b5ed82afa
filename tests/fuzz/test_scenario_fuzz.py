"""Property-based fuzzing of scenario files: every shipped scenario, mutated.

Each mutated file goes through what ``areo replay`` and ``areo edl`` do before any stage runs (load, validate,
preflight). The property: either the file is accepted, or one ``AreoError`` comes back whose message is one line
naming the file; never another exception, and never accepted nonsense (a mass <= 0, an entry flight-path angle
> 0, a date outside the ephemeris). Only a handful of files are flown (``test_valid_scenarios_fly``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from areo.errors import AreoError
from areo.mission.replay import preflight
from areo.mission.scenario import load_scenario
from areo.scenarios import locate

BUILTIN = locate("exomars2016").parent  # the shipped scenarios folder

# The mission scenarios (the aerobraking ones, with an [aerobraking] table, have their own schema and tests in
# tests/aerobraking)
SCENARIOS = {
    p.stem: text
    for p in sorted(BUILTIN.glob("*.toml"))
    if "\n[aerobraking]" not in (text := p.read_text(encoding="utf-8"))
}
NAMES = sorted(SCENARIOS)
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+)\s*=\s*(?P<value>.*)$")

BAD_VALUES = [
    "nan",
    "inf",
    "-inf",
    "-1",
    "-1.5",
    "0",
    "0.0",
    "1e300",
    "-1e300",
    "123456789012345678901234567890",
    "true",
    "false",
    '"text"',
    '""',
    '"' + "x" * 20_000 + '"',
    "[]",
    '["nope"]',
    "{}",
    "{ a = 1 }",
    "2.5",
    "1800-01-01",
    "2016-03-14T09:31:42Z",
    '"1800-01-01T00:00:00Z"',
    '"2300-01-01T00:00:00Z"',
    '"9999-12-31T23:59:59Z"',
    '"2016-13-45"',
    '"14/03/2016"',
    '"banana"',
    '"2016-01-01:1800-01-01"',
    '"[/]"',
]
UNKNOWN_NAMES = ['["nonet"]', '["no-such-fault"]', '"Q"', '"no-such-model"', '"nothere.csv"', '"no-such-case"']


def _key_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines()) if _KEY_LINE.match(line)]


@st.composite
def mutated(draw) -> tuple[str, bytes, str]:
    """(kind, file bytes, key touched or '')."""
    name = draw(st.sampled_from(NAMES))
    text = SCENARIOS[name]
    lines = text.splitlines()
    kind = draw(
        st.sampled_from(
            [
                "delete key",
                "bad value",
                "unknown name",
                "number",
                "duplicate table",
                "unknown key",
                "truncated",
                "binary",
                "encoding",
                "deep nesting",
                "empty",
                "events reordered",
            ]
        )
    )
    key = ""
    if kind in ("delete key", "bad value", "unknown name", "number"):
        i = draw(st.sampled_from(_key_lines(text)))
        key = _KEY_LINE.match(lines[i])["key"]
        if kind == "delete key":
            del lines[i]
        else:
            if kind == "bad value":
                value = draw(st.sampled_from(BAD_VALUES))
            elif kind == "unknown name":
                value = draw(st.sampled_from(UNKNOWN_NAMES))
            else:
                x = draw(st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False)))
                value = repr(x) if isinstance(x, int) else f"{x!r}".replace("e+", "e")
            lines[i] = f"{key} = {value}"
        body = "\n".join(lines).encode()
    elif kind == "duplicate table":
        headers = [i for i, line in enumerate(lines) if line.startswith("[")]
        i = draw(st.sampled_from(headers))
        body = "\n".join([*lines, lines[i], "x = 1"]).encode()
    elif kind == "unknown key":
        headers = [i for i, line in enumerate(lines) if line.startswith("[")]
        i = draw(st.sampled_from(headers))
        lines.insert(i + 1, "surprise_key = 1")
        body = "\n".join(lines).encode()
    elif kind == "truncated":
        body = text.encode()[: draw(st.integers(0, len(text.encode())))]
    elif kind == "binary":
        junk = draw(st.binary(min_size=1, max_size=64))
        at = draw(st.integers(0, len(text)))
        body = text.encode()[:at] + junk + text.encode()[at:]
    elif kind == "encoding":
        enc = draw(st.sampled_from(["utf-16", "utf-16-le", "latin-1", "cp1252", "utf-8-sig"]))
        body = ("# Schiaparelli, Planum Meridiani: café, ±2°\n" + text).encode(enc, errors="replace")
    elif kind == "deep nesting":
        depth = draw(st.integers(1, 3000))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a=", "}")]))
        nested = opener * depth + ("1" if opener == "{a=" else "") + closer * depth
        body = f"x = {nested}\n{text}".encode()
    elif kind == "empty":
        body = draw(st.sampled_from([b"", b"\n", b"# nothing\n", b"   "]))
    else:  # events reordered: the first [[events]] block moved to the end (valid TOML, same content)
        blocks = re.split(r"(?m)^(?=\[)", text)
        ev = [b for b in blocks if b.startswith("[[events]]")]
        if ev:
            blocks.remove(ev[0])
            blocks.append("\n" + ev[0])
        body = "".join(blocks).encode()
    return kind, body, key


def _preflight_only(path: Path) -> None:
    sc = load_scenario(str(path))
    preflight(sc)


def _nonsense(path: Path) -> str | None:
    """A reason if an accepted file holds physical nonsense the models must refuse."""
    import tomllib

    data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    c = data.get("cruise", {})
    for v in ("orbiter", "lander"):
        if v in c and (c[v].get("mass_kg", 1) <= 0 or c[v].get("dry_mass_kg", 1) <= 0):
            return f"cruise.{v}: a mass <= 0"
    if c.get("entry_fpa_deg", -1) > 0:
        return "cruise.entry_fpa_deg > 0"
    edl = data.get("edl", {})
    if edl.get("entry", {}).get("flight_path_angle_deg", -1) > 0:
        return "edl.entry.flight_path_angle_deg > 0"
    if edl and edl["aeroshell"]["entry_mass_kg"] <= 0:
        return "edl.aeroshell.entry_mass_kg <= 0"
    return None


@given(case=mutated())
def test_mutated_scenarios_fail_cleanly(case, tmp_path_factory, fuzz_counts):
    kind, body, key = case
    path = tmp_path_factory.mktemp("sc") / "mutant.toml"
    path.write_bytes(body)
    try:
        _preflight_only(path)
    except AreoError as exc:
        msg = str(exc)
        assert "\n" not in msg, msg
        assert "mutant.toml" in msg, msg
        fuzz_counts[f"scenario {kind}: clean error"] += 1
        return
    reason = _nonsense(path)
    assert reason is None, f"accepted nonsense ({kind} {key}): {reason}"
    fuzz_counts[f"scenario {kind}: accepted"] += 1


@pytest.mark.parametrize("name", NAMES)
def test_valid_scenarios_fly(name, fuzz_counts):
    """The shipped files pass preflight; the EDL of the one with [edl] flies its nominal case to the ground."""
    sc = load_scenario(name)
    preflight(sc)
    fuzz_counts["scenario valid: preflight passed"] += 1
    if sc.edl is not None:
        from areo.edl.api import simulate_scenario

        run = simulate_scenario(sc.path, None, (), history=False)
        assert run.status in ("landed", "crashed", "hard_landing"), run.status
        fuzz_counts["scenario valid: EDL flown"] += 1
