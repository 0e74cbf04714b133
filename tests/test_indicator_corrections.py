"""Indicator corrections found by the domain review (issue 7), each on a hand-calculable park."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import mfa
from mfa.io.yamlio import read_yaml

DATA = Path(__file__).parent / "data"
VALUE_ADDED = 100 * 10_000 + 1000 * 100  # 元, as in tests/test_hand_park.py


@pytest.fixture(scope="module")
def catalogue() -> mfa.Catalogue:
    return mfa.load_catalogue(DATA / "flows")


def _hand_with_quarry() -> dict[str, Any]:
    """The hand park plus a quarry that turns 500 t of bought ore into 500 t of limestone,
    which no link takes: it is sold to the market unprocessed."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"].append({
        "id": "quarry",
        "activity": {"carrier": "limestone", "capacity": "600 t/a", "level": "500 t/a"},
        "rates": {"ore": "-1 t/t"}})
    return data


def test_primary_resources_sold_unprocessed_are_not_consumed(catalogue: mfa.Catalogue) -> None:
    """主要资源消费量 = extraction + purchases − primary resources sold on unprocessed:
    bought ore 1,000 + 500 t, coal 300 t, limestone 880 t; 500 t of limestone sold raw."""
    result = mfa.park_from_dict(_hand_with_quarry(), catalogue=catalogue).balance()
    values = result.indicators().loc[2016, "value"]
    assert values["primary_resource_consumption"] == pytest.approx(1500 + 300 + 880 - 500)
    assert values["resource_output_rate"] == pytest.approx(VALUE_ADDED / 2180)
    per_enterprise = result.indicators_by_enterprise().loc[2016]
    assert per_enterprise.loc["quarry", "primary_resource_consumption"] == pytest.approx(0)
    assert per_enterprise["primary_resource_consumption"].sum() == pytest.approx(2180)


def test_fast_path_counts_consumption_too(catalogue: mfa.Catalogue) -> None:
    park = mfa.park_from_dict(_hand_with_quarry(), catalogue=catalogue)
    ev = mfa.Evaluator(park)
    row = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    assert row["resource_output_rate"] == pytest.approx(VALUE_ADDED / 2180, rel=1e-12)


def _hand_with_flare() -> dict[str, Any]:
    """The hand park plus a gasifier turning 100 t of bought coal into 100 t of fuel gas, all
    of it sent to a flare (an environment node)."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"].append({
        "id": "gasifier",
        "activity": {"carrier": "fuel_gas", "capacity": "200 t/a", "level": "100 t/a"},
        "rates": {"coal": "-1 t/t"}})
    data["boundary"].append({"id": "flare", "kind": "environment", "default_for": ["fuel_gas"]})
    return data


def test_flared_gas_is_emitted_co2(catalogue: mfa.Catalogue) -> None:
    """Carbon sent to the environment in a fuel gas leaves as CO₂ and stays charged to the
    enterprise: the gasifier emits its 100 t of coal × 1.9 t CO₂/t, not 100 × (1.9 − 1.5)."""
    hand = mfa.load_park(DATA / "parks" / "hand.yaml", catalogue).balance()
    result = mfa.park_from_dict(_hand_with_flare(), catalogue=catalogue).balance()
    before = hand.indicators().loc[2016, "value"]["co2_fuel_combustion"]
    after = result.indicators().loc[2016, "value"]["co2_fuel_combustion"]
    assert before == pytest.approx(300 * 1.9)  # the hand park's 300 t of coal
    assert after - before == pytest.approx(100 * 1.9)
    per_enterprise = result.indicators_by_enterprise().loc[(2016, "gasifier")]
    assert per_enterprise["co2_fuel_combustion"] == pytest.approx(190)
    ev = mfa.Evaluator(mfa.park_from_dict(_hand_with_flare(), catalogue=catalogue))
    row = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    assert row["co2_fuel_combustion"] == pytest.approx(after, rel=1e-12)


# --- correction 2: the energy of every fuel, whatever its source -------------------------

E0 = 300 * 0.7143  # the hand park's 综合能耗: 300 t of bought coal
C0 = 300 * 1.9


def _values(data: dict[str, Any], catalogue: mfa.Catalogue, **basis: str) -> Any:
    park = mfa.park_from_dict(data, catalogue=catalogue)
    return mfa.balance(park, basis=basis or None).indicators().loc[2016, "value"]


def _fast(data: dict[str, Any], catalogue: mfa.Catalogue, **basis: str) -> Any:
    park = mfa.park_from_dict(data, catalogue=catalogue)
    ev = mfa.Evaluator(park.with_basis(basis) if basis else park)
    return ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]


def _hand_with_gangue() -> dict[str, Any]:
    """A mine turns 100 t of rock (no energy) into 100 t of gangue (0.3 tce/t, 0.8 t CO₂/t); a
    power plant burns 50 t of it for 50 MWh, sold; the other 50 t go to a dump."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"] += [
        {"id": "mine", "activity": {"carrier": "gangue", "capacity": "200 t/a",
                                    "level": "100 t/a"}, "rates": {"rock": "-1 t/t"}},
        {"id": "power", "activity": {"carrier": "electricity", "capacity": "100 MWh/a",
                                     "level": "50 MWh/a"}, "rates": {"gangue": "-1 t/MWh"}}]
    data["links"].append({"from": "mine", "to": "power", "carrier": "gangue"})
    data["boundary"] += [{"id": "ground", "kind": "environment", "supplies": ["rock"]},
                         {"id": "dump", "kind": "stockpile", "carrier": "gangue",
                          "default_for": ["gangue"]}]
    return data


