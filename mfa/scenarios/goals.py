"""What a portfolio must reach, and what each candidate project costs.

- :class:`Goal`: one indicator in one year, at least (or at most) a value, parsed from the
  command line's ``indicator=value@year`` (``solid_waste_utilisation_rate=80@2025``,
  ``energy_intensity<=0.5@2025``). With ``=`` the direction is the indicator's own: "at most"
  for an indicator where lower is better (its definition in :mod:`mfa.model.indicator_defs`,
  the same that judges the park's targets), "at least" otherwise.
- :func:`project_costs`: the present value of each project's capex schedule and of its opex
  (× the ramp share of each year) over its lifetime, discounted to the park's base year at
  ``rate`` (default 8 %, the 社会折现率 of 《建设项目经济评价方法与参数》第三版, 2006 [R]).
  Costs with savings (NPVs of the economics) can replace them: ``costs={project_id: value}``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import ParkFlowError
from ..indicators.fast import INDICATOR_IDS
from ..model.indicator_defs import INDICATORS, unit_for
from ..model.park import Park
from ..plans import Plan
from ..results.sanity import checked_year
from ..units import CURRENCIES, UnitProblem, to_canonical

DEFAULT_RATE = 0.08  # 社会折现率, 《建设项目经济评价方法与参数》第三版 (2006) [R]
_GOAL = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(>=|<=|=|≥|≤)\s*([^@]*?)\s*@\s*(\S*)\s*$")
_FORM = "write indicator=value@year, e.g. solid_waste_utilisation_rate=80@2025 (or <=, >=)"


@dataclass(frozen=True)
class Goal:
    """``indicator`` at least (``at_least``) or at most ``value`` in ``year``."""

    indicator: str
    year: int
    value: float
    at_least: bool = True

    @property
    def sign(self) -> str:
        return "≥" if self.at_least else "≤"

    def shortfall(self, values: np.ndarray) -> np.ndarray:
        """How far ``values`` fall short, relative to the target (≤ 0: met; NaN: +inf)."""
        scale = abs(self.value) or 1.0
        gap = (self.value - values if self.at_least else values - self.value) / scale
        return np.where(np.isnan(gap), np.inf, gap)

    def describe(self, currency: str = "CNY") -> str:
        """``solid_waste_utilisation_rate ≥ 80 % in 2025``."""
        return f"{self.indicator} {self.sign} {amount(self.value, self.indicator, currency)} " \
               f"in {self.year}"


def target_goals(park: Park, years: list[int]) -> list[Goal]:
    """The park's targets in ``years`` as goals, each in its indicator's direction (the
    direction that judges the targets in :mod:`mfa.scenarios.compare`)."""
    return [Goal(t.indicator, t.year, t.value, INDICATORS[t.indicator].higher_is_better
                 is not False) for t in park.targets if t.year in years]


def amount(value: float, indicator: str, currency: str = "CNY") -> str:
    """A value with its indicator's unit: ``53.2 %``, ``1.1``."""
    unit = unit_for(indicator, currency)
    text = "–" if math.isnan(value) else f"{value:.4g}" if abs(value) < 100 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def parse_goal(text: str, park: Park) -> Goal:
    """A goal from ``indicator=value@year`` (also ``>=`` / ``<=``; a ``%`` after the value
    of a percentage is allowed).

    Raises
    ------
    ParkFlowError
        For a malformed text, an unknown indicator (with the nearest ids), a value that is
        not a finite number, or a year that is not a year or is before the park's base year.
    """
    match = _GOAL.match(text)
    if match is None:
        raise ParkFlowError.single("--target", text, "is not a target", _FORM)
    indicator, sign, raw_value, raw_year = match.groups()
    if indicator not in INDICATOR_IDS:
        near = difflib.get_close_matches(indicator, INDICATOR_IDS, n=4, cutoff=0.5)
        hint = f"did you mean {', '.join(near)}?" if near else \
            "see `parkflow balance PARK` or docs/indicators.md for the ids"
        raise ParkFlowError.single("--target", text, f"unknown indicator '{indicator}'", hint)
    value = _number(raw_value.removesuffix("%").strip() if unit_for(indicator, "CNY") == "%"
                    else raw_value, text)
    year = _year(raw_year, text, park.meta.base_year)
    higher = INDICATORS[indicator].higher_is_better is not False
    at_least = {"=": higher, ">=": True, "≥": True, "<=": False, "≤": False}[sign]
    return Goal(indicator, year, value, at_least)


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ParkFlowError.single("--target", where, f"the value '{text}' is not a number",
                                   "give a plain number in the indicator's unit (80 for 80 %)")
    return value


def _year(text: str, where: str, base_year: int) -> int:
    if not re.fullmatch(r"\d{1,6}", text):
        raise ParkFlowError.single("--target", where, f"'{text}' is not a year", _FORM)
    year = checked_year(int(text), "--target")
    if year < base_year:
        raise ParkFlowError.single("--target", where, f"{year} is before the park's base year "
                                   f"{base_year}", f"give a year from {base_year} on")
    return year


def parse_budget(text: str, currency: str) -> float:
    """A total capex such as ``"5 亿元"`` in the plan's currency."""
    try:
        value = to_canonical(text, CURRENCIES[currency])
    except UnitProblem as why:
        raise ParkFlowError.single("--budget", text, str(why),
                                   "write an amount with its unit, e.g. '5 亿元'") from None
    if not math.isfinite(value) or value < 0:
        raise ParkFlowError.single("--budget", text, "the budget must be ≥ 0",
                                   "write an amount such as '5 亿元'")
    return value


def check_rate(rate: float) -> float:
    if not (math.isfinite(rate) and 0 <= rate < 1):
        raise ParkFlowError.single("--rate", str(rate), "the discount rate must lie in [0, 1)",
                                   f"write e.g. {DEFAULT_RATE} for 8 %")
    return rate


def present_cost(plan: Plan, k: int, rate: float, year0: int) -> float:
    """Present value in ``year0`` of project ``k``'s capex schedule and opex × ramp share
    over its lifetime (operating years start … start + lifetime − 1)."""
    project = plan.projects[k]
    capex = sum(v / (1 + rate) ** (y - year0) for y, v in project.capex_by_year().items())
    if project.opex is None:
        return capex
    start = project.spec.start_year
    opex = sum(project.opex.central * project.share(y) / (1 + rate) ** (y - year0)
               for y in range(start, start + project.spec.lifetime))
    return capex + opex


def project_costs(plan: Plan, park: Park, rate: float = DEFAULT_RATE,
                  costs: Mapping[str, float] | None = None) -> np.ndarray:
    """``[n_projects]`` cost of each project: ``costs[id]`` where given, else
    :func:`present_cost` at ``rate`` discounted to the park's base year."""
    ids = [p.id for p in plan.projects]
    unknown = sorted(set(costs or {}) - set(ids))
    if unknown:
        raise ParkFlowError.single(plan.source_label, "costs", f"no project {unknown[0]!r} "
                                   "among the candidates", f"use one of: {', '.join(ids)}")
    given = dict(costs or {})
    values = [float(given[p]) if p in given else present_cost(plan, k, rate, park.meta.base_year)
              for k, p in enumerate(ids)]
    if not all(math.isfinite(v) for v in values):
        raise ParkFlowError.single(plan.source_label, "costs", "a cost is not a finite number",
                                   "give every project a finite cost")
    return np.array(values, float)


def capex_totals(plan: Plan) -> np.ndarray:
    """``[n_projects]`` total capex (central, undiscounted): what a budget limits."""
    return np.array([p.capex.central if p.capex else 0.0 for p in plan.projects], float)
