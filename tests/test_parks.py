"""Every built-in park: validates, balances, matches its golden results, cites its sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mfa
from mfa.io.yamlio import read_yaml
from mfa.paths import builtin_parks

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from update import GOLDEN, golden_tables

PARKS = sorted(builtin_parks())


def test_there_are_parks() -> None:
    assert PARKS, "parks/ holds no park files"


@pytest.mark.parametrize("name", PARKS)
def test_park_balances(name: str) -> None:
    result = mfa.load_park(name).balance()
    result.check()


@pytest.mark.parametrize("name", PARKS)
def test_park_matches_golden(name: str) -> None:
    folder = GOLDEN / name
    assert folder.is_dir(), f"no golden results: run python tests/golden/update.py {name}"
    for file, table in golden_tables(name).items():
        expected = pd.read_csv(folder / file)
        actual = pd.read_csv(pd.io.common.StringIO(table.to_csv(index=False)))  # type: ignore[attr-defined]
        assert list(actual.columns) == list(expected.columns), file
        assert len(actual) == len(expected), f"{name}/{file}: row count changed"
        for column in expected.columns:
            if pd.api.types.is_numeric_dtype(expected[column]):
                np.testing.assert_allclose(actual[column], expected[column], rtol=1e-6,
                                           atol=1e-9, err_msg=f"{name}/{file}:{column}")
            else:
                assert actual[column].fillna("").astype(str).tolist() == (
                    expected[column].fillna("").astype(str).tolist()), f"{name}/{file}:{column}"


def _unsourced(data: dict[str, Any]) -> list[str]:
    """Locations of coefficients without a source."""
    missing = []

    def sourced(value: Any) -> bool:
        return isinstance(value, dict) and bool(str(value.get("source", "")).strip())

    for i, ent in enumerate(data.get("enterprises", [])):
        where = f"enterprises[{i}] ({ent.get('id')})"
        for carrier, rate in (ent.get("rates") or {}).items():
            if not sourced(rate):
                missing.append(f"{where}.rates.{carrier}")
        for key in ("value_added", "water_recirculation"):
            if key in ent and not sourced(ent[key]):
                missing.append(f"{where}.{key}")
        if not str(ent.get("activity", {}).get("source", "")).strip():
            missing.append(f"{where}.activity.source")
    for i, link in enumerate(data.get("links", [])):
        if not str(link.get("source", "")).strip():
            missing.append(f"links[{i}].source")
        ratio = (link.get("substitutes") or {}).get("ratio")
        if ratio is not None and not sourced(ratio):
            missing.append(f"links[{i}].substitutes.ratio")
    for i, node in enumerate(data.get("boundary", [])):
        if "opening_stock" in node and not sourced(node["opening_stock"]):
            missing.append(f"boundary[{i}].opening_stock")
    for i, target in enumerate(data.get("targets", [])):
        if not str(target.get("source", "")).strip():
            missing.append(f"targets[{i}].source")
    return missing


@pytest.mark.parametrize("name", PARKS)
def test_every_coefficient_has_a_source(name: str) -> None:
    assert _unsourced(read_yaml(builtin_parks()[name])) == []


@pytest.mark.parametrize("name", PARKS)
def test_park_has_documentation(name: str) -> None:
    doc = builtin_parks()[name].with_suffix(".md")
    assert doc.is_file(), f"parks/{name}.md is missing"
    text = doc.read_text(encoding="utf-8")
    assert "Sources" in text and "Calibration" in text


@pytest.mark.parametrize("name", PARKS)
def test_cli_checks_and_balances_park_by_name(name: str) -> None:
    check = subprocess.run([sys.executable, "-m", "mfa.cli", "check", name],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("OK ")
    run = subprocess.run([sys.executable, "-m", "mfa.cli", "balance", name, "--format", "csv"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "solid_waste_utilisation_rate" in run.stdout


@pytest.mark.parametrize("name", PARKS)
def test_identities_hold_when_recomputed_from_flows_csv(name: str, tmp_path: Path) -> None:
    """The NBS identity and 综合利用率, recomputed from flows.csv with plain pandas."""
    from mfa.export import result_tables, write_tables

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
    from flows_identity import ledger, non_conventional_carriers, water_reuse_rate

    result = mfa.load_park(name).balance()
    write_tables(result_tables(result), tmp_path)
    table = ledger(pd.read_csv(tmp_path / "flows.csv"))
    rhs = table["utilised_new"] + table["stored"] + table["disposed_new"] + table["dumped"]
    np.testing.assert_allclose(table["generated"], rhs, rtol=1e-9, atol=1e-6)
    totals = table.sum()
    rate = 100 * (totals["utilised_new"] + totals["utilised_old"]) / (
        totals["generated"] + totals["utilised_old"])
    official = pd.read_csv(tmp_path / "indicators.csv").set_index("indicator")["value"]
    assert rate == pytest.approx(official["solid_waste_utilisation_rate"], rel=1e-9)
    flows = pd.read_csv(tmp_path / "flows.csv", keep_default_na=False, na_values=[""])
    reuse = water_reuse_rate(flows, non_conventional_carriers())
    assert reuse == pytest.approx(official["water_reuse_rate"], rel=1e-9, nan_ok=True)
    stock = pd.read_csv(tmp_path / "stockpiles.csv")
    if stock.empty:
        return
    closing = (stock["opening"] + stock["stored"] - stock["withdrawn_utilised"]
               - stock["withdrawn_disposed"] - stock["withdrawn_other"])
    np.testing.assert_allclose(stock["closing"], closing, rtol=1e-9)  # CSV keeps 10 digits
