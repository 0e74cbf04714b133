"""ENA of a park: balance one year, build one currency's network, analyse it.

:mod:`mfa.network` ranks below :mod:`mfa.api` (DESIGN.md layers), so :func:`solve_park`
composes the same four steps :func:`mfa.balance` does — compile, solve, check, assemble —
from the engine and results layers.
"""

from __future__ import annotations

import pandas as pd

from ..model.park import Park
from ..results.balance import balance_year
from ..results.result import Result
from .currency import Currency, ParkNetwork, park_network
from .ena import ORIENTATION, analyse
from .flownet import RTOL
from .structure import centralities


def solve_park(park: Park, year: int | None = None) -> Result:
    """Balance ``park`` for one year (default: base year), as :func:`mfa.balance` does.

    Raises
    ------
    ParkFlowError
        When the year cannot be balanced (the engine's located problems).
    """
    return balance_year(park, year, None, Result)


def network_of(park: Park | Result, year: int | None = None, currency: Currency = "mass", *,
               recirculation: bool = True, close: bool = True) -> ParkNetwork:
    """One currency's network of a park (balanced here) or of a result already balanced."""
    result = park if isinstance(park, Result) else solve_park(park, year)
    period = None if isinstance(park, Park) else year
    return park_network(result, currency, period, recirculation=recirculation, close=close)


def park_ena(park: Park | Result, year: int | None = None, currency: Currency = "mass", *,
             recirculation: bool = True, close: bool = True, rtol: float = RTOL) -> pd.Series:
    """ENA metrics of one currency of a park in one year (see :func:`mfa.network.ena`).

    Adds ``unrecorded_dissipation`` and ``unrecorded_input``: what was booked to close each
    node's balance in this currency (:mod:`mfa.network.currency`), in the currency's unit.
    """
    built = network_of(park, year, currency, recirculation=recirculation, close=close)
    source = _source(park)
    metrics = analyse(built.network, rtol=rtol, source=f"{source} ({currency}, {built.period})")
    closure = built.closure[["unrecorded_dissipation", "unrecorded_input"]].sum()
    metrics = pd.Series(pd.concat([metrics, closure.rename(None)]), dtype=float)
    metrics.index.name = "metric"
    metrics.name = "value"
    metrics.attrs.update(unit=built.network.unit, currency=currency, period=built.period,
                         orientation=ORIENTATION)
    return metrics


def park_nodes(park: Park | Result, year: int | None = None, currency: Currency = "mass",
               *, weighted: bool = False) -> pd.DataFrame:
    """Per enterprise: degrees, centralities, throughflow and the closure booked."""
    built = network_of(park, year, currency)
    table = centralities(built.network, weighted=weighted)
    return table.join(built.closure[["unrecorded_dissipation", "unrecorded_input"]])


def _source(park: Park | Result) -> str:
    return (park.park if isinstance(park, Result) else park).source_label
