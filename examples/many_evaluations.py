"""Thousands of evaluations of one park through the array engine: mfa.Evaluator.

Samples every declared coefficient range of Jiayuguan (triangular over low / central / high)
and evaluates the official indicators of each sample in batches: no pandas per sample. Shows
the spread of the solid-waste utilisation rate and of the resource output rate, the samples
flagged invalid and why, and the same numbers for one year solved directly with
``mfa.engine``: arrays in, arrays out, with the closing stock carried into the next year.

Run: python examples/many_evaluations.py [SAMPLES]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

import mfa
from mfa.engine import compile_park, solve


def triangular_samples(parameters: pd.DataFrame, size: int, seed: int = 0) -> np.ndarray:
    """``[size, P]`` values: triangular where a range is declared, central elsewhere."""
    rng = np.random.default_rng(seed)
    central = parameters["central"].to_numpy(dtype=float)
    low, high = parameters["low"].to_numpy(dtype=float), parameters["high"].to_numpy(dtype=float)
    ranged = ~np.isnan(low) & ~np.isnan(high) & (high > low)
    values = np.tile(central, (size, 1))
    values[:, ranged] = rng.triangular(low[ranged], np.clip(central, low, high)[ranged],
                                       high[ranged], (size, int(ranged.sum())))
    return values


def main(size: int = 5_000) -> None:
    park = mfa.load_park("jiayuguan")
    ev = mfa.Evaluator(park, 2016)
    table = ev.parameters
    print(f"{park.meta.id}: {len(table)} parameters in 2016, "
          f"{int(table['low'].notna().sum())} with a declared range, e.g.")
    print(table.loc[table["low"].notna(), ["central", "low", "high", "unit", "source"]]
          .head(3).to_string(max_colwidth=40))

    values = triangular_samples(table, size)
    start = time.perf_counter()
    result = ev.evaluate(values)
    seconds = time.perf_counter() - start
    valid = result[result["status"] == "ok"]
    print(f"\n{size:,} samples in {seconds:.2f} s ({size / seconds:,.0f} evaluations/s); "
          f"{len(valid):,} valid")
    for indicator in ("solid_waste_utilisation_rate", "resource_output_rate"):
        p5, p50, p95 = np.percentile(valid[indicator], [5, 50, 95])
        print(f"  {indicator:<30} p5 {p5:10.3f}  p50 {p50:10.3f}  p95 {p95:10.3f}")
    reasons = result.loc[result["status"] != "ok", "status"].str.split(":").str[0]
    if len(reasons):
        print("invalid samples, by where the invariant breaks:")
        print(reasons.value_counts().head(3).to_string())

    central = ev.evaluate(table["central"].to_numpy()[None, :]).iloc[0]
    balanced = park.balance(2016).indicators().loc[2016, "value"]
    gap = abs(central["solid_waste_utilisation_rate"] - balanced["solid_waste_utilisation_rate"])
    print(f"\ncentral sample vs park.balance(2016): utilisation rate differs by {gap:.2e} points")
    assert gap < 1e-9

    compiled = compile_park(park)  # the engine underneath: arrays in, arrays out
    first = solve(compiled, 2016)
    second = solve(compiled, 2016, stock=first.closing)  # stocks carried into the next period
    for p, node in enumerate(compiled.pile_node):
        print(f"stockpile {compiled.node_ids[node]}: {first.opening[0, p]:,.0f} → "
              f"{first.closing[0, p]:,.0f} → {second.closing[0, p]:,.0f} t")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
