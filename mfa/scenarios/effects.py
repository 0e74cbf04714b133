"""预期成效: the expected effects a retrofit plan must report (发改办环资〔2021〕1004号), per
project and for the plan, and the project table of the 2017 编制指南.

Every effect is a fixed linear combination of official indicators (:data:`EFFECTS`), so each
project's standalone effect and Shapley share are those of :func:`~.attribution.attribute`
combined the same way, and the Shapley shares still add up to the plan's total. Signs: a
positive effect is an improvement (a saving or reduction of an amount or an intensity, a rise
of the utilisation rate).

- 节能量 (GB/T 13234-2018 项目节能量): baseline − plan 综合能耗 in the same year, the existing
  enterprises at the same activity (the baseline's levels);
- 产值节能量 (GB/T 13234-2018): e₀ × G − E, with e₀ the baseline's base-year 单位工业增加值综合能耗,
  G and E the year's value added and energy; a project's share is e₀ × ΔG − ΔE;
- 节水量 (GB/T 34148): baseline − plan industrial fresh water;
- CO₂ 减排量: baseline − plan CO₂ emissions (the park's CO₂ scope and factors, docs/indicators.md);
- 固体废物减排量: the cut in general solid waste stored + disposed + dumped (not in generation),
  with the prior-year stock used shown on its own line;
- 废水 and pollutant reductions: baseline − plan of each discharge;
- 单位产值能耗, 单位产值用水量 (per industrial value added): their cut; 综合利用率: its rise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.indicator_defs import INDICATORS, unit_for
from ..model.park import Park
from ..plans import Plan
from .attribution import attribute
from .compare import BASELINE, scenario_values

PLAN_ROW = "plan"  # the `project` of the plan's total in the tables


@dataclass(frozen=True)
class Effect:
    """One 预期成效 item: ``Σ weight × change of indicator`` (positive = better)."""

    id: str
    name_zh: str
    name_en: str
    weights: dict[str, float]  # indicator id → weight on its change (plan − baseline)
    unit_of: str  # the indicator whose unit the effect has
    method: str


def _cut(ind_id: str) -> dict[str, float]:
    return {ind_id: -1.0}


ENERGY_BASED_ON_VALUE = "energy_saving_value_based"
EFFECTS: tuple[Effect, ...] = (
    Effect("energy_saving", "节能量", "Energy saving", _cut("energy_consumption"),
           "energy_consumption", "GB/T 13234-2018 项目节能量: baseline − plan 综合能耗, same year, "
           "existing enterprises at the baseline's activity"),
    Effect(ENERGY_BASED_ON_VALUE, "产值节能量", "Energy saving on value added", {},
           "energy_consumption", "GB/T 13234-2018 产值节能量: e₀ × ΔG − ΔE, e₀ = the base year's "
           "单位工业增加值综合能耗 of the baseline"),
    Effect("water_saving", "节水量", "Fresh-water saving", _cut("fresh_water_use"),
           "fresh_water_use", "GB/T 34148: baseline − plan industrial fresh water"),
    Effect("co2_reduction", "二氧化碳减排量", "CO₂ reduction", _cut("co2_emissions"),
           "co2_emissions", "baseline − plan CO₂ emissions (the park's scope and factors)"),
    Effect("solid_waste_reduction", "固体废物减排量", "Solid waste reduction",
           {"solid_waste_stored": -1.0, "solid_waste_disposed": -1.0,
            "solid_waste_dumped": -1.0}, "solid_waste_stored",
           "cut in general solid waste stored + disposed + dumped (not in generation)"),
    Effect("solid_waste_utilised_more", "固体废物综合利用量增加", "More solid waste utilised",
           {"solid_waste_utilised": 1.0}, "solid_waste_utilised",
           "plan − baseline general solid waste utilised (综合利用量)"),
    Effect("solid_waste_used_from_stock", "其中：利用往年贮存量", "of which prior-year stock used",
           {"solid_waste_utilised_from_stock": 1.0}, "solid_waste_utilised_from_stock",
           "rise of the prior-year stock utilised (drawn down from stockpiles)"),
    Effect("wastewater_reduction", "废水减排量", "Wastewater reduction",
           _cut("wastewater_discharged"), "wastewater_discharged",
           "baseline − plan wastewater discharged"),
    *(Effect(f"{ind}_reduction", f"{INDICATORS[ind].name_zh.removesuffix('排放量')}减排量",
             f"{INDICATORS[ind].name_en.removesuffix(' emitted')} reduction", _cut(ind), ind,
             f"baseline − plan {ind}")
      for ind in ("so2_emission", "nox_emission", "particulates_emission", "vocs_emission",
                  "cod_emission", "nh3_n_emission")),
    Effect("energy_intensity_cut", "园区单位产值能耗下降", "Cut in energy use per value added",
           _cut("energy_intensity"), "energy_intensity",
           "baseline − plan 单位工业增加值综合能耗 (per industrial value added)"),
    Effect("water_intensity_cut", "园区单位产值用水量下降", "Cut in fresh water per value added",
           _cut("fresh_water_intensity"), "fresh_water_intensity",
           "baseline − plan 单位工业增加值新鲜水耗 (per industrial value added)"),
    Effect("solid_waste_utilisation_rise", "固体废物综合利用率提高",
           "Rise of the solid waste utilisation rate", {"solid_waste_utilisation_rate": 1.0},
           "solid_waste_utilisation_rate", "plan − baseline 一般工业固体废物综合利用率 "
           "(percentage points)"),
)
EFFECT_COLUMNS = ["name_zh", "name_en", "standalone", "shapley", "shapley_se", "baseline",
                  "plan", "unit", "method", "basis"]


def expected_effects(park: Park, plan: Plan, years: list[int]) -> pd.DataFrame:
    """The 预期成效 of ``plan`` on ``park`` in each of ``years``.

    Returns
    -------
    DataFrame
        Index (year, effect, project) with a row per project and one ``plan`` row; columns
        name_zh, name_en (of the effect), standalone (the project built alone with what it
        requires; for ``plan``: the plan's total), shapley (the project's share of the
        total; for ``plan``: the total), shapley_se, baseline and plan (the underlying
        indicator in the baseline and with the whole plan: for amounts the combined amount,
        for rates and intensities the indicator itself), unit, method and basis.
    """
    years = sorted(set(years))
    shares = attribute(park, plan, years)
    base_year = park.meta.base_year
    levels = scenario_values(park, [plan], sorted({*years, base_year}))
    level_years = sorted({*years, base_year})
    e0 = _level(levels[BASELINE].values, level_years, base_year, "energy_intensity")
    rows = []
    for effect in EFFECTS:
        weights = effect.weights or {"energy_consumption": -1.0, "value_added": e0}
        for year in years:
            part = _combined(pd.DataFrame(shares.xs(year, level="year")), weights)
            baseline, planned = (_amount(levels[name].values, level_years, year, effect)
                                 for name in (BASELINE, plan.meta.id))
            common = {"year": year, "effect": effect.id, "name_zh": effect.name_zh,
                      "name_en": effect.name_en, "baseline": baseline, "plan": planned,
                      "unit": unit_for(effect.unit_of, park.meta.currency),
                      "method": effect.method, "basis": _basis(park, weights)}
            for project, values in part.iterrows():
                shares_of: dict[str, object] = {str(k): v for k, v in values.items()}
                rows.append({**common, "project": str(project), **shares_of})
            total = float(part["total"].iloc[0]) if len(part) else 0.0
            rows.append({**common, "project": PLAN_ROW, "standalone": total, "shapley": total,
                         "shapley_se": 0.0})
    table = pd.DataFrame(rows).set_index(["year", "effect", "project"])
    table.attrs.update(shares.attrs)
    return pd.DataFrame(table[EFFECT_COLUMNS])


def _combined(shares: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Σ weight × (standalone, shapley, total) over the indicators, per project; the standard
    errors of sampled shares combined as if the indicators' errors were independent (a rough
    figure: they come from the same random orders)."""
    parts = [shares.xs(ind, level="indicator")[["standalone", "shapley", "total"]] * weight
             for ind, weight in weights.items()]
    summed = sum(parts[1:], parts[0])
    errors = [shares.xs(ind, level="indicator")["shapley_se"] * abs(weight)
              for ind, weight in weights.items()]
    summed["shapley_se"] = np.sqrt(sum(e ** 2 for e in errors))
    return pd.DataFrame(summed + 0.0)  # no "-0" for a cut of nothing


