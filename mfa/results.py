"""The result of a balance: the FlowTable and its companion tables, as pandas objects.

FlowTable (``result.flows``): one row per (period, source, target, carrier), quantity in the
carrier's canonical unit per year, with node kinds and the carrier class so the statistical
identities can be recomputed from ``flows.csv`` alone. Time simulation (later) produces the
same schema with more periods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .compiled import CompiledPark
from .model import Park

if TYPE_CHECKING:
    import networkx as nx

FLOW_COLUMNS = [
    "period", "source", "source_kind", "target", "target_kind",
    "carrier", "carrier_class", "quantity", "unit",
]


@dataclass
class BalanceResult:
    """One or more periods of a park's flows.

    Attributes
    ----------
    flows
        The FlowTable (see module docstring).
    stockpiles
        Per period and stockpile: opening, stored, withdrawn (utilised / disposed / other),
        closing and capacity, in the carrier's unit.
    activity
        Per period and enterprise: activity level, capacity and value added.
    enterprise_balance
        Per period, enterprise and carrier: quantity produced and consumed (after
        substitution), which the flows must match.
    link_flows
        Per period and link: sent, delivered, lost, substitution and the binding limit.
    """

    park: Park
    flows: pd.DataFrame
    stockpiles: pd.DataFrame
    activity: pd.DataFrame
    enterprise_balance: pd.DataFrame
    link_flows: pd.DataFrame
    baseline: BalanceResult | None = None  # the base year, for indices such as 资源产出率指数
    notes: list[str] = field(default_factory=list)  # things worth a second look

    @property
    def periods(self) -> list[int]:
        return sorted(int(p) for p in self.activity["period"].unique())

    def indicators(self) -> pd.DataFrame:
        """Park-wide official indicators per period; see :mod:`mfa.indicators`."""
        from .indicators import park_indicators

        return park_indicators(self)

    def indicators_by_carrier(self) -> pd.DataFrame:
        """Generation, utilisation, storage, disposal and rates per waste carrier."""
        from .indicators import waste_by_carrier

        return waste_by_carrier(self)

    def indicators_by_enterprise(self) -> pd.DataFrame:
        """Value added, resource use, energy, water and waste utilisation per enterprise."""
        from .indicators import by_enterprise

        return by_enterprise(self)

    def graph(self) -> nx.DiGraph:
        """Solved flows as a networkx ``DiGraph``; see :func:`mfa.network.flow_graph`."""
        from .network import flow_graph

        return flow_graph(self)

    def check(self, rtol: float = 1e-6) -> None:
        """Raise ``AssertionError`` unless every balance closes; see :mod:`mfa.testing`."""
        from .testing import assert_balanced

        assert_balanced(self, rtol=rtol)


def assemble_result(
    park: Park,
    compiled: CompiledPark,
    year: int,
    levels: np.ndarray,
    produced: np.ndarray,
    demanded: np.ndarray,
    ledger: Any,
) -> BalanceResult:
    """Turn the solver's ledger into the result tables."""
    flows = flow_table(compiled, year, ledger.src, ledger.dst, ledger.car, ledger.qty)
    links = _link_table(park, year, ledger.link_rows)
    consumed = _consumed_after_substitution(compiled, demanded, links)
    return BalanceResult(
        park=park,
        flows=flows,
        stockpiles=_stockpile_table(park, year, flows),
        activity=_activity_table(park, year, levels),
        enterprise_balance=_enterprise_balance(compiled, year, produced, consumed),
        link_flows=links,
        notes=_waste_from_outside(flows),
    )


# Waste classes that a park rarely buys: when unmet demand for them comes from the market the
# activity level of the user may be set higher than what the park supplies it.
_WASTE_CLASSES = ("general_solid_waste", "hazardous_waste", "wastewater", "waste_heat_pressure")


def _waste_from_outside(flows: pd.DataFrame) -> list[str]:
    # Only the implicit nodes: a node the park declares to supply waste is intended.
    bought = flows[flows["source"].isin(["market", "environment"])
                   & flows["carrier_class"].isin(_WASTE_CLASSES)]
    return [
        f"{row.target} receives {row.quantity:,.6g} {row.unit}/a of {row.carrier} from outside "
        f"the park ({row.source}) in {row.period}: its demand is not met by links; if that is "
        "not intended, lower its activity level or add a link"
        for row in bought.itertuples(index=False)
    ]


