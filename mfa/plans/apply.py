"""Apply a plan to a park: the park as it stands in one year, every model-level check run again.

The overrides of every project started by the year are merged into the park's raw mapping (in
file order; within a project: removes, then adds, then changes), and the park is rebuilt with
:func:`mfa.io.park.park_from_dict`. So every value a project brings (with its low/high) enters
the park's ParameterTable, and every check of a park file runs on the result. A problem found
in an entry a project added or changed is reported at its place in the plan file
(``projects[3] (copper_slag_flotation).adds.links[0].to``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParkFlowError, ProblemList
from ..io.catalogue import load_catalogue
from ..io.limits import current
from ..io.park import check_counts, park_from_dict
from ..io.plan_specs import EnterpriseChange, LinkChange
from ..io.yamlio import read_yaml
from ..model.carriers import Catalogue
from ..model.park import Park
from .locations import remap
from .plan import Plan, Project
from .scaling import scaled

SECTIONS = ("enterprises", "links", "boundary", "carriers")
ParkInput = Park | dict[str, Any] | str | Path


@dataclass
class Entry:
    """One entry of a section of the merged park, and where it came from."""

    data: dict[str, Any]
    origin: str | None = None  # ``projects[i] (id).adds.links[j]``, None: the park file
    changed: dict[str, str] = field(default_factory=dict)  # park field path → plan location


@dataclass
class Merged:
    """The park's mapping being merged, its list sections kept as :class:`Entry` lists."""

    top: dict[str, Any]
    sections: dict[str, list[Entry]]
    problems: ProblemList

    def ids(self, section: str) -> dict[str, Entry]:
        """Entries by id; a link without one by its derived id ``from>to:carrier`` (as the
        loaded park names it), unless two links share that id."""
        found = {e.data["id"]: e for e in self.sections[section]
                 if isinstance(e.data.get("id"), str)}
        if section != "links":
            return found
        derived: dict[str, list[Entry]] = {}
        for e in self.sections[section]:
            if not isinstance(e.data.get("id"), str):
                key = f"{e.data.get('from')}>{e.data.get('to')}:{e.data.get('carrier')}"
                derived.setdefault(key, []).append(e)
        found.update({k: v[0] for k, v in derived.items() if len(v) == 1 and k not in found})
        return found

    def mapping(self) -> dict[str, Any]:
        data = dict(self.top)
        for section, entries in self.sections.items():
            if entries or section in self.top:
                data[section] = [e.data for e in entries]
        return data


def apply_plan(park: ParkInput, plan: Plan, year: int,
               catalogue: Catalogue | None = None) -> Park:
    """The park as it stands in ``year`` with every project of ``plan`` started by then.

    Parameters
    ----------
    park
        A park (loaded from a file), a built-in park's name or a file path, or a park's raw
        mapping (as :func:`mfa.park_from_dict` takes).
    plan
        The plan (:func:`mfa.plans.load_plan`); its ``plan.park`` must be this park's id.
    year
        Projects with ``start_year ≤ year`` are applied. An added enterprise gets levels by
        year: 0 before its project starts, then its level × the project's ramp share
        (:meth:`Project.share`); an added link is active from the start year (``since``).
        So the park balances as planned in every year up to ``year``, its base year
        included (the base of the resource-output-rate index). Changes and removals have
        no dates in a park file: they hold in every year of the returned park.
    catalogue
        The carrier catalogue (default: the park's own, or the built-in one).

    Raises
    ------
    ParkFlowError
        For a plan of another park, a project starting before the park's base year, a change
        or removal of an id the park does not have, and any problem of the merged park, each
        located in the plan file where the plan caused it.
    """
    data, catalogue, label = _park_data(park, catalogue)
    base_year = _check_plan_fits(plan, data, label)
    if base_year is None:  # not a sound park file: report its own problems first
        park_from_dict(data, catalogue, source=label)
    baseline = park if isinstance(park, Park) else park_from_dict(copy.deepcopy(data),
                                                                  catalogue, source=label)
    problems = ProblemList(plan.source_label)
    merged = Merged({k: v for k, v in data.items() if k not in SECTIONS},
                    {s: [Entry(e) for e in data.get(s) or []] for s in SECTIONS}, problems)
    for project in plan.active(year):
        _apply_project(merged, project, year, base_year or project.spec.start_year)
    problems.raise_if_any()
    try:
        planned = park_from_dict(merged.mapping(), catalogue, source=label)
    except ParkFlowError as error:
        raise remap(error, merged.sections, plan, year) from None
    # the park's bases (set by with_basis) hold for the planned park too
    statistics = replace(planned.statistics, basis=baseline.statistics.basis)
    return replace(planned, statistics=statistics, baseline=baseline)


