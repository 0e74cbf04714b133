"""Sections 4–6 of the report: projects (主要项目), 预期成效, sensitivity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..model.indicator_defs import INDICATORS, unit_for
from ..units import display_unit
from .assessment import Assessment
from .blocks import Block, Cell, Heading, Paragraph, Section, Table, fmt, money
from .figures import contribution_figure, saved
from .portfolio import portfolio_blocks
from .sections_park import name_of
from .strings import EFFECT_METHODS_ZH, KIND_EN, text

_PER_TABLE = 8  # projects per Shapley table (wider tables do not fit an A4 page)
_EFFECT_COLUMNS = ("energy_saving", "water_saving", "co2_reduction",
                   "solid_waste_utilised_more", "solid_waste_reduction",
                   "solid_waste_utilisation_rise", "so2_emission_reduction",
                   "nox_emission_reduction", "cod_emission_reduction")


def project_labels(a: Assessment) -> dict[str, str]:
    assert a.plan is not None
    return {p.id: f"P{k + 1}" for k, p in enumerate(a.plan.projects)}


def _effect_names(a: Assessment, lang: str, with_unit: bool = True) -> dict[str, str]:
    assert a.effects is not None
    pick = "name_zh" if lang == "zh" else "name_en"
    first = a.effects.reset_index().drop_duplicates("effect").set_index("effect")
    units = {str(e): display_unit(str(r["unit"]), lang) for e, r in first.iterrows()}
    return {str(e): str(r[pick]) + (f" ({units[str(e)]})" if with_unit and units[str(e)] else "")
            for e, r in first.iterrows()}


def projects_section(a: Assessment, lang: str, figures: Path) -> Section | None:
    """The plan's projects and, when asked, the cheapest portfolio of the candidates."""
    words = text(lang)
    cheapest = portfolio_blocks(a, lang)
    if a.plan is None or a.projects is None or a.economics is None:
        return Section("projects", words["s_projects"], cheapest) if cheapest else None
    labels = project_labels(a)
    blocks: list[Block] = [Paragraph(words["projects_intro"]), _project_table(a, lang, labels),
                           _effects_by_project(a, lang, labels), *_shapley(a, lang, labels),
                           _economics(a, lang, labels)]
    year = max(a.years)
    assert a.effects is not None
    chart = contribution_figure(pd.DataFrame(a.effects.xs(year, level="year")), labels, lang,
                                figures, year,
                                _effect_names(a, lang))
    if chart is not None:
        blocks.append(chart)
    notes = list(a.economics.attrs.get("notes", []))
    if notes:
        blocks += [Heading(words["econ_notes"]), Paragraph("; ".join(notes))]
    return Section("projects", words["s_projects"], [*blocks, *cheapest])


def _project_table(a: Assessment, lang: str, labels: dict[str, str]) -> Table:
    words = text(lang)
    assert a.projects is not None and a.plan is not None
    pick = "name_zh" if lang == "zh" else "name_en"
    currency = a.plan.meta.currency
    rows: list[list[Cell]] = []
    for project_id, r in a.projects.iterrows():
        schedule = "; ".join(f"{y}: {money(v, currency, lang)}" for y, v in
                             a.plan.project(str(project_id)).capex_by_year().items())
        kind = str(r["kind"]) if lang == "zh" else KIND_EN.get(str(r["kind"]), str(r["kind"]))
        rows.append([labels[str(project_id)], str(r[pick]), kind, str(r["content"]),
                     str(r["responsible"]), money(r["capex"], currency, lang), schedule,
                     f"{r['start_year']} / {r['full_output_year']}"])
    columns = ["#", words["project"], words["kind"], words["content"], words["responsible"],
               words["capex"], words["annual_investment"],
               f"{words['start_year']} / {words['full_output_year']}"]
    frame = a.projects.reset_index()
    frame.insert(0, "label", [labels[str(p)] for p in frame["project"]])
    return Table("projects", words["s_projects"], columns, rows, frame,
                 [False, False, False, False, False, True, False, True], small=True)


