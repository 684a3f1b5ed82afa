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
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from skyfield.timelib import Time, Timescale

from .constants import DAY, J2000_JD
from .errors import InputError

_FORMS = "'2016-03-14', '2016-03-14T09:31:42Z' or '2016-03-14T09:31:42.250Z'"


@lru_cache(maxsize=1)
def timescale() -> Timescale:
    """skyfield's built-in timescale (leap seconds and Delta T tables shipped with skyfield)."""
    from skyfield.api import load

    return load.timescale(builtin=True)


def parse_utc(text: object) -> _dt.datetime:
    """Parse one UTC date or date-time string into an aware ``datetime`` in UTC.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM[:SS[.fff]]`` with an optional ``Z`` or numeric offset.
    A string without offset is taken as UTC. Any other epoch form :func:`epoch_tdb_s` reads (a scale suffix such
    as ``'2016-10-19T14:42 TDB'``, numpy datetime64, pandas Timestamp, astropy Time) is converted to UTC.
    """
    if not isinstance(text, str) or _SUFFIX.match(text.strip()):
        if isinstance(text, _dt.datetime) and text.tzinfo is not None and not hasattr(text, "nanosecond"):
            return text.astimezone(_dt.UTC)
        return cast(_dt.datetime, tdb_seconds_to_utc(epoch_tdb_s(text)))
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


# A leap second as written in UTC (RFC 3339 / ISO 8601): 23:59:60[.fff] on the last day of a month
_LEAP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ]23:59:(60(?:\.\d+)?)(?:[zZ]|\+00:00)?$")
# A calendar date-time in a scale without leap seconds (TT, TAI, TDB, UT1): no zone suffix
_PLAIN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?$")
SCALES = ("utc", "tai", "tt", "tdb", "ut1")
# Epochs further than this from J2000 are refused (about 1,900 years, years 99 to 3901: beyond every table areo
# uses, and inside the 4-digit years of ISO strings)
MAX_ABS_TDB_S = 6e10
TimeLike = str | _dt.datetime | Iterable[str | _dt.datetime]  # one calendar time, or several


def _has_leap_second(year: int, month: int, day: int) -> bool:
    """Whether UTC day year-month-day ends with a leap second (skyfield's built-in leap-second table)."""
    ts = timescale()
    before, after = ts.utc(year, month, day, 23, 59, 59.0), ts.utc(year, month, day + 1, 0, 0, 0.0)
    return bool(round(float((after.tai - before.tai) * DAY)) == 2)


