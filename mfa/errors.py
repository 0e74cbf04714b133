"""The one error type users see: where, what, and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SHOWN_CHARS = 40  # how much of an input value an error message shows
MAX_INT = 2**63 - 1  # integers beyond int64 are refused while parsing


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value as an error message may show it: its text cut to a short prefix, with control
    characters made visible, so a message never renders an unbounded or hostile input."""
    text = value if isinstance(value, str) else repr_bounded(value)
    cut = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[:limit])
    return cut + f"… ({len(text):,} characters)" if len(text) > limit else cut


def one_of(name: str, names: Iterable[str]) -> str:
    """``did you mean 'x'? use one of a, b, c`` for an unknown ``name`` among ``names``."""
    import difflib

    names = sorted(names)
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    listed = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + ", …"
    guess = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return f"{guess}use one of: {listed}"


def repr_bounded(value: object) -> str:
    """``repr`` of a scalar, or just the type and size of a container (never expanded)."""
    if isinstance(value, dict | list | tuple | set):
        return f"<{type(value).__name__} of {len(value)} items>"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        return "<a very large integer>"
    return repr(value)


@dataclass(frozen=True)
class Problem:
    """One problem found in an input.

    Parameters
    ----------
    location
        Path inside the file, e.g. ``enterprises[3] (smelter).rates.coal``; empty for the
        whole file.
    message
        What is wrong.
    fix
        What the user should do about it.
    """

    location: str
    message: str
    fix: str = ""

    def render(self, source: str) -> str:
        where = f"{source}: {self.location}" if self.location else source
        text = f"{where}: {self.message}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text


class ParkFlowError(Exception):
    """Bad input or an impossible balance, with messages a user can act on.

    Every message names the source (file), the location inside it, the problem and the fix.
    The CLI prints ``str(error)`` without a traceback and exits with code 2.
    """

    def __init__(self, source: str | Path, problems: Iterable[Problem]) -> None:
        self.source = str(source)
        self.problems = list(problems)
        super().__init__(self._render())

    @classmethod
    def single(
        cls, source: str | Path, location: str, message: str, fix: str = ""
    ) -> ParkFlowError:
        return cls(source, [Problem(location, message, fix)])

    def __reduce__(self) -> tuple[type[ParkFlowError], tuple[str, list[Problem]]]:
        """Pickled as (source, problems), so the error crosses to the parent process intact
        when a worker (a local process or a Dask worker) raises it."""
        return (type(self), (self.source, self.problems))

    def _render(self) -> str:
        count = len(self.problems)
        head = "" if count == 1 else f"{count} problems:\n"
        return head + "\n".join(p.render(self.source) for p in self.problems)


class ProblemList:
    """Collects problems while validating, then raises them all at once."""

    def __init__(self, source: str | Path) -> None:
        self.source = source
        self.items: list[Problem] = []

    def add(self, location: str, message: str, fix: str = "") -> None:
        self.items.append(Problem(location, message, fix))

    def raise_if_any(self) -> None:
        if self.items:
            raise ParkFlowError(self.source, self.items)
