"""Carriers: what each one is, its official class, canonical unit and properties.

Plain data, built by :mod:`mfa.io.catalogue` from ``flows/*.yaml``. Indicators read the
``carrier_class`` of a carrier, never its id, so a new slag or a new fuel needs no code change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


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
    RECIRCULATED_WATER = "recirculated_water"  # 循环水: recirculated inside one enterprise
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
    {CarrierClass.FRESH_WATER, CarrierClass.WASTEWATER, CarrierClass.RECLAIMED_WATER,
     CarrierClass.RECIRCULATED_WATER}
)
DIMENSIONS = {"t": "mass", "GJ": "energy", "MWh": "energy", "m**3": "volume"}


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
    disposal_fee_per_unit, disposal_fee_currency, disposal_fee_year
        Cost of storing or landfilling (wastewater: treating and discharging) one unit of a
        waste, tax included, when the catalogue gives one; ``sources["disposal_fee"]``.
    t_per_unit
        Mass per canonical unit (1 for t; 1 for water in m³; density for gases).
    resource_lists, concentrate_factor, tce_equivalent, tce_media, indirect_co2
        What the statistical bases read: the lists of 主要资源 that name the carrier, its
        concentrate equivalent, 等价值, 耗能工质 energy and indirect CO₂ factor per region.
    pollutant, non_conventional_water
        The pollutant an emission carrier is; whether a water is a 非常规水源.
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
    disposal_fee_per_unit: float | None = None
    disposal_fee_currency: str | None = None
    disposal_fee_year: int | None = None
    t_per_unit: float | None = None
    sources: dict[str, str] = field(default_factory=dict)
    # Statistical bases (docs/indicators.md, "Bases"); see CarrierSpec for the file fields.
    resource_lists: frozenset[str] = frozenset({"2007", "2017"})
    concentrate_factor: float | None = None  # t concentrate-equivalent per t run-of-mine
    tce_equivalent: float | None = None  # 等价值, tce per unit
    tce_media: float = 0.0  # 耗能工质 energy, tce per unit
    indirect_co2: dict[str, float] = field(default_factory=dict)  # region → t CO₂ per unit
    pollutant: str | None = None
    non_conventional_water: bool = False
    waste_energy: str = "heat"  # waste_heat_pressure carriers: "heat" or "pressure" (余压)

    @property
    def dimension(self) -> str:
        """``mass``, ``energy`` or ``volume``: what the canonical unit measures."""
        return DIMENSIONS[self.unit]

    @property
    def is_water(self) -> bool:
        """Whether the carrier is water (m³ and t convert at 1 t/m³)."""
        return self.carrier_class in WATER_CLASSES


class Catalogue:
    """All carriers by id, in a stable order (the column order of rate matrices).

    ``local`` holds the ids a park file declared itself (its ``carriers:`` section); a park's
    catalogue is a new object, the built-in one is never changed.
    """

    def __init__(self, carriers: list[Carrier], local: Iterable[str] = ()) -> None:
        self.carriers = carriers
        self.local = frozenset(local)
        self.by_id = {c.id: c for c in carriers}
        self.index = {c.id: i for i, c in enumerate(carriers)}

    def __len__(self) -> int:
        return len(self.carriers)

    def __contains__(self, carrier_id: object) -> bool:
        return carrier_id in self.by_id

    def __getitem__(self, carrier_id: str) -> Carrier:
        return self.by_id[carrier_id]

    def of_class(self, klass: CarrierClass) -> list[Carrier]:
        """The carriers of one class, in catalogue order."""
        return [c for c in self.carriers if c.carrier_class == klass]

    def to_frame(self) -> pd.DataFrame:
        """The catalogue as a table, one row per carrier."""
        import pandas as pd  # only tables need pandas; loading a park does not

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
                "disposal_fee_per_unit": c.disposal_fee_per_unit,
                "disposal_fee_currency": c.disposal_fee_currency,
                "disposal_fee_year": c.disposal_fee_year,
                "non_conventional_water": c.non_conventional_water,
            }
            for c in self.carriers
        ]
        return pd.DataFrame(rows).set_index("id")
