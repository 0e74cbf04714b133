"""How a unit reads in a report or a figure of each language (mfa.units.display_unit)."""

from __future__ import annotations

import pytest

from mfa.units import display_unit


@pytest.mark.parametrize(("unit", "zh", "en"), [
    ("yuan/t", "元/t", "CNY/t"),
    ("yuan/MWh", "元/MWh", "CNY/MWh"),
    ("CNY/m**3", "元/m³", "CNY/m³"),
    ("m**3/MWh", "m³/MWh", "m³/MWh"),
    ("m³/万元", "m³/万元", "m³/10⁴ CNY"),
    ("万元/tce", "万元/tce", "10⁴ CNY/tce"),
    ("亿元/km²", "亿元/km²", "10⁸ CNY/km²"),
    ("day", "天", "d"),
    ("dimensionless", "", ""),
    ("t/t", "t/t", "t/t"),
    ("DKK/t", "DKK/t", "DKK/t"),
    ("%", "%", "%"),
    ("", "", ""),
])
def test_units_read_in_the_language(unit: str, zh: str, en: str) -> None:
    assert display_unit(unit, "zh") == zh
    assert display_unit(unit, "en") == en
