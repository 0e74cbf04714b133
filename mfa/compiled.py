"""A park compiled to integer-indexed arrays, the form the solver loops over.

Nodes are numbered enterprises first (0…n−1), then boundary nodes; carriers are the columns
of the rate matrix (:attr:`Park.carriers_used`). Built once per park and cached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Park


@dataclass(frozen=True)
class CompiledLink:
    link_index: int  # position in park.links
    source: int
    target: int
    carrier: int
    demand_column: int  # the receiver's carrier whose demand bounds the link
    mode: str
    bound: float
    cap: float
    keep: float  # 1 − loss
    ratio: float  # substituted units per unit delivered (1 without substitution)
    substitutes: bool


@dataclass(frozen=True)
class CompiledPark:
    node_ids: list[str]
    node_kinds: list[str]
    n_enterprises: int
    carriers: list[str]
    carrier_classes: list[str]
    units: list[str]
    rates: np.ndarray  # R[enterprise, carrier]
    links: list[CompiledLink]
    sink: np.ndarray  # carrier column → node index for leftovers, −1 when none
    source: np.ndarray  # carrier column → node index for unmet demand

    def node(self, node_id: str) -> int:
        return self.node_ids.index(node_id)


def compile_park(park: Park) -> CompiledPark:
    """Compile (and cache on the park) the arrays the solver needs."""
    cached = park.__dict__.get("_compiled")
    if isinstance(cached, CompiledPark):
        return cached
    node_ids = [e.id for e in park.enterprises] + list(park.boundary)
    node_kinds = ["enterprise"] * len(park.enterprises) + [b.kind for b in park.boundary.values()]
    node_index = {node: i for i, node in enumerate(node_ids)}
    carriers = park.carriers_used
    column = {c: j for j, c in enumerate(carriers)}
    cat = park.catalogue
    links = [
        CompiledLink(
            link_index=k,
            source=node_index[link.source],
            target=node_index[link.target],
            carrier=column[link.carrier],
            demand_column=column[link.substitutes or link.carrier],
            mode=link.mode,
            bound=link.bound,
            cap=link.cap,
            keep=1.0 - link.loss,
            ratio=link.ratio,
            substitutes=link.substitutes is not None,
        )
        for k, link in enumerate(park.links)
    ]
    compiled = CompiledPark(
        node_ids=node_ids,
        node_kinds=node_kinds,
        n_enterprises=len(park.enterprises),
        carriers=carriers,
        carrier_classes=[cat[c].carrier_class.value for c in carriers],
        units=[cat[c].unit for c in carriers],
        rates=park.rate_matrix,
        links=links,
        sink=np.array([node_index.get(park.sink_for.get(c, ""), -1) for c in carriers]),
        source=np.array([node_index[park.source_for.get(c, "market")] for c in carriers]),
    )
    park.__dict__["_compiled"] = compiled
    return compiled
