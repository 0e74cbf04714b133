"""Serving the links wave by wave, with the batch axis last (the solver's inner loop).

The solve keeps its working state *transposed*, ``[columns, K]``: a wave gathers and scatters
whole rows of K contiguous samples instead of columns strided across the batch, and every
per-link array is a row. Everything about a park's links that does not depend on the call
(wave slices, columns, losses, central ratios, which waves need no division, the share and
fixed-quantity links) is taken once in wave order and cached on the compiled park
(:func:`waves_of`); a call builds only what depends on K or on the parameters it is given.

The arithmetic per entry is the sequential greedy's, operation for operation
(:mod:`mfa.engine.schedule`), so results are bit for bit those of serving the links one by one.
A division by a ratio or a loss factor of exactly 1 is skipped: it cannot change a number.

The large work arrays of a solve (state, limits, sent, available) are reused from one call to
the next (:func:`scratch`, per thread): fresh memory for them on every call cost as much as the
arithmetic (page faults) in a simulation that solves thousands of steps.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .compiled import QUANTITY, SHARE, CompiledPark


class Wave(NamedTuple):
    """One wave: positions ``a:b`` in wave order and what its links touch (a tuple: the
    solve unpacks it once per wave)."""

    a: int
    b: int
    supply: np.ndarray  # state row each link draws on
    receive: np.ndarray  # state row of the receiver's demand or room (or the +inf row)
    keep: np.ndarray | None  # [w, 1] 1 − loss; None when no link of the wave loses anything
    ratio: np.ndarray | None  # [w, 1] central ratio (1 unless to an enterprise); None: all 1
    pile_positions: np.ndarray | None  # links into a stockpile (positions in the wave)
    pile_rows: np.ndarray  # and the stock row each fills
    fixed_local: np.ndarray | None  # fixed-quantity links of the wave (positions in the wave)
    fixed_global: np.ndarray  # and their index among all fixed-quantity links


@dataclass(frozen=True, eq=False)
class Waves:
    """A compiled park's links in wave order (see the module docstring)."""

    order: np.ndarray  # link index of each wave position
    inverse: np.ndarray  # wave position of each link
    waves: tuple[Wave, ...]
    widest: int  # links in the largest wave
    positions: np.ndarray  # every wave position, 0 … L − 1
    to_node: np.ndarray  # wave positions of links to a node (their ratio counts as 1)
    share: np.ndarray  # wave positions of share links
    other: np.ndarray  # wave positions of the other links (their limit is their bound)
    share_basis: np.ndarray  # state row (at the start) each share is taken of
    fixed: np.ndarray  # wave positions of fixed-quantity links
    fixed_carrier: np.ndarray  # their carrier
    share_cap: np.ndarray  # [shares, 1] central cap of each share link
    substitutes: np.ndarray  # links (file order) with a substitution
    periods: dict[int, Central]
    # the state's slot rows (outputs, then demands) by carrier, for the tolerances
    slot_rows: np.ndarray  # state row of each slot, slots sorted by carrier
    carrier_starts: np.ndarray  # where each carrier with slots starts in ``slot_rows``
    # the carriers binned by their number of slots (1, 2, 3–4, 5–8, …): per bin, the carriers
    # and the ``[carriers · width]`` state rows of their slots, padded with repeats
    carrier_bins: tuple[tuple[np.ndarray, np.ndarray, int], ...]
    # (stockpile, its leftover records in record order) for each pile that leftovers fill
    pile_fills: tuple[tuple[int, np.ndarray], ...]
    # the same flattened: the leftovers in pile order (record order within a pile), their pile
    fill_order: np.ndarray
    fill_pile: np.ndarray
    homeless: np.ndarray  # output slots (positions among the outputs) no node takes
    overflowing: np.ndarray  # [P, 1] the stockpile sends its surplus to an overflow node

    def in_period(self, compiled: CompiledPark, period: int) -> Central:
        """The links active in ``period``, and the central bounds with inactive links at 0
        (cached per period; its arrays must not be written)."""
        found = self.periods.get(period)
        if found is None:
            active = compiled.links.active(period)
            off = ~active[self.order]
            inactive = np.flatnonzero(off)
            bound = compiled.links.bound[self.order][:, None]
            bound[inactive] = 0.0
            found = Central(active, inactive, bound[self.other], bound[self.share],
                            np.flatnonzero(off[self.other]), np.flatnonzero(off[self.share]))
            for array in (active, inactive, found.other_bound, found.share_bound,
                          found.other_off, found.share_off):
                array.flags.writeable = False
            self.periods[period] = found
        return found


