"""Chunked campaigns: atomic chunks, resume, identity whatever the chunking, a real process killed with SIGKILL
at random moments, damaged output folders (each detected and recomputed, or refused with one clear line), the
folder lock, scheduler addresses, huge run counts, and a real Dask cluster that loses a worker mid-campaign.

Invariant checked throughout: the final table equals, bit for bit, the one of an uninterrupted run of the same
seeded task (``check_exact``), with every run id exactly once."""

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import cloudpickle
import numpy as np
import pandas as pd
import pytest

from areo import campaign
from areo.campaign import (
    MANIFEST,
    CampaignWarning,
    chunk_path,
    compute_campaign,
    folder_lock,
    iter_chunks,
    load_campaign,
    run_campaign,
)
from areo.errors import InputError, ResourceError

from . import _campaign_task
from ._campaign_task import SeededTask

cloudpickle.register_pickle_by_value(_campaign_task)

SRC = Path(campaign.__file__).resolve().parents[1]
TASK_SCRIPT = Path(_campaign_task.__file__).resolve()


def _same(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_identical_whatever_the_chunking(tmp_path):
    a = run_campaign(SeededTask(3), 103, 10, tmp_path / "a", fingerprint={"seed": 3})
    b = run_campaign(SeededTask(3), 103, 103, tmp_path / "b", fingerprint={"seed": 3})
    c = run_campaign(SeededTask(3), 103, 7, tmp_path / "c", fingerprint={"seed": 3})
    assert len(a) == 103 and list(a["run"]) == list(range(103))
    _same(a, b)
    _same(a, c)


def test_resume_runs_only_missing_chunks(tmp_path):
    full = run_campaign(SeededTask(1), 50, 10, tmp_path, fingerprint={"seed": 1})
    chunk_path(tmp_path, 20, 30).unlink()
    (tmp_path / "chunk-000000000030-000000000040.parquet.tmp-999").write_bytes(b"half-written junk")
    task = SeededTask(1)
    again = run_campaign(task, 50, 10, tmp_path, fingerprint={"seed": 1})
    assert task.calls == [(20, 30)]
    assert not list(tmp_path.glob("*.tmp-*"))
    _same(full, again)
    task = SeededTask(1)
    run_campaign(task, 50, 10, tmp_path, fingerprint={"seed": 1})
    assert task.calls == []


# --- a real process killed with SIGKILL at random moments -------------------------------------------------------


def _recorded_chunks(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text())["chunks"])
    except FileNotFoundError:
        return 0


def test_sigkill_at_random_moments_then_resume_loses_and_repeats_nothing(tmp_path):
    # 100 chunks, >= 2.5 s of work: more than five kills after at most 0.4 s each can let it do, so every kill
    # lands while the process holds the folder, whatever the machine's speed
    n, c, seed, delay_s = 1000, 10, 11, 0.025
    reference = run_campaign(SeededTask(seed), n, c, tmp_path / "reference", fingerprint={"seed": seed})
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, str(TASK_SCRIPT), str(out), str(n), str(c), str(seed), str(delay_s)]
    rng = np.random.default_rng(2026)
    recorded = []
    for _ in range(5):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while f"pid {proc.pid} " not in ((out / ".lock").read_text() if (out / ".lock").exists() else ""):
            assert proc.poll() is None and time.monotonic() < deadline, "campaign process did not start"
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.4))  # it holds the folder: kill it while it verifies, computes or writes
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recorded.append(_recorded_chunks(out))
    assert recorded == sorted(recorded), "a resumed campaign forgot chunks it had recorded"
    assert 0 < recorded[-1] < n // c, f"the kills did not land mid-campaign: {recorded}"
    with pytest.warns(CampaignWarning, match="stopped without releasing the folder"):  # a killed writer's lock
        table = run_campaign(SeededTask(seed), n, c, out, fingerprint={"seed": seed})
    _same(table, load_campaign(out, n, c))
    assert list(table["run"]) == list(range(n))
    _same(table, reference)


# --- damaged folders ----------------------------------------------------------------------------------------------

N, C = 50, 10
VICTIM = (20, 30)


def _rewrite(path: Path, change) -> None:
    df = pd.read_parquet(path)
    change(df).to_parquet(path, index=False)


def _folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "part-0.parquet").write_bytes(b"someone's file")


DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "garbage": lambda p: p.write_bytes(np.random.default_rng(0).bytes(p.stat().st_size)),
    "one byte flipped": lambda p: p.write_bytes((lambda b: b[:100] + bytes([b[100] ^ 0x01]) + b[101:])(p.read_bytes())),
    "replaced by another valid chunk": lambda p: p.write_bytes(chunk_path(p.parent, 30, 40).read_bytes()),
    "a column removed": lambda p: _rewrite(p, lambda df: df.drop(columns=["y"])),
    "run ids shifted": lambda p: _rewrite(p, lambda df: df.assign(run=df["run"] + 1)),
    "a folder": _folder_instead,
    "deleted": lambda p: p.unlink(),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_chunk_is_detected_and_recomputed(tmp_path, damage):
    reference = run_campaign(SeededTask(5), N, C, tmp_path / "reference", fingerprint={"seed": 5})
    out = tmp_path / "out"
    run_campaign(SeededTask(5), N, C, out, fingerprint={"seed": 5})
    victim = chunk_path(out, *VICTIM)
    DAMAGE[damage](victim)
    if damage != "deleted":  # what load_campaign sees before the resume: refused, never trusted
        with pytest.raises(ResourceError, match=rf"chunk {victim.name} .* run the same command again"):
            load_campaign(out, N, C)
    task = SeededTask(5)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        again = run_campaign(task, N, C, out, fingerprint={"seed": 5})
    said = [str(w.message) for w in seen if issubclass(w.category, CampaignWarning)]
    assert said == ([] if damage == "deleted" else [f"{victim.name}: {said[0].split(': ', 1)[1]}"]), said
    assert task.calls == [VICTIM]
    _same(again, reference)
    if damage == "a folder":  # the user's folder is kept, moved aside
        assert (out / f"{victim.name}.damaged-0" / "part-0.parquet").read_bytes() == b"someone's file"


def test_a_chunk_written_but_not_recorded_is_recomputed(tmp_path):
    """The process died between the chunk's rename and the manifest's: the file is not trusted."""
    reference = run_campaign(SeededTask(5), N, C, tmp_path / "reference", fingerprint={"seed": 5})
    out = tmp_path / "out"
    run_campaign(SeededTask(5), N, C, out, fingerprint={"seed": 5})
    man = json.loads((out / MANIFEST).read_text())
    del man["chunks"][chunk_path(out, *VICTIM).name]
    (out / MANIFEST).write_text(json.dumps(man))
    task = SeededTask(5)
    with pytest.warns(CampaignWarning, match="not recorded in the manifest"):
        again = run_campaign(task, N, C, out, fingerprint={"seed": 5})
    assert task.calls == [VICTIM]
    _same(again, reference)


@pytest.mark.parametrize(
    "text", ['{"format": "areo.campaign/2", "n_runs": 50, "ch', "", "[1, 2]", '{"chunks": 3}'], ids=repr
)
def test_a_damaged_manifest_is_refused_then_recomputed_once_removed(tmp_path, text):
    reference = run_campaign(SeededTask(5), N, C, tmp_path / "reference", fingerprint={"seed": 5})
    out = tmp_path / "out"
    run_campaign(SeededTask(5), N, C, out, fingerprint={"seed": 5})
    (out / MANIFEST).write_text(text)
    task = SeededTask(5)
    with pytest.raises(InputError, match=r"manifest.json' is damaged .* cannot be verified: delete it"):
        run_campaign(task, N, C, out, fingerprint={"seed": 5})
    assert task.calls == []
    (out / MANIFEST).unlink()  # as the message says: without a manifest no chunk is trusted
    with pytest.warns(CampaignWarning, match="not recorded"):
        again = run_campaign(task, N, C, out, fingerprint={"seed": 5})
    assert task.calls == [(a, min(a + C, N)) for a in range(0, N, C)]
    _same(again, reference)


@pytest.mark.parametrize(
    ("runs", "chunk", "seed", "differs"),
    [(20, 10, 2, "fingerprint"), (30, 10, 1, "n_runs"), (20, 5, 1, "chunk")],
)
def test_a_different_campaign_in_the_same_directory_is_refused(tmp_path, runs, chunk, seed, differs):
    run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})
    task = SeededTask(seed)
    with pytest.raises(InputError, match=rf"holds a different campaign \(differs in: {differs}\)"):
        run_campaign(task, runs, chunk, tmp_path, fingerprint={"seed": seed})
    assert task.calls == []


def test_a_folder_of_the_older_unverified_format_is_refused(tmp_path):
    run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})
    (tmp_path / MANIFEST).write_text(json.dumps({"n_runs": 20, "chunk": 10, "fingerprint": {"seed": 1}}))
    with pytest.raises(InputError, match=r"written in format 'areo.campaign/1' .* choose another --out"):
        run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})


# --- the folder lock ----------------------------------------------------------------------------------------------


