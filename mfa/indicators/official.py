"""The official indicators: the totals they are built from and their formulas.

Formulas and sources are in ``docs/indicators.md`` and :mod:`mfa.model.indicator_defs`.
Carrier classes and node kinds decide what counts where (the node-kind meanings are
:mod:`mfa.model.ledger`); no carrier is named here.
"""

from __future__ import annotations

import numpy as np

from ..model.carriers import PRIMARY_CLASSES, CarrierClass
from ..model.ledger import NODE_KINDS, SUPPLY_KINDS, Meaning, kinds
from .registry import Totals, check_complete, indicator, ratio, total
from .totals import FlowSum, StockMass, ValueAdded

C = CarrierClass
GSW, HAZ, HEAT = (C.GENERAL_SOLID_WASTE.value, C.HAZARDOUS_WASTE.value,
                  C.WASTE_HEAT_PRESSURE.value)
WAN = 1e4  # 万: value added is shown in 10⁴ currency units
ENTERPRISE = ("enterprise",)
NOT_EMISSION = [c.value for c in CarrierClass if c is not C.EMISSION]


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
                           weight="mass")
# 主要资源消费量 is consumption: extraction and purchases (inflow) minus primary resources that
# leave the park unprocessed (sold to the market), DOMAIN.md §7 / review domain.md §1.2.
PRIMARY_SOLD = FlowSum.of([c.value for c in PRIMARY_CLASSES], ENTERPRISE, ("market",),
                          weight="mass")
total("primary_resource_input", PRIMARY_INPUT)
total("primary_resource_sold", PRIMARY_SOLD)
total("energy_bought", FlowSum.of(None, SUPPLY_KINDS, ENTERPRISE, weight="tce"))
total("energy_sold", FlowSum.of(None, ENTERPRISE, ("market",), weight="tce"))
total("fresh_water_bought", FlowSum.of([C.FRESH_WATER.value], SUPPLY_KINDS, ENTERPRISE))
# W_repeat: recirculated inside a plant, reclaimed water passed to enterprises, and
# wastewater that replaces fresh water at its receiver (series reuse).
total("water_recirculated", FlowSum.of([C.RECIRCULATED_WATER.value], ENTERPRISE, ENTERPRISE))
total("water_reclaimed", FlowSum.of([C.RECLAIMED_WATER.value],
                                    [k for k in NODE_KINDS if k != "market"], ENTERPRISE))
total("water_cascaded", FlowSum.of([C.WASTEWATER.value], None, ENTERPRISE,
                                   substitutes=[C.FRESH_WATER.value]))
total("landfill", FlowSum.of(None, None, ("disposal",), weight="mass"))
# Carbon balance per enterprise: carbon in − carbon passed on, as CO₂ (IPCC 2006 Vol. 2 mass
# balance for energy transformation); exchanges between enterprises cancel, so the park total
# is carbon bought minus carbon sold, stored or disposed of. Carbon released to the
# environment in a carrier (works gas to a flare or bleeder) is not passed on: it leaves as
# CO₂ and stays charged to the enterprise (issue 7, correction 4).
CARBON_IN = FlowSum.of(NOT_EMISSION, None, ENTERPRISE, weight="co2")
CARBON_OUT = FlowSum.of(NOT_EMISSION, ENTERPRISE,
                        [k for k in NODE_KINDS if k != "environment"], weight="co2")
total("carbon_in", CARBON_IN)
total("carbon_out", CARBON_OUT)
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


@indicator("waste_heat_recovery_rate", "heat_generated", "heat_utilised_direct",
           "heat_utilised_from_stock")
def _heat_recovery(t: Totals) -> np.ndarray:
    return 100 * ratio(_utilised(t, "heat"), t["heat_generated"])


def _energy(t: Totals) -> np.ndarray:
    """综合能耗 (GB/T 2589 form): energy bought − energy sold, tce."""
    return t["energy_bought"] - t["energy_sold"]


@indicator("energy_consumption", "energy_bought", "energy_sold")
def _energy_consumption(t: Totals) -> np.ndarray:
    return _energy(t)


@indicator("energy_output_rate", "value_added", "energy_bought", "energy_sold")
def _energy_output_rate(t: Totals) -> np.ndarray:
    return ratio(t["value_added"] / WAN, _energy(t))


@indicator("energy_intensity", "value_added", "energy_bought", "energy_sold")
def _energy_intensity(t: Totals) -> np.ndarray:
    return ratio(_energy(t), t["value_added"] / WAN)


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


@indicator("co2_fuel_combustion", "carbon_in", "carbon_out")
def _co2_balance(t: Totals) -> np.ndarray:
    return t["carbon_in"] - t["carbon_out"]


@indicator("co2_process", "co2_emitted")
def _co2_process(t: Totals) -> np.ndarray:
    return t["co2_emitted"]


check_complete()
