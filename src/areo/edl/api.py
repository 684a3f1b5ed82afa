"""User layer of areo.edl: read a scenario, run one case (numpy reference, with history) or a Monte Carlo
(JAX kernel, optionally as a chunked campaign), and present the results (timeline, JSON, plots)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError, naming
from . import montecarlo as mc
from .scenario import EDLScenario, load_edl_scenario
from .simulate import EVENT_FIELDS, RESULT_FIELDS, STATUS, Model, simulate_reference


def _f(x):
    x = float(x)
    return None if not math.isfinite(x) else x


@dataclass
class EDLRun:
    """One simulated case: ``result`` holds the kernel outputs (SI, rad), ``history`` the time history."""

    case: str
    faults: list[str]
    result: dict
    history: dict = field(default_factory=dict)
    model: Model | None = None  # the model run (its phase table names the events and phases)

    @property
    def status(self) -> str:
        return STATUS[int(self.result["status"])]

    def events(self) -> list[dict]:
        rows = []
        events = self.model.events if self.model else [k[:-2] for k in self.result if k.endswith("_t")]
        for e in events:
            t = self.result[f"{e}_t"]
            if math.isfinite(t):
                rows.append(
                    {
                        "name": e,
                        "label": event_label(self.model, e),
                        "t_s": _f(t),
                        "altitude_m": _f(self.result[f"{e}_h"]),
                        "speed_m_s": _f(self.result[f"{e}_v"]),
                        "mach": _f(self.result[f"{e}_mach"]),
                    }
                )
        rows.sort(key=lambda r: r["t_s"])
        return rows

    def to_json(self) -> dict:
        r = self.result
        release, ignition, cutoff = _sequence_events(self.model)
        burn = r[f"{cutoff}_t"] - r[f"{ignition}_t"] if ignition and cutoff else math.nan
        return {
            "case": self.case,
            "faults": self.faults,
            "status": self.status,
            "events": self.events(),
            "touchdown_speed_m_s": _f(r["touchdown_speed"]),
            "touchdown_speed_km_h": _f(r["touchdown_speed"] * 3.6),
            "landing_lat_deg": _f(math.degrees(r["landing_lat"])),
            "landing_lon_deg": _f(math.degrees(r["landing_lon"])),
            "release_altitude_m": _f(r[f"{release}_h"]) if release else None,
            "thruster_burn_s": _f(burn),
            "peak_deceleration_g": _f(r["peak_g"]),
            "peak_heat_rate_w_cm2": _f(r["peak_heat"] / 1e4),
            "max_pitch_rate_deg_s": _f(math.degrees(r["max_rate"])),
            "max_attitude_error_deg": _f(math.degrees(r["max_att_err"])),
        }


def event_label(model: Model | None, name: str) -> str:
    """Words for an event in timelines: the scenario's ``event_label``, else the name with spaces."""
    if model is not None and name in model.events:
        return model.seq.labels[model.events.index(name)]
    return name.replace("_", " ")


def _sequence_events(model: Model | None) -> tuple[str | None, str | None, str | None]:
    """(event of the back-shell release, of the first engine ignition, of the next engine cut-off) in the phase
    table, each None when the table has no such phase or the phase records no event."""
    if model is None:
        return None, None, None
    seq = model.seq

    def ev(j):
        return seq.events[seq.act_event[j]] if j is not None and seq.act_event[j] >= 0 else None

    order = list(seq.order)
    release = next((j for j in order if seq.act_release[j]), None)
    ign = next((j for j in order if seq.act_engine[j] > 0), None)
    cut = next((j for j in order[order.index(ign) :] if seq.act_engine[j] == 0), None) if ign is not None else None
    return ev(release), ev(ign), ev(cut)


def load(path: str | Path) -> tuple[EDLScenario, Model]:
    """The EDL part of a scenario (a path or a shipped name such as ``exomars2016``) and its physics model."""
    from ..scenarios import locate

    path = locate(path)
    sc = load_edl_scenario(path)
    with naming(path.name):  # a table the scenario names (atmosphere, aerodynamics): say which file
        return sc, sc.model(path.parent)


def simulate_scenario(path: str | Path, case: str | None = None, faults=(), history: bool = True) -> EDLRun:
    """Simulate one case of a scenario file with the numpy reference (no dispersions)."""
    sc, model = load(path)
    fl = sc.faults_for(case, faults)
    res, hist = simulate_reference(sc.to_params(fl), model, history=history)
    return EDLRun(case or sc.default_case, fl, res, hist, model)


