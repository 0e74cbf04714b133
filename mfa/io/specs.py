"""The file formats (park files and carrier catalogue files), as pydantic models of the raw
YAML before unit conversion.

The reference page is ``docs/park-format.md``; keep the two in step. Quantities stay strings
here (``"150 kt/a"``); :mod:`mfa.io.park` converts them once, knowing each carrier's unit.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..model.carriers import CarrierClass
from .limits import MAX_ID_CHARS, MAX_PRIORITY, MAX_YEAR, MIN_YEAR

Quantity = str | float | int
_ID = r"^[A-Za-z][A-Za-z0-9_\-]*$"
Id = Annotated[str, Field(pattern=_ID, max_length=MAX_ID_CHARS)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Sourced(Strict):
    """A value with its source, and optional low/high for uncertainty analysis."""

    value: Quantity
    low: Quantity | None = None
    high: Quantity | None = None
    source: str = ""
    note: str = ""


SourcedOrPlain = Sourced | Quantity


class ParkMeta(Strict):
    id: Id
    name_zh: str
    name_en: str
    province: str = ""
    base_year: Year
    currency: Literal["CNY", "DKK", "USD", "EUR"] = "CNY"
    price_base_year: Year
    description: str = ""
    sources: list[str] = []
    mass_tolerance: float = Field(default=0.005, ge=0, le=0.5)
    allocation: Literal["greedy", "optimal"] = "greedy"  # docs/engine.md "Optimal allocation"
    industrial_land: SourcedOrPlain | None = None  # 工业用地面积, e.g. "1,850 hm**2"


class Activity(Strict):
    carrier: str
    capacity: SourcedOrPlain
    level: SourcedOrPlain | dict[Year, SourcedOrPlain]
    source: str = ""


class WasteHeatResourceSpec(Strict):
    """余热余压资源量 per unit of activity (GB/T 1028-2018): heat and pressure kept apart."""

    heat: SourcedOrPlain | None = None  # e.g. "2.1 GJ/t"
    pressure: SourcedOrPlain | None = None  # e.g. "0.13 GJ/t" (shaft work)
    reference_temperature: str = ""  # the stated reference, e.g. "25 degC"
    source: str = Field(min_length=3)


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class WindowSpec(Strict):
    """Days of every year, ``from`` through ``to`` (``MM-DD``; wraps the year end when
    ``from`` comes after ``to``, as a heating season does)."""

    start: MonthDay = Field(alias="from")
    end: MonthDay = Field(alias="to")


class ProfileSpec(Strict):
    """A seasonal profile of activity: 12 monthly factors, or a season outside which the
    enterprise does not run (docs/simulation.md)."""

    id: Id
    monthly: list[float] | None = None
    season: WindowSpec | None = None
    source: str = ""
    note: str = ""


class OperationSpec(Strict):
    """How an enterprise runs through a year: outages, season, planned shutdowns."""

    availability: SourcedOrPlain | None = None  # share of time up (when scheduled to run)
    mtbf: SourcedOrPlain | None = None  # mean time between failures, e.g. "60 d"
    mttr: SourcedOrPlain | None = None  # mean time to repair, e.g. "3 d"
    profile: str | None = None  # a profile id of the park's `profiles:`
    maintenance: list[WindowSpec] = []  # planned shutdowns every year
    source: str = ""
    note: str = ""


class EnterpriseSpec(Strict):
    id: Id
    name_zh: str = ""
    name_en: str = ""
    sector: str = ""
    activity: Activity
    rates: dict[str, SourcedOrPlain] = {}
    value_added: SourcedOrPlain | None = None
    water_recirculation: SourcedOrPlain | None = None
    # carriers this enterprise uses as 原料 (not as fuel): all of each, or the part per unit
    # of activity (e.g. {raw_coal: "1.5 t/t"} of a 2.2 t/t intake)
    feedstock: list[str] | dict[str, SourcedOrPlain] = []
    waste_heat_resource: WasteHeatResourceSpec | None = None
    operation: OperationSpec | None = None  # the simulation's data (docs/simulation.md)
    note: str = ""


class Substitution(Strict):
    carrier: str
    ratio: SourcedOrPlain


class LinkSpec(Strict):
    id: Id | None = None
    source_node: str = Field(alias="from")
    target_node: str = Field(alias="to")
    carrier: str
    share: float | None = Field(default=None, ge=0, le=1)
    quantity: Quantity | None = None
    cap: Quantity | None = None
    priority: int | None = Field(default=None, ge=-MAX_PRIORITY, le=MAX_PRIORITY)
    loss: float = Field(default=0.0, ge=0, lt=1)
    substitutes: Substitution | None = None
    since: Year | None = None
    until: Year | None = None
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _one_bound(self) -> LinkSpec:
        if self.quantity is not None and (self.share is not None or self.cap is not None):
            raise ValueError(
                "a link with a fixed 'quantity' cannot also have 'share' or 'cap' | fix: "
                "keep 'quantity' for a measured flow, or 'share'/'cap' for an upper bound"
            )
        return self


class BoundarySpec(Strict):
    id: Id
    kind: Literal["market", "disposal", "stockpile", "treatment", "environment"]
    name_zh: str = ""
    name_en: str = ""
    carrier: str | None = None  # stockpiles hold one carrier
    opening_stock: SourcedOrPlain | None = None
    capacity: Quantity | None = None
    overflow: str | None = None  # stockpile full: the disposal node that takes the surplus
    default_for: list[str] = []  # carrier ids or classes whose leftovers go here
    supplies: list[str] = []  # carrier ids or classes whose unmet demand comes from here
    note: str = ""

    @model_validator(mode="after")
    def _stockpile_fields(self) -> BoundarySpec:
        if self.kind == "stockpile" and self.carrier is None:
            raise ValueError(
                "a stockpile needs 'carrier' (the one waste it holds) | fix: "
                "add e.g. 'carrier: nickel_slag'"
            )
        if self.kind != "stockpile" and (self.opening_stock is not None or self.capacity
                                         or self.overflow):
            raise ValueError(
                f"only stockpiles have 'opening_stock', 'capacity' or 'overflow', not a "
                f"{self.kind} | fix: set 'kind: stockpile' or remove these fields"
            )
        return self


class TargetSpec(Strict):
    indicator: str
    year: Year
    value: Quantity
    base_year: Year | None = None
    source: str = ""


class StatisticsSpec(Strict):
    """The statistical bases of the indicators (docs/indicators.md, "Bases")."""

    resource_list: Literal["2007", "2017"] | None = None
    ore_basis: Literal["gross", "concentrate"] | None = None
    electricity: Literal["calorific", "equivalent"] | None = None
    feedstock_energy: Literal["include", "exclude"] | None = None
    energy_media: Literal["exclude", "include"] | None = None
    co2_scope: Literal["direct", "total"] | None = None
    grid: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=MAX_ID_CHARS)] | None = None

    @field_validator("resource_list", mode="before")
    @classmethod
    def _year_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class ParkFile(Strict):
    park: ParkMeta
    statistics: StatisticsSpec = StatisticsSpec()
    enterprises: list[EnterpriseSpec] = Field(min_length=1)
    links: list[LinkSpec] = []
    boundary: list[BoundarySpec] = []
    targets: list[TargetSpec] = []
    carriers: list[CarrierSpec] = []  # park-local carriers, same schema as flows/*.yaml
    profiles: list[ProfileSpec] = []  # seasonal profiles the enterprises' operation names


# ---------------------------------------------------------------- carrier catalogue files


class PropertySpec(BaseModel):
    """A sourced property value, with optional low/high for uncertainty analysis."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    value: str | float
    low: str | float | None = None
    high: str | float | None = None
    source: str = Field(min_length=3)
    note: str = ""
    year: Year | None = None  # price base year, for prices and disposal fees


class CarrierSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=MAX_ID_CHARS)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    carrier_class: CarrierClass = Field(alias="class")
    unit: Literal["t", "GJ", "MWh", "m**3"]
    description: str = ""
    grade: Literal["high", "medium", "low"] | None = None
    energy_content: PropertySpec | None = None  # per unit, e.g. "0.7143 tce/t"
    co2_factor: PropertySpec | None = None  # t CO2 per unit when burnt, e.g. "1.9 t/t"
    price: PropertySpec | None = None  # e.g. "500 元/t"
    disposal_fee: PropertySpec | None = None  # storing/landfilling one unit: "25 元/t", with year
    density: PropertySpec | None = None  # mass per unit for volume carriers, e.g. "0.717 kg/m**3"
    # Statistical bases (docs/indicators.md, "Bases"): which lists of 主要资源 name it …
    resource_lists: list[Literal["2007", "2017"]] | None = None  # primary classes; None: both
    concentrate_equivalent: PropertySpec | None = None  # run-of-mine ore: "0.135 t/t"
    # … its 等价值 (electricity, heat) and its 耗能工质 energy (oxygen, carbide, fresh water) …
    energy_equivalent: PropertySpec | None = None  # e.g. "0.3 kgce/kWh", with year
    energy_media: PropertySpec | None = None  # e.g. "2.0786 kgce/kg"
    # … indirect CO₂ per region (net purchased electricity and heat), with year …
    indirect_co2: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], PropertySpec] = {}
    # … the pollutant an emission carrier is, and whether a water is a non-conventional source.
    pollutant: Literal["cod", "nh3_n", "so2", "nox", "particulates", "vocs"] | None = None
    non_conventional_water: bool = False
    waste_energy: Literal["heat", "pressure"] | None = None  # waste_heat_pressure: which one

    @field_validator("resource_lists", mode="before")
    @classmethod
    def _years_text(cls, value: object) -> object:
        if isinstance(value, list):
            return [str(v) if isinstance(v, int) else v for v in value]
        return value

    @field_validator("name_zh", "name_en")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    carriers: list[CarrierSpec]
