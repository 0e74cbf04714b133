"""The cheapest portfolio: the subset of candidate projects that meets every goal at least cost.

A subset is *allowed* when it is closed under ``requires``, holds no two projects that exclude
each other and its total capex is within the budget. Its indicators come from the engine's
batch path (:class:`~.run.PlanRunner` through :class:`~.attribution.Subsets`).

- **exact** (n ≤ :data:`EXACT_LIMIT`): every allowed subset, in order of cost, then fewer
  projects, then file order; the first that meets every goal is the answer.
- **milp** (larger n): each goal's indicator is modelled as a second-order function of the
  choice, ``v(x) ≈ a + Σ b_k x_k + Σ c_kl x_k x_l``, fitted (least squares) on the empty set,
  each project with what it requires and each pair; the product ``x_k x_l`` is a variable
  ``y ≤ x_k, y ≤ x_l, y ≥ x_k + x_l − 1``. ``scipy.optimize.milp`` (HiGHS) finds the
  cheapest choice whose modelled values meet the goals less a margin (the model's largest
  underestimate on a random sample of allowed subsets); that choice is **verified** on the
  batch path; one that fails is cut off (``Σ_{k∈S}(1−x_k) + Σ_{k∉S} x_k ≥ 1``) and the
  programme solved again, up to :data:`MAX_ROUNDS` times. Every cheaper choice the model
  admitted was evaluated and fails: the answer is optimal unless the model underestimates
  some subset by more than the margin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import LinearConstraint, milp

from ..errors import ParkFlowError
from ..indicators.fast import INDICATOR_IDS
from ..model.park import Park
from ..plans import Plan
from .attribution import Subsets
from .goals import DEFAULT_RATE, Goal, amount, capex_totals, project_costs
from .run import PlanRunner

EXACT_LIMIT = 16
MAX_ROUNDS = 200
SAMPLE = 256
_MET = 1e-9  # relative shortfall counted as met
_CHUNK = 1024


@dataclass(frozen=True, eq=False)
class Portfolio:
    """The chosen subset (or, when no subset meets the goals, the best one found)."""

    plan: Plan
    goals: tuple[Goal, ...]
    feasible: bool
    chosen: tuple[int, ...]  # project positions in the plan
    values: tuple[float, ...]  # reached, per goal
    costs: np.ndarray  # [n] cost of every candidate
    capex: np.ndarray  # [n] total capex of every candidate
    method: str
    message: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.plan.projects[k].id for k in self.chosen)

    @property
    def met(self) -> tuple[bool, ...]:
        """Per goal, whether its value reaches it as the search judges it (NaN never does)."""
        return tuple(bool(g.shortfall(np.array([v]))[0] <= _MET)
                     for g, v in zip(self.goals, self.values, strict=True))

    @property
    def cost(self) -> float:
        return float(sum(self.costs[k] for k in self.chosen))

    @property
    def total_capex(self) -> float:
        return float(sum(self.capex[k] for k in self.chosen))


def switchable(plan: Plan) -> Plan:
    """The candidates as one plan the runner can switch: its alternatives are never applied
    together (no allowed subset holds both), only compiled side by side."""
    return Plan(plan.meta.model_copy(update={"candidates": False}), plan.projects, plan.path)


class Search:
    """Allowed subsets of the candidates and their goal values."""

    def __init__(self, park: Park, plan: Plan, goals: list[Goal], costs: np.ndarray,
                 budget: float | None) -> None:
        self.plan, self.goals, self.costs, self.budget = plan, goals, costs, budget
        self.capex = capex_totals(plan)
        self.years = sorted({g.year for g in goals})
        self.runner = PlanRunner(park, switchable(plan), max(self.years))
        self.subsets = Subsets(self.runner, self.years)
        self.n = len(plan.projects)
        ids = [p.id for p in plan.projects]
        self.pairs = sorted({tuple(sorted((k, ids.index(o)))) for k, p in enumerate(plan.projects)
                             for o in p.spec.excludes if o in ids and o != p.id})
        self.evaluated: dict[bytes, np.ndarray] = {}

    def allowed(self, chosen: np.ndarray, budget: bool = True) -> np.ndarray:
        """Rows closed under ``requires``, with no excluded pair (and within the budget)."""
        ok = (self.subsets.closed(chosen) == chosen).all(axis=1)
        for i, j in self.pairs:
            ok &= ~(chosen[:, i] & chosen[:, j])
        if budget and self.budget is not None:
            ok &= chosen @ self.capex <= self.budget * (1 + 1e-12)
        return np.asarray(ok, bool)

    def values(self, chosen: np.ndarray) -> np.ndarray:
        """``[K, G]`` goal values of the subsets (each distinct subset evaluated once)."""
        found = self.subsets.values(chosen)
        columns = [found[:, self.years.index(g.year), INDICATOR_IDS.index(g.indicator)]
                   for g in self.goals]
        values = np.column_stack(columns) if columns else np.zeros((len(chosen), 0))
        for row, value in zip(chosen, values, strict=True):
            self.evaluated[np.packbits(row).tobytes() + bytes([len(row) % 8])] = value
        return values

    def shortfall(self, values: np.ndarray) -> np.ndarray:
        """``[K]`` the largest relative shortfall over the goals (≤ 0: all met)."""
        gaps = np.column_stack([g.shortfall(values[:, t]) for t, g in enumerate(self.goals)])
        return np.asarray(gaps.max(axis=1), float)

    def key(self, row: np.ndarray) -> tuple[float, int, tuple[int, ...]]:
        """Order of preference among subsets meeting the goals: cost, size, file order."""
        scale = float(np.abs(self.costs).max()) or 1.0
        return (round(float(row @ self.costs) / scale, 9), int(row.sum()),
                tuple(np.flatnonzero(row).tolist()))


def all_subsets(n: int) -> np.ndarray:
    masks = np.arange(2 ** n)
    return ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)


def optimise(park: Park, plan: Plan, goals: list[Goal], budget: float | None = None,
             rate: float = DEFAULT_RATE, costs: Mapping[str, float] | None = None,
             method: str = "auto") -> Portfolio:
    """The cheapest allowed subset of ``plan``'s projects meeting every goal.

    ``method``: ``"exact"``, ``"milp"`` or ``"auto"`` (exact up to :data:`EXACT_LIMIT`
    candidates). An infeasible search returns ``feasible=False`` with the best subset found
    (the smallest largest relative shortfall, then cost) and the message
    ``no subset reaches …; the best reaches …``.
    """
    if plan.meta.park != park.meta.id:
        raise ParkFlowError.single(plan.source_label, "plan.park", f"the plan is for park "
                                   f"'{plan.meta.park}', not for '{park.meta.id}'",
                                   f"optimise it for park '{plan.meta.park}'")
    if not goals:
        raise ParkFlowError.single("--target", "", "no target given",
                                   "give at least one --target indicator=value@year")
    search = Search(park, plan, goals, project_costs(plan, park, rate, costs), budget)
    if method not in ("auto", "exact", "milp"):
        raise ValueError(f"unknown method {method!r}")
    use_exact = method == "exact" or (method == "auto" and search.n <= EXACT_LIMIT)
    row, how = _exact(search) if use_exact else _milp(search)
    if row is None:
        row, best_how = _best(search)
        how = f"{how}; {best_how}"
    values = search.values(row[None, :])[0]
    feasible = bool(search.shortfall(values[None, :])[0] <= _MET)
    chosen = tuple(np.flatnonzero(row).tolist())
    result = Portfolio(plan, tuple(goals), feasible, chosen, tuple(values.tolist()),
                       search.costs, search.capex, how)
    return result if feasible else Portfolio(
        **{**result.__dict__, "message": _message(result, budget is not None)})


def _exact(search: Search) -> tuple[np.ndarray | None, str]:
    rows = all_subsets(search.n)
    rows = rows[search.allowed(rows)]
    order = sorted(range(len(rows)), key=lambda r: search.key(rows[r]))
    rows = rows[order]
    done = 0
    for start in range(0, len(rows), _CHUNK):
        part = rows[start:start + _CHUNK]
        met = np.flatnonzero(search.shortfall(search.values(part)) <= _MET)
        done += len(part)
        if len(met):
            return part[met[0]], (f"exact: {2 ** search.n} subsets, {len(rows)} allowed, "
                                  f"{done} evaluated in order of cost")
    return None, f"exact: all {len(rows)} allowed of {2 ** search.n} subsets evaluated"


def _features(rows: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    x = rows.astype(float)
    products = [x[:, k] * x[:, j] for k, j in pairs]
    return np.column_stack([np.ones(len(x)), x, *products])


def _fit(search: Search) -> tuple[np.ndarray, list[tuple[int, int]], np.ndarray, int]:
    """Coefficients ``[features, G]``, the pairs modelled, the margins ``[G]`` and the size of
    the validation sample."""
    n = search.n
    singles = np.array([search.subsets.with_requirements(k) for k in range(n)]).reshape(n, n)
    pairs = [(k, j) for k in range(n) for j in range(k + 1, n)]
    family = np.vstack([np.zeros((1, n), bool), singles,
                        *[singles[k] | singles[j] for k, j in pairs]] if n else
                       [np.zeros((1, 0), bool)])
    family = np.unique(search.subsets.closed(family), axis=0)
    family = family[search.allowed(family, budget=False)]  # alternatives are never evaluated
    values = search.values(family)
    features = _features(family, pairs)
    coef = np.zeros((features.shape[1], len(search.goals)))
    for t in range(len(search.goals)):
        ok = np.isfinite(values[:, t])
        coef[:, t] = np.linalg.lstsq(features[ok], values[ok, t], rcond=None)[0]
    rng = np.random.default_rng(0)
    sample = rng.random((SAMPLE, n)) < rng.random((SAMPLE, 1))
    for i, j in search.pairs:  # keep one of two alternatives drawn together, at random
        both = sample[:, i] & sample[:, j]
        drop = rng.random(SAMPLE) < 0.5
        sample[both & drop, i] = False
        sample[both & ~drop, j] = False
    sample = np.unique(search.subsets.closed(sample), axis=0)
    sample = sample[search.allowed(sample)]
    margins = np.zeros(len(search.goals))
    if len(sample):
        margins = _errors(search, sample, search.values(sample), coef, pairs)
    return coef, pairs, margins, len(sample)


def _errors(search: Search, rows: np.ndarray, values: np.ndarray, coef: np.ndarray,
            pairs: list[tuple[int, int]]) -> np.ndarray:
    """``[G]`` the model's largest underestimate (for ≥; overestimate for ≤), ≥ 0."""
    model = _features(rows, pairs) @ coef
    out = []
    for t, goal in enumerate(search.goals):
        error = (values[:, t] - model[:, t]) if goal.at_least else (model[:, t] - values[:, t])
        error = error[np.isfinite(error)]
        out.append(max(0.0, float(error.max())) if len(error) else 0.0)
    return np.array(out)


