"""What every `parkflow` command prints through: consoles that never crash on a name the
terminal cannot show, park text made safe for the terminal, and the exit-2 error printer."""

from __future__ import annotations

import math
import sys
import unicodedata
from enum import StrEnum
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from .errors import ParkFlowError

# Piped output (CI logs, `| less`) gets a wide page instead of rich's 80-column default.
_WIDTH = None if sys.stdout.isatty() else 160
for _stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a name gets \uXXXX
    if hasattr(_stream, "reconfigure"):
        _stream.reconfigure(errors="backslashreplace")
out = Console(width=_WIDTH)
err = Console(stderr=True, width=_WIDTH)

# Park files are written by other people: a name may hold "[/bold]", "[link=…]", an ANSI escape
# sequence that recolours or retitles the terminal, or a character the terminal cannot encode.
_KEEP = {"\n"}


def plain(text: str) -> str:
    """``text`` without control characters (C0, C1, DEL, ESC) or invisible format characters
    (bidirectional overrides, zero-width), with tabs as spaces and lone surrogates shown as
    ``\\udXXX``."""
    kept = []
    for char in text:
        if char in _KEEP:
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif unicodedata.category(char) == "Cs":
            kept.append(ascii(char)[1:-1])
        else:
            kept.append(char)
    return "".join(kept)


def safe(text: str) -> str:
    """``text`` made :func:`plain` and escaped for Rich markup."""
    return escape(plain(str(text)))


def fail(error: ParkFlowError) -> NoReturn:
    """Print the located messages of ``error`` (no traceback) and exit with code 2."""
    # Escaped: messages hold brackets ("default_for: [nickel_slag]") that rich would eat as
    # markup; soft-wrapped: a message piped to a log keeps each line whole.
    err.print(f"[bold red]error[/] {safe(str(error))}", markup=True, highlight=False,
              soft_wrap=True)
    raise typer.Exit(code=2)


class Format(StrEnum):
    """What a table command prints: a rich table, CSV or JSON records."""

    table = "table"
    csv = "csv"
    json = "json"


def number(value: float | None) -> str:
    """A value as tables show it: ``–`` for none/NaN, thousands separated, 4 significant
    digits below 100, one decimal to 10⁵, none above."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    magnitude = abs(value)
    if magnitude >= 1e5:
        return f"{value:,.0f}"
    return f"{value:,.4g}" if magnitude < 100 else f"{value:,.1f}"
