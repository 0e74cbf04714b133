"""Sections 1–3 of the report: summary, the park (基本情况), indicators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..model.indicator_defs import INDICATORS, unit_for
from ..units import display_unit
from .assessment import Assessment
from .blocks import Block, Cell, Figure, Heading, Paragraph, Section, Table, fmt, money
from .figures import network_figure, sankey_figures, saved
from .strings import text

# The four groups of the 2017 编制指南 (DOMAIN.md §9), then the other quantities.
GROUPS: dict[str, tuple[str, ...]] = {
    "g_output": ("resource_output_rate", "resource_output_rate_index", "energy_output_rate",
                 "water_output_rate", "land_output_rate"),
    "g_consumption": ("energy_consumption", "energy_intensity", "fresh_water_use",
                      "fresh_water_intensity", "primary_resource_consumption",
                      "feedstock_energy"),
    "g_utilisation": ("solid_waste_utilisation_rate", "solid_waste_net_utilisation_rate",
                      "hazardous_waste_utilisation_rate", "water_reuse_rate",
                      "reclaimed_water_reuse_rate", "non_conventional_water_use",
                      "waste_heat_recovery_rate", "waste_pressure_recovery_rate",
                      "solid_waste_utilised", "solid_waste_utilised_from_stock"),
    "g_discharge": ("solid_waste_disposed", "solid_waste_stored", "solid_waste_dumped",
                    "landfill_total", "wastewater_discharged", "cod_emission",
                    "nh3_n_emission", "so2_emission", "nox_emission", "particulates_emission",
                    "vocs_emission", "co2_emissions", "co2_direct", "co2_indirect"),
    "g_other": ("value_added", "solid_waste_generated", "solid_waste_used_in_park",
                "solid_waste_sold", "stockpile_closing", "co2_carbon_balance", "co2_process"),
}


def name_of(ind_id: str, lang: str) -> str:
    definition = INDICATORS[ind_id]
    return definition.name_zh if lang == "zh" else definition.name_en


def status_cell(met: object, words: dict[str, str]) -> Cell:
    if met is None or met is pd.NA or pd.isna(met):  # type: ignore[call-overload]
        return ""
    return (words["met"], "met") if bool(met) else (words["not_met"], "notmet")


def _value(a: Assessment, scenario: str, year: int, ind_id: str, column: str = "value"
           ) -> object:
    return a.compare.at[(scenario, year, ind_id), column]


def summary(a: Assessment, lang: str) -> Section:
    words = text(lang)
    blocks: list[Block] = []
    if a.plan is None:
        blocks.append(Paragraph(words["no_plan"]))
    blocks += _targets(a, lang)
    if a.economics is not None:
        blocks.append(_cost(a, lang))
    if a.effects is not None:
        blocks.append(_main_effects(a, lang))
    return Section("summary", words["s_summary"], blocks)


def _probabilities(a: Assessment) -> dict[tuple[int, str], float]:
    if a.trajectory is None:
        return {}
    rows = a.trajectory[a.trajectory["scenario"] == a.scenario]
    return {(int(r.year), str(r.indicator)): float(r.probability)  # type: ignore[arg-type]
            for r in rows.itertuples(index=False)}


def _targets(a: Assessment, lang: str) -> list[Block]:
    from ..scenarios.compare import BASELINE

    words = text(lang)
    targets = [t for t in a.park.targets if t.year in a.years]
    if not targets:
        return [Heading(words["targets_title"]), Paragraph(words["no_targets"])]
    odds = _probabilities(a)
    columns = [words["indicator"], words["unit"], words["target_year"], words["target"],
               words["baseline"]] + ([words["with_plan"]] if a.plan else []) + [words["status"]]
    if odds:
        columns.append(words["probability"])
    rows: list[list[Cell]] = []
    raw = []
    counts: dict[int, list[int]] = {}
    for t in sorted(targets, key=lambda t: (t.year, t.indicator)):
        higher = INDICATORS[t.indicator].higher_is_better is not False
        met = _value(a, a.scenario, t.year, t.indicator, "met")
        shown = fmt(_value(a, a.scenario, t.year, t.indicator))
        unit = display_unit(unit_for(t.indicator, a.park.meta.currency), lang)
        row: list[Cell] = [name_of(t.indicator, lang), unit,
                           str(t.year), ("≥ " if higher else "≤ ") + fmt(t.value),
                           fmt(_value(a, BASELINE, t.year, t.indicator))]
        if a.plan:
            row.append(shown)
        row.append(status_cell(met, words))
        probability = odds.get((t.year, t.indicator))
        if odds:
            row.append("–" if probability is None else f"{probability:.1%}")
        rows.append(row)
        raw.append({"indicator": t.indicator, "year": t.year, "target": t.value,
                    "baseline": _value(a, BASELINE, t.year, t.indicator),
                    "value": _value(a, a.scenario, t.year, t.indicator),
                    "met": met, "probability": probability, "source": t.source})
        if not pd.isna(met):  # type: ignore[call-overload]
            counts.setdefault(t.year, [0, 0])
            counts[t.year][0] += int(bool(met))
            counts[t.year][1] += 1
    lines = " ".join(words["summary_counts"].format(year=y, met=m, total=n)
                     for y, (m, n) in sorted(counts.items()))
    table = Table("targets", words["targets_title"], columns, rows, pd.DataFrame(raw),
                  [False, False, True, True, True, *([True] if a.plan else []), False,
                   *([True] if odds else [])])
    return [Heading(words["targets_title"]), Paragraph(lines), table]


def _cost(a: Assessment, lang: str) -> Table:
    words = text(lang)
    assert a.economics is not None
    row = a.economics.loc["plan"]
    currency = str(a.economics.attrs["currency"])
    items = [("capex", money(row["capex"], currency, lang)),
             ("opex_full", money(row["opex_full"], currency, lang)),
             ("savings_full", money(row["savings_full"], currency, lang)),
             ("npv", money(row["npv"], currency, lang)),
             ("irr", "–" if pd.isna(row["irr"]) else f"{float(row['irr']):.1%}"),
             ("payback_year", fmt(row["payback_year"]) .replace(",", ""))]
    rate = f"{float(a.economics.attrs['discount_rate']):.1%}"
    frame = pd.DataFrame({"item": [k for k, _ in items],
                          "value": [row[k] for k, _ in items]})
    return Table("plan_cost", f"{words['cost_title']} ({rate})",
                 [words["item"], words["value"]], [[words[k], v] for k, v in items], frame,
                 [False, True])


def _main_effects(a: Assessment, lang: str) -> Table:
    from ..scenarios.effects import PLAN_ROW

    words = text(lang)
    assert a.effects is not None
    year = max(a.years)
    part = a.effects.xs((year, PLAN_ROW), level=("year", "project"))
    part = part[part["shapley"].astype(float).abs() > 1e-9]
    pick = "name_zh" if lang == "zh" else "name_en"
    rows: list[list[Cell]] = [[str(r[pick]), fmt(r["shapley"]), display_unit(str(r["unit"]), lang)]
                              for _, r in part.iterrows()]
    frame = part.reset_index()[["effect", "name_zh", "name_en", "shapley", "unit"]]
    return Table("main_effects", words["main_effects_title"].format(year=year),
                 [words["effect"], words["amount"], words["unit"]], rows,
                 frame.rename(columns={"shapley": "effect_total"}), [False, True, False])


def park_section(a: Assessment, lang: str, figures: Path) -> Section:
    words = text(lang)
    park, meta = a.park, a.park.meta
    pick = "name_zh" if lang == "zh" else "name_en"
    profile = [(words["province"], meta.province), (words["base_year"], str(meta.base_year)),
               (words["currency"], meta.currency),
               (words["n_enterprises"], str(len(park.enterprises))),
               (words["n_links"], str(len(park.links)))]
    blocks: list[Block] = [Heading(words["park_profile"]), Paragraph(meta.description),
                           Table("profile", words["park_profile"],
                                 [words["item"], words["value"]],
                                 [[k, v] for k, v in profile],
                                 pd.DataFrame(profile, columns=["item", "value"]),
                                 [False, False])]
    units = {c.id: c.unit for c in park.catalogue.carriers}
    va_unit = display_unit(unit_for("value_added", meta.currency), lang)
    rows: list[list[Cell]] = []
    raw = []
    for ent in park.enterprises:
        reference = park.catalogue[ent.reference] if ent.reference in park.catalogue else None  # noqa: SIM401
        ref_name = getattr(reference, pick, None) or ent.reference
        unit = display_unit(units.get(ent.reference, ""), lang)
        rows.append([ent.id, getattr(ent, pick) or ent.id, ent.sector, ref_name,
                     f"{fmt(ent.capacity)} {unit}".strip(), fmt(ent.value_added)])
        raw.append({"id": ent.id, "name_zh": ent.name_zh, "name_en": ent.name_en,
                    "sector": ent.sector, "reference": ent.reference,
                    "capacity": ent.capacity, "capacity_unit": unit,
                    "value_added": ent.value_added, "value_added_unit": va_unit})
    blocks += [Heading(words["enterprises_title"]),
               Table("enterprises", words["enterprises_title"],
                     [words["id"], words["enterprise"], words["sector"], words["reference"],
                      words["capacity"], f"{words['value_added']} ({va_unit})"], rows,
                     pd.DataFrame(raw), [False, False, False, False, True, True],
                     small=len(rows) > 25)]
    blocks += [Heading(words["network_title"]), network_figure(park, lang, figures)]
    sankeys: list[Figure] = sankey_figures(a.base, lang, figures)
    blocks += sankeys
    return Section("park", words["s_park"], blocks)


def indicator_section(a: Assessment, lang: str, figures: Path) -> Section:
    words = text(lang)
    blocks: list[Block] = [Paragraph(words["indicators_intro"])]
    base_year = a.park.meta.base_year
    currency = a.park.meta.currency
    columns = [words["indicator"], words["unit"], f"{words['base_year']} {base_year}"]
    for year in a.years:
        columns += [f"{year}", f"{year} {words['target']}"]
    columns += [words["basis"], words["quality"]]
    numeric = [False, False, True, *([True, True] * len(a.years)), False, False]
    legend: dict[str, None] = {}
    missing: list[str] = []
    for group, ids in GROUPS.items():
        rows: list[list[Cell]] = []
        raw = []
        for ind_id in ids:
            base = _value(a, a.scenario, base_year, ind_id)
            values = [_value(a, a.scenario, y, ind_id) for y in a.years]
            if all(pd.isna(v) for v in [base, *values]):  # type: ignore[call-overload]
                note = str(_value(a, a.scenario, base_year, ind_id, "note"))
                missing.append(f"{name_of(ind_id, lang)}" + (f" ({note})" if note else ""))
                continue
            unit = display_unit(unit_for(ind_id, currency), lang)
            row: list[Cell] = [name_of(ind_id, lang), unit, fmt(base)]
            record: dict[str, object] = {"indicator": ind_id, "name": name_of(ind_id, lang),
                                         "unit": unit,
                                         f"base_{base_year}": base}
            for year, value in zip(a.years, values, strict=True):
                target = _target(a, year, ind_id)
                met = _value(a, a.scenario, year, ind_id, "met")
                status = status_cell(met, words)
                mark = "" if status == "" else (" ✓" if bool(met) else " ✗")
                row += [(fmt(value), status[1]) if isinstance(status, tuple) else fmt(value),
                        target + mark]
                record |= {f"value_{year}": value, f"target_{year}": target.lstrip("≥≤ "),
                           f"met_{year}": met}
            basis = str(_value(a, a.scenario, base_year, ind_id, "basis"))
            legend |= dict.fromkeys(p for p in basis.split("; ") if p)
            quality = str(_value(a, a.scenario, base_year, ind_id, "quality"))
            row += ["·".join(p.split("=")[1] for p in basis.split("; ") if p),
                    words.get(quality, quality)]
            record |= {"basis": basis, "quality": quality}
            rows.append(row)
            raw.append(record)
        if rows:
            blocks += [Heading(words[group]),
                       Table(f"indicators_{group[2:]}", words[group], columns, rows,
                             pd.DataFrame(raw), numeric)]
    if legend:
        blocks.append(Paragraph(words["basis_legend"] + " · ".join(legend)))
    if missing:
        blocks.append(Paragraph(f"{words['note']}: – = " + "; ".join(missing)))
    blocks += trajectory_blocks(a, lang, figures) + stockpile_blocks(a, lang, figures)
    return Section("indicators", words["s_indicators"], blocks)


def _target(a: Assessment, year: int, ind_id: str) -> str:
    target = _value(a, a.scenario, year, ind_id, "target")
    target_year = _value(a, a.scenario, year, ind_id, "target_year")
    if pd.isna(target):  # type: ignore[call-overload]
        return ""
    higher = INDICATORS[ind_id].higher_is_better is not False
    later = "" if target_year == year else f" ({target_year})"
    return ("≥ " if higher else "≤ ") + fmt(target) + later


def trajectory_blocks(a: Assessment, lang: str, figures: Path) -> list[Block]:
    """Trajectories (issue 9): each targeted indicator's median and 5–95 % band by year."""
    if a.trajectory is None:
        return []
    from ..plots.trajectory import plot_trajectories

    words = text(lang)
    frame = a.trajectory
    targeted = [i for i in dict.fromkeys(frame.loc[frame["target"].notna(), "indicator"])]
    chart = saved(plot_trajectories(frame, indicators=targeted or None, lang=lang), lang,
                  figures, "trajectory", words["trajectory_caption"], wide=True)
    shown = frame[frame["target"].notna()] if frame["target"].notna().any() else frame
    rows: list[list[Cell]] = []
    for r in shown.itertuples(index=False):
        probability = r.probability
        rows.append([str(r.year), name_of(str(r.indicator), lang), str(r.scenario),
                     fmt(r.p5), fmt(r.p50), fmt(r.p95), fmt(r.target),
                     "–" if pd.isna(probability) else f"{float(probability):.1%}",  # type: ignore[arg-type]
                     str(r.valid_runs)])
    columns = [words["year"], words["indicator"], words["scenario"], words["p5"],
               words["p50"], words["p95"], words["target"], words["probability"],
               words["valid_runs"]]
    return [Heading(words["trajectory_title"]), Paragraph(words["trajectory_intro"]), chart,
            Table("trajectory", words["trajectory_title"], columns, rows, frame,
                  [False, False, False, *[True] * 6])]


