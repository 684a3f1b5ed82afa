"""Deterministic tests, one per bug found by fuzzing (issue 9): each once ended in a traceback, a hang, a
misleading "wrote" or silently accepted nonsense; each must now be one clear error (exit 2 on the CLI)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.edl.atmosphere import TabulatedAtmosphere
from areo.errors import AreoError, InputError, OutputError
from areo.io.files import atomic_write_text, staged_output
from areo.io.outpath import check_out_dir, check_out_file
from areo.mission.replay import preflight
from areo.mission.scenario import load_scenario
from areo.scenarios import locate

BUILTIN = locate("exomars2016").parent  # the shipped scenarios folder

runner = CliRunner()
SRC = (BUILTIN / "exomars2016.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, body: bytes | str, name: str = "s.toml") -> Path:
    p = tmp_path / name
    p.write_bytes(body.encode() if isinstance(body, str) else body)
    return p


def _refused(tmp_path: Path, text: str | bytes, *needles: str) -> str:
    with pytest.raises(AreoError) as exc:
        preflight(load_scenario(str(_write(tmp_path, text))))
    msg = str(exc.value)
    assert "\n" not in msg and "s.toml" in msg, msg
    for n in needles:
        assert n in msg, msg
    return msg


# ------------------------------------------------------------------------------------------- scenario files
@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (SRC.encode("utf-16"), "UTF-16"),
        (("# café\n" + SRC).encode("latin-1"), "line 1: byte 0xe9 is not UTF-8"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary"),
    ],
)
def test_non_utf8_scenarios_are_refused(tmp_path, body, needle):
    _refused(tmp_path, body, needle)


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "{a=" * 3000 + "1" + "}" * 3000, "[" * 40 + "]" * 40])
def test_deep_nesting_is_refused(tmp_path, nested):
    _refused(tmp_path, f"x = {nested}\n" + SRC, "nested")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        (
            'utc = "2016-03-14T09:31:42Z"',
            'utc = "9999-12-31T23:59:59Z"',
            "line 11: launch.utc (near the year 10000) is outside the DE421",
        ),
        (
            'window_depart = "2016-01-01:2016-06-30"',
            'window_depart = "9999-01-01:9999-12-31"',
            "line 14: launch.window",
        ),
        ("dry_mass_kg = 1319.0", "dry_mass_kg = 0", "cruise.orbiter.dry_mass_kg"),
        ("dry_mass_kg = 1319.0", "dry_mass_kg = 5000.0", "make dry_mass_kg <= mass_kg"),
        ("count = 9 ", "count = true ", "edl.thrusters.count"),
        ("count = 9 ", "count = 9.0 ", "edl.thrusters.count"),
        ('epoch_utc = "2016-10-19T14:42:00"', 'epoch_utc = "banana"', "edl.entry.epoch_utc"),
        ('epoch_utc = "2016-10-19T14:42:00"', 'epoch_utc = "1800-10-19T14:42:00"', "1900 to 2100"),
        (
            'epoch_utc = "2016-10-19T14:42:00"',
            'epoch_utc = "2017-10-19T14:42:00"',
            "edl.entry.epoch_utc = '2017-10-19T14:42:00'",
        ),
        ("flight_path_angle_deg = -12.4", "flight_path_angle_deg = 3.0", "flight_path_angle_deg"),
        ("mass_kg = 3755.0", "mass_kg = nan", "finite"),
        ("thrust_each_n = 400.0", "thrust_each_n = -400.0", "edl.thrusters.thrust_each_n"),
        ("failed_in_thruster_failure = 3", "failed_in_thruster_failure = 12", "more than thrusters.count"),
        # errors that used to surface 15-50 s into a replay, after preflight had passed
        ('band = "X"', 'band = "Q"', "ground.band"),
        ('faults = ["imu-saturation"]', 'faults = ["imu-saturatoin"]', "unknown fault"),
        ("front_shield_mass_kg = 80.0", "front_shield_mass_kg = 500.0", "must be below entry_mass_kg"),
        ('model = "glenn" ', 'model = "table"\ntable = "missing.csv" ', "edl.atmosphere"),
        ('name = "ExoMars 2016"', 'name = "' + "x" * 5000 + '"', "at most 200"),
    ],
)
def test_scenario_nonsense_is_refused_in_preflight(tmp_path, old, new, needle):
    assert old in SRC, old
    _refused(tmp_path, SRC.replace(old, new, 1), needle)


_TCM = 'tcm_utc = ["2016-08-11T09:00:00Z", "2016-09-19T09:00:00Z", "2016-10-14T09:00:00Z"]'
_GLENN = 'model = "glenn" '
_PAST_SW = "[[edl.parachutes]]\n"


# audit 3 (s22): scenario keys that were accepted and then ignored or never fired (each flew before the fix)
@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ("sequence = [", "sequence = [] #", ("cruise.sequence = []", "empty sequence names no segment")),
        (_TCM, _TCM + "\ntcm_names = []", ("cruise.tcm_names = []", "give one name per tcm_utc epoch")),
        (_TCM, _TCM + '\ntcm_names = ["TCM-1", " ", "TCM-3"]', ("cruise.tcm_names", "name 1 is empty")),
        ('source = "ESA PR 8-2016', 'source = "" #', ("events.0.source = ''", "at least 1 character")),
        ('source = "ESA: 100 x 15', 'source = "" #', ("landmarks.0.source = ''", "at least 1 character")),
        ("below_m = 1200.0", "below_m = 0.0", ("phases.2.exit.0", "'radar_altitude' threshold must be > 0")),
        (_GLENN, _GLENN + '\ntable = "mars.csv"', ("edl.atmosphere", "table = 'mars.csv' is read by no model")),
        (
            _GLENN,
            _GLENN + '\nnavigation_table = "mars.csv"',
            ("edl.atmosphere", "navigation_table = 'mars.csv' is not read with navigation_model = 'glenn'"),
        ),
        (
            _PAST_SW,
            "[edl.bank]\nprofile_at = [0.0, 60.0]\nprofile_deg = [0.0, 30.0]\n\n" + _PAST_SW,
            ("edl.bank", "profile_at is given but law = 'constant' does not read it; set law = 'profile'"),
        ),
        (
            _PAST_SW,
            '[edl.bank]\nlaw = "profile"\nprofile_at = [0.0, 60.0]\nprofile_deg = [0.0, 30.0]\n'
            "reference_speed_m_s = [1000.0, 5000.0]\n\n" + _PAST_SW,
            ("edl.bank", "reference_speed_m_s is given but law = 'profile' does not read it"),
        ),
        (
            _PAST_SW,
            '[edl.bank]\nlaw = "drag_tracking"\nreference_speed_m_s = [500.0, 6000.0]\n'
            "reference_drag_m_s2 = [-5.0, 10.0]\n\n" + _PAST_SW,
            ("edl.bank", "reference_drag_m_s2 values must lie in [0, 2000] m/s^2"),
        ),
        (
            _PAST_SW,
            '[edl.bank]\nlaw = "drag_tracking"\nreference_speed_m_s = [-500.0, 6000.0]\n'
            "reference_drag_m_s2 = [5.0, 10.0]\n\n" + _PAST_SW,
            ("edl.bank", "reference_speed_m_s values must lie in [0, 20000] m/s"),
        ),
        (
            _PAST_SW,
            '[edl.bank]\nlaw = "profile"\nprofile_of = "speed_m_s"\nprofile_at = [-100.0, 6000.0]\n'
            "profile_deg = [0.0, 30.0]\n\n" + _PAST_SW,
            ("edl.bank", "profile_at starts at -100", "must be >= 0"),
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nmaneuvers = [{dv_m_s = [1.0, 0.0, 0.0], at = "2016-09-01T00:00:00Z", '
            'body = ""}]',
            ("cruise.maneuvers.0.body = ''", "unknown reference body ''; use one of sun, earth, mars, venus"),
        ),
        (
            "perigee_altitude_km = 200.0",
            'perigee_altitude_km = 200.0\nmaneuvers = [{dv_m_s = [1.0, 0.0, 0.0], at = "2016-09-01T00:00:00Z", '
            'body = "Phobos"}]',
            ("cruise.maneuvers.0.body = 'Phobos'", "unknown reference body 'Phobos'"),
        ),
    ],
)
def test_ignored_or_unreachable_scenario_keys_are_refused(tmp_path, old, new, needles):
    assert old in SRC, old
    _refused(tmp_path, SRC.replace(old, new, 1), *needles)


@pytest.mark.parametrize(
    ("rows", "needles"),
    [
        (
            "0,0.9\n1,1.2\n2,1.5\n",
            ("edl.aeroshell.aero_table 'aero.csv' stops at Mach 2 but the entry is at Mach", "10"),
        ),
        ("0,0.9\n1,1.2\n5,1.63\n", ("stops at Mach 5 but the entry is at Mach",)),
    ],
)
def test_capsule_table_short_of_the_entry_mach_is_refused(tmp_path, rows, needles):
    """Audit 3 (s22): a capsule table stopping at Mach 2 flew a Mach-31 entry on its last row's C_D."""
    (tmp_path / "aero.csv").write_text("mach,drag_coefficient\n" + rows)
    old = "diameter_m = 2.4 "
    assert old in SRC
    _refused(tmp_path, SRC.replace(old, 'aero_table = "aero.csv"\n' + old, 1), *needles)


