"""Scenarios (issue 8, parts 2, 3 and 5): compare, no-symbiosis, attribution and 预期成效.

Hand-calculable on tests/data/parks/hand.yaml (tests/test_hand_park.py): coal 300 t/a
(smelter 200, cement 100) at 0.7143 tce/t, so 综合能耗 E = 214.29 tce; value added
G = 1,000,000 + 100,000 元 = 110 万元; fresh water 300 m³ (smelter 3 m³/t × 100 t).

- ``kiln``: the smelter's coal 2 → 1.5 t/t: 50 t coal less, 节能量 = 50 × 0.7143 = 35.715 tce;
  no value added changes, so 产值节能量 = e₀ × 0 − (−35.715) = 35.715 tce as well.
- ``water``: the smelter's fresh water 3 → 2 m³/t: 节水量 = 100 m³.
- ``bricks``: a brick plant (100 t/a, 100 元/t value added, no energy) takes 100 t of slag:
  ΔG = 1 万元, ΔE = 0, so 产值节能量 = e₀ × 1 = 214.29 / 110 = 1.9481 tce, 节能量 = 0.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mfa
from mfa.indicators.fast import INDICATOR_IDS
from mfa.io.yamlio import read_yaml
from mfa.paths import builtin_plans
from mfa.plans import plan_from_dict
from mfa.scenarios.attribution import Subsets, attribute, sampled_shapley
from mfa.scenarios.compare import compare
from mfa.scenarios.counterfactual import no_symbiosis
from mfa.scenarios.effects import PLAN_ROW, expected_effects, project_table
from mfa.scenarios.history import history
from mfa.scenarios.portfolio import switchable
from mfa.scenarios.run import PlanRunner

DATA = Path(__file__).parent / "data"
COAL_TCE = 0.7143
E0 = 300 * COAL_TCE / 110  # tce per 万元, the hand park's base year


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> mfa.Park:
    """The hand park with an id on its slag link, as a file (plans apply to park files)."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["links"][0]["id"] = "slag_to_cement"
    path = tmp_path_factory.mktemp("parks") / "hand.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return mfa.load_park(path, catalogue=mfa.load_catalogue(DATA / "flows"))


def _project(pid: str, **fields: Any) -> dict[str, Any]:
    return {"id": pid, "name_zh": pid, "name_en": pid, "kind": "energy_saving",
            "start_year": 2017, "full_output_year": 2017, **fields}


KILN = _project("kiln", changes={"enterprises": {"smelter": {"rates": {"coal": "-1.5 t/t"}}}})
WATER = _project("water", changes={"enterprises": {"smelter": {
    "rates": {"fresh_water": "-2 m**3/t"}}}})
BRICKS = _project("bricks", kind="chain_filling", adds={
    "enterprises": [{"id": "brick_plant", "activity": {"carrier": "cement",
                                                       "capacity": "200 t/a",
                                                       "level": "100 t/a"},
                     "rates": {"slag": "-1 t/t"}, "value_added": "100 元/t"}],
    "links": [{"from": "smelter", "to": "brick_plant", "carrier": "slag"}]})


def _plan(*projects: dict[str, Any]) -> mfa.Plan:
    return plan_from_dict({"plan": {"id": "test", "park": "hand", "name_zh": "测试",
                                    "name_en": "Test"}, "projects": list(projects)},
                          source=Path("plans/hand-test.yaml"))


def _effect(table: Any, effect: str, project: str, column: str = "standalone") -> float:
    return float(table.loc[(2020, effect, project), column])


