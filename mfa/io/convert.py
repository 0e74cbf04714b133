"""Quantity strings → canonical floats, each problem recorded at its location in the file."""

from __future__ import annotations

from ..errors import ProblemList
from ..model.carriers import Catalogue
from ..units import UnitProblem, pretty, to_canonical
from .specs import Sourced, SourcedOrPlain


def text_of(value: object) -> str:
    """A raw value as shown in a message (``–`` when absent)."""
    return "–" if value is None else str(value)


class Converter:
    """Converts quantity strings to canonical floats, recording problems at their location."""

    def __init__(self, catalogue: Catalogue, problems: ProblemList) -> None:
        self.catalogue = catalogue
        self.problems = problems

    def value(
        self, raw: SourcedOrPlain | None, target: str, where: str, *, water: bool = False
    ) -> float | None:
        if raw is None:
            return None
        text = raw.value if isinstance(raw, Sourced) else raw
        try:
            value = to_canonical(text, target, water=water)
        except UnitProblem as err:
            self.problems.add(where, str(err),
                              f"write it in units convertible to '{pretty(target)}'")
            return None
        if isinstance(raw, Sourced):
            self._check_range(raw, value, target, where, water)
        return value

    def _check_range(
        self, raw: Sourced, value: float, target: str, where: str, water: bool
    ) -> None:
        """low/high must read in the same unit and bracket the central value."""
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

    def carrier_unit(self, carrier_id: str) -> str:
        return self.catalogue[carrier_id].unit

    def known_carrier(self, carrier_id: str, where: str) -> bool:
        if carrier_id in self.catalogue:
            return True
        close = [c for c in self.catalogue.by_id if carrier_id[:4] in c][:4]
        hint = f" (similar: {', '.join(close)})" if close else ""
        self.problems.add(
            where,
            f"unknown carrier '{carrier_id}'{hint}",
            "use an id from `parkflow carriers`, or add the carrier to flows/",
        )
        return False
