"""The official indicators: the totals they are built from and their formulas.

Formulas and sources are in ``docs/indicators.md`` and :mod:`mfa.model.indicator_defs`.
Carrier classes and node kinds decide what counts where (the node-kind meanings are
:mod:`mfa.model.ledger`); no carrier is named here.
"""

from __future__ import annotations

import numpy as np

from ..model.carriers import PRIMARY_CLASSES, CarrierClass
from ..model.ledger import BOUNDARY_KINDS, NODE_KINDS, SUPPLY_KINDS, Meaning, kinds
from .registry import Totals, check_complete, indicator, ratio, total
from .totals import (
    BasisFlag,
    Declared,
    Feedstock,
    FlowSum,
    HeatResource,
    HeatUsed,
    Regenerated,
    StockMass,
    ValueAdded,
)
from .weights import POLLUTANTS

C = CarrierClass
GSW, HAZ, HEAT = (C.GENERAL_SOLID_WASTE.value, C.HAZARDOUS_WASTE.value,
                  C.WASTE_HEAT_PRESSURE.value)
WAN = 1e4  # 万: value added is shown in 10⁴ currency units
YI_PER_KM2 = 1e8 / 100  # 亿 per km² from currency per hm² (1 km² = 100 hm²)
ENTERPRISE = ("enterprise",)
NOT_EMISSION = [c.value for c in CarrierClass if c is not C.EMISSION]
# Wastes with an energy or carbon content (煤矸石) that their generator did not take in as
# such (rock in situ): counted where an enterprise takes them in, never deducted from the
# generator (issue 7, correction 2).
WASTE = [GSW, HAZ]
NOT_WASTE = [c.value for c in CarrierClass if c.value not in WASTE]
CARBON_CARRIERS = [c for c in NOT_EMISSION if c not in WASTE]
# Energy enters the enterprises from any boundary node (the market, the ground, stockpiles,
# a treatment plant's biogas) and leaves them unconsumed to the market and stockpiles.
ENERGY_FROM = BOUNDARY_KINDS
ENERGY_TO = ("market", "stockpile")


def waste_ledger(klass: str) -> dict[str, FlowSum]:
    """The NBS ledger of one class of waste, as flow sums (see DOMAIN.md §1.2).

    ``generated = (utilised_direct) + stored + (disposed_direct) + dumped``; the official
    utilised and disposed amounts add what was taken from prior-year stock.
    """
    waste = (klass,)
    return {
        "generated": FlowSum.of(waste, source=ENTERPRISE),
        "utilised_direct": FlowSum.of(waste, ENTERPRISE, kinds(Meaning.UTILISED)),
        "utilised_from_stock": FlowSum.of(waste, ("stockpile",), kinds(Meaning.UTILISED)),
        "stored": FlowSum.of(waste, ENTERPRISE, kinds(Meaning.STORED)),
        "disposed_direct": FlowSum.of(waste, ENTERPRISE, kinds(Meaning.DISPOSED)),
        "disposed_from_stock": FlowSum.of(waste, ("stockpile",), kinds(Meaning.DISPOSED)),
        "dumped": FlowSum.of(waste, ENTERPRISE, kinds(Meaning.DUMPED)),
    }


for _prefix, _klass in (("solid_waste", GSW), ("hazardous_waste", HAZ), ("heat", HEAT)):
    for _part, _sum in waste_ledger(_klass).items():
        total(f"{_prefix}_{_part}", _sum)

total("value_added", ValueAdded())
PRIMARY_INPUT = FlowSum.of([c.value for c in PRIMARY_CLASSES], SUPPLY_KINDS, ENTERPRISE,
                           weight="resource")
# 主要资源消费量 is consumption: extraction and purchases (inflow) minus primary resources that
# leave the park unprocessed (sold to the market), DOMAIN.md §7 / review domain.md §1.2.
PRIMARY_SOLD = FlowSum.of([c.value for c in PRIMARY_CLASSES], ENTERPRISE, ("market",),
                          weight="resource")
