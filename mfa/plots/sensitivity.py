"""The tornado and the Sobol bars (issue 9 part 6), from the sensitivity frame of
sim-interfaces.md (``sensitivity.csv``), for one indicator in one year.

Tornado: one horizontal bar per parameter, from the output with the parameter at its low value
to the output at its high value (the others central), most influential at the top, labelled
with the parameter id and its range. The frame does not carry the output of the all-central
run; pass it as ``central_output`` to split each bar at it (low side and high side coloured
apart) and draw it as a line; without it each bar is one span, coloured by whether the output
rises or falls with the parameter. Sobol: S1 and ST per parameter with their 95 % confidence
half-widths as error bars, ranked by ST.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..errors import ParkFlowError
from ..model.indicator_defs import INDICATORS
from ..units import display_unit
from .common import format_value, indicator_name, require, text
from .style import figure_style

TORNADO_COLUMNS = ("indicator", "year", "parameter", "method", "rank", "output_low",
                   "output_high", "low", "high", "unit")
SOBOL_COLUMNS = ("indicator", "year", "parameter", "method", "rank", "S1", "S1_conf", "ST",
                 "ST_conf")
LOW_COLOUR, HIGH_COLOUR = "#4c78a8", "#e45756"  # parameter at its low / its high value
BAR_HEIGHT = 0.34  # inches per parameter


def plot_tornado(sensitivity: pd.DataFrame, indicator: str, year: int, *, top: int = 10,
                 lang: str = "en", central_output: float | None = None) -> Figure:
    """The ``top`` tornado bars of ``indicator`` in ``year``."""
    require(sensitivity, TORNADO_COLUMNS, "sensitivity")
    rows = _rows(sensitivity, indicator, year, "tornado", top)
    low = rows["output_low"].to_numpy(dtype=float)
    high = rows["output_high"].to_numpy(dtype=float)
    y = np.arange(len(rows))[::-1]  # rank 1 at the top
    with figure_style(lang):
        fig, ax = plt.subplots(figsize=(7.0, 1.2 + BAR_HEIGHT * len(rows)),
                               layout="constrained")
        if central_output is None:
            rising = high >= low
            ax.barh(y, np.abs(high - low), left=np.minimum(low, high), height=0.6,
                    color=np.where(rising, HIGH_COLOUR, LOW_COLOUR))
        else:
            for end, colour in ((low, LOW_COLOUR), (high, HIGH_COLOUR)):
                ax.barh(y, end - central_output, left=central_output, height=0.6,
                        color=colour)
            ax.axvline(central_output, color="#333333", lw=0.9)
        ends = np.concatenate([low, high, [] if central_output is None else [central_output]])
        _range_labels(ax, rows, y, np.maximum(low, high), ends, lang)
        ax.set_yticks(y, rows["parameter"].astype(str).tolist())
        ax.set_xlabel(display_unit(_unit(indicator), lang))
        ax.set_title(text("tornado_title", lang, name=indicator_name(indicator, lang),
                          year=year), loc="left")
        ax.grid(axis="y", visible=False)
        fig.legend(handles=_tornado_handles(lang, central_output is None),
                   loc="outside lower center", ncols=2, frameon=False)
    return fig


def plot_sobol(sensitivity: pd.DataFrame, indicator: str, year: int, *, top: int = 10,
               lang: str = "en") -> Figure:
    """S1 and ST with their confidence half-widths, for the ``top`` parameters by ST."""
    require(sensitivity, SOBOL_COLUMNS, "sensitivity")
    rows = _rows(sensitivity, indicator, year, "sobol", top)
    y = np.arange(len(rows))[::-1]
    with figure_style(lang):
        fig, ax = plt.subplots(figsize=(7.0, 1.2 + BAR_HEIGHT * len(rows)),
                               layout="constrained")
        for index, colour, shift in (("S1", LOW_COLOUR, 0.18), ("ST", HIGH_COLOUR, -0.18)):
            ax.barh(y + shift, rows[index].to_numpy(dtype=float), height=0.34, color=colour,
                    xerr=rows[f"{index}_conf"].to_numpy(dtype=float),
                    error_kw={"ecolor": "#333333", "elinewidth": 0.8, "capsize": 2.5},
                    label=text(index.lower(), lang))
        ax.axvline(0.0, color="#333333", lw=0.8)
        ax.set_yticks(y, rows["parameter"].astype(str).tolist())
        ax.set_xlabel(text("sobol_axis", lang))
        ax.set_title(text("sobol_title", lang, name=indicator_name(indicator, lang),
                          year=year), loc="left")
        ax.grid(axis="y", visible=False)
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig


def _rows(frame: pd.DataFrame, indicator: str, year: int, method: str,
          top: int) -> pd.DataFrame:
    """The ``top`` rows of ``method`` for (indicator, year), by rank; ParkFlowError when
    there are none, listing what the frame has."""
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise ParkFlowError.single("sensitivity plot", "top", f"must be a whole number ≥ 1, "
                                   f"got {top!r}", "show at least one parameter")
    of_method = frame[frame["method"] == method]
    rows = of_method[(of_method["indicator"] == indicator) & (of_method["year"] == year)]
    if rows.empty:
        present = sorted({f"{i}@{y}" for i, y in zip(of_method["indicator"], of_method["year"],
                                                     strict=True)})
        raise ParkFlowError.single(
            "sensitivity frame", f"{indicator}@{year}", f"no {method} rows",
            f"use one of: {', '.join(present)}" if present else
            f"compute the {method} sensitivity first")
    return rows.sort_values(["rank", "parameter"], kind="stable").head(top)


def _range_labels(ax: Axes, rows: pd.DataFrame, y: np.ndarray, right: np.ndarray,
                  ends: np.ndarray, lang: str) -> None:
    """``low … high unit`` right of each bar (the range the parameter was moved over), and
    x limits with a margin around every bar end and room for the labels."""
    for yy, x, low, high, unit in zip(y, right, rows["low"], rows["high"], rows["unit"],
                                      strict=True):
        unit_text = display_unit(unit, lang) if isinstance(unit, str) else ""
        label = f"{format_value(float(low), '')} … {format_value(float(high), unit_text)}"
        ax.annotate(label, (x, yy), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=7, color="#555555")
    lowest, highest = float(np.nanmin(ends)), float(np.nanmax(ends))
    span = highest - lowest or max(abs(highest), 1.0)
    ax.set_xlim(lowest - 0.05 * span, highest + 0.3 * span)


def _unit(indicator: str) -> str:
    """The indicator's unit for the output axis (none for a currency unit: the frame does not
    say which currency)."""
    definition = INDICATORS.get(indicator)
    return definition.unit if definition is not None and "{cur}" not in definition.unit else ""


def _tornado_handles(lang: str, by_direction: bool) -> list[Patch]:
    if by_direction:
        return [Patch(color=HIGH_COLOUR, label=text("rises", lang)),
                Patch(color=LOW_COLOUR, label=text("falls", lang))]
    return [Patch(color=LOW_COLOUR, label=text("param_low", lang)),
            Patch(color=HIGH_COLOUR, label=text("param_high", lang))]
