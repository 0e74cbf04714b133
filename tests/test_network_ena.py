"""ENA on hand-computable networks: closed-form TST, FCI, λmax and information indices."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mfa.errors import ParkFlowError
from mfa.network import ena
from mfa.network.ena import node_table
from mfa.network.flownet import flow_network, imbalance
from mfa.network.throughflow import DENSE_LIMIT, _inverse_diagonal, integral_flows


def loop(z: float, y: float) -> pd.Series:
    """Two nodes: z enters 0, 0 → 1 carries x = z + y, 1 → 0 returns y, 1 exports z."""
    x = z + y
    return ena(np.array([[0.0, x], [y, 0.0]]), [z, 0.0], [0.0, z], [0.0, 0.0])


def test_two_node_loop_closed_form() -> None:
    z, y = 10.0, 5.0
    x = z + y
    m = loop(z, y)
    assert m["tst"] == pytest.approx(2 * x)  # T_0 = T_1 = x
    assert m["fci"] == pytest.approx(y / x)  # return probability g_01 · g_10 = y / x
    assert m["tst_cycled"] == pytest.approx(2 * x * y / x)
    assert m["lambda_max"] == pytest.approx(1.0)  # one simple cycle
    assert m["apl"] == pytest.approx(2 * x / z)
    assert m["tstp"] == pytest.approx(x + y + 2 * z)
    assert (m["n"], m["links"], m["scc"], m["scc_big"], m["pscc"]) == (2, 2, 1, 1, 1)
    assert m["connectance"] == pytest.approx(0.5)


def test_chain_closed_form() -> None:
    q = 7.0
    flows = np.array([[0, q, 0], [0, 0, q], [0, 0, 0]])
    m = ena(flows, [q, 0, 0], [0, 0, q], [0, 0, 0])
    assert m["tst"] == pytest.approx(3 * q)
    assert m["tstp"] == pytest.approx(4 * q)
    assert (m["fci"], m["lambda_max"], m["scc"], m["pscc"]) == (0.0, 0.0, 3, 0.0)
    assert m["apl"] == pytest.approx(3.0)
    # four equal entries in the extended matrix, each its row's and column's only one
    assert m["h"] == pytest.approx(2.0)
    assert m["ami"] == pytest.approx(2.0)
    assert m["a_over_c"] == pytest.approx(1.0)
    assert m["robustness"] == pytest.approx(0.0)
    assert m["link_density"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_star_closed_form(k: int) -> None:
    q = 4.0
    n = k + 1
    flows = np.zeros((n, n))
    flows[0, 1:] = q
    z = np.zeros(n)
    z[0] = k * q
    e = np.r_[0.0, np.full(k, q)]
    m = ena(flows, z, e, np.zeros(n))
    assert m["tst"] == pytest.approx(2 * k * q)
    assert m["tstp"] == pytest.approx(3 * k * q)
    assert (m["fci"], m["lambda_max"]) == (0.0, 0.0)
    assert m["connectance"] == pytest.approx(k / n**2)
    assert m["h"] == pytest.approx(math.log2(3) / 3 + 2 / 3 * math.log2(3 * k))
    assert m["ami"] == pytest.approx(math.log2(3))  # every entry has T·TSTp/(row·col) = 3
    assert m["prey_predator_ratio"] == pytest.approx(1 / k)
    assert m["generalisation"] == pytest.approx(1.0)
    assert m["vulnerability"] == pytest.approx(k)
    assert m["specialised_predators_pct"] == pytest.approx(100.0)


def test_self_loop_is_cycling() -> None:
    s = 3.0
    m = ena(np.array([[s]]), [1.0], [1.0], [0.0])
    assert m["tst"] == pytest.approx(1 + s)
    assert m["fci"] == pytest.approx(s / (1 + s))  # n_00 = 1 / (1 − s/(1+s)) = 1 + s
    assert m["lambda_max"] == pytest.approx(1.0)
    assert m["scc_big"] == 0  # enaR counts components of more than one node


def test_nested_cycles_lambda_above_one() -> None:
    # a complete 3-node graph without self-loops: λmax = 2
    flows = np.ones((3, 3)) - np.eye(3)
    m = ena(flows, [1, 1, 1], [1, 1, 1], [0, 0, 0])
    assert m["lambda_max"] == pytest.approx(2.0)
    assert m["connectance_directed"] == pytest.approx(1.0)
    assert m["connectance_food_web"] == pytest.approx(1.0)


def test_fci_matches_the_dense_inverse() -> None:
    rng = np.random.default_rng(3)
    flows, z, e, r = balanced_network(rng, 12, 0.3)
    network = flow_network(flows, z, e, r)
    n_full = integral_flows(network)
    t = network.inflow
    expected = np.sum((np.diag(n_full) - 1) / np.diag(n_full) * t) / t.sum()
    assert ena(flows, z, e, r)["fci"] == pytest.approx(expected)


def test_sparse_diagonal_matches_dense() -> None:
    import scipy.sparse as sp

    size = 600  # the sparse path (forced here) solves in blocks of 256 columns: 3 blocks
    g = sp.random(size, size, density=3 / size, random_state=1, format="csr") * 0.3
    m = sp.identity(size, format="csc") - g
    dense = np.linalg.inv(m.toarray()).diagonal()
    assert np.allclose(_inverse_diagonal(sp.csc_matrix(m), dense_limit=100), dense)
    assert DENSE_LIMIT > 5000


def test_labelled_frames_and_series() -> None:
    labels = ["smelter", "acid_plant"]
    flows = pd.DataFrame([[0.0, 15.0], [5.0, 0.0]], index=labels, columns=labels)
    m = ena(flows, pd.Series({"smelter": 10.0}), pd.Series({"acid_plant": 10.0}),
            pd.Series(dtype=float))
    assert m["fci"] == pytest.approx(loop(10, 5)["fci"])
    assert "rows give" in m.attrs["orientation"]
    table = node_table(flows, pd.Series({"smelter": 10.0}), pd.Series({"acid_plant": 10.0}), 0)
    assert list(table.index) == labels
    assert table.loc["smelter", "throughflow"] == pytest.approx(15.0)


def test_unbalanced_network_is_reported() -> None:
    flows = np.array([[0.0, 10.0], [0.0, 0.0]])
    with pytest.raises(ParkFlowError, match=r"node 1: inflow 10 ≠ outflow 4"):
        ena(flows, [10, 0], [0, 4], [0, 0])
    table = imbalance(flow_network(flows, [10, 0], [0, 4], [0, 0]))
    assert table.loc["1", "relative_error"] == pytest.approx(0.6)
    # within the tolerance the network is analysed
    assert ena(flows, [10, 0], [0, 9.95], [0, 0], rtol=0.01)["n"] == 2


@pytest.mark.parametrize(("flows", "z", "match"), [
    (np.zeros((2, 3)), [0, 0], "not a square matrix"),
    (np.array([[0.0, -1.0], [0.0, 0.0]]), [0, 0], "negative"),
    (np.array([[0.0, np.nan], [0.0, 0.0]]), [0, 0], "NaN"),
    (np.zeros((2, 2)), [0, 0, 0], "3 values for 2 nodes"),
])
def test_bad_input_is_a_parkflow_error(flows: np.ndarray, z: list[float], match: str) -> None:
    with pytest.raises(ParkFlowError, match=match):
        ena(flows, z, 0.0, 0.0)


def test_unknown_labels_are_reported() -> None:
    flows = pd.DataFrame([[0.0]], index=["a"], columns=["a"])
    with pytest.raises(ParkFlowError, match="labels not in flows"):
        ena(flows, pd.Series({"b": 1.0}), 0.0, 0.0)


def balanced_network(rng: np.random.Generator, n: int, density: float
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A random balanced network: random flows, then inputs/outputs close each node."""
    flows = rng.uniform(1, 10, (n, n)) * (rng.random((n, n)) < density)
    gap = flows.sum(axis=0) - flows.sum(axis=1)  # in − out per node
    extra = rng.uniform(1, 5, n)
    z = np.maximum(-gap, 0) + extra
    out = np.maximum(gap, 0) + extra
    share = rng.uniform(0, 1, n)
    return flows, z, out * share, out * (1 - share)
