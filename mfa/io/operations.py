"""The simulation's data in a park file: ``profiles:`` and each enterprise's ``operation:``
(docs/simulation.md), validated with every problem at its place in the file.

Availability, MTBF and MTTR become rows of the ParameterTable (``<enterprise>.availability``,
``.mtbf``, ``.mttr``), so Monte Carlo studies sample them like any coefficient.
"""

from __future__ import annotations

import calendar

from ..errors import ProblemList
from ..model.operation import DEFAULT_MTTR, Operation, Profile, Window
from .convert import Converter, Key
from .limits import shown
from .specs import EnterpriseSpec, OperationSpec, ProfileSpec, WindowSpec

LEAP_YEAR = 2000  # a window may name 02-29; years without one skip it


def build_profiles(specs: list[ProfileSpec], problems: ProblemList) -> dict[str, Profile]:
    """The park's seasonal profiles by id."""
    profiles: dict[str, Profile] = {}
    for i, spec in enumerate(specs):
        where = f"profiles[{i}] ({spec.id})"
        if spec.id in profiles:
            problems.add(f"{where}.id", f"profile id '{spec.id}' is used twice",
                         "give every profile its own id")
        if (spec.monthly is None) == (spec.season is None):
            problems.add(where, "a profile needs exactly one of 'monthly' or 'season'",
                         "give 12 monthly factors, or a season {from: 'MM-DD', to: 'MM-DD'}")
            continue
        if spec.monthly is not None and not _monthly_ok(spec.monthly, where, problems):
            continue
        season = _window(spec.season, f"{where}.season", problems) if spec.season else None
        profiles[spec.id] = Profile(spec.id, tuple(spec.monthly) if spec.monthly else None,
                                    season, spec.source)
    return profiles


def _monthly_ok(factors: list[float], where: str, problems: ProblemList) -> bool:
    if len(factors) != 12:
        problems.add(f"{where}.monthly", f"{len(factors)} monthly factors do not cover the "
                     "year", "give 12 factors, January to December (0 for a month off)")
        return False
    if min(factors) < 0 or max(factors) <= 0:
        problems.add(f"{where}.monthly", "monthly factors must be ≥ 0 and not all 0",
                     "give relative activity per month, e.g. 0.5 for half the average")
        return False
    return True


def _window(spec: WindowSpec, where: str, problems: ProblemList) -> Window | None:
    days = []
    for text, name in ((spec.start, "from"), (spec.end, "to")):
        month, day = (int(part) for part in text.split("-"))
        if day > calendar.monthrange(LEAP_YEAR, month)[1]:
            problems.add(f"{where}.{name}", f"'{text}' is not a day of the year",
                         "write a real date as MM-DD, e.g. '10-15'")
            return None
        days.append((month, day))
    return Window(days[0], days[1])


def build_operations(specs: list[EnterpriseSpec], profiles: dict[str, Profile],
                     convert: Converter) -> dict[str, Operation]:
    """Each enterprise's operation (those without one run all year, never fail)."""
    operations = {}
    for i, ent in enumerate(specs):
        if ent.operation is not None:
            where = f"enterprises[{i}] ({ent.id}).operation"
            operation = _operation(ent.id, ent.operation, where, profiles, convert)
            if operation is not None:
                operations[ent.id] = operation
    return operations


def _operation(ent_id: str, spec: OperationSpec, where: str, profiles: dict[str, Profile],
               convert: Converter) -> Operation | None:
    problems = convert.problems
    if spec.profile is not None and spec.profile not in profiles:
        known = ", ".join(profiles) or "none: add a 'profiles:' section"
        problems.add(f"{where}.profile", f"unknown profile '{shown(spec.profile)}'",
                     f"use a profile id of the park's 'profiles:' ({known})")
    if spec.availability is not None and spec.mtbf is not None:
        problems.add(where, "both 'availability' and 'mtbf' are given",
                     "give the availability, or MTBF and MTTR (availability = MTBF/(MTBF+MTTR))")
        return None
    values = {name: _value(ent_id, name, getattr(spec, name), where, spec.source, convert)
              for name in ("availability", "mtbf", "mttr")}
    mttr = values["mttr"] if values["mttr"] is not None else DEFAULT_MTTR
    availability = values["availability"]
    mtbf = values["mtbf"]
    if availability is not None:
        mtbf = None if availability >= 1 else mttr * availability / (1 - availability)
    windows = [_window(w, f"{where}.maintenance[{k}]", problems)
               for k, w in enumerate(spec.maintenance)]
    return Operation(mtbf=mtbf, mttr=mttr, profile=spec.profile,
                     maintenance=tuple(w for w in windows if w is not None), source=spec.source)


def _value(ent_id: str, name: str, raw: object, where: str, source: str,
           convert: Converter) -> float | None:
    unit = "dimensionless" if name == "availability" else "day"
    key = Key(f"{ent_id}.{name}", ent_id, "enterprise", name)
    return convert.value(raw, unit, f"{where}.{name}", key=key,  # type: ignore[arg-type]
                         source=source, field=f"operation.{name}")
