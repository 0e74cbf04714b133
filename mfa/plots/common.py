"""What the figure modules share: checking a frame's columns, labels in two languages,
indicator names, scenario colours."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import ParkFlowError, Problem
from ..model.indicator_defs import INDICATORS

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
TEXT = {  # en, zh
    "year": ("Year", "年份"),
    "band": ("p5–p95", "5%–95% 区间"),
    "median": ("median", "中位数"),
    "target": ("target (P: probability of meeting it)", "目标（P：达标概率）"),
    "central": ("central run", "中心情形"),
    "capacity": ("capacity", "库容"),
    "level": ("Stock", "贮存量"),
    "param_low": ("parameter at low", "参数取低值"),
    "param_high": ("parameter at high", "参数取高值"),
    "rises": ("output rises with the parameter", "输出随参数增大"),
    "falls": ("output falls as the parameter rises", "输出随参数减小"),
    "s1": ("first-order S1", "一阶指数 S1"),
    "st": ("total ST", "总效应指数 ST"),
    "sobol_axis": ("Sobol index (95 % confidence)", "Sobol 指数（95 % 置信区间）"),
    "tornado_title": ("What moves {name}, {year}", "{year} 年{name}的敏感参数"),
    "sobol_title": ("Sobol indices of {name}, {year}", "{year} 年{name}的 Sobol 指数"),
}


def text(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` ("en" or "zh"), with ``{name}`` fields filled."""
    en, zh = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def indicator_name(indicator: str, lang: str) -> str:
    """The indicator's name in ``lang`` (its id when it is not in the registry)."""
    definition = INDICATORS.get(indicator)
    if definition is None:
        return indicator
    return definition.name_zh if lang == "zh" else definition.name_en


def require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """ParkFlowError naming the ``columns`` missing from ``frame`` (a ``what`` frame)."""
    if not isinstance(frame, pd.DataFrame):
        raise ParkFlowError.single(f"{what} frame", "", f"not a DataFrame: "
                                   f"{type(frame).__name__}", f"pass the {what} frame")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParkFlowError(f"{what} frame", [Problem(
            "columns", f"missing: {', '.join(missing)}",
            f"a {what} frame has the columns {', '.join(columns)}")])
    if frame.empty:
        raise ParkFlowError.single(f"{what} frame", "", "has no rows",
                                   f"plot a {what} frame with at least one row")


def choose(values: Iterable[str], wanted: Sequence[str] | None, what: str,
           field: str) -> list[str]:
    """``wanted`` (all ``values`` in order of appearance when None), each checked to be among
    ``values``."""
    present = list(dict.fromkeys(values))
    if wanted is None:
        return present
    unknown = [w for w in wanted if w not in present]
    if unknown or not wanted:
        shown = ", ".join(unknown) if unknown else "none"
        raise ParkFlowError.single(f"{what} frame", field, f"not in the frame: {shown}",
                                   f"use some of: {', '.join(present)}")
    return list(wanted)


def format_value(value: float, unit: str) -> str:
    """``80 %``, ``1.1``, ``12,000 t``: a target as a label shows it."""
    number = f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return f"{number} {unit}".strip()


def si_tick(value: float, _position: float | None = None) -> str:
    """A tick label with an SI prefix on the number: 600 k, 1.5 M (the unit is in the axis
    label or the title), never matplotlib's "1e6" offset text."""
    for size, prefix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:g}{prefix}"
    return f"{value:g}"
