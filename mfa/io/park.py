"""Park files → validated :class:`~mfa.model.park.Park`: references, units, bounds, mass balance.

Every problem found is collected and raised together, each with file, location, problem and
fix. Units are converted here, once, to plain floats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParkFlowError, ProblemList
from ..model.carriers import Catalogue
from ..model.indicator_defs import INDICATORS
from ..model.parameters import ParameterTable
from ..model.park import BoundaryNode, Enterprise, Park, ParkMeta, Target
from ..units import CURRENCIES, UnitProblem, to_canonical
from .catalogue import load_catalogue, with_local_carriers
from .convert import Converter, Key
from .limits import ENV_PREFIX, FIELD_RANGES, RESERVED_IDS, Limits, current, shown
from .links import build_links
from .operations import build_operations, build_profiles
from .pydantic_errors import validate
from .routing import resolve_routes
from .specs import BoundarySpec, EnterpriseSpec, ParkFile, TargetSpec
from .statistics import park_statistics
from .yamlio import read_yaml

IMPLICIT_NODES = {
    "market": BoundaryNode("market", "market", "市场", "Market (purchases and sales)"),
    "environment": BoundaryNode("environment", "environment", "环境", "Environment"),
}


def load_park(name_or_path: str | Path, catalogue: Catalogue | None = None,
              limits: Limits | None = None) -> Park:
    """Load and validate a park by built-in name (``"jinchang"``) or file path, within
    ``limits`` (default: those in force, see ``docs/limits.md``).

    Raises
    ------
    ParkFlowError
        Listing every problem with its location and a fix.
    """
    path = paths.resolve_park(name_or_path)
    if not path.exists() and path == Path(name_or_path) and not path.suffix:
        names = ", ".join(paths.builtin_parks())
        raise ParkFlowError.single(path, "", "is neither a park file nor a built-in park",
                                   f"give a path to a .yaml file, or one of: {names}")
    limits = limits or current()
    data = read_yaml(path, limits)
    check_counts(data, path, limits)
    return park_from_dict(data, catalogue, source=path)


def park_from_dict(
    data: dict[str, Any], catalogue: Catalogue | None = None, source: str | Path = "<park>"
) -> Park:
    """Build a park from already-parsed data (a YAML mapping); see :func:`load_park`.

    The park's catalogue is ``catalogue`` (default: the built-in one) plus the carriers the
    park declares in its ``carriers:`` section, as a new object: ``catalogue`` is not changed.

    The counts of enterprises and links are not limited here: a program that builds a
    100,000-enterprise study holds it already (files are limited by :func:`load_park`).
    """
    spec = validate(ParkFile, data, source)
    problems = ProblemList(source)
    catalogue = with_local_carriers(catalogue or load_catalogue(), spec.carriers, spec.park.id,
                                    problems)
    convert = Converter(catalogue, problems)
    meta = _meta(spec)
    enterprises = [_enterprise(e, i, convert, meta) for i, e in enumerate(spec.enterprises)]
    boundary = _boundary(spec.boundary, convert)
    _unique_ids(spec, problems)
    problems.raise_if_any()  # links need enterprises and nodes that are sound
    links = build_links(spec.links, enterprises, boundary, convert)
    targets = [_target(t, i, problems) for i, t in enumerate(spec.targets)]
    profiles = build_profiles(spec.profiles, problems)
    operations = build_operations(spec.enterprises, profiles, convert)
    statistics = park_statistics(spec, convert, enterprises)
    problems.raise_if_any()
    sink_for, source_for = resolve_routes(spec.boundary, enterprises, links, boundary, convert)
    problems.raise_if_any()
    return Park(
        meta=meta,
        catalogue=catalogue,
        enterprises=enterprises,
        links=links,
        boundary=boundary,
        targets=[t for t in targets if t is not None],
        sink_for=sink_for,
        source_for=source_for,
        path=Path(source) if isinstance(source, Path) else None,
        warnings=_energy_warnings(enterprises, catalogue),
        parameter_table=ParameterTable(tuple(convert.parameters)),
        statistics=statistics,
        operations=operations,
        profiles=profiles,
    )


def check_counts(data: dict[str, Any], source: str | Path, limits: Limits) -> None:
    """Refuse lists beyond ``limits`` before validating their entries one by one."""
    problems = ProblemList(source)
    for section in ("enterprises", "links", "boundary", "targets", "carriers"):
        entries = data.get(section)
        most: int = getattr(limits, section)
        if isinstance(entries, list) and len(entries) > most:
            problems.add(section, f"{len(entries):,} entries, above the limit of {most:,}",
                         f"split the park, or raise the limit with "
                         f"{ENV_PREFIX}{section.upper()}={len(entries)}")
    problems.raise_if_any()


def _meta(spec: ParkFile) -> ParkMeta:
    m = spec.park
    return ParkMeta(
        id=m.id,
        name_zh=m.name_zh,
        name_en=m.name_en,
        province=m.province,
        base_year=m.base_year,
        currency=m.currency,
        price_base_year=m.price_base_year,
        description=m.description,
        sources=tuple(m.sources),
        mass_tolerance=m.mass_tolerance,
        allocation=m.allocation,
    )


def _key(element: str, field: str, carrier: str = "", year: int | None = None,
         suffix: str = "") -> Key:
    """The ParameterTable key of an enterprise's value, e.g. ``smelter.rates.coal``."""
    return Key(f"{element}.{field}{suffix}", element, "enterprise", field, carrier, year)


