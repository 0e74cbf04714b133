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
    bases: tuple[str, ...] = ()  # the basis keys the value depends on (model.statistics)
    requires: tuple[str, ...] = ()  # data the park must declare, else "–" (indicators.availability)
    deprecated: str = ""  # the id to use instead, for an id kept one release


RESOURCE_BASES = ("resource_list", "ore_basis")
ENERGY_BASES = ("electricity", "feedstock_energy", "energy_media")

_DEFS = [
    IndicatorDef(
        "resource_output_rate", "资源产出率", "Resource output rate", "{cur}/t",
        "value added (constant prices) / primary resource consumption (t)",
        "发改环资〔2007〕1815号 and 2017 system; DOMAIN.md §1.2", True,
        bases=RESOURCE_BASES, requires=("value_added",),
    ),
    IndicatorDef(
        "resource_output_rate_index", "资源产出率指数", "Resource output rate index", "",
        "resource output rate (year) / resource output rate (base year)",
        "Gansu 2018 plan indicator table: 1.00 (2016) → 1.057 (2020) → 1.1 (2025)", True,
        bases=RESOURCE_BASES, requires=("value_added",),
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
        "reclaimed_water_reuse_rate", "再生水（中水）回用率", "Reclaimed water reuse rate", "%",
        "reclaimed water delivered to enterprises / wastewater treated (to treatment nodes and "
        "treatment plants, not reused directly) × 100", "HJ 274-2015 [V name]", True,
    ),
    IndicatorDef(
        "non_conventional_water_use", "非常规水源利用量", "Non-conventional water use", "m³",
        "reclaimed water and waters from non-conventional sources (mine water…) taken in by "
        "enterprises", "国家节水行动方案 (2019) 非常规水源 [R]", True,
    ),
    IndicatorDef(
        "wastewater_discharged", "废水排放量", "Wastewater discharged", "m³",
        "wastewater from enterprises to the environment or to a treatment node",
        "HJ 274-2015 [V name]", False,
    ),
    IndicatorDef(
        "waste_heat_recovery_rate", "余热利用率", "Waste heat recovery rate",
        "%", "waste heat delivered to users by the declaring enterprises / declared 余热资源量 "
        "(GB/T 1028-2018) × 100", "GB/T 1028-2018 《工业余能资源评价方法》 [R]", True,
        requires=("waste_heat_resource.heat",),
    ),
    IndicatorDef(
        "waste_pressure_recovery_rate", "余压利用率", "Waste pressure recovery rate",
        "%", "pressure energy delivered to users (TRT…) / declared 余压资源量 × 100",
        "GB/T 1028-2018 [R]", True, requires=("waste_heat_resource.pressure",),
    ),
    IndicatorDef(
        "energy_consumption", "综合能耗", "Comprehensive energy consumption", "tce",
        "energy from the market, the ground and stockpiles − energy sold or stored + waste "
        "fuels taken in (煤矸石…) [− 原料用能 when excluded]",
        "GB/T 2589-2020 [R]; 发改环资〔2022〕803号 for 原料用能 [R]", False,
        bases=ENERGY_BASES,
    ),
    IndicatorDef(
        "feedstock_energy", "原料用能", "Feedstock energy", "tce",
        "energy carriers the enterprises declare as feedstock, taken in",
        "GB/T 2589-2020; 发改环资〔2022〕803号 [R]", None, bases=("electricity",),
        requires=("feedstock",),
    ),
    IndicatorDef(
        "energy_output_rate", "能源产出率", "Energy output rate", "万{cur}/tce",
        "value added / 综合能耗", "2017 system [R]; DOMAIN.md §1.2", True,
        bases=ENERGY_BASES, requires=("value_added",),
    ),
    IndicatorDef(
        "energy_intensity", "单位工业增加值综合能耗", "Energy use per value added",
        "tce/万{cur}", "综合能耗 / value added", "HJ 274-2015 [V name]", False,
        bases=ENERGY_BASES, requires=("value_added",),
    ),
    IndicatorDef(
        "fresh_water_use", "工业用新鲜水量", "Industrial fresh water use", "m³",
        "fresh-water-class carriers drawn from the market or environment",
        "DOMAIN.md §1.2 (A.3 park annex)", False,
    ),
    IndicatorDef(
        "water_output_rate", "水资源产出率", "Water output rate", "{cur}/m³",
        "value added / industrial fresh water use", "park annex A.3 [V]; DOMAIN.md §1.2", True,
        requires=("value_added",),
    ),
    IndicatorDef(
        "fresh_water_intensity", "单位工业增加值新鲜水耗", "Fresh water use per value added",
        "m³/万{cur}", "fresh water use / value added", "HJ 274-2015 [V name]", False,
        requires=("value_added",),
    ),
    IndicatorDef(
        "land_output_rate", "单位工业用地面积工业增加值", "Value added per industrial land",
        "亿{cur}/km²", "value added / industrial land area (park.industrial_land)",
        "HJ 274-2015 [R]; 2017 编制指南 土地产出率", True,
        requires=("value_added", "industrial_land"),
    ),
    IndicatorDef(
        "value_added", "工业增加值", "Industrial value added", "万{cur}",
        "Σ activity level × value added per unit (constant prices)", "park file", True,
        requires=("value_added",),
    ),
    IndicatorDef(
        "primary_resource_consumption", "主要资源消费量", "Primary resource consumption", "t",
        "primary-class carriers on the chosen list, bought or drawn from the environment, "
        "minus those sold on unprocessed", "DOMAIN.md §1.2; review domain.md §1.2", False,
        bases=RESOURCE_BASES,
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
        "solid_waste_used_in_park", "其中：园区内利用量", "of which used inside the park", "t",
        "to enterprises of the park, from generators and stock", "FlowTable split", None,
    ),
    IndicatorDef(
        "solid_waste_sold", "其中：外售利用量", "of which sold for use outside", "t",
        "to the market, from generators and stock", "FlowTable split", None,
    ),
    IndicatorDef(
        "solid_waste_net_utilisation_rate", "一般工业固体废物净利用率",
        "Net solid waste utilisation rate", "%",
        "(综合利用量 − re-generated) / (产生量 − re-generated + 综合利用往年贮存量) × 100; "
        "re-generated: per enterprise taking waste in, min(waste in, waste out)",
        "ParkFlow (review domain.md §1.1): beside the official rate", True,
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
        "co2_direct", "直接CO₂排放", "Direct CO₂ (energy and processes)",
        "t", "co2_carbon_balance + co2_process (scope 1)",
        "IPCC 2006 Vol. 2-3 mass balance; 省级温室气体清单编制指南 [R]", False,
    ),
    IndicatorDef(
        "co2_indirect", "间接CO₂排放（净购入电热）", "Indirect CO₂ (net purchased power, heat)",
        "t", "(electricity and heat bought − sold) × the grid or heat factor of the basis's region",
        "catalogue indirect_co2 (value, year, source per region); 企业温室气体核算指南 [R]", False,
        bases=("grid",), requires=("grid",),
    ),
    IndicatorDef(
        "co2_emissions", "CO₂排放总量", "CO₂ emissions", "t",
        "co2_direct (+ co2_indirect when co2_scope=total)", "as its parts", False,
        bases=("co2_scope", "grid"),
    ),
    IndicatorDef(
        "co2_carbon_balance", "碳平衡法CO₂（能源+过程）",
        "CO₂ by carbon balance (energy and processes)", "t",
        "per enterprise: carbon in − carbon passed on, as CO₂ (wastes' carbon where taken in)",
        "carrier co2_factor (IPCC 2006 mass balance)", False,
    ),
    IndicatorDef(
        "co2_process", "过程CO₂排放", "CO₂ declared as process emission", "t",
        "Σ co2 emission carrier flows to the environment", "park file rates", False,
    ),
    IndicatorDef(
        "co2_fuel_combustion", "碳平衡法CO₂（旧编号）", "CO₂ by carbon balance (deprecated id)",
        "t",
        "= co2_carbon_balance", "deprecated: use co2_carbon_balance or co2_direct", False,
        deprecated="co2_carbon_balance",
    ),
    IndicatorDef(
        "cod_emission", "化学需氧量(COD)排放量", "COD emitted", "t",
        "Σ COD emission carrier flows from enterprises to the environment",
        "park file rates; 2021 notice 发改办环资〔2021〕1004号 asks for reductions", False,
        requires=("pollutant:cod",),
    ),
    IndicatorDef(
        "nh3_n_emission", "氨氮排放量", "NH₃-N emitted", "t",
        "Σ NH₃-N emission carrier flows from enterprises to the environment",
        "park file rates; 2021 notice 发改办环资〔2021〕1004号 asks for reductions", False,
        requires=("pollutant:nh3_n",),
    ),
    IndicatorDef(
        "so2_emission", "二氧化硫排放量", "SO₂ emitted", "t",
        "Σ SO₂ emission carrier flows from enterprises to the environment",
        "park file rates; 2021 notice 发改办环资〔2021〕1004号 asks for reductions", False,
        requires=("pollutant:so2",),
    ),
    IndicatorDef(
        "nox_emission", "氮氧化物排放量", "NOₓ emitted", "t",
        "Σ NOₓ emission carrier flows from enterprises to the environment",
        "park file rates; 2021 notice 发改办环资〔2021〕1004号 asks for reductions", False,
        requires=("pollutant:nox",),
    ),
    IndicatorDef(
        "particulates_emission", "颗粒物排放量", "Particulates emitted", "t",
        "Σ Particulates emission carrier flows from enterprises to the environment",
        "park file rates; 2021 notice 发改办环资〔2021〕1004号 asks for reductions", False,
        requires=("pollutant:particulates",),
    ),
    IndicatorDef(
        "vocs_emission", "挥发性有机物排放量", "VOCs emitted", "t",
        "Σ VOCs emission carrier flows from enterprises to the environment",
        "park file rates; 2021 notice 发改办环资〔2021〕1004号 asks for reductions", False,
        requires=("pollutant:vocs",),
    ),
]

INDICATORS: dict[str, IndicatorDef] = {d.id: d for d in _DEFS}


def unit_for(indicator_id: str, currency: str) -> str:
    """The display unit of an indicator for a park's currency."""
    symbol = "元" if currency == "CNY" else f" {currency}"
    unit = INDICATORS[indicator_id].unit.replace("{cur}", symbol)
    return unit.replace("万 ", "10⁴ ").strip()