total("primary_resource_input", PRIMARY_INPUT)
total("primary_resource_sold", PRIMARY_SOLD)
# 综合能耗 (GB/T 2589): energy received from outside the enterprises, minus energy that
# leaves unconsumed, plus waste fuels wherever an enterprise takes them in.
ENERGY_IN = FlowSum.of(NOT_WASTE, ENERGY_FROM, ENTERPRISE, weight="tce")
ENERGY_OUT = FlowSum.of(NOT_WASTE, ENTERPRISE, ENERGY_TO, weight="tce")
WASTE_FUEL = FlowSum.of(WASTE, None, ENTERPRISE, weight="tce")
total("energy_in", ENERGY_IN)
total("energy_out", ENERGY_OUT)
total("waste_fuel", WASTE_FUEL)
total("feedstock", Feedstock())
# 耗能工质 count when bought (or sold) across the market: one made in the park (oxygen from the
# air) has its energy booked already, on the inputs of the plant that makes it.
total("media_bought", FlowSum.of(None, ("market",), ENTERPRISE, weight="energy_media"))
total("media_sold", FlowSum.of(None, ENTERPRISE, ("market",), weight="energy_media"))
total("fresh_water_bought", FlowSum.of([C.FRESH_WATER.value], SUPPLY_KINDS, ENTERPRISE))
# W_repeat: recirculated inside a plant, reclaimed water passed to enterprises, and
# wastewater that replaces fresh water at its receiver (series reuse).
total("water_recirculated", FlowSum.of([C.RECIRCULATED_WATER.value], ENTERPRISE, ENTERPRISE))
# Reclaimed water from a non-conventional source (treated mine water) is no repeat water.
total("water_reclaimed", FlowSum.of([C.RECLAIMED_WATER.value],
                                    [k for k in NODE_KINDS if k != "market"], ENTERPRISE,
                                    weight="repeat_water"))
total("reclaimed_reused", FlowSum.of([C.RECLAIMED_WATER.value],
                                     [k for k in NODE_KINDS if k != "market"], ENTERPRISE))
# 污水处理量: wastewater into treatment nodes and into enterprises (treatment plants), less
# wastewater that an enterprise uses directly in place of fresh water (cascaded).
total("wastewater_to_treatment", FlowSum.of([C.WASTEWATER.value], None, ("treatment",)))
total("wastewater_to_enterprises", FlowSum.of([C.WASTEWATER.value], None, ENTERPRISE))
total("non_conventional_water", FlowSum.of(None, None, ENTERPRISE,
                                           weight="non_conventional_water"))
# 废水排放量: wastewater that enterprises send out of the park's plants, to the environment
# or to a treatment node.
total("wastewater_discharged", FlowSum.of([C.WASTEWATER.value], ENTERPRISE,
                                          ("environment", "treatment")))
for _emitted in POLLUTANTS:
    total(f"emitted_{_emitted}", FlowSum.of([C.EMISSION.value], ENTERPRISE,
                                            ("environment",), weight=f"pollutant:{_emitted}"))
for _part in ("heat", "pressure"):
    total(f"{_part}_resource", HeatResource(_part))
    total(f"{_part}_used", HeatUsed(_part, FlowSum.of([HEAT], ENTERPRISE,
                                                      kinds(Meaning.UTILISED),
                                                      weight=f"waste_{_part}")))
total("industrial_land", Declared("industrial_land"))
total("solid_waste_sold", FlowSum.of([GSW], ["enterprise", "stockpile"], ("market",)))
total("solid_waste_used_in_park", FlowSum.of([GSW], ["enterprise", "stockpile"], ENTERPRISE))
total("solid_waste_regenerated", Regenerated(FlowSum.of([GSW], ["enterprise", "stockpile"],
                                                         ENTERPRISE),
                                             FlowSum.of([GSW], ENTERPRISE)))
total("water_cascaded", FlowSum.of([C.WASTEWATER.value], None, ENTERPRISE,
                                   substitutes=[C.FRESH_WATER.value]))