def test_a_second_writer_is_refused_and_a_dead_writers_lock_is_taken_over(tmp_path):
    holder = (
        "import sys; from areo.campaign import folder_lock\n"
        f"with folder_lock({str(tmp_path)!r}):\n    print('locked', flush=True); sys.stdin.read()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        task = SeededTask(1)
        with pytest.raises(
            ResourceError, match=rf"in use by another writer \(pid {proc.pid} on .*choose another --out"
        ):
            run_campaign(task, 20, 10, tmp_path, fingerprint={"seed": 1})
        assert task.calls == [] and not list(tmp_path.glob("chunk-*"))
    finally:
        proc.send_signal(signal.SIGKILL)  # dies holding it: the OS releases the lock, its line stays
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()
    assert f"pid {proc.pid} " in (tmp_path / ".lock").read_text()
    with pytest.warns(CampaignWarning, match=rf"previous writer \(pid {proc.pid} .* taking it over"):
        out = run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})
    assert list(out["run"]) == list(range(20))
    assert (tmp_path / ".lock").read_text() == ""  # released cleanly


def test_a_stale_lock_line_of_a_dead_pid_is_taken_over(tmp_path):
    (tmp_path / ".lock").write_text("pid 4194999 on elsewhere since 2026-01-01T00:00:00Z\n")
    with pytest.warns(CampaignWarning, match="pid 4194999"):
        run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})
    with folder_lock(tmp_path), pytest.raises(ResourceError, match="in use by another writer"):
        run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})  # also within one process


# --- arguments: scheduler addresses and huge run counts, refused before any work ------------------------------


@pytest.mark.parametrize("address", ["not-an-address", "tcp://host", "http://127.0.0.1:8786", "tcp://h:99999", 8786])
def test_a_bad_scheduler_address_is_one_input_error_before_any_work(tmp_path, address):
    task = SeededTask(1)
    with pytest.raises(InputError, match=r"is not a Dask scheduler address: expected \[tcp://\]HOST:PORT"):
        run_campaign(task, 4, 2, tmp_path / "out", scheduler=address)
    assert task.calls == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("runs", "chunk", "message"),
    [
        (100_000_000, 1, r"make 100,000,000 chunk files \(at most 100,000\); use a chunk size of at least 1,000"),
        (0, 10, "number of runs must be an integer >= 1"),
        (20, 0, "chunk size must be an integer >= 1"),
        (2.5, 1, "number of runs must be an integer"),
    ],
)
def test_bad_sizes_are_refused_before_any_work(tmp_path, runs, chunk, message):
    task = SeededTask(1)
    with pytest.raises(InputError, match=message):
        run_campaign(task, runs, chunk, tmp_path / "out")
    assert task.calls == []


def test_a_table_too_big_for_memory_is_refused_after_one_chunk_and_can_be_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(campaign, "MAX_COLLECT_BYTES", 100_000)  # stands for a machine's memory
    task = SeededTask(4)
    with pytest.raises(ResourceError, match=r"collecting 4,000 runs would need ~0.0 GiB .* iter_chunks"):
        run_campaign(task, 4_000, 400, tmp_path, fingerprint={"seed": 4})
    assert task.calls == [(0, 400)]  # one chunk to measure a run's size, kept
    task = SeededTask(4)
    compute_campaign(task, 4_000, 400, tmp_path, fingerprint={"seed": 4})
    assert task.calls == [(a, a + 400) for a in range(400, 4_000, 400)]
    whole = pd.DataFrame(SeededTask(4)(0, 4_000))
    for k, part in enumerate(iter_chunks(tmp_path)):  # one chunk in memory at a time
        expect = whole.iloc[400 * k : 400 * (k + 1)].reset_index(drop=True)
        assert list(part["run"]) == list(range(400 * k, 400 * (k + 1)))
        _same(part.drop(columns="run"), expect)


# --- Dask ---------------------------------------------------------------------------------------------------------


def test_dask_scheduler_address_unreachable(tmp_path, monkeypatch):
    monkeypatch.setattr(campaign, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(ResourceError, match="cannot reach the Dask scheduler"):
        run_campaign(SeededTask(1), 4, 2, tmp_path, scheduler="tcp://127.0.0.1:1")


def test_dask_cluster_losing_a_worker(tmp_path):
    distributed = pytest.importorskip("distributed")
    reference = run_campaign(SeededTask(7), 240, 240, tmp_path / "single", fingerprint={"seed": 7})
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", silence_logs=50
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        state = {"killed": False, "calls": 0}

        def progress(done, total):
            state["calls"] += 1
            if done > 0 and not state["killed"]:
                os.kill(victim, signal.SIGKILL)  # a worker dies while others still have chunks in flight
                state["killed"] = True

        out = run_campaign(
            SeededTask(7, delay_s=0.4),
            240,
            20,
            tmp_path / "dask",
            fingerprint={"seed": 7},
            scheduler=client,
            progress=progress,
        )
    assert state["killed"]
    assert sorted(p.name for p in (tmp_path / "dask").glob("chunk-*.parquet")) == [
        f"chunk-{a:012d}-{min(a + 20, 240):012d}.parquet" for a in range(0, 240, 20)
    ]
    _same(out, reference)
