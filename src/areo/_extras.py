"""Optional dependency groups ("extras"): the core install computes everything; these add outputs.

``report`` (plotly, matplotlib): HTML reports and plots; ``parquet`` (pandas, pyarrow): Parquet tables;
``campaign`` (dask[distributed]): Monte Carlo campaigns on a Dask cluster; ``telemetry`` (spacepackets,
reedsolo, fastcrc): CCSDS packets and frames. ``areo[all]`` installs every one.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from .errors import MissingExtraError

# module -> the extra that installs it (keep in step with [project.optional-dependencies] in pyproject.toml)
EXTRA_OF = {
    "plotly": "report",
    "matplotlib": "report",
    "pandas": "parquet",
    "pyarrow": "parquet",
    "distributed": "campaign",
    "dask": "campaign",
    "spacepackets": "telemetry",
    "reedsolo": "telemetry",
    "fastcrc": "telemetry",
    "spiceypy": "spice",
}


def message(feature: str, module: str) -> str:
    """The one line that says which extra a feature needs and how to install it."""
    top = module.partition(".")[0]
    extra = EXTRA_OF[top]
    return f"{feature} needs the {extra!r} extra ({top} is not installed): pip install 'areo[{extra}]'"


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` (e.g. ``"plotly.graph_objects"``) or raise :class:`MissingExtraError` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name is not None and exc.name.partition(".")[0] != module.partition(".")[0]:
            raise  # the module is there but one of its own dependencies is broken: not a missing extra
        raise MissingExtraError(message(feature, module)) from None


def has(*modules: str) -> bool:
    """True when every top-level module is importable (without importing it)."""
    return all(importlib.util.find_spec(m.partition(".")[0]) is not None for m in modules)