@dataclass(frozen=True, eq=False)
class Central:
    """What one period fixes of the links (see :meth:`Waves.in_period`)."""

    active: np.ndarray  # [L] links active (file order)
    inactive: np.ndarray  # wave positions of inactive links
    other_bound: np.ndarray  # [others, 1] central bounds of the links that are no shares
    share_bound: np.ndarray  # [shares, 1] central shares, 0 for inactive links
    other_off: np.ndarray  # positions in ``Waves.other`` of the inactive links
    share_off: np.ndarray  # positions in ``Waves.share`` of the inactive links


def waves_of(compiled: CompiledPark) -> Waves:
    """The wave-order constants of ``compiled``, built once and cached on it (a compiled park
    is frozen; one built with ``dataclasses.replace`` gets its own)."""
    cached = compiled.__dict__.get("_waves")
    if isinstance(cached, Waves):
        return cached
    waves = _build(compiled)
    compiled.__dict__["_waves"] = waves
    return waves


def _build(compiled: CompiledPark) -> Waves:
    links, schedule = compiled.links, compiled.schedule
    order = schedule.order
    keep = links.keep[order][:, None]
    to_ent = links.target[order] < compiled.n_enterprises
    ratio = np.where(to_ent, links.ratio[order], 1.0)[:, None]
    mode = links.mode[order]
    fixed = np.flatnonzero(mode == QUANTITY)
    fixed_number = np.full(len(order), -1)
    fixed_number[fixed] = np.arange(len(fixed))
    waves = []
    for wave, (a, b) in enumerate(zip(schedule.bounds[:-1].tolist(),
                                      schedule.bounds[1:].tolist(), strict=True)):
        positions, rows = schedule.into_pile[wave]
        local = np.flatnonzero(fixed_number[a:b] >= 0)
        waves.append(Wave(
            a=a, b=b, supply=schedule.supply[a:b], receive=schedule.receive[a:b],
            keep=None if (keep[a:b] == 1.0).all() else keep[a:b],
            ratio=None if (ratio[a:b] == 1.0).all() else ratio[a:b],
            pile_positions=positions if len(positions) else None, pile_rows=rows,
            fixed_local=local if len(local) else None, fixed_global=fixed_number[a:b][local]))
    share = np.flatnonzero(mode == SHARE)
    basis = schedule.basis[share]  # gross output of a slot, or the opening stock of a pile
    stock0 = schedule.n_out + schedule.n_dem
    row = np.empty(compiled.n_slots, dtype=np.int64)  # state row of each slot
    row[compiled.out_slots] = np.arange(schedule.n_out)
    row[compiled.dem_slots] = schedule.n_out + np.arange(schedule.n_dem)
    slot_rows = row[compiled.by_carrier]
    ends = [*compiled.carrier_starts[1:].tolist(), len(slot_rows)][:len(compiled.carrier_starts)]
    pile_of = compiled.records.leftover_pile
    fills = tuple((int(p), np.flatnonzero(pile_of == p)) for p in np.unique(pile_of[pile_of >= 0]))
    return Waves(
        order=order, inverse=np.argsort(order), waves=tuple(waves), positions=np.arange(len(order)),
        widest=int(np.diff(schedule.bounds).max(initial=0)),
        to_node=np.flatnonzero(~to_ent), share=share, other=np.flatnonzero(mode != SHARE),
        share_basis=np.where(basis < schedule.n_out, basis, basis - schedule.n_out + stock0),
        fixed=fixed, fixed_carrier=links.carrier[order][fixed],
        share_cap=links.cap[order][share][:, None],
        substitutes=np.flatnonzero(links.substitutes >= 0),
        periods={}, slot_rows=slot_rows,
        carrier_starts=compiled.carrier_starts,
        carrier_bins=_carrier_bins(compiled.carriers_with_slots, compiled.carrier_starts,
                                   np.array(ends, dtype=np.intp), slot_rows),
        pile_fills=fills,
        fill_order=np.concatenate([f for _, f in fills] or [np.zeros(0, np.intp)]),
        fill_pile=np.concatenate([np.full(len(f), p, np.intp) for p, f in fills]
                                 or [np.zeros(0, np.intp)]),
        homeless=np.flatnonzero(compiled.sink[compiled.slot_car[compiled.out_slots]] < 0),
        overflowing=(compiled.pile_overflow >= 0)[:, None])


