"""Reading what a park file declares for its statistics: the ``statistics:`` bases, the
industrial land area, each enterprise's 余热余压资源量 and 原料用能 carriers.

The formats are in ``docs/park-format.md`` ("Statistics"); what the indicators do with them is
in ``docs/indicators.md``.
"""

from __future__ import annotations

from ..model.statistics import Basis, HeatResource, ParkStatistics
from .convert import Converter
from .specs import EnterpriseSpec, ParkFile, Sourced, WasteHeatResourceSpec


def park_statistics(spec: ParkFile, convert: Converter) -> ParkStatistics:
    """The park's statistics declarations, converted and checked (problems recorded)."""
    basis = _basis(spec, convert)
    land = convert.value(spec.park.industrial_land, "hm**2", "park.industrial_land",
                         field="industrial_land")
    raw_land = spec.park.industrial_land
    land_source = raw_land.source if isinstance(raw_land, Sourced) else ""
    heat = {}
    feedstock = {}
    for i, ent in enumerate(spec.enterprises):
        where = f"enterprises[{i}] ({ent.id})"
        if ent.waste_heat_resource is not None:
            heat[ent.id] = _heat(ent, ent.waste_heat_resource, convert, where)
        if ent.feedstock:
            feedstock[ent.id] = _feedstock(ent, convert, where)
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
                             ", or add indirect_co2.{grid} to the electricity carrier")
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


def _feedstock(ent: EnterpriseSpec, convert: Converter, where: str) -> tuple[str, ...]:
    used = []
    for j, carrier in enumerate(ent.feedstock):
        at = f"{where}.feedstock[{j}]"
        if not convert.known_carrier(carrier, at):
            continue
        if carrier not in ent.rates and carrier != ent.activity.carrier:
            convert.problems.add(at, f"'{carrier}' is not among the enterprise's rates",
                                 "list only carriers the enterprise consumes")
        elif convert.catalogue[carrier].tce_per_unit <= 0:
            convert.problems.add(at, f"'{carrier}' has no energy content, so it is no 原料用能",
                                 "list only energy carriers used as raw material")
        used.append(carrier)
    return tuple(used)
