"""Describe a small park in Python (the same structure as a park YAML file), balance it, and
see what a chain-filling (补链) link changes.

Run: python examples/custom_park.py
"""

from __future__ import annotations

import copy
from typing import Any

import mfa

PARK: dict[str, Any] = {
    "park": {"id": "demo", "name_zh": "示例园区", "name_en": "Demo park", "base_year": 2016,
             "price_base_year": 2016},
    "enterprises": [
        {"id": "power_plant", "activity": {"carrier": "electricity", "capacity": "5000 GWh/a",
                                           "level": "4000 GWh/a"},
         "rates": {"raw_coal": "-0.43 t/MWh", "air": "-0.1 t/MWh", "fly_ash": "0.09 t/MWh",
                   "bottom_ash": "0.015 t/MWh", "fresh_water": "-2 m**3/MWh"},
         "value_added": "80 元/MWh"},
        {"id": "cement_plant", "activity": {"carrier": "cement", "capacity": "2 Mt/a",
                                            "level": "1.5 Mt/a"},
         "rates": {"limestone": "-1.2 t/t", "clay": "-0.3 t/t", "raw_coal": "-0.12 t/t",
                   "electricity": "-0.1 MWh/t"},
         "value_added": "80 元/t"},
    ],
    "boundary": [
        {"id": "ash_yard", "kind": "stockpile", "carrier": "fly_ash", "opening_stock": "5 Mt",
         "default_for": ["fly_ash"]},
        {"id": "landfill", "kind": "disposal", "default_for": ["general_solid_waste"]},
    ],
    "targets": [{"indicator": "solid_waste_utilisation_rate", "year": 2020, "value": "73 %"}],
}

ASH_TO_CEMENT = {"from": "power_plant", "to": "cement_plant", "carrier": "fly_ash",
                 "cap": "300 kt/a", "substitutes": {"carrier": "clay", "ratio": "1 t/t"}}


def rates(park: dict[str, Any]) -> tuple[float, float]:
    table = mfa.park_from_dict(park).balance().indicators().loc[2016, "value"]
    return table["solid_waste_utilisation_rate"], table["resource_output_rate"]


def main() -> None:
    before = rates(PARK)
    with_link = copy.deepcopy(PARK)
    with_link["links"] = [ASH_TO_CEMENT]
    after = rates(with_link)
    print(f"solid waste utilisation: {before[0]:.1f} % -> {after[0]:.1f} %")
    print(f"resource output rate:    {before[1]:.1f} -> {after[1]:.1f} 元/t")
    assert after[0] > before[0] and after[1] > before[1]


if __name__ == "__main__":
    main()
