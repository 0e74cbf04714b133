"""Safe YAML reading: size limit, no Python object tags, no duplicate keys, clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ParkFlowError

MAX_FILE_BYTES = 10 * 1024 * 1024  # a large real park is ~1 MB; beyond 10 MB is a mistake


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that also rejects duplicate mapping keys (a silent overwrite otherwise)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key '{key}'",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping from ``path`` safely.

    Raises
    ------
    ParkFlowError
        For a missing, oversized, empty or malformed file, a Python object tag, a duplicate
        key, or a top level that is not a mapping.
    """
    if not path.is_file():
        raise ParkFlowError.single(
            path, "", "file not found", "check the path, or run `parkflow parks` for built-in names"
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ParkFlowError.single(
            path,
            "",
            f"file is {size / 1e6:.1f} MB, above the {MAX_FILE_BYTES / 1e6:.0f} MB limit",
            "split the park into smaller files or check that this is the right file",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ParkFlowError.single(
            path, f"byte {err.start}", "file is not UTF-8 text", "save the file as UTF-8"
        ) from err
    return parse_yaml(text, path)


def parse_yaml(text: str, source: str | Path) -> dict[str, Any]:
    """Parse YAML text that must hold a mapping; see :func:`read_yaml`."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.constructor.ConstructorError as err:
        problem = err.problem or "cannot build this value"
        if "could not determine a constructor" in problem:
            problem = f"YAML tag not allowed ({problem.split('tag')[-1].strip()})"
            fix = "remove the '!!python/…' or other '!' tag: park files hold plain data only"
        else:
            fix = "remove or rename the repeated entry"
        raise ParkFlowError.single(source, _where(err.problem_mark), problem, fix) from err
    except yaml.MarkedYAMLError as err:
        raise ParkFlowError.single(
            source,
            _where(err.problem_mark),
            f"YAML syntax error: {err.problem}",
            "check indentation, colons and quotes around this line",
        ) from err
    except yaml.YAMLError as err:
        raise ParkFlowError.single(source, "", f"YAML error: {err}", "fix the YAML") from err
    if data is None:
        raise ParkFlowError.single(
            source, "", "file is empty", "start from a park in parks/ or docs/park-format.md"
        )
    if not isinstance(data, dict):
        raise ParkFlowError.single(
            source,
            "top level",
            f"expected a mapping of sections, found a {type(data).__name__}",
            "the file must start with keys such as 'park:', 'enterprises:'",
        )
    return data
