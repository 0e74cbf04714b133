"""Parallel efficiency of the study runner (issue 9 part 4): 2 local processes and a 2-worker
Dask LocalCluster against 1 worker, on a CPU-bound numpy task.

    python benchmarks/bench_runner.py            # 20 chunks of about 0.5 s, 3 rounds
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


def row(mode: str, workers: int, runs: list[tuple[float, Result]], t1: list[float]) -> str:
    """best and median wall time, the efficiency of each against 1 worker's, and cpu/wall
    (the share of the chunks' time their process was on a core) of the median round."""
    walls = sorted(w for w, _ in runs)
    best, median = walls[0], walls[len(walls) // 2]
    results = sorted(runs, key=lambda r: r[0])[len(runs) // 2][1]
    share = sum(r[2] for r in results) / sum(r[1] for r in results)
    t1_best, t1_median = min(t1), sorted(t1)[len(t1) // 2]
    return (f"{mode:<18}{workers:>8}{best:>8.2f}{median:>9.2f}"
            f"{t1_best / (workers * best):>10.2f}{t1_median / (workers * median):>11.2f}"
            f"{share:>10.2f}")


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
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every mode, in turn")
    args = parser.parse_args()
    count, seconds, rounds = (4, 0.05, 1) if args.quick else (20, 0.5, args.rounds)
    repeats = calibrate(seconds)
    task = functools.partial(work, repeats=repeats)
    parts = chunks(count, SEED, 1)
    first, _ = timed(lambda: run_chunks(noop, parts, workers=2))  # starts the fork server
    later, _ = timed(lambda: run_chunks(noop, parts, workers=2))
    started = dask_cluster()
    modes: dict[str, tuple[int, dict[str, Any]]] = {
        "in-process": (1, {}), "local processes": (2, {"workers": 2})}
    if started is not None:
        cluster, start_s = started
        modes["dask LocalCluster"] = (2, {"scheduler": cluster.scheduler_address})
        run_chunks(task, chunks(2, SEED, 1), scheduler=cluster.scheduler_address)  # warm
    load = os.getloadavg()[0]
    runs: dict[str, list[tuple[float, Result]]] = {mode: [] for mode in modes}
    for _ in range(rounds):  # modes in turn: a burst of load elsewhere hits every mode
        for mode, (_, options) in modes.items():
            runs[mode].append(timed(lambda options=options: run_chunks(task, parts,
                                                                       **options)))
    if started is not None:
        cluster.close()
    t1 = [wall for wall, _ in runs["in-process"]]
    print(f"task: {count} chunks x {min(t1) / count:.2f} s (numpy sin + sort of {VECTOR:,} "
          f"values, {repeats} rounds, single-threaded); {rounds} rounds of each mode in turn; "
          f"load average {load:.2f}")
    print(f"{'mode':<18}{'workers':>8}{'best_s':>8}{'median_s':>9}{'eff_best':>10}"
          f"{'eff_median':>11}{'cpu/wall':>10}   (efficiency = t1 / (2 t2))")
    for mode, (workers, _) in modes.items():
        print(row(mode, workers, runs[mode], t1))
    print(f"pool start on trivial tasks: first call {first:.2f} s, with the fork server up "
          f"{later:.2f} s")
    if started is None:
        print("dask LocalCluster: skipped (pip install 'parkflow[dask]')")
    else:
        print(f"dask LocalCluster start: {start_s:.2f} s (not counted)")
    reference = checksums(runs["in-process"][0][1])
    same = all(checksums(r) == reference for mode in runs for _, r in runs[mode])
    print(f"same results on every mode: {same}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
