"""The launcher catalogue: ``launchers.toml`` beside this module plus any user file of the same shape."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, abridged, naming, unknown_choice
from .schema import CatalogueIn
from .vehicle import Launcher, LaunchSite


def _explain(exc: ValidationError, origin: str) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key; check the spelling"
        elif err["type"] == "missing":
            msg = "missing required key; add it"
        elif not isinstance(err.get("input"), dict):  # a value: say what was given
            msg += f", got {abridged(repr(err.get('input')))}"
        parts.append(f"{where}: {msg}")
    return f"invalid launcher file {origin}: " + "; ".join(parts)


def _parse(data: dict[str, Any], origin: str) -> CatalogueIn:
    try:
        return CatalogueIn.model_validate(data)
    except ValidationError as exc:
        raise InputError(_explain(exc, origin)) from None


def _merge(sites: dict[str, LaunchSite], launchers: dict[str, Launcher], cat: CatalogueIn, origin: str) -> None:
    for name, s in cat.sites.items():
        sites[name] = LaunchSite(
            name, s.title or name, s.latitude_deg, tuple(s.inclinations_deg), s.source, s.longitude_deg
        )
    for name, v in cat.launchers.items():
        if v.site not in sites:
            raise unknown_choice(f"launch site of launcher {name!r} in {origin}:", v.site, sites)
        site = sites[v.site]
        lat = abs(site.latitude_deg)
        low = [i for i in v.parking_inclinations_deg if i < lat]
        if low:
            raise InputError(
                f"{origin}: launchers.{name}.parking_inclinations_deg: {low} deg is below the latitude of "
                f"{site.title} ({lat:g} deg) and cannot be flown directly; give inclinations of at least {lat:g} deg."
            )
        launchers[name] = Launcher(
            name=name,
            title=v.title,
            site=site,
            parking_inclinations_deg=tuple(v.parking_inclinations_deg),
            parking_altitude_km=v.parking_altitude_km,
            max_coast_min=v.max_coast_min,
            c3_table_km2_s2=tuple(v.c3_km2_s2),
            payload_table_kg=tuple(v.payload_kg),
            estimate=v.estimate,
            source=v.source,
        )


@lru_cache(maxsize=1)
def _builtin() -> tuple[dict[str, LaunchSite], dict[str, Launcher]]:
    sites: dict[str, LaunchSite] = {}
    launchers: dict[str, Launcher] = {}
    with resources.files("areo.launch").joinpath("launchers.toml").open("rb") as fh:
        _merge(sites, launchers, _parse(tomllib.load(fh), "areo/launch/launchers.toml"), "areo/launch/launchers.toml")
    return sites, launchers


def load_launchers(extra_file: str | Path | None = None) -> dict[str, Launcher]:
    """The shipped launchers, plus (or replaced by) those of ``extra_file`` (a TOML file with ``[sites.*]`` and
    ``[launchers.*]`` tables; a launcher there may use a shipped site)."""
    shipped_sites, shipped_launchers = _builtin()
    sites, launchers = dict(shipped_sites), dict(shipped_launchers)  # copies: the cached originals stay as shipped
    if extra_file is not None:
        from ..io.tomlfile import read_toml

        if not str(extra_file).strip():
            raise InputError("launcher file (--file) is empty; give the path of a TOML file, or leave --file out.")
        path = Path(extra_file)
        if not path.exists():
            raise InputError(f"launcher file (--file) {str(path)!r} not found; give the path of a TOML file.")
        with naming("launcher file (--file)"):
            _, data = read_toml(path)  # one line for a folder, a pipe, an unreadable, binary or non-UTF-8 file
        _merge(sites, launchers, _parse(data, path.name), path.name)
    return launchers


def get_launcher(name: str, extra_file: str | Path | None = None) -> Launcher:
    """A launcher by name (case-insensitive; ``Proton-M / Breeze-M`` and ``proton-m-breeze-m`` both work)."""
    launchers = load_launchers(extra_file)
    key = str(name).strip().lower().replace(" / ", "-").replace("/", "-").replace(" ", "-")
    if key in launchers:
        return launchers[key]
    raise unknown_choice("launcher", str(name), launchers, "List them with `areo launchers`.")