total("landfill", FlowSum.of(None, None, ("disposal",), weight="mass"))
# Carbon balance per enterprise: carbon in − carbon passed on, as CO₂ (IPCC 2006 Vol. 2 mass
# balance for energy transformation); exchanges between enterprises cancel, so the park total
# is carbon bought minus carbon sold, stored or disposed of. Carbon released to the
# environment in a carrier (works gas to a flare or bleeder) is not passed on: it leaves as
# CO₂ and stays charged to the enterprise (issue 7, correction 4).
# Carbon in a waste (gangue) is counted where it is taken in, not deducted from its generator,
# as its energy is (correction 2).
CARBON_IN = FlowSum.of(NOT_EMISSION, None, ENTERPRISE, weight="co2")
CARBON_OUT = FlowSum.of(CARBON_CARRIERS, ENTERPRISE,
                        [k for k in NODE_KINDS if k != "environment"], weight="co2")
total("carbon_in", CARBON_IN)
total("carbon_out", CARBON_OUT)
# Scope 2: net purchased electricity and heat × the grid (or heat) factor of the basis's region.
INDIRECT_IN = FlowSum.of(None, ("market",), ENTERPRISE, weight="co2_indirect")
INDIRECT_OUT = FlowSum.of(None, ENTERPRISE, ("market",), weight="co2_indirect")
total("indirect_in", INDIRECT_IN)
total("indirect_out", INDIRECT_OUT)
total("exclude_feedstock", BasisFlag("feedstock_energy", "exclude"))
total("scope_total", BasisFlag("co2_scope", "total"))
total("co2_emitted", FlowSum.of([C.EMISSION.value], None, ("environment",), weight="co2"))
total("stockpile_closing", StockMass())


def _utilised(t: Totals, prefix: str) -> np.ndarray:
    return t[f"{prefix}_utilised_direct"] + t[f"{prefix}_utilised_from_stock"]


def _nbs_rate(t: Totals, prefix: str) -> np.ndarray:
    """综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量) × 100."""
    from_stock = t[f"{prefix}_utilised_from_stock"]
    return 100 * ratio(_utilised(t, prefix), t[f"{prefix}_generated"] + from_stock)


def primary_consumption(t: Totals) -> np.ndarray:
    """主要资源消费量 = extraction + purchases − primary resources sold on unprocessed."""
    return t["primary_resource_input"] - t["primary_resource_sold"]


def resource_output_rate(t: Totals) -> np.ndarray:
    """资源产出率 = 增加值 / 主要资源消费量 (the fast path's base-year rate uses it too)."""
    return ratio(t["value_added"], primary_consumption(t))


@indicator("resource_output_rate", "value_added", "primary_resource_input",
           "primary_resource_sold")
def _resource_output_rate(t: Totals) -> np.ndarray:
    return resource_output_rate(t)


@indicator("resource_output_rate_index", "value_added", "primary_resource_input",
           "primary_resource_sold", "base_resource_output_rate")
def _resource_output_rate_index(t: Totals) -> np.ndarray:
    return ratio(resource_output_rate(t), t["base_resource_output_rate"])


@indicator("solid_waste_utilisation_rate", "solid_waste_generated", "solid_waste_utilised_direct",
           "solid_waste_utilised_from_stock")
def _solid_rate(t: Totals) -> np.ndarray:
    return _nbs_rate(t, "solid_waste")


@indicator("hazardous_waste_utilisation_rate", "hazardous_waste_generated",
           "hazardous_waste_utilised_direct", "hazardous_waste_utilised_from_stock")
def _hazardous_rate(t: Totals) -> np.ndarray:
    return _nbs_rate(t, "hazardous_waste")


def _repeat(t: Totals) -> np.ndarray:
    return t["water_recirculated"] + t["water_reclaimed"] + t["water_cascaded"]


@indicator("water_reuse_rate", "water_recirculated", "water_reclaimed", "water_cascaded",
           "fresh_water_bought")
def _water_reuse(t: Totals) -> np.ndarray:
    repeat = _repeat(t)
    return 100 * ratio(repeat, repeat + t["fresh_water_bought"])


