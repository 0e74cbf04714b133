"""Speed of one ``engine.solve`` per step against the batch size K (issue 9's daily simulation).

Usage::

    python benchmarks/bench_batch.py            # parks of 10, 100, 1,000 enterprises; K to 1,000
    python benchmarks/bench_batch.py --quick    # a tiny run (used by the tests)

Each step is what a simulation does per day: one ``solve`` of a synthetic park
(``mfa.synthetic.random_park``) with the K replications on the batch axis, each with its own
activity levels and opening stocks (central × U(0.5, 1), as outages and seasons would make
them; a yearly balance repeated daily with stocks carried over would overfill the stockpiles
and time the problem messages instead). Printed per park and K: milliseconds per solve
(best of the repeats: the machine is shared), replication-steps per second, and what that
makes of issue 9's targets at 100 enterprises — one replication of 3,650 daily steps ≤ 2 s,
1,000 replications ≤ 60 s — for the solves alone. The load average is printed with the
figures; nothing here asserts on time.

``--top-pad MIB`` asks glibc (``mallopt(M_TOP_PAD)``) to keep that much freed memory instead
of returning it to the system after each solve: a solve allocates its ``[K, …]`` results
afresh, and on this machine re-faulting those pages costs about as much as the arithmetic
(compare the figures with and without; a simulation runner could set it, or
``MALLOC_TOP_PAD_`` in its workers' environment).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import ctypes
import sys
import time

import numpy as np

import mfa
from mfa.engine import CompiledPark, compile_park, solve
from mfa.io.park import park_from_dict
from mfa.synthetic import random_park

STEPS = 3_650  # ten years of days


def step_seconds(compiled: CompiledPark, size: int, repeats: int, seed: int
                 ) -> tuple[float, float]:
    """Best time of one step (``solve`` with K = ``size``) over ``repeats`` runs of a few
    steps, and the share of valid samples."""
    rng = np.random.default_rng(seed)
    year = compiled.base_year
    levels = compiled.levels_for(year) * rng.uniform(0.5, 1.0, (size, compiled.n_enterprises))
    stock = compiled.pile_opening * rng.uniform(0.5, 1.0, (size, len(compiled.pile_node)))
    steps = max(1, min(50, 2_000 // size))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            solution = solve(compiled, year, levels=levels, stock=stock)
        best = min(best, (time.perf_counter() - start) / steps)
    return best, float(solution.valid().mean())


def pad_heap(mib: int) -> bool:
    """glibc's ``mallopt(M_TOP_PAD, mib MiB)``; False where there is no glibc."""
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(-2, mib << 20))  # M_TOP_PAD
    except (OSError, AttributeError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny parks and batches")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top-pad", type=int, default=0, metavar="MIB",
                        help="keep MIB MiB of freed memory (glibc M_TOP_PAD); default: off")
    args = parser.parse_args(argv)
    padded = args.top_pad > 0 and pad_heap(args.top_pad)
    sizes, batches, repeats = ((10, 30), (1, 10), 2) if args.quick else (
        (10, 100, 1_000), (1, 10, 100, 1_000), 7)
    print(f"ParkFlow {mfa.__version__} batch benchmark, Python {sys.version.split()[0]}, "
          f"numpy {np.__version__}, load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} CPUs, malloc top pad "
          f"{f'{args.top_pad} MiB' if padded else 'off'}")
    print(f"{'enterprises':>11} {'links':>6} {'waves':>5} {'K':>6} {'ms/solve':>9} "
          f"{'rep-steps/s':>12} {'valid':>6}")
    per_step: dict[tuple[int, int], float] = {}
    for n in sizes:
        compiled = compile_park(park_from_dict(random_park(n, seed=args.seed)))
        waves = len(compiled.schedule.bounds) - 1
        for size in batches:
            seconds, valid = step_seconds(compiled, size, repeats, args.seed)
            per_step[n, size] = seconds
            print(f"{n:>11,} {len(compiled.links.ids):>6,} {waves:>5} {size:>6,} "
                  f"{seconds * 1e3:>9.3f} {size / seconds:>12,.0f} {valid:>6.0%}")
    if (100, 1) in per_step and (100, 1_000) in per_step:
        one, thousand = per_step[100, 1] * STEPS, per_step[100, 1_000] * STEPS
        print(f"\n100 enterprises, {STEPS:,} daily steps (solves only): one replication "
              f"{one:.2f} s (target ≤ 2 s), 1,000 replications at K = 1,000 {thousand:.1f} s "
              "(target ≤ 60 s on 2 cores)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
