"""Instructions a simulated year costs (issue 9), counted by valgrind's callgrind: a number
that stays put when the machine's speed does not (wall times on this kind of machine vary
by up to a half within minutes, docs/simulation.md "Speed").

    python benchmarks/count_simulate.py              # 1 and 250 runs (about 8 min)
    python benchmarks/count_simulate.py --runs 1     # one run only (about 3 min)

Each count runs the benchmark park of bench_simulate.py (100 enterprises, daily steps, random
outages, overflowing yards) for 1 and for 2 years in a fresh interpreter under callgrind;
their difference is the cost of one year of steps, without the imports and set-up. Printed:
instructions per simulated year and per run-step. Needs valgrind (Debian's package).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

CHILD = """
import sys
sys.path.insert(0, {bench!r})
import numpy as np
from bench_simulate import synthetic
from mfa.simulate.calendar import build_steps
from mfa.simulate.inputs import ScenarioInputs
from mfa.simulate.run import run_scenario
from mfa.synthetic import BASE_YEAR
runs, years = {runs}, {years}
inputs = ScenarioInputs(synthetic(100), None, BASE_YEAR + years - 1, None, runs)
run_scenario(inputs, build_steps(BASE_YEAR, BASE_YEAR + years - 1, "day"),
             np.random.default_rng(0))
"""


def instructions(runs: int, years: int) -> int:
    """Instructions callgrind collected running ``runs`` runs for ``years`` years."""
    code = CHILD.format(bench=str(Path(__file__).parent), runs=runs, years=years)
    quiet = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                 MKL_NUM_THREADS="1")  # idle BLAS threads spin: their count moves with load
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=quiet)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[1, 250],
                        help="runs on the batch axis (default: 1 and 250)")
    runs_asked = parser.parse_args().runs
    if shutil.which("valgrind") is None:
        print("valgrind not found: apt-get install valgrind")
        return
    for runs in runs_asked:
        year = instructions(runs, 2) - instructions(runs, 1)
        print(f"{runs:4d} runs: {year / 1e6:9.1f} M instructions a simulated year, "
              f"{year / (365 * runs) / 1e3:7.1f} k a run-step")


if __name__ == "__main__":
    main()
