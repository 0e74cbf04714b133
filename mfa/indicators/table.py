"""Official circular-economy indicators, computed from a balance result's tables only.

Formulas and sources are in ``docs/indicators.md`` and :mod:`mfa.model.indicator_defs`.
Everything is grouped by period, so a simulated FlowTable with many periods goes through the
same code.
Carrier classes decide what counts where; no carrier is named here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model.carriers import PRIMARY_CLASSES, CarrierClass
from ..model.indicator_defs import INDICATORS, unit_for

if TYPE_CHECKING:
    from ..model.park import Target
    from ..results.result import Result

GSW = CarrierClass.GENERAL_SOLID_WASTE.value
HAZ = CarrierClass.HAZARDOUS_WASTE.value
HEAT = CarrierClass.WASTE_HEAT_PRESSURE.value
BOUNDARY_IN = ("market", "environment")
USERS = ("enterprise", "market")  # utilisation: given to a user inside or outside the park
DISPOSAL = ("disposal", "treatment")
WAN = 1e4  # 万: value added is shown in 10⁴ currency units


def _carrier_column(flows: pd.DataFrame, result: Result, attribute: str) -> pd.Series:
    catalogue = result.park.catalogue
    values = {c: getattr(catalogue[c], attribute) for c in flows["carrier"].unique()}
    return flows["carrier"].map(values).astype(float)


def waste_accounts(flows: pd.DataFrame, carrier_class: str) -> pd.DataFrame:
    """The NBS ledger per period and carrier for one class of waste (or waste heat).

    Columns: generated, utilised (incl. from stock), utilised_from_stock, stored, disposed
    (incl. from stock), disposed_from_stock, dumped. The identity
    ``generated = (utilised − utilised_from_stock) + stored + (disposed − disposed_from_stock)
    + dumped`` holds because every enterprise output appears as a flow.
    """
    part = flows[flows["carrier_class"] == carrier_class]
    from_ent = part["source_kind"] == "enterprise"
    from_stock = part["source_kind"] == "stockpile"
    to = part["target_kind"]
    masks = {
        "generated": from_ent,
        "utilised_direct": from_ent & to.isin(USERS),
        "utilised_from_stock": from_stock & to.isin(USERS),
        "stored": from_ent & (to == "stockpile"),
        "disposed_direct": from_ent & to.isin(DISPOSAL),
        "disposed_from_stock": from_stock & to.isin(DISPOSAL),
        "dumped": from_ent & (to == "environment"),
    }
    table = pd.DataFrame({
        name: part["quantity"].where(mask, 0.0) for name, mask in masks.items()
    })
    table[["period", "carrier"]] = part[["period", "carrier"]]
    ledger = table.groupby(["period", "carrier"]).sum()
    ledger["utilised"] = ledger.pop("utilised_direct") + ledger["utilised_from_stock"]
    ledger["disposed"] = ledger.pop("disposed_direct") + ledger["disposed_from_stock"]
    order = ["generated", "utilised", "utilised_from_stock", "stored", "disposed",
             "disposed_from_stock", "dumped"]
    return ledger[order]


def utilisation_rate(ledger: pd.DataFrame | pd.Series) -> pd.Series | float:
    """综合利用率 (%) = 综合利用量 / (产生量 + 综合利用往年贮存量) × 100."""
    denominator = ledger["generated"] + ledger["utilised_from_stock"]
    return 100.0 * ledger["utilised"] / denominator.where(denominator > 0, np.nan)


def _by_period(flows: pd.DataFrame, mask: pd.Series, weight: pd.Series | float = 1.0) -> pd.Series:
    return (flows["quantity"] * weight).where(mask, 0.0).groupby(flows["period"]).sum()


def _park_totals(result: Result) -> pd.DataFrame:
    """Per-period raw totals that the ratio indicators are built from."""
    flows = result.flows
    classes = flows["carrier_class"]
    purchase = flows["source_kind"].isin(BOUNDARY_IN) & (flows["target_kind"] == "enterprise")
    sale = (flows["source_kind"] == "enterprise") & (flows["target_kind"] == "market")
    tce = _carrier_column(flows, result, "tce_per_unit")
    mass = _carrier_column(flows, result, "t_per_unit").fillna(0.0)
    primary = classes.isin([c.value for c in PRIMARY_CLASSES])
    emission = classes == CarrierClass.EMISSION.value
    co2 = _carrier_column(flows, result, "co2_per_unit")
    periods = result.activity.groupby("period")
    totals = pd.DataFrame({
        "value_added": periods["value_added"].sum(),
        "primary_resource_consumption": _by_period(flows, purchase & primary, mass),
        "energy_consumption": _by_period(flows, purchase, tce) - _by_period(flows, sale, tce),
        "fresh_water_use": _by_period(flows, purchase & (classes == "fresh_water")),
        "landfill_total": _by_period(flows, flows["target_kind"] == "disposal", mass),
        "co2_process": _by_period(flows, emission & (flows["target_kind"] == "environment"), co2),
        "co2_fuel_combustion": _fuel_co2(result).groupby("period").sum(),
        "water_repeat": _repeat_water(result),
        "stockpile_closing": _stock_mass(result),
    })
    return totals.fillna(0.0)


def _fuel_co2(result: Result) -> pd.Series:
    """Carbon-balance CO₂ of each enterprise: carbon in − carbon out, as CO₂.

    This is the IPCC 2006 (Vol. 2) mass-balance treatment for energy transformation, so a
    coke oven is charged for the coal it burns, not for the carbon it passes on as coke.
    """
    table = result.enterprise_balance
    catalogue = result.park.catalogue
    factor = table["carrier"].map(
        {c: catalogue[c].co2_per_unit if catalogue[c].carrier_class != CarrierClass.EMISSION
         else 0.0 for c in table["carrier"].unique()}
    ).astype(float)
    net = (table["consumed"] - table["produced"]) * factor
    # Not clipped at zero: a negative value means an enterprise ships more carbon than it takes
    # in (a product without a CO₂ factor upstream), and summing keeps the park total equal to
    # the carbon bought minus the carbon sold.
    return net.groupby([table["period"], table["enterprise"]]).sum()


def _repeat_water(result: Result) -> pd.Series:
    """W_repeat: recirculated water + reclaimed water and fresh-water-substituting water
    passed between enterprises (series reuse)."""
    act = result.activity
    recirc = {e.id: e.water_recirculation for e in result.park.enterprises}
    internal = (act["level"] * act["enterprise"].map(recirc)).groupby(act["period"]).sum()
    flows = result.flows
    reclaimed = (flows["carrier_class"] == CarrierClass.RECLAIMED_WATER.value) & (
        flows["target_kind"] == "enterprise") & (flows["source_kind"] != "market")
    links = result.link_flows
    catalogue = result.park.catalogue
    fresh = {c.id for c in catalogue.carriers if c.carrier_class == CarrierClass.FRESH_WATER}
    waste = {c.id for c in catalogue.carriers if c.carrier_class == CarrierClass.WASTEWATER}
    cascade = links["substitutes"].isin(fresh) & links["carrier"].isin(waste)
    series = links["delivered"].where(cascade, 0.0).groupby(links["period"]).sum()
    return internal.add(_by_period(flows, reclaimed), fill_value=0).add(series, fill_value=0)


def _stock_mass(result: Result) -> pd.Series:
    stock = result.stockpiles
    if stock.empty:
        return pd.Series(dtype=float)
    mass = stock["carrier"].map({c: result.park.catalogue[c].t_per_unit or 0.0
                                 for c in stock["carrier"].unique()})
    return (stock["closing"] * mass).groupby(stock["period"]).sum()


def _class_rate(flows: pd.DataFrame, klass: str) -> tuple[pd.DataFrame, pd.Series]:
    ledger = waste_accounts(flows, klass).groupby("period").sum()
    return ledger, pd.Series(utilisation_rate(ledger), dtype=float)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0, np.nan)


def indicator_values(result: Result) -> pd.DataFrame:
    """Wide table: one row per period, one column per indicator id (display units)."""
    totals = _park_totals(result)
    flows = result.flows
    gsw, gsw_rate = _class_rate(flows, GSW)
    _, haz_rate = _class_rate(flows, HAZ)
    heat, _ = _class_rate(flows, HEAT)
    va = totals["value_added"]
    values = pd.DataFrame(index=totals.index)
    values["resource_output_rate"] = _ratio(va, totals["primary_resource_consumption"])
    values["resource_output_rate_index"] = _index(result, values["resource_output_rate"])
    values["solid_waste_utilisation_rate"] = gsw_rate
    values["hazardous_waste_utilisation_rate"] = haz_rate
    values["water_reuse_rate"] = 100 * _ratio(
        totals["water_repeat"], totals["water_repeat"] + totals["fresh_water_use"])
    values["waste_heat_recovery_rate"] = 100 * _ratio(
        heat["utilised"].reindex(values.index, fill_value=0.0),
        heat["generated"].reindex(values.index, fill_value=0.0))
    values["energy_consumption"] = totals["energy_consumption"]
    values["energy_output_rate"] = _ratio(va / WAN, totals["energy_consumption"])
    values["energy_intensity"] = _ratio(totals["energy_consumption"], va / WAN)
    values["fresh_water_use"] = totals["fresh_water_use"]
    values["water_output_rate"] = _ratio(va, totals["fresh_water_use"])
    values["fresh_water_intensity"] = _ratio(totals["fresh_water_use"], va / WAN)
    values["value_added"] = va / WAN
    values["primary_resource_consumption"] = totals["primary_resource_consumption"]
    for column in ("generated", "utilised", "utilised_from_stock", "stored", "disposed",
                   "dumped"):
        values[f"solid_waste_{column}"] = gsw[column].reindex(values.index, fill_value=0.0)
    values["landfill_total"] = totals["landfill_total"]
    values["stockpile_closing"] = totals["stockpile_closing"]
    values["co2_fuel_combustion"] = totals["co2_fuel_combustion"]
    values["co2_process"] = totals["co2_process"]
    return values.reindex(columns=list(INDICATORS)).fillna(
        {k: 0.0 for k in INDICATORS if INDICATORS[k].unit in ("t", "tce", "m³")})


def _index(result: Result, rate: pd.Series) -> pd.Series:
    """Resource output rate relative to the park's base year (from this result or its
    ``baseline``)."""
    base_year = result.park.meta.base_year
    if base_year in rate.index:
        base = rate.loc[base_year]
    elif result.baseline is not None:
        base = indicator_values(result.baseline)["resource_output_rate"].iloc[0]
    else:
        return pd.Series(np.nan, index=rate.index)
    return rate / base if base and np.isfinite(base) else pd.Series(np.nan, index=rate.index)


def park_indicators(result: Result) -> pd.DataFrame:
    """Park-wide indicators, long form: index (period, indicator); names, value, unit, target.

    ``target`` and ``target_year`` are the park's next target at or after the period.
    """
    values = indicator_values(result)
    currency = result.park.meta.currency
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
    future = [t for t in result.park.targets if t.indicator == indicator and t.year >= period]
    return min(future, key=lambda t: t.year) if future else None


def waste_by_carrier(result: Result) -> pd.DataFrame:
    """The NBS ledger and utilisation rate per waste carrier (solid, hazardous, waste heat)."""
    frames = []
    for klass in (GSW, HAZ, HEAT):
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
    flows = result.flows
    tce = _carrier_column(flows, result, "tce_per_unit")
    mass = _carrier_column(flows, result, "t_per_unit").fillna(0.0)
    buy = flows["source_kind"].isin(BOUNDARY_IN) & (flows["target_kind"] == "enterprise")
    primary = flows["carrier_class"].isin([c.value for c in PRIMARY_CLASSES])
    waste = flows["carrier_class"] == GSW

    def per(mask: pd.Series, weight: pd.Series | float, node: str) -> pd.Series:
        return (flows["quantity"] * weight).where(mask, 0.0).groupby(
            [flows["period"], flows[node]]).sum().rename_axis(["period", "enterprise"])

    act = result.activity.set_index(["period", "enterprise"])
    table = pd.DataFrame(index=act.index)
    table["value_added"] = act["value_added"] / WAN
    table["primary_resource_consumption"] = per(buy & primary, mass, "target")
    # GB/T 2589 at enterprise level: energy received from anyone minus energy supplied to
    # other users (外供); summed over enterprises, internal exchanges cancel and the park
    # total equals purchases minus sales.
    received = flows["target_kind"] == "enterprise"
    supplied = (flows["source_kind"] == "enterprise") & flows["target_kind"].isin(USERS)
    table["energy_consumption"] = per(received, tce, "target").sub(
        per(supplied, tce, "source"), fill_value=0.0)
    table["fresh_water_use"] = per(buy & (flows["carrier_class"] == "fresh_water"), 1.0, "target")
    table["solid_waste_generated"] = per(waste & (flows["source_kind"] == "enterprise"), 1.0,
                                         "source")
    table["solid_waste_utilised"] = per(waste & flows["target_kind"].isin(USERS), 1.0, "source")
    table = table.fillna(0.0)
    table["solid_waste_utilisation_rate"] = 100 * _ratio(table["solid_waste_utilised"],
                                                         table["solid_waste_generated"])
    table["co2_fuel_combustion"] = _fuel_co2(result).reindex(table.index).fillna(0.0)
    table.attrs["units"] = {"value_added": unit_for("value_added", result.park.meta.currency),
                            "energy_consumption": "tce", "fresh_water_use": "m³",
                            "solid_waste_utilisation_rate": "%"} | {
        c: "t" for c in ("primary_resource_consumption", "solid_waste_generated",
                         "solid_waste_utilised", "co2_fuel_combustion")}
    return table
