"""Result tables (pandas) built from one sample of engine Solutions, once per run.

Each table has one row per period and element; periods stack, so a simulation with many
periods produces the same tables as a steady state with one. The columns of each table are
listed, with their meaning, in :data:`COLUMNS` (the docs and tests read it).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..engine.compiled import CompiledPark
from ..engine.solution import Solution
from ..model.ledger import MEANING, Meaning

COLUMNS: dict[str, dict[str, str]] = {
    "flows": {
        "period": "year", "source": "node the flow leaves", "source_kind": "its kind",
        "target": "node it enters", "target_kind": "its kind", "carrier": "carrier id",
        "carrier_class": "official class of the carrier",
        "quantity": "per year, in the carrier's canonical unit", "unit": "that unit",
        "substitutes": "carrier it replaces at the receiver ('' when none)",
        "substitutes_class": "class of that carrier ('' when none)",
    },
    "stockpiles": {
        "period": "year", "stockpile": "node id", "carrier": "what it holds", "unit": "unit",
        "opening": "stock at the start of the period", "stored": "put in during the period",
        "withdrawn_utilised": "taken out to users (enterprises, market)",
        "withdrawn_disposed": "taken out to disposal or treatment",
        "withdrawn_other": "taken out to the environment or another stockpile",
        "closing": "stock at the end", "capacity": "capacity (inf when none)",
    },
    "activity": {
        "period": "year", "enterprise": "id", "reference": "reference carrier",
        "unit": "its unit", "level": "activity level per year", "capacity": "capacity",
        "value_added_per_unit": "value added per unit of activity",
        "value_added": "level × value added per unit",
    },
    "enterprise_balance": {
        "period": "year", "enterprise": "id", "carrier": "carrier id",
        "produced": "gross output", "consumed": "gross input after substitution",
        "unit": "canonical unit",
    },
    "link_flows": {
        "period": "year", "link": "link id", "source": "supplier", "target": "receiver",
        "carrier": "carrier", "mode": "share, quantity, cap or free", "sent": "sent",
        "delivered": "arrived", "lost": "lost on the way", "substitutes": "replaced carrier",
        "substituted": "units replaced", "binding": "limit that bound it (supply, bound, demand)",
    },
}
BINDING = ["supply", "bound", "demand"]


def _labels(names: tuple[str, ...], codes: np.ndarray, sort: bool = True) -> pd.Categorical:
    """``names[codes]`` as a categorical: cheap to build and to filter on large tables.

    Categories are sorted (so ``groupby`` on a column lists its values alphabetically),
    except with ``sort=False``, for unique row labels such as link ids, whose sorting
    would cost a second at 500,000 links: those keep the compiled order."""
    dtype, position = _categories(names, sort)
    labels: pd.Categorical = pd.Categorical.from_codes(
        codes if position is None else position[codes], dtype=dtype)
    return labels


@functools.lru_cache(maxsize=64)
def _categories(names: tuple[str, ...], sort: bool
                ) -> tuple[pd.CategoricalDtype, np.ndarray | None]:
    """The distinct ``names`` as a categorical dtype, and the code of each position in
    ``names`` (None where positions are the codes). Kept per tuple of names: a compiled
    park's names are built once."""
    if not sort:
        return pd.CategoricalDtype(pd.Index(names, dtype=object)), None
    distinct, position = np.unique(np.asarray(names, dtype=object), return_inverse=True)
    return pd.CategoricalDtype(pd.Index(distinct)), position.astype(np.int64)


def _stack(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS[table]))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def flow_table(compiled: CompiledPark, solutions: Sequence[Solution], sample: int = 0
               ) -> pd.DataFrame:
    """The FlowTable: one row per (period, source, target, carrier, substituted carrier)."""
    return _stack([_flows(compiled, s, sample) for s in solutions], "flows")


def _flows(compiled: CompiledPark, solution: Solution, sample: int) -> pd.DataFrame:
    unique, inverse = flow_keys(compiled)
    quantity = np.bincount(inverse, weights=solution.qty[sample], minlength=len(unique))
    keep = quantity > 0
    return pd.DataFrame({"period": np.full(int(keep.sum()), solution.period, dtype=np.int64),
                         **flow_columns(compiled, unique[keep], quantity[keep])})


