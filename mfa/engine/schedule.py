"""The serving order of links, cut into waves that numpy can serve at once.

Links are served one by one in (priority, file order), and a link's flow depends on what the
earlier links left of the same supplier's output, the same receiver's demand or the same
stockpile. Two links that touch none of the same *entries* (an output slot, a demand slot, a
stockpile) do not influence each other, so each link goes in the wave after the last wave
that touched one of its entries. Serving the waves in order, each as one vector operation,
gives exactly the sequential result (every entry sees the same operations in the same order),
and the batch axis comes for free. A park with thousands of links needs tens of waves.

State columns (what the solver updates): output slots left, demand slots unmet, stock and
free room of each stockpile, and one column that stays +inf (the room of nodes without a
limit). Basis columns (what shares are taken of): gross output of each output slot, opening
stock of each stockpile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .compiled import LinkArrays


@dataclass(frozen=True, eq=False)
class Schedule:
    """Links in wave order, and the column layout of the solver's state.

    ``order`` lists the links wave after wave; wave ``w`` is ``order[bounds[w]:bounds[w+1]]``.
    The per-link arrays are in that order. Every link has a supply column and a receive
    column; a link to a market, disposal or treatment node receives into the last state
    column, which holds +inf and stays so (several links may write it in one wave).
    """

    order: np.ndarray
    bounds: np.ndarray
    supply: np.ndarray  # state column the link draws on (output slot or stock)
    receive: np.ndarray  # receiver's demand column, its stockpile's room column, or the inf one
    basis: np.ndarray  # basis column its share is taken of
    into_pile: tuple[tuple[np.ndarray, np.ndarray], ...]  # per wave: (positions, stock columns)
    n_out: int
    n_dem: int
    n_piles: int
    link_out: np.ndarray  # per link (file order): output slot of its supplier, −1: a stockpile
    link_dem: np.ndarray  # per link (file order): demand slot of its receiver, −1: a node

    @property
    def n_state(self) -> int:
        return self.n_out + self.n_dem + 2 * self.n_piles + 1

    def stock_columns(self) -> slice:
        start = self.n_out + self.n_dem
        return slice(start, start + self.n_piles)

    def room_columns(self) -> slice:
        start = self.n_out + self.n_dem + self.n_piles
        return slice(start, start + self.n_piles)


def build_schedule(links: LinkArrays, slot_ent: np.ndarray, slot_car: np.ndarray,
                   out_slots: np.ndarray, dem_slots: np.ndarray, pile_node: np.ndarray,
                   n: int, m: int, n_nodes: int) -> Schedule:
    """Cut the serving order of ``links`` into waves (see the module docstring)."""
    n_out, n_dem, n_piles = len(out_slots), len(dem_slots), len(pile_node)
    key = slot_ent * m + slot_car  # ascending: slots are sorted by (enterprise, carrier)
    pile_of = np.full(n_nodes, -1, dtype=np.int64)  # node index → stockpile position
    pile_of[pile_node] = np.arange(n_piles)
    from_pile = links.source >= n
    to_ent = links.target < n
    link_out = np.where(from_pile, -1, np.searchsorted(
        key[out_slots], links.source.astype(np.int64) * m + links.carrier))
    link_dem = np.where(to_ent, np.searchsorted(
        key[dem_slots], links.target.astype(np.int64) * m + links.demand_column), -1)
    src_pile = np.where(from_pile, pile_of[links.source], -1)
    dst_pile = np.where(to_ent, -1, pile_of[links.target])
    stock0, room0, inf_column = n_out + n_dem, n_out + n_dem + n_piles, n_out + n_dem + 2 * n_piles
    supply = np.where(from_pile, stock0 + src_pile, link_out)
    receive = np.where(to_ent, n_out + link_dem,
                       np.where(dst_pile >= 0, room0 + dst_pile, inf_column))
    # Entries that order links: an output slot or stock (supply), a demand slot or stockpile.
    supply_entry = np.where(from_pile, room0 + src_pile, supply)
    receive_entry = np.where(receive == inf_column, -1, receive)
    wave_of = _wave_numbers(links.order, supply_entry, receive_entry)
    order = links.order[np.argsort(wave_of[links.order], kind="stable")]
    bounds = np.searchsorted(wave_of[order], np.arange(1, int(wave_of.max(initial=0)) + 2))
    pile_dst = dst_pile[order]
    into_pile = tuple(
        (positions, stock0 + pile_dst[a:b][positions])
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
        for positions in [np.flatnonzero(pile_dst[a:b] >= 0)])
    return Schedule(order=order, bounds=bounds, supply=supply[order], receive=receive[order],
                    basis=np.where(from_pile, n_out + src_pile, link_out)[order],
                    into_pile=into_pile, n_out=n_out, n_dem=n_dem, n_piles=n_piles,
                    link_out=link_out, link_dem=link_dem)


def _wave_numbers(order: np.ndarray, supply: np.ndarray, receive: np.ndarray) -> np.ndarray:
    """Wave of each link: one after the last wave that touched its supply or receive entry."""
    last = [0] * (int(max(supply.max(initial=0), receive.max(initial=0))) + 1)
    wave = [0] * len(supply)
    for k, s, r in zip(order.tolist(), supply[order].tolist(), receive[order].tolist(),
                       strict=True):
        if r >= 0:
            number = 1 + max(last[s], last[r])
            last[r] = number
        else:
            number = 1 + last[s]
        last[s] = number
        wave[k] = number
    return np.array(wave, dtype=np.int64)
