"""Chunked, resumable campaigns of a pure batch function, run locally or on a Dask cluster.

``run_campaign(task, n_runs, chunk, out_dir)`` calls ``task(start, stop)`` for consecutive index ranges;
``task`` must be a picklable callable returning a mapping of equal-length 1-D arrays for runs
``start .. stop-1`` that depends only on the run indices (seed your randomness by index), so results are
identical whatever the chunk size or the number of workers. Each chunk is written to
``out_dir/chunk-<start>-<stop>.parquet`` atomically (temporary file, then ``os.replace``); a
``manifest.json`` records the campaign. Running the same campaign again skips the chunks already on disk
and never repeats or loses one; a directory that holds a different campaign is refused.

With ``scheduler`` (an address such as ``tcp://host:8786``, or a ``distributed.Client``) the chunks run as
Dask tasks; the client writes each result as it arrives, and a worker lost mid-task makes Dask run its
chunks again elsewhere. Nothing here knows what the task computes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, OutputError, ResourceError

MANIFEST = "manifest.json"
CONNECT_TIMEOUT_S = 10


def chunk_ranges(n_runs: int, chunk: int) -> list[tuple[int, int]]:
    return [(s, min(s + chunk, n_runs)) for s in range(0, n_runs, chunk)]


def chunk_path(out_dir: Path, start: int, stop: int) -> Path:
    return out_dir / f"chunk-{start:012d}-{stop:012d}.parquet"


def _write_chunk(out_dir: Path, start: int, stop: int, result: Mapping[str, np.ndarray]) -> None:
    df = pd.DataFrame({k: np.asarray(v) for k, v in result.items()})
    if len(df) != stop - start:
        raise ValueError(f"task returned {len(df)} rows for runs {start}..{stop - 1}")
    df.insert(0, "run", np.arange(start, stop, dtype=np.int64))
    final = chunk_path(out_dir, start, stop)
    tmp = final.with_name(final.name + f".tmp-{os.getpid()}")
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, final)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"could not write {str(final)!r}: {exc.strerror or exc}; the chunks already written are kept, "
            "free space and run the same command again to resume"
        ) from None


def _check_manifest(out_dir: Path, manifest: dict) -> None:
    path = out_dir / MANIFEST
    if path.exists():
        old = json.loads(path.read_text())
        if old != manifest:
            diff = sorted(k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k))
            raise InputError(
                f"{str(out_dir)!r} holds a different campaign (differs in: {', '.join(diff)}); "
                "rerun with the same arguments to resume it, or choose another --out directory"
            )
    else:
        tmp = path.with_name(MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(tmp, path)


def pending_chunks(out_dir: Path, n_runs: int, chunk: int) -> list[tuple[int, int]]:
    return [(a, b) for a, b in chunk_ranges(n_runs, chunk) if not chunk_path(out_dir, a, b).exists()]


def run_campaign(
    task: Callable[[int, int], Mapping[str, np.ndarray]],
    n_runs: int,
    chunk: int,
    out_dir: str | Path,
    *,
    fingerprint: Mapping | None = None,
    scheduler=None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run (or resume) a campaign; return all runs as one DataFrame sorted by ``run``.

    ``fingerprint`` (JSON-serialisable) identifies the campaign's inputs; ``progress(runs_done, n_runs)`` is
    called after each chunk."""
    if n_runs < 1:
        raise InputError(f"number of runs must be >= 1, got {n_runs}")
    if chunk < 1:
        raise InputError(f"chunk size must be >= 1, got {chunk}")
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _check_manifest(out_dir, {"n_runs": int(n_runs), "chunk": int(chunk), "fingerprint": dict(fingerprint or {})})
        return _run(task, n_runs, chunk, out_dir, scheduler, progress)
    except BaseException:
        if created and not any(out_dir.glob("chunk-*.parquet")):  # nothing to resume: leave nothing behind
            shutil.rmtree(out_dir, ignore_errors=True)
        raise


def _run(task, n_runs, chunk, out_dir: Path, scheduler, progress) -> pd.DataFrame:
    todo = pending_chunks(out_dir, n_runs, chunk)
    done = n_runs - sum(b - a for a, b in todo)
    if progress:
        progress(done, n_runs)
    if todo and scheduler is None:
        for a, b in todo:
            _write_chunk(out_dir, a, b, task(a, b))
            done += b - a
            if progress:
                progress(done, n_runs)
    elif todo:
        done = _run_dask(task, todo, out_dir, scheduler, done, n_runs, progress)
    return load_campaign(out_dir, n_runs, chunk)


def _run_dask(task, todo, out_dir, scheduler, done, n_runs, progress) -> int:
    from distributed import Client, as_completed

    own = not hasattr(scheduler, "submit")
    try:
        client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s") if own else scheduler
    except OSError as exc:
        raise ResourceError(
            f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); start one with `dask scheduler` or drop --scheduler"
        ) from None
    try:
        futures = {client.submit(task, a, b, pure=False, retries=3): (a, b) for a, b in todo}
        for fut, result in as_completed(futures, with_results=True):
            a, b = futures[fut]
            _write_chunk(out_dir, a, b, result)
            done += b - a
            if progress:
                progress(done, n_runs)
            fut.release()
    finally:
        if own:
            client.close()
    return done


def load_campaign(out_dir: str | Path, n_runs: int, chunk: int) -> pd.DataFrame:
    out_dir = Path(out_dir)
    missing = pending_chunks(out_dir, n_runs, chunk)
    if missing:
        raise ResourceError(
            f"campaign in {str(out_dir)!r} is incomplete: {len(missing)} chunk(s) missing; run the same command again to resume"
        )
    frames = [pd.read_parquet(chunk_path(out_dir, a, b)) for a, b in chunk_ranges(n_runs, chunk)]
    return pd.concat(frames, ignore_index=True)