def test_gangue_burnt_is_energy_and_co2(catalogue: mfa.Catalogue) -> None:
    """综合能耗 + 50 t × 0.3 tce/t burnt − 50 MWh × 0.1229 sold; CO₂ + 50 t × 0.8; the 50 t
    dumped count for neither."""
    values = _values(_hand_with_gangue(), catalogue)
    assert values["energy_consumption"] == pytest.approx(E0 + 15 - 50 * 0.1229)
    assert values["co2_carbon_balance"] == pytest.approx(C0 + 40)
    assert values["co2_direct"] == pytest.approx(C0 + 40)
    fast = _fast(_hand_with_gangue(), catalogue)
    assert fast["energy_consumption"] == pytest.approx(values["energy_consumption"], rel=1e-12)
    assert fast["co2_direct"] == pytest.approx(C0 + 40, rel=1e-12)


def test_per_enterprise_energy_sums_to_the_park(catalogue: mfa.Catalogue) -> None:
    park = mfa.park_from_dict(_hand_with_gangue(), catalogue=catalogue)
    result = park.balance()
    per = result.indicators_by_enterprise().loc[2016]
    assert per.loc["mine", "energy_consumption"] == pytest.approx(0)  # a waste is no 外供能源
    assert per.loc["power", "energy_consumption"] == pytest.approx(15 - 50 * 0.1229)
    assert per["energy_consumption"].sum() == pytest.approx(E0 + 15 - 50 * 0.1229)
    assert per["co2_carbon_balance"].sum() == pytest.approx(C0 + 40)


def _hand_with_coal_yard() -> dict[str, Any]:
    """The cement plant takes its 100 t of coal from a coal yard instead of the market."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["boundary"].append({"id": "coal_yard", "kind": "stockpile", "carrier": "coal",
                             "opening_stock": "1000 t"})
    data["links"].append({"from": "coal_yard", "to": "cement_plant", "carrier": "coal",
                          "quantity": "100 t/a"})
    return data


def test_fuel_drawn_from_a_stockpile_is_consumed(catalogue: mfa.Catalogue) -> None:
    """Coal drawn from stock is consumed as bought coal is: 综合能耗 and CO₂ unchanged."""
    values = _values(_hand_with_coal_yard(), catalogue)
    assert values["energy_consumption"] == pytest.approx(E0)
    assert values["co2_direct"] == pytest.approx(C0)
    assert _fast(_hand_with_coal_yard(), catalogue)["energy_consumption"] == pytest.approx(E0)


# --- correction 3: the declared waste-heat resource ---------------------------------------

def test_undeclared_waste_heat_resource_is_a_dash_with_its_reason(
        catalogue: mfa.Catalogue) -> None:
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    del data["enterprises"][0]["waste_heat_resource"]
    table = mfa.park_from_dict(data, catalogue=catalogue).balance().indicators().loc[2016]
    row = table.loc["waste_heat_recovery_rate"]
    assert np.isnan(row["value"])
    assert "waste_heat_resource" in row["note"] and "GB/T 1028" in row["note"]
    assert row["quality"] == "declared"


def test_pressure_is_kept_apart_from_heat(catalogue: mfa.Catalogue) -> None:
    """The hand smelter declares heat only: the pressure rate is "–", the heat rate 20 %."""
    values = _values(copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml")), catalogue)
    assert values["waste_heat_recovery_rate"] == pytest.approx(20.0)
    assert np.isnan(values["waste_pressure_recovery_rate"])


# --- bases ---------------------------------------------------------------------------------

def test_electricity_equivalent_changes_energy_only(catalogue: mfa.Catalogue) -> None:
    calorific = _values(_hand_with_gangue(), catalogue)
    equivalent = _values(_hand_with_gangue(), catalogue, electricity="equivalent")
    assert equivalent["energy_consumption"] == pytest.approx(E0 + 15 - 50 * 0.3)
    changed = {i for i in calorific.index
               if not np.isclose(calorific[i], equivalent[i], equal_nan=True)}
    assert changed == {"energy_consumption", "energy_output_rate", "energy_intensity"}
    fast = _fast(_hand_with_gangue(), catalogue, electricity="equivalent")
    assert fast["energy_consumption"] == pytest.approx(E0 + 15 - 50 * 0.3, rel=1e-12)


def test_energy_media_adds_fresh_water_energy(catalogue: mfa.Catalogue) -> None:
    hand = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    values = _values(hand, catalogue, energy_media="include")
    assert values["energy_consumption"] == pytest.approx(E0 + 300 * 0.0001)


def test_feedstock_energy_is_shown_and_excluded_on_request(catalogue: mfa.Catalogue) -> None:
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"][1]["feedstock"] = ["coal"]  # the cement plant's 100 t of coal
    included = _values(data, catalogue)
    excluded = _values(data, catalogue, feedstock_energy="exclude")
    assert included["feedstock_energy"] == pytest.approx(100 * 0.7143)
    assert included["energy_consumption"] == pytest.approx(E0)
    assert excluded["energy_consumption"] == pytest.approx(E0 - 100 * 0.7143)
    assert excluded["feedstock_energy"] == pytest.approx(100 * 0.7143)
    fast = _fast(data, catalogue, feedstock_energy="exclude")
    assert fast["energy_consumption"] == pytest.approx(E0 - 100 * 0.7143, rel=1e-12)


def _hand_with_rom_ore_and_sand() -> dict[str, Any]:
    """The smelter buys run-of-mine ore (0.2 t concentrate/t) instead of ore; the cement
    plant also buys 100 t of sand (on the 2007 list only)."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    rates = data["enterprises"][0]["rates"]
    rates["rom_ore"] = rates.pop("ore")
    data["enterprises"][1]["rates"]["sand"] = "-0.1 t/t"
    return data


