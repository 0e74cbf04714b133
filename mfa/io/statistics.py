"""Reading what a park file declares for its statistics: the ``statistics:`` bases, the
industrial land area, each enterprise's 余热余压资源量 and 原料用能 carriers.

The formats are in ``docs/park-format.md`` ("Statistics"); what the indicators do with them is
in ``docs/indicators.md``.
"""

from __future__ import annotations

from ..model.park import Enterprise
from ..model.statistics import Basis, HeatResource, ParkStatistics
from ..units import pretty
from .convert import Converter
from .specs import EnterpriseSpec, ParkFile, Sourced, SourcedOrPlain, WasteHeatResourceSpec


def park_statistics(spec: ParkFile, convert: Converter, enterprises: list[Enterprise]
                    ) -> ParkStatistics:
    """The park's statistics declarations, converted and checked (problems recorded)."""
    basis = _basis(spec, convert)
    land = convert.value(spec.park.industrial_land, "hm**2", "park.industrial_land",
                         field="industrial_land")
    raw_land = spec.park.industrial_land
    land_source = raw_land.source if isinstance(raw_land, Sourced) else ""
    heat = {}
    feedstock = {}
    for i, (ent, built) in enumerate(zip(spec.enterprises, enterprises, strict=True)):
        where = f"enterprises[{i}] ({ent.id})"
        if ent.waste_heat_resource is not None:
            heat[ent.id] = _heat(ent, ent.waste_heat_resource, convert, where)
        if ent.feedstock:
            feedstock[ent.id] = _feedstock(ent, built, convert, where)
    given = {"value_added": any(e.value_added is not None for e in spec.enterprises),
             "water_recirculation": any(e.water_recirculation is not None
                                        for e in spec.enterprises),
             "industrial_land": land is not None, "waste_heat_resource": bool(heat)}
    declared = {name for name, present in given.items() if present}
    return ParkStatistics(basis=basis, industrial_land=land, land_source=land_source,
                          heat_resources=heat, feedstock=feedstock,
                          declared=frozenset(declared))


def _basis(spec: ParkFile, convert: Converter) -> Basis:
    chosen = {k: v for k, v in spec.statistics.model_dump().items() if v is not None}
    grid = chosen.get("grid")
    regions = grid_regions(convert)
    if grid is not None and grid not in regions:
        convert.problems.add("statistics.grid", f"no carrier has an indirect CO₂ factor for "
                             f"region '{grid}'", f"use one of {', '.join(sorted(regions)) or '–'}"
                             f", or add indirect_co2.{grid} to the electricity carrier")
        chosen.pop("grid")
    return Basis().with_pairs(chosen)


def grid_regions(convert: Converter) -> set[str]:
    """The regions any carrier of the catalogue gives an indirect CO₂ factor for."""
    return {r for c in convert.catalogue.carriers for r in c.indirect_co2}


def _heat(ent: EnterpriseSpec, spec: WasteHeatResourceSpec, convert: Converter,
          where: str) -> HeatResource:
    ref_unit = convert.carrier_unit(ent.activity.carrier) if (
        ent.activity.carrier in convert.catalogue) else "t"
    values = {}
    for part in ("heat", "pressure"):
        raw = getattr(spec, part)
        value = convert.value(raw, f"GJ/({ref_unit})", f"{where}.waste_heat_resource.{part}",
                              field="waste_heat_resource")
        values[part] = value or 0.0
    if spec.heat is None and spec.pressure is None:
        convert.problems.add(f"{where}.waste_heat_resource",
                             "declares neither heat nor pressure",
                             "give heat and/or pressure per unit of activity, "
                             "e.g. 'heat: 2.1 GJ/t'")
    return HeatResource(values["heat"], values["pressure"], spec.reference_temperature,
                        spec.source)


def _feedstock(spec: EnterpriseSpec, ent: Enterprise, convert: Converter, where: str
               ) -> dict[str, float]:
    """Carrier → the share of the enterprise's intake of it that is feedstock (原料用能)."""
    declared: dict[str, SourcedOrPlain | None] = (
        dict(spec.feedstock) if isinstance(spec.feedstock, dict)
        else dict.fromkeys(spec.feedstock))
    shares = {}
    for carrier, part in declared.items():
        at = f"{where}.feedstock.{carrier}"
        if not convert.known_carrier(carrier, at):
            continue
        if convert.catalogue[carrier].tce_per_unit <= 0:
            convert.problems.add(at, f"'{carrier}' has no energy content, so it is no 原料用能",
                                 "list only energy carriers used as raw material")
            continue
        share = _share(ent, carrier, part, convert, at)
        if share is not None:
            shares[carrier] = share
    return shares


def _share(ent: Enterprise, carrier: str, part: SourcedOrPlain | None, convert: Converter,
           at: str) -> float | None:
    intake = _intake(ent, carrier, convert, at)
    if intake is None:
        return None
    if part is None:
        return 1.0
    unit = f"{convert.carrier_unit(carrier)}/({convert.carrier_unit(ent.reference)})"
    water = convert.catalogue[carrier].is_water
    value = convert.value(part, unit, at, water=water, field="rates")
    if value is None:
        return None
    share = abs(value) / intake
    if not 0 < share <= 1 + 1e-9:
        convert.problems.add(at, f"{abs(value):g} {pretty(unit)} of feedstock is not within "
                             f"the enterprise's intake of {intake:g} {pretty(unit)}",
                             "give the part of the intake used as raw material")
        return None
    return min(share, 1.0)


def _intake(ent: Enterprise, carrier: str, convert: Converter, at: str) -> float | None:
    """What the enterprise takes in of ``carrier`` per unit of activity (its rate, > 0)."""
    rate = ent.rates.get(carrier)
    if rate is None:
        convert.problems.add(at, f"'{carrier}' is not among the enterprise's rates",
                             "list only carriers the enterprise consumes")
        return None
    if rate >= 0:
        convert.problems.add(at, f"'{carrier}' is an output of the enterprise, not an intake",
                             "list only carriers the enterprise consumes")
        return None
    return -rate
