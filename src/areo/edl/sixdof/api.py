"""User layer of the 6-DOF model: fly named faults of the shipped (or a given) scenario's ``[edl.sixdof]``
model through the batched kernel (:func:`fly`), or a scenario case as one run or a dispersed Monte Carlo
(:func:`run_scenario`, behind ``areo edl SCENARIO --dof 6``), with per-run results in SI units (angles in rad
inside, degrees in the presented columns) and the status names."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import InputError
from .scenario import from_scenario, load_6dof
from .sim import EVENTS, STATUS, make_batch_kernel

_KERNELS: dict = {}
LANES = 64  # runs per kernel call of a Monte Carlo (one compiled shape; the last block is padded)


def fly(faults=(), path: str | Path | None = None, pendulum: bool = False, **overrides: float) -> dict:
    """One 6-DOF flight: results (``RESULT_FIELDS`` and events) as floats, plus ``status_name``.
    ``overrides`` set kernel parameters by name (SI), e.g. ``flag_hold=0.015``."""
    from ..._jax import jnp

    p, model = load_6dof(list(faults), path=path, pendulum=pendulum)
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
    "release_altitude_m": ("backshell_release_h", 1.0),
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


@dataclass
class SixDOFResult:
    """Runs of the 6-DOF model: ``table`` maps each column (unit in its name) to its per-run array."""

    scenario: str
    case: str
    faults: list[str]
    runs: int
    seed: int | None  # None: the undispersed case
    model: str  # "two-body" (elastic riser) or "pendulum" (reduced model)
    dispersions: list[str]
    table: dict
    files: list[str]

    def status_counts(self) -> dict[str, int]:
        names, counts = np.unique(self.table["status_name"], return_counts=True)
        return {str(k): int(v) for k, v in zip(names, counts)}

    def stats(self) -> dict[str, dict[str, float | None]]:
        """Min, median and max of each shown column over the runs that have it (NaN: the event did not happen)."""
        out: dict[str, dict[str, float | None]] = {}
        for col in SHOWN:
            x = np.asarray(self.table[col], dtype=float)
            x = x[np.isfinite(x)]
            out[col] = {
                "runs": int(x.size),
                "min": float(x.min()) if x.size else None,
                "median": float(np.median(x)) if x.size else None,
                "max": float(x.max()) if x.size else None,
            }
        return out

    def to_json(self) -> dict:
        return {
            "scenario": self.scenario,
            "dof": 6,
            "model": self.model,
            "case": self.case,
            "faults": self.faults,
            "runs": self.runs,
            "seed": self.seed,
            "dispersions": self.dispersions,
            "status_counts": self.status_counts(),
            "stats": self.stats(),
            "files": self.files,
        }


def run_scenario(
    path: str | Path,
    case: str | None = None,
    faults=(),
    runs: int = 1,
    seed: int = 0,
    out_dir: str | Path | None = None,
    pendulum: bool = False,
) -> SixDOFResult:
    """A scenario case in 6-DOF: one undispersed run (``runs == 1``) or ``runs`` dispersed runs (seeded as the
    3-DOF Monte Carlo), through the batched kernel. With ``out_dir`` the per-run table (``edl6_runs.csv``) and
    the summary (``edl6_summary.json``) are written there atomically."""
    from ...scenarios import locate
    from ..scenario import load_edl_scenario
    from . import montecarlo as mc6

    if runs < 1:
        raise InputError(f"--runs must be >= 1, got {runs}")
    file = locate(path)
    sc = load_edl_scenario(file)
    fl = sc.faults_for(case, faults)
    try:
        nominal, model = from_scenario(sc, fl, file.parent, pendulum)
    except InputError as exc:
        raise InputError(f"{file.name}: {exc}") from None
    assert sc.sixdof is not None  # from_scenario refused a scenario without it
    sig, sig6 = sc.dispersions.model_dump(), sc.sixdof.dispersions.model_dump()
    if runs == 1:
        p = {k: np.array([float(v)]) for k, v in nominal.items()}
    else:
        p = mc6.sample_params(nominal, sig, sig6, seed, 0, runs)
    out = mc6.run_blocks(make_batch_kernel(model), p, min(runs, LANES))
    res = SixDOFResult(
        file.name,
        case or sc.default_case,
        fl,
        runs,
        seed if runs > 1 else None,
        "pendulum" if pendulum else "two-body",
        mc6.applied(sig, sig6) if runs > 1 else [],
        _table(out),
        [],
    )
    if out_dir is not None:
        res.files = write_results(res, Path(out_dir))
    return res


def _table(out: dict) -> dict:
    status = np.asarray(out["status"]).astype(np.int64)
    table: dict = {
        "run": np.arange(status.size),
        "status": status,
        "status_name": np.array([STATUS[int(c)] for c in status], dtype=object),
    }
    table.update({col: np.asarray(out[k], dtype=float) * f for col, (k, f) in COLUMNS.items()})
    for e in EVENTS:
        for f, unit in (("t", "s"), ("h", "altitude_m"), ("v", "speed_m_s")):
            name = f"{e}_{unit}" if f != "t" else f"{e}_t_s"
            table[name] = np.asarray(out[f"{e}_{f}"], dtype=float)
    return table


def write_results(res: SixDOFResult, out_dir: Path) -> list[str]:
    """``edl6_runs.csv`` (one row per run, empty cells where an event did not happen) and ``edl6_summary.json``,
    each written atomically (temporary file and rename)."""
    from ...io.files import atomic_write_text, write_json
    from ...io.outpath import output_error

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, out_dir) from None
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = list(res.table)
    w.writerow(cols)
    for i in range(res.runs):
        w.writerow([_cell(res.table[c][i]) for c in cols])
    runs_csv, summary = out_dir / "edl6_runs.csv", out_dir / "edl6_summary.json"
    atomic_write_text(runs_csv, buf.getvalue())
    res.files = [str(runs_csv), str(summary)]
    write_json(summary, res.to_json())
    return res.files


def _cell(x) -> str:
    if isinstance(x, (float, np.floating)):
        return "" if not math.isfinite(float(x)) else repr(float(x))
    return str(x)
