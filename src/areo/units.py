"""Quantities at the edges: a value with a unit (astropy ``Quantity``) where areo's name says the unit.

areo's public floats carry their unit in the name (``min_elevation_deg``, ``c3_km2_s2``, ``tof_s``). A notebook
user may hold an astropy ``Quantity`` instead; :func:`to_named_unit` converts it to the unit the name says,
refuses an incompatible one with one line (``min_elevation_deg got 3 m: give an angle``) and passes plain
floats and arrays through untouched. :func:`accepts_quantities` applies it to every unit-named parameter of a
public function. astropy is never imported here: a quantity is recognised by its ``unit`` and ``to_value``
(astropy's own interface), so areo works the same without astropy installed.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import InputError

# name suffix -> (unit as astropy spells it, what kind of quantity it is); longest suffixes are tried first
SUFFIX_UNITS: dict[str, tuple[str, str]] = {
    "_km2_s2": ("km2 / s2", "a specific energy such as C3 (km2/s2)"),
    "_m3_s2": ("m3 / s2", "a gravitational parameter (m3/s2)"),
    "_km_s": ("km / s", "a speed"),
    "_m_s": ("m / s", "a speed"),
    "_kbps": ("kbit / s", "a data rate"),
    "_dbw": ("dB(W)", "a power in dBW (or watts)"),
    "_db": ("dB", "a ratio in dB"),
    "_deg": ("deg", "an angle"),
    "_rad": ("rad", "an angle"),
    "_days": ("day", "a duration"),
    "_min": ("min", "a duration"),
    "_km": ("km", "a length"),
    "_kg": ("kg", "a mass"),
    "_m": ("m", "a length"),
    "_s": ("s", "a duration"),
    "_n": ("N", "a force"),
}
_SUFFIXES = sorted(SUFFIX_UNITS, key=len, reverse=True)

F = TypeVar("F", bound=Callable[..., Any])


def named_unit(name: str) -> tuple[str, str] | None:
    """``(unit, kind)`` that a parameter name's suffix states (``tof_s`` -> ``('s', 'a duration')``), or None."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return SUFFIX_UNITS[suffix]
    return None


def is_quantity(value: object) -> bool:
    """True for a value with a unit: astropy ``Quantity`` or anything with ``unit`` and ``to_value(unit)``."""
    return not isinstance(value, (str, bytes)) and hasattr(value, "unit") and hasattr(value, "to_value")


def to_named_unit(name: str, value: Any) -> Any:
    """``value`` in the unit that ``name`` states: a Quantity is converted (a float, or an array for an array
    Quantity); anything else is returned as it is. InputError for a unit of the wrong kind or an unnamed unit."""
    if not is_quantity(value):
        return value
    spec = named_unit(name)
    if spec is None:
        raise InputError(
            f"{name} got a quantity ({_show(value)}) but its name states no unit; give a plain number as the "
            "docstring says."
        )
    unit, kind = spec
    try:
        out = value.to_value(unit)
    except (ValueError, TypeError):  # astropy's UnitConversionError is a ValueError
        raise InputError(f"{name} got {_show(value)}: give {kind} (it is read in {unit})") from None
    return float(out) if getattr(out, "ndim", 0) == 0 else out


def _show(value: Any) -> str:
    try:
        return f"{value:g}" if getattr(value, "ndim", 0) == 0 else f"an array in {value.unit}"
    except (TypeError, ValueError):
        return f"{getattr(value, 'value', value)} {value.unit}"


def accepts_quantities(func: F) -> F:
    """Decorator: every unit-named parameter of ``func`` also takes a quantity, converted by :func:`to_named_unit`.

    Plain numbers cost one attribute check per argument; the signature (and ``help()``) is unchanged.
    """
    names = [n for n, p in inspect.signature(func).parameters.items() if named_unit(n) is not None]
    if not names:
        raise TypeError(f"{func.__qualname__} has no unit-named parameter; accepts_quantities does nothing there")
    positions = {n: i for i, n in enumerate(inspect.signature(func).parameters)}

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if any(is_quantity(a) for a in args) or any(is_quantity(v) for v in kwargs.values()):
            args_l = list(args)
            for n in names:
                i = positions[n]
                if i < len(args_l):
                    args_l[i] = to_named_unit(n, args_l[i])
                elif n in kwargs:
                    kwargs[n] = to_named_unit(n, kwargs[n])
            args = tuple(args_l)
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


__all__ = ["SUFFIX_UNITS", "accepts_quantities", "is_quantity", "named_unit", "to_named_unit"]
