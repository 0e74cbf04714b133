"""What the engine needs for each year of a simulation, for K runs: activity levels and
:class:`~mfa.engine.solution.Params` of the park (or of the union park of a plan, projects
as switches), with the runs' sampled parameter values scattered into their arrays.

Contracts of the park become per-step bounds: a fixed ``quantity`` is delivered only while
both ends run, so the simulation serves it as an upper bound (``cap``) of the contracted rate,
and the per-year bounds (quantities, caps, shares of a stockpile's stock) are scaled to the
step's share of the year (:meth:`ScenarioInputs.step_params`).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.compiled import CAP, QUANTITY, SHARE, CompiledPark, compile_park
from ..engine.parameters import parameter_slots
from ..engine.solution import Params
from ..errors import ParkFlowError, Problem
from ..model.park import Park
from ..plans import Plan
from ..scenarios.switches import NotSwitchable, SwitchedPlan

OPERATION_FIELDS = ("availability", "mtbf", "mttr")


@dataclass
class YearInputs:
    """One year's engine inputs for K runs."""

    levels: np.ndarray  # [K, n] per year
    params: Params


class ScenarioInputs:
    """The engine inputs of one scenario (a park, or a park with a plan) for K runs."""

    def __init__(self, park: Park, plan: Plan | None, last_year: int,
                 values: pd.DataFrame | None, runs: int) -> None:
        self.park, self.plan, self.runs = park, plan, runs
        self.switched: SwitchedPlan | None = None
        model_park = park
        if plan is not None and plan.meta.park != park.meta.id:
            raise ParkFlowError(plan.path or plan.meta.id, [Problem(
                "plan.park", f"the plan is for park '{plan.meta.park}', not for "
                f"'{park.meta.id}'", f"simulate park '{plan.meta.park}' with it")])
        if plan is not None and plan.projects:
            try:
                self.switched = SwitchedPlan(park, plan, range(park.meta.base_year,
                                                               last_year + 1))
            except NotSwitchable as why:
                raise ParkFlowError(plan.path or plan.meta.id, [Problem(
                    "projects", f"the simulation cannot switch this plan's projects on their "
                    f"dates: {why}", "simplify the projects (docs/plans.md, 'Switches')")]
                ) from None
            model_park = self.switched.union
        self.model_park = model_park
        compiled = self.switched.compiled if self.switched else compile_park(park)
        self.compiled = _contracts_as_caps(compiled)
        links = self.compiled.links
        from_pile = links.source >= self.compiled.n_enterprises
        # bounds per year: caps (and fixed quantities, now caps), shares of a pile's stock
        self._per_year = (links.mode == CAP) | ((links.mode == SHARE) & from_pile)
        self.table = _table(model_park, compiled)
        self.values = _values(self.table, values, runs)
        self.sampled = self._scatter()

    def with_values(self, values: pd.DataFrame | None, runs: int) -> ScenarioInputs:
        """The same scenario for other runs (the switches and tables are reused)."""
        other = copy.copy(self)
        other.runs, other.values = runs, _values(self.table, values, runs)
        other.sampled = other._scatter()
        return other

    @property
    def n_projects(self) -> int:
        return len(self.plan.projects) if self.plan is not None else 0

    def _scatter(self) -> dict[str, np.ndarray]:
        """The runs' arrays of everything but levels (those are per year)."""
        c, slots, index = self.compiled, self.table["slot"].to_numpy(), self.table["index"]
        central = {"rates": c.slot_rate, "bound": c.links.bound, "cap": c.links.cap,
                   "ratio": c.links.ratio, "value_added": c.value_added,
                   "recirculation": c.recirculation, "pile_capacity": c.pile_capacity,
                   "opening": c.pile_opening, "capacity": c.capacity}
        arrays = {}
        for name, values in central.items():
            arrays[name] = np.tile(values, (self.runs, 1)).astype(float)
            rows = np.flatnonzero((slots == name) & (index.to_numpy() >= 0))
            arrays[name][:, index.to_numpy()[rows]] = self.values[:, rows]
        return arrays

    def _compact(self, name: str) -> np.ndarray | None:
        """The runs' array of ``name``, as one row when every run has the same values (the
        engine broadcasts it), or None for central rates (no mass check per step)."""
        values = self.sampled[name]
        if len(values) and (values == values[0]).all():
            if name == "rates" and np.array_equal(values[0], self.compiled.slot_rate):
                return None
            row: np.ndarray = values[0]
            return row
        return values

    def operation_values(self, field: str) -> np.ndarray:
        """``[K, n]`` sampled availability, MTBF or MTTR (NaN where the file gives none)."""
        out = np.full((self.runs, self.compiled.n_enterprises), np.nan)
        rows = np.flatnonzero((self.table["slot"] == field).to_numpy())
        out[:, self.table["index"].to_numpy()[rows]] = self.values[:, rows]
        return out

    def year(self, year: int, active: np.ndarray | None = None) -> YearInputs:
        """Levels and Params of ``year``; ``active`` ``[K, projects]`` says which projects run
        (default: every project, from its start year)."""
        levels = self._levels(year)
        if self.switched is None:
            names = ("rates", "bound", "cap", "ratio", "value_added", "recirculation",
                     "pile_capacity")
            return YearInputs(levels, Params(**{n: self._compact(n) for n in names}))
        if active is None:
            active = np.ones((self.runs, self.n_projects), dtype=bool)
        sampled = {n: self.sampled[n] for n in ("rates", "bound", "cap", "ratio",
                                                "value_added")}
        levels, params = self.switched.inputs(active, year, {"levels": levels, **sampled})
        params = dataclasses.replace(params, recirculation=self.sampled["recirculation"],
                                     pile_capacity=self.sampled["pile_capacity"])
        return YearInputs(levels, params)

    def _levels(self, year: int) -> np.ndarray:
        levels = np.tile(self.compiled.levels_for(year), (self.runs, 1))
        rows = _levels_in_force(self.table, year)
        levels[:, self.table["index"].to_numpy()[rows]] = self.values[:, rows]
        return levels

    def step_params(self, params: Params, fraction: float) -> Params:
        """``params`` for a step that is ``fraction`` of its year: per-year bounds scaled."""
        assert params.bound is not None and params.cap is not None
        bound = np.where(self._per_year, params.bound * fraction, params.bound)
        return dataclasses.replace(params, bound=bound, cap=params.cap * fraction)


