"""One currency's network (F, z, e, r) from a solved park's FlowTable.

ENA needs one currency per network, so carriers are never summed across dimensions. The
currency of a carrier is decided by its catalogue entry, never by its id:

- ``mass`` (t): every carrier with a mass per unit (``t_per_unit``: tonnes, or m³ of a gas with
  its density) **except the water classes** (fresh, waste, reclaimed, recirculated water), which
  are the water currency; steam, measured in t, is mass here and energy too;
- ``energy`` (GJ): every carrier with an energy content (``tce_per_unit > 0``: fuels, secondary
  energy, waste heat and pressure, energy-rich by-products), at 29.3076 GJ/tce (GB/T 2589);
  electricity at its 当量值 0.1229 tce/MWh (= 3.6 GJ/MWh);
- ``water`` (m³): the water classes; in-plant recirculated water (循环水) is a **self-loop**
  f_ii of the recirculating enterprise (it passes through the plant again, as GB/T 7119's reuse
  rate counts it), unless ``recirculation=False``.

Nodes are the enterprises with a flow in the currency; the boundary nodes close the network:
flows from the market, the environment or a stockpile are inputs z; flows to the market
(products and by-products sold) are exports e; flows to disposal, treatment, the environment
or a stockpile (landfill, emissions, lost heat, waste put in store) are dissipation r. Flows
between two boundary nodes do not touch the network and are left out.

A park closes each carrier's balance, not each currency's: a power plant turns coal (t) into
electricity and heat, and combustion gases are rarely all in the file. With ``close=True``
(default) the residual of each node, Σ in − Σ out, is booked as **unrecorded dissipation**
when positive and as **unrecorded input** when negative; both totals are reported
(``unrecorded_dissipation``, ``unrecorded_input``), so nothing is hidden. With ``close=False``
the recorded network goes to the balance check as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import ParkFlowError
from ..model.carriers import WATER_CLASSES, Carrier, CarrierClass
from ..results.result import Result
from ..units import to_canonical
from .flownet import FlowNetwork

Currency = Literal["mass", "energy", "water"]
CURRENCIES: tuple[Currency, ...] = ("mass", "energy", "water")
UNITS: dict[str, str] = {"mass": "t", "energy": "GJ", "water": "m³"}
INPUT_KINDS = ("market", "environment", "stockpile", "treatment", "disposal")
EXPORT_KINDS = ("market",)
DISSIPATION_KINDS = ("disposal", "treatment", "environment", "stockpile")


@dataclass(frozen=True)
class ParkNetwork:
    """A park's network in one currency, with what was booked to close it.

    Attributes
    ----------
    network
        F, z, e, r over the enterprises with a flow in the currency.
    edges
        The FlowTable rows between enterprises that make F: source, target, carrier,
        quantity and unit, and ``value`` in the currency's unit.
    closure
        Per node: recorded inflow and outflow, ``unrecorded_dissipation`` and
        ``unrecorded_input`` (what ``close=True`` booked).
    """

    currency: Currency
    period: int
    network: FlowNetwork
    edges: pd.DataFrame
    closure: pd.DataFrame


def carrier_factor(carrier: Carrier, currency: Currency) -> float | None:
    """Currency units per canonical unit of ``carrier``; ``None`` if it is not in the currency."""
    water = carrier.carrier_class in WATER_CLASSES
    if currency == "water":
        if not water:
            return None
        return 1.0 if carrier.unit == "m**3" else 1.0 / (carrier.t_per_unit or 1.0)
    if currency == "mass":
        return None if water or carrier.t_per_unit is None else carrier.t_per_unit
    if currency == "energy":
        return carrier.tce_per_unit * _gj_per_tce() if carrier.tce_per_unit > 0 else None
    raise ParkFlowError.single("<currency>", "currency", f"unknown currency {currency!r}",
                               f"use one of: {', '.join(CURRENCIES)}")


def _gj_per_tce() -> float:
    return to_canonical("1 tce", "GJ")


def park_network(result: Result, currency: Currency = "mass", period: int | None = None, *,
                 recirculation: bool = True, close: bool = True) -> ParkNetwork:
    """Build F, z, e, r of one currency from ``result.flows`` for one period.

    Raises
    ------
    ParkFlowError
        For an unknown currency or period, or when no enterprise has a flow in the currency.
    """
    period = _period(result, period)
    rows = _currency_rows(result, currency, period, recirculation)
    labels = _nodes(rows, result, currency, period)
    index = {label: i for i, label in enumerate(labels)}
    internal = (rows["source_kind"] == "enterprise") & (rows["target_kind"] == "enterprise")
    edges = rows[internal]
    n = len(labels)
    flows = sp.csr_matrix((edges["value"].to_numpy(),
                           (edges["source"].map(index).to_numpy(dtype=np.int64),
                            edges["target"].map(index).to_numpy(dtype=np.int64))), shape=(n, n))
    z = _boundary_sum(rows, index, "target", "source_kind", INPUT_KINDS)
    e = _boundary_sum(rows, index, "source", "target_kind", EXPORT_KINDS)
    r = _boundary_sum(rows, index, "source", "target_kind", DISSIPATION_KINDS)
    recorded = FlowNetwork(sp.csr_matrix(flows), z, e, r, labels, UNITS[currency])
    closure = _closure(recorded)
    if close:
        recorded = FlowNetwork(recorded.flows, z + closure["unrecorded_input"].to_numpy(), e,
                               r + closure["unrecorded_dissipation"].to_numpy(), labels,
                               UNITS[currency])
    return ParkNetwork(currency, period, recorded, edges.reset_index(drop=True), closure)


def _period(result: Result, period: int | None) -> int:
    if period is None:
        return result.periods[0]
    if period not in result.periods:
        raise ParkFlowError.single(result.park.source_label, "period",
                                   f"{period} is not in the result ({result.periods})",
                                   "balance that year first")
    return period


def _currency_rows(result: Result, currency: Currency, period: int, recirculation: bool
                   ) -> pd.DataFrame:
    catalogue = result.park.catalogue
    flows = result.flows[result.flows["period"] == period]
    factors = {c: carrier_factor(catalogue[c], currency) for c in flows["carrier"].unique()}
    keep = {c: f for c, f in factors.items() if f is not None}
    rows = flows[flows["carrier"].isin(list(keep))].copy()
    for column in ("source", "target", "source_kind", "target_kind", "carrier"):
        rows[column] = rows[column].astype(str)
    rows["value"] = rows["quantity"].to_numpy(dtype=float) * rows["carrier"].map(keep).to_numpy(
        dtype=float)
    if not recirculation:
        self_loop = (rows["source"] == rows["target"]) & (
            rows["carrier_class"].astype(str) == CarrierClass.RECIRCULATED_WATER.value)
        rows = rows[~self_loop]
    return rows[rows["value"] > 0]


def _nodes(rows: pd.DataFrame, result: Result, currency: Currency, period: int
           ) -> tuple[str, ...]:
    touched = set(rows.loc[rows["source_kind"] == "enterprise", "source"]) | set(
        rows.loc[rows["target_kind"] == "enterprise", "target"])
    labels = tuple(e.id for e in result.park.enterprises if e.id in touched)
    if not labels:
        raise ParkFlowError.single(result.park.source_label, "", f"no enterprise has a "
                                   f"{currency} flow in {period}",
                                   f"choose another currency ({', '.join(CURRENCIES)})")
    return labels


def _boundary_sum(rows: pd.DataFrame, index: dict[str, int], node_column: str,
                  kind_column: str, kinds: tuple[str, ...]) -> np.ndarray:
    end_kind = "target_kind" if node_column == "target" else "source_kind"
    picked = rows[(rows[end_kind] == "enterprise") & rows[kind_column].isin(kinds)]
    position = picked[node_column].map(index).to_numpy(dtype=np.int64)
    return np.bincount(position, weights=picked["value"].to_numpy(), minlength=len(index))


def _closure(network: FlowNetwork) -> pd.DataFrame:
    tin, tout = network.inflow, network.outflow
    residual = tin - tout
    tiny = 1e-9 * np.maximum(np.maximum(tin, tout), 1e-300)
    residual = np.where(np.abs(residual) <= tiny, 0.0, residual)
    return pd.DataFrame({
        "recorded_inflow": tin, "recorded_outflow": tout,
        "unrecorded_dissipation": np.maximum(residual, 0.0),
        "unrecorded_input": np.maximum(-residual, 0.0),
    }, index=pd.Index(network.labels, name="node"))
