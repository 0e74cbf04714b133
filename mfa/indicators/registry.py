"""One registry: each official indicator's definition with its computation.

A computation is a function of named totals (:mod:`mfa.indicators.totals`) that works on numpy
arrays of any shape: one value per period on the table path, one per sample on the fast path.
Registering a computation for an id without a definition, or leaving a definition without a
computation, raises at import (:func:`check_complete`), so an indicator can never come out as a
silent 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..model.indicator_defs import INDICATORS, IndicatorDef
from .totals import Total

Totals = Mapping[str, np.ndarray]
Compute = Callable[[Totals], np.ndarray]


@dataclass(frozen=True)
class Indicator:
    """An official indicator: what the statistics define, and how ParkFlow computes it."""

    definition: IndicatorDef
    needs: tuple[str, ...]  # totals (or other inputs) the computation reads
    compute: Compute


TOTALS: dict[str, Total] = {}
REGISTRY: dict[str, Indicator] = {}
# Inputs that are not totals of the period itself: the caller supplies them.
EXTERNAL = {"base_resource_output_rate"}


def total(name: str, definition: Total) -> None:
    """Declare a total once."""
    if name in TOTALS:
        raise RuntimeError(f"total '{name}' is declared twice")
    TOTALS[name] = definition


def indicator(indicator_id: str, *needs: str) -> Callable[[Compute], Compute]:
    """Register the computation of ``indicator_id`` from the named totals."""

    def register(compute: Compute) -> Compute:
        if indicator_id not in INDICATORS:
            raise RuntimeError(f"computation for '{indicator_id}', which has no definition in "
                               "mfa.model.indicator_defs")
        if indicator_id in REGISTRY:
            raise RuntimeError(f"indicator '{indicator_id}' is computed twice")
        unknown = [n for n in needs if n not in TOTALS and n not in EXTERNAL]
        if unknown:
            raise RuntimeError(f"indicator '{indicator_id}' needs undeclared totals {unknown}")
        REGISTRY[indicator_id] = Indicator(INDICATORS[indicator_id], tuple(needs), compute)
        return compute

    return register


def check_complete() -> None:
    """Every defined indicator has a computation (run at import of the indicators)."""
    missing = [i for i in INDICATORS if i not in REGISTRY]
    if missing:
        raise RuntimeError(f"indicators defined but not computed: {missing}")


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, NaN where the denominator is not positive (undefined)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def compute_all(totals: Totals, missing: Mapping[str, str] | None = None
                ) -> dict[str, np.ndarray]:
    """Every indicator, in definition order, from the totals (and external inputs); NaN for
    the ``missing`` ones (whose data the park does not declare)."""
    values = {i: np.asarray(REGISTRY[i].compute(totals), dtype=float) for i in INDICATORS}
    for ind_id in missing or {}:
        values[ind_id] = np.full(np.shape(values[ind_id]), np.nan)
    return values


def needed_totals() -> list[str]:
    """The totals any indicator needs, in declaration order."""
    used = {n for ind in REGISTRY.values() for n in ind.needs}
    return [name for name in TOTALS if name in used]
