"""The simulation's tables, built once per study: per-period flows and activity of the
central run (the FlowTable schema with a ``period`` label and a ``year``), stockpile levels
per period with their spread across runs, and the long result frame of every run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.compiled import CompiledPark
from ..indicators.fast import INDICATOR_IDS
from ..results.tables import flow_columns, flow_keys
from .calendar import Steps

PERCENTILES = (5, 50, 95)
STOCKPILE_COLUMNS = ["period", "year", "stockpile", "carrier", "unit", "central", "p5", "p50",
                     "p95", "capacity"]


def period_flows(compiled: CompiledPark, steps: Steps, qty: np.ndarray) -> pd.DataFrame:
    """The FlowTable of ``qty`` ``[T, R]`` (one row of records per step): one row per period
    and (source, target, carrier, substituted carrier) with a non-zero quantity. Quantities
    are per period (not per year)."""
    unique, inverse = flow_keys(compiled)
    order = np.argsort(inverse, kind="stable")  # records by row, in record order
    starts = np.flatnonzero(np.r_[True, np.diff(inverse[order]) != 0])
    grouped = np.add.reduceat(qty[:, order], starts, axis=1) if len(order) else \
        np.zeros((len(qty), 0))  # the bincount's sums of the steady state, bit for bit
    step, column = np.nonzero(grouped > 0)
    return pd.DataFrame({
        "period": pd.Categorical.from_codes(step, categories=pd.Index(steps.label),
                                           ordered=True),  # chronological
        "year": steps.year[step],
        **flow_columns(compiled, unique[column], grouped[step, column]),
    })


def period_activity(compiled: CompiledPark, steps: Steps, levels: np.ndarray) -> pd.DataFrame:
    """Activity of every enterprise in every period of the central run (per period)."""
    n = compiled.n_enterprises
    return pd.DataFrame({
        "period": np.repeat(np.array(steps.label), n), "year": np.repeat(steps.year, n),
        "enterprise": np.tile(np.array(compiled.node_ids[:n]), len(steps)),
        "level": levels.reshape(-1),
    })


def stockpile_levels(compiled: CompiledPark, steps: Steps, central: np.ndarray,
                     runs: list[np.ndarray]) -> pd.DataFrame:
    """Stock at the end of each period: ``central`` ``[T, P]`` and the percentiles over the
    runs of the chunks ``runs`` (``[T, K_i, P]`` each)."""
    piles = len(compiled.pile_node)
    if piles == 0:
        return pd.DataFrame(columns=STOCKPILE_COLUMNS)
    spread = run_percentiles(runs)  # [3, T, P]
    return pd.DataFrame({
        "period": np.repeat(np.array(steps.label), piles),
        "year": np.repeat(steps.year, piles),
        "stockpile": np.tile(np.array(compiled.node_ids)[compiled.pile_node], len(steps)),
        "carrier": np.tile(np.array(compiled.carriers)[compiled.pile_carrier], len(steps)),
        "unit": np.tile(np.array(compiled.units)[compiled.pile_carrier], len(steps)),
        "central": central.reshape(-1),
        **{f"p{p}": spread[k].reshape(-1) for k, p in enumerate(PERCENTILES)},
        "capacity": np.tile(np.where(np.isinf(compiled.pile_capacity), np.nan,
                                     compiled.pile_capacity), len(steps)),
    }, columns=STOCKPILE_COLUMNS)


def run_percentiles(parts: list[np.ndarray], block: int = 64) -> np.ndarray:
    """``[3, T, P]`` :data:`PERCENTILES` over the runs of ``parts`` (``[T, K_i, P]`` each),
    exactly ``np.percentile`` of their concatenation, ``block`` steps at a time: the chunks'
    rows are gathered into one reused buffer, runs contiguous, and partitioned in place
    (joining the chunks into one ``[T, K, P]`` array and sorting a copy of it along the
    strided run axis took 5.1 s instead of 1.9 s for 1,000 daily runs of 10 years)."""
    steps, piles = parts[0].shape[0], parts[0].shape[2]
    bounds = np.cumsum([0, *(part.shape[1] for part in parts)])
    spread = np.empty((len(PERCENTILES), steps, piles))
    buffer = np.empty((min(block, steps), piles, int(bounds[-1])))
    for a in range(0, steps, block):
        work = buffer[:min(block, steps - a)]
        for part, k0, k1 in zip(parts, bounds[:-1], bounds[1:], strict=True):
            work[:, :, k0:k1] = part[a:a + len(work)].transpose(0, 2, 1)
        spread[:, a:a + len(work)] = np.percentile(work, PERCENTILES, axis=2,
                                                   overwrite_input=True)
    return spread


def long_frame(scenario: str, years: tuple[int, ...], values: np.ndarray,
               problems: list[str]) -> pd.DataFrame:
    """The long result frame of ``values`` ``[K, Y, I]``: scenario, run, year, indicator,
    value, status."""
    runs, n_years, n_ind = values.shape
    status = np.array([p or "ok" for p in problems], dtype=object)
    return pd.DataFrame({
        "scenario": scenario,
        "run": np.repeat(np.arange(runs), n_years * n_ind),
        "year": np.tile(np.repeat(np.array(years), n_ind), runs),
        "indicator": np.tile(np.array(INDICATOR_IDS), runs * n_years),
        "value": values.reshape(-1),
        "status": np.repeat(status, n_years * n_ind),
    })
