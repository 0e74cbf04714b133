"""Run a study's chunks of runs: in this process, in local processes, or on a Dask cluster.

The runs of a study are split into chunks of a **fixed** size (a study setting, never derived
from the number of workers); chunk ``i`` draws its random numbers from child ``i`` of
``SeedSequence(seed).spawn(n_chunks)`` (docs: sim-interfaces "Runs and seeds"). A task sees one
:class:`Chunk` and nothing else that is random, so its result does not depend on where it ran:
1 worker, N local processes and a Dask cluster give the same results, gathered in chunk order.

Local processes start from a fork server (``forkserver``; ``spawn`` where there is none, on
Windows): a clean single-threaded process that imports the task's module once and forks each
worker from it. Unlike ``fork`` it is safe in a parent that already runs threads (a Dask
client, BLAS pools, a progress bar: ``fork`` copies locks held by other threads and can
deadlock, and Python 3.12 warns about it); unlike ``spawn`` a worker does not start an
interpreter and import numpy, pandas and ``mfa`` again, so once the server is up a pool starts
in about 0.06 s (``benchmarks/bench_runner.py``), where spawn took 0.9–1.8 s. It is Python 3.14's
default on Linux.
"""

from __future__ import annotations

import functools
import importlib
import re
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

import numpy as np

from ..errors import ParkFlowError, Problem

T = TypeVar("T")
Progress = Callable[[int], None]

SOURCE = "runs"
START_METHOD = "forkserver" if "forkserver" in get_all_start_methods() else "spawn"
CONNECT_TIMEOUT_S = 3.0  # an unreachable scheduler fails after this long, not after Dask's 30 s
DASK_FIX = "install the Dask extra: pip install 'parkflow[dask]'"
ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx)://\S+$")


@dataclass(frozen=True)
class Chunk:
    """Runs ``start`` … ``stop − 1`` of a study, with the seed of their random numbers."""

    index: int
    start: int
    stop: int
    seed: np.random.SeedSequence

    @property
    def runs(self) -> int:
        return self.stop - self.start


def chunks(runs: int, seed: int, chunk_size: int) -> list[Chunk]:
    """The chunks of a study of ``runs`` runs: ``chunk_size`` runs each (the last one shorter),
    chunk ``i`` seeded by ``SeedSequence(seed).spawn(n_chunks)[i]``."""
    problems = [Problem(name, f"must be a whole number ≥ {low}, got {value!r}", fix)
                for name, value, low, fix in (
                    ("runs", runs, 1, "ask for at least one run (--runs N)"),
                    ("chunk_size", chunk_size, 1, "use a chunk size of at least 1"),
                    ("seed", seed, 0, "use a seed ≥ 0 (--seed S)"))
                if not _whole(value, low)]
    if problems:
        raise ParkFlowError(SOURCE, problems)
    n_chunks = -(-runs // chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    return [Chunk(i, i * chunk_size, min(runs, (i + 1) * chunk_size), seeds[i])
            for i in range(n_chunks)]


def _whole(value: object, low: int) -> bool:
    whole = isinstance(value, int | np.integer) and not isinstance(value, bool)
    return whole and int(value) >= low  # type: ignore[call-overload]


def run_chunks(task: Callable[[Chunk], T], chunks: Sequence[Chunk], *, workers: int = 1,
               scheduler: object | None = None, progress: Progress | None = None) -> list[T]:
    """``[task(chunk) for chunk in chunks]``, in chunk order, wherever the chunks run.

    In this process when ``workers == 1`` and no ``scheduler``; in ``workers`` local processes
    (``task`` and its results must pickle: a module-level function); on Dask when
    ``scheduler`` is an address ``tcp://host:port`` or a ``distributed.Client`` (the cluster's
    workers decide the parallelism, ``workers`` is not used). ``progress(done_runs)`` is called
    as chunks finish. A task's exception is raised here, as it was raised in the worker.
    """
    if not _whole(workers, 1):
        raise ParkFlowError.single(SOURCE, "workers", f"must be a whole number ≥ 1, got "
                                   f"{workers!r}", "use --workers 1 or more")
    report = progress or (lambda done: None)
    if scheduler is not None:
        return _on_dask(task, chunks, scheduler, report)
    if workers == 1:
        return _in_process(task, chunks, report)
    return _in_processes(task, chunks, workers, report)


def _in_process(task: Callable[[Chunk], T], chunks: Sequence[Chunk],
                report: Progress) -> list[T]:
    results, done = [], 0
    for chunk in chunks:
        results.append(task(chunk))
        done += chunk.runs
        report(done)
    return results


