"""Built-in plans (parks/plans/): each loads, applies in every year from its first start to
2025 without problems, ``compare`` runs, and each moves its park's indicators the stated way."""
from __future__ import annotations

import pytest
from conftest import run_cli

import mfa
from mfa.paths import builtin_plans
from mfa.plans import apply_plan
from mfa.scenarios.compare import compare

# plan -> (indicator, year, the plan's value must exceed the baseline's by at least this)
DIRECTIONS = {
    "jinchang-2025": ("solid_waste_utilisation_rate", 2025, 10.0),
    "baiyin-2025": ("solid_waste_utilisation_rate", 2025, 10.0),
    "longdong-2025": ("solid_waste_utilisation_rate", 2025, 5.0),
    "jiayuguan-2025": ("solid_waste_utilisation_rate", 2025, 10.0),
    "lanzhou-2025": ("waste_heat_recovery_rate", 2025, 10.0),
}

# Plans applied as a whole (a candidates list, e.g. jinchang-candidates, is a menu for
# `parkflow optimise`, tested in tests/test_portfolio.py).
PLANS = sorted(n for n in builtin_plans() if not mfa.load_plan(n).meta.candidates)


@pytest.mark.parametrize("name", PLANS)
def test_a_builtin_plan_applies_in_every_year(name: str) -> None:
    plan = mfa.load_plan(name)
    park = mfa.load_park(plan.meta.park)
    first = min(p.spec.start_year for p in plan.projects)
    for year in range(first, 2026):
        apply_plan(park, plan, year).balance(year).check()
    table = compare(park, [plan], [2020, 2025]).reset_index()
    assert set(table["scenario"]) == {"baseline", name}


@pytest.mark.parametrize("name", sorted(DIRECTIONS))
def test_a_builtin_plan_moves_its_indicator(name: str) -> None:
    indicator, year, by = DIRECTIONS[name]
    plan = mfa.load_plan(name)
    table = compare(mfa.load_park(plan.meta.park), [plan], [year]).reset_index()
    rows = table[(table["indicator"] == indicator) & (table["year"] == year)]
    value = dict(zip(rows["scenario"], rows["value"], strict=True))
    assert value[name] > value["baseline"] + by


def test_every_builtin_plan_has_a_direction_check_and_is_listed() -> None:
    assert set(PLANS) <= set(DIRECTIONS)
    run = run_cli("plans")
    assert run.returncode == 0, run.stderr
    for name in builtin_plans():
        assert name in run.stdout


def test_a_plan_changes_and_removes_a_link_by_its_derived_id() -> None:
    park = mfa.load_park("longdong")
    plan = mfa.plans.plan_from_dict({
        "plan": {"id": "t", "park": "longdong", "name_zh": "测", "name_en": "T"},
        "projects": [{"id": "p", "name_zh": "测", "name_en": "P", "kind": "supporting",
                      "start_year": 2017, "full_output_year": 2017,
                      "changes": {"links": {"pingliang_power>market:fly_ash": {"cap": "0 t/a"}}},
                      "removes": {"links": ["coal_mines>cement_plant:coal_gangue"]}}]})
    planned = apply_plan(park, plan, 2020)
    ids = {link.id for link in planned.links}
    assert "coal_mines>cement_plant:coal_gangue" not in ids
    assert len(ids) == len(park.links) - 1