def _park_data(park: ParkInput, catalogue: Catalogue | None
               ) -> tuple[dict[str, Any], Catalogue, str | Path]:
    if isinstance(park, dict):
        return copy.deepcopy(park), catalogue or load_catalogue(), "<park>"
    if isinstance(park, Park):
        if park.path is None:
            raise ParkFlowError.single(park.source_label, "", "a plan is applied to the park's "
                                       "file, and this park was built from data",
                                       "pass the park's mapping (as given to park_from_dict)")
        own = Catalogue([c for c in park.catalogue.carriers if c.id not in park.catalogue.local])
        return read_yaml(park.path), catalogue or own, park.path
    path = paths.resolve_park(park)
    data = read_yaml(path)
    check_counts(data, path, current())
    return data, catalogue or load_catalogue(), path


def _check_plan_fits(plan: Plan, data: dict[str, Any], label: str | Path) -> int | None:
    """The park's base year, once the plan is known to fit the park (None: no base year)."""
    raw = data.get("park")
    meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
    problems = ProblemList(plan.source_label)
    park_id, base_year = meta.get("id"), meta.get("base_year")
    if plan.meta.park != park_id:
        problems.add("plan.park", f"the plan is for park '{plan.meta.park}', not for "
                     f"'{park_id}' ({label})",
                     f"apply it to park '{plan.meta.park}', or set 'park: {park_id}'")
    currency = meta.get("currency", "CNY")
    if plan.meta.currency != currency:
        problems.add("plan.currency", f"the plan's currency is {plan.meta.currency}, the "
                     f"park's {currency}", f"write the plan's amounts in {currency}")
    for project in plan.projects:
        if isinstance(base_year, int) and project.spec.start_year < base_year:
            problems.add(f"{project.location}.start_year",
                         f"starts in {project.spec.start_year}, before the park's base year "
                         f"{base_year}", "a project that ran before the base year is part of "
                         "the park: put it in the park file, or start it later")
    _check_alternatives(plan, problems)
    problems.raise_if_any()
    return base_year if isinstance(base_year, int) else None


def _check_alternatives(plan: Plan, problems: ProblemList) -> None:
    """A list of candidates holds alternatives: it is applied only as a subset without two
    projects that exclude each other (the subsets ``parkflow optimise`` evaluates)."""
    if not plan.meta.candidates:
        return  # a plan that is not a list of candidates was checked when it was loaded
    ids, seen = {p.id for p in plan.projects}, set()
    for project in plan.projects:
        for j, other in enumerate(project.spec.excludes):
            pair = frozenset((project.id, other))
            if other in ids and pair not in seen:
                seen.add(pair)
                problems.add(f"{project.location}.excludes[{j}]",
                             f"the plan is a list of candidates: '{project.id}' and "
                             f"'{other}' exclude each other and cannot be applied together",
                             "choose among the candidates with `parkflow optimise`, or apply "
                             "a plan that keeps only one of them")


def _apply_project(merged: Merged, project: Project, year: int, base_year: int) -> None:
    _remove(merged, project)
    _add(merged, project, year, base_year)
    _change(merged, project)


