"""``parkflow network``: ENA metrics of one currency of a park, and its graph for Gephi.

A thin layer over :mod:`mfa.network` (registered in :mod:`mfa.cli`). Bad input prints the
located messages of :class:`~mfa.errors.ParkFlowError` without a traceback and exits 2.
``--plan`` is not offered here yet (plans: :mod:`mfa.plans`; ``parkflow balance`` takes it).
"""

from __future__ import annotations

import json
import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from .cli_text import err, fail, out, plain, safe
from .errors import ParkFlowError

if TYPE_CHECKING:
    import pandas as pd



class Currency(StrEnum):
    mass = "mass"
    energy = "energy"
    water = "water"


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"
    graphml = "graphml"
    gexf = "gexf"


def network(
    park: Annotated[str, typer.Argument(help="A park file path, or the name of a built-in park "
                                        "(see `parkflow parks`).")],
    year: Annotated[int | None, typer.Option(help="Year to balance (default: base year).")] = None,
    currency: Annotated[Currency, typer.Option(help="One currency per network (ENA).")] = (
        Currency.mass),
    fmt: Annotated[NetworkFormat, typer.Option("--format", help="What to print.")] = (
        NetworkFormat.table),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write metrics.csv, nodes.csv "
                                                 "and the graph as GraphML, GEXF and JSON to "
                                                 "this folder.")] = None,
) -> None:
    """Ecological network analysis (enaR conventions) of one currency of a park."""
    from .io.park import load_park
    from .network.currency import CURRENCIES
    from .network.exports import FORMATS, export_graph, graph_text, write_files
    from .network.parks import network_of, park_ena, solve_park
    from .network.structure import centralities

    try:
        model = load_park(park)
        result = solve_park(model, year)
        name = next(c for c in CURRENCIES if c == currency.value)
        built = network_of(result, currency=name)
        metrics = park_ena(result, currency=name)
        graph = export_graph(built, model)
        written: list[Path] = []
        if out_dir is not None:
            stem = f"{model.meta.id}_{currency.value}_{built.period}"
            nodes = centralities(built.network).join(built.closure)
            files = {f"{stem}_metrics.csv": metrics.to_frame().to_csv(float_format="%.10g"),
                     f"{stem}_nodes.csv": nodes.to_csv(float_format="%.10g")}
            files |= {f"{stem}{ext}": graph_text(graph, name, built)
                      for name, ext in FORMATS.items()}
            written = write_files(files, out_dir)
    except ParkFlowError as error:
        fail(error)
        return
    title = safe(f"{model.meta.name_zh} {model.meta.name_en} — {currency.value} network "
                 f"({built.network.unit}), {built.period}")
    if fmt is NetworkFormat.json:
        payload = {"park": model.meta.id, "year": built.period, "currency": currency.value,
                   "unit": built.network.unit, "orientation": metrics.attrs["orientation"],
                   "metrics": {k: _json_number(v) for k, v in metrics.items()}}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt in (NetworkFormat.graphml, NetworkFormat.gexf):
        sys.stdout.write(graph_text(graph, fmt.value))
    else:
        _print_metrics(metrics, built.network.unit, title)
    for path in written:
        err.print(f"wrote {plain(str(path))}", markup=False, highlight=False, soft_wrap=True)


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _print_metrics(metrics: pd.Series, unit: str, title: str) -> None:
    from .network.metric_defs import METRICS, unit_of

    view = Table(title=title, title_justify="left")
    for column, justify in (("metric", "left"), ("name", "left"), ("value", "right"),
                            ("unit", "left")):
        view.add_column(column, justify=justify)  # type: ignore[arg-type]
    for metric, value in metrics.items():
        definition = METRICS.get(str(metric))
        view.add_row(str(metric), definition.name if definition else "", _number(float(value)),
                     unit_of(str(metric), unit))
    out.print(view)


def _number(value: float) -> str:
    if math.isnan(value):
        return "–"
    magnitude = abs(value)
    if magnitude >= 1e5:
        return f"{value:,.0f}"
    return f"{value:.4g}"