def _structure(search: Search, pairs: list[tuple[int, int]], width: int
               ) -> list[LinearConstraint]:
    """requires, excludes, budget and the product variables, over ``width`` variables."""
    n, rows, low, high = search.n, [], [], []

    def add(coefs: dict[int, float], lo: float, hi: float) -> None:
        row = np.zeros(width)
        for i, v in coefs.items():
            row[i] += v
        rows.append(row)
        low.append(lo)
        high.append(hi)

    for k, needed in enumerate(search.subsets.needs):
        for j in needed:
            add({k: 1, j: -1}, -np.inf, 0)
    for i, j in search.pairs:
        add({i: 1, j: 1}, -np.inf, 1)
    if search.budget is not None:
        add({k: float(c) for k, c in enumerate(search.capex)}, -np.inf,
            search.budget * (1 + 1e-12))
    for p, (k, j) in enumerate(pairs):
        add({n + p: 1, k: -1}, -np.inf, 0)
        add({n + p: 1, j: -1}, -np.inf, 0)
        add({k: 1, j: 1, n + p: -1}, -np.inf, 1)
    return [LinearConstraint(np.array(rows), low, high)] if rows else []


def _cut(row: np.ndarray, width: int) -> LinearConstraint:
    coefs = np.zeros(width)
    coefs[:len(row)] = np.where(row, -1.0, 1.0)
    return LinearConstraint(coefs[None, :], 1 - row.sum(), np.inf)


