"""Indicator corrections found by the domain review (issue 7), each on a hand-calculable park."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import mfa
from mfa.io.yamlio import read_yaml

DATA = Path(__file__).parent / "data"
VALUE_ADDED = 100 * 10_000 + 1000 * 100  # 元, as in tests/test_hand_park.py


@pytest.fixture(scope="module")
def catalogue() -> mfa.Catalogue:
    return mfa.load_catalogue(DATA / "flows")


def _hand_with_quarry() -> dict[str, Any]:
    """The hand park plus a quarry that turns 500 t of bought ore into 500 t of limestone,
    which no link takes: it is sold to the market unprocessed."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"].append({
        "id": "quarry",
        "activity": {"carrier": "limestone", "capacity": "600 t/a", "level": "500 t/a"},
        "rates": {"ore": "-1 t/t"}})
    return data


def test_primary_resources_sold_unprocessed_are_not_consumed(catalogue: mfa.Catalogue) -> None:
    """主要资源消费量 = extraction + purchases − primary resources sold on unprocessed:
    bought ore 1,000 + 500 t, coal 300 t, limestone 880 t; 500 t of limestone sold raw."""
    result = mfa.park_from_dict(_hand_with_quarry(), catalogue=catalogue).balance()
    values = result.indicators().loc[2016, "value"]
    assert values["primary_resource_consumption"] == pytest.approx(1500 + 300 + 880 - 500)
    assert values["resource_output_rate"] == pytest.approx(VALUE_ADDED / 2180)
    per_enterprise = result.indicators_by_enterprise().loc[2016]
    assert per_enterprise.loc["quarry", "primary_resource_consumption"] == pytest.approx(0)
    assert per_enterprise["primary_resource_consumption"].sum() == pytest.approx(2180)


def test_fast_path_counts_consumption_too(catalogue: mfa.Catalogue) -> None:
    park = mfa.park_from_dict(_hand_with_quarry(), catalogue=catalogue)
    ev = mfa.Evaluator(park)
    row = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    assert row["resource_output_rate"] == pytest.approx(VALUE_ADDED / 2180, rel=1e-12)


def _hand_with_flare() -> dict[str, Any]:
    """The hand park plus a gasifier turning 100 t of bought coal into 100 t of fuel gas, all
    of it sent to a flare (an environment node)."""
    data = copy.deepcopy(read_yaml(DATA / "parks" / "hand.yaml"))
    data["enterprises"].append({
        "id": "gasifier",
        "activity": {"carrier": "fuel_gas", "capacity": "200 t/a", "level": "100 t/a"},
        "rates": {"coal": "-1 t/t"}})
    data["boundary"].append({"id": "flare", "kind": "environment", "default_for": ["fuel_gas"]})
    return data


def test_flared_gas_is_emitted_co2(catalogue: mfa.Catalogue) -> None:
    """Carbon sent to the environment in a fuel gas leaves as CO₂ and stays charged to the
    enterprise: the gasifier emits its 100 t of coal × 1.9 t CO₂/t, not 100 × (1.9 − 1.5)."""
    hand = mfa.load_park(DATA / "parks" / "hand.yaml", catalogue).balance()
    result = mfa.park_from_dict(_hand_with_flare(), catalogue=catalogue).balance()
    before = hand.indicators().loc[2016, "value"]["co2_fuel_combustion"]
    after = result.indicators().loc[2016, "value"]["co2_fuel_combustion"]
    assert before == pytest.approx(300 * 1.9)  # the hand park's 300 t of coal
    assert after - before == pytest.approx(100 * 1.9)
    per_enterprise = result.indicators_by_enterprise().loc[(2016, "gasifier")]
    assert per_enterprise["co2_fuel_combustion"] == pytest.approx(190)
    ev = mfa.Evaluator(mfa.park_from_dict(_hand_with_flare(), catalogue=catalogue))
    row = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    assert row["co2_fuel_combustion"] == pytest.approx(after, rel=1e-12)
