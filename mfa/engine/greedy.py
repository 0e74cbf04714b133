"""One period's steady state: arrays in, arrays out (no pandas, no Park).

Algorithm (greedy allocation by priority, exact for given activity levels):

1. Activity levels fix each enterprise's gross output ``rate · level`` of every carrier it
   produces and gross demand ``−rate · level`` of every carrier it consumes.
2. Active links are served in order of (priority, file order). A link sends
   ``min(supplier's remaining output, its own bound, receiver's remaining room)``; the bound
   is a share of the supplier's gross output (or of a stockpile's stock at the start of the
   period), a cap, or a fixed quantity (which must be met). Room is the receiver's remaining
   demand for the carrier, or for the substituted carrier divided by the substitution ratio,
   grossed up for losses; a stockpile's room is its free capacity. Losses go to the
   environment. Links that touch different entries are served together in waves
   (:mod:`mfa.engine.schedule`), which gives the sequential result exactly.
3. What is left of each output goes to the carrier's sink (market, environment, a stockpile,
   disposal or treatment, as the park routes it); unmet demand comes from the carrier's source
   (the market, or the environment for air). Leftovers and unmet demand below 1e-9 of the
   carrier's largest flow are treated as rounding and dropped.

Every array may carry a leading batch axis: K samples are solved in one call, each with its own
levels, opening stock and parameters. A sample that breaks an invariant is flagged in
``solution.status`` with its problems; it never aborts the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import Problem
from .batch import as_rows as _rows
from .batch import by_link, limits, link_rows, quantities, results, start_rows, substituted
from .compiled import CompiledPark
from .solution import Params, SampleProblem, Solution, Status
from .waves import Served, Waves, binding_codes, serve, waves_of


@dataclass
class _State:
    """The arrays one solve updates. The solver works on ``rows``, the state transposed
    (``[columns, K]``, K contiguous: see :mod:`mfa.engine.waves`); ``state`` and ``tol`` are
    views of the same memory with the batch axis first."""

    rows: np.ndarray  # [columns, K]: outputs left, demand unmet, stock, room
    tol_rows: np.ndarray  # [m, K]: absolute tolerance per carrier
    problems: list[tuple[int, int, SampleProblem]]  # (stage, position, problem)

    @property
    def state(self) -> np.ndarray:
        """[K, columns]"""
        return self.rows.T

    @property
    def tol(self) -> np.ndarray:
        """[K, m]"""
        return self.tol_rows.T


def solve(compiled: CompiledPark, period: int, levels: np.ndarray | None = None,
          stock: np.ndarray | None = None, params: Params | None = None, *,
          per_link: bool = True) -> Solution:
    """Solve ``period`` for one sample or a batch.

    Parameters
    ----------
    compiled
        The compiled park (:func:`mfa.engine.compile_park`).
    period
        The year solved: it picks the levels in force (unless ``levels`` is given) and the
        links active (``since`` / ``until``).
    levels
        ``[n]`` or ``[K, n]`` activity levels; default: those in force in ``period``.
    stock
        ``[P]`` or ``[K, P]`` stock of each stockpile at the start of the period (pass the
        ``closing`` stock of the previous period to carry stocks over); default: the opening
        stock of the park file.
    params
        Per-sample replacements of rates, link bounds, capacities and value added.
    per_link
        False: leave ``sent``, ``binding`` and ``substituted`` empty (``[K, 0]``) and skip
        their work (a fifth of a large batch's solve); for callers that read only the
        records, levels and stocks, such as the simulation's steps.

    Returns
    -------
    Solution
        Arrays with a leading batch axis (K = 1 without batch inputs).
    """
    params = params or Params()
    given = [a for a in (levels, stock, *params.arrays()) if a is not None]
    size = _batch_size(given)
    waves = waves_of(compiled)
    levels = _rows(compiled.levels_for(period) if levels is None else levels, size)
    opening = _rows(compiled.pile_opening if stock is None else stock, size)
    rates = _rows(compiled.slot_rate if params.rates is None else params.rates, 1)
    out = results(compiled, size, per_link)
    slot_flow = levels.take(compiled.slot_ent, axis=1, out=out.slot_flow, mode="clip")
    slot_flow *= rates
    central = waves.in_period(compiled, period)
    state, tol = start_rows(compiled, waves, rates, levels, slot_flow, opening, params, size)
    run = _State(rows=state, tol_rows=tol, problems=[])
    rows = link_rows(waves, central, params)
    served = serve(waves, state, limits(waves, state, rows), rows.ratio)
    _short_quantities(compiled, waves, run, served)
    binding = binding_codes(served) if per_link else None
    sent_rows = served.sent.take(waves.inverse, axis=0, out=served.available, mode="clip")
    _route(compiled, run, out.qty_rows)
    qty = quantities(compiled, out.qty_rows, sent_rows, levels, params).T  # [K, R]: a view
    _check_inputs(compiled, run, levels, opening, rates if params.rates is not None else None)
    _check_finite(compiled, run, qty)
    value_added = np.broadcast_to(_rows(compiled.value_added if params.value_added is None
                                        else params.value_added, 1), levels.shape)
    if binding is not None:
        binding[central.inactive] = 0
        sent = out.sent
        np.copyto(sent, sent_rows.T)
        ratio = _rows(compiled.links.ratio if params.ratio is None else params.ratio, 1)
        link_arrays = (sent, by_link(waves, binding, out.binding),
                       substituted(compiled, waves, out.substituted, sent, ratio))
    else:
        link_arrays = (out.sent, out.binding, out.substituted)
    return _solution(compiled, period, size, given, run, levels, slot_flow, qty,
                     central.active.copy(), opening, value_added, *link_arrays)


def _batch_size(arrays: list[np.ndarray]) -> int:
    sizes = {int(a.shape[0]) for a in map(np.asarray, arrays) if a.ndim == 2}
    if len(sizes) > 1:
        raise ValueError(f"batch inputs disagree on the number of samples: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def _short_quantities(compiled: CompiledPark, waves: Waves, run: _State,
                      served: Served) -> None:
    """Problems for fixed quantities not met."""
    if not len(waves.fixed):
        return
    limit = served.limit[waves.fixed]
    short = served.sent[waves.fixed] < limit - run.tol_rows[waves.fixed_carrier]
    if not short.any():
        return
    links = compiled.links
    position = np.argsort(links.order)  # serving position of each link
    for j, sample in zip(*np.nonzero(short), strict=True):
        link, row = int(waves.order[waves.fixed[j]]), int(waves.fixed[j])
        problem = _unmet_quantity(  # space: the receiver's room net of loss
            compiled, link, float(limit[j, sample]), float(served.available[row, sample]),
            float(served.space[j, sample] * links.keep[link]))
        _add(run, 0, int(position[link]), int(sample), Status.FIXED_QUANTITY_UNMET, problem)


def _route(compiled: CompiledPark, run: _State, qty: np.ndarray) -> None:
    """Leftovers to their sinks (stockpiles fill up, a full one overflows to its disposal
    node), unmet demand from its source: the leftover, unmet and overflow records written
    to the record rows ``qty`` ``[R, K]`` (worked on the state's rows: K contiguous)."""
    schedule, records, rows, tol = compiled.schedule, compiled.records, run.rows, run.tol_rows
    waves = waves_of(compiled)
    out_car = compiled.slot_car[compiled.out_slots]
    left = rows[:schedule.n_out]
    homeless = waves.homeless  # outputs no node takes
    if len(homeless):
        stranded = left[homeless] > tol.take(out_car[homeless], axis=0)
        for k, sample in _found(stranded):
            position = int(homeless[k])
            _add(run, 1, position, int(sample), Status.NO_DESTINATION,
                 _no_destination(compiled, position, float(left[position, sample])))
    slots = records.leftover_slots
    leftover = left.take(slots, axis=0, out=qty[records.leftover], mode="clip")
    _below_to_zero(leftover, tol.take(out_car[slots], axis=0))
    filled = np.zeros((schedule.n_piles, rows.shape[1]))
    # each pile's leftovers added one after the other in record order, whatever K (a
    # segmented ``reduceat`` sums in another order, which differs in the last bit)
    if rows.shape[1] < 80:  # few samples: one unbuffered sum
        np.add.at(filled, waves.fill_pile, leftover[waves.fill_order])
    else:  # many: a reduction per pile (``add.at`` goes row by row)
        for pile, fills in waves.pile_fills:
            np.add.reduce(leftover[fills], axis=0, out=filled[pile])
    _overflow(compiled, waves, run, leftover, filled, qty[records.overflow])
    rows[schedule.stock_columns()] += filled
    rows[schedule.room_columns()] -= filled
    unmet = qty[records.unmet]
    np.copyto(unmet, rows[schedule.n_out:schedule.n_out + schedule.n_dem])
    _below_to_zero(unmet, tol.take(compiled.slot_car[compiled.dem_slots], axis=0))
    room = rows[schedule.room_columns()]
    for pile, sample in _found(room < -tol.take(compiled.pile_carrier, axis=0)):
        _add(run, 2, int(pile), int(sample), Status.OVER_CAPACITY,
             _over_capacity(compiled, int(pile), float(room[pile, sample])))


def _below_to_zero(values: np.ndarray, tolerance: np.ndarray) -> None:
    """Rounding dropped: ``values`` not above ``tolerance`` set to 0, in place (a product
    with the mask, 4 times as fast as a masked copy; a NaN stays NaN, and the sample is
    flagged as not finite)."""
    np.multiply(values, np.greater(values, tolerance), out=values)


def _overflow(compiled: CompiledPark, waves: Waves, run: _State, leftover: np.ndarray,
              filled: np.ndarray, overflow: np.ndarray) -> None:
    """What a full stockpile cannot take goes to its overflow node: the surplus is taken
    from each leftover filling the pile in proportion (``leftover`` and ``filled``, rows,
    are reduced in place) and written to the ``overflow`` records' rows."""
    records = compiled.records
    spills = records.overflow_leftover
    if not len(spills):
        return
    room = run.rows[compiled.schedule.room_columns()]
    excess = np.where(waves.overflowing, np.maximum(0.0, filled - room), 0.0)
    if not excess.any():  # no pile is full (most steps; a NaN counts as overflowing)
        overflow.fill(0.0)
        return
    pile = records.leftover_pile[spills]
    into = filled[pile]
    part = np.divide(leftover[spills], into, out=np.zeros_like(into), where=into > 0)
    np.multiply(excess[pile], part, out=overflow)
    leftover[spills] -= overflow
    filled -= excess


def _check_inputs(compiled: CompiledPark, run: _State, levels: np.ndarray,
                  opening: np.ndarray, rates: np.ndarray | None) -> None:
    """Invariants a perturbed sample can break: negative levels or stocks, rates that change
    sign, processes that create mass."""
    for sample, i in _found(levels < 0):
        _add(run, 3, int(i), int(sample), Status.BELOW_ZERO, Problem(
            f"{compiled.enterprise_labels[i]}.activity.level",
            f"level is negative ({levels[sample, i]:.6g})", "give a level ≥ 0"))
    for sample, p in _found(opening < 0):
        _add(run, 3, int(p), int(sample), Status.BELOW_ZERO, Problem(
            f"boundary ({compiled.node_ids[compiled.pile_node[p]]}).opening_stock",
            f"opening stock is negative ({opening[sample, p]:.6g})", "give a stock ≥ 0"))
    if rates is None:
        return
    # a rate of exactly 0 switches the slot off (a plan's project not built): no sign change
    flipped = (np.sign(rates) != np.sign(compiled.slot_rate)) & (rates != 0)
    for sample, s in _found(flipped):
        _add(run, 4, int(s), int(sample), Status.SIGN_CHANGED, _slot_problem(
            compiled, int(s), f"rate {rates[sample, s]:.6g} has the opposite sign of the "
            f"park's {compiled.slot_rate[s]:.6g}", "keep sampled ranges on one side of 0"))
    _check_mass(compiled, run, rates)


def _check_mass(compiled: CompiledPark, run: _State, rates: np.ndarray) -> None:
    mass = rates * compiled.mass[compiled.slot_car]
    starts = compiled.enterprise_starts
    produced = np.add.reduceat(np.maximum(mass, 0.0), starts, axis=1)
    consumed = np.add.reduceat(np.maximum(-mass, 0.0), starts, axis=1)
    excess = produced > consumed + compiled.mass_tolerance * np.maximum(produced, consumed)
    for sample, i in _found(excess):
        _add(run, 4, int(i), int(sample), Status.MASS_CREATED, Problem(
            f"{compiled.enterprise_labels[i]}.rates",
            f"outputs weigh {produced[sample, i]:.4g} t but inputs only "
            f"{consumed[sample, i]:.4g} t per unit of activity: the sampled rates create mass",
            "narrow the sampled ranges so that inputs cover outputs"))


def _check_finite(compiled: CompiledPark, run: _State, qty: np.ndarray) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(qty, axis=None)):  # a sum is finite only if all are
            return
    records = compiled.records
    for sample, r in _found(~np.isfinite(qty)):
        src, dst, car = (int(records.src[r]), int(records.dst[r]), int(records.car[r]))
        _add(run, 5, int(r), int(sample), Status.NOT_FINITE, Problem(
            f"{compiled.node_ids[src]} → {compiled.node_ids[dst]}",
            f"the flow of '{compiled.carriers[car]}' is {qty[sample, r]} (not a finite "
            "number)", "check the rates, levels and bounds of these nodes for huge values"))


def _found(mask: np.ndarray) -> list[tuple[int, int]]:
    """(sample, position) of each True in ``mask``; cheap when there is none (the usual
    case: a scan instead of an index allocation)."""
    if not mask.any():
        return []
    return list(zip(*np.nonzero(mask), strict=True))


def _add(run: _State, stage: int, position: int, sample: int, status: Status,
         problem: Problem) -> None:
    run.problems.append((stage, position, SampleProblem(sample, status, problem)))


def _unmet_quantity(compiled: CompiledPark, link: int, quantity: float, available: float,
                    space: float) -> Problem:
    links = compiled.links
    unit = compiled.units[links.carrier[link]]
    stock = links.source[link] >= compiled.n_enterprises
    what = "stockpile holds" if stock else "supplier has"
    short = (f"the {what} only {available:.6g} {unit} left" if available < space
             else f"the receiver can take only {space:.6g} {unit}")
    fix = ("lower the quantity, raise the opening stock, or use 'cap' for an upper bound"
           if stock else "lower the quantity, give it a higher priority (smaller number), "
           "or use 'cap' for an upper bound")
    return Problem(
        f"{links.label(link)}.quantity",
        f"fixed quantity {quantity:.6g} {unit}/a cannot be met: {short}"
        + (" (a stockpile cannot be drawn below zero)" if stock else ""),
        fix,
    )


def _slot_problem(compiled: CompiledPark, slot: int, message: str, fix: str) -> Problem:
    ent, car = int(compiled.slot_ent[slot]), int(compiled.slot_car[slot])
    return Problem(f"{compiled.enterprise_labels[ent]}.rates.{compiled.carriers[car]}",
                   message, fix)


def _no_destination(compiled: CompiledPark, position: int, quantity: float) -> Problem:
    slot = int(compiled.out_slots[position])
    carrier = compiled.carriers[compiled.slot_car[slot]]
    unit = compiled.units[compiled.slot_car[slot]]
    return _slot_problem(
        compiled, slot, f"{quantity:.6g} {unit}/a of '{carrier}' is left after the links and "
        "has no destination", f"add a boundary node with 'default_for: [{carrier}]'")


def _over_capacity(compiled: CompiledPark, pile: int, free: float) -> Problem:
    node = compiled.node_ids[compiled.pile_node[pile]]
    unit = compiled.units[compiled.pile_carrier[pile]]
    capacity = float(compiled.pile_capacity[pile])
    return Problem(
        f"boundary ({node}).capacity",
        f"stockpile '{node}' would hold {capacity - free:.6g} {unit}, above its capacity "
        f"{capacity:.6g}",
        "raise the capacity, or route the surplus to disposal or a user",
    )


def _solution(compiled: CompiledPark, period: int, size: int, given: list[np.ndarray],
              run: _State, levels: np.ndarray, slot_flow: np.ndarray, qty: np.ndarray,
              active: np.ndarray, opening: np.ndarray, value_added: np.ndarray,
              sent: np.ndarray, binding: np.ndarray, substituted: np.ndarray) -> Solution:
    status = np.zeros(size, dtype=np.int64)
    ordered = sorted(run.problems, key=lambda item: (item[2].sample, item[0], item[1]))
    for _, _, found in ordered:
        status[found.sample] |= int(found.status)
    schedule = compiled.schedule
    return Solution(
        period=period,
        batched=any(np.ndim(a) == 2 for a in given),
        levels=levels,
        slot_flow=slot_flow,
        qty=qty,
        sent=sent,
        substituted=substituted,
        binding=binding,
        active=active,
        opening=opening,
        closing=run.state[:, schedule.stock_columns()].copy(),
        value_added=value_added,
        status=status,
        problems=tuple(found for _, _, found in ordered),
    )