def _remove(merged: Merged, project: Project) -> None:
    removes = project.spec.removes
    for what, ids in (("enterprises", removes.enterprises), ("links", removes.links)):
        known = merged.ids(what)
        for j, item in enumerate(ids):
            if item not in known:
                _unknown(merged, f"{project.location}.removes.{what}[{j}]", what, item)
    gone = set(removes.enterprises)
    known_links = merged.ids("links")
    dropped = {id(known_links[i]) for i in removes.links if i in known_links}
    merged.sections["enterprises"] = [e for e in merged.sections["enterprises"]
                                      if e.data.get("id") not in gone]
    merged.sections["links"] = [
        e for e in merged.sections["links"]
        if id(e) not in dropped
        and e.data.get("from") not in gone and e.data.get("to") not in gone]


def _add(merged: Merged, project: Project, year: int, base_year: int) -> None:
    adds = project.spec.adds
    for section in SECTIONS:
        for j, spec in enumerate(getattr(adds, section)):
            entry = spec.model_dump(by_alias=True, exclude_unset=True)
            if section == "enterprises":
                entry["activity"]["level"] = ramped(entry["activity"]["level"], project,
                                                    year, base_year)
            elif section == "links":
                entry.setdefault("since", project.spec.start_year)
            merged.sections[section].append(
                Entry(entry, f"{project.location}.adds.{section}[{j}]"))


def ramped(level: Any, project: Project, year: int, base_year: int) -> Any:
    """An added enterprise's level by year: 0 before the start year, then the level × the
    ramp share of each year up to ``year``, so the park balances as planned in every year
    up to ``year`` (its base year too). Levels the plan gives by year are kept as given."""
    if isinstance(level, dict) and "value" not in level:
        return level
    start = project.spec.start_year
    levels = {base_year: scaled(level, 0.0)} if start > base_year else {}
    for y in range(start, min(year, project.spec.full_output_year) + 1):
        share = project.share(y)
        levels[y] = level if share == 1 else scaled(level, share)
    return levels


def _change(merged: Merged, project: Project) -> None:
    changes = project.spec.changes
    enterprises, links = merged.ids("enterprises"), merged.ids("links")
    for ent_id, change in changes.enterprises.items():
        where = f"{project.location}.changes.enterprises.{ent_id}"
        if ent_id in enterprises:
            _change_enterprise(enterprises[ent_id], change, where)
        else:
            _unknown(merged, where, "enterprises", ent_id)
    for link_id, link_change in changes.links.items():
        where = f"{project.location}.changes.links.{link_id}"
        if link_id in links:
            _change_link(links[link_id], link_change, where)
        else:
            _unknown(merged, where, "links", link_id)


def _change_enterprise(entry: Entry, change: EnterpriseChange, where: str) -> None:
    values = change.model_dump(by_alias=True, exclude_unset=True)
    data = entry.data
    for carrier, rate in values.get("rates", {}).items():
        data.setdefault("rates", {})[carrier] = rate
        entry.changed[f"rates.{carrier}"] = f"{where}.rates.{carrier}"
    if values.get("rates"):
        entry.changed["rates"] = f"{where}.rates"
    for name, target in (("capacity", "activity.capacity"), ("level", "activity.level")):
        if name in values:
            data["activity"][name] = values[name]
            entry.changed[target] = f"{where}.{name}"
    if "value_added" in values:
        data["value_added"] = values["value_added"]
        entry.changed["value_added"] = f"{where}.value_added"


def _change_link(entry: Entry, change: LinkChange, where: str) -> None:
    values = change.model_dump(exclude_unset=True)
    if "quantity" in values:
        entry.data.pop("share", None)
        entry.data.pop("cap", None)
    elif values:
        entry.data.pop("quantity", None)
    for name, value in values.items():
        entry.data[name] = value
        entry.changed[name] = f"{where}.{name}"


def _unknown(merged: Merged, where: str, section: str, item: str) -> None:
    known = sorted(merged.ids(section))
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    noun = "enterprise" if section == "enterprises" else "link"
    merged.problems.add(where, f"the park has no {noun} '{item}' (at this point of the plan)",
                        f"use the id of a {noun} of the park or of an earlier project: "
                        f"{shown or 'none'}")

