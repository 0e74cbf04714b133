"""The report's own figures (matplotlib, the look of :mod:`mfa.plots.style`): the symbiosis
network, the Sankey diagrams and each project's contribution. Each is saved as SVG and PNG in
``figures/`` and returned as a :class:`~.blocks.Figure` carrying its SVG text."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure as MplFigure

from ..model.park import Park
from ..network.graph import park_graph
from ..plots.common import si_tick
from ..plots.style import figure_style, save_figure
from ..results.result import Result
from .blocks import Figure
from .sankey import plotly_spec, sankey_data, static_figure
from .strings import class_names, text

_ENTERPRISE, _BOUNDARY, _EXCHANGE = "#4e79a7", "#b8b8b8", "#c0392b"


def saved(fig: MplFigure, lang: str, folder: Path, stem: str, caption: str, *,
          plotly: str = "", wide: bool = False) -> Figure:
    """Save ``fig`` as ``folder/stem.svg`` and ``.png`` (in the figure style: tight bounding
    box, fixed SVG salt); the block with its SVG text."""
    with figure_style(lang):
        svg, png = save_figure(fig, folder / stem)
    return Figure(stem, caption, svg.read_text(encoding="utf-8"), plotly, wide,
                  png=png.read_bytes())


def node_names(park: Park, lang: str) -> dict[str, str]:
    pick = "name_zh" if lang == "zh" else "name_en"
    names = {e.id: getattr(e, pick) or e.id for e in park.enterprises}
    return names | {b.id: getattr(b, pick) or b.id for b in park.boundary.values()}


def network_figure(park: Park, lang: str, folder: Path) -> Figure:
    """The park's links as a directed graph (Kamada–Kawai layout: deterministic)."""
    words = text(lang)
    graph = park_graph(park)
    names = node_names(park, lang)
    n = graph.number_of_nodes()
    side = float(np.clip(2.2 + 0.75 * np.sqrt(n), 5.0, 10.0))
    with figure_style(lang):
        fig = MplFigure(figsize=(side * 1.25, side))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        pos = nx.kamada_kawai_layout(graph) if n > 1 else {node: (0.0, 0.0) for node in graph}
        enterprise = {node for node, kind in graph.nodes(data="kind") if kind == "enterprise"}
        exchange = [(a, b) for a, b in graph.edges if a in enterprise and b in enterprise]
        other = [(a, b) for a, b in graph.edges if (a, b) not in set(exchange)]
        for edges, colour, width in ((other, _BOUNDARY, 0.6), (exchange, _EXCHANGE, 1.3)):
            nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, edge_color=colour,
                                   width=width, arrowsize=8, node_size=260,
                                   connectionstyle="arc3,rad=0.08")
        for nodes, colour in ((sorted(enterprise), _ENTERPRISE),
                              (sorted(set(graph) - enterprise), _BOUNDARY)):
            nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_color=colour,
                                   node_size=260, edgecolors="white")
        size = 7 if n <= 30 else 5.5
        for node, (x, y) in pos.items():
            label = _short(names.get(node, node), 18)
            ax.text(x, y - 0.035, label, ha="center", va="top", fontsize=size,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.75,
                          "edgecolor": "none"})
        ax.margins(0.08)
    return saved(fig, lang, folder, "network", words["network_caption"])


def _short(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[:chars - 1] + "…"


def sankey_figures(result: Result, lang: str, folder: Path) -> list[Figure]:
    """Material (t) and energy (tce) Sankey diagrams of the result's first period; a measure
    with no flow is left out."""
    words = text(lang)
    classes = class_names(lang)
    names = node_names(result.park, lang)
    year = result.periods[0]
    basis = result.park.statistics.basis.label(("electricity",))
    blocks = []
    for measure in ("mass", "energy"):
        data = sankey_data(result, measure, names, (words["inflow"], words["outflow"]))
        if data.empty:
            continue
        title = words[f"sankey_{measure}"].format(year=year)
        with figure_style(lang):
            fig = static_figure(data, classes, words["loop"], data.unit)
        caption = f"{title}. {words['sankey_caption'].format(basis=basis)}"
        blocks.append(saved(fig, lang, folder, f"sankey_{measure}", caption,
                            plotly=plotly_spec(data, classes, title), wide=True))
    return blocks


def contribution_figure(effects: pd.DataFrame, labels: dict[str, str], lang: str,
                        folder: Path, year: int, names: dict[str, str]) -> Figure | None:
    """Horizontal bars: each project's Shapley share of each effect the plan changes.

    ``effects`` is one year of :func:`~mfa.scenarios.effects.expected_effects` (index
    effect, project); ``labels`` maps project ids to short labels (P1…); ``names`` maps
    effect ids to their names with units.
    """
    from ..scenarios.effects import PLAN_ROW

    words = text(lang)
    totals = effects.xs(PLAN_ROW, level="project")["shapley"].astype(float)
    shown = [e for e in totals.index if abs(totals[e]) > 1e-9][:8]
    if not shown:
        return None
    projects = list(labels)
    cols = 2 if len(shown) > 1 else 1
    rows = int(np.ceil(len(shown) / cols))
    with figure_style(lang):
        fig = MplFigure(figsize=(9.5, 0.6 + rows * (0.35 * len(projects) + 1.0)))
        axes = fig.subplots(rows, cols, squeeze=False)
        for k, effect in enumerate(shown):
            ax = axes[k // cols][k % cols]
            part = effects.xs(effect, level="effect")
            values = part["shapley"].astype(float).reindex(projects).tolist()
            ax.barh(range(len(projects)), values,
                    color=["#59a14f" if v >= 0 else "#e15759" for v in values])
            ax.set_yticks(range(len(projects)), [labels[p] for p in projects])
            ax.invert_yaxis()
            ax.axvline(0, color="#333", linewidth=0.6)
            ax.set_title(_short(names[effect], 40), fontsize=8.5)
            ax.tick_params(labelsize=7)
            ax.xaxis.set_major_formatter(si_tick)
        for k in range(len(shown), rows * cols):
            axes[k // cols][k % cols].set_axis_off()
        fig.tight_layout()
    caption = (f"{words['contribution_title'].format(year=year)}. "
               f"{words['contribution_caption']}")
    return saved(fig, lang, folder, "contributions", caption)
