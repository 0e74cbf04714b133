"""``parkflow economics PARK --plan PLAN``: each project's and the plan's NPV, IRR, payback
and unit costs (:mod:`mfa.scenarios.economics`), registered in :mod:`mfa.cli`."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .cli_text import Format, err, fail, out, plain, safe
from .errors import ParkFlowError

_SHOWN = {"capex": "capex", "opex_full": "opex/a", "savings_full": "savings/a", "npv": "NPV",
          "irr": "IRR", "payback_year": "payback", "cost_per_t_waste": "/t waste",
          "cost_per_tce": "/tce", "cost_per_t_co2": "/t CO₂"}


def economics(
    park: Annotated[str, typer.Argument(help="A park file path or a built-in park's name.")],
    plan: Annotated[str, typer.Option("--plan", metavar="PLAN",
                                      help="A built-in plan's name or a plan file path.")],
    rate: Annotated[float | None, typer.Option(
        "--rate", min=0, max=1, help="Discount rate (default: the plan's, else 0.08).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print.")] = Format.table,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Write economics.csv, cash_flows.csv and prices.csv here.")] = None,
) -> None:
    """NPV, IRR, payback and cost per t waste / tce / t CO₂ of each project and the plan."""
    from .io.outputs import write_unit
    from .io.park import load_park
    from .plans import load_plan
    from .scenarios.economics import economics as run

    try:
        model, chosen = load_park(park), load_plan(plan)
        if chosen.meta.park != model.meta.id:
            raise ParkFlowError.single(chosen.source_label, "plan.park",
                                       f"the plan is for park '{chosen.meta.park}', not "
                                       f"'{model.meta.id}'", f"use park '{chosen.meta.park}'")
        table = run(model, chosen, discount_rate=rate)
        written = write_unit({"economics.csv": table.reset_index(),
                              "cash_flows.csv": table.attrs["cash_flows"].reset_index(),
                              "prices.csv": table.attrs["prices"]}, out_dir) if out_dir else []
    except ParkFlowError as error:
        fail(error)
        return
    if fmt is Format.csv:
        sys.stdout.write(table.reset_index().to_csv(index=False, float_format="%.10g"))
    elif fmt is Format.json:
        from .export import records_json

        sys.stdout.write(records_json(table.reset_index()) + "\n")
    else:
        _print(table, chosen.meta.id)
    for note in table.attrs["notes"]:
        err.print(f"[yellow]note[/] {safe(note)}", highlight=False, soft_wrap=True)
    for path in written:
        err.print(f"wrote {plain(str(path))}", markup=False, highlight=False, soft_wrap=True)


def _print(table: object, name: str) -> None:
    import pandas as pd

    assert isinstance(table, pd.DataFrame)
    currency, rate = table.attrs["currency"], table.attrs["discount_rate"]
    view = Table(title=f"Economics of {safe(name)} ({currency}, discount rate {rate:.1%})",
                 title_justify="left")
    view.add_column("project", no_wrap=True)
    for label in _SHOWN.values():
        view.add_column(label, justify="right")
    for project, row in table.iterrows():
        view.add_row(safe(str(project)), *(_cell(key, row[key]) for key in _SHOWN))
    out.print(view)


def _cell(key: str, value: object) -> str:
    if value is None or value is pd_na() or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if key == "irr":
        return f"{float(value):.1%}"  # type: ignore[arg-type]
    if key == "payback_year":
        return str(value)
    number = float(value)  # type: ignore[arg-type]
    return f"{number / 1e4:,.0f} 万" if abs(number) >= 1e5 else f"{number:,.1f}"


def pd_na() -> object:
    import pandas as pd

    return pd.NA
