"""The array engine and the Evaluator: batch solves equal single solves, stocks carry over,
the fast indicators equal the table indicators, invalid samples are flagged, not counted."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mfa
from mfa.engine.batch import largest_flows, link_rows
from mfa.engine.compiled import compile_park
from mfa.engine.greedy import solve
from mfa.engine.solution import Params, Status
from mfa.engine.waves import waves_of
from mfa.indicators import official
from mfa.indicators.fast import INDICATOR_IDS
from mfa.indicators.table import waste_accounts
from mfa.io.yamlio import read_yaml
from mfa.paths import builtin_parks
from mfa.synthetic import random_park

DATA = Path(__file__).parent / "data"
PARKS = sorted(builtin_parks())


@pytest.fixture(scope="module")
def catalogue() -> mfa.Catalogue:
    return mfa.load_catalogue(DATA / "flows")


@pytest.fixture(scope="module")
def hand_dict() -> dict[str, Any]:
    return read_yaml(DATA / "parks" / "hand.yaml")


def _level_years(park: mfa.Park) -> list[int]:
    """The base year and every year at which a level starts, where all levels are given."""
    compiled = compile_park(park)
    years = {int(y) for y in compiled.level_years if 1900 <= y <= 2200} | {park.meta.base_year}
    return sorted(y for y in years if not np.isnan(compiled.level_table[
        int(np.searchsorted(compiled.level_years, y, side="right")) - 1]).any())


def _same(actual: pd.Series, expected: pd.Series, rtol: float = 1e-9) -> None:
    both = pd.concat({"actual": actual, "expected": expected}, axis=1).astype(float)
    undefined = both.isna()
    assert (undefined["actual"] == undefined["expected"]).all(), both[undefined.any(axis=1)]
    defined = both[~undefined.any(axis=1)]
    np.testing.assert_allclose(defined["actual"], defined["expected"], rtol=rtol, atol=1e-9)


@pytest.mark.parametrize("name", PARKS)
def test_evaluator_on_central_values_equals_balance_every_year(name: str) -> None:
    park = mfa.load_park(name)
    for year in _level_years(park):
        ev = mfa.Evaluator(park, year)
        row = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
        assert row["status"] == "ok"
        table = park.balance(year).indicators().loc[year, "value"]
        _same(row[list(INDICATOR_IDS)], table.reindex(list(INDICATOR_IDS)))


def test_evaluator_takes_a_frame_of_some_parameters() -> None:
    park = mfa.load_park("jinchang")
    ev = mfa.Evaluator(park)
    rate = ev.parameters.index[ev.parameters["slot"] == "rates"][0]
    central = float(ev.parameters.loc[rate, "central"])
    frame = ev.evaluate(pd.DataFrame({rate: [central, central * 1.01]}, index=["a", "b"]))
    assert list(frame.index) == ["a", "b"]
    whole = ev.evaluate(ev.parameters["central"].to_numpy()[None, :])
    _same(frame.loc["a", list(INDICATOR_IDS)], whole.iloc[0][list(INDICATOR_IDS)], rtol=0)
    with pytest.raises(ValueError, match="not parameters"):
        ev.evaluate(pd.DataFrame({"no_such.parameter": [1.0]}))


def test_ten_thousand_perturbed_samples_flag_the_invalid_ones() -> None:
    park = mfa.load_park("jiayuguan")
    ev = mfa.Evaluator(park)
    central = ev.parameters["central"].to_numpy()
    rng = np.random.default_rng(1)
    values = central * rng.uniform(0.97, 1.03, (10_000, len(central)))
    level = np.flatnonzero((ev.parameters["slot"] == "levels").to_numpy())[0]
    values[::7, level] = -1.0  # every 7th sample: a negative activity level
    frame = ev.evaluate(values)
    assert len(frame) == 10_000
    broken = frame.index % 7 == 0
    assert frame.loc[broken, "status"].str.contains("level is negative").all()
    assert frame.loc[broken, list(INDICATOR_IDS)].isna().all().all()
    valid = frame["status"] == "ok"
    assert valid.sum() > 5_000
    assert frame.loc[valid, "solid_waste_utilisation_rate"].between(0, 100).all()
    for sample in (1, 2, 3):  # a batch row equals the same sample evaluated alone
        alone = ev.evaluate(values[sample:sample + 1]).iloc[0]
        _same(frame.iloc[sample][list(INDICATOR_IDS)], alone[list(INDICATOR_IDS)], rtol=1e-12)


@pytest.mark.parametrize("size", [6, 100])  # 100: the large-batch paths (≥ 80 samples)
def test_batch_solve_equals_a_loop_of_single_solves(size: int) -> None:
    park = mfa.park_from_dict(random_park(40, 5.0, seed=3))
    compiled = compile_park(park)
    rng = np.random.default_rng(0)
    year = park.meta.base_year
    levels = compiled.levels_for(year) * rng.uniform(0.5, 1.5, (size, compiled.n_enterprises))
    bound = np.tile(compiled.links.bound, (size, 1))
    batch = solve(compiled, year, levels=levels, params=Params(bound=bound))
    for k in range(size):
        one = solve(compiled, year, levels=levels[k], params=Params(bound=bound[k]))
        assert not one.batched and batch.batched
        for field in ("qty", "sent", "binding", "closing", "slot_flow", "substituted"):
            np.testing.assert_array_equal(getattr(batch, field)[k], getattr(one, field)[0],
                                          err_msg=field)
        assert batch.status[k] == one.status[0]


def test_tolerances_of_a_large_batch_are_those_of_its_samples() -> None:
    """The per-carrier largest flows: binned reductions (≥ 80 samples) equal the segmented
    one of a small batch, carrier by carrier."""
    compiled = compile_park(mfa.park_from_dict(random_park(60, 5.0, seed=8)))
    waves = waves_of(compiled)
    rows = np.random.default_rng(1).normal(size=(compiled.schedule.n_state, 120))
    large = largest_flows(compiled, waves, rows)
    small = np.hstack([largest_flows(compiled, waves, rows[:, k:k + 40].copy())
                       for k in range(0, 120, 40)])
    np.testing.assert_array_equal(large, small)
    assert len(waves.carrier_bins) > 1 and (large[compiled.carriers_with_slots] > 0).all()


def test_frozen_params_solve_the_same_and_keep_their_link_rows() -> None:
    """Frozen params (read-only copies) give the same solution; what the solve derives from
    them is built once per period. Writable params are read afresh on every solve."""
    compiled = compile_park(mfa.park_from_dict(random_park(30, 5.0, seed=6)))
    year, rng = compiled.base_year, np.random.default_rng(2)
    bound = compiled.links.bound * rng.uniform(0.5, 1.0, (4, len(compiled.links.ids)))
    ratio = np.tile(compiled.links.ratio, (4, 1))
    params = Params(bound=bound, ratio=ratio)
    frozen = params.frozen()
    assert not frozen.bound.flags.writeable and frozen.rates is None
    for field in ("qty", "closing", "sent"):
        np.testing.assert_array_equal(getattr(solve(compiled, year, params=frozen), field),
                                      getattr(solve(compiled, year, params=params), field))
    waves = waves_of(compiled)
    central = waves.in_period(compiled, year)
    assert link_rows(waves, central, frozen) is link_rows(waves, central, frozen)
    assert link_rows(waves, central, params) is not link_rows(waves, central, params)
    before = solve(compiled, year, params=params).qty.copy()
    params.bound[:] = 0.0  # a writable array changed between solves: seen by the next one
    assert not np.array_equal(solve(compiled, year, params=params).qty, before)


def test_a_solution_is_not_changed_by_later_solves() -> None:
    """The solver reuses its work arrays between calls: nothing it returns may share them."""
    compiled = compile_park(mfa.park_from_dict(random_park(30, 5.0, seed=4)))
    year = compiled.base_year
    fields = ("qty", "sent", "binding", "closing", "slot_flow", "substituted", "levels")
    for size in (1, 3):
        levels = np.tile(compiled.levels_for(year), (size, 1))
        first = solve(compiled, year, levels=levels)
        kept = {field: getattr(first, field).copy() for field in fields}
        solve(compiled, year, levels=levels * 0.5, stock=np.zeros((size, len(compiled.pile_node))))
        for field in fields:
            np.testing.assert_array_equal(getattr(first, field), kept[field], err_msg=field)
            array = getattr(first, field)  # qty: a view of the solver's record rows
            assert array.flags.f_contiguous if field == "qty" else array.flags.c_contiguous, field


def test_closing_stock_carries_over_to_the_next_period(catalogue: mfa.Catalogue) -> None:
    park = mfa.load_park(DATA / "parks" / "hand.yaml", catalogue)
    first = park.balance(2016)
    piles = first.stockpiles.set_index("stockpile")
    assert piles.loc["slag_yard", "opening"] == pytest.approx(1000)
    assert piles.loc["slag_yard", "closing"] == pytest.approx(1100)  # +200 stored, −100 used
    closing = piles["closing"].to_numpy()
    second = mfa.balance(park, 2016, stock=closing).stockpiles.set_index("stockpile")
    assert second.loc["slag_yard", "opening"] == pytest.approx(1100)
    assert second.loc["slag_yard", "closing"] == pytest.approx(1200)
    restart = park.balance(2016).stockpiles.set_index("stockpile")
    assert restart.loc["slag_yard", "opening"] == pytest.approx(1000)  # default: the file's


def test_stockpile_to_treatment_is_disposed_in_every_table(hand_dict: dict[str, Any],
                                                         catalogue: mfa.Catalogue) -> None:
    """One ledger rule: stock sent to treatment is 处置 in the stockpile table and in the
    indicators' ledger (two copies once disagreed: withdrawn_other vs disposed)."""
    data = copy.deepcopy(hand_dict)
    data["boundary"].append({"id": "slag_treatment", "kind": "treatment"})
    data["links"].append({"from": "slag_yard", "to": "slag_treatment", "carrier": "slag",
                          "quantity": "50 t/a"})
    result = mfa.park_from_dict(data, catalogue=catalogue).balance()
    pile = result.stockpiles.set_index("stockpile").loc["slag_yard"]
    assert pile["withdrawn_disposed"] == pytest.approx(50)
    assert pile["withdrawn_other"] == pytest.approx(0)
    ledger = waste_accounts(result.flows, official.GSW).loc[(2016, "slag")]
    assert ledger["disposed_from_stock"] == pytest.approx(50)
    assert ledger["disposed"] == pytest.approx(50)


