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
from .availability import quality, unavailable
from .fast import base_year_rate
from .registry import TOTALS, compute_all, needed_totals, ratio
from .totals import Feedstock, FlowSum
from .weights import POLLUTANTS

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
    values = compute_all(totals, unavailable(result.compiled.statistics,
                                             result.compiled.carrier_info))
    return pd.DataFrame({i: values[i] for i in INDICATORS}, index=periods)


def park_indicators(result: Result) -> pd.DataFrame:
    """Park-wide indicators, long form: index (period, indicator); names, value, unit, target,
    basis, quality, note.

    ``target`` and ``target_year`` are the park's next target at or after the period;
    ``basis`` the statistical bases the value depends on (``electricity=calorific; …``);
    ``quality`` ``modelled`` / ``assumed`` / ``declared``; ``note`` why a value is "–", or
    that an id is deprecated.
    """
    values = indicator_values(result)
    stats = result.compiled.statistics
    missing = unavailable(stats, result.compiled.carrier_info)
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
                "basis": stats.basis.label(definition.bases),
                "quality": quality(str(ind_id), stats),
                "note": _note(str(ind_id), value, missing),
            })
    table = pd.DataFrame(rows).set_index(["period", "indicator"])
    table["target_year"] = table["target_year"].astype("Int64")
    return table


def _note(ind_id: str, value: float, missing: dict[str, str]) -> str:
    if ind_id in missing:
        return missing[ind_id]
    if INDICATORS[ind_id].deprecated:
        return f"deprecated id: use {INDICATORS[ind_id].deprecated}"
    if np.isnan(value):
        return "undefined: its denominator is zero in this period"
    return ""


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
        # Waste heat has no booked-output rate: 余热利用率 is over the declared resource
        # (park_indicators), so the ledger of waste-heat carriers carries no rate.
        ledger["utilisation_rate"] = (utilisation_rate(ledger) if klass != official.HEAT
                                      else np.nan)
        ledger["class"] = klass
        ledger["unit"] = [result.park.catalogue[c].unit for c in
                          ledger.index.get_level_values("carrier")]
        frames.append(ledger)
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames)


def by_enterprise(result: Result) -> pd.DataFrame:
    """Per enterprise: value added, primary resources, energy, fresh water, waste, CO₂,
    wastewater and pollutants (the park totals' rules, enterprise by enterprise)."""
    flows, park = result.flows, result.park

    def per(flow: FlowSum, node: str) -> pd.Series:
        values = flow.weighted(flows, park)
        return values.groupby([flows["period"], flows[node]], observed=True).sum().rename_axis(
            ["period", "enterprise"])

    enterprise, gsw = ("enterprise",), [official.GSW]
    users = kinds(Meaning.UTILISED)
    act = result.activity.set_index(["period", "enterprise"])
    table = pd.DataFrame(index=act.index)
    table["value_added"] = act["value_added"] / official.WAN
    table["primary_resource_consumption"] = per(official.PRIMARY_INPUT, "target").sub(
        per(official.PRIMARY_SOLD, "source"), fill_value=0.0)
    # GB/T 2589 at enterprise level: energy received from anyone (waste fuels included)
    # minus energy supplied to other users or stored (外供; a waste is not 外供能源); summed
    # over enterprises, internal exchanges cancel and the park total is energy_consumption.
    received = per(FlowSum.of(None, None, enterprise, weight="tce"), "target")
    supplied = per(FlowSum.of(official.NOT_WASTE, enterprise, (*users, "stockpile"),
                              weight="tce"), "source")
    table["energy_consumption"] = received.sub(supplied, fill_value=0.0)
    if park.statistics.basis.feedstock_energy == "exclude":
        table["energy_consumption"] = table["energy_consumption"].sub(
            _feedstock_per_enterprise(result), fill_value=0.0)
    table["fresh_water_use"] = per(FlowSum.of([CarrierClass.FRESH_WATER.value], SUPPLY_KINDS,
                                              enterprise), "target")
    table["solid_waste_generated"] = per(FlowSum.of(gsw, enterprise), "source")
    table["solid_waste_utilised"] = per(FlowSum.of(gsw, None, users), "source")
    table["wastewater_discharged"] = per(TOTALS["wastewater_discharged"], "source")  # type: ignore[arg-type]
    for pollutant in POLLUTANTS:
        table[f"{pollutant}_emission"] = per(TOTALS[f"emitted_{pollutant}"], "source")  # type: ignore[arg-type]
    table = table.reindex(act.index).fillna(0.0)
    table["solid_waste_utilisation_rate"] = 100 * ratio(table["solid_waste_utilised"].to_numpy(),
                                                        table["solid_waste_generated"].to_numpy())
    carbon = per(official.CARBON_IN, "target").sub(per(official.CARBON_OUT, "source"),
                                                   fill_value=0.0)
    table["co2_carbon_balance"] = carbon.reindex(table.index).fillna(0.0)
    process = per(FlowSum.of([CarrierClass.EMISSION.value], enterprise, ("environment",),
                             weight="co2"), "source")
    table["co2_direct"] = table["co2_carbon_balance"] + process.reindex(table.index).fillna(0.0)
    table["co2_fuel_combustion"] = table["co2_carbon_balance"]  # deprecated column name
    table.attrs["units"] = {"value_added": unit_for("value_added", result.compiled.currency),
                            "energy_consumption": "tce", "fresh_water_use": "m³",
                            "wastewater_discharged": "m³",
                            "solid_waste_utilisation_rate": "%"} | {
        c: "t" for c in ("primary_resource_consumption", "solid_waste_generated",
                         "solid_waste_utilised", "co2_carbon_balance", "co2_direct",
                         "co2_fuel_combustion", *(f"{p}_emission" for p in POLLUTANTS))}
    return table


def _feedstock_per_enterprise(result: Result) -> pd.Series:
    """原料用能 per (period, enterprise), as the park total counts it."""
    feedstock = TOTALS["feedstock"]
    assert isinstance(feedstock, Feedstock)
    return feedstock.per_enterprise(result.flows, result.park, result.compiled)
