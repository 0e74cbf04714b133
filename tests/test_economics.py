"""Economics of a plan, checked by hand on a tiny park.

The park (base year 2020): a plant makes, from 11 t of an unpriced ore per t, 1000 t/a of a
local product ``widget`` and 10 t of a local waste ``muck`` per t, 10,000 t/a, all to the
landfill. The catalogue entries are local,
with round money: widget 100 元/t, ``brick`` 50 元/t, muck's disposal fee 20 元/t.

The one project (2021, full output at once, lifetime 10 years): a brickworks making 5000 t/a
of brick from 5000 t/a of muck (1 t/t), capex 100 万元 in 2021, opex 10 万元/a. Per year:
sales 5000 t × 50 = 250,000; avoided fee 5000 t × 20 = 100,000; net 350,000 − 100,000 opex =
250,000; 2021 also carries the capex: 250,000 − 1,000,000 = −750,000.

- NPV at 8 % to 2021: −750,000 + 250,000 × Σ_{k=1..9} 1.08^−k = −750,000 + 250,000 × 6.2468879
  = 811,721.98 元.
- IRR: −750,000 + 250,000 × a(9, r) = 0, so a(9, r) = 3; a(9, 0.30) = (1 − 1.3^−9) / 0.3 =
  3.019, a little above 3, so r is a little above 30 %: 30.24 % (NPV 0 there).
- Payback: cumulative −750k (2021), −500k, −250k, 0 (2024) → 2024.
- Cost per t waste diverted: annualised cost = 1,000,000 × 0.08 / (1 − 1.08^−10) + 100,000 =
  149,029.49 + 100,000 = 249,029.49 元/a over 5000 t → 49.806 元/t. No energy, no CO₂: NaN.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import run_cli, write_park

import mfa
from mfa.plans import load_plan, plan_from_dict
from mfa.scenarios.economics import economics, irr, project_cash_flows


def _money(value: str, kind: str = "price") -> dict[str, Any]:
    return {kind: {"value": value, "year": 2020, "source": "hand figure [A]"}}


PARK: dict[str, Any] = {
    "park": {"id": "tiny", "name_zh": "小园区", "name_en": "Tiny park", "base_year": 2020,
             "price_base_year": 2020},
    "carriers": [
        {"id": "widget", "name_zh": "产品", "name_en": "Widget", "class": "product", "unit": "t",
         **_money("100 元/t")},
        {"id": "brick", "name_zh": "砖", "name_en": "Brick", "class": "product", "unit": "t",
         **_money("50 元/t")},
        {"id": "ore", "name_zh": "矿", "name_en": "Ore (no price)",
         "class": "primary_nonmetallic_mineral", "unit": "t"},
        {"id": "muck", "name_zh": "渣", "name_en": "Muck", "class": "general_solid_waste",
         "unit": "t", **_money("20 元/t", "disposal_fee")},
    ],
    "enterprises": [{"id": "plant", "activity": {"carrier": "widget", "capacity": "1000 t/a",
                                                 "level": "1000 t/a"},
                     "rates": {"muck": "10 t/t", "ore": "-11 t/t"}, "value_added": "1000 元/t"}],
    "boundary": [{"id": "landfill", "kind": "disposal", "default_for": ["muck"]}],
}
PLAN: dict[str, Any] = {
    "plan": {"id": "tiny-bricks", "park": "tiny", "name_zh": "制砖", "name_en": "Bricks"},
    "projects": [{
        "id": "bricks", "name_zh": "渣制砖", "name_en": "Bricks from muck",
        "kind": "chain_filling", "start_year": 2021, "full_output_year": 2021,
        "capex": "100 万元", "opex": "10 万元/a", "lifetime": 10,
        "adds": {"enterprises": [{"id": "brickworks", "activity": {
            "carrier": "brick", "capacity": "5000 t/a", "level": "5000 t/a"},
            "rates": {"muck": "-1 t/t"}, "value_added": "10 元/t"}],
            "links": [{"from": "plant", "to": "brickworks", "carrier": "muck"}]}}],
}


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> mfa.Park:
    return mfa.load_park(write_park(tmp_path_factory.mktemp("tiny"), PARK))


def test_cash_flows_by_hand(park: mfa.Park) -> None:
    cash = project_cash_flows(park, plan_from_dict(PLAN)).loc["bricks"]
    assert list(cash.index) == list(range(2021, 2031))
    assert cash.loc[2021, "capex"] == pytest.approx(1e6)
    assert cash["opex"].tolist() == pytest.approx([1e5] * 10)
    assert cash["sales"].tolist() == pytest.approx([250_000] * 10)
    assert cash["avoided_fees"].tolist() == pytest.approx([100_000] * 10)
    assert cash["avoided_purchases"].tolist() == pytest.approx([0] * 10)
    assert cash["net"].tolist() == pytest.approx([-750_000] + [250_000] * 9)


def test_economics_by_hand(park: mfa.Park) -> None:
    table = economics(park, plan_from_dict(PLAN))
    row = table.loc["bricks"]
    assert row["npv"] == pytest.approx(-750_000 + 250_000 * sum(1.08 ** -k for k in range(1, 10)))
    assert row["npv"] == pytest.approx(811_721.98, abs=0.01)
    r = row["irr"]
    assert -750_000 + 250_000 * sum((1 + r) ** -k for k in range(1, 10)) == pytest.approx(
        0, abs=1e-3)
    assert r == pytest.approx(0.3024, abs=1e-4)
    assert row["payback_year"] == 2024
    assert row["savings_full"] == pytest.approx(350_000)
    assert row["waste_diverted_t"] == pytest.approx(5000)
    assert row["cost_per_t_waste"] == pytest.approx(249_029.49 / 5000, abs=1e-4)
    assert table[["cost_per_tce", "cost_per_t_co2"]].loc["bricks"].isna().all()
    assert table.loc["plan", "npv"] == pytest.approx(row["npv"])
    prices = table.attrs["prices"].set_index("carrier")
    assert prices.loc["muck", "value"] == 20 and prices.loc["muck", "kind"] == "disposal_fee"
    assert economics(park, plan_from_dict(PLAN), discount_rate=0).loc["bricks", "npv"] == (
        pytest.approx(-750_000 + 9 * 250_000))


def test_irr_without_sign_change() -> None:
    assert math.isnan(irr(np.array([-1.0, -1.0])))


def test_jinchang_end_to_end() -> None:
    table = economics(mfa.load_park("jinchang"), load_plan("jinchang-2025"))
    assert np.isfinite(table["npv"].to_numpy(dtype=float)).all()
    assert len(table) == 5 and table.attrs["discount_rate"] == 0.08


def test_cli(tmp_path: Path) -> None:
    done = run_cli("economics", "jinchang", "--plan", "jinchang-2025", "--format", "csv",
                   "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "tailings_backfill_expansion" in done.stdout
    assert (tmp_path / "out" / "prices.csv").exists()
    done = run_cli("economics", "baiyin", "--plan", "jinchang-2025", "--out", tmp_path / "no")
    assert done.returncode == 2 and "jinchang" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "no").exists()