def stockpile_blocks(a: Assessment, lang: str, figures: Path) -> list[Block]:
    """Stockpile levels (issue 9): the level at each year's last period."""
    if a.stockpiles is None or a.stockpiles.empty:
        return []
    from ..plots.stockpiles import plot_stockpiles

    words = text(lang)
    chart = saved(plot_stockpiles(a.stockpiles, lang=lang), lang, figures, "stockpiles",
                  words["stockpile_caption"])
    frame = a.stockpiles
    last = frame.sort_values("period").groupby(["stockpile", "carrier", "year"],
                                               sort=False).tail(1)
    rows: list[list[Cell]] = [
        [str(r.year), str(r.stockpile), str(r.carrier), fmt(r.central), fmt(r.p5), fmt(r.p50),
         fmt(r.p95), fmt(r.capacity), display_unit(str(r.unit), lang)]
        for r in last.sort_values(["stockpile", "year"]).itertuples(index=False)]
    columns = [words["year"], words["stockpile"], words["carrier"], words["central"],
               words["p5"], words["p50"], words["p95"], words["capacity_pile"], words["unit"]]
    return [Heading(words["stockpile_title"]), chart,
            Table("stockpiles", words["stockpile_title"], columns, rows, frame,
                  [False, False, False, *[True] * 5, False])]
