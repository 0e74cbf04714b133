"""Plans read from files: :class:`Plan` and :class:`Project`, and :func:`load_plan`.

A plan file is validated (pydantic, :mod:`mfa.io.plan_specs`), its money converted once to the
plan's currency (capex in currency, opex in currency per year, each with its low/high and
source, kept here for the economics), and the relations between its projects checked:
unique ids, ``requires`` naming projects of the plan, no two projects of the plan that exclude
each other. What a project does to a park is checked when it is applied (:mod:`.apply`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParkFlowError, ProblemList
from ..io.limits import Limits, current
from ..io.plan_specs import KIND_NAMES, PlanFile, PlanMeta, ProjectSpec
from ..io.pydantic_errors import validate
from ..io.specs import Sourced, SourcedOrPlain
from ..io.yamlio import read_yaml
from ..units import CURRENCIES, UnitProblem, to_canonical


@dataclass(frozen=True)
class Money:
    """An amount in the plan's currency (per year for opex), with its range and source."""

    central: float
    low: float = math.nan
    high: float = math.nan
    source: str = ""


@dataclass(frozen=True)
class Project:
    """One project of a plan: its spec (what it adds, changes, removes) and its economics."""

    spec: ProjectSpec
    index: int  # position in the plan file's `projects:` list
    capex: Money | None
    opex: Money | None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind_zh(self) -> str:
        """补链, 延链, 配套, 精深加工, 基础设施, 节能 or 节水."""
        return KIND_NAMES[self.spec.kind]

    @property
    def location(self) -> str:
        """Where the project is in its file: ``projects[3] (copper_slag_flotation)``."""
        return f"projects[{self.index}] ({self.spec.id})"

    def share(self, year: int) -> float:
        """Share of full output in ``year``: 0 before the start year, the ``ramp`` share
        (default linear, ``(year - start + 1) / (full - start + 1)``) up to the 达产 year,
        1 after it."""
        start, full = self.spec.start_year, self.spec.full_output_year
        if year < start:
            return 0.0
        if year >= full:
            return 1.0
        if self.spec.ramp is not None:
            return self.spec.ramp[year - start]
        return (year - start + 1) / (full - start + 1)

    def capex_by_year(self) -> dict[int, float]:
        """Central capex by year (the schedule; default: all in the start year)."""
        if self.capex is None:
            return {}
        schedule = self.spec.capex_schedule or {self.spec.start_year: 1.0}
        return {year: self.capex.central * share for year, share in sorted(schedule.items())}


@dataclass(frozen=True)
class Plan:
    """A validated plan: its metadata, its projects in file order, and where it came from."""

    meta: PlanMeta
    projects: tuple[Project, ...]
    path: Path | None = None

    @property
    def source_label(self) -> str:
        return str(self.path) if self.path else f"<plan {self.meta.id}>"

    @property
    def years(self) -> tuple[int, int]:
        """The first start year and the last 达产 year of its projects."""
        return (min(p.spec.start_year for p in self.projects),
                max(p.spec.full_output_year for p in self.projects))

    def project(self, project_id: str) -> Project:
        return next(p for p in self.projects if p.id == project_id)

    def active(self, year: int) -> list[Project]:
        """The projects started by ``year`` (start_year ≤ year), in file order."""
        return [p for p in self.projects if p.spec.start_year <= year]


def load_plan(name_or_path: str | Path, limits: Limits | None = None) -> Plan:
    """Load and validate a plan by built-in name (``"jinchang-2025"``, a file stem in
    ``parks/plans/``) or file path.

    Raises
    ------
    ParkFlowError
        Listing every problem with its location in the plan file and a fix.
    """
    path = paths.resolve_plan(name_or_path)
    if not path.exists() and path == Path(name_or_path) and not path.suffix:
        names = ", ".join(paths.builtin_plans()) or "none"
        raise ParkFlowError.single(path, "", "is neither a plan file nor a built-in plan",
                                   f"give a path to a .yaml file, or one of: {names} "
                                   "(see `parkflow plans`)")
    return plan_from_dict(read_yaml(path, limits or current()), source=path)


