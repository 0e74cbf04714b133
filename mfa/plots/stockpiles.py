"""Stockpile levels over time (issue 9 part 6): one panel per stockpile with the p5–p95 band
across runs, the central run's level and the capacity as a dashed line. Input: the stockpiles
frame of sim-interfaces.md (``stockpiles.csv``), whose ``period`` is the ISO date of each
period's first day and whose levels are those at the end of the period: a level is drawn at the
end of its period (the next period's first day). The time axis is a matplotlib date axis, so
ten years of daily periods get year ticks, a month step over a year gets months.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import EngFormatter

from ..errors import ParkFlowError
from ..units import display_unit
from .common import COLOURS, require, si_tick, text
from .style import figure_style

COLUMNS = ("period", "year", "stockpile", "carrier", "unit", "central", "p5", "p50", "p95",
           "capacity")
PANEL = (8.0, 2.6)  # inches per panel
CAPACITY_COLOUR = "#333333"


def plot_stockpiles(stockpiles: pd.DataFrame, *, lang: str = "en") -> Figure:
    """A figure of the stockpiles frame: one panel per stockpile, in frame order."""
    require(stockpiles, COLUMNS, "stockpiles")
    dates = _dates(stockpiles["period"])
    names = list(dict.fromkeys(stockpiles["stockpile"]))
    with figure_style(lang):
        fig, axes = plt.subplots(len(names), 1, figsize=(PANEL[0], PANEL[1] * len(names)),
                                 squeeze=False, sharex=True, layout="constrained")
        for number, (ax, name) in enumerate(zip(axes[:, 0], names, strict=True)):
            rows = stockpiles["stockpile"] == name
            _panel(ax, stockpiles[rows], dates[rows.to_numpy()], name,
                   COLOURS[number % len(COLOURS)], lang)
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
        axes[-1, 0].xaxis.set_major_locator(locator)
        axes[-1, 0].xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        fig.legend(handles=_handles(lang), loc="outside lower center", ncols=3, frameon=False)
    return fig


def _dates(period: pd.Series) -> np.ndarray:
    """The periods as datetime64 days, or a ParkFlowError naming the first bad one."""
    parsed = pd.to_datetime(period, format="%Y-%m-%d", errors="coerce")
    bad = period[parsed.isna()]
    if not bad.empty:
        raise ParkFlowError.single(
            "stockpiles frame", "column period", f"not an ISO date: {bad.iloc[0]!r} "
            f"({len(bad)} rows)", "give the first day of each period as YYYY-MM-DD")
    return parsed.to_numpy(dtype="datetime64[D]")


def _panel(ax: Axes, frame: pd.DataFrame, dates: np.ndarray, name: str, colour: str,
           lang: str) -> None:
    order = np.argsort(dates, kind="stable")
    x = period_ends(dates[order])  # a level is the level at the end of its period
    values = {c: frame[c].to_numpy(dtype=float)[order] for c in ("central", "p5", "p95",
                                                                  "capacity")}
    ax.fill_between(x, values["p5"], values["p95"], color=colour, alpha=0.2, lw=0)
    ax.plot(x, values["central"], color=colour, lw=1.0)
    if not np.isnan(values["capacity"]).all():
        ax.plot(x, values["capacity"], color=CAPACITY_COLOUR, lw=1.0, ls="--")
    carriers = ", ".join(str(c) for c in dict.fromkeys(frame["carrier"]))
    ax.set_title(f"{name} ({carriers})", loc="left")
    units = [display_unit(str(u), lang) for u in dict.fromkeys(frame["unit"])
             if isinstance(u, str) and u]
    label = text("level", lang)
    ax.set_ylabel(f"{label} ({units[0]})" if units else label)
    ax.yaxis.set_major_formatter(EngFormatter(sep=" ") if not units or units[0] != "t"
                                 else si_tick)
    ax.set_ylim(bottom=min(0.0, float(np.nanmin(values["p5"]))))


def period_ends(starts: np.ndarray) -> np.ndarray:
    """The day after each period (the next period's first day), for sorted ``starts``
    (datetime64[D]); the last period is as long as the one before it, in calendar months or
    years when the periods start on the first of a month or of January."""
    if len(starts) < 2:
        return starts + np.timedelta64(1, "D")
    months = starts.astype("datetime64[M]")
    if (months.astype("datetime64[D]") == starts).all():  # first days of months (or years)
        step = int(np.diff(months).astype(int).min())
        last = (months[-1] + np.timedelta64(step, "M")).astype("datetime64[D]")
    else:
        last = starts[-1] + (starts[-1] - starts[-2])
    return np.append(starts[1:], last)


def _handles(lang: str) -> list[Line2D | Patch]:
    return [Line2D([], [], color="#555555", lw=1.0, label=text("central", lang)),
            Patch(color="#888888", alpha=0.3, label=text("band", lang)),
            Line2D([], [], color=CAPACITY_COLOUR, lw=1.0, ls="--",
                   label=text("capacity", lang))]
