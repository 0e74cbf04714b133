"""``parkflow simulate``: a park (with a plan) through the years, step by step, with Monte Carlo
runs, the probability of meeting each target, sensitivity and figures (docs/simulation.md).

A thin layer over :mod:`mfa.simulate` (registered in :mod:`mfa.cli`). Everything is computed
first, then the files are written as one unit (:func:`mfa.io.outputs.write_unit`): nothing
half-written. The same seed gives byte-identical files on 1 or N workers or a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .cli_text import err, fail, number, out, plain, safe
from .errors import ParkFlowError

if TYPE_CHECKING:
    import pandas as pd

    from .io.outputs import Content
    from .model.park import Park
    from .plans import Plan
    from .simulate.study import SimulationResult

PARK_HELP = "A park file path, or the name of a built-in park (see `parkflow parks`)."
SHOWN = ("solid_waste_utilisation_rate", "resource_output_rate_index")


def simulate(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for trajectory.csv, "
                                          "stockpiles.csv, flows.csv, runs.parquet, figures/ "
                                          "…")],
    plan: Annotated[str | None, typer.Option(
        "--plan", metavar="PLAN", help="A built-in plan's name, a plan file, or "
        "no-symbiosis (every link between two enterprises removed).")] = None,
    first: Annotated[int | None, typer.Option(
        "--from", help="First year (default: the park's base year).")] = None,
    last: Annotated[int | None, typer.Option(
        "--to", help="Last year (default: the last target or 达产 year).")] = None,
    step: Annotated[str, typer.Option(help="day, week, month or year.")] = "year",
    runs: Annotated[int, typer.Option(help="Monte Carlo runs (1: central values).")] = 1,
    seed: Annotated[int, typer.Option(help="Seed of every random draw.")] = 0,
    method: Annotated[str, typer.Option(help="Sampling: random, lhs or sobol.")] = "random",
    workers: Annotated[int, typer.Option(help="Local processes running the runs.")] = 1,
    scheduler: Annotated[str | None, typer.Option(
        help="A Dask scheduler address (tcp://host:port) to run on instead.")] = None,
    sensitivity: Annotated[bool, typer.Option(
        "--sensitivity", help="Also rank the inputs: tornado (one at a time) and Sobol "
        "indices of the target indicators.")] = False,
    sobol_samples: Annotated[int, typer.Option(
        help="Base samples of the Sobol design (n·(d+2) runs).")] = 64,
    chunk_size: Annotated[int | None, typer.Option(
        help="Runs per chunk (a study setting: results depend on it, not on workers; "
        "default: a quarter of the runs, at least 50).")] = None,
) -> None:
    """Simulate through the years: per-year indicators with p5/p50/p95 bands and the
    probability of meeting each target; stockpile levels; per-period flows of the central
    run; optional sensitivity."""
    from .io.outputs import write_unit
    from .simulate.study import sensitivity_study
    from .simulate.study import simulate as run_study

    try:
        model, scenario = _load(park, plan)
        with _progress(runs) as advance:
            result = run_study(model, scenario, first=first, last=last, step=step, runs=runs,
                               seed=seed, method=method, workers=workers, scheduler=scheduler,
                               chunk_size=chunk_size, progress=advance)
        ranking = (sensitivity_study(result, sobol_samples=sobol_samples, workers=workers,
                                     scheduler=scheduler) if sensitivity else None)
        written = write_unit(study_files(result, ranking), out_dir)
    except ParkFlowError as error:
        fail(error)
        return
    _print(result)
    err.print(f"wrote {len(written)} files to {plain(str(out_dir))}", markup=False,
              highlight=False, soft_wrap=True)


def study_files(result: SimulationResult, ranking: pd.DataFrame | None) -> dict[str, Content]:
    """Every file of ``parkflow simulate --out`` (docs/simulation.md, "Outputs")."""
    from .plots.study import study_figures
    from .uncertainty.parquet import study_bytes

    files: dict[str, Content] = {
        "trajectory.csv": result.trajectory,
        "stockpiles.csv": result.stockpiles,
        "flows.csv": result.flows,
        "activity.csv": result.activity,
        "parameters.csv": result.parameters,
        "runs.parquet": study_bytes(result.runs),
        "study.json": _study_json(result),
    }
    if result.samples is not None:
        files["samples.csv"] = result.samples.reset_index()
    if ranking is not None:
        files["sensitivity.csv"] = ranking
    return files | study_figures(result, ranking)


def _study_json(result: SimulationResult) -> str:
    """What reproduces the study: version, inputs with their SHA-256, settings (not the
    workers: the results do not depend on them)."""
    import dataclasses
    import hashlib
    import json
    from importlib.metadata import version

    study = result.study

    def digest(path: Path | None) -> str | None:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path else None

    plan = study.plan
    settings = {
        "parkflow": version("parkflow"), "park": study.park.meta.id,
        "park_file": study.park.path.name if study.park.path else None,
        "park_sha256": digest(study.park.path),
        "plan": plan.meta.id if plan else None,
        "plan_file": plan.path.name if plan and plan.path else None,
        "plan_sha256": digest(plan.path) if plan else None,
        "from": study.first, "to": study.last, "step": study.step, "runs": study.runs,
        "seed": study.seed, "method": study.method, "chunk_size": study.chunk_size,
        "bases": dataclasses.asdict(study.park.statistics.basis),
    }
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def _load(park: str, plan: str | None) -> tuple[Park, Plan | None]:
    from .io.park import load_park
    from .scenarios.counterfactual import plan_for

    model = load_park(park)
    return model, (plan_for(model, plan) if plan else None)


@contextmanager
def _progress(runs: int) -> Iterator[Callable[[int], None]]:
    """A progress bar of the runs on stderr (shown only on a terminal)."""
    bar = Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=err, transient=True,
                   disable=not err.is_terminal)
    with bar:
        task = bar.add_task("runs", total=runs)
        yield lambda done: bar.update(task, completed=done)


def _print(result: SimulationResult) -> None:
    trajectory = result.trajectory
    shown = trajectory[trajectory["indicator"].isin(SHOWN)]
    study = result.study
    table = Table(title=safe(f"{study.park.meta.name_en} · {study.scenario} · {study.runs} "
                             f"run(s) · step {study.step}"))
    for column in ("year", "indicator", "p5", "p50", "p95", "target", "P(meet)"):
        table.add_column(column, justify="left" if column == "indicator" else "right")
    for row in shown.to_dict(orient="records"):
        table.add_row(str(row["year"]), safe(str(row["indicator"])),
                      *(number(float(row[c])) for c in ("p5", "p50", "p95", "target")),
                      _probability(float(row["probability"])))
    out.print(table)


def _probability(value: float) -> str:
    return "–" if value != value else f"{value:.2f}"  # NaN: no target that year
