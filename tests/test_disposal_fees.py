"""Disposal fees and prices of the carrier catalogue: parsed by one money parser, per
canonical unit, with range checks naming the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mfa.errors import ParkFlowError
from mfa.io.catalogue import load_catalogue


def _write(tmp_path: Path, **money: object) -> Path:
    carrier = {"id": "slag", "name_zh": "渣", "name_en": "Slag", "class": "general_solid_waste",
               "unit": "t", **money}
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({"carriers": [carrier]}, allow_unicode=True),
                                     encoding="utf-8")
    return tmp_path


def test_fee_parsed_per_canonical_unit(tmp_path: Path) -> None:
    # 25 元/t = 0.025 元/kg; given per kg it converts back to 25 per t.
    folder = _write(tmp_path, disposal_fee={"value": "0.025 元/kg", "low": "0 元/t",
                                            "high": "45 元/t", "year": 2016,
                                            "source": "tax table [V]"})
    slag = load_catalogue(folder)["slag"]
    assert slag.disposal_fee_per_unit == pytest.approx(25.0)
    assert (slag.disposal_fee_currency, slag.disposal_fee_year) == ("CNY", 2016)
    assert slag.sources["disposal_fee"] == "tax table [V]"
    assert slag.price_per_unit is None


def test_dkk_fee(tmp_path: Path) -> None:
    folder = _write(tmp_path, disposal_fee={"value": "300 DKK/t", "source": "landfill tax [R]"})
    slag = load_catalogue(folder)["slag"]
    assert (slag.disposal_fee_per_unit, slag.disposal_fee_currency) == (300.0, "DKK")


@pytest.mark.parametrize(("money", "field", "words"), [
    ({"disposal_fee": {"value": "25 t", "source": "x [A]"}}, "disposal_fee.value", "per t"),
    ({"disposal_fee": {"value": "25 元/t", "low": "30 元/t", "source": "x [A]"}},
     "disposal_fee", "outside"),
    ({"disposal_fee": {"value": "-5 元/t", "source": "x [A]"}}, "disposal_fee", "negative"),
    ({"disposal_fee": {"value": "25 元/t", "high": "40 DKK/t", "source": "x [A]"}},
     "disposal_fee.high", "in CNY"),
    ({"price": {"value": "80 元/t", "low": "100 元/t", "source": "x [A]"}}, "price", "outside"),
])
def test_bad_money_named(tmp_path: Path, money: dict[str, object], field: str,
                         words: str) -> None:
    folder = _write(tmp_path, **money)
    with pytest.raises(ParkFlowError) as error:
        load_catalogue(folder)
    problem = error.value.problems[0]
    assert "a.yaml" in str(error.value)
    assert problem.location == f"carriers[0] (slag).{field}"
    assert words in problem.message


def test_builtin_fees() -> None:
    """The 环境保护税 rates: 煤矸石 5, 尾矿 15, 冶炼渣 25, 危险废物 1000 元/t."""
    catalogue = load_catalogue()
    fees = {c: catalogue[c].disposal_fee_per_unit for c in
            ("coal_gangue", "tailings", "nickel_slag", "fly_ash", "hazardous_waste")}
    assert fees == {"coal_gangue": 5, "tailings": 15, "nickel_slag": 25, "fly_ash": 25,
                    "hazardous_waste": 1000}
    assert catalogue["wastewater"].disposal_fee_per_unit == 1.5
    assert catalogue["imported_steam_coal"].price_currency == "DKK"