# audit 3 (s22): a value of the wrong type named the key but not the range it allows (`areo edl` said it, `areo
# replay` did not); both now give the declared range
@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ("mass_kg = 3755.0", "mass_kg = nan", ("cruise.orbiter.mass_kg = nan", "finite number (allowed: gt 0, lt")),
        ("window_grid = 160", "window_grid = true", ("launch.window_grid = True", "(allowed: ge 20, le 1000)")),
        ("rate_kbps = 8.0", 'rate_kbps = "fast"', ("ground.edl_telemetry.rate_kbps", "(allowed: gt 0, le 10000)")),
        ("gyro_limit_deg_s = 200.0 ", "gyro_limit_deg_s = inf ", ("edl.imu.gyro_limit_deg_s", "(allowed: gt 1.0, le")),
        ("entry_mass_kg = 577.0", "entry_mass_kg = [577.0]", ("edl.aeroshell.entry_mass_kg", "(allowed: gt 0.0, le")),
        # a trigger's value key takes the range of its quantity; a flag takes true or false
        ("below = 2.0 ", "below = nan ", ("phases.0.exit.0.below = nan", "(allowed: 'mach' threshold must be > 0 and")),
        (
            "jettison_heatshield = true",
            'jettison_heatshield = "yes"',
            ("jettison_heatshield", "(allowed: true or false)"),
        ),
        ("below_m = 1200.0", "below_m = -5.0", ("a 'radar_altitude' threshold must be > 0 and <= 100000 m; beyond",)),
    ],
)
def test_wrong_types_in_a_scenario_name_the_allowed_range(tmp_path, old, new, needles):
    assert old in SRC, old
    _refused(tmp_path, SRC.replace(old, new, 1), *needles)