def flow_table(
    compiled: CompiledPark,
    year: int,
    src: list[int],
    dst: list[int],
    car: list[int],
    qty: list[float],
) -> pd.DataFrame:
    """Aggregate raw flow records to one row per (source, target, carrier)."""
    nodes, m = len(compiled.node_ids), len(compiled.carriers)
    key = (np.asarray(src, dtype=np.int64) * nodes + np.asarray(dst, dtype=np.int64)) * m
    key += np.asarray(car, dtype=np.int64)
    unique, inverse = np.unique(key, return_inverse=True)
    quantity = np.bincount(inverse, weights=np.asarray(qty, dtype=float), minlength=len(unique))
    keep = quantity > 0
    unique, quantity = unique[keep], quantity[keep]
    carrier = unique % m
    pair = unique // m
    source, target = pair // nodes, pair % nodes
    kinds = np.asarray(compiled.node_kinds)
    frame = pd.DataFrame({
        "period": np.full(len(unique), year, dtype=np.int64),
        "source": np.asarray(compiled.node_ids)[source],
        "source_kind": kinds[source],
        "target": np.asarray(compiled.node_ids)[target],
        "target_kind": kinds[target],
        "carrier": np.asarray(compiled.carriers)[carrier],
        "carrier_class": np.asarray(compiled.carrier_classes)[carrier],
        "quantity": quantity,
        "unit": np.asarray(compiled.units)[carrier],
    })
    frame.attrs["units"] = dict(zip(compiled.carriers, compiled.units, strict=True))
    frame.attrs["quantity"] = "per year, in each carrier's canonical unit (see 'unit')"
    return frame


def _link_table(park: Park, year: int, rows: list[tuple[int, float, float, str]]) -> pd.DataFrame:
    records = []
    for index, sent, delivered, binding in rows:
        link = park.links[index]
        records.append({
            "period": year, "link": link.id, "source": link.source, "target": link.target,
            "carrier": link.carrier, "mode": link.mode, "sent": sent, "delivered": delivered,
            "lost": sent - delivered, "substitutes": link.substitutes or "",
            "substituted": delivered * link.ratio if link.substitutes else 0.0,
            "binding": binding,
        })
    columns = ["period", "link", "source", "target", "carrier", "mode", "sent", "delivered",
               "lost", "substitutes", "substituted", "binding"]
    return pd.DataFrame(records, columns=columns)


def _consumed_after_substitution(
    compiled: CompiledPark, demanded: np.ndarray, links: pd.DataFrame
) -> np.ndarray:
    consumed = demanded.copy()
    column = {c: j for j, c in enumerate(compiled.carriers)}
    node = {n: i for i, n in enumerate(compiled.node_ids)}
    for row in links[links["substitutes"] != ""].itertuples():
        receiver = node[str(row.target)]
        consumed[receiver, column[str(row.carrier)]] += float(row.delivered)  # type: ignore[arg-type]
        consumed[receiver, column[str(row.substitutes)]] -= float(row.substituted)  # type: ignore[arg-type]
    return consumed


def _enterprise_balance(
    compiled: CompiledPark, year: int, produced: np.ndarray, consumed: np.ndarray
) -> pd.DataFrame:
    rows, cols = np.nonzero((produced > 0) | (np.abs(consumed) > 0))
    return pd.DataFrame({
        "period": np.full(len(rows), year, dtype=np.int64),
        "enterprise": np.asarray(compiled.node_ids)[rows],
        "carrier": np.asarray(compiled.carriers)[cols],
        "produced": produced[rows, cols],
        "consumed": consumed[rows, cols],
        "unit": np.asarray(compiled.units)[cols],
    })


def _activity_table(park: Park, year: int, levels: np.ndarray) -> pd.DataFrame:
    ents = park.enterprises
    value_added = np.array([e.value_added for e in ents])
    return pd.DataFrame({
        "period": np.full(len(ents), year, dtype=np.int64),
        "enterprise": [e.id for e in ents],
        "reference": [e.reference for e in ents],
        "unit": [park.catalogue[e.reference].unit for e in ents],
        "level": levels,
        "capacity": [e.capacity for e in ents],
        "value_added_per_unit": value_added,
        "value_added": levels * value_added,
    })


def _stockpile_table(park: Park, year: int, flows: pd.DataFrame) -> pd.DataFrame:
    records = []
    for node in park.boundary.values():
        if node.kind != "stockpile":
            continue
        inflow = flows[flows["target"] == node.id]
        outflow = flows[flows["source"] == node.id]
        out_kind = outflow.groupby("target_kind")["quantity"].sum()
        stored = float(inflow["quantity"].sum())
        utilised = float(out_kind.get("enterprise", 0.0) + out_kind.get("market", 0.0))
        disposed = float(out_kind.get("disposal", 0.0))
        other = float(outflow["quantity"].sum()) - utilised - disposed
        records.append({
            "period": year, "stockpile": node.id, "carrier": node.carrier,
            "unit": park.catalogue[node.carrier or ""].unit if node.carrier else "",
            "opening": node.opening_stock, "stored": stored,
            "withdrawn_utilised": utilised, "withdrawn_disposed": disposed,
            "withdrawn_other": other,
            "closing": node.opening_stock + stored - utilised - disposed - other,
            "capacity": node.capacity,
        })
    columns = ["period", "stockpile", "carrier", "unit", "opening", "stored",
               "withdrawn_utilised", "withdrawn_disposed", "withdrawn_other", "closing",
               "capacity"]
    return pd.DataFrame(records, columns=columns)
