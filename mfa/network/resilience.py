"""Resilience by enterprise removal, propagated through the engine (DOMAIN.md §5.3).

Removing an enterprise drops it and every link to or from it (``dataclasses.replace`` on the
frozen park, so the compiled arrays are rebuilt). The engine then does what it does with any
unmet input: the former receivers buy it from the carrier's source (the market, usually primary
material), and what the removed enterprise used to take goes to the carrier's sink (landfill,
environment, market). This is the "economic / flow cascade" of DOMAIN.md §5.3 (b).

With a ``threshold`` the "structural cascade" (a) is added: an enterprise whose symbiotic
supply (its inflow from other enterprises in the chosen currency) falls below ``threshold``
times its baseline supply stops too, and the check repeats until no more enterprise stops.

For each removal the change is reported in the solid-waste utilisation rate
(``solid_waste_utilisation_rate``, %), the resource output rate (``resource_output_rate``), and
TST and FCI of the currency network (:mod:`mfa.network.throughflow`). A removal that makes the
year infeasible is reported with its reason in ``status``, never dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import ParkFlowError
from ..indicators.table import indicator_values
from ..model.park import Park
from .currency import Currency, park_network
from .parks import solve_park
from .structure import centralities
from .throughflow import flow_metrics

INDICATORS = ("solid_waste_utilisation_rate", "resource_output_rate")
MEASURES = (*INDICATORS, "tst", "fci")
Order = Literal["random", "degree", "betweenness", "throughflow"]


def without(park: Park, removed: Iterable[str]) -> Park:
    """The park without the ``removed`` enterprises and the links touching them."""
    gone = set(removed)
    unknown = gone - {e.id for e in park.enterprises}
    if unknown:
        raise ParkFlowError.single(park.source_label, "enterprises",
                                   f"no enterprise {sorted(unknown)} to remove",
                                   "name enterprises of the park (see its enterprises ids)")
    return dataclasses.replace(
        park,
        enterprises=[e for e in park.enterprises if e.id not in gone],
        links=[link for link in park.links if link.source not in gone
               and link.target not in gone],
    )


def measure(park: Park, year: int | None, currency: Currency) -> tuple[dict[str, float],
                                                                     pd.Series]:
    """The four measures of a park and each enterprise's symbiotic supply (currency)."""
    result = solve_park(park, year)
    values = indicator_values(result).iloc[0]
    out = {name: float(values[name]) for name in INDICATORS}
    try:
        built = park_network(result, currency)
    except ParkFlowError:  # no enterprise left with a flow in the currency
        return out | {"tst": 0.0, "fci": float("nan")}, pd.Series(dtype=float)
    flows = flow_metrics(built.network)
    supply = pd.Series(np.asarray(built.network.flows.sum(axis=0)).ravel(),
                       index=list(built.network.labels))
    return out | {"tst": flows["tst"], "fci": flows["fci"]}, supply


def remove(park: Park, removed: Sequence[str], year: int | None = None,
           currency: Currency = "mass", threshold: float | None = None,
           baseline_supply: pd.Series | None = None) -> tuple[dict[str, float], list[str]]:
    """Measures after removing ``removed`` (and, with a threshold, the cascade it starts).

    Returns the measures and every enterprise stopped, in the order they stopped.
    """
    stopped = list(dict.fromkeys(removed))
    while True:
        values, supply = measure(without(park, stopped), year, currency)
        if threshold is None or baseline_supply is None:
            return values, stopped
        failing = [node for node, base in baseline_supply.items() if base > 0
                   and node not in stopped and supply.get(node, 0.0) < threshold * base]
        if not failing:
            return values, stopped
        stopped += [str(node) for node in failing]


def single_removals(park: Park, year: int | None = None, currency: Currency = "mass",
                    threshold: float | None = None) -> pd.DataFrame:
    """Remove each enterprise in turn; the change in every measure, ranked.

    Returns
    -------
    pandas.DataFrame
        Index ``enterprise``; ``stopped`` (enterprises stopped, itself first), ``status``,
        and for each measure its value after removal and ``delta_<measure>`` against the
        intact park. ``rank`` 1 is the most critical: the largest drop in solid-waste
        utilisation, then in FCI, then in TST.
    """
    base, supply = measure(park, year, currency)
    rows = {}
    for ent in park.enterprises:
        rows[ent.id] = _row([ent.id], park, year, currency, threshold, supply, base)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "enterprise"
    table.attrs.update(baseline=base, currency=currency, threshold=threshold)
    return _ranked(table)


def _row(removed: list[str], park: Park, year: int | None, currency: Currency,
         threshold: float | None, supply: pd.Series, base: dict[str, float]
         ) -> dict[str, object]:
    try:
        values, stopped = remove(park, removed, year, currency, threshold, supply)
    except ParkFlowError as error:
        values, stopped = dict.fromkeys(MEASURES, float("nan")), removed
        status = f"infeasible: {error.problems[0].message if error.problems else error}"
    else:
        status = "ok"
    row: dict[str, object] = {"stopped": ";".join(stopped), "n_stopped": len(stopped),
                              "status": status}
    for name in MEASURES:
        row[name] = values[name]
        row[f"delta_{name}"] = values[name] - base[name]
    return row


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    keys = ["delta_solid_waste_utilisation_rate", "delta_fci", "delta_tst"]
    order = table.sort_values(keys, na_position="last", kind="stable").index
    table["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order)
    return table.sort_values("rank")


def removal_sequence(park: Park, order: Order | Sequence[str] = "degree",
                     year: int | None = None, currency: Currency = "mass",
                     threshold: float | None = None, seed: int = 0,
                     steps: int | None = None) -> pd.DataFrame:
    """Remove enterprises one after another (cumulatively) and track the measures.

    ``order`` is an explicit list of enterprise ids, ``"random"`` (a permutation drawn from
    ``numpy.random.default_rng(seed)``), or a targeted attack by the intact network's
    ``"degree"``, ``"betweenness"`` or ``"throughflow"`` (highest first; Chopra & Khanna 2014).
    Step 0 is the intact park.
    """
    base, supply = measure(park, year, currency)
    sequence = _sequence(park, order, year, currency, seed)[:steps]
    rows = [{"removed": "", "stopped": "", "n_stopped": 0, "status": "ok", **base,
             **{f"delta_{m}": 0.0 for m in MEASURES}}]
    for step in range(1, len(sequence) + 1):
        row = _row(sequence[:step], park, year, currency, threshold, supply, base)
        rows.append({"removed": sequence[step - 1], **row})
    table = pd.DataFrame(rows)
    table.index.name = "step"
    table.attrs.update(baseline=base, currency=currency, order=order, seed=seed)
    return table


def _sequence(park: Park, order: Order | Sequence[str], year: int | None,
              currency: Currency, seed: int) -> list[str]:
    ids = [e.id for e in park.enterprises]
    if not isinstance(order, str):
        without(park, order)  # raises for an id that is not an enterprise of the park
        return list(order)
    if order == "random":
        return [ids[i] for i in np.random.default_rng(seed).permutation(len(ids))]
    if order not in ("degree", "betweenness", "throughflow"):
        raise ParkFlowError.single(park.source_label, "order", f"unknown order {order!r}",
                                   "use random, degree, betweenness, throughflow or a list")
    nodes = centralities(park_network(solve_park(park, year), currency).network)
    score = nodes[order].reindex(ids).fillna(-1.0)
    return list(score.sort_values(ascending=False, kind="stable").index)
