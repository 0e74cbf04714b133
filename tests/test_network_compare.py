"""ENA across scenarios and years: a tidy table with scenario and year levels."""

from __future__ import annotations

import mfa
from mfa.network.compare import compare, wide
from mfa.network.resilience import without


def test_kalundborg_years_and_a_variant() -> None:
    park = mfa.load_park("kalundborg")
    variant = without(park, ["gyproc"])
    table = compare({"baseline": park, "no_gyproc": variant}, years=[1990, 2000],
                    currencies=("mass", "water"))
    assert table.index.names == ["scenario", "year", "currency", "metric"]
    assert set(table["status"]) == {"ok"}
    values = wide(table)
    assert values.shape[0] == 2 * 2 * 2
    # the gypsum link starts in the 1990s: more links in 2000 than in 1990
    assert values.loc[("baseline", 2000, "mass"), "links"] > values.loc[
        ("baseline", 1990, "mass"), "links"]
    assert values.loc[("no_gyproc", 2000, "mass"), "n"] == values.loc[
        ("baseline", 2000, "mass"), "n"] - 1
    assert table.loc[("baseline", 2000, "mass", "tst"), "unit"] == "t"


def test_single_park_and_metric_filter() -> None:
    table = compare(mfa.load_park("jinchang"), metrics=["fci", "a_over_c"])
    assert list(table.index.get_level_values("scenario").unique()) == ["baseline"]
    assert list(table.index.get_level_values("metric")) == ["fci", "a_over_c"]


def test_infeasible_year_is_kept_with_its_reason() -> None:
    table = compare({"baseline": mfa.load_park("kalundborg")}, years=[1950, 2000],
                    metrics=["tst"])
    assert table.loc[("baseline", 1950, "mass", "tst"), "value"] != table.loc[
        ("baseline", 1950, "mass", "tst"), "value"]  # NaN, kept
    assert "no activity level for 1950" in table.loc[("baseline", 1950, "mass", "tst"),
                                                     "status"]
    assert table.loc[("baseline", 2000, "mass", "tst"), "status"] == "ok"
