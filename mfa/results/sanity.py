"""No success with an impossible result: a balance whose numbers cannot be true is an error.

Every quantity of the result tables must be finite (a stockpile without a limit has an
infinite capacity, nothing else may) and every flow non-negative. With all flows finite and
non-negative, every rate indicator whose denominator is positive is finite, so "NaN although
defined" cannot reach the user through the tables; :func:`check_indicators` checks the
indicator table itself as well (the CLI and the fuzz suite run it).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from ..errors import ParkFlowError, Problem

if TYPE_CHECKING:
    from .result import Result

    R = TypeVar("R", bound=Result)

MIN_YEAR, MAX_YEAR = 1900, 2200  # as mfa.io.limits (which this layer does not import)

# Numeric columns that may hold inf: an unbounded stockpile's capacity.
_MAY_BE_INFINITE = {("stockpiles", "capacity")}
# Where a row names its place: enterprise or node columns, then the carrier.
_PLACE = {
    "flows": ("source", "target", "carrier"),
    "stockpiles": ("stockpile", "carrier"),
    "activity": ("enterprise", "reference"),
    "enterprise_balance": ("enterprise", "carrier"),
    "link_flows": ("link", "carrier"),
}
# A rate indicator is defined (finite) whenever the indicator named beside it is positive.
DEFINED_WHEN_POSITIVE = {
    "water_reuse_rate": "fresh_water_use",
    "water_output_rate": "fresh_water_use",
    "solid_waste_utilisation_rate": "solid_waste_generated",
    "resource_output_rate": "primary_resource_consumption",
    "energy_intensity": "value_added",
    "fresh_water_intensity": "value_added",
}
_FIX = ("the input passed every check but its balance is impossible: this is a ParkFlow "
        "defect; please report it with the park file")


def checked_year(year: object, source: str) -> int:
    """``year`` if it is a whole number within 1900–2200, else a :class:`ParkFlowError`."""
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not (
            MIN_YEAR <= year <= MAX_YEAR):
        text = repr(year) if isinstance(year, int) and abs(year) < 10**30 else type(year).__name__
        raise ParkFlowError(source, [Problem(
            "", f"{text} is not a year ParkFlow balances",
            f"give a whole year from {MIN_YEAR} to {MAX_YEAR}")])
    return int(year)


def check_result(result: R) -> R:
    """``result`` itself, or a :class:`ParkFlowError` naming the enterprise and carrier of
    the first non-finite number in any result table, or of a negative flow."""
    source = result.compiled.source_label
    for name, columns in _PLACE.items():
        table: pd.DataFrame = getattr(result, name)
        problem = _non_finite(name, table, columns)
        if problem is not None:
            raise ParkFlowError(source, [problem])
    flows = result.flows
    negative = flows["quantity"].to_numpy(dtype=float) < -1e-9 * max(1.0, _largest(flows))
    if negative.any():
        row = flows[negative].iloc[0]
        raise ParkFlowError(source, [Problem(
            _place(row, _PLACE["flows"]), f"flow of {row['quantity']:g} {row['unit']}/a in "
            f"{row['period']} is negative", _FIX)])
    return result


def _largest(flows: pd.DataFrame) -> float:
    values = flows["quantity"].to_numpy(dtype=float)
    return float(np.abs(values).max()) if values.size else 0.0


def _non_finite(name: str, table: pd.DataFrame, columns: tuple[str, ...]) -> Problem | None:
    for column in table.columns:
        if (name, column) in _MAY_BE_INFINITE or not pd.api.types.is_numeric_dtype(table[column]):
            continue
        values = table[column].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            row = table[bad].iloc[0]
            period = f" in {row['period']}" if "period" in table.columns else ""
            return Problem(_place(row, columns), f"{column} is {row[column]}{period} "
                           f"({name} table): an impossible result", _FIX)
    return None


def _place(row: pd.Series, columns: tuple[str, ...]) -> str:
    """``enterprise smelter, carrier fresh_water`` or ``source a → target b, carrier c``."""
    *nodes, carrier = columns
    where = " → ".join(f"{column} {row[column]}" for column in nodes if column in row)
    return f"{where}, carrier {row[carrier]}"


def check_indicators(table: pd.DataFrame, source: str) -> None:
    """Raise :class:`ParkFlowError` for an infinite indicator, or a rate that is NaN although
    the indicator it divides by is positive (water reuse with fresh water use > 0) and the
    park declares its data (no ``note``).

    ``table`` is ``result.indicators()``: indexed by period and indicator, with ``value``.
    """
    problems = []
    # An indicator whose data the park does not declare is "–" with its reason (note).
    lacking = set(table.index[table["note"] != ""].get_level_values("indicator")) if (
        "note" in table) else set()
    for period, rows in table["value"].groupby(level="period"):
        values = rows.droplevel("period")
        for indicator, value in values.items():
            if indicator in lacking:
                continue
            needs = DEFINED_WHEN_POSITIVE.get(str(indicator), "")
            base = float(values.get(needs, 0.0)) if needs else 0.0
            if math.isinf(value) or (base > 0 and math.isnan(value)):
                why = f"{needs} is {base:g}" if base > 0 else "it must be finite"
                problems.append(Problem(f"indicator {indicator} in {period}",
                                        f"value is {value} although {why}", _FIX))
    if problems:
        raise ParkFlowError(source, problems)
