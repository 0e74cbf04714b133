"""The serving order of links, cut into waves that numpy can serve at once.

Links are served one by one in (priority, file order), and a link's flow depends on what the
earlier links left of the same supplier's output, the same receiver's demand or the same
stockpile. Two links that touch none of the same *entries* (an output slot, a demand slot, a
stockpile) do not influence each other, so each link goes in the wave after the last wave
that touched one of its entries. Serving the waves in order, each as one vector operation,
gives exactly the sequential result (every entry sees the same operations in the same order),
and the batch axis comes for free. A park with thousands of links needs tens of waves.

State columns (what the solver updates): output slots left, demand slots unmet, stock and
free room of each stockpile. Basis columns (what shares are taken of): gross output of each
output slot, opening stock of each stockpile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .compiled import LinkArrays


@dataclass(frozen=True, eq=False)
class Wave:
    """Links served together: no two touch the same entry."""

    links: np.ndarray  # link indices
    supply: np.ndarray  # state column the link draws on (output slot or stock)
    basis: np.ndarray  # basis column its share is taken of
    to_enterprise: np.ndarray  # positions (in this wave) of links to enterprises
    demand: np.ndarray  # their receiver's demand column
    to_pile: np.ndarray  # positions of links into stockpiles
    room: np.ndarray  # their stockpile's room column
    stock: np.ndarray  # their stockpile's stock column


@dataclass(frozen=True, eq=False)
class Schedule:
    """Waves in serving order, and the column layout of the solver's state."""

    waves: tuple[Wave, ...]
    n_out: int
    n_dem: int
    n_piles: int
    link_out: np.ndarray  # per link: output slot position of its supplier, −1 for a stockpile
    link_dem: np.ndarray  # per link: demand slot position of its receiver, −1 for a node

    @property
    def n_state(self) -> int:
        return self.n_out + self.n_dem + 2 * self.n_piles

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
        key[out_slots], links.source * m + links.carrier))
    link_dem = np.where(to_ent, np.searchsorted(
        key[dem_slots], links.target * m + links.demand_column), -1)
    src_pile = np.where(from_pile, pile_of[links.source], -1)
    dst_pile = np.where(to_ent, -1, pile_of[links.target])
    pile_entry = n_out + n_dem
    supply_entry = np.where(from_pile, pile_entry + src_pile, link_out)
    receive_entry = np.where(to_ent, n_out + link_dem,
                             np.where(dst_pile >= 0, pile_entry + dst_pile, -1))
    wave_of = _wave_numbers(links.order, supply_entry, receive_entry)
    waves = []
    for number in range(1, int(wave_of.max(initial=0)) + 1):
        members = links.order[wave_of[links.order] == number]
        waves.append(_wave(members, from_pile, src_pile, link_out, to_ent, link_dem,
                           dst_pile, n_out, n_dem, n_piles))
    return Schedule(tuple(waves), n_out, n_dem, n_piles, link_out, link_dem)


def _wave_numbers(order: np.ndarray, supply: np.ndarray, receive: np.ndarray) -> np.ndarray:
    """Wave of each link: one after the last wave that touched its supply or receive entry."""
    last: dict[int, int] = {}
    wave = np.zeros(len(supply), dtype=np.int64)
    for k, s, r in zip(order.tolist(), supply[order].tolist(), receive[order].tolist(),
                       strict=True):
        number = 1 + max(last.get(s, 0), last.get(r, 0) if r >= 0 else 0)
        last[s] = number
        if r >= 0:
            last[r] = number
        wave[k] = number
    return wave


def _wave(members: np.ndarray, from_pile: np.ndarray, src_pile: np.ndarray,
          link_out: np.ndarray, to_ent: np.ndarray, link_dem: np.ndarray,
          dst_pile: np.ndarray, n_out: int, n_dem: int, n_piles: int) -> Wave:
    stock0, room0 = n_out + n_dem, n_out + n_dem + n_piles
    pile_src = from_pile[members]
    ent_pos = np.flatnonzero(to_ent[members])
    pile_pos = np.flatnonzero(dst_pile[members] >= 0)
    return Wave(
        links=members,
        supply=np.where(pile_src, stock0 + src_pile[members], link_out[members]),
        basis=np.where(pile_src, n_out + src_pile[members], link_out[members]),
        to_enterprise=ent_pos,
        demand=n_out + link_dem[members[ent_pos]],
        to_pile=pile_pos,
        room=room0 + dst_pile[members[pile_pos]],
        stock=stock0 + dst_pile[members[pile_pos]],
    )
