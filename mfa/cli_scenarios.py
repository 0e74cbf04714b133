"""``parkflow compare`` (baseline against plans, with targets met or not) and ``parkflow
attribute`` (each project's standalone, marginal and Shapley effect).

A thin layer over :mod:`mfa.scenarios` (registered in :mod:`mfa.cli`). Bad input prints the
located messages of :class:`~mfa.errors.ParkFlowError` without a traceback and exits 2; with
``--out`` the tables are written as one unit (nothing half-written).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from .cli_text import Format, err, fail, number, out, plain, safe
from .errors import ParkFlowError, one_of

if TYPE_CHECKING:
    import pandas as pd

    from .model.park import Park
    from .plans import Plan

PARK_HELP = "A park file path, or the name of a built-in park (see `parkflow parks`)."
SCENARIO_PLAN_HELP = ("A plan: a built-in plan's name (see `parkflow plans`), a plan file path, "
                      "or no-symbiosis (every link between two enterprises removed). "
                      "Repeatable.")
# The columns of `compare` in CSV and JSON (the contract of issue 8), then the rest.
COMPARE_COLUMNS = ["scenario", "year", "indicator", "value", "unit", "target", "met",
                   "target_year", "gap", "change", "name_zh", "name_en", "basis", "quality",
                   "note"]
ATTRIBUTE_COLUMNS = ["year", "indicator", "project", "standalone", "marginal", "shapley",
                     "shapley_se", "total", "name_zh", "name_en"]


def load_scenarios(park: str, plan_names: list[str], years: list[int] | None
                   ) -> tuple[Park, list[Plan], list[int] | None]:
    """The park, its plans (``no-symbiosis`` built in) and the checked years."""
    from .io.park import load_park
    from .results.sanity import checked_year
    from .scenarios.counterfactual import plan_for

    for year in years or []:
        checked_year(year, "--year")
    model = load_park(park)
    if not plan_names:
        raise ParkFlowError.single("--plan", "", "no plan given",
                                   "name one: a built-in plan (`parkflow plans`), a plan "
                                   "file or no-symbiosis")
    return model, [plan_for(model, name) for name in plan_names], years


def compare(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    plan: Annotated[list[str], typer.Option("--plan", metavar="PLAN",
                                            help=SCENARIO_PLAN_HELP)],
    year: Annotated[list[int] | None, typer.Option(
        "--year", help="A year to compare (repeatable; default: the park's target years).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print the comparison.")] = (
        Format.table),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write compare.csv and "
                                                 "compare.json to this folder.")] = None,
) -> None:
    """Baseline against plans: every indicator by year, with its target, met or not, the gap."""
    from .scenarios.compare import compare as compare_scenarios

    try:
        model, plans, years = load_scenarios(park, plan, year)
        table = compare_scenarios(model, plans, years)
        rows = table.reset_index()[COMPARE_COLUMNS]
        written = _write(rows, "compare", out_dir)
    except ParkFlowError as error:
        fail(error)
        return
    _emit(rows, fmt, lambda: _print_compare(model, table))
    _written(written)


def attribute(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    plan: Annotated[str, typer.Option("--plan", metavar="PLAN", help=(
        "The plan whose projects are attributed: a built-in plan's name or a plan file."))],
    year: Annotated[list[int] | None, typer.Option(
        "--year", help="A year (repeatable; default: the park's target years).")] = None,
    indicator: Annotated[list[str] | None, typer.Option(
        "--indicator", help="Only these indicator ids (repeatable; default: every indicator "
        "the plan changes).")] = None,
    samples: Annotated[int, typer.Option(help="Random orders for sampled Shapley values "
                                         "(plans of more than 12 projects).")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the random orders.")] = 0,
    fmt: Annotated[Format, typer.Option("--format", help="How to print the effects.")] = (
        Format.table),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write attribute.csv and "
                                                 "attribute.json to this folder.")] = None,
) -> None:
    """Each project's effect on every indicator: standalone, marginal and Shapley share."""
    from .scenarios.attribution import attribute as attribute_projects
    from .scenarios.compare import default_years

    try:
        model, plans, years = load_scenarios(park, [plan], year)
        if not 1 <= samples <= 1_000_000:
            raise ParkFlowError.single("--samples", "", f"{samples} random orders",
                                       "give from 1 to 1,000,000")
        table = attribute_projects(model, plans[0], years or default_years(model),
                                   samples=samples, seed=seed)
        rows = _chosen(table.reset_index()[ATTRIBUTE_COLUMNS], indicator)
        written = _write(rows, "attribute", out_dir)
    except ParkFlowError as error:
        fail(error)
        return
    _emit(rows, fmt, lambda: _print_attribution(model, plans[0], rows, dict(table.attrs)))
    _written(written)


