"""Base-year flows as a Sankey diagram: the bands of one measure (mass in t, or energy in tce),
an interactive plotly figure for the HTML and a static matplotlib figure for the PDF.

Boundary nodes (market, environment, stockpiles, disposal, treatment) are split into a source
copy on the left and a sink copy on the right, so only flows between enterprises can form a
cycle. Cycles are recycling loops: their back edges (found by a depth-first search from the
sources) are drawn in the static figure as bands that leave the source on the right, run
under the diagram and enter the target on the left; plotly draws them as circular links.
An enterprise's own recirculation (source = target) is not a band (the indicators count it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from ..model.park import Park
from ..results.result import Result

MEASURES = ("mass", "energy")
_WATER = {"fresh_water", "wastewater", "recirculated_water"}
_LABEL_CHARS = 18  # longer names are shortened in the static figure (the HTML shows them whole)
_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d")
LOOP_COLOUR = "#c0392b"


@dataclass
class SankeyData:
    """Nodes (ids, labels, columns) and links (source, target, value, class) of one measure."""

    measure: str
    unit: str
    labels: list[str]
    column: list[int]
    links: pd.DataFrame  # source, target (node indices), value, carrier_class, carriers
    back: set[tuple[int, int]] = field(default_factory=set)  # recycling-loop edges

    @property
    def empty(self) -> bool:
        return self.links.empty


def _weights(park: Park, flows: pd.DataFrame, measure: str) -> pd.Series:
    """Each flow in the measure's unit (t or tce); 0 for flows the measure leaves out."""
    carriers = {c.id: c for c in park.catalogue.carriers}
    equivalent = park.statistics.basis.electricity == "equivalent"
    out = np.zeros(len(flows))
    for k, (carrier, cls, qty) in enumerate(zip(flows["carrier"].astype(str),
                                                flows["carrier_class"].astype(str),
                                                flows["quantity"].to_numpy(float), strict=True)):
        spec = carriers[carrier]
        if measure == "mass":
            out[k] = qty if spec.unit == "t" and cls not in _WATER else 0.0
        else:
            factor = (spec.tce_equivalent if equivalent and spec.tce_equivalent
                      else spec.tce_per_unit) or 0.0
            out[k] = qty * factor
    return pd.Series(out, index=flows.index)


def sankey_data(result: Result, measure: str, names: dict[str, str],
                boundary_names: tuple[str, str]) -> SankeyData:
    """The Sankey of ``measure`` for the result's first period.

    ``names`` maps node ids to labels; ``boundary_names`` are the suffixes of a boundary
    node's source and sink copies (e.g. "in", "out").
    """
    park = result.park
    flows = result.flows[result.flows["period"] == result.periods[0]]
    flows = flows[flows["source"] != flows["target"]]
    weights = _weights(park, flows, measure)
    keep = weights > 0
    flows, weights = flows[keep], weights[keep]
    enterprises = [e.id for e in park.enterprises]
    boundary = [b for b in park.boundary]
    src_of = {b: f"{b}@in" for b in boundary}
    snk_of = {b: f"{b}@out" for b in boundary}
    frame = pd.DataFrame({
        "source": [src_of.get(s, s) for s in flows["source"].astype(str)],
        "target": [snk_of.get(t, t) for t in flows["target"].astype(str)],
        "carrier_class": flows["carrier_class"].astype(str).to_numpy(),
        "carrier": flows["carrier"].astype(str).to_numpy(),
        "value": weights.to_numpy(float)})
    grouped = frame.groupby(["source", "target", "carrier_class"], sort=True).agg(
        value=("value", "sum"), carriers=("carrier", lambda c: ", ".join(sorted(set(c)))))
    grouped = grouped.reset_index()
    used = set(grouped["source"]) | set(grouped["target"])
    order = ([src_of[b] for b in boundary if src_of[b] in used]
             + [e for e in enterprises if e in used]
             + [snk_of[b] for b in boundary if snk_of[b] in used])
    index = {node: k for k, node in enumerate(order)}
    inn, out = boundary_names
    labels = []
    for node in order:
        base, _, side = node.partition("@")
        name = names.get(base) or base
        labels.append(f"{name} ({inn if side == 'in' else out})" if side else name)
    links = pd.DataFrame({"source": grouped["source"].map(index),
                          "target": grouped["target"].map(index),
                          "value": grouped["value"], "carrier_class": grouped["carrier_class"],
                          "carriers": grouped["carriers"]})
    is_source = [node.endswith("@in") for node in order]
    is_sink = [node.endswith("@out") for node in order]
    column, back = _columns(len(order), links, is_source, is_sink)
    return SankeyData(measure, "t" if measure == "mass" else "tce", labels, column, links, back)