def _enterprise(spec: EnterpriseSpec, i: int, convert: Converter, meta: ParkMeta) -> Enterprise:
    where = f"enterprises[{i}] ({spec.id})"
    problems = convert.problems
    ref = spec.activity.carrier
    if not convert.known_carrier(ref, f"{where}.activity.carrier"):
        return _placeholder(spec)
    flow_unit = f"{convert.carrier_unit(ref)}/a"
    water = convert.catalogue[ref].is_water
    source = spec.activity.source
    capacity = convert.value(spec.activity.capacity, flow_unit, f"{where}.activity.capacity",
                             water=water, key=_key(spec.id, "capacity"), source=source,
                             field="activity.capacity")
    levels = _levels(spec, convert, where, flow_unit, water)
    _check_levels(levels, capacity, where, flow_unit, meta, problems)
    known = len(problems.items)
    rates = _rates(spec, convert, where)
    rates_ok = len(problems.items) == known
    ref_unit = convert.carrier_unit(ref)
    currency = CURRENCIES[meta.currency]
    value_added = convert.value(spec.value_added, f"{currency}/{ref_unit}",
                                f"{where}.value_added", key=_key(spec.id, "value_added"),
                                field="value_added")
    recirculation = convert.value(spec.water_recirculation, f"m**3/{ref_unit}",
                                  f"{where}.water_recirculation", water=True,
                                  key=_key(spec.id, "water_recirculation"),
                                  field="water_recirculation")
    ent = Enterprise(
        id=spec.id, name_zh=spec.name_zh, name_en=spec.name_en, sector=spec.sector,
        reference=ref, capacity=capacity or 0.0, levels=levels, rates=rates,
        value_added=value_added or 0.0, water_recirculation=recirculation or 0.0,
    )
    if rates_ok:  # a rate that could not be read would make the mass balance look wrong
        _check_mass(ent, convert, where, meta.mass_tolerance)
    return ent


def _placeholder(spec: EnterpriseSpec) -> Enterprise:
    return Enterprise(spec.id, spec.name_zh, spec.name_en, spec.sector, spec.activity.carrier,
                      0.0, {}, {})


def _level_label(where: str, year: int) -> str:
    """``….activity.level.2018`` for a level by year; year 0 stands for a single level."""
    return f"{where}.activity.level" + (f".{year}" if year else "")


def _levels(
    spec: EnterpriseSpec, convert: Converter, where: str, unit: str, water: bool
) -> dict[int, float]:
    raw = spec.activity.level
    if isinstance(raw, dict) and not raw:
        convert.problems.add(f"{where}.activity.level", "no level given (an empty mapping)",
                             "give a level such as '100 kt/a', or levels by year such as "
                             "{2016: '100 kt/a'}")
    items = raw.items() if isinstance(raw, dict) else [(0, raw)]
    levels: dict[int, float] = {}
    for year, text in items:
        key = _key(spec.id, "level", year=year or None, suffix=f".{year}" if year else "")
        value = convert.value(text, unit, _level_label(where, year), water=water, key=key,
                              source=spec.activity.source, field="activity.level")
        if value is not None:
            levels[year] = value
    return levels