def test_energy_and_water_savings_by_hand(hand: mfa.Park) -> None:
    table = expected_effects(hand, _plan(KILN, WATER, BRICKS), [2020])
    assert _effect(table, "energy_saving", "kiln") == pytest.approx(50 * COAL_TCE)
    assert _effect(table, "energy_saving_value_based", "kiln") == pytest.approx(50 * COAL_TCE)
    assert _effect(table, "water_saving", "water") == pytest.approx(100)
    assert _effect(table, "energy_saving", "bricks") == pytest.approx(0, abs=1e-9)
    assert _effect(table, "energy_saving_value_based", "bricks") == pytest.approx(E0 * 1)
    assert _effect(table, "energy_saving", PLAN_ROW) == pytest.approx(50 * COAL_TCE)
    assert _effect(table, "energy_saving_value_based", PLAN_ROW) == pytest.approx(
        50 * COAL_TCE + E0)
    assert _effect(table, "energy_saving", PLAN_ROW, "baseline") == pytest.approx(
        300 * COAL_TCE)
    # Shapley shares add up to the plan's effect, for every item.
    for effect in table.index.get_level_values("effect").unique():
        shares = table.xs((2020, effect), level=("year", "effect"))["shapley"]
        if np.isnan(shares[PLAN_ROW]):  # not measured in this park (e.g. no VOCs carrier)
            continue
        assert shares.drop(PLAN_ROW).sum() == pytest.approx(shares[PLAN_ROW], abs=1e-9)


def test_the_project_table_has_the_guide_fields(hand: mfa.Park) -> None:
    table = project_table(hand, _plan(KILN, BRICKS), 2020)
    assert list(table.index) == ["kiln", "bricks"]
    for column in ("name_zh", "content", "capex", "annual_investment", "start_year",
                   "full_output_year", "responsible", "energy_saving", "water_saving"):
        assert column in table.columns
    assert table.loc["kiln", "energy_saving"] == pytest.approx(50 * COAL_TCE)


def test_compare_hand_park_met_and_not_met(hand: mfa.Park) -> None:
    table = compare(hand, [_plan(BRICKS)], [2020])
    base = table.loc[("baseline", 2020, "solid_waste_utilisation_rate")]
    planned = table.loc[("test", 2020, "solid_waste_utilisation_rate")]
    assert base["value"] == pytest.approx(400 / 600 * 100)
    assert planned["value"] == pytest.approx(500 / 600 * 100)
    assert not base["met"] and planned["met"]
    assert base["gap"] == pytest.approx(73 - 400 / 6) and planned["gap"] < 0
    assert planned["change"] == pytest.approx(100 / 6)


def test_compare_jinchang_plan_2020_2025() -> None:
    park = mfa.load_park("jinchang")
    table = compare(park, [mfa.load_plan("jinchang-2025")], [2020, 2025])
    assert set(table.index.get_level_values("scenario")) == {"baseline", "jinchang-2025"}
    rate = table.xs("solid_waste_utilisation_rate", level="indicator")
    assert (rate["met"] == False).all()  # noqa: E712 - 46.7 % < 80 %, 43.8 % < 73 %
    assert rate.loc[("jinchang-2025", 2025), "value"] > rate.loc[("baseline", 2025), "value"]
    index = table.xs("resource_output_rate_index", level="indicator")
    assert index.loc[("baseline", 2025), "value"] == pytest.approx(1.0)
    assert bool(index.loc[("jinchang-2025", 2025), "met"])


@pytest.mark.parametrize("name", sorted(builtin_plans()))
def test_switches_equal_reapplying_on_every_builtin_plan(name: str) -> None:
    """Random subsets through the switches equal the same subsets applied one by one
    (a candidates list: subsets without two alternatives, as the portfolio search runs it)."""
    plan = mfa.load_plan(name)
    park = mfa.load_park(plan.meta.park)
    runner = PlanRunner(park, switchable(plan), 2025)
    n = len(plan.projects)
    rng = np.random.default_rng(7)
    active = np.vstack([np.zeros(n, bool), rng.random((8, n)) < 0.5])
    if not plan.meta.candidates:
        active = np.vstack([active, np.ones(n, bool)])
    ids = [p.id for p in plan.projects]
    for k, project in enumerate(plan.projects):  # drop subsets holding two alternatives
        for other in project.spec.excludes:
            active = active[~(active[:, k] & active[:, ids.index(other)])]
    years = (park.meta.base_year + 1, 2020, 2025)
    fast = runner.evaluate(active, years).values
    slow = runner.reapplied(active, years).values
    assert runner.method == "switches"
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-6)