_ATM_H = "altitude_m,temperature_K,pressure_Pa,density_kg_m3"


@pytest.mark.parametrize(
    ("csv", "needle"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,two hundred,600,0.02\n", "line 2: not all numbers"),
        ("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,210,600,nan\n1000,200,500,0.01\n", "NaN or infinity"),
        ("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,210,600,0.02\n1000,inf,500,0.01\n", "NaN or infinity"),
        ("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,210,600\n", "3 values for 4 columns"),
        ("altitude_m,temperature_K,pressure_Pa,density_kg_m3\n0,210,600,0.02\n", "at least 2 rows"),
        ("altitude_m,temperature_K\n0,210\n", "lacks column"),
        # audit 3 (s22): each was read (a duplicate column flew to a NaN state, "step limit reached")
        (
            _ATM_H + ",density_kg_m3\n0,210,600,0.02,0.02\n1000,200,500,0.01,0.01\n",
            "line 1: column 'density_kg_m3' is given twice",
        ),
        (_ATM_H + ",wind_east\n0,210,600,0.02,5\n1000,200,500,0.01,5\n", "unknown column.*'wind_east'.*wind_east_m_s"),
        (
            _ATM_H + ",wind_east_m_s\n0,210,600,0.02,1e6\n1000,200,500,0.01,5\n",
            "line 2: wind_east_m_s = 1e\\+06 lies outside the allowed -300 to 300",
        ),
        (
            _ATM_H + "\n0,210,600,1e300\n1000,200,500,0.01\n",
            "line 2: density_kg_m3 = 1e\\+300 lies outside the allowed at most 100",
        ),
        (
            _ATM_H + "\n0,1e300,600,0.02\n1000,200,500,0.01\n",
            "line 2: temperature_K = 1e\\+300 lies outside the allowed at most 1000",
        ),
        (
            _ATM_H + "\n0,210,1e9,0.02\n1000,200,500,0.01\n",
            "line 2: pressure_Pa = 1e\\+09 lies outside the allowed at most 1e\\+07",
        ),
    ],
)
def test_bad_atmosphere_tables_are_refused(tmp_path, csv, needle):
    p = tmp_path / "atm.csv"
    p.write_text(csv)
    with pytest.raises(InputError, match=needle):
        TabulatedAtmosphere.from_csv(p)