def _carrier_bins(carriers: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                  slot_rows: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray, int], ...]:
    """:attr:`Waves.carrier_bins`: a bin's carriers have more than half its width of slots, so
    padding (a carrier's first slot again: it cannot change a maximum) at most doubles what
    is read, and a batch's tolerances take a few reductions instead of one per carrier."""
    sizes = ends - starts
    widths = 1 << np.ceil(np.log2(np.maximum(sizes, 1))).astype(np.intp)
    bins = []
    for width in np.unique(widths).tolist():
        members = np.flatnonzero(widths == width)
        offsets = starts[members][:, None] + np.arange(width)
        index = np.where(offsets < ends[members][:, None], offsets, starts[members][:, None])
        bins.append((carriers[members], slot_rows[index.reshape(-1)], width))
    return tuple(bins)


@dataclass
class Served:
    """What serving leaves besides the state: per link in wave order, ``[L, K]``."""

    sent: np.ndarray
    available: np.ndarray  # the supplier's output (or stock) left when the link was served
    limit: np.ndarray  # the link's own bound
    space: np.ndarray  # [F, K] per fixed-quantity link: the receiver's room


def serve(waves: Waves, state: np.ndarray, limit: np.ndarray,
          ratio: np.ndarray | None) -> Served:
    """Serve every wave on the transposed ``state`` ``[columns, K]`` (updated in place).

    ``limit`` is each link's bound in wave order ``[L, K]``; ``ratio`` the substitution
    ratios in wave order (1 for links to nodes), or None for the central ones.
    """
    size = state.shape[1]
    sent, available = scratch("sent", limit.shape), scratch("available", limit.shape)
    widest = (waves.widest, size)  # per-wave work arrays
    receiving, spare = scratch("receiving", widest), scratch("spare", widest)
    space = np.empty((len(waves.fixed), size))
    for a, b, supply, receive, keep, rate, piles, pile_rows, fixed, numbers in waves.waves:
        have = state.take(supply, axis=0, out=available[a:b], mode="clip")
        taken = state.take(receive, axis=0, out=receiving[:b - a], mode="clip")
        work = spare[:b - a]  # the receiver's room, then what the link delivers
        if ratio is not None:
            rate = ratio[a:b]
        if rate is None:
            room = taken if keep is None else np.divide(taken, keep, out=work)
        else:
            room = np.divide(taken, rate, out=work)
            if keep is not None:
                room /= keep
        send = np.minimum(have, limit[a:b], out=sent[a:b])
        np.minimum(send, room, out=send)
        np.maximum(0.0, send, out=send)
        if fixed is not None:
            space[numbers] = room[fixed]
        state[supply] = np.subtract(have, send, out=work)
        delivered = send if keep is None else np.multiply(send, keep, out=work)
        # nothing else in the wave touches the receive rows: ``taken`` is still their value
        taken -= delivered if rate is None else delivered * rate
        state[receive] = taken
        if piles is not None:
            state[pile_rows] += delivered[piles]
    return Served(sent=sent, available=available, limit=limit, space=space)


def binding_codes(served: Served) -> np.ndarray:
    """``[L, K]`` int8 in wave order: 1 the supply bound the link, 2 its own bound, 3 the
    receiver's room."""
    supply = (served.sent == served.available).view(np.int8)
    own = (served.sent == served.limit).view(np.int8)
    codes: np.ndarray = 3 - own
    codes -= supply * (2 - own)  # supply → 1 whatever the bound
    return codes


SCRATCH_LIMIT = 2**26  # bytes: larger work arrays are allocated afresh and not kept
_scratch = threading.local()


def scratch(name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A float work array of ``shape`` reused between solves in this thread (its contents are
    whatever the last user left). Nothing returned to a caller may be, or view, one."""
    arrays: dict[str, np.ndarray] = _scratch.__dict__.setdefault("arrays", {})
    array = arrays.get(name)
    if array is not None and array.shape == shape:
        return array
    if 8 * math.prod(shape) > SCRATCH_LIMIT:
        return np.empty(shape)
    array = arrays[name] = np.empty(shape)
    return array
