"""The simulation (issue 9, part 1): exact against the steady state, and a hand-checkable
sequence of events (a planned stop of the receiver, a full yard overflowing, a project
commissioned late) with exact daily flows."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import mfa
from mfa.engine import compile_park, solve
from mfa.errors import ParkFlowError
from mfa.indicators.fast import INDICATOR_IDS, fast_indicators
from mfa.paths import builtin_parks, builtin_plans
from mfa.scenarios.run import PlanRunner
from mfa.simulate import simulate
from mfa.simulate.calendar import build_steps
from mfa.simulate.inputs import ScenarioInputs
from mfa.simulate.run import run_scenario
from mfa.simulate.tables import PERCENTILES, run_percentiles

LAST = 2025


def _yearly(park: mfa.Park, plan: mfa.Plan | None) -> np.ndarray:
    """[Y, I] of one run with a yearly step and no random outages."""
    inputs = ScenarioInputs(park, plan, LAST, None, 1)
    steps = build_steps(park.meta.base_year, LAST, "year")
    return run_scenario(inputs, steps, np.random.default_rng(0), expected=True).indicators[0]


def _steady(park: mfa.Park, plan: mfa.Plan | None) -> np.ndarray:
    years = tuple(range(park.meta.base_year, LAST + 1))
    if plan is not None:
        runner = PlanRunner(park, plan, LAST)
        return runner.evaluate(np.ones((1, len(plan.projects)), bool), years).values[0]
    compiled, stock, rows = compile_park(park), None, []
    for year in years:
        solution = solve(compiled, year, stock=stock)
        stock = solution.closing
        rows.append(fast_indicators(compiled).evaluate(solution)[0])
    return np.array(rows)


def _plans() -> list[tuple[str, str | None]]:
    plans = {mfa.load_plan(p).meta.park: p for p in builtin_plans()
             if not mfa.load_plan(p).meta.candidates}
    return [(park, None) for park in builtin_parks()] + sorted(plans.items())


@pytest.mark.parametrize(("park_name", "plan_name"), _plans())
def test_yearly_simulation_equals_the_steady_state(park_name: str,
                                                   plan_name: str | None) -> None:
    park = mfa.load_park(park_name)
    plan = mfa.load_plan(plan_name) if plan_name else None
    simulated, steady = _yearly(park, plan), _steady(park, plan)
    assert np.array_equal(np.isnan(simulated), np.isnan(steady))
    assert np.array_equal(simulated[~np.isnan(steady)], steady[~np.isnan(steady)])


def test_monthly_steps_without_events_sum_to_the_year() -> None:
    park, plan = mfa.load_park("baiyin"), mfa.load_plan("baiyin-2025")  # no operation data
    inputs = ScenarioInputs(park, plan, LAST, None, 1)
    steps = build_steps(park.meta.base_year, LAST, "month")
    monthly = run_scenario(inputs, steps, np.random.default_rng(0)).indicators[0]
    steady = _steady(park, plan)
    ok = ~np.isnan(steady)
    assert np.allclose(monthly[ok], steady[ok], rtol=1e-8, atol=1e-8)


# ---------------------------------------------------------------- a hand-checkable sequence
#
# 2021 (365 days), daily steps. `works` makes 1 t of cement and 1 t of steel slag a day.
# `kiln` takes the slag for limestone (1 t for 1 t); it stops 11–13 January (maintenance),
# so on those 3 days the slag goes to the yard (capacity 2 t): 1 t, 1 t, then the yard is
# full and the third tonne overflows to the landfill. The plan's `bricks` project starts in
# 2021 with a delay of 31 days, so from 1 February it takes the slag first (priority 0).
# Expected for the year: kiln 10 + 18 = 28 t, yard 2 t, landfill 1 t, bricks 334 t.

def _enterprise(eid: str, limestone: str, slag: str, **extra: Any) -> dict[str, Any]:
    return {"id": eid, "activity": {"carrier": "cement", "capacity": "1000 t/a",
                                    "level": "365 t/a"},
            "rates": {"limestone": limestone, **({"steel_slag": slag} if slag else {})},
            **extra}


HAND_PARK = {
    "park": {"id": "events", "name_zh": "事件", "name_en": "Events", "base_year": 2021,
             "price_base_year": 2021},
    "enterprises": [
        _enterprise("works", "-2.5 t/t", "1 t/t"),
        _enterprise("kiln", "-2 t/t", "", operation={
            "maintenance": [{"from": "01-11", "to": "01-13"}], "source": "test"}),
    ],
    "links": [{"id": "slag_to_kiln", "from": "works", "to": "kiln", "carrier": "steel_slag",
               "priority": 1, "substitutes": {"carrier": "limestone", "ratio": 1}}],
    "boundary": [
        {"id": "yard", "kind": "stockpile", "carrier": "steel_slag", "opening_stock": "0 t",
         "capacity": "2 t", "overflow": "landfill", "default_for": ["steel_slag"]},
        {"id": "landfill", "kind": "disposal"},
    ],
}
HAND_PLAN = {
    "plan": {"id": "events-plan", "park": "events", "name_zh": "砖厂", "name_en": "Bricks"},
    "projects": [{
        "id": "bricks", "name_zh": "砖厂", "name_en": "Brick plant", "kind": "chain_filling",
        "start_year": 2021, "full_output_year": 2021, "delay": "31 d",
        "adds": {"enterprises": [_enterprise("bricks", "-2 t/t", "")],
                 "links": [{"id": "slag_to_bricks", "from": "works", "to": "bricks",
                            "carrier": "steel_slag", "priority": 0,
                            "substitutes": {"carrier": "limestone", "ratio": 1}}]},
    }],
}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> tuple[mfa.Park, mfa.Plan]:
    folder = tmp_path_factory.mktemp("events")
    (folder / "events.yaml").write_text(yaml.safe_dump(HAND_PARK), encoding="utf-8")
    (folder / "events-plan.yaml").write_text(yaml.safe_dump(HAND_PLAN), encoding="utf-8")
    return mfa.load_park(folder / "events.yaml"), mfa.load_plan(folder / "events-plan.yaml")


def _slag_to(flows: Any, target: str) -> Any:
    rows = flows[(flows["carrier"] == "steel_slag") & (flows["target"] == target)]
    return rows.set_index("period")["quantity"]


def test_one_stop_one_overflow_one_commissioning(events: tuple[mfa.Park, mfa.Plan]) -> None:
    park, plan = events
    result = simulate(park, plan, first=2021, last=2021, step="day")
    flows = result.flows
    kiln, yard = _slag_to(flows, "kiln"), _slag_to(flows, "yard")
    landfill, bricks = _slag_to(flows, "landfill"), _slag_to(flows, "bricks")
    assert kiln.sum() == pytest.approx(28.0, abs=1e-9)
    assert sorted(yard.index) == ["2021-01-11", "2021-01-12"]
    assert yard.to_numpy() == pytest.approx([1.0, 1.0], abs=1e-12)
    assert list(landfill.index) == ["2021-01-13"]
    assert landfill.iloc[0] == pytest.approx(1.0, abs=1e-12)
    assert bricks.index.min() == "2021-02-01" and len(bricks) == 334
    assert bricks.sum() == pytest.approx(334.0, abs=1e-9)
    levels = result.stockpiles.set_index("period")["central"]
    assert levels["2021-01-10"] == 0 and levels["2021-01-12"] == 2 and levels["2021-12-31"] == 2
    # the kiln ran 362 days and made its 365 t: 365/362 t a day
    activity = result.activity[result.activity["enterprise"] == "kiln"].set_index("period")
    assert activity.loc["2021-01-12", "level"] == 0
    assert activity.loc["2021-01-14", "level"] == pytest.approx(365 / 362)
    assert activity["level"].sum() == pytest.approx(365.0)


def test_the_year_sums_the_days(events: tuple[mfa.Park, mfa.Plan]) -> None:
    park, plan = events
    result = simulate(park, plan, first=2021, last=2021, step="day")
    row = result.trajectory.set_index(["year", "indicator"])
    # generated 365 t; utilised 28 (kiln) + 334 (bricks) = 362 t; 99.178 %
    assert row.loc[(2021, "solid_waste_utilisation_rate"), "p50"] == pytest.approx(
        100 * 362 / 365)


def test_random_outages_keep_the_expected_output() -> None:
    """A smelter with availability 0.95 makes its level on average (up to its capacity)."""
    park = mfa.load_park("jinchang")
    inputs = ScenarioInputs(park, None, 2018, None, 200)
    steps = build_steps(2016, 2018, "day")
    result = run_scenario(inputs, steps, np.random.default_rng(3))
    index = INDICATOR_IDS.index("solid_waste_utilisation_rate")
    spread = result.indicators[:, :, index]
    assert np.all(np.isfinite(spread)) and spread.std() > 0  # outages vary the runs


@pytest.mark.parametrize(("field", "value", "message"), [
    ("step", "fortnight", "unknown step 'fortnight'"),
    ("runs", 0, "must be at least 1"),
    ("first", 2000, "before the park's base year"),
])
def test_bad_study_settings_are_refused(field: str, value: Any, message: str) -> None:
    park = mfa.load_park("baiyin")
    with pytest.raises(ParkFlowError, match=message):
        simulate(park, **{field: value})


def test_operation_data_is_checked(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(HAND_PARK))
    data["enterprises"][1]["operation"] = {"availability": 1.2, "profile": "winter",
                                           "maintenance": [{"from": "02-30", "to": "03-01"}]}
    data["profiles"] = [{"id": "short", "monthly": [1.0] * 11}]
    with pytest.raises(ParkFlowError) as caught:
        mfa.park_from_dict(data)
    text = str(caught.value)
    assert "profiles[0] (short).monthly: 11 monthly factors do not cover the year" in text
    assert "enterprises[1] (kiln).operation.profile: unknown profile 'winter'" in text
    assert "enterprises[1] (kiln).operation.availability" in text
    assert "'02-30' is not a day of the year" in text
    data["enterprises"][1]["operation"] = {"mtbf": "10 d", "mttr": "0 d"}
    data["profiles"] = []
    with pytest.raises(ParkFlowError, match=r"operation\.mttr"):
        mfa.park_from_dict(data)


def test_zero_width_ranges_reproduce_the_deterministic_run() -> None:
    """Every range collapsed to its central value: sampled runs equal the central run and
    (no outage data in baiyin, yearly step) the steady state."""
    from mfa.simulate.study import Study, run_values, study_parameters
    from mfa.uncertainty.sampling import sample

    park, plan = mfa.load_park("baiyin"), mfa.load_plan("baiyin-2025")
    template = ScenarioInputs(park, plan, LAST, None, 1)
    table = study_parameters(template)
    collapsed = table.assign(low=table["central"], high=table["central"])
    values = sample(collapsed, 3, method="lhs", seed=5)
    assert values.shape == (3, 0)
    study = Study(park, plan, park.meta.base_year, LAST, "year", runs=3)
    sampled = run_values(study, template, values, 3, np.random.default_rng(1)).indicators
    central = run_values(study, template, None, 3, np.random.default_rng(2)).indicators
    assert np.array_equal(sampled, central, equal_nan=True)
    # against one steady-state solve: equal to the last bits a batch of 3 sums in another order
    steady = _steady(park, plan)
    for run in sampled:
        assert np.allclose(run, steady, rtol=1e-14, atol=0, equal_nan=True)


def test_outages_are_up_their_availability_on_average() -> None:
    """MTBF 60 d, MTTR 3 d: up 60/63 of the time; MTBF 2 d, MTTR 1 d with 30-day steps (many
    changes per step): 2/3; never failing: 1; MTBF 0: never up."""
    from mfa.simulate.outages import Outages

    outages = Outages(np.full((2000, 3), [60.0, np.nan, 0.0]), np.full((2000, 3), 3.0),
                      np.random.default_rng(1))
    total = sum(outages.advance(d, d + 1) for d in range(3650))
    assert total.mean(axis=0) / 3650 == pytest.approx([60 / 63, 1.0, 0.0], abs=2e-3)
    busy = Outages(np.full((2000, 1), 2.0), np.full((2000, 1), 1.0), np.random.default_rng(2))
    shares = [busy.advance(d, d + 30) for d in range(0, 3600, 30)]
    assert np.mean(shares) == pytest.approx(2 / 3, abs=3e-3)
    assert all(((s >= 0) & (s <= 1)).all() for s in shares)


@pytest.mark.parametrize("runs", [1, 4])
def test_few_changes_in_a_step_give_the_array_version_exactly(runs: int,
                                                              monkeypatch: Any) -> None:
    """Steps with a few failures or repairs go through plain floats: the same up-times, states
    and draws as the array version, to the last bit (short and long repairs, steps of a day
    and of a month, so that some enterprises change several times in a step)."""
    from mfa.simulate import outages as module

    def trace(few: int) -> list[np.ndarray]:
        monkeypatch.setattr(module, "FEW", few)
        rng = np.random.default_rng(9)
        mtbf = rng.uniform(0.5, 40.0, (runs, 12))
        mtbf[:, 0] = np.inf
        state = module.Outages(mtbf, rng.uniform(0.2, 5.0, (runs, 12)), rng)
        bounds = [*range(0, 200), *range(200, 560, 30)]
        shares = [state.advance(float(a), float(b)) for a, b in itertools.pairwise(bounds)]
        return [*shares, state.up, state.next, state.rng.random(3)]

    arrays, floats = trace(0), trace(10**6)
    assert len(arrays) == len(floats)
    for a, b in zip(arrays, floats, strict=True):
        np.testing.assert_array_equal(a, b)


def test_stockpile_percentiles_are_those_of_all_runs_together() -> None:
    """Chunks' stock traces, gathered a block of steps at a time, give np.percentile of the
    whole ``[T, K, P]`` array exactly (NaN included)."""
    rng = np.random.default_rng(5)
    runs = rng.gamma(2.0, 10.0, (150, 37, 3))
    runs[:, :, 1] = 0.0
    runs[10:20, 5, 2] = np.nan
    parts = [runs[:, :20], runs[:, 20:21], runs[:, 21:]]
    expected = np.percentile(runs, PERCENTILES, axis=1)
    np.testing.assert_array_equal(run_percentiles(parts, block=64), expected)
    np.testing.assert_array_equal(run_percentiles([runs], block=7), expected)