def _level(values: np.ndarray, years: list[int], year: int, ind_id: str) -> float:
    from ..indicators.fast import INDICATOR_IDS

    return float(values[0, years.index(year), INDICATOR_IDS.index(ind_id)])


def _amount(values: np.ndarray, years: list[int], year: int, effect: Effect) -> float:
    """The quantity the effect changes, in a scenario: Σ of its indicators (amounts) or the
    indicator itself (rates, intensities); 综合能耗 for 产值节能量."""
    names = list(effect.weights) or ["energy_consumption"]
    return sum(_level(values, years, year, name) for name in names)


def _basis(park: Park, weights: dict[str, float]) -> str:
    keys = sorted({b for ind in weights for b in INDICATORS[ind].bases})
    return park.statistics.basis.label(tuple(keys))


def project_table(park: Park, plan: Plan, year: int) -> pd.DataFrame:
    """The 重点项目表 of the 2017 编制指南: one row per project with 名称, 建设内容及规模,
    总投资 and 年度投资, 起止年 and 达产年, 责任企业 and its expected effect (standalone,
    in ``year``).

    Money is in the plan's currency (capex total, opex per year; NaN when the plan gives
    none); ``annual_investment`` lists the capex schedule as ``year: amount`` pairs.
    """
    effects = expected_effects(park, plan, [year]).xs(year, level="year")
    rows = []
    for project in plan.projects:
        effect = effects.xs(project.id, level="project")["standalone"]
        schedule = "; ".join(f"{y}: {amount:,.0f}" for y, amount in
                             project.capex_by_year().items())
        rows.append({
            "project": project.id, "name_zh": project.spec.name_zh,
            "name_en": project.spec.name_en, "kind": project.kind_zh,
            "content": project.spec.content.strip(), "responsible": project.spec.responsible,
            "capex": project.capex.central if project.capex else np.nan,
            "annual_investment": schedule,
            "opex_per_year": project.opex.central if project.opex else np.nan,
            "currency": plan.meta.currency, "start_year": project.spec.start_year,
            "full_output_year": project.spec.full_output_year,
            "lifetime": project.spec.lifetime, "requires": ", ".join(project.spec.requires),
            **{f"{effect_id}": float(effect[effect_id]) for effect_id in PROJECT_EFFECTS}})
    return pd.DataFrame(rows).set_index("project")


# The expected effects in the project table (t, tce, m³ and percentage points, in `year`).
PROJECT_EFFECTS = ("energy_saving", "water_saving", "co2_reduction",
                   "solid_waste_utilised_more", "solid_waste_reduction",
                   "solid_waste_utilisation_rise", "so2_emission_reduction",
                   "nox_emission_reduction", "cod_emission_reduction")
