"""What each project of a plan contributes to every indicator: standalone, marginal and Shapley.

For a value v(S) of an indicator with the subset S of projects built (the baseline is v(∅)):

- **standalone** = v({p} + what p requires) − v(∅): the project built alone (with the
  projects it ``requires``, since it cannot run without them);
- **marginal** = v(all) − v(all − p − what requires p): what the plan loses without it;
- **shapley** = the average of v(S + p) − v(S) over every order of building the projects
  (Shapley 1953): the shares add up exactly to the plan's total change v(all) − v(∅).

``requires`` is respected everywhere: in a subset, a project whose requirement is missing is
not built (v(S) is the value of the largest part of S closed under ``requires``). Exact over
all 2ⁿ subsets up to :data:`EXACT_LIMIT` projects; beyond, Shapley values are averaged over
random orders (``samples`` permutations, seeded), each order's contributions still summing
exactly to the total, with the standard error of each share in ``shapley_se``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..indicators.fast import INDICATOR_IDS
from ..model.park import Park
from ..plans import Plan
from .run import PlanRunner

EXACT_LIMIT = 12
DEFAULT_SAMPLES = 2000
COLUMNS = ["name_zh", "name_en", "standalone", "marginal", "shapley", "shapley_se", "total"]


class Subsets:
    """Values of subsets of a plan's projects, with ``requires`` respected, each distinct
    subset evaluated once (on the batch path)."""

    def __init__(self, runner: PlanRunner, years: list[int]) -> None:
        self.runner, self.years = runner, years
        projects = runner.plan.projects
        ids = [p.id for p in projects]
        self.n = len(projects)
        self.needs = [[ids.index(r) for r in p.spec.requires] for p in projects]
        self.problems: list[str] = []

    def closed(self, chosen: np.ndarray) -> np.ndarray:
        """Each row of ``chosen`` without the projects whose requirements are not built."""
        chosen = chosen.copy()
        for _ in range(self.n):
            keep = chosen.copy()
            for k, needed in enumerate(self.needs):
                if needed:
                    keep[:, k] &= chosen[:, needed].all(axis=1)
            if np.array_equal(keep, chosen):
                break
            chosen = keep
        return chosen

    def with_requirements(self, k: int) -> np.ndarray:
        """Project ``k`` and everything it requires, transitively."""
        row = np.zeros(self.n, bool)
        todo = [k]
        while todo:
            j = todo.pop()
            if not row[j]:
                row[j] = True
                todo.extend(self.needs[j])
        return row

    def values(self, chosen: np.ndarray) -> np.ndarray:
        """``[K, Y, I]`` values of the subsets (rows of ``chosen``)."""
        closed = self.closed(np.asarray(chosen, bool))
        unique, inverse = np.unique(closed, axis=0, return_inverse=True)
        evaluation = self.runner.evaluate(unique, self.years)
        self.problems += [p for p in evaluation.problems if p]
        return evaluation.values[inverse.reshape(-1)]


def attribute(park: Park, plan: Plan, years: list[int], samples: int = DEFAULT_SAMPLES,
              seed: int = 0) -> pd.DataFrame:
    """Standalone, marginal and Shapley effect of each project in each of ``years``.

    Returns
    -------
    DataFrame
        Index (year, indicator, project); columns name_zh, name_en (the project's names),
        standalone, marginal, shapley, shapley_se (0 when exact) and total (the plan's
        change, which the Shapley shares of a year and indicator add up to).
        ``attrs["method"]`` says how v(S) was evaluated and whether Shapley is exact;
        ``attrs["problems"]`` lists subsets that break an invariant (their values are NaN).
    """
    years = sorted(set(years))
    runner = PlanRunner(park, plan, max(years))
    subsets = Subsets(runner, years)
    n = subsets.n
    everything, nothing = np.ones((1, n), bool), np.zeros((1, n), bool)
    ends = subsets.values(np.vstack([nothing, everything]))
    base, total = ends[0], ends[1] - ends[0]
    standalone = subsets.values(np.array([subsets.with_requirements(k) for k in range(n)]
                                         ).reshape(n, n)) - base
    without = np.array([~_dependents(subsets, k) for k in range(n)]).reshape(n, n)
    marginal = ends[1] - subsets.values(without)
    if n <= EXACT_LIMIT:
        shapley, error, how = exact_shapley(subsets), np.zeros_like(standalone), "exact"
    else:
        shapley, error = sampled_shapley(subsets, samples, seed)
        how = f"{samples} random orders (seed {seed})"
    table = _table(plan, years, standalone, marginal, shapley, error, total)
    table.attrs.update(method=f"subsets by {runner.method}; Shapley {how}",
                       problems=sorted(set(subsets.problems)))
    return table


def _dependents(subsets: Subsets, k: int) -> np.ndarray:
    """Project ``k`` and every project that requires it, transitively."""
    gone = np.zeros(subsets.n, bool)
    gone[k] = True
    changed = True
    while changed:
        changed = False
        for j, needed in enumerate(subsets.needs):
            if not gone[j] and any(gone[i] for i in needed):
                gone[j] = changed = True
    return gone


def exact_shapley(subsets: Subsets) -> np.ndarray:
    """``[n, Y, I]`` Shapley values over all 2ⁿ subsets (bit k of a subset's index: project k)."""
    n = subsets.n
    masks = np.arange(2 ** n)
    chosen = (masks[:, None] >> np.arange(n)[None, :]) & 1
    values = subsets.values(chosen.astype(bool))
    size = chosen.sum(axis=1)
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                       for s in range(n)])
    shapley = np.empty((n, *values.shape[1:]))
    for k in range(n):
        without = masks[(masks >> k) & 1 == 0]
        gain = values[without | (1 << k)] - values[without]
        shapley[k] = np.tensordot(weight[size[without]], gain, axes=1)
    return shapley