@pytest.mark.parametrize(("basis", "primary"), [
    ({}, 1000 + 300 + 880 + 100),
    ({"ore_basis": "concentrate"}, 200 + 300 + 880 + 100),
    ({"resource_list": "2017"}, 1000 + 300 + 880),
    ({"resource_list": "2017", "ore_basis": "concentrate"}, 200 + 300 + 880),
])
def test_resource_bases(catalogue: mfa.Catalogue, basis: dict[str, str], primary: float) -> None:
    values = _values(_hand_with_rom_ore_and_sand(), catalogue, **basis)
    assert values["primary_resource_consumption"] == pytest.approx(primary)
    assert values["resource_output_rate"] == pytest.approx(VALUE_ADDED / primary)
    assert values["resource_output_rate_index"] == pytest.approx(1.0)  # same basis both years
    fast = _fast(_hand_with_rom_ore_and_sand(), catalogue, **basis)
    assert fast["resource_output_rate"] == pytest.approx(VALUE_ADDED / primary, rel=1e-12)


def test_indirect_co2_and_the_scope(catalogue: mfa.Catalogue) -> None:
    """50 MWh sold, none bought: indirect = −50 × 0.6 (national) or −50 × 0.5 (northwest)."""
    values = _values(_hand_with_gangue(), catalogue)
    assert values["co2_indirect"] == pytest.approx(-30)
    assert values["co2_emissions"] == pytest.approx(C0 + 40)
    total = _values(_hand_with_gangue(), catalogue, co2_scope="total", grid="northwest")
    assert total["co2_indirect"] == pytest.approx(-25)
    assert total["co2_emissions"] == pytest.approx(C0 + 40 - 25)


def test_basis_and_quality_columns(catalogue: mfa.Catalogue) -> None:
    park = mfa.park_from_dict(_hand_with_gangue(), catalogue=catalogue)
    table = mfa.balance(park, basis={"electricity": "equivalent"}).indicators().loc[2016]
    assert table.loc["energy_consumption", "basis"] == (
        "electricity=equivalent; feedstock_energy=include; energy_media=exclude")
    assert table.loc["resource_output_rate", "basis"] == "resource_list=2007; ore_basis=gross"
    assert table.loc["solid_waste_utilisation_rate", "basis"] == ""
    assert table.loc["water_reuse_rate", "quality"] == "assumed"  # declared recirculation
    assert table.loc["solid_waste_utilisation_rate", "quality"] == "modelled"
    assert table.loc["co2_fuel_combustion", "note"] == "deprecated id: use co2_carbon_balance"


def test_a_bad_basis_is_refused(catalogue: mfa.Catalogue) -> None:
    park = mfa.load_park(DATA / "parks" / "hand.yaml", catalogue)
    with pytest.raises(ValueError, match="electricity takes calorific or equivalent"):
        park.with_basis(["electricity=both"])
    with pytest.raises(ValueError, match="regions are national, northwest"):
        park.with_basis({"grid": "mars"})
    with pytest.raises(ValueError, match="not key=value"):
        park.with_basis(["electricity"])


