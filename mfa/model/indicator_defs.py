"""One table describing every indicator: id, zh/en names, unit, formula and source.

Like PyPSA's component attribute tables, this drives validation (target names), the CLI
table, CSV headers and ``docs/indicators.md``. ``{cur}`` in a unit is the park's currency
(元 for CNY).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    name_zh: str
    name_en: str
    unit: str
    formula: str
    source: str
    higher_is_better: bool | None = None


_DEFS = [
    IndicatorDef(
        "resource_output_rate", "资源产出率", "Resource output rate", "{cur}/t",
        "value added (constant prices) / primary resource consumption (t)",
        "发改环资〔2007〕1815号 and 2017 system; DOMAIN.md §1.2", True,
    ),
    IndicatorDef(
        "resource_output_rate_index", "资源产出率指数", "Resource output rate index", "",
        "resource output rate (year) / resource output rate (base year)",
        "Gansu 2018 plan indicator table: 1.00 (2016) → 1.057 (2020) → 1.1 (2025)", True,
    ),
    IndicatorDef(
        "solid_waste_utilisation_rate", "一般工业固体废物综合利用率",
        "General industrial solid waste utilisation rate", "%",
        "综合利用量 / (产生量 + 综合利用往年贮存量) × 100",
        "NBS statistical definition (DOMAIN.md §1.2)", True,
    ),
    IndicatorDef(
        "hazardous_waste_utilisation_rate", "危险废物综合利用率",
        "Hazardous waste utilisation rate", "%",
        "same form as the general solid waste rate, over hazardous-waste carriers",
        "NBS form applied to 危险废物 (DOMAIN.md §1.2)", True,
    ),
    IndicatorDef(
        "water_reuse_rate", "工业用水重复利用率", "Industrial water reuse rate", "%",
        "W_repeat / (W_repeat + W_fresh) × 100; W_repeat = recirculated + cascaded + reclaimed",
        "GB/T 7119 form [R]; DOMAIN.md §1.2", True,
    ),
    IndicatorDef(
        "waste_heat_recovery_rate", "余热余压利用率", "Waste heat and pressure recovery rate",
        "%", "waste heat/pressure delivered to users / waste heat/pressure generated × 100",
        "working definition (no single official one), DOMAIN.md §1.2", True,
    ),
    IndicatorDef(
        "energy_consumption", "综合能耗", "Comprehensive energy consumption", "tce",
        "Σ energy purchased × tce factor − Σ energy sold × tce factor (electricity 当量值)",
        "GB/T 2589-2020 [R]", False,
    ),
    IndicatorDef(
        "energy_output_rate", "能源产出率", "Energy output rate", "万{cur}/tce",
        "value added / 综合能耗", "2017 system [R]; DOMAIN.md §1.2", True,
    ),
    IndicatorDef(
        "energy_intensity", "单位工业增加值综合能耗", "Energy use per value added",
        "tce/万{cur}", "综合能耗 / value added", "HJ 274-2015 [V name]", False,
    ),
    IndicatorDef(
        "fresh_water_use", "工业用新鲜水量", "Industrial fresh water use", "m³",
        "fresh-water-class carriers drawn from the market or environment",
        "DOMAIN.md §1.2 (A.3 park annex)", False,
    ),
    IndicatorDef(
        "water_output_rate", "水资源产出率", "Water output rate", "{cur}/m³",
        "value added / industrial fresh water use", "park annex A.3 [V]; DOMAIN.md §1.2", True,
    ),
    IndicatorDef(
        "fresh_water_intensity", "单位工业增加值新鲜水耗", "Fresh water use per value added",
        "m³/万{cur}", "fresh water use / value added", "HJ 274-2015 [V name]", False,
    ),
    IndicatorDef(
        "value_added", "工业增加值", "Industrial value added", "万{cur}",
        "Σ activity level × value added per unit (constant prices)", "park file", True,
    ),
    IndicatorDef(
        "primary_resource_consumption", "主要资源消费量", "Primary resource consumption", "t",
        "Σ primary-class carriers (fossil energy, metal ores, non-metallic minerals, biomass) "
        "bought from the market or drawn from the environment", "DOMAIN.md §1.2", False,
    ),
    IndicatorDef(
        "solid_waste_generated", "一般工业固体废物产生量", "General solid waste generated", "t",
        "Σ general-solid-waste output of enterprises", "NBS balance identity", None,
    ),
    IndicatorDef(
        "solid_waste_utilised", "一般工业固体废物综合利用量", "General solid waste utilised",
        "t", "to enterprises or sold, from generators and from prior-year stock",
        "NBS balance identity", True,
    ),
    IndicatorDef(
        "solid_waste_utilised_from_stock", "其中：综合利用往年贮存量",
        "of which from prior-year stock", "t", "stockpile → enterprise or market",
        "NBS balance identity", None,
    ),
    IndicatorDef(
        "solid_waste_stored", "一般工业固体废物贮存量", "General solid waste stored", "t",
        "generator → stockpile", "NBS balance identity", False,
    ),
    IndicatorDef(
        "solid_waste_disposed", "一般工业固体废物处置量", "General solid waste disposed", "t",
        "to disposal, from generators and from prior-year stock", "NBS balance identity", None,
    ),
    IndicatorDef(
        "solid_waste_dumped", "一般工业固体废物倾倒丢弃量", "General solid waste dumped", "t",
        "generator → environment", "NBS balance identity", False,
    ),
    IndicatorDef(
        "landfill_total", "处置场接收量", "Received by disposal sites", "t",
        "all mass carriers into disposal nodes", "FlowTable", False,
    ),
    IndicatorDef(
        "stockpile_closing", "年末贮存总量", "Stockpiles at year end", "t",
        "Σ closing stock of all stockpiles", "stock balance (DOMAIN.md §1.2)", False,
    ),
    IndicatorDef(
        "co2_fuel_combustion", "化石燃料燃烧CO₂排放", "CO₂ from fuel combustion", "t",
        "Σ consumption of carriers with a CO₂ factor × factor (scope 1)",
        "carrier co2_factor (IPCC 2006 / provincial guide)", False,
    ),
    IndicatorDef(
        "co2_process", "过程CO₂排放", "CO₂ declared as process emission", "t",
        "Σ co2 emission carrier flows to the environment", "park file rates", False,
    ),
]

INDICATORS: dict[str, IndicatorDef] = {d.id: d for d in _DEFS}


def unit_for(indicator_id: str, currency: str) -> str:
    """The display unit of an indicator for a park's currency."""
    symbol = "元" if currency == "CNY" else f" {currency}"
    unit = INDICATORS[indicator_id].unit.replace("{cur}", symbol)
    return unit.replace("万 ", "10⁴ ").strip()
