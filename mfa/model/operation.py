"""How enterprises run through a year: the simulation's data (docs/simulation.md).

A steady state needs only annual levels; the simulation spreads them over the year by a
seasonal :class:`Profile`, stops an enterprise in its planned maintenance :class:`Window`\\ s
and at random outages (an alternating renewal process with mean time between failures
``mtbf`` and mean time to repair ``mttr``, in days). The annual level stays the level of the
park file: the simulation scales the running rate so that the expected output of the year is
the level (up to the capacity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MTTR = 3.0  # days, when only an availability is given ([A], docs/simulation.md)


@dataclass(frozen=True)
class Window:
    """Days ``start`` through ``end`` of every year, as (month, day); wraps the year end when
    ``start`` comes after ``end``."""

    start: tuple[int, int]
    end: tuple[int, int]

    @property
    def wraps(self) -> bool:
        return self.start > self.end


@dataclass(frozen=True)
class Profile:
    """Relative activity through the year: 12 monthly factors, or a season (1 inside, 0
    outside). Only the shape matters: the simulation normalises it over each year."""

    id: str
    monthly: tuple[float, ...] | None = None
    season: Window | None = None
    source: str = ""


@dataclass(frozen=True)
class Operation:
    """One enterprise's operation. ``mtbf`` None means no random outages."""

    mtbf: float | None = None
    mttr: float = DEFAULT_MTTR
    profile: str | None = None
    maintenance: tuple[Window, ...] = field(default_factory=tuple)
    source: str = ""

    @property
    def availability(self) -> float:
        """Long-run share of time up: mtbf / (mtbf + mttr), 1 without outages."""
        return 1.0 if self.mtbf is None else self.mtbf / (self.mtbf + self.mttr)
