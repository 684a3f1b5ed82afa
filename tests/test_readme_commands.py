"""Every `$ areo ...` command shown in README.md (and docs/**/*.md) runs through the installed console entry point
and exits as the README shows: 0, or 2 where the next line of the block is an error (`InputError: ...`).

Commands are run in a temporary folder; `--out` targets are rewritten into it and repository paths
(`scenarios/...`) made absolute. Two kinds of change to what the README shows, each visible below:
- commands that read a file the README never shows (e.g. `bad.toml`) are skipped with the reason;
- Monte Carlo run counts are lowered (README_RUNS_LIMIT) so the whole file stays near a minute on 2 cores; the
  command, its options and its exit code are otherwise the README's.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]
ERROR_LINE = re.compile(r"^[A-Za-z]*Error\b")  # InputError:, ResourceError:, Error: ...
OPTIONAL = re.compile(r"\s\[[^\]]*\]")  # `[--scheduler tcp://HOST:8786]`: an option shown as optional
# The README's Monte Carlo examples (2000 and 1,000,000 runs) would take minutes; the test runs at most this many
# (and a campaign's --chunk at most half of it, so it still writes more than one chunk).
README_RUNS_LIMIT = 100


@dataclass(frozen=True)
class Shown:
    source: str  # file:line
    command: str  # as shown, continuation lines joined, without the leading `$ `
    expect_error: bool


def shown_commands() -> list[Shown]:
    found = []
    for doc in DOCS:
        lines = doc.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            line, start = lines[i], i
            if not line.startswith("$ areo "):
                i += 1
                continue
            cmd = line[2:]
            while cmd.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd.rstrip()[:-1].rstrip() + " " + lines[i].strip()
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            found.append(Shown(f"{doc.relative_to(REPO)}:{start + 1}", cmd, bool(ERROR_LINE.match(nxt))))
            i += 1
    return found


COMMANDS = shown_commands()


def _demo_command() -> Shown:
    """What `make demo` runs (the README's quick start writes out/exomars2016 with it): a producer for README
    commands that read its files. Run here with few Monte Carlo runs (the files read are the same)."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    line = next(ln for ln in text.split("\ndemo:", 1)[1].splitlines()[1:] if "areo " in ln)
    return Shown("Makefile:demo", "areo " + line.split("areo ", 1)[1].strip() + " --runs 20", False)


PRODUCERS = [_demo_command(), *COMMANDS]


def _argv(shown: Shown, tmp: Path) -> list[str]:
    args = shlex.split(OPTIONAL.sub("", shown.command), comments=True)[1:]
    out = []
    for k, a in enumerate(args):
        prev = args[k - 1] if k else ""
        if prev == "--out":
            a = str(tmp / a)
        elif prev == "--runs" and int(a) > README_RUNS_LIMIT:
            a = str(README_RUNS_LIMIT)  # lowered: see README_RUNS_LIMIT
        elif prev == "--chunk":
            a = str(min(int(a), README_RUNS_LIMIT // 2))
        elif not a.startswith("-") and "/" in a and (REPO / a).exists():
            a = str(REPO / a)
        elif _producer(shown, a) is not None:
            a = str(tmp / a)  # written there by the earlier README command that makes it (run first)
        out.append(a)
    return out


def _out_folder(shown: Shown) -> str | None:
    args = shlex.split(OPTIONAL.sub("", shown.command), comments=True)
    return args[args.index("--out") + 1] if "--out" in args[:-1] else None


def _producer(shown: Shown, arg: str) -> Shown | None:
    """The earlier README command whose --out folder holds ``arg`` (e.g. `areo check out/x/tracking.tdm` reads
    what `areo replay ... --out out/x` wrote), or None."""
    for c in PRODUCERS[: PRODUCERS.index(shown)] if shown in PRODUCERS else []:
        out = _out_folder(c)
        if out and not c.expect_error and arg.startswith(out.rstrip("/") + "/"):
            return c
    return None


def _unshown_inputs(shown: Shown) -> list[str]:
    """Input files the command reads that the repository does not hold (a README that shows such a file in a block
    would need this test to write it first)."""
    args = shlex.split(OPTIONAL.sub("", shown.command), comments=True)
    return [a for a in args if a.endswith(".toml") and not (REPO / a).exists()]


def _entry_point() -> str:
    here = Path(sys.executable).parent / "areo"
    found = str(here) if here.exists() else shutil.which("areo")
    if found is None:
        pytest.fail("the `areo` console entry point is not installed (pip install -e .)")
    return found


def test_readme_shows_commands():
    """The parser finds the README's examples (a parser that finds nothing would pass every case below)."""
    assert len(COMMANDS) >= 10
    assert sum(c.expect_error for c in COMMANDS) >= 4
    assert any(c.command.startswith("areo porkchop") and "--out" in c.command for c in COMMANDS)
    skipped = [c for c in COMMANDS if _unshown_inputs(c)]
    assert len(skipped) == 2, [c.source for c in skipped]  # `areo replay bad.toml` twice: bad.toml is not shown


@pytest.mark.parametrize("shown", COMMANDS, ids=[c.source for c in COMMANDS])
def test_readme_command_exits_as_shown(shown, tmp_path):
    missing = _unshown_inputs(shown)
    if missing:
        pytest.skip(f"{shown.source}: needs {', '.join(missing)}, which the README does not show")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    args = shlex.split(OPTIONAL.sub("", shown.command), comments=True)[1:]
    for producer in {p for a in args if (p := _producer(shown, a)) is not None}:
        made = subprocess.run([_entry_point(), *_argv(producer, tmp_path)], cwd=tmp_path, env=env, capture_output=True)
        assert made.returncode == 0, f"{producer.source} (which {shown.source} reads) failed: {made.stderr[-2000:]!r}"
    argv = [_entry_point(), *_argv(shown, tmp_path)]
    r = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    expected = 2 if shown.expect_error else 0
    assert r.returncode == expected, f"{shown.source}: {' '.join(argv)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    assert "Traceback" not in r.stderr
    if shown.expect_error:
        assert ERROR_LINE.match(r.stderr.strip().splitlines()[-1]), r.stderr
