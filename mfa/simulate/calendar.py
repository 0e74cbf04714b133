"""The simulation's clock: steps of a day, a week, a month or a year inside each calendar year,
and how much of an enterprise's year falls in each step (season, maintenance).

Steps never straddle a year end (indicators are yearly): weeks are days 1–7, 8–14, … of each
year, the last week taking the 1–2 days left; months are calendar months. Time is counted in
days from 1 January of the first year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.operation import Operation, Profile, Window

STEPS = ("day", "week", "month", "year")


@dataclass(frozen=True)
class Steps:
    """The steps from ``first`` to ``last`` year: start (days), length (days), year, label."""

    first: int
    last: int
    start: np.ndarray  # [T] day of the step's first day, from 1 January of ``first``
    length: np.ndarray  # [T] days
    year: np.ndarray  # [T]
    label: tuple[str, ...]  # ISO date of each step's first day

    def __len__(self) -> int:
        return len(self.start)

    @property
    def end(self) -> float:
        return float(self.start[-1] + self.length[-1])

    def of_year(self, year: int) -> np.ndarray:
        """Indices of the steps of ``year``."""
        return np.flatnonzero(self.year == year)


def build_steps(first: int, last: int, step: str) -> Steps:
    """Steps of ``step`` (one of :data:`STEPS`) from 1 January ``first`` to 31 December
    ``last``."""
    starts: list[np.datetime64] = []
    for year in range(first, last + 1):
        jan1 = np.datetime64(f"{year}-01-01", "D")
        if step == "day":
            starts.extend(np.arange(jan1, np.datetime64(f"{year + 1}-01-01", "D")))
        elif step == "week":
            starts.extend(jan1 + np.arange(0, 358, 7))  # 52 weeks; the last one 8–9 days
        elif step == "month":
            starts.extend(np.arange(np.datetime64(f"{year}-01", "M"),
                                    np.datetime64(f"{year + 1}-01", "M")).astype("datetime64[D]"))
        else:
            starts.append(jan1)
    days = np.array(starts, dtype="datetime64[D]")
    ends = np.append(days[1:], np.datetime64(f"{last + 1}-01-01", "D"))
    origin = np.datetime64(f"{first}-01-01", "D")
    return Steps(first, last, (days - origin).astype(np.int64),
                 (ends - days).astype(np.int64),
                 days.astype("datetime64[Y]").astype(np.int64) + 1970,
                 tuple(str(d) for d in days))


def day_weights(first: int, last: int, operation: Operation | None,
                profiles: dict[str, Profile]) -> np.ndarray:
    """Relative activity of one enterprise on every day from ``first`` to ``last``: the
    profile's factor (1 without one), 0 in maintenance windows."""
    days = np.arange(np.datetime64(f"{first}-01-01", "D"),
                     np.datetime64(f"{last + 1}-01-01", "D"))
    weights = np.ones(len(days))
    if operation is None:
        return weights
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    profile = profiles.get(operation.profile or "")
    if profile is not None and profile.monthly is not None:
        weights = np.asarray(profile.monthly, dtype=float)[month - 1]
    if profile is not None and profile.season is not None:
        weights = np.where(_inside(profile.season, month, day), weights, 0.0)
    for window in operation.maintenance:
        weights = np.where(_inside(window, month, day), 0.0, weights)
    return weights


def _inside(window: Window, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    key = month * 100 + day
    start = window.start[0] * 100 + window.start[1]
    end = window.end[0] * 100 + window.end[1]
    inside: np.ndarray = ((key >= start) | (key <= end)) if window.wraps else (
        (key >= start) & (key <= end))
    return inside


def step_shares(weights: np.ndarray, steps: Steps) -> np.ndarray:
    """Share of each step in its year's total weight (``[T]``; each year sums to 1). A year
    whose weight is all 0 (a season that never comes) gets 0 in every step."""
    per_step = np.add.reduceat(weights, steps.start)
    years = steps.year - steps.first
    totals = np.bincount(years, weights=per_step)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals[years] > 0, per_step / totals[years], 0.0)
    return shares
