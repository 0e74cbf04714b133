"""Regenerate the golden results of the built-in parks.

Run after a deliberate change that moves numbers, then review the diff of tests/golden/:

    python tests/golden/update.py            # every park
    python tests/golden/update.py jinchang   # one park
"""

from __future__ import annotations

import sys
from pathlib import Path

import mfa
from mfa.paths import builtin_parks

GOLDEN = Path(__file__).resolve().parent


def golden_tables(name: str) -> dict[str, object]:
    """The small tables compared by tests/test_parks.py, for one built-in park."""
    result = mfa.load_park(name).balance()
    indicators = result.indicators().reset_index()[["period", "indicator", "value", "unit"]]
    by_carrier = result.indicators_by_carrier().reset_index()
    totals = result.flows.groupby(["carrier", "unit"], as_index=False)["quantity"].sum()
    return {"indicators.csv": indicators, "waste_by_carrier.csv": by_carrier,
            "carrier_totals.csv": totals}


def main(names: list[str]) -> None:
    for name in names or list(builtin_parks()):
        folder = GOLDEN / name
        folder.mkdir(exist_ok=True)
        for file, table in golden_tables(name).items():
            table.to_csv(folder / file, index=False, float_format="%.10g")  # type: ignore[attr-defined]
        print(f"updated {folder}")


if __name__ == "__main__":
    main(sys.argv[1:])