def test_recirculated_water_is_a_flow(catalogue: mfa.Catalogue) -> None:
    result = mfa.load_park(DATA / "parks" / "hand.yaml", catalogue).balance()
    flows = result.flows
    loop = flows[flows["carrier_class"] == "recirculated_water"]
    assert loop[["source", "target"]].astype(str).values.tolist() == [["smelter", "smelter"]]
    assert float(loop["quantity"].sum()) == pytest.approx(700)  # 7 m³/t × 100 t


def test_flows_carry_no_attrs_and_units_are_a_property() -> None:
    result = mfa.load_park("jinchang").balance()
    assert result.flows.attrs == {}
    assert result.units["nickel_slag"] == "t"  # units per carrier, on the result


def test_catalogue_is_parsed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from mfa.io import catalogue as module

    mfa.load_catalogue()
    calls = []
    monkeypatch.setattr(module, "read_yaml", lambda *a, **k: calls.append(a))
    first, second = mfa.load_catalogue(), mfa.load_catalogue()
    assert first is second and not calls


def test_parameter_table_keeps_every_declared_range() -> None:
    frame = mfa.load_park("jiayuguan").parameters()
    assert {"id", "element", "field", "central", "low", "high", "unit", "source", "slot",
            "index"} <= set(frame.columns)
    ranged = frame.dropna(subset=["low", "high"])
    assert len(ranged) > 50
    assert (ranged["low"] <= ranged["central"]).all()
    assert (ranged["central"] <= ranged["high"]).all()
    assert frame["id"].is_unique
    assert (frame.loc[frame["slot"] == "rates", "index"] >= 0).all()


