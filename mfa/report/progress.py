"""The annual progress report (工作进展、成效, 发改办环资〔2021〕1004号): a measured year against
the plan's expectation for that year.

The measured values are a small YAML file::

    year: 2020                      # the year measured (must be the --progress year)
    source: 园区 2020 年统计年报       # where the values come from (shown in the report)
    values:                         # indicator id: value, in the unit `parkflow balance` shows
      solid_waste_utilisation_rate: 61.5
      energy_consumption: 5950000

Every problem (unknown indicator id, a value that is not a finite number, another year) is
reported with the file, the field and a fix.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..errors import ParkFlowError, Problem, one_of
from ..indicators.fast import INDICATOR_IDS
from ..io.yamlio import read_yaml
from ..model.indicator_defs import INDICATORS, unit_for
from ..units import display_unit
from .assessment import Assessment, Measured
from .blocks import Block, Cell, Paragraph, Section, Table, fmt
from .sections_park import name_of
from .strings import text

_KEYS = ("year", "source", "values")


def load_measured(path: str | Path, year: int) -> Measured:
    """The measured values of ``year`` from a file (module docstring).

    Raises
    ------
    ParkFlowError
        Listing every problem with its field and a fix.
    """
    data = read_yaml(path)
    problems: list[Problem] = []
    for key in data:
        if key not in _KEYS:
            problems.append(Problem(str(key), "is not a field of a measured-values file",
                                    one_of(str(key), _KEYS)))
    found = data.get("year")
    if not isinstance(found, int) or isinstance(found, bool):
        problems.append(Problem("year", f"is {found!r}, not a year",
                                f"give the measured year, {year}"))
    elif found != year:
        problems.append(Problem("year", f"is {found}, but the report is for {year}",
                                f"give --progress {found}, or the values of {year}"))
    source = data.get("source", "")
    if not isinstance(source, str):
        problems.append(Problem("source", "is not text", "name where the values come from"))
    raw = data.get("values")
    values: dict[str, float] = {}
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem("values", "is missing or empty",
                                "give indicator id: value pairs, e.g. "
                                "solid_waste_utilisation_rate: 61.5"))
        raw = {}
    for key, value in raw.items():
        where = f"values.{key}"
        if key not in INDICATOR_IDS:
            problems.append(Problem(where, "is not an indicator id",
                                    f"{one_of(str(key), INDICATOR_IDS)} (docs/indicators.md)"))
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            problems.append(Problem(where, f"is {value!r}, not a finite number",
                                    "give the value in the indicator's unit (the Unit column "
                                    "of `parkflow balance`)"))
        else:
            values[str(key)] = float(value)
    if problems:
        raise ParkFlowError(path, problems)
    return Measured(year, str(source), values, Path(path))


def progress_section(a: Assessment, measured: Measured, lang: str) -> Section:
    """Measured against the plan's expectation and the baseline in the measured year."""
    from ..scenarios.compare import BASELINE

    words = text(lang)
    year = measured.year
    rows: list[list[Cell]] = []
    raw = []
    for ind_id, value in measured.values.items():
        expected = float(a.compare.at[(a.scenario, year, ind_id), "value"])  # type: ignore[arg-type]
        baseline = float(a.compare.at[(BASELINE, year, ind_id), "value"])  # type: ignore[arg-type]
        target = a.compare.at[(a.scenario, year, ind_id), "target"]
        higher = INDICATORS[ind_id].higher_is_better is not False
        on_track = None if math.isnan(expected) else (
            value >= expected - 1e-9 * abs(expected) if higher
            else value <= expected + 1e-9 * abs(expected))
        status: Cell = "–" if on_track is None else (
            (words["yes"], "met") if on_track else (words["no"], "notmet"))
        rows.append([name_of(ind_id, lang),
                     display_unit(unit_for(ind_id, a.park.meta.currency), lang), fmt(value),
                     fmt(expected), fmt(baseline), fmt(value - expected), fmt(target), status])
        raw.append({"indicator": ind_id, "year": year, "measured": value,
                    "expected": expected, "baseline": baseline,
                    "deviation": value - expected, "target": target, "on_track": on_track})
    columns = [words["indicator"], words["unit"], words["measured"], words["expected"],
               words["baseline"], words["deviation"], words["target"], words["on_track"]]
    blocks: list[Block] = [
        Paragraph(words["progress_intro"].format(year=year)),
        Table("progress", f"{words['s_progress']} {year}", columns, rows, pd.DataFrame(raw),
              [False, False, True, True, True, True, True, False])]
    if measured.source:
        blocks.append(Paragraph(f"{words['measured_source']}: {measured.source}"))
    return Section("progress", words["s_progress"], blocks)
