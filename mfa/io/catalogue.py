"""Reading the carrier catalogue: ``flows/*.yaml`` → :class:`~mfa.model.carriers.Catalogue`.

Each file is validated (pydantic), every property converted once to a float per canonical unit,
and duplicate ids across files are rejected. A park's own ``carriers:`` go through the same
conversion (:func:`with_local_carriers`) into a new catalogue for that park. The parsed
catalogue is kept per process, keyed on the folder and the files' modification times, so
loading many parks parses it once (and is never changed by a park).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParkFlowError, ProblemList
from ..model.carriers import WATER_CLASSES, Carrier, Catalogue
from ..units import CURRENCIES, UnitProblem, to_canonical
from .convert import text_of
from .limits import shown
from .pydantic_errors import validate
from .specs import CarrierSpec, CatalogueFile, PropertySpec
from .yamlio import read_yaml


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
        problems.add(f"{where}.{name}", f"value {shown(spec.value)} lies outside "
                     f"{text_of(spec.low)} … {text_of(spec.high)}",
                     "correct the range so that it contains the value")
    return value


def _money(spec: CarrierSpec, name: str, where: str,
           problems: ProblemList) -> tuple[float | None, str | None]:
    """A money property (``price``, ``disposal_fee``) per canonical unit, and its currency.

    The value, low and high are in one of :data:`~mfa.units.CURRENCIES` per the carrier's
    unit, all in the same currency, ≥ 0 and low ≤ value ≤ high."""
    prop = getattr(spec, name)
    if prop is None:
        return None, None
    amount, code = _per_unit(prop.value, spec.unit)
    if amount is None or code is None:
        problems.add(f"{where}.{name}.value",
                     f"'{shown(prop.value)}' is not an amount per {spec.unit} in CNY, DKK, "
                     "USD or EUR", f"write e.g. '500 元/{spec.unit}'")
        return None, None
    bounds = []
    for bound in ("low", "high"):
        text = getattr(prop, bound)
        value = None if text is None else _per_unit(text, spec.unit, code)[0]
        if text is not None and value is None:
            problems.add(f"{where}.{name}.{bound}",
                         f"'{shown(text)}' is not an amount per {spec.unit} in {code}",
                         f"give it in the value's currency and unit, e.g. '100 "
                         f"{CURRENCIES[code]}/{spec.unit}'")
            return None, None
        bounds.append(value)
    low = -math.inf if bounds[0] is None else bounds[0]
    high = math.inf if bounds[1] is None else bounds[1]
    if amount < 0 or not low <= amount <= high:
        problems.add(f"{where}.{name}",
                     f"amount {shown(prop.value)} is negative or lies outside "
                     f"{text_of(prop.low)} … {text_of(prop.high)}",
                     "give an amount ≥ 0 within low … high (a fee is a cost, never a gain)")
    return amount, code


def _per_unit(text: str | float, unit: str,
              code: str | None = None) -> tuple[float | None, str | None]:
    """``text`` as an amount per ``unit`` of a carrier in the first currency (or ``code``)
    that fits, else ``(None, None)``."""
    for found, money in CURRENCIES.items():
        if code is not None and found != code:
            continue
        try:
            return to_canonical(text, f"{money}/({unit})"), found
        except UnitProblem:
            continue
    return None, None


def _build(spec: CarrierSpec, where: str, problems: ProblemList) -> Carrier:
    unit = spec.unit
    tce = _property(spec.energy_content, f"tce/({unit})", "energy_content", where, problems)
    co2 = _property(spec.co2_factor, f"t/({unit})", "co2_factor", where, problems)
    density = _property(spec.density, f"t/({unit})", "density", where, problems)
    price, currency = _money(spec, "price", where, problems)
    fee, fee_currency = _money(spec, "disposal_fee", where, problems)
    mass = 1.0 if unit == "t" else density
    if mass is None and unit == "m**3" and spec.carrier_class in WATER_CLASSES:
        mass = 1.0
    sources = {
        name: getattr(spec, name).source
        for name in ("energy_content", "co2_factor", "price", "disposal_fee", "density",
                     "concentrate_equivalent", "energy_equivalent", "energy_media")
        if getattr(spec, name) is not None
    }
    sources |= {f"indirect_co2.{region}": p.source for region, p in spec.indirect_co2.items()}
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
        disposal_fee_per_unit=fee,
        disposal_fee_currency=fee_currency,
        disposal_fee_year=spec.disposal_fee.year if spec.disposal_fee else None,
        t_per_unit=mass,
        sources=sources,
        **_bases(spec, where, problems),
    )


def _bases(spec: CarrierSpec, where: str, problems: ProblemList) -> dict[str, Any]:
    """The properties the statistical bases read (docs/indicators.md, "Bases")."""
    unit = spec.unit
    indirect = {region: _property(p, f"t/({unit})", f"indirect_co2.{region}", where, problems)
                for region, p in spec.indirect_co2.items()}
    fields: dict[str, Any] = {
        "concentrate_factor": _property(spec.concentrate_equivalent, "t/t",
                                        "concentrate_equivalent", where, problems),
        "tce_equivalent": _property(spec.energy_equivalent, f"tce/({unit})",
                                    "energy_equivalent", where, problems),
        "tce_media": _property(spec.energy_media, f"tce/({unit})", "energy_media", where,
                               problems) or 0.0,
        "indirect_co2": {r: v for r, v in indirect.items() if v is not None},
        "pollutant": spec.pollutant,
        "non_conventional_water": spec.non_conventional_water,
        "waste_energy": spec.waste_energy or "heat",
    }
    if spec.resource_lists is not None:
        fields["resource_lists"] = frozenset(spec.resource_lists)
    if spec.concentrate_equivalent is not None and unit != "t":
        problems.add(f"{where}.concentrate_equivalent", "only a carrier measured in t has one",
                     "remove it, or give the carrier unit t")
    return fields


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read every ``*.yaml`` in the carrier catalogue folder (``flows/`` by default).

    Parsed once per process for each folder and set of file modification times; an edited
    file is read again.
    """
    folder = (directory or paths.flows_dir()).resolve()
    files = tuple(sorted(folder.glob("*.yaml")))
    if not files:
        raise ParkFlowError.single(folder, "", "no carrier files (*.yaml) found", "reinstall")
    stamp = tuple((file.name, file.stat().st_mtime_ns) for file in files)
    cached = _CACHE.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    catalogue = _read(files)
    _CACHE[folder] = (stamp, catalogue)
    return catalogue