def effects(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    plan: Annotated[str, typer.Option("--plan", metavar="PLAN", help=(
        "The plan: a built-in plan's name or a plan file."))],
    year: Annotated[list[int] | None, typer.Option(
        "--year", help="A year (repeatable; default: the park's target years).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print the effects.")] = (
        Format.table),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write effects.csv, "
                                                 "projects.csv and effects.json to this "
                                                 "folder.")] = None,
) -> None:
    """预期成效: the plan's expected effects (节能量, 节水量, CO₂, 固废, 废水, pollutants,
    intensities, 利用率) per project and in total, and the 重点项目表 of the 2017 编制指南."""
    from .export import records_json
    from .io.outputs import write_unit
    from .scenarios.compare import default_years
    from .scenarios.effects import expected_effects, project_table

    try:
        model, plans, years = load_scenarios(park, [plan], year)
        years = years or default_years(model)
        table = expected_effects(model, plans[0], years)
        projects = project_table(model, plans[0], max(years)).reset_index()
        rows = table.reset_index()
        written = write_unit({"effects.csv": rows, "projects.csv": projects,
                              "effects.json": records_json(rows)}, out_dir) if out_dir else []
    except ParkFlowError as error:
        fail(error)
        return
    _emit(rows, fmt, lambda: _print_effects(plans[0], table, projects, max(years)))
    _written(written)


def history(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    year: Annotated[int | None, typer.Option(help="The year whose activity is balanced "
                                             "(default: the base year).")] = None,
    indicator: Annotated[list[str] | None, typer.Option(
        "--indicator", help="Only these indicator ids (repeatable; default: water, energy, "
        "CO₂, SO₂, primary resources, solid waste utilisation).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print the history.")] = (
        Format.table),
) -> None:
    """The park's exchanges by the year they began, as dated projects: what each group
    changes (standalone, marginal, Shapley share) and the park as they were added."""
    from .indicators.fast import INDICATOR_IDS
    from .io.park import load_park
    from .results.sanity import checked_year
    from .scenarios.history import SAVINGS
    from .scenarios.history import history as park_history

    try:
        if year is not None:
            checked_year(year, "--year")
        for ind_id in indicator or []:
            if ind_id not in INDICATOR_IDS:
                raise ParkFlowError.single("--indicator", "", f"'{plain(ind_id)}' is not an "
                                           "indicator id", one_of(ind_id, INDICATOR_IDS))
        model = load_park(park)
        table = park_history(model, year)
        rows = table.loc[list(indicator or SAVINGS)].reset_index()
    except ParkFlowError as error:
        fail(error)
        return
    _emit(rows, fmt, lambda: _print_history(model, rows, dict(table.attrs)))


def _print_history(model: Park, rows: pd.DataFrame, attrs: dict[object, object]) -> None:
    """A row per dated group: each indicator's Shapley change, then the totals."""
    indicators = list(dict.fromkeys(rows["indicator"]))
    view = Table(title=f"{safe(model.meta.name_en)}: the exchanges by the year they began, "
                 f"at {attrs['year']} activity (change each group makes; Shapley shares)",
                 title_justify="left")
    view.add_column("since", justify="right")
    view.add_column("exchanges (links)", max_width=48)
    first = rows.drop_duplicates("indicator").set_index("indicator")
    for ind_id in indicators:
        view.add_column(f"{safe(str(first.at[ind_id, 'name_en']))} "
                        f"({safe(str(first.at[ind_id, 'unit']))})", justify="right")
    for _, part in rows.groupby("group", sort=False):
        shares = dict(zip(part["indicator"], part["shapley"].astype(float), strict=True))
        since = part["since"].iloc[0]
        view.add_row("undated" if since is None or since != since else str(int(since)),
                     safe(part["links"].iloc[0]), *(number(shares[i]) for i in indicators))
    without = attrs["without_exchanges"]
    assert isinstance(without, dict)
    totals = first["total"].astype(float).to_dict()
    view.add_row("", "all exchanges (park − park without them)",
                 *(number(totals[i]) for i in indicators))
    view.add_row("", "without any exchange", *(number(without[i]) for i in indicators))
    out.print(view)
    out.print(f"Method: removals of each group as switches; {safe(str(attrs['method']))}",
              highlight=False)


