"""The package's one pint registry and the converters used at the edges.

Quantities are read as strings such as ``"150 kt/a"``, ``"-3.5 t/t"``, ``"2.1 万元/t"`` or
``"20 GJ/t"`` and converted once to plain floats in canonical units. The numeric core never
sees a ``Quantity``.
"""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pint


@functools.cache
def registry() -> pint.UnitRegistry[Any]:
    """The package's one pint registry, built on first use (pint costs ~0.25 s to set up, which
    ``parkflow --help`` should not pay) and made pint's application registry."""
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(on_redefinition="ignore")
    # "kt" is a knot in pint's defaults; in this field it is always a kilotonne.
    ureg.define("kilotonne = 1000 * metric_ton = kt")
    # Chinese numeral prefixes used in statistics: 万 = 10^4, 亿 = 10^8.
    ureg.define("wan- = 1e4 = 万-")
    ureg.define("yi- = 1e8 = 亿-")
    # Currencies are separate dimensions: converting between them needs an exchange rate and
    # a price year, which a model must state explicitly rather than have a registry guess.
    ureg.define("yuan = [currency_cny] = 元 = CNY = RMB")
    ureg.define("danish_krone = [currency_dkk] = DKK")
    ureg.define("us_dollar = [currency_usd] = USD")
    ureg.define("euro = [currency_eur] = EUR")
    # Standard coal equivalent (GB/T 2589): 1 kgce = 29.3076 MJ (7000 kcal).
    ureg.define("tce = 29.3076 * gigajoule = 吨标准煤")
    ureg.define("kgce = 29.3076 * megajoule")
    ureg.add_context(_water_context(ureg))
    pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]
    return ureg


def _water_context(ureg: pint.UnitRegistry[Any]) -> Any:
    """m³ ↔ t for water at 1 t/m³."""
    import pint

    density = ureg.Quantity(1.0, "t/m**3")

    def to_volume(ureg: Any, value: Any, **kwargs: Any) -> Any:
        return value / density

    def to_mass(ureg: Any, value: Any, **kwargs: Any) -> Any:
        return value * density

    water = pint.Context("water")
    water.add_transformation("[mass]", "[length] ** 3", to_volume)
    water.add_transformation("[length] ** 3", "[mass]", to_mass)
    return water


CURRENCIES = {"CNY": "yuan", "DKK": "DKK", "USD": "USD", "EUR": "EUR"}
_NUMBER_THEN_UNIT = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")


class UnitProblem(ValueError):
    """A quantity string that cannot be read or converted; the message says why."""


@functools.lru_cache(maxsize=4096)
def _factor(unit_text: str, target: str, water: bool) -> float:
    """Multiplier from ``unit_text`` to ``target``; cached so files with thousands of entries
    parse each distinct unit only once."""
    import pint

    ureg = registry()
    parsed = ureg.parse_expression(unit_text) if unit_text else 1.0
    source = parsed if isinstance(parsed, ureg.Quantity) else ureg.Quantity(float(parsed))
    try:
        if water:
            with ureg.context("water"):
                return float(source.to(target).magnitude)
        return float(source.to(target).magnitude)
    except pint.DimensionalityError as err:
        expected = ureg.Quantity(1.0, target).dimensionality
        wanted = "a ratio of like quantities" if not expected else f"dimension {expected}"
        raise UnitProblem(
            f"unit '{unit_text or 'none'}' has dimension {source.dimensionality}, "
            f"expected {wanted} (like '{pretty(target)}')"
        ) from err


def pretty(unit: str) -> str:
    """``(t)/(t)`` → ``t/t``: drop the grouping parentheses around single units."""
    return re.sub(r"\(([^()/*\s]+(?:\*\*\d+)?)\)", r"\1", unit)


def split_quantity(text: str | float | int) -> tuple[float, str]:
    """Split ``"150 kt/a"`` into ``(150.0, "kt/a")``; a bare number has no unit."""
    if isinstance(text, bool):
        raise UnitProblem(f"expected a quantity such as '150 kt/a', got {text!r}")
    if isinstance(text, int | float):
        return float(text), ""
    match = _NUMBER_THEN_UNIT.match(str(text))
    if not match:
        raise UnitProblem(f"'{text}' is not a number followed by a unit (e.g. '150 kt/a')")
    return float(match.group(1)), match.group(2)


# 万 and 亿 scale the unit they stand before, not its base: "万m**3" is 10⁴ m³ (万立方米),
# whereas a pint prefix would make it (10⁴ m)³. Rewrite them as a factor on the whole unit.
_CHINESE_FACTOR = re.compile(r"(万|亿)([A-Za-z_\u4e00-\u9fff]+(?:\s*\*\*\s*\d+|[²³])?)")
_PREFIXED_CUBE = re.compile(r"(?<![A-Za-z_])([kMG])m(\s*\*\*\s*3|³)")


def _normalise(unit_text: str) -> str:
    cube = _PREFIXED_CUBE.search(unit_text)
    if cube:
        raise UnitProblem(
            f"'{cube.group(0)}' means a cubic {dict(k='kilo', M='mega', G='giga')[cube.group(1)]}"
            f"metre, not {dict(k='a thousand', M='a million', G='a billion')[cube.group(1)]} m³; "
            "write e.g. '3e6 m**3/a' or '300 万m**3/a'"
        )
    return _CHINESE_FACTOR.sub(
        lambda m: f"({'1e4' if m.group(1) == '万' else '1e8'}*{m.group(2)})", unit_text
    )


def to_canonical(text: str | float | int, target: str, *, water: bool = False) -> float:
    """Convert a quantity string to a float in ``target`` units.

    Parameters
    ----------
    text
        e.g. ``"150 kt/a"``. A bare number is accepted only when ``target`` is dimensionless.
    target
        Canonical unit expression, e.g. ``"t/a"``.
    water
        Allow the m³ ↔ t conversion (density 1 t/m³) used for water carriers.

    Raises
    ------
    UnitProblem
        With a message naming the unit, its dimension and the expected one.
    """
    import pint

    value, unit_text = split_quantity(text)
    try:
        factor = _factor(_normalise(unit_text), target, water)
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError) as err:
        raise UnitProblem(f"unknown unit '{unit_text}' in '{text}'") from err
    except UnitProblem:
        raise
    except Exception as err:  # pint raises assorted parser errors on garbage
        raise UnitProblem(f"cannot read the unit '{unit_text}' in '{text}': {err}") from err
    result = value * factor
    if not math.isfinite(result):
        raise UnitProblem(f"'{text}' is not a finite number")
    return result
