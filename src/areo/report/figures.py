"""Plotly figures of the mission report. Each function takes plain arrays (SI unless the name says otherwise)
and returns a ``plotly.graph_objects.Figure``; none calls back into the physics."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import plotly.graph_objects as go

from ..constants import AU

_J2000 = _dt.datetime(2000, 1, 1, 12, 0, 0)


def _dates(tdb_s):
    return [_J2000 + _dt.timedelta(seconds=float(t)) for t in np.atleast_1d(tdb_s)]


def _layout(fig, title, **kw):
    fig.update_layout(
        title=title, template="plotly_white", height=kw.pop("height", 520), margin=dict(l=60, r=20, t=60, b=50), **kw
    )
    return fig


def heliocentric_3d(paths: dict, markers: dict | None = None, title: str = "Heliocentric trajectory") -> go.Figure:
    """``paths``: name -> (N, 3) Sun-centred positions (m); ``markers``: name -> (3,) position (m). Plotted in AU."""
    fig = go.Figure()
    fig.add_trace(go.Scatter3d(x=[0], y=[0], z=[0], mode="markers", name="Sun", marker=dict(size=6, color="gold")))
    styles = {"Earth": "royalblue", "Mars": "firebrick"}
    for name, r in paths.items():
        r = np.asarray(r) / AU
        fig.add_trace(
            go.Scatter3d(
                x=r[:, 0],
                y=r[:, 1],
                z=r[:, 2],
                mode="lines",
                name=name,
                line=dict(width=4 if name not in styles else 2, color=styles.get(name)),
            )
        )
    for name, r in (markers or {}).items():
        r = np.asarray(r) / AU
        fig.add_trace(
            go.Scatter3d(
                x=[r[0]],
                y=[r[1]],
                z=[r[2]],
                mode="markers+text",
                text=[name],
                name=name,
                marker=dict(size=4),
                textposition="top center",
                showlegend=False,
            )
        )
    fig.update_layout(
        scene=dict(xaxis_title="x (AU, ecliptic)", yaxis_title="y (AU)", zaxis_title="z (AU)", aspectmode="data")
    )
    return _layout(fig, title, height=620)


def mars_approach(paths: dict, bplane_points: dict | None = None, title: str = "Mars approach") -> go.Figure:
    """Mars-centred approach paths (name -> (N, 3) m, shown in km, x-y of the Mars equator frame) and, in a second
    panel, B-plane points (name -> (B·T, B·R) in km)."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=("approach (Mars equator plane, km)", "B-plane (km)"))
    th = np.linspace(0, 2 * np.pi, 200)
    fig.add_trace(
        go.Scatter(
            x=3396.2 * np.cos(th),
            y=3396.2 * np.sin(th),
            fill="toself",
            name="Mars",
            line=dict(color="firebrick"),
            fillcolor="rgba(178,34,34,0.3)",
        ),
        1,
        1,
    )
    for name, r in paths.items():
        r = np.asarray(r) / 1e3
        fig.add_trace(go.Scatter(x=r[:, 0], y=r[:, 1], mode="lines", name=name), 1, 1)
    fig.add_trace(
        go.Scatter(
            x=3396.2 * np.cos(th),
            y=3396.2 * np.sin(th),
            name="Mars radius",
            line=dict(color="firebrick"),
            showlegend=False,
        ),
        1,
        2,
    )
    for name, (bt, br) in (bplane_points or {}).items():
        fig.add_trace(go.Scatter(x=[bt], y=[br], mode="markers", name=name, marker=dict(size=10)), 1, 2)
    fig.update_xaxes(title_text="x (km)", row=1, col=1, scaleanchor="y", scaleratio=1)
    fig.update_yaxes(title_text="y (km)", row=1, col=1)
    fig.update_xaxes(title_text="B·T (km)", row=1, col=2)
    fig.update_yaxes(title_text="B·R (km)", row=1, col=2)
    return _layout(fig, title)


