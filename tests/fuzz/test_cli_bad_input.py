"""Deterministic fuzzing of the user entry points with bad input (issues 10, 11, 13, "Bad input").

Each case is one mutation of a shipped scenario (``exomars2016``, ``phoenix2008``), of a launcher file or of a
command line, run through the CLI in-process (typer's CliRunner). The house rule it checks: exit code 2, one
line on stderr naming the offending key or option (or click's own usage box for an option of the wrong type), no
traceback, nothing run and nothing written. Nothing is simulated here: the functions that would start a
simulation, a Monte Carlo, a porkchop grid or a replay stage are replaced by one that raises ``WouldRun``, so a
case the validation lets through fails as "accepted" in milliseconds instead of flying.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from areo.cli import app
from areo.scenarios import locate

runner = CliRunner()
EXOMARS = locate("exomars2016").read_text(encoding="utf-8")
PHOENIX = locate("phoenix2008").read_text(encoding="utf-8")
LAUNCHERS = (Path(locate("exomars2016")).parents[1] / "launch" / "launchers.toml").read_text(encoding="utf-8")


class WouldRun(Exception):
    """Raised where a simulation (or other long work) would start: the input was accepted."""


@pytest.fixture(autouse=True)
def _no_work(monkeypatch):
    def stop(*_a, **_k):
        raise WouldRun

    for target in (
        "areo.edl.api.simulate_reference",
        "areo.edl.api.EDLChunkTask.__call__",
        "areo.campaign.run_campaign",
        "areo.edl.sixdof.montecarlo.run_blocks",
        "areo.edl.sixdof.api._blocks_in_workers",
        "areo.edl.sixdof.api._campaign",
        "areo.mission.replay.run_stage",
        "areo.transfer.window.porkchop",
    ):
        monkeypatch.setattr(target, stop)


@pytest.fixture(autouse=True)
def _no_hang():
    """A named pipe once blocked the read forever: any case still running after 20 s fails instead of hanging."""

    def hung(*_a):
        raise TimeoutError("still running after 20 s: a hang")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


# ------------------------------------------------------------------------------------------------ mutations
def _header(line: str) -> str:
    return line.split("#", 1)[0].strip()


def _section(lines: list[str], header: str, nth: int = 0) -> tuple[int, int]:
    """(header line, end) of the ``nth`` table ``header`` (``[edl.entry]``, ``[[edl.phases]]``)."""
    found = [i for i, ln in enumerate(lines) if _header(ln) == header]
    start = found[nth]
    end = next((j for j in range(start + 1, len(lines)) if _header(lines[j]).startswith("[")), len(lines))
    return start, end


_KEY = re.compile(r"^\s*(?P<key>[A-Za-z0-9_-]+)\s*=")


def setkey(header: str, key: str, value: str | None, nth: int = 0) -> Callable[[str], str]:
    """A mutation: ``key = value`` in that table (replaced, or added), or the key deleted (``value`` None)."""

    def mutate(text: str) -> str:
        lines = text.splitlines()
        start, end = _section(lines, header, nth)
        at = next((j for j in range(start + 1, end) if (m := _KEY.match(lines[j])) and m["key"] == key), None)
        if value is None:
            assert at is not None, (header, key)
            del lines[at]
        elif at is None:
            lines.insert(start + 1, f"{key} = {value}")
        else:
            lines[at] = f"{key} = {value}"
        return "\n".join(lines) + "\n"

    return mutate


def drop_table(header: str, nth: int = 0) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        lines = text.splitlines()
        start, end = _section(lines, header, nth)
        return "\n".join(lines[:start] + lines[end:]) + "\n"

    return mutate


def drop_all(header: str) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        while any(_header(ln) == header for ln in text.splitlines()):
            text = drop_table(header)(text)
        return text

    return mutate


def append(block: str) -> Callable[[str], str]:
    return lambda text: text + "\n" + block + "\n"


def chain(*fns: Callable[[str], str]) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        for f in fns:
            text = f(text)
        return text

    return mutate


def wind(altitude_km: str, east_m_s: str, north_m_s: str) -> Callable[[str], str]:
    """A mutation: the three wind-profile keys of ``[edl.atmosphere]`` set to these TOML values."""
    return chain(
        *(
            setkey("[edl.atmosphere]", key, value)
            for key, value in (
                ("wind_altitude_km", altitude_km),
                ("wind_east_m_s", east_m_s),
                ("wind_north_m_s", north_m_s),
            )
        )
    )


# ---------------------------------------------------------------------------------------------- the checks
def _check(r, *needles: str, out: Path | None = None) -> str:
    """Exit 2, one line (or click's usage box), each needle in it, no traceback, nothing written in ``out``."""
    assert not isinstance(r.exception, WouldRun), "accepted: the work would have started"
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output, r.output
    assert r.exit_code == 2, (r.exit_code, r.output[-800:])
    err = r.stderr.strip()
    lines = err.splitlines()
    if lines and lines[0].startswith("Usage:"):  # click refused the option's type: its own short box
        assert "Invalid value" in err or "Missing" in err or "No such option" in err, err
    else:
        assert len(lines) == 1 and "Error:" in lines[0], err
    for n in needles:
        assert n in err, (n, err)
    if out is not None:
        assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())
    return err


def _edl(tmp_path: Path, body: str | bytes, *options: str, name: str = "mutant.toml") -> tuple:
    path = tmp_path / name
    path.write_bytes(body.encode() if isinstance(body, str) else body)
    out = tmp_path / "out"
    return runner.invoke(app, ["edl", str(path), "--out", str(out), *options]), out


