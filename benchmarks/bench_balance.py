"""How load, balance and indicators scale with park size, on synthetic parks.

Usage::

    python benchmarks/bench_balance.py                    # 100, 1,000 and 10,000 enterprises
    python benchmarks/bench_balance.py --sizes 50,100     # a quick run (used by the tests)

For each size it prints: the links and FlowTable rows; the time to generate the park dict
(:func:`mfa.synthetic.random_park`, not part of the engine), to load and validate it
(:func:`mfa.park_from_dict`), to balance it (median over ``--repeats`` fresh park objects, so
the compile step, cached per park, is included; ``balance_cpu`` is the same in process CPU
time, less sensitive to a busy machine; ``warm`` is a second balance of the same park, with
the compile cached) and to compute the indicators; the tracemalloc peak during one balance (a
separate run: tracing slows the code) and the process's peak RSS so far. Then the growth ratio
between the two largest sizes and the 10,000-enterprise target (balance < 1 s). Nothing here
asserts on time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import mfa
from mfa.synthetic import random_park

TARGET_SIZE, TARGET_SECONDS = 10_000, 1.0
COLUMNS = ["enterprises", "links", "flow_rows", "generate_s", "load_s", "balance_s",
           "balance_cpu_s", "warm_s", "indicators_s", "trace_peak_MiB", "maxrss_MiB"]
WIDTH = {c: max(len(c), 9) for c in COLUMNS}
HEADER = " ".join(f"{c:>{WIDTH[c]}}" for c in COLUMNS)


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def _cpu_timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and process CPU seconds (the latter less sensitive to a busy machine)."""
    cpu = time.process_time()
    wall, value = _timed(call)
    return wall, time.process_time() - cpu, value


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10  # bytes on macOS, else KiB


def measure(size: int, links: float, repeats: int, seed: int, catalogue: mfa.Catalogue
            ) -> dict[str, float]:
    """Time one park size; returns one table row."""
    generate, data = _timed(lambda: random_park(size, links, seed=seed, catalogue=catalogue))
    loads, balances, cpus, warms, indicators = [], [], [], [], []
    result: mfa.BalanceResult | None = None
    for _ in range(repeats):
        load, park = _timed(lambda: mfa.park_from_dict(data, catalogue=catalogue))
        cold, cpu, result = _cpu_timed(park.balance)
        warm, _ = _timed(park.balance)
        ind, _ = _timed(result.indicators)
        loads.append(load)
        balances.append(cold)
        cpus.append(cpu)
        warms.append(warm)
        indicators.append(ind)
    assert result is not None
    park = mfa.park_from_dict(data, catalogue=catalogue)
    tracemalloc.start()
    park.balance()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "enterprises": size, "links": len(park.links), "flow_rows": len(result.flows),
        "generate_s": generate, "load_s": statistics.median(loads),
        "balance_s": statistics.median(balances), "balance_cpu_s": statistics.median(cpus),
        "warm_s": statistics.median(warms),
        "indicators_s": statistics.median(indicators), "trace_peak_MiB": peak / 2**20,
        "maxrss_MiB": _maxrss_mib(),
    }


def _cell(column: str, value: float) -> str:
    text = f"{value:,.0f}" if column in ("enterprises", "links", "flow_rows") else f"{value:.3f}"
    return f"{text:>{WIDTH[column]}}"


def report(rows: list[dict[str, float]]) -> None:
    """Print the growth ratio between the two largest sizes and the target check."""
    if len(rows) >= 2:
        small, large = rows[-2], rows[-1]
        factor = large["enterprises"] / small["enterprises"]
        print(f"\ngrowth {large['enterprises']:,.0f} / {small['enterprises']:,.0f} enterprises "
              f"(×{factor:g} in size):")
        for column in ("load_s", "balance_s", "balance_cpu_s", "warm_s", "indicators_s"):
            ratio = large[column] / small[column] if small[column] > 0 else float("nan")
            print(f"  {column:<13} ×{ratio:.2f}  (linear: ×{factor:g})")
    for row in rows:
        if row["enterprises"] == TARGET_SIZE:
            met = "met" if row["balance_s"] < TARGET_SECONDS else "NOT met"
            print(f"\ntarget: {TARGET_SIZE:,} enterprises balanced in {row['balance_s']:.3f} s "
                  f"wall, {row['balance_cpu_s']:.3f} s CPU (target < {TARGET_SECONDS:g} s): "
                  f"{met}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated enterprise counts (default: 100,1000,10000)")
    parser.add_argument("--links", type=float, default=5.0, help="links per enterprise")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    catalogue = mfa.load_catalogue()
    print(f"ParkFlow {mfa.__version__} balance benchmark: {args.links:g} links per enterprise, "
          f"median of {args.repeats}, seed {args.seed}, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(HEADER)
    rows = []
    for size in sizes:
        row = measure(size, args.links, args.repeats, args.seed, catalogue)
        rows.append(row)
        print(" ".join(_cell(c, row[c]) for c in COLUMNS), flush=True)
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
