"""The carrier catalogue: what each carrier is, its official class, unit and properties.

Carriers live in ``flows/*.yaml`` (data, not code). Indicators read the ``carrier_class`` of a
carrier, never its id, so a new slag or a new fuel needs no code change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import paths
from .errors import ParkFlowError, ProblemList
from .units import UnitProblem, dimension_name, to_canonical
from .validation import validate
from .yamlio import read_yaml


class CarrierClass(StrEnum):
    """Official classes, as the Chinese statistics and indicator systems group material.

    The four ``primary_*`` classes are the 主要资源 of the resource output rate (资源产出率).
    """

    PRIMARY_FOSSIL_ENERGY = "primary_fossil_energy"  # 化石能源: coal, crude oil, natural gas
    PRIMARY_METAL_ORE = "primary_metal_ore"  # 金属矿产: ores and concentrates
    PRIMARY_NONMETALLIC_MINERAL = "primary_nonmetallic_mineral"  # 非金属矿产: limestone, …
    PRIMARY_BIOMASS = "primary_biomass"  # 生物质: timber, grain, straw
    SECONDARY_ENERGY = "secondary_energy"  # 二次能源: electricity, steam, coke, fuel gases
    PRODUCT = "product"  # 产品
    BY_PRODUCT = "by_product"  # 副产品: smelter acid, recovered sulphur, …
    GENERAL_SOLID_WASTE = "general_solid_waste"  # 一般工业固体废物
    HAZARDOUS_WASTE = "hazardous_waste"  # 危险废物
    WASTE_HEAT_PRESSURE = "waste_heat_pressure"  # 余热余压
    FRESH_WATER = "fresh_water"  # 新鲜水 (取水量)
    WASTEWATER = "wastewater"  # 废水
    RECLAIMED_WATER = "reclaimed_water"  # 再生水 / 中水 / 回用水
    EMISSION = "emission"  # 大气排放: CO₂, SO₂, …
    AMBIENT = "ambient"  # air or oxygen drawn from the atmosphere; not a resource


PRIMARY_CLASSES = frozenset(
    {
        CarrierClass.PRIMARY_FOSSIL_ENERGY,
        CarrierClass.PRIMARY_METAL_ORE,
        CarrierClass.PRIMARY_NONMETALLIC_MINERAL,
        CarrierClass.PRIMARY_BIOMASS,
    }
)
WATER_CLASSES = frozenset(
    {CarrierClass.FRESH_WATER, CarrierClass.WASTEWATER, CarrierClass.RECLAIMED_WATER}
)
CANONICAL_UNITS = ("t", "GJ", "MWh", "m**3")


class PropertySpec(BaseModel):
    """A sourced property value, with optional low/high for uncertainty analysis."""

    model_config = ConfigDict(extra="forbid")
    value: str | float
    low: str | float | None = None
    high: str | float | None = None
    source: str = Field(min_length=3)
    note: str = ""
    year: int | None = None  # price base year, for prices


class CarrierSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    carrier_class: CarrierClass = Field(alias="class")
    unit: Literal["t", "GJ", "MWh", "m**3"]
    description: str = ""
    grade: Literal["high", "medium", "low"] | None = None
    energy_content: PropertySpec | None = None  # per unit, e.g. "0.7143 tce/t"
    co2_factor: PropertySpec | None = None  # t CO2 per unit when burnt, e.g. "1.9 t/t"
    price: PropertySpec | None = None  # e.g. "500 元/t"
    density: PropertySpec | None = None  # mass per unit for volume carriers, e.g. "0.717 kg/m**3"

    @field_validator("name_zh", "name_en")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    carriers: list[CarrierSpec]


@dataclass(frozen=True)
class Carrier:
    """One carrier with its properties converted to floats per canonical unit.

    Attributes
    ----------
    tce_per_unit
        Standard coal equivalent per canonical unit (GB/T 2589), 0 when not an energy carrier.
    co2_per_unit
        t CO₂ emitted per canonical unit burnt, 0 when not a fuel.
    price_per_unit, price_currency, price_year
        Default market price, when the catalogue gives one.
    t_per_unit
        Mass per canonical unit (1 for t; 1 for water in m³; density for gases).
    """

    id: str
    name_zh: str
    name_en: str
    carrier_class: CarrierClass
    unit: str
    grade: str | None = None
    tce_per_unit: float = 0.0
    co2_per_unit: float = 0.0
    price_per_unit: float | None = None
    price_currency: str | None = None
    price_year: int | None = None
    t_per_unit: float | None = None
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def dimension(self) -> str:
        return dimension_name(self.unit)

    @property
    def is_water(self) -> bool:
        return self.carrier_class in WATER_CLASSES


class Catalogue:
    """All carriers by id, in a stable order (the column order of rate matrices)."""

    def __init__(self, carriers: list[Carrier]) -> None:
        self.carriers = carriers
        self.by_id = {c.id: c for c in carriers}
        self.index = {c.id: i for i, c in enumerate(carriers)}

    def __len__(self) -> int:
        return len(self.carriers)

    def __contains__(self, carrier_id: object) -> bool:
        return carrier_id in self.by_id

    def __getitem__(self, carrier_id: str) -> Carrier:
        return self.by_id[carrier_id]

    def to_frame(self) -> pd.DataFrame:
        """The catalogue as a table, one row per carrier."""
        rows = [
            {
                "id": c.id,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "class": c.carrier_class.value,
                "unit": c.unit,
                "dimension": c.dimension,
                "tce_per_unit": c.tce_per_unit,
                "co2_t_per_unit": c.co2_per_unit,
                "price_per_unit": c.price_per_unit,
                "price_currency": c.price_currency,
                "price_year": c.price_year,
            }
            for c in self.carriers
        ]
        return pd.DataFrame(rows).set_index("id")


def _property(
    spec: PropertySpec | None, target: str, name: str, where: str, problems: ProblemList
) -> float | None:
    if spec is None:
        return None
    try:
        value = to_canonical(spec.value, target)
        low = -math.inf if spec.low is None else to_canonical(spec.low, target)
        high = math.inf if spec.high is None else to_canonical(spec.high, target)
    except UnitProblem as err:
        problems.add(f"{where}.{name}", str(err), f"give it in units like '{target}'")
        return None
    if not low <= value <= high:
        problems.add(f"{where}.{name}", f"value {spec.value} lies outside {spec.low} … "
                     f"{spec.high}", "correct the range so that it contains the value")
    return value


def _price(spec: CarrierSpec, where: str, problems: ProblemList) -> tuple[float | None, str | None]:
    if spec.price is None:
        return None, None
    from .units import CURRENCIES  # local: only prices need the currency table

    for code, unit in CURRENCIES.items():
        try:
            return to_canonical(spec.price.value, f"{unit}/({spec.unit})"), code
        except UnitProblem:
            continue
    problems.add(
        f"{where}.price.value",
        f"'{spec.price.value}' is not a price per {spec.unit} in CNY, DKK, USD or EUR",
        f"write e.g. '500 元/{spec.unit}'",
    )
    return None, None


def _build(spec: CarrierSpec, where: str, problems: ProblemList) -> Carrier:
    unit = spec.unit
    tce = _property(spec.energy_content, f"tce/({unit})", "energy_content", where, problems)
    co2 = _property(spec.co2_factor, f"t/({unit})", "co2_factor", where, problems)
    density = _property(spec.density, f"t/({unit})", "density", where, problems)
    price, currency = _price(spec, where, problems)
    mass = 1.0 if unit == "t" else density
    if mass is None and unit == "m**3" and spec.carrier_class in WATER_CLASSES:
        mass = 1.0
    sources = {
        name: getattr(spec, name).source
        for name in ("energy_content", "co2_factor", "price", "density")
        if getattr(spec, name) is not None
    }
    return Carrier(
        id=spec.id,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        carrier_class=spec.carrier_class,
        unit=unit,
        grade=spec.grade,
        tce_per_unit=tce or 0.0,
        co2_per_unit=co2 or 0.0,
        price_per_unit=price,
        price_currency=currency,
        price_year=spec.price.year if spec.price else None,
        t_per_unit=mass,
        sources=sources,
    )


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read every ``*.yaml`` in the carrier catalogue folder (``flows/`` by default)."""
    folder = directory or paths.flows_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ParkFlowError.single(folder, "", "no carrier files (*.yaml) found", "reinstall")
    carriers: list[Carrier] = []
    seen: dict[str, Path] = {}
    for file in files:
        data = read_yaml(file)
        parsed = validate(CatalogueFile, data, file)
        problems = ProblemList(file)
        for i, spec in enumerate(parsed.carriers):
            where = f"carriers[{i}] ({spec.id})"
            if spec.id in seen:
                problems.add(where, f"carrier id '{spec.id}' is also defined in {seen[spec.id]}",
                             "give each carrier one id, in one file")
            seen[spec.id] = file
            carriers.append(_build(spec, where, problems))
        problems.raise_if_any()
    return Catalogue(carriers)
