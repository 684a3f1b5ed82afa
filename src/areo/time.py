"""Time scales and epoch parsing.

Inside areo an epoch is **TDB seconds past J2000** (2000-01-01 12:00:00 TDB) as a float64 array; where precision
matters (ephemeris lookups) it travels as two floats, a whole Julian date and a fraction (``tdb_jd``,
``tdb_jd_frac``), as jplephem and skyfield do. UTC appears only at the edges, as ISO-8601 strings.

UTC <-> TT <-> TDB conversions, leap seconds included, come from skyfield's built-in timescale (no download).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from skyfield.timelib import Timescale

from .constants import DAY, J2000_JD
from .errors import InputError

_FORMS = "'2016-03-14', '2016-03-14T09:31:42Z' or '2016-03-14T09:31:42.250Z'"


@lru_cache(maxsize=1)
def timescale() -> Timescale:
    """skyfield's built-in timescale (leap seconds and Delta T tables shipped with skyfield)."""
    from skyfield.api import load

    return load.timescale(builtin=True)


def parse_utc(text: str) -> _dt.datetime:
    """Parse one UTC date or date-time string into an aware ``datetime`` in UTC.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM[:SS[.fff]]`` with an optional ``Z`` or numeric offset.
    A string without offset is taken as UTC.
    """
    s = str(text).strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", s):
        raise InputError(f"cannot read {text!r} as a UTC date; expected a form like {_FORMS}.")
    try:
        t = _dt.datetime.fromisoformat(s.replace("z", "Z").replace(" ", "T", 1) if "T" not in s else s)
    except ValueError:
        raise InputError(f"cannot read {text!r} as a UTC date; expected a form like {_FORMS}.") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.UTC)
    return t.astimezone(_dt.UTC)


def parse_utc_range(text: str) -> tuple[_dt.datetime, _dt.datetime]:
    """Parse ``START:STOP`` (each in a form accepted by :func:`parse_utc`); STOP must be after START."""
    s = str(text).strip()
    # split on the ':' that is followed by a 4-digit year (times contain ':' too)
    m = re.match(r"^(.+?):(\d{4}-\d{2}-\d{2}.*)$", s)
    if not m:
        raise InputError(f"cannot read {text!r} as a date range; expected START:STOP, e.g. '2016-01-01:2016-06-30'.")
    start, stop = parse_utc(m.group(1)), parse_utc(m.group(2))
    if stop <= start:
        raise InputError(
            f"range {text!r} ends before it starts ({format_utc_dt(stop)} <= {format_utc_dt(start)}); "
            "write START:STOP with STOP later than START."
        )
    return start, stop


def format_utc_dt(t: _dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class TDB:
    """TDB epochs as two-float Julian dates (``jd`` whole part + ``frac``), any shape."""

    jd: np.ndarray
    frac: np.ndarray

    @property
    def seconds(self) -> np.ndarray:
        """TDB seconds past J2000 (float64)."""
        return cast(np.ndarray, ((self.jd - J2000_JD) + self.frac) * DAY)


UtcLike = str | _dt.datetime | Iterable[str | _dt.datetime]


def utc_to_tdb(times: UtcLike) -> TDB:
    """UTC (datetime, ISO string, or a sequence of them) to two-float TDB Julian dates."""
    if isinstance(times, (str, _dt.datetime)):
        times = [times]
        scalar = True
    else:
        scalar = False
    dts = [parse_utc(t) if isinstance(t, str) else t for t in times]
    for d in dts:
        if d.tzinfo is None:
            raise InputError(
                f"datetime {d!r} has no time zone; areo does not guess. Pass tzinfo=datetime.timezone.utc."
            )
    t = timescale().from_datetimes(dts)
    jd, frac = np.asarray(t.whole, dtype=float), np.asarray(t.tdb_fraction, dtype=float)
    if scalar:
        jd, frac = jd[0], frac[0]
    return TDB(jd=np.asarray(jd), frac=np.asarray(frac))


def utc_to_tdb_seconds(times: UtcLike) -> np.ndarray:
    """UTC (datetime, ISO string, or sequence) to TDB seconds past J2000."""
    return utc_to_tdb(times).seconds


def tdb_seconds_to_utc(tdb_s: npt.ArrayLike) -> list[_dt.datetime] | _dt.datetime:
    """TDB seconds past J2000 to aware UTC datetimes (microsecond resolution)."""
    arr = np.atleast_1d(np.asarray(tdb_s, dtype=float))
    whole = np.floor(arr / DAY)
    frac = arr / DAY - whole
    t = timescale().tdb_jd(J2000_JD + whole, frac)
    out = t.utc_datetime()
    out = list(np.atleast_1d(out))
    return out[0] if np.ndim(tdb_s) == 0 else out


def tdb_seconds_to_utc_iso(tdb_s: npt.ArrayLike, decimals: int = 0) -> list[str] | str:
    """TDB seconds past J2000 to ISO-8601 UTC strings (``2016-03-14T09:31:42Z``)."""
    arr = np.atleast_1d(np.asarray(tdb_s, dtype=float))
    whole = np.floor(arr / DAY)
    t = timescale().tdb_jd(J2000_JD + whole, arr / DAY - whole)
    strs = t.utc_strftime("%Y-%m-%dT%H:%M:%S" if decimals == 0 else "%Y-%m-%dT%H:%M:%S.%f")
    strs = [s if decimals == 0 else s[: len("2016-03-14T09:31:42.") + decimals] for s in np.atleast_1d(strs)]
    strs = [s + "Z" for s in strs]
    return strs[0] if np.ndim(tdb_s) == 0 else strs


def tdb_seconds_to_jd2(tdb_s: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """TDB seconds past J2000 to (whole JD, fraction) with the whole part at midnight-ish integers."""
    arr = np.asarray(tdb_s, dtype=float)
    days = arr / DAY
    whole = np.floor(days)
    return J2000_JD + whole, (arr - whole * DAY) / DAY
