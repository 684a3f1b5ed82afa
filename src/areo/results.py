"""Notebook-friendly result records: plain lists and dicts (JSON as before) that also show themselves.

``Records`` is a list of row dicts; ``.to_dataframe()`` gives a pandas DataFrame whose ``*_utc`` columns are
``datetime64[ns, UTC]``, ``_repr_html_`` an HTML table (no pandas needed), and :class:`PassList` adds a plotly
``.figure()``. :class:`LinkResult` is the dict of a link budget with the same three. pandas and plotly come with
the ``notebook`` extra (``pip install 'areo[notebook]'``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .errors import MissingExtraError

NOTEBOOK_EXTRA = "pip install 'areo[notebook]'"


def _need(module: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{what} needs {module.partition('.')[0]}: {NOTEBOOK_EXTRA}") from None


def utc_column(values: Iterable[Any]) -> Any:
    """ISO UTC strings (None allowed) as a pandas ``datetime64[ns, UTC]`` Series.

    A leap second (23:59:60.x) cannot be held by datetime64; it becomes 23:59:59.x, as skyfield does.
    """
    pd = _need("pandas", "to_dataframe()")
    vals = [None if v is None else _no_leap(str(v)) for v in values]
    return pd.Series(pd.to_datetime(vals, utc=True, format="ISO8601"), dtype="datetime64[ns, UTC]")


def utc_datetime64(tdb_s: Any) -> Any:
    """TDB seconds past J2000 as naive ``datetime64[ns]`` in UTC (microseconds kept; a leap second as :59)."""
    import numpy as np

    from .time import tdb_seconds_to_utc_iso

    iso = tdb_seconds_to_utc_iso(np.atleast_1d(np.asarray(tdb_s, dtype=float)), decimals=6)
    return np.array([_no_leap(s).rstrip("Z") for s in iso], dtype="datetime64[ns]")


def _no_leap(text: str) -> str:
    return text[:17] + "59" + text[19:] if text[16:19] == ":60" else text


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, dict)):
        return html.escape(str(v)[:60] + ("…" if len(str(v)) > 60 else ""))
    return html.escape("" if v is None else str(v))


def html_table(rows: list[dict[str, Any]], title: str = "", limit: int = 50) -> str:
    """A small HTML table of row dicts (first ``limit`` rows), for ``_repr_html_``."""
    cols = list(dict.fromkeys(k for r in rows for k in r))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>" for r in rows[:limit])
    more = f"<p>… {len(rows) - limit} more rows</p>" if len(rows) > limit else ""
    cap = f"<caption>{html.escape(title)}</caption>" if title else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


class Records(list[dict[str, Any]]):
    """A list of row dicts (as JSON prints it) with ``to_dataframe()`` and an HTML view."""

    title = "areo records"

    def to_dataframe(self) -> Any:
        """pandas DataFrame, one row per record; ``*_utc`` columns as ``datetime64[ns, UTC]``."""
        pd = _need("pandas", "to_dataframe()")
        df = pd.DataFrame(list(self))
        for c in df.columns:
            if str(c).endswith("_utc"):
                df[c] = utc_column(df[c].tolist())
        return df

    def _repr_html_(self) -> str:
        return html_table(list(self), f"{self.title}: {len(self)} rows")


class PassList(Records):
    """Visibility passes (rise, culmination, set in UTC, peak elevation) as returned by ``areo.passes``."""

    title = "passes"

    def figure(self) -> Any:
        """plotly Figure: one bar per pass from rise to set (UTC) on its station's row, coloured by peak elevation."""
        go = _need("plotly.graph_objects", "figure()")
        df = self.to_dataframe()
        fig = go.Figure()
        for _, r in df.iterrows():
            start = r["rise_utc"] if r["rise_utc"] is not None and str(r["rise_utc"]) != "NaT" else None
            stop = r["set_utc"] if r["set_utc"] is not None and str(r["set_utc"]) != "NaT" else None
            x = [start or r["culmination_utc"], stop or r["culmination_utc"]]
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[r["station"]] * 2,
                    mode="lines",
                    line={"width": 12},
                    name=f"{r['max_elevation_deg']:.1f}°",
                    hovertext=f"peak {r['max_elevation_deg']:.2f}° at {r['culmination_utc']}",
                    showlegend=False,
                )
            )
        fig.update_layout(title=f"{len(self)} passes", xaxis_title="UTC", yaxis_title="station")
        return fig


class LinkResult(dict[str, Any]):
    """A link budget at an instant (the dict ``areo link --json`` prints) with tables and a figure."""

    def to_dataframe(self) -> Any:
        """One row: instant (``at_utc`` as datetime64[ns, UTC]), geometry, margin and highest rate."""
        pd = _need("pandas", "to_dataframe()")
        row = {k: v for k, v in self.items() if not isinstance(v, (list, dict))}
        df = pd.DataFrame([row])
        df["at_utc"] = utc_column([self["at_utc"]])
        return df

    def budget_dataframe(self) -> Any:
        """The budget lines (line, value, unit) as a DataFrame."""
        pd = _need("pandas", "budget_dataframe()")
        return pd.DataFrame(self["budget"])

    def figure(self) -> Any:
        """plotly waterfall of the budget from EIRP down to the margin (dB lines only)."""
        go = _need("plotly.graph_objects", "figure()")
        lines = [r for r in self["budget"] if str(r["unit"]).startswith("dB") and r["unit"] != "dB-bit/s"]
        fig = go.Figure(go.Bar(x=[r["line"] for r in lines], y=[r["value"] for r in lines]))
        fig.update_layout(
            title=f"{self['station']} {str(self['band']).upper()}-band at {self['at_utc']}: margin {self['margin_db']} dB",
            yaxis_title="dB",
        )
        return fig

    def _repr_html_(self) -> str:
        title = f"{self['station']} {str(self['band']).upper()}-band at {self['at_utc']} ({self['target']})"
        return html_table(list(self["budget"]), title)
