"""Indicator trajectories with uncertainty bands and target markers (issue 9 part 6).

One panel per indicator: per scenario a p5–p95 band and the p50 line over the years; at each
target year a marker at the target and a dashed level, labelled with the target and the
probability of meeting it in each scenario (``80 % · P = 0.12``, or ``80 % · P = 0.12 / 0.85``
with each P in its scenario's colour). Input: the trajectory frame
of sim-interfaces.md (``trajectory.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..units import display_unit
from .common import COLOURS, choose, format_value, indicator_name, require, text
from .style import figure_style

COLUMNS = ("year", "indicator", "scenario", "p5", "p50", "p95", "target", "probability", "unit")
PANEL = (5.2, 3.2)  # inches per panel
TARGET_COLOUR = "#333333"


def plot_trajectories(trajectory: pd.DataFrame, *, indicators: Sequence[str] | None = None,
                      lang: str = "en") -> Figure:
    """A figure of the trajectory frame: one panel per indicator (all, in frame order, or
    ``indicators``), two panels a row."""
    require(trajectory, COLUMNS, "trajectory")
    chosen = choose(trajectory["indicator"], indicators, "trajectory", "indicator")
    scenarios = list(dict.fromkeys(trajectory["scenario"]))
    columns = min(2, len(chosen))
    rows = math.ceil(len(chosen) / columns)
    with figure_style(lang):
        fig, axes = plt.subplots(rows, columns, figsize=(PANEL[0] * columns, PANEL[1] * rows),
                                 squeeze=False, layout="constrained")
        for ax, indicator in zip(axes.flat, chosen, strict=False):
            rows_of = trajectory[trajectory["indicator"] == indicator]
            _panel(ax, rows_of, indicator, scenarios, lang)
        for ax in list(axes.flat)[len(chosen):]:
            ax.set_visible(False)
        _legend(fig, scenarios, lang)
    return fig


def _panel(ax: Axes, frame: pd.DataFrame, indicator: str, scenarios: list[str],
           lang: str) -> None:
    unit = display_unit(_unit(frame), lang)
    for number, scenario in enumerate(scenarios):
        rows = frame[frame["scenario"] == scenario].sort_values("year")
        if rows.empty:
            continue
        colour = COLOURS[number % len(COLOURS)]
        years = rows["year"].to_numpy(dtype=float)
        ax.fill_between(years, rows["p5"].to_numpy(dtype=float),
                        rows["p95"].to_numpy(dtype=float), color=colour, alpha=0.18, lw=0)
        ax.plot(years, rows["p50"].to_numpy(dtype=float), color=colour, lw=1.6, marker="o",
                ms=3)
    _targets(ax, frame, unit, scenarios, lang)
    ax.set_title(indicator_name(indicator, lang))
    ax.set_xlabel(text("year", lang))
    if unit:
        ax.set_ylabel(unit)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _unit(frame: pd.DataFrame) -> str:
    units = [u for u in dict.fromkeys(frame["unit"]) if isinstance(u, str)]
    return units[0] if units else ""


def _targets(ax: Axes, frame: pd.DataFrame, unit: str, scenarios: list[str],
             lang: str) -> None:
    """At each target: a marker, a dashed level from the first year to the target year, and
    one line beside the marker with the target and P of meeting it in each scenario, each P
    coloured as its scenario's line (``80 % · P = 0.12`` with one scenario)."""
    targets = frame[frame["target"].notna()]
    first, last = float(frame["year"].min()), float(frame["year"].max())
    for year_key, rows in targets.groupby("year", sort=True):
        year, target = float(str(year_key)), float(rows["target"].iloc[0])
        ax.hlines(target, first, year, color=TARGET_COLOUR, lw=0.8, ls="--", alpha=0.7,
                  zorder=1)
        ax.plot([year], [target], marker="D", ms=6, color=TARGET_COLOUR, mfc="white",
                mew=1.4, zorder=4, ls="none")
        left = year - first < (last - first) / 2 and last > first  # label on the roomy side
        near = (frame["year"] >= year) & (frame["year"] <= year + 1) if left else (
            (frame["year"] >= year - 1) & (frame["year"] <= year))
        above = _above(frame.loc[near, "p50"].to_numpy(dtype=float), target)
        label = HPacker(children=_target_pieces(rows, target, unit, scenarios), pad=0,
                        sep=0, align="baseline")
        box = AnnotationBbox(label, (year, target), xybox=(7 if left else -7,
                                                           4 if above else -4),
                             xycoords="data", boxcoords="offset points", frameon=True,
                             box_alignment=(0.0 if left else 1.0, 0.0 if above else 1.0),
                             pad=0.15, bboxprops={"fc": "white", "ec": "none", "alpha": 0.8},
                             zorder=5)
        ax.add_artist(box)
    if not targets.empty:  # the target levels inside the panel, with a margin
        low, high = ax.get_ylim()
        top, bottom = float(targets["target"].max()), float(targets["target"].min())
        margin = 0.1 * (max(high, top) - min(low, bottom))
        ax.set_ylim(min(low, bottom - margin), max(high, top + margin))


def _above(nearby: np.ndarray, target: float) -> bool:
    """Whether a label goes above the target level: the side farther from the p50 lines
    next to the marker."""
    values = nearby[~np.isnan(nearby)]
    over, under = values[values > target] - target, target - values[values <= target]
    return (over.min() if over.size else np.inf) >= (under.min() if under.size else np.inf)


def _target_pieces(rows: pd.DataFrame, target: float, unit: str,
                   scenarios: list[str]) -> list[Artist]:
    """``80 % · P = 0.12 / 0.85``: the target, then P per scenario in its colour."""
    style = {"fontsize": 7.5, "color": TARGET_COLOUR}
    chances = []
    for number, scenario in enumerate(scenarios):
        match = rows.loc[rows["scenario"] == scenario, "probability"]
        if not match.empty and not np.isnan(float(match.iloc[0])):
            chances.append((f"{float(match.iloc[0]):.2f}", COLOURS[number % len(COLOURS)]))
    head = format_value(target, unit)
    if not chances:
        return [TextArea(head, textprops=style)]
    if len(scenarios) == 1:
        return [TextArea(f"{head} · P = {chances[0][0]}", textprops=style)]
    pieces: list[Artist] = [TextArea(f"{head} · P = ", textprops=style)]
    for number, (chance, colour) in enumerate(chances):
        if number:
            pieces.append(TextArea(" / ", textprops=style))
        pieces.append(TextArea(chance, textprops={**style, "color": colour}))
    return pieces


def _legend(fig: Figure, scenarios: list[str], lang: str) -> None:
    handles: list[Line2D | Patch] = [
        Line2D([], [], color=COLOURS[n % len(COLOURS)], lw=1.6, marker="o", ms=3, label=s)
        for n, s in enumerate(scenarios)]
    handles.append(Patch(color="#888888", alpha=0.3, label=text("band", lang)))
    handles.append(Line2D([], [], color=TARGET_COLOUR, marker="D", mfc="white", ls="--",
                          lw=0.8, label=text("target", lang)))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 5),
               frameon=False)