def _in_processes(task: Callable[[Chunk], T], chunks: Sequence[Chunk], workers: int,
                  report: Progress) -> list[T]:
    context = get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(_preload(task))
    with ProcessPoolExecutor(max_workers=min(workers, max(len(chunks), 1)),
                             mp_context=context) as pool:
        futures = [pool.submit(task, chunk) for chunk in chunks]
        try:
            _watch(futures, [c.runs for c in chunks], report)
            return [future.result() for future in futures]
        except BrokenProcessPool as error:
            raise ParkFlowError.single(
                SOURCE, "workers", "a worker process died, or its result or error could not "
                f"be unpickled here ({error})",
                "run with --workers 1 to see the error; if a worker ran out of memory, use "
                "fewer workers or a smaller chunk size") from error
        finally:
            for future in futures:  # after an error: do not wait for the chunks not started
                future.cancel()


def _preload(task: Callable[[Chunk], T]) -> list[str]:
    """The modules the fork server imports when it starts (at the first pool, later calls do
    not change it): the main script, this module and the task's, so workers fork with them."""
    module = getattr(getattr(task, "func", task), "__module__", None)  # func: a partial
    return ["__main__", __name__, *([module] if isinstance(module, str) else [])]


def _watch(futures: list[Future[T]], runs: list[int], report: Progress) -> None:
    """Report the runs done as futures finish; return at the first exception (or when all
    are done) so that an error surfaces at once rather than after every other chunk."""
    pending, done_runs = set(futures), 0
    runs_of = dict(zip(map(id, futures), runs, strict=True))
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            if future.exception() is not None:
                return
            done_runs += runs_of[id(future)]
        report(done_runs)


def _distributed() -> Any:
    """The ``distributed`` module, or a ParkFlowError saying how to install it."""
    try:
        return importlib.import_module("distributed")
    except ImportError as error:
        raise ParkFlowError.single(SOURCE, "scheduler", f"Dask is not installed ({error})",
                                   DASK_FIX) from error


def connect(scheduler: object, timeout: float = CONNECT_TIMEOUT_S) -> tuple[Any, bool]:
    """A ``distributed.Client`` for ``scheduler`` (an address or a Client) and whether it was
    opened here (then the caller closes it)."""
    distributed = _distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if not isinstance(scheduler, str) or not ADDRESS.match(scheduler):
        raise ParkFlowError.single(
            SOURCE, "scheduler", f"not a scheduler address or a Dask Client: {scheduler!r}",
            "give the address the scheduler prints, e.g. --scheduler tcp://10.0.0.5:8786")
    try:
        return distributed.Client(scheduler, timeout=timeout), True
    except (OSError, TimeoutError) as error:
        raise ParkFlowError.single(
            SOURCE, "scheduler", f"cannot reach the Dask scheduler at {scheduler} within "
            f"{timeout:g} s ({type(error).__name__})",
            "start a scheduler (dask scheduler) and workers (dask worker ADDRESS), or check "
            "the address and the firewall; without --scheduler the runs use local processes",
        ) from error


def _on_dask(task: Callable[[Chunk], T], chunks: Sequence[Chunk], scheduler: object,
             report: Progress) -> list[T]:
    distributed = _distributed()
    client, opened = connect(scheduler)
    study = uuid.uuid4().hex[:8]  # keys name the tasks on the dashboard; results ignore them
    futures: list[Any] = []
    try:
        keys = [f"parkflow-{study}-chunk-{c.index}" for c in chunks]
        futures = client.map(functools.partial(_on_worker, task), list(chunks), key=keys,
                             pure=False)
        done_runs, runs_of = 0, {f.key: c.runs for f, c in zip(futures, chunks, strict=True)}
        for future in distributed.as_completed(futures):
            if future.status == "error":
                break
            done_runs += runs_of[future.key]
            report(done_runs)
        results: list[T] = client.gather(futures)
        return results
    except distributed.KilledWorker as error:
        raise ParkFlowError.single(
            SOURCE, "scheduler", f"Dask workers died running a chunk ({error})",
            "check the workers' logs and memory (dask worker --memory-limit), or run with "
            "--workers 1 to see the error") from error
    finally:
        if futures:
            client.cancel(futures)
        if opened:
            client.close()


def _on_worker(task: Callable[[Chunk], T], chunk: Chunk) -> T:
    """``task(chunk)`` on a Dask worker, keeping freed memory while it runs (:mod:`.memory`)."""
    from .memory import keep_freed_memory

    with keep_freed_memory():
        return task(chunk)
