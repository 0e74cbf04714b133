"""The arrays in and out of one solve with the batch axis last (see :mod:`mfa.engine.waves`):
the transposed starting state and tolerances, the links' own limits in wave order, and the
``[K, …]`` arrays of the solution built from the served rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compiled import CompiledPark
from .solution import Params
from .waves import Central, Waves, scratch

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class Results:
    """The solution's own ``[K, …]`` arrays (C-contiguous, filled by the solve), but for the
    record quantities, filled as rows ``[R, K]`` (K contiguous, like the solver's state)."""

    qty_rows: np.ndarray  # [R, K]
    sent: np.ndarray  # [K, L]
    substituted: np.ndarray  # [K, L]
    slot_flow: np.ndarray  # [K, S]
    binding: np.ndarray  # [K, L] int8


def results(compiled: CompiledPark, size: int, per_link: bool = True) -> Results:
    """Fresh result arrays, carved from one allocation: one large block is mapped from the
    system in huge pages where the platform offers them, and it keeps the allocator from
    handing the pages of each step's smaller temporaries back to the system (re-faulting
    them cost as much as the arithmetic in a simulation of thousands of steps).
    Without ``per_link`` the per-link arrays have no columns."""
    links = len(compiled.links.ids) if per_link else 0
    widths = (len(compiled.records), links, links, compiled.n_slots)
    block = np.empty(size * sum(widths) + -(-size * widths[1] // 8))
    arrays, start = [], 0
    for width in widths:
        arrays.append(block[start:start + size * width].reshape(size, width))
        start += size * width
    arrays[0] = arrays[0].reshape(widths[0], size)  # the records' rows
    binding = block[start:].view(np.int8)[:size * widths[1]].reshape(size, widths[1])
    qty, sent, replaced, slot_flow = arrays
    return Results(qty, sent, replaced, slot_flow, binding)


def as_rows(values: np.ndarray, size: int) -> np.ndarray:
    """``values`` as ``[K, …]``; a single row is broadcast to K rows (a read-only view when
    ``size`` is 1, a copy otherwise)."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[None, :]
    if array.shape[0] == size or size == 1:
        return array
    return np.repeat(array, size, axis=0)


def start_rows(compiled: CompiledPark, waves: Waves, rates: np.ndarray, levels: np.ndarray,
               slot_flow: np.ndarray, opening: np.ndarray, params: Params, size: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """The transposed state ``[columns, K]`` at the start of the period, and the absolute
    tolerance per carrier ``[m, K]``."""
    schedule = compiled.schedule
    n_out, n_dem = schedule.n_out, schedule.n_dem
    rows = scratch("state", (schedule.n_state, size))
    produced, demanded = rows[:n_out], rows[n_out:n_out + n_dem]
    if rates.shape[0] == 1:  # the products of ``slot_flow``, taken row-wise
        by_enterprise = np.ascontiguousarray(levels.T)
        for part, slots in ((produced, compiled.out_slots), (demanded, compiled.dem_slots)):
            by_enterprise.take(compiled.slot_ent[slots], axis=0, out=part, mode="clip")
            part *= rates[0, slots][:, None]
    else:
        by_slot = np.ascontiguousarray(slot_flow.T)
        by_slot.take(compiled.out_slots, axis=0, out=produced, mode="clip")
        by_slot.take(compiled.dem_slots, axis=0, out=demanded, mode="clip")
    np.negative(demanded, out=demanded)
    capacity = as_rows(compiled.pile_capacity if params.pile_capacity is None
                       else params.pile_capacity, 1)
    rows[schedule.stock_columns()] = opening.T
    rows[schedule.room_columns()] = (capacity - opening).T
    rows[-1] = np.inf
    tol = largest_flows(compiled, waves, rows)
    tol *= RELATIVE_TOLERANCE
    tol += ABSOLUTE_TOLERANCE
    return rows, tol


def largest_flows(compiled: CompiledPark, waves: Waves, rows: np.ndarray) -> np.ndarray:
    """``[m, K]`` the largest |flow| of any slot of each carrier (0 for carriers without)."""
    size = rows.shape[1]
    largest = np.zeros((len(compiled.carriers), size))
    if not compiled.n_slots:
        return largest
    if size < 80:  # few samples: one segmented reduction
        flows = rows.take(waves.slot_rows, axis=0, mode="clip",
                          out=scratch("flows", (len(waves.slot_rows), size)))
        np.abs(flows, out=flows)
        largest[compiled.carriers_with_slots] = np.maximum.reduceat(
            flows, waves.carrier_starts, axis=0)
        return largest
    for carriers, index, width in waves.carrier_bins:  # many: reduceat along rows is slow
        gathered = rows.take(index, axis=0)
        np.abs(gathered, out=gathered)
        largest[carriers] = np.maximum.reduce(gathered.reshape(len(carriers), width, size),
                                              axis=1)
    return largest


def wave_rows(waves: Waves, values: np.ndarray, index: np.ndarray,
              reset: np.ndarray | None, value: float) -> np.ndarray:
    """Per-link ``values`` (``[L]`` or ``[K, L]``) of the links at wave positions ``index``,
    as rows ``[len(index), K]``, with the rows ``reset`` (positions in ``index``) set to
    ``value``."""
    rows: np.ndarray = as_rows(values, 1).T[waves.order[index]]
    if reset is not None:
        rows[reset] = value
    return rows


@dataclass(frozen=True, eq=False)
class LinkRows:
    """A Params' per-link values in wave order for one period, as rows ``[·, K]``."""

    other: np.ndarray  # bounds of the links that are no shares (0 for inactive links)
    share: np.ndarray  # shares (0 for inactive links)
    cap: np.ndarray  # caps of the shares
    ratio: np.ndarray | None  # [L, K] substitution ratios, 1 for links to nodes; None: central


def link_rows(waves: Waves, central: Central, params: Params) -> LinkRows:
    """The :class:`LinkRows` of ``params`` in the period of ``central``: built afresh, or once
    per period for frozen params (:meth:`~mfa.engine.solution.Params.frozen`), kept on them."""
    cache: dict[tuple[Waves, Central], LinkRows] | None = (
        params.__dict__.setdefault("_link_rows", {}) if _frozen(params) else None)
    found = None if cache is None else cache.get((waves, central))
    if found is not None:
        return found
    if params.bound is None:
        other, share = central.other_bound, central.share_bound
    else:
        other = wave_rows(waves, params.bound, waves.other, central.other_off, 0.0)
        share = wave_rows(waves, params.bound, waves.share, central.share_off, 0.0)
    cap = (waves.share_cap if params.cap is None
           else wave_rows(waves, params.cap, waves.share, None, 0.0))
    ratio = (None if params.ratio is None else
             wave_rows(waves, params.ratio, waves.positions, waves.to_node, 1.0))
    found = LinkRows(other, share, cap, ratio)
    if cache is not None:
        for array in (other, share, cap, ratio):
            if array is not None:
                array.flags.writeable = False
        cache[(waves, central)] = found
    return found


def _frozen(params: Params) -> bool:
    """Whether ``params`` has arrays, all read-only and owning their memory (nothing can
    change them behind the cache's back: :meth:`~mfa.engine.solution.Params.frozen`)."""
    arrays = params.arrays()
    return bool(arrays) and all(not a.flags.writeable and a.base is None for a in arrays)


def limits(waves: Waves, state: np.ndarray, rows: LinkRows) -> np.ndarray:
    """Each link's own limit in wave order ``[L, K]``: its bound, or for a share the share of
    its supplier's gross output (or opening stock) within its cap; 0 for inactive links."""
    limit = scratch("limit", (len(waves.order), state.shape[1]))
    limit[waves.other] = rows.other
    basis = state.take(waves.share_basis, axis=0, mode="clip",
                       out=scratch("basis", (len(waves.share), state.shape[1])))
    basis *= rows.share  # share × gross output (or opening stock)
    limit[waves.share] = np.minimum(basis, rows.cap, out=basis)
    return limit


def by_link(waves: Waves, rows: np.ndarray, out: np.ndarray,
            buffer: np.ndarray | None = None) -> np.ndarray:
    """Rows in wave order ``[L, K]`` written to ``out`` ``[K, L]`` in link order; ``buffer``:
    an array of the shape of ``rows`` free to be overwritten."""
    np.copyto(out, rows.take(waves.inverse, axis=0, out=buffer, mode="clip").T)
    return out


def quantities(compiled: CompiledPark, qty: np.ndarray, sent: np.ndarray,
               levels: np.ndarray, params: Params) -> np.ndarray:
    """``qty`` rows ``[R, K]`` with the link, loss and recirculation records filled from
    ``sent``, rows ``[L, K]`` in link order (the routing fills the other segments)."""
    records, keep = compiled.records, compiled.links.keep
    np.multiply(sent, keep[:, None], out=qty[records.link])
    lossy = records.loss_links
    lossy_sent = sent.take(lossy, axis=0)
    np.subtract(lossy_sent, lossy_sent * keep[lossy][:, None], out=qty[records.loss])
    recirculation = as_rows(compiled.recirculation if params.recirculation is None
                            else params.recirculation, 1)
    recirculating = records.recirculating
    np.multiply(levels[:, recirculating], recirculation[:, recirculating],
                out=qty[records.recirculation].T)
    return qty


def substituted(compiled: CompiledPark, waves: Waves, replaced: np.ndarray, sent: np.ndarray,
                ratio: np.ndarray) -> np.ndarray:
    """``replaced`` filled with the units of the substituted carrier each link replaced (0
    without substitution)."""
    replaced.fill(0.0)
    subs = waves.substitutes
    if len(subs):
        delivered = sent.take(subs, axis=1) * compiled.links.keep[subs]
        replaced[:, subs] = delivered * ratio.take(subs, axis=1)
    return replaced
