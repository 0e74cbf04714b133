"""Safe YAML reading: size limit, no Python object tags, no duplicate keys, clear errors."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from ..errors import ParkFlowError

MAX_FILE_BYTES = 10 * 1024 * 1024  # a large real park is ~1 MB; beyond 10 MB is a mistake


_MERGE = "tag:yaml.org,2002:merge"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that also rejects duplicate mapping keys (a silent overwrite otherwise)."""


def _key(loader: _StrictLoader, key_node: yaml.Node, node: yaml.MappingNode) -> Any:
    key = loader.construct_object(key_node, deep=True)
    if not isinstance(key, Hashable):
        raise yaml.constructor.ConstructorError(
            "while constructing a mapping", node.start_mark,
            "found a list or mapping used as a key", key_node.start_mark,
        )
    return key


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    own = [k for k, _ in node.value if k.tag != _MERGE]  # merged-in keys may be overridden
    for key_node in own:
        key = _key(loader, key_node, node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"found duplicate key '{key}'", key_node.start_mark,
            )
        seen.add(key)
    loader.flatten_mapping(node)
    return {_key(loader, k, node): loader.construct_object(v, deep=True) for k, v in node.value}


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping from ``path`` safely.

    Raises
    ------
    ParkFlowError
        For a missing, unreadable, oversized, empty or malformed file, a Python object tag, a
        duplicate key, or a top level that is not a mapping.
    """
    path = Path(path)
    if path.is_dir():
        raise ParkFlowError.single(path, "", "is a folder, not a file",
                                   "give the path of the park's .yaml file")
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
        raw = path.read_bytes()
    except OSError as err:
        raise ParkFlowError.single(path, "", f"cannot read the file: {err.strerror}",
                                   "check the file's permissions") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise ParkFlowError.single(
            path, f"line {line}", f"file is not UTF-8 text (byte {err.start})",
            "save the file as UTF-8 (in Excel or Notepad: 'Save as', encoding UTF-8)",
        ) from err
    return parse_yaml(text.removeprefix("\ufeff"), path)


def _tag(problem: str) -> str:
    """``"… for the tag 'tag:yaml.org,2002:python/object'"`` → ``"!!python/object"``."""
    tag = problem.partition("the tag ")[2].strip(" '\"")
    return tag.replace("tag:yaml.org,2002:", "!!")


def parse_yaml(text: str, source: str | Path) -> dict[str, Any]:
    """Parse YAML text that must hold a mapping; see :func:`read_yaml`."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.constructor.ConstructorError as err:
        problem = err.problem or "cannot build this value"
        if "could not determine a constructor" in problem:
            problem = f"YAML tag '{_tag(problem)}' is not allowed"
            fix = "remove the '!!python/…' or other '!' tag: park files hold plain data only"
        elif "duplicate key" in problem:
            fix = "remove or rename the repeated entry"
        else:
            fix = "write plain keys and values (text, numbers, lists, mappings)"
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
            source, "", "file is empty (or holds only comments)",
            "start from a park in parks/ or docs/park-format.md"
        )
    if not isinstance(data, dict):
        raise ParkFlowError.single(
            source,
            "top level",
            f"expected a mapping of sections, found a {type(data).__name__}",
            "the file must start with keys such as 'park:', 'enterprises:'",
        )
    return data
