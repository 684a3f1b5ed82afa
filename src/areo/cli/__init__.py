"""Command-line interface. Each capability is one sub-command module of this package that registers its
commands on the shared typer ``app``; commands only parse arguments and call one user-layer function."""

import importlib
import importlib.util

from ._app import app

_COMMAND_MODULES = ("porkchop", "ephem", "edl", "ground", "replay", "launch", "halo")
for _name in _COMMAND_MODULES:
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    app()


__all__ = ["app", "main"]