_CACHE: dict[Path, tuple[tuple[tuple[str, int], ...], Catalogue]] = {}


def _read(files: tuple[Path, ...]) -> Catalogue:
    carriers: list[Carrier] = []
    seen: dict[str, Path] = {}
    for file in files:
        data = read_yaml(file)
        parsed = validate(CatalogueFile, data, file)
        problems = ProblemList(file)
        for i, spec in enumerate(parsed.carriers):
            if spec.id in seen:
                problems.add(carrier_location(i, spec),
                             f"carrier id '{spec.id}' is also defined in {seen[spec.id]}",
                             "give each carrier one id, in one file")
            seen[spec.id] = file
        carriers += build_carriers(parsed.carriers, problems)
        problems.raise_if_any()
    return Catalogue(carriers)


def carrier_location(i: int, spec: CarrierSpec) -> str:
    """Where carrier ``i`` of a ``carriers:`` list is in messages: ``carriers[2] (slag)``."""
    return f"carriers[{i}] ({spec.id})"


def build_carriers(specs: Sequence[CarrierSpec], problems: ProblemList) -> list[Carrier]:
    """Each entry of a ``carriers:`` list (of a catalogue file or a park file) converted to a
    :class:`Carrier`, every unreadable or out-of-range property recorded in ``problems``."""
    return [_build(spec, carrier_location(i, spec), problems) for i, spec in enumerate(specs)]


def with_local_carriers(catalogue: Catalogue, specs: Sequence[CarrierSpec], park_id: str,
                        problems: ProblemList) -> Catalogue:
    """A new catalogue: ``catalogue`` (left unchanged) plus a park's own ``carriers:``, marked
    local. An id the catalogue (or an earlier local carrier) already has is a problem."""
    if not specs:
        return catalogue
    prefix = re.sub(r"[^a-z0-9_]", "_", park_id.lower())
    seen: set[str] = set()
    fresh = []
    for i, spec in enumerate(specs):
        if spec.id in catalogue:
            problems.add(carrier_location(i, spec),
                         f"carrier id '{spec.id}' is already in the carrier catalogue",
                         f"rename it, e.g. '{prefix}_{spec.id}', or use the catalogue's carrier")
        elif spec.id in seen:
            problems.add(carrier_location(i, spec),
                         f"carrier id '{spec.id}' is declared twice in this park file",
                         "give each local carrier its own id")
        fresh.append(spec.id not in catalogue and spec.id not in seen)
        seen.add(spec.id)
    built = build_carriers(specs, problems)
    local = [carrier for carrier, ok in zip(built, fresh, strict=True) if ok]
    return Catalogue([*catalogue.carriers, *local],
                     local=catalogue.local | {c.id for c in local})
