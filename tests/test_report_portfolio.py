"""Section 4's cheapest portfolio (``parkflow assess --portfolio CANDIDATES [--target …]``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mini_park, run_cli, write_park

import mfa
from mfa.plans import load_plan
from mfa.report import assess
from mfa.report.blocks import Heading, Paragraph, Table
from mfa.report.portfolio import portfolio_blocks
from mfa.report.sections_plan import projects_section
from mfa.scenarios.goals import Goal, parse_goal, project_costs, target_goals
from mfa.scenarios.portfolio import Search, all_subsets


@pytest.fixture(scope="module")
def jinchang() -> mfa.Park:
    return mfa.load_park("jinchang")


def _tables(blocks: list[object]) -> dict[str, Table]:
    return {b.id: b for b in blocks if isinstance(b, Table)}


def test_feasible_goal_gives_the_cheapest_subset(jinchang: mfa.Park) -> None:
    candidates = load_plan("jinchang-candidates")
    goal = parse_goal("solid_waste_utilisation_rate=45@2025", jinchang)
    found = assess(jinchang, load_plan("jinchang-2025"), candidates=candidates, goals=[goal])
    assert found.portfolio is not None and found.portfolio.feasible
    blocks = portfolio_blocks(found, "en")
    assert isinstance(blocks[0], Heading) and blocks[0].text == "Cheapest portfolio"
    assert not any(isinstance(b, Paragraph) and "No subset" in b.text for b in blocks)
    chosen = _tables(blocks)["portfolio"].frame
    assert list(chosen["project"]) == list(found.portfolio.ids)
    assert chosen["present_cost"].sum() == pytest.approx(found.portfolio.cost)
    reached = _tables(blocks)["portfolio_targets"].frame
    assert reached["met"].tolist() == [True] and reached["target"].tolist() == [45.0]
    assert reached["reached"].iloc[0] >= 45.0
    # every allowed subset that costs less falls short of the goal
    search = Search(jinchang, candidates, [goal], project_costs(candidates, jinchang), None)
    rows = all_subsets(search.n)
    rows = rows[search.allowed(rows) & (rows @ search.costs < found.portfolio.cost - 1e-6)]
    assert len(rows) > 0 and (search.values(rows)[:, 0] < 45.0).all()


def test_unreachable_targets_show_the_closest_portfolio(jinchang: mfa.Park) -> None:
    found = assess(jinchang, load_plan("jinchang-2025"),
                   candidates=load_plan("jinchang-candidates"))
    assert found.portfolio is not None and not found.portfolio.feasible
    assert found.portfolio.goals == tuple(target_goals(jinchang, found.years))
    assert [(g.indicator, g.year, g.value) for g in found.portfolio.goals] == [
        ("solid_waste_utilisation_rate", 2020, 73.0), ("solid_waste_utilisation_rate", 2025, 80.0),
        ("resource_output_rate_index", 2020, 1.057), ("resource_output_rate_index", 2025, 1.1)]
    blocks = portfolio_blocks(found, "zh")
    assert isinstance(blocks[0], Heading) and blocks[0].text.startswith("最接近目标的项目组合")
    assert any(isinstance(b, Paragraph) and "任何候选项目组合都不能达到全部目标" in b.text
               for b in blocks)
    reached = _tables(blocks)["portfolio_targets"].frame
    expected = [r >= t for r, t in zip(reached["reached"], reached["target"], strict=True)]
    assert reached["met"].tolist() == expected and not all(expected)
    section = projects_section(found, "zh", Path("/nonexistent"))
    assert section is not None
    assert [b.text for b in section.blocks if isinstance(b, Heading)][-1] == blocks[0].text
    assert [b.id for b in section.blocks if isinstance(b, Table)][-2:] == [
        "portfolio", "portfolio_targets"]


def test_portfolio_without_a_plan_makes_section_4(jinchang: mfa.Park, tmp_path: Path) -> None:
    found = assess(jinchang, None, candidates=load_plan("jinchang-candidates"),
                   goals=[Goal("solid_waste_utilisation_rate", 2025, 45.0)])
    section = projects_section(found, "en", tmp_path)
    assert section is not None and section.id == "projects"
    assert [b.id for b in section.blocks if isinstance(b, Table)] == [
        "portfolio", "portfolio_targets"]
    assert projects_section(assess(jinchang, None), "en", tmp_path) is None


def test_bad_portfolio_options_exit_2_and_write_nothing(tmp_path: Path) -> None:
    park = write_park(tmp_path, mini_park())
    cases = (
        (["--target", "solid_waste_utilisation_rate=45@2025"], "give --portfolio"),
        (["--portfolio", "jinchang-candidates"], "is for park 'jinchang'"),
        (["--portfolio", "no-such-plan"], "no-such-plan"),
    )
    for args, message in cases:
        run = run_cli("assess", park, "--out", tmp_path / "out", *args)
        assert run.returncode == 2 and message in run.stderr, run.stderr
        assert "Traceback" not in run.stderr and not (tmp_path / "out").exists()
    run = run_cli("assess", "jinchang", "--out", tmp_path / "out", "--portfolio",
                  "jinchang-candidates", "--target", "no_such_indicator=1@2025")
    assert run.returncode == 2 and "unknown indicator" in run.stderr, run.stderr
    assert not (tmp_path / "out").exists()
