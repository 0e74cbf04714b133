"""K runs of one scenario through the years, step by step: SimPy schedules the events, the
array engine does each step's arithmetic for all K runs at once (one ``solve`` per step).

Processes of the SimPy environment (time in days from 1 January of the first year):

- ``clock``: at the start of every step, the levels of the step (the year's level × the
  step's share of the enterprise's year × the share of the step it was up ÷ its availability,
  at most the capacity for the time it was up) and one ``solve`` of the K runs, the closing
  stock opening the next step; at a year's end, the year's flows summed and the official
  indicators computed on the fast path;
- ``commissioning``: one per project; on each run's commissioning date (the plan's start
  year plus the run's delay) the project switches on, from the first step that starts on or
  after it;
- outages are alternating renewal processes advanced by the clock (:mod:`.outages`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from ..engine.greedy import solve
from ..engine.solution import Params, Solution
from ..indicators.fast import INDICATOR_IDS, base_year_rate, fast_indicators
from ..model.operation import DEFAULT_MTTR
from .calendar import Steps, day_weights, step_shares
from .inputs import ScenarioInputs, YearInputs
from .outages import Outages


@dataclass
class RunResult:
    """What K runs of a scenario produced."""

    years: tuple[int, ...]
    indicators: np.ndarray  # [K, Y, I] in INDICATOR_IDS order; NaN where a run broke
    problems: list[list[str]]  # per run: what it broke, with the year
    stock: np.ndarray  # [T, K, P] stock of each stockpile at the end of each step
    step_qty: np.ndarray | None  # [T, R] flow records of run 0 per step (keep_flows)
    step_levels: np.ndarray | None  # [T, n] activity of run 0 per step (keep_flows)


def run_scenario(inputs: ScenarioInputs, steps: Steps, rng: np.random.Generator,
                 delays: np.ndarray | None = None, keep_flows: bool = False,
                 expected: bool = False) -> RunResult:
    """Simulate ``inputs.runs`` runs over ``steps``; ``delays`` ``[K, projects]`` in days.

    ``expected``: no random outages; every enterprise is up its availability's share of
    each step (the sensitivity studies' model: their indices are not blurred by outage
    noise, docs/simulation.md).
    """
    sim = _Simulation(inputs, steps, rng, delays, keep_flows, expected)
    env = simpy.Environment()
    env.process(sim.clock(env))
    for project in range(inputs.n_projects):
        env.process(sim.commissioning(env, project))
    env.run(until=steps.end)
    return sim.result()


class _Simulation:
    def __init__(self, inputs: ScenarioInputs, steps: Steps, rng: np.random.Generator,
                 delays: np.ndarray | None, keep_flows: bool, expected: bool) -> None:
        self.inputs, self.steps, self.keep_flows = inputs, steps, keep_flows
        compiled, runs = inputs.compiled, inputs.runs
        self.compiled, self.fast = compiled, fast_indicators(compiled)
        names = compiled.node_ids[:compiled.n_enterprises]
        operations = inputs.model_park.operations
        weights = [day_weights(steps.first, steps.last, operations.get(e),
                               inputs.model_park.profiles) for e in names]
        self.shares = np.column_stack([step_shares(w, steps) for w in weights]) if names \
            else np.zeros((len(steps), 0))
        mtbf, mttr = _failure_times(inputs, operations, names)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.availability = np.where(np.isfinite(mtbf), mtbf / (mtbf + mttr),
                                         (mtbf > 0) * 1.0)
        self.runnable = self.availability > 0
        self.outages = Outages(mtbf, mttr, rng, expected=expected)
        self.capacity = np.where(inputs.sampled["capacity"] > 0, inputs.sampled["capacity"],
                                 np.inf)
        self.active = np.zeros((runs, inputs.n_projects), dtype=bool)
        self.delays = np.zeros((runs, inputs.n_projects)) if delays is None else delays
        self.stock = inputs.sampled["opening"].copy()
        lengths = steps.length.astype(float)
        # each step's share of its year (the year's total length, once for all its steps)
        self.fractions = lengths / np.bincount(steps.year - steps.first, lengths)[
            steps.year - steps.first]
        self.years = tuple(range(steps.first, steps.last + 1))
        self.values = np.full((runs, len(self.years), len(INDICATOR_IDS)), np.nan)
        self.problems: list[list[str]] = [[] for _ in range(runs)]
        self.stock_trace = np.zeros((len(steps), runs, len(compiled.pile_node)))
        self.qty_trace = np.zeros((len(steps), len(compiled.records))) if keep_flows else None
        self.level_trace = (np.zeros((len(steps), compiled.n_enterprises)) if keep_flows
                            else None)
        self.base_rate: np.ndarray | float = base_year_rate(compiled)
        self._year_inputs: tuple[int, bytes, YearInputs] | None = None
        self._scaled: dict[float, Params] = {}

    def commissioning(self, env: simpy.Environment, project: int
                      ) -> Generator[simpy.Event, Any, None]:
        assert self.inputs.plan is not None
        start_year = self.inputs.plan.projects[project].spec.start_year
        planned = float((np.datetime64(f"{max(start_year, self.steps.first)}-01-01", "D")
                         - np.datetime64(f"{self.steps.first}-01-01", "D")).astype(int))
        dates = planned + self.delays[:, project]
        starts = self.steps.start.astype(float)
        # each run's project runs from the first step starting on or after its date
        first = np.searchsorted(starts, dates, side="left")
        for step in np.unique(first[first < len(starts)]):
            yield env.timeout(starts[step] - env.now)
            self.active[first == step, project] = True

    def clock(self, env: simpy.Environment) -> Generator[simpy.Event, Any, None]:
        steps, year_sum = self.steps, _YearSum()
        for i in range(len(steps)):
            yield env.timeout(float(steps.start[i]) - env.now)
            yield env.timeout(0)  # commissioning at this instant goes first
            year = int(steps.year[i])
            solution = self._step(i, year)
            year_sum.add(solution)
            if i + 1 == len(steps) or steps.year[i + 1] != year:
                self._close_year(year, year_sum.solution())
                year_sum = _YearSum()

    def _step(self, i: int, year: int) -> Solution:
        steps = self.steps
        start, length = float(steps.start[i]), float(steps.length[i])
        fraction = float(self.fractions[i])
        inputs = self._inputs(year)
        up = self.outages.advance(start, start + length)
        running = np.divide(up, self.availability, out=np.zeros_like(up),
                            where=self.runnable)
        levels = np.minimum(inputs.levels * self.shares[i] * running,
                            self.capacity * fraction * up)
        params = self._step_params(inputs, fraction)
        solution = solve(self.compiled, year, levels=levels, stock=self.stock, params=params,
                         per_link=False)
        self.stock = solution.closing
        self.stock_trace[i] = solution.closing
        if self.qty_trace is not None and self.level_trace is not None:
            self.qty_trace[i] = solution.qty[0]
            self.level_trace[i] = solution.levels[0]
        return solution

    def _step_params(self, inputs: YearInputs, fraction: float) -> Params:
        """The year's params scaled to a step, frozen (a year has a few step lengths: once
        each; the cache is emptied whenever the year's inputs change)."""
        if fraction not in self._scaled:
            self._scaled[fraction] = self.inputs.step_params(inputs.params, fraction).frozen()
        return self._scaled[fraction]

    def _inputs(self, year: int) -> YearInputs:
        key = self.active.tobytes()
        if self._year_inputs is None or self._year_inputs[:2] != (year, key):
            active = self.active if self.inputs.n_projects else None
            self._year_inputs = (year, key, self.inputs.year(year, active))
            self._scaled = {}
        return self._year_inputs[2]

    def _close_year(self, year: int, solution: Solution) -> None:
        if year == self.compiled.base_year:
            self.base_rate = self.fast.resource_output_rate(solution)
        values = self.fast.evaluate(solution, base_rate=self.base_rate)
        values[solution.status != 0] = np.nan
        self.values[:, self.years.index(year)] = values
        for found in solution.problems:
            note = f"{year}: {found.problem.location}: {found.problem.message}"
            if note not in self.problems[found.sample]:
                self.problems[found.sample].append(note)

    def result(self) -> RunResult:
        return RunResult(self.years, self.values, self.problems, self.stock_trace,
                         self.qty_trace, self.level_trace)


