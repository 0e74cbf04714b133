"""No success with an impossible result (issue 12, item 3): a result table with a non-finite
or negative number, or an indicator that is NaN although defined, is an error that names the
enterprise (or link) and carrier. The inputs that caused these are refused at load
(tests/test_bad_input.py DOMAIN_CASES); these tests hold the last line of defence."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from conftest import MINI

import mfa
from mfa.results.sanity import check_indicators, check_result, checked_year


@pytest.fixture(scope="module")
def result() -> mfa.BalanceResult:
    return mfa.load_park(MINI).balance()


def _broken(result: mfa.BalanceResult, table: str, column: str, value: float
            ) -> mfa.BalanceResult:
    broken = copy.copy(result)
    frame = getattr(result, table).copy()
    frame.loc[frame.index[0], column] = value
    setattr(broken, table, frame)
    return broken


def test_a_sound_result_passes(result: mfa.BalanceResult) -> None:
    assert check_result(result) is result
    check_indicators(result.indicators(), "mini.yaml")


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_a_non_finite_flow_names_enterprise_and_carrier(result: mfa.BalanceResult,
                                                         value: float) -> None:
    row = result.flows.iloc[0]
    with pytest.raises(mfa.ParkFlowError) as info:
        check_result(_broken(result, "flows", "quantity", value))
    message = str(info.value)
    assert f"source {row['source']} → target {row['target']}, carrier {row['carrier']}" in message
    assert "impossible" in message and "report it" in message


def test_a_negative_flow(result: mfa.BalanceResult) -> None:
    with pytest.raises(mfa.ParkFlowError, match="is negative"):
        check_result(_broken(result, "flows", "quantity", -5.0))


@pytest.mark.parametrize(("table", "column", "place"), [
    ("enterprise_balance", "consumed", "enterprise "),
    ("activity", "value_added", "enterprise "),
    ("link_flows", "delivered", "link "),
    ("stockpiles", "closing", "stockpile "),
])
def test_non_finite_numbers_in_any_table(result: mfa.BalanceResult, table: str, column: str,
                                         place: str) -> None:
    with pytest.raises(mfa.ParkFlowError) as info:
        check_result(_broken(result, table, column, math.nan))
    assert place in str(info.value) and ", carrier " in str(info.value)


def test_an_unlimited_stockpile_capacity_is_fine(result: mfa.BalanceResult) -> None:
    check_result(_broken(result, "stockpiles", "capacity", math.inf))


def test_water_reuse_nan_although_fresh_water_is_used(result: mfa.BalanceResult) -> None:
    table = result.indicators().copy()
    period = result.periods[0]
    assert table.loc[(period, "fresh_water_use"), "value"] > 0
    table.loc[(period, "water_reuse_rate"), "value"] = np.nan
    with pytest.raises(mfa.ParkFlowError) as info:
        check_indicators(table, "mini.yaml")
    assert "indicator water_reuse_rate in 2016" in str(info.value)
    assert "fresh_water_use is 300" in str(info.value)


def test_an_infinite_indicator(result: mfa.BalanceResult) -> None:
    table = result.indicators().copy()
    table.loc[(result.periods[0], "energy_consumption"), "value"] = np.inf
    with pytest.raises(mfa.ParkFlowError, match="energy_consumption"):
        check_indicators(table, "mini.yaml")


def test_nan_where_undefined_is_fine(result: mfa.BalanceResult) -> None:
    table = result.indicators()
    assert math.isnan(table.loc[(result.periods[0], "hazardous_waste_utilisation_rate"),
                                "value"])  # no hazardous waste: undefined, and fine
    check_indicators(table, "mini.yaml")


@pytest.mark.parametrize("year", [1899, 2201, 2**63, 10**30, -1, True, 2016.0, "2016"])
def test_years_outside_1900_2200_in_the_api(year: object) -> None:
    park = mfa.load_park(MINI)
    with pytest.raises(mfa.ParkFlowError, match="not a year ParkFlow balances"):
        park.balance(year)  # type: ignore[arg-type]
    with pytest.raises(mfa.ParkFlowError):
        checked_year(year, "x")
    assert checked_year(np.int64(2016), "x") == 2016
