"""A park compiled to integer-indexed arrays: everything :func:`mfa.engine.solve` needs, and no
:class:`~mfa.model.park.Park`.

Nodes are numbered enterprises first (0…n−1), then boundary nodes; carriers are the columns.
Rates are kept as *slots*, one per non-zero (enterprise, carrier) rate, sorted by enterprise
then carrier: a park's rate matrix is about 4 % full, so dense n × m arrays are not built.
Output slots (rate > 0) and demand slots (rate < 0) are numbered separately. Every flow the
solver can produce is a fixed *record* (source, target, carrier, substituted carrier), so a
solution is one vector of record quantities, the same layout for every sample and period.

Built once per park and cached on it (a :class:`Park` is frozen: derive a changed park with
``dataclasses.replace`` and it compiles anew).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParkFlowError, Problem
from ..model.carriers import Carrier, CarrierClass
from ..model.park import LINK_MODES, Park, Target
from ..model.statistics import ParkStatistics
from .schedule import Schedule, build_schedule

SHARE, QUANTITY, CAP, FREE = (LINK_MODES.index(m) for m in ("share", "quantity", "cap", "free"))

# Node and carrier codes of links and flow records: int32 halves the memory of the records
# (about 10⁶ of them at 100,000 enterprises); keys built from them are computed in int64.
CODE = np.int32


@dataclass(frozen=True, eq=False)
class LinkArrays:
    """Every link as parallel arrays, index = position in ``park.links``."""

    ids: tuple[str, ...]
    index: np.ndarray  # position in the park file's links
    source: np.ndarray  # node index
    target: np.ndarray  # node index
    carrier: np.ndarray  # carrier column
    demand_column: np.ndarray  # the receiver's carrier whose demand bounds the link
    substitutes: np.ndarray  # substituted carrier column, −1 without substitution
    mode: np.ndarray  # index into LINK_MODES
    bound: np.ndarray  # share, fixed quantity or cap (inf when free)
    cap: np.ndarray  # cap combined with a share (inf when none)
    keep: np.ndarray  # 1 − loss
    ratio: np.ndarray  # substituted units per unit delivered (1 without substitution)
    since: np.ndarray  # first active year (−inf when always)
    until: np.ndarray  # first inactive year (+inf when never)
    order: np.ndarray  # link indices sorted by (priority, file order)

    def label(self, link: int) -> str:
        """``links[2] (yard>kiln:slag)``: where the link is in the park file, for messages."""
        return f"links[{self.index[link]}] ({self.ids[link]})"

    def active(self, period: int) -> np.ndarray:
        """Boolean mask of the links active in ``period``."""
        mask: np.ndarray = (self.since <= period) & (period < self.until)
        return mask

    def active_order(self, period: int) -> np.ndarray:
        """Indices of the links active in ``period``, in serving order."""
        order: np.ndarray = self.order[self.active(period)[self.order]]
        return order


@dataclass(frozen=True, eq=False)
class Records:
    """The fixed list of flows a solution can hold, in segments (see module docstring)."""

    src: np.ndarray  # node index
    dst: np.ndarray  # node index
    car: np.ndarray  # carrier column
    sub: np.ndarray  # substituted carrier column at the receiver, −1 when none
    link: slice  # one record per link: what it delivers
    loss: slice  # one per lossy link: lost on the way, to the environment
    loss_links: np.ndarray  # the link of each loss record
    leftover: slice  # one per output slot with a sink: what links did not take
    leftover_slots: np.ndarray  # the output slot of each leftover record
    leftover_pile: np.ndarray  # the stockpile a leftover record fills, −1 for other sinks
    unmet: slice  # one per demand slot: what links did not supply
    recirculation: slice  # one per enterprise that recirculates water: to itself
    recirculating: np.ndarray  # the enterprise of each recirculation record
    # one per leftover record into a stockpile with an overflow: the surplus of a full pile,
    # from the same enterprise to the pile's overflow (disposal) node
    overflow: slice
    overflow_leftover: np.ndarray  # the leftover record (position in its segment) of each

    def __len__(self) -> int:
        return len(self.src)


@dataclass(frozen=True, eq=False)
class CompiledPark:
    """The arrays of one park (see the module docstring); built by :func:`compile_park`."""

    source_label: str  # the park file, for messages
    base_year: int
    currency: str
    mass_tolerance: float
    targets: tuple[Target, ...]
    node_ids: tuple[str, ...]
    node_kinds: tuple[str, ...]
    n_enterprises: int
    enterprise_labels: tuple[str, ...]  # "enterprises[3] (smelter)"
    reference: tuple[str, ...]  # reference carrier of each enterprise
    carriers: tuple[str, ...]
    carrier_classes: tuple[str, ...]
    units: tuple[str, ...]
    tce: np.ndarray  # per carrier: tce per unit
    co2: np.ndarray  # per carrier: t CO₂ per unit (burnt, or emitted for emission carriers)
    mass: np.ndarray  # per carrier: t per unit (0 when the carrier has no mass)
    slot_ent: np.ndarray  # per rate slot: enterprise
    slot_car: np.ndarray  # per rate slot: carrier column
    slot_rate: np.ndarray  # per rate slot: signed rate per unit of activity
    out_slots: np.ndarray  # slot indices with rate > 0, in slot order
    dem_slots: np.ndarray  # slot indices with rate < 0, in slot order
    by_carrier: np.ndarray  # slot indices sorted by carrier (for per-carrier maxima)
    carrier_starts: np.ndarray  # where each carrier with slots starts in ``by_carrier``
    carriers_with_slots: np.ndarray  # those carrier columns
    enterprise_starts: np.ndarray  # where each enterprise's slots start (every one has its
    # reference carrier's slot)
    level_years: np.ndarray  # sorted years at which some level is given
    level_table: np.ndarray  # [years, n]: level in force from that year (NaN: none yet)
    capacity: np.ndarray  # per enterprise
    value_added: np.ndarray  # per enterprise, per unit of activity
    recirculation: np.ndarray  # per enterprise, m³ recirculated per unit of activity
    pile_node: np.ndarray  # per stockpile: node index
    pile_carrier: np.ndarray  # per stockpile: carrier column
    pile_opening: np.ndarray  # per stockpile: opening stock in the file
    pile_capacity: np.ndarray  # per stockpile: capacity (inf when none)
    pile_overflow: np.ndarray  # per stockpile: the disposal node its surplus goes to, −1: none
    links: LinkArrays
    sink: np.ndarray  # per carrier: node taking leftovers, −1 when none
    source: np.ndarray  # per carrier: node supplying unmet demand
    environment: int
    records: Records
    schedule: Schedule
    carrier_info: tuple[Carrier, ...] = ()  # per carrier column: the catalogue entry
    statistics: ParkStatistics = field(default_factory=ParkStatistics)  # bases, declarations
    baseline: CompiledPark | None = None  # the park a plan was applied to (base of the index)

    @property
    def n_slots(self) -> int:
        return len(self.slot_rate)

    def node(self, node_id: str) -> int:
        """Index of a node by id."""
        return self.node_ids.index(node_id)

    def levels_for(self, period: int) -> np.ndarray:
        """Activity level of every enterprise in ``period`` (the latest entry at or before it).

        Raises
        ------
        ParkFlowError
            Naming each enterprise whose levels start after ``period``.
        """
        row = int(np.searchsorted(self.level_years, period, side="right")) - 1
        levels = (self.level_table[row] if row >= 0
                  else np.full(self.n_enterprises, np.nan))
        missing = np.flatnonzero(np.isnan(levels))
        if len(missing):
            raise ParkFlowError(self.source_label, [
                self._missing_level(int(i), period) for i in missing])
        return levels.copy()

    def _missing_level(self, enterprise: int, period: int) -> Problem:
        first = _first_year(self.level_years, self.level_table[:, enterprise])
        where = f"{self.enterprise_labels[enterprise]}.activity.level"
        if first is None:  # a park built in Python may give an enterprise no level at all
            return Problem(where, "no activity level in any year", "give the enterprise a level")
        return Problem(where, f"no activity level for {period}; the first is for {first}",
                       f"add a level for {period} or earlier, or balance a later year")


def _first_year(years: np.ndarray, column: np.ndarray) -> int | None:
    given = np.flatnonzero(~np.isnan(column))
    return int(years[given[0]]) if len(given) else None


def compile_park(park: Park) -> CompiledPark:
    """Compile (and cache on the park) the arrays the solver needs."""
    cached = park.__dict__.get("_compiled")
    if isinstance(cached, CompiledPark):
        return cached
    compiled = _compile(park)
    park.__dict__["_compiled"] = compiled
    return compiled


def _compile(park: Park) -> CompiledPark:
    ents = park.enterprises
    node_ids = tuple([e.id for e in ents] + list(park.boundary))
    node_kinds = tuple(["enterprise"] * len(ents) + [b.kind for b in park.boundary.values()])
    node_index = {node: i for i, node in enumerate(node_ids)}
    carriers = _carriers(park)
    column = {c: j for j, c in enumerate(carriers)}
    cat = park.catalogue
    slot_ent, slot_car, slot_rate = _slots(park, column)
    links = _link_arrays(park, node_index, column)
    piles = [(node_index[b.id], b) for b in park.boundary.values() if b.kind == "stockpile"]
    sink = np.array([node_index.get(park.sink_for.get(c, ""), -1) for c in carriers],
                    dtype=np.int64)
    source = np.array([node_index[park.source_for.get(c, "market")] for c in carriers],
                      dtype=np.int64)
    recirculation = np.array([e.water_recirculation for e in ents], dtype=float)
    out_slots, dem_slots = np.flatnonzero(slot_rate > 0), np.flatnonzero(slot_rate < 0)
    environment = node_index["environment"]
    pile_node = np.array([i for i, _ in piles], dtype=np.int64)
    pile_overflow = np.array([node_index[b.overflow] if b.overflow else -1 for _, b in piles],
                             dtype=np.int64)
    level_years, level_table = _level_table(park)
    return CompiledPark(
        source_label=park.source_label,
        base_year=park.meta.base_year,
        currency=park.meta.currency,
        mass_tolerance=park.meta.mass_tolerance,
        targets=tuple(park.targets),
        node_ids=node_ids,
        node_kinds=node_kinds,
        n_enterprises=len(ents),
        enterprise_labels=tuple(f"enterprises[{i}] ({e.id})" for i, e in enumerate(ents)),
        reference=tuple(e.reference for e in ents),
        carriers=carriers,
        carrier_classes=tuple(cat[c].carrier_class.value for c in carriers),
        units=tuple(cat[c].unit for c in carriers),
        tce=np.array([cat[c].tce_per_unit for c in carriers], dtype=float),
        co2=np.array([cat[c].co2_per_unit for c in carriers], dtype=float),
        mass=np.array([cat[c].t_per_unit or 0.0 for c in carriers], dtype=float),
        slot_ent=slot_ent,
        slot_car=slot_car,
        slot_rate=slot_rate,
        out_slots=out_slots,
        dem_slots=dem_slots,
        **_slot_groups(slot_ent, slot_car),
        level_years=level_years,
        level_table=level_table,
        capacity=np.array([e.capacity for e in ents], dtype=float),
        value_added=np.array([e.value_added for e in ents], dtype=float),
        recirculation=recirculation,
        pile_node=pile_node,
        pile_carrier=np.array([column[b.carrier or ""] for _, b in piles], dtype=np.int64),
        pile_opening=np.array([b.opening_stock for _, b in piles], dtype=float),
        pile_capacity=np.array([b.capacity for _, b in piles], dtype=float),
        pile_overflow=pile_overflow,
        links=links,
        sink=sink,
        source=source,
        environment=environment,
        records=_records(links, slot_ent, slot_car, out_slots, dem_slots, sink, source,
                         environment, recirculation, _recirculation_column(park, column),
                         pile_node, pile_overflow),
        schedule=build_schedule(links, slot_ent, slot_car, out_slots, dem_slots, pile_node,
                                len(ents), len(carriers), len(node_ids)),
        carrier_info=tuple(cat[c] for c in carriers),
        statistics=park.statistics,
        baseline=compile_park(park.baseline) if park.baseline else None,
    )


def _carriers(park: Park) -> tuple[str, ...]:
    """The carriers used, in catalogue order, with the recirculated-water carrier when an
    enterprise recirculates water."""
    used = set(park.carriers_used)
    if any(e.water_recirculation > 0 for e in park.enterprises):
        used.add(_recirculation_carrier(park))
    return tuple(c.id for c in park.catalogue.carriers if c.id in used)


def _recirculation_carrier(park: Park) -> str:
    recirculated = park.catalogue.of_class(CarrierClass.RECIRCULATED_WATER)
    if recirculated:
        return recirculated[0].id
    first = next(i for i, e in enumerate(park.enterprises) if e.water_recirculation > 0)
    raise ParkFlowError.single(
        park.source_label, f"enterprises[{first}] ({park.enterprises[first].id})"
        ".water_recirculation",
        "the carrier catalogue has no carrier of class 'recirculated_water' to book "
        "recirculated water on", "add one to the catalogue (see 'recirculated_water' in flows/)")


def _recirculation_column(park: Park, column: dict[str, int]) -> int:
    if not any(e.water_recirculation > 0 for e in park.enterprises):
        return -1
    return column[_recirculation_carrier(park)]


def _slots(park: Park, column: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-zero rates as (enterprise, carrier column, rate), sorted by enterprise then
    carrier."""
    ents = park.enterprises
    counts = [len(e.rates) for e in ents]
    total = sum(counts)
    enterprise = np.repeat(np.arange(len(ents), dtype=np.int64), counts)
    carrier = np.fromiter((column[c] for e in ents for c in e.rates), np.int64, count=total)
    rate = np.fromiter((r for e in ents for r in e.rates.values()), float, count=total)
    order = np.lexsort((carrier, enterprise))
    order = order[rate[order] != 0]
    return enterprise[order], carrier[order], rate[order]


