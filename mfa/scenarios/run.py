"""Evaluate subsets of a plan's projects, year by year, on the engine's batch path.

:class:`PlanRunner` takes a ``[K, n_projects]`` boolean matrix (one subset per row) and the
years wanted, and returns the official indicators ``[K, years, indicators]``. Every subset is
solved for each year from the park's base year on, the closing stock of one year opening the
next (so stockpiles filled or drawn down by a plan carry over). The 资源产出率指数 of every
subset divides by the **baseline** park's base-year rate (the official base, 1.00 in the base
year), so a project that changes a rate does not move its own base.

Subsets go through :class:`~.switches.SwitchedPlan` (one compiled park, projects as switches),
checked once against :func:`mfa.plans.apply_plan` for the whole plan and for none of it; a plan
the switches cannot represent, or whose check fails, is evaluated by applying each subset (the
same numbers, slower; ``runner.method`` says which).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.compiled import CompiledPark, compile_park
from ..engine.greedy import solve
from ..engine.solution import Solution
from ..indicators.fast import INDICATOR_IDS, base_year_rate, fast_indicators
from ..model.park import Park
from ..plans import Plan, apply_plan
from .switches import NotSwitchable, SwitchedPlan

# Subsets per engine call, as K × flow records (as mfa.evaluate: arrays stay in the cache).
_CHUNK_VALUES = 200_000
_CHECK_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Evaluation:
    """Indicators of K subsets in some years."""

    years: tuple[int, ...]
    values: np.ndarray  # [K, Y, I] in INDICATOR_IDS order; NaN where a subset breaks
    problems: tuple[str, ...]  # per subset: "" or what breaks, with the year

    def indicator(self, ind_id: str) -> np.ndarray:
        """``[K, Y]`` values of one indicator."""
        return self.values[:, :, INDICATOR_IDS.index(ind_id)]


class PlanRunner:
    """Evaluate subsets of ``plan``'s projects on ``park`` up to ``last_year``."""

    def __init__(self, park: Park, plan: Plan, last_year: int) -> None:
        self.park, self.plan = park, plan
        self.base_year = park.meta.base_year
        self.all_years = range(self.base_year, max(last_year, self.base_year) + 1)
        self.base_rate = base_year_rate(compile_park(park))
        self.switched: SwitchedPlan | None = None
        self.method = "switches"
        self._applied: dict[tuple[frozenset[int], int], CompiledPark] = {}
        try:
            self.switched = SwitchedPlan(park, plan, self.all_years)
            self._check(self.all_years[-1])
        except NotSwitchable as why:
            self.switched, self.method = None, f"each subset applied ({why})"

    @property
    def n_projects(self) -> int:
        return len(self.plan.projects)

    def evaluate(self, active: np.ndarray, years: list[int] | tuple[int, ...]) -> Evaluation:
        """Indicators of each subset (row of ``active``) in each of ``years``."""
        active = np.asarray(active, dtype=bool)
        active = active.reshape(len(active) if active.ndim == 2 else 1, self.n_projects)
        wanted = tuple(sorted(set(years)))
        if self.switched is None:
            return self.reapplied(active, wanted)
        records = len(self.switched.compiled.records)
        chunk = max(64, _CHUNK_VALUES // max(1, records))
        parts = [self._switched(active[a:a + chunk], wanted)
                 for a in range(0, len(active), chunk)]
        values = np.concatenate([p[0] for p in parts]) if parts else np.zeros(
            (0, len(wanted), len(INDICATOR_IDS)))
        return Evaluation(wanted, values, tuple(s for p in parts for s in p[1]))

    def _run_years(self, wanted: tuple[int, ...], compiled: CompiledPark
                   ) -> range | tuple[int, ...]:
        """Every year from the base year when stocks carry over, else only those wanted."""
        return range(self.base_year, max(wanted) + 1) if len(compiled.pile_node) else wanted

    def _switched(self, active: np.ndarray, wanted: tuple[int, ...]
                  ) -> tuple[np.ndarray, list[str]]:
        assert self.switched is not None
        compiled = self.switched.compiled
        fast = fast_indicators(compiled)
        values = np.full((len(active), len(wanted), len(INDICATOR_IDS)), np.nan)
        problems: list[list[str]] = [[] for _ in range(len(active))]
        stock = None
        for year in self._run_years(wanted, compiled):
            levels, params = self.switched.inputs(active, year)
            solution = solve(compiled, year, levels=levels, stock=stock, params=params)
            stock = solution.closing
            _note_problems(solution, year, problems)
            if year in wanted:
                result = fast.evaluate(solution, base_rate=self.base_rate)
                result[solution.status != 0] = np.nan
                values[:, wanted.index(year)] = result
        return values, ["; ".join(p) for p in problems]

    def reapplied(self, active: np.ndarray, wanted: tuple[int, ...]) -> Evaluation:
        """The reference path: each subset applied with :func:`mfa.plans.apply_plan` and
        compiled on its own (slow; what the switches are checked against)."""
        values = np.full((len(active), len(wanted), len(INDICATOR_IDS)), np.nan)
        problems: list[str] = []
        for row, chosen in enumerate(active):
            subset = frozenset(np.flatnonzero(chosen).tolist())
            found: list[list[str]] = [[]]
            stock: dict[str, float] = {}
            for year in self._run_years(wanted, compile_park(self.park)):
                compiled = self._applied_park(subset, year)
                piles = [compiled.node_ids[n] for n in compiled.pile_node]
                opening = np.array([stock.get(p, compiled.pile_opening[i])
                                    for i, p in enumerate(piles)], dtype=float)
                solution = solve(compiled, year, stock=opening)
                stock = dict(zip(piles, solution.closing[0].tolist(), strict=True))
                _note_problems(solution, year, found)
                if year in wanted:
                    result = fast_indicators(compiled).evaluate(solution,
                                                                base_rate=self.base_rate)
                    result[solution.status != 0] = np.nan
                    values[row, wanted.index(year)] = result[0]
            problems.append("; ".join(found[0]))
        return Evaluation(wanted, values, tuple(problems))

    def _applied_park(self, subset: frozenset[int], year: int) -> CompiledPark:
        key = (subset, year)
        if key not in self._applied:
            projects = tuple(p for k, p in enumerate(self.plan.projects) if k in subset)
            park = (apply_plan(self.park, Plan(self.plan.meta, projects, self.plan.path), year)
                    if projects else self.park)
            self._applied[key] = compile_park(park)
        return self._applied[key]

    def _check(self, year: int) -> None:
        """The switches reproduce applying the whole plan, and applying none of it."""
        assert self.switched is not None
        for subset in (frozenset(range(self.n_projects)), frozenset()):
            chosen = np.array([[k in subset for k in range(self.n_projects)]], dtype=bool)
            levels, params = self.switched.inputs(chosen, year)
            compiled = self.switched.compiled
            switched = fast_indicators(compiled).evaluate(
                solve(compiled, year, levels=levels, params=params), base_rate=self.base_rate)
            reference = self._applied_park(subset, year)
            applied = fast_indicators(reference).evaluate(solve(reference, year),
                                                          base_rate=self.base_rate)
            if not np.allclose(switched, applied, rtol=_CHECK_TOLERANCE,
                               atol=_CHECK_TOLERANCE, equal_nan=True):
                worst = int(np.nanargmax(np.abs(switched - applied)))
                raise NotSwitchable(
                    f"the switched park differs from the applied plan in {year} "
                    f"({INDICATOR_IDS[worst]}: {switched[0, worst]:.6g} vs "
                    f"{applied[0, worst]:.6g})")


def _note_problems(solution: Solution, year: int, problems: list[list[str]]) -> None:
    for found in solution.problems:
        problems[found.sample].append(
            f"{year}: {found.problem.location}: {found.problem.message}")