class EDLChunkTask:
    """Picklable batch function for :func:`areo.campaign.run_campaign`: runs ``start .. stop-1`` of a seeded
    Monte Carlo and returns per-run columns (SI units; latitude/longitude in degrees)."""

    def __init__(self, nominal: dict, sigmas: dict, model: Model, seed: int):
        self.nominal, self.sigmas, self.model, self.seed = nominal, sigmas, model, seed

    def __call__(self, start: int, stop: int) -> dict:
        p = mc.sample_params(self.nominal, self.sigmas, self.seed, start, stop)
        out = mc.run_batch(p, self.model)
        out["landing_lat_deg"] = np.degrees(out.pop("landing_lat"))
        out["landing_lon_deg"] = np.degrees(out.pop("landing_lon"))
        status = out.pop("status").astype(np.int8)
        first = {"status": status, "status_name": np.array([STATUS[int(c)] for c in status], dtype=object)}
        degrees = {"landing_lat": "landing_lat_deg", "landing_lon": "landing_lon_deg"}
        head = [degrees.get(k, k) for k in RESULT_FIELDS if k != "status"]  # the kernel's order, one name each
        ordered = {**first, **{k: out[k] for k in head}}
        ordered.update({f"{e}_{f}": out[f"{e}_{f}"] for e in self.model.events for f in EVENT_FIELDS})
        return ordered


@dataclass
class MonteCarloResult:
    case: str
    faults: list[str]
    seed: int
    summary: mc.Summary
    table: dict  # column name -> per-run array (pandas.DataFrame(table) for a frame)
    out_dir: str | None = None

    def to_json(self) -> dict:
        s = self.summary
        return {
            "case": self.case,
            "faults": self.faults,
            "runs": s.runs,
            "seed": self.seed,
            "landed": s.landed,
            "success_rate": s.success_rate,
            "success_rate_ci95": [s.ci_low, s.ci_high],
            "status_counts": s.status_counts,
            "landing_ellipse_99": {
                "centre_lat_deg": _f(s.centre_lat_deg),
                "centre_lon_deg": _f(s.centre_lon_deg),
                "major_axis_km": _f(s.ellipse_major_km),
                "minor_axis_km": _f(s.ellipse_minor_km),
                "major_axis_azimuth_deg": _f(s.ellipse_azimuth_deg),
            },
            "parquet_dir": self.out_dir,
        }


def check_campaign_args(runs: int, seed: int, chunk: int | None, out_dir, scheduler) -> None:
    """InputError for a Monte Carlo's run count, seed or chunk size out of range, or a chunk size or scheduler
    given without an output folder (3-DOF and 6-DOF alike; the limits of :mod:`areo.limits`)."""
    from ..limits import check_chunk, check_integers, check_runs, check_seed

    check_integers(runs=runs, seed=seed, chunk=chunk)
    check_runs(runs, low=1, campaign=out_dir is not None)
    check_seed(seed)
    check_chunk(chunk)
    if scheduler is not None and out_dir is None:
        raise InputError("--scheduler needs --out DIR: a distributed campaign writes its chunks there")
    if chunk is not None and out_dir is None:
        raise InputError("--chunk needs --out DIR: chunks are the Parquet files of a campaign written there")


def model_sha256(model: Model) -> str:
    """SHA-256 of the pickled physics model: what a seeded run depends on beyond the scenario file's own text."""
    import pickle

    return hashlib.sha256(pickle.dumps(model, protocol=4)).hexdigest()


def monte_carlo(
    path: str | Path,
    runs: int,
    seed: int = 0,
    case: str | None = None,
    faults=(),
    chunk: int | None = None,
    out_dir: str | Path | None = None,
    scheduler=None,
    progress=None,
) -> MonteCarloResult:
    """Dispersed Monte Carlo of a scenario case with the batched JAX kernel. With ``out_dir`` it runs as a
    chunked, resumable campaign writing Parquet chunks (locally or on the Dask ``scheduler``): that needs the
    ``parquet`` extra, and the ``campaign`` extra for a scheduler. ``table`` maps each column to its per-run array."""
    from ..scenarios import locate

    check_campaign_args(runs, seed, chunk, out_dir, scheduler)
    sc, model = load(path)
    fl = sc.faults_for(case, faults)
    nominal = sc.to_params(fl)
    sigmas = sc.dispersions.model_dump()
    task = EDLChunkTask(nominal, sigmas, model, seed)
    if out_dir is None:
        table = {"run": np.arange(runs), **task(0, runs)}
    else:
        from ..campaign import run_campaign

        chunk = chunk or min(runs, 100_000)
        fp = {
            "scenario_sha256": hashlib.sha256(locate(path).read_bytes()).hexdigest(),
            "case": case or sc.default_case,
            "faults": fl,
            "seed": seed,
            "kind": "areo.edl.monte_carlo/1",
            "draws": mc.DRAW_SCHEME,  # seeded results are comparable run by run only under one draw scheme
            "model_sha256": model_sha256(model),  # the tables the scenario names (atmosphere, aerodynamics) too
        }
        frame = run_campaign(task, runs, chunk, out_dir, fingerprint=fp, scheduler=scheduler, progress=progress)
        table = {c: frame[c].to_numpy() for c in frame.columns}
    summ = mc.summarize(
        {
            "status": np.asarray(table["status"]),
            "landing_lat": np.radians(table["landing_lat_deg"]),
            "landing_lon": np.radians(table["landing_lon_deg"]),
        }
    )
    res = MonteCarloResult(case or sc.default_case, fl, seed, summ, table, str(out_dir) if out_dir else None)
    if out_dir is not None:
        from ..io.files import write_json

        write_json(Path(out_dir, "summary.json"), res.to_json())
    return res