def edl_altitude(cases: dict, title: str = "EDL: true and estimated altitude") -> go.Figure:
    """``cases``: name -> dict with ``t_s``, ``altitude_m``, optional ``estimated_altitude_m``, ``events``
    (list of (name, t_s))."""
    fig = go.Figure()
    for name, c in cases.items():
        t = np.asarray(c["t_s"])
        fig.add_trace(go.Scatter(x=t, y=np.asarray(c["altitude_m"]) / 1e3, mode="lines", name=f"{name}: true"))
        if c.get("estimated_altitude_m") is not None:
            est = np.asarray(c["estimated_altitude_m"], dtype=float) / 1e3
            fig.add_trace(
                go.Scatter(x=t, y=est, mode="lines", line=dict(dash="dot"), name=f"{name}: on-board estimate")
            )
        for ev, te in c.get("events", []):
            fig.add_vline(x=te, line=dict(color="grey", width=0.6, dash="dot"))
            fig.add_annotation(
                x=te,
                y=1.0,
                yref="paper",
                text=f"{name[:1]}:{ev}",
                showarrow=False,
                textangle=-90,
                font=dict(size=9),
                xanchor="left",
                yanchor="top",
            )
    fig.update_xaxes(title="time from entry (s)")
    fig.update_yaxes(title="altitude (km)")
    return _layout(fig, title)


def edl_speed_mach(cases: dict, title: str = "EDL: speed and Mach") -> go.Figure:
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for name, c in cases.items():
        t = np.asarray(c["t_s"])
        fig.add_trace(go.Scatter(x=t, y=np.asarray(c["speed_m_s"]), mode="lines", name=f"{name}: speed"), 1, 1)
        if c.get("mach") is not None:
            fig.add_trace(go.Scatter(x=t, y=np.asarray(c["mach"]), mode="lines", name=f"{name}: Mach"), 2, 1)
    fig.update_yaxes(title_text="speed (m/s)", type="log", row=1, col=1)
    fig.update_yaxes(title_text="Mach", row=2, col=1)
    fig.update_xaxes(title_text="time from entry (s)", row=2, col=1)
    return _layout(fig, title, height=620)


def landing_map(
    points_lat_deg=None, points_lon_deg=None, ellipse=None, markers: dict | None = None, title: str = "Landing"
) -> go.Figure:
    """Monte Carlo landing points, the 99 % ellipse ((lat, lon) arrays) and named markers ((lat, lon) deg)."""
    fig = go.Figure()
    if points_lat_deg is not None and len(points_lat_deg):
        fig.add_trace(
            go.Scattergl(
                x=points_lon_deg,
                y=points_lat_deg,
                mode="markers",
                name="Monte Carlo landings",
                marker=dict(size=3, opacity=0.5),
            )
        )
    if ellipse is not None:
        fig.add_trace(go.Scatter(x=ellipse[1], y=ellipse[0], mode="lines", name="99 % ellipse"))
    symbols = ["x", "star", "diamond", "circle", "square", "triangle-up"]
    for k, (name, (lat, lon)) in enumerate((markers or {}).items()):
        fig.add_trace(
            go.Scatter(
                x=[lon],
                y=[lat],
                mode="markers+text",
                name=name,
                text=[name],
                textposition="top center",
                marker=dict(size=12, symbol=symbols[k % len(symbols)]),
            )
        )
    fig.update_xaxes(title="longitude (deg E)")
    fig.update_yaxes(title="latitude (deg N)", scaleanchor="x", scaleratio=1)
    return _layout(fig, title)


def passes_gantt(passes: list[dict], title: str = "Station passes") -> go.Figure:
    """``passes``: dicts with ``station``, ``rise_utc``, ``set_utc``, ``max_elevation_deg``."""
    fig = go.Figure()
    stations = sorted({p["station"] for p in passes})
    for s in stations:
        ps = [p for p in passes if p["station"] == s]
        starts = [_dt.datetime.fromisoformat(p["rise_utc"].replace("Z", "+00:00")) for p in ps]
        ends = [_dt.datetime.fromisoformat(p["set_utc"].replace("Z", "+00:00")) for p in ps]
        fig.add_trace(
            go.Bar(
                y=[s] * len(ps),
                x=[(e - b).total_seconds() * 1000 for b, e in zip(starts, ends)],
                base=starts,
                orientation="h",
                name=s,
                hovertext=[f"max el {p['max_elevation_deg']:.1f}°" for p in ps],
            )
        )
    fig.update_xaxes(type="date", title="UTC")
    fig.update_layout(barmode="overlay", showlegend=False)
    return _layout(fig, title, height=max(300, 40 * len(stations) + 160))


def timeseries(series: dict, ytitle: str, title: str, hline: float | None = None) -> go.Figure:
    """``series``: name -> (utc datetimes or strings, values)."""
    fig = go.Figure()
    for name, (x, y) in series.items():
        fig.add_trace(go.Scatter(x=list(x), y=np.asarray(y, dtype=float), mode="lines+markers", name=name))
    if hline is not None:
        fig.add_hline(y=hline, line=dict(color="grey", dash="dash"))
    fig.update_yaxes(title=ytitle)
    fig.update_xaxes(title="UTC")
    return _layout(fig, title)
