"""Quantity strings → canonical floats, each problem recorded at its location in the file."""

from __future__ import annotations

import math
from typing import NamedTuple

from ..errors import ProblemList
from ..model.carriers import Catalogue
from ..model.parameters import ElementKind, Parameter
from ..units import UnitProblem, pretty, to_canonical
from .limits import FIELD_RANGES, shown
from .specs import Sourced, SourcedOrPlain


class Key(NamedTuple):
    """What a converted value is, for the ParameterTable."""

    id: str
    element: str
    kind: ElementKind
    field: str
    carrier: str = ""
    year: int | None = None


def text_of(value: object) -> str:
    """A raw value as shown in a message (``–`` when absent)."""
    return "–" if value is None else shown(value)


class Converter:
    """Converts quantity strings to canonical floats, recording problems at their location."""

    def __init__(self, catalogue: Catalogue, problems: ProblemList) -> None:
        self.catalogue = catalogue
        self.problems = problems
        self.parameters: list[Parameter] = []

    def value(
        self, raw: SourcedOrPlain | None, target: str, where: str, *, water: bool = False,
        key: Key | None = None, source: str = "", field: str = "",
    ) -> float | None:
        """``raw`` in ``target`` units, or ``None`` (with a problem recorded) when unreadable
        or outside the range of ``field`` (a key of :data:`~mfa.io.limits.FIELD_RANGES`).

        With a ``key`` the value and its range become a row of the park's ParameterTable;
        ``source`` is used when ``raw`` carries none (a plain quantity).
        """
        if raw is None:
            return None
        text = raw.value if isinstance(raw, Sourced) else raw
        try:
            value = to_canonical(text, target, water=water)
        except UnitProblem as err:
            self.problems.add(where, str(err),
                              f"write it in units convertible to '{pretty(target)}'")
            return None
        if field and not self.in_range(value, field, target, where):
            return None
        low = high = math.nan
        if isinstance(raw, Sourced):
            low, high = self._check_range(raw, value, target, where, water)
            source = raw.source or source
        if key is not None:
            self.record(key, value, low, high, pretty(target), source, where)
        return value

    def in_range(self, value: float, field: str, target: str, where: str) -> bool:
        """Whether ``value`` (in ``target`` units) lies in the range of ``field``; if not, the
        problem is recorded with the field's sign rule."""
        allowed = FIELD_RANGES[field]
        if allowed.low <= value <= allowed.high:
            return True
        unit = pretty(target)
        if value < 0 <= allowed.low:
            message = (f"{value:g} {unit} is negative; {field.rsplit('.', 1)[-1]} must be "
                       f"{allowed.rule}")
            fix = f"give a value {allowed.rule}"
        else:
            message = (f"{value:g} {unit} is outside the accepted range {allowed.low:g} … "
                       f"{allowed.high:g} {unit}")
            fix = "check the number and its unit (a typo in the exponent?); see docs/limits.md"
        self.problems.add(where, message, fix)
        return False

    def record(self, key: Key, central: float, low: float, high: float, unit: str,
               source: str, where: str) -> None:
        """Add a row to the ParameterTable."""
        self.parameters.append(Parameter(*key, central=central, low=low, high=high,
                                         unit=unit.removesuffix("/a"), source=source,
                                         location=where))

    def _check_range(
        self, raw: Sourced, value: float, target: str, where: str, water: bool
    ) -> tuple[float, float]:
        """low/high must read in the same unit and bracket the central value; returns them
        in order (NaN when not both given)."""
        bounds = []
        for name, text in (("low", raw.low), ("high", raw.high)):
            if text is None:
                continue
            try:
                bounds.append(to_canonical(text, target, water=water))
            except UnitProblem as err:
                self.problems.add(f"{where}.{name}", str(err),
                                  f"give {name} in the same unit as the value")
        # Both bounds: the range must contain the value, whichever way a negative rate's
        # low and high were meant. One bound alone says too little to check.
        slack = 1e-12 * abs(value)
        if len(bounds) == 2 and not min(bounds) - slack <= value <= max(bounds) + slack:
            self.problems.add(where, f"central value {text_of(raw.value)} lies outside its "
                              f"range {text_of(raw.low)} … {text_of(raw.high)}",
                              "correct low/high or the value so that the range contains it")
        return (min(bounds), max(bounds)) if len(bounds) == 2 else (math.nan, math.nan)

    def carrier_unit(self, carrier_id: str) -> str:
        return self.catalogue[carrier_id].unit

    def known_carrier(self, carrier_id: str, where: str) -> bool:
        if carrier_id in self.catalogue:
            return True
        close = [c for c in self.catalogue.by_id if carrier_id[:4] in c][:4]
        hint = f" (similar: {', '.join(close)})" if close else ""
        self.problems.add(
            where,
            f"unknown carrier '{shown(carrier_id)}'{hint}",
            "use an id from `parkflow carriers`, or declare it in this park file's "
            "`carriers:` section (docs/park-format.md)",
        )
        return False
