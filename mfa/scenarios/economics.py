"""Economics of a plan's projects: cash flows by year, NPV, IRR, payback and unit costs.

A project's flow effect in a year is (baseline + that project) minus the baseline, both
balanced year by year from the park's base year with stockpiles carried over; the plan row
uses the whole plan. Effects are priced with the carrier catalogue: more sold to the market ×
price (by-product sales), less bought from the market × price (avoided purchases), less sent to
disposal, stockpile, treatment or environment boundaries × ``disposal_fee`` (avoided fees).
Years after the last balanced year (the plan's last 达产 year) hold its flows until the end
of each project's lifetime. Formulas, sources and choices: docs/plans.md, "Economics".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.compiled import compile_park
from ..indicators.fast import INDICATOR_IDS, fast_indicators
from ..model.park import Park
from ..plans import Plan, Project, apply_plan
from ..results.balance import balance_year
from ..results.result import Result

DEFAULT_RATE = 0.08  # 社会折现率, 《建设项目经济评价方法与参数》第三版 (2006) [R]
DEFAULT_RATE_SOURCE = ("社会折现率 8 %, 《建设项目经济评价方法与参数》第三版 "
                       "(国家发改委、建设部 2006) [R]")
FEE_KINDS = ("disposal", "stockpile", "environment", "treatment")
SOLID = "general_solid_waste"
CASH_COLUMNS = ["capex", "opex", "sales", "avoided_purchases", "avoided_fees", "net",
                "discounted"]


@dataclass
class _Year:
    """What one scenario moves across the park's boundary in one year."""

    sold: pd.Series
    bought: pd.Series
    disposed: pd.Series  # to fee-charging boundaries, by carrier
    solid_disposed: float  # general solid waste stored or disposed, t
    energy: float  # 综合能耗, tce
    co2: float  # t CO₂


@dataclass
class Prices:
    """Price and fee per carrier in the plan's currency; the rest skipped with a note."""

    price: dict[str, float] = field(default_factory=dict)
    fee: dict[str, float] = field(default_factory=dict)
    rows: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _scenario(park: Park, plan: Plan, projects: tuple[Project, ...],
              last: int) -> dict[int, _Year]:
    found: dict[int, _Year] = {}
    stock: dict[str, float] = {}
    for year in range(park.meta.base_year, last + 1):
        sub = Plan(plan.meta, projects, plan.path)
        planned = apply_plan(park, sub, year) if projects else park
        compiled = compile_park(planned)
        piles = [compiled.node_ids[n] for n in compiled.pile_node]
        opening = np.array([stock.get(p, compiled.pile_opening[i]) for i, p in enumerate(piles)],
                           dtype=float)
        result = balance_year(planned, year, opening if piles else None, Result)
        closing = result.stockpiles.set_index("stockpile")["closing"]
        stock = {str(k): float(v) for k, v in closing.items()}
        found[year] = _measure(result)
    return found


def _measure(result: Result) -> _Year:
    flows = result.flows
    carrier = flows["carrier"].astype(str)
    qty = flows["quantity"]
    to_fee = flows["target_kind"].isin(FEE_KINDS) & (flows["source_kind"] != "stockpile")
    values = fast_indicators(result.compiled).evaluate(result.solutions[0])[0]
    solid = to_fee & (flows["carrier_class"] == SOLID) & (flows["target_kind"] != "environment")
    return _Year(
        sold=qty[(flows["target_kind"] == "market").to_numpy()].groupby(
            carrier[flows["target_kind"] == "market"]).sum(),
        bought=qty[(flows["source_kind"] == "market").to_numpy()].groupby(
            carrier[flows["source_kind"] == "market"]).sum(),
        disposed=qty[to_fee.to_numpy()].groupby(carrier[to_fee]).sum(),
        solid_disposed=float(qty[solid.to_numpy()].sum()),
        energy=float(values[INDICATOR_IDS.index("energy_consumption")]),
        co2=float(values[INDICATOR_IDS.index("co2_emissions")]))