def write_plots(run: EDLRun, out_dir: str | Path) -> list[Path]:
    """PNG (matplotlib) and self-contained HTML (plotly, JavaScript embedded: works offline) of a run:
    true vs estimated altitude, speed vs altitude, Mach, pitch rate and phases (needs the ``report`` extra)."""
    from .._extras import require

    require("plotly", "writing EDL plots (--out)")
    matplotlib = require("matplotlib", "writing EDL plots (--out)")

    matplotlib.use("Agg")
    from ..io.files import staged_output

    with staged_output(out_dir) as tmp:
        names = _plot_files(run, tmp)
    return [Path(out_dir) / n for n in names]


def _plot_files(run: EDLRun, out: Path) -> list[str]:
    import matplotlib.pyplot as plt
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    h = run.history
    t = h["t"]
    title = f"areo edl: {run.case} ({', '.join(run.faults) or 'no faults'}) - {run.status}"
    fig, ax = plt.subplots(2, 2, figsize=(12, 8))
    ax[0, 0].plot(t, h["altitude_m"] / 1e3, label="true")
    ax[0, 0].plot(t, h["altitude_est_m"] / 1e3, "--", label="on-board estimate")
    ax[0, 0].set(xlabel="time from entry (s)", ylabel="altitude above ground (km)", title="altitude")
    ax[0, 0].legend()
    ax[0, 1].plot(h["speed_m_s"], h["altitude_m"] / 1e3)
    ax[0, 1].set(xlabel="speed (m/s)", ylabel="altitude (km)", title="speed vs altitude", xscale="log")
    ax[1, 0].plot(t, h["mach"])
    ax2 = ax[1, 0].twinx()
    ax2.step(t, h["phase"], where="post", color="grey", alpha=0.6)
    phases = run.model.seq.phases if run.model else ()
    ax2.set_yticks(range(len(phases)), [ph.replace("_", " ") for ph in phases], fontsize=7)
    ax[1, 0].set(xlabel="time from entry (s)", ylabel="Mach", title="Mach and flight-software phase", yscale="log")
    ax[1, 1].plot(t, np.degrees(h["rate_rad_s"]), label="true pitch rate")
    ax[1, 1].plot(t, np.degrees(h["rate_used_rad_s"]), label="rate used by navigation")
    ax[1, 1].set(xlabel="time from entry (s)", ylabel="deg/s", title="capsule pitch rate")
    ax[1, 1].legend()
    fig.suptitle(title)
    fig.tight_layout()
    stem = "edl_" + "_".join([run.case, *run.faults])
    png = out / f"{stem}.png"
    fig.savefig(png, dpi=90)
    plt.close(fig)
    pf = make_subplots(rows=2, cols=2, subplot_titles=("altitude", "speed vs altitude", "Mach", "pitch rate"))
    pf.add_trace(go.Scatter(x=t, y=h["altitude_m"], name="true altitude (m)"), 1, 1)
    pf.add_trace(go.Scatter(x=t, y=h["altitude_est_m"], name="estimated altitude (m)"), 1, 1)
    pf.add_trace(go.Scatter(x=h["speed_m_s"], y=h["altitude_m"], name="speed (m/s)"), 1, 2)
    pf.add_trace(go.Scatter(x=t, y=h["mach"], name="Mach"), 2, 1)
    pf.add_trace(go.Scatter(x=t, y=np.degrees(h["rate_rad_s"]), name="true pitch rate (deg/s)"), 2, 2)
    pf.add_trace(go.Scatter(x=t, y=np.degrees(h["rate_used_rad_s"]), name="rate used (deg/s)"), 2, 2)
    pf.update_layout(title=title)
    html = out / f"{stem}.html"
    pf.write_html(html, include_plotlyjs=True, full_html=True)
    return [png.name, html.name]
