"""How ENA scales: random balanced networks, and the mass network of a synthetic park.

Usage::

    python benchmarks/bench_ena.py                   # 1,000 and 10,000 nodes
    python benchmarks/bench_ena.py --sizes 200,400   # a quick run (used by the tests)

Two kinds of network per size:

- ``random``: a random sparse balanced network with ``--degree`` links per node, so almost all
  nodes sit in one giant strongly connected component: the hard case for the integral flow
  matrix (its diagonal comes from a sparse LU factorisation solved in blocks);
- ``park``: the mass network of :func:`mfa.synthetic.random_park` with that many enterprises,
  balanced by the engine (the balance time is not counted; see bench_balance.py).

Per network it prints the nodes, links, size of the largest strongly connected component, the
time of the whole :func:`mfa.network.ena` call and of its parts (structure, flow with FCI,
information), and for sizes up to ``--dense-max`` the time of a dense ``(I − G)⁻¹`` for
comparison. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

import mfa
from mfa.network.ena import analyse
from mfa.network.flownet import FlowNetwork
from mfa.network.information import information_metrics
from mfa.network.parks import network_of
from mfa.network.structure import structure_metrics
from mfa.network.throughflow import components, flow_metrics, intensities
from mfa.synthetic import random_park

COLUMNS = ["kind", "nodes", "links", "giant_scc", "ena_s", "structure_s", "flow_s",
           "information_s", "dense_inverse_s", "fci"]


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def random_network(n: int, degree: float, seed: int) -> FlowNetwork:
    """A random balanced network: sparse flows, then inputs and outputs close each node."""
    rng = np.random.default_rng(seed)
    flows = sp.random(n, n, density=degree / n, random_state=rng, format="csr",
                      data_rvs=lambda k: rng.uniform(1.0, 10.0, k))
    gap = np.asarray(flows.sum(axis=0)).ravel() - np.asarray(flows.sum(axis=1)).ravel()
    extra = rng.uniform(0.5, 2.0, n)
    out = np.maximum(gap, 0) + extra
    share = rng.uniform(0, 1, n)
    return FlowNetwork(sp.csr_matrix(flows), np.maximum(-gap, 0) + extra, out * share,
                       out * (1 - share), tuple(map(str, range(n))), "t")


def park_network(n: int, seed: int) -> FlowNetwork:
    park = mfa.park_from_dict(random_park(n, 5.0, seed=seed))
    return network_of(park, currency="mass").network


def measure(kind: str, network: FlowNetwork, dense_max: int) -> dict[str, Any]:
    _, labels = components(network.flows)
    row: dict[str, Any] = {"kind": kind, "nodes": network.n, "links": network.flows.nnz,
                           "giant_scc": int(np.bincount(labels).max())}
    row["ena_s"], metrics = _timed(lambda: analyse(network, rtol=1e-6))
    row["structure_s"], _ = _timed(lambda: structure_metrics(network))
    row["flow_s"], _ = _timed(lambda: flow_metrics(network))
    row["information_s"], _ = _timed(lambda: information_metrics(network))
    row["dense_inverse_s"] = float("nan")
    if network.n <= dense_max:
        g = intensities(network).toarray()
        row["dense_inverse_s"], _ = _timed(lambda: np.linalg.inv(np.eye(network.n) - g))
    row["fci"] = float(metrics["fci"])
    return row


def _cell(column: str, value: Any) -> str:
    if isinstance(value, str):
        return f"{value:>8}"
    if column in ("nodes", "links", "giant_scc"):
        return f"{value:>10,}"
    return f"{value:>{max(len(column), 10)}.4f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--degree", type=float, default=3.0, help="links per node (random)")
    parser.add_argument("--dense-max", type=int, default=4000,
                        help="largest size for the dense-inverse comparison")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"ParkFlow {mfa.__version__} ENA benchmark: seed {args.seed}, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} CPUs")
    print(" ".join(f"{c:>{8 if c == 'kind' else max(len(c), 10)}}" for c in COLUMNS))
    for size in sizes:
        for kind, build in (("random", lambda s=size: random_network(s, args.degree,
                                                                      args.seed)),
                            ("park", lambda s=size: park_network(s, args.seed))):
            row = measure(kind, build(), args.dense_max)
            print(" ".join(_cell(c, row[c]) for c in COLUMNS), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