def test_a_definition_without_a_computation_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from mfa.indicators import registry
    from mfa.model.indicator_defs import INDICATORS

    first = next(iter(INDICATORS))
    monkeypatch.delitem(registry.REGISTRY, first)
    with pytest.raises(RuntimeError, match="defined but not computed"):
        registry.check_complete()
    with pytest.raises(RuntimeError, match="has no definition"):
        registry.indicator("no_such_indicator")(lambda t: t["value_added"])


def test_status_flags_each_broken_invariant() -> None:
    park = mfa.park_from_dict(random_park(20, 4.0, seed=5))
    compiled = compile_park(park)
    rates = np.tile(compiled.slot_rate, (3, 1))
    rates[1] = -rates[1]  # every rate flips sign
    levels = np.tile(compiled.levels_for(park.meta.base_year), (3, 1))
    levels[2, 0] = -1.0
    solution = solve(compiled, park.meta.base_year, levels=levels, params=Params(rates=rates))
    assert solution.status[0] == 0
    assert Status(int(solution.status[1])) & Status.SIGN_CHANGED
    assert Status(int(solution.status[2])) & Status.BELOW_ZERO
    assert not solution.problems_of(0) and solution.problems_of(2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.integers(2, 30),
       links=st.floats(0.5, 6.0))
def test_fast_indicators_equal_table_indicators_on_random_parks(seed: int, size: int,
                                                                 links: float) -> None:
    park = mfa.park_from_dict(random_park(size, links, seed=seed))
    ev = mfa.Evaluator(park)
    row = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    assert row["status"] == "ok"
    table = park.balance().indicators().loc[park.meta.base_year, "value"]
    _same(row[list(INDICATOR_IDS)], table.reindex(list(INDICATOR_IDS)))


def test_an_enterprise_without_any_level_is_a_located_error() -> None:
    """A park built in Python can give an enterprise no level (files cannot): the engine
    names it instead of failing on an empty index."""
    import dataclasses

    park = mfa.park_from_dict(random_park(5, 2.0, seed=1))
    first = dataclasses.replace(park.enterprises[0], levels={})
    broken = dataclasses.replace(park, enterprises=[first, *park.enterprises[1:]])
    with pytest.raises(mfa.ParkFlowError, match="no activity level in any year"):
        compile_park(broken).levels_for(park.meta.base_year)