def test_the_park_file_sets_the_basis(catalogue: mfa.Catalogue) -> None:
    data = _hand_with_gangue()
    data["statistics"] = {"electricity": "equivalent", "grid": "northwest"}
    values = _values(data, catalogue)
    assert values["energy_consumption"] == pytest.approx(E0 + 15 - 50 * 0.3)
    assert values["co2_indirect"] == pytest.approx(-25)


# --- missing data, land, pollutants, net utilisation, water ---------------------------------

def test_missing_value_added_is_a_dash_never_zero(catalogue: mfa.Catalogue) -> None:
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    for ent in data["enterprises"]:
        ent.pop("value_added", None)
    table = mfa.park_from_dict(data, catalogue=catalogue).balance().indicators().loc[2016]
    for ind in ("resource_output_rate", "energy_intensity", "value_added", "land_output_rate"):
        assert np.isnan(table.loc[ind, "value"]), ind
    assert table.loc["resource_output_rate", "note"] == "no enterprise declares value_added"


def test_land_output_rate(catalogue: mfa.Catalogue) -> None:
    """1.1 × 10⁶ 元 on 2 hm² = 0.011 亿元 / 0.02 km² = 0.55 亿元/km²."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["park"]["industrial_land"] = {"value": "2 hm**2", "source": "test"}
    assert _values(data, catalogue)["land_output_rate"] == pytest.approx(0.55)
    assert _fast(data, catalogue)["land_output_rate"] == pytest.approx(0.55, rel=1e-12)


def test_pollutants_counted_where_declared_and_dash_elsewhere(catalogue: mfa.Catalogue) -> None:
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"][0]["rates"]["so2"] = "0.01 t/t"  # 100 t metal → 1 t SO₂
    data["enterprises"][0]["rates"]["air"] = "-0.01 t/t"
    result = mfa.park_from_dict(data, catalogue=catalogue).balance()
    values = result.indicators().loc[2016, "value"]
    assert values["so2_emission"] == pytest.approx(1.0)
    assert np.isnan(values["cod_emission"]) and np.isnan(values["nox_emission"])
    assert result.indicators_by_enterprise().loc[(2016, "smelter"), "so2_emission"] == 1.0


def test_net_utilisation_and_the_back_to_storage_flag(catalogue: mfa.Catalogue) -> None:
    """The cement plant takes 400 t of slag and puts out 380 t of ash to a yard: officially
    400 / (500 + 380 + 100) utilised; net (400 − 380) / (880 − 380 + 100)."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"][1]["rates"]["ash"] = "0.38 t/t"
    data["enterprises"][1]["rates"]["air"] = "-0.38 t/t"  # mass from the kiln's air
    data["boundary"].append({"id": "ash_yard", "kind": "stockpile", "carrier": "ash",
                             "default_for": ["ash"]})
    result = mfa.park_from_dict(data, catalogue=catalogue).balance()
    values = result.indicators().loc[2016, "value"]
    assert values["solid_waste_utilisation_rate"] == pytest.approx(400 / 980 * 100)
    assert values["solid_waste_net_utilisation_rate"] == pytest.approx(20 / 600 * 100)
    assert values["solid_waste_used_in_park"] == pytest.approx(400)
    assert values["solid_waste_sold"] == pytest.approx(0)
    assert any("cement_plant" in n and "95.0%" in n for n in result.notes)
    fast = _fast(data, catalogue)
    assert fast["solid_waste_net_utilisation_rate"] == pytest.approx(20 / 6, rel=1e-12)


def test_mine_water_is_non_conventional_not_repeat_water(catalogue: mfa.Catalogue) -> None:
    """A plant treats 100 m³ of wastewater (drawn from a mine) into 100 m³ of mine water that
    replaces the smelter's fresh water: no repeat water, 100 m³ of 非常规水源."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"].append({
        "id": "mine_water_plant", "activity": {"carrier": "mine_water", "capacity": "200 m**3/a",
                                               "level": "100 m**3/a"},
        "rates": {"wastewater": "-1 m**3/m**3"}})
    data["boundary"].append({"id": "aquifer", "kind": "environment", "supplies": ["wastewater"]})
    data["links"].append({"from": "mine_water_plant", "to": "smelter", "carrier": "mine_water",
                          "substitutes": {"carrier": "fresh_water", "ratio": "1 m**3/m**3"}})
    values = _values(data, catalogue)
    assert values["fresh_water_use"] == pytest.approx(200)
    assert values["water_reuse_rate"] == pytest.approx(700 / (700 + 200) * 100)
    assert values["non_conventional_water_use"] == pytest.approx(100)
    assert values["reclaimed_water_reuse_rate"] == pytest.approx(100.0)  # 100 of 100 treated
