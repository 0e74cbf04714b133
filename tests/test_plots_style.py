"""The shared figure style: Chinese labels drawn with a CJK font, deterministic bytes."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from mfa.errors import ParkFlowError
from mfa.plots.style import cjk_font, figure_style, font_families, save_figure


def _draw(stem: Path, lang: str) -> list[Path]:
    with figure_style(lang):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([2016, 2025], [21.1, 46.7])
        ax.set_title("固体废物综合利用率 (%)" if lang == "zh" else "Utilisation (%)")
        return save_figure(fig, stem)


def test_same_figure_same_bytes(tmp_path: Path) -> None:
    first = _draw(tmp_path / "a", "en")
    second = _draw(tmp_path / "b", "en")
    assert [p.suffix for p in first] == [".svg", ".png"]
    for one, two in zip(first, second, strict=True):
        assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(
            two.read_bytes()).digest()


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_chinese_labels_have_their_glyphs(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        _draw(tmp_path / "zh", "zh")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ParkFlowError, match="unknown language 'fr'"):
        font_families("fr")
