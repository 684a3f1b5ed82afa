"""``areo edl SCENARIO --dof 6 --runs N --out DIR``: a chunked, resumable 6-DOF campaign on the engine of the 3-DOF
one (:mod:`areo.campaign`). A real process killed with SIGKILL mid-campaign and run again gives, run by run and
bit for bit, the runs of one uninterrupted in-memory Monte Carlo of the same seed (draws are indexed by run
number), recomputing none of the chunks it had recorded; changed inputs are refused in one line; ``--riser
pendulum`` flies the reduced model; bad option combinations exit 2 with one line."""

import json
import os
import pickle
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from areo.campaign import MANIFEST, CampaignWarning, iter_chunks
from areo.cli import app
from areo.edl.sixdof.api import run_scenario, write_results
from tests.units import MM, SECOND

from .conftest import SCENARIO

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"
RUNS, CHUNK, SEED = 16, 4, 5


def _recorded(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text())["chunks"])
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


def _kill_after_first_chunk(out: Path, *extra: str) -> int:
    """Start ``areo edl ... --dof 6`` as a real process and SIGKILL it once it has recorded a chunk."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    args = ["edl", str(SCENARIO), "--dof", "6", "--runs", str(RUNS), "--chunk", str(CHUNK), "--seed", str(SEED)]
    cmd = [sys.executable, "-c", "from areo.cli import app; app()", *args, "--out", str(out), "--json", *extra]
    with subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        deadline = time.monotonic() + 300
        while _recorded(out) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        err = proc.communicate()[1].decode()
    assert proc.returncode == -signal.SIGKILL, f"the campaign ended before the kill: {err[-500:]}"
    return _recorded(out)


@pytest.fixture(scope="module")
def uninterrupted():
    """The same Monte Carlo held in memory, without chunks: the reference of the resumed campaign."""
    return run_scenario(SCENARIO, runs=RUNS, seed=SEED)


def test_killed_campaign_resumes_to_the_uninterrupted_runs(tmp_path, uninterrupted):
    out = tmp_path / "killed"
    recorded = _kill_after_first_chunk(out)
    assert 1 <= recorded < RUNS // CHUNK, f"the kill did not land mid-campaign ({recorded} chunks recorded)"
    before = {p.name: p.read_bytes() for p in out.glob("chunk-*.parquet")}
    done_at_start = []
    with pytest.warns(CampaignWarning, match="stopped without releasing the folder"):  # the killed writer's lock
        res = run_scenario(
            SCENARIO, runs=RUNS, seed=SEED, out_dir=out, chunk=CHUNK, progress=lambda d, n: done_at_start.append(d)
        )
    assert done_at_start[0] >= recorded * CHUNK  # the recorded chunks were kept, not recomputed
    for name, data in before.items():
        if name in json.loads((out / MANIFEST).read_text())["chunks"]:
            assert (out / name).read_bytes() == data
    _same_runs(pd.concat(list(iter_chunks(out)), ignore_index=True), uninterrupted.table)
    # the summary streamed from the chunks is the in-memory one; the CSV of a small campaign is the same file
    assert res.to_json()["stats"] == uninterrupted.to_json()["stats"]
    assert res.status_counts() == uninterrupted.status_counts()
    summary = json.loads((out / "edl6_summary.json").read_text())
    assert summary["riser"] == "elastic" and summary["parquet_dir"] == str(out) and summary["chunk"] == CHUNK
    csv_text = (out / "edl6_runs.csv").read_text()
    write_results(uninterrupted, tmp_path / "memory")
    assert csv_text == (tmp_path / "memory" / "edl6_runs.csv").read_text()


def _same_runs(frame: pd.DataFrame, ref: dict) -> None:
    assert list(frame["run"]) == list(range(len(frame)))
    for col in ref:
        a, b = frame[col].to_numpy(), np.asarray(ref[col])
        same = np.array_equal(a, b, equal_nan=True) if a.dtype.kind == "f" else list(a) == list(b)
        assert a.dtype.kind == b.dtype.kind and same, col


def test_campaign_on_a_dask_worker_process_gives_the_same_runs(tmp_path, uninterrupted):
    """``--scheduler``: the chunk task pickled to a real worker process, which compiles its own kernel."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        res = run_scenario(SCENARIO, runs=RUNS, seed=SEED, out_dir=tmp_path, chunk=8, scheduler=client)
    _same_runs(pd.concat(list(iter_chunks(tmp_path)), ignore_index=True), uninterrupted.table)
    assert res.status_counts() == uninterrupted.status_counts()


