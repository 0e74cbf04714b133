"""Parallel efficiency of the study runner (issue 9 part 4): 2 local processes and a 2-worker
Dask LocalCluster against 1 worker, on a CPU-bound numpy task.

    python benchmarks/bench_runner.py            # 20 chunks of about 0.5 s each
    python benchmarks/bench_runner.py --quick    # 4 chunks of about 0.05 s (tests)

The task is single-threaded numpy (sin and sort of a seeded random vector, no BLAS), repeated
until one chunk takes the wanted time on this machine (calibrated in-process first). Printed,
per mode: the wall time of `run_chunks` over every chunk and the parallel efficiency
t1 / (2 · t2), and cpu/wall: the CPU time of the chunks over their wall time (below 1 when
other sessions took the cores, so a low efficiency with a low cpu/wall is contention, not the
runner). Each call starts its own pool of local processes (counted in t2), forked from a
fork server that the first call starts (not counted: printed apart, with the pool start of a
later call, on trivial tasks); the LocalCluster is started once before timing (its start-up is
printed apart). The machine is shared, so the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import functools
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from mfa.uncertainty.runner import Chunk, chunks, run_chunks

SEED = 20250101
VECTOR = 200_000


def work(chunk: Chunk, repeats: int) -> tuple[float, float, float]:
    """``repeats`` rounds of sin and sort over a seeded vector: a checksum of the result, and
    the chunk's wall and CPU seconds (CPU < wall when other processes took the core)."""
    wall, cpu = time.perf_counter(), time.process_time()
    x = np.random.default_rng(chunk.seed).random(VECTOR)
    for _ in range(repeats):
        x = np.sort(np.sin(x * 3.0 + 1.0))
    return float(x.sum()), time.perf_counter() - wall, time.process_time() - cpu


def noop(chunk: Chunk) -> tuple[float, float, float]:
    return float(chunk.index), 0.0, 0.0


def calibrate(seconds: float) -> int:
    """Repeats of :func:`work` that take about ``seconds`` here."""
    probe = chunks(1, SEED, 1)[0]
    work(probe, 2)  # warm-up
    start = time.perf_counter()
    work(probe, 10)
    per_repeat = (time.perf_counter() - start) / 10
    return max(1, round(seconds / per_repeat))


Result = list[tuple[float, float, float]]


def timed(run: Callable[[], Result]) -> tuple[float, Result]:
    start = time.perf_counter()
    results = run()
    return time.perf_counter() - start, results


def row(mode: str, workers: int, seconds: float, t1: float, results: Result) -> str:
    """A table row; cpu/wall is the share of each chunk's time its process was on a core."""
    share = sum(r[2] for r in results) / sum(r[1] for r in results)
    return f"{mode:<18}{workers:>8}{seconds:>9.2f}{t1 / (workers * seconds):>12.2f}{share:>10.2f}"


def checksums(results: Result) -> list[float]:
    return [r[0] for r in results]


def dask_cluster() -> tuple[Any, float] | None:
    try:
        import distributed
    except ImportError:
        return None
    start = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    return cluster, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 chunks of about 0.05 s")
    args = parser.parse_args()
    count, seconds = (4, 0.05) if args.quick else (20, 0.5)
    repeats = calibrate(seconds)
    task = functools.partial(work, repeats=repeats)
    parts = chunks(count, SEED, 1)
    t1, reference = timed(lambda: run_chunks(task, parts))
    print(f"task: {count} chunks x {t1 / count:.2f} s (numpy sin + sort of {VECTOR:,} values, "
          f"{repeats} rounds, single-threaded); load average {os.getloadavg()[0]:.2f}")
    print(f"{'mode':<18}{'workers':>8}{'wall_s':>9}{'efficiency':>12}{'cpu/wall':>10}")
    print(row("in-process", 1, t1, t1, reference))
    first, _ = timed(lambda: run_chunks(noop, parts, workers=2))
    later, _ = timed(lambda: run_chunks(noop, parts, workers=2))
    t2, local = timed(lambda: run_chunks(task, parts, workers=2))
    print(row("local processes", 2, t2, t1, local))
    print(f"{'':<18}(pool start on trivial tasks: first call {first:.2f} s, with the fork "
          f"server up {later:.2f} s)")
    same = checksums(local) == checksums(reference)
    started = dask_cluster()
    if started is None:
        print("dask LocalCluster: skipped (pip install 'parkflow[dask]')")
    else:
        cluster, start_s = started
        with cluster:
            run_chunks(task, chunks(2, SEED, 1), scheduler=cluster.scheduler_address)  # warm
            td, remote = timed(lambda: run_chunks(task, parts,
                                                  scheduler=cluster.scheduler_address))
        print(row("dask LocalCluster", 2, td, t1, remote)
              + f"   (cluster start {start_s:.2f} s, not counted)")
        same = same and checksums(remote) == checksums(reference)
    print(f"same results on every mode: {same}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
