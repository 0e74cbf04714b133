"""ENA of the built-in parks, per currency: every park and currency runs and closes."""

from __future__ import annotations

import pytest

import mfa
from mfa import paths
from mfa.errors import ParkFlowError
from mfa.network import park_ena, park_nodes
from mfa.network.currency import CURRENCIES, carrier_factor
from mfa.network.parks import network_of, solve_park

PARKS = sorted(paths.builtin_parks())


@pytest.mark.parametrize("name", PARKS)
def test_metrics_for_every_builtin_park(name: str) -> None:
    park = mfa.load_park(name)
    result = solve_park(park)
    for currency in CURRENCIES:
        metrics = park_ena(result, currency=currency)
        assert metrics["n"] >= 1
        assert 0.0 <= metrics["fci"] <= 1.0
        assert metrics["tstp"] >= metrics["tst"]
        assert metrics.attrs["currency"] == currency


def test_same_as_balancing_through_the_api() -> None:
    park = mfa.load_park("jinchang")
    direct = park_ena(park, currency="mass")
    via_api = park_ena(park.balance(), currency="mass")
    assert direct.equals(via_api)


def test_water_recirculation_is_a_self_loop() -> None:
    park = mfa.load_park("kalundborg")
    built = network_of(park, currency="water")
    statoil = built.network.labels.index("statoil")
    assert built.network.flows[statoil, statoil] == pytest.approx(2.025e7)
    without = park_ena(park, currency="water", recirculation=False)
    assert without["fci"] < park_ena(park, currency="water")["fci"]


def test_closure_is_reported_and_can_be_refused() -> None:
    park = mfa.load_park("kalundborg")
    metrics = park_ena(park, currency="energy")
    assert metrics["unrecorded_dissipation"] > 0  # conversion losses not in the file
    with pytest.raises(ParkFlowError, match="inflow"):
        park_ena(park, currency="energy", close=False)


def test_currency_of_carriers() -> None:
    catalogue = mfa.load_catalogue()
    assert carrier_factor(catalogue["electricity"], "energy") == pytest.approx(3.6, rel=1e-3)
    assert carrier_factor(catalogue["electricity"], "mass") is None
    assert carrier_factor(catalogue["fresh_water"], "mass") is None
    assert carrier_factor(catalogue["recirculated_water"], "water") == 1.0
    assert carrier_factor(catalogue["fly_ash"], "water") is None
    assert carrier_factor(catalogue["blast_furnace_gas"], "mass") == pytest.approx(0.00135)


def test_nodes_table() -> None:
    table = park_nodes(mfa.load_park("kalundborg"), currency="mass")
    assert table.loc["asnaes", "out_degree"] >= 2
    assert {"betweenness", "throughflow", "unrecorded_dissipation"} <= set(table.columns)


def test_unknown_period_is_reported() -> None:
    result = solve_park(mfa.load_park("kalundborg"))
    with pytest.raises(ParkFlowError, match="not in the result"):
        park_ena(result, 1900)
