"""The top of the package: balance a park, and the result with its indicator façades.

``mfa.balance(park, year)`` compiles the park, solves the year and assembles the tables once;
:class:`BalanceResult` is the result with the official indicators, graphs and checks attached
(the lower layers never import upward: the façades live here, as PyPSA's accessors do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .engine.greedy import solve_year
from .indicators.table import by_enterprise, park_indicators, waste_by_carrier
from .model.park import Park
from .network.graph import flow_graph
from .results.result import Result, assemble_result
from .testing import assert_balanced

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class BalanceResult(Result):
    """A balance result: the FlowTable and companion tables, plus the official indicators."""

    def indicators(self) -> pd.DataFrame:
        """Park-wide official indicators per period; see :mod:`mfa.indicators`."""
        return park_indicators(self)

    def indicators_by_carrier(self) -> pd.DataFrame:
        """Generation, utilisation, storage, disposal and rates per waste carrier."""
        return waste_by_carrier(self)

    def indicators_by_enterprise(self) -> pd.DataFrame:
        """Value added, resource use, energy, water and waste utilisation per enterprise."""
        return by_enterprise(self)

    def graph(self) -> nx.DiGraph:
        """Solved flows as a networkx ``DiGraph``; see :func:`mfa.network.graph.flow_graph`."""
        return flow_graph(self)

    def check(self, rtol: float = 1e-6) -> None:
        """Raise ``AssertionError`` unless every balance closes; see :mod:`mfa.testing`."""
        assert_balanced(self, rtol=rtol)


def balance(park: Park, year: int | None = None) -> BalanceResult:
    """Balance ``park`` for one year (default: its base year).

    Returns
    -------
    BalanceResult
        FlowTable, stockpile levels, activity, per-link flows and indicators. For a year
        other than the base year, ``result.baseline`` holds the base year's balance.

    Raises
    ------
    ParkFlowError
        When a fixed link quantity cannot be met, a stockpile would go below zero or above
        capacity, or a leftover has no destination.
    """
    year = park.meta.base_year if year is None else year
    compiled, levels, produced, demanded, ledger = solve_year(park, year)
    result = assemble_result(park, compiled, year, levels, produced, demanded, ledger,
                             BalanceResult)
    if year != park.meta.base_year:
        result.baseline = balance(park, park.meta.base_year)
    return result


def check(park: Park) -> BalanceResult:
    """Balance the base year and check that every balance closes (``parkflow check``).

    Raises
    ------
    ParkFlowError
        For a park that cannot be balanced.
    """
    result = balance(park)
    result.check()
    return result