def _columns(n: int, links: pd.DataFrame, is_source: list[bool], is_sink: list[bool]
             ) -> tuple[list[int], set[tuple[int, int]]]:
    """Columns by longest path once the back edges of cycles are set aside.

    The back edges are those against a node order that keeps the heaviest flows forward
    (the greedy feedback-arc-set order of Eades, Lin & Smyth 1993, on flow weights): the
    recycling flow of a loop is drawn as the loop, not the main flow it returns to.
    """
    weight: dict[tuple[int, int], float] = {}
    for s, t, v in zip(links["source"].astype(int), links["target"].astype(int),
                       links["value"].astype(float), strict=True):
        if s != t:
            weight[(s, t)] = weight.get((s, t), 0.0) + v
    order = _eades_order(n, weight, is_source)
    rank = {node: k for k, node in enumerate(order)}
    back = {(s, t) for s, t in weight if rank[t] < rank[s]}
    column = [0] * n
    for node in order:  # longest path, in the order (forward edges only point later)
        for (s, t) in weight:
            if s == node and (s, t) not in back and not is_sink[t]:
                column[t] = max(column[t], column[s] + 1)
    last = max([c for k, c in enumerate(column) if not is_sink[k]], default=0) + 1
    for k in range(n):
        if is_sink[k]:
            column[k] = last
        elif not is_source[k] and column[k] == 0:
            column[k] = 1 if last > 1 else 0  # enterprises fed only from outside
    return column, back


def _eades_order(n: int, weight: dict[tuple[int, int], float], is_source: list[bool]
                 ) -> list[int]:
    """Sinks go last, sources first; otherwise the node with the most weight out minus in."""
    left: list[int] = [k for k in range(n) if is_source[k]]
    right: list[int] = []
    alive = set(range(n)) - set(left)
    edges = {e: w for e, w in weight.items() if e[0] in alive and e[1] in alive}

    def out_in(node: int) -> tuple[float, float]:
        return (sum(w for (s, _), w in edges.items() if s == node),
                sum(w for (_, t), w in edges.items() if t == node))

    while alive:
        moved = True
        while moved:
            moved = False
            for node in sorted(alive):
                out, inn = out_in(node)
                if out == 0:
                    right.insert(0, node)
                elif inn == 0:
                    left.append(node)
                else:
                    continue
                alive.remove(node)
                edges = {e: w for e, w in edges.items() if node not in e}
                moved = True
        if alive:
            best = max(sorted(alive), key=lambda k: out_in(k)[0] - out_in(k)[1])
            left.append(best)
            alive.remove(best)
            edges = {e: w for e, w in edges.items() if best not in e}
    return left + right


def class_colours(classes: list[str]) -> dict[str, str]:
    return {cls: _PALETTE[k % len(_PALETTE)] for k, cls in enumerate(sorted(set(classes)))}


