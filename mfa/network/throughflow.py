"""Flow analysis (enaR ``enaFlow``): throughflow, TST, TSTp, APL and the Finn cycling index,
with the integral flow matrix solved per strongly connected component.

Definitions (DOMAIN.md §5.2; enaR ``R/enaFlow.R``; Finn 1976, *J. Theor. Biol.* 56:363–380):

- node throughflow, inflow basis: ``T_i = Σ_k f_ki + z_i``;
- ``TST = Σ_i T_i``; ``TSTp = Σ_ij f_ij + Σ z + Σ e + Σ r`` (Ulanowicz's throughput);
- ``Boundary = Σ z``; ``APL = TST / Boundary`` (Finn's average path length);
- output-oriented intensities ``g_ij = f_ij / T_i``; integral flows ``N = (I − G)⁻¹``;
- ``TST_c = Σ_i ((n_ii − 1) / n_ii) · T_i`` and ``FCI = TST_c / TST``.

Only the diagonal of N enters FCI. A walk from i back to i never leaves i's strongly connected
component, so ``n_ii`` is the diagonal of ``(I − G_S)⁻¹`` for that component S alone, and
``n_ii = 1`` for a node on no cycle. Each component is inverted densely (LAPACK) while its
dense inverse fits a memory budget (:data:`DENSE_BYTES`, 2 GiB: components up to ~9,400
nodes), and otherwise by a sparse LU factorisation (SuperLU, minimum-degree ordering on
AᵀA + A) solved in blocks of right-hand sides. Measured on a random 10,000-node network whose
giant component has 8,822 nodes (``benchmarks/bench_ena.py``): dense 58 s; sparse LU 4 s to
factor (6.7 M non-zeros after fill-in) but ~190 s for the 8,822 solves, so the sparse path is
the fallback for what does not fit in memory, not the fast path. Industrial networks are far
smaller: their cyclic components have tens of nodes, and the whole of FCI takes
milliseconds.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu

from .flownet import FlowNetwork

DENSE_BYTES = 2 * 2**30  # memory budget of one dense inversion (about three n × n arrays)
DENSE_LIMIT = int((DENSE_BYTES / 24) ** 0.5)  # components up to this size are inverted densely
BLOCK = 256  # right-hand sides per sparse solve


def throughflow(network: FlowNetwork) -> np.ndarray:
    """T_i = Σ_k f_ki + z_i (inflow basis, as enaFlow)."""
    return network.inflow


def intensities(network: FlowNetwork) -> sp.csr_matrix:
    """G with ``g_ij = f_ij / T_i`` (0 where T_i = 0, enaR's ``zero.na``)."""
    t = throughflow(network)
    scale = np.divide(1.0, t, out=np.zeros_like(t), where=t > 0)
    g: sp.csr_matrix = sp.csr_matrix(sp.diags(scale) @ network.flows)
    return g


def components(matrix: sp.spmatrix) -> tuple[int, np.ndarray]:
    """Strongly connected components of the directed graph with edges where matrix > 0."""
    count, labels = connected_components(matrix, directed=True, connection="strong")
    return int(count), labels


def cyclic_components(matrix: sp.csr_matrix) -> list[np.ndarray]:
    """Node sets of the components that hold a cycle: size > 1, or one node with a
    self-loop."""
    _, labels = components(matrix)
    sizes = np.bincount(labels)
    loops = matrix.diagonal() > 0
    return [np.flatnonzero(labels == c) for c in range(len(sizes))
            if sizes[c] > 1 or loops[labels == c].any()]


def integral_diagonal(g: sp.csr_matrix) -> np.ndarray:
    """diag(N), N = (I − G)⁻¹, one strongly connected component at a time."""
    diagonal = np.ones(g.shape[0])
    for nodes in cyclic_components(g):
        block = g[nodes][:, nodes]
        diagonal[nodes] = _inverse_diagonal(sp.identity(len(nodes), format="csc") - block)
    return diagonal


def integral_flows(network: FlowNetwork) -> np.ndarray:
    """The full output-oriented N = (I − G)⁻¹ (dense: for small networks and for users).

    ``N[i, j]`` is the integral flow intensity from i to j, rows give as in ``flows``.
    """
    g = intensities(network).toarray()
    return np.asarray(np.linalg.inv(np.eye(len(g)) - g))


def _inverse_diagonal(m: sp.csc_matrix, dense_limit: int | None = None) -> np.ndarray:
    size = m.shape[0]
    if size <= (DENSE_LIMIT if dense_limit is None else dense_limit):
        return np.asarray(np.linalg.inv(m.toarray()).diagonal())
    lu = splu(sp.csc_matrix(m), permc_spec="MMD_AT_PLUS_A")
    diagonal = np.empty(size)
    for start in range(0, size, BLOCK):
        stop = min(start + BLOCK, size)
        rhs = np.zeros((size, stop - start))
        rhs[np.arange(start, stop), np.arange(stop - start)] = 1.0
        solved = lu.solve(rhs)
        diagonal[start:stop] = solved[np.arange(start, stop), np.arange(stop - start)]
    return diagonal


def flow_metrics(network: FlowNetwork) -> dict[str, float]:
    """TST, TSTp, boundary, APL, TST_c and FCI (enaR ``enaFlow`` ``ns``)."""
    t = throughflow(network)
    tst = float(t.sum())
    boundary = float(network.inputs.sum())
    tstp = float(network.flows.sum() + boundary + network.exports.sum()
                 + network.dissipation.sum())
    n_ii = integral_diagonal(intensities(network))
    cycled = float(np.sum((n_ii - 1.0) / n_ii * t))
    return {
        "tst": tst,
        "tstp": tstp,
        "boundary": boundary,
        "apl": tst / boundary if boundary > 0 else float("nan"),
        "tst_cycled": cycled,
        "fci": cycled / tst if tst > 0 else float("nan"),
    }
