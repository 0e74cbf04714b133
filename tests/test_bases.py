"""Each statistical basis moves exactly the indicators that declare it, on every built-in park,
and the fast path agrees with the tables on every basis (issue 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mfa
from mfa.model.indicator_defs import INDICATORS
from mfa.model.statistics import CHOICES
from mfa.paths import builtin_parks

PARKS = builtin_parks()
ALTERNATIVES = [(k, v) for k, values in CHOICES.items() for v in values[1:]] + [
    ("grid", "national")]



def _values(park: mfa.Park, **basis: str) -> pd.Series:
    return mfa.balance(park, basis=basis or None).indicators().droplevel("period")["value"]


@pytest.fixture(scope="module", params=PARKS)
def park(request: pytest.FixtureRequest) -> mfa.Park:
    return mfa.load_park(request.param)


@pytest.mark.parametrize(("key", "value"), ALTERNATIVES)
def test_a_basis_moves_only_the_indicators_that_declare_it(park: mfa.Park, key: str,
                                                           value: str) -> None:
    if getattr(park.statistics.basis, key) == value:
        pytest.skip(f"{park.meta.id} is on {key}={value} already")
    before, after = _values(park), _values(park, **{key: value})
    moved = {i for i in INDICATORS
             if not np.isclose(before[i], after[i], rtol=1e-12, equal_nan=True)}
    allowed = {i for i, d in INDICATORS.items() if key in d.bases}
    assert moved <= allowed, f"{key}={value} moved {sorted(moved - allowed)}"


@pytest.mark.parametrize("basis", [{"electricity": "equivalent", "feedstock_energy": "exclude"},
                                   {"resource_list": "2017", "ore_basis": "concentrate",
                                    "energy_media": "include", "co2_scope": "total"}])
def test_fast_path_agrees_on_other_bases(park: mfa.Park, basis: dict[str, str]) -> None:
    table = _values(park, **basis)
    ev = mfa.Evaluator(park.with_basis(basis))
    fast = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    for ind in INDICATORS:
        assert fast[ind] == pytest.approx(table[ind], rel=1e-9, abs=1e-9, nan_ok=True), ind


def test_every_indicator_row_has_basis_quality_and_note() -> None:
    table = mfa.load_park("jiayuguan").balance().indicators()
    assert {"basis", "quality", "note"} <= set(table.columns)
    assert set(table["quality"]) <= {"modelled", "assumed", "declared"}
    missing = table[table["value"].isna()]
    assert (missing["note"] != "").all(), missing.index.tolist()