SUBSET_PROJECTS = [KILN, WATER, BRICKS,
                   _project("cap", kind="chain_filling", requires=["bricks"],
                            changes={"links": {"slag_to_cement": {
                                "cap": "350 t/a"}}})]


def test_requires_is_respected(hand: mfa.Park) -> None:
    """``cap`` (the cement link 300 → 350 t/a) is declared to need ``bricks`` (100 t of slag):
    built alone it comes with bricks, and without bricks the plan loses cap too. Of 600 t
    (500 made + 100 from the yard) bricks use 100 t and cap 50 t more."""
    plan = _plan(*SUBSET_PROJECTS)
    table = attribute(hand, plan, [2020]).xs((2020, "solid_waste_utilisation_rate"),
                                             level=("year", "indicator"))
    assert table.loc["bricks", "standalone"] == pytest.approx(100 / 6)
    assert table.loc["cap", "standalone"] == pytest.approx(150 / 6)  # bricks come too
    assert table.loc["bricks", "marginal"] == pytest.approx(150 / 6)  # cap goes too
    assert table.loc["cap", "marginal"] == pytest.approx(50 / 6)
    assert table.loc["kiln", "shapley"] == pytest.approx(0, abs=1e-9)
    assert table["shapley"].sum() == pytest.approx(150 / 6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(chosen=st.lists(st.sampled_from(range(4)), min_size=1, max_size=4, unique=True),
       year=st.integers(2016, 2025), start=st.integers(2016, 2022))
def test_shapley_shares_sum_to_the_total(hand: mfa.Park, chosen: list[int], year: int,
                                        start: int) -> None:
    projects = [dict(SUBSET_PROJECTS[k], start_year=start, full_output_year=start + 1)
                for k in sorted(chosen)]
    ids = {p["id"] for p in projects}
    for project in projects:
        project["requires"] = [r for r in project.get("requires", []) if r in ids]
    table = attribute(hand, _plan(*projects), [year])
    sums = table.groupby(["year", "indicator"])["shapley"].sum()
    totals = table.groupby(["year", "indicator"])["total"].first()
    finite = totals.notna()
    np.testing.assert_allclose(sums[finite], totals[finite], rtol=1e-9, atol=1e-9)
    # Sampled orders add up exactly too (each order's contributions telescope).
    runner = PlanRunner(hand, _plan(*projects), year)
    subsets = Subsets(runner, [year])
    sampled, _ = sampled_shapley(subsets, 20, seed=1)
    in_order = totals.xs(year, level="year").reindex(INDICATOR_IDS).to_numpy()
    kept = ~np.isnan(in_order)
    np.testing.assert_allclose(sampled.sum(axis=0)[0][kept], in_order[kept], rtol=1e-9,
                               atol=1e-9)


def test_no_symbiosis_of_kalundborg_costs_water_energy_and_co2() -> None:
    park = mfa.load_park("kalundborg")
    table = compare(park, [no_symbiosis(park)], [2000])

    def change(indicator: str) -> float:
        return float(table.loc[("no-symbiosis", 2000, indicator), "change"])

    assert change("fresh_water_use") > 5e5  # m³: the exchanges save water
    assert change("energy_consumption") > 0
    assert change("co2_emissions") > 0
    assert change("primary_resource_consumption") > 0
    assert change("solid_waste_utilisation_rate") < 0


def test_cli_compare_csv_columns() -> None:
    result = run_cli("compare", "jinchang", "--plan", "jinchang-2025", "--year", "2020",
                     "--year", "2025", "--format", "csv")
    assert result.returncode == 0, (result.stdout + result.stderr)
    header = result.stdout.splitlines()[0].split(",")
    assert header[:7] == ["scenario", "year", "indicator", "value", "unit", "target", "met"]
    rows = [line for line in result.stdout.splitlines()
            if line.startswith("jinchang-2025,2025,solid_waste_utilisation_rate,")]
    assert len(rows) == 1 and ",False," in rows[0]


def test_cli_compare_table_and_out(tmp_path: Path) -> None:
    result = run_cli("compare", "jinchang", "--plan", "jinchang-2025", "--out",
                     str(tmp_path / "out"))
    assert result.returncode == 0, (result.stdout + result.stderr)
    assert "not met" in result.stdout and "met" in result.stdout
    records = json.loads((tmp_path / "out" / "compare.json").read_text())
    assert {r["scenario"] for r in records} == {"baseline", "jinchang-2025"}


def test_cli_attribute_json_rows() -> None:
    result = run_cli("attribute", "jinchang", "--plan", "jinchang-2025", "--year", "2025",
                     "--indicator", "solid_waste_utilisation_rate", "--format", "json")
    assert result.returncode == 0, (result.stdout + result.stderr)
    rows = json.loads(result.stdout)
    assert {"year", "indicator", "project", "standalone", "marginal", "shapley"} <= set(rows[0])
    assert sum(r["shapley"] for r in rows) == pytest.approx(rows[0]["total"], abs=1e-9)


def test_cli_effects_table() -> None:
    result = run_cli("effects", "jinchang", "--plan", "jinchang-2025", "--year", "2025")
    assert result.returncode == 0, (result.stdout + result.stderr)
    for text in ("重点项目表", "预期成效", "节能量", "产值节能量", "GB/T 13234"):
        assert text in result.stdout


@pytest.mark.parametrize("args, expected", [
    (["compare", "jinchang", "--plan", "nowhere-2030"], "neither a plan file"),
    (["compare", "jinchang"], "--plan"),
    (["compare", "jinchang", "--plan", "jinchang-2025", "--year", "1800"], "not a year"),
    (["compare", "kalundborg", "--plan", "jinchang-2025"], "not for 'kalundborg'"),
    (["attribute", "jinchang", "--plan", "jinchang-2025", "--indicator", "utilisation"],
     "not an indicator id"),
    (["attribute", "jinchang", "--plan", "jinchang-2025", "--samples", "0"], "random orders"),
    (["effects", "jinchang", "--plan", "no-such.yaml"], "no-such.yaml"),
])
def test_cli_bad_input_exits_2(args: list[str], expected: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, (result.stdout + result.stderr)
    assert expected in (result.stdout + result.stderr)
    assert "Traceback" not in (result.stdout + result.stderr)


def test_kalundborg_history_by_dated_exchanges() -> None:
    """Each group of exchanges by its `since` year; the last cumulative row is the park, the
    shares add up to the whole symbiosis (the no-symbiosis change with the sign turned), and
    the 1987 cooling water saves its 700,000 m³ of fresh water."""
    park = mfa.load_park("kalundborg")
    table = history(park)
    water = table.xs("fresh_water_use", level="indicator")
    assert list(water["since"])[:3] == [1972, 1981, 1982]
    assert water.loc["exchanges_1987", "shapley"] == pytest.approx(-700_000)
    assert water["shapley"].sum() == pytest.approx(water["total"].iloc[0])
    own = park.balance(2000).indicators().loc[(2000, "fresh_water_use"), "value"]
    assert water["cumulative"].iloc[-1] == pytest.approx(own)
    without = compare(park, [no_symbiosis(park)], [2000]).loc[
        ("no-symbiosis", 2000, "fresh_water_use"), "change"]
    assert water["total"].iloc[0] == pytest.approx(-without)
    assert table.attrs["without_exchanges"]["fresh_water_use"] == pytest.approx(own - water[
        "total"].iloc[0])


def test_cli_history() -> None:
    result = run_cli("history", "kalundborg")
    assert result.returncode == 0, result.stderr
    assert "1987" in result.stdout and "without any" in result.stdout
    bad = run_cli("history", "kalundborg", "--indicator", "water")
    assert bad.returncode == 2 and "not an indicator id" in bad.stderr