def _utc_fields(item: object) -> tuple[int, int, int, int, int, float]:
    """(year, month, day, hour, minute, second) in UTC from an ISO string or an aware datetime; second may be 60.x."""
    if isinstance(item, str):
        m = _LEAP.match(item.strip())
        if m:
            y, mo, d, sec = int(m.group(1)), int(m.group(2)), int(m.group(3)), float(m.group(4))
            parse_utc(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")  # a real calendar date
            if not _has_leap_second(y, mo, d):
                raise InputError(
                    f"{item!r} names a leap second, but UTC day {y:04d}-{mo:02d}-{d:02d} has none (leap seconds so "
                    "far end 30 June or 31 December of some years, e.g. 2016-12-31T23:59:60Z); check the date."
                )
            return y, mo, d, 23, 59, sec
        frac = re.search(r":\d{2}(\.\d+)(?:[zZ]|[+-]\d{2}:?\d{2})?$", item.strip())  # datetime keeps only 6 digits
        u = parse_utc(item)
        second = u.second + (float(frac.group(1)) if frac else 0.0)
        return u.year, u.month, u.day, u.hour, u.minute, second
    if not isinstance(item, _dt.datetime):
        raise InputError(f"cannot read {item!r} as a UTC time; give an ISO string like {_FORMS} or a datetime.")
    if item.tzinfo is None:
        raise InputError(f"datetime {item!r} has no time zone; areo does not guess. Pass tzinfo=datetime.timezone.utc.")
    u = item.astimezone(_dt.UTC)
    ns = float(getattr(item, "nanosecond", 0))  # pandas Timestamp keeps nanoseconds beyond the microsecond
    return u.year, u.month, u.day, u.hour, u.minute, u.second + u.microsecond / 1e6 + ns / 1e9


def _plain_fields(text: object, scale: str) -> tuple[int, int, int, int, int, float]:
    """(year, month, day, hour, minute, second) of a calendar date-time written in ``scale`` (no zone suffix)."""
    m = _PLAIN.match(str(text).strip())
    if not m:
        raise InputError(
            f"cannot read {text!r} as a {scale.upper()} date; expected '2006-01-15T21:25:42.684' (no 'Z' or offset: "
            f"those belong to UTC)."
        )
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    h, mi, sec = int(m.group(4) or 0), int(m.group(5) or 0), float(m.group(6) or 0.0)
    try:
        _dt.datetime(y, mo, d, h, mi, int(sec))
    except ValueError as exc:
        raise InputError(f"cannot read {text!r} as a {scale.upper()} date: {exc}.") from None
    return y, mo, d, h, mi, sec


def _plain_time(fields: list[tuple[int, int, int, int, int, float]], scale: str) -> Time:
    """skyfield Time from calendar fields in TT, TAI, TDB or UT1, kept as two floats (midnight JD + fraction)."""
    ts = timescale()
    jd0 = np.array([2451544.5 + (_dt.date(f[0], f[1], f[2]) - _dt.date(2000, 1, 1)).days for f in fields], float)
    frac = np.array([(f[3] * 3600 + f[4] * 60 + f[5]) / DAY for f in fields], float)
    if scale != "ut1":
        return getattr(ts, f"{scale}_jd")(jd0, frac)
    t = ts.tt_jd(jd0, frac)  # TT = UT1 + Delta T; Delta T changes by < 1 ms a day, so three passes settle it
    for _ in range(3):
        t = ts.tt_jd(jd0, frac + np.asarray(t.delta_t) / DAY)
    return t


def _check_scale(scale: str) -> str:
    if scale not in SCALES:
        from .errors import unknown_choice

        raise unknown_choice("time scale", str(scale), SCALES)
    return scale


def to_tdb(times: TimeLike, scale: str = "utc") -> TDB:
    """Calendar date-times in ``scale`` (utc, tai, tt, tdb or ut1) to two-float TDB Julian dates.

    UTC accepts ISO strings (a leap second such as ``2016-12-31T23:59:60.5Z`` included) and aware datetimes;
    the other scales accept ISO strings without a zone. UT1 uses skyfield's built-in IERS table. Every form of
    :func:`epoch_tdb_s` is accepted too (numpy datetime64, pandas, astropy Time, a scale suffix), in its own scale.
    """
    _check_scale(scale)
    whole_array = _array_tdb(times)
    if whole_array is not None:
        return whole_array
    scalar = isinstance(times, (str, _dt.datetime)) or _kind(times) is not None
    items = [times] if scalar else list(cast(Iterable[object], times))
    if any(_kind(x) is not None or (isinstance(x, str) and _SUFFIX.match(x.strip())) for x in items):
        parts = [_one_tdb(x, scale) for x in items]
        jd_, frac_ = np.array([p[0] for p in parts], float), np.array([p[1] for p in parts], float)
        return TDB(jd=np.asarray(jd_[0] if scalar else jd_), frac=np.asarray(frac_[0] if scalar else frac_))
    if scale == "utc":
        fields = [_utc_fields(t) for t in items]
        cols = [np.array([f[k] for f in fields]) for k in range(6)] if fields else [np.zeros(0)] * 6
        t = timescale().utc(*cols)
    else:
        t = _plain_time([_plain_fields(t, scale) for t in items], scale)
    jd, frac = np.asarray(t.whole, dtype=float), np.asarray(t.tdb_fraction, dtype=float)
    if scalar:
        jd, frac = jd[0], frac[0]
    return TDB(jd=np.asarray(jd), frac=np.asarray(frac))


def utc_to_tdb(times: TimeLike) -> TDB:
    """UTC (datetime, ISO string, or a sequence of them) to two-float TDB Julian dates."""
    return to_tdb(times, "utc")


def utc_to_tdb_seconds(times: TimeLike) -> np.ndarray:
    """UTC (datetime, ISO string, or sequence) to TDB seconds past J2000."""
    return utc_to_tdb(times).seconds


def to_tdb_seconds(times: TimeLike, scale: str = "utc") -> np.ndarray:
    """Calendar date-times in ``scale`` to TDB seconds past J2000 (see :func:`to_tdb`)."""
    return to_tdb(times, scale).seconds


def _checked_tdb(tdb_s: npt.ArrayLike) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(tdb_s, dtype=float))
    bad = ~(np.abs(arr) <= MAX_ABS_TDB_S)
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        where = "" if np.ndim(tdb_s) == 0 else f" (element {k} of {arr.size})"
        raise InputError(
            f"TDB epoch {float(arr[k])!r} s{where} is not a finite time within {MAX_ABS_TDB_S:.0e} s (about 1,900 years) "
            "of J2000; give TDB seconds past 2000-01-01 12:00 TDB."
        )
    return arr


