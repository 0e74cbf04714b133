"""Locations of problems in a park with a plan applied, mapped back to the plan file.

A problem the park loader finds in an entry a project added (``links[57] (…).to``) is placed
in the plan (``projects[3] (copper_slag_flotation).adds.links[0].to``); one in a field a project
changed, at the change (``projects[1] (…).changes.enterprises.smelter.rates.coal``). Anything
else is in the park file itself and keeps its location, with the year and plan named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import ParkFlowError, Problem

if TYPE_CHECKING:
    from .apply import Entry
    from .plan import Plan

# ``links[12]``, optionally labelled ``links[12] (id)``, then the rest (``.to``, ``.rates.x``)
_LOCATION = re.compile(r"^(?P<section>enterprises|links|boundary|carriers)\[(?P<index>\d+)\]"
                       r"(?: \((?:[^()]|\([^()]*\))*\))?(?P<rest>.*)$", re.S)


def remap(error: ParkFlowError, sections: Mapping[str, Sequence[Entry]], plan: Plan,
          year: int) -> ParkFlowError:
    """``error`` of the merged park, each problem placed where the plan caused it."""
    problems = [_remapped(p, sections, error.source, plan, year) for p in error.problems]
    return ParkFlowError(plan.source_label, problems)


def _remapped(problem: Problem, sections: Mapping[str, Sequence[Entry]], park: str,
              plan: Plan, year: int) -> Problem:
    match = _LOCATION.match(problem.location)
    entry = None
    if match:
        entries = sections.get(match["section"], [])
        index = int(match["index"])
        entry = entries[index] if index < len(entries) else None
    if match and entry is not None and entry.origin is not None:
        return Problem(entry.origin + match["rest"], problem.message, problem.fix)
    if match and entry is not None:
        field = match["rest"].removeprefix(".")
        for changed in sorted(entry.changed, key=len, reverse=True):
            if field == changed or field.startswith(changed + "."):
                rest = field[len(changed):]
                return Problem(entry.changed[changed] + rest, problem.message, problem.fix)
    where = f"{park}: {problem.location}" if problem.location else park
    return Problem(f"{where} (the park with plan '{plan.meta.id}' applied for {year})",
                   problem.message, problem.fix)