# One mutation per case: (id, base text, mutation, extra options, needles the message must hold)
EX, PH = EXOMARS, PHOENIX
SCENARIO_CASES: list[tuple[str, str, Callable[[str], str], tuple[str, ...], tuple[str, ...]]] = [
    # [edl.entry]
    ("entry speed string", EX, setkey("[edl.entry]", "speed_km_s", '"fast"'), (), ("edl.entry.speed_km_s",)),
    ("entry speed list", EX, setkey("[edl.entry]", "speed_km_s", "[5.8]"), (), ("edl.entry.speed_km_s",)),
    ("entry speed table", EX, setkey("[edl.entry]", "speed_km_s", "{ a = 1 }"), (), ("edl.entry.speed_km_s",)),
    ("entry speed nan", EX, setkey("[edl.entry]", "speed_km_s", "nan"), (), ("edl.entry.speed_km_s", "finite")),
    ("entry speed inf", EX, setkey("[edl.entry]", "speed_km_s", "inf"), (), ("edl.entry.speed_km_s",)),
    ("entry speed zero", EX, setkey("[edl.entry]", "speed_km_s", "0.0"), (), ("edl.entry.speed_km_s",)),
    ("entry speed huge", EX, setkey("[edl.entry]", "speed_km_s", "1e300"), (), ("edl.entry.speed_km_s",)),
    ("entry speed bool", EX, setkey("[edl.entry]", "speed_km_s", "true"), (), ("edl.entry.speed_km_s",)),
    ("entry fpa > 0", EX, setkey("[edl.entry]", "flight_path_angle_deg", "5.0"), (), ("flight_path_angle_deg",)),
    ("entry speed missing", EX, setkey("[edl.entry]", "speed_km_s", None), (), ("speed_km_s", "missing")),
    ("entry altitude low", EX, setkey("[edl.entry]", "altitude_km", "10.0"), (), ("edl.entry.altitude_km",)),
    ("entry altitude neg", EX, setkey("[edl.entry]", "altitude_km", "-5.0"), (), ("edl.entry.altitude_km",)),
    ("entry no datum", EX, setkey("[edl.entry]", "altitude_km", None), (), ("altitude_km", "radius_km")),
    ("entry both datums", EX, setkey("[edl.entry]", "radius_km", "3522.0"), (), ("altitude_km", "radius_km")),
    ("entry below surface", PH, setkey("[edl.entry]", "radius_km", "3300.0"), (), ("edl.entry.radius_km",)),
    ("entry radius low", PH, setkey("[edl.entry]", "radius_km", "3420.0"), (), ("radius_km",)),
    ("entry epoch text", EX, setkey("[edl.entry]", "epoch_utc", '"banana"'), (), ("epoch_utc",)),
    ("entry epoch number", EX, setkey("[edl.entry]", "epoch_utc", "42"), (), ("epoch_utc",)),
    ("entry epoch old", EX, setkey("[edl.entry]", "epoch_utc", '"1800-01-01T00:00:00"'), (), ("epoch_utc",)),
    ("entry epoch toml date", EX, setkey("[edl.entry]", "epoch_utc", "2016-10-19T14:42:00"), (), ("epoch_utc",)),
    ("entry latitude 91", EX, setkey("[edl.entry]", "latitude_deg", "91.0"), (), ("latitude_deg",)),
    ("entry reference", EX, setkey("[edl.entry]", "altitude_reference", '"moon"'), (), ("altitude_reference",)),
    ("entry unknown key", EX, setkey("[edl.entry]", "speeed_km_s", "5.8"), (), ("speeed_km_s", "speed_km_s")),
    ("entry missing table", EX, drop_table("[edl.entry]"), (), ("edl.entry", "missing")),
    ("entry as list", EX, chain(drop_table("[edl.entry]"), setkey("[edl]", "entry", "[1, 2]")), (), ("edl.entry",)),
    # [edl.site]
    ("site elevation string", EX, setkey("[edl.site]", "elevation_m", '"low"'), (), ("edl.site.elevation_m",)),
    ("site areoid no height", EX, setkey("[edl.site]", "elevation_reference", '"areoid"'), (), ("areoid_height_m",)),
    ("site latitude", EX, setkey("[edl.site]", "target_latitude_deg", "-100.0"), (), ("target_latitude_deg",)),
    # [edl.atmosphere]
    ("atm model unknown", EX, setkey("[edl.atmosphere]", "model", '"nope"'), (), ("atmosphere model", "glenn")),
    ("atm nav unknown", EX, setkey("[edl.atmosphere]", "navigation_model", '"nope"'), (), ("nope", "glenn")),
    ("atm table no file", EX, setkey("[edl.atmosphere]", "model", '"table"'), (), ("table",)),
    (
        "atm table missing",
        EX,
        chain(setkey("[edl.atmosphere]", "model", '"table"'), setkey("[edl.atmosphere]", "table", '"nothere.csv"')),
        (),
        ("nothere.csv",),
    ),
    (
        "atm table_set no season",
        EX,
        chain(
            setkey("[edl.entry]", "epoch_utc", None),
            setkey("[edl.atmosphere]", "model", '"table_set"'),
            setkey("[edl.atmosphere]", "table", '"x.csv"'),
        ),
        (),
        ("table_set",),
    ),
    (
        "atm entry_profile no season",
        EX,
        chain(setkey("[edl.entry]", "epoch_utc", None), setkey("[edl.atmosphere]", "model", '"entry_profile"')),
        (),
        ("entry_profile", "solar_longitude_deg"),
    ),
    ("atm ls 400", EX, setkey("[edl.atmosphere]", "solar_longitude_deg", "400.0"), (), ("solar_longitude_deg",)),
    ("atm local time -1", EX, setkey("[edl.atmosphere]", "local_time_h", "-1.0"), (), ("local_time_h",)),
    ("atm table number", EX, setkey("[edl.atmosphere]", "table", "3"), (), ("edl.atmosphere.table",)),
    (
        "wind lengths differ",
        EX,
        wind("[0.0, 10.0]", "[1.0]", "[1.0, 2.0]"),
        (),
        ("wind_altitude_km",),
    ),
    (
        "wind not increasing",
        EX,
        wind("[10.0, 0.0]", "[1.0, 1.0]", "[1.0, 2.0]"),
        (),
        ("wind_altitude_km", "increase"),
    ),
    ("wind altitude table", EX, setkey("[edl.atmosphere]", "wind_altitude_km", "{ a = 1 }"), (), ("wind_altitude_km",)),
    ("wind altitude string", EX, setkey("[edl.atmosphere]", "wind_altitude_km", '"0,10"'), (), ("wind_altitude_km",)),
    (
        "wind huge",
        EX,
        wind("[0.0, 10.0]", "[1e6, 1.0]", "[1.0, 2.0]"),
        (),
        ("wind",),
    ),
    # [edl.aeroshell]
    ("mass zero", EX, setkey("[edl.aeroshell]", "entry_mass_kg", "0.0"), (), ("entry_mass_kg",)),
    ("mass negative", EX, setkey("[edl.aeroshell]", "entry_mass_kg", "-1.0"), (), ("entry_mass_kg",)),
    ("mass below jettisons", EX, setkey("[edl.aeroshell]", "entry_mass_kg", "200.0"), (), ("entry_mass_kg",)),
    ("diameter zero", EX, setkey("[edl.aeroshell]", "diameter_m", "0.0"), (), ("diameter_m",)),
    ("aero table unknown", EX, setkey("[edl.aeroshell]", "aero_table", '"nope"'), (), ("aero_table",)),
    ("aero table folder", EX, setkey("[edl.aeroshell]", "aero_table", '"."'), (), ("aero_table",)),
    ("lift to drag 2", EX, setkey("[edl.aeroshell]", "lift_to_drag", "2.0"), (), ("lift_to_drag",)),
    ("bank 400", EX, setkey("[edl.aeroshell]", "bank_angle_deg", "400.0"), (), ("bank_angle_deg",)),
    # [edl.bank]
    ("bank law unknown", EX, append('[edl.bank]\nlaw = "wobbly"'), (), ("edl.bank", "wobbly", "drag_tracking")),
    (
        "bank profile lengths",
        EX,
        append('[edl.bank]\nlaw = "profile"\nprofile_at = [0.0, 10.0]\nprofile_deg = [0.0]'),
        (),
        ("profile_at", "profile_deg"),
    ),
    (
        "bank profile not increasing",
        EX,
        append('[edl.bank]\nlaw = "profile"\nprofile_at = [10.0, 0.0]\nprofile_deg = [0.0, 1.0]'),
        (),
        ("profile_at", "increase"),
    ),
    ("bank profile empty", EX, append('[edl.bank]\nlaw = "profile"'), (), ("profile_at",)),
    ("bank drag tracking empty", EX, append('[edl.bank]\nlaw = "drag_tracking"'), (), ("reference_speed_m_s",)),
    # [edl.parachute] and [[edl.parachutes]]
    ("chute diameter zero", EX, setkey("[[edl.parachutes]]", "diameter_m", "0.0"), (), ("diameter_m",)),
    ("chute diameter neg", EX, setkey("[[edl.parachutes]]", "diameter_m", "-12.0"), (), ("diameter_m",)),
    ("chute inflation zero", EX, setkey("[[edl.parachutes]]", "inflation_time_s", "0.0"), (), ("inflation_time_s",)),
    ("chute name missing", EX, setkey("[[edl.parachutes]]", "name", None), (), ("name", "missing")),
    ("chute no stages", EX, drop_all("[[edl.parachutes]]"), (), ("deploy_parachute", "parachute")),
    (
        "chute duplicate stage",
        EX,
        append('[[edl.parachutes]]\nname = "parachute"\ndiameter_m = 5.0\ninflation_time_s = 1.0'),
        (),
        ("parachutes.1.name", "twice"),
    ),
    ("chute overshoot", EX, setkey("[edl.parachute]", "inflation_overshoot", "0.5"), (), ("inflation_overshoot",)),
    ("chute damping 1", EX, setkey("[edl.parachute]", "oscillation_damping_ratio", "1.0"), (), ("damping_ratio",)),
    # [edl.thrusters], [edl.radar], [edl.imu], [edl.software], [edl.touchdown]
    ("thrusters zero", EX, setkey("[edl.thrusters]", "count", "0"), (), ("edl.thrusters.count",)),
    ("thrusters float", EX, setkey("[edl.thrusters]", "count", "1.5"), (), ("edl.thrusters.count",)),
    ("thrusters text", EX, setkey("[edl.thrusters]", "count", '"nine"'), (), ("edl.thrusters.count",)),
    ("thrusters failed > count", EX, setkey("[edl.thrusters]", "failed_in_thruster_failure", "99"), (), ("failed",)),
    ("isp zero", EX, setkey("[edl.thrusters]", "isp_s", "0.0"), (), ("isp_s",)),
    ("propellant zero", EX, setkey("[edl.thrusters]", "propellant_kg", "0.0"), (), ("propellant_kg",)),
    ("pulse shorter than on-time", EX, setkey("[edl.thrusters]", "min_on_time_s", "0.5"), (), ("min_on_time_s",)),
    ("radar range zero", EX, setkey("[edl.radar]", "max_range_m", "0.0"), (), ("max_range_m",)),
    ("radar cant 90", EX, setkey("[edl.radar]", "beam_cant_deg", "90.0"), (), ("beam_cant_deg",)),
    ("gyro limit neg", EX, setkey("[edl.imu]", "gyro_limit_deg_s", "-200.0"), (), ("gyro_limit_deg_s",)),
    ("software missing", EX, drop_table("[edl.software]"), (), ("edl.software", "missing")),
    ("crush limit nan", EX, setkey("[edl.touchdown]", "crush_limit_m_s", "nan"), (), ("crush_limit_m_s",)),
    ("touchdown unknown key", EX, setkey("[edl.touchdown]", "crush", "5.0"), (), ("crush", "crush_limit_m_s")),
    # [[edl.phases]]
    ("phases none", EX, drop_all("[[edl.phases]]"), (), ("phases",)),
    ("phase duplicate name", EX, setkey("[[edl.phases]]", "name", '"entry"', nth=1), (), ("twice",)),
    ("phase goto unknown", EX, setkey("[[edl.phases.exit]]", "goto", '"nowhere"'), (), ("goto", "nowhere")),
    ("phase cycle", EX, setkey("[[edl.phases.exit]]", "goto", '"entry"', nth=1), (), ("cycle",)),
    (
        "phase unreachable",
        EX,
        append('[[edl.phases]]\nname = "orphan"'),
        (),
        ("orphan", "unreachable"),
    ),
    ("trigger quantity", EX, setkey("[[edl.phases.exit]]", "quantity", '"banana"'), (), ("quantity", "banana")),
    ("trigger wrong unit", EX, setkey("[[edl.phases.exit]]", "below", None), (), ("quantity", "below")),
    ("trigger since unknown", EX, setkey("[[edl.phases.exit]]", "since", '"nothing"', nth=1), (), ("since",)),
    ("trigger armed after", EX, setkey("[[edl.phases.exit]]", "armed_after", '"never"'), (), ("armed_after",)),
    ("trigger no goto", EX, setkey("[[edl.phases.exit]]", "goto", None), (), ("goto", "missing")),
    ("trigger persist neg", EX, setkey("[[edl.phases.exit]]", "persist_s", "-1.0"), (), ("persist_s",)),
    ("trigger time neg", EX, setkey("[[edl.phases.exit]]", "above_s", "-1.0", nth=1), (), ("above_s",)),
    ("trigger below nan", EX, setkey("[[edl.phases.exit]]", "below", "nan"), (), ("below",)),
    ("trigger mach huge", EX, setkey("[[edl.phases.exit]]", "below", "1e300"), (), ("below", "'mach' threshold")),
    ("trigger mach zero", EX, setkey("[[edl.phases.exit]]", "below", "0.0"), (), ("below", "> 0")),
    # the third trigger watches the radar altitude: > 0 (the radar never reads 0 m; audit 3, s22)
    ("trigger altitude neg", EX, setkey("[[edl.phases.exit]]", "below_m", "-1.0", nth=2), (), ("below_m", "> 0")),
    ("trigger radar huge", EX, setkey("[[edl.phases.exit]]", "below_m", "1e300", nth=2), (), ("below_m",)),
    ("trigger time huge", EX, setkey("[[edl.phases.exit]]", "above_s", "1e300", nth=1), (), ("above_s",)),
    ("trigger persist huge", EX, setkey("[[edl.phases.exit]]", "persist_s", "1e300"), (), ("persist_s",)),
    ("phoenix trigger mach", PH, setkey("[[edl.phases.exit]]", "below", "-1.7"), (), ("below",)),
    ("phase engines unknown", EX, setkey("[[edl.phases]]", "engines", '"warp"', nth=3), (), ("engines", "warp")),
    ("phase deploy unknown", EX, setkey("[[edl.phases]]", "deploy_parachute", '"drogue"', nth=1), (), ("drogue",)),
    ("phase event reused", EX, setkey("[[edl.phases]]", "event", '"parachute_inflated"', nth=2), (), ("event",)),
    ("phase name empty", EX, setkey("[[edl.phases]]", "name", '""', nth=5), (), ("name",)),
    ("phase jettison text", EX, setkey("[[edl.phases]]", "jettison_heatshield", '"yes"', nth=2), (), ("jettison",)),
    (
        "phases as table",
        EX,
        chain(drop_all("[[edl.phases]]"), drop_all("[[edl.phases.exit]]"), setkey("[edl]", "phases", "{ a = 1 }")),
        (),
        ("phases",),
    ),
    # [edl.dispersions], [edl.cases]
    ("dispersion negative", EX, setkey("[edl.dispersions]", "density_scale", "-0.1"), (), ("density_scale",)),
    ("dispersion huge", EX, setkey("[edl.dispersions]", "entry_speed_m_s", "1e9"), (), ("entry_speed_m_s",)),
    ("dispersion unknown", EX, setkey("[edl.dispersions]", "gravity", "0.1"), (), ("gravity",)),
    ("case fault unknown", EX, setkey("[edl.cases.as-flown]", "faults", '["nope"]'), (), ("nope", "imu-saturation")),
    ("case faults string", EX, setkey("[edl.cases.as-flown]", "faults", '"imu-saturation"'), (), ("faults",)),
    ("default case unknown", EX, setkey("[edl]", "default_case", '"missing"'), (), ("default_case", "missing")),
    (
        "cases not tables",
        EX,
        chain(drop_table("[edl.cases.nominal]"), drop_table("[edl.cases.as-flown]"), setkey("[edl]", "cases", "[1]")),
        (),
        ("cases",),
    ),
    ("edl unknown table", EX, append("[edl.extra]\nx = 1"), (), ("extra",)),
    ("case name with a slash", EX, append('[edl.cases."a/b"]\nfaults = []'), (), ("edl.cases", "a/b")),
    ("case name with a space", EX, append('[edl.cases."as flown"]\nfaults = []'), (), ("edl.cases", "as flown")),
    # the same mutations on the other lander
    ("phoenix mass string", PH, setkey("[edl.aeroshell]", "entry_mass_kg", '"602"'), (), ("entry_mass_kg",)),
    ("phoenix fpa zero", PH, setkey("[edl.entry]", "flight_path_angle_deg", "0.0"), (), ("flight_path_angle_deg",)),
    ("phoenix cycle", PH, setkey("[[edl.phases.exit]]", "goto", '"entry"', nth=1), (), ("cycle",)),
    ("phoenix chute diameter", PH, setkey("[[edl.parachutes]]", "diameter_m", "0.0"), (), ("diameter_m",)),
]