def _slot_groups(slot_ent: np.ndarray, slot_car: np.ndarray) -> dict[str, np.ndarray]:
    by_carrier = np.argsort(slot_car, kind="stable")
    carriers, starts = np.unique(slot_car[by_carrier], return_index=True)
    return {"by_carrier": by_carrier, "carrier_starts": starts, "carriers_with_slots": carriers,
            "enterprise_starts": np.unique(slot_ent, return_index=True)[1]}


def _level_table(park: Park) -> tuple[np.ndarray, np.ndarray]:
    """Years at which any level is given, and the level of every enterprise from each.

    A single level (year 0 in the model) applies from any year on.
    """
    years = sorted({year for e in park.enterprises for year in e.levels})
    table = np.full((len(years), len(park.enterprises)), np.nan)
    for i, ent in enumerate(park.enterprises):
        for row, year in enumerate(years):
            level = ent.level(year)
            if level is not None:
                table[row, i] = level
    if years and years[0] == 0:
        years[0] = np.iinfo(np.int64).min  # "always"
    return np.array(years, dtype=np.int64), table


def _link_arrays(park: Park, node_index: dict[str, int], column: dict[str, int]
                 ) -> LinkArrays:
    links = park.links
    mode_code = {mode: i for i, mode in enumerate(LINK_MODES)}
    column_of: dict[str | None, int] = {None: -1}
    column_of.update(column)

    # One list per field, then a C-level lookup or conversion: a generator per field over
    # 500,000 links costs seconds.
    def codes(field: str, table: dict[Any, int]) -> np.ndarray:
        values = [getattr(link, field) for link in links]
        return np.fromiter(map(table.__getitem__, values), CODE, count=len(links))

    def floats(field: str) -> np.ndarray:
        return np.array([getattr(link, field) for link in links], dtype=float)

    def years(field: str, missing: float) -> np.ndarray:
        values = [getattr(link, field) for link in links]
        return np.array([missing if v is None else v for v in values], dtype=float)

    carriers = codes("carrier", column)
    substituted = codes("substitutes", column_of)
    priority = np.array([link.priority for link in links], dtype=np.int64)
    return LinkArrays(
        ids=tuple(link.id for link in links),
        index=np.array([link.index for link in links], dtype=np.int64),
        source=codes("source", node_index),
        target=codes("target", node_index),
        carrier=carriers,
        demand_column=np.where(substituted >= 0, substituted, carriers),
        substitutes=substituted,
        mode=codes("mode", mode_code),
        bound=floats("bound"),
        cap=floats("cap"),
        keep=1.0 - floats("loss"),
        ratio=floats("ratio"),
        since=years("since", -np.inf),
        until=years("until", np.inf),
        order=np.lexsort((np.arange(len(links)), priority)).astype(np.int64),
    )


