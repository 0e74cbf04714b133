"""The routing of one period as the matrices of a linear programme, built from the
:class:`~mfa.engine.compiled.CompiledPark` arrays (see docs/engine.md, "Optimal allocation").

Variables: ``x[l]``, what link ``l`` sends (delivered plus lost), for every link in file order;
activity levels are fixed, as in the greedy solve. Rows (all ``A_ub @ x ≤ b_ub``):

* each output slot: the links drawing on it send at most its gross output;
* each stockpile: draws minus deliveries in at most its opening stock, and deliveries in minus
  draws at most its free room;
* each demand slot: deliveries (net of loss, times the substitution ratio) at most its demand;
* each output slot whose carrier has no sink: the links send all of it.

Bounds: a share at most ``share · basis`` (and its cap), a cap at most the cap, a fixed quantity
exactly the quantity, an inactive link 0. Sparse (``scipy.sparse.csr_array``) throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..model.carriers import CarrierClass
from ..model.ledger import Meaning, kinds
from .compiled import QUANTITY, SHARE, CompiledPark

SOLID_WASTE = (CarrierClass.GENERAL_SOLID_WASTE.value, CarrierClass.HAZARDOUS_WASTE.value)
OBJECTIVES = ("utilisation", "cost")


@dataclass(frozen=True, eq=False)
class LinearProgramme:
    """``min c @ x`` subject to ``A_ub @ x ≤ b_ub`` and ``lower ≤ x ≤ upper``."""

    c: np.ndarray
    a_ub: sparse.csr_array
    b_ub: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def residuals(self, x: np.ndarray) -> np.ndarray:
        """How far ``x`` breaks each row and bound (≤ 0 where it holds)."""
        rows = self.a_ub @ x - self.b_ub
        return np.concatenate([rows, self.lower - x, x - self.upper])


def build_lp(compiled: CompiledPark, period: int, levels: np.ndarray,
             objective: str = "utilisation", stock: np.ndarray | None = None) -> LinearProgramme:
    """The linear programme of ``period`` at the given activity ``levels`` and opening
    ``stock`` of each stockpile (default: the park file's)."""
    links, schedule = compiled.links, compiled.schedule
    n_links = len(links.ids)
    slot_flow = compiled.slot_rate * levels[compiled.slot_ent]
    produced = slot_flow[compiled.out_slots]
    demanded = -slot_flow[compiled.dem_slots]
    opening = np.asarray(compiled.pile_opening if stock is None else stock, dtype=float)
    free = compiled.pile_capacity - opening
    n_out, n_dem, n_piles = len(produced), len(demanded), len(opening)
    supply = np.empty(n_links, dtype=np.int64)
    receive = np.empty(n_links, dtype=np.int64)
    basis_col = np.empty(n_links, dtype=np.int64)
    supply[schedule.order], receive[schedule.order] = schedule.supply, schedule.receive
    basis_col[schedule.order] = schedule.basis
    keep = links.keep.astype(float)
    to_ent = links.target < compiled.n_enterprises
    ratio = np.where(to_ent, links.ratio, 1.0)
    # rows: output slots | pile stock | pile room | demand slots
    stock0, room0 = n_out + n_dem, n_out + n_dem + n_piles
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []

    def add(row: np.ndarray, col: np.ndarray, val: np.ndarray) -> None:
        rows.append(row)
        cols.append(col)
        vals.append(np.broadcast_to(np.asarray(val, float), row.shape))

    ids = np.arange(n_links)
    out_link = supply < n_out
    add(supply[out_link], ids[out_link], np.ones(1))
    pile_out = ~out_link  # supply column is a stock column
    p = supply[pile_out] - stock0
    rows += [n_out + p, n_out + n_piles + p]
    cols += [ids[pile_out], ids[pile_out]]
    vals += [np.ones(len(p)), -np.ones(len(p))]
    into_dem = (receive >= n_out) & (receive < stock0)
    d = receive[into_dem] - n_out
    add(n_out + 2 * n_piles + d, ids[into_dem], (keep * ratio)[into_dem])
    into_pile = (receive >= room0) & (receive < room0 + n_piles)
    q = receive[into_pile] - room0
    rows += [n_out + q, n_out + n_piles + q]
    cols += [ids[into_pile], ids[into_pile]]
    vals += [-keep[into_pile], keep[into_pile]]
    # an output whose carrier has no sink must leave by links: −Σ x ≤ −output
    homeless = np.flatnonzero(compiled.sink[compiled.slot_car[compiled.out_slots]] < 0)
    base = n_out + 2 * n_piles + n_dem
    pick = out_link & np.isin(supply, homeless)
    add(base + np.searchsorted(homeless, supply[pick]), ids[pick], -np.ones(1))
    n_rows = base + len(homeless)
    a_ub = sparse.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                            shape=(n_rows, n_links))
    b_ub = np.concatenate([produced, opening, free, demanded, -produced[homeless]])
    basis = np.concatenate([produced, opening])[basis_col]
    share = links.mode == SHARE
    upper = np.where(share, np.minimum(np.where(share, links.bound, 0.0) * basis, links.cap),
                     links.bound).astype(float)
    lower = np.where(links.mode == QUANTITY, links.bound, 0.0).astype(float)
    inactive = ~links.active(period)
    upper[inactive], lower[inactive] = 0.0, 0.0
    finite = np.isfinite(b_ub)
    a_ub, b_ub = a_ub[finite], b_ub[finite]
    return LinearProgramme(c=_objective(compiled, objective, keep, ratio, receive, n_out),
                           a_ub=sparse.csr_array(a_ub), b_ub=b_ub, lower=lower, upper=upper)


