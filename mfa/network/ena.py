"""Ecological network analysis for any one-currency network: the public entry point.

``mfa.network.ena(flows, inputs, exports, dissipation)`` checks the network is balanced (enaR's
``ssCheck`` idea) and returns one pandas Series of metrics, indexed by metric id. The
conventions and formulas are enaR's (Borrett & Lau 2014, *Methods Ecol. Evol.* 5:1206–1213;
source ``R/enaFlow.R``, ``R/enaAscendency.R``, ``R/enaStructure.R``) as DOMAIN.md §5 gives
them; each metric's formula is in the module that computes it:

- :mod:`mfa.network.structure` — n, links, connectance, link density, λmax, SCCs, Layton;
- :mod:`mfa.network.throughflow` — TST, TSTp, boundary, APL, FCI;
- :mod:`mfa.network.information` — H, AMI, ascendency, capacity, overhead, A/C, robustness.

Orientation: ``flows[i, j]`` is the flow from node i to node j (rows give, columns take; enaR's
default ``"rc"``). Throughflow is on the inflow basis, as enaR's.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .flownet import RTOL, FlowNetwork, check_balanced, flow_network
from .information import information_metrics
from .structure import centralities, structure_metrics
from .throughflow import flow_metrics

ORIENTATION = "flows[i, j] = flow from node i to node j (rows give, columns take; enaR 'rc')"
METRIC_UNITS = {"tst": "unit", "tstp": "unit", "boundary": "unit", "tst_cycled": "unit",
                "ascendency": "unit·bits", "capacity": "unit·bits", "overhead": "unit·bits",
                "h": "bits", "ami": "bits", "hr": "bits", "specialised_predators_pct": "%"}


def ena(flows: Any, inputs: Any, exports: Any, dissipation: Any, *, rtol: float = RTOL,
        unit: str = "", source: str = "<network>") -> pd.Series:
    """Ecological network analysis of one balanced, one-currency network.

    Parameters
    ----------
    flows
        n × n internal flows, ``flows[i, j]`` = flow from node i to node j: a numpy array, a
        scipy sparse matrix, or a DataFrame with the node labels as index and columns.
    inputs, exports, dissipation
        Boundary flows per node: z (imports), e (exports: products and by-products leaving),
        r (dissipation, enaR's respiration: landfill, emissions, lost heat). Arrays in node
        order, or Series indexed by label (a missing label is 0).
    rtol
        Balance tolerance per node, relative to the larger of inflow and outflow.
    unit
        The currency's unit, recorded in ``result.attrs["unit"]``.

    Returns
    -------
    pandas.Series
        Indexed by metric id (``n``, ``links``, ``connectance``, ``link_density``,
        ``lambda_max``, ``tst``, ``tstp``, ``boundary``, ``apl``, ``fci``, ``h``, ``ami``,
        ``ascendency``, ``capacity``, ``overhead``, ``a_over_c``, ``robustness`` (enaR's
        −(A/C)·ln(A/C)), ``robustness_goerner``, ``scc``, Layton's metrics …; see
        ``docs/network.md``). ``attrs`` holds ``unit`` and ``orientation``.

    Raises
    ------
    ParkFlowError
        For a malformed input or an unbalanced network.
    """
    network = flow_network(flows, inputs, exports, dissipation, unit=unit, source=source)
    return analyse(network, rtol=rtol, source=source)


def analyse(network: FlowNetwork, rtol: float = RTOL, source: str = "<network>") -> pd.Series:
    """:func:`ena` on an already built :class:`~mfa.network.flownet.FlowNetwork`."""
    check_balanced(network, rtol=rtol, source=source)
    values = {**structure_metrics(network), **flow_metrics(network),
              **information_metrics(network)}
    series = pd.Series(values, dtype=float, name="value")
    series.index.name = "metric"
    series.attrs.update(unit=network.unit, orientation=ORIENTATION)
    return series


def node_table(flows: Any, inputs: Any, exports: Any, dissipation: Any, *,
               weighted: bool = False, unit: str = "") -> pd.DataFrame:
    """Per node: degrees, degree centrality, betweenness and throughflow; see
    :func:`mfa.network.structure.centralities`. No balance check (structure only)."""
    network = flow_network(flows, inputs, exports, dissipation, unit=unit)
    return centralities(network, weighted=weighted)
