"""Turn pydantic validation errors into located, actionable problems."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ..errors import ParkFlowError, Problem

Model = TypeVar("Model", bound=BaseModel)
Loc = tuple[str | int, ...]
_SCALAR_TAGS = {"str", "float", "int", "bool"}
_UNION = "parkflow_union"  # marks a value that fits no member of a union

_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling against docs/park-format.md",
    "string_type": "write it as text (in quotes if it looks like a number, date or true/false)",
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
        if isinstance(part, str) and part.startswith("["):
            continue  # pydantic's '[key]' marks a problem with a key, named just before
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
        items = [(_clean(item["loc"]), item["type"], item["msg"]) for item in err.errors()]
        items = _merge_union_errors(items, data)
        problems = [
            Problem(describe_location(loc, data), *_message_and_fix(kind, msg, loc, data))
            for loc, kind, msg in _merge_misspellings(items, _field_names(model))
        ]
        raise ParkFlowError(source, problems) from None


def _clean(loc: Sequence[str | int]) -> Loc:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def _message_and_fix(kind: str, msg: str, loc: Loc, data: Any) -> tuple[str, str]:
    if kind in ("model_type", "dict_type"):  # pydantic names an internal class here
        return f"expected a mapping, found {_found(_value_at(loc, data))}", _FIXES[kind]
    message = msg.removeprefix("Value error, ")
    if " | fix: " in message:
        message, _, fix = message.partition(" | fix: ")
        return message, fix
    return message, _FIXES.get(kind, "")


def _union_member(loc: Loc, kind: str, data: Any) -> int | None:
    """Position in ``loc`` of a union member tag (``'str'``, ``'Sourced'``…) pydantic added.

    A tag is a part that names no key of the data there, other than a missing field.
    """
    node = data
    for k, part in enumerate(loc):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif isinstance(node, dict) and part in node:
            node = node[part]
        elif part.startswith("[") or (k == len(loc) - 1 and kind == "missing"):
            return None
        else:
            return k
    return None


def _value_at(loc: Loc, data: Any) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _merge_union_errors(items: list[tuple[Loc, str, str]], data: Any) -> list[tuple[Loc, str, str]]:
    """One problem per value that fits no member of a union (``'150 kt/a'`` or a mapping).

    A mapping keeps the errors found inside it (a misspelled ``sorce:``); anything else
    (empty, a list) gets one message listing what is expected.
    """
    order: list[tuple[Loc, str, str]] = []
    tags: dict[Loc, list[str]] = {}
    inner: dict[Loc, list[tuple[Loc, str, str]]] = {}
    for loc, kind, msg in items:
        k = _union_member(loc, kind, data)
        if k is None:
            order.append((loc, kind, msg))
            continue
        if loc[:k] not in tags:
            order.append((loc[:k], _UNION, ""))
        tags.setdefault(loc[:k], []).append(str(loc[k]))
        if len(loc) > k + 1 and isinstance(_value_at(loc[:k], data), dict):
            inner.setdefault(loc[:k], []).append((loc[:k] + loc[k + 1:], kind, msg))
    merged: list[tuple[Loc, str, str]] = []
    for loc, kind, msg in order:
        if kind != _UNION:
            merged.append((loc, kind, msg))
        else:
            merged += inner.get(loc) or [(loc, kind, _expected(tags[loc], _value_at(loc, data)))]
    return merged


def _found(value: Any) -> str:
    return {type(None): "an empty value", bool: "true/false", list: "a list"}.get(
        type(value), f"{type(value).__name__} {value!r}")


def _expected(tags: list[str], value: Any) -> str:
    kinds = ["a quantity such as '150 kt/a'"] if _SCALAR_TAGS & set(tags) else []
    if any(tag == "Sourced" for tag in tags):
        kinds.append("a mapping such as {value: '150 kt/a', source: '…'}")
    elif any(tag not in _SCALAR_TAGS for tag in tags):
        kinds.append("a mapping (key: value lines)")
    return f"expected {' or '.join(kinds)}, found {_found(value)} | fix: write one of these"


def _merge_misspellings(
    items: list[tuple[Loc, str, str]], names: set[str]
) -> list[tuple[Loc, str, str]]:
    """An unknown field that looks like a missing one (``capacty``) is one problem, not two."""
    missing = {loc for loc, kind, _ in items if kind == "missing"}
    absorbed: set[Loc] = set()
    result = []
    for loc, kind, msg in items:
        if kind == "extra_forbidden" and isinstance(loc[-1], str):
            siblings = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            close = difflib.get_close_matches(loc[-1], siblings, n=1, cutoff=0.6) or \
                difflib.get_close_matches(loc[-1], sorted(names), n=1, cutoff=0.8)
            if close:
                absorbed.add((*loc[:-1], close[0]))
                msg = f"unknown field '{loc[-1]}' | fix: did you mean '{close[0]}'? Rename it"
        result.append((loc, kind, msg))
    return [item for item in result if not (item[1] == "missing" and item[0] in absorbed)]


def _field_names(model: Any, seen: set[Any] | None = None) -> set[str]:
    """Every field name (and alias) of ``model`` and of the models inside it."""
    seen = set() if seen is None else seen
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return set().union(*(_field_names(arg, seen) for arg in get_args(model)))
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names |= {name, info.alias} - {None}  # type: ignore[arg-type]
        names |= _field_names(info.annotation, seen)
    return names
