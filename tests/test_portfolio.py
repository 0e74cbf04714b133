"""The cheapest portfolio (issue 8, part 7): hand-calculable on tests/data/parks/hand.yaml.

The smelter makes 500 t/a of slag; 300 t/a goes to the cement plant (cap) and 100 t/a more is
drawn from the slag yard: (300 + 100) / (500 + 100) = 66.7 %. A brick plant taking 100 t/a
raises it to 500 / 600 = 83.3 %; one taking 50 t/a to 450 / 600 = 75 %; raising the cement
link's cap to 400 t/a gives 500 / 600 = 83.3 % too.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

import mfa
from mfa.errors import ParkFlowError
from mfa.io.yamlio import read_yaml
from mfa.plans import apply_plan, plan_from_dict
from mfa.scenarios.goals import Goal, parse_goal, present_cost
from mfa.scenarios.portfolio import optimise

DATA = Path(__file__).parent / "data"
RATE = "solid_waste_utilisation_rate"


def _bricks(pid: str, level: str, **fields: Any) -> dict[str, Any]:
    plant = {"id": f"{pid}_plant", "activity": {"carrier": "cement", "capacity": "200 t/a",
                                                "level": level}, "rates": {"slag": "-1 t/t"}}
    return {"id": pid, "name_zh": "砖", "name_en": "Bricks", "kind": "chain_filling",
            "start_year": 2017, "full_output_year": 2017,
            "adds": {"enterprises": [plant], "links": [
                {"from": "smelter", "to": f"{pid}_plant", "carrier": "slag"}]}, **fields}


def _candidates() -> dict[str, Any]:
    cap = {"id": "cap", "name_zh": "扩容", "name_en": "Cap", "kind": "infrastructure",
           "start_year": 2017, "full_output_year": 2017, "capex": "20 万元",
           "changes": {"links": {"slag_to_cement": {"cap": "400 t/a"}}}}
    return {"plan": {"id": "cands", "park": "hand", "name_zh": "候选", "name_en": "Candidates",
                     "candidates": True},
            "projects": [_bricks("bricks", "100 t/a", capex="10 万元", excludes=["small"]),
                         cap, _bricks("small", "50 t/a", capex="3 万元")]}


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> mfa.Park:
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["links"][0]["id"] = "slag_to_cement"
    folder = tmp_path_factory.mktemp("park")
    import yaml

    (folder / "hand.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return mfa.load_park(folder / "hand.yaml", catalogue=mfa.load_catalogue(DATA / "flows"))


COSTS = {"bricks": 10.0, "cap": 20.0, "small": 3.0}


@pytest.mark.parametrize("method", ["exact", "milp"])
@pytest.mark.parametrize(("value", "budget", "expected"), [
    (80, None, ("bricks",)),  # 83.3 % for 10: cheaper than the cap (20)
    (70, None, ("small",)),  # 75 % for 3
    (80, 90_000, ()),  # a budget of 9 万元: only small (3 万元) fits, 75 %
    (85, None, ("cap", "small")),  # 550 / 600 = 91.7 %; bricks + small exclude each other
])
def test_the_cheapest_subset_by_hand(park: mfa.Park, method: str, value: float,
                                     budget: float | None, expected: tuple[str, ...]) -> None:
    plan = plan_from_dict(_candidates())
    result = optimise(park, plan, [Goal(RATE, 2020, value)], budget=budget, costs=COSTS,
                      method=method)
    if budget is not None:  # bricks (10 万元) and cap (20 万元) are over the budget
        assert not result.feasible
        assert result.ids == ("small",)
        assert result.message.startswith(
            f"no subset reaches {RATE} ≥ 80 % in 2020 within the budget; the best reaches 75 %")
        return
    assert result.feasible, result.message
    assert set(result.ids) == set(expected)
    assert result.cost == sum(COSTS[p] for p in expected)


def test_infeasible_names_the_best(park: mfa.Park) -> None:
    plan = plan_from_dict(_candidates())
    """Within 25 万元 the best is cap + small (23 万元): 550 / 600; bricks + cap (100 %) costs
    30 万元."""
    result = optimise(park, plan, [Goal(RATE, 2020, 95)], budget=250_000, costs=COSTS)
    assert not result.feasible
    assert set(result.ids) == {"cap", "small"}
    assert result.values[0] == pytest.approx(550 / 600 * 100)
    assert "the best reaches 91.67 %" in result.message


def test_present_cost_by_hand() -> None:
    """capex 100 in 2017 and opex 10/a over 2 years at 10 %, to 2016: 100/1.1 + 10/1.1 +
    10/1.21."""
    data = _candidates()
    data["projects"][0].update(capex="100 元", opex="10 元/a", lifetime=2)
    plan = plan_from_dict(data)
    assert present_cost(plan, 0, 0.1, 2016) == pytest.approx(100 / 1.1 + 10 / 1.1 + 10 / 1.21)


def test_alternatives_are_refused_when_applied_together(park: mfa.Park) -> None:
    plan = plan_from_dict(_candidates())
    with pytest.raises(ParkFlowError, match="list of candidates"):
        apply_plan(park, plan, 2020)
    data = _candidates()
    data["plan"]["candidates"] = False
    with pytest.raises(ParkFlowError, match="candidates: true"):
        plan_from_dict(data)


@pytest.mark.parametrize("text", ["solid_waste_utilisaton_rate=80@2025", "x", f"{RATE}=a@2025",
                                  f"{RATE}=80@1500", f"{RATE}=80@2010"])
def test_bad_targets(park: mfa.Park, text: str) -> None:
    with pytest.raises(ParkFlowError):
        parse_goal(text, park)


def test_goal_directions(park: mfa.Park) -> None:
    assert parse_goal(f"{RATE}=80%@2020", park) == Goal(RATE, 2020, 80.0, True)
    assert parse_goal("energy_intensity<=0.5@2020", park).at_least is False


@pytest.mark.parametrize(("texts", "feasible"), [
    (["resource_output_rate_index=1.1@2025"], True),
    (["solid_waste_utilisation_rate=80@2025"], False),
    (["solid_waste_utilisation_rate=40@2025", "resource_output_rate_index=1.1@2025"], True),
])
def test_milp_equals_enumeration_on_jinchang(texts: list[str], feasible: bool) -> None:
    park, plan = mfa.load_park("jinchang"), mfa.load_plan("jinchang-candidates")
    goals = [parse_goal(t, park) for t in texts]
    exact = optimise(park, plan, goals, method="exact")
    mip = optimise(park, plan, goals, method="milp")
    assert exact.feasible is mip.feasible is feasible
    assert exact.ids == mip.ids
    assert exact.cost == pytest.approx(mip.cost)


def test_cli_exit_codes_and_columns() -> None:
    run = run_cli("optimise", "jinchang", "--plan", "jinchang-candidates", "--target",
                  "resource_output_rate_index=1.1@2025", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == \
        "row,id,name_zh,name_en,year,target,value,unit,met,capex,cost"
    bad = run_cli("optimise", "jinchang", "--plan", "jinchang-candidates", "--target",
                  "nonsense=1@2025")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    no = run_cli("optimise", "jinchang", "--plan", "jinchang-candidates", "--target",
                 "solid_waste_utilisation_rate=80@2025")
    assert no.returncode == 1 and "no subset reaches" in no.stderr


@pytest.mark.parametrize("method", ["exact", "milp"])
def test_alternatives_adding_the_same_enterprise(park: mfa.Park, method: str) -> None:
    """Both alternatives add `bricks_plant`: the runner cannot switch them side by side and
    applies each subset (never the two together); the answer is the same."""
    data = _candidates()
    data["projects"][2]["adds"]["enterprises"][0]["id"] = "bricks_plant"
    data["projects"][2]["adds"]["links"][0]["to"] = "bricks_plant"
    result = optimise(park, plan_from_dict(data), [Goal(RATE, 2020, 70)], costs=COSTS,
                      method=method)
    assert result.ids == ("small",)
    assert result.values[0] == pytest.approx(75.0)
