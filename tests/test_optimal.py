"""Optimal allocation (docs/engine.md, "Optimal allocation"): the park's routing as an LP."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mfa
from mfa.engine.compiled import compile_park
from mfa.engine.greedy import solve
from mfa.engine.lp_matrices import build_lp, utilisation
from mfa.engine.optimal import optimal_flows, solve_optimal
from mfa.errors import ParkFlowError
from mfa.io.park import park_from_dict
from mfa.io.yamlio import read_yaml
from mfa.paths import builtin_parks
from mfa.synthetic import random_park

DATA = Path(__file__).parent / "data"
PARKS = sorted(builtin_parks())


@pytest.fixture(scope="module")
def hand() -> mfa.Park:
    return mfa.load_park(DATA / "parks" / "lp_hand.yaml", mfa.load_catalogue(DATA / "flows"))


def _indicator(result: mfa.BalanceResult, name: str) -> float:
    table = result.indicators()
    return float(table.loc[(table.index.get_level_values(0)[0], name), "value"])


@pytest.mark.parametrize("name", PARKS)
def test_greedy_is_a_feasible_point_and_the_lp_is_no_worse(name: str) -> None:
    park = mfa.load_park(name)
    compiled = compile_park(park)
    year = park.meta.base_year
    greedy = solve(compiled, year)
    lp = build_lp(compiled, year, compiled.levels_for(year))
    scale = max(1.0, float(np.abs(lp.b_ub[np.isfinite(lp.b_ub)]).max(initial=1.0)))
    assert lp.residuals(greedy.sent[0]).max(initial=0.0) <= 1e-9 * scale
    optimum = optimal_flows(compiled, year)
    assert lp.residuals(optimum).max(initial=0.0) <= 1e-7 * scale
    assert utilisation(compiled, optimum) >= utilisation(compiled, greedy.sent[0]) - 1e-6 * scale
    greedy_result = mfa.balance(park, year)
    optimal_result = mfa.balance(park, year, allocation="optimal")
    optimal_result.check()
    assert _indicator(optimal_result, "solid_waste_utilised") >= (
        _indicator(greedy_result, "solid_waste_utilised") * (1 - 1e-9))


def test_lp_routes_the_waste_the_priority_routing_leaves(hand: mfa.Park) -> None:
    compiled = compile_park(hand)
    np.testing.assert_allclose(solve(compiled, 2016).sent[0], [100.0, 0.0, 0.0])
    np.testing.assert_allclose(optimal_flows(compiled, 2016), [0.0, 100.0, 100.0], atol=1e-9)
    greedy, optimal = mfa.balance(hand), mfa.balance(hand, allocation="optimal")
    assert _indicator(greedy, "solid_waste_utilised") == pytest.approx(100.0)
    assert _indicator(optimal, "solid_waste_utilised") == pytest.approx(200.0)
    assert _indicator(optimal, "solid_waste_disposed") == pytest.approx(0.0, abs=1e-9)
    assert _indicator(optimal, "solid_waste_utilisation_rate") == pytest.approx(100.0)
    optimal.check()


def test_the_park_file_setting_picks_the_allocation(hand: mfa.Park) -> None:
    import dataclasses

    park = dataclasses.replace(hand, meta=dataclasses.replace(hand.meta, allocation="optimal"))
    assert _indicator(mfa.balance(park), "solid_waste_utilised") == pytest.approx(200.0)
    assert _indicator(mfa.balance(park, allocation="greedy"),
                      "solid_waste_utilised") == pytest.approx(100.0)


def test_unknown_allocation_or_objective_is_a_located_error(hand: mfa.Park) -> None:
    with pytest.raises(ParkFlowError, match="unknown allocation 'best'"):
        mfa.balance(hand, allocation="best")
    with pytest.raises(ParkFlowError, match="unknown objective 'profit'"):
        mfa.balance(hand, allocation="optimal", objective="profit")


def test_an_infeasible_lp_names_the_park_and_highs(hand: mfa.Park) -> None:
    data = read_yaml(DATA / "parks" / "lp_hand.yaml")
    data["links"][0] = {"from": "smelter_1", "to": "cement_a", "carrier": "slag",
                        "quantity": "150 t/a"}
    park = park_from_dict(data, mfa.load_catalogue(DATA / "flows"), source="lp_hand.yaml")
    with pytest.raises(ParkFlowError, match=r"lp_hand.*HiGHS reports The problem is infeasible"):
        solve_optimal(compile_park(park), 2016)


def test_cost_objective_solves(hand: mfa.Park) -> None:
    mfa.balance(hand, allocation="optimal", objective="cost").check()


@settings(max_examples=15, deadline=None)
@given(n=st.integers(3, 12), seed=st.integers(0, 10_000))
def test_lp_solutions_balance_on_random_parks(n: int, seed: int) -> None:
    park = park_from_dict(random_park(n, seed=seed), source=f"random-{seed}")
    compiled = compile_park(park)
    year = park.meta.base_year
    greedy = solve(compiled, year)
    if greedy.problems:
        return
    optimum = solve_optimal(compiled, year)
    assert not optimum.problems
    assert utilisation(compiled, optimum.sent[0]) >= (
        utilisation(compiled, greedy.sent[0]) * (1 - 1e-9) - 1e-6)
    mfa.balance(park, year, allocation="optimal").check()


def test_cli_allocation_flags() -> None:
    from conftest import run_cli

    run = run_cli("balance", "jinchang", "--allocation", "optimal", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert "solid_waste_utilisation_rate" in run.stdout
    bad = run_cli("balance", "jinchang", "--allocation", "best")
    assert bad.returncode == 2
    assert "unknown allocation 'best'" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr
    bad = run_cli("balance", "jinchang", "--allocation", "optimal", "--objective", "profit")
    assert bad.returncode == 2
    assert "unknown objective 'profit'" in bad.stderr + bad.stdout


def test_park_file_allocation_field() -> None:
    data = read_yaml(DATA / "parks" / "lp_hand.yaml")
    catalogue = mfa.load_catalogue(DATA / "flows")
    data["park"]["allocation"] = "optimal"
    park = park_from_dict(data, catalogue, source="lp_hand.yaml")
    assert park.meta.allocation == "optimal"
    assert _indicator(mfa.balance(park), "solid_waste_utilised") == pytest.approx(200.0)
    data["park"]["allocation"] = "best"
    with pytest.raises(ParkFlowError, match="allocation"):
        park_from_dict(data, catalogue, source="lp_hand.yaml")