def plotly_spec(data: SankeyData, class_names: dict[str, str], title: str) -> str:
    """The figure as JSON for ``Plotly.newPlot`` (data, layout, config), safe inside a
    ``<script>`` element (``<``, ``>`` and ``&`` escaped as JSON unicode escapes)."""
    colours = class_colours(list(data.links["carrier_class"]))
    link_colours = [_rgba(colours[c], 0.45) for c in data.links["carrier_class"]]
    spec = {
        "data": [{
            "type": "sankey", "arrangement": "snap", "valueformat": ",.0f",
            "valuesuffix": f" {data.unit}",
            "node": {"label": data.labels, "pad": 8, "thickness": 12,
                     "line": {"width": 0.5, "color": "#555"}, "color": "#8a9bb0"},
            "link": {"source": data.links["source"].astype(int).tolist(),
                     "target": data.links["target"].astype(int).tolist(),
                     "value": data.links["value"].astype(float).tolist(),
                     "color": link_colours,
                     "customdata": [f"{class_names.get(c, c)}: {carriers}" for c, carriers
                                    in zip(data.links["carrier_class"],
                                           data.links["carriers"], strict=True)],
                     "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}"
                                      "<br>%{value}<extra></extra>"},
        }],
        "layout": {"title": {"text": title}, "font": {"size": 11, "family": _FONT_STACK},
                   "height": max(420, 22 * _tallest(data)), "margin": {"l": 10, "r": 10,
                                                                        "t": 40, "b": 10}},
        "config": {"displaylogo": False, "responsive": True},
    }
    text = json.dumps(spec, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_FONT_STACK = "Noto Sans CJK SC, DejaVu Sans, sans-serif"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[k:k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _tallest(data: SankeyData) -> int:
    return max(np.bincount(np.asarray(data.column, dtype=int)), default=1)


def static_figure(data: SankeyData, class_names: dict[str, str], loop_label: str,
                  unit_label: str) -> Figure:
    """The Sankey drawn with matplotlib (call inside ``figure_style``)."""
    n_cols = max(data.column) + 1
    tallest = _tallest(data)
    # Every node at least one label line high, so no two labels overlap in a column.
    height = max(4.0, tallest * _LINE_PT * (1 + _GAP_LINES) / 72 / 0.7 + 1.2)
    fig = Figure(figsize=(_WIDTH_IN, height))
    ax = fig.add_axes((0.01, 0.1, 0.98, 0.88))
    ax.set_axis_off()
    line = _LINE_PT / (height * 0.88 * 72) * 1.1  # a label line in axis units (ylim ≈ 1.1)
    # A middle column's label must end before the next column: its width in font sizes.
    room_em = _WIDTH_IN * 0.98 * 72 / 1.6 / max(n_cols - 1, 1) / (_LINE_PT - 1.5) - 0.6
    throughput = _throughput(data)
    boxes, scale = _place(data, throughput, n_cols, line)
    colours = class_colours(list(data.links["carrier_class"]))
    out_used = dict.fromkeys(range(len(data.labels)), 0.0)
    in_used = dict.fromkeys(range(len(data.labels)), 0.0)
    bottom = min(y for _, y, _ in boxes.values())
    loops = 0
    ordered = data.links.assign(ty=[boxes[int(t)][1] for t in data.links["target"]])
    ordered = ordered.sort_values(["source", "ty"])
    for s, t, value, cls in zip(ordered["source"].astype(int), ordered["target"].astype(int),
                                ordered["value"].astype(float), ordered["carrier_class"],
                                strict=True):
        width = value * scale
        x0 = boxes[s][0] + _NODE_W
        y0 = boxes[s][1] + boxes[s][2] - out_used[s] - width
        x1 = boxes[t][0]
        y1 = boxes[t][1] + boxes[t][2] - in_used[t] - width
        out_used[s] += width
        in_used[t] += width
        width = max(width, _MIN_BAND)
        if (s, t) in data.back or x1 <= x0:
            loops += 1
            path = _loop(x0, y0, x1, y1, width, bottom - 0.02 * loops)
            colour, alpha = LOOP_COLOUR, 0.55
        else:
            path = _band(x0, y0, x1, y1, width)
            colour, alpha = colours[str(cls)], 0.5
        ax.add_patch(PathPatch(path, facecolor=colour, edgecolor="none", alpha=alpha))
    for k, label in enumerate(data.labels):
        x, y, h = boxes[k]
        ax.add_patch(Rectangle((x, y), _NODE_W, h, facecolor="#5b6b7f", edgecolor="none"))
        right = data.column[k] > 0  # sources labelled on their left, the rest on the right
        inner = 0 < data.column[k] < n_cols - 1
        short = _fit(label, room_em if inner else _LABEL_CHARS)
        ax.text(x + (_NODE_W + 0.004 if right else -0.004), y + h / 2, short,
                ha="left" if right else "right", va="center", fontsize=_LINE_PT - 1.5,
                bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "alpha": 0.7,
                      "edgecolor": "none"})
    ax.set_xlim(-0.3, 1.3)  # room for the labels of the first and last columns
    ax.set_ylim(bottom - 0.02 * (loops + 2), 1.0)
    handles = [Rectangle((0, 0), 1, 1, color=c, alpha=0.6) for c in colours.values()]
    names = [class_names.get(c, c) for c in colours]
    if loops:
        handles.append(Rectangle((0, 0), 1, 1, color=LOOP_COLOUR, alpha=0.6))
        names.append(loop_label)
    fig.legend(handles, names, loc="lower center", ncol=min(5, len(names)), fontsize=7.5,
               frameon=False)
    ax.text(1.3, 1.0, unit_label, ha="right", va="top", fontsize=7)
    return fig


_NODE_W = 0.012
_MIN_BAND = 0.0015
_WIDTH_IN = 8.0
_LINE_PT = 9.0  # height of one node label line, pt
_GAP_LINES = 0.3  # gap between nodes of a column, in label lines


def _fit(label: str, em: float) -> str:
    """``label`` shortened with "…" to ``em`` font sizes (a CJK character is one, others
    about half)."""
    width = 0.0
    for k, char in enumerate(label):
        width += 1.0 if ord(char) > 0x2E80 else 0.55
        if width > max(em, 4.0):
            return label[:max(k - 1, 1)] + "…"
    return label


def _throughput(data: SankeyData) -> np.ndarray:
    n = len(data.labels)
    inflow = np.bincount(data.links["target"].to_numpy(int), data.links["value"], minlength=n)
    outflow = np.bincount(data.links["source"].to_numpy(int), data.links["value"], minlength=n)
    return np.maximum(inflow, outflow)


def _place(data: SankeyData, throughput: np.ndarray, n_cols: int, line: float
           ) -> tuple[dict[int, tuple[float, float, float]], float]:
    """Boxes (x, y, height) per node: columns left to right, one scale for every column,
    nodes ordered in each column by the mean height of their neighbours (two sweeps)."""
    members: dict[int, list[int]] = {c: [] for c in range(n_cols)}
    for k, c in enumerate(data.column):
        members[c].append(k)
    gap = line * _GAP_LINES
    room = [1.0 - (gap + line) * len(m) for m in members.values()]
    totals = [float(throughput[m].sum()) or 1.0 for m in members.values()]
    scale = max(min(r / t for r, t in zip(room, totals, strict=True)), 1e-12)
    heights = throughput * scale + line * 0.9
    centre = {k: 0.5 for k in range(len(data.labels))}
    boxes: dict[int, tuple[float, float, float]] = {}
    links = list(zip(data.links["source"].astype(int), data.links["target"].astype(int),
                     strict=True))
    for _sweep in range(3):
        for c, nodes in members.items():
            if _sweep:
                nodes.sort(key=lambda k: np.mean([centre[s] for s, t in links if t == k]
                                                 + [centre[t] for s, t in links if s == k]
                                                 or [centre[k]]))
            used = float(heights[nodes].sum()) + gap * (len(nodes) - 1)
            y = 1.0 - (1.0 - used) / 2
            x = c / max(n_cols - 1, 1) * (1 - _NODE_W)
            for k in nodes:
                y -= heights[k]
                boxes[k] = (x, y, float(heights[k]))
                centre[k] = y + heights[k] / 2
                y -= gap
    return boxes, scale


def _band(x0: float, y0: float, x1: float, y1: float, w: float) -> MplPath:
    """A band of width ``w`` from the right side of a node to the left side of the next."""
    mid = (x0 + x1) / 2
    verts = [(x0, y0), (mid, y0), (mid, y1), (x1, y1), (x1, y1 + w), (mid, y1 + w),
             (mid, y0 + w), (x0, y0 + w), (x0, y0)]
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def _loop(x0: float, y0: float, x1: float, y1: float, w: float, floor: float) -> MplPath:
    """A recycling loop: out to the right, down under the diagram, back left, up into the
    target's left side (the outline of a thick U-turn)."""
    r = 0.015
    low = floor - w
    outer = [(x0, y0), (x0 + r + w, y0), (x0 + r + w, low), (x0, low),
             (x1, low), (x1 - r - w, low), (x1 - r - w, y1), (x1, y1)]
    inner = [(x1, y1 + w), (x1 - r, y1 + w), (x1 - r, floor), (x1, floor),
             (x0, floor), (x0 + r, floor), (x0 + r, y0 + w), (x0, y0 + w)]
    verts = [*outer, *inner, (x0, y0)]
    turn = [MplPath.CURVE4] * 3
    codes = [MplPath.MOVETO, *turn, MplPath.LINETO, *turn, MplPath.LINETO, *turn,
             MplPath.LINETO, *turn, MplPath.CLOSEPOLY]
    return MplPath(verts, codes)
