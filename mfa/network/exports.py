"""A park's currency network as GraphML, GEXF or node-link JSON, for Gephi and Cytoscape.

Nodes are the enterprises of the network, with ``kind``, ``name_en``, ``name_zh``,
``throughflow`` and the boundary flows ``input``, ``export``, ``dissipation`` (the closure
booked is in ``unrecorded_dissipation`` / ``unrecorded_input``). Edges carry ``flow`` (in the
currency's unit), ``unit``, ``carriers`` (ids joined by ``;``) and, per carrier, its quantity in
the carrier's own unit as ``q_<carrier>`` (with ``u_<carrier>`` the unit). GraphML and GEXF
keep scalar attributes only; the JSON keeps the carrier list as records too. Files are written
under a temporary name and renamed, so a failed write leaves nothing half-written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from ..errors import ParkFlowError
from ..io.outputs import write_unit
from ..model.park import Park
from .currency import ParkNetwork

FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json"}


def export_graph(built: ParkNetwork, park: Park) -> nx.DiGraph:
    """The currency network as a DiGraph with scalar attributes (see the module doc)."""
    network = built.network
    graph = nx.DiGraph(park=park.meta.id, currency=built.currency, period=built.period,
                       unit=network.unit)
    names = {e.id: e for e in park.enterprises}
    closure = built.closure
    for i, label in enumerate(network.labels):
        ent = names[label]
        graph.add_node(label, kind="enterprise", name_en=ent.name_en, name_zh=ent.name_zh,
                       sector=ent.sector, throughflow=float(network.inflow[i]),
                       input=float(network.inputs[i]), export=float(network.exports[i]),
                       dissipation=float(network.dissipation[i]),
                       unrecorded_dissipation=float(closure.iloc[i]["unrecorded_dissipation"]),
                       unrecorded_input=float(closure.iloc[i]["unrecorded_input"]))
    for (source, target), rows in built.edges.groupby(["source", "target"], sort=False):
        graph.add_edge(source, target, **_edge_attributes(rows, network.unit))
    return graph


def _edge_attributes(rows: pd.DataFrame, unit: str) -> dict[str, Any]:
    attributes: dict[str, Any] = {"flow": float(rows["value"].sum()), "unit": unit,
                                  "carriers": ";".join(sorted(set(rows["carrier"])))}
    for carrier, part in rows.groupby("carrier", sort=True):
        attributes[f"q_{carrier}"] = float(part["quantity"].sum())
        attributes[f"u_{carrier}"] = str(part["unit"].iloc[0])
    return attributes


def graph_text(graph: nx.DiGraph, fmt: str, built: ParkNetwork | None = None) -> str:
    """The graph serialised as ``graphml``, ``gexf`` or ``json`` (node-link)."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(graph)) + "\n"
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        if built is not None:
            data["carrier_flows"] = built.edges[["source", "target", "carrier", "quantity",
                                                 "unit", "value"]].to_dict(orient="records")
        return json.dumps(data, ensure_ascii=False, indent=2, default=float) + "\n"
    raise ParkFlowError.single("<export>", "format", f"unknown graph format {fmt!r}",
                               f"use one of: {', '.join(FORMATS)}")


def write_files(contents: dict[str, str], out_dir: Path) -> list[Path]:
    """Write text files into ``out_dir`` as one unit, as ``parkflow balance --out`` does
    (:func:`mfa.io.outputs.write_unit`)."""
    return write_unit(dict(contents), out_dir)
