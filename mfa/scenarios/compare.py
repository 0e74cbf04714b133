"""Baseline against plans, year by year: one table with a ``scenario`` level, each indicator
with its target, whether it is met and the gap.

::

    table = compare(park, [load_plan("jinchang-2025")], years=[2020, 2025])
    table.loc[("jinchang-2025", 2025, "solid_waste_utilisation_rate")]

Each scenario is solved for every year from the base year on with stocks carried over
(:class:`~.run.PlanRunner`); the baseline is the park with no project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.compiled import compile_park
from ..errors import ParkFlowError, Problem
from ..indicators.availability import quality, unavailable
from ..indicators.fast import INDICATOR_IDS
from ..io.plan_specs import PlanMeta
from ..model.indicator_defs import INDICATORS, unit_for
from ..model.park import Park, Target
from ..plans import Plan
from .run import Evaluation, PlanRunner

BASELINE = "baseline"
COLUMNS = ["name_zh", "name_en", "value", "unit", "change", "target", "target_year", "met",
           "gap", "basis", "quality", "note"]


def empty_plan(park: Park) -> Plan:
    """A plan with no project (the baseline)."""
    return Plan(PlanMeta(id=BASELINE, park=park.meta.id, name_zh="基准情景",
                         name_en="Baseline", currency=park.meta.currency), ())


def default_years(park: Park) -> list[int]:
    """The park's target years, or its base year when it has no target."""
    return sorted({t.year for t in park.targets}) or [park.meta.base_year]


def scenario_values(park: Park, plans: list[Plan], years: list[int]
                    ) -> dict[str, Evaluation]:
    """Each scenario's indicators (baseline first, then each plan with all its projects).

    Raises
    ------
    ParkFlowError
        When a scenario breaks an invariant in a year (a stockpile over capacity, a fixed
        quantity unmet…), naming the scenario, the year and the place.
    """
    found = {BASELINE: PlanRunner(park, empty_plan(park), max(years)).evaluate(
        np.zeros((1, 0), bool), years)}
    for plan in plans:
        runner = PlanRunner(park, plan, max(years))
        found[plan.meta.id] = runner.evaluate(np.ones((1, len(plan.projects)), bool), years)
    problems = [Problem(name, evaluation.problems[0],
                        "correct the plan (or the park file) at the place named")
                for name, evaluation in found.items() if evaluation.problems[0]]
    if problems:
        raise ParkFlowError(park.source_label, problems)
    return found


def compare(park: Park, plans: list[Plan], years: list[int] | None = None) -> pd.DataFrame:
    """Baseline and plans in ``years`` (default: the park's target years), long form.

    Returns
    -------
    DataFrame
        Index (scenario, year, indicator); columns name_zh, name_en, value, unit, change
        (value − baseline), target, target_year (the park's next target at or after the
        year), met (True / False in the target's own year, else NA), gap (how far the value
        falls short of the target: target − value when higher is better, value − target
        otherwise; ≤ 0 when met), basis, quality and note (why a value is "–").
    """
    years = sorted(set(years or default_years(park)))
    for plan in plans:
        if plan.meta.park != park.meta.id:
            raise ParkFlowError.single(plan.source_label, "plan.park",
                                       f"the plan is for park '{plan.meta.park}', not for "
                                       f"'{park.meta.id}'", f"compare it with park "
                                       f"'{plan.meta.park}'")
    found = scenario_values(park, plans, years)
    baseline = found[BASELINE].values[0]
    missing = unavailable(park.statistics, compile_park(park).carrier_info)
    rows = []
    for name, evaluation in found.items():
        for y, year in enumerate(years):
            for i, ind_id in enumerate(INDICATOR_IDS):
                rows.append(_row(park, name, year, ind_id, evaluation.values[0, y, i],
                                 baseline[y, i], missing))
    table = pd.DataFrame(rows).set_index(["scenario", "year", "indicator"])
    table["target_year"] = table["target_year"].astype("Int64")
    table["met"] = table["met"].astype("boolean")
    return table[COLUMNS]


def _row(park: Park, scenario: str, year: int, ind_id: str, value: float,
         baseline: float, missing: dict[str, str]) -> dict[str, object]:
    definition = INDICATORS[ind_id]
    stats = park.statistics
    target = next_target(park.targets, ind_id, year)
    met: bool | None = None
    gap = np.nan
    if target is not None and not np.isnan(value):
        higher = definition.higher_is_better is not False
        gap = target.value - value if higher else value - target.value
        if target.year == year:
            met = bool(gap <= 0)
    return {"scenario": scenario, "year": year, "indicator": ind_id,
            "name_zh": definition.name_zh, "name_en": definition.name_en, "value": value,
            "unit": unit_for(ind_id, park.meta.currency), "change": value - baseline,
            "target": target.value if target else np.nan,
            "target_year": target.year if target else pd.NA, "met": met, "gap": gap,
            "basis": stats.basis.label(definition.bases), "quality": quality(ind_id, stats),
            "note": missing.get(ind_id, "")}


def next_target(targets: list[Target], indicator: str, year: int) -> Target | None:
    """The target of ``indicator`` for ``year`` or the first after it."""
    future = [t for t in targets if t.indicator == indicator and t.year >= year]
    return min(future, key=lambda t: t.year) if future else None
