"""Which indicators a park's data can give, and how good each figure is.

An indicator whose data the park does not declare is "–" with the reason, never 0 (a park
without value added has no 资源产出率; one that declares no 余热资源量 has no 余热利用率). The
``quality`` of a figure says whether it is ``modelled`` (the balance computes it),
``assumed`` (it echoes a declared ratio, e.g. water reuse from a declared recirculation) or
``declared`` (its denominator is a declared figure, e.g. the waste-heat resource).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.carriers import Carrier
from ..model.indicator_defs import INDICATORS
from ..model.statistics import ParkStatistics


def _present(need: str, stats: ParkStatistics, carriers: Sequence[Carrier]) -> bool:
    if need.startswith("pollutant:"):
        return any(c.pollutant == need.split(":", 1)[1] for c in carriers)
    if need == "grid":
        return any(stats.basis.grid in c.indirect_co2 for c in carriers)
    if need == "feedstock":
        return bool(stats.feedstock)
    if need.startswith("waste_heat_resource."):
        part = need.split(".", 1)[1]
        return any(getattr(r, part) > 0 for r in stats.heat_resources.values())
    return need in stats.declared


def _reason(need: str, stats: ParkStatistics) -> str:
    if need.startswith("pollutant:"):
        return f"the park has no {need.split(':', 1)[1]} emission carrier (no emission data)"
    if need == "grid":
        return (f"no carrier of the park has an indirect CO₂ factor for region "
                f"'{stats.basis.grid}' (basis grid)")
    if need == "feedstock":
        return "no enterprise declares feedstock (原料用能)"
    if need.startswith("waste_heat_resource."):
        part = need.split(".", 1)[1]
        return (f"no enterprise declares a waste_heat_resource {part} (余热余压资源量, "
                "GB/T 1028-2018)")
    if need == "industrial_land":
        return "the park declares no industrial_land (park.industrial_land)"
    return f"no enterprise declares {need}"


def unavailable(stats: ParkStatistics, carriers: Sequence[Carrier]) -> dict[str, str]:
    """Indicator id → why the park's data cannot give it (only the indicators that lack)."""
    missing: dict[str, str] = {}
    for ind_id, definition in INDICATORS.items():
        for need in definition.requires:
            if not _present(need, stats, carriers):
                missing[ind_id] = _reason(need, stats)
                break
    return missing


def quality(indicator_id: str, stats: ParkStatistics) -> str:
    """``modelled``, ``assumed`` or ``declared`` (see the module docstring)."""
    if indicator_id == "water_reuse_rate" and "water_recirculation" in stats.declared:
        return "assumed"
    if indicator_id in ("waste_heat_recovery_rate", "waste_pressure_recovery_rate"):
        return "declared"
    return "modelled"
