"""`parkflow` command line: a thin layer over the Python API.

Bad input prints the located messages of :class:`~mfa.errors.ParkFlowError` (no traceback) and
exits with code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import paths
from .cli_economics import economics as economics_command
from .cli_network import network as network_command
from .cli_plans import PLAN_HELP, planned_park
from .cli_plans import plans as plans_command
from .cli_portfolio import optimise as optimise_command
from .cli_report import assess as assess_command
from .cli_scenarios import attribute as attribute_command
from .cli_scenarios import compare as compare_command
from .cli_scenarios import effects as effects_command
from .cli_scenarios import history as history_command
from .cli_simulate import simulate as simulate_command
from .cli_text import Format, err, fail, number, out, plain, safe
from .errors import ParkFlowError

if TYPE_CHECKING:
    import pandas as pd

    from .model.park import Park

# The engine (pandas, pint, pydantic) is imported inside each command, so `parkflow --help`
# starts quickly.

app = typer.Typer(
    help="ParkFlow: material-flow balances and official circular-economy indicators for "
    "industrial parks.",
    no_args_is_help=True,
    add_completion=False,
)
_CARRIER_COLUMNS_MIN = 90  # room for names, class, unit and properties beside the id
PARK_HELP = "A park file path, or the name of a built-in park (see `parkflow parks`)."



@app.command()
def check(park: Annotated[str, typer.Argument(help=PARK_HELP)]) -> None:
    """Validate a park file and balance its base year; exit 0 if sound, 2 with messages."""
    from .api import check as check_park
    from .io.park import load_park
    from .results.sanity import check_indicators

    try:
        model = load_park(park)
        result = check_park(model)
        check_indicators(result.indicators(), model.source_label)
    except ParkFlowError as error:
        fail(error)
        return
    except AssertionError as error:  # a balance that does not close: a defect, said plainly
        fail(ParkFlowError.single(park, "", f"the balance does not close: {error}",
                                   "this is a ParkFlow defect; please report it with the file"))
        return
    meta = model.meta
    out.print(f"[green]OK[/] {safe(meta.name_en)} ({safe(meta.name_zh)}): "
              f"{len(model.enterprises)} enterprises, {len(model.links)} links, "
              f"{len(model.carriers_used)} carriers; "
              f"base year {meta.base_year} balances.", highlight=False)
    for warning in [*model.warnings, *result.notes]:
        out.print(f"[yellow]warning[/] {safe(warning)}", highlight=False, soft_wrap=True)


@app.command()
def balance(
    park: Annotated[str, typer.Argument(help=PARK_HELP)],
    year: Annotated[int | None, typer.Option(help="Year to balance (default: base year).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print indicators.")] = (
        Format.table),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write flows.csv, indicators.csv "
                                                 "and companion tables to this folder.")] = None,
    basis: Annotated[list[str] | None, typer.Option(
        "--basis", help="A statistical basis, key=value (repeatable), e.g. "
        "electricity=equivalent; see docs/indicators.md.")] = None,
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help=PLAN_HELP)] = None,
    allocation: Annotated[str | None, typer.Option(
        "--allocation", help="greedy (priority routing, today's contracts) or optimal (the "
        "routing as a linear programme; docs/engine.md). Default: the park file's.")] = None,
    objective: Annotated[str, typer.Option(
        "--objective", help="Objective of --allocation optimal: utilisation or cost.")] = (
        "utilisation"),
) -> None:
    """Balance one year of a park (with a plan, if given) and print its official indicators."""
    from .api import balance as api_balance
    from .export import indicators_json, result_tables, write_tables
    from .io.park import load_park
    from .results.sanity import check_indicators, checked_year

    try:
        if year is not None:
            checked_year(year, "--year")
        model = load_park(park)
        model = with_basis(planned_park(model, plan, year) if plan else model, basis)
        result = api_balance(model, year, allocation=allocation, objective=objective)
        indicators = result.indicators()
        check_indicators(indicators, model.source_label)
        tables = result_tables(result) if out_dir else {}
        written = write_tables(tables, out_dir) if out_dir else []
    except ParkFlowError as error:
        fail(error)
        return
    if fmt is Format.csv:
        sys.stdout.write(indicators.reset_index().to_csv(index=False, float_format="%.10g"))
    elif fmt is Format.json:
        sys.stdout.write(indicators_json(indicators) + "\n")
    else:
        title = f"{model.meta.name_zh} {model.meta.name_en}"
        _print_indicators(indicators, f"{title}, plan {plan}" if plan else title)
    for note in result.notes:
        err.print(f"[yellow]note[/] {safe(note)}", highlight=False, soft_wrap=True)
    for path in written:
        err.print(f"wrote {plain(str(path))}", markup=False, highlight=False, soft_wrap=True)


def with_basis(model: Park, pairs: list[str] | None) -> Park:
    """The park on the ``--basis`` overrides; a bad one is a located error (exit 2)."""
    from .model.statistics import BasisError

    if not pairs:
        return model
    try:
        return model.with_basis(pairs)
    except BasisError as error:
        raise ParkFlowError.single(model.source_label, "--basis", str(error),
                                   "see the bases in docs/indicators.md") from None


_NAME_WIDTH = 48  # the longest English indicator name stays on one line in a 160-column page


def _basis_legend(rows: pd.DataFrame) -> str:
    """``Basis: resource_list=2007 · ore_basis=gross · …``: the keys behind the short column."""
    pairs = dict.fromkeys(p for label in rows["basis"] for p in label.split("; ") if p)
    return "Basis: " + " · ".join(safe(p) for p in pairs) if pairs else ""


def _print_indicators(table: pd.DataFrame, title: str) -> None:
    import pandas as pd

    for period, rows in table.groupby(level="period"):
        view = Table(title=f"{safe(title)} — {period}", title_justify="left",
                     caption=_basis_legend(rows), caption_justify="left")
        for column, justify in (("指标", "left"), ("Indicator", "left"), ("Value", "right"),
                                ("Unit", "left"), ("Target", "right"), ("Quality", "left"),
                                ("Basis", "left")):
            view.add_column(column, justify=justify,  # type: ignore[arg-type]
                            min_width=_NAME_WIDTH if column == "Indicator" else None)
        for _, row in rows.iterrows():
            target = "" if pd.isna(row["target"]) else (
                f"{number(row['target'])} ({row['target_year']})")
            basis = "·".join(pair.split("=")[1] for pair in row["basis"].split("; ") if pair)
            view.add_row(safe(row["name_zh"]), safe(row["name_en"]), number(row["value"]),
                         safe(row["unit"]), target, row["quality"], safe(basis))
        out.print(view)
        notes = rows[rows["note"] != ""]
        for indicator, note in zip(notes.index.get_level_values("indicator"), notes["note"],
                                   strict=True):
            out.print(f"  – {indicator}: {safe(note)}", highlight=False, soft_wrap=True)


@app.command()
def carriers(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    park: Annotated[str | None, typer.Option(
        "--park", metavar="PARK", help="List the catalogue as this park sees it, its own "
        "`carriers:` marked local (a park file path or a built-in park's name).")] = None,
) -> None:
    """List the carrier catalogue: id, names, class, unit and properties."""

    from .io.catalogue import load_catalogue
    from .io.park import load_park

    try:
        catalogue = load_park(park).catalogue if park else load_catalogue()
    except ParkFlowError as error:
        fail(error)
        return
    frame = catalogue.to_frame()
    if park:  # where each carrier comes from: the park file or the installed flows/
        frame["origin"] = ["local" if i in catalogue.local else "flows" for i in frame.index]
    if fmt is Format.csv:
        sys.stdout.write(frame.to_csv())
    elif fmt is Format.json:
        sys.stdout.write(frame.reset_index().to_json(orient="records", force_ascii=False,
                                                     indent=2) + "\n")
    else:
        local = f", {len(catalogue.local)} local to {safe(park)}" if park else ""
        view = Table(title=f"Carrier catalogue ({len(frame)} carriers{local})",
                     title_justify="left")
        longest = max((len(str(i)) for i in frame.index), default=2)
        view.add_column("id", no_wrap=True, min_width=longest)  # ids are typed into files
        for column in ("名称", "Name", "Class", "Unit", "tce/unit", "CO₂ t/unit", "Price",
                       "Disposal fee", *(["Origin"] if park else [])):
            view.add_column(column)
        for carrier_id, row in frame.iterrows():
            price, fee = (_money(row, name) for name in ("price", "disposal_fee"))
            view.add_row(safe(str(carrier_id)), safe(row["name_zh"]), safe(row["name_en"]),
                         safe(row["class"]), safe(row["unit"]),
                         number(row["tce_per_unit"]) if row["tce_per_unit"] else "",
                         number(row["co2_t_per_unit"]) if row["co2_t_per_unit"] else "",
                         price, fee,
                         *([row["origin"]] if park else []))
        # Never narrower than ids and names need: a narrow terminal wraps the lines rather
        # than Rich shortening the ids that users type into files.
        width = max(out.width, longest + _CARRIER_COLUMNS_MIN)
        Console(file=out.file, width=width, force_terminal=out.is_terminal,
                color_system=out.color_system).print(view)  # type: ignore[arg-type]


def _money(row: pd.Series, name: str) -> str:
    """A catalogue row's price or disposal fee as ``480 CNY/t (2016)``, or ""."""
    import pandas as pd  # only tables need pandas

    if pd.isna(row[f"{name}_per_unit"]):
        return ""
    year = row[f"{name}_year"]
    return (f"{number(row[f'{name}_per_unit'])} {row[f'{name}_currency']}/{row['unit']}"
            + ("" if pd.isna(year) else f" ({int(year)})"))


@app.command()
def parks() -> None:
    """List the built-in parks."""
    from .io.park import load_park

    view = Table(title="Built-in parks", title_justify="left")
    for column in ("name", "园区", "Park", "base year"):
        view.add_column(column)
    for name, path in paths.builtin_parks().items():
        try:
            model = load_park(path)
        except ParkFlowError as error:
            fail(error)
            return
        view.add_row(safe(name), safe(model.meta.name_zh), safe(model.meta.name_en),
                     str(model.meta.base_year))
    out.print(view)


app.command("network")(network_command)
app.command("plans")(plans_command)
app.command("compare")(compare_command)
app.command("attribute")(attribute_command)
app.command("effects")(effects_command)
app.command("history")(history_command)
app.command("optimise")(optimise_command)
app.command("economics")(economics_command)
app.command("simulate")(simulate_command)
app.command("assess")(assess_command)

if __name__ == "__main__":  # pragma: no cover
    app()
