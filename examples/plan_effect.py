"""A retrofit plan's effect: the park without and with its plan, headline indicators side by
side for 2020 and 2025, and the plan's projects with their dates and investment.

Run: python examples/plan_effect.py [PARK] [PLAN]
"""

from __future__ import annotations

import sys

import pandas as pd

import mfa

pd.set_option("display.width", 160)
pd.set_option("display.float_format", "{:,.2f}".format)

HEADLINE = ["solid_waste_utilisation_rate", "solid_waste_net_utilisation_rate",
            "resource_output_rate_index", "solid_waste_stored", "value_added",
            "energy_consumption", "fresh_water_use", "co2_emissions"]
YEARS = (2020, 2025)


def headline(park: mfa.Park, year: int) -> pd.Series:
    table = park.balance(year).indicators().loc[year]
    return table.loc[[i for i in HEADLINE if i in table.index], "value"]


def main(name: str = "jinchang", plan_name: str = "jinchang-2025") -> None:
    park = mfa.load_park(name)
    plan = mfa.load_plan(plan_name)
    columns = {}
    for year in YEARS:
        columns[(year, "baseline")] = headline(park, year)
        columns[(year, "plan")] = headline(mfa.apply_plan(park, plan, year), year)
    table = pd.DataFrame(columns)
    units = park.balance(YEARS[0]).indicators().loc[YEARS[0], "unit"]
    table.insert(0, ("", "unit"), units.reindex(table.index))
    print(f"{park.meta.name_en}: baseline vs plan '{plan.meta.id}' ({plan.meta.name_en})")
    print(table.to_string())

    print("\nProjects:")
    rows = [{"project": p.id, "kind": f"{p.spec.kind} {p.kind_zh}",
             "start": p.spec.start_year, "达产": p.spec.full_output_year,
             "capex 亿元": p.capex.central / 1e8 if p.capex else float("nan"),
             f"share {YEARS[0]}": p.share(YEARS[0])} for p in plan.projects]
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main(*sys.argv[1:3])