def _chosen(rows: pd.DataFrame, wanted: list[str] | None) -> pd.DataFrame:
    """Rows of the ``--indicator`` ids, or of every indicator the plan changes."""
    from .indicators.fast import INDICATOR_IDS

    if not wanted:
        changed = rows.groupby("indicator")["total"].transform(
            lambda t: bool((t.abs() > 1e-12).any()))
        return rows[changed.astype(bool)].reset_index(drop=True)
    for ind_id in wanted:
        if ind_id not in INDICATOR_IDS:
            raise ParkFlowError.single("--indicator", "", f"'{plain(ind_id)}' is not an "
                                       "indicator id",
                                       f"{one_of(ind_id, INDICATOR_IDS)} (docs/indicators.md)")
    return rows[rows["indicator"].isin(wanted)].reset_index(drop=True)


def _write(rows: pd.DataFrame, stem: str, out_dir: Path | None) -> list[Path]:
    from .export import records_json
    from .io.outputs import write_unit

    if out_dir is None:
        return []
    return write_unit({f"{stem}.csv": rows, f"{stem}.json": records_json(rows)}, out_dir)


def _emit(rows: pd.DataFrame, fmt: Format, table_view: Callable[[], None]) -> None:
    from .export import records_json

    if fmt is Format.csv:
        sys.stdout.write(rows.to_csv(index=False, float_format="%.10g"))
    elif fmt is Format.json:
        sys.stdout.write(records_json(rows) + "\n")
    else:
        table_view()


def _written(paths: list[Path]) -> None:
    for path in paths:
        err.print(f"wrote {plain(str(path))}", markup=False, highlight=False, soft_wrap=True)


def _met(value: object) -> str:
    import pandas as pd

    if value is pd.NA or value is None:
        return ""
    return "[green]met[/]" if bool(value) else "[red]not met[/]"


def _print_compare(model: Park, table: pd.DataFrame) -> None:
    """One table per year: the indicators with a value, a column per scenario, the target."""
    import pandas as pd

    scenarios = list(dict.fromkeys(table.index.get_level_values("scenario")))
    for year, rows in table.groupby(level="year"):
        view = Table(title=f"{safe(model.meta.name_zh)} {safe(model.meta.name_en)} — {year}",
                     title_justify="left")
        for column in ("指标", "Indicator", "Unit", *scenarios, "Target"):
            view.add_column(safe(column), justify="left" if column in (
                "指标", "Indicator", "Unit") else "right")
        wide = rows.reset_index(level="year", drop=True)
        for ind_id in dict.fromkeys(wide.index.get_level_values("indicator")):
            cells = wide.xs(ind_id, level="indicator")
            if cells["value"].isna().all():
                continue
            first = cells.iloc[0]
            values = [number(cells.loc[s, "value"]) + (
                f" {_met(cells.loc[s, 'met'])}" if not pd.isna(cells.loc[s, "met"]) else "")
                for s in scenarios]
            target = "" if pd.isna(first["target"]) else (
                f"{number(first['target'])} ({first['target_year']})")
            view.add_row(safe(first["name_zh"]), safe(first["name_en"]), safe(first["unit"]),
                         *values, target)
        out.print(view)