def _records(links: LinkArrays, slot_ent: np.ndarray, slot_car: np.ndarray,
             out_slots: np.ndarray, dem_slots: np.ndarray, sink: np.ndarray,
             source: np.ndarray, environment: int, recirculation: np.ndarray,
             recirculation_column: int, pile_node: np.ndarray, pile_overflow: np.ndarray
             ) -> Records:
    lossy = np.flatnonzero(links.keep < 1.0)
    routed = out_slots[sink[slot_car[out_slots]] >= 0]
    leftover_slots = np.searchsorted(out_slots, routed)
    recirculating = np.flatnonzero(recirculation > 0)
    pile_position = {int(node): p for p, node in enumerate(pile_node.tolist())}
    leftover_pile = np.array([pile_position.get(int(node), -1) for node in
                              sink[slot_car[routed]].tolist()], dtype=np.int64)
    spills = np.flatnonzero(leftover_pile >= 0)
    spills = spills[pile_overflow[leftover_pile[spills]] >= 0]
    none = np.full
    parts = [  # (src, dst, car, sub) per segment
        (links.source, links.target, links.carrier, links.substitutes),
        (links.source[lossy], none(len(lossy), environment), links.carrier[lossy],
         none(len(lossy), -1)),
        (slot_ent[routed], sink[slot_car[routed]], slot_car[routed], none(len(routed), -1)),
        (source[slot_car[dem_slots]], slot_ent[dem_slots], slot_car[dem_slots],
         none(len(dem_slots), -1)),
        (recirculating, recirculating, none(len(recirculating), recirculation_column),
         none(len(recirculating), -1)),
        (slot_ent[routed[spills]], pile_overflow[leftover_pile[spills]],
         slot_car[routed[spills]], none(len(spills), -1)),
    ]
    sizes = np.cumsum([0] + [len(part[0]) for part in parts])
    segment = [slice(int(a), int(b)) for a, b in itertools.pairwise(sizes)]
    src, dst, car, sub = (np.concatenate([p[k] for p in parts]).astype(CODE)
                          for k in range(4))
    return Records(src=src, dst=dst, car=car, sub=sub, link=segment[0], loss=segment[1],
                   loss_links=lossy, leftover=segment[2], leftover_slots=leftover_slots,
                   leftover_pile=leftover_pile,
                   unmet=segment[3], recirculation=segment[4], recirculating=recirculating,
                   overflow=segment[5], overflow_leftover=spills)