def test_changed_inputs_are_refused_in_one_line_and_nothing_is_rewritten(tmp_path):
    out = tmp_path / "c"
    base = ["edl", str(SCENARIO), "--dof", "6", "--runs", "8", "--chunk", "8", "--out", str(out), "--json"]
    r = runner.invoke(app, base)
    assert r.exit_code == 0, r.output
    manifest = (out / MANIFEST).read_bytes()
    for extra, changed in (
        (["--seed", "1"], "seed"),
        (["--riser", "pendulum"], "model_sha256, riser"),
        (["--case", "as-flown"], "case, faults, model_sha256"),
    ):
        r = runner.invoke(app, [*base, *extra])
        assert r.exit_code == 2, r.output
        assert f"holds a different campaign (differs in: fingerprint) [inputs changed: {changed}]" in r.output
        assert "rerun with the same arguments" in r.output and "Traceback" not in r.output
        assert len(r.output.strip().splitlines()) == 1
    assert (out / MANIFEST).read_bytes() == manifest
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same inputs: resumed, with nothing to do and nothing to warn about
        r = runner.invoke(app, base)
    assert r.exit_code == 0 and (out / MANIFEST).read_bytes() == manifest


def test_riser_pendulum_flies_the_reduced_model():
    """``--riser pendulum``: the reduced model, recorded as such. Up to mortar fire the riser plays no part, so
    both models fly the same entry (to 1 mm); the inextensible riser has no elastic snatch overshoot, so its peak
    riser load and the capsule's peak rate after inflation are lower (test_sixdof.py compares the two models'
    trajectories at zero canopy trim)."""
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "6", "--riser", "pendulum", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["riser"] == "pendulum" and d["model"] == "pendulum"
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "6", "--riser", "pendulum"])
    assert "6-DOF (pendulum)" in r.stdout
    red = run_scenario(SCENARIO, pendulum=True).table
    full = run_scenario(SCENARIO).table
    assert red["status_name"][0] == full["status_name"][0] == "landed"
    assert abs(red["parachute_deploy_altitude_m"][0] - full["parachute_deploy_altitude_m"][0]) < 1 * MM
    assert abs(red["parachute_deploy_t_s"][0] - full["parachute_deploy_t_s"][0]) < 1e-6 * SECOND
    assert red["peak_riser_tension_n"][0] < full["peak_riser_tension_n"][0]
    assert red["peak_rate_deg_s"][0] < full["peak_rate_deg_s"][0]


