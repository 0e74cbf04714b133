"""Checks that users can run on their own results: every balance closes.

``assert_balanced`` recomputes, from the result tables alone, that for every enterprise and
carrier the outflows equal production and the inflows equal consumption, that every stockpile
obeys ``closing = opening + stored − withdrawn``, and that the NBS solid-waste identity holds.
The tolerance scales with the largest flow of each carrier (as flodym's check does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .indicators.official import GSW, HAZ
from .indicators.table import waste_accounts

if TYPE_CHECKING:
    from .results.result import Result


def _tolerance(flows: pd.DataFrame, rtol: float) -> pd.Series:
    return flows.groupby("carrier")["quantity"].max() * rtol + 1e-9


def _compare(expected: pd.Series, actual: pd.Series, tol: pd.Series, what: str) -> None:
    joined = pd.concat([expected.rename("expected"), actual.rename("actual")], axis=1).fillna(0.0)
    carriers = joined.index.get_level_values("carrier")
    limit = tol.reindex(carriers).fillna(1e-9).to_numpy()
    gap = (joined["expected"] - joined["actual"]).abs().to_numpy()
    bad = joined[gap > limit]
    if not bad.empty:
        raise AssertionError(f"{what} do not balance:\n{bad.head(10).to_string()}")


def assert_balanced(result: Result, rtol: float = 1e-6) -> None:
    """Raise ``AssertionError`` naming the first unbalanced entries, if any."""
    flows = result.flows
    tol = _tolerance(flows, rtol)
    keys = ["period", "enterprise", "carrier"]
    table = result.enterprise_balance.set_index(keys)
    out = flows[flows["source_kind"] == "enterprise"].rename(columns={"source": "enterprise"})
    into = flows[flows["target_kind"] == "enterprise"].rename(columns={"target": "enterprise"})
    _compare(table["produced"], out.groupby(keys)["quantity"].sum(), tol,
             "enterprise outputs (produced vs flows out)")
    _compare(table["consumed"], into.groupby(keys)["quantity"].sum(), tol,
             "enterprise inputs (consumed vs flows in)")
    _assert_stockpiles(result, tol)
    _assert_waste_identity(result, rtol)


def _assert_stockpiles(result: Result, tol: pd.Series) -> None:
    flows = result.flows
    for row in result.stockpiles.itertuples(index=False):
        period, node = row.period, row.stockpile
        inflow = flows[(flows["period"] == period) & (flows["target"] == node)]["quantity"].sum()
        outflow = flows[(flows["period"] == period) & (flows["source"] == node)]["quantity"].sum()
        closing = float(row.opening) + inflow - outflow  # type: ignore[arg-type]
        limit = float(tol.get(row.carrier, 1e-9))
        if abs(closing - float(row.closing)) > limit:  # type: ignore[arg-type]
            raise AssertionError(
                f"stockpile {node} in {period}: closing {row.closing} != {closing}")
        if closing < -limit:
            raise AssertionError(f"stockpile {node} in {period} is below zero: {closing}")


def _assert_waste_identity(result: Result, rtol: float) -> None:
    for klass in (GSW, HAZ):
        ledger = waste_accounts(result.flows, klass)
        if ledger.empty:
            continue
        rhs = (ledger["utilised"] - ledger["utilised_from_stock"] + ledger["stored"]
               + ledger["disposed"] - ledger["disposed_from_stock"] + ledger["dumped"])
        scale = ledger["generated"].abs().max() * rtol + 1e-9
        if not np.allclose(ledger["generated"], rhs, atol=scale, rtol=0):
            raise AssertionError(f"NBS identity fails for {klass}:\n{ledger.to_string()}")
