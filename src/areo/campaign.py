"""Chunked, resumable campaigns of a pure batch function, run locally or on a Dask cluster.

``run_campaign(task, n_runs, chunk, out_dir)`` calls ``task(start, stop)`` for consecutive index ranges;
``task`` must be a picklable callable returning a mapping of equal-length 1-D arrays for runs
``start .. stop-1`` that depends only on the run indices (seed your randomness by index), so results are
identical whatever the chunk size or the number of workers. Nothing here knows what the task computes.

The output folder cannot be corrupted silently:

- each chunk is written to ``out_dir/chunk-<start>-<stop>.parquet`` atomically (temporary file, fsync,
  ``os.replace``) and only then recorded in ``manifest.json`` (also replaced atomically) with its row count,
  size and SHA-256. A chunk is trusted only if its file matches its manifest entry; a chunk that is missing,
  unrecorded (the process was killed between the two writes), truncated, replaced or rewritten is recomputed
  (with a warning), a chunk path that is not a plain file is moved aside first. Loading checks the checksum,
  the row count, the run ids and the columns again.
- ``manifest.json`` also records the campaign (number of runs, chunk size, the caller's ``fingerprint``): a
  folder holding another campaign, or a damaged manifest, is refused with one clear line.
- a lock (``out_dir/.lock``, an OS file lock released by the kernel when its process dies) refuses a second
  process writing into the same folder; a lock left by a killed process is taken over.

So a campaign killed at any moment (SIGKILL included) and run again loses and repeats no run, and its results
are bit-identical to an uninterrupted run.

With ``scheduler`` (an address such as ``tcp://host:8786``, or a ``distributed.Client``) the chunks run as
Dask tasks, a bounded number in flight; the client writes each result as it arrives, and a worker lost
mid-task makes Dask run its chunks again elsewhere. ``run_campaign`` returns every run as one DataFrame and
refuses (before computing more than one chunk) a campaign whose table would not fit in memory;
``compute_campaign`` + ``iter_chunks`` stream a campaign of any size chunk by chunk.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from ._extras import require
from .errors import InputError, OutputError, ResourceError
from .io.files import atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

MANIFEST = "manifest.json"
LOCK = ".lock"
FORMAT = "areo.campaign/2"  # manifest layout; a folder written by another layout is refused, never mixed
CONNECT_TIMEOUT_S = 10
MAX_CHUNKS = 100_000  # each chunk is one file and one manifest entry
MAX_COLLECT_BYTES: int | None = None  # memory run_campaign may use for the result table (None: half the RAM)
MANIFEST_WRITE_S_PER_ENTRY = 2e-5  # a manifest of n entries is rewritten at most every n * this seconds

_SCHEDULER = re.compile(r"(?:(tcp|tls|ucx|ws|wss)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})/?")


def _pandas() -> ModuleType:
    """pandas with pyarrow (the ``parquet`` extra): campaigns are Parquet chunks."""
    require("pyarrow", "writing a campaign (Parquet chunks in --out)")
    return require("pandas", "writing a campaign (Parquet chunks in --out)")


class CampaignWarning(UserWarning):
    """A damaged or unrecorded chunk, or a stale lock, was found and dealt with (recomputed, taken over)."""


def chunk_ranges(n_runs: int, chunk: int) -> Iterator[tuple[int, int]]:
    return ((s, min(s + chunk, n_runs)) for s in range(0, n_runs, chunk))


def chunk_path(out_dir: Path, start: int, stop: int) -> Path:
    return out_dir / f"chunk-{start:012d}-{stop:012d}.parquet"


def check_scheduler(scheduler: Any) -> None:
    """Raise one clear ``InputError`` unless ``scheduler`` is None, a Dask client or a scheduler address."""
    if scheduler is None or hasattr(scheduler, "submit"):
        return
    m = _SCHEDULER.fullmatch(scheduler.strip()) if isinstance(scheduler, str) else None
    if m is None or not 1 <= int(m.group(3)) <= 65535:
        raise InputError(
            f"--scheduler {scheduler!r} is not a Dask scheduler address: expected [tcp://]HOST:PORT with PORT in "
            "1..65535 (e.g. tcp://127.0.0.1:8786, as printed by `dask scheduler`), or drop --scheduler to run locally"
        )


def _check_sizes(n_runs: int, chunk: int) -> None:
    if isinstance(n_runs, bool) or not isinstance(n_runs, int | np.integer) or n_runs < 1:
        raise InputError(f"number of runs must be an integer >= 1, got {n_runs!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, int | np.integer) or chunk < 1:
        raise InputError(f"chunk size must be an integer >= 1, got {chunk!r}")
    n_chunks = -(-int(n_runs) // int(chunk))
    if n_chunks > MAX_CHUNKS:
        raise InputError(
            f"{n_runs:,} runs in chunks of {chunk:,} make {n_chunks:,} chunk files (at most {MAX_CHUNKS:,}); "
            f"use a chunk size of at least {-(-int(n_runs) // MAX_CHUNKS):,}"
        )


# ---------------------------------------------------------------------------------------------------------------
# the folder lock


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # e.g. ENOLCK on a file system without locks
        raise ResourceError(
            f"cannot lock the campaign folder ({exc}): use an --out directory on a local file system"
        ) from None
    return True


def _lock_text(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace").strip()


@contextlib.contextmanager
def folder_lock(out_dir: str | Path) -> Iterator[None]:
    """Hold ``out_dir``'s lock: a second writer is refused with a ``ResourceError`` naming the holder. The OS
    releases the lock when its process dies, so a lock left by a killed run is taken over (with a warning)."""
    out_dir = Path(out_dir)
    fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = _lock_text(fd) or "a process"
            raise ResourceError(
                f"campaign folder {str(out_dir)!r} is in use by another writer ({holder}); wait for it to finish "
                "or stop it, or choose another --out directory"
            )
        stale = _lock_text(fd)
        if stale:
            warnings.warn(
                f"{str(out_dir)!r}: the previous writer ({stale}) stopped without releasing the folder (killed?); "
                "taking it over and checking every chunk",
                CampaignWarning,
                stacklevel=3,
            )
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # released (even on an error): an empty lock file is not stale
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------------------------
# manifest and chunk verification


def _identity(n_runs: int, chunk: int, fingerprint: Mapping | None) -> dict:
    ident = {"format": FORMAT, "n_runs": int(n_runs), "chunk": int(chunk), "fingerprint": dict(fingerprint or {})}
    return json.loads(json.dumps(ident))  # as it reads back from disk (tuples become lists)


def _read_manifest(out_dir: Path) -> dict | None:
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(old, dict) or not isinstance(old.get("chunks", {}), dict):
            raise ValueError("not a campaign manifest")
    except (ValueError, OSError) as exc:
        raise InputError(
            f"{str(path)!r} is damaged ({type(exc).__name__}: {str(exc)[:80]}), so the chunks in that folder "
            "cannot be verified: delete it to recompute the campaign there, or choose another --out directory"
        ) from None
    return old


def _check_identity(out_dir: Path, old: dict, ident: dict) -> None:
    if old.get("format") != FORMAT:
        raise InputError(
            f"{str(out_dir)!r} holds a campaign written in format {old.get('format') or 'areo.campaign/1'!r} "
            f"(this areo writes {FORMAT!r}; its chunks cannot be verified): choose another --out directory, or "
            "delete that folder to recompute the campaign there"
        )
    diff = sorted(k for k in set(ident) | (set(old) - {"chunks"}) if old.get(k) != ident.get(k))
    if diff:
        fp_old, fp_new = old.get("fingerprint"), ident.get("fingerprint")
        keys = ""
        if "fingerprint" in diff and isinstance(fp_old, dict) and isinstance(fp_new, dict):
            changed = sorted(k for k in set(fp_old) | set(fp_new) if fp_old.get(k) != fp_new.get(k))
            keys = f" [inputs changed: {', '.join(changed)}]"
        raise InputError(
            f"{str(out_dir)!r} holds a different campaign (differs in: {', '.join(diff)}){keys}; "
            "rerun with the same arguments to resume it, or choose another --out directory"
        )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _chunk_problem(path: Path, entry: Any, rows: int) -> str | None:
    """Why the chunk file at ``path`` cannot be trusted against its manifest ``entry`` (None: it can)."""
    if not isinstance(entry, dict):
        return "not recorded in the manifest"
    if path.is_symlink() or not path.is_file():
        return "not a plain file"
    if entry.get("rows") != rows:
        return f"manifest records {entry.get('rows')!r} rows, expected {rows}"
    size = path.stat().st_size
    if size != entry.get("bytes"):
        return f"{size} bytes, manifest records {entry.get('bytes')!r}"
    if _digest(path.read_bytes()) != entry.get("sha256"):
        return "checksum differs from the manifest"
    return None


def _set_aside(path: Path) -> Path:
    for k in range(1000):
        aside = path.with_name(f"{path.name}.damaged-{k}")
        if not os.path.lexists(aside):
            os.replace(path, aside)
            return aside
    raise ResourceError(f"cannot move {str(path)!r} aside: remove it and run again")


def _clean_temporaries(out_dir: Path) -> None:
    for p in [*out_dir.glob("chunk-*.parquet.tmp-*"), *out_dir.glob(f".{MANIFEST}.*")]:
        if p.is_file():
            p.unlink(missing_ok=True)


class _Folder:
    """The open campaign folder of one writer (who holds the lock): manifest, verified chunks, writes."""

    def __init__(self, out_dir: Path, ident: dict, old: dict | None):
        self.out_dir, self.ident = out_dir, ident
        self.chunks: dict[str, dict] = dict(old["chunks"]) if old else {}
        self._last_flush = 0.0
        self._dirty = old is None

    def pending(self, n_runs: int, chunk: int) -> list[tuple[int, int]]:
        """Ranges to compute: every chunk that is not on disk exactly as its manifest entry records."""
        todo, unrecorded = [], []
        for a, b in chunk_ranges(n_runs, chunk):
            path = chunk_path(self.out_dir, a, b)
            entry = self.chunks.pop(path.name, None)
            if not os.path.lexists(path):
                self._dirty |= entry is not None
                todo.append((a, b))
                continue
            problem = _chunk_problem(path, entry, b - a)
            if problem is None:
                self.chunks[path.name] = entry or {}  # verified: entry is its record
                continue
            todo.append((a, b))
            self._dirty |= entry is not None
            if path.is_symlink() or not path.is_file():
                problem += f"; moved aside to {_set_aside(path).name}"
            elif entry is None:
                unrecorded.append(path.name)  # written, then killed before the manifest: common, said once
                continue
            warnings.warn(f"{path.name}: {problem}; recomputing runs {a}..{b - 1}", CampaignWarning, stacklevel=3)
        if unrecorded:
            warnings.warn(
                f"{len(unrecorded)} chunk file(s) not recorded in the manifest (written by a run that was stopped "
                f"before recording them, or the manifest was removed), recomputed: {', '.join(unrecorded[:3])}"
                + (" ..." if len(unrecorded) > 3 else ""),
                CampaignWarning,
                stacklevel=3,
            )
        self.flush(force=True)
        return todo

    def write(self, start: int, stop: int, result: Mapping[str, Any]) -> None:
        df = _pandas().DataFrame({k: np.asarray(v) for k, v in result.items()})
        if "run" in df.columns:
            raise ValueError("a campaign task must not return a column named 'run' (the campaign adds it)")
        if len(df) != stop - start:
            raise ValueError(f"task returned {len(df)} rows for runs {start}..{stop - 1}")
        df.insert(0, "run", np.arange(start, stop, dtype=np.int64))
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        data = buf.getvalue()
        final = chunk_path(self.out_dir, start, stop)
        tmp = final.with_name(final.name + f".tmp-{os.getpid()}")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(
                f"could not write {str(final)!r}: {exc.strerror or exc}; the chunks already written are kept, "
                "free space and run the same command again to resume"
            ) from None
        self.chunks[final.name] = {"rows": stop - start, "bytes": len(data), "sha256": _digest(data)}
        self._dirty = True
        self.flush()

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self._dirty or (not force and now - self._last_flush < len(self.chunks) * MANIFEST_WRITE_S_PER_ENTRY):
            return
        text = json.dumps({**self.ident, "chunks": self.chunks}, indent=1, sort_keys=True)
        atomic_write_text(self.out_dir / MANIFEST, text + "\n")
        self._last_flush, self._dirty = now, False


# ---------------------------------------------------------------------------------------------------------------
# running


def compute_campaign(
    task: Callable[[int, int], Mapping[str, Any]],
    n_runs: int,
    chunk: int,
    out_dir: str | Path,
    *,
    fingerprint: Mapping | None = None,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    _first_chunk_check: Callable[[pd.DataFrame], None] | None = None,
) -> Path:
    """Run (or resume) a campaign into ``out_dir`` without loading its results; returns ``out_dir``.

    ``fingerprint`` (JSON-serialisable) identifies the campaign's inputs; ``progress(runs_done, n_runs)`` is
    called after each chunk. Without a scheduler, ``workers`` > 1 computes that many chunks at once in
    single-threaded worker processes, one per core (:mod:`areo.localpool`); the task must then be picklable and
    give the same results in any process. Read the results with :func:`iter_chunks` or :func:`load_campaign`."""
    _check_sizes(n_runs, chunk)
    check_scheduler(scheduler)
    _pandas()
    if scheduler is not None and not hasattr(scheduler, "submit"):
        require("distributed", "running on a Dask scheduler (--scheduler)")
    n_runs, chunk = int(n_runs), int(chunk)
    ident = _identity(n_runs, chunk, fingerprint)  # not JSON-serialisable: a TypeError before any work
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {str(out_dir)!r} is a file, not a folder: choose a folder for the campaign")
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _locked_compute(task, n_runs, chunk, out_dir, ident, (scheduler, workers), progress, _first_chunk_check)
    except BaseException:
        if created and not any(out_dir.glob("chunk-*.parquet")):  # nothing to resume: leave nothing behind
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    return out_dir


def _locked_compute(
    task, n_runs, chunk, out_dir: Path, ident, where: tuple[Any, int], progress, _first_chunk_check
) -> None:
    """``where``: (Dask scheduler or None, local worker processes)."""
    with folder_lock(out_dir):
        old = _read_manifest(out_dir)
        if old is not None:
            _check_identity(out_dir, old, ident)
        _clean_temporaries(out_dir)
        folder = _Folder(out_dir, ident, old)
        todo = folder.pending(n_runs, chunk)
        done = [n_runs - sum(b - a for a, b in todo)]

        def count(runs: int) -> None:
            done[0] += runs
            if progress:
                progress(done[0], n_runs)

        count(0)
        try:
            with _runner(task, where[0], where[1], folder, count) as run:
                if _first_chunk_check is not None:
                    if todo and done[0] == 0:
                        run(todo[:1])  # one chunk to measure: kept, like any other
                        todo = todo[1:]
                    folder.flush(force=True)
                    left = set(todo)
                    a, b = next(r for r in chunk_ranges(n_runs, chunk) if r not in left)
                    path = chunk_path(out_dir, a, b)
                    _first_chunk_check(_read_chunk(path, folder.chunks.get(path.name), a, b))
                if todo:
                    run(todo)
        finally:
            folder.flush(force=True)


def run_campaign(
    task: Callable[[int, int], Mapping[str, Any]],
    n_runs: int,
    chunk: int,
    out_dir: str | Path,
    *,
    fingerprint: Mapping | None = None,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Run (or resume) a campaign; return all runs as one DataFrame sorted by ``run``.

    Refuses, after the first chunk and before computing the others, a campaign whose table would need more
    than ``MAX_COLLECT_BYTES`` of memory (default half of the machine's); use :func:`compute_campaign` and
    :func:`iter_chunks` to stream such a campaign chunk by chunk."""

    def fits(first: pd.DataFrame) -> None:
        need = 2 * n_runs * first.memory_usage(deep=True).sum() / max(len(first), 1)  # chunks + concatenated copy
        limit = MAX_COLLECT_BYTES if MAX_COLLECT_BYTES is not None else _half_memory()
        if need > limit:
            raise ResourceError(
                f"collecting {n_runs:,} runs would need ~{need / 2**30:.1f} GiB of memory (limit "
                f"{limit / 2**30:.1f} GiB); the chunks done are kept in {str(out_dir)!r}: stream them with "
                "areo.campaign.compute_campaign + iter_chunks, or use fewer runs"
            )

    out = compute_campaign(
        task,
        n_runs,
        chunk,
        out_dir,
        fingerprint=fingerprint,
        scheduler=scheduler,
        progress=progress,
        workers=workers,
        _first_chunk_check=fits,
    )
    return load_campaign(out, n_runs, chunk)


