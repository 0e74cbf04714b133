"""Speed of mfa.uncertainty on jinchang (2016): sampling, the trajectory frame, sensitivity.

Usage::

    python benchmarks/bench_uncertainty.py           # 1,000 runs, 10 years, Sobol n = 256
    python benchmarks/bench_uncertainty.py --quick   # small sizes (used by the tests)

Prints, for each sampling method (after one warm-up call that imports scipy.stats.qmc), the
time to draw the runs' samples of every uncertain parameter and the share of them the engine
evaluates as valid, with the time of ``Evaluator.evaluate`` on them for comparison; the time of
``trajectory`` on a long frame of runs × years × indicators × 2 scenarios; the time of a
tornado and of Sobol indices of the solid-waste utilisation rate (with the base samples the
Sobol estimate could use) and the five top-ranked parameters of each. Nothing here asserts on
time.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import mfa
from mfa import uncertainty
from mfa.indicators.fast import INDICATOR_IDS


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def _long(runs: int, years: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    keys = pd.MultiIndex.from_product([["base", "plan"], range(runs), range(2016, 2016 + years),
                                       INDICATOR_IDS], names=["scenario", "run", "year",
                                                              "indicator"])
    frame = keys.to_frame(index=False)
    frame["value"] = rng.normal(75.0, 5.0, len(frame))
    frame["status"] = "ok"
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args()
    runs, years, base = (64, 3, 16) if args.quick else (1000, 10, 256)
    park = mfa.load_park("jinchang")
    ev = mfa.Evaluator(park, 2016)
    d = int(uncertainty.uncertain_mask(ev.parameters).sum())
    print(f"jinchang 2016: {len(ev.parameters)} parameters, {d} uncertain")
    for method in uncertainty.METHODS:  # warm: imports scipy.stats.qmc (~0.5 s) once
        uncertainty.sample(ev.parameters, 4, method=method)
    for method in uncertainty.METHODS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # Sobol n not a power of two
            seconds, values = _timed(lambda m=method: uncertainty.sample(
                ev.parameters, runs, method=m, seed=1))
        eval_s, result = _timed(lambda v=values: ev.evaluate(v))
        valid = float((result["status"] == "ok").mean())
        print(f"sample {method:>6}: {runs} runs x {d} parameters in {seconds * 1e3:.1f} ms; "
              f"evaluate {eval_s * 1e3:.0f} ms; valid runs {valid:.1%}")
    long = _long(runs, years)
    seconds, frame = _timed(lambda: uncertainty.trajectory(long, park.targets, "CNY"))
    print(f"trajectory: {len(long):,} long rows -> {len(frame):,} rows in {seconds:.2f} s")
    model = uncertainty.evaluator_model(ev, ["solid_waste_utilisation_rate"])
    seconds, tornado = _timed(lambda: uncertainty.tornado(model, ev.parameters))
    print(f"tornado: {2 * d} model rows in {seconds:.2f} s")
    seconds, sobol = _timed(lambda: uncertainty.sobol(model, ev.parameters, base, seed=1))
    kept = sobol.attrs["valid_base_samples"]["solid_waste_utilisation_rate@2016"]
    print(f"sobol: n = {base}, {base * (d + 2):,} model rows in {seconds:.2f} s; "
          f"base samples with every row valid: {kept} of {base}")
    for name, table, by in (("tornado", tornado, "swing"), ("sobol", sobol, "ST")):
        top = table.head(5)
        print(f"top 5 by {by} ({name}): " + "; ".join(
            f"{p} {v:.3g}" for p, v in zip(top["parameter"], top[by], strict=True)))


if __name__ == "__main__":
    main()
