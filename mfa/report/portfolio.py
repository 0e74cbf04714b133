"""Section 4's cheapest portfolio (``parkflow assess --portfolio CANDIDATES``): the subset of
the candidate projects with the lowest present cost that meets the targets
(:func:`mfa.scenarios.portfolio.optimise`), or, when none does, the closest one."""

from __future__ import annotations

import pandas as pd

from ..model.indicator_defs import unit_for
from ..scenarios.goals import DEFAULT_RATE
from ..scenarios.portfolio import Portfolio
from ..units import display_unit
from .assessment import Assessment
from .blocks import Block, Cell, Heading, Paragraph, Table, fmt, money
from .sections_park import name_of, status_cell
from .strings import text


def portfolio_blocks(a: Assessment, lang: str) -> list[Block]:
    """Heading, what was searched, the chosen projects and the goals reached."""
    found = a.portfolio
    if found is None:
        return []
    words = text(lang)
    plan = found.plan
    title = words["portfolio_title" if found.feasible else "portfolio_best_title"]
    intro = words["portfolio_intro"].format(
        plan=plan.meta.name_zh if lang == "zh" else plan.meta.name_en,
        n=len(plan.projects), rate=f"{DEFAULT_RATE:.0%}", method=found.method)
    blocks: list[Block] = [Heading(title), Paragraph(intro)]
    if not found.feasible:
        blocks.append(Paragraph(words["portfolio_infeasible"]))
    return [*blocks, _chosen(found, lang), _goals(found, lang)]


def _chosen(found: Portfolio, lang: str) -> Table:
    words = text(lang)
    currency, pick = found.plan.meta.currency, "name_zh" if lang == "zh" else "name_en"
    rows: list[list[Cell]] = []
    records = []
    for k in found.chosen:
        spec = found.plan.projects[k].spec
        rows.append([spec.id, str(getattr(spec, pick)), str(spec.start_year),
                     money(found.capex[k], currency, lang), money(found.costs[k], currency, lang)])
        records.append({"project": spec.id, "name": getattr(spec, pick),
                        "start_year": spec.start_year, "capex": float(found.capex[k]),
                        "present_cost": float(found.costs[k]), "currency": currency})
    rows.append([words["whole_plan"], "", "",
                 money(found.total_capex, currency, lang), money(found.cost, currency, lang)])
    frame = pd.DataFrame(records, columns=["project", "name", "start_year", "capex",
                                           "present_cost", "currency"])
    return Table("portfolio", words["portfolio_table"], [
        "id", words["project"], words["start_year"], words["capex"], words["present_cost"]],
        rows, frame, [False, False, True, True, True])


def _goals(found: Portfolio, lang: str) -> Table:
    words = text(lang)
    currency = found.plan.meta.currency
    rows: list[list[Cell]] = []
    records = []
    for goal, value, ok in zip(found.goals, found.values, found.met, strict=True):
        unit = display_unit(unit_for(goal.indicator, currency), lang)
        rows.append([name_of(goal.indicator, lang), str(goal.year),
                     f"{goal.sign} {fmt(goal.value)} {unit}".strip(),
                     f"{fmt(value)} {unit}".strip(),
                     status_cell(ok, words)])
        records.append({"indicator": goal.indicator, "year": goal.year, "at_least": goal.at_least,
                        "target": goal.value, "reached": value, "met": ok})
    frame = pd.DataFrame(records, columns=["indicator", "year", "at_least", "target",
                                           "reached", "met"])
    return Table("portfolio_targets", words["portfolio_goals"], [
        words["indicator"], words["year"], words["target"], words["reached"], words["status"]],
        rows, frame, [False, True, True, True, False])
