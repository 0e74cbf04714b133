"""One period's steady-state balance of a park.

Algorithm (greedy allocation by priority, exact for given activity levels):

1. Activity levels fix each enterprise's gross output ``P = max(R, 0) · level`` and gross
   demand ``D = max(−R, 0) · level`` of every carrier.
2. Active links are served in order of (priority, file order). A link sends
   ``min(supplier's remaining output, its own bound, receiver's remaining room)``; the bound
   is a share of the supplier's gross output, a cap, or a fixed quantity (which must be met).
   Room is the receiver's remaining demand for the carrier, or for the substituted carrier
   divided by the substitution ratio, grossed up for losses; a stockpile's room is its free
   capacity. Losses go to the environment.
3. What is left of each output goes to the carrier's sink (market, environment, a stockpile,
   disposal or treatment, as the park routes it); unmet demand comes from the carrier's source
   (the market, or the environment for air).

Every enterprise × carrier balance closes by construction; :mod:`mfa.testing` re-checks it
from the result tables with a tolerance scaled to the largest flow of each carrier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ParkFlowError, Problem
from ..model.park import Park
from .compiled import CompiledPark, compile_park

RELATIVE_TOLERANCE = 1e-9
INF = float("inf")


@dataclass
class _Ledger:
    """Mutable state of one solve: remaining outputs, demands, stocks and the flows so far.

    Plain Python dicts and floats over the non-zero entries only: the link loop touches
    single entries, where these are several times faster than numpy scalar indexing, and a
    park's rate matrix is sparse.
    """

    m: int
    out_left: dict[int, float]  # flat index enterprise * m + carrier → output not yet placed
    demand_left: dict[int, float]  # same index → demand not yet met
    stock: dict[int, float]  # stockpile node → current stock
    opening: dict[int, float]  # stockpile node → opening stock (base of withdrawal shares)
    room: dict[int, float]  # stockpile node → free capacity
    scale: list[float]  # per carrier: absolute tolerance
    environment: int
    stock_column: dict[int, int]
    src: list[int] = field(default_factory=list)
    dst: list[int] = field(default_factory=list)
    car: list[int] = field(default_factory=list)
    qty: list[float] = field(default_factory=list)
    link_rows: list[tuple[int, float, float, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    link_labels: list[str] = field(default_factory=list)  # "links[2] (yard>kiln:slag)"
    units: list[str] = field(default_factory=list)  # per carrier column


def solve_year(park: Park, year: int) -> tuple[CompiledPark, np.ndarray, np.ndarray, np.ndarray,
                                              _Ledger]:
    """Solve one year: compiled park, levels, gross output, gross demand and the ledger.

    Raises
    ------
    ParkFlowError
        When a fixed link quantity cannot be met, a stockpile would go below zero or above
        capacity, or a leftover has no destination.
    """
    compiled = compile_park(park)
    levels = np.array(park.levels(year), dtype=float)
    produced = np.maximum(compiled.rates, 0.0) * levels[:, None]
    demanded = np.maximum(-compiled.rates, 0.0) * levels[:, None]
    ledger = _new_ledger(park, compiled, produced, demanded)
    _serve_links(compiled, ledger, produced.ravel(), compiled.links.active_order(year))
    _route_leftovers(compiled, ledger)
    _route_unmet_demand(compiled, ledger)
    _check_stockpiles(park, compiled, ledger)
    if ledger.problems:
        raise ParkFlowError(park.source_label, ledger.problems)
    return compiled, levels, produced, demanded, ledger


def _new_ledger(
    park: Park, compiled: CompiledPark, produced: np.ndarray, demanded: np.ndarray
) -> _Ledger:
    n = compiled.n_enterprises
    column = {c: j for j, c in enumerate(compiled.carriers)}
    piles = {n + k: node for k, node in enumerate(park.boundary.values())
             if node.kind == "stockpile"}
    scale = np.maximum(produced.max(axis=0, initial=0.0), demanded.max(axis=0, initial=0.0))
    return _Ledger(
        m=len(compiled.carriers),
        environment=compiled.node("environment"),
        stock_column={i: column[node.carrier or ""] for i, node in piles.items()},
        out_left=_entries(produced, np.flatnonzero(compiled.rates > 0)),
        demand_left=_entries(demanded, np.flatnonzero(compiled.rates < 0)),
        stock={i: node.opening_stock for i, node in piles.items()},
        opening={i: node.opening_stock for i, node in piles.items()},
        room={i: node.capacity - node.opening_stock for i, node in piles.items()},
        scale=(scale * RELATIVE_TOLERANCE + 1e-12).tolist(),
        link_labels=[f"links[{link.index}] ({link.id})" for link in park.links],
        units=compiled.units,
    )


def _entries(matrix: np.ndarray, index: np.ndarray) -> dict[int, float]:
    """The entries of ``matrix`` at flat positions ``index`` (where the rates are non-zero, so
    an enterprise idle this year still has its entries)."""
    return dict(zip(index.tolist(), matrix.ravel()[index].tolist(), strict=True))


def _remaining(entries: dict[int, float], shape: tuple[int, int]) -> np.ndarray:
    dense = np.zeros(shape[0] * shape[1])
    dense[np.fromiter(entries.keys(), dtype=np.int64, count=len(entries))] = np.fromiter(
        entries.values(), dtype=float, count=len(entries))
    return dense.reshape(shape)


def _serve_links(
    compiled: CompiledPark, ledger: _Ledger, produced: np.ndarray, order: np.ndarray
) -> None:
    """Serve the active links in order; each sends min(available, bound, receiver's room)."""
    arrays = compiled.links
    source, target, carrier = (arrays.source.tolist(), arrays.target.tolist(),
                               arrays.carrier.tolist())
    demand_col, mode, bound = (arrays.demand_column.tolist(), arrays.mode.tolist(),
                               arrays.bound.tolist())
    cap, keep, ratio = arrays.cap.tolist(), arrays.keep.tolist(), arrays.ratio.tolist()
    n, m = compiled.n_enterprises, ledger.m
    out_left, demand_left, stock, room = (ledger.out_left, ledger.demand_left, ledger.stock,
                                          ledger.room)
    rows_append = ledger.link_rows.append
    src, dst, car, qty = (ledger.src.append, ledger.dst.append, ledger.car.append,
                          ledger.qty.append)
    environment = ledger.environment
    for k in order.tolist():
        s, t, c = source[k], target[k], carrier[k]
        from_stock = s >= n
        available = stock[s] if from_stock else out_left[s * m + c]
        if mode[k] == 0:  # share of the gross output, or of the stock at the start of the year
            gross = ledger.opening[s] if from_stock else float(produced[s * m + c])
            limit = min(bound[k] * gross, cap[k])
        else:
            limit = bound[k]
        if t < n:
            space = demand_left[t * m + demand_col[k]] / ratio[k] / keep[k]
        else:
            space = room.get(t, INF) / keep[k]
        sent = max(0.0, min(available, limit, space))
        binding = "supply" if sent == available else "bound" if sent == limit else "demand"
        if mode[k] == 1 and sent < limit - ledger.scale[c]:
            ledger.problems.append(_unmet_quantity(k, limit, available, space * keep[k],
                                                   from_stock, ledger, c))
        if from_stock:
            stock[s] -= sent
        else:
            out_left[s * m + c] -= sent
        delivered = sent * keep[k]
        if t < n:
            demand_left[t * m + demand_col[k]] -= delivered * ratio[k]
        elif t in room:
            room[t] -= delivered
            stock[t] += delivered
        if sent > 0:
            src(s), dst(t), car(c), qty(delivered)
            if sent > delivered:  # lost on the way, to the environment
                src(s), dst(environment), car(c), qty(sent - delivered)
        rows_append((k, sent, delivered, binding))


def _unmet_quantity(
    k: int,
    quantity: float,
    available: float,
    space: float,
    stock: bool,
    ledger: _Ledger,
    carrier: int,
) -> Problem:
    unit = ledger.units[carrier]
    what = "stockpile holds" if stock else "supplier has"
    short = (f"the {what} only {available:.6g} {unit} left" if available < space
             else f"the receiver can take only {space:.6g} {unit}")
    fix = ("lower the quantity, raise the opening stock, or use 'cap' for an upper bound"
           if stock else "lower the quantity, give it a higher priority (smaller number), "
           "or use 'cap' for an upper bound")
    return Problem(
        f"{ledger.link_labels[k]}.quantity",
        f"fixed quantity {quantity:.6g} {unit}/a cannot be met: {short}"
        + (" (a stockpile cannot be drawn below zero)" if stock else ""),
        fix,
    )


def _route_leftovers(compiled: CompiledPark, ledger: _Ledger) -> None:
    n, m = compiled.n_enterprises, ledger.m
    left = _remaining(ledger.out_left, (n, m))
    rows, cols = np.nonzero(left > np.asarray(ledger.scale))
    sinks = compiled.sink[cols]
    quantities = left[rows, cols]
    for i, c, quantity in zip(rows[sinks < 0].tolist(), cols[sinks < 0].tolist(),
                              quantities[sinks < 0].tolist(), strict=True):
        ledger.problems.append(Problem(
            f"enterprises[{i}] ({compiled.node_ids[i]}).rates.{compiled.carriers[c]}",
            f"{quantity:.6g} {compiled.units[c]}/a of '{compiled.carriers[c]}' is left after "
            "the links and has no destination",
            f"add a boundary node with 'default_for: [{compiled.carriers[c]}]'",
        ))
    routed = sinks >= 0
    for sink, quantity in zip(sinks[routed].tolist(), quantities[routed].tolist(), strict=True):
        if sink in ledger.room:  # a stockpile fills up
            ledger.room[sink] -= quantity
            ledger.stock[sink] += quantity
    ledger.src.extend(rows[routed].tolist())
    ledger.dst.extend(sinks[routed].tolist())
    ledger.car.extend(cols[routed].tolist())
    ledger.qty.extend(quantities[routed].tolist())


def _route_unmet_demand(compiled: CompiledPark, ledger: _Ledger) -> None:
    n, m = compiled.n_enterprises, ledger.m
    unmet = _remaining(ledger.demand_left, (n, m))
    rows, cols = np.nonzero(unmet > np.asarray(ledger.scale))
    sources = compiled.source[cols]
    ledger.src.extend(sources.tolist())
    ledger.dst.extend(rows.tolist())
    ledger.car.extend(cols.tolist())
    ledger.qty.extend(unmet[rows, cols].tolist())


def _check_stockpiles(park: Park, compiled: CompiledPark, ledger: _Ledger) -> None:
    for node, free in ledger.room.items():
        column = ledger.stock_column[node]
        if free >= -ledger.scale[column]:
            continue
        spec = park.boundary[compiled.node_ids[node]]
        ledger.problems.append(Problem(
            f"boundary ({spec.id}).capacity",
            f"stockpile '{spec.id}' would hold {spec.capacity - free:.6g} "
            f"{compiled.units[column]}, above its capacity {spec.capacity:.6g}",
            "raise the capacity, or route the surplus to disposal or a user",
        ))
