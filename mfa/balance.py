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

from .compiled import CompiledLink, CompiledPark, compile_park
from .errors import ParkFlowError, Problem
from .model import Park
from .results import BalanceResult, assemble_result

RELATIVE_TOLERANCE = 1e-9


@dataclass
class _Ledger:
    """Mutable state of one solve: remaining outputs, demands, stocks and the flows so far."""

    m: int
    out_left: list[float]
    demand_left: list[float]
    stock: dict[int, float]
    room: dict[int, float]
    scale: list[float]
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

    def record(self, source: int, target: int, carrier: int, quantity: float) -> None:
        self.src.append(source)
        self.dst.append(target)
        self.car.append(carrier)
        self.qty.append(quantity)


def balance(park: Park, year: int | None = None) -> BalanceResult:
    """Balance ``park`` for one year (default: its base year).

    Returns
    -------
    BalanceResult
        FlowTable, stockpile levels, activity, per-link flows and indicators.

    Raises
    ------
    ParkFlowError
        When a fixed link quantity cannot be met, a stockpile would go below zero or above
        capacity, or a leftover has no destination.
    """
    year = park.meta.base_year if year is None else year
    compiled = compile_park(park)
    levels = _levels(park, year)
    produced = np.maximum(compiled.rates, 0.0) * levels[:, None]
    demanded = np.maximum(-compiled.rates, 0.0) * levels[:, None]
    ledger = _new_ledger(park, compiled, produced, demanded)
    active = sorted(
        (link for link in compiled.links if park.links[link.link_index].active(year)),
        key=lambda link: (park.links[link.link_index].priority, link.link_index),
    )
    for link in active:
        _serve(link, ledger, produced, compiled.n_enterprises)
    _route_leftovers(compiled, ledger)
    _route_unmet_demand(compiled, ledger)
    _check_stockpiles(park, compiled, ledger)
    if ledger.problems:
        raise ParkFlowError(park.source_label, ledger.problems)
    result = assemble_result(park, compiled, year, levels, produced, demanded, ledger)
    if year != park.meta.base_year:
        result.baseline = balance(park, park.meta.base_year)
    return result


def _levels(park: Park, year: int) -> np.ndarray:
    missing = [(i, e) for i, e in enumerate(park.enterprises)
               if not any(y <= year for y in e.levels)]
    if missing:
        raise ParkFlowError(park.source_label, [
            Problem(f"enterprises[{i}] ({e.id}).activity.level",
                    f"no activity level for {year}; the first is for {min(e.levels)}",
                    f"add a level for {year} or earlier, or balance a later year")
            for i, e in missing
        ])
    return park.levels(year)


def _new_ledger(
    park: Park, compiled: CompiledPark, produced: np.ndarray, demanded: np.ndarray
) -> _Ledger:
    n = compiled.n_enterprises
    stock = {n + k: node.opening_stock for k, node in enumerate(park.boundary.values())
             if node.kind == "stockpile"}
    room = {n + k: node.capacity - node.opening_stock
            for k, node in enumerate(park.boundary.values()) if node.kind == "stockpile"}
    scale = np.maximum(produced.max(axis=0, initial=0.0), demanded.max(axis=0, initial=0.0))
    column = {c: j for j, c in enumerate(compiled.carriers)}
    return _Ledger(
        m=len(compiled.carriers),
        environment=compiled.node("environment"),
        stock_column={n + k: column[node.carrier or ""]
                      for k, node in enumerate(park.boundary.values()) if node.kind == "stockpile"},
        out_left=produced.ravel().tolist(),
        demand_left=demanded.ravel().tolist(),
        stock=stock,
        room=room,
        scale=(scale * RELATIVE_TOLERANCE + 1e-12).tolist(),
        link_labels=[f"links[{link.index}] ({link.id})" for link in park.links],
        units=compiled.units,
    )


def _serve(link: CompiledLink, ledger: _Ledger, produced: np.ndarray, n: int) -> None:
    s, t, c, m = link.source, link.target, link.carrier, ledger.m
    from_stock = s >= n
    available = ledger.stock[s] if from_stock else ledger.out_left[s * m + c]
    if link.mode == "share":
        gross = ledger.stock[s] if from_stock else float(produced[s, c])
        bound = link.bound * gross
    else:
        bound = link.bound
    if t < n:
        room = ledger.demand_left[t * m + link.demand_column] / link.ratio / link.keep
    else:
        room = ledger.room.get(t, float("inf")) / link.keep
    sent = max(0.0, min(available, bound, room))
    binding = "supply" if sent == available else "bound" if sent == bound else "demand"
    if link.mode == "quantity" and sent < bound - ledger.scale[c]:
        ledger.problems.append(_unmet_quantity(link, available, room, from_stock, ledger))
    if from_stock:
        ledger.stock[s] -= sent
    else:
        ledger.out_left[s * m + c] -= sent
    delivered = sent * link.keep
    if t < n:
        ledger.demand_left[t * m + link.demand_column] -= delivered * link.ratio
    elif t in ledger.room:
        ledger.room[t] -= delivered
        ledger.stock[t] += delivered
    if sent > 0:
        ledger.record(s, t, c, delivered)
        if sent > delivered:
            ledger.record(s, ledger.environment, c, sent - delivered)  # loss on the way
    ledger.link_rows.append((link.link_index, sent, delivered, binding))


def _unmet_quantity(
    link: CompiledLink, available: float, room: float, stock: bool, ledger: _Ledger
) -> Problem:
    unit = ledger.units[link.carrier]
    what = "stockpile holds" if stock else "supplier has"
    short = (f"the {what} only {available:.6g} {unit} left" if available < room
             else f"the receiver can take only {room * link.keep:.6g} {unit}")
    fix = ("lower the quantity, raise the opening stock, or use 'cap' for an upper bound"
           if stock else "lower the quantity, give it a higher priority (smaller number), "
           "or use 'cap' for an upper bound")
    return Problem(
        f"{ledger.link_labels[link.link_index]}.quantity",
        f"fixed quantity {link.bound:.6g} {unit}/a cannot be met: {short}"
        + (" (a stockpile cannot be drawn below zero)" if stock else ""),
        fix,
    )


def _route_leftovers(compiled: CompiledPark, ledger: _Ledger) -> None:
    n, m = compiled.n_enterprises, ledger.m
    left = np.asarray(ledger.out_left).reshape(n, m)
    rows, cols = np.nonzero(left > np.asarray(ledger.scale))
    for i, c in zip(rows.tolist(), cols.tolist(), strict=True):
        sink = int(compiled.sink[c])
        quantity = float(left[i, c])
        if sink < 0:
            ledger.problems.append(Problem(
                f"enterprises[{i}] ({compiled.node_ids[i]}).rates.{compiled.carriers[c]}",
                f"{quantity:.6g} {compiled.units[c]}/a of '{compiled.carriers[c]}' is left after "
                "the links and has no destination",
                f"add a boundary node with 'default_for: [{compiled.carriers[c]}]'",
            ))
            continue
        if sink in ledger.room:
            ledger.room[sink] -= quantity
            ledger.stock[sink] += quantity
        ledger.record(i, sink, c, quantity)


def _route_unmet_demand(compiled: CompiledPark, ledger: _Ledger) -> None:
    n, m = compiled.n_enterprises, ledger.m
    unmet = np.asarray(ledger.demand_left).reshape(n, m)
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
