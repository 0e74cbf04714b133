"""A plan's projects as switches on one compiled park, so that any subset of the projects in
any year is one row of the engine's batch (attribution and portfolios evaluate thousands).

The *union park* is the park with every project applied (:func:`mfa.plans.apply_plan` at the
last year evaluated), its removals left in so that they can be switched. What each project
does becomes edits of the union's arrays:

- what it adds (enterprises, links, a new rate of an existing enterprise) is *off* unless the
  project is active: level 0, link bound 0, rate 0;
- what it changes (levels, rates, value added, link bounds and ratios) takes its value while
  it is active (the last active project in file order wins), the value before it otherwise;
- what it removes is off while it is active: level 0, and bound 0 on every link to or from a
  removed enterprise.

A project is active in a year when it is in the subset and has started (start year ≤ year);
an added enterprise follows its ramp (its levels by year in the union park). The values a
project changes are found by applying the plan's prefixes (projects 0…k) and comparing them.
A plan this cannot represent (a project adds a boundary node, turns a share into a fixed
quantity, sets a rate to 0, or re-adds an id it removed) raises :class:`NotSwitchable`; the
caller then applies each subset instead (:mod:`.reapplied`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..engine.compiled import CAP, FREE, CompiledPark, compile_park
from ..engine.solution import Params
from ..errors import ParkFlowError
from ..io.plan_specs import ProjectRemoves
from ..model.park import Park
from ..plans import Plan, apply_plan

LINK_ARRAYS = ("bound", "cap", "ratio")


class NotSwitchable(Exception):
    """The plan cannot be represented as switches on one compiled park (the reason)."""


@dataclass
class _Project:
    """What one project does to the union park's arrays."""

    start: int
    sets: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    # array → (indices, values before it, values while active); levels: [years, indices]
    off: dict[str, np.ndarray] = field(default_factory=dict)  # array → indices off unless active
    removed: dict[str, np.ndarray] = field(default_factory=dict)  # array → indices off if active


def _ids(compiled: CompiledPark) -> tuple[dict[str, int], dict[tuple[str, str], int],
                                          dict[str, int]]:
    ents = {e: i for i, e in enumerate(compiled.node_ids[:compiled.n_enterprises])}
    slots = {(compiled.node_ids[e], compiled.carriers[c]): s for s, (e, c) in
             enumerate(zip(compiled.slot_ent.tolist(), compiled.slot_car.tolist(), strict=True))}
    links = {link: j for j, link in enumerate(compiled.links.ids)}
    return ents, slots, links


