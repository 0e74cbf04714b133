"""The top of the package: balance a park, and the result with its indicator façades.

``mfa.balance(park, year)`` compiles the park (once, cached), solves the year with the array
engine and assembles the tables once; :class:`BalanceResult` is the result with the official
indicators, graphs and checks attached (the lower layers never import upward: the façades live
here, as PyPSA's accessors do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .indicators.table import by_enterprise, park_indicators, waste_by_carrier
from .model.park import Park
from .results.balance import balance_year
from .results.result import Result
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
        from .network.graph import flow_graph  # networkx costs 0.2 s to import

        return flow_graph(self)

    def check(self, rtol: float = 1e-6) -> None:
        """Raise ``AssertionError`` unless every balance closes; see :mod:`mfa.testing`."""
        assert_balanced(self, rtol=rtol)


def balance(park: Park, year: int | None = None, stock: np.ndarray | None = None,
            basis: dict[str, str] | list[str] | None = None, *, allocation: str | None = None,
            objective: str = "utilisation") -> BalanceResult:
    """Balance ``park`` for one year (default: its base year).

    Parameters
    ----------
    park
        The park (:func:`mfa.load_park`).
    year
        The year: it picks the activity levels in force and the links active.
    stock
        Stock of each stockpile at the start of the year (in the order of the park's
        stockpiles), e.g. the closing stock of an earlier balance; default: the file's
        opening stock.
    basis
        Statistical bases other than the park file's, e.g. ``{"electricity": "equivalent"}``
        (keys and values: ``docs/indicators.md``, "Bases"); see :meth:`Park.with_basis`.
    allocation
        ``"greedy"`` (priority routing, today's contracts) or ``"optimal"`` (the routing as a
        linear programme, docs/engine.md "Optimal allocation"); ``None``: the park's setting.
    objective
        The optimal allocation's objective: ``"utilisation"`` (most solid waste used) or
        ``"cost"`` (least bought at catalogue prices).

    Returns
    -------
    BalanceResult
        FlowTable, stockpile levels, activity, per-link flows and indicators.

    Raises
    ------
    ParkFlowError
        When a fixed link quantity cannot be met, a stockpile would go above capacity, a
        leftover has no destination, or a year has no activity levels.
    """
    if basis:
        park = park.with_basis(basis)
    return balance_year(park, year, stock, BalanceResult, allocation, objective)


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
