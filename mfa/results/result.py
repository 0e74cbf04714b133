"""The result of a run: the FlowTable and its companion tables, assembled once from Solutions.

FlowTable (``result.flows``): one row per (period, source, target, carrier, substituted
carrier), quantity in the carrier's canonical unit per year, with node kinds and the carrier
class so the statistical identities can be recomputed from ``flows.csv`` alone (columns and
their meaning: :data:`mfa.results.tables.COLUMNS`). A simulation produces the same schema with
more periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd

from ..engine.compiled import CompiledPark
from ..engine.solution import Solution
from ..model.park import Park
from . import tables

FLOW_COLUMNS = list(tables.COLUMNS["flows"])
# Waste classes that a park rarely buys: when unmet demand for them comes from the market the
# activity level of the user may be set higher than what the park supplies it.
_WASTE_CLASSES = ("general_solid_waste", "hazardous_waste", "wastewater", "waste_heat_pressure")


@dataclass
class Result:
    """One or more periods of a park's flows (:class:`mfa.BalanceResult` adds the indicators).

    Attributes
    ----------
    flows
        The FlowTable (see the module docstring).
    stockpiles
        Per period and stockpile: opening, stored, withdrawn (utilised / disposed / other),
        closing and capacity, in the carrier's unit.
    activity
        Per period and enterprise: activity level, capacity and value added.
    enterprise_balance
        Per period, enterprise and carrier: quantity produced and consumed (after
        substitution), which the flows must match.
    link_flows
        Per period and link: sent, delivered, lost, substitution and the binding limit.
    solutions
        The engine's arrays the tables were built from, one per period.
    """

    park: Park
    compiled: CompiledPark
    flows: pd.DataFrame
    stockpiles: pd.DataFrame
    activity: pd.DataFrame
    enterprise_balance: pd.DataFrame
    link_flows: pd.DataFrame
    solutions: tuple[Solution, ...] = ()
    notes: list[str] = field(default_factory=list)  # things worth a second look

    @property
    def periods(self) -> list[int]:
        """The periods (years) the result holds, in order."""
        return [s.period for s in self.solutions]

    @property
    def units(self) -> dict[str, str]:
        """Canonical unit of every carrier of the park."""
        return dict(zip(self.compiled.carriers, self.compiled.units, strict=True))


R = TypeVar("R", bound=Result)


def assemble(park: Park, compiled: CompiledPark, solutions: Sequence[Solution],
             result_type: type[R], sample: int = 0) -> R:
    """Build the result tables of one sample of ``solutions`` (one per period)."""
    flows = tables.flow_table(compiled, solutions, sample)
    return result_type(
        park=park,
        compiled=compiled,
        flows=flows,
        stockpiles=tables.stockpile_table(compiled, solutions, sample),
        activity=tables.activity_table(compiled, solutions, sample),
        enterprise_balance=tables.enterprise_balance(compiled, solutions, sample),
        link_flows=tables.link_table(compiled, solutions, sample),
        solutions=tuple(solutions),
        notes=_waste_from_outside(flows) + _utilised_back_to_storage(flows),
    )


def _waste_from_outside(flows: pd.DataFrame) -> list[str]:
    # Only the implicit nodes: a node the park declares to supply waste is intended.
    bought = flows[flows["source"].isin(["market", "environment"])
                   & flows["carrier_class"].isin(_WASTE_CLASSES)]
    return [
        f"{row.target} receives {row.quantity:,.6g} {row.unit}/a of {row.carrier} from outside "
        f"the park ({row.source}) in {row.period}: its demand is not met by links; if that is "
        "not intended, lower its activity level or add a link"
        for row in bought.itertuples(index=False)
    ]


_SOLID = "general_solid_waste"
BACK_TO_STORAGE = 0.9  # share of a user's waste intake that goes straight back: flagged


def _utilised_back_to_storage(flows: pd.DataFrame) -> list[str]:
    """Enterprises that take general solid waste in (counted as 综合利用) and send more than
    90 % of that mass straight back to storage or disposal (review domain.md §1.1)."""
    solid = flows[(flows["carrier_class"] == _SOLID).to_numpy()]
    src_kind, dst_kind = solid["source_kind"].to_numpy(), solid["target_kind"].to_numpy()
    taken = (dst_kind == "enterprise") & np.isin(src_kind, ["enterprise", "stockpile"])
    back = (src_kind == "enterprise") & np.isin(dst_kind, ["stockpile", "disposal", "treatment"])
    if not taken.any() or not back.any():
        return []
    quantity = solid["quantity"].to_numpy()
    intake = pd.Series(quantity[taken]).groupby(
        [solid["period"].to_numpy()[taken], solid["target"].to_numpy()[taken]]).sum()
    returned = pd.Series(quantity[back]).groupby(
        [solid["period"].to_numpy()[back], solid["source"].to_numpy()[back]]).sum()
    put_back = returned.reindex(intake.index, fill_value=0.0)
    flagged = intake[(intake > 0) & (put_back > BACK_TO_STORAGE * intake)]
    return [f"{node} takes {mass:,.6g} t of solid waste in {period}, counted as 综合利用, and "
            f"sends {put_back[(period, node)] / mass:.1%} of that mass back to storage or "
            "disposal: see solid_waste_net_utilisation_rate"
            for (period, node), mass in zip(flagged.index.to_list(), flagged.to_numpy(),
                                            strict=True)]