def flow_keys(compiled: CompiledPark) -> tuple[np.ndarray, np.ndarray]:
    """The FlowTable's rows: the distinct (source, target, carrier, substituted carrier)
    codes of the flow records, sorted, and the row of each record (records of one row —
    a link's delivery and the leftover to the same node — add up)."""
    records = compiled.records
    nodes, m = len(compiled.node_ids), len(compiled.carriers)
    src = records.src.astype(np.int64)  # int32 codes: the key needs 64 bits
    key = ((src * nodes + records.dst) * m + records.car) * (m + 1) + records.sub + 1
    unique, inverse = np.unique(key, return_inverse=True)
    return unique, inverse


def flow_columns(compiled: CompiledPark, codes: np.ndarray, quantity: np.ndarray
                 ) -> dict[str, object]:
    """The FlowTable's columns after ``period`` for rows of :func:`flow_keys` codes."""
    nodes, m = len(compiled.node_ids), len(compiled.carriers)
    sub = codes % (m + 1) - 1
    rest = codes // (m + 1)
    carrier, pair = rest % m, rest // m
    source, target = pair // nodes, pair % nodes
    with_none = ("", *compiled.carriers)
    classes = ("", *compiled.carrier_classes)
    return {
        "source": _labels(compiled.node_ids, source),
        "source_kind": _labels(compiled.node_kinds, source),
        "target": _labels(compiled.node_ids, target),
        "target_kind": _labels(compiled.node_kinds, target),
        "carrier": _labels(compiled.carriers, carrier),
        "carrier_class": _labels(compiled.carrier_classes, carrier),
        "quantity": quantity,
        "unit": _labels(compiled.units, carrier),
        "substitutes": _labels(with_none, sub + 1),
        "substitutes_class": _labels(classes, sub + 1),
    }


def link_table(compiled: CompiledPark, solutions: Sequence[Solution], sample: int = 0
               ) -> pd.DataFrame:
    """Per period and active link, in serving order: what it sent and what bound it."""
    return _stack([_links(compiled, s, sample) for s in solutions], "link_flows")


def _links(compiled: CompiledPark, solution: Solution, sample: int) -> pd.DataFrame:
    links = compiled.links
    order = links.order[solution.active[links.order]]
    sent = solution.sent[sample, order]
    delivered = sent * links.keep[order]
    substitutes = np.where(links.substitutes[order] >= 0, links.substitutes[order] + 1, 0)
    return pd.DataFrame({
        "period": np.full(len(order), solution.period, dtype=np.int64),
        "link": _labels(links.ids, order, sort=False),
        "source": _labels(compiled.node_ids, links.source[order]),
        "target": _labels(compiled.node_ids, links.target[order]),
        "carrier": _labels(compiled.carriers, links.carrier[order]),
        "mode": _labels(("share", "quantity", "cap", "free"), links.mode[order]),
        "sent": sent,
        "delivered": delivered,
        "lost": sent - delivered,
        "substitutes": _labels(("", *compiled.carriers), substitutes),
        "substituted": solution.substituted[sample, order],
        "binding": pd.Categorical.from_codes(
            solution.binding[sample, order].astype(np.int64) - 1, categories=pd.Index(BINDING)),
    })


def stockpile_table(compiled: CompiledPark, solutions: Sequence[Solution], sample: int = 0
                    ) -> pd.DataFrame:
    """Per period and stockpile: opening, stored, withdrawn by meaning, closing."""
    return _stack([_stockpiles(compiled, s, sample) for s in solutions], "stockpiles")


