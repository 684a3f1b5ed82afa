"""One self-contained HTML page: plotly.js embedded once, every figure inline, no network access needed."""

from __future__ import annotations

import datetime as _dt
import html as _html
from dataclasses import dataclass, field
from typing import Any

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7fb}
header{background:#1d2330;color:#fff;padding:24px 40px}header h1{margin:0 0 6px 0;font-size:28px}
header p{margin:0;color:#c9cfdd}main{max-width:1180px;margin:0 auto;padding:16px 24px 60px}
section{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);margin:18px 0;padding:18px 24px}
section h2{margin-top:0;font-size:20px}table{border-collapse:collapse;font-size:13px;margin:8px 0}
td,th{border-bottom:1px solid #e3e6ee;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}
th{background:#f0f2f7}.note{color:#5a6275;font-size:13px}.bad{color:#b3261e}.good{color:#1e7b34}
nav a{color:#9fc3ff;margin-right:14px;text-decoration:none;font-size:14px}
"""


@dataclass
class Section:
    """A titled block of the report: an HTML fragment (text, tables) and plotly figures."""

    title: str
    body_html: str = ""
    figures: list[Any] = field(default_factory=list)  # plotly figures
    anchor: str = ""


def table_html(
    rows: list[dict[str, Any]], columns: list[str] | None = None, headers: dict[str, str] | None = None
) -> str:
    """A plain HTML table from a list of dicts (values escaped; floats as given)."""
    if not rows:
        return "<p class='note'>(none)</p>"
    columns = columns or list(rows[0].keys())
    headers = headers or {}
    head = "".join(f"<th>{_html.escape(headers.get(c, c))}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c, "")
            if isinstance(v, float):
                v = f"{v:,.3f}" if abs(v) < 1e6 else f"{v:,.0f}"
            cells.append(f"<td>{_html.escape('' if v is None else str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_report(title: str, subtitle: str, sections: list[Section]) -> str:
    """The whole page as a string; figures get ids ``fig-1``, ``fig-2``, ... in order."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    parts, nav, k = [], [], 0
    for i, s in enumerate(sections):
        anchor = s.anchor or f"s{i + 1}"
        nav.append(f"<a href='#{anchor}'>{_html.escape(s.title)}</a>")
        figs = []
        for fig in s.figures:
            k += 1
            figs.append(
                pio.to_html(
                    fig,
                    include_plotlyjs=False,
                    full_html=False,
                    div_id=f"fig-{k}",
                    config={"displaylogo": False, "responsive": True},
                )
            )
        parts.append(f"<section id='{anchor}'><h2>{_html.escape(s.title)}</h2>{s.body_html}{''.join(figs)}</section>")
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    from .. import __version__

    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)}</title><style>{_CSS}</style>"
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
        f"<header><h1>{_html.escape(title)}</h1><p>{_html.escape(subtitle)}</p>"
        f"<p class='note'>areo {__version__}, generated {stamp}. Self-contained: no network needed.</p>"
        f"<nav>{''.join(nav)}</nav></header><main>{''.join(parts)}</main></body></html>"
    )


def count_figures(sections: list[Section]) -> int:
    return sum(len(s.figures) for s in sections)