def test_large_seed_does_not_overflow_the_noise_key():
    from areo.edl.montecarlo import sample_params

    nominal = {"entry_fpa": -0.2, "entry_speed": 5800.0}
    p = sample_params(nominal, {}, 2**63 - 1, 0, 3)
    assert np.all((p["noise_key"] >= 0) & (p["noise_key"] < 2**32))


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"runs": 2.5}, r"--runs must be an integer, got 2\.5 \(float\)"),
        ({"runs": True}, r"--runs must be an integer, got True \(bool\)"),
        ({"runs": 0}, r"--runs must be >= 1, got 0"),
        ({"runs": 2_000_000}, r"--runs must be at most 1,000,000, got 2,000,000: without --out"),
        ({"runs": 4, "seed": -1}, r"--seed must be an integer from 0 to 2\*\*63 - 1"),
        ({"runs": 4, "seed": "7"}, r"--seed must be an integer, got '7' \(str\)"),
        ({"runs": 4, "chunk": 0, "out_dir": "x"}, r"--chunk must be from 1 to 10,000,000"),
    ],
)
def test_three_dof_monte_carlo_api_refuses_bad_counts_before_any_work(kwargs, needle, monkeypatch):
    """areo.edl.monte_carlo shares the command line's limits (areo.limits): one InputError naming the option;
    nothing is loaded or flown (the scenario loader would fail the test)."""
    import areo.edl.api as edl_api

    monkeypatch.setattr(edl_api, "load", lambda *a, **k: pytest.fail("loaded"))
    with pytest.raises(InputError, match=needle):
        edl_api.monte_carlo("exomars2016", **kwargs)


