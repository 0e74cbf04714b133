"""The fast path: every official indicator for a batch of Solutions, as an array ``[K, I]``.

Flow totals are one matrix product of the record quantities with weights computed once per
compiled park (:meth:`mfa.indicators.totals.FlowSum.weights`); then the registered formulas
run on the ``[K]`` totals. No pandas.
"""

from __future__ import annotations

import weakref

import numpy as np

from ..engine.compiled import CompiledPark
from ..engine.greedy import solve
from ..engine.solution import Solution
from ..model.indicator_defs import INDICATORS
from . import official  # registers the indicators
from .availability import unavailable
from .registry import TOTALS, compute_all, needed_totals
from .totals import DENSE_LIMIT, FlowSum

INDICATOR_IDS = list(INDICATORS)


class FastIndicators:
    """Indicator arrays for the Solutions of one compiled park."""

    def __init__(self, compiled: CompiledPark) -> None:
        self.compiled = compiled
        names = needed_totals()
        flow_sums = {n: t for n in names if isinstance(t := TOTALS[n], FlowSum)}
        self.flow_names = list(flow_sums)
        self.other_names = [n for n in names if n not in flow_sums]
        # Each total takes a few of the records: one sparse [records, totals] matrix, not a
        # dense one (10,000 enterprises have 10⁵ records); one product gives every total.
        weights = np.column_stack([flow.weights(compiled) for flow in flow_sums.values()])
        if weights.size > DENSE_LIMIT:
            import scipy.sparse as sp  # 0.1 s to import: not for a small park's one balance

            weights = sp.csc_array(weights)
        self.weights = weights
        self.missing = unavailable(compiled.statistics, compiled.carrier_info)

    def totals(self, solution: Solution) -> dict[str, np.ndarray]:
        """``[K]`` of every total the indicators need."""
        sums = np.asarray(solution.qty @ self.weights)  # [K, flow totals]
        totals = {name: sums[:, j] for j, name in enumerate(self.flow_names)}
        for name in self.other_names:
            totals[name] = TOTALS[name].fast(self.compiled, solution)
        return totals

    def evaluate(self, solution: Solution, base_rate: np.ndarray | float | None = None
                 ) -> np.ndarray:
        """``[K, I]`` indicator values in :data:`INDICATOR_IDS` order.

        ``base_rate`` is the base year's resource output rate per sample (for the index);
        default: the central base-year solve of the park.
        """
        totals: dict[str, np.ndarray] = dict(self.totals(solution))
        base = base_year_rate(self.compiled) if base_rate is None else base_rate
        totals["base_resource_output_rate"] = np.broadcast_to(
            np.asarray(base, dtype=float), (solution.size,))
        values = compute_all(totals, self.missing)
        return np.column_stack([np.broadcast_to(values[i], (solution.size,))
                                for i in INDICATOR_IDS])

    def resource_output_rate(self, solution: Solution) -> np.ndarray:
        """``[K]`` resource output rate (value added / primary resource consumption)."""
        totals = self.totals(solution)
        return official.resource_output_rate(totals)


_FAST: weakref.WeakKeyDictionary[CompiledPark, FastIndicators] = weakref.WeakKeyDictionary()
_BASE: weakref.WeakKeyDictionary[CompiledPark, float] = weakref.WeakKeyDictionary()


def fast_indicators(compiled: CompiledPark) -> FastIndicators:
    """The fast path of one compiled park (built once, then kept with the park)."""
    if compiled not in _FAST:
        _FAST[compiled] = FastIndicators(compiled)
    return _FAST[compiled]


def base_year_rate(compiled: CompiledPark) -> float:
    """The resource output rate of the park's base year at central values (solved once per
    compiled park): the denominator of 资源产出率指数. NaN when the base year is infeasible.
    A planned park divides by its baseline's rate (the park the plan was applied to)."""
    if compiled.baseline is not None:
        return base_year_rate(compiled.baseline)
    if compiled not in _BASE:
        solution = solve(compiled, compiled.base_year)
        rate = fast_indicators(compiled).resource_output_rate(solution)[0]
        _BASE[compiled] = float(rate) if solution.status[0] == 0 else float("nan")
    return _BASE[compiled]
