"""Structural metrics of a flow network's adjacency matrix (enaR ``enaStructure``), Layton's
food-web metrics, and per-node centralities.

With ``a_ij = 1`` where ``f_ij > 0`` (self-loops included, as enaR's ``sign(Flow)``), n nodes
and ``L = Σ a_ij`` links (DOMAIN.md §5.1; Fath & Borrett 2006):

- ``connectance = L / n²`` and ``link_density = L / n`` (enaR);
- ``connectance_directed = L′ / (n(n − 1))`` with L′ the links between distinct nodes (the
  form "some papers use");
- ``connectance_food_web = L_u / (n(n − 1)/2)`` with L_u the pairs of distinct nodes linked in
  either direction: the undirected food-web form of the ecology literature that Hardy &
  Graedel 2002 (*J. Ind. Ecol.* 6(1)) compared 19 parks against [R: the form as used in that
  literature; the paper's own equation was not read];
- ``lambda_max``: spectral radius of A (cyclicity, path proliferation; 0 acyclic, 1 simple
  cycles, > 1 nested cycles; Fath & Halnes 2007; Borrett et al. 2007). The spectrum of A is the
  union of the spectra of its strongly connected components, so it is computed per component;
- ``scc``, ``scc_big``, ``pscc``: strongly connected components, those with more than one node,
  and the share of nodes in them (enaR ``scc``).

Layton, Bras & Weissburg 2016 (*J. Ind. Ecol.* 20(1)), on the food-web matrix (rows = prey /
supplier, columns = predator / receiver, exactly A): prey = nodes with an out-link, predators =
nodes with an in-link; ``prey_predator_ratio = #prey / #predators``; ``generalisation =
L / #predators``; ``vulnerability = L / #prey``; ``specialised_predators_pct`` = share of
predators with exactly one prey × 100.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import eigs

from .flownet import FlowNetwork
from .throughflow import components, cyclic_components

DENSE_EIGEN_LIMIT = 200


def adjacency(network: FlowNetwork) -> sp.csr_matrix:
    """A with a_ij = 1 where f_ij > 0."""
    a = network.flows.copy()
    a.data = np.ones_like(a.data)
    return sp.csr_matrix(a)


def spectral_radius(a: sp.csr_matrix) -> float:
    """λmax(A): the largest |eigenvalue| over the strongly connected components."""
    radius = 0.0
    for nodes in cyclic_components(a):
        block = a[nodes][:, nodes]
        if len(nodes) <= DENSE_EIGEN_LIMIT:
            values = np.linalg.eigvals(block.toarray())
        else:
            values = eigs(sp.csc_matrix(block, dtype=float), k=1, which="LM",
                          return_eigenvectors=False)
        radius = max(radius, float(np.max(np.abs(values))))
    return round(radius, 7)  # enaR rounds eigenvalue magnitudes to 7 digits


def structure_metrics(network: FlowNetwork) -> dict[str, float]:
    """n, links, connectances, link density, λmax, SCCs and Layton's food-web metrics."""
    a = adjacency(network)
    n, links = network.n, int(a.nnz)
    between = links - int(np.count_nonzero(a.diagonal()))
    pairs_linked = int(sp.triu(a + a.T, k=1).nnz)
    count, labels = components(a)
    sizes = np.bincount(labels, minlength=count)
    pairs = n * (n - 1)
    return {
        "n": float(n),
        "links": float(links),
        "connectance": links / n**2 if n else math.nan,
        "connectance_directed": between / pairs if pairs else math.nan,
        "connectance_food_web": 2 * pairs_linked / pairs if pairs else math.nan,
        "link_density": links / n if n else math.nan,
        "lambda_max": spectral_radius(a),
        "scc": float(count),
        "scc_big": float(np.count_nonzero(sizes > 1)),
        "pscc": float(sizes[sizes > 1].sum() / n) if n else math.nan,
        **layton_metrics(a),
    }


def layton_metrics(a: sp.csr_matrix) -> dict[str, float]:
    """Layton et al. 2016 food-web metrics on the supplier × receiver matrix."""
    prey_of = np.diff(sp.csc_matrix(a).indptr)  # in-links per node (its prey)
    out_links = np.diff(a.indptr)
    predators = int(np.count_nonzero(prey_of))
    prey = int(np.count_nonzero(out_links))
    links = int(a.nnz)
    return {
        "prey_predator_ratio": prey / predators if predators else math.nan,
        "generalisation": links / predators if predators else math.nan,
        "vulnerability": links / prey if prey else math.nan,
        "specialised_predators_pct": (100.0 * np.count_nonzero(prey_of == 1) / predators
                                      if predators else math.nan),
    }


def centralities(network: FlowNetwork, weighted: bool = False) -> pd.DataFrame:
    """Per node: in/out/total degree, degree centrality, betweenness, throughflow.

    Degree centrality and betweenness are networkx's (normalised; self-loops ignored for
    betweenness). With ``weighted=True`` betweenness takes shortest paths with edge length
    1/f_ij, so heavy flows make short paths.
    """
    graph = to_digraph(network)
    between = nx.betweenness_centrality(graph, weight="length" if weighted else None)
    degree = nx.degree_centrality(graph) if network.n > 1 else dict.fromkeys(graph, 0.0)
    frame = pd.DataFrame({
        "in_degree": pd.Series(dict(graph.in_degree())),
        "out_degree": pd.Series(dict(graph.out_degree())),
        "degree_centrality": pd.Series(degree),
        "betweenness": pd.Series(between),
    }).reindex(list(network.labels))
    frame["degree"] = frame["in_degree"] + frame["out_degree"]
    frame["throughflow"] = network.inflow
    frame.index.name = "node"
    return frame[["in_degree", "out_degree", "degree", "degree_centrality", "betweenness",
                  "throughflow"]]


def to_digraph(network: FlowNetwork) -> nx.DiGraph:
    """The internal flows as a networkx DiGraph (edge ``flow``, ``length`` = 1/flow)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(network.labels)
    coo = network.flows.tocoo()
    labels = network.labels
    graph.add_edges_from((labels[i], labels[j], {"flow": float(f), "length": 1.0 / float(f)})
                         for i, j, f in zip(coo.row, coo.col, coo.data, strict=True))
    return graph
