"""The table path: official indicators from a result's tables (pandas), for people and reports.

The totals and formulas are the registered ones (:mod:`mfa.indicators.official`), the same the
fast path uses; everything is grouped by period, so a simulated FlowTable with many periods
goes through the same code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.carriers import CarrierClass
from ..model.indicator_defs import INDICATORS, unit_for
from ..model.ledger import SUPPLY_KINDS, Meaning, kinds
from . import official
from .fast import base_year_rate
from .registry import TOTALS, compute_all, needed_totals, ratio
from .totals import FlowSum

if TYPE_CHECKING:
    from ..model.park import Target
    from ..results.result import Result

LEDGER_COLUMNS = ["generated", "utilised", "utilised_from_stock", "stored", "disposed",
                  "disposed_from_stock", "dumped"]


def indicator_values(result: Result) -> pd.DataFrame:
    """Wide table: one row per period, one column per indicator id (display units)."""
    periods = pd.Index(result.periods, name="period")
    totals = {name: TOTALS[name].table(result).reindex(periods).to_numpy(dtype=float)
              for name in needed_totals()}
    totals["base_resource_output_rate"] = np.full(len(periods),
                                                  base_year_rate(result.compiled))
    values = compute_all(totals)
    return pd.DataFrame({i: values[i] for i in INDICATORS}, index=periods)


def park_indicators(result: Result) -> pd.DataFrame:
    """Park-wide indicators, long form: index (period, indicator); names, value, unit, target.

    ``target`` and ``target_year`` are the park's next target at or after the period.
    """
    values = indicator_values(result)
    currency = result.compiled.currency
    rows = []
    for period, row in values.iterrows():
        for ind_id, value in row.items():
            definition = INDICATORS[str(ind_id)]
            target = _next_target(result, str(ind_id), int(str(period)))
            rows.append({
                "period": period, "indicator": ind_id, "name_zh": definition.name_zh,
                "name_en": definition.name_en, "value": value,
                "unit": unit_for(str(ind_id), currency),
                "target": target.value if target else np.nan,
                "target_year": target.year if target else pd.NA,
            })
    table = pd.DataFrame(rows).set_index(["period", "indicator"])
    table["target_year"] = table["target_year"].astype("Int64")
    return table


def _next_target(result: Result, indicator: str, period: int) -> Target | None:
    future = [t for t in result.compiled.targets if t.indicator == indicator and t.year >= period]
    return min(future, key=lambda t: t.year) if future else None


def waste_accounts(flows: pd.DataFrame, carrier_class: str) -> pd.DataFrame:
    """The NBS ledger per period and carrier for one class of waste (or waste heat).

    Columns: generated, utilised (incl. from stock), utilised_from_stock, stored, disposed
    (incl. from stock), disposed_from_stock, dumped. The identity
    ``generated = (utilised − utilised_from_stock) + stored + (disposed − disposed_from_stock)
    + dumped`` holds because every enterprise output appears as a flow.
    """
    part = flows[flows["carrier_class"] == carrier_class]
    table = pd.DataFrame({name: part["quantity"].where(flow.mask(part), 0.0)
                          for name, flow in official.waste_ledger(carrier_class).items()})
    table[["period", "carrier"]] = part[["period", "carrier"]]
    ledger = table.groupby(["period", "carrier"], observed=True).sum()
    ledger["utilised"] = ledger.pop("utilised_direct") + ledger["utilised_from_stock"]
    ledger["disposed"] = ledger.pop("disposed_direct") + ledger["disposed_from_stock"]
    return ledger[LEDGER_COLUMNS]


def utilisation_rate(ledger: pd.DataFrame) -> pd.Series:
    """综合利用率 (%) = 综合利用量 / (产生量 + 综合利用往年贮存量) × 100."""
    denominator = (ledger["generated"] + ledger["utilised_from_stock"]).to_numpy()
    return pd.Series(100.0 * ratio(ledger["utilised"].to_numpy(), denominator),
                     index=ledger.index)


def waste_by_carrier(result: Result) -> pd.DataFrame:
    """The NBS ledger and utilisation rate per waste carrier (solid, hazardous, waste heat)."""
    frames = []
    for klass in (official.GSW, official.HAZ, official.HEAT):
        ledger = waste_accounts(result.flows, klass)
        if ledger.empty:
            continue
        ledger["utilisation_rate"] = utilisation_rate(ledger)
        ledger["class"] = klass
        ledger["unit"] = [result.park.catalogue[c].unit for c in
                          ledger.index.get_level_values("carrier")]
        frames.append(ledger)
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames)


def by_enterprise(result: Result) -> pd.DataFrame:
    """Per enterprise: value added, primary resources, energy, fresh water, waste, CO₂."""
    flows, catalogue = result.flows, result.park.catalogue

    def per(flow: FlowSum, node: str) -> pd.Series:
        values = flow.weighted(flows, catalogue)
        return values.groupby([flows["period"], flows[node]], observed=True).sum().rename_axis(
            ["period", "enterprise"])

    enterprise, gsw = ("enterprise",), [official.GSW]
    users = kinds(Meaning.UTILISED)
    act = result.activity.set_index(["period", "enterprise"])
    table = pd.DataFrame(index=act.index)
    table["value_added"] = act["value_added"] / official.WAN
    table["primary_resource_consumption"] = per(official.PRIMARY_INPUT, "target").sub(
        per(official.PRIMARY_SOLD, "source"), fill_value=0.0)
    # GB/T 2589 at enterprise level: energy received from anyone minus energy supplied to
    # other users (外供); summed over enterprises, internal exchanges cancel and the park
    # total equals purchases minus sales.
    received = per(FlowSum.of(None, None, enterprise, weight="tce"), "target")
    supplied = per(FlowSum.of(None, enterprise, users, weight="tce"), "source")
    table["energy_consumption"] = received.sub(supplied, fill_value=0.0)
    table["fresh_water_use"] = per(FlowSum.of([CarrierClass.FRESH_WATER.value], SUPPLY_KINDS,
                                              enterprise), "target")
    table["solid_waste_generated"] = per(FlowSum.of(gsw, enterprise), "source")
    table["solid_waste_utilised"] = per(FlowSum.of(gsw, None, users), "source")
    table = table.fillna(0.0)
    table["solid_waste_utilisation_rate"] = 100 * ratio(table["solid_waste_utilised"].to_numpy(),
                                                        table["solid_waste_generated"].to_numpy())
    carbon = per(official.CARBON_IN, "target").sub(per(official.CARBON_OUT, "source"),
                                                   fill_value=0.0)
    table["co2_fuel_combustion"] = carbon.reindex(table.index).fillna(0.0)
    table.attrs["units"] = {"value_added": unit_for("value_added", result.compiled.currency),
                            "energy_consumption": "tce", "fresh_water_use": "m³",
                            "solid_waste_utilisation_rate": "%"} | {
        c: "t" for c in ("primary_resource_consumption", "solid_waste_generated",
                         "solid_waste_utilised", "co2_fuel_combustion")}
    return table
