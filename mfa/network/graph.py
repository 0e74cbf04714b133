"""networkx views of a park's structure and of its solved flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from ..model.park import Park
    from ..results.result import Result


def park_graph(park: Park) -> nx.DiGraph:
    """Enterprises and boundary nodes as nodes; each link as an edge.

    Edge attribute ``links`` lists the links between the pair (id, carrier, mode, bound);
    ``carriers`` is the set of carriers. Node attributes: ``kind``, ``name_zh``, ``name_en``.
    """
    graph = nx.DiGraph(park=park.meta.id)
    for ent in park.enterprises:
        graph.add_node(ent.id, kind="enterprise", name_zh=ent.name_zh, name_en=ent.name_en,
                       sector=ent.sector)
    for node in park.boundary.values():
        graph.add_node(node.id, kind=node.kind, name_zh=node.name_zh, name_en=node.name_en)
    for link in park.links:
        if not graph.has_edge(link.source, link.target):
            graph.add_edge(link.source, link.target, links=[], carriers=set())
        edge = graph.edges[link.source, link.target]
        edge["links"].append({"id": link.id, "carrier": link.carrier, "mode": link.mode,
                              "bound": link.bound})
        edge["carriers"].add(link.carrier)
    return graph


def flow_graph(result: Result, period: int | None = None) -> nx.DiGraph:
    """Solved flows of one period as a ``DiGraph``.

    Edge attribute ``flows`` maps carrier → quantity (canonical unit per year); ``units``
    maps carrier → unit. Quantities of different carriers are never summed.
    """
    period = result.periods[0] if period is None else period
    flows = result.flows[result.flows["period"] == period]
    graph = nx.DiGraph(park=result.park.meta.id, period=period)
    park = result.park
    for ent in park.enterprises:
        graph.add_node(ent.id, kind="enterprise", name_en=ent.name_en, name_zh=ent.name_zh)
    for node in park.boundary.values():
        graph.add_node(node.id, kind=node.kind, name_en=node.name_en, name_zh=node.name_zh)
    for row in flows.itertuples(index=False):
        source, target = str(row.source), str(row.target)
        if not graph.has_edge(source, target):
            graph.add_edge(source, target, flows={}, units={})
        edge = graph.edges[source, target]
        edge["flows"][row.carrier] = float(row.quantity)  # type: ignore[arg-type]
        edge["units"][row.carrier] = row.unit
    return graph