def _failure_times(inputs: ScenarioInputs, operations: dict[str, Any],
                   names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """``[K, n]`` MTBF and MTTR of every run (MTBF inf: no outages): sampled where the park
    gives them, an availability turned into MTBF = MTTR · A / (1 − A)."""
    runs = inputs.runs
    mttr = np.tile([operations[e].mttr if e in operations else DEFAULT_MTTR for e in names],
                   (runs, 1)).astype(float)
    mtbf = np.tile([np.nan if e not in operations or operations[e].mtbf is None
                    else operations[e].mtbf for e in names], (runs, 1)).astype(float)
    sampled_mttr = inputs.operation_values("mttr")
    mttr = np.where(np.isnan(sampled_mttr), mttr, sampled_mttr)
    sampled_mtbf = inputs.operation_values("mtbf")
    mtbf = np.where(np.isnan(sampled_mtbf), mtbf, sampled_mtbf)
    availability = inputs.operation_values("availability")
    with np.errstate(invalid="ignore", divide="ignore"):
        from_a = np.where(availability >= 1, np.nan, mttr * availability / (1 - availability))
    mtbf = np.where(np.isnan(availability), mtbf, from_a)
    return np.where(np.isnan(mtbf), np.inf, mtbf), mttr


class _YearSum:
    """The steps of one year added up into one Solution (flows, activity: sums; opening:
    the first step's; closing: the last's; status: any step's). Only what the indicators
    read is summed (flow records and activity); the rest is the last step's."""

    def __init__(self) -> None:
        self.first: Solution | None = None
        self.last: Solution | None = None
        self.sums: dict[str, np.ndarray] = {}
        self.status: np.ndarray | None = None
        self.problems: list[Any] = []

    def add(self, solution: Solution) -> None:
        self.first = self.first or solution
        self.last = solution
        for name in ("qty", "levels"):
            value = getattr(solution, name)
            if name in self.sums:
                np.add(self.sums[name], value, out=self.sums[name])
            else:
                self.sums[name] = np.array(value, copy=True)
        self.status = solution.status.copy() if self.status is None else (
            self.status | solution.status)
        self.problems.extend(solution.problems)

    def solution(self) -> Solution:
        assert self.first is not None and self.last is not None and self.status is not None
        sums = self.sums
        return dataclasses.replace(
            self.last, opening=self.first.opening, status=self.status,
            problems=tuple(self.problems), qty=sums["qty"], levels=sums["levels"])

