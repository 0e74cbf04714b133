"""A simulation study: K runs of a park (optionally with a plan) from a start year to an end
year, their parameters sampled from the ParameterTable, run in fixed chunks (in this process,
in local processes or on Dask: the same seeded results), summarised per year.

Seeds (one ``SeedSequence(seed)``; docs/simulation.md): chunk ``i`` draws its outages from
child ``i`` (:func:`mfa.uncertainty.runner.chunks`); the sampling design, the central run and
the sensitivity designs take children with spawn keys ≥ 2³² that no chunk can have.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParkFlowError, Problem
from ..indicators.fast import INDICATOR_IDS
from ..io.specs import Sourced
from ..model.park import Park
from ..plans import Plan
from ..uncertainty.runner import Chunk, chunks, run_chunks
from ..uncertainty.sampling import METHODS, sample
from ..uncertainty.summary import trajectory
from ..units import UnitProblem, to_canonical
from .calendar import STEPS, Steps, build_steps
from .inputs import ScenarioInputs
from .run import RunResult, run_scenario
from .tables import long_frame, period_activity, period_flows, stockpile_levels

_KEYS = {"design": 1 << 32, "central": (1 << 32) + 1, "sensitivity": (1 << 32) + 2}
DELAY = "delay"
MIN_CHUNK = 50  # runs per chunk at least, by default


def seed_of(seed: int, purpose: str) -> np.random.SeedSequence:
    """The study's seed for ``purpose`` (design, central, sensitivity)."""
    return np.random.SeedSequence(seed, spawn_key=(_KEYS[purpose],))


@dataclass(frozen=True)
class Study:
    """What a study runs: scenario, years, step, runs, seed."""

    park: Park
    plan: Plan | None
    first: int
    last: int
    step: str = "year"
    runs: int = 1
    seed: int = 0
    method: str = "random"
    chunk_size: int = 50

    @property
    def scenario(self) -> str:
        return self.plan.meta.id if self.plan is not None else "baseline"


@dataclass
class SimulationResult:
    """A study's results (docs/simulation.md, "Outputs")."""

    study: Study
    runs: pd.DataFrame  # long: scenario, run, year, indicator, value, status
    trajectory: pd.DataFrame
    stockpiles: pd.DataFrame
    flows: pd.DataFrame  # the central run, per period
    activity: pd.DataFrame  # the central run, per period
    parameters: pd.DataFrame  # the ParameterTable rows sampled (with the delays)
    samples: pd.DataFrame | None  # the sampled values, one row per run
    inputs: ScenarioInputs  # the scenario's engine inputs (what a sensitivity study reuses)


def check_study(study: Study) -> None:
    """Refuse settings the park's data cannot support, naming each."""
    problems = []
    if study.step not in STEPS:
        problems.append(Problem("step", f"unknown step '{study.step}'",
                                f"use one of {', '.join(STEPS)}"))
    if study.first < study.park.meta.base_year:
        problems.append(Problem("from", f"{study.first} is before the park's base year "
                                f"{study.park.meta.base_year}", "start in the base year or later"))
    if study.last < study.first:
        problems.append(Problem("to", f"{study.last} is before the first year {study.first}",
                                "give an end year on or after the start year"))
    if study.method not in METHODS:
        problems.append(Problem("method", f"unknown sampling method '{study.method}'",
                                f"use one of {', '.join(METHODS)}"))
    if isinstance(study.runs, bool) or not isinstance(study.runs, int) or study.runs < 1:
        problems.append(Problem("runs", f"must be at least 1, got {study.runs!r}",
                                "give --runs 1 for one run, or more for Monte Carlo"))
    if problems:
        raise ParkFlowError("simulate", problems)


def study_parameters(inputs: ScenarioInputs) -> pd.DataFrame:
    """The ParameterTable rows a study samples from: the scenario's (park, plan, operation)
    plus one ``projects.<id>.delay`` row per project that declares a delay (days)."""
    table = inputs.table.drop(columns=["slot", "index"])
    rows = [_delay_row(inputs.plan, k) for k in range(inputs.n_projects)]
    delays = pd.DataFrame([r for r in rows if r is not None], columns=table.columns)
    return pd.concat([table, delays], ignore_index=True) if len(delays) else table


