"""Command-line interface. Each capability is one sub-command module of this package that registers its
commands on the shared typer ``app``; commands only parse arguments and call one user-layer function."""

import importlib
import importlib.util

from ._app import app

_COMMAND_MODULES = ("porkchop", "ephem", "edl", "ground", "replay", "launch", "files", "aerobrake", "halo")
for _name in _COMMAND_MODULES:
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    """Entry point: the commands turn user errors into one line and exit 2; anything unexpected left is caught
    here as a last resort (one line, exit 1), unless --debug asks for the traceback."""
    import sys

    from rich.markup import escape

    from ._app import _STATE, err_console

    _campaign_warnings_as_one_line(err_console)
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("[bold red]interrupted[/]")
        sys.exit(130)
    except Exception as exc:
        if _STATE["debug"]:
            raise
        err_console.print(
            f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc)[:300])}; "
            "re-run with --debug for the traceback and please report it",
            soft_wrap=True,
            highlight=False,
        )
        sys.exit(1)


def _campaign_warnings_as_one_line(err_console) -> None:
    """A campaign's notices (a killed run's lock taken over, chunks recomputed) as one yellow line each, without
    Python's file name and source line; other warnings as Python shows them."""
    import warnings

    from rich.markup import escape

    python_show = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        from ..campaign import CampaignWarning

        if issubclass(category, CampaignWarning):
            err_console.print(f"[yellow]warning:[/] {escape(str(message))}", soft_wrap=True, highlight=False)
        else:
            python_show(message, category, filename, lineno, file, line)

    warnings.showwarning = show


__all__ = ["app", "main"]
