"""Speed of the simulation (issue 9): a synthetic 100-enterprise park, daily steps, 10 years,
with random outages and stockpiles that overflow.

    python benchmarks/bench_simulate.py            # the issue's figures and the scaling
    python benchmarks/bench_simulate.py --quick    # a small run (the tests use it)

Printed: one replication (target ≤ 2 s; the best of 3, with the 3); 1,000 replications on
the batch axis (target ≤ 60 s on the 2-core machine; in chunks of 250, in one process and in
2 local processes); how the time of one run scales with enterprises, years and replications;
the parallel efficiency (t₁ / (2 · t₂)) of 2 local processes and of a 2-worker Dask
LocalCluster.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

import mfa
from mfa.simulate import simulate
from mfa.simulate.calendar import build_steps
from mfa.simulate.inputs import ScenarioInputs
from mfa.simulate.run import run_scenario
from mfa.synthetic import BASE_YEAR, random_park


def synthetic(enterprises: int, seed: int = 1) -> mfa.Park:
    """A random park whose enterprises fail now and then and whose yards overflow."""
    data = random_park(enterprises, seed=seed)
    rng = np.random.default_rng(seed)
    for ent in data["enterprises"]:
        ent["operation"] = {"availability": float(rng.uniform(0.85, 0.98)),
                            "mttr": f"{rng.uniform(1, 5):.2f} d", "source": "benchmark"}
    for node in data["boundary"]:
        if node["kind"] == "stockpile":
            node["overflow"] = "landfill"
    return mfa.park_from_dict(data)


def timed(park: mfa.Park, years: int, runs: int, step: str = "day") -> float:
    """Seconds of ``runs`` runs on the batch axis (one engine call per step)."""
    inputs = ScenarioInputs(park, None, BASE_YEAR + years - 1, None, runs)
    steps = build_steps(BASE_YEAR, BASE_YEAR + years - 1, step)
    start = time.perf_counter()
    result = run_scenario(inputs, steps, np.random.default_rng(0))
    elapsed = time.perf_counter() - start
    assert np.isfinite(result.indicators[:, :, 0]).any()
    return elapsed


def study(park: mfa.Park, years: int, runs: int, **options: Any) -> float:
    start = time.perf_counter()
    simulate(park, first=BASE_YEAR, last=BASE_YEAR + years - 1, step="day", runs=runs,
             seed=1, **options)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run")
    quick = parser.parse_args().quick
    size, years = (20, 1) if quick else (100, 10)
    runs, chunk = (8, 4) if quick else (1000, 250)  # 250: the default chunk of 1,000 runs
    park = synthetic(size)
    print(f"synthetic park: {size} enterprises, {len(park.links)} links, daily steps, "
          f"{years} years ({len(build_steps(BASE_YEAR, BASE_YEAR + years - 1, 'day'))} steps)")
    ones = [timed(park, years, 1) for _ in range(3)]  # the machine's speed varies: best of 3
    print(f"one replication            {min(ones):8.2f} s   (target ≤ 2 s; best of "
          f"{', '.join(f'{t:.2f}' for t in ones)} s)")
    batch = timed(park, years, runs)
    print(f"{runs} replications, 1 call   {batch:8.2f} s   (target ≤ 60 s)")
    one = study(park, years, runs, chunk_size=chunk)
    two = study(park, years, runs, chunk_size=chunk, workers=2)
    print(f"{runs} replications, chunks of {chunk}: 1 process {one:.2f} s, 2 processes "
          f"{two:.2f} s (efficiency {one / (2 * two):.2f})")
    _dask(park, years, runs, chunk, one)
    _scaling(quick, years)


def _dask(park: mfa.Park, years: int, runs: int, chunk: int, one: float) -> None:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("Dask LocalCluster: skipped (pip install 'parkflow[dask]')")
        return
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        seconds = study(park, years, runs, chunk_size=chunk, scheduler=client)
    print(f"{runs} replications on a 2-worker LocalCluster: {seconds:.2f} s "
          f"(efficiency {one / (2 * seconds):.2f})")


def _scaling(quick: bool, years: int) -> None:
    sizes = (10, 20) if quick else (25, 50, 100)
    print("one replication, daily:  " + "  ".join(
        f"{n} enterprises {timed(synthetic(n), years, 1):.2f} s" for n in sizes))
    park = synthetic(sizes[-1])
    spans = (1,) if quick else (2, 5, 10)
    print("one replication, daily:  " + "  ".join(
        f"{y} years {timed(park, y, 1):.2f} s" for y in spans))
    counts = (1, 4) if quick else (1, 10, 100, 1000)
    times = {k: timed(park, 1, k) for k in counts}
    print("one year, daily:         " + "  ".join(
        f"{k} runs {t:.2f} s ({t / k * 1e3:.1f} ms/run)" for k, t in times.items()))


if __name__ == "__main__":
    main()