def prices(park: Park, currency: str) -> Prices:
    """Every catalogue price and disposal fee of the park's carriers in ``currency``, with
    source and year (``table.attrs["prices"]`` of :func:`economics`)."""
    found = Prices()
    for carrier in park.catalogue.carriers:
        for kind, value, cur, year in (
                ("price", carrier.price_per_unit, carrier.price_currency, carrier.price_year),
                ("disposal_fee", carrier.disposal_fee_per_unit, carrier.disposal_fee_currency,
                 carrier.disposal_fee_year)):
            if value is None:
                continue
            if cur != currency:
                if carrier.id in park.carriers_used:
                    found.notes.append(f"{carrier.id}: {kind} in {cur}, not the plan's "
                                       f"{currency}: not counted")
                continue
            (found.price if kind == "price" else found.fee)[carrier.id] = value
            found.rows.append({"carrier": carrier.id, "kind": kind, "value": value,
                               "unit": f"{cur}/{carrier.unit}", "year": year,
                               "source": carrier.sources.get(kind, "")})
    return found


def _priced(delta: pd.Series, table: dict[str, float]) -> float:
    return float(sum(q * table[c] for c, q in delta.items() if c in table))


def _savings(base: _Year, case: _Year, p: Prices) -> tuple[float, float, float]:
    def diff(a: pd.Series, b: pd.Series) -> pd.Series:
        return a.sub(b, fill_value=0.0)
    return (_priced(diff(case.sold, base.sold), p.price),
            _priced(diff(base.bought, case.bought), p.price),
            _priced(diff(base.disposed, case.disposed), p.fee))


def _years_of(projects: tuple[Project, ...]) -> range:
    first = min(min([*p.capex_by_year(), p.spec.start_year]) for p in projects)
    end = max(p.spec.start_year + p.spec.lifetime - 1 for p in projects)
    return range(first, end + 1)


def _cash(projects: tuple[Project, ...], base: dict[int, _Year], case: dict[int, _Year],
          p: Prices, rate: float, first: int) -> pd.DataFrame:
    last = max(base)
    rows = []
    for year in _years_of(projects):
        alive = [q for q in projects if year < q.spec.start_year + q.spec.lifetime]
        capex = sum(q.capex_by_year().get(year, 0.0) for q in projects)
        opex = sum((q.opex.central if q.opex else 0.0) * q.share(year) for q in alive)
        held = min(year, last)
        sales, purchases, fees = _savings(base[held], case[held], p) if alive and year >= min(
            base) else (0.0, 0.0, 0.0)
        net = sales + purchases + fees - capex - opex
        rows.append({"year": year, "capex": capex, "opex": opex, "sales": sales,
                     "avoided_purchases": purchases, "avoided_fees": fees, "net": net,
                     "discounted": net / (1 + rate) ** (year - first)})
    return pd.DataFrame(rows).set_index("year")


def _rate(plan: Plan, rate: float | None) -> float:
    if rate is not None:
        return rate
    given = plan.meta.discount_rate
    return DEFAULT_RATE if given is None else float(given.value)


def _runs(park: Park, plan: Plan) -> tuple[dict[int, _Year], dict[str, dict[int, _Year]]]:
    last = max(p.spec.full_output_year for p in plan.projects)
    base = _scenario(park, plan, (), last)
    runs = {p.id: _scenario(park, plan, (p,), last) for p in plan.projects}
    runs["plan"] = _scenario(park, plan, plan.projects, last) if len(plan.projects) > 1 \
        else runs[plan.projects[0].id]
    return base, runs


def project_cash_flows(park: Park, plan: Plan, *, discount_rate: float | None = None,
                       runs: tuple[dict[int, _Year], dict[str, dict[int, _Year]]] | None = None
                       ) -> pd.DataFrame:
    """Cash flows indexed (project, year) in the plan's currency: capex, opex (× ramp share),
    sales, avoided_purchases, avoided_fees, net and discounted (to the plan's first year)."""
    rate = _rate(plan, discount_rate)
    base, cases = runs or _runs(park, plan)
    p = prices(park, plan.meta.currency)
    first = _years_of(plan.projects).start
    frames = {q.id: _cash((q,), base, cases[q.id], p, rate, first) for q in plan.projects}
    frames["plan"] = _cash(plan.projects, base, cases["plan"], p, rate, first)
    table = pd.concat(frames, names=["project", "year"])
    table.attrs.update(prices=pd.DataFrame(p.rows), notes=p.notes, discount_rate=rate)
    return table