SIXDOF = ("--dof", "6")
SIXDOF_CASES = [
    ("inertia not PD", EX, setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[1.0, 0, 0], [0, -1.0, 0], [0, 0, 1.0]]")),
    ("inertia 2x2", EX, setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[1.0, 0.0], [0.0, 1.0]]")),
    ("inertia ragged", EX, setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[1.0, 0.0, 0.0], [1.0], []]")),
    (
        "inertia asymmetric",
        EX,
        setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[190.0, 5.0, 0], [0, 150.0, 0], [0, 0, 150.0]]"),
    ),
    (
        "inertia triangle",
        EX,
        setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[1000.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]"),
    ),
    ("inertia text", EX, setkey("[edl.sixdof.capsule]", "inertia_kg_m2", '"diag(1,1,1)"')),
    ("inertia nan", EX, setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[nan, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]")),
    ("inertia empty", EX, setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[]")),
    ("riser stiffness zero", EX, setkey("[edl.sixdof.riser]", "stiffness_n_m", "0.0")),
    ("riser stiffness neg", EX, setkey("[edl.sixdof.riser]", "stiffness_n_m", "-1.0")),
    ("riser attach at cm", EX, setkey("[edl.sixdof.riser]", "attach_behind_cm_m", "0.0")),
    ("riser attach ahead", EX, setkey("[edl.sixdof.riser]", "attach_behind_cm_m", "-0.5")),
    ("riser unknown key", EX, setkey("[edl.sixdof.riser]", "stiffnes_n_m", "1.0")),
    ("riser missing", EX, drop_table("[edl.sixdof.riser]")),
    (
        "aero mach short",
        EX,
        chain(
            *(
                setkey("[edl.sixdof.capsule.aero]", k, "[0.0, 0.5]" if k == "mach" else "[1.0, 1.0]")
                for k in ("mach", "axial", "normal_slope_per_rad", "moment_slope_per_rad", "pitch_damping")
            )
        ),
    ),
    (
        "aero mach not monotonic",
        EX,
        setkey("[edl.sixdof.capsule.aero]", "mach", "[0.0, 0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 4.0, 25.0, 50.0]"),
    ),
    (
        "aero mach from 1",
        EX,
        setkey("[edl.sixdof.capsule.aero]", "mach", "[1.0, 1.5, 1.8, 2.0, 2.2, 2.5, 3.0, 4.0, 6.0, 11.0, 26.0, 51.0]"),
    ),
    ("aero column short", EX, setkey("[edl.sixdof.capsule.aero]", "axial", "[0.9, 0.95]")),
    ("aero column empty", EX, setkey("[edl.sixdof.capsule.aero]", "pitch_damping", "[]")),
    (
        "chute drag mach short",
        EX,
        chain(
            setkey("[edl.sixdof.parachute]", "drag_mach", "[0.0, 1.0]"),
            setkey("[edl.sixdof.parachute]", "drag", "[0.6, 0.6]"),
        ),
    ),
    ("chute mass zero", EX, setkey("[edl.sixdof.parachute]", "mass_kg", "0.0")),
    ("chute stage mass empty", EX, setkey("[edl.sixdof.parachute]", "stage_mass_kg", "[]")),
    (
        "no chute stage",
        EX,
        chain(drop_all("[[edl.parachutes]]"), setkey("[[edl.phases]]", "deploy_parachute", None, nth=1)),
    ),
    ("chute stage mass huge", EX, setkey("[edl.sixdof.parachute]", "stage_mass_kg", "[1e300]")),
    ("chute stage exponent huge", EX, setkey("[edl.sixdof.parachute]", "stage_inflation_exponent", "[1e300]")),
    ("chute stage exponent count", EX, setkey("[edl.sixdof.parachute]", "stage_inflation_exponent", "[2.0, 3.0]")),
    ("imu bias huge", EX, setkey("[edl.sixdof.imu]", "gyro_bias_deg_s", "[1e300, 0.0, 0.0]")),
    ("imu scale huge", EX, setkey("[edl.sixdof.imu]", "gyro_scale_factor", "[0.0, -5.0, 0.0]")),
    ("imu limit huge", EX, setkey("[edl.sixdof.imu]", "gyro_limit_deg_s", "[1e300, 200.0, 200.0]")),
    ("imu two axes", EX, setkey("[edl.sixdof.imu]", "gyro_limit_deg_s", "[200.0, 200.0]")),
    ("imu axis zero", EX, setkey("[edl.sixdof.imu]", "gyro_limit_deg_s", "[200.0, 0.0, 200.0]")),
    ("integration steps zero", EX, setkey("[edl.sixdof.integration]", "steps_per_period", "0.0")),
    ("integration courant", EX, setkey("[edl.sixdof.integration]", "riser_courant", "3.0")),
    ("lander control", EX, append('[edl.sixdof.lander]\nattitude_control = "magic"')),
    ("wind gust huge", EX, setkey("[edl.sixdof.wind]", "gust_m_s", "1e6")),
    (
        "no sixdof table",
        EX,
        chain(
            *(
                drop_table(h)
                for h in (
                    "[edl.sixdof.capsule.aero]",
                    "[edl.sixdof.capsule]",
                    "[edl.sixdof.parachute]",
                    "[edl.sixdof.riser]",
                    "[edl.sixdof.wind]",
                    "[edl.sixdof.imu]",
                    "[edl.sixdof.integration]",
                    "[edl.sixdof.dispersions]",
                )
            )
        ),
    ),
    (
        "phoenix inertia not PD",
        PH,
        setkey("[edl.sixdof.capsule]", "inertia_kg_m2", "[[0.0, 0, 0], [0, 0, 0], [0, 0, 0]]"),
    ),
    ("phoenix riser stiffness", PH, setkey("[edl.sixdof.riser]", "stiffness_n_m", "0.0")),
]
SIXDOF_NEEDLES = {
    "inertia": "inertia_kg_m2",
    "riser stiffness": "stiffness",
    "riser attach": "attach_behind_cm_m",
    "riser unknown": "stiffnes_n_m",
    "riser missing": "riser",
    "aero mach": "mach",
    "aero column short": "axial",
    "aero column empty": "pitch_damping",
    "chute drag mach": "drag_mach",
    "no chute stage": "[[edl.parachutes]]",
    "chute mass": "mass_kg",
    "chute stage mass": "stage_mass_kg",
    "chute stage exponent": "stage_inflation_exponent",
    "imu bias": "gyro_bias_deg_s",
    "imu scale": "gyro_scale_factor",
    "imu": "gyro_limit_deg_s",
    "integration steps": "steps_per_period",
    "integration courant": "riser_courant",
    "lander": "attitude_control",
    "wind gust": "gust_m_s",
    "no sixdof": "edl.sixdof",
    "phoenix inertia": "inertia_kg_m2",
    "phoenix riser": "stiffness",
}


def _sixdof_needle(case: str) -> str:
    return next(v for k, v in SIXDOF_NEEDLES.items() if case.startswith(k))


@pytest.mark.parametrize(
    ("case", "base", "mutate", "options", "needles"), SCENARIO_CASES, ids=[c[0] for c in SCENARIO_CASES]
)
def test_mutated_scenario_is_refused(tmp_path, case, base, mutate, options, needles):
    r, out = _edl(tmp_path, mutate(base), *options)
    msg = _check(r, *needles, out=out)
    assert "mutant.toml" in msg, msg
    if "invalid scenario" in msg:  # a schema error says where: file, line, key, value, what is allowed
        assert re.search(r"\(line \d+\)", msg), msg


# CSV tables a scenario names (written beside it): the atmosphere profile and the capsule's aerodynamics
ATM = "altitude_m,temperature_K,pressure_Pa,density_kg_m3\n"
AERO = "mach,drag_coefficient\n"
SET = "solar_longitude_deg,latitude_deg,local_time_h,altitude_m,temperature_K,pressure_Pa,density_kg_m3\n"
TABLE_CASES = [
    ("atm not monotonic", "atmosphere", ATM + "0,210,600,0.015\n20000,190,100,0.003\n10000,200,300,0.007\n", "line 4"),
    ("atm nan", "atmosphere", ATM + "0,210,600,0.015\n200000,nan,1e-3,1e-8\n", "NaN"),
    ("atm negative density", "atmosphere", ATM + "0,210,600,-0.015\n200000,150,1e-3,1e-8\n", "density_kg_m3"),
    ("atm one row", "atmosphere", ATM + "0,210,600,0.015\n", "at least 2"),
    ("atm empty", "atmosphere", "", "empty"),
    ("atm columns", "atmosphere", "h,T\n0,210\n1,200\n", "temperature_K"),
    ("atm short range", "atmosphere", ATM + "0,210,600,0.015\n1000,209,550,0.014\n", "edl.atmosphere"),
    ("atm text", "atmosphere", ATM + "0,210,600,0.015\nten,200,300,0.007\n", "line 3"),
    ("atm latin-1", "atmosphere", "# caf\xe9\n" + ATM + "0,210,600,0.015\n", "UTF-8"),
    ("atm named pipe", "atmosphere", None, "named pipe"),
    ("atm folder", "atmosphere", "DIR", "table.csv"),
    ("profile set header only", "table_set", SET, "no rows"),
    ("profile set ls 900", "table_set", SET + "900,0,12,0,210,600,0.015\n900,0,12,200000,150,0.001,1e-8\n", "line 2"),
    ("entry profiles header only", "entry_profile", SET, "no rows"),
    (
        "entry profiles latitude 100",
        "entry_profile",
        SET + "10,100,12,0,210,600,0.015\n10,100,12,2e5,150,1,1e-8\n",
        "line 2",
    ),
    (
        "entry profiles local time 25",
        "entry_profile",
        SET + "10,0,25,0,210,600,0.015\n10,0,25,2e5,150,1,1e-8\n",
        "local_time_h",
    ),
    ("aero not monotonic", "aero", AERO + "0,1.0\n2,1.5\n1,1.2\n", "line 4"),
    ("aero nan", "aero", AERO + "0,1.0\n2,nan\n", "line 3"),
    ("aero cd zero", "aero", AERO + "0,0.0\n2,1.5\n", "drag_coefficient"),
    ("aero mach negative", "aero", AERO + "-5,1.0\n2,1.5\n", "line 2"),
    ("aero header only", "aero", AERO, "at least 2 rows"),
    ("aero header", "aero", "m,cd\n0,1\n2,1\n", "header"),
    ("aero empty", "aero", "", "header"),
    ("aero named pipe", "aero", None, "named pipe"),
]


@pytest.mark.parametrize(("case", "which", "body", "needle"), TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_bad_tables_named_by_a_scenario_are_refused(tmp_path, case, which, body, needle):
    table = tmp_path / "table.csv"
    if body is None:
        os.mkfifo(table)
    elif body == "DIR":
        table.mkdir()
    else:
        table.write_bytes(body.encode("latin-1"))
    if which in ("atmosphere", "table_set", "entry_profile"):
        model = '"table"' if which == "atmosphere" else f'"{which}"'
        mutate = chain(setkey("[edl.atmosphere]", "model", model), setkey("[edl.atmosphere]", "table", '"table.csv"'))
        key = "edl.atmosphere"
    else:
        mutate = setkey("[edl.aeroshell]", "aero_table", '"table.csv"')
        key = "edl.aeroshell.aero_table"
    for dof in ("3", "6"):
        r, out = _edl(tmp_path, mutate(EXOMARS), "--dof", dof)
        msg = _check(r, needle, key, "mutant.toml", out=out)
        assert "table" in msg, msg


LINE_CASES = [  # (mutation, the text of the line the message must point at)
    (setkey("[[edl.phases.exit]]", "goto", '"nowhere"'), 'goto = "nowhere"'),
    (setkey("[[edl.phases.exit]]", "goto", '"entry"', nth=1), "[[edl.phases]]"),
    (setkey("[edl.thrusters]", "failed_in_thruster_failure", "30"), "failed_in_thruster_failure = 30"),
    (setkey("[[edl.phases]]", "engines", '"warp"', nth=3), 'engines = "warp"'),
    (setkey("[edl.sixdof.riser]", "stiffness_n_m", "0.0"), "stiffness_n_m = 0.0"),
    (setkey("[edl.cases.as-flown]", "faults", '["nope"]'), 'faults = ["nope"]'),
    (setkey("[[edl.phases.exit]]", "since", '"nothing"', nth=1), 'since = "nothing"'),
]


@pytest.mark.parametrize(("mutate", "line_text"), LINE_CASES, ids=[c[1] for c in LINE_CASES])
def test_schema_errors_give_the_line(tmp_path, mutate, line_text):
    """Issue 10: the one line names file, line, key, value and what is allowed; the line is the offending one."""
    text = mutate(EXOMARS)
    r, _ = _edl(tmp_path, text)
    line = int(re.search(r"\(line (\d+)\)", _check(r, "mutant.toml"))[1])
    assert text.splitlines()[line - 1].startswith(line_text), (line, text.splitlines()[line - 1])


@pytest.mark.parametrize(("case", "base", "mutate"), SIXDOF_CASES, ids=[c[0] for c in SIXDOF_CASES])
def test_mutated_sixdof_table_is_refused(tmp_path, case, base, mutate):
    r, out = _edl(tmp_path, mutate(base), *SIXDOF)
    msg = _check(r, _sixdof_needle(case), out=out)
    assert "mutant.toml" in msg, msg
    if "invalid scenario" in msg:
        assert re.search(r"\(line \d+\)", msg), msg


@pytest.mark.parametrize("base", [EX, PH], ids=["exomars2016", "phoenix2008"])
@pytest.mark.parametrize("dof", ["3", "6"])
def test_unmutated_copies_are_accepted(tmp_path, base, dof):
    """The mutation helpers change only what they say: an unchanged copy gets through to the simulation."""
    r, _ = _edl(tmp_path, base, "--dof", dof)
    assert isinstance(r.exception, WouldRun), (r.exit_code, r.output[-800:])


# ------------------------------------------------------------------------------------------ the file itself
def _files(tmp_path: Path) -> dict[str, Callable[[], Path]]:
    def write(name: str, body: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(body)
        return p

    def fifo() -> Path:
        p = tmp_path / "pipe.toml"
        os.mkfifo(p)
        return p

    def folder() -> Path:
        p = tmp_path / "dir.toml"
        p.mkdir()
        return p

    return {
        "latin-1": lambda: write("mutant.toml", ("# café\n" + EXOMARS).encode("latin-1")),
        "utf-16": lambda: write("mutant.toml", EXOMARS.encode("utf-16")),
        "invalid utf-8 in a value": lambda: write(
            "mutant.toml", EXOMARS.replace('model = "glenn"', 'model = "gl\xe9nn"').encode("latin-1")
        ),
        "truncated": lambda: write("mutant.toml", EXOMARS.encode()[: len(EXOMARS) // 2 + 7]),
        "truncated in a table header": lambda: write(
            "mutant.toml", (EXOMARS.split("[edl.thrusters]")[0] + "[edl.thr").encode()
        ),
        "empty": lambda: write("mutant.toml", b""),
        "no edl table": lambda: write("mutant.toml", EXOMARS.split("\n[edl]")[0].encode()),
        "binary": lambda: write("mutant.toml", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256))),
        "duplicate table": lambda: write("mutant.toml", (EXOMARS + "\n[edl.entry]\nspeed_km_s = 5.0\n").encode()),
        "folder": folder,
        "named pipe": fifo,
        "unreadable": lambda: Path("/proc/self/mem"),
        "missing": lambda: tmp_path / "nothere.toml",
    }


FILE_NEEDLES = {
    "latin-1": "UTF-8",
    "utf-16": "UTF-16",
    "invalid utf-8 in a value": "UTF-8",
    "truncated": "mutant.toml",
    "truncated in a table header": "TOML",
    "empty": "[edl]",
    "no edl table": "[edl]",
    "binary": "binary",
    "duplicate table": "TOML",
    "folder": "folder",
    "named pipe": "pipe.toml",
    "unreadable": "mem",
    "missing": "nothere.toml",
}


@pytest.mark.parametrize("kind", sorted(FILE_NEEDLES))
@pytest.mark.parametrize("dof", ["3", "6"])
def test_bad_scenario_files_are_refused(tmp_path, kind, dof):
    path = _files(tmp_path)[kind]()
    out = tmp_path / "out"
    r = runner.invoke(app, ["edl", str(path), "--out", str(out), "--dof", dof])
    _check(r, FILE_NEEDLES[kind], out=out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_unreadable_scenario_is_refused(tmp_path):
    p = tmp_path / "locked.toml"
    p.write_text(EXOMARS)
    p.chmod(0)
    _check(runner.invoke(app, ["edl", str(p)]), "locked.toml")


# ------------------------------------------------------------------------------------------- edl options
def _out_file(tmp_path: Path) -> str:
    f = tmp_path / "a-file"
    f.write_text("keep\n")
    return str(f)


EDL_OPTION_CASES = [
    ("dof 4", ["--dof", "4"], "--dof"),
    ("dof text", ["--dof", "six"], "--dof"),
    ("case unknown", ["--case", "nope"], "nope"),
    ("case empty", ["--case", ""], "--case"),
    ("fault unknown", ["--fault", "nope"], "nope"),
    ("fault empty", ["--fault", " "], "--fault"),
    ("fault huge", ["--fault", "x" * 5000], "5000 characters"),
    ("runs zero", ["--runs", "0"], "--runs"),
    ("runs huge", ["--runs", "100000000000"], "--runs"),
    ("runs text", ["--runs", "many"], "--runs"),
    ("seed negative", ["--seed", "-1"], "--seed"),
    ("seed huge", ["--seed", str(2**64)], "--seed"),
    ("chunk without runs", ["--chunk", "10"], "--chunk"),
    ("chunk zero", ["--runs", "10", "--chunk", "0"], "--chunk"),
    ("scheduler bad", ["--runs", "10", "--scheduler", "not an address"], "--scheduler"),
    ("scheduler port", ["--runs", "10", "--scheduler", "host:99999"], "--scheduler"),
    ("workers without dof 6", ["--workers", "2"], "--workers"),
    ("workers zero", ["--dof", "6", "--runs", "4", "--workers", "0"], "--workers"),
    ("riser unknown", ["--dof", "6", "--riser", "bungee"], "--riser"),
    ("riser without dof 6", ["--riser", "pendulum"], "--riser"),
    ("workers one run", ["--dof", "6", "--workers", "2"], "--workers"),
    ("workers thousands", ["--dof", "6", "--runs", "100", "--workers", "100000"], "--workers"),
    ("json case unknown", ["--json", "--case", "nope"], "nope"),
    ("dof 6 case unknown", ["--dof", "6", "--case", "nope"], "nope"),
    ("dof 6 fault unknown", ["--dof", "6", "--fault", "nope"], "nope"),
]


@pytest.mark.parametrize(("case", "options", "needle"), EDL_OPTION_CASES, ids=[c[0] for c in EDL_OPTION_CASES])
def test_bad_edl_options_are_refused(tmp_path, case, options, needle):
    out = tmp_path / "out"
    r = runner.invoke(app, ["edl", "exomars2016", "--out", str(out), *options])
    _check(r, needle, out=out)


@pytest.mark.parametrize("dof", ["3", "6"])
@pytest.mark.parametrize("kind", ["a file", "under a file", "proc", "empty", "dev null"])
def test_bad_out_is_refused(tmp_path, kind, dof):
    target = {
        "a file": _out_file(tmp_path),
        "under a file": _out_file(tmp_path) + "/sub",
        "proc": "/proc/areo-fuzz",
        "empty": "",
        "dev null": "/dev/null",
    }[kind]
    r = runner.invoke(app, ["edl", "exomars2016", "--dof", dof, "--out", target])
    _check(r, "--out")
    if kind in ("a file", "under a file"):
        assert (tmp_path / "a-file").read_text() == "keep\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_read_only_out_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    _check(runner.invoke(app, ["edl", "exomars2016", "--out", str(ro / "run")]), "--out")


# -------------------------------------------------------------------------------------- launchers (issue 13)
LAUNCHER_CASES = [
    ("unknown launcher", ["launcher", "saturn-v", "--c3", "10"], ("saturn-v", "proton-m-breeze-m")),
    ("empty launcher", ["launcher", "", "--c3", "10"], ("launcher", "proton-m-breeze-m")),
    ("payload above capability", ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--payload-kg", "9000"], ("by",)),
    ("dla outside", ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--dla", "80"], ("DLA", "-51.5..+51.5")),
    ("dla nan", ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--dla", "nan"], ("--dla",)),
    ("dla inf", ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--dla", "inf"], ("--dla",)),
    ("dla 200", ["launcher", "proton-m-breeze-m", "--c3", "14.7", "--dla", "200"], ("--dla",)),
    ("c3 nan", ["launcher", "proton-m-breeze-m", "--c3", "nan"], ("C3",)),
    ("c3 above table", ["launcher", "proton-m-breeze-m", "--c3", "100"], ("C3", "0..36")),
    ("c3 below table", ["launcher", "proton-m-breeze-m", "--c3", "-50"], ("C3", "0..36")),
    ("c3 text", ["launcher", "proton-m-breeze-m", "--c3", "ten"], ("--c3",)),
    ("c3 missing", ["launcher", "proton-m-breeze-m"], ("--c3",)),
    ("payload zero", ["launcher", "proton-m-breeze-m", "--c3", "10", "--payload-kg", "0"], ("payload",)),
    ("payload negative", ["launcher", "proton-m-breeze-m", "--c3", "10", "--payload-kg", "-5"], ("payload",)),
    ("payload nan", ["launcher", "proton-m-breeze-m", "--c3", "10", "--payload-kg", "nan"], ("--payload-kg",)),
    ("payload inf", ["launcher", "proton-m-breeze-m", "--c3", "10", "--payload-kg", "inf"], ("--payload-kg",)),
    ("json unknown", ["launcher", "nope", "--c3", "10", "--json"], ("nope",)),
    (
        "porkchop launcher unknown",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--launcher",
            "nope",
            "--payload-kg",
            "4332",
        ],
        ("nope", "proton-m-breeze-m"),
    ),
    (
        "porkchop payload without launcher",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--payload-kg",
            "4332",
        ],
        ("--launcher",),
    ),
    (
        "porkchop payload negative",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--launcher",
            "proton-m-breeze-m",
            "--payload-kg",
            "-1",
        ],
        ("payload",),
    ),
    (
        "porkchop payload nan",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--launcher",
            "proton-m-breeze-m",
            "--payload-kg",
            "nan",
        ],
        ("--payload-kg",),
    ),
    (
        "porkchop reserve negative",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--launcher",
            "proton-m-breeze-m",
            "--payload-kg",
            "4332",
            "--reserve-kg",
            "-5",
        ],
        ("reserve",),
    ),
    (
        "porkchop period arrive bad",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--launcher",
            "proton-m-breeze-m",
            "--payload-kg",
            "4332",
            "--period-arrive",
            "banana",
        ],
        ("--period-arrive",),
    ),
    (
        "porkchop launch period too long",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2030-06-30",
            "--arrive",
            "2016-08-01:2031-03-31",
            "--launcher",
            "proton-m-breeze-m",
            "--payload-kg",
            "4332",
        ],
        ("--depart", "days"),
    ),
    (
        "porkchop period arrive without launcher",
        [
            "porkchop",
            "earth",
            "mars",
            "--depart",
            "2016-01-01:2016-06-30",
            "--arrive",
            "2016-08-01:2017-03-31",
            "--period-arrive",
            "2016-10-19",
        ],
        ("--period-arrive", "--launcher"),
    ),
]


@pytest.mark.parametrize(("case", "argv", "needles"), LAUNCHER_CASES, ids=[c[0] for c in LAUNCHER_CASES])
def test_bad_launcher_options_are_refused(tmp_path, case, argv, needles):
    _check(runner.invoke(app, argv), *needles)


def _launcher(**changes: str | None) -> str:
    """A user launcher file: the shipped Proton-M/Breeze-M table renamed 'mine', with ``changes`` applied."""
    block = LAUNCHERS.split("[launchers.proton-m-breeze-m]")[1].split("\n[launchers.")[0]
    text = "[launchers.mine]" + block
    for key, value in changes.items():
        text = setkey("[launchers.mine]", key, value)(text)
    return text


LAUNCHER_FILE_CASES = [
    ("c3 nan", _launcher(c3_km2_s2="[0.0, nan]", payload_kg="[6000.0, 5000.0]"), "c3_km2_s2"),
    ("c3 not increasing", _launcher(c3_km2_s2="[10.0, 0.0]", payload_kg="[6000.0, 5000.0]"), "c3_km2_s2"),
    ("c3 string", _launcher(c3_km2_s2='"0, 10"'), "c3_km2_s2"),
    ("c3 one point", _launcher(c3_km2_s2="[0.0]", payload_kg="[6000.0]"), "c3_km2_s2"),
    ("lengths differ", _launcher(payload_kg="[6000.0, 5000.0]"), "payload_kg"),
    ("payload inf", _launcher(c3_km2_s2="[0.0, 10.0]", payload_kg="[inf, 5000.0]"), "payload_kg"),
    ("payload nan", _launcher(c3_km2_s2="[0.0, 10.0]", payload_kg="[6000.0, nan]"), "payload_kg"),
    ("payload negative", _launcher(c3_km2_s2="[0.0, 10.0]", payload_kg="[6000.0, -1.0]"), "payload_kg"),
    ("payload empty", _launcher(c3_km2_s2="[]", payload_kg="[]"), "c3_km2_s2"),
    ("site unknown", _launcher(site='"kourou-2"'), "kourou-2"),
    ("inclination below latitude", _launcher(parking_inclinations_deg="[20.0]"), "parking_inclinations_deg"),
    ("inclination nan", _launcher(parking_inclinations_deg="[nan]"), "parking_inclinations_deg"),
    ("inclinations empty", _launcher(parking_inclinations_deg="[]"), "parking_inclinations_deg"),
    ("coast zero", _launcher(max_coast_min="0.0"), "max_coast_min"),
    ("coast text", _launcher(max_coast_min='"long"'), "max_coast_min"),
    ("altitude nan", _launcher(parking_altitude_km="nan"), "parking_altitude_km"),
    ("source missing", _launcher(source=None), "source"),
    ("title number", _launcher(title="5"), "title"),
    ("estimate text", _launcher(estimate='"no"'), "estimate"),
    ("unknown key", _launcher(payloads_kg="[1.0]"), "payloads_kg"),
    ("launchers as list", "launchers = [1, 2]\n", "launchers"),
    ("site latitude nan", '[sites.x]\nlatitude_deg = nan\ninclinations_deg = [60.0]\nsource = "me"\n', "latitude_deg"),
    ("truncated", _launcher()[:200], "mine.toml"),
    ("latin-1", "# café\n" + _launcher(), "UTF-8"),
]


@pytest.mark.parametrize("command", ["launcher", "launchers"])
@pytest.mark.parametrize(("case", "body", "needle"), LAUNCHER_FILE_CASES, ids=[c[0] for c in LAUNCHER_FILE_CASES])
def test_bad_launcher_files_are_refused(tmp_path, command, case, body, needle):
    p = tmp_path / "mine.toml"
    p.write_bytes(body.encode("latin-1") if case == "latin-1" else body.encode())
    argv = ["launcher", "mine", "--c3", "5"] if command == "launcher" else ["launchers"]
    msg = _check(runner.invoke(app, [*argv, "--file", str(p)]), needle)
    assert "mine.toml" in msg, msg


@pytest.mark.parametrize("kind", ["folder", "named pipe", "missing", "unreadable", "binary", "empty"])
def test_bad_launcher_file_paths_are_refused(tmp_path, kind):
    path = {
        "folder": lambda: tmp_path,
        "named pipe": lambda: (os.mkfifo(tmp_path / "p.toml"), tmp_path / "p.toml")[1],
        "missing": lambda: tmp_path / "nothere.toml",
        "unreadable": lambda: Path("/proc/self/mem"),
        "binary": lambda: ((tmp_path / "b.toml").write_bytes(b"\x00\x01\x02"), tmp_path / "b.toml")[1],
        "empty": lambda: "",
    }[kind]()
    _check(runner.invoke(app, ["launchers", "--file", str(path)]), "--file" if kind != "binary" else "b.toml")


def test_user_launcher_file_is_used(tmp_path):
    """The mutation base is a valid file: the renamed table is listed and judged."""
    p = tmp_path / "mine.toml"
    p.write_text(_launcher())
    r = runner.invoke(app, ["launcher", "mine", "--c3", "14.7", "--payload-kg", "4332", "--file", str(p), "--json"])
    assert r.exit_code == 0, r.output
    assert '"feasible": true' in r.stdout


# ----------------------------------------------------------------------- a scenario's launch segment (replay)
LAUNCH_SEGMENT_CASES = [
    ("launcher unknown", setkey("[launch]", "launcher", '"saturn-v"'), ("launch.launcher", "saturn-v")),
    ("launcher number", setkey("[launch]", "launcher", "5"), ("launch.launcher",)),
    ("launcher empty", setkey("[launch]", "launcher", '""'), ("launch.launcher",)),
    ("payload negative", setkey("[launch]", "payload_kg", "-1.0"), ("launch.payload_kg",)),
    ("payload nan", setkey("[launch]", "payload_kg", "nan"), ("launch.payload_kg",)),
    ("reserve negative", setkey("[launch]", "reserve_kg", "-5.0"), ("launch.reserve_kg",)),
    ("period depart bad", setkey("[launch]", "period_depart", '"banana"'), ("launch.period_depart",)),
    ("period depart reversed", setkey("[launch]", "period_depart", '"2016-03-30:2016-03-01"'), ("period_depart",)),
    ("period arrive bad", setkey("[launch]", "period_arrive", '"13/2016"'), ("launch.period_arrive",)),
    ("period transfer", setkey("[launch]", "period_transfer", '"warp"'), ("launch.period_transfer",)),
    ("launch unknown key", setkey("[launch]", "launchr", '"proton-m-breeze-m"'), ("launchr",)),
    (
        "period after 2050",
        setkey("[launch]", "period_depart", '"2100-01-01:2100-02-01"'),
        ("period_depart", "ephemeris"),
    ),
    (
        "period arrival first",
        setkey("[launch]", "period_arrive", '"2016-02-01:2016-02-20"'),
        ("period_arrive", "before"),
    ),
    ("window arrival first", setkey("[launch]", "window_arrive", '"2015-06-01:2015-12-31"'), ("window_arrive",)),
    ("period too long", setkey("[launch]", "period_depart", '"2000-01-01:2016-03-01"'), ("period_depart", "days")),
    (
        "dsm needs a fixed arrival",
        chain(
            setkey("[launch]", "period_transfer", '"dsm"'),
            setkey("[launch]", "period_arrive", '"2016-10-01:2016-11-01"'),
        ),
        ("period_transfer", "fixed arrival"),
    ),
    (
        "dsm launch after arrival",
        chain(setkey("[launch]", "period_transfer", '"dsm"'), setkey("[launch]", "period_arrive", '"2016-03-20"')),
        ("period_transfer", "before the arrival"),
    ),
    (
        "dsm without engine",
        chain(setkey("[launch]", "period_transfer", '"dsm"'), setkey("[cruise.orbiter]", "thrust_n", "0.0")),
        ("period_transfer", "engine"),
    ),
]


@pytest.mark.parametrize(("case", "mutate", "needles"), LAUNCH_SEGMENT_CASES, ids=[c[0] for c in LAUNCH_SEGMENT_CASES])
def test_bad_launch_segment_is_refused(tmp_path, case, mutate, needles):
    p = tmp_path / "mutant.toml"
    p.write_text(mutate(EXOMARS))
    out = tmp_path / "out"
    msg = _check(runner.invoke(app, ["replay", str(p), "--out", str(out), "--runs", "0"]), *needles, out=out)
    assert "mutant.toml" in msg, msg


# ---------------------------------------------------- other commands: aerobrake, halo, replay, porkchop (session 22)
MAGELLAN = locate("magellan1993").read_text(encoding="utf-8")
AT = "2016-10-19T14:42Z"

OTHER_OPTION_CASES = [
    ("aerobrake seed negative", ["aerobrake", "magellan1993", "--runs", "2", "--seed", "-1"], ("--seed", "2**63")),
    ("aerobrake seed 2**64", ["aerobrake", "magellan1993", "--runs", "2", "--seed", str(2**64)], ("--seed", "2**63")),
    (
        "aerobrake chunk zero",
        ["aerobrake", "magellan1993", "--runs", "2", "--chunk", "0"],
        ("--chunk", "from 1 to 10,000,000"),
    ),
    ("aerobrake every zero", ["aerobrake", "magellan1993", "--every", "0"], ("--every", ">= 1")),
    ("aerobrake every negative", ["aerobrake", "magellan1993", "--every", "-3"], ("--every", ">= 1")),
    ("aerobrake out without runs", ["aerobrake", "magellan1993", "--out", "OUT"], ("--out", "--runs N")),
    ("aerobrake seed without runs", ["aerobrake", "magellan1993", "--seed", "7"], ("--seed", "--runs N")),
    ("halo az nan", ["halo", "--az-km", "nan"], ("--az-km = nan km", "0 < Az <= 753,842 km")),
    ("halo az earth-moon", ["halo", "--az-km", "4e5", "--system", "earth-moon"], ("--az-km", "Az <= 32,257 km")),
    ("halo days short", ["halo", "--az-km", "4e5", "--ephemeris", "2020-01-01", "--days", "25"], ("--days", "30 to")),
    ("halo two results", ["halo", "--az-km", "4e5", "--transfer", "--ephemeris", "2020-01-01"], ("--ephemeris and",)),
    ("halo days unused", ["halo", "--az-km", "4e5", "--days", "30"], ("--days (it applies to --ephemeris)",)),
    ("halo n unused", ["halo", "--az-km", "4e5", "--n", "5"], ("--n (it applies to --family)",)),
    ("halo parking unused", ["halo", "--az-km", "4e5", "--parking-km", "300"], ("--parking-km", "--transfer")),
    ("halo az with family", ["halo", "--az-km", "4e5", "--family", "1e5:7e5"], ("--az-km", "--family")),
    ("halo lagrange and family", ["halo", "--lagrange", "--family", "1e5:7e5"], ("--lagrange and --family",)),
    ("aerobrake backend without runs", ["aerobrake", "magellan1993", "--backend", "jax"], ("--backend", "--runs N")),
    ("aerobrake backend unknown", ["aerobrake", "magellan1993", "--runs", "2", "--backend", "torch"], ("--backend",)),
    ("aerobrake out under proc", ["aerobrake", "magellan1993", "--runs", "2", "--out", "/proc/x"], ("--out", "proc")),
    ("aerobrake out a file", ["aerobrake", "magellan1993", "--runs", "2", "--out", "FILE"], ("--out", "a file")),
    ("halo parking negative", ["halo", "--az-km", "4e5", "--transfer", "--parking-km", "-1"], ("--parking-km",)),
    (
        "halo parking unit",
        ["halo", "--az-km", "4e5", "--transfer", "--parking-km", "1e7"],
        ("--parking-km", "number of km from 150 to 50000"),
    ),
    ("halo transfer earth-moon", ["halo", "--az-km", "1e4", "--system", "earth-moon", "--transfer"], ("--transfer",)),
    ("halo out a folder", ["halo", "--az-km", "4e5", "--out", "DIR"], ("--out", "a folder")),
    ("halo family too wide", ["halo", "--family", "10:9e9"], ("--family 10:9e9", "753,842 km")),
    ("halo family n zero", ["halo", "--family", "1e5:2e5", "--n", "0"], ("--n 0", "from 1 to 10000")),
    ("halo lissajous negative", ["halo", "--az-km", "1e5", "--lissajous-ay-km", "-5"], ("--lissajous-ay-km", "0..")),
    ("halo out under proc", ["halo", "--az-km", "4e5", "--out", "/proc/h.json"], ("--out", "proc")),
    (
        "replay l2 runs negative",
        ["replay", "spektr-rg2019", "--runs", "-1", "--out", "OUT"],
        ("--runs", "0 and 100000"),
    ),
    ("replay aerobraking runs", ["replay", "venus-orbiter-isro", "--runs", "-1", "--out", "OUT"], ("--runs",)),
    (
        "passes target file neither spk nor oem",
        ["passes", "--station", "dss-63", "--start", "2016-10-18", "--stop", "2016-10-19", "--target-file", "FILE"],
        ("a-file.bsp", "not an SPK kernel", "CCSDS_OEM_VERS"),
    ),
]


@pytest.fixture(autouse=False)
def _no_campaign(monkeypatch):
    """The aerobraking campaign and the halo corrections would be work: a case that reaches them fails fast."""

    def stop(*_a, **_k):
        raise WouldRun

    for target in (
        "areo.aerobraking.run_nominal",
        "areo.aerobraking.run_montecarlo",
        "areo.cr3bp.api.halo",
        "areo.cr3bp.api.transfer",
    ):
        monkeypatch.setattr(target, stop)


@pytest.mark.usefixtures("_no_campaign")
@pytest.mark.parametrize(("case", "argv", "needles"), OTHER_OPTION_CASES, ids=[c[0] for c in OTHER_OPTION_CASES])
def test_bad_options_of_other_commands_are_refused(tmp_path, case, argv, needles):
    a_file = tmp_path / "a-file.bsp"
    a_file.write_text("not a kernel\n")
    swap = {"OUT": str(tmp_path / "out"), "FILE": str(a_file), "DIR": str(tmp_path)}
    _check(runner.invoke(app, [swap.get(a, a) for a in argv]), *needles, out=tmp_path / "out")


AEROBRAKING_CASES = [
    ("periapsis nan", "[aerobraking]", "initial_periapsis_altitude_km", "nan", "finite number"),
    ("final periapsis inf", "[aerobraking]", "final_periapsis_altitude_km", "inf", "finite number"),
    ("final periapsis huge", "[aerobraking]", "final_periapsis_altitude_km", "1e300", "less than 10000000"),
    ("final periapsis above target", "[aerobraking]", "final_periapsis_altitude_km", "1000.0", "at most its apoapsis"),
    ("target apoapsis inf", "[aerobraking]", "target_apoapsis_altitude_km", "inf", "finite number"),
    ("start unreadable", "[aerobraking]", "start_utc", '"1993-13-45T00:00:00Z"', "'1993-13-45T00:00:00Z'"),
    ("checkpoint unreadable", "[[aerobraking.checkpoints]]", "utc", '"x"', "checkpoints[0].utc = 'x'"),
    ("corridor limit inf", "[aerobraking.corridor]", "max_dynamic_pressure_n_m2", "inf", "finite number"),
    ("walk-out nan", "[aerobraking]", "max_days", "nan", "finite number"),
]


@pytest.mark.usefixtures("_no_campaign")
@pytest.mark.parametrize(
    ("case", "header", "key", "value", "needle"), AEROBRAKING_CASES, ids=[c[0] for c in AEROBRAKING_CASES]
)
def test_bad_aerobraking_table_is_refused(tmp_path, case, header, key, value, needle):
    """Each was accepted before (a 24 s run ending in a TDB-epoch error, a final orbit silently 528 x 528 km, an
    unread date) or ran on; now the [aerobraking] table is refused before any pass is flown."""
    p = tmp_path / "mutant.toml"
    p.write_text(setkey(header, key, value)(MAGELLAN))
    msg = _check(runner.invoke(app, ["aerobrake", str(p)]), key, needle)
    assert "mutant.toml" in msg, msg


SPEKTR = locate("spektr-rg2019").read_text(encoding="utf-8")
ISRO = locate("venus-orbiter-isro").read_text(encoding="utf-8")
# (id, base, mutation, needles): each was a traceback (a negative seed), a run that went on with the value unread
# or a 15-s run that failed at its end without naming the key; now refused before the first stage
RUNNER_CASES = [
    ("halo seed negative", SPEKTR, setkey("[halo]", "seed", "-1"), ("[halo] seed", "greater than or equal to 0")),
    ("halo seed 2**64", SPEKTR, setkey("[halo]", "seed", str(2**64)), ("[halo] seed",)),
    ("halo tcm day nan", SPEKTR, setkey("[halo]", "tcm_days", "[nan]"), ("[halo] tcm_days", "finite")),
    ("halo tcm days negative", SPEKTR, setkey("[halo]", "tcm_days", "[-1.0]"), ("[halo] tcm_days", "each > 0")),
    ("halo tcm days unsorted", SPEKTR, setkey("[halo]", "tcm_days", "[20.0, 9.0]"), ("tcm_days", "increasing")),
    ("halo point L3", SPEKTR, setkey("[halo]", "libration_point", '"L3"'), ("[halo] libration_point", "'L1' or")),
    ("halo band q", SPEKTR, setkey("[halo]", "band", '"q"'), ("[halo] band", "unknown band 'q'")),
    ("halo amplitude inf", SPEKTR, setkey("[halo]", "amplitude_z_km", "inf"), ("[halo] amplitude_z_km", "finite")),
    (
        "halo injection before launch",
        SPEKTR,
        setkey("[halo]", "injection_utc", '"2019-07-01T00:00:00Z"'),
        ("injection_utc 2019-07-01T00:00:00Z is not after [launch] utc",),
    ),
    ("halo what-if network", SPEKTR, setkey("[halo]", "whatif_network", '"nasa"'), ("[halo] whatif_network", "nasa")),
    ("halo what-if station", SPEKTR, setkey("[halo]", "whatif_without", '["dss-99"]'), ("whatif_without", "dss-99")),
    ("l2 ground network", SPEKTR, setkey("[ground]", "networks", '["nasa"]'), ("ground.networks", "nasa")),
    ("orbiter mass nan", ISRO, setkey("[orbiter]", "launch_mass_kg", "nan"), ("orbiter.launch_mass_kg", "finite")),
    (
        "orbiter arrival unreadable",
        ISRO,
        setkey("[orbiter]", "arrival_utc", '"2028-13-45T00:00:00Z"'),
        ("orbiter.arrival_utc = '2028-13-45T00:00:00Z'",),
    ),
    (
        "orbiter arrival after de421",
        ISRO,
        setkey("[orbiter]", "arrival_utc", '"2054-01-01T00:00:00Z"'),
        ("orbiter.arrival_utc 2054-01-01T00:00:00Z is outside the DE421 ephemeris",),
    ),
    (
        "orbiter arrival before launch",
        ISRO,
        setkey("[orbiter]", "arrival_utc", '"2028-01-01T00:00:00Z"'),
        ("orbiter.arrival_utc 2028-01-01T00:00:00Z is not after launch.utc",),
    ),
    (
        "campaign before arrival",
        ISRO,
        setkey("[aerobraking]", "start_utc", '"2028-06-01T00:00:00Z"'),
        ("aerobraking.start_utc 2028-06-01T00:00:00Z is before orbiter.arrival_utc",),
    ),
    ("aerobraking ground network", ISRO, setkey("[ground]", "networks", '["nasa"]'), ("ground.networks", "nasa")),
]


@pytest.fixture
def _no_stage(monkeypatch):
    def stop(*_a, **_k):
        raise WouldRun

    for target in ("areo.mission.l2.run_stage", "areo.mission.aerobraking.run_stage"):
        monkeypatch.setattr(target, stop)


@pytest.mark.usefixtures("_no_stage")
@pytest.mark.parametrize(("case", "base", "mutate", "needles"), RUNNER_CASES, ids=[c[0] for c in RUNNER_CASES])
def test_bad_l2_and_aerobraking_replays_are_refused(tmp_path, case, base, mutate, needles):
    p = tmp_path / "mutant.toml"
    p.write_text(mutate(base))
    out = tmp_path / "out"
    msg = _check(runner.invoke(app, ["replay", str(p), "--out", str(out), "--runs", "0"]), *needles, out=out)
    assert "mutant.toml" in msg, msg


@pytest.mark.usefixtures("_no_stage")
@pytest.mark.parametrize("base", [SPEKTR, ISRO], ids=["spektr-rg2019", "venus-orbiter-isro"])
def test_unmutated_l2_and_aerobraking_copies_pass_the_checks(tmp_path, base):
    """The mutation bases pass every check: a refused mutant is refused for its one change."""
    p = tmp_path / "copy.toml"
    p.write_text(base)
    r = runner.invoke(app, ["replay", str(p), "--out", str(tmp_path / "out"), "--runs", "0"])
    assert isinstance(r.exception, WouldRun), r.output
