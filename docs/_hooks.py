"""mkdocs hooks: the generated reference pages (scenario keys from the pydantic schema, the CLI from the typer
app), added to the site at build time so they cannot drift from the code."""

from __future__ import annotations

import os
import typing

from mkdocs.structure.files import File


def _type_name(annotation) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args and typing.get_origin(annotation) is not None:
        return " or ".join(_type_name(a) for a in args)
    return getattr(annotation, "__name__", str(annotation)).replace("typing.", "")


def _bounds(field) -> str:
    ops = ((">=", "ge"), (">", "gt"), ("<=", "le"), ("<", "lt"), ("min length ", "min_length"))
    return " ".join(f"{op}{getattr(m, a)}" for m in field.metadata for op, a in ops if getattr(m, a, None) is not None)


def scenario_page() -> str:
    from areo.mission import scenario as s

    tables = {
        "mission": s.MissionIn,
        "launch": s.LaunchIn,
        "cruise": s.CruiseIn,
        "ground": s.GroundIn,
        "events": s.RecordedEvent,
        "landmarks": s.Landmark,
    }
    out = [
        "# Scenario files",
        "",
        "A scenario is a TOML file (the shipped ones are in `src/areo/scenarios/`; `areo replay NAME` finds them by",
        "name). Generated from the pydantic schema in `areo.mission.scenario`; a key's unit is in its name",
        "(`_km`, `_deg`, `_utc`, `_m_s`). Every error names the file, line, key, the value given and what is allowed.",
        "The `[edl]` tables are on the [EDL scenario keys](../edl_scenario_keys.md) page.",
        "",
    ]
    for name, model in tables.items():
        out += [f"## `[{name}]`" if name not in ("events", "landmarks") else f"## `[[{name}]]`", ""]
        out += ["| key | type | default | allowed | meaning |", "|---|---|---|---|---|"]
        for key, f in model.model_fields.items():
            default = "required" if f.is_required() else f"`{f.default!r}`"
            out.append(f"| `{key}` | {_type_name(f.annotation)} | {default} | {_bounds(f)} | {f.description or ''} |")
        out.append("")
    return "\n".join(out)


def cli_page() -> str:
    from typer.testing import CliRunner

    from areo.cli import app

    env = {"COLUMNS": "110", "NO_COLOR": "1", "TERM": "dumb"}
    runner = CliRunner()
    names = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
    out = [
        "# Command line",
        "",
        "Generated from the typer app (`areo COMMAND --help`). Exit codes: 0 done, 2 bad",
        "input (one line naming what was wrong, what is allowed and how to fix it), 1 an internal error.",
        "",
    ]
    for name in ["", *names]:
        res = runner.invoke(app, [*([name] if name else []), "--help"], env=env, terminal_width=110)
        out += [f"## `areo {name}`".rstrip() if name else "## `areo`", "", "```text", res.output.rstrip(), "```", ""]
    return "\n".join(out)


def on_files(files, config):
    os.environ.setdefault("COLUMNS", "110")
    for uri, text in (("reference/scenario.md", scenario_page()), ("reference/cli.md", cli_page())):
        files.append(File.generated(config, uri, content=text))
    return files
