"""The park as a model: plain frozen data in canonical units, ready to compile to arrays.

Flows are per year (one period = one year). Carrier quantities are in the carrier's canonical
unit (``t``, ``GJ``, ``MWh``, ``m**3``); money is in the park's currency (元 for CNY) at the
park's price base year.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .carriers import CarrierClass, Catalogue
from .ledger import BoundaryKind
from .operation import Operation, Profile
from .parameters import ParameterTable
from .statistics import BasisError, ParkStatistics

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from ..api import BalanceResult

LinkMode = Literal["share", "quantity", "cap", "free"]
LINK_MODES: tuple[LinkMode, ...] = ("share", "quantity", "cap", "free")

# Where leftovers go, and unmet demand comes from, when the park file does not say.
DEFAULT_SINK_KIND: dict[CarrierClass, BoundaryKind] = {
    CarrierClass.PRODUCT: "market",
    CarrierClass.BY_PRODUCT: "market",
    CarrierClass.SECONDARY_ENERGY: "market",
    CarrierClass.PRIMARY_FOSSIL_ENERGY: "market",
    CarrierClass.PRIMARY_METAL_ORE: "market",
    CarrierClass.PRIMARY_NONMETALLIC_MINERAL: "market",
    CarrierClass.PRIMARY_BIOMASS: "market",
    CarrierClass.EMISSION: "environment",
    CarrierClass.WASTE_HEAT_PRESSURE: "environment",
    CarrierClass.AMBIENT: "environment",
    CarrierClass.FRESH_WATER: "environment",
    CarrierClass.RECLAIMED_WATER: "environment",
}
DEFAULT_SOURCE_KIND: dict[CarrierClass, BoundaryKind] = {CarrierClass.AMBIENT: "environment"}


@dataclass(frozen=True)
class Enterprise:
    """One enterprise with one activity and signed rates per unit of activity.

    Attributes
    ----------
    rates
        Carrier id → signed quantity per unit of activity (− consumed, + produced), canonical
        units. The reference carrier is included with rate ±1.
    levels
        Year → activity level (reference carrier units per year). The level in force in a
        year is the latest entry at or before it.
    value_added
        Value added per unit of activity, park currency at the price base year.
    water_recirculation
        Water recirculated inside the enterprise (循环水量), m³ per unit of activity.
    """

    id: str
    name_zh: str
    name_en: str
    sector: str
    reference: str
    capacity: float
    levels: dict[int, float]
    rates: dict[str, float]
    value_added: float = 0.0
    water_recirculation: float = 0.0

    def level(self, year: int) -> float | None:
        """Activity level in force in ``year`` (latest entry at or before it); ``None`` for a
        year before the first entry."""
        known = [y for y in self.levels if y <= year]
        return self.levels[max(known)] if known else None


@dataclass(frozen=True)
class Link:
    """Supplier → receiver for one carrier. Bounds apply to what the supplier sends."""

    index: int
    id: str
    source: str
    target: str
    carrier: str
    mode: LinkMode
    bound: float  # share (0–1), fixed quantity or cap, per year; inf for "free"
    cap: float
    priority: int
    loss: float = 0.0
    substitutes: str | None = None
    ratio: float = 1.0
    since: int | None = None
    until: int | None = None

    def active(self, year: int) -> bool:
        return (self.since is None or self.since <= year) and (
            self.until is None or year < self.until
        )


@dataclass(frozen=True)
class BoundaryNode:
    """Market, disposal, stockpile, treatment or environment: where every balance closes."""

    id: str
    kind: BoundaryKind
    name_zh: str = ""
    name_en: str = ""
    carrier: str | None = None
    opening_stock: float = 0.0
    capacity: float = float("inf")
    overflow: str | None = None  # a full stockpile's surplus goes to this disposal node


@dataclass(frozen=True)
class Target:
    indicator: str
    year: int
    value: float
    base_year: int | None = None
    source: str = ""


@dataclass(frozen=True)
class ParkMeta:
    id: str
    name_zh: str
    name_en: str
    province: str
    base_year: int
    currency: str
    price_base_year: int
    description: str = ""
    sources: tuple[str, ...] = ()
    mass_tolerance: float = 0.005
    allocation: str = "greedy"  # "greedy" (priority routing) or "optimal" (the LP)


@dataclass(frozen=True, eq=False)
class Park:
    """A validated park. Build it with :func:`mfa.load_park`; solve it with :meth:`balance`.

    Frozen: derive a changed park with ``dataclasses.replace`` (plans do), so the arrays the
    engine compiles from it and caches on it are never stale. ``balance`` and ``graph`` are
    attached by :mod:`mfa` (the layers above the model), as is ``parameters()``: the
    ``parameter_table`` (every value that feeds a computation, with its range and source)
    as a DataFrame with the array slot each row feeds.
    """

    meta: ParkMeta
    catalogue: Catalogue
    enterprises: list[Enterprise]
    links: list[Link]
    boundary: dict[str, BoundaryNode]
    targets: list[Target]
    sink_for: dict[str, str]  # carrier id → boundary node taking leftovers
    source_for: dict[str, str]  # carrier id → boundary node supplying unmet demand
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    parameter_table: ParameterTable = field(default_factory=ParameterTable)
    statistics: ParkStatistics = field(default_factory=ParkStatistics)
    # the park a plan was applied to: its base year is the base of the 资源产出率指数 (the
    # official base, 1.00), so a project that changes a rate does not move its own base
    baseline: Park | None = None
    # the simulation's data (docs/simulation.md): enterprise id → operation, profile id → profile
    operations: dict[str, Operation] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)

    @cached_property
    def enterprise_index(self) -> dict[str, int]:
        return {e.id: i for i, e in enumerate(self.enterprises)}

    @cached_property
    def carriers_used(self) -> list[str]:
        """Carrier ids that appear in this park, in catalogue order."""
        used = {c for e in self.enterprises for c in e.rates}
        used |= {link.carrier for link in self.links}
        used |= {b.carrier for b in self.boundary.values() if b.carrier}
        return [c.id for c in self.catalogue.carriers if c.id in used]

    if TYPE_CHECKING:  # attached from above by mfa/__init__.py (the model never imports up)

        def balance(self, year: int | None = None) -> BalanceResult:
            """Solve one year's steady state; see :func:`mfa.balance`."""

        def graph(self) -> nx.DiGraph:
            """The park's structure as a networkx ``DiGraph``; see :mod:`mfa.network`."""

        def parameters(self) -> pd.DataFrame:
            """The ParameterTable with the array slot of each row; see :mod:`mfa.evaluate`."""


    def with_basis(self, pairs: list[str] | dict[str, str]) -> Park:
        """This park on other statistical bases (``["electricity=equivalent"]`` or a dict).

        Raises
        ------
        BasisError
            For an unknown key or value, or a grid region no carrier has a factor for.
        """
        basis = self.statistics.basis.with_pairs(pairs)
        regions = {r for c in self.catalogue.carriers for r in c.indirect_co2}
        if basis.grid != self.statistics.basis.grid and basis.grid not in regions:
            raise BasisError(f"no carrier has an indirect CO₂ factor for grid '{basis.grid}'; "
                             f"the regions are {', '.join(sorted(regions)) or '–'}")
        baseline = self.baseline.with_basis(pairs) if self.baseline else None
        return replace(self, statistics=replace(self.statistics, basis=basis), baseline=baseline)

    @property
    def source_label(self) -> str:
        return str(self.path) if self.path else self.meta.id
