"""The plan file format (``parks/plans/<park>-<plan>.yaml``), as pydantic models of the raw YAML.

A plan is a named list of projects; a project is a dated override of one park: what it adds
(entries in exactly the park file's schemas), what it changes and what it removes, with its
kind, dates, ramp-up and economics. The reference page is ``docs/plans.md``; keep the two in
step. Quantities stay strings here; :mod:`mfa.plans` converts them.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from .specs import (
    BoundarySpec,
    CarrierSpec,
    EnterpriseSpec,
    Id,
    LinkSpec,
    Quantity,
    SourcedOrPlain,
    Strict,
    Year,
)

ProjectKind = Literal["chain_filling", "chain_extending", "supporting", "deep_processing",
                      "infrastructure", "energy_saving", "water_saving", "counterfactual"]
KIND_NAMES: dict[str, str] = {  # the names the 2017 编制指南 and the seed plan use
    "chain_filling": "补链",
    "chain_extending": "延链",
    "supporting": "配套",
    "deep_processing": "精深加工",
    "infrastructure": "基础设施",
    "energy_saving": "节能",
    "water_saving": "节水",
    "counterfactual": "反事实",  # a what-if that is not built (the built-in no-symbiosis)
}
MAX_LIFETIME = 100  # years
_SHARE_SUM_TOLERANCE = 1e-6


class DiscountRate(Strict):
    """A sourced real discount rate, a fraction (0.08 = 8 %)."""

    value: float = Field(ge=0, le=1)
    low: float | None = Field(default=None, ge=0, le=1)
    high: float | None = Field(default=None, ge=0, le=1)
    source: str = Field(min_length=3)


class PlanMeta(Strict):
    id: Id
    park: Id  # the id of the park the plan applies to (its `park.id`)
    name_zh: str
    name_en: str
    currency: Literal["CNY", "DKK", "USD", "EUR"] = "CNY"  # of capex and opex; the park's
    # for `parkflow economics`, e.g. {value: 0.08, source: "..."}; default 8 % (docs/plans.md)
    discount_rate: DiscountRate | None = None
    description: str = ""
    sources: list[str] = []
    # a list of candidate projects to choose from (`parkflow optimise`): projects that
    # exclude each other may both be in the file; the plan as a whole is never applied
    candidates: bool = False


class ProjectAdds(Strict):
    """New entries, each in exactly the schema of the park file's section."""

    enterprises: list[EnterpriseSpec] = []
    links: list[LinkSpec] = []
    boundary: list[BoundarySpec] = []
    carriers: list[CarrierSpec] = []


class EnterpriseChange(Strict):
    """New values for an existing enterprise; rates are merged carrier by carrier."""

    rates: dict[str, SourcedOrPlain] = {}
    capacity: SourcedOrPlain | None = None
    level: SourcedOrPlain | dict[Year, SourcedOrPlain] | None = None
    value_added: SourcedOrPlain | None = None


class LinkChange(Strict):
    """New bounds for an existing link (by its id)."""

    share: float | None = Field(default=None, ge=0, le=1)
    cap: Quantity | None = None
    quantity: Quantity | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> LinkChange:
        if self.quantity is not None and (self.share is not None or self.cap is not None):
            raise ValueError(
                "a link change with a fixed 'quantity' cannot also set 'share' or 'cap' | fix: "
                "give 'quantity' for a fixed flow, or 'share'/'cap' for an upper bound")
        return self


class ProjectChanges(Strict):
    enterprises: dict[str, EnterpriseChange] = {}
    links: dict[str, LinkChange] = {}


class ProjectRemoves(Strict):
    enterprises: list[str] = []  # the enterprise and every link to or from it
    links: list[str] = []  # link ids


class ProjectSpec(Strict):
    id: Id
    name_zh: str
    name_en: str
    kind: ProjectKind
    responsible: str = ""  # the responsible enterprise's id, or free text
    content: str = ""  # 建设内容及规模: content and scale
    start_year: Year
    full_output_year: Year  # 达产年
    ramp: list[float] | None = None  # share of full output, start_year … full_output_year
    capex: SourcedOrPlain | None = None  # total investment, e.g. "3.2 亿元"
    capex_schedule: dict[Year, float] | None = None  # share of capex by year; default all
    opex: SourcedOrPlain | None = None  # per year, e.g. "1200 万元/a"
    lifetime: int = Field(default=20, ge=1, le=MAX_LIFETIME)
    delay: SourcedOrPlain | None = None  # commissioning later than planned, e.g. "0 d" … "180 d"
    requires: list[Id] = []
    excludes: list[Id] = []
    adds: ProjectAdds = ProjectAdds()
    changes: ProjectChanges = ProjectChanges()
    removes: ProjectRemoves = ProjectRemoves()
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _dates(self) -> ProjectSpec:
        years = self.full_output_year - self.start_year + 1
        if years < 1:
            raise ValueError(
                f"full_output_year {self.full_output_year} is before start_year "
                f"{self.start_year} | fix: give a 达产 year on or after the start year")
        if years > self.lifetime:
            raise ValueError(
                f"the ramp-up ({years} years) is longer than the lifetime ({self.lifetime} "
                "years) | fix: lengthen the lifetime or bring full_output_year forward")
        if self.ramp is not None:
            _check_ramp(self.ramp, years)
        if self.capex_schedule is not None:
            _check_schedule(self.capex_schedule)
        return self


def _check_ramp(ramp: list[float], years: int) -> None:
    if len(ramp) != years:
        raise ValueError(
            f"ramp has {len(ramp)} shares for {years} years (start_year to full_output_year) "
            "| fix: give one share per year, the last 1")
    if any(not (math.isfinite(s) and 0 <= s <= 1) for s in ramp) or abs(ramp[-1] - 1) > 1e-9:
        raise ValueError("ramp shares must lie in [0, 1] and end at 1 (full output) "
                         "| fix: write e.g. [0.3, 0.7, 1]")


def _check_schedule(schedule: dict[int, float]) -> None:
    total = sum(schedule.values())
    if any(not (math.isfinite(s) and s >= 0) for s in schedule.values()) or not math.isclose(
            total, 1, abs_tol=_SHARE_SUM_TOLERANCE):
        raise ValueError(f"capex_schedule shares must be ≥ 0 and sum to 1, found {total:g} "
                         "| fix: write e.g. {2018: 0.4, 2019: 0.6}")


class PlanFile(Strict):
    plan: PlanMeta
    projects: list[ProjectSpec] = Field(min_length=1)
