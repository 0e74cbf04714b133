"""One look for every figure: fonts (a CJK font for Chinese labels), size, and deterministic
SVG/PNG output (no dates, a fixed SVG id salt), so the same data gives the same bytes.

The CJK font is found among the installed fonts (Debian's ``fonts-noto-cjk`` or
``fonts-wqy-zenhei``); without one, Chinese labels would be drawn as boxes, so
:func:`setup` raises :class:`~mfa.errors.ParkFlowError` for ``lang="zh"`` and says which
package to install.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: figures are files

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from ..errors import ParkFlowError, Problem

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC")
LATIN_FONT = "DejaVu Sans"
LANGUAGES = ("en", "zh")


def cjk_font() -> str | None:
    """The first installed CJK font family of :data:`CJK_FONTS`, or None."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def font_families(lang: str) -> list[str]:
    """Font families for ``lang``: Latin first (its glyphs for digits and letters), then CJK."""
    if lang not in LANGUAGES:
        raise ParkFlowError("figure", [Problem("lang", f"unknown language '{lang}'",
                                     f"use one of {', '.join(LANGUAGES)}")])
    cjk = cjk_font()
    if lang == "zh" and cjk is None:
        raise ParkFlowError("figure", [Problem(
            "fonts", "no CJK font is installed, so Chinese labels would be drawn as boxes",
            "install one: apt-get install fonts-noto-cjk (or fonts-wqy-zenhei)")])
    return [LATIN_FONT, cjk] if cjk else [LATIN_FONT]


def rc(lang: str) -> dict[str, Any]:
    """matplotlib settings of every ParkFlow figure."""
    return {
        "font.family": font_families(lang),  # a list: matplotlib falls back glyph by glyph
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.unicode_minus": False,  # U+2212 is missing from some CJK fonts
        "svg.hashsalt": "parkflow",  # stable ids: same figure, same SVG bytes
        "svg.fonttype": "path",  # text as outlines: the SVG needs no font to show Chinese
        "figure.dpi": 100,
        "savefig.dpi": 200,  # sharp enough for print (the PDF embeds the PNGs)
        "savefig.bbox": "tight",
    }


SAVE_RC = {key: value for key, value in rc("en").items()
           if key.startswith(("svg.", "savefig.")) or key == "axes.unicode_minus"}


@contextmanager
def figure_style(lang: str = "en") -> Iterator[None]:
    """``with figure_style("zh"): fig = ...``: ParkFlow's settings for the figures made inside."""
    with plt.rc_context(rc(lang)):  # type: ignore[arg-type]
        yield


def figure_bytes(fig: Figure, stem: str) -> dict[str, bytes]:
    """``{stem.svg: …, stem.png: …}``: the figure's files in memory (for an output unit that
    is written as a whole), deterministic as :func:`save_figure`; the figure is closed."""
    files = {}
    for suffix, metadata in (("svg", {"Date": None, "Creator": "ParkFlow"}),
                             ("png", {"Software": "ParkFlow"})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=suffix, metadata=metadata)
        files[f"{stem}.{suffix}"] = buffer.getvalue()
    plt.close(fig)
    return files


def save_figure(fig: Figure, stem: Path | str) -> list[Path]:
    """Write ``stem.svg`` and ``stem.png`` (deterministic bytes) and close the figure."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".svg"), stem.with_suffix(".png")]
    with plt.rc_context(SAVE_RC):  # type: ignore[arg-type]  # read when saving: a figure made in figure_style and
        # saved after it (as the plot functions return them) keeps its fixed SVG ids
        fig.savefig(paths[0], format="svg", metadata={"Date": None, "Creator": "ParkFlow"})
        fig.savefig(paths[1], format="png", metadata={"Software": "ParkFlow"})
    plt.close(fig)
    return paths