class SwitchedPlan:
    """The projects of ``plan`` as switches on ``park`` for the years ``years[0] … years[-1]``.

    ``inputs(active, year)`` gives the levels and :class:`Params` of the union park
    (``self.compiled``) for a ``[K, n_projects]`` boolean matrix of projects in each subset.
    """

    def __init__(self, park: Park, plan: Plan, years: range) -> None:
        self.plan, self.years = plan, years
        self.base = compile_park(park)
        stripped = [replace(p, spec=p.spec.model_copy(update={"removes": ProjectRemoves()}))
                    for p in plan.projects]
        try:
            prefixes = [park] + [apply_plan(park, Plan(plan.meta, tuple(stripped[:k + 1]),
                                                       plan.path), years[-1])
                                 for k in range(len(stripped))]
        except ParkFlowError as error:  # e.g. a project re-adds an id another one removes
            raise NotSwitchable(f"its projects cannot all be applied at once: {error}") from None
        compiled = [compile_park(p) for p in prefixes]
        self.compiled = compiled[-1]
        self.union = prefixes[-1]  # the park self.compiled is compiled from (its parameters)
        if self.compiled.node_ids[self.compiled.n_enterprises:] != \
                self.base.node_ids[self.base.n_enterprises:]:
            raise NotSwitchable("a project adds or removes a boundary node")
        self._index = _ids(self.compiled)
        self.projects = [self._project(p.spec.start_year, compiled[k], compiled[k + 1])
                         for k, p in enumerate(plan.projects)]
        for project, spec in zip(self.projects, plan.projects, strict=True):
            if project.start <= years[-1]:  # later projects are not in the union park
                project.removed = self._removed(spec.spec.removes)
        self._defaults: dict[int, dict[str, np.ndarray]] = {}

    def _project(self, start: int, before: CompiledPark, after: CompiledPark) -> _Project:
        """Compare the park before and after one project (both with the earlier ones)."""
        ents, slots, links = self._index
        old_ents, old_slots, old_links = _ids(before)
        new_ents, new_slots, new_links = _ids(after)
        if set(old_slots) - set(new_slots):
            raise NotSwitchable("a project sets a rate to 0 (a slot disappears)")
        project = _Project(start)
        project.off["levels"] = np.array([ents[e] for e in new_ents if e not in old_ents], int)
        project.off["bound"] = np.array([links[j] for j in new_links if j not in old_links], int)
        project.off["rates"] = np.array([slots[s] for s in new_slots if s not in old_slots
                                         and s[0] in old_ents], int)
        common_ents = [e for e in old_ents if e in new_ents]
        self._changed(project, "value_added", [ents[e] for e in common_ents],
                      before.value_added[[old_ents[e] for e in common_ents]],
                      after.value_added[[new_ents[e] for e in common_ents]])
        common_slots = [s for s in old_slots if s in new_slots]
        self._changed(project, "rates", [slots[s] for s in common_slots],
                      before.slot_rate[[old_slots[s] for s in common_slots]],
                      after.slot_rate[[new_slots[s] for s in common_slots]])
        common_links = [j for j in old_links if j in new_links]
        old_j = np.array([old_links[j] for j in common_links], int)
        new_j = np.array([new_links[j] for j in common_links], int)
        modes = before.links.mode[old_j], after.links.mode[new_j]
        free_or_cap = np.isin(modes[0], (FREE, CAP)) & np.isin(modes[1], (FREE, CAP))
        if np.any((modes[0] != modes[1]) & ~free_or_cap):
            raise NotSwitchable("a project turns a link's share into a fixed quantity or back")
        for name in LINK_ARRAYS:
            self._changed(project, name, [links[j] for j in common_links],
                          getattr(before.links, name)[old_j], getattr(after.links, name)[new_j])
        self._changed_levels(project, [ents[e] for e in common_ents], before, after,
                             [old_ents[e] for e in common_ents],
                             [new_ents[e] for e in common_ents])
        return project

    @staticmethod
    def _changed(project: _Project, name: str, index: list[int], old: np.ndarray,
                 new: np.ndarray) -> None:
        differs = ~((old == new) | (np.isnan(old) & np.isnan(new)))
        if differs.any():
            project.sets[name] = (np.asarray(index, int)[differs], old[differs], new[differs])

    def _changed_levels(self, project: _Project, index: list[int], before: CompiledPark,
                        after: CompiledPark, old: list[int], new: list[int]) -> None:
        old_levels = np.array([before.levels_for(y)[old] for y in self.years])
        new_levels = np.array([after.levels_for(y)[new] for y in self.years])
        differs = (old_levels != new_levels).any(axis=0)
        if differs.any():
            project.sets["levels"] = (np.asarray(index, int)[differs], old_levels[:, differs],
                                      new_levels[:, differs])

    def _removed(self, removes: ProjectRemoves) -> dict[str, np.ndarray]:
        ents, _, links = self._index
        gone = [ents[e] for e in removes.enterprises]
        touching = np.flatnonzero(np.isin(self.compiled.links.source, gone)
                                  | np.isin(self.compiled.links.target, gone))
        return {"levels": np.array(gone, int),
                "bound": np.union1d(touching, [links[j] for j in removes.links]).astype(int)}

    def _default(self, year: int) -> dict[str, np.ndarray]:
        """Every array with no project active: each entry as it was before the first project
        that changes it (the union's value elsewhere)."""
        if year not in self._defaults:
            c, row = self.compiled, year - self.years[0]
            arrays = {"levels": c.levels_for(year), "rates": c.slot_rate.copy(),
                      "value_added": c.value_added.copy(),
                      **{name: getattr(c.links, name).copy() for name in LINK_ARRAYS}}
            for project in reversed(self.projects):  # the earliest change's old value wins
                for name, (index, old, _) in project.sets.items():
                    arrays[name][index] = old[row] if name == "levels" else old
            self._defaults[year] = arrays
        return self._defaults[year]

    def inputs(self, active: np.ndarray, year: int,
               sampled: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, Params]:
        """Levels ``[K, n]`` and Params of the union park for subsets ``active`` ``[K, P]``
        in ``year``.

        ``sampled`` replaces the union park's central arrays (``levels``, ``rates``,
        ``value_added``, ``bound``, ``cap``, ``ratio``: ``[K, …]``), e.g. Monte Carlo samples of
        the union park's ParameterTable; what a project *changes* keeps the plan's values.
        """
        defaults, row = self._default(year), year - self.years[0]
        size = len(active)
        on = active & np.array([p.start <= year for p in self.projects], bool)[None, :]
        arrays = {name: np.tile(value, (size, 1)) for name, value in defaults.items()}
        for name, values in (sampled or {}).items():
            changed = [index for p in self.projects if name in p.sets
                       for index in [p.sets[name][0]]]
            kept = arrays[name][:, np.concatenate(changed)] if changed else None
            arrays[name] = np.array(values, dtype=float, copy=True)
            if kept is not None:
                arrays[name][:, np.concatenate(changed)] = kept
        for k, project in enumerate(self.projects):
            mask = on[:, k:k + 1]
            for name, (index, _, values) in project.sets.items():
                value = values[row] if name == "levels" else values
                arrays[name][:, index] = np.where(mask, value[None, :], arrays[name][:, index])
            for name, index in project.off.items():  # where, not ×: a free link's bound is inf
                arrays[name][:, index] = np.where(mask, arrays[name][:, index], 0.0)
            for name, index in project.removed.items():
                arrays[name][:, index] = np.where(mask, 0.0, arrays[name][:, index])
        rates = arrays["rates"] if any("rates" in p.sets or len(p.off["rates"])
                                       for p in self.projects) else None
        params = Params(rates=rates, bound=arrays["bound"], cap=arrays["cap"],
                        ratio=arrays["ratio"], value_added=arrays["value_added"])
        return arrays["levels"], params