def plan_from_dict(data: dict[str, Any], source: str | Path = "<plan>") -> Plan:
    """Build a plan from already-parsed data (a YAML mapping); see :func:`load_plan`."""
    spec = _validated(data, source)
    problems = ProblemList(source)
    unit = CURRENCIES[spec.plan.currency]
    projects = []
    for i, project in enumerate(spec.projects):
        where = f"projects[{i}] ({project.id})"
        projects.append(Project(
            project, i,
            _money(project.capex, unit, f"{where}.capex", problems),
            _money(project.opex, f"{unit}/a", f"{where}.opex", problems)))
    _check_relations(spec.projects, problems, alternatives=spec.plan.candidates)
    problems.raise_if_any()
    return Plan(spec.plan, tuple(projects), Path(source) if isinstance(source, Path) else None)


def _validated(data: dict[str, Any], source: str | Path) -> PlanFile:
    """The plan's spec; a fix that points at the park format points at docs/plans.md, but
    for the entries a project adds (they are in the park format)."""
    try:
        return validate(PlanFile, data, source)
    except ParkFlowError as error:
        problems = [p if ".adds." in p.location else replace(
            p, fix=p.fix.replace("docs/park-format.md", "docs/plans.md")) for p in error.problems]
        raise ParkFlowError(source, problems) from None


def _money(raw: SourcedOrPlain | None, unit: str, where: str,
           problems: ProblemList) -> Money | None:
    if raw is None:
        return None
    sourced = raw if isinstance(raw, Sourced) else Sourced(value=raw)
    values = []
    for name, text in (("value", sourced.value), ("low", sourced.low), ("high", sourced.high)):
        label = where if name == "value" else f"{where}.{name}"
        try:
            values.append(math.nan if text is None else to_canonical(text, unit))
        except UnitProblem as err:
            problems.add(label, str(err), f"write an amount such as '3.2 亿元' "
                         f"({'per year, e.g. 1200 万元/a' if unit.endswith('/a') else 'total'})")
            return None
    central, low, high = values
    if central < 0 or (not math.isnan(low) and not low <= central <= high):
        problems.add(where, "the amount must be ≥ 0 and lie within low … high",
                     "correct the value or its range")
        return None
    return Money(central, low, high, sourced.source)


def _check_relations(projects: list[ProjectSpec], problems: ProblemList,
                     alternatives: bool = False) -> None:
    """Unique ids, ``requires`` in the plan and started no later; no two projects that
    exclude each other, unless the plan is a list of candidates (``alternatives``)."""
    ids = [p.id for p in projects]
    for i, project in enumerate(projects):
        where = f"projects[{i}] ({project.id})"
        if ids.index(project.id) != i:
            problems.add(f"{where}.id", f"project id '{project.id}' is used twice",
                         "give every project its own id")
        for j, other in enumerate(project.requires):
            if other not in ids:
                problems.add(f"{where}.requires[{j}]",
                             f"requires project '{other}', which is not in the plan",
                             f"add project '{other}' to the plan, or remove the requirement")
            elif (first := projects[ids.index(other)].start_year) > project.start_year:
                problems.add(f"{where}.start_year",
                             f"starts in {project.start_year}, before the project it requires "
                             f"('{other}', {first})",
                             f"start it in {first} or later")
        for j, other in enumerate(project.excludes):
            if other == project.id:
                problems.add(f"{where}.excludes[{j}]", "a project cannot exclude itself",
                             "remove it from its own excludes")
            elif other not in ids and alternatives:
                problems.add(f"{where}.excludes[{j}]",
                             f"excludes project '{other}', which is not among the candidates",
                             f"add project '{other}' to the candidates, or remove it here")
            elif other in ids and not alternatives:
                problems.add(f"{where}.excludes[{j}]",
                             f"excludes project '{other}', which is also in the plan",
                             f"keep only one of '{project.id}' and '{other}' in the plan, "
                             "or mark the plan `candidates: true` (a list of alternatives "
                             "to choose from with `parkflow optimise`)")
