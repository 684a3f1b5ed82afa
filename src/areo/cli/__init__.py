"""Command-line interface. Each capability is one sub-command, defined in its own module of this package;
commands only parse arguments and call one user-layer function."""

from ._app import app

# each module registers its commands on ``app`` when imported
from . import porkchop as _porkchop  # noqa: F401,E402

try:  # capabilities added by later issues register themselves the same way
    from . import ground as _ground  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - only while the module does not exist yet
    if exc.name != f"{__name__}.ground":
        raise
try:
    from . import edl as _edl  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover
    if exc.name != f"{__name__}.edl":
        raise


def main() -> None:
    app()


__all__ = ["app", "main"]