def _half_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 4 * 2**30


@contextlib.contextmanager
def _runner(task, scheduler, workers: int, folder: _Folder, count: Callable[[int], None]) -> Iterator[Callable]:
    """Yield ``run(ranges)``: computes the ranges (in this process, in ``workers`` local processes, or on the Dask
    ``scheduler``) and writes each chunk."""
    if scheduler is None:

        def run_local(ranges) -> None:
            if workers > 1 and len(ranges) > 1:
                _run_local_pool(task, ranges, min(workers, len(ranges)), folder, count)
                return
            for a, b in ranges:
                folder.write(a, b, task(a, b))
                count(b - a)

        yield run_local
        return
    from distributed import Client

    own = not hasattr(scheduler, "submit")
    try:
        client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s") if own else scheduler
    except (OSError, ValueError) as exc:
        raise ResourceError(
            f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); start one with `dask scheduler` or drop --scheduler"
        ) from None
    try:
        yield lambda ranges: _run_dask(client, task, ranges, folder, count)
    finally:
        if own:
            client.close()


def _run_local_pool(task, ranges, workers: int, folder: _Folder, count: Callable[[int], None]) -> None:
    """Chunks in ``workers`` single-threaded local processes, two per worker in flight; this process writes each
    result as it arrives (a worker that dies ends the campaign: the chunks written are kept for the resume)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from itertools import islice

    from .localpool import local_pool

    queue = iter(ranges)
    with local_pool(workers, getattr(task, "xla_flags", "")) as ex:
        futures = {}
        for a, b in islice(queue, 2 * workers):
            futures[ex.submit(task, a, b)] = (a, b)
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for fut in done:
                a, b = futures.pop(fut)
                folder.write(a, b, fut.result())
                count(b - a)
                nxt = next(queue, None)
                if nxt is not None:
                    futures[ex.submit(task, *nxt)] = nxt


def _run_dask(client, task, ranges, folder: _Folder, count: Callable[[int], None]) -> None:
    """Chunks as Dask tasks, a bounded number in flight (results arrive, memory stays bounded); the client
    writes each result as it arrives."""
    from distributed import as_completed

    window = max(4, 2 * sum(client.nthreads().values()))
    queue = iter(ranges)
    futures: dict = {}
    ready = as_completed(with_results=True)

    def submit_next() -> None:
        ab = next(queue, None)
        if ab is not None:
            fut = client.submit(task, *ab, pure=False, retries=3)
            futures[fut] = ab
            ready.add(fut)

    for _ in range(window):
        submit_next()
    for fut, result in ready:
        a, b = futures.pop(fut)
        folder.write(a, b, result)
        count(b - a)
        fut.release()
        submit_next()


# ---------------------------------------------------------------------------------------------------------------
# reading


def _read_chunk(path: Path, entry: Any, start: int, stop: int) -> pd.DataFrame:
    problem = _chunk_problem(path, entry, stop - start) if os.path.lexists(path) else "missing"
    if problem is None:
        data = path.read_bytes()  # verified again as read: what is returned is what the manifest records
        if _digest(data) != entry["sha256"]:
            problem = "changed while being read"
        else:
            df = _pandas().read_parquet(io.BytesIO(data))
            if len(df) != stop - start or not np.array_equal(df["run"].to_numpy(), np.arange(start, stop)):
                problem = "run ids differ from its name"
            else:
                return df
    raise ResourceError(
        f"chunk {path.name} of the campaign in {str(path.parent)!r} is {problem}; "
        "run the same command again to recompute it"
    )


def iter_chunks(out_dir: str | Path) -> Iterator[pd.DataFrame]:
    """Yield a complete campaign's chunks in run order, each verified against the manifest (one in memory at
    a time)."""
    out_dir = Path(out_dir)
    man = _read_manifest(out_dir)
    if man is None:
        raise ResourceError(f"{str(out_dir)!r} holds no campaign ({MANIFEST} missing)")
    if man.get("format") != FORMAT:
        raise InputError(f"{str(out_dir)!r} holds a campaign of format {man.get('format')!r}, expected {FORMAT!r}")
    columns = None
    for a, b in chunk_ranges(int(man["n_runs"]), int(man["chunk"])):
        path = chunk_path(out_dir, a, b)
        df = _read_chunk(path, man["chunks"].get(path.name), a, b)
        if columns is None:
            columns = list(zip(df.columns, df.dtypes, strict=True))
        elif list(zip(df.columns, df.dtypes, strict=True)) != columns:
            raise ResourceError(
                f"chunk {path.name} in {str(out_dir)!r} has other columns than the first chunk; "
                "delete it and run the same command again"
            )
        yield df


def load_campaign(out_dir: str | Path, n_runs: int, chunk: int) -> pd.DataFrame:
    """All runs of a complete campaign as one DataFrame (every chunk verified)."""
    out_dir = Path(out_dir)
    man = _read_manifest(out_dir)
    if man is not None and (man.get("n_runs"), man.get("chunk")) != (n_runs, chunk):
        raise InputError(
            f"{str(out_dir)!r} holds a campaign of {man.get('n_runs')} runs in chunks of {man.get('chunk')}, "
            f"not {n_runs} in chunks of {chunk}"
        )
    missing = sum(1 for a, b in chunk_ranges(n_runs, chunk) if not chunk_path(out_dir, a, b).exists())
    if missing:
        raise ResourceError(
            f"campaign in {str(out_dir)!r} is incomplete: {missing} chunk(s) missing; run the same command again to resume"
        )
    return _pandas().concat(list(iter_chunks(out_dir)), ignore_index=True)


def pending_chunks(out_dir: Path, n_runs: int, chunk: int) -> list[tuple[int, int]]:
    """Ranges of ``out_dir``'s campaign not yet on disk as the manifest records them (read-only check)."""
    man = _read_manifest(Path(out_dir))
    chunks = man.get("chunks", {}) if man else {}
    return [
        (a, b)
        for a, b in chunk_ranges(n_runs, chunk)
        if _chunk_problem(chunk_path(Path(out_dir), a, b), chunks.get(chunk_path(Path(out_dir), a, b).name), b - a)
        is not None
    ]


__all__ = [
    "CampaignWarning",
    "check_scheduler",
    "chunk_path",
    "chunk_ranges",
    "compute_campaign",
    "folder_lock",
    "iter_chunks",
    "load_campaign",
    "run_campaign",
]