def sampled_shapley(subsets: Subsets, samples: int, seed: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values averaged over ``samples`` random orders, and their standard errors."""
    n = subsets.n
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    orders = np.array([rng.permutation(n) for _ in range(samples)])
    rank = np.argsort(orders, axis=1)  # rank[s, k]: position of project k in order s
    # prefix j of order s: the projects at positions < j (j = 0 … n)
    prefixes = rank[:, None, :] < np.arange(n + 1)[None, :, None]
    values = subsets.values(prefixes.reshape(-1, n)).reshape(samples, n + 1,
                                                            *subsets_shape(subsets))
    gains = np.diff(values, axis=1)  # gains[s, j]: of the project at position j
    contribution = np.take_along_axis(gains, rank[:, :, None, None], axis=1)
    mean = contribution.mean(axis=0)
    error = contribution.std(axis=0, ddof=1) / math.sqrt(samples) if samples > 1 else \
        np.full_like(mean, np.nan)
    return mean, error


def subsets_shape(subsets: Subsets) -> tuple[int, int]:
    return len(subsets.years), len(INDICATOR_IDS)


def _table(plan: Plan, years: list[int], standalone: np.ndarray, marginal: np.ndarray,
           shapley: np.ndarray, error: np.ndarray, total: np.ndarray) -> pd.DataFrame:
    rows = []
    for y, year in enumerate(years):
        for i, ind_id in enumerate(INDICATOR_IDS):
            for k, project in enumerate(plan.projects):
                rows.append({"year": year, "indicator": ind_id, "project": project.id,
                             "name_zh": project.spec.name_zh, "name_en": project.spec.name_en,
                             "standalone": standalone[k, y, i], "marginal": marginal[k, y, i],
                             "shapley": shapley[k, y, i], "shapley_se": error[k, y, i],
                             "total": total[y, i]})
    return pd.DataFrame(rows, columns=["year", "indicator", "project", *COLUMNS]).set_index(
        ["year", "indicator", "project"])
