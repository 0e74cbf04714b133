"""Node kinds and what a flow into each kind means in the NBS waste ledger: the one copy of
that rule, read by the indicators and by the stockpile table.

A waste (or waste heat) flowing from a generator or a stockpile to a node of kind … counts as:

- ``enterprise`` or ``market`` → 综合利用 (utilised: used inside the park, or sold to a user);
- ``stockpile`` → 贮存 (stored);
- ``disposal`` or ``treatment`` → 处置 (disposed: landfill, tailings dam, treatment plant);
- ``environment`` → 倾倒丢弃 (dumped).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

BoundaryKind = Literal["market", "disposal", "stockpile", "treatment", "environment"]
BOUNDARY_KINDS: tuple[BoundaryKind, ...] = (
    "market", "disposal", "stockpile", "treatment", "environment")
NODE_KINDS = ("enterprise", *BOUNDARY_KINDS)
# Boundary kinds that supply what links do not: purchases and draws from the environment.
SUPPLY_KINDS = ("market", "environment")


class Meaning(StrEnum):
    """What a waste flow into a node means in the NBS ledger."""

    UTILISED = "utilised"  # 综合利用
    STORED = "stored"  # 贮存
    DISPOSED = "disposed"  # 处置
    DUMPED = "dumped"  # 倾倒丢弃


MEANING: dict[str, Meaning] = {
    "enterprise": Meaning.UTILISED,
    "market": Meaning.UTILISED,
    "stockpile": Meaning.STORED,
    "disposal": Meaning.DISPOSED,
    "treatment": Meaning.DISPOSED,
    "environment": Meaning.DUMPED,
}


def kinds(meaning: Meaning) -> tuple[str, ...]:
    """The node kinds whose inflow has ``meaning``, e.g. ``("disposal", "treatment")``."""
    return tuple(kind for kind, m in MEANING.items() if m is meaning)
