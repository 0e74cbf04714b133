"""Optimal allocation: one period's routing solved as a linear programme with HiGHS
(``scipy.optimize.linprog``), returned as the same :class:`Solution` as the greedy solve.

The LP (:mod:`mfa.engine.lp_matrices`) chooses what every link sends; the flows are then
replayed through :func:`mfa.engine.greedy.solve` with each link capped at the LP's flow, so
leftovers, unmet demand, stockpiles, losses and substitution are booked exactly as the
greedy solve books them (mass balance by construction).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from ..errors import ParkFlowError, Problem
from ..model.park import LINK_MODES
from .compiled import CompiledPark
from .greedy import solve
from .lp_matrices import OBJECTIVES, build_lp
from .solution import Solution

CAP = LINK_MODES.index("cap")
COST_TOLERANCE = 1e-9  # relative slack on the least cost when utilisation breaks ties


def optimal_flows(compiled: CompiledPark, period: int, levels: np.ndarray | None = None,
                  objective: str = "utilisation", stock: np.ndarray | None = None) -> np.ndarray:
    """What each link sends in the LP optimum of ``period`` (``[L]``, file order)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    levels = compiled.levels_for(period) if levels is None else np.asarray(levels, float)
    lp = build_lp(compiled, period, levels, objective, stock)
    if len(lp.c) == 0:
        return np.zeros(0)
    bounds = np.column_stack([lp.lower, lp.upper])
    result = linprog(lp.c, A_ub=lp.a_ub, b_ub=lp.b_ub, bounds=bounds, method="highs")
    if objective == "cost" and result.status == 0:  # among the cheapest, the most utilised
        cheapest = float(result.fun) + COST_TOLERANCE * max(1.0, abs(float(result.fun)))
        util = build_lp(compiled, period, levels, "utilisation", stock).c
        result = linprog(util, A_ub=sparse.vstack([lp.a_ub, sparse.csr_array(lp.c[None, :])]),
                         b_ub=np.append(lp.b_ub, cheapest), bounds=bounds, method="highs")
    if result.status != 0 or result.x is None:
        raise ParkFlowError(compiled.source_label, [Problem(
            "park.allocation", f"the optimal allocation of {period} failed: HiGHS reports "
            f"{result.message}", "check the fixed quantities and stockpile limits, or use "
            "'allocation: greedy'")])
    x: np.ndarray = np.clip(result.x, lp.lower, lp.upper)
    return x


def solve_optimal(compiled: CompiledPark, period: int, levels: np.ndarray | None = None,
                  stock: np.ndarray | None = None, *,
                  objective: str = "utilisation") -> Solution:
    """Solve ``period`` with the LP allocation (one sample); same result type as ``solve``."""
    x = optimal_flows(compiled, period, levels, objective, stock)
    mode = np.full(len(x), CAP, dtype=compiled.links.mode.dtype)
    links = dataclasses.replace(compiled.links, mode=mode, bound=x, cap=np.full(len(x), np.inf))
    replay = dataclasses.replace(compiled, links=links)
    return solve(replay, period, levels=levels, stock=stock)