def _milp(search: Search) -> tuple[np.ndarray | None, str]:
    coef, all_pairs, margins, sampled = _fit(search)
    n, scale = search.n, float(np.abs(search.costs).max()) or 1.0
    used = [p for p, _ in enumerate(all_pairs) if np.abs(coef[1 + n + p]).max() > 1e-12]
    pairs = [all_pairs[p] for p in used]
    coef = np.vstack([coef[:1 + n], coef[1 + n:][used]])
    width = n + len(pairs)
    objective = np.concatenate([search.costs / scale * 1e4 + 1e-3, np.zeros(len(pairs))])
    fixed = _structure(search, pairs, width)
    cuts: list[LinearConstraint] = []
    incumbent: np.ndarray | None = None
    rounds = 0
    while rounds < MAX_ROUNDS:
        goal_rows = [LinearConstraint(coef[1:, t][None, :], *_bounds(g, coef[0, t], margins[t]))
                     for t, g in enumerate(search.goals)]
        bound = [] if incumbent is None else [LinearConstraint(
            objective[None, :], -np.inf, float(objective[:n] @ incumbent) + 1e-7)]
        result = milp(objective, integrality=np.r_[np.ones(n), np.zeros(len(pairs))],
                      bounds=(0, 1), constraints=[*fixed, *goal_rows, *cuts, *bound],
                      options={"mip_rel_gap": 1e-10})
        if result.x is None:
            break  # no subset the model admits is left
        rounds += 1
        row = np.round(result.x[:n]) > 0.5
        values = search.values(row[None, :])
        grown = np.maximum(margins, _errors(search, row[None, :], values, coef, pairs))
        cuts.append(_cut(row, width))
        if search.shortfall(values)[0] <= _MET:
            incumbent = row
            if np.array_equal(grown, margins):
                break
        margins = grown
    how = (f"milp (HiGHS): pairwise model of {n} candidates ({len(pairs)} interactions), "
           f"margins {', '.join(f'{m:.3g}' for m in margins)} (from {sampled} sampled "
           f"subsets), {rounds} choices verified on the batch path")
    if rounds >= MAX_ROUNDS:
        how += f" (stopped at {MAX_ROUNDS} rounds)"
    return incumbent, how


