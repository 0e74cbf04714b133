"""What the solver takes besides the compiled park (:class:`Params`) and what it returns
(:class:`Solution`): plain numpy arrays, with a leading batch axis K (K = 1 for one solve).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntFlag

import numpy as np

from ..errors import Problem


class Status(IntFlag):
    """Why a sample is invalid (0: valid). Flags combine when several invariants break."""

    OK = 0
    FIXED_QUANTITY_UNMET = 1  # a link's fixed quantity cannot be delivered
    NO_DESTINATION = 2  # a leftover output has no sink
    OVER_CAPACITY = 4  # a stockpile would hold more than its capacity
    BELOW_ZERO = 8  # a stockpile, level or bound is negative
    MASS_CREATED = 16  # a process's mass outputs exceed its inputs (perturbed rates)
    SIGN_CHANGED = 32  # a rate changed sign (an input became an output or back)
    NOT_FINITE = 64  # a flow is infinite or not a number


@dataclass(frozen=True, eq=False)
class Params:
    """Per-sample values that replace the compiled central values (``None``: central).

    Each array is ``[K, size]`` (or ``[size]`` for one sample): ``rates`` per rate slot,
    ``bound``, ``cap`` and ``ratio`` per link, ``pile_capacity`` per stockpile,
    ``value_added`` and ``recirculation`` per enterprise (per unit of activity).
    """

    rates: np.ndarray | None = None
    bound: np.ndarray | None = None
    cap: np.ndarray | None = None
    ratio: np.ndarray | None = None
    pile_capacity: np.ndarray | None = None
    value_added: np.ndarray | None = None
    recirculation: np.ndarray | None = None

    def arrays(self) -> list[np.ndarray]:
        """The arrays given."""
        return [a for a in (self.rates, self.bound, self.cap, self.ratio, self.pile_capacity,
                            self.value_added, self.recirculation) if a is not None]

    def frozen(self) -> Params:
        """The same values as read-only copies. A solve derives rows of its own from a
        Params (the links' values in serving order); from frozen ones it derives them once
        per period and keeps them on the Params, for callers that solve many steps with the
        same values (the simulation)."""
        def copy(array: np.ndarray | None) -> np.ndarray | None:
            if array is None:
                return None
            kept = np.array(array, dtype=float, copy=True)
            kept.flags.writeable = False
            return kept

        return Params(**{f.name: copy(getattr(self, f.name)) for f in fields(self)})


@dataclass(frozen=True)
class SampleProblem:
    """An invariant a sample breaks, with the message a user can act on."""

    sample: int
    status: Status
    problem: Problem


@dataclass(frozen=True, eq=False)
class Solution:
    """One period's solved flows for K samples.

    Record quantities are in the compiled park's record layout (``compiled.records``); all
    quantities are per year in each carrier's canonical unit.

    Attributes
    ----------
    period
        The period solved.
    batched
        Whether the inputs had a batch axis (arrays here always have one).
    levels
        ``[K, n]`` activity levels.
    slot_flow
        ``[K, S]`` gross flow of each rate slot: + produced, − demanded (before substitution).
    qty
        ``[K, R]`` quantity of each record (0 where nothing flows); a transposed view of
        the solver's ``[R, K]`` rows (Fortran-contiguous: ``qty[:, r]`` is contiguous).
    sent
        ``[K, L]`` what each link sent (delivered plus lost); 0 for inactive links.
    substituted
        ``[K, L]`` units of the substituted carrier each link replaced at its receiver.
    binding
        ``[K, L]`` the limit that bound each link: 0 inactive, 1 supply, 2 its own bound,
        3 the receiver's demand or room.
    active
        ``[L]`` which links were active in the period.
    opening, closing
        ``[K, P]`` stock of each stockpile at the start and the end of the period.
    value_added
        ``[K, n]`` value added per unit of activity of each enterprise.
    status
        ``[K]`` :class:`Status` flags, 0 for a valid sample.
    problems
        What each invalid sample breaks.
    """

    period: int
    batched: bool
    levels: np.ndarray
    slot_flow: np.ndarray
    qty: np.ndarray
    sent: np.ndarray
    substituted: np.ndarray
    binding: np.ndarray
    active: np.ndarray
    opening: np.ndarray
    closing: np.ndarray
    value_added: np.ndarray
    status: np.ndarray
    problems: tuple[SampleProblem, ...]

    @property
    def size(self) -> int:
        """K, the number of samples."""
        return int(self.qty.shape[0])

    def valid(self) -> np.ndarray:
        """``[K]`` boolean: samples that break no invariant."""
        valid: np.ndarray = self.status == 0
        return valid

    def problems_of(self, sample: int) -> list[Problem]:
        """The problems of one sample, in the order found."""
        return [p.problem for p in self.problems if p.sample == sample]
