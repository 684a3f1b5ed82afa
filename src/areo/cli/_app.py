"""The typer application and the one place where user errors become one red line and exit code 2."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..errors import AreoError

app = typer.Typer(
    name="areo",
    help="areo: Mars missions and the deep-space network that flies them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)
_STATE = {"debug": False}


def _version(value: bool):
    if value:
        console.print(f"areo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
):
    """areo: launch windows, cruise, entry-descent-landing and ground segment of Mars missions."""
    _STATE["debug"] = debug


def fail(message: str, kind: str = "InputError") -> None:
    """Print one clear line to stderr and exit with code 2."""
    err_console.print(f"[bold red]{kind}:[/] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code=2)


def handles_errors(fn: Callable) -> Callable:
    """Decorator for commands: AreoError (and ValueError from validation) -> one line, exit 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AreoError as exc:
            if _STATE["debug"]:
                raise
            fail(str(exc), type(exc).__name__)

    return wrapper


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, allow_nan=False) + "\n")
