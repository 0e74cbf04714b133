"""The figures of a simulation study, as files in memory (``figures/…svg`` and ``.png``) for
``parkflow simulate --out`` and the report: trajectories with bands and targets, stockpile
levels, and the tornado and Sobol bars of each ranked output."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .sensitivity import plot_sobol, plot_tornado
from .stockpiles import plot_stockpiles
from .style import figure_bytes, figure_style
from .trajectory import plot_trajectories

if TYPE_CHECKING:
    from ..simulate.study import SimulationResult

TRAJECTORY_INDICATORS = ("solid_waste_utilisation_rate", "resource_output_rate_index")


def study_figures(result: SimulationResult, ranking: pd.DataFrame | None = None,
                  lang: str = "en") -> dict[str, bytes]:
    """``figures/<name>.svg|png`` → bytes of every figure of the study."""
    files: dict[str, bytes] = {}
    with figure_style(lang):
        shown = [i for i in TRAJECTORY_INDICATORS
                 if result.trajectory["valid_runs"][result.trajectory["indicator"] == i].gt(0)
                 .any()]
        files |= figure_bytes(plot_trajectories(result.trajectory, indicators=shown,
                                                lang=lang), "figures/trajectory")
        if len(result.stockpiles):
            files |= figure_bytes(plot_stockpiles(result.stockpiles, lang=lang),
                                  "figures/stockpiles")
        if ranking is not None:
            for (indicator, year), _ in ranking.groupby(["indicator", "year"], sort=False):
                stem = f"{indicator}_{year}"
                files |= figure_bytes(plot_tornado(ranking, str(indicator), int(str(year)),
                                                   lang=lang), f"figures/tornado_{stem}")
                files |= figure_bytes(plot_sobol(ranking, str(indicator), int(str(year)),
                                                 lang=lang), f"figures/sobol_{stem}")
    return files