def _skyfield_time(arr: np.ndarray) -> Time:
    whole = np.floor(arr / DAY)
    return timescale().tdb_jd(J2000_JD + whole, (arr - whole * DAY) / DAY)


def tdb_seconds_to_utc(tdb_s: npt.ArrayLike) -> list[_dt.datetime] | _dt.datetime:
    """TDB seconds past J2000 to aware UTC datetimes (microsecond resolution).

    A ``datetime`` cannot hold a leap second: an instant inside one comes back as 23:59:59 plus the fraction
    (skyfield's convention). :func:`tdb_seconds_to_utc_iso` writes it exactly, as 23:59:60.
    """
    arr = _checked_tdb(tdb_s)
    out = list(np.atleast_1d(_skyfield_time(arr).utc_datetime()))
    return out[0] if np.ndim(tdb_s) == 0 else out


def _check_decimals(decimals: object) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or not 0 <= decimals <= 9:
        raise InputError(f"decimals must be a whole number from 0 to 9; got {decimals!r}.")
    return int(decimals)


def tdb_seconds_to_utc_iso(tdb_s: npt.ArrayLike, decimals: int = 0) -> list[str] | str:
    """TDB seconds past J2000 to ISO-8601 UTC strings (``2016-03-14T09:31:42Z``), rounded to ``decimals``.

    Rounds to nearest (42.8999996 s prints as 42.900 with 3 decimals) and writes leap seconds as 23:59:60.
    """
    arr = _checked_tdb(tdb_s)
    strs = _skyfield_time(arr).utc_iso(delimiter="T", places=_check_decimals(decimals))
    strs = [str(x) for x in np.atleast_1d(strs)]
    return strs[0] if np.ndim(tdb_s) == 0 else strs


def _iso_from_jd2(whole: float, frac: float, decimals: int) -> str:
    """ISO calendar string from a two-part Julian date (whole at noon) in a scale without leap seconds."""
    day = whole - 0.5 + np.floor(frac + 0.5)  # JD of the midnight starting the day
    scale = 10**decimals
    ticks = round(float((frac + 0.5 - np.floor(frac + 0.5)) * DAY * scale))
    if ticks >= int(DAY) * scale:
        day, ticks = day + 1, ticks - int(DAY) * scale
    date = _dt.date(2000, 1, 1) + _dt.timedelta(days=int(day - 2451544.5))
    sec, sub = divmod(ticks, scale)
    hh, rem = divmod(sec, 3600)
    mm, ss = divmod(rem, 60)
    text = f"{date.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}"
    return text + (f".{sub:0{decimals}d}" if decimals else "")


def tdb_seconds_to_iso(tdb_s: npt.ArrayLike, scale: str = "utc", decimals: int = 0) -> list[str] | str:
    """TDB seconds past J2000 to ISO-8601 calendar strings in ``scale`` (utc, tai, tt, tdb or ut1), rounded.

    UTC strings end in ``Z`` (and show leap seconds as 23:59:60); the other scales carry no suffix.
    """
    if _check_scale(scale) == "utc":
        return tdb_seconds_to_utc_iso(tdb_s, decimals)
    arr = _checked_tdb(tdb_s)
    d = _check_decimals(decimals)
    t = _skyfield_time(arr)
    whole = np.atleast_1d(np.asarray(t.whole, dtype=float))
    frac = np.atleast_1d(np.asarray(getattr(t, f"{scale}_fraction"), dtype=float))
    strs = [_iso_from_jd2(float(w), float(f), d) for w, f in zip(whole, frac)]
    return strs[0] if np.ndim(tdb_s) == 0 else strs


