"""The result of a balance: the FlowTable and its companion tables, as pandas objects.

FlowTable (``result.flows``): one row per (period, source, target, carrier), quantity in the
carrier's canonical unit per year, with node kinds and the carrier class so the statistical
identities can be recomputed from ``flows.csv`` alone. Time simulation (later) produces the
same schema with more periods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ..engine.compiled import CompiledPark
from ..model.park import Park

FLOW_COLUMNS = [
    "period", "source", "source_kind", "target", "target_kind",
    "carrier", "carrier_class", "quantity", "unit",
]


@dataclass
class Result:
    """One or more periods of a park's flows (:class:`mfa.BalanceResult` adds the indicators).

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
    baseline: Result | None = None  # the base year, for indices such as 资源产出率指数
    notes: list[str] = field(default_factory=list)  # things worth a second look

    @property
    def periods(self) -> list[int]:
        """The periods (years) the result holds, in order."""
        return sorted(int(p) for p in self.activity["period"].unique())


R = TypeVar("R", bound=Result)


def assemble_result(
    park: Park,
    compiled: CompiledPark,
    year: int,
    levels: np.ndarray,
    produced: np.ndarray,
    demanded: np.ndarray,
    ledger: Any,
    result_type: type[R],
) -> R:
    """Turn the solver's ledger into the result tables."""
    flows = flow_table(compiled, year, ledger.src, ledger.dst, ledger.car, ledger.qty)
    links = _link_table(park, compiled, year, ledger.link_rows)
    order = np.asarray([row[0] for row in ledger.link_rows], dtype=np.int64)
    consumed = _consumed_after_substitution(compiled, demanded, links, order)
    return result_type(
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


def _labels(names: list[str], codes: np.ndarray) -> pd.Categorical:
    """``names[codes]`` as a categorical: cheap to build and to filter on large tables."""
    categories, position = np.unique(np.asarray(names, dtype=object), return_inverse=True)
    labels: pd.Categorical = pd.Categorical.from_codes(
        position[codes].astype(np.int64), categories=pd.Index(categories))
    return labels


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
    frame = pd.DataFrame({
        "period": np.full(len(unique), year, dtype=np.int64),
        "source": _labels(compiled.node_ids, source),
        "source_kind": _labels(compiled.node_kinds, source),
        "target": _labels(compiled.node_ids, target),
        "target_kind": _labels(compiled.node_kinds, target),
        "carrier": _labels(compiled.carriers, carrier),
        "carrier_class": _labels(compiled.carrier_classes, carrier),
        "quantity": quantity,
        "unit": _labels(compiled.units, carrier),
    })
    frame.attrs["units"] = dict(zip(compiled.carriers, compiled.units, strict=True))
    frame.attrs["quantity"] = "per year, in each carrier's canonical unit (see 'unit')"
    return frame


def _link_table(
    park: Park, compiled: CompiledPark, year: int, rows: list[tuple[int, float, float, str]]
) -> pd.DataFrame:
    index, sent, delivered, binding = (list(column) for column in zip(*rows, strict=True)) if (
        rows) else ([], [], [], [])
    order = np.asarray(index, dtype=np.int64)
    sent_a, delivered_a = np.asarray(sent, dtype=float), np.asarray(delivered, dtype=float)
    meta = _link_meta(park).iloc[order].reset_index(drop=True)
    substituting = (meta["substitutes"] != "").to_numpy()
    table = pd.DataFrame({"period": np.full(len(order), year, dtype=np.int64)})
    table = pd.concat([table, meta[["link", "source", "target", "carrier", "mode"]]], axis=1)
    table["sent"] = sent_a
    table["delivered"] = delivered_a
    table["lost"] = sent_a - delivered_a
    table["substitutes"] = meta["substitutes"]
    table["substituted"] = np.where(substituting, delivered_a * compiled.links.ratio[order], 0.0)
    table["binding"] = pd.Categorical(binding)
    return table


def _link_meta(park: Park) -> pd.DataFrame:
    """Static description of the links, one row per link in file order (cached per park)."""
    cached = park.__dict__.get("_link_meta")
    if isinstance(cached, pd.DataFrame):
        return cached
    links = park.links
    meta = pd.DataFrame({
        "link": [link.id for link in links],
        "source": [link.source for link in links],
        "target": [link.target for link in links],
        "carrier": [link.carrier for link in links],
        "mode": [link.mode for link in links],
        "substitutes": [link.substitutes or "" for link in links],
    })
    park.__dict__["_link_meta"] = meta
    return meta


def _consumed_after_substitution(
    compiled: CompiledPark, demanded: np.ndarray, links: pd.DataFrame, order: np.ndarray
) -> np.ndarray:
    """Receivers consume the delivered substitute and that much less of what it replaces."""
    consumed = demanded.copy()
    mask = (links["substitutes"] != "").to_numpy()
    chosen = order[mask]
    receiver = compiled.links.target[chosen]
    np.add.at(consumed, (receiver, compiled.links.carrier[chosen]),
              links["delivered"].to_numpy()[mask])
    np.add.at(consumed, (receiver, compiled.links.demand_column[chosen]),
              -links["substituted"].to_numpy()[mask])
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
    piles = [node for node in park.boundary.values() if node.kind == "stockpile"]
    columns = ["period", "stockpile", "carrier", "unit", "opening", "stored",
               "withdrawn_utilised", "withdrawn_disposed", "withdrawn_other", "closing",
               "capacity"]
    if not piles:
        return pd.DataFrame(columns=columns)
    stored = flows[flows["target_kind"] == "stockpile"].groupby(
        "target", observed=True)["quantity"].sum()
    withdrawn = flows[flows["source_kind"] == "stockpile"].groupby(
        ["source", "target_kind"], observed=True)["quantity"].sum()

    def out(node: str, kinds: tuple[str, ...]) -> float:
        return float(sum(withdrawn.get((node, kind), 0.0) for kind in kinds))

    table = pd.DataFrame({
        "period": year,
        "stockpile": [p.id for p in piles],
        "carrier": [p.carrier for p in piles],
        "unit": [park.catalogue[p.carrier or ""].unit for p in piles],
        "opening": [p.opening_stock for p in piles],
        "stored": [float(stored.get(p.id, 0.0)) for p in piles],
        "withdrawn_utilised": [out(p.id, ("enterprise", "market")) for p in piles],
        "withdrawn_disposed": [out(p.id, ("disposal",)) for p in piles],
        "withdrawn_other": [out(p.id, ("treatment", "environment", "stockpile")) for p in piles],
        "capacity": [p.capacity for p in piles],
    })
    table["closing"] = (table["opening"] + table["stored"] - table["withdrawn_utilised"]
                        - table["withdrawn_disposed"] - table["withdrawn_other"])
    return table[columns]
