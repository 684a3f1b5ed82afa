"""One single-threaded worker process per core, for batch functions that do not scale inside one process.

XLA on a CPU splits a kernel of more than a few dozen lanes across the cores of its process, and for small
element-wise kernels (the 6-DOF EDL step: ~1,000 kernel launches of a few hundred lanes each) the
synchronisation costs more CPU time than it saves. Running one process per core instead, each with a
single-threaded XLA and its own compiled kernel, uses every core without that cost. XLA sizes its thread pool
from the cores the process may use when its CPU backend starts, so each worker starts it while pinned to one
core and then gives the pin back: the OS may still move the worker to whichever core is free (on a shared machine
a worker pinned for good waits behind other programs on its core). The workers are started with ``spawn`` (no
fork of a process holding XLA threads), so a script that calls this must guard its top level with
``if __name__ == "__main__":`` (as for any ``multiprocessing`` or Dask program).

``map_ranges(task, ranges, workers)`` calls the picklable ``task(start, stop)`` for each range in the workers and
returns the results in order; ``local_pool(workers)`` is the pool itself (used by :mod:`areo.campaign` to keep
several chunks in flight)."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .errors import ResourceError

SINGLE_THREAD_XLA = "--xla_cpu_multi_thread_eigen=false"


def cores() -> list[int]:
    """The CPU cores this process may run on (all of them where the OS does not say)."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def default_workers() -> int:
    """One worker per core this process may run on where JAX computes on the CPU; 1 (this process) where it has
    an accelerator, which one process keeps busy."""
    from ._jax import jax

    return len(cores()) if jax.default_backend() == "cpu" else 1


def _exit_with_parent() -> None:
    """End this worker as soon as the process that started it ends (killed with SIGKILL included): an orphan
    would wait for work forever."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="areo-exit-with-parent", daemon=True).start()


def _init_worker(xla_flags: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    _exit_with_parent()
    single_threaded_xla(xla_flags)


def single_threaded_xla(xla_flags: str = "") -> None:
    """Start JAX's CPU backend in this process with one XLA thread (before any other JAX work here): pinned to
    one core while it starts, then free to run on any core again. ``xla_flags`` are added to ``XLA_FLAGS``."""
    flags = os.environ.get("XLA_FLAGS", "")
    for flag in (SINGLE_THREAD_XLA, *xla_flags.split()):
        if flag not in flags:
            flags = f"{flags} {flag}".strip()
    os.environ["XLA_FLAGS"] = flags
    allowed = cores()
    pin = hasattr(os, "sched_setaffinity") and len(allowed) > 1
    if pin:
        os.sched_setaffinity(0, {allowed[0]})
    try:
        from ._jax import jax

        jax.devices()
    finally:
        if pin:
            _unpin_threads(set(allowed))


def _unpin_threads(allowed: set[int]) -> None:
    """Give every thread of this process (``sched_setaffinity(0)`` changes only the calling one; the threads XLA
    started while pinned would stay on that one core) the ``allowed`` cores back."""
    try:
        tids = [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        tids = [0]
    for tid in tids:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(tid, allowed)


@contextlib.contextmanager
def local_pool(workers: int, xla_flags: str = "") -> Iterator[ProcessPoolExecutor]:
    """A process pool of ``workers`` workers, each with a single-threaded XLA (and ``xla_flags``: a task's
    ``xla_flags`` attribute, flags that leave its results unchanged). Leaving the block by an exception (Ctrl-C
    included) stops the workers at once, losing their tasks."""
    ctx = multiprocessing.get_context("spawn")
    ex = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(xla_flags,))
    try:
        yield ex
    except BaseException as exc:
        procs = list((getattr(ex, "_processes", None) or {}).values())  # started by this pool: ended by their ids
        ex.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.terminate()
        if isinstance(exc, BrokenProcessPool):
            raise ResourceError(
                "a worker process stopped (killed, out of memory, or it could not start: a script that runs areo "
                'in worker processes must guard its top level with `if __name__ == "__main__":`); '
                "run with one worker (--workers 1, workers=1) to compute in this process"
            ) from None
        raise
    else:
        ex.shutdown(wait=True)


def map_ranges(task: Callable[[int, int], Any], ranges: Sequence[tuple[int, int]], workers: int) -> list[Any]:
    """``[task(a, b) for a, b in ranges]``, computed by up to ``workers`` worker processes (in this process when
    one worker or one range would do)."""
    workers = min(workers, len(ranges))
    if workers <= 1:
        return [task(a, b) for a, b in ranges]
    with local_pool(workers, getattr(task, "xla_flags", "")) as ex:
        return list(ex.map(task, [a for a, _ in ranges], [b for _, b in ranges]))
