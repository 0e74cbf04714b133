"""Totals the indicators are ratios of, each declared once and computed two ways.

A :class:`FlowSum` is a sum of flows picked by carrier class and node kinds (and the class of
the carrier a flow substitutes), weighted by the quantity, its mass, its energy (tce) or its
CO₂. The same declaration gives the pandas computation over a FlowTable (tables, reports) and
a weight vector over the engine's fixed flow records (``[K, R] @ [R]``: the fast path), so the
two paths cannot disagree about what a total means. :class:`ValueAdded` and
:class:`StockMass` are the two totals that are not flows.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from ..engine.compiled import CompiledPark
from ..engine.solution import Solution
from ..model.park import Park
from ..model.statistics import ParkStatistics
from .weights import WEIGHTS, weight_of, weight_vector

if TYPE_CHECKING:
    from ..results.result import Result

DENSE_LIMIT = 2_000_000  # matrix entries kept dense below this (16 MB)
# Arrays a total derives from a compiled park, built once per park (the fast path evaluates
# many chunks of samples of one park).
_PREPARED: weakref.WeakKeyDictionary[CompiledPark, dict[object, Any]] = (
    weakref.WeakKeyDictionary())


def prepared(compiled: CompiledPark, key: object, build: Callable[[], Any]) -> Any:
    """``build()`` for this park and key, computed once."""
    cache = _PREPARED.setdefault(compiled, {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


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
    weight: str = "quantity"  # a key of mfa.indicators.weights.WEIGHTS

    @classmethod
    def of(cls, classes: Iterable[str] | None = None, source: Iterable[str] | None = None,
           target: Iterable[str] | None = None, substitutes: Iterable[str] | None = None,
           weight: str = "quantity") -> FlowSum:
        """A FlowSum from any iterables of class and kind names."""
        if weight not in WEIGHTS:
            raise ValueError(f"unknown weight '{weight}'")
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

    def weighted(self, flows: pd.DataFrame, park: Park) -> pd.Series:
        """Per FlowTable row: weight × quantity where the row is taken, else 0 (on the
        park's statistical basis)."""
        weight: pd.Series | float = 1.0
        if self.weight != "quantity":
            basis, catalogue = park.statistics.basis, park.catalogue
            factors = {c: weight_of(catalogue[c], self.weight, basis)
                       for c in flows["carrier"].unique()}
            weight = flows["carrier"].map(factors).astype(float)
        return (flows["quantity"] * weight).where(self.mask(flows), 0.0)

    def table(self, result: Result) -> pd.Series:
        flows = result.flows
        values = self.weighted(flows, result.park)
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
        factor = weight_vector(compiled.carrier_info, self.weight, compiled.statistics.basis)
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


@dataclass(frozen=True)
class HeatResource:
    """Σ activity level × declared 余热余压资源量 per unit ("heat" or "pressure"), GJ."""

    part: str

    def _per_unit(self, enterprises: Iterable[str], stats: ParkStatistics) -> np.ndarray:
        resources = stats.heat_resources
        return np.array([getattr(resources[e], self.part) if e in resources else 0.0
                         for e in enterprises], dtype=float)

    def table(self, result: Result) -> pd.Series:
        activity = result.activity
        per_unit = pd.Series(self._per_unit(activity["enterprise"].unique(),
                                            result.park.statistics),
                             index=activity["enterprise"].unique())
        values = activity["level"] * activity["enterprise"].map(per_unit).astype(float)
        return values.groupby(activity["period"]).sum().reindex(result.periods)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        per_unit = prepared(compiled, self, lambda: self._per_unit(
            compiled.node_ids[:compiled.n_enterprises], compiled.statistics))
        totals: np.ndarray = solution.levels @ per_unit
        return totals


@dataclass(frozen=True)
class HeatUsed:
    """Waste heat (or pressure) utilised from the enterprises that declare the resource.

    The numerator of 余热余压利用率 counts only generators with a declared resource, so that
    the rate is recovered / resource of the same plants.
    """

    part: str
    flow: FlowSum

    def _declared(self, compiled: CompiledPark) -> frozenset[str]:
        resources = compiled.statistics.heat_resources
        return frozenset(e for e, r in resources.items() if getattr(r, self.part) > 0)

    def _weights(self, compiled: CompiledPark) -> np.ndarray:
        from_declared = np.isin(np.asarray(compiled.node_ids), sorted(self._declared(compiled)))
        weights: np.ndarray = self.flow.weights(compiled) * from_declared[compiled.records.src]
        return weights

    def table(self, result: Result) -> pd.Series:
        flows = result.flows
        declared = self._declared(result.compiled)
        values = self.flow.weighted(flows, result.park).where(
            flows["source"].isin(sorted(declared)).to_numpy(), 0.0)
        return values.groupby(flows["period"]).sum().reindex(result.periods, fill_value=0.0)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        weights = prepared(compiled, self, lambda: self._weights(compiled))
        totals: np.ndarray = solution.qty @ weights
        return totals


@dataclass(frozen=True)
class Feedstock:
    """原料用能 per enterprise that declares ``feedstock``: tce of the feedstock part of its
    intake minus the energy products it puts out (by-product fuels made from the feed, e.g.
    a cracker's hydrogen, LPG and pyrolysis gasoline: 回收的能源, GB/T 2589), never below 0.
    """

    def _weights(self, compiled: CompiledPark, outputs: bool) -> dict[str, np.ndarray]:
        """Per feedstock enterprise: ``[C]`` tce weight of its feed (or energy outputs)."""
        factor = weight_vector(compiled.carrier_info, "tce", compiled.statistics.basis)
        heat = np.array([c.carrier_class.value == "waste_heat_pressure"
                         for c in compiled.carrier_info], dtype=bool)
        per: dict[str, np.ndarray] = {}
        for ent, shares in compiled.statistics.feedstock.items():
            if outputs:
                per[ent] = np.where(heat, 0.0, factor)
            else:
                share = np.array([shares.get(c, 0.0) for c in compiled.carriers])
                per[ent] = share * factor
        return per

    def per_enterprise(self, flows: pd.DataFrame, park: Park, compiled: CompiledPark
                       ) -> pd.Series:
        """Index (period, enterprise): 原料用能 of each declaring enterprise."""
        column = {c: j for j, c in enumerate(compiled.carriers)}
        cols = flows["carrier"].map(column).to_numpy()
        parts = []
        for ent, feed in self._weights(compiled, False).items():
            out = self._weights(compiled, True)[ent]
            taken = np.where(flows["target"].to_numpy() == ent, feed[cols], 0.0)
            given = np.where(flows["source"].to_numpy() == ent, out[cols], 0.0)
            net = (flows["quantity"] * (taken - given)).groupby(flows["period"]).sum()
            parts.append(net.clip(lower=0.0).rename(ent))
        if not parts:
            return pd.Series(dtype=float, index=pd.MultiIndex.from_tuples(
                [], names=["period", "enterprise"]))
        table: pd.Series = pd.concat(parts, axis=1).stack()
        table.index = table.index.set_names(["period", "enterprise"])
        return table

    def table(self, result: Result) -> pd.Series:
        per = self.per_enterprise(result.flows, result.park, result.compiled)
        return per.groupby(level="period").sum().reindex(result.periods, fill_value=0.0)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        matrix = prepared(compiled, self, lambda: self._matrix(compiled))  # [R, m]
        totals: np.ndarray = np.maximum(solution.qty @ matrix, 0.0).sum(axis=1)
        return totals

    def _matrix(self, compiled: CompiledPark) -> np.ndarray:
        """``[R, m]``: per feedstock enterprise, + feed taken in, − energy products put out."""
        records, nodes = compiled.records, np.asarray(compiled.node_ids)
        feeds, outs = self._weights(compiled, False), self._weights(compiled, True)
        columns = [np.where(nodes[records.dst] == ent, feed[records.car], 0.0)
                   - np.where(nodes[records.src] == ent, outs[ent][records.car], 0.0)
                   for ent, feed in feeds.items()]
        return np.column_stack(columns) if columns else np.zeros((len(records), 0))


@dataclass(frozen=True)
class Regenerated:
    """General solid waste re-generated by its users: per enterprise that takes such waste
    in, the smaller of what it takes in and what it puts out (reprocessing residues).

    The net utilisation rate takes it out of both generation and utilisation, so a line that
    draws old slag and puts its tailings back in a yard does not count as use.
    """

    flow_in: FlowSum
    flow_out: FlowSum

    def table(self, result: Result) -> pd.Series:
        flows = result.flows
        taken = self.flow_in.weighted(flows, result.park).groupby(
            [flows["period"], flows["target"]], observed=True).sum()
        given = self.flow_out.weighted(flows, result.park).groupby(
            [flows["period"], flows["source"]], observed=True).sum()
        both = pd.concat([taken.rename_axis(["period", "node"]),
                          given.rename_axis(["period", "node"])], axis=1).fillna(0.0)
        return both.min(axis=1).groupby(level="period").sum().reindex(result.periods,
                                                                        fill_value=0.0)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        into, out_of = prepared(compiled, self, lambda: self._incidence(compiled))
        qty = solution.qty
        per_node_in = np.asarray(qty @ into)  # [K, nodes]
        per_node_out = np.asarray(qty @ out_of)
        totals: np.ndarray = np.minimum(per_node_in, per_node_out).sum(axis=1)
        return totals

    def _incidence(self, compiled: CompiledPark) -> tuple[Any, Any]:
        """``[R, nodes]``: each record's weighted waste into (out of) its node; sparse for a
        large park (scipy.sparse takes 0.1 s to import, so a small one stays dense)."""
        records, n = compiled.records, len(compiled.node_ids)
        matrices: list[Any] = []
        for flow, nodes in ((self.flow_in, records.dst), (self.flow_out, records.src)):
            weights = flow.weights(compiled)
            rows = np.flatnonzero(weights)
            if len(records) * n <= DENSE_LIMIT:
                dense = np.zeros((len(records), n))
                dense[rows, nodes[rows]] = weights[rows]
                matrices.append(dense)
                continue
            import scipy.sparse as sp

            matrices.append(sp.csr_array((weights[rows], (rows, nodes[rows])),
                                         shape=(len(records), n)))
        return matrices[0], matrices[1]


@dataclass(frozen=True)
class Declared:
    """A park-level declaration (e.g. industrial land, hm²), NaN when the park gives none."""

    name: str

    def _value(self, compiled: CompiledPark) -> float:
        value = getattr(compiled.statistics, self.name)
        return float("nan") if value is None else float(value)

    def table(self, result: Result) -> pd.Series:
        return pd.Series(self._value(result.compiled), index=result.periods)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        return np.full(solution.size, self._value(compiled))


@dataclass(frozen=True)
class BasisFlag:
    """1.0 where the park's basis sets ``key`` to ``value``, else 0.0 (a switch in formulas)."""

    key: str
    value: str

    def _flag(self, compiled: CompiledPark) -> float:
        return float(getattr(compiled.statistics.basis, self.key) == self.value)

    def table(self, result: Result) -> pd.Series:
        return pd.Series(self._flag(result.compiled), index=result.periods)

    def fast(self, compiled: CompiledPark, solution: Solution) -> np.ndarray:
        return np.full(solution.size, self._flag(compiled))
