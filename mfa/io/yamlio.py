"""Safe YAML reading with limits: size, nesting depth, string length, no aliases, no tags but
the standard scalar ones, no duplicate keys, no integers beyond int64; each a clear error.

The document is built from the parser's event stream by a loop (not by PyYAML's recursive
composer and constructors), so depth is checked before anything deep is built, an alias
("billion laughs") is refused the moment it appears, and a tag is refused before any
constructor runs. libyaml's C parser is used where it is installed, the pure-Python one
otherwise; both go through the same loop and limits.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from ..errors import ParkFlowError
from .limits import MAX_INT, Limits, current, shown

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(_STANDARD + t for t in ("str", "int", "float", "bool", "null",
                                                "timestamp"))
COLLECTION_TAGS = frozenset({_STANDARD + "map", _STANDARD + "seq"})
_PLAIN_FIX = "write plain keys and values (text, numbers, lists, mappings)"
_DEPTH_FIX = ("flatten the structure: a park file needs about 6 levels (or raise "
              "PARKFLOW_MAX_DEPTH)")
_INT_DIGITS = len(str(MAX_INT))


class _Bad(Exception):
    """A problem at a mark, raised inside the builder and turned into a ParkFlowError."""

    def __init__(self, mark: Any, message: str, fix: str) -> None:
        super().__init__(message)
        self.mark, self.message, self.fix = mark, message, fix


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def read_yaml(path: str | Path, limits: Limits | None = None) -> dict[str, Any]:
    """Read a YAML mapping from ``path`` safely, within ``limits`` (default: in force).

    Raises
    ------
    ParkFlowError
        For a missing, unreadable, oversized, empty or malformed file, a file beyond a
        limit, an alias or non-standard tag, a duplicate key, or a top level that is not a
        mapping.
    """
    path = Path(path)
    limits = limits or current()
    raw = _read_bytes(path, limits)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise ParkFlowError.single(
            path, f"line {line}", f"file is not UTF-8 text (byte {err.start})",
            "save the file as UTF-8 (in Excel or Notepad: 'Save as', encoding UTF-8)",
        ) from err
    return parse_yaml(text.removeprefix("\ufeff"), path, limits)


def _read_bytes(path: Path, limits: Limits) -> bytes:
    try:
        if path.is_dir():
            raise ParkFlowError.single(path, "", "is a folder, not a file",
                                       "give the path of the park's .yaml file")
        if not path.is_file():
            raise ParkFlowError.single(path, "", "file not found",
                                       "check the path, or run `parkflow parks` for built-in names")
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise ParkFlowError.single(
                path, "", f"file is {size / 1e6:.1f} MB, above the "
                f"{limits.file_bytes / 1e6:.1f} MB limit",
                "split the park into smaller files, check that this is the right file, or raise "
                "PARKFLOW_MAX_FILE_BYTES",
            )
        with path.open("rb") as stream:
            raw = stream.read(limits.file_bytes + 1)
    except OSError as err:
        raise ParkFlowError.single(path, "", f"cannot read the file: {err.strerror or err}",
                                   "check the path and the file's permissions") from err
    if len(raw) > limits.file_bytes:  # it grew since it was measured
        raise ParkFlowError.single(path, "", "file is above the size limit",
                                   "check that this is the right file, or raise "
                                   "PARKFLOW_MAX_FILE_BYTES")
    return raw


def parse_yaml(text: str, source: str | Path, limits: Limits | None = None) -> dict[str, Any]:
    """Parse YAML text that must hold a mapping; see :func:`read_yaml`."""
    limits = limits or current()
    if len(text.encode("utf-8", "surrogatepass")) > limits.file_bytes:
        raise ParkFlowError.single(source, "", "text is above the size limit",
                                   "split it, or raise PARKFLOW_MAX_FILE_BYTES")
    try:
        data = _Builder(text, limits).document()
    except _Bad as bad:
        raise ParkFlowError.single(source, _where(bad.mark), bad.message, bad.fix) from None
    except yaml.MarkedYAMLError as err:
        if "maximum nesting depth" in str(err.problem):  # libyaml's own limit, at 1000
            raise ParkFlowError.single(source, _where(err.problem_mark),
                                       f"nesting deeper than {limits.depth} levels",
                                       _DEPTH_FIX) from None
        raise ParkFlowError.single(
            source, _where(err.problem_mark), f"YAML syntax error: {shown(err.problem or '', 120)}",
            "check indentation, colons and quotes around this line",
        ) from None
    except yaml.YAMLError as err:
        raise ParkFlowError.single(source, "", f"YAML error: {shown(str(err), 120)}",
                                   "fix the YAML (unusual characters must be escaped)") from None
    if data is None:
        raise ParkFlowError.single(
            source, "", "file is empty (or holds only comments)",
            "start from a park in parks/ or docs/park-format.md"
        )
    if not isinstance(data, dict):
        raise ParkFlowError.single(
            source, "top level",
            f"expected a mapping of sections, found a {type(data).__name__}",
            "the file must start with keys such as 'park:', 'enterprises:'",
        )
    return data


class _Frame:
    """A mapping or list being filled; a mapping keeps its pending key."""

    __slots__ = ("has_key", "key", "key_mark", "mark", "value")

    def __init__(self, value: dict[Any, Any] | list[Any], mark: Any) -> None:
        self.value, self.mark = value, mark
        self.key: Any = None
        self.key_mark: Any = None
        self.has_key = False


class _Builder:
    """Python objects from the parser's events, checking every limit as it goes."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.loader = _Loader(text)
        self.limits = limits

    def document(self) -> Any:
        try:
            return self._document()
        finally:
            self.loader.dispose()

    def _document(self) -> Any:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        data = self._node()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise _Bad(loader.peek_event().start_mark, "file holds more than one YAML document",
                       "remove the extra '---' line and what follows, or split the file")
        return data

    def _node(self) -> Any:
        stack: list[_Frame] = []
        while True:
            event = self.loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise _Bad(event.start_mark, "YAML aliases ('*name') are not allowed",
                           "write the value out in full where the alias stands")
            mark = event.start_mark
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                done = stack.pop()
                value, mark = done.value, done.mark
            elif isinstance(event, yaml.CollectionStartEvent):
                self._check_tag(event, COLLECTION_TAGS)
                if len(stack) >= self.limits.depth:
                    raise _Bad(event.start_mark, f"nesting deeper than {self.limits.depth} "
                               "levels", "flatten the structure: a park file needs about 6 "
                               "levels (or raise PARKFLOW_MAX_DEPTH)")
                empty: dict[Any, Any] | list[Any]
                empty = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append(_Frame(empty, event.start_mark))
                continue
            else:
                value = self._scalar(event)
            if not stack:
                return value
            _add(stack[-1], value, mark)

    def _check_tag(self, event: Any, allowed: frozenset[str]) -> None:
        tag = event.tag
        if tag is None or tag == "!" or tag in allowed:
            return
        name = tag.replace(_STANDARD, "!!")
        raise _Bad(event.start_mark, f"YAML tag '{shown(name)}' is not allowed",
                   "remove the '!…' tag: park files hold plain data only")

    def _scalar(self, event: Any) -> Any:
        if not isinstance(event, yaml.ScalarEvent):
            raise _Bad(event.start_mark, "unexpected YAML structure", _PLAIN_FIX)
        self._check_tag(event, SCALAR_TAGS)
        text = event.value
        if len(text) > self.limits.string_chars:
            raise _Bad(event.start_mark, f"text of {len(text):,} characters, above the "
                       f"{self.limits.string_chars:,} limit", "shorten it (put long notes in a "
                       "separate document), or raise PARKFLOW_MAX_STRING_CHARS")
        if event.tag == "!" or (event.tag is None and not event.implicit[0]):
            tag = _STANDARD + "str"
        else:
            tag = event.tag or self.loader.resolve(yaml.ScalarNode, text, event.implicit)
        if tag == _STANDARD + "merge":
            raise _Bad(event.start_mark, "YAML merge keys ('<<') are not allowed",
                       "write the keys out in full")
        if tag == _STANDARD + "str" or tag not in SCALAR_TAGS:  # '=' resolves to !!value
            return _checked_text(text, event.start_mark)
            return _checked_text(text, event.start_mark)
        if tag == _STANDARD + "int" and len(text.lstrip("+-").replace("_", "")) > _INT_DIGITS:
            raise _Bad(event.start_mark, f"integer {shown(text)} is too large",
                       f"no value in a park file goes beyond ±{MAX_INT:.3g}")
        node = yaml.ScalarNode(tag, text, None, None, event.style)
        try:
            value = self.loader.yaml_constructors[tag](self.loader, node)
        except Exception:  # a standard tag with a value it cannot take: '!!float x'
            raise _Bad(event.start_mark, f"'{shown(text)}' is not a valid "
                       f"{tag.replace(_STANDARD, '!!')} value", "correct the value, or remove "
                       "the tag and quote the value to keep it as text") from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise _Bad(event.start_mark, f"integer {shown(text)} is too large",
                       f"no value in a park file goes beyond ±{MAX_INT:.3g}")
        return value


def _checked_text(text: str, mark: Any) -> str:
    """Text as read; a lone surrogate (from an escape such as "\\ud800") cannot be written
    to any file or terminal, so it is refused here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise _Bad(mark, f"text holds an invalid character ({ascii(text[err.start])[1:-1]}, "
                   "a lone surrogate)", "remove the '\\u…' escape or write the character "
                   "itself") from None
    return text


def _add(frame: _Frame, value: Any, mark: Any) -> None:
    """Put ``value`` into the collection being filled: a list item, a key, or a value."""
    target = frame.value
    if isinstance(target, list):
        target.append(value)
    elif not frame.has_key:
        if not isinstance(value, Hashable):
            raise _Bad(mark, "found a list or mapping used as a key", _PLAIN_FIX)
        if value in target:
            raise _Bad(mark, f"found duplicate key '{shown(str(value))}'",
                       "remove or rename the repeated entry")
        frame.key, frame.key_mark, frame.has_key = value, mark, True
    else:
        target[frame.key] = value
        frame.has_key = False
