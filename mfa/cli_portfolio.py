"""``parkflow optimise``: the cheapest subset of a candidates plan that meets the targets.

A thin layer over :func:`mfa.scenarios.portfolio.optimise` (registered in :mod:`mfa.cli`).
Exit 0 with the portfolio; 1 when no subset reaches the targets (the best one is printed and
the message goes to stderr); 2 for bad input.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from .cli_text import err, fail, out, safe
from .errors import ParkFlowError

if TYPE_CHECKING:
    from .scenarios.portfolio import Portfolio

COLUMNS = ["row", "id", "name_zh", "name_en", "year", "target", "value", "unit", "met",
           "capex", "cost"]


def optimise(
    park: Annotated[str, typer.Argument(help="A park file path or a built-in park's name.")],
    plan: Annotated[str, typer.Option("--plan", metavar="CANDIDATES",
                                      help="The candidate projects: a plan name or path.")],
    target: Annotated[list[str], typer.Option(
        "--target", help="indicator=value@year (or <=, >=), repeatable, e.g. "
        "solid_waste_utilisation_rate=80@2025.")],
    budget: Annotated[str | None, typer.Option(help="Total capex at most, e.g. '5 亿元'.")] = None,
    rate: Annotated[float, typer.Option(help="Discount rate of the costs.")] = 0.08,
    method: Annotated[str, typer.Option(help="auto, exact or milp.")] = "auto",
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """The cheapest subset of the candidate projects that meets every target."""
    from .io.park import load_park
    from .plans import load_plan
    from .scenarios.goals import check_rate, parse_budget, parse_goal
    from .scenarios.portfolio import optimise as run

    try:
        if fmt not in ("table", "csv", "json") or method not in ("auto", "exact", "milp"):
            raise ParkFlowError.single("--format" if fmt not in ("table", "csv", "json")
                                       else "--method", "", "unknown choice",
                                       "--format table|csv|json, --method auto|exact|milp")
        model, candidates = load_park(park), load_plan(plan)
        goals = [parse_goal(text, model) for text in target]
        limit = parse_budget(budget, candidates.meta.currency) if budget else None
        result = run(model, candidates, goals, limit, check_rate(rate), method=method)
    except ParkFlowError as error:
        fail(error)
        return
    rows = _rows(result)
    if fmt == "csv":
        import pandas as pd

        sys.stdout.write(pd.DataFrame(rows, columns=COLUMNS).to_csv(index=False,
                                                                     float_format="%.10g"))
    elif fmt == "json":
        sys.stdout.write(json.dumps({"feasible": result.feasible, "method": result.method,
                                     "message": result.message, "rows": rows},
                                    ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        _print(result, rows)
    if not result.feasible:
        err.print(f"[yellow]{safe(result.message)}[/]", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1)


def _rows(result: Portfolio) -> list[dict[str, Any]]:
    from .model.indicator_defs import INDICATORS, unit_for

    currency = result.plan.meta.currency
    rows: list[dict[str, Any]] = []
    for k in result.chosen:
        p = result.plan.projects[k]
        rows.append({"row": "project", "id": p.id, "name_zh": p.spec.name_zh,
                     "name_en": p.spec.name_en, "year": p.spec.start_year,
                     "capex": float(result.capex[k]), "cost": float(result.costs[k])})
    for goal, value, met in zip(result.goals, result.values, result.met, strict=True):
        d = INDICATORS[goal.indicator]
        rows.append({"row": "target", "id": goal.indicator, "name_zh": d.name_zh,
                     "name_en": d.name_en, "year": goal.year,
                     "target": f"{goal.sign} {goal.value:g}", "value": value,
                     "unit": unit_for(goal.indicator, currency), "met": met})
    rows.append({"row": "total", "id": "portfolio", "capex": result.total_capex,
                 "cost": result.cost, "unit": currency})
    return [{c: r.get(c, "") for c in COLUMNS} for r in rows]


def _print(result: Portfolio, rows: list[dict[str, Any]]) -> None:
    yi = 1e8  # 亿
    view = Table(title="Cheapest portfolio" if result.feasible else
                 "Best portfolio (does not reach the targets)", title_justify="left",
                 caption=safe(result.method), caption_justify="left")
    for column in ("", "id", "名称 / Name", "year", "target", "value", "capex 亿", "cost 亿"):
        view.add_column(column)
    for r in rows:
        value = "" if r["value"] == "" else f"{r['value']:.4g} {r['unit']}"
        view.add_row(r["row"], safe(r["id"]), safe(f"{r['name_zh']} {r['name_en']}".strip()),
                     str(r["year"]), str(r["target"]), value,
                     "" if r["capex"] == "" else f"{r['capex'] / yi:.3f}",
                     "" if r["cost"] == "" else f"{r['cost'] / yi:.3f}")
    out.print(view)