def _effects_by_project(a: Assessment, lang: str, labels: dict[str, str]) -> Table:
    words = text(lang)
    assert a.projects is not None
    names = _effect_names(a, lang)
    shown = [c for c in _EFFECT_COLUMNS if (a.projects[c].astype(float).abs() > 1e-9).any()]
    shown = shown or list(_EFFECT_COLUMNS[:3])
    rows: list[list[Cell]] = [[labels[str(p)], *(fmt(r[c]) for c in shown)]
                              for p, r in a.projects.iterrows()]
    frame = a.projects.reset_index()[["project", *_EFFECT_COLUMNS]]
    year = max(a.years)
    return Table("project_effects", words["projects_effects_title"].format(year=year),
                 ["#", *(names[c] for c in shown)], rows, frame, [False, *[True] * len(shown)])


def _shapley(a: Assessment, lang: str, labels: dict[str, str]) -> list[Block]:
    """Rows: the indicators the plan changes; columns: each project's Shapley share."""
    words = text(lang)
    assert a.attribution is not None
    year = max(a.years)
    part = a.attribution.xs(year, level="year")
    totals = part.groupby(level="indicator", sort=False)["total"].first().astype(float)
    changed = [i for i in totals.index if abs(totals[i]) > 1e-9
               and not INDICATORS[str(i)].deprecated]
    if not changed:
        return []
    projects = list(labels)
    blocks: list[Block] = []
    for start in range(0, len(projects), _PER_TABLE):
        chunk = projects[start:start + _PER_TABLE]
        rows: list[list[Cell]] = []
        for ind_id in changed:
            shares = part.xs(ind_id, level="indicator")["shapley"]
            rows.append([name_of(str(ind_id), lang),
                         display_unit(unit_for(str(ind_id), a.park.meta.currency), lang),
                         fmt(totals[ind_id]),
                         *(fmt(shares[p]) for p in chunk)])
        suffix = "" if start == 0 else f"_{start // _PER_TABLE + 1}"
        frame = part.reset_index()
        blocks.append(Table(f"shapley{suffix}", words["shapley_title"].format(year=year),
                            [words["indicator"], words["unit"], words["total_change"],
                             *(labels[p] for p in chunk)], rows, frame,
                            [False, False, True, *[True] * len(chunk)]))
    return blocks


def _economics(a: Assessment, lang: str, labels: dict[str, str]) -> Table:
    words = text(lang)
    assert a.economics is not None
    currency = str(a.economics.attrs["currency"])
    rate = f"{float(a.economics.attrs['discount_rate']):.1%}"
    keys = ("capex", "opex_full", "savings_full", "npv", "irr", "payback_year",
            "cost_per_t_waste", "cost_per_tce", "cost_per_t_co2")
    rows: list[list[Cell]] = []
    for name, r in a.economics.iterrows():
        label = labels.get(str(name), words["whole_plan"])
        cells: list[Cell] = [label]
        for key in keys:
            value = r[key]
            if key == "irr":
                cells.append("–" if pd.isna(value) else f"{float(value):.1%}")
            elif key == "payback_year":
                cells.append("–" if pd.isna(value) else str(int(value)))
            elif key.startswith("cost_per"):
                cells.append(fmt(value))
            else:
                cells.append(money(value, currency, lang))
        rows.append(cells)
    unit = "元" if currency == "CNY" and lang == "zh" else currency
    columns = ["#", *(words[k] + (f" ({unit})" if k.startswith("cost_per") else "")
                      for k in keys)]
    return Table("economics", words["projects_econ_title"].format(rate=rate), columns, rows,
                 a.economics.reset_index(), [False, *[True] * len(keys)], small=True)


