"""Limits at the edge (issue 12): each hostile file is refused quickly with a clear message
naming the file, the place, the limit and the fix, whichever YAML parser is installed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import MINI, mini_park, write_park

import mfa
from mfa.io import limits, yamlio
from mfa.paths import builtin_parks
from mfa.units import UnitProblem, split_quantity, to_canonical

MINI_TEXT = MINI.read_text(encoding="utf-8")
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__, autouse=True)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs with the C parser (libyaml) and the pure-Python one."""
    monkeypatch.setattr(yamlio, "_Loader", request.param)
    yield


def _refused(tmp_path: Path, text: str | bytes, *words: str, seconds: float = 2.0) -> str:
    path = write_park(tmp_path, text)
    start = time.perf_counter()
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park(path)
    assert time.perf_counter() - start < seconds
    message = str(info.value)
    assert f"{path}: " in message, message
    assert "\n  fix: " in message, message
    for word in words:
        assert word in message, f"{word!r} not in {message}"
    assert len(message) < 1000, message
    return message


def test_the_default_loader_is_libyaml_where_installed() -> None:
    assert (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader) in LOADERS


def test_same_data_as_pyyaml_for_every_builtin_park() -> None:
    for path in [*builtin_parks().values(), MINI]:
        text = path.read_text(encoding="utf-8")
        assert yamlio.parse_yaml(text, path) == yaml.safe_load(text), path.name


@pytest.mark.parametrize("depth", [500, 20_000])
def test_deep_flow_nesting(tmp_path: Path, depth: int) -> None:
    text = MINI_TEXT + "nested: " + "[" * depth + "]" * depth + "\n"
    _refused(tmp_path, text, "line ", "nesting deeper than 32 levels")


def test_deep_block_nesting(tmp_path: Path) -> None:
    text = MINI_TEXT + "".join("  " * i + f"k{i}:\n" for i in range(600)) + "  " * 600 + "v\n"
    _refused(tmp_path, text, "nesting deeper than 32 levels", "PARKFLOW_MAX_DEPTH")