def _objective(compiled: CompiledPark, objective: str, keep: np.ndarray, ratio: np.ndarray,
               receive: np.ndarray, n_out: int) -> np.ndarray:
    """Costs to minimise: −tonnes of solid waste utilised (utilisation), or −the catalogue
    value of purchases avoided (cost; carriers without a price count 0).

    A tonne of solid waste is utilised when it reaches an enterprise or the market (the
    indicators' 综合利用, :data:`mfa.model.ledger.Meaning.UTILISED`); what no link takes goes
    to the carrier's sink, so a link drawing on an output whose sink utilises it gains nothing
    (its reward is reduced by that), and lost tonnes are not utilised."""
    links = compiled.links
    if objective == "utilisation":
        solid = np.isin(np.asarray(compiled.carrier_classes)[links.carrier], SOLID_WASTE)
        using = np.isin(np.asarray(compiled.node_kinds), kinds(Meaning.UTILISED))
        sink = compiled.sink[links.carrier]
        sink_uses = (sink >= 0) & using[np.maximum(sink, 0)]
        from_output = links.source < compiled.n_enterprises
        gain = keep * using[links.target] - np.where(from_output & sink_uses, 1.0, 0.0)
        return -np.where(solid, gain * compiled.mass[links.carrier], 0.0)
    if objective == "cost":
        n_dem = len(compiled.dem_slots)
        into_dem = (receive >= n_out) & (receive < n_out + n_dem)
        car = compiled.slot_car[compiled.dem_slots[np.where(into_dem, receive - n_out, 0)]]
        price = np.array([c.price_per_unit or 0.0 for c in compiled.carrier_info]
                         or np.zeros(len(compiled.carriers)), dtype=float)
        return -np.where(into_dem, keep * ratio * price[car], 0.0)
    raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")


def utilisation(compiled: CompiledPark, sent: np.ndarray) -> float:
    """The utilisation objective at link flows ``sent``: tonnes of solid waste utilised,
    up to a constant (the leftovers that the sinks utilise whatever the links do)."""
    keep = compiled.links.keep.astype(float)
    ratio = np.ones(len(keep))
    c = _objective(compiled, "utilisation", keep, ratio, np.zeros(len(keep), np.int64), 0)
    return float(-c @ sent)
