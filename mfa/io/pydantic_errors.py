"""Turn pydantic validation errors into located, actionable problems in ParkFlow's words.

Pydantic reports a value that fits no member of a union (``'150 kt/a'`` or a mapping) once per
member, with the member's internal name in the location (``rates.coal.str``). Here each union
is resolved to one problem: the member the value was evidently meant as (the one with the
fewest problems among those that got past the value's shape), or "expected … found …".
Messages show a value's type and a short prefix only, never the whole input.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ..errors import ParkFlowError, Problem
from .limits import MAX_YEAR, MIN_YEAR, described, shown

Model = TypeVar("Model", bound=BaseModel)
Loc = tuple[str | int, ...]
_SCALAR_TAGS = {"str", "float", "int", "bool"}
_SHAPE_KINDS = {"string_type", "float_type", "int_type", "bool_type", "model_type", "dict_type",
                "list_type", "float_parsing", "int_parsing", "int_from_float", "finite_number",
                "model_attributes_type", "none_required", "is_instance_of"}
_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"


class Item(NamedTuple):
    """One pydantic error: where (tags removed as they are resolved), kind, message, context."""

    loc: Loc
    kind: str
    msg: str
    ctx: dict[str, Any]
    value: Any


_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling against docs/park-format.md",
    "string_type": "write it as text (in quotes if it looks like a number, date or true/false)",
    "float_type": "write a plain number",
    "float_parsing": "write a plain number",
    "finite_number": "write a finite number",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "bool_type": "write true or false",
    "literal_error": "use one of the allowed values",
    "enum": "use one of the allowed values",
    "list_type": "write a list (lines starting with '- ')",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
    "string_pattern_mismatch": "start with a letter; use only letters, digits, '_' and '-'",
    "too_short": "add the missing entries",
    "too_long": "shorten it",
    "greater_than_equal": "give a value in the allowed range",
    "less_than_equal": "give a value in the allowed range",
    "greater_than": "give a value in the allowed range",
    "less_than": "give a value in the allowed range",
}


def describe_location(loc: Sequence[str | int], data: Any) -> str:
    """Render a location as ``enterprises[3] (smelter).rates.coal``.

    List items that carry an ``id`` are labelled with it, so users find them by name.
    """
    text = ""
    node = data
    for part in loc:
        if isinstance(part, str) and part.startswith("["):
            continue  # pydantic's '[key]' marks a problem with a key, named just before
        if isinstance(part, int) and isinstance(node, list):
            text += f"[{part}]"
            node = node[part] if 0 <= part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f" ({shown(node['id'])})"
        else:
            text += f".{shown(str(part))}" if text else shown(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return text


def validate(model: type[Model], data: Any, source: str | Path) -> Model:
    """Validate ``data`` against ``model``; raise one ParkFlowError listing every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        items = [Item(_clean(e["loc"]), e["type"], e["msg"], dict(e.get("ctx") or {}),
                      e.get("input")) for e in err.errors(include_url=False)]
        resolved = _merge_misspellings(_resolve(items, data), _field_names(model))
        problems: list[Problem] = []
        for item in resolved:
            problem = Problem(describe_location(item.loc, data), *_message_and_fix(item))
            if problem not in problems:
                problems.append(problem)
        raise ParkFlowError(source, problems) from None


def _clean(loc: Sequence[str | int]) -> Loc:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def _tag_position(item: Item, data: Any) -> int | None:
    """Position in the location of a union member tag (``'str'``, ``'Sourced'``…) pydantic
    added: a part that names no key of the data there, other than a missing field."""
    node = data
    for k, part in enumerate(item.loc):
        if isinstance(part, int) and isinstance(node, list):
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(node, dict) and part in node:
            node = node[part]
        elif (isinstance(part, str) and part.startswith("[")) or (
                k == len(item.loc) - 1 and item.kind in ("missing", "extra_forbidden")):
            return None
        else:
            return k
    return None


def _resolve(items: list[Item], data: Any) -> list[Item]:
    """Items with every union member tag resolved (see the module docstring)."""
    result: list[Item] = []
    groups: dict[Loc, dict[str, list[Item]]] = {}
    for item in items:
        k = _tag_position(item, data)
        if k is None:
            result.append(item)
            continue
        if item.loc[:k] not in groups:
            result.append(Item(item.loc[:k], "parkflow_union", "", {}, None))
        untagged = item._replace(loc=item.loc[:k] + item.loc[k + 1:])
        groups.setdefault(item.loc[:k], {}).setdefault(str(item.loc[k]), []).append(untagged)
    merged: list[Item] = []
    for item in result:
        if item.kind == "parkflow_union":
            merged += _pick_member(item.loc, groups[item.loc], data)
        else:
            merged.append(item)
    return merged


def _pick_member(loc: Loc, members: dict[str, list[Item]], data: Any) -> list[Item]:
    """The problems of the member the value was meant as, or one 'expected … found …'."""
    candidates = []
    for items in members.values():
        resolved = _resolve(items, data)
        shape_only = all(i.loc == loc and i.kind in _SHAPE_KINDS for i in resolved)
        if not shape_only:
            candidates.append(resolved)
    if candidates:
        return min(candidates, key=len)
    value = _value_at(loc, data)
    return [Item(loc, "parkflow_expected", _expected(list(members), value), {}, value)]


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


