"""Property tests of ENA on random balanced networks (hypothesis draws seed, size, density)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_ena import balanced_network

from mfa.network import ena
from mfa.network.flownet import flow_network

seeds = st.integers(min_value=0, max_value=2**32 - 1)
sizes = st.integers(min_value=1, max_value=25)
densities = st.sampled_from([0.0, 0.1, 0.3, 0.7])
scales = st.floats(min_value=1e-3, max_value=1e6)
examples = settings(max_examples=40, deadline=None)


@examples
@given(seeds, sizes, densities)
def test_tst_is_the_sum_of_throughflows(seed: int, n: int, density: float) -> None:
    flows, z, e, r = balanced_network(np.random.default_rng(seed), n, density)
    m = ena(flows, z, e, r, rtol=1e-9)
    network = flow_network(flows, z, e, r)
    assert m["tst"] == pytest.approx(network.inflow.sum())
    assert m["tst"] == pytest.approx(network.outflow.sum())  # balanced: both bases agree
    assert m["tstp"] == pytest.approx(m["tst"] + m["boundary"])
    assert 0.0 <= m["fci"] <= 1.0
    assert m["ascendency"] <= m["capacity"] * (1 + 1e-12)
    assert 0.0 <= m["robustness"] <= 1 / np.e + 1e-12


@examples
@given(seeds, sizes, densities, scales)
def test_scaling_all_flows_keeps_the_ratios(seed: int, n: int, density: float, k: float
                                            ) -> None:
    flows, z, e, r = balanced_network(np.random.default_rng(seed), n, density)
    base = ena(flows, z, e, r, rtol=1e-9)
    scaled = ena(flows * k, z * k, e * k, r * k, rtol=1e-9)
    for metric in ("a_over_c", "fci", "apl", "h", "ami", "robustness", "connectance",
                   "lambda_max"):
        assert scaled[metric] == pytest.approx(base[metric], rel=1e-9, abs=1e-12), metric
    for metric in ("tst", "tstp", "ascendency", "capacity", "overhead"):
        assert scaled[metric] == pytest.approx(k * base[metric], rel=1e-9), metric
