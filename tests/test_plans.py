"""Plans (issue 8, part 1): plan files, applying them to a park, their errors and the CLI.

Hand-calculable on tests/data/parks/hand.yaml: the smelter makes 500 t/a of slag; 300 t/a goes
to the cement plant (cap) and 100 t/a more is drawn from the slag yard, so the utilisation
rate is (300 + 100) / (500 + 100) = 66.67 % (tests/test_hand_park.py).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

import mfa
from mfa.io.yamlio import read_yaml
from mfa.paths import builtin_plans
from mfa.plans import apply_plan, plan_from_dict

DATA = Path(__file__).parent / "data"
PLAN_FILE = Path("plans/hand-test.yaml")
BRICKS = {"id": "brick_plant", "activity": {"carrier": "cement", "capacity": "200 t/a",
                                            "level": {"value": "100 t/a", "low": "80 t/a",
                                                      "high": "120 t/a", "source": "[A]"}},
          "rates": {"slag": "-1 t/t"}}


@pytest.fixture(scope="module")
def catalogue() -> mfa.Catalogue:
    return mfa.load_catalogue(DATA / "flows")


def _hand() -> dict[str, Any]:
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["links"][0]["id"] = "slag_to_cement"
    return data


def _project(pid: str = "bricks", **fields: Any) -> dict[str, Any]:
    return {"id": pid, "name_zh": "项目", "name_en": "Project", "kind": "chain_filling",
            "start_year": 2017, "full_output_year": 2019, **fields}


def _plan(*projects: dict[str, Any], park: str = "hand") -> mfa.Plan:
    return plan_from_dict({"plan": {"id": "test", "park": park, "name_zh": "测试",
                                    "name_en": "Test"}, "projects": list(projects)},
                          source=PLAN_FILE)


def _bricks(**fields: Any) -> dict[str, Any]:
    return _project(adds={"enterprises": [BRICKS],
                          "links": [{"from": "smelter", "to": "brick_plant",
                                     "carrier": "slag"}]}, **fields)


def _value(park: mfa.Park, year: int, indicator: str) -> float:
    return float(park.balance(year).indicators().loc[(year, indicator), "value"])


def test_an_added_plant_and_link_raise_the_utilisation_rate(catalogue: mfa.Catalogue) -> None:
    """The brick plant takes the 100 t/a of slag the cement plant leaves: 500 / 600."""
    park = apply_plan(_hand(), _plan(_bricks()), 2020, catalogue)
    assert _value(park, 2020, "solid_waste_utilisation_rate") == pytest.approx(500 / 600 * 100)
    assert _value(park, 2016, "solid_waste_utilisation_rate") == pytest.approx(400 / 600 * 100)


def test_ramp_share_in_an_intermediate_year(catalogue: mfa.Catalogue) -> None:
    """Default linear ramp 2017–2019: 1/3, 2/3, 1; an explicit ramp is taken as given."""
    park = apply_plan(_hand(), _plan(_bricks()), 2018, catalogue)
    plant = park.enterprises[park.enterprise_index["brick_plant"]]
    assert plant.level(2016) == 0 and plant.level(2017) == pytest.approx(100 / 3)
    assert plant.level(2018) == pytest.approx(200 / 3)
    assert _value(park, 2018, "solid_waste_utilisation_rate") == pytest.approx(
        (400 + 200 / 3) / 600 * 100)
    ramped = apply_plan(_hand(), _plan(_bricks(ramp=[0.25, 0.5, 1])), 2018, catalogue)
    assert ramped.enterprises[-1].level(2018) == pytest.approx(50)


def test_plan_ranges_enter_the_parameter_table(catalogue: mfa.Catalogue) -> None:
    park = apply_plan(_hand(), _plan(_bricks()), 2019, catalogue)
    rows = {p.id: p for p in park.parameter_table.rows}
    level = rows["brick_plant.level.2018"]
    assert (level.central, level.low, level.high) == pytest.approx((200 / 3, 160 / 3, 80))
    assert rows["brick_plant.level.2019"].central == pytest.approx(100)


def test_removing_a_link_and_an_enterprise(catalogue: mfa.Catalogue) -> None:
    link = apply_plan(_hand(), _plan(_project(removes={"links": ["slag_to_cement"]})), 2017,
                      catalogue)
    assert _value(link, 2017, "solid_waste_utilisation_rate") == pytest.approx(100 / 600 * 100)
    plant = apply_plan(_hand(), _plan(_project(removes={"enterprises": ["cement_plant"]})),
                       2017, catalogue)
    assert "cement_plant" not in plant.enterprise_index and plant.links == []
    assert _value(plant, 2017, "solid_waste_utilisation_rate") == pytest.approx(0)


def test_changing_a_rate_and_a_link(catalogue: mfa.Catalogue) -> None:
    """Slag 5 → 4 t/t: 400 t generated, 300 + 100 used: 400 / 500; then a 200 t/a cap."""
    rate = _project(changes={"enterprises": {"smelter": {"rates": {"slag": "4 t/t"}}}})
    park = apply_plan(_hand(), _plan(rate), 2017, catalogue)
    assert _value(park, 2017, "solid_waste_utilisation_rate") == pytest.approx(80)
    cap = _project(changes={"links": {"slag_to_cement": {"cap": "200 t/a"}}})
    park = apply_plan(_hand(), _plan(cap), 2017, catalogue)
    assert _value(park, 2017, "solid_waste_utilisation_rate") == pytest.approx(300 / 600 * 100)


def test_projects_not_started_are_not_applied(catalogue: mfa.Catalogue) -> None:
    park = apply_plan(_hand(), _plan(_bricks(start_year=2021, full_output_year=2021)), 2020,
                      catalogue)
    assert "brick_plant" not in park.enterprise_index


@pytest.mark.parametrize(("projects", "expected"), [
    ([_project("a", requires=["b"])], "projects[0] (a).requires[0]: requires project 'b', "
     "which is not in the plan"),
    ([_project("a", excludes=["b"]), _project("b")], "projects[0] (a).excludes[0]: excludes "
     "project 'b', which is also in the plan"),
    ([_project("a", requires=["b"]), _project("b", start_year=2018)],
     "projects[0] (a).start_year: starts in 2017, before the project it requires"),
    ([_project("a"), _project("a")], "projects[1] (a).id: project id 'a' is used twice"),
    ([_project("a", full_output_year=2016)], "full_output_year 2016 is before start_year 2017"),
    ([_project("a", lifetime=2)], "the ramp-up (3 years) is longer than the lifetime (2 years)"),
    ([_project("a", ramp=[0.5, 1])], "ramp has 2 shares for 3 years"),
    ([_project("a", capex="1 亿元", capex_schedule={2017: 0.5})], "sum to 1, found 0.5"),
    ([_project("a", kind="retrofit")], "projects[0] (a).kind: must be one of"),
])
def test_bad_plans_are_located(projects: list[dict[str, Any]], expected: str) -> None:
    with pytest.raises(mfa.ParkFlowError) as error:
        _plan(*projects)
    assert str(PLAN_FILE) in str(error.value) and expected in str(error.value)


def test_a_plan_for_another_park(catalogue: mfa.Catalogue) -> None:
    with pytest.raises(mfa.ParkFlowError, match=r"plan.park: the plan is for park 'jinchang'"):
        apply_plan(_hand(), _plan(_bricks(), park="jinchang"), 2020, catalogue)


def test_a_project_before_the_base_year(catalogue: mfa.Catalogue) -> None:
    with pytest.raises(mfa.ParkFlowError, match=r"start_year: starts in 2015, before the "):
        apply_plan(_hand(), _plan(_bricks(start_year=2015)), 2020, catalogue)


@pytest.mark.parametrize(("section", "change"), [
    ("changes", {"enterprises": {"smelterr": {"capacity": "1 t/a"}}}),
    ("changes", {"links": {"no_such_link": {"cap": "1 t/a"}}}),
    ("removes", {"enterprises": ["smelterr"]}),
])
def test_an_unknown_id_names_the_project(catalogue: mfa.Catalogue, section: str,
                                         change: Any) -> None:
    with pytest.raises(mfa.ParkFlowError) as error:
        apply_plan(_hand(), _plan(_project("retrofit", **{section: change})), 2020, catalogue)
    text = str(error.value)
    assert f"{PLAN_FILE}: projects[0] (retrofit).{section}." in text and "has no" in text


def test_an_error_in_an_added_link_is_located_in_the_plan(catalogue: mfa.Catalogue) -> None:
    bad = _project("slag_bricks", adds={"enterprises": [BRICKS], "links": [
        {"from": "smelter", "to": "brick_plant", "carrier": "slag"},
        {"from": "smelter", "to": "nowhere", "carrier": "slag"}]})
    with pytest.raises(mfa.ParkFlowError) as error:
        apply_plan(_hand(), _plan(_project("first"), bad), 2020, catalogue)
    assert str(error.value).startswith(
        f"{PLAN_FILE}: projects[1] (slag_bricks).adds.links[1].to: unknown enterprise or "
        "boundary node 'nowhere'")


def test_an_error_in_a_changed_rate_is_located_at_the_change(catalogue: mfa.Catalogue) -> None:
    bad = _project("dry", changes={"enterprises": {"smelter": {"rates": {"coal": "-2 kg"}}}})
    with pytest.raises(mfa.ParkFlowError) as error:
        apply_plan(_hand(), _plan(bad), 2020, catalogue)
    assert str(error.value).startswith(
        f"{PLAN_FILE}: projects[0] (dry).changes.enterprises.smelter.rates.coal: unit 'kg'")


def test_capex_and_opex_are_kept_for_the_economics() -> None:
    plan = _plan(_bricks(capex={"value": "1.2 亿元", "low": "1 亿元", "high": "2 亿元",
                                "source": "[A]"},
                         capex_schedule={2016: 0.25, 2017: 0.75}, opex="300 万元/a"))
    project = plan.projects[0]
    assert project.capex is not None and project.opex is not None
    assert (project.capex.central, project.capex.low, project.capex.high) == (1.2e8, 1e8, 2e8)
    assert project.capex_by_year() == {2016: 3e7, 2017: 9e7}
    assert project.opex.central == pytest.approx(3e6)
    assert project.kind_zh == "补链" and plan.years == (2017, 2019)


def test_the_builtin_plan_is_valid_in_every_year() -> None:
    park = mfa.load_park("jinchang")
    plan = mfa.load_plan("jinchang-2025")
    assert "jinchang-2025" in builtin_plans() and 3 <= len(plan.projects) <= 5
    base = park.balance(2025).indicators().loc[2025, "value"]
    for year in range(2016, 2031):
        planned = apply_plan(park, plan, year).balance(year)
        planned.check()
        values = planned.indicators().loc[year, "value"]
        assert values["solid_waste_utilisation_rate"] >= base["solid_waste_utilisation_rate"]
    assert values["solid_waste_utilisation_rate"] > base["solid_waste_utilisation_rate"] + 10


def test_every_builtin_project_changes_the_balance() -> None:
    park = mfa.load_park("jinchang")
    plan = mfa.load_plan("jinchang-2025")
    base = park.balance(2025).indicators().loc[2025, "value"]["solid_waste_utilised"]
    for project in plan.projects:
        alone = plan_from_dict({"plan": plan.meta.model_dump(),
                                "projects": [project.spec.model_dump(by_alias=True,
                                                                     exclude_unset=True)]})
        used = apply_plan(park, alone, 2025).balance(2025).indicators().loc[
            2025, "value"]["solid_waste_utilised"]
        assert used > base + 1e4, project.id


def test_cli_lists_the_plans() -> None:
    run = run_cli("plans")
    assert run.returncode == 0, run.stderr
    assert "jinchang-2025" in run.stdout and "jinchang" in run.stdout


def test_cli_balances_with_a_plan() -> None:
    run = run_cli("balance", "jinchang", "--plan", "jinchang-2025", "--year", "2025",
                  "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert "2025,solid_waste_utilisation_rate" in run.stdout


def test_cli_bad_plan_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "hand-bad.yaml"
    bad.write_text("plan: {id: bad, park: jinchang, name_zh: 坏, name_en: Bad}\n"
                   "projects:\n  - {id: p, name_zh: 项目, name_en: P, kind: chain_filling,\n"
                   "     start_year: 2018, full_output_year: 2019,\n"
                   "     adds: {links: [{from: jinchuan_smelter, to: nowhere, carrier: "
                   "nickel_slag}]}}\n", encoding="utf-8")
    run = run_cli("balance", "jinchang", "--plan", bad, "--year", "2020")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "projects[0] (p).adds.links[0].to: unknown enterprise" in run.stderr
    missing = run_cli("balance", "jinchang", "--plan", "no-such-plan")
    assert missing.returncode == 2 and "built-in plan" in missing.stderr


def test_the_documented_example(catalogue: mfa.Catalogue) -> None:
    """docs/plans.md's complete example: refused with its alternative, applied without it."""
    import re

    import yaml

    text = (Path(__file__).parent.parent / "docs" / "plans.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if "plan:" in b)
    data = yaml.safe_load(block)
    with pytest.raises(mfa.ParkFlowError, match=r"projects\[2\] \(landfill_slag\)\.excludes"):
        plan_from_dict(data)
    data["projects"].pop()
    park = apply_plan(_hand(), plan_from_dict(data), 2019, catalogue)
    # bricks take the 100 t/a the cement plant leaves; the cap cut to 250 t/a frees 50 more,
    # which the bricks (100 t/a at full output) cannot take: 450 of 600
    assert _value(park, 2019, "solid_waste_utilisation_rate") == pytest.approx(450 / 600 * 100)
    assert park.enterprises[park.enterprise_index["smelter"]].rates["coal"] == -1.8


def test_adding_an_id_that_exists_is_located_in_the_plan(catalogue: mfa.Catalogue) -> None:
    twin = dict(BRICKS, id="cement_plant")
    with pytest.raises(mfa.ParkFlowError) as error:
        apply_plan(_hand(), _plan(_project("twin", adds={"enterprises": [twin]})), 2020,
                   catalogue)
    assert f"{PLAN_FILE}: projects[0] (twin).adds.enterprises[0].id: id 'cement_plant'" in str(
        error.value)


def test_a_park_that_is_not_sound_reports_its_own_problems(catalogue: mfa.Catalogue) -> None:
    data = _hand()
    del data["park"]["base_year"]
    with pytest.raises(mfa.ParkFlowError, match=r"park.base_year: required field is missing"):
        apply_plan(data, _plan(_bricks()), 2020, catalogue)


def test_a_misspelt_field_points_at_the_plan_docs() -> None:
    with pytest.raises(mfa.ParkFlowError) as error:
        _plan(_project("a", lifetme=10))
    assert "projects[0] (a).lifetme: unknown field" in str(error.value)
    assert "docs/plans.md" in str(error.value) or "did you mean 'lifetime'" in str(error.value)
