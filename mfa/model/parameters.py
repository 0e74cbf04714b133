"""The ParameterTable: every value of a park that feeds a computation, with its range and source.

Park files give most coefficients as ``{value, low, high, source}``; the loader validates the
range and keeps it here (flodym's split of structure and parameter values). Monte Carlo,
sensitivity studies and :class:`mfa.Evaluator` read central, low and high from this table; the
compiled park records which array slot each row feeds (:mod:`mfa.engine.compiled`).

Ids are stable strings a study can use as column names:

=============================  ===============================================================
``<enterprise>.rates.<carrier>``  signed rate per unit of activity (− consumed, + produced)
``<enterprise>.level``            activity level (``.level.<year>`` for a level from a year on)
``<enterprise>.capacity``         capacity (a bound on levels; no effect on a steady state)
``<enterprise>.value_added``      value added per unit of activity
``<enterprise>.water_recirculation``  in-plant recirculated water per unit of activity
``links.<link>.share|quantity|cap``   a link's bound
``links.<link>.ratio``            substitution ratio (units replaced per unit delivered)
``<stockpile>.opening_stock``     opening stock
``<stockpile>.capacity``          stockpile capacity
=============================  ===============================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

ElementKind = Literal["enterprise", "link", "stockpile"]
PARAMETER_COLUMNS = ["id", "element", "kind", "field", "carrier", "year", "central", "low",
                     "high", "unit", "source", "location"]


@dataclass(frozen=True)
class Parameter:
    """One value of the park: central, optional low/high (NaN when not given), all in the
    canonical ``unit``; ``year`` for a level that applies from that year on."""

    id: str
    element: str
    kind: ElementKind
    field: str
    carrier: str
    year: int | None
    central: float
    low: float = math.nan
    high: float = math.nan
    unit: str = ""
    source: str = ""
    location: str = ""  # where in the file, e.g. "enterprises[3] (smelter).rates.coal"

    @property
    def has_range(self) -> bool:
        """Whether low and high are both given."""
        return not (math.isnan(self.low) or math.isnan(self.high))


@dataclass(frozen=True)
class ParameterTable:
    """The parameters of one park, in file order."""

    rows: tuple[Parameter, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def ids(self) -> list[str]:
        """Parameter ids in table order."""
        return [p.id for p in self.rows]

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame, one row per parameter (columns: PARAMETER_COLUMNS)."""
        import pandas as pd

        frame = pd.DataFrame([[getattr(p, c) for c in PARAMETER_COLUMNS] for p in self.rows],
                             columns=PARAMETER_COLUMNS)
        frame["year"] = frame["year"].astype("Int64")
        return frame
