"""Bad input gets one clear message: file, location, problem and fix; exit code 2 from the CLI,
no traceback, and no output files left behind.

Each case breaks one thing in the valid park tests/data/parks/mini.yaml (real carrier
catalogue, so the CLI sees the same park as the Python API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import mini_park, run_cli, write_park

import mfa
from mfa.export import write_tables

Park = dict[str, Any]


def _smelter(data: Park) -> Park:
    enterprise: Park = data["enterprises"][0]
    return enterprise


def _cement(data: Park) -> Park:
    enterprise: Park = data["enterprises"][1]
    return enterprise


@dataclass(frozen=True)
class Case:
    """One kind of bad input.

    ``location`` is the path inside the file that the message must name ("" for the whole
    file); ``words`` are fragments the problem description must contain.
    """

    id: str
    content: Callable[[Path], Park | str | bytes]
    location: str
    words: tuple[str, ...] = ()
    problems: int = 1
    stage: str = "load"  # "balance": found only when the year is balanced


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Path], Park]:
    """Content: the mini park with one value replaced (``None`` deletes it)."""

    def make(_: Path) -> Park:
        data = mini_park()
        node = data
        for key in path[:-1]:
            node = node[key]
        if value is None:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return data

    return make


def _text(text: str) -> Callable[[Path], str]:
    return lambda _: text


def _add_share_links(_: Path) -> Park:
    data = mini_park()
    data["links"][0] = {"from": "smelter", "to": "cement_plant", "carrier": "nickel_slag",
                        "share": 0.7, "substitutes": {"carrier": "limestone", "ratio": "0.8 t/t"}}
    data["links"].append({"from": "smelter", "to": "slag_yard", "carrier": "nickel_slag",
                          "share": 0.6})
    return data


def _fixed_slag_quantity(_: Path) -> Park:
    data = mini_park()
    link = data["links"][0]
    del link["cap"]
    link["quantity"] = "550 t/a"  # the smelter makes 500 t of slag at its 2016 level
    return data


def _misspelled_capacity(_: Path) -> Park:
    data = mini_park()
    activity = _smelter(data)["activity"]
    activity["capacty"] = activity.pop("capacity")
    return data


def _python_tag(folder: Path) -> str:
    marker = folder / "executed"
    return f"park: !!python/object/apply:os.system [\"touch '{marker}'\"]\n"


VALID_HEAD = "park:\n  id: mini\n  name_zh: 迷你园区\n  name_en: Mini park\n"

CASES = [
    # --- references ---------------------------------------------------------------------
    Case("unknown_carrier_in_rates",
         _set(("enterprises", 1, "rates", "coal"), "-0.1 t/t"),
         "enterprises[1] (cement_plant).rates.coal",
         ("unknown carrier 'coal'", "parkflow carriers")),
    Case("unknown_enterprise_in_link",
         _set(("links", 1, "to"), "cement_works"),
         "links[1] (smelter>cement_works:waste_heat_medium).to",
         ("unknown enterprise or boundary node 'cement_works'",)),
    Case("unknown_carrier_in_link",
         _set(("links", 1, "carrier"), "waste_heat"),
         "links[1] (smelter>cement_plant:waste_heat).carrier",
         ("unknown carrier 'waste_heat'", "waste_heat_medium")),
    # --- units --------------------------------------------------------------------------
    Case("volume_unit_for_mass_rate",
         _set(("enterprises", 0, "rates", "nickel_concentrate"), "-10 m**3/t"),
         "enterprises[0] (smelter).rates.nickel_concentrate",
         ("m**3/t", "dimension")),
    Case("energy_unit_for_capacity",
         _set(("enterprises", 0, "activity", "capacity"), "120 GJ"),
         "enterprises[0] (smelter).activity.capacity",
         ("'GJ'", "dimension")),
    Case("unknown_unit",
         _set(("enterprises", 0, "rates", "raw_coal"), "-2 tonz/t"),
         "enterprises[0] (smelter).rates.raw_coal",
         ("unknown unit", "tonz")),
    # --- bounds -------------------------------------------------------------------------
    Case("negative_capacity",
         _set(("enterprises", 1, "activity", "capacity"), "-2 kt/a"),
         "enterprises[1] (cement_plant).activity.capacity",
         ("negative",)),
    Case("level_above_capacity",
         _set(("enterprises", 0, "activity", "capacity"), "105 t/a"),
         "enterprises[0] (smelter).activity.level.2018",
         ("level 110 t/a in 2018 exceeds the capacity 105 t/a",)),
    Case("shares_above_100_percent",
         _add_share_links,
         "links[0], links[3] (from smelter, carrier nickel_slag)",
         ("130%", "above 100%")),
    Case("link_to_itself",
         _set(("links", 1, "to"), "smelter"),
         "links[1] (smelter>smelter:waste_heat_medium)",
         ("to itself",)),
    Case("mass_from_nothing",
         _set(("enterprises", 0, "rates", "nickel_slag"), "50 t/t"),
         "enterprises[0] (smelter).rates",
         ("creates mass from nothing",)),
    Case("stockpile_below_zero",
         _set(("links", 2, "quantity"), "1200 t/a"),
         "links[2] (slag_yard>cement_plant:nickel_slag).quantity",
         ("1200 t/a", "only 1000 t left", "below zero"),
         stage="balance"),
    Case("fixed_quantity_above_supplier_output",
         _fixed_slag_quantity,
         "links[0] (smelter>cement_plant:nickel_slag).quantity",
         ("550 t/a", "only 500 t left"),
         stage="balance"),
    Case("solid_waste_without_destination",
         _set(("boundary", 0, "default_for"), None),
         "enterprises[0] (smelter).rates.nickel_slag",
         ("no destination", "nickel_slag", "general_solid_waste"),),
    # --- YAML ---------------------------------------------------------------------------
    Case("yaml_syntax_error",
         _text(VALID_HEAD + "enterprises:\n  - id: smelter\n   activity: {carrier: cement}\n"),
         "line 7, column 4",
         ("YAML syntax error",)),
    Case("empty_file", _text(""), "", ("empty",)),
    Case("only_a_comment", _text("# nothing here yet\n"), "", ("empty",)),
    Case("python_object_tag", _python_tag, "line 1, column 7",
         ("YAML tag '!!python/object/apply:os.system' is not allowed",)),
    Case("duplicate_key",
         lambda _: (MINI_TEXT.replace("      raw_coal: -2 t/t\n",
                                      "      raw_coal: -2 t/t\n      raw_coal: -3 t/t\n")),
         "line 15, column 7",
         ("duplicate key 'raw_coal'",)),
    Case("list_as_key", _text(VALID_HEAD + "? [a, b]\n: 1\n"), "line 5, column 3",
         ("list or mapping used as a key",)),
    Case("top_level_list", _text("- park: mini\n- enterprises: []\n"), "top level",
         ("expected a mapping", "list")),
    # --- files --------------------------------------------------------------------------
    Case("non_utf8_file",
         lambda _: MINI_TEXT.encode("gbk"),
         "line 5",  # name_zh: 迷你园区
         ("not UTF-8",)),
    # --- schema -------------------------------------------------------------------------
    Case("misspelled_field",
         _misspelled_capacity,
         "enterprises[0] (smelter).activity.capacty",
         ("unknown field 'capacty'", "did you mean 'capacity'?")),
    Case("misspelled_field_in_sourced_value",
         _set(("enterprises", 0, "rates", "raw_coal"), {"value": "-2 t/t", "sorce": "survey"}),
         "enterprises[0] (smelter).rates.raw_coal.sorce",
         ("unknown field 'sorce'", "did you mean 'source'?")),
    Case("empty_rate",
         _set(("enterprises", 0, "rates", "raw_coal"), ""),
         "enterprises[0] (smelter).rates.raw_coal",
         ("not a number followed by a unit",)),
    Case("rate_given_as_list",
         _set(("enterprises", 0, "rates", "raw_coal"), ["-2 t/t"]),
         "enterprises[0] (smelter).rates.raw_coal",
         ("expected a quantity such as '150 kt/a'", "found a list")),
    Case("missing_required_field",
         _set(("park", "base_year"), None),
         "park.base_year",
         ("required",)),
    Case("target_unknown_indicator",
         _set(("targets", 0, "indicator"), "recycling_rate"),
         "targets[0].indicator",
         ("unknown indicator 'recycling_rate'", "solid_waste_utilisation_rate")),
    Case("rate_target_above_100_percent",
         _set(("targets", 0, "value"), "173 %"),
         "targets[0].value",
         ("173 %", "outside 0–100 %")),
]


def _add_boundary(node: Park) -> Callable[[Path], Park]:
    def make(_: Path) -> Park:
        data = mini_park()
        data["boundary"].append(node)
        return data

    return make


_RATE = ("enterprises", 0, "rates", "raw_coal")
_SMELTER = "enterprises[0] (smelter)"
# Issue 12: values that parse but make no sense, each refused where it stands.
DOMAIN_CASES = [
    Case("negative_water_recirculation",
         _set(("enterprises", 0, "water_recirculation"), "-7 m**3/t"),
         f"{_SMELTER}.water_recirculation", ("negative", "≥ 0")),
    Case("negative_value_added",
         _set(("enterprises", 1, "value_added"), "-100 元/t"),
         "enterprises[1] (cement_plant).value_added", ("negative",)),
    Case("infinite_rate", _set(_RATE, "-1e400 t/t"), f"{_SMELTER}.rates.raw_coal",
         ("not a finite number",)),
    Case("nan_rate", _set(_RATE, float("nan")), f"{_SMELTER}.rates.raw_coal",
         ("not a finite number",)),
    Case("rate_overflows_after_conversion", _set(_RATE, "-1e308 kt/t"),
         f"{_SMELTER}.rates.raw_coal", ("beyond the range",)),
    Case("rate_beyond_its_range", _set(_RATE, "-1e12 t/t"), f"{_SMELTER}.rates.raw_coal",
         ("outside the accepted range",)),
    Case("level_beyond_its_range",
         _set(("enterprises", 1, "activity"), {"carrier": "cement", "capacity": "1e16 t/a",
                                               "level": "1e16 t/a"}),
         "enterprises[1] (cement_plant).activity.capacity", ("outside the accepted range",),
         problems=2),
    Case("unit_power_tower", _set(_RATE, "-2 t/t*9**9**9"), f"{_SMELTER}.rates.raw_coal",
         ("power",)),
    Case("quantity_of_15k_spaces", _set(_RATE, "-2" + " " * 15_000 + "t/t"),
         f"{_SMELTER}.rates.raw_coal", ("too long for a quantity",)),
    Case("value_is_a_list_inside_a_mapping", _set(_RATE, {"value": [1], "source": "x"}),
         f"{_SMELTER}.rates.raw_coal.value", ("expected a quantity", "found a list of 1 items")),
    Case("target_year_huge", _set(("targets", 0, "year"), 2**62), "targets[0].year",
         ("must be ≤ 2200",)),
    Case("base_year_after_2200", _set(("park", "base_year"), 2300), "park.base_year",
         ("must be ≤ 2200",)),
    Case("level_year_out_of_range",
         _set(("enterprises", 0, "activity", "level"), {2016: "100 t/a", 2500: "110 t/a"}),
         f"{_SMELTER}.activity.level.2500", ("2500", "outside 1900–2200")),
    Case("link_since_before_1900", _set(("links", 1, "since"), 1800), "links[1].since",
         ("must be ≥ 1900",)),
    Case("empty_level_mapping", _set(("enterprises", 1, "activity", "level"), {}),
         "enterprises[1] (cement_plant).activity.level", ("no level given",)),
    Case("market_redeclared_as_disposal", _add_boundary({"id": "market", "kind": "disposal"}),
         "boundary[1] (market).kind", ("reserved id", "market")),
    Case("environment_redeclared_as_stockpile",
         _add_boundary({"id": "environment", "kind": "stockpile", "carrier": "co2"}),
         "boundary[1] (environment).kind", ("reserved id",)),
]
MINI_TEXT = (Path(__file__).parent / "data" / "parks" / "mini.yaml").read_text(encoding="utf-8")
BY_ID = {case.id: case for case in CASES + DOMAIN_CASES}


def _expect_message(message: str, path: Path, case: Case) -> None:
    """File, location, problem words and a fix line, with the file and location together."""
    where = f"{path.name}: {case.location}: " if case.location else f"{path.name}: "
    assert where in message, message
    for word in case.words:
        assert word in message, f"{word!r} not in:\n{message}"
    assert "\n  fix: " in message, message
    assert "Traceback" not in message


def _make(case: Case, folder: Path) -> Path:
    return write_park(folder, case.content(folder))


# --- Python API -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES + DOMAIN_CASES, ids=lambda c: c.id)
def test_api_raises_located_error(case: Case, tmp_path: Path) -> None:
    path = _make(case, tmp_path)
    if case.stage == "balance":  # the file is sound; the year's activity is not
        park = mfa.load_park(path)
        with pytest.raises(mfa.ParkFlowError) as info:
            park.balance()
    else:
        with pytest.raises(mfa.ParkFlowError) as info:
            mfa.load_park(path)
    _expect_message(str(info.value), path, case)
    assert len(info.value.problems) == case.problems, str(info.value)


def test_python_tag_is_not_executed(tmp_path: Path) -> None:
    path = _make(BY_ID["python_object_tag"], tmp_path)
    with pytest.raises(mfa.ParkFlowError):
        mfa.load_park(path)
    assert not (tmp_path / "executed").exists()


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("# a comment line\n")
        stream.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park(path)
    message = str(info.value)
    assert "huge.yaml: " in message
    assert "104.9 MB" in message and "limit" in message
    assert "\n  fix: " in message
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "limit" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park(path)
    assert "nowhere.yaml: file not found" in str(info.value)
    assert "\n  fix: " in str(info.value)
    out = tmp_path / "out"
    result = run_cli("balance", path, "--out", out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "file not found" in result.stderr
    assert not out.exists()


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park(tmp_path)
    assert f"{tmp_path}: is a folder, not a file" in str(info.value)
    result = run_cli("check", tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "is a folder" in result.stderr


def test_missing_builtin_name() -> None:
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park("no_such_park")
    assert "no_such_park: is neither a park file nor a built-in park" in str(info.value)
    assert "jinchang" in str(info.value)  # the fix lists the built-in names


def test_misspelled_field_is_one_problem_with_a_suggestion(tmp_path: Path) -> None:
    """The missing 'capacity' is the same mistake as the extra 'capacty': one message."""
    path = _make(BY_ID["misspelled_field"], tmp_path)
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park(path)
    assert "did you mean 'capacity'" in str(info.value)


def test_year_before_every_level(tmp_path: Path) -> None:
    path = write_park(tmp_path, mini_park())
    park = mfa.load_park(path)
    with pytest.raises(mfa.ParkFlowError) as info:
        park.balance(2010)
    message = str(info.value)
    assert "park.yaml: enterprises[0] (smelter).activity.level: " in message
    assert "no activity level for 2010" in message
    assert "\n  fix: " in message
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("balance", path, "--year", "2010", "--out", out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "no activity level for 2010" in result.stderr
    assert "enterprises[0] (smelter).activity.level" in result.stderr
    assert list(out.iterdir()) == []


def test_out_is_an_existing_file(tmp_path: Path) -> None:
    path = write_park(tmp_path, mini_park())
    target = tmp_path / "results.csv"
    target.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(mfa.ParkFlowError) as info:
        write_tables({}, target)
    assert "results.csv: exists and is not a folder" in str(info.value)
    assert "\n  fix: " in str(info.value)
    result = run_cli("balance", path, "--out", target)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "results.csv: exists and is not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["park.yaml", "results.csv"]


# --- CLI ------------------------------------------------------------------------------------


def _expect_cli_failure(result: Any, path: Path, case: Case) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    _expect_message(result.stderr, path, case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cli_balance_exits_2_and_writes_nothing(case: Case, tmp_path: Path) -> None:
    park_dir = tmp_path / "in"
    park_dir.mkdir()
    path = _make(case, park_dir)
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("balance", path, "--out", out)
    _expect_cli_failure(result, path, case)
    assert list(out.iterdir()) == []
    assert not (park_dir / "executed").exists()


@pytest.mark.parametrize("case_id", ["stockpile_below_zero", "unknown_carrier_in_rates",
                                     "yaml_syntax_error", "negative_value_added",
                                     "market_redeclared_as_disposal", "rate_beyond_its_range"])
def test_cli_check_exits_2(case_id: str, tmp_path: Path) -> None:
    case = BY_ID[case_id]
    path = _make(case, tmp_path)
    _expect_cli_failure(run_cli("check", path), path, case)


def test_messages_are_short_and_in_parkflow_words(tmp_path: Path) -> None:
    """No internal union tags or raw pydantic phrases; no value rendered in full."""
    for case in [*CASES, *DOMAIN_CASES]:
        path = _make(case, tmp_path)
        with pytest.raises(mfa.ParkFlowError) as info:
            mfa.load_park(path).balance()
        message = str(info.value)
        for phrase in (".str:", ".float:", ".int:", ".Sourced", "Input should", "Field required",
                       "Extra inputs", "pydantic", "dict[", "function-"):
            assert phrase not in message, f"{case.id}: {phrase!r} in\n{message}"
        assert len(message) < 2000 * len(info.value.problems), case.id
