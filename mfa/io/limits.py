"""The limits every input file is held to, in one place (``docs/limits.md`` lists them).

Sizes and counts guard the reader against hostile or runaway files; ranges and sign rules
guard the model against values that parse but make no sense. The counts that a large study
may legitimately exceed can be raised with environment variables (``PARKFLOW_MAX_…``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import MAX_INT, SHOWN_CHARS, ParkFlowError, shown
from ..units import MAX_QUANTITY_CHARS, MAX_UNIT_CHARS, MAX_UNIT_EXPONENT

MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_ID_CHARS = 100
MAX_PRIORITY = 1_000_000
RESERVED_IDS = {"market": "market", "environment": "environment"}  # id → the only kind it may have

__all__ = ["MAX_INT", "MAX_QUANTITY_CHARS", "MAX_UNIT_CHARS", "MAX_UNIT_EXPONENT", "SHOWN_CHARS",
           "described", "shown"]


@dataclass(frozen=True)
class Limits:
    """Size limits of one file; see ``docs/limits.md``.

    Attributes
    ----------
    file_bytes
        Largest file read (a large real park is about 1 MB).
    depth
        Deepest nesting of mappings and lists (a park needs 6).
    string_chars
        Longest text value or key (sources and notes run to about 1,000 characters).
    enterprises, links, boundary, targets, carriers
        Most entries of each list in a park file (``carriers``: the park's own carriers).
    """

    file_bytes: int = 10 * 1024 * 1024
    depth: int = 32
    string_chars: int = 20_000
    enterprises: int = 10_000
    links: int = 100_000
    boundary: int = 1_000
    targets: int = 1_000
    carriers: int = 1_000


ENV_PREFIX = "PARKFLOW_MAX_"


def current() -> Limits:
    """The limits in force: the defaults, raised or lowered by ``PARKFLOW_MAX_<NAME>``
    environment variables (e.g. ``PARKFLOW_MAX_ENTERPRISES=50000``)."""
    values: dict[str, int] = {}
    for name in Limits.__dataclass_fields__:
        text = os.environ.get(ENV_PREFIX + name.upper())
        if text is None:
            continue
        try:
            number = int(text)
        except ValueError:
            number = 0
        if not 0 < number <= MAX_INT:
            raise ParkFlowError.single(
                f"${ENV_PREFIX}{name.upper()}", "", f"'{shown(text)}' is not a positive number",
                "set it to a whole number such as 50000, or unset it",
            )
        values[name] = number
    return Limits(**values)


@dataclass(frozen=True)
class Range:
    """The accepted values of one numeric field, in its canonical unit."""

    low: float
    high: float
    rule: str  # the sign rule in words, for messages and the docs


LEVEL = Range(0.0, 1e15, "≥ 0")
PER_UNIT = Range(-1e9, 1e9, "any sign (− consumed, + produced)")
PER_UNIT_POSITIVE = Range(0.0, 1e9, "≥ 0")

FIELD_RANGES: dict[str, Range] = {
    "activity.capacity": LEVEL,
    "activity.level": LEVEL,
    "rates": PER_UNIT,
    "value_added": PER_UNIT_POSITIVE,
    "water_recirculation": PER_UNIT_POSITIVE,
    "links.quantity": LEVEL,
    "links.cap": LEVEL,
    "links.substitutes.ratio": Range(1e-6, 1e6, "> 0 (at least 1e-6)"),
    "boundary.opening_stock": LEVEL,
    "boundary.capacity": LEVEL,
    "targets.value": Range(-1e15, 1e15, "any sign"),
    "industrial_land": Range(1e-6, 1e9, "> 0"),
    "waste_heat_resource": PER_UNIT_POSITIVE,
    "operation.availability": Range(0.0, 1.0, "between 0 and 1"),
    "operation.mtbf": Range(1e-3, 1e6, "> 0 (days)"),
    "operation.mttr": Range(1e-3, 1e6, "> 0 (days)"),
}


def described(value: object) -> str:
    """``a text 'abc…'``, ``a number 1e+300``, ``a list of 3 items``: type and short prefix."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"the text '{shown(value)}'"
    if isinstance(value, int | float):
        return f"the number {shown(value)}"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} keys"
    return f"a {type(value).__name__} value ({shown(value)})"
