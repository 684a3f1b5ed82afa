"""Chunked campaigns: atomic chunks, resume, identity whatever the chunking, and a real Dask cluster that
loses a worker mid-campaign."""

import os
import signal

import cloudpickle
import pandas as pd
import pytest

from areo.campaign import chunk_path, run_campaign
from areo.errors import InputError

from . import _campaign_task
from ._campaign_task import SeededTask

cloudpickle.register_pickle_by_value(_campaign_task)


def test_identical_whatever_the_chunking(tmp_path):
    a = run_campaign(SeededTask(3), 103, 10, tmp_path / "a", fingerprint={"seed": 3})
    b = run_campaign(SeededTask(3), 103, 103, tmp_path / "b", fingerprint={"seed": 3})
    c = run_campaign(SeededTask(3), 103, 7, tmp_path / "c", fingerprint={"seed": 3})
    assert len(a) == 103 and list(a["run"]) == list(range(103))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_resume_runs_only_missing_chunks(tmp_path):
    full = run_campaign(SeededTask(1), 50, 10, tmp_path, fingerprint={"seed": 1})
    chunk_path(tmp_path, 20, 30).unlink()
    (tmp_path / "chunk-000000000030-000000000040.parquet.tmp-999").write_bytes(b"half-written junk")
    task = SeededTask(1)
    again = run_campaign(task, 50, 10, tmp_path, fingerprint={"seed": 1})
    assert task.calls == [(20, 30)]
    pd.testing.assert_frame_equal(full, again)
    task = SeededTask(1)
    run_campaign(task, 50, 10, tmp_path, fingerprint={"seed": 1})
    assert task.calls == []


def test_a_different_campaign_in_the_same_directory_is_refused(tmp_path):
    run_campaign(SeededTask(1), 20, 10, tmp_path, fingerprint={"seed": 1})
    with pytest.raises(InputError, match=r"holds a different campaign \(differs in: fingerprint\)"):
        run_campaign(SeededTask(2), 20, 10, tmp_path, fingerprint={"seed": 2})
    with pytest.raises(InputError, match="chunk size must be >= 1"):
        run_campaign(SeededTask(1), 20, 0, tmp_path / "x")


def test_dask_scheduler_address_unreachable(tmp_path, monkeypatch):
    from areo import campaign
    from areo.errors import ResourceError

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
    pd.testing.assert_frame_equal(out, reference)