def _delay_row(plan: Plan | None, k: int) -> dict[str, object] | None:
    assert plan is not None
    spec = plan.projects[k].spec
    if spec.delay is None:
        return None
    where = f"projects[{k}] ({spec.id}).delay"
    raw = spec.delay
    texts = (raw.value, raw.low, raw.high) if isinstance(raw, Sourced) else (raw, None, None)
    try:
        central, low, high = (np.nan if t is None else to_canonical(t, "day") for t in texts)
    except UnitProblem as err:
        raise ParkFlowError(plan.path or plan.meta.id, [Problem(
            where, str(err), "write the delay as days or months, e.g. '90 d'")]) from None
    if min(v for v in (central, low, high) if not np.isnan(v)) < 0:
        raise ParkFlowError(plan.path or plan.meta.id, [Problem(
            where, "a delay cannot be negative", "give 0 d or more")])
    return {"id": f"projects.{spec.id}.{DELAY}", "element": spec.id, "kind": "project",
            "field": DELAY, "carrier": "", "year": None, "central": central, "low": low,
            "high": high, "unit": "d", "source": raw.source if isinstance(raw, Sourced) else "",
            "location": f"{plan.path or plan.meta.id}: {where}"}


def simulate(park: Park, plan: Plan | None = None, *, first: int | None = None,
             last: int | None = None, step: str = "year", runs: int = 1, seed: int = 0,
             method: str = "random", workers: int = 1, scheduler: object | None = None,
             chunk_size: int | None = None, progress: Callable[[int], None] | None = None
             ) -> SimulationResult:
    """Simulate ``park`` (with ``plan``) from ``first`` to ``last`` (default: the base year
    to the plan's or the park's last target year); see docs/simulation.md."""
    study = Study(park, plan, park.meta.base_year if first is None else first,
                  default_last(park, plan) if last is None else last, step, runs, seed,
                  method, default_chunk_size(runs) if chunk_size is None else chunk_size)
    check_study(study)
    template = ScenarioInputs(park, plan, study.last, None, 1)
    parameters = study_parameters(template)
    samples = (sample(parameters, runs, method=method, seed=seed_of(seed, "design"))
               if runs > 1 else None)
    task = functools.partial(_run_chunk, _Setup(study, template, samples))
    parts = run_chunks(task, chunks(runs, seed, study.chunk_size), workers=workers,
                       scheduler=scheduler, progress=progress)
    return _summarise(study, template, parameters, samples, parts)


