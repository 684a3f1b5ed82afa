"""Property-based fuzzing of every CLI sub-command, in-process with typer's CliRunner.

Each example starts from a cheap valid command line and replaces one to three options with values drawn from a
pool of bad ones (reversed ranges, zero/negative/huge grids, elevations outside [-90, 90], empty strings,
NaN/inf/huge numbers, folders, device nodes, pipes and /proc paths as outputs). The property: never an exception
(a traceback), never a hang (every drawn run is bounded), and a bad value is refused with exit code 2 and one
line on stderr. Ground-segment commands (another engineer's validation work) are held only to "no traceback,
exit 0 or 2".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from areo.cli import app
from areo.scenarios import locate

BUILTIN = locate("exomars2016").parent  # the shipped scenarios folder

runner = CliRunner()
SCENARIO = str(BUILTIN / "exomars2016.toml")

BAD_NUMBERS = ["nan", "inf", "-inf", "1e308", "-1e308", "", "abc", "1e999"]
BAD_INTS = ["-1", "-9223372036854775809", str(2**63), str(2**64), "", "abc", "1.5", "1e3"]
BAD_DATES = ["", "banana", "1800-01-01", "2300-01-01", "9999-12-31", "0001-01-01", "2016-02-30", "[/]", "2016-13-01"]
BAD_RANGES = [
    "2016-06-30:2016-01-01",
    "2016-01-01:2016-01-01",
    ":",
    "",
    "2016-01-01",
    "1800-01-01:1801-01-01",
    "2300-01-01:2301-01-01",
    "9999-12-30:9999-12-31",
    "banana:2016-01-01",
]


def _out_targets(tmp: Path) -> dict[str, str]:
    """Bad --out targets, made in ``tmp``."""
    f = tmp / "a-file.txt"
    f.write_text("keep me\n")
    fifo = tmp / "a-pipe"
    if not fifo.exists():
        os.mkfifo(fifo)
    return {
        "empty": "",
        "blank": "   ",
        "existing file": str(f),
        "under a file": str(f / "sub"),
        "proc": "/proc/areo-fuzz/out",
        "sys": "/sys/areo-fuzz",
        "dev full": "/dev/full",
        "dev null": "/dev/null",
        "pipe": str(fifo),
    }


def _out_file_targets(tmp: Path) -> dict[str, str]:
    d = _out_targets(tmp)
    d.pop("existing file")
    d["folder"] = str(tmp)
    d["trailing slash"] = str(tmp / "new") + "/"
    return d


# option -> pool of bad values, per command; each command's base is a cheap valid command line
COMMANDS: dict[str, dict] = {
    "ephem": {
        "base": ["ephem", "mars", "--at", "2016-10-19"],
        "bad": {
            "--at": BAD_DATES + BAD_RANGES[:3],
            "--step-days": ["0", "-1", *BAD_NUMBERS],
            "--center": ["", "moon2", "[/]"],
            "--frame": ["", "galactic"],
            "body": ["", "vulcan", "[/]"],
        },
        "ground": False,
    },
    "porkchop": {
        "base": ["porkchop", "earth", "mars", "--depart", "2016-01-01:2016-06-30", "--arrive", "2016-08-01:2017-03-31"],
        "bad": {
            "--grid": ["0", "-5", "1", "0x5", "5x0", "4x-1", "100000", "1e9", "nan", "", "abc", "5x5x5"],
            "--depart": BAD_RANGES,
            "--arrive": BAD_RANGES,
            "--at": ["", "2016-03-14", "banana/2016-10-19", "1800-01-01/1800-06-01", "2016-10-19/2016-03-14"],
            "--objective": ["", "mass", "[/]"],
            "--out": "OUTDIR",
            "origin": ["", "vulcan"],
        },
        "ground": False,
        "always_bad": True,  # a valid porkchop takes seconds: every example carries at least one bad value
    },
    "edl": {
        "base": ["edl", SCENARIO, "--out", "OUT"],
        "bad": {
            "--runs": ["0", "-1", "100000000", *BAD_INTS],
            "--seed": BAD_INTS,
            "--case": ["", "no-such-case", "[/]"],
            "--fault": ["", "no-such-fault", "[/]"],
            "--chunk": ["0", "-1", *BAD_INTS],
            "--scheduler": ["", "not an address", "tcp://", "host:0", "host:99999", "http://x:1:2", "[/]"],
            "--out": "OUTDIR",
            "scenario": ["", "/nonexistent.toml", "/proc/self/status", "/dev/null", "TMPDIR"],
        },
        "ground": False,
        "always_bad": True,
    },
    "replay": {
        "base": ["replay", "exomars2016", "--runs", "0", "--out", "OUT"],
        "bad": {
            "--runs": ["-1", "100001", "100000000", *BAD_INTS],
            "--seed": BAD_INTS,
            "--out": "OUTDIR",
            "scenario": ["", "no-such-scenario", "/dev/null", "TMPDIR"],
        },
        "ground": False,
        "always_bad": True,
    },
    "stations": {
        "base": ["stations"],
        "bad": {"--network": ["", "nonet", "[/]"], "--stations-file": ["", "/nonexistent.toml", "/dev/null", "TMPDIR"]},
        "ground": True,
    },
    "passes": {
        "base": ["passes", "--station", "dss-63", "--start", "2016-10-18", "--stop", "2016-10-20"],
        "bad": {
            "--station": ["", "nostation", "[/]"],
            "--start": BAD_DATES,
            "--stop": BAD_DATES,
            "--min-elevation": ["-90.1", "90.1", "-1000", *BAD_NUMBERS],
            "--target": ["", "vulcan"],
        },
        "ground": True,
    },
    "link": {
        "base": ["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z"],
        "bad": {
            "--band": ["", "q", "[/]"],
            "--at": BAD_DATES,
            "--rate-kbps": ["0", "-1", *BAD_NUMBERS],
            "--margin-db": BAD_NUMBERS,
            "--eirp-dbw": BAD_NUMBERS,
            "--coding": ["", "magic"],
            "--spacecraft": ["", "nosuch"],
        },
        "ground": True,
    },
    "coverage": {
        "base": ["coverage", "--network", "dsn", "--start", "2016-10-19", "--stop", "2016-10-20"],
        "bad": {
            "--network": ["", ";", "nonet", "[/]"],
            "--start": BAD_DATES,
            "--stop": BAD_DATES,
            "--step": ["0", "-60", "1e-9", *BAD_NUMBERS],
            "--min-elevation": ["-91", "91", *BAD_NUMBERS],
            "--band": ["", "q"],
            "--at": BAD_DATES,
        },
        "ground": True,
    },
    "tracking": {
        "base": ["tracking", "--station", "dss-63", "--start", "2016-10-19", "--stop", "2016-10-19T02:00"],
        "bad": {
            "--step": ["0", "-1", "1e-9", *BAD_NUMBERS],
            "--start": BAD_DATES,
            "--stop": BAD_DATES,
            "--band": ["", "q"],
            "--out": "OUTFILE",
        },
        "ground": True,
    },
    "telemetry": {
        "base": ["telemetry", "--station", "dss-63", "--at", "2016-10-19T14:42Z", "--duration", "2"],
        "bad": {
            "--seed": BAD_INTS,
            "--duration": ["0", "-1", "1e9", *BAD_NUMBERS],
            "--rate-kbps": ["0", "-1", "1e12", *BAD_NUMBERS],
            "--eb-n0-db": BAD_NUMBERS,
            "--at": BAD_DATES,
            "--edl": ["", "no-such-scenario"],
        },
        "ground": True,
    },
}
POSITIONAL = {"body": 1, "origin": 1, "scenario": 1}


@st.composite
def command_lines(draw, tmp: Path) -> tuple[str, list[str], list[str]]:
    """(command, argv, names of the options made bad)."""
    name = draw(st.sampled_from(sorted(COMMANDS)))
    spec = COMMANDS[name]
    argv = list(spec["base"])
    if "OUT" in argv:
        argv[argv.index("OUT")] = str(tmp / f"{name}-out")
    options = draw(st.lists(st.sampled_from(sorted(spec["bad"])), min_size=1, max_size=3, unique=True))
    for opt in options:
        pool = spec["bad"][opt]
        if pool == "OUTDIR":
            value = draw(st.sampled_from(sorted(_out_targets(tmp).values())))
        elif pool == "OUTFILE":
            value = draw(st.sampled_from(sorted(_out_file_targets(tmp).values())))
        else:
            value = draw(st.sampled_from(pool))
        value = str(tmp) if value == "TMPDIR" else value
        if opt in POSITIONAL:
            argv[POSITIONAL[opt]] = value
        elif opt in argv:
            argv[argv.index(opt) + 1] = value
        else:
            argv += [opt, value]
    return name, argv, options


@given(data=st.data())
def test_cli_bad_arguments_fail_cleanly(data, tmp_path_factory, fuzz_counts):
    tmp = tmp_path_factory.mktemp("cli")
    name, argv, _options = data.draw(command_lines(tmp))
    if os.environ.get("AREO_FUZZ_TRACE"):  # a log of the command lines tried, to find a hang
        with open(os.environ["AREO_FUZZ_TRACE"], "a") as log:
            print("fuzz:", argv, file=log)
    r = runner.invoke(app, argv)
    assert r.exception is None or isinstance(r.exception, SystemExit), (argv, repr(r.exception))
    if COMMANDS[name]["ground"]:
        assert r.exit_code in (0, 2), (argv, r.exit_code, r.output)
    else:
        assert r.exit_code == 2, ("accepted nonsense", argv, r.output[-500:])
    kind = "accepted"
    if r.exit_code == 2:
        lines = r.stderr.strip().splitlines()
        if lines and lines[0].startswith("Usage:"):  # click's own parse error (a box of a few lines), no traceback
            kind = "usage error"
            assert "Error" in r.stderr and "Traceback" not in r.stderr, (argv, r.stderr)
        else:
            kind = "clean error"
            assert len(lines) == 1 and "Error" in lines[0], (argv, r.stderr)
        after = sorted(p.name for p in tmp.iterdir())
        assert not [n for n in after if n.endswith(".tmp") or n.startswith(".areo-probe")], (argv, after)
    assert Path(tmp / "a-file.txt").read_text() == "keep me\n" if (tmp / "a-file.txt").exists() else True
    fuzz_counts[f"cli {name}: {kind}"] += 1


@pytest.mark.parametrize(
    "argv",
    [
        ["ephem", "mars", "--at", "2016-10-01:2016-10-03"],
        ["stations", "--network", "dsn"],
        ["passes", "--station", "dss-63", "--start", "2016-10-18", "--stop", "2016-10-20", "--min-elevation", "5"],
        ["link", "--station", "dss-63", "--at", "2016-10-19T14:42Z"],
        ["tracking", "--station", "dss-63", "--start", "2016-10-19", "--stop", "2016-10-19T01:00", "--step", "600"],
    ],
)
def test_cli_valid_arguments_run(argv, fuzz_counts):
    r = runner.invoke(app, argv)
    assert r.exit_code == 0, (argv, r.output)
    fuzz_counts[f"cli {argv[0]}: valid run"] += 1