# ---------------------------------------------------------------------------------------------- outputs
def test_out_targets_refused_before_any_work(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("keep")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for bad in ("", "  ", str(f), str(f / "sub"), "/proc/areo/x", "/dev/full", str(fifo)):
        with pytest.raises(InputError):
            check_out_dir(bad)
    for bad in ("", str(tmp_path), "/dev/full", "/dev/null", str(fifo), str(tmp_path) + "/"):
        with pytest.raises(InputError):
            check_out_file(bad)
    assert f.read_text() == "keep" and stat.S_ISFIFO(fifo.stat().st_mode)
    assert check_out_dir(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    assert not (tmp_path / "new").exists()  # checking creates nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "pipe"]


def test_failed_write_is_an_error_and_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match="No space left on device"), staged_output(out) as tmp:
        (tmp / "a.txt").write_text("x")
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_text(tmp_path / "b.txt", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["out"] or list(tmp_path.iterdir()) == []
    assert not list(tmp_path.glob(".*"))


def test_failure_inside_staged_output_removes_the_staging_folder(tmp_path):
    with pytest.raises(RuntimeError), staged_output(tmp_path / "out") as tmp:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("stage failed")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_never_replaces_a_device_or_pipe(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (Path("/dev/null"), fifo):
        with pytest.raises(InputError, match="not a regular file"):
            atomic_write_text(target, "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(fifo.stat().st_mode)


# ---------------------------------------------------------------------------------------------- CLI
def _cli_refuses(args: list[str], needle: str) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, (args, r.output, r.exception)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], (args, r.stderr)
    assert "wrote" not in r.stdout
    return lines[0]


SC = str(BUILTIN / "exomars2016.toml")
TRACK = ["tracking", "--station", "dss-63", "--start", "2016-10-19", "--stop", "2016-10-19T01:00"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["edl", SC, "--seed", "-1"], "--seed must be an integer from 0"),
        (["edl", SC, "--seed", str(2**63)], "--seed must be an integer from 0"),
        (["replay", "exomars2016", "--out", "OUT", "--seed", "-5"], "--seed"),
        (["telemetry", "--station", "dss-63", "--at", "2016-10-19", "--seed", str(2**64)], "--seed"),
        (["edl", SC, "--runs", "100000000"], "held in memory"),
        (["edl", SC, "--runs", "100000000", "--out", "OUT"], "loads every run"),
        (["edl", SC, "--runs", "10", "--out", "OUT", "--scheduler", "not an address"], "not a scheduler address"),
        (["edl", SC, "--runs", "10", "--out", "OUT", "--scheduler", "tcp://host:99999"], "not a scheduler address"),
        (["edl", SC, "--case", ""], "--case is empty"),
        (["coverage", "--network", "dsn", "--start", "2016-10-19", "--stop", "2016-10-20", "--step", "inf"], "--step"),
        (
            ["coverage", "--network", "dsn", "--start", "2016-01-01", "--stop", "2017-01-01", "--step", "1e-3"],
            "samples",
        ),
        ([*TRACK, "--step", "nan"], "--step"),
        ([*TRACK, "--out", "/dev/full"], "device node"),
        ([*TRACK, "--out", ""], "--out is empty"),
        (["replay", "exomars2016", "--out", ""], "--out is empty"),
        (["replay", "exomars2016", "--out", "/proc/areo/out"], "pseudo-file system"),
        (["porkchop", "earth", "mars", "--depart", "a:b", "--arrive", "c:d", "--out", "/dev/full"], "device node"),
        (
            ["porkchop", "earth", "mars", "--depart", "2016-13-45:2016-06-30", "--arrive", "2016-08-01:2017-03-31"],
            "departure range '2016-13-45:2016-06-30': cannot read '2016-13-45' as a UTC date",
        ),
        (
            ["passes", "--station", "dss-63", "--start", "2016-10-19", "--stop", "2016-10-20", "--min-elevation", "95"],
            "-90",
        ),
        (["stations", "--stations-file", ""], "--stations-file"),
        (["ephem", "mars", "--at", "2016-10-01:2016-10-02", "--step-days", "-inf"], "--step-days"),
    ],
)
def test_cli_bad_arguments_one_line_exit_2(tmp_path, args, needle):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    _cli_refuses(args, needle)
    assert not (tmp_path / "out").exists(), "a refused run left files behind"


def test_cli_out_existing_file_is_kept(tmp_path):
    f = tmp_path / "keep.txt"
    f.write_text("precious")
    _cli_refuses(["replay", "exomars2016", "--out", str(f)], "not a folder")
    _cli_refuses([*TRACK, "--out", str(tmp_path)], "is a folder")
    assert f.read_text() == "precious"


def test_markup_in_user_strings_is_printed_verbatim():
    from rich.console import Console

    from areo.cli.replay import edl_table, mission_table

    ev = SimpleNamespace(phase="cruise", name="[bold]DSM[/]", simulated_utc=None, recorded_utc=None, difference_s=None)
    res = SimpleNamespace(
        scenario=SimpleNamespace(mission=SimpleNamespace(name="Mission [/] x"), events=[]),
        timeline=[ev],
        edl={
            "[/]": {
                "events": [{"name": "entry", "t_s": 0.0, "altitude_m": 1e5}],
                "status": "landed",
                "touchdown_speed_m_s": 1.0,
            }
        },
    )
    con = Console(record=True, width=200)
    con.print(mission_table(res))
    con.print(edl_table(res))
    text = con.export_text()
    assert "Mission [/] x" in text and "[bold]DSM[/]" in text and "[/]" in text


def test_main_turns_an_unexpected_exception_into_one_line(monkeypatch, capsys):
    import areo.ephem
    from areo.cli import main

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(areo.ephem, "ephemeris_table", boom)
    monkeypatch.setattr(sys, "argv", ["areo", "ephem", "mars", "--at", "2016-10-19"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "RuntimeError: kaboom" in err and "--debug" in err and "Traceback" not in err


def test_installed_entry_point_exit_code_in_a_subprocess(tmp_path):
    """One real process: the exit code and stderr a shell sees."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    code = "from areo.cli import main; main()"
    r = subprocess.run(
        [sys.executable, "-c", code, "edl", SC, "--seed", "-1"], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0 and "--seed" in r.stderr


def test_failed_campaign_leaves_no_manifest_behind(tmp_path):
    from areo.campaign import run_campaign

    def broken(start, stop):
        raise RuntimeError("worker lost before the first chunk")

    with pytest.raises(RuntimeError):
        run_campaign(broken, 10, 5, tmp_path / "campaign")
    assert not (tmp_path / "campaign").exists()


def test_campaign_chunk_write_failure_is_an_output_error(tmp_path, monkeypatch):
    from areo.campaign import run_campaign

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the chunk write: file, fsync, rename
    with pytest.raises(OutputError, match="No space left on device"):
        run_campaign(lambda a, b: {"x": np.zeros(b - a)}, 10, 5, tmp_path / "campaign")
    assert not (tmp_path / "campaign").exists()