def _expected(tags: list[str], value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f"{described(value)} is not a finite number; expected a quantity such as '150 kt/a'"
    kinds = ["a quantity such as '150 kt/a'"] if _SCALAR_TAGS & set(tags) else []
    if "Sourced" in tags:
        kinds.append("a mapping such as {value: '150 kt/a', source: '…'}")
    if any(tag.startswith("dict") for tag in tags):
        kinds.append("a mapping of years to quantities, such as {2016: '100 t/a'}")
    if not kinds and any(tag not in _SCALAR_TAGS and tag != "none" for tag in tags):
        kinds.append("a mapping (key: value lines)")
    return f"expected {' or '.join(kinds) or 'another kind of value'}, found {described(value)}"


def _message_and_fix(item: Item) -> tuple[str, str]:
    kind, ctx, found = item.kind, item.ctx, described(item.value)
    if kind == "parkflow_expected":
        return item.msg, "write one of these"
    if kind in ("value_error", "assertion_error"):
        message = item.msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if " | fix: " in message:
            message, _, fix = message.partition(" | fix: ")
            return message, fix
        return message, ""
    if item.loc and item.loc[-1] == "[key]" and kind in ("greater_than_equal", "less_than_equal"):
        return (f"year {shown(item.value)} is outside {MIN_YEAR}–{MAX_YEAR}",
                "give a year in that range")
    if item.loc and item.loc[-1] == "[key]":
        return f"'{shown(item.value)}' is not a year (a whole number)", "write years such as 2016"
    return _MESSAGES.get(kind, _fallback)(item, ctx, found), _FIXES.get(kind, "")


def _fallback(item: Item, ctx: dict[str, Any], found: str) -> str:
    return f"{item.msg.replace('Input should be', 'must be')}; found {found}"


def _pattern(item: Item, ctx: dict[str, Any], found: str) -> str:
    if ctx.get("pattern") in (_ID_PATTERN, r"^[a-z][a-z0-9_]*$"):
        return f"{found} is not a valid id"
    return f"{found} does not have the expected form"


def _length(item: Item, ctx: dict[str, Any], found: str) -> str:
    least = ctx.get("min_length", 1)
    return "must not be empty" if least == 1 else f"needs at least {least} entries, found {found}"


_MESSAGES: dict[str, Callable[[Item, dict[str, Any], str], str]] = {
    "missing": lambda i, c, f: "required field is missing",
    "extra_forbidden": lambda i, c, f: f"unknown field '{shown(str(i.loc[-1]))}'",
    "string_type": lambda i, c, f: f"expected text, found {f}",
    "float_type": lambda i, c, f: f"expected a number, found {f}",
    "float_parsing": lambda i, c, f: f"expected a number, found {f}",
    "finite_number": lambda i, c, f: f"expected a finite number, found {f}",
    "int_type": lambda i, c, f: f"expected a whole number, found {f}",
    "int_parsing": lambda i, c, f: f"expected a whole number, found {f}",
    "int_from_float": lambda i, c, f: f"expected a whole number, found {f}",
    "bool_type": lambda i, c, f: f"expected true or false, found {f}",
    "list_type": lambda i, c, f: f"expected a list, found {f}",
    "dict_type": lambda i, c, f: f"expected a mapping, found {f}",
    "model_type": lambda i, c, f: f"expected a mapping, found {f}",
    "literal_error": lambda i, c, f: f"must be one of {c.get('expected', '…')}, found {f}",
    "enum": lambda i, c, f: f"must be one of {c.get('expected', '…')}, found {f}",
    "greater_than_equal": lambda i, c, f: f"must be ≥ {c.get('ge')}, found {f}",
    "less_than_equal": lambda i, c, f: f"must be ≤ {c.get('le')}, found {f}",
    "greater_than": lambda i, c, f: f"must be > {c.get('gt')}, found {f}",
    "less_than": lambda i, c, f: f"must be < {c.get('lt')}, found {f}",
    "string_pattern_mismatch": _pattern,
    "too_short": _length,
    "too_long": lambda i, c, f: f"is longer than {c.get('max_length')} characters: {f}",
    "dict_keys_type": lambda i, c, f: f"keys must be text, found {f}",
}


def _merge_misspellings(items: list[Item], names: set[str]) -> list[Item]:
    """An unknown field that looks like a missing one (``capacty``) is one problem, not two."""
    missing = {item.loc for item in items if item.kind == "missing"}
    absorbed: set[Loc] = set()
    result = []
    for item in items:
        loc = item.loc
        if item.kind == "extra_forbidden" and loc and isinstance(loc[-1], str):
            siblings = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
            name = loc[-1][:100]
            close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.6) or \
                difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.8)
            if close:
                absorbed.add((*loc[:-1], close[0]))
                item = item._replace(kind="value_error", msg=(
                    f"unknown field '{shown(name)}' | fix: did you mean '{close[0]}'? Rename it"))
        result.append(item)
    return [item for item in result if not (item.kind == "missing" and item.loc in absorbed)]


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
