"""LP solve times of the optimal allocation (docs/engine.md, "Optimal allocation").

    python benchmarks/bench_optimal.py            # jinchang, synthetic 100 and 1000 enterprises
    python benchmarks/bench_optimal.py --quick    # jinchang and 30 enterprises (tests)

Prints, per park: links, LP rows, the greedy solve and the LP solve (build + HiGHS + replay)
in seconds (best of the repeats), and the solid waste each routes to enterprises.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import mfa
from mfa.engine.compiled import compile_park
from mfa.engine.greedy import solve
from mfa.engine.lp_matrices import build_lp, utilisation
from mfa.engine.optimal import solve_optimal
from mfa.io.park import park_from_dict
from mfa.synthetic import random_park


def _best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    args = parser.parse_args()
    sizes, repeats = ((30,), 1) if args.quick else ((100, 1000), 3)
    parks = [("jinchang", mfa.load_park("jinchang"))]
    parks += [(f"synthetic-{n}", park_from_dict(random_park(n, seed=1), source=f"synthetic-{n}"))
              for n in sizes]
    print(f"{'park':<16}{'links':>7}{'lp_rows':>9}{'greedy_s':>10}{'lp_s':>9}"
          f"{'greedy_t':>14}{'lp_t':>14}")
    for name, park in parks:
        compiled = compile_park(park)
        year = park.meta.base_year
        lp = build_lp(compiled, year, compiled.levels_for(year))
        greedy_s = _best(lambda c=compiled, y=year: solve(c, y), repeats)
        lp_s = _best(lambda c=compiled, y=year: solve_optimal(c, y), repeats)
        greedy_t = utilisation(compiled, solve(compiled, year).sent[0])
        lp_t = utilisation(compiled, solve_optimal(compiled, year).sent[0])
        print(f"{name:<16}{len(compiled.links.ids):>7}{lp.a_ub.shape[0]:>9}{greedy_s:>10.4f}"
              f"{lp_s:>9.4f}{greedy_t:>14.1f}{lp_t:>14.1f}")


if __name__ == "__main__":
    main()