def _stockpiles(compiled: CompiledPark, solution: Solution, sample: int) -> pd.DataFrame:
    records, qty = compiled.records, solution.qty[sample]
    nodes = len(compiled.node_ids)
    kinds = np.array([MEANING[kind] for kind in compiled.node_kinds], dtype=object)

    def by_node(mask: np.ndarray, end: np.ndarray) -> np.ndarray:
        totals = np.bincount(end[mask], weights=qty[mask], minlength=nodes)
        picked: np.ndarray = totals[compiled.pile_node]
        return picked

    out_to = kinds[records.dst]
    withdrawn = {meaning: by_node(out_to == meaning, records.src) for meaning in Meaning}
    piles = compiled.pile_node
    return pd.DataFrame({
        "period": np.full(len(piles), solution.period, dtype=np.int64),
        "stockpile": [compiled.node_ids[i] for i in piles],
        "carrier": [compiled.carriers[c] for c in compiled.pile_carrier],
        "unit": [compiled.units[c] for c in compiled.pile_carrier],
        "opening": solution.opening[sample],
        "stored": by_node(np.ones(len(qty), dtype=bool), records.dst),
        "withdrawn_utilised": withdrawn[Meaning.UTILISED],
        "withdrawn_disposed": withdrawn[Meaning.DISPOSED],
        "withdrawn_other": withdrawn[Meaning.STORED] + withdrawn[Meaning.DUMPED],
        "closing": solution.closing[sample],
        "capacity": compiled.pile_capacity,
    })


def activity_table(compiled: CompiledPark, solutions: Sequence[Solution], sample: int = 0
                   ) -> pd.DataFrame:
    """Per period and enterprise: level, capacity and value added."""
    n = compiled.n_enterprises
    unit_of = dict(zip(compiled.carriers, compiled.units, strict=True))
    ref_unit = [unit_of.get(r, "") for r in compiled.reference]
    frames = [pd.DataFrame({
        "period": np.full(n, s.period, dtype=np.int64),
        "enterprise": list(compiled.node_ids[:n]),
        "reference": list(compiled.reference),
        "unit": ref_unit,
        "level": s.levels[sample],
        "capacity": compiled.capacity,
        "value_added_per_unit": s.value_added[sample],
        "value_added": s.levels[sample] * s.value_added[sample],
    }) for s in solutions]
    return _stack(frames, "activity")


def enterprise_balance(compiled: CompiledPark, solutions: Sequence[Solution], sample: int = 0
                       ) -> pd.DataFrame:
    """Per period, enterprise and carrier: gross output and input after substitution (which
    the flows must match); in-plant recirculated water counts both ways."""
    return _stack([_balance(compiled, s, sample) for s in solutions], "enterprise_balance")


def _balance(compiled: CompiledPark, solution: Solution, sample: int) -> pd.DataFrame:
    m, links, records = len(compiled.carriers), compiled.links, compiled.records
    flow = solution.slot_flow[sample]
    key_parts = [compiled.slot_ent * m + compiled.slot_car]
    produced_parts, consumed_parts = [np.maximum(flow, 0.0)], [np.maximum(-flow, 0.0)]
    chosen = np.flatnonzero(links.substitutes >= 0)
    delivered = solution.qty[sample, records.link][chosen]
    receiver = links.target[chosen].astype(np.int64)
    key_parts += [receiver * m + links.carrier[chosen], receiver * m + links.demand_column[chosen]]
    zeros = np.zeros(len(chosen))
    produced_parts += [zeros, zeros]
    consumed_parts += [delivered, -solution.substituted[sample, chosen]]
    recirculated = solution.qty[sample, records.recirculation]
    recirculated_car = records.car[records.recirculation].astype(np.int64)
    key_parts.append(records.recirculating * m + recirculated_car)
    produced_parts.append(recirculated)
    consumed_parts.append(recirculated)
    key = np.concatenate(key_parts)
    unique, inverse = np.unique(key, return_inverse=True)
    produced = np.bincount(inverse, weights=np.concatenate(produced_parts), minlength=len(unique))
    consumed = np.bincount(inverse, weights=np.concatenate(consumed_parts), minlength=len(unique))
    keep = (produced > 0) | (np.abs(consumed) > 0)
    ent, car = unique[keep] // m, unique[keep] % m
    return pd.DataFrame({
        "period": np.full(len(ent), solution.period, dtype=np.int64),
        "enterprise": _labels(compiled.node_ids, ent),
        "carrier": _labels(compiled.carriers, car),
        "produced": produced[keep],
        "consumed": consumed[keep],
        "unit": _labels(compiled.units, car),
    })