def _check_levels(
    levels: dict[int, float], capacity: float | None, where: str, unit: str, meta: ParkMeta,
    problems: ProblemList,
) -> None:
    if capacity is not None and capacity < 0:
        problems.add(f"{where}.activity.capacity", f"capacity is negative ({capacity:g} {unit})",
                     "give the capacity as a positive quantity, e.g. '150 kt/a'")
    if levels and min(levels) > meta.base_year:
        problems.add(f"{where}.activity.level",
                     f"levels start in {min(levels)}, after the base year {meta.base_year}",
                     f"add a level for {meta.base_year} (0 if the enterprise did not exist yet)")
    for year, level in levels.items():
        when = f" in {year}" if year else ""
        if level < 0:
            problems.add(_level_label(where, year), f"level is negative ({level:g} {unit})",
                         "give a level ≥ 0")
        elif capacity is not None and capacity >= 0 and level > capacity * (1 + 1e-9):
            problems.add(_level_label(where, year),
                         f"level {level:g} {unit}{when} exceeds the capacity {capacity:g} {unit}",
                         "raise the capacity or lower the level")


def _rates(spec: EnterpriseSpec, convert: Converter, where: str) -> dict[str, float]:
    ref = spec.activity.carrier
    ref_unit = convert.carrier_unit(ref)
    rates: dict[str, float] = {ref: 1.0}
    for carrier, raw in spec.rates.items():
        label = f"{where}.rates.{carrier}"
        if not convert.known_carrier(carrier, label):
            continue
        water = convert.catalogue[carrier].is_water or convert.catalogue[ref].is_water
        unit = f"{convert.carrier_unit(carrier)}/{ref_unit}"  # single-token units
        key = None if carrier == ref else _key(spec.id, "rates", carrier, suffix=f".{carrier}")
        value = convert.value(raw, unit, label, water=water, key=key, field="rates")
        if value is None:
            continue
        if carrier == ref and abs(abs(value) - 1.0) > 1e-9:
            convert.problems.add(label, f"the reference carrier's rate must be +1 or -1, got "
                                 f"{value:g}", "remove it (it defaults to +1) or write '-1 t/t'")
        rates[carrier] = value
    return rates


def _check_mass(ent: Enterprise, convert: Converter, where: str, tolerance: float) -> None:
    """Flag a process whose mass outputs exceed its mass inputs: mass from nothing."""
    produced = consumed = 0.0
    for carrier, rate in ent.rates.items():
        per_unit = convert.catalogue[carrier].t_per_unit
        if per_unit is None:
            continue  # energy carriers have no mass
        if rate > 0:
            produced += rate * per_unit
        else:
            consumed -= rate * per_unit
    if produced > consumed + tolerance * max(produced, consumed):
        convert.problems.add(
            f"{where}.rates",
            f"outputs weigh {produced:.4g} t but inputs only {consumed:.4g} t per unit of "
            f"activity: the process creates mass from nothing",
            "add the missing inputs (e.g. 'air' or 'oxygen' for oxidation, water) or correct "
            "the output rates",
        )


def _boundary(specs: list[BoundarySpec], convert: Converter) -> dict[str, BoundaryNode]:
    nodes = dict(IMPLICIT_NODES)
    for i, spec in enumerate(specs):
        where = f"boundary[{i}] ({spec.id})"
        opening, capacity = 0.0, float("inf")
        if spec.carrier and convert.known_carrier(spec.carrier, f"{where}.carrier"):
            unit = convert.carrier_unit(spec.carrier)
            water = convert.catalogue[spec.carrier].is_water
            pile = spec.kind == "stockpile"
            opening = convert.value(
                spec.opening_stock, unit, f"{where}.opening_stock", water=water,
                key=_pile_key(spec.id, "opening_stock", spec.carrier) if pile else None,
                field="boundary.opening_stock") or 0.0
            if spec.capacity is not None:
                capacity = convert.value(
                    spec.capacity, unit, f"{where}.capacity", water=water,
                    key=_pile_key(spec.id, "capacity", spec.carrier) if pile else None,
                    field="boundary.capacity") or float("inf")
            if opening < 0 or capacity < 0:
                convert.problems.add(where, "opening stock and capacity must be ≥ 0",
                                     "give positive quantities")
            elif opening > capacity:
                convert.problems.add(f"{where}.opening_stock",
                                     f"opening stock {opening:g} exceeds capacity {capacity:g}",
                                     "raise the capacity or correct the stock")
        nodes[spec.id] = BoundaryNode(spec.id, spec.kind, spec.name_zh, spec.name_en,
                                      spec.carrier, opening, capacity, spec.overflow)
    _check_overflows(specs, nodes, convert.problems)
    return nodes


