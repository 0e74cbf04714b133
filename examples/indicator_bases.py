"""One park's headline indicators on every statistical basis a reviewer may ask for.

Each basis (docs/indicators.md, "Bases") is one convention: which list of 主要资源 counts,
run-of-mine or concentrate ore, 当量值 or 等价值 electricity, feedstock energy in or out of
综合能耗, 耗能工质 in or out, direct or total CO₂. The park file sets the defaults
(`statistics:`); `mfa.balance(park, basis=...)` changes one for a run, and only the
indicators that depend on it move (their `basis` column says so).

Run: python examples/indicator_bases.py [PARK]
"""

from __future__ import annotations

import sys

import pandas as pd

import mfa
from mfa.model.statistics import CHOICES, keys

HEADLINE = ["resource_output_rate", "primary_resource_consumption", "energy_consumption",
            "energy_intensity", "feedstock_energy", "co2_emissions", "co2_indirect"]


def on_every_basis(park: mfa.Park) -> pd.DataFrame:
    """Rows: the headline indicators; columns: the park's own bases, then one other value of
    each basis key at a time."""
    columns = {"park file": _headline(mfa.balance(park))}
    own = park.statistics.basis
    for key, values in CHOICES.items():
        for value in values:
            if value != getattr(own, key):
                columns[f"{key}={value}"] = _headline(mfa.balance(park, basis={key: value}))
    return pd.DataFrame(columns)


def _headline(result: mfa.BalanceResult) -> pd.Series:
    table = result.indicators().droplevel("period")
    return table.loc[HEADLINE, "value"]


def main(name: str = "lanzhou") -> None:
    park = mfa.load_park(name)
    table = on_every_basis(park)
    print(f"{park.meta.name_en} ({park.meta.base_year}); bases of the park file: "
          f"{park.statistics.basis.label(tuple(keys()))}")
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.float_format", "{:,.4g}".format):
        print(table.T.to_string())


if __name__ == "__main__":
    main(*sys.argv[1:2])
