"""The trajectory frame: per scenario, year and indicator, the spread of the runs and the
probability of meeting the park's target.

From the long result frame (``scenario, run, year, indicator, value, status``; one row per
run, year and indicator) to ``trajectory.csv``'s columns::

    year, indicator, scenario, p5, p50, p95, target, probability, unit, mean, valid_runs

- valid runs: the rows whose ``value`` is not NaN (a run that broke an invariant is NaN);
- ``p5``, ``p50``, ``p95``: ``numpy.percentile`` (its default, linear interpolation) over the
  valid runs; ``mean``: their mean; all NaN without a valid run;
- ``target``: the park's target for (indicator, year), else NaN;
- ``probability``: the share of valid runs meeting the target — value ≥ target when higher
  is better (``INDICATORS[id].higher_is_better is not False``), value ≤ target otherwise;
  NaN without a target or without a valid run.

Rows are ordered by year, indicator (registry order) and scenario (``scenario_order``, else
order of first appearance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParkFlowError, one_of
from ..model.indicator_defs import INDICATORS, unit_for
from ..model.park import Target

LONG_COLUMNS = ["scenario", "run", "year", "indicator", "value", "status"]
TRAJECTORY_COLUMNS = ["year", "indicator", "scenario", "p5", "p50", "p95", "target",
                      "probability", "unit", "mean", "valid_runs"]
PERCENTILES = (5.0, 50.0, 95.0)
_IDS = list(INDICATORS)


def indicator_units(currency: str) -> dict[str, str]:
    """Every indicator's display unit for a park's currency (``unit_for``)."""
    return {i: unit_for(i, currency) for i in INDICATORS}


def meets(indicator: str, values: np.ndarray, target: float) -> np.ndarray:
    """``[K]`` bool: whether each value meets ``target`` (≥ when higher is better, else ≤)."""
    if INDICATORS[indicator].higher_is_better is not False:
        return np.asarray(values >= target)
    return np.asarray(values <= target)


def trajectory(long: pd.DataFrame, targets: Iterable[Target], units: Mapping[str, str] | str,
               *, scenario_order: Sequence[str] | None = None) -> pd.DataFrame:
    """The trajectory frame of a long result frame.

    Parameters
    ----------
    long
        Columns ``scenario, run, year, indicator, value, status``.
    targets
        ``park.targets``.
    units
        Indicator id → unit, or the park's currency (then :func:`indicator_units`).
    scenario_order
        The scenarios' order in the output (default: as they first appear); every scenario
        of ``long`` must be listed.

    Raises
    ------
    ParkFlowError
        For a missing column, an unknown indicator or a scenario not in ``scenario_order``.
    """
    missing = [c for c in LONG_COLUMNS if c not in long.columns]
    if missing:
        raise ParkFlowError.single("long result frame", "columns", f"missing {missing}",
                                   f"give the columns {', '.join(LONG_COLUMNS)}")
    indicators = _codes(long["indicator"])
    scenario_codes = _codes(long["scenario"])
    _check(long, indicators[1], scenario_codes[1], scenario_order)
    unit_of = indicator_units(units) if isinstance(units, str) else dict(units)
    goal = {(t.indicator, int(t.year)): float(t.value) for t in targets}
    scenarios = list(scenario_order) if scenario_order is not None else scenario_codes[1]
    order = {i: k for k, i in enumerate(INDICATORS)}
    position = {s: k for k, s in enumerate(scenarios)}
    ind = np.array([order[i] for i in indicators[1]], dtype=np.int64)[indicators[0]]
    scen = np.array([position[s] for s in scenario_codes[1]], dtype=np.int64)[scenario_codes[0]]
    year = long["year"].to_numpy(dtype=np.int64)
    value = long["value"].to_numpy(dtype=float)
    # one numpy sort by (year, indicator, scenario), then a slice per group: no pandas per group
    sort = np.lexsort((scen, ind, year))
    keys = np.column_stack([year, ind, scen])[sort]
    starts = np.flatnonzero(np.r_[True, (np.diff(keys, axis=0) != 0).any(axis=1)])
    groups = np.split(value[sort], starts[1:]) if len(sort) else []
    rows = [_row(tuple(keys[start]), values, goal, unit_of)
            for start, values in zip(starts, groups, strict=True)]
    for row in rows:
        row["scenario"] = scenarios[row["scenario"]]
    result = pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS)
    return result.astype({"year": np.int64, "valid_runs": np.int64})


def _row(key: tuple[object, ...], values: np.ndarray, goal: Mapping[tuple[str, int], float],
         unit_of: Mapping[str, str]) -> dict[str, Any]:
    year, i, s = (int(str(k)) for k in key)
    indicator = _IDS[i]
    valid = values[~np.isnan(values)]
    target = goal.get((indicator, year), np.nan)
    p5 = p50 = p95 = mean = np.nan
    if len(valid):
        p5, p50, p95 = (float(p) for p in np.percentile(valid, PERCENTILES))
        mean = float(np.mean(valid))
    probability = (float(np.mean(meets(indicator, valid, target)))
                   if len(valid) and not np.isnan(target) else np.nan)
    return {"year": year, "indicator": indicator, "scenario": s, "p5": p5, "p50": p50,
            "p95": p95, "target": target, "probability": probability,
            "unit": unit_of.get(indicator, ""), "mean": mean, "valid_runs": len(valid)}


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct values (as text, in order of first appearance)."""
    codes, uniques = pd.factorize(column)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _check(long: pd.DataFrame, indicators: list[str], scenarios: list[str],
           scenario_order: Sequence[str] | None) -> None:
    unknown = sorted(set(indicators) - set(INDICATORS))
    if unknown:
        raise ParkFlowError.single("long result frame", "indicator",
                                   f"unknown indicator '{unknown[0]}'",
                                   one_of(unknown[0], INDICATORS))
    if scenario_order is not None:
        unlisted = sorted(set(scenarios) - set(scenario_order))
        if unlisted:
            raise ParkFlowError.single("long result frame", "scenario",
                                       f"scenario '{unlisted[0]}' is not in scenario_order",
                                       "list every scenario of the frame in scenario_order")