def _check_overflows(specs: list[BoundarySpec], nodes: dict[str, BoundaryNode],
                     problems: ProblemList) -> None:
    """A stockpile's ``overflow`` names a disposal node of the park."""
    disposals = [node.id for node in nodes.values() if node.kind == "disposal"]
    for i, spec in enumerate(specs):
        if spec.overflow is None:
            continue
        target = nodes.get(spec.overflow)
        if target is None or target.kind != "disposal":
            what = f"a {target.kind} node" if target else "not a node of the park"
            problems.add(f"boundary[{i}] ({spec.id}).overflow",
                         f"'{shown(spec.overflow)}' is {what}; a full stockpile overflows to "
                         "disposal", f"name a disposal node: {', '.join(disposals) or 'add one'}")
        elif spec.capacity is None:
            problems.add(f"boundary[{i}] ({spec.id}).overflow",
                         "an overflow without a capacity never runs",
                         "give the stockpile a 'capacity', or remove 'overflow'")


def _pile_key(node: str, field: str, carrier: str) -> Key:
    return Key(f"{node}.{field}", node, "stockpile", field, carrier)


def _unique_ids(spec: ParkFile, problems: ProblemList) -> None:
    seen: set[str] = set()
    for i, ent in enumerate(spec.enterprises):
        if ent.id in seen or ent.id in IMPLICIT_NODES:
            problems.add(f"enterprises[{i}].id", f"id '{ent.id}' is used twice or reserved",
                         "give every enterprise and boundary node its own id")
        seen.add(ent.id)
    for i, node in enumerate(spec.boundary):
        reserved = RESERVED_IDS.get(node.id)
        if reserved is not None and node.kind != reserved:
            problems.add(f"boundary[{i}] ({node.id}).kind",
                         f"'{node.id}' is a reserved id: it always names the park's {reserved} "
                         f"node and cannot be declared as a {node.kind}",
                         f"give this {node.kind} node another id (e.g. '{node.id}_{node.kind}'), "
                         f"or set 'kind: {reserved}'")
        if node.id in seen:
            problems.add(f"boundary[{i}].id", f"id '{node.id}' is already used",
                         "give every enterprise and boundary node its own id")
        seen.add(node.id)


def _target(spec: TargetSpec, i: int, problems: ProblemList) -> Target | None:
    where = f"targets[{i}]"
    if spec.indicator not in INDICATORS:
        problems.add(f"{where}.indicator", f"unknown indicator '{shown(spec.indicator)}'",
                     f"use one of: {', '.join(INDICATORS)}")
        return None
    unit = INDICATORS[spec.indicator].unit
    try:
        value = to_canonical(spec.value, "percent") if unit == "%" else float(
            to_canonical(spec.value, "dimensionless") if unit == "" else spec.value)
    except (UnitProblem, ValueError, TypeError, OverflowError):
        problems.add(f"{where}.value", f"'{shown(spec.value)}' is not a number for "
                     f"'{spec.indicator}' (unit '{unit or 'none'}')",
                     "write e.g. '73 %' or '1.057'")
        return None
    allowed = FIELD_RANGES["targets.value"]
    if not allowed.low <= value <= allowed.high:  # also refuses NaN
        problems.add(f"{where}.value", f"{shown(spec.value)} is not a usable target value",
                     f"give a finite value between {allowed.low:g} and {allowed.high:g}")
        return None
    if unit == "%" and not 0 <= value <= 100:
        problems.add(f"{where}.value", f"{value:g} % is outside 0–100 %",
                     "write a percentage such as '73 %' or a fraction such as 0.73")
        return None
    return Target(spec.indicator, spec.year, value, spec.base_year, spec.source)


def _energy_warnings(enterprises: list[Enterprise], catalogue: Catalogue) -> list[str]:
    """Enterprises whose energy outputs exceed energy inputs (tce): worth a second look."""
    notes = []
    for ent in enterprises:
        out = sum(r * catalogue[c].tce_per_unit for c, r in ent.rates.items() if r > 0)
        inp = -sum(r * catalogue[c].tce_per_unit for c, r in ent.rates.items() if r < 0)
        if out > inp * 1.001 and inp > 0:
            notes.append(
                f"{ent.id}: energy outputs {out:.4g} tce exceed energy inputs {inp:.4g} tce per "
                "unit of activity (fine for exothermic reactions such as acid making; otherwise "
                "check the rates)"
            )
    return notes