def _print_effects(plan: Plan, table: pd.DataFrame, projects: pd.DataFrame,
                   year: int) -> None:
    """The project table, then per year the plan's effects with each project's share."""
    from .scenarios.effects import PLAN_ROW

    view = Table(title=f"重点项目表 Projects of {safe(plan.meta.id)} (effects standalone, "
                 f"{year})", title_justify="left")
    for column in ("#", "project", "类型", "总投资 万元", "起止/达产", "节能 tce", "节水 m³",
                   "CO₂减排 t", "固废利用 t", "利用率 +pp"):
        view.add_column(column, no_wrap=column == "project",
                        justify="left" if column in ("project", "类型") else "right")
    for k, row in projects.iterrows():
        view.add_row(f"P{int(str(k)) + 1}", safe(row["project"]), safe(row["kind"]),
                     number(row["capex"] / 1e4), f"{row['start_year']}/"
                     f"{row['full_output_year']}", number(row["energy_saving"]),
                     number(row["water_saving"]), number(row["co2_reduction"]),
                     number(row["solid_waste_utilised_more"]),
                     number(row["solid_waste_utilisation_rise"]))
    out.print(view)
    for k, row in projects.iterrows():
        out.print(f"  P{int(str(k)) + 1} {safe(row['name_zh'])} — {safe(row['name_en'])}; "
                  f"责任企业 {safe(row['responsible'])}; 年度投资 {safe(row['annual_investment'])}"
                  f" {safe(row['currency'])}", highlight=False, soft_wrap=True)
    for year_, part in table.groupby(level="year"):
        names = [p for p in dict.fromkeys(part.index.get_level_values("project"))
                 if p != PLAN_ROW]
        view = Table(title=f"预期成效 Expected effects of {safe(plan.meta.id)} — {year_} "
                     "(positive = better; P1…: each project's Shapley share)",
                     title_justify="left")
        for column in ("成效", "Effect", "Unit", "baseline", "plan", "effect",
                       *(f"P{k + 1}" for k in range(len(names)))):
            view.add_column(safe(column), justify="left" if column in (
                "成效", "Effect", "Unit") else "right")
        for effect_id in dict.fromkeys(part.index.get_level_values("effect")):
            rows = part.xs(effect_id, level="effect").droplevel("year")
            total = rows.loc[PLAN_ROW].to_dict()
            view.add_row(safe(total["name_zh"]), safe(total["name_en"]), safe(total["unit"]),
                         number(total["baseline"]), number(total["plan"]),
                         number(total["shapley"]),
                         *(number(float(rows.at[name, "shapley"])) for name in names))  # type: ignore[arg-type]
        out.print(view)
    methods = dict.fromkeys(zip(table["name_zh"], table["method"], strict=True))
    for name, method in methods:
        out.print(f"  – {safe(name)}: {safe(method)}", highlight=False, soft_wrap=True)
    bases = dict.fromkeys(p for label in table["basis"] for p in label.split("; ") if p)
    if bases:
        out.print("Basis: " + " · ".join(safe(b) for b in bases), highlight=False)


def _print_attribution(model: Park, plan: Plan, rows: pd.DataFrame,
                       attrs: dict[object, object]) -> None:
    """One table per year and indicator: each project's three effects and the total."""
    from .model.indicator_defs import INDICATORS, unit_for

    for (year, ind_id), part in rows.groupby(["year", "indicator"], sort=False):
        definition = INDICATORS[str(ind_id)]
        unit = unit_for(str(ind_id), model.meta.currency)
        view = Table(title=f"{safe(plan.meta.id)} — {year} — {safe(definition.name_zh)} "
                     f"{safe(definition.name_en)}" + (f" ({safe(unit)})" if unit else ""),
                     title_justify="left",
                     caption=f"total change {number(part['total'].iloc[0])}",
                     caption_justify="left")
        for column in ("project", "项目", "standalone", "marginal", "Shapley", "± se"):
            view.add_column(column, justify="left" if column in ("project", "项目") else "right")
        for _, row in part.iterrows():
            view.add_row(safe(row["project"]), safe(row["name_zh"]), number(row["standalone"]),
                         number(row["marginal"]), number(row["shapley"]),
                         number(row["shapley_se"]) if row["shapley_se"] else "")
        out.print(view)
    out.print(f"Method: {safe(str(attrs.get('method', '')))}", highlight=False)
    for problem in attrs.get("problems", []) or []:  # type: ignore[attr-defined]
        err.print(f"[yellow]note[/] {safe(problem)}", highlight=False, soft_wrap=True)
