"""Quick start: balance a built-in park and read its official indicators.

Run: python examples/quickstart.py [PARK] [YEAR]
"""

from __future__ import annotations

import sys

import pandas as pd

import mfa

pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 12)
pd.set_option("display.float_format", "{:,.2f}".format)


def main(name: str = "jinchang", year: int | None = None) -> None:
    park = mfa.load_park(name)
    result = park.balance(year)
    result.check()  # every enterprise, carrier and stockpile balance closes

    table = result.indicators()
    print(f"{park.meta.name_en} ({park.meta.name_zh}), {result.periods[0]}")
    print(table[["name_en", "value", "unit", "target", "target_year"]].to_string())

    print("\nGeneral solid waste ledger per carrier (t/a):")
    ledger = result.indicators_by_carrier()
    print(ledger[ledger["class"] == "general_solid_waste"].round(1).to_string())

    print("\nStockpiles (t):")
    print(result.stockpiles[["stockpile", "opening", "stored", "withdrawn_utilised",
                             "closing"]].to_string(index=False))


if __name__ == "__main__":
    main(*(sys.argv[1:2]), *(int(y) for y in sys.argv[2:3]))
