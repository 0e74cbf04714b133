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

from .errors import shown

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
_POWERS = {"**2": "²", "**3": "³"}
_WORDS = {"zh": {"yuan": "元", "CNY": "元", "day": "天", "dimensionless": ""},
          "en": {"yuan": "CNY", "万元": "10⁴ CNY", "亿元": "10⁸ CNY", "元": "CNY", "day": "d",
                 "dimensionless": ""}}
_UNIT_WORD = re.compile(r"万元|亿元|元|[A-Za-z]+")


def display_unit(unit: str, lang: str) -> str:
    """A unit as a report or figure shows it in ``lang`` ("zh" or "en"): ``yuan/t`` is
    ``元/t`` / ``CNY/t``, ``万元`` is ``10⁴ CNY`` in English, ``m**3`` is ``m³``, and
    ``dimensionless`` is shown as nothing."""
    for power, superscript in _POWERS.items():
        unit = unit.replace(power, superscript)
    words = _WORDS["zh" if lang == "zh" else "en"]
    return _UNIT_WORD.sub(lambda m: words.get(m.group(0), m.group(0)), unit).strip()
# Matched at the start of the stripped text only, never backtracking over the rest: linear.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
MAX_QUANTITY_CHARS = 200  # "150 kt/a" and the like; a longer quantity is a mistake
MAX_UNIT_CHARS = 64
MAX_UNIT_EXPONENT = 9  # a power only on a unit name, one digit: "m**3", never "9**9**9"
_UNIT_CHARS = re.compile(r"[\w\s*/^().%°µ²³+-]*")  # \w covers letters, digits, 万, 亿, _
_UNIT_POWER = re.compile(r"(?<=[^\W\d])\s*(?:\*\*|\^)\s*[+-]?\d(?![\d.])")


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
    """Split ``"150 kt/a"`` into ``(150.0, "kt/a")``; a bare number has no unit.

    Linear in the length of ``text`` (which is bounded anyway), whatever it holds.
    """
    if isinstance(text, bool) or not isinstance(text, str | float | int):
        raise UnitProblem(f"expected a quantity such as '150 kt/a', got {shown(text)}")
    if isinstance(text, int | float):
        return _finite(text, text), ""
    if len(text) > MAX_QUANTITY_CHARS:
        raise UnitProblem(f"'{shown(text)}' is too long for a quantity (more than "
                          f"{MAX_QUANTITY_CHARS} characters)")
    stripped = text.strip()
    match = _NUMBER.match(stripped)
    if not match:
        raise UnitProblem(f"'{shown(text)}' is not a number followed by a unit (e.g. '150 kt/a')")
    return _finite(float(match.group(0)), text), stripped[match.end():].strip()


def _finite(number: float | int, text: object) -> float:
    try:
        value = float(number)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise UnitProblem(f"'{shown(text)}' is not a finite number")
    return value


def check_unit_text(unit_text: str) -> None:
    """Refuse a unit expression that is long, holds odd characters, or raises anything but a
    unit name to a one-digit power (pint would evaluate ``9**9**9`` without bound)."""
    if len(unit_text) > MAX_UNIT_CHARS:
        raise UnitProblem(f"unit '{shown(unit_text)}' is too long (more than {MAX_UNIT_CHARS} "
                          "characters)")
    if not _UNIT_CHARS.fullmatch(unit_text):
        raise UnitProblem(f"unit '{shown(unit_text)}' holds characters no unit has")
    rest = _UNIT_POWER.sub("", unit_text)
    if "**" in rest or "^" in rest:
        raise UnitProblem(f"unit '{shown(unit_text)}' has a power ParkFlow does not accept: "
                          f"only a unit name to a whole power up to {MAX_UNIT_EXPONENT}, "
                          "e.g. 'm**3'")


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
    check_unit_text(unit_text)
    try:
        factor = _factor(_normalise(unit_text), target, water)
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError) as err:
        raise UnitProblem(f"unknown unit '{shown(unit_text)}' in '{shown(text)}'") from err
    except UnitProblem:
        raise
    except Exception as err:  # pint raises assorted parser errors on garbage
        raise UnitProblem(f"cannot read the unit '{shown(unit_text)}' in '{shown(text)}' "
                          f"({type(err).__name__})") from err
    result = value * factor
    if not math.isfinite(result):
        raise UnitProblem(f"'{shown(text)}' is beyond the range of numbers once converted to "
                          f"'{pretty(target)}'")
    return result
