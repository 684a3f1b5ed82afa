"""Porkchop figures: a static PNG (matplotlib) and an interactive offline HTML page (plotly, JS embedded)."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from ..transfer.window import PorkchopResult

_J2000 = _dt.datetime(2000, 1, 1, 12, 0, 0)


def _dates(tdb_s):
    # TDB vs UTC differs by ~69 s: irrelevant at plot scale
    return [_J2000 + _dt.timedelta(seconds=float(t)) for t in np.atleast_1d(tdb_s)]


def _levels(values, n=14):
    v = values[np.isfinite(values)]
    if v.size == 0:
        return None
    lo = float(np.nanmin(v))
    hi = float(np.nanpercentile(v, 60))
    return np.unique(np.round(np.linspace(lo, max(hi, lo * 1.5 + 1e-9), n), 1))


def _shade_png(ax, dep, arr, launch) -> None:
    """Hatch the cells the launcher cannot fly and mark the first/last feasible departure days."""
    if launch is None:
        return
    bad = (~np.asarray(launch.feasible_grid)).T.astype(float)
    if np.any(bad > 0):
        ax.contourf(dep, arr, bad, levels=[0.5, 1.5], colors=["0.85"], alpha=0.55)
        ax.contourf(dep, arr, bad, levels=[0.5, 1.5], colors="none", hatches=["//"])
    p = launch.period
    lv = p.launcher
    mass = f"{p.payload_kg:.0f} kg" + (f" + {p.reserve_kg:.0f} kg reserve" if p.reserve_kg else "")
    why = f"C3, |DLA| > {lv.max_dla_deg:g}°, coast > {lv.max_coast_min:g} min" + (
        " or insertion propellant" if p.spacecraft else ""
    )
    label = f"not flyable: {lv.title}, {mass} ({why})"
    ax.fill_between([], [], color="0.85", hatch="//", label=label)
    idx = np.flatnonzero(p.feasible)
    if idx.size:
        for k, i in enumerate((idx[0], idx[-1])):
            t = _dates(p.depart_tdb_s[i])[0]
            ax.axvline(t, color="tab:purple", lw=1.0, ls="-.", label="launch period" if k == 0 else None)


def porkchop_png(res: PorkchopResult, path, launch=None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    g = res.grid
    dep = _dates(g.depart_tdb_s)
    arr = _dates(g.arrive_tdb_s)
    fig, ax = plt.subplots(figsize=(11, 8), dpi=110)
    c3 = np.where(g.status == 0, g.c3_km2_s2, np.nan).T
    va = np.where(g.status == 0, g.vinf_arrive_km_s, np.nan).T
    tof = np.where(g.status == 0, g.tof_days, np.nan).T
    lv = _levels(c3)
    if lv is not None:
        cs = ax.contour(dep, arr, c3, levels=lv, cmap="viridis", linewidths=1.0)
        ax.clabel(cs, fmt="%.1f", fontsize=7)
    lva = _levels(va, 8)
    if lva is not None:
        cs2 = ax.contour(dep, arr, va, levels=lva, colors="tab:red", linewidths=0.7, linestyles="dashed")
        ax.clabel(cs2, fmt="%.1f", fontsize=7, colors="tab:red")
    if np.any(np.isfinite(tof)):
        t_lv = np.arange(50, 1000, 50)
        cs3 = ax.contour(dep, arr, tof, levels=t_lv, colors="0.6", linewidths=0.5, linestyles="dotted")
        ax.clabel(cs3, fmt="%d d", fontsize=6, colors="0.4")
    ax.plot([], [], color="tab:green", label="C3 (km²/s²)")
    ax.plot([], [], color="tab:red", ls="--", label="arrival v∞ (km/s)")
    ax.plot([], [], color="0.6", ls=":", label="time of flight (days)")
    _shade_png(ax, dep, arr, launch)
    o = res.optimum
    ax.plot(
        _dates(o.depart_tdb_s),
        _dates(o.arrive_tdb_s),
        "k*",
        ms=14,
        label=f"optimum: C3 {o.c3_km2_s2:.2f}, type {o.transfer_type}",
    )
    if res.at is not None:
        a = res.at
        ax.plot(
            _dates(a.depart_tdb_s),
            _dates(a.arrive_tdb_s),
            "o",
            color="tab:orange",
            mec="k",
            ms=10,
            label=f"--at: C3 {a.c3_km2_s2:.2f}, v∞ arr {a.vinf_arrive_km_s:.2f}",
        )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    ax.set_xlabel("departure (UTC)")
    ax.set_ylabel("arrival (UTC)")
    ax.set_title(f"{g.origin.title()} → {g.target.title()} porkchop ({g.ephemeris}, Sun-centred, zero-revolution)")
    ax.grid(alpha=0.25)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    _save_atomic(fig, path)
    plt.close(fig)


def _save_atomic(fig, path) -> None:
    """The matplotlib figure into ``path`` (format from its suffix, PNG by default) through atomic_write_text."""
    import io
    from pathlib import Path

    from ..io.files import atomic_write_text

    buf = io.BytesIO()
    fig.savefig(buf, format=Path(path).suffix.lstrip(".").lower() or "png")
    atomic_write_text(path, buf.getvalue())


_HTML_POINTS = 200


def porkchop_figure(res: PorkchopResult, launch=None):
    """An interactive plotly figure (C3 filled contours, arrival v-infinity lines, optimum and --at markers)."""
    import plotly.graph_objects as go

    g = res.grid
    # the page shows at most ~_HTML_POINTS x _HTML_POINTS cells (the full grid is in grid.parquet)
    si = max(1, int(np.ceil(g.depart_tdb_s.size / _HTML_POINTS)))
    sj = max(1, int(np.ceil(g.arrive_tdb_s.size / _HTML_POINTS)))
    ok = (g.status == 0)[::si, ::sj]
    dep = [d.strftime("%Y-%m-%d %H:%M") for d in _dates(g.depart_tdb_s[::si])]
    arr = [d.strftime("%Y-%m-%d %H:%M") for d in _dates(g.arrive_tdb_s[::sj])]
    c3 = np.where(ok, g.c3_km2_s2[::si, ::sj], np.nan).T
    va = np.where(ok, g.vinf_arrive_km_s[::si, ::sj], np.nan).T
    tof = np.where(ok, g.tof_days[::si, ::sj], np.nan).T
    fig = go.Figure()
    fig.add_trace(_c3_trace(dep, arr, c3, va, tof))
    lva = _levels(va, 8)
    if lva is not None:
        fig.add_trace(_vinf_trace(dep, arr, va, lva))
    if launch is not None:
        fig.add_trace(_infeasible_trace(dep, arr, np.asarray(launch.feasible_grid)[::si, ::sj], launch.period))
    for trace in _point_traces(res):
        fig.add_trace(trace)
    fig.update_layout(
        title=f"{g.origin.title()} → {g.target.title()} porkchop ({g.ephemeris}, Sun-centred)",
        xaxis_title="departure (UTC)",
        yaxis_title="arrival (UTC)",
        legend=dict(orientation="h", y=-0.15),
        width=1000,
        height=780,
    )
    return fig


def _c3_trace(dep, arr, c3, va, tof):
    """Filled C3 contours (20 levels from the minimum to the 60th percentile); hover shows v∞ and time of flight."""
    import plotly.graph_objects as go

    lv = _levels(c3, 20)
    return go.Contour(
        x=dep,
        y=arr,
        z=c3,
        name="C3",
        contours=dict(
            start=float(lv[0]), end=float(lv[-1]), size=float(max((lv[-1] - lv[0]) / 20, 0.1)), showlabels=True
        )
        if lv is not None
        else None,
        colorscale="Viridis",
        colorbar=dict(title="C3 km²/s²"),
        line_width=0.5,
        zauto=lv is None,
        zmin=None if lv is None else float(lv[0]),
        zmax=None if lv is None else float(lv[-1]),
        customdata=np.stack([va, tof], -1),
        hovertemplate="depart %{x}<br>arrive %{y}<br>C3 %{z:.2f} km²/s²<br>v∞ arr %{customdata[0]:.2f} km/s"
        "<br>TOF %{customdata[1]:.0f} d<extra></extra>",
    )


def _vinf_trace(dep, arr, va, lva):
    """Dashed red contour lines of the arrival v∞ at the levels ``lva``."""
    import plotly.graph_objects as go

    return go.Contour(
        x=dep,
        y=arr,
        z=va,
        name="arrival v∞ (km/s)",
        contours=dict(
            coloring="lines",
            showlabels=True,
            start=float(lva[0]),
            end=float(lva[-1]),
            size=float(max((lva[-1] - lva[0]) / 8, 0.05)),
        ),
        line=dict(color="red", dash="dash", width=1),
        showscale=False,
        hoverinfo="skip",
    )


def _infeasible_trace(dep, arr, feasible, period):
    """Grey cells where ``feasible`` (the shown grid, departure x arrival) is false: what the launcher cannot fly."""
    import plotly.graph_objects as go

    bad = np.where(~feasible, 1.0, np.nan).T
    return go.Heatmap(
        x=dep,
        y=arr,
        z=bad,
        name=f"not flyable: {period.launcher.title}, {period.payload_kg + period.reserve_kg:.0f} kg"
        + (" (or the spacecraft's insertion propellant)" if period.spacecraft else ""),
        colorscale=[[0, "rgba(120,120,120,0.45)"], [1, "rgba(120,120,120,0.45)"]],
        showscale=False,
        showlegend=True,
        hoverinfo="skip",
    )


def _point_traces(res: PorkchopResult) -> list:
    """Markers of the optimum (black star) and the --at dates (orange circle) with their C3 and time of flight."""
    import plotly.graph_objects as go

    pts = [("optimum", res.optimum, "star", "black")]
    if res.at is not None:
        pts.append(("--at", res.at, "circle", "orange"))
    return [
        go.Scatter(
            x=[_dates(p.depart_tdb_s)[0].strftime("%Y-%m-%d %H:%M")],
            y=[_dates(p.arrive_tdb_s)[0].strftime("%Y-%m-%d %H:%M")],
            mode="markers",
            name=f"{name}: C3 {p.c3_km2_s2:.2f} km²/s², TOF {p.tof_days:.0f} d",
            marker=dict(symbol=sym, size=14, color=col, line=dict(color="black", width=1)),
        )
        for name, p, sym, col in pts
    ]


def porkchop_html(res: PorkchopResult, path, launch=None) -> None:
    fig = porkchop_figure(res, launch)
    from ..io.files import atomic_write_text

    atomic_write_text(path, fig.to_html(include_plotlyjs=True, full_html=True))


PORKCHOP_FILES = ("porkchop.png", "porkchop.html", "grid.parquet", "summary.json")  # what write_porkchop_outputs writes


def write_porkchop_outputs(res: PorkchopResult, out_dir, launch=None, final_dir=None) -> dict:
    """Write porkchop.png, porkchop.html, grid.parquet and summary.json into ``out_dir`` atomically.

    ``launch`` (an ``areo.launch.PorkchopLaunch``) shades the cells its launcher cannot fly and adds
    ``launch_period`` to the summary. Returns the summary dict with a ``files`` entry listing what was written,
    as paths under ``final_dir`` (default ``out_dir``: a caller that stages ``out_dir`` and moves it names the
    folder the files will end up in).
    """
    from pathlib import Path

    from .._extras import require
    from ..io.files import staged_output, write_json

    for module in ("matplotlib", "plotly", "pandas", "pyarrow"):
        require(module, "writing porkchop files (--out: PNG, HTML, Parquet)")
    from ..io.grid import write_grid_parquet

    summary = res.summary()
    if launch is not None:
        summary["launch_period"] = launch.summary()
    summary["files"] = [str(Path(final_dir if final_dir is not None else out_dir) / n) for n in PORKCHOP_FILES]
    with staged_output(out_dir) as tmp:
        porkchop_png(res, tmp / "porkchop.png", launch)
        porkchop_html(res, tmp / "porkchop.html", launch)
        write_grid_parquet(res.grid, tmp / "grid.parquet")
        write_json(tmp / "summary.json", summary)
    return summary


__all__ = ["PORKCHOP_FILES", "porkchop_figure", "porkchop_html", "porkchop_png", "write_porkchop_outputs"]