def tdb_seconds_to_jd2(tdb_s: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """TDB seconds past J2000 to (whole JD, fraction) with the whole part at midnight-ish integers."""
    arr = np.asarray(tdb_s, dtype=float)
    days = arr / DAY
    whole = np.floor(days)
    return J2000_JD + whole, (arr - whole * DAY) / DAY


# ------------------------------------------------------------------------------------------ epochs in any form
# A calendar time followed by the name of its scale: '2016-10-19T14:42:00 TDB' (any case); no zone suffix
_SUFFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)\s+([A-Za-z][A-Za-z0-9_]*)$")
# astropy scales areo reads: its own five, plus TCG and TCB (converted by astropy's offline formulas)
ASTROPY_SCALES = (*SCALES, "tcg", "tcb")
EPOCH_FORMS = (
    "an ISO string ('2016-10-19T14:42Z' UTC, or '2016-10-19T14:42 TDB' with the scale after it), an aware datetime "
    "or pandas Timestamp, a numpy datetime64 (read as UTC), or an astropy Time"
)


def _kind(x: object) -> str | None:
    """'datetime64', 'pandas' (Index/Series of datetimes), 'astropy' or None for the plain forms."""
    if isinstance(x, np.datetime64) or (isinstance(x, np.ndarray) and x.dtype.kind == "M"):
        return "datetime64"
    module = type(x).__module__
    if module.startswith("astropy.time"):
        return "astropy"
    if module.startswith("pandas") and not isinstance(x, _dt.datetime) and hasattr(x, "dtype"):
        return "pandas"
    return None


def _suffix_scale(text: str) -> tuple[str, str] | None:
    """(calendar part, scale) of a string written with its scale after it, else None."""
    m = _SUFFIX.match(text.strip())
    if not m:
        return None
    scale = m.group(2).lower()
    if scale not in SCALES:
        raise InputError(
            f"unknown time scale {m.group(2)!r} in {text!r}; valid scales: {', '.join(x.upper() for x in SCALES)}, "
            "written after the time (e.g. '2016-10-19T14:42 TDB'), or a 'Z' for UTC."
        )
    return m.group(1), scale


def _datetime64_tdb(arr: np.ndarray) -> TDB:
    """numpy datetime64 values (UTC by numpy's convention: no zone, no leap seconds) to two-float TDB."""
    a = np.asarray(arr)
    if np.any(np.isnat(a)):
        raise InputError(f"a datetime64 epoch is NaT (not a time); give real times ({EPOCH_FORMS}).")
    ns = a.astype("datetime64[ns]").astype(np.int64)
    days = np.floor_divide(ns, 86_400_000_000_000)
    sec = (ns - days * 86_400_000_000_000) / 1e9
    dates = days.astype("datetime64[D]")
    y = dates.astype("datetime64[Y]").astype(int) + 1970
    mo = dates.astype("datetime64[M]").astype(int) % 12 + 1
    d = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    t = timescale().utc(y, mo, d, 0, 0, sec)
    return TDB(jd=np.asarray(t.whole, float), frac=np.asarray(t.tdb_fraction, float))


def _astropy_tdb(t: Any) -> TDB:
    """An astropy Time in its own scale to two-float TDB (TDB directly; TT, TAI, UTC via astropy's TT; UT1 via
    skyfield's UT1 table; TCG and TCB by astropy's formulas). Other scales (e.g. 'local') are refused."""
    scale = str(getattr(t, "scale", "")).lower()
    if scale not in ASTROPY_SCALES:
        from .errors import unknown_choice

        raise unknown_choice("astropy Time scale", scale, ASTROPY_SCALES, "Convert it first, e.g. t.utc or t.tdb.")
    if scale in ("tdb", "tcb"):
        tt_ = t.tdb
        return TDB(jd=np.asarray(tt_.jd1, float), frac=np.asarray(tt_.jd2, float))
    if scale == "ut1":
        sk = timescale().ut1_jd(np.asarray(t.jd1, float) + np.asarray(t.jd2, float))
    else:
        tt_ = t.tt
        sk = timescale().tt_jd(np.asarray(tt_.jd1, float), np.asarray(tt_.jd2, float))
    return TDB(jd=np.asarray(sk.whole, float), frac=np.asarray(sk.tdb_fraction, float))


