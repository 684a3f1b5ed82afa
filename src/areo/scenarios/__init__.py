"""Scenarios shipped with areo (package data, read with :mod:`importlib.resources`).

Every command and API function that takes a scenario accepts either the name of a shipped scenario
(``exomars2016``) or the path of a TOML file; :func:`locate` is the one place that tells them apart.

    >>> from areo import scenarios
    >>> scenarios.shipped()
    ['exomars2016', 'exomars2022', 'exomars2028']
    >>> scenarios.locate("exomars2016").name
    'exomars2016.toml'
"""

from __future__ import annotations

import atexit
import contextlib
import difflib
from importlib import resources
from pathlib import Path

from ..errors import InputError

_FILES = contextlib.ExitStack()  # keeps extracted copies alive when areo runs from a zip archive
atexit.register(_FILES.close)


def shipped() -> list[str]:
    """Names of the shipped scenarios, sorted (``exomars2016``, ...)."""
    root = resources.files(__name__)
    return sorted(p.name.removesuffix(".toml") for p in root.iterdir() if p.name.endswith(".toml"))


def locate(name_or_path: str | Path) -> Path:
    """The file of a scenario given as a path to an existing file or as a shipped name (``exomars2016`` or
    ``exomars2016.toml``). Raises :class:`areo.errors.InputError` listing the shipped names otherwise."""
    p = Path(name_or_path)
    if p.is_file():
        return p
    if p.is_dir() and (len(p.parts) > 1 or p.suffix == ".toml"):  # a bare name may still be a shipped one
        raise InputError(f"scenario {str(name_or_path)!r} is a folder; give the path of a .toml file in it")
    from ..io.pathkind import refuse_special

    refuse_special(p, f"scenario {str(name_or_path)!r}", "give the path of a .toml file")
    name = str(name_or_path).removesuffix(".toml")
    if name in shipped():
        return _FILES.enter_context(resources.as_file(resources.files(__name__) / f"{name}.toml"))
    names = shipped()
    if p.suffix == ".toml" or len(p.parts) > 1:
        raise InputError(
            f"scenario file {str(name_or_path)!r} not found; give the path of an existing .toml file "
            f"or the name of a shipped scenario ({', '.join(names)})"
        )
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise InputError(
        f"unknown scenario {name!r}{hint}: not a file, nor a shipped scenario ({', '.join(names)}); "
        "give one of those names or the path of a .toml file"
    )


__all__ = ["locate", "shipped"]
