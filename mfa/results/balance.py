"""One year balanced and assembled: compile (cached per park) → solve → tables → checks.

The one copy of that sequence, for :func:`mfa.balance` and for the layers between results and
the API (network analysis, resilience) that cannot import :mod:`mfa.api`.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from ..engine.compiled import compile_park
from ..engine.greedy import solve
from ..engine.lp_matrices import OBJECTIVES
from ..engine.optimal import solve_optimal
from ..errors import ParkFlowError
from ..model.park import Park
from .result import Result, assemble
from .sanity import check_result, checked_year

R = TypeVar("R", bound=Result)


def balance_year(park: Park, year: int | None, stock: np.ndarray | None,
                 result_type: type[R], allocation: str | None = None,
                 objective: str = "utilisation") -> R:
    """Balance ``park`` in ``year`` (default: its base year) from ``stock`` (default: the
    file's opening stock) as a ``result_type``. ``allocation`` is ``greedy`` or ``optimal``
    (default: the park's ``allocation``); ``objective`` the optimal allocation's objective.

    Raises
    ------
    ParkFlowError
        For a year out of range or without levels, or the engine's located problems.
    """
    year = checked_year(park.meta.base_year if year is None else year, park.source_label)
    compiled = compile_park(park)
    allocation = checked_allocation(park, allocation, objective)
    if allocation == "optimal":
        solution = solve_optimal(compiled, year, stock=stock, objective=objective)
    else:
        solution = solve(compiled, year, stock=stock)
    if solution.problems:
        raise ParkFlowError(compiled.source_label, solution.problems_of(0))
    return check_result(assemble(park, compiled, [solution], result_type))


ALLOCATIONS = ("greedy", "optimal")


def checked_allocation(park: Park, allocation: str | None, objective: str) -> str:
    """``allocation`` (or the park's), raising a located error for unknown values."""
    chosen = park.meta.allocation if allocation is None else allocation
    if chosen not in ALLOCATIONS:
        raise ParkFlowError.single(park.source_label, "allocation",
                                   f"unknown allocation {chosen!r}",
                                   f"use one of: {', '.join(ALLOCATIONS)}")
    if objective not in OBJECTIVES:
        raise ParkFlowError.single(park.source_label, "objective",
                                   f"unknown objective {objective!r}",
                                   f"use one of: {', '.join(OBJECTIVES)}")
    return chosen
