"""Scale a raw quantity of a file (``"1.1 Mt/a"``, ``0.5``, ``{value, low, high, source}`` or
levels by year) by a share, keeping its unit and source: the ramp-up of an added enterprise."""

from __future__ import annotations

from typing import Any

from ..units import UnitProblem, split_quantity


def scaled(raw: Any, share: float) -> Any:
    """``raw`` × ``share``; text that is not a quantity is returned as it is, so that the park
    loader reports it at its place."""
    if isinstance(raw, dict) and "value" in raw:
        return {k: scaled(v, share) if k in ("value", "low", "high") else v
                for k, v in raw.items()}
    if isinstance(raw, dict):  # levels by year
        return {year: scaled(v, share) for year, v in raw.items()}
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        return raw * share
    if isinstance(raw, str):
        try:
            value, unit = split_quantity(raw)
        except UnitProblem:  # an unreadable quantity is reported by the park loader
            return raw
        return f"{value * share!r} {unit}".strip()
    return raw