def irr(net: np.ndarray) -> float:
    """The rate at which the discounted ``net`` (one a year) sums to 0; NaN without a sign
    change of the net present value between −99 % and 1000 %."""
    from scipy.optimize import brentq

    years = np.arange(len(net))

    def npv(r: float) -> float:
        return float(np.sum(net / (1 + r) ** years))
    low, high = -0.99, 10.0
    if not np.isfinite(npv(low)) or npv(low) * npv(high) > 0:
        return math.nan
    return float(brentq(npv, low, high, xtol=1e-12))


def economics(park: Park, plan: Plan, *, discount_rate: float | None = None) -> pd.DataFrame:
    """One row per project plus ``plan``: capex, opex_full, savings_full (annual, at full
    output), npv, irr, payback_year, cost_per_t_waste, cost_per_tce, cost_per_t_co2.

    ``table.attrs``: ``prices`` (carrier, kind, value, unit, year, source of every price and
    fee used), ``notes`` (what was skipped, IRRs not found), ``discount_rate``, ``cash_flows``.
    """
    rate = _rate(plan, discount_rate)
    runs = _runs(park, plan)
    cash = project_cash_flows(park, plan, discount_rate=rate, runs=runs)
    base, cases = runs
    notes = list(cash.attrs["notes"])
    rows = []
    for name in [*(q.id for q in plan.projects), "plan"]:
        projects = plan.projects if name == "plan" else (plan.project(name),)
        flows = cash.loc[name]
        full = min(max(q.spec.full_output_year for q in projects), max(base))
        case = cases[name]
        capex = sum(q.capex.central for q in projects if q.capex)
        opex = sum(q.opex.central for q in projects if q.opex)
        saving = sum(_savings(base[full], case[full], prices(park, plan.meta.currency)))
        life = max(q.spec.lifetime for q in projects)
        annual = capex * _crf(rate, life) + opex
        rate_of_return = irr(flows["net"].to_numpy())
        if math.isnan(rate_of_return):
            notes.append(f"{name}: no IRR (the net cash flow never changes the sign of the NPV)")
        paid = flows.index[flows["net"].cumsum().to_numpy() >= 0]
        rows.append({
            "project": name, "capex": capex, "opex_full": opex, "savings_full": saving,
            "npv": float(flows["discounted"].sum()), "irr": rate_of_return,
            "payback_year": int(paid[0]) if len(paid) else pd.NA,
            "waste_diverted_t": base[full].solid_disposed - case[full].solid_disposed,
            "tce_saved": base[full].energy - case[full].energy,
            "co2_avoided_t": base[full].co2 - case[full].co2,
            "annualised_cost": annual})
    table = pd.DataFrame(rows).set_index("project")
    for column, amount in (("cost_per_t_waste", "waste_diverted_t"),
                           ("cost_per_tce", "tce_saved"), ("cost_per_t_co2", "co2_avoided_t")):
        cut = table[amount].to_numpy(dtype=float)
        table[column] = np.where(cut > 0, table["annualised_cost"].to_numpy(dtype=float)
                                 / np.where(cut > 0, cut, 1.0), np.nan)
    table["payback_year"] = table["payback_year"].astype("Int64")
    table.attrs.update(prices=cash.attrs["prices"], notes=notes, discount_rate=rate,
                       cash_flows=cash, currency=plan.meta.currency)
    return table


def _crf(rate: float, years: int) -> float:
    """Capital recovery factor r / (1 − (1 + r)^−n): capex spread over the lifetime."""
    return 1 / years if rate == 0 else rate / (1 - (1 + rate) ** -years)
