"""The hand-calculated park (tests/data/parks/hand.yaml): every number worked out on paper.

Smelter, 100 t metal/a: ore 1000 t, coal 200 t, fresh water 300 m³ in; slag 500 t, waste heat
2000 GJ out; recirculates 700 m³ of water. Cement plant, 1000 t/a: limestone 1200 t, coal
100 t, heat 500 GJ demanded.

Links in file order (all priority 10):
1. smelter → cement slag, cap 300 t, replaces limestone at 0.8 t/t: 300 t sent, limestone
   demand falls by 240 t to 960 t.
2. smelter → cement heat, 10 % loss: sends 500/0.9 = 555.6 GJ, 500 GJ arrive, 55.6 GJ lost.
3. slag_yard → cement slag, fixed 100 t, 0.8 t/t: limestone demand falls by 80 t to 880 t.
Leftovers: 200 t slag → slag_yard; 1444.4 GJ heat → environment. The market supplies ore
1000 t, coal 300 t, water 300 m³, limestone 880 t.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mfa
from mfa import Park

DATA = Path(__file__).parent / "data"

VALUE_ADDED = 100 * 10_000 + 1000 * 100  # 元: 1 万元/t metal and 100 元/t cement
PRIMARY = 1000 + 300 + 880  # t: ore + coal + limestone bought


@pytest.fixture(scope="module")
def hand_park() -> Park:
    return mfa.load_park(DATA / "parks" / "hand.yaml", mfa.load_catalogue(DATA / "flows"))


@pytest.fixture(scope="module")
def result(hand_park: Park) -> mfa.BalanceResult:
    return hand_park.balance()


def flow(result: mfa.BalanceResult, source: str, target: str, carrier: str) -> float:
    rows = result.flows[(result.flows["source"] == source) & (result.flows["target"] == target)
                        & (result.flows["carrier"] == carrier)]
    return float(rows["quantity"].sum())


def value(result: mfa.BalanceResult, indicator: str) -> float:
    return float(result.indicators().loc[(2016, indicator), "value"])


def test_links_allocate_by_priority_cap_loss_and_substitution(result: mfa.BalanceResult) -> None:
    assert flow(result, "smelter", "cement_plant", "slag") == pytest.approx(300)
    assert flow(result, "smelter", "cement_plant", "heat") == pytest.approx(500)
    assert flow(result, "slag_yard", "cement_plant", "slag") == pytest.approx(100)
    assert flow(result, "smelter", "environment", "heat") == pytest.approx(2000 - 500)
    assert flow(result, "smelter", "slag_yard", "slag") == pytest.approx(200)
    assert flow(result, "market", "cement_plant", "limestone") == pytest.approx(880)
    assert flow(result, "market", "smelter", "ore") == pytest.approx(1000)
    assert flow(result, "smelter", "market", "metal") == pytest.approx(100)


def test_link_table_reports_losses_and_binding_limits(result: mfa.BalanceResult) -> None:
    links = result.link_flows.set_index("link")
    heat = links.loc["smelter>cement_plant:heat"]
    assert heat["sent"] == pytest.approx(500 / 0.9)
    assert heat["lost"] == pytest.approx(500 / 0.9 - 500)
    assert heat["binding"] == "demand"
    assert links.loc["smelter>cement_plant:slag", "binding"] == "bound"
    assert links.loc["smelter>cement_plant:slag", "substituted"] == pytest.approx(240)


def test_stockpile_balance(result: mfa.BalanceResult) -> None:
    row = result.stockpiles.set_index("stockpile").loc["slag_yard"]
    assert (row["opening"], row["stored"], row["withdrawn_utilised"], row["closing"]) == (
        pytest.approx(1000), pytest.approx(200), pytest.approx(100), pytest.approx(1100))


def test_solid_waste_rate_counts_prior_year_stock_in_both_terms(result: mfa.BalanceResult) -> None:
    # 综合利用量 = 300 + 100 (from stock); denominator = 产生量 500 + 往年贮存量 100.
    assert value(result, "solid_waste_utilisation_rate") == pytest.approx(400 / 600 * 100)
    assert value(result, "solid_waste_generated") == pytest.approx(500)
    assert value(result, "solid_waste_utilised") == pytest.approx(400)
    assert value(result, "solid_waste_stored") == pytest.approx(200)


def test_resource_energy_water_indicators(result: mfa.BalanceResult) -> None:
    assert value(result, "value_added") == pytest.approx(VALUE_ADDED / 1e4)
    assert value(result, "primary_resource_consumption") == pytest.approx(PRIMARY)
    assert value(result, "resource_output_rate") == pytest.approx(VALUE_ADDED / PRIMARY)
    assert value(result, "resource_output_rate_index") == pytest.approx(1.0)
    assert value(result, "energy_consumption") == pytest.approx(300 * 0.7143)
    assert value(result, "energy_output_rate") == pytest.approx(110 / (300 * 0.7143))
    assert value(result, "water_reuse_rate") == pytest.approx(700 / (700 + 300) * 100)
    assert value(result, "water_output_rate") == pytest.approx(VALUE_ADDED / 300)
    # 500 GJ delivered / 2,500 GJ declared resource (GB/T 1028: the declared resource, not
    # the 2,000 GJ the file books as an output)
    assert value(result, "waste_heat_recovery_rate") == pytest.approx(20.0)
    assert value(result, "co2_fuel_combustion") == pytest.approx(300 * 1.9)


def test_targets_are_attached(result: mfa.BalanceResult) -> None:
    table = result.indicators()
    row = table.loc[(2016, "solid_waste_utilisation_rate")]
    assert row["target"] == pytest.approx(73.0)
    assert row["target_year"] == 2020


def test_per_enterprise_view(result: mfa.BalanceResult) -> None:
    table = result.indicators_by_enterprise().loc[2016]
    assert table.loc["smelter", "solid_waste_utilisation_rate"] == pytest.approx(60.0)
    assert table.loc["cement_plant", "primary_resource_consumption"] == pytest.approx(980)
    assert table.loc["smelter", "co2_fuel_combustion"] == pytest.approx(380)


def test_balance_closes(result: mfa.BalanceResult) -> None:
    result.check()


def test_year_selects_levels_and_index(hand_park: Park) -> None:
    later = hand_park.balance(2020)
    assert later.periods == [2020]
    values = later.indicators()["value"]
    base = hand_park.balance(2016).indicators()["value"]
    # The index divides by the base year's rate, solved once per park (not per balance).
    assert values[(2020, "resource_output_rate_index")] == pytest.approx(
        values[(2020, "resource_output_rate")] / base[(2016, "resource_output_rate")])


def test_graph_views(hand_park: Park, result: mfa.BalanceResult) -> None:
    structure = hand_park.graph()
    assert structure.has_edge("smelter", "cement_plant")
    assert structure.edges["smelter", "cement_plant"]["carriers"] == {"slag", "heat"}
    solved = result.graph()
    assert solved.edges["smelter", "cement_plant"]["flows"]["heat"] == pytest.approx(500)
    assert solved.nodes["slag_yard"]["kind"] == "stockpile"


def test_withdrawal_shares_are_of_the_opening_stock() -> None:
    """Two links each taking half of a yard's opening stock empty it, in any order."""
    park = {
        "park": {"id": "yard", "name_zh": "渣场", "name_en": "Yard", "base_year": 2016,
                 "price_base_year": 2016},
        "enterprises": [{"id": f"kiln{i}", "activity": {"carrier": "cement",
                                                          "capacity": "1 kt/a",
                                                          "level": "1 kt/a"},
                         "rates": {"slag": "-1 t/t"}} for i in (1, 2)],
        "links": [{"from": "yard", "to": f"kiln{i}", "carrier": "slag", "share": 0.5}
                  for i in (1, 2)],
        "boundary": [{"id": "yard", "kind": "stockpile", "carrier": "slag",
                      "opening_stock": "100 t"}],
    }
    result = mfa.park_from_dict(park, mfa.load_catalogue(DATA / "flows")).balance()
    assert result.link_flows["sent"].tolist() == [50.0, 50.0]
    assert result.stockpiles["closing"].iloc[0] == 0.0