def _contracts_as_caps(compiled: CompiledPark) -> CompiledPark:
    """The compiled park with fixed quantities served as caps (see the module docstring)."""
    mode = np.where(compiled.links.mode == QUANTITY, CAP, compiled.links.mode)
    links = dataclasses.replace(compiled.links, mode=mode.astype(compiled.links.mode.dtype))
    return dataclasses.replace(compiled, links=links)


def _table(park: Park, compiled: CompiledPark) -> pd.DataFrame:
    frame = park.parameter_table.to_frame()
    frame["slot"], frame["index"] = parameter_slots(compiled, park.parameter_table)
    return frame


def _values(table: pd.DataFrame, values: pd.DataFrame | None, runs: int) -> np.ndarray:
    """``[K, rows]`` of the table: central, with the sampled columns of ``values``."""
    matrix = np.tile(table["central"].to_numpy(dtype=float), (runs, 1))
    if values is None:
        return matrix
    position = {pid: k for k, pid in enumerate(table["id"])}
    unknown = [c for c in values.columns if c not in position]
    if unknown:
        raise ParkFlowError("samples", [Problem(
            "columns", f"not parameters of this scenario: {', '.join(map(str, unknown[:5]))}",
            "sample the ids of the scenario's ParameterTable (mfa.simulate.parameters)")])
    if len(values) != runs:
        raise ValueError(f"{len(values)} rows of samples for {runs} runs")
    columns = [position[c] for c in values.columns]
    matrix[:, columns] = values.to_numpy(dtype=float)
    return matrix


def _levels_in_force(table: pd.DataFrame, year: int) -> np.ndarray:
    """Rows of level entries in force in ``year`` (the latest at or before it, per element)."""
    levels = table[table["field"] == "level"]
    years = levels["year"].fillna(-10**9).to_numpy(dtype=np.int64)
    levels = levels[years <= year].assign(_y=years[years <= year])
    chosen = levels.sort_values("_y").groupby("element").tail(1)
    return table.index.get_indexer(chosen.index)
