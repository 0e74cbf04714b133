"""The pieces of a report: sections made of paragraphs, tables and figures.

A :class:`Table` keeps its raw values (``frame``, written to ``tables/<id>.csv``) and the
cells shown (strings, or ``(text, css class)`` pairs); a :class:`Figure` the SVG written to
``figures/`` and, for the HTML only, an interactive plotly spec.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeAlias

import pandas as pd

Cell: TypeAlias = str | tuple[str, str]


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Heading:
    text: str
    kind: str = "heading"


@dataclass
class Table:
    id: str  # file stem in tables/
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    frame: pd.DataFrame
    numeric: list[bool] = field(default_factory=list)  # right-aligned columns
    note: str = ""
    small: bool = False  # long tables (sources) in a smaller type
    number: int = 0
    kind: str = "table"


@dataclass
class Figure:
    id: str  # file stem in figures/
    caption: str
    svg: str  # the SVG text (inlined in the HTML)
    plotly: str = ""  # interactive spec (JSON) for the HTML; the SVG prints
    wide: bool = False
    number: int = 0
    kind: str = "figure"
    png: bytes = b""  # the PNG the PDF embeds (WeasyPrint lays SVG outlines out slowly)


Block: TypeAlias = Paragraph | Heading | Table | Figure


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block]
    number: int = 0


def fmt(value: object, digits: int = 4) -> str:
    """A number for a table cell: ``digits`` significant figures, thousands separated; "–"
    for missing values."""
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, bool):
        return str(value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    if number == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(number)))
    if magnitude < -4:  # 0.0000012 reads badly: 1.2e-06
        return f"{number:.{digits - 1}e}".replace("e-0", "e-")
    decimals = max(0, digits - 1 - magnitude)
    text = f"{number:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def money(value: object, currency: str, lang: str) -> str:
    """An amount as ``1.2 亿元`` / ``12,000 万元`` (zh) or ``CNY 120 M`` (en)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    amount = float(value)  # type: ignore[arg-type]
    if lang == "zh" and currency == "CNY":
        return f"{fmt(amount / 1e4)} 万元"
    return f"{fmt(amount / 1e6)} M {currency}"


def number_blocks(sections: list[Section]) -> None:
    """Number sections, tables and figures in reading order."""
    tables = figures = 0
    for k, section in enumerate(sections, start=1):
        section.number = k
        for block in section.blocks:
            if isinstance(block, Table):
                tables += 1
                block.number = tables
            elif isinstance(block, Figure):
                figures += 1
                block.number = figures
