"""The park file format, as pydantic models of the raw YAML (before unit conversion).

The reference page is ``docs/park-format.md``; keep the two in step. Quantities stay strings
here (``"150 kt/a"``); :mod:`mfa.loader` converts them once, knowing each carrier's unit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Quantity = str | float | int
_ID = r"^[A-Za-z][A-Za-z0-9_\-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Sourced(Strict):
    """A value with its source, and optional low/high for uncertainty analysis."""

    value: Quantity
    low: Quantity | None = None
    high: Quantity | None = None
    source: str = ""
    note: str = ""


SourcedOrPlain = Sourced | Quantity


class ParkMeta(Strict):
    id: str = Field(pattern=_ID)
    name_zh: str
    name_en: str
    province: str = ""
    base_year: int = Field(ge=1900, le=2100)
    currency: Literal["CNY", "DKK", "USD", "EUR"] = "CNY"
    price_base_year: int = Field(ge=1900, le=2100)
    description: str = ""
    sources: list[str] = []
    mass_tolerance: float = Field(default=0.005, ge=0, le=0.5)


class Activity(Strict):
    carrier: str
    capacity: SourcedOrPlain
    level: SourcedOrPlain | dict[int, SourcedOrPlain]
    source: str = ""


class EnterpriseSpec(Strict):
    id: str = Field(pattern=_ID)
    name_zh: str = ""
    name_en: str = ""
    sector: str = ""
    activity: Activity
    rates: dict[str, SourcedOrPlain] = {}
    value_added: SourcedOrPlain | None = None
    water_recirculation: SourcedOrPlain | None = None
    note: str = ""


class Substitution(Strict):
    carrier: str
    ratio: SourcedOrPlain


class LinkSpec(Strict):
    id: str | None = Field(default=None, pattern=_ID)
    source_node: str = Field(alias="from")
    target_node: str = Field(alias="to")
    carrier: str
    share: float | None = Field(default=None, ge=0, le=1)
    quantity: Quantity | None = None
    cap: Quantity | None = None
    priority: int | None = None
    loss: float = Field(default=0.0, ge=0, lt=1)
    substitutes: Substitution | None = None
    since: int | None = None
    until: int | None = None
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _one_bound(self) -> LinkSpec:
        if self.quantity is not None and (self.share is not None or self.cap is not None):
            raise ValueError(
                "a link with a fixed 'quantity' cannot also have 'share' or 'cap' | fix: "
                "keep 'quantity' for a measured flow, or 'share'/'cap' for an upper bound"
            )
        return self


class BoundarySpec(Strict):
    id: str = Field(pattern=_ID)
    kind: Literal["market", "disposal", "stockpile", "treatment", "environment"]
    name_zh: str = ""
    name_en: str = ""
    carrier: str | None = None  # stockpiles hold one carrier
    opening_stock: SourcedOrPlain | None = None
    capacity: Quantity | None = None
    default_for: list[str] = []  # carrier ids or classes whose leftovers go here
    supplies: list[str] = []  # carrier ids or classes whose unmet demand comes from here
    note: str = ""

    @model_validator(mode="after")
    def _stockpile_fields(self) -> BoundarySpec:
        if self.kind == "stockpile" and self.carrier is None:
            raise ValueError(
                "a stockpile needs 'carrier' (the one waste it holds) | fix: "
                "add e.g. 'carrier: nickel_slag'"
            )
        if self.kind != "stockpile" and (self.opening_stock is not None or self.capacity):
            raise ValueError(
                f"only stockpiles have 'opening_stock' or 'capacity', not a {self.kind} | fix: "
                "set 'kind: stockpile' or remove these fields"
            )
        return self


class TargetSpec(Strict):
    indicator: str
    year: int
    value: Quantity
    base_year: int | None = None
    source: str = ""


class ParkFile(Strict):
    park: ParkMeta
    enterprises: list[EnterpriseSpec] = Field(min_length=1)
    links: list[LinkSpec] = []
    boundary: list[BoundarySpec] = []
    targets: list[TargetSpec] = []
