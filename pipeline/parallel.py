"""Every speed mechanism of the pipeline, in one place, behind one switch: ``jobs`` (``--jobs N``; the default
is one per core). With ``jobs=1`` everything runs in order in this process, and gives the same bytes.

What each mechanism buys is measured by ``make bench`` (see the README); each is kept only where it pays:

- worker processes extract the articles, a chunk at a time, while this process gets on with the rest
  (reading the cached rows, looking names up in the ontologies). They are spawned, not forked: a process
  that has imported pyarrow runs threads, and forking it is unsafe (Python 3.12 warns of it, 3.14 no
  longer does it by default); the chunks' articles travel to them through the pool's pipes. Workers
  ignore Ctrl-C (the build stops them) and die with the process that started them.
- two threads write the dataset's files, each made durable, while the next is made;
- one more thread makes the slowest file (the SQLite database) beside the others (:func:`beside`);
- the garbage collector is kept off while rows are made (millions of small objects, no cycles);
- the command ends without tearing down its heap once its output is flushed (:func:`exit_now`).

Past one machine, ``engine="dask"`` hands the same chunks to a Dask distributed cluster instead of the pool
(:class:`Cluster`): the one at ``scheduler`` (``tcp://host:8786``), or, with none, a local cluster of ``jobs``
worker processes. Only extraction runs there (a pure map over the articles); the chunks come back in their
order, so the bytes are those of a local build.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.store.files import fsync_folder, write_durably

# Worker processes cost a fork and the hand-over of their chunks: worth it from this many articles on.
POOL_MIN_ARTICLES = 200
SCHEDULER_TIMEOUT = "10s"  # how long to wait for the scheduler at --scheduler before giving up
MAX_CHUNK = 1000  # with the bound of 8 chunks a worker below, 625 articles a chunk for 10,000
CHUNKS_PER_WORKER = 8
WRITER_THREADS = 2
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _worker_starts() -> None:
    """In each worker: leave Ctrl-C to the build (which stops the workers), and end with the build."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


class Workers:
    """A pool of worker processes, or none: :meth:`map` then runs the function here, in order."""

    remote = False  # whether the workers see another file system (they then write no cache)

    def __init__(self, count: int):
        self.count = count
        self._pool = None
        if count > 1:
            # Started with Ctrl-C ignored, which they keep: a Ctrl-C while a worker is still starting would
            # otherwise print its traceback.
            interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                self._pool = multiprocessing.get_context("spawn").Pool(count, initializer=_worker_starts)
            finally:
                signal.signal(signal.SIGINT, interrupt)

    def chunks(self, total: int) -> list[tuple[int, int]]:
        """(start, stop) of the chunks ``total`` items are cut into for this many workers."""
        if total == 0:
            return []
        size = total if self.count < 2 else max(1, min(MAX_CHUNK, total // (self.count * CHUNKS_PER_WORKER)))
        return [(start, min(start + size, total)) for start in range(0, total, size)]

    def map(self, function, items: list, while_waiting=None):
        """``function(item)`` for each item, yielded in order; in the workers where there are any, with
        ``while_waiting()`` run here meanwhile."""
        if self._pool is None:
            yield from map(function, items)
            return
        results = self._pool.imap(function, items)
        if while_waiting:
            while_waiting()
        yield from results

    def close(self) -> None:
        """Stop the workers at once (they hold nothing that must be finished)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


class Cluster(Workers):
    """The workers of a Dask distributed cluster: the one whose scheduler is at ``address``, or a local one of
    ``count`` worker processes (one thread each) started here and stopped with :meth:`close`. Its workers
    need this project installed, at the same version; they write nothing (``remote``): the chunks' packs come
    back and are cached here."""

    remote = True

    def __init__(self, address: str | None, count: int):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise PipelineError("--engine dask needs the packages dask and distributed (pip install "
                                "'therapy-comparison-dataset[dask]')") from None
        self._cluster = None
        if address:
            try:
                self._client = Client(address, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as error:
                raise PipelineError(f"--scheduler {address}: cannot reach the scheduler ({error})") from None
        else:
            self._cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.CRITICAL)
            self._client = Client(self._cluster, set_as_default=False)
        self.count = max(1, len(self._client.scheduler_info().get("workers", {})) or count)

    def map(self, function, items: list, while_waiting=None):
        futures = self._client.map(function, items, pure=False)
        if while_waiting:
            while_waiting()
        for future in futures:
            yield future.result()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextmanager
def workers(jobs: int, articles: int, engine: str = "local", scheduler: str | None = None):
    """Workers for a build of ``articles`` articles: ``jobs`` local processes if there are enough articles to
    pay for them, else none; or, with ``engine="dask"``, a Dask cluster (see :class:`Cluster`)."""
    if engine == "dask":
        pool = Cluster(scheduler, jobs) if articles else Workers(1)
    else:
        pool = Workers(jobs if articles >= POOL_MIN_ARTICLES else 1)
    try:
        yield pool
    finally:
        pool.close()


@contextmanager
def collector_paused():
    """Within: no cyclic garbage collection (rows are tuples of strings and numbers, with no cycles: the
    collector would only walk the growing heap again and again)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def _threads(count: int):
    """A pool of threads that, when the work is interrupted (Ctrl-C, SIGTERM) or fails, is left behind
    without being waited for: the process ends at once (see :func:`exit_now`)."""
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


@contextmanager
def beside(jobs: int):
    """Within: a function that starts a call on a thread beside this one and returns its future (with ``jobs``
    above 1), or None (with ``jobs=1``: everything in order, in this thread)."""
    if jobs < 2:
        yield None
        return
    with _threads(1) as pool:
        yield pool.submit


def write_into(folder: Path, files, jobs: int) -> None:
    """Write files into a folder, each made durable, then the folder. ``files``: name → bytes, or (name,
    bytes) pairs as they are made (names may hold ``/``). With ``jobs`` above 1 the writes and flushes run
    on two threads (they release the GIL) while the caller makes the next file."""
    made = {Path(".")}

    def place(name: str) -> Path:
        for inner in reversed(Path(name).parents[:-1]):
            if inner not in made:
                (folder / inner).mkdir(exist_ok=True)
                made.add(inner)
        return folder / name

    pairs = files.items() if isinstance(files, dict) else files
    if jobs < 2:
        for name, data in pairs:
            write_durably(place(name), data)
    else:
        with _threads(WRITER_THREADS) as pool:
            pending: deque = deque()
            for name, data in pairs:
                if len(pending) >= WRITER_THREADS:  # at most this many files held in memory, waiting
                    pending.popleft().result()  # (the first failure, if any, is raised here)
                pending.append(pool.submit(write_durably, place(name), data))
            for write in pending:
                write.result()
    fsync_folder(folder)


def exit_now(code: int) -> None:
    """End the process once its output is flushed, without tearing down its heap: a large build holds
    hundreds of megabytes in millions of objects, and freeing them one by one takes a fifth of a second
    after the work is done. Every file is written, durable and closed by then, and every lock released.

    What a pool of workers leaves to be cleaned up on the way out (its semaphores, which the resource tracker
    would otherwise report as leaked after an interrupted build) is cleaned up first."""
    if "multiprocessing.util" in sys.modules:
        sys.modules["multiprocessing.util"]._run_finalizers(0)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