def test_billion_laughs_is_refused_at_the_first_alias(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    _refused(tmp_path, "\n".join(lines) + "\n" + MINI_TEXT, "line 2", "aliases", seconds=0.5)


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    _refused(tmp_path, "<<: {x: 1}\n" + MINI_TEXT, "line 1", "merge keys")


@pytest.mark.parametrize(("value", "words"), [
    ("!!float 'x'", ("'x' is not a valid !!float value",)),
    ("!!timestamp 2016-13-45", ("'2016-13-45' is not a valid !!timestamp value",)),
    ("!!int 1.5", ("!!int",)),
    ("!!binary aGVsbG8=", ("YAML tag '!!binary' is not allowed",)),
    ("!!set {a, b}", ("YAML tag '!!set' is not allowed",)),
    ("!custom 1", ("YAML tag '!custom' is not allowed",)),
    ("!!python/name:os.system", ("YAML tag '!!python/name:os.system' is not allowed",)),
])
def test_tags(tmp_path: Path, value: str, words: tuple[str, ...]) -> None:
    text = MINI_TEXT.replace("value_added: 100 元/t", f"value_added: {value}")
    assert text != MINI_TEXT
    _refused(tmp_path, text, "line 28", *words)


def test_a_tag_is_refused_before_any_constructor_runs(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"park: !!python/object/apply:os.system [\"touch '{marker}'\"]\n"
    _refused(tmp_path, text, "line 1", "not allowed")
    assert not marker.exists()


@pytest.mark.parametrize("number", ["99999999999999999999", "1" + "0" * 400, "-" + "9" * 5000])
def test_integers_beyond_int64(tmp_path: Path, number: str) -> None:
    text = MINI_TEXT.replace("price_base_year: 2016", f"price_base_year: {number}")
    message = _refused(tmp_path, text, "line 8", "too large")
    assert "0" * 50 not in message and "9" * 50 not in message


def test_a_very_long_string(tmp_path: Path) -> None:
    text = MINI_TEXT.replace("name_en: Mini park", "name_en: " + "x" * 30_000)
    message = _refused(tmp_path, text, "line 6", "30,000 characters", "20,000",
                       "PARKFLOW_MAX_STRING_CHARS")
    assert "x" * 50 not in message


def test_a_lone_surrogate_is_reported(tmp_path: Path) -> None:
    text = MINI_TEXT.replace("name_en: Mini park", 'name_en: "Mini \\ud800 park"')
    _refused(tmp_path, text, "line 6")


def test_two_documents(tmp_path: Path) -> None:
    _refused(tmp_path, MINI_TEXT + "---\nmore: 1\n", "more than one YAML document")


def test_truncated_file(tmp_path: Path) -> None:
    _refused(tmp_path, MINI_TEXT[: MINI_TEXT.index("links:") + 30])


def test_oversized_file_limit_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setenv("PARKFLOW_MAX_FILE_BYTES", "1000")
    _refused(tmp_path, MINI_TEXT, "above the 0.0 MB limit", "PARKFLOW_MAX_FILE_BYTES")
    monkeypatch.setenv("PARKFLOW_MAX_FILE_BYTES", "1000000")
    mfa.load_park(write_park(tmp_path, MINI_TEXT))


def test_enterprise_and_link_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARKFLOW_MAX_ENTERPRISES", "1")
    monkeypatch.setenv("PARKFLOW_MAX_LINKS", "2")
    message = _refused(tmp_path, MINI_TEXT, "enterprises: 2 entries, above the limit of 1",
                       "PARKFLOW_MAX_ENTERPRISES=2", "links: 3 entries, above the limit of 2")
    assert "2 problems" in message
    monkeypatch.setenv("PARKFLOW_MAX_ENTERPRISES", "50000")
    monkeypatch.delenv("PARKFLOW_MAX_LINKS")
    mfa.load_park(write_park(tmp_path, MINI_TEXT))


@pytest.mark.parametrize("value", ["many", "-3", "0", "1e3"])
def test_a_bad_limit_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PARKFLOW_MAX_LINKS", value)
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.load_park(write_park(tmp_path, MINI_TEXT))
    assert "$PARKFLOW_MAX_LINKS" in str(info.value)


def test_defaults_are_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "limits.md").read_text(encoding="utf-8")
    defaults = limits.Limits()
    for name in limits.Limits.__dataclass_fields__:
        assert f"PARKFLOW_MAX_{name.upper()}" in docs, name
        assert f"{getattr(defaults, name):,}" in docs, name
    for field, allowed in limits.FIELD_RANGES.items():
        assert f"`{field}`" in docs, field
        assert f"{allowed.high:g}" in docs, field
    for reserved in limits.RESERVED_IDS:
        assert f"`{reserved}`" in docs
    for number in (limits.MIN_YEAR, limits.MAX_YEAR, limits.MAX_QUANTITY_CHARS,
                   limits.MAX_UNIT_CHARS, limits.MAX_ID_CHARS):
        assert str(number) in docs


# --- quantities: linear parsing, bounded unit expressions, finite numbers -----------------


@pytest.mark.parametrize("spaces", [1_000, 100_000])
def test_quantity_parsing_is_linear(spaces: int) -> None:
    text = "1" + " " * spaces + "t"
    start = time.perf_counter()
    with pytest.raises(UnitProblem, match="too long"):
        split_quantity(text)
    assert split_quantity("1" + " " * 150 + "t/a  ") == (1.0, "t/a")
    assert time.perf_counter() - start < 0.05


@pytest.mark.parametrize("unit", ["t/t*9**9**9", "t**99", "((t**9)**9)**9", "t/t*(9**9)",
                                  "t^9^9", "t/t*" + "(" * 40 + "t" + ")" * 40, "t/t;import os"])
def test_unit_expressions_are_bounded(unit: str) -> None:
    start = time.perf_counter()
    with pytest.raises(UnitProblem):
        to_canonical(f"1 {unit}", "t/t")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("text", ["1e308 Mt/a", "1e400 t/a", "nan t/a", "-inf t/a"])
def test_quantities_are_finite_before_and_after_conversion(text: str) -> None:
    with pytest.raises(UnitProblem):
        to_canonical(text, "t/a")


@pytest.mark.parametrize("number", [10**400, float("nan"), float("inf")])
def test_numbers_given_through_the_api_are_finite(number: float) -> None:
    data = mini_park()
    data["enterprises"][0]["activity"]["capacity"] = number
    with pytest.raises(mfa.ParkFlowError) as info:
        mfa.park_from_dict(data, source="api")
    assert "enterprises[0] (smelter).activity.capacity" in str(info.value)


def test_unit_powers_that_parks_use_still_work() -> None:
    assert to_canonical("3 m**3/t", "m**3/t") == 3
    assert to_canonical("300 万m**3/a", "m**3/a") == pytest.approx(3e6)
    assert to_canonical("2 m³/t", "m**3/t") == 2
    assert to_canonical("1 t/(100 t)", "t/t") == pytest.approx(0.01)
