"""A large fuzz run for release checks: malformed park files through load_park → balance →
indicators → check, with the outcome table of issue 12.

    python benchmarks/fuzz_run.py --files 6000 --seed 12

Exit code 1 when any file ends other than "clean ParkFlow error" or "valid and balanced";
the first failures are printed with a minimal reproducer.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz.runner import ACCEPTED, report, run, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per file")
    args = parser.parse_args()
    start = time.perf_counter()
    outcomes = list(run(args.seed, args.files, args.workers, args.time_limit))
    elapsed = time.perf_counter() - start
    print(f"{args.files:,} files, seed {args.seed}, {elapsed:.0f} s\n")
    print(table(outcomes))
    failures = [o for o in outcomes if o.outcome not in ACCEPTED]
    with tempfile.TemporaryDirectory() as folder:
        for failure in failures[:5]:
            print("\n" + report(args.seed, failure, Path(folder)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