def effects_section(a: Assessment, lang: str) -> Section | None:
    from ..scenarios.effects import PLAN_ROW

    if a.effects is None:
        return None
    words = text(lang)
    pick = "name_zh" if lang == "zh" else "name_en"
    blocks: list[Block] = [Paragraph(words["effects_intro"])]
    for year in a.years:
        part = a.effects.xs((year, PLAN_ROW), level=("year", "project"))
        rows: list[list[Cell]] = [
            [str(r[pick]), display_unit(str(r["unit"]), lang), fmt(r["baseline"]), fmt(r["plan"]),
             fmt(r["shapley"]), _method(str(effect), str(r["method"]), str(r["name_zh"]), lang)]
            for effect, r in part.iterrows()]
        columns = [words["effect"], words["unit"], words["baseline"], words["with_plan"],
                   words["effect_total"], words["method"]]
        blocks += [Heading(str(year)),
                   Table(f"effects_{year}", f"{words['s_effects']} {year}", columns, rows,
                         part.reset_index(), [False, False, True, True, True, False])]
    bases = dict.fromkeys(b for label in a.effects["basis"] for b in str(label).split("; ") if b)
    if bases:
        blocks.append(Paragraph(words["basis_legend"] + " · ".join(bases)))
    return Section("effects", words["s_effects"], blocks)


def _method(effect: str, method: str, name_zh: str, lang: str) -> str:
    if lang != "zh":
        return method
    return EFFECT_METHODS_ZH.get(effect, f"基准情景 − 方案的{name_zh.removesuffix('减排量')}排放量")


def sensitivity_section(a: Assessment, lang: str, figures: Path) -> Section | None:
    """Which inputs matter most (issue 9's sensitivity frame): the top ranks per indicator,
    with a tornado (and Sobol bars when computed) of each ranked output."""
    if a.sensitivity is None:
        return None
    words = text(lang)
    frame = a.sensitivity
    charts = _sensitivity_charts(frame, lang, figures)
    strength = frame["ST"].where(frame["method"] == "sobol", frame["swing"]).abs()
    largest = strength.groupby([frame["indicator"], frame["year"], frame["method"]]
                                ).transform("max")
    moving = strength > 1e-9 * largest  # leave out inputs that do not move the output
    top = frame[(frame["rank"] <= 10) & moving].sort_values(
        ["indicator", "year", "method", "rank"])
    rows: list[list[Cell]] = []
    for r in top.itertuples(index=False):
        influence = fmt(r.ST) if r.method == "sobol" else fmt(r.swing)
        span = f"{fmt(r.low)} … {fmt(r.high)} {display_unit(str(r.unit), lang)}".strip()
        rows.append([name_of(str(r.indicator), lang), str(r.year),
                     words.get(f"method_{r.method}", str(r.method)), str(r.rank),
                     str(r.parameter), influence, span, _short(str(r.source))])
    columns = [words["indicator"], words["year"], words["method"], words["rank"],
               words["parameter"], "ST / " + words["swing"],
               words["low"] + " … " + words["high"], words["source"]]
    return Section("sensitivity", words["s_sensitivity"], [
        Paragraph(words["sensitivity_intro"]), *charts,
        Table("sensitivity", words["s_sensitivity"], columns, rows, frame,
              [False, True, False, True, False, True, False, False], small=True)])


def _sensitivity_charts(frame: pd.DataFrame, lang: str, figures: Path) -> list[Block]:
    from ..plots.sensitivity import plot_sobol, plot_tornado

    words = text(lang)
    charts: list[Block] = []
    for (indicator, year), rows in frame.groupby(["indicator", "year"], sort=False):
        if rows["swing"].fillna(0).eq(0).all() and rows["ST"].fillna(0).eq(0).all():
            continue  # the output does not move (e.g. the index without a plan)
        names = {"indicator": name_of(str(indicator), lang), "year": year}
        stem = f"{indicator}_{year}"
        charts.append(saved(plot_tornado(frame, str(indicator), int(str(year)), lang=lang),
                            lang, figures, f"tornado_{stem}",
                            words["tornado_caption"].format(**names)))
        if (rows["method"] == "sobol").any():
            charts.append(saved(plot_sobol(frame, str(indicator), int(str(year)), lang=lang),
                                lang, figures, f"sobol_{stem}",
                                words["sobol_caption"].format(**names)))
    return charts


_SOURCE_CHARS = 90  # the whole source is in the annex's coefficient table (section 7)


def _short(source: str) -> str:
    return source if len(source) <= _SOURCE_CHARS else source[:_SOURCE_CHARS - 1] + "…"
