"""The figures of issue 9: trajectories with bands and targets, stockpile levels, tornado and
Sobol bars — drawn from small hand-built frames, same bytes for the same input, Chinese labels
with their glyphs, clear errors for frames that lack columns."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import plot_frames as frames
import pytest
from matplotlib.figure import Figure
from matplotlib.offsetbox import AnnotationBbox, TextArea

from mfa.errors import ParkFlowError
from mfa.plots.sensitivity import plot_sobol, plot_tornado
from mfa.plots.stockpiles import period_ends, plot_stockpiles
from mfa.plots.style import cjk_font, save_figure
from mfa.plots.trajectory import plot_trajectories

UTIL = frames.UTILISATION

FIGURES: dict[str, Callable[[str], Figure]] = {
    "trajectory": lambda lang: plot_trajectories(frames.trajectory(), lang=lang),
    "stockpiles": lambda lang: plot_stockpiles(frames.stockpiles(), lang=lang),
    "tornado": lambda lang: plot_tornado(frames.sensitivity(), UTIL, 2025, lang=lang),
    "tornado_central": lambda lang: plot_tornado(frames.sensitivity(), UTIL, 2025, lang=lang,
                                                 central_output=46.7),
    "sobol": lambda lang: plot_sobol(frames.sensitivity(), UTIL, 2025, lang=lang),
}
LANGS = ["en", pytest.param("zh", marks=pytest.mark.skipif(
    cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)"))]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_files_are_written_with_the_same_bytes(tmp_path: Path, name: str,
                                                      lang: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        first = save_figure(FIGURES[name](lang), tmp_path / "a" / name)
        second = save_figure(FIGURES[name](lang), tmp_path / "b" / name)
    assert [p.suffix for p in first] == [".svg", ".png"]
    for one, two in zip(first, second, strict=True):
        assert one.stat().st_size > 1000
        assert one.read_bytes() == two.read_bytes(), one.name


def _texts(fig: Figure) -> list[str]:
    """Every text of the axes, those in annotation boxes (the target labels) joined."""
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    for ax in fig.axes:
        for artist in ax.artists:
            if isinstance(artist, AnnotationBbox):
                pieces = artist.offsetbox.get_children()
                texts.append("".join(p.get_text() for p in pieces if isinstance(p, TextArea)))
    return texts


def test_trajectory_panels_names_and_target_labels() -> None:
    plan = frames.trajectory().query("scenario == 'plan'").copy()
    plan.loc[(plan["indicator"] == UTIL) & (plan["year"] == 2025), "probability"] = 0.12
    fig = plot_trajectories(plan, indicators=[UTIL], lang="zh")
    (ax,) = fig.axes
    assert ax.get_title() == "一般工业固体废物综合利用率" and ax.get_ylabel() == "%"
    assert "80 % · P = 0.12" in _texts(fig) and "73 % · P = 0.00" in _texts(fig)
    median = ax.lines[0]  # the p50 line: 21.1 % in 2016 → 46.7 % in 2025
    assert median.get_xdata()[0] == 2016 and median.get_ydata()[-1] == pytest.approx(46.7)


def test_trajectory_with_two_scenarios_gives_one_probability_line_each() -> None:
    fig = plot_trajectories(frames.trajectory(), lang="en")
    assert [ax.get_title() for ax in fig.axes] == [
        "General industrial solid waste utilisation rate", "Resource output rate index"]
    texts = _texts(fig)  # 2025: index ≥ 1.1 in none of the baseline runs, 68 % of the plan's
    assert "1.1 · P = 0.00 / 0.68" in texts and "80 % · P = 0.00 / 0.00" in texts


def test_unknown_indicator_is_refused() -> None:
    with pytest.raises(ParkFlowError, match="indicator: not in the frame: water_reuse_rate"):
        plot_trajectories(frames.trajectory(), indicators=["water_reuse_rate"])


def test_stockpile_levels_are_drawn_at_period_ends_with_capacity() -> None:
    fig = plot_stockpiles(frames.stockpiles(), lang="en")
    slag = fig.axes[0]
    central, capacity = slag.lines[0], slag.lines[1]
    assert capacity.get_linestyle() == "--" and set(capacity.get_ydata()) == {600e3}
    assert str(np.asarray(central.get_xdata())[0]) == "2016-01-02"  # the end of 1 Jan 2016
    assert len(fig.axes[1].lines) == 1  # the tailings dam has no capacity


def test_period_ends_follow_the_step() -> None:
    def ends(*days: str) -> list[str]:
        return [str(d) for d in period_ends(np.array(days, dtype="datetime64[D]"))]

    assert ends("2016-01-01", "2016-02-01") == ["2016-02-01", "2016-03-01"]
    assert ends("2016-01-01", "2017-01-01") == ["2017-01-01", "2018-01-01"]
    assert ends("2016-01-01", "2016-01-08") == ["2016-01-08", "2016-01-15"]
    assert ends("2016-12-31") == ["2017-01-01"]


def test_bad_period_is_named() -> None:
    bad = frames.stockpiles()
    bad.loc[3, "period"] = "2016-13-01"
    with pytest.raises(ParkFlowError, match=r"column period: not an ISO date: '2016-13-01'"):
        plot_stockpiles(bad)


def test_tornado_bars_run_from_output_low_to_output_high_by_rank() -> None:
    fig = plot_tornado(frames.sensitivity(), UTIL, 2025, top=3)
    (ax,) = fig.axes
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()),
                       strict=True), reverse=True)  # top to bottom: rank 1 at the top
    assert [label for _, label in ticks] == [
        "cement_kiln.rates.nickel_slag", "smelter.availability", "slag_yard.capacity"]
    bars = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [(round(b.get_x(), 6), round(b.get_width(), 6)) for b in bars] == [
        (41.0, 9.5), (44.9, 3.0), (45.2, 2.8)]
    assert "0.22 … 0.35 t/t" in _texts(fig)


def test_tornado_around_the_central_output_splits_each_bar() -> None:
    fig = plot_tornado(frames.sensitivity(), UTIL, 2025, top=1, central_output=46.7)
    (ax,) = fig.axes
    assert sorted(round(p.get_width(), 6) for p in ax.patches) == [-5.7, 3.8]


def test_sobol_bars_and_confidence() -> None:
    fig = plot_sobol(frames.sensitivity(), UTIL, 2025, top=2, lang="en")
    (ax,) = fig.axes
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == [0.18, 0.22, 0.52, 0.58]
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()),
                       strict=True), reverse=True)
    assert [label for _, label in ticks] == ["cement_kiln.rates.nickel_slag",
                                             "slag_yard.capacity"]  # by ST


def test_sensitivity_without_rows_for_the_year_lists_what_there_is() -> None:
    with pytest.raises(ParkFlowError, match="solid_waste_utilisation_rate@2020: no tornado "
                       "rows\n  fix: use one of: solid_waste_utilisation_rate@2025"):
        plot_tornado(frames.sensitivity(), UTIL, 2020)
    with pytest.raises(ParkFlowError, match="top: must be a whole number"):
        plot_sobol(frames.sensitivity(), UTIL, 2025, top=0)


@pytest.mark.parametrize(("plot", "frame", "dropped"), [
    (lambda f: plot_trajectories(f), frames.trajectory, ["p5", "target"]),
    (lambda f: plot_stockpiles(f), frames.stockpiles, ["capacity"]),
    (lambda f: plot_tornado(f, UTIL, 2025), frames.sensitivity, ["output_low", "unit"]),
    (lambda f: plot_sobol(f, UTIL, 2025), frames.sensitivity, ["ST_conf"]),
])
def test_missing_columns_are_named(plot: Callable[[pd.DataFrame], Figure],
                                   frame: Callable[[], pd.DataFrame],
                                   dropped: list[str]) -> None:
    with pytest.raises(ParkFlowError, match=f"columns: missing: {', '.join(dropped)}"):
        plot(frame().drop(columns=dropped))


def test_an_empty_frame_is_refused() -> None:
    with pytest.raises(ParkFlowError, match="trajectory frame: has no rows"):
        plot_trajectories(frames.trajectory().iloc[:0])


def test_figure_units_are_in_the_figure_language() -> None:
    """A pint unit (``yuan/t``, ``m**3/t``) or a Chinese money unit (``万元/tce``) reads in the
    figure's language: 元/t in Chinese, CNY/t and 10⁴ CNY/tce in English."""
    sensitivity = frames.sensitivity()
    sensitivity.loc[sensitivity["rank"] == 1, "unit"] = "yuan/t"
    labels = {lang: _texts(plot_tornado(sensitivity, UTIL, 2025, top=1, lang=lang))
              for lang in ("zh", "en")}
    assert any(t.endswith(" 元/t") for t in labels["zh"]), labels["zh"]
    assert any(t.endswith(" CNY/t") for t in labels["en"]), labels["en"]
    trajectory = frames.trajectory()
    trajectory = trajectory[trajectory["indicator"] == UTIL].assign(unit="万元/tce")
    fig = plot_trajectories(trajectory, lang="en")
    assert fig.axes[0].get_ylabel() == "10⁴ CNY/tce"
