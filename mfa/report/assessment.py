"""What a report shows, computed once: the base-year balance, the comparison of the baseline
with the plan, the plan's 预期成效, project table, Shapley shares and economics, and — when the
simulation provides them — the trajectory, stockpile and sensitivity frames (issue 9,
``briefs/sim-interfaces.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ParkFlowError
from ..model.park import Park
from ..plans import Plan
from ..results.result import Result

if TYPE_CHECKING:
    from ..scenarios.goals import Goal
    from ..scenarios.portfolio import Portfolio

TRAJECTORY_COLUMNS = ["year", "indicator", "scenario", "p5", "p50", "p95", "target",
                      "probability", "unit", "mean", "valid_runs"]
STOCKPILE_COLUMNS = ["period", "year", "stockpile", "carrier", "unit", "central", "p5", "p50",
                     "p95", "capacity"]
SENSITIVITY_COLUMNS = ["indicator", "year", "parameter", "method", "rank", "S1", "S1_conf",
                       "ST", "ST_conf", "output_low", "output_high", "swing", "central", "low",
                       "high", "unit", "source"]


@dataclass(frozen=True)
class Measured:
    """Measured indicator values of one year (``mfa.report.progress.load_measured``)."""

    year: int
    source: str
    values: dict[str, float]
    path: Path | None = None


@dataclass
class Assessment:
    park: Park
    plan: Plan | None
    years: list[int]  # the compared years (target years), without the base year
    base: Result  # the base-year balance
    compare: pd.DataFrame  # mfa.scenarios.compare.compare over base year + years
    effects: pd.DataFrame | None = None
    projects: pd.DataFrame | None = None
    attribution: pd.DataFrame | None = None
    economics: pd.DataFrame | None = None
    trajectory: pd.DataFrame | None = None
    stockpiles: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    measured: Measured | None = None  # the --progress year's measured values
    portfolio: Portfolio | None = None  # the cheapest subset of the --portfolio candidates

    @property
    def scenario(self) -> str:
        """The scenario whose values the report shows: the plan's, else the baseline."""
        from ..scenarios.compare import BASELINE

        return self.plan.meta.id if self.plan else BASELINE


def assess(park: Park, plan: Plan | None, years: list[int] | None = None, *,
           trajectory: pd.DataFrame | None = None, stockpiles: pd.DataFrame | None = None,
           sensitivity: pd.DataFrame | None = None,
           measured: Measured | None = None, candidates: Plan | None = None,
           goals: list[Goal] | None = None) -> Assessment:
    """Compute everything the report shows; with ``candidates``, also the cheapest subset
    of them meeting ``goals`` (default: the park's targets in the assessed years).

    Raises
    ------
    ParkFlowError
        For a plan (or candidates) of another park, a year before the base year, a frame
        of issue 9 without its columns, or candidates with no goal to meet.
    """
    from ..scenarios.attribution import attribute
    from ..scenarios.compare import compare, default_years
    from ..scenarios.economics import economics
    from ..scenarios.effects import expected_effects, project_table

    base_year = park.meta.base_year
    wanted = {*(years or default_years(park)), *([measured.year] if measured else [])}
    chosen = sorted(y for y in wanted if y != base_year)
    for year in chosen:
        if year < base_year:
            raise ParkFlowError.single("--year", "", f"{year} is before the base year "
                                       f"{base_year}", f"give years from {base_year} on")
    table = compare(park, [plan] if plan else [], [base_year, *chosen])
    found = Assessment(park, plan, chosen, park.balance(base_year), table, measured=measured)
    if plan is not None and chosen:
        found.effects = expected_effects(park, plan, chosen)
        found.projects = project_table(park, plan, max(chosen))
        found.attribution = attribute(park, plan, chosen)
        found.economics = economics(park, plan)
    for name, frame, columns in (("trajectory", trajectory, TRAJECTORY_COLUMNS),
                                 ("stockpiles", stockpiles, STOCKPILE_COLUMNS),
                                 ("sensitivity", sensitivity, SENSITIVITY_COLUMNS)):
        if frame is not None:
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ParkFlowError.single(f"<{name} frame>", "", "lacks the columns "
                                           + ", ".join(missing),
                                           "give the frame of briefs/sim-interfaces.md")
            setattr(found, name, frame[columns])
    if candidates is not None:
        from ..scenarios.goals import target_goals
        from ..scenarios.portfolio import optimise

        found.portfolio = optimise(park, candidates, goals or target_goals(park, chosen))
    return found
