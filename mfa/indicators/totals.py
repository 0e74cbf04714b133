"""Totals the indicators are ratios of, each declared once and computed two ways.

A :class:`FlowSum` is a sum of flows picked by carrier class and node kinds (and the class of
the carrier a flow substitutes), weighted by the quantity, its mass, its energy (tce) or its
CO₂. The same declaration gives the pandas computation over a FlowTable (tables, reports) and
a weight vector over the engine's fixed flow records (``[K, R] @ [R]``: the fast path), so the
two paths cannot disagree about what a total means. :class:`ValueAdded` and
:class:`StockMass` are the two totals that are not flows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
import pandas as pd

from ..engine.compiled import CompiledPark
from ..engine.solution import Solution
from ..model.carriers import Catalogue

if TYPE_CHECKING:
    from ..results.result import Result

Weight = Literal["quantity", "mass", "tce", "co2"]
_WEIGHT_ATTRIBUTE = {"mass": "t_per_unit", "tce": "tce_per_unit", "co2": "co2_per_unit"}


class Total(Protocol):
    """A per-period total: from result tables, and from a batch of solutions."""

    def table(self, result: Result) -> pd.Series:
        """One value per period (index: period)."""
        ...

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        """One value per sample, ``[K]``."""
        ...


def _isin(column: pd.Series, allowed: frozenset[str]) -> np.ndarray:
    """``column.isin(allowed)`` as a boolean array; for a categorical, on its categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        passes = np.append(column.cat.categories.isin(sorted(allowed)), False)  # code −1: NaN
        found: np.ndarray = passes[codes]
        return found
    return column.isin(sorted(allowed)).to_numpy()


def _members(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


@dataclass(frozen=True)
class FlowSum:
    """Σ weight × quantity over the flows that match every given filter (``None``: any)."""

    classes: frozenset[str] | None = None
    source_kinds: frozenset[str] | None = None
    target_kinds: frozenset[str] | None = None
    substitutes_classes: frozenset[str] | None = None
    weight: Weight = "quantity"

    @classmethod
    def of(cls, classes: Iterable[str] | None = None, source: Iterable[str] | None = None,
           target: Iterable[str] | None = None, substitutes: Iterable[str] | None = None,
           weight: Weight = "quantity") -> FlowSum:
        """A FlowSum from any iterables of class and kind names."""
        return cls(_members(classes), _members(source), _members(target),
                   _members(substitutes), weight)

    def _filters(self) -> list[tuple[str, frozenset[str]]]:
        pairs = [("carrier_class", self.classes), ("source_kind", self.source_kinds),
                 ("target_kind", self.target_kinds),
                 ("substitutes_class", self.substitutes_classes)]
        return [(column, allowed) for column, allowed in pairs if allowed is not None]

    def mask(self, flows: pd.DataFrame) -> pd.Series:
        """Which rows of a FlowTable the sum takes."""
        mask = np.ones(len(flows), dtype=bool)
        for column, allowed in self._filters():
            mask &= _isin(flows[column], allowed)
        return pd.Series(mask, index=flows.index)

    def weighted(self, flows: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
        """Per FlowTable row: weight × quantity where the row is taken, else 0."""
        weight: pd.Series | float = 1.0
        if self.weight != "quantity":
            attribute = _WEIGHT_ATTRIBUTE[self.weight]
            factors = {c: getattr(catalogue[c], attribute) or 0.0
                       for c in flows["carrier"].unique()}
            weight = flows["carrier"].map(factors).astype(float)
        return (flows["quantity"] * weight).where(self.mask(flows), 0.0)

    def table(self, result: Result) -> pd.Series:
        flows = result.flows
        values = self.weighted(flows, result.park.catalogue)
        return values.groupby(flows["period"]).sum().reindex(result.periods, fill_value=0.0)

    def weights(self, compiled: CompiledPark) -> np.ndarray:
        """``[R]``: the weight of each engine flow record (0 where the filters exclude it)."""
        records = compiled.records
        kinds = np.asarray(compiled.node_kinds)
        classes = np.asarray(compiled.carrier_classes)
        lookups = {  # which values pass, and the record's index into them
            "carrier_class": (classes, records.car),
            "source_kind": (kinds, records.src),
            "target_kind": (kinds, records.dst),
            "substitutes_class": (np.asarray(["", *compiled.carrier_classes]), records.sub + 1),
        }
        mask = np.ones(len(records), dtype=bool)
        for column, allowed in self._filters():
            values, index = lookups[column]
            mask &= np.isin(values, sorted(allowed))[index]
        factor = {"quantity": np.ones(len(compiled.carriers)), "mass": compiled.mass,
                  "tce": compiled.tce, "co2": compiled.co2}[self.weight]
        weights: np.ndarray = np.where(mask, factor[records.car], 0.0)
        return weights

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        totals: np.ndarray = solution.qty @ self.weights(compiled)
        return totals


@dataclass(frozen=True)
class ValueAdded:
    """Σ activity level × value added per unit (park currency)."""

    def table(self, result: Result) -> pd.Series:
        activity = result.activity
        return activity.groupby("period")["value_added"].sum().reindex(result.periods)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        totals: np.ndarray = np.einsum("kn,kn->k", solution.levels, solution.value_added)
        return totals


@dataclass(frozen=True)
class StockMass:
    """Σ closing stock of every stockpile, in t."""

    def table(self, result: Result) -> pd.Series:
        stock = result.stockpiles
        if stock.empty:
            return pd.Series(0.0, index=result.periods)
        mass = stock["carrier"].map({c: result.park.catalogue[c].t_per_unit or 0.0
                                     for c in stock["carrier"].unique()}).astype(float)
        return (stock["closing"] * mass).groupby(stock["period"]).sum().reindex(
            result.periods, fill_value=0.0)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        totals: np.ndarray = solution.closing @ compiled.mass[compiled.pile_carrier]
        return totals
