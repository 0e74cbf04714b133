"""``parkflow assess PARK [--plan PLAN] --out DIR``: the retrofit assessment report (HTML, PDF,
figures, tables, manifest) of :mod:`mfa.report`, registered in :mod:`mfa.cli`.

Bad input prints the located messages of :class:`~mfa.errors.ParkFlowError` without a
traceback and exits 2; an existing ``--out`` folder is refused unless ``--force``; nothing is
half-written.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from .cli_text import err, fail, plain
from .errors import ParkFlowError

PARK_HELP = "A park file path, or the name of a built-in park (see `parkflow parks`)."


def assess(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    out_dir: Annotated[Path, typer.Option("--out", help="The report folder to create "
                                          "(refused if it exists, unless --force).")],
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help=(
        "The retrofit plan: a built-in plan's name (see `parkflow plans`) or a plan file. "
        "Without it the report assesses the park as it is."))] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: zh or en.")] = (
        "zh"),
    year: Annotated[list[int] | None, typer.Option(
        "--year", help="A year to assess (repeatable; default: the park's target years).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out folder.")
                     ] = False,
    progress: Annotated[int | None, typer.Option(
        "--progress", metavar="YEAR", help="The annual progress report (工作进展、成效) of YEAR: "
        "the --measured values against the plan's expectation.")] = None,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs of the simulation behind the "
                                      "trajectories, bands and probabilities.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of every random draw.")] = 0,
    step: Annotated[str, typer.Option(help="Simulation step: day, week, month or year.")] = (
        "month"),
    workers: Annotated[int, typer.Option(help="Local processes running the runs.")] = 1,
    sobol_samples: Annotated[int, typer.Option(
        help="Base samples of a Sobol sensitivity study (0: the tornado alone).")] = 0,
    measured: Annotated[Path | None, typer.Option(
        "--measured", help="The measured values of the --progress year (YAML: year, source, "
        "values: {indicator id: value}; docs/report.md).")] = None,
    portfolio: Annotated[str | None, typer.Option(
        "--portfolio", metavar="CANDIDATES", help="Add the cheapest subset of these candidate "
        "projects (a plan name or file) that meets the targets to section 4.")] = None,
    target: Annotated[list[str] | None, typer.Option(
        "--target", help="What the --portfolio must reach: indicator=value@year, repeatable "
        "(default: the park's targets in the assessed years).")] = None,
) -> None:
    """The circular-retrofit assessment report: summary, the park, indicators, projects,
    预期成效, sources and methods, as report.html (self-contained) and report.pdf."""
    from .io.park import load_park
    from .plans import load_plan
    from .report.strings import text
    from .results.sanity import checked_year
    from .scenarios.counterfactual import plan_for
    from .scenarios.goals import parse_goal

    try:
        text(lang)
        for chosen in year or []:
            checked_year(chosen, "--year")
        if (progress is None) != (measured is None):
            raise ParkFlowError.single("--progress", "", "--progress and --measured go "
                                       "together", "give both: --progress YEAR --measured "
                                       "FILE")
        if progress is not None:
            checked_year(progress, "--progress")
        if out_dir.exists() and not force:
            raise ParkFlowError.single(out_dir, "", "already exists",
                                       "choose a new folder for --out, or give --force to "
                                       "replace it")
        model = load_park(park)
        scenario = plan_for(model, plan) if plan else None
        if target and portfolio is None:
            raise ParkFlowError.single("--target", target[0], "--target is what a --portfolio "
                                       "must reach", "give --portfolio CANDIDATES too")
        candidates = load_plan(portfolio) if portfolio else None
        for chosen_plan in (scenario, candidates):
            if chosen_plan is not None and chosen_plan.meta.park != model.meta.id:
                raise ParkFlowError.single(chosen_plan.source_label, "plan.park",
                                           f"the plan is for park '{chosen_plan.meta.park}', "
                                           f"not '{model.meta.id}'",
                                           f"use park '{chosen_plan.meta.park}'")
        goals = [parse_goal(t, model) for t in target or []]
        # the report's libraries (matplotlib, WeasyPrint, …) load in seconds: after the checks
        from .report import assess as run_assessment
        from .report import write_report
        from .report.progress import load_measured
        from .simulate import sensitivity_study, simulate
        from .simulate.study import default_last

        values = load_measured(measured, progress) if measured and progress else None
        study = simulate(model, scenario, last=max([*(year or []), default_last(model, scenario)]),
                         step=step, runs=runs, seed=seed, workers=workers)
        ranked = (study.parameters["low"] < study.parameters["high"]).any()
        ranking = (sensitivity_study(study, sobol_samples=sobol_samples, workers=workers)
                   if ranked else None)  # a park without ranges has nothing to rank
        assessment = run_assessment(model, scenario, year, measured=values,
                                    trajectory=study.trajectory, stockpiles=study.stockpiles,
                                    sensitivity=ranking, candidates=candidates, goals=goals)
        command = shlex.join(["parkflow", "assess", park, *(["--plan", plan] if plan else []),
                              "--out", str(out_dir), "--lang", lang,
                              *(f"--year={y}" for y in year or []),
                              f"--runs={runs}", f"--seed={seed}", f"--step={step}",
                              *([f"--sobol-samples={sobol_samples}"] if sobol_samples else []),
                              *(["--progress", str(progress), "--measured", str(measured)]
                                if measured else []),
                              *(["--portfolio", portfolio] if portfolio else []),
                              *(f"--target={t}" for t in target or []),
                              *(["--force"] if force else [])])
        written = write_report(assessment, out_dir, lang, force=force, command=command,
                               seed=seed)
    except ParkFlowError as error:
        fail(error)
        return
    shown = [p for p in written if p.parent == out_dir]
    for path in shown:
        err.print(f"wrote {plain(str(path))}", markup=False, highlight=False, soft_wrap=True)
    extra = len(written) - len(shown)
    err.print(f"wrote {extra} figure and table files in {plain(str(out_dir))}/figures and "
              "/tables", markup=False, highlight=False, soft_wrap=True)