@indicator("waste_heat_recovery_rate", "heat_used", "heat_resource")
def _heat_recovery(t: Totals) -> np.ndarray:
    return 100 * ratio(t["heat_used"], t["heat_resource"])


@indicator("waste_pressure_recovery_rate", "pressure_used", "pressure_resource")
def _pressure_recovery(t: Totals) -> np.ndarray:
    return 100 * ratio(t["pressure_used"], t["pressure_resource"])


def _treated(t: Totals) -> np.ndarray:
    """污水处理量: wastewater treated by treatment nodes and plants (not reused directly)."""
    return t["wastewater_to_treatment"] + t["wastewater_to_enterprises"] - t["water_cascaded"]


@indicator("reclaimed_water_reuse_rate", "reclaimed_reused", "wastewater_to_treatment",
           "wastewater_to_enterprises", "water_cascaded")
def _reclaimed_rate(t: Totals) -> np.ndarray:
    return 100 * ratio(t["reclaimed_reused"], _treated(t))


@indicator("non_conventional_water_use", "non_conventional_water")
def _non_conventional(t: Totals) -> np.ndarray:
    return t["non_conventional_water"]


@indicator("wastewater_discharged", "wastewater_discharged")
def _wastewater(t: Totals) -> np.ndarray:
    return t["wastewater_discharged"]


def energy(t: Totals) -> np.ndarray:
    """综合能耗 (GB/T 2589): energy from outside the enterprises − energy leaving unconsumed
    + waste fuels taken in − 原料用能 when the basis excludes it, tce."""
    gross = t["energy_in"] - t["energy_out"] + t["waste_fuel"] + t["media_bought"] - t[
        "media_sold"]
    return np.asarray(gross - t["exclude_feedstock"] * t["feedstock"], dtype=float)


ENERGY_NEEDS = ("energy_in", "energy_out", "waste_fuel", "media_bought", "media_sold",
                "feedstock", "exclude_feedstock")


@indicator("energy_consumption", *ENERGY_NEEDS)
def _energy_consumption(t: Totals) -> np.ndarray:
    return energy(t)


@indicator("feedstock_energy", "feedstock")
def _feedstock_energy(t: Totals) -> np.ndarray:
    return t["feedstock"]


@indicator("energy_output_rate", "value_added", *ENERGY_NEEDS)
def _energy_output_rate(t: Totals) -> np.ndarray:
    return ratio(t["value_added"] / WAN, energy(t))


@indicator("energy_intensity", "value_added", *ENERGY_NEEDS)
def _energy_intensity(t: Totals) -> np.ndarray:
    return ratio(energy(t), t["value_added"] / WAN)


@indicator("fresh_water_use", "fresh_water_bought")
def _fresh_water(t: Totals) -> np.ndarray:
    return t["fresh_water_bought"]


@indicator("water_output_rate", "value_added", "fresh_water_bought")
def _water_output_rate(t: Totals) -> np.ndarray:
    return ratio(t["value_added"], t["fresh_water_bought"])


@indicator("fresh_water_intensity", "value_added", "fresh_water_bought")
def _fresh_water_intensity(t: Totals) -> np.ndarray:
    return ratio(t["fresh_water_bought"], t["value_added"] / WAN)


@indicator("value_added", "value_added")
def _value_added(t: Totals) -> np.ndarray:
    return t["value_added"] / WAN


@indicator("primary_resource_consumption", "primary_resource_input", "primary_resource_sold")
def _primary(t: Totals) -> np.ndarray:
    return primary_consumption(t)


@indicator("solid_waste_generated", "solid_waste_generated")
def _generated(t: Totals) -> np.ndarray:
    return t["solid_waste_generated"]


@indicator("solid_waste_utilised", "solid_waste_utilised_direct",
           "solid_waste_utilised_from_stock")
def _solid_utilised(t: Totals) -> np.ndarray:
    return _utilised(t, "solid_waste")


