"""User layer of the 6-DOF model: fly named faults of the shipped (or a given) scenario's ``[edl.sixdof]``
model through the batched kernel (:func:`fly`), or a scenario case as one run or a dispersed Monte Carlo
(:func:`run_scenario`, behind ``areo edl SCENARIO --dof 6``), with per-run results in SI units (angles in rad
inside, degrees in the presented columns) and the status names."""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import InputError, abridged, naming
from .scenario import from_scenario, load_6dof
from .sim import RELEASE, STATUS, event_names, make_batch_kernel

_KERNELS: dict = {}
# Runs per kernel call of a Monte Carlo (one compiled shape; the last block is padded): the best count for one
# single-threaded process per core (BENCHMARKS.md). Per-run results are the same for any count that is a multiple
# of the vector width (8 float64) and differ in the last bits otherwise, so the count is fixed per campaign.
LANES = 448


def fly(path: str | Path, faults=(), pendulum: bool = False, **overrides: float) -> dict:
    """One 6-DOF flight: results (``RESULT_FIELDS`` and events) as floats, plus ``status_name``.
    ``overrides`` set kernel parameters by name (SI), e.g. ``flag_hold=0.015``."""
    from ..._jax import jnp

    p, model = load_6dof(path, list(faults), pendulum=pendulum)
    unknown = sorted(set(overrides) - set(p))
    if unknown:
        raise InputError(f"unknown 6-DOF parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(p))}")
    p.update({k: float(v) for k, v in overrides.items()})
    key = (path, pendulum)
    if key not in _KERNELS:
        _KERNELS[key] = (model, make_batch_kernel(model))
    _, kern = _KERNELS[key]
    out = kern({k: jnp.asarray([v]) for k, v in p.items()})
    res: dict[str, float | str] = {k: float(np.asarray(v)[0]) for k, v in out.items()}
    res["status_name"] = STATUS[int(float(np.asarray(out["status"])[0]))]
    return res


# presented columns: name (unit in it) -> (kernel output, factor from SI)
COLUMNS = {
    "touchdown_speed_m_s": ("touchdown_speed", 1.0),
    "peak_rate_deg_s": ("peak_rate", math.degrees(1.0)),
    "rate_above_range_s": ("rate_above_range_s", 1.0),
    "saturation_flag_up_s": ("flag_up_s", 1.0),
    "max_attitude_error_deg": ("max_att_err", math.degrees(1.0)),
    "min_altitude_estimate_m": ("min_h_est", 1.0),
    "peak_riser_tension_n": ("peak_tension", 1.0),
    "release_altitude_m": (f"{RELEASE}_h", 1.0),
    "steps": ("steps", 1.0),
}
# the short table: column -> (label, unit shown, factor from the column's unit, format)
SHOWN = {
    "peak_rate_deg_s": ("peak angular rate", "deg/s", 1.0, ".0f"),
    "saturation_flag_up_s": ("IMU saturation flag up (first to last)", "s", 1.0, ".3f"),
    "max_attitude_error_deg": ("attitude estimate error", "deg", 1.0, ".1f"),
    "release_altitude_m": ("back-shell release altitude", "km", 1e-3, ".2f"),
    "touchdown_speed_m_s": ("touchdown speed", "km/h", 3.6, ".1f"),
}


RISERS = {"elastic": "two-body", "pendulum": "pendulum"}  # --riser -> model name in the summary
DEFAULT_CHUNK = LANES  # runs per Parquet chunk of a campaign (one kernel call, a few CPU seconds), lost at most
CSV_MAX_RUNS = 10_000  # a campaign also writes edl6_runs.csv up to this many runs (~5 MB); beyond, Parquet only
KIND = "areo.edl.sixdof.monte_carlo/1"  # the campaign's kind in its manifest