def _bounds(goal: Goal, constant: float, margin: float) -> tuple[float, float]:
    if goal.at_least:
        return goal.value - constant - margin - 1e-9 * abs(goal.value), np.inf
    return -np.inf, goal.value - constant + margin + 1e-9 * abs(goal.value)


def _best(search: Search) -> tuple[np.ndarray, str]:
    """The best subset when none meets the goals: exact over all allowed subsets when small,
    else over every subset evaluated so far."""
    if search.n <= EXACT_LIMIT:
        rows = all_subsets(search.n)
        rows = rows[search.allowed(rows)]
        shortfall = search.shortfall(search.values(rows))
        where = f"best of all {len(rows)} allowed subsets"
    else:
        seen = [(key, value) for key, value in search.evaluated.items()]
        rows = np.array([np.unpackbits(np.frombuffer(k[:-1], np.uint8))[:search.n]
                         for k, _ in seen], bool)
        keep = search.allowed(rows)
        rows = rows[keep]
        shortfall = search.shortfall(np.array([v for _, v in seen])[keep])
        where = f"best of the {len(rows)} allowed subsets evaluated"
    best = min(range(len(rows)), key=lambda r: (float(shortfall[r]), search.key(rows[r])))
    return rows[best], where


def _message(result: Portfolio, budgeted: bool) -> str:
    currency = result.plan.meta.currency
    goals = " and ".join(g.describe(currency) for g in result.goals)
    together = " together" if len(result.goals) > 1 else ""
    within = " within the budget" if budgeted else ""
    reached = ", ".join(
        (f"{g.indicator} " if len(result.goals) > 1 else "") +
        amount(v, g.indicator, currency) for g, v in zip(result.goals, result.values,
                                                         strict=True))
    projects = f"projects {', '.join(result.ids)}" if result.ids else "no project"
    return f"no subset reaches {goals}{together}{within}; the best reaches {reached} " \
           f"({projects})"
