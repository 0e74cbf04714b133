"""The `parkflow` command on a small valid park against the real carrier catalogue.

tests/data/parks/mini.yaml is hand-calculable: the smelter makes 100 t of nickel and 500 t of
slag; 300 t of slag go to the cement plant, 100 t more come from the slag yard's opening stock
of 1000 t, and the 200 t left are stored. So the utilisation rate is
400 / (500 + 100) = 66.67 % and fresh water use is 3 m³/t × 100 t = 300 m³.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI, mini_park, run_cli, write_park
from rich.console import Console

import mfa
from mfa import cli
from mfa.export import result_tables
from mfa.model.indicator_defs import INDICATORS
from mfa.paths import builtin_parks
from mfa.results.result import FLOW_COLUMNS


def _ok(*args: str | Path, cwd: Path) -> str:
    result = run_cli(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_check_prints_ok(tmp_path: Path) -> None:
    out = _ok("check", MINI, cwd=tmp_path)
    assert out.startswith("OK Mini park (迷你园区): 2 enterprises, 3 links")
    assert "base year 2016 balances" in out


def test_balance_table_names_every_indicator(tmp_path: Path) -> None:
    out = _ok("balance", MINI, cwd=tmp_path)
    assert "迷你园区 Mini park — 2016" in out
    for indicator in INDICATORS.values():
        assert indicator.name_en in out, indicator.name_en
        assert indicator.name_zh in out, indicator.name_zh


def test_balance_csv(tmp_path: Path) -> None:
    table = pd.read_csv(io.StringIO(_ok("balance", MINI, "--format", "csv", cwd=tmp_path)))
    assert list(table.columns) == ["period", "indicator", "name_zh", "name_en", "value", "unit",
                                   "target", "target_year", "basis", "quality", "note"]
    assert set(table["indicator"]) == set(INDICATORS)
    values = table.set_index("indicator")["value"]
    assert values["solid_waste_utilisation_rate"] == pytest.approx(400 / 600 * 100)
    assert values["fresh_water_use"] == pytest.approx(300)


def test_balance_json_parses(tmp_path: Path) -> None:
    records = json.loads(_ok("balance", MINI, "--format", "json", cwd=tmp_path))
    assert {r["indicator"] for r in records} == set(INDICATORS)
    assert {r["period"] for r in records} == {2016}
    by_id = {r["indicator"]: r for r in records}
    assert by_id["solid_waste_utilisation_rate"]["value"] == pytest.approx(400 / 600 * 100)
    assert by_id["solid_waste_utilisation_rate"]["unit"] == "%"
    assert by_id["solid_waste_utilisation_rate"]["target"] == 73
    assert by_id["hazardous_waste_utilisation_rate"]["value"] is None  # none generated: NaN


def test_balance_other_year(tmp_path: Path) -> None:
    records = json.loads(_ok("balance", MINI, "--year", "2018", "--format", "json",
                             cwd=tmp_path))
    assert {r["period"] for r in records} == {2018}


def test_balance_out_writes_the_tables_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "results" / "2016"  # created, parents too
    result = run_cli("balance", MINI, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = set(result_tables(mfa.load_park(MINI).balance()))
    assert {"flows.csv", "indicators.csv"} <= expected
    assert {p.name for p in out.iterdir()} == expected  # no temporary files left
    for name in expected:
        assert f"wrote {out / name}" in result.stderr
    flows = pd.read_csv(out / "flows.csv")
    assert list(flows.columns) == FLOW_COLUMNS
    assert (flows["quantity"] > 0).all()
    indicators = pd.read_csv(out / "indicators.csv")
    assert set(indicators["indicator"]) == set(INDICATORS)


def test_balance_out_twice_replaces_the_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _ok("balance", MINI, "--out", out, cwd=tmp_path)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    _ok("balance", MINI, "--out", out, cwd=tmp_path)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_carriers(fmt: str, tmp_path: Path) -> None:
    out = _ok("carriers", "--format", fmt, cwd=tmp_path)
    table = pd.read_csv(io.StringIO(out)) if fmt == "csv" else pd.DataFrame(json.loads(out))
    assert len(table) >= 40
    columns = {"id", "name_zh", "name_en", "class", "unit", "dimension", "tce_per_unit",
               "co2_t_per_unit"}
    assert columns <= set(table.columns)
    assert table["id"].is_unique
    ids = set(table["id"])
    assert {"nickel_concentrate", "electrolytic_nickel", "nickel_slag", "raw_coal",
            "limestone", "cement", "fresh_water"} <= ids
    assert set(table["unit"]) <= {"t", "GJ", "MWh", "m**3"}


def test_carriers_table(tmp_path: Path) -> None:
    out = _ok("carriers", cwd=tmp_path)
    assert "Carrier catalogue (" in out
    assert "nickel_slag" in out


def test_parks(tmp_path: Path) -> None:
    out = _ok("parks", cwd=tmp_path)
    assert "Built-in parks" in out
    for name in builtin_parks():
        assert name in out


def test_no_command_shows_help(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "check" in result.stdout + result.stderr
    assert "balance" in result.stdout + result.stderr


# --- issue 12: park text is printed safely -------------------------------------------------


def _evil_park(folder: Path, name_en: str, name_zh: str = "迷你园区") -> Path:
    data = mini_park()
    data["park"]["name_en"], data["park"]["name_zh"] = name_en, name_zh
    return write_park(folder, data)


_MARKUP = ["Evil [/bold] park", "[link=http://evil.example]click[/link]", "[bold red]x", "a [/] b"]


def test_rich_markup_in_names_is_printed_as_written(tmp_path: Path) -> None:
    path = _evil_park(tmp_path, " | ".join(_MARKUP), "[/]园区[link=x]")
    for command in ("balance", "check"):
        out = _ok(command, path, cwd=tmp_path)
        for name in [*_MARKUP, "[/]园区[link=x]"]:
            assert name in out, out
        assert "\x1b]8;" not in out  # no hyperlink escape


def test_escape_and_control_characters_are_stripped(tmp_path: Path) -> None:
    path = _evil_park(tmp_path, "Red\x1b[31m park\x1b]0;pwned\x07 \u202eevil\x00", "园\x1b[2J区")
    for command in ("balance", "check"):
        out = _ok(command, path, cwd=tmp_path)
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "Red[31m park]0;pwned evil" in out


def test_a_terminal_that_cannot_encode_the_names(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for args in (("balance", MINI), ("check", MINI), ("carriers",), ("parks",)):
        result = subprocess.run([sys.executable, "-m", "mfa.cli", *map(str, args)],
                                capture_output=True, env=env, cwd=tmp_path, check=False)
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr


def test_plain_and_safe() -> None:
    assert cli.plain("a\x1b[31mb\x9bc\u200bd\ud800e\tf\ng") == "a[31mbcd\\ud800e f\ng"
    assert cli.safe("[/bold]") == "\\[/bold]"


def test_carriers_never_shortens_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = list(mfa.load_catalogue().to_frame().index)
    for width in (40, 80):
        buffer = io.StringIO()
        monkeypatch.setattr(cli, "out", Console(file=buffer, width=width))
        cli.carriers(fmt=cli.Format.table)
        text = buffer.getvalue()
        missing = [i for i in ids if i not in text]
        assert missing == [], (width, missing)


@pytest.mark.parametrize("year", ["99999999999999999999", "1800", "2201", "-5"])
def test_year_outside_1900_2200(tmp_path: Path, year: str) -> None:
    result = run_cli("balance", MINI, "--year", year, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "not a year ParkFlow balances" in result.stderr and "1900 to 2200" in result.stderr