class RunStats:
    """Status counts and the finite values of the shown columns (:data:`SHOWN`), accumulated table by table:
    a campaign's summary streams its chunks and holds 8 bytes per run and shown column, not the whole table."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.values: dict[str, list[np.ndarray]] = {col: [] for col in SHOWN}

    def add(self, table) -> RunStats:
        names, counts = np.unique(np.asarray(table["status_name"], dtype=str), return_counts=True)
        for k, v in zip(names, counts, strict=True):
            self.counts[str(k)] = self.counts.get(str(k), 0) + int(v)
        for col in SHOWN:
            x = np.asarray(table[col], dtype=float)
            self.values[col].append(x[np.isfinite(x)])
        return self

    def status_counts(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))

    def stats(self) -> dict[str, dict[str, float | None]]:
        """Min, median and max of each shown column over the runs that have it (NaN: the event did not happen)."""
        out: dict[str, dict[str, float | None]] = {}
        for col in SHOWN:
            x = np.concatenate(self.values[col]) if self.values[col] else np.zeros(0)
            out[col] = {
                "runs": int(x.size),
                "min": float(x.min()) if x.size else None,
                "median": float(np.median(x)) if x.size else None,
                "max": float(x.max()) if x.size else None,
            }
        return out


@dataclass
class SixDOFResult:
    """Runs of the 6-DOF model: ``table`` maps each column (unit in its name) to its per-run array; None for a
    campaign written to Parquet (``parquet_dir``), whose summary (``summary``) was streamed from its chunks."""

    scenario: str
    case: str
    faults: list[str]
    runs: int
    seed: int | None  # None: the undispersed case
    model: str  # "two-body" (elastic riser) or "pendulum" (reduced model)
    dispersions: list[str]
    table: dict | None
    files: list[str]
    summary: RunStats | None = None
    parquet_dir: str | None = None
    chunk: int | None = None

    def __post_init__(self) -> None:
        if self.summary is None:
            self.summary = RunStats().add(self.table)

    @property
    def riser(self) -> str:
        return next(k for k, v in RISERS.items() if v == self.model)

    def status_counts(self) -> dict[str, int]:
        assert self.summary is not None
        return self.summary.status_counts()

    def stats(self) -> dict[str, dict[str, float | None]]:
        assert self.summary is not None
        return self.summary.stats()

    def to_json(self) -> dict:
        return {
            "scenario": self.scenario,
            "dof": 6,
            "model": self.model,
            "riser": self.riser,
            "case": self.case,
            "faults": self.faults,
            "runs": self.runs,
            "seed": self.seed,
            "dispersions": self.dispersions,
            "status_counts": self.status_counts(),
            "stats": self.stats(),
            "parquet_dir": self.parquet_dir,
            "chunk": self.chunk,
            "files": self.files,
        }


_Head = tuple[str, str, list[str], int, int | None, str]  # SixDOFResult's first fields: scenario .. model


def run_scenario(
    path: str | Path,
    case: str | None = None,
    faults=(),
    runs: int = 1,
    seed: int = 0,
    out_dir: str | Path | None = None,
    pendulum: bool = False,
    chunk: int | None = None,
    scheduler=None,
    progress=None,
    workers: int | None = None,
) -> SixDOFResult:
    """A scenario case in 6-DOF: one undispersed run (``runs == 1``) or ``runs`` dispersed runs (seeded as the
    3-DOF Monte Carlo), through the batched kernel; ``pendulum`` flies the reduced constrained-pendulum riser.

    Without ``out_dir`` every run is held in memory. With ``out_dir``, one run writes ``edl6_runs.csv`` and
    ``edl6_summary.json`` there; a Monte Carlo runs as a chunked, resumable campaign (:mod:`areo.campaign`, the
    3-DOF one's engine): Parquet chunks of ``chunk`` runs (default ``min(runs, DEFAULT_CHUNK)``) written
    atomically as they finish, locally or on the Dask ``scheduler``, a manifest keyed by the scenario, case,
    faults, seed, riser and model hash, resumed when run again with the same inputs and refused in one line when
    they changed; then ``edl6_summary.json`` streamed from the chunks (and ``edl6_runs.csv`` up to
    ``CSV_MAX_RUNS`` runs). ``progress(done, runs)`` is called after each chunk. Without a scheduler the blocks
    or chunks run in ``workers`` single-threaded processes (default one per core, :mod:`areo.localpool`; 1: in
    this process), with the same per-run results."""
    from ...scenarios import locate
    from ..scenario import load_edl_scenario
    from . import montecarlo as mc6

    faults = _check_call(path, case, faults, pendulum, progress)
    _check_campaign_args(runs, seed, chunk, out_dir, scheduler)
    workers = _check_workers(workers)
    file = locate(path)
    sc = load_edl_scenario(file)
    fl = sc.faults_for(case, faults)
    with naming(file.name):
        nominal, model = from_scenario(sc, fl, file.parent, pendulum)
    assert sc.sixdof is not None  # from_scenario refused a scenario without it
    sig, sig6 = sc.dispersions.model_dump(), sc.sixdof.dispersions.model_dump()
    name = "pendulum" if pendulum else "two-body"
    head: _Head = (file.name, case or sc.default_case, fl, runs, seed if runs > 1 else None, name)
    lanes = min(runs, LANES)
    if runs > 1 and out_dir is not None:
        task = mc6.ChunkTask(nominal, sig, sig6, model, seed, lanes, _table)
        fp = _fingerprint(file, head, pendulum, task.digest, lanes)
        where = (scheduler, workers)
        return _campaign(task, head, mc6.applied(sig, sig6), fp, Path(out_dir), chunk, where, progress)
    if runs == 1:
        table = _table(
            mc6.run_blocks(make_batch_kernel(model), {k: np.array([float(v)]) for k, v in nominal.items()}, 1)
        )
    else:
        table = _blocks_in_workers(mc6.ChunkTask(nominal, sig, sig6, model, seed, lanes, _table), runs, workers)
    res = SixDOFResult(*head, mc6.applied(sig, sig6) if runs > 1 else [], table, [])
    if out_dir is not None:
        res.files = write_results(res, Path(out_dir))
    return res


def _fingerprint(file: Path, head: _Head, pendulum: bool, model_digest: str, lanes: int) -> dict:
    """A campaign's manifest key: its inputs (scenario file, case, faults, seed, riser, model) and what its
    per-run results depend on (lane count, draw scheme); a campaign run again with other inputs is refused."""
    from .. import montecarlo as mc

    return {
        "kind": KIND,
        "scenario_sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
        "case": head[1],
        "faults": head[2],
        "seed": head[4],
        "riser": "pendulum" if pendulum else "elastic",
        "model_sha256": model_digest,
        "lanes": lanes,  # results depend on the lane count in the last bits
        "draws": mc.DRAW_SCHEME,
    }


def _check_call(path, case, faults, pendulum: bool, progress) -> list[str]:
    """The other arguments of :func:`run_scenario` by type (InputError naming the argument); the faults as a list."""
    if not isinstance(path, (str, Path)):
        raise InputError(f"path must be a scenario name or a file path (str or Path), got {type(path).__name__}")
    if case is not None and (not isinstance(case, str) or not case.strip()):
        raise InputError(f"case must be a case name from [edl.cases.NAME] or None (the default), got {case!r}")
    if isinstance(faults, str) or not isinstance(faults, (list, tuple)) or not all(isinstance(f, str) for f in faults):
        raise InputError(f"faults must be a list of fault names, e.g. ['imu-saturation'], got {abridged(repr(faults))}")
    if not isinstance(pendulum, bool):
        raise InputError(f"pendulum must be True or False, got {pendulum!r}")
    if progress is not None and not callable(progress):
        raise InputError(f"progress must be a function progress(done, runs) or None, got {abridged(repr(progress))}")
    return list(faults)


def _check_workers(workers: int | None) -> int:
    from ...localpool import cores, default_workers

    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"--workers must be an integer >= 1 (1: run in this process), got {workers!r}")
    n_cores = len(cores())
    limit = 4 * max(4, n_cores)  # each worker is a process with its own JAX: thousands would exhaust the machine
    if workers > limit:
        raise InputError(
            f"--workers must be at most {limit} (4 per core, counting at least 4; this machine has {n_cores}), "
            f"got {workers:,}; leave it out for the default ({default_workers()})"
        )
    return workers


def _blocks_in_workers(task, runs: int, workers: int) -> dict:
    """The table of runs ``0 .. runs-1``, one kernel block of ``task.lanes`` runs per task, in ``workers``
    processes."""
    from ...campaign import chunk_ranges
    from ...localpool import map_ranges

    tables = map_ranges(task, list(chunk_ranges(runs, task.lanes)), workers)
    table = {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}
    return {"run": np.arange(runs), **table}


def _check_campaign_args(runs: int, seed: int, chunk: int | None, out_dir, scheduler) -> None:
    """The 3-DOF Monte Carlo's checks (:func:`areo.edl.api.check_campaign_args`: integers within the limits of
    :mod:`areo.limits`, and how the options combine); one 6-DOF run is no campaign."""
    from ...limits import check_integers
    from ..api import check_campaign_args

    check_integers(runs=runs, seed=seed, chunk=chunk)
    if runs == 1 and (chunk is not None or scheduler is not None):
        raise InputError("--chunk and --scheduler apply to Monte Carlo campaigns: add --runs N (N > 1) and --out DIR")
    check_campaign_args(runs, seed, chunk, out_dir, scheduler)


def _campaign(task, head: _Head, dispersions: list[str], fp: dict, out_dir: Path, chunk, where, progress):
    """Run or resume the campaign into ``out_dir`` (``where``: Dask scheduler or None, local workers), then stream
    its chunks into the summary (and the CSV)."""
    from ...campaign import compute_campaign, iter_chunks

    runs = head[3]
    chunk = chunk or min(runs, DEFAULT_CHUNK)
    scheduler, workers = where
    compute_campaign(
        task, runs, chunk, out_dir, fingerprint=fp, scheduler=scheduler, progress=progress, workers=workers
    )
    stats, csv_text = RunStats(), _CsvText() if runs <= CSV_MAX_RUNS else None
    for df in iter_chunks(out_dir):
        table = {c: df[c].to_numpy() for c in df.columns}
        stats.add(table)
        if csv_text is not None:
            csv_text.add(table)
    res = SixDOFResult(*head, dispersions, None, [], stats, str(out_dir), chunk)
    res.files = _write_files(res, out_dir, csv_text.getvalue() if csv_text is not None else None)
    return res


def _table(out: dict) -> dict:
    status = np.asarray(out["status"]).astype(np.int64)
    table: dict = {
        "run": np.arange(status.size),
        "status": status,
        "status_name": np.array([STATUS[int(c)] for c in status], dtype=object),
    }
    table.update({col: np.asarray(out[k], dtype=float) * f for col, (k, f) in COLUMNS.items()})
    for e in event_names(out):
        for f, unit in (("t", "s"), ("h", "altitude_m"), ("v", "speed_m_s")):
            name = f"{e}_{unit}" if f != "t" else f"{e}_t_s"
            table[name] = np.asarray(out[f"{e}_{f}"], dtype=float)
    return table


class _CsvText:
    """``edl6_runs.csv`` built table by table: a header, then one row per run (empty cells where an event did
    not happen)."""

    def __init__(self) -> None:
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\n")
        self.cols: list[str] | None = None

    def add(self, table: dict) -> None:
        if self.cols is None:
            self.cols = list(table)
            self.writer.writerow(self.cols)
        for i in range(len(table[self.cols[0]])):
            self.writer.writerow([_cell(table[c][i]) for c in self.cols])

    def getvalue(self) -> str:
        return self.buf.getvalue()


def write_results(res: SixDOFResult, out_dir: Path) -> list[str]:
    """``edl6_runs.csv`` (one row per run, empty cells where an event did not happen) and ``edl6_summary.json``,
    each written atomically (temporary file and rename)."""
    assert res.table is not None
    text = _CsvText()
    text.add(res.table)
    return _write_files(res, out_dir, text.getvalue())


def _write_files(res: SixDOFResult, out_dir: Path, csv_text: str | None) -> list[str]:
    from ...io.files import atomic_write_text, write_json
    from ...io.outpath import output_error

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, out_dir) from None
    runs_csv, summary = out_dir / "edl6_runs.csv", out_dir / "edl6_summary.json"
    res.files = [str(summary)]
    if csv_text is not None:
        atomic_write_text(runs_csv, csv_text)
        res.files.insert(0, str(runs_csv))
    write_json(summary, res.to_json())
    return res.files


def _cell(x) -> str:
    if isinstance(x, (float, np.floating)):
        return "" if not math.isfinite(float(x)) else repr(float(x))
    return str(x)
