"""The park as a network: who exchanges what with whom, and the busiest hubs.

Run: python examples/network_view.py [PARK]
"""

from __future__ import annotations

import sys

import networkx as nx

import mfa


def main(name: str = "jinchang") -> None:
    park = mfa.load_park(name)
    structure = park.graph()
    enterprises = [n for n, kind in structure.nodes(data="kind") if kind == "enterprise"]
    exchange = structure.subgraph(enterprises)
    print(f"{park.meta.name_en}: {len(enterprises)} enterprises, "
          f"{exchange.number_of_edges()} enterprise-to-enterprise links")
    centrality = nx.degree_centrality(exchange)
    for node, score in sorted(centrality.items(), key=lambda item: -item[1])[:5]:
        print(f"  {node:<28} degree centrality {score:.2f}")
    flows = park.balance().graph()
    print("Solved by-product exchanges between enterprises:")
    for source, target, data in flows.subgraph(enterprises).edges(data=True):
        for carrier, quantity in data["flows"].items():
            print(f"  {source} -> {target}: {quantity:,.0f} {data['units'][carrier]}/a {carrier}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