def _pandas_tdb(x: Any) -> TDB | None:
    """A pandas DatetimeIndex or Series of datetimes: zone-aware only (converted to UTC), like a datetime.
    None for other pandas objects (a Series of strings is read element by element)."""
    if not str(x.dtype).startswith("datetime64"):
        return None
    if getattr(x.dtype, "tz", None) is None:
        raise InputError(
            "pandas datetimes without a time zone; areo does not guess. Use .tz_localize('UTC') (or the zone they "
            "are in) first."
        )
    conv = x.dt.tz_convert("UTC").dt.tz_localize(None) if hasattr(x, "dt") else x.tz_convert("UTC").tz_localize(None)
    return _datetime64_tdb(np.asarray(conv, dtype="datetime64[ns]"))


def _array_tdb(x: object) -> TDB | None:
    """Whole-array conversion of numpy datetime64 arrays, pandas Index/Series and astropy Time, else None."""
    kind = _kind(x)
    if kind == "astropy":
        return _astropy_tdb(x)
    if kind == "pandas":
        return _pandas_tdb(x)
    if kind == "datetime64":
        return _datetime64_tdb(cast(np.ndarray, x))
    return None


def _one_tdb(x: object, scale: str) -> tuple[float, float]:
    """(jd, frac) of one epoch in any form; strings without a scale suffix are in ``scale``."""
    special = _array_tdb(x)
    if special is None and isinstance(x, str) and (sfx := _suffix_scale(x)) is not None:
        special = to_tdb(sfx[0], sfx[1])
    if special is None:
        if not isinstance(x, (str, _dt.datetime)):
            raise InputError(f"cannot read {x!r} as an epoch; give {EPOCH_FORMS}.")
        special = to_tdb(x, scale)
    if np.size(special.jd) != 1:
        raise InputError(f"expected one epoch, got {np.size(special.jd)}; pass them as a list or array.")
    return float(np.ravel(special.jd)[0]), float(np.ravel(special.frac)[0])


def epoch_tdb_s(value: object, scale: str = "utc") -> float:
    """One epoch in any form areo reads, as TDB seconds past J2000: the converter every public function uses.

    Accepted: an ISO string (UTC, or in ``scale``; a scale written after the time wins: ``'2016-10-19T14:42
    TDB'``), an aware ``datetime`` or pandas ``Timestamp`` (nanoseconds kept), a numpy ``datetime64`` (UTC, as
    numpy has no zones), or an astropy ``Time`` in its own scale (utc, tai, tt, tdb, ut1, tcg, tcb; astropy
    only when installed). Anything else, a naive datetime or an unknown scale raises InputError with the fix.

        >>> round(epoch_tdb_s("2000-01-01T12:00:00 TDB"), 6)
        0.0
    """
    _check_scale(scale)
    if value is None or isinstance(value, (bool, int, float, np.number)):
        raise InputError(f"cannot read {value!r} as an epoch; give {EPOCH_FORMS}.")
    jd, frac = _one_tdb(value, scale)
    return float(((jd - J2000_JD) + frac) * DAY)


def epochs_tdb_s(values: object, scale: str = "utc") -> np.ndarray:
    """Several epochs (a list, a numpy datetime64 array, a pandas DatetimeIndex/Series, an astropy Time array)
    as a TDB-seconds array; each element in any form of :func:`epoch_tdb_s`."""
    whole = _array_tdb(values)
    if whole is not None:
        return np.atleast_1d(whole.seconds)
    if isinstance(values, (str, _dt.datetime)):
        return np.array([epoch_tdb_s(values, scale)])
    if not isinstance(values, Iterable):
        raise InputError(f"cannot read {values!r} as epochs; give a list or array of {EPOCH_FORMS}.")
    return np.array([epoch_tdb_s(v, scale) for v in values], dtype=float)
