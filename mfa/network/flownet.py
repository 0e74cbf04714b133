"""One currency's flow network in enaR's form: internal flows F, inputs z, exports e and
dissipation r, checked for balance before any metric is computed.

Orientation: ``flows[i, j]`` is the flow **from node i to node j** (rows give, columns take:
enaR's default ``"rc"`` orientation, Fath & Borrett 2006). Inputs ``z_i`` enter node i across
the boundary; exports ``e_i`` (products and by-products leaving) and dissipation ``r_i``
(enaR's "respiration": landfill, emissions, dissipated heat) leave it. The diagonal ``f_ii``
is a self-loop (in-plant recirculation), allowed as in enaR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import ParkFlowError, Problem

# Default balance tolerance: |inflow − outflow| ≤ RTOL · max(inflow, outflow) per node. enaR's
# ssCheck accepts 5 % (tol = 5, in percent of outflow); 1 % is stricter and still forgives
# the rounding of published flow tables. Pass ``rtol=0.05`` to accept what enaR accepts.
RTOL = 0.01


@dataclass(frozen=True)
class FlowNetwork:
    """A validated one-currency network (sparse F, dense boundary vectors, node labels)."""

    flows: sp.csr_matrix
    inputs: np.ndarray
    exports: np.ndarray
    dissipation: np.ndarray
    labels: tuple[str, ...]
    unit: str = ""

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def inflow(self) -> np.ndarray:
        """Σ_k f_ki + z_i: the inflow-basis throughflow T_i (enaFlow's ``T.``)."""
        column_sums: np.ndarray = np.asarray(self.flows.sum(axis=0)).ravel()
        total: np.ndarray = column_sums + self.inputs
        return total

    @property
    def outflow(self) -> np.ndarray:
        """Σ_j f_ij + e_i + r_i."""
        row_sums: np.ndarray = np.asarray(self.flows.sum(axis=1)).ravel()
        total: np.ndarray = row_sums + self.exports + self.dissipation
        return total


def flow_network(flows: Any, inputs: Any, exports: Any, dissipation: Any, *,
                 unit: str = "", source: str = "<network>") -> FlowNetwork:
    """Build a :class:`FlowNetwork` from arrays, a sparse matrix, or a labelled DataFrame.

    Parameters
    ----------
    flows
        Square matrix, ``flows[i, j]`` = flow from i to j (numpy, scipy.sparse, or a DataFrame
        whose index and columns hold the same labels).
    inputs, exports, dissipation
        One value per node (numpy or a Series aligned on the labels; missing labels are 0).

    Raises
    ------
    ParkFlowError
        When the matrix is not square, a vector has the wrong length or unknown labels, or a
        value is negative or not finite.
    """
    labels, matrix = _matrix(flows, source)
    vectors = {name: _vector(value, labels, name, source) for name, value in
               (("inputs", inputs), ("exports", exports), ("dissipation", dissipation))}
    _check_values(matrix, vectors, source)
    return FlowNetwork(matrix, vectors["inputs"], vectors["exports"], vectors["dissipation"],
                       labels, unit)


def _matrix(flows: Any, source: str) -> tuple[tuple[str, ...], sp.csr_matrix]:
    if isinstance(flows, pd.DataFrame):
        if list(flows.index) != list(flows.columns):
            flows = _align_frame(flows, source)
        labels = tuple(str(label) for label in flows.index)
        matrix = sp.csr_matrix(flows.to_numpy(dtype=float))
    else:
        matrix = sp.csr_matrix(flows, dtype=float)
        labels = tuple(str(i) for i in range(matrix.shape[0]))
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ParkFlowError.single(source, "flows", f"is {matrix.shape}, not a square matrix",
                                   "give flows[i, j] = flow from node i to node j, n × n")
    matrix.eliminate_zeros()
    return labels, matrix


def _align_frame(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    if set(frame.index) != set(frame.columns):
        extra = sorted(map(str, set(frame.index) ^ set(frame.columns)))
        raise ParkFlowError.single(source, "flows", f"row and column labels differ: {extra}",
                                   "use the same node labels for rows (from) and columns (to)")
    return frame.loc[:, list(frame.index)]


def _vector(value: Any, labels: Sequence[str], name: str, source: str) -> np.ndarray:
    if isinstance(value, pd.Series):
        unknown = sorted(set(map(str, value.index)) - set(labels))
        if unknown:
            raise ParkFlowError.single(source, name, f"labels not in flows: {unknown}",
                                       "label the vector with the node labels of flows")
        by_label = dict(zip(map(str, value.index), value.to_numpy(dtype=float), strict=True))
        return np.array([by_label.get(label, 0.0) for label in labels], dtype=float)
    array = np.broadcast_to(np.asarray(value, dtype=float), (len(labels),)) if np.ndim(
        value) == 0 else np.asarray(value, dtype=float).ravel()
    if array.shape != (len(labels),):
        raise ParkFlowError.single(source, name, f"has {array.size} values for {len(labels)} "
                                   "nodes", "give one value per node, in the order of flows")
    return np.array(array, dtype=float)


def _check_values(matrix: sp.csr_matrix, vectors: dict[str, np.ndarray], source: str) -> None:
    problems = []
    for name, data in (("flows", matrix.data), *vectors.items()):
        if not np.all(np.isfinite(data)):
            problems.append(Problem(name, "holds NaN or infinite values",
                                    "give finite flows (0 where there is none)"))
        elif np.any(data < 0):
            problems.append(Problem(name, f"holds negative values (min {data.min():.6g})",
                                    "flows are non-negative; reverse the direction instead"))
    if problems:
        raise ParkFlowError(source, problems)


def imbalance(network: FlowNetwork) -> pd.DataFrame:
    """Per node: inflow, outflow, their difference and the relative error (enaR ``ssCheck``
    with ``more=TRUE``; the error is relative to the larger of inflow and outflow)."""
    tin, tout = network.inflow, network.outflow
    scale = np.maximum(tin, tout)
    error = np.divide(np.abs(tin - tout), scale, out=np.zeros_like(scale), where=scale > 0)
    return pd.DataFrame({"inflow": tin, "outflow": tout, "difference": tin - tout,
                         "relative_error": error}, index=pd.Index(network.labels, name="node"))


def check_balanced(network: FlowNetwork, rtol: float = RTOL, source: str = "<network>"
                   ) -> None:
    """Raise unless every node's inflow equals its outflow within ``rtol`` (enaR's ``ssCheck``
    idea: ENA assumes steady state, so an unbalanced network is reported, never analysed).

    Raises
    ------
    ParkFlowError
        Naming each unbalanced node with its inflow, outflow and relative error.
    """
    table = imbalance(network)
    bad = table[table["relative_error"] > rtol]
    if bad.empty:
        return
    problems = [Problem(f"node {label}", f"inflow {row.inflow:.6g} ≠ outflow "
                        f"{row.outflow:.6g} {network.unit} (error {row.relative_error:.2%})",
                        "balance the node (Σ in + input = Σ out + export + dissipation), or "
                        "pass a larger rtol")
                for label, row in bad.head(20).iterrows()]
    if len(bad) > 20:
        problems.append(Problem("", f"… and {len(bad) - 20} more unbalanced nodes"))
    raise ParkFlowError(source, problems)
