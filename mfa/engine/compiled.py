"""A park compiled to integer-indexed arrays, the form the solver loops over.

Nodes are numbered enterprises first (0…n−1), then boundary nodes; carriers are the columns
of the rate matrix (:attr:`Park.carriers_used`). Links become parallel arrays (one entry per
link, in file order). Built once per park and cached on it: treat a :class:`Park` as
immutable and derive changed parks with ``dataclasses.replace`` (plans do), so a cache is
never stale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.park import Park

MODES = ("share", "quantity", "cap", "free")


@dataclass(frozen=True)
class LinkArrays:
    """Every link as parallel arrays, index = position in ``park.links``."""

    source: np.ndarray  # node index
    target: np.ndarray  # node index
    carrier: np.ndarray  # carrier column
    demand_column: np.ndarray  # the receiver's carrier whose demand bounds the link
    mode: np.ndarray  # index into MODES
    bound: np.ndarray  # share, fixed quantity or cap (inf when free)
    cap: np.ndarray  # cap combined with a share (inf when none)
    keep: np.ndarray  # 1 − loss
    ratio: np.ndarray  # substituted units per unit delivered (1 without substitution)
    since: np.ndarray  # first active year (−inf when always)
    until: np.ndarray  # first inactive year (+inf when never)
    order: np.ndarray  # link indices sorted by (priority, file order)

    def active_order(self, year: int) -> np.ndarray:
        """Indices of the links active in ``year``, in serving order."""
        active = (self.since <= year) & (year < self.until)
        order: np.ndarray = self.order[active[self.order]]
        return order


@dataclass(frozen=True)
class CompiledPark:
    node_ids: list[str]
    node_kinds: list[str]
    n_enterprises: int
    carriers: list[str]
    carrier_classes: list[str]
    units: list[str]
    rates: np.ndarray  # R[enterprise, carrier]
    links: LinkArrays
    sink: np.ndarray  # carrier column → node index for leftovers, −1 when none
    source: np.ndarray  # carrier column → node index for unmet demand

    def node(self, node_id: str) -> int:
        return self.node_ids.index(node_id)


def _link_arrays(park: Park, node_index: dict[str, int], column: dict[str, int]) -> LinkArrays:
    links = park.links
    inf = float("inf")

    def floats(values: list[float]) -> np.ndarray:
        return np.asarray(values, dtype=float)

    def ints(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.int64)

    priority = ints([link.priority for link in links])
    return LinkArrays(
        source=ints([node_index[link.source] for link in links]),
        target=ints([node_index[link.target] for link in links]),
        carrier=ints([column[link.carrier] for link in links]),
        demand_column=ints([column[link.substitutes or link.carrier] for link in links]),
        mode=ints([MODES.index(link.mode) for link in links]),
        bound=floats([link.bound for link in links]),
        cap=floats([link.cap for link in links]),
        keep=floats([1.0 - link.loss for link in links]),
        ratio=floats([link.ratio for link in links]),
        since=floats([-inf if link.since is None else link.since for link in links]),
        until=floats([inf if link.until is None else link.until for link in links]),
        order=np.lexsort((np.arange(len(links)), priority)).astype(np.int64),
    )


def _rate_matrix(park: Park, column: dict[str, int]) -> np.ndarray:
    """R[enterprise, carrier]: signed rate per unit activity."""
    matrix = np.zeros((len(park.enterprises), len(column)))
    for i, ent in enumerate(park.enterprises):
        for carrier, rate in ent.rates.items():
            matrix[i, column[carrier]] = rate
    return matrix


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
    compiled = CompiledPark(
        node_ids=node_ids,
        node_kinds=node_kinds,
        n_enterprises=len(park.enterprises),
        carriers=carriers,
        carrier_classes=[cat[c].carrier_class.value for c in carriers],
        units=[cat[c].unit for c in carriers],
        rates=_rate_matrix(park, column),
        links=_link_arrays(park, node_index, column),
        sink=np.array([node_index.get(park.sink_for.get(c, ""), -1) for c in carriers],
                      dtype=np.int64),
        source=np.array([node_index[park.source_for.get(c, "market")] for c in carriers],
                        dtype=np.int64),
    )
    park.__dict__["_compiled"] = compiled
    return compiled