def test_chunk_task_pickles_for_dask_workers():
    """A Dask worker gets the chunk task pickled: it must compute the same runs after a round trip."""
    from areo.edl.sixdof import montecarlo as mc6
    from areo.edl.sixdof.api import _table
    from areo.edl.sixdof.scenario import load_6dof

    nominal, model = load_6dof("exomars2016", [])
    task = mc6.ChunkTask(nominal, {"entry_flight_path_angle_deg": 0.05}, {}, model, 3, 4, _table)
    copy = pickle.loads(pickle.dumps(task))
    assert copy.digest == task.digest
    a, b = task(2, 4), copy(2, 4)
    assert "run" not in a and all(np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f") for k in a)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "8", "--chunk", "4"], "--chunk needs --out DIR"),
        (["--runs", "8", "--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --out DIR"),
        (["--chunk", "4", "--out", "{tmp}"], "--chunk and --scheduler apply to Monte Carlo campaigns"),
        (
            ["--runs", "8", "--out", "{tmp}", "--scheduler", "nowhere"],
            "--scheduler 'nowhere' is not a scheduler address",
        ),
        (["--riser", "rigid"], "--riser must be one of elastic, pendulum, got 'rigid'"),
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = runner.invoke(app, ["edl", str(SCENARIO), "--dof", "6", *args])
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output, r.output
    assert not list(tmp_path.glob("chunk-*"))


def test_riser_without_dof_6_exits_2():
    r = runner.invoke(app, ["edl", str(SCENARIO), "--riser", "pendulum"])
    assert r.exit_code == 2 and "--riser applies to the 6-DOF model: add --dof 6" in r.output


def test_worker_processes_give_the_runs_of_this_process(monkeypatch, uninterrupted):
    """The default on a CPU: one single-threaded worker process per core (areo.localpool). 16 runs in kernel
    blocks of 8 lanes, computed by two workers, are run by run and bit for bit those of this process, and those
    of one block of 16 lanes: a lane count that is a multiple of the vector width (8 float64) gives the same bits."""
    from areo.edl.sixdof import api

    monkeypatch.setattr(api, "LANES", 8)
    in_workers = run_scenario(SCENARIO, runs=RUNS, seed=SEED, workers=2).table
    here = run_scenario(SCENARIO, runs=RUNS, seed=SEED, workers=1).table
    _same_runs(pd.DataFrame(in_workers), here)
    _same_runs(pd.DataFrame(in_workers), uninterrupted.table)


def test_campaign_in_worker_processes_gives_the_same_runs(tmp_path, uninterrupted):
    """A campaign's chunks computed two at a time by two local worker processes and written by this one."""
    done = []
    res = run_scenario(
        SCENARIO, runs=RUNS, seed=SEED, out_dir=tmp_path, chunk=CHUNK, workers=2, progress=lambda d, n: done.append(d)
    )
    _same_runs(pd.concat(list(iter_chunks(tmp_path)), ignore_index=True), uninterrupted.table)
    assert res.status_counts() == uninterrupted.status_counts()
    assert done == [0, 4, 8, 12, 16]


def test_workers_start_xla_single_threaded_and_unpinned():
    """Each worker starts XLA pinned to one core (so its thread pool has one thread) and then may use every core
    this process may use again, in EVERY thread (the threads XLA started while pinned too: left on one core, two
    workers shared it and ran at half speed)."""
    from areo.localpool import SINGLE_THREAD_XLA, cores, map_ranges

    seen = map_ranges(_worker_view, [(0, 1), (1, 2)], 2)
    for affinity, flags, threads in seen:
        assert affinity == cores() and SINGLE_THREAD_XLA in flags
        assert threads < _worker_view(0, 0)[2] or len(cores()) == 1  # fewer XLA threads than this process's


def _worker_view(a: int, b: int) -> tuple[list[int], str, int]:
    from areo._jax import jax

    jax.devices()
    status = Path("/proc/self/status").read_text().splitlines()
    threads = int(next(line for line in status if line.startswith("Threads:")).split()[1])
    per_thread = {tuple(sorted(os.sched_getaffinity(int(tid)))) for tid in os.listdir("/proc/self/task")}
    (affinity,) = per_thread  # one affinity shared by every thread of the worker
    return list(affinity), os.environ.get("XLA_FLAGS", ""), threads


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dof", "6", "--runs", "8", "--workers", "0"], "--workers must be an integer >= 1"),
        (["--runs", "8", "--workers", "2"], "--workers applies to the 6-DOF Monte Carlo: add --dof 6"),
    ],
)
def test_bad_workers_exit_2_with_one_line(args, message):
    r = runner.invoke(app, ["edl", str(SCENARIO), *args])
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output, r.output