@indicator("solid_waste_utilised_from_stock", "solid_waste_utilised_from_stock")
def _from_stock(t: Totals) -> np.ndarray:
    return t["solid_waste_utilised_from_stock"]


@indicator("solid_waste_stored", "solid_waste_stored")
def _stored(t: Totals) -> np.ndarray:
    return t["solid_waste_stored"]


@indicator("solid_waste_disposed", "solid_waste_disposed_direct", "solid_waste_disposed_from_stock")
def _disposed(t: Totals) -> np.ndarray:
    return t["solid_waste_disposed_direct"] + t["solid_waste_disposed_from_stock"]


@indicator("solid_waste_dumped", "solid_waste_dumped")
def _dumped(t: Totals) -> np.ndarray:
    return t["solid_waste_dumped"]


@indicator("landfill_total", "landfill")
def _landfill(t: Totals) -> np.ndarray:
    return t["landfill"]


@indicator("stockpile_closing", "stockpile_closing")
def _stock(t: Totals) -> np.ndarray:
    return t["stockpile_closing"]


def _carbon_balance(t: Totals) -> np.ndarray:
    return t["carbon_in"] - t["carbon_out"]


def _direct(t: Totals) -> np.ndarray:
    return _carbon_balance(t) + t["co2_emitted"]


CARBON_NEEDS = ("carbon_in", "carbon_out")


@indicator("co2_carbon_balance", *CARBON_NEEDS)
def _co2_balance(t: Totals) -> np.ndarray:
    return _carbon_balance(t)


@indicator("co2_fuel_combustion", *CARBON_NEEDS)
def _co2_fuel_combustion(t: Totals) -> np.ndarray:  # deprecated id of co2_carbon_balance
    return _carbon_balance(t)


@indicator("co2_process", "co2_emitted")
def _co2_process(t: Totals) -> np.ndarray:
    return t["co2_emitted"]


@indicator("co2_direct", *CARBON_NEEDS, "co2_emitted")
def _co2_direct(t: Totals) -> np.ndarray:
    return _direct(t)


def _indirect(t: Totals) -> np.ndarray:
    return t["indirect_in"] - t["indirect_out"]


@indicator("co2_indirect", "indirect_in", "indirect_out")
def _co2_indirect(t: Totals) -> np.ndarray:
    return _indirect(t)


@indicator("co2_emissions", *CARBON_NEEDS, "co2_emitted", "indirect_in", "indirect_out",
           "scope_total")
def _co2_emissions(t: Totals) -> np.ndarray:
    return np.asarray(_direct(t) + t["scope_total"] * _indirect(t), dtype=float)


def _register_pollutant(name: str) -> None:
    @indicator(f"{name}_emission", f"emitted_{name}")
    def _emitted(t: Totals) -> np.ndarray:
        return np.asarray(t[f"emitted_{name}"], dtype=float)


for _name in POLLUTANTS:
    _register_pollutant(_name)


@indicator("land_output_rate", "value_added", "industrial_land")
def _land_output(t: Totals) -> np.ndarray:
    return ratio(t["value_added"] / YI_PER_KM2, t["industrial_land"])


@indicator("solid_waste_used_in_park", "solid_waste_used_in_park")
def _used_in_park(t: Totals) -> np.ndarray:
    return t["solid_waste_used_in_park"]


@indicator("solid_waste_sold", "solid_waste_sold")
def _sold(t: Totals) -> np.ndarray:
    return t["solid_waste_sold"]


@indicator("solid_waste_net_utilisation_rate", "solid_waste_generated",
           "solid_waste_utilised_direct", "solid_waste_utilised_from_stock",
           "solid_waste_regenerated")
def _net_rate(t: Totals) -> np.ndarray:
    """Net of reprocessing residues: (综合利用量 − re-generated) / (产生量 − re-generated +
    综合利用往年贮存量)."""
    again = t["solid_waste_regenerated"]
    denominator = t["solid_waste_generated"] - again + t["solid_waste_utilised_from_stock"]
    return 100 * ratio(_utilised(t, "solid_waste") - again, denominator)


check_complete()
