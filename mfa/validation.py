"""Turn pydantic validation errors into located, actionable problems."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ParkFlowError, Problem

Model = TypeVar("Model", bound=BaseModel)

_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling against docs/park-format.md",
    "string_type": "write it as text, e.g. '150 kt/a'",
    "float_parsing": "write a plain number",
    "int_parsing": "write a whole number",
    "literal_error": "use one of the allowed values",
    "enum": "use one of the allowed values",
    "list_type": "write a list (lines starting with '- ')",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
}


def describe_location(loc: Sequence[str | int], data: Any) -> str:
    """Render a pydantic location as ``enterprises[3] (smelter).rates.coal``.

    List items that carry an ``id`` are labelled with it, so users find them by name.
    """
    text = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and "id" in node:
                text += f" ({node['id']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def validate(model: type[Model], data: Any, source: str | Path) -> Model:
    """Validate ``data`` against ``model``; raise one ParkFlowError listing every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems = []
        for item in err.errors():
            loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            message = item["msg"].removeprefix("Value error, ")
            fix = _FIXES.get(item["type"], "")
            if "|" in message and "\n  fix: " not in message:
                message, _, fix = message.partition(" | fix: ")
            problems.append(Problem(describe_location(loc, data), message, fix))
        raise ParkFlowError(source, problems) from None