def default_chunk_size(runs: int) -> int:
    """A quarter of the runs, at least :data:`MIN_CHUNK`: 4 chunks keep 2 or 4 workers busy,
    and a chunk of hundreds of runs shares each step's Python work among them (a daily run
    of the 100-enterprise benchmark park costs about twice as much in chunks of 50 as of
    250, benchmarks/bench_simulate.py)."""
    return max(MIN_CHUNK, -(-runs // 4)) if isinstance(runs, int) and runs > 0 else MIN_CHUNK


def default_last(park: Park, plan: Plan | None) -> int:
    """The last target or 达产 year (the base year when there is none)."""
    years = [t.year for t in park.targets]
    if plan is not None:
        years += [p.spec.full_output_year for p in plan.projects]
    return max(years, default=park.meta.base_year)


@dataclass(frozen=True)
class _Setup:
    """What every chunk needs (pickled once per chunk to a worker)."""

    study: Study
    template: ScenarioInputs
    samples: pd.DataFrame | None


def _run_chunk(setup: _Setup, chunk: Chunk) -> RunResult:
    """Runs ``chunk.start … chunk.stop − 1`` of the study."""
    rows = (setup.samples.iloc[chunk.start:chunk.stop] if setup.samples is not None
            else None)
    return run_values(setup.study, setup.template, rows, chunk.stop - chunk.start,
                      np.random.default_rng(chunk.seed))


def run_values(study: Study, template: ScenarioInputs, values: pd.DataFrame | None,
               runs: int, rng: np.random.Generator, keep_flows: bool = False,
               expected: bool = False) -> RunResult:
    """``runs`` runs with ``values`` (some parameter ids, delays included) on ``rng``;
    ``expected``: without random outages (:func:`~.run.run_scenario`)."""
    delays, values = _split_delays(template, values, runs)
    inputs = template.with_values(values, runs)
    steps = build_steps(study.first, study.last, study.step)
    return run_scenario(inputs, steps, rng, delays, keep_flows, expected)


def _split_delays(template: ScenarioInputs, values: pd.DataFrame | None, runs: int
                  ) -> tuple[np.ndarray, pd.DataFrame | None]:
    """``[K, projects]`` delays in days (central where not sampled) and the other values."""
    delays = np.zeros((runs, template.n_projects))
    for k in range(template.n_projects):
        row = _delay_row(template.plan, k)
        if row is not None:
            delays[:, k] = float(row["central"])  # type: ignore[arg-type]
    if values is None:
        return delays, None
    ids = [f"projects.{p.spec.id}.{DELAY}" for p in template.plan.projects] \
        if template.plan is not None else []
    for k, pid in enumerate(ids):
        if pid in values.columns:
            delays[:, k] = values[pid].to_numpy(dtype=float)
    rest = values.drop(columns=[c for c in ids if c in values.columns])
    return delays, rest.reset_index(drop=True)


def _summarise(study: Study, template: ScenarioInputs, parameters: pd.DataFrame,
               samples: pd.DataFrame | None, parts: list[RunResult]) -> SimulationResult:
    steps: Steps = build_steps(study.first, study.last, study.step)
    central = run_values(study, template, None, 1,
                         np.random.default_rng(seed_of(study.seed, "central")), keep_flows=True)
    values = np.concatenate([p.indicators for p in parts])
    problems = ["; ".join(found) for p in parts for found in p.problems]
    runs = long_frame(study.scenario, parts[0].years, values, problems)
    compiled = template.compiled
    assert central.step_qty is not None and central.step_levels is not None
    return SimulationResult(
        study=study, runs=runs,
        trajectory=trajectory(runs, study.park.targets, study.park.meta.currency),
        stockpiles=stockpile_levels(compiled, steps, central.stock[:, 0],
                                    [p.stock for p in parts]),
        flows=period_flows(compiled, steps, central.step_qty),
        activity=period_activity(compiled, steps, central.step_levels),
        parameters=parameters, samples=samples, inputs=template)


# The inputs a manager most wants ranked (issue 9): the utilisation rate and the index.
SENSITIVITY_INDICATORS = ("solid_waste_utilisation_rate", "resource_output_rate_index")
SENSITIVITY_STEPS = {"day": "month", "week": "month"}  # coarsened: n·(d+2) runs


def sensitivity_outputs(study: Study) -> list[str]:
    """``<indicator>@<year>`` ranked: each indicator in its target years inside the study
    (the last year when it has none)."""
    outputs = []
    for indicator in SENSITIVITY_INDICATORS:
        years = sorted({t.year for t in study.park.targets if t.indicator == indicator
                        and study.first <= t.year <= study.last}) or [study.last]
        outputs += [f"{indicator}@{year}" for year in years]
    return outputs


def sensitivity_study(result: SimulationResult, *, sobol_samples: int = 64, workers: int = 1,
                      scheduler: object | None = None) -> pd.DataFrame:
    """Tornado (one at a time, low/high) and Sobol indices (``sobol_samples`` base samples;
    0 for the tornado alone) of the study's uncertain inputs for :func:`sensitivity_outputs`;
    the sensitivity frame (docs/uncertainty.md).

    The model is the study without random outages (each enterprise up its availability's
    share of every step), at most monthly steps, so that the indices rank the parameters
    and are not blurred by outage noise or cost n·(d + 2) daily runs.
    """
    from ..uncertainty.sensitivity import sobol, tornado  # SALib: only when asked

    study = result.study
    coarse = dataclasses.replace(study, step=SENSITIVITY_STEPS.get(study.step, study.step))
    outputs = sensitivity_outputs(study)
    model = functools.partial(_model, _Setup(coarse, result.inputs, None), outputs, workers,
                              scheduler)
    seed = seed_of(study.seed, "sensitivity")
    ranked = [tornado(model, result.parameters, outputs=outputs)]
    if sobol_samples:  # 0: the tornado alone (2·d runs instead of n·(d + 2) more)
        ranked.append(sobol(model, result.parameters, sobol_samples, seed=seed,
                            outputs=outputs))
    return pd.concat(ranked, ignore_index=True)


def _model(setup: _Setup, outputs: list[str], workers: int, scheduler: object | None,
           values: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity model: one row of outputs per row of ``values``."""
    setup = dataclasses.replace(setup, samples=values.reset_index(drop=True))
    size = max(setup.study.chunk_size, 200)
    parts = run_chunks(functools.partial(_expected_chunk, setup),
                       chunks(len(values), setup.study.seed, size), workers=workers,
                       scheduler=scheduler)
    indicators = np.concatenate([p.indicators for p in parts])
    years = parts[0].years
    columns = {}
    for name in outputs:
        indicator, _, year = name.partition("@")
        columns[name] = indicators[:, years.index(int(year)), INDICATOR_IDS.index(indicator)]
    return pd.DataFrame(columns, index=values.index)


def _expected_chunk(setup: _Setup, chunk: Chunk) -> RunResult:
    assert setup.samples is not None
    rows = setup.samples.iloc[chunk.start:chunk.stop]
    return run_values(setup.study, setup.template, rows, len(rows),
                      np.random.default_rng(chunk.seed), expected=True)
