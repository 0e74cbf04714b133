"""ENA across scenarios and years: how cycling changes as projects come online.

A scenario is a named park: ``{"baseline": park, "with_slag_mill": variant}``. Each is
balanced for each year and each currency, and the metrics stack into one tidy table. Plans
(issue 8) will plug in as more named parks (a plan applied to a park gives a park).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..errors import ParkFlowError
from ..model.park import Park
from .currency import UNITS, Currency
from .metric_defs import unit_of
from .parks import park_ena, solve_park

LEVELS = ["scenario", "year", "currency", "metric"]


def compare(scenarios: Mapping[str, Park] | Park, years: Sequence[int] | None = None,
            currencies: Sequence[Currency] = ("mass",),
            metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """ENA metrics per scenario, year and currency, in long (tidy) form.

    Parameters
    ----------
    scenarios
        Scenario name → park; a single park is the scenario ``"baseline"``.
    years
        The years to balance (default: each park's base year).
    currencies
        ``mass``, ``energy`` and/or ``water``.
    metrics
        Metric ids to keep (default: all).

    Returns
    -------
    pandas.DataFrame
        Index (``scenario``, ``year``, ``currency``, ``metric``); columns ``value``, ``unit``
        and ``status`` (``ok``, or why that year could not be analysed: its rows are NaN,
        never dropped).
    """
    named = {"baseline": scenarios} if isinstance(scenarios, Park) else dict(scenarios)
    frames = [_one(name, park, year, currency, metrics)
              for name, park in named.items()
              for year in (years if years is not None else [park.meta.base_year])
              for currency in currencies]
    table = pd.concat(frames) if frames else pd.DataFrame(columns=[*LEVELS, "value"])
    return table.set_index(LEVELS)


def _one(name: str, park: Park, year: int, currency: Currency,
         metrics: Sequence[str] | None) -> pd.DataFrame:
    try:
        values = park_ena(solve_park(park, year), currency=currency)
        status = "ok"
    except ParkFlowError as error:
        values = pd.Series(float("nan"), index=pd.Index(metrics or ["tst"], name="metric"))
        status = error.problems[0].message if error.problems else str(error)
    if metrics is not None:
        values = values.reindex(list(metrics))
    unit = UNITS[currency]
    return pd.DataFrame({
        "scenario": name, "year": year, "currency": currency,
        "metric": list(values.index), "value": values.to_numpy(dtype=float),
        "unit": [unit_of(str(m), unit) for m in values.index], "status": status,
    })


def wide(table: pd.DataFrame) -> pd.DataFrame:
    """The tidy table with one column per metric (index scenario, year, currency)."""
    return table["value"].unstack("metric")
