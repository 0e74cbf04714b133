"""The statistical bases of the indicators, and what a park declares for its statistics.

A :class:`Basis` is the set of conventions a number is computed on (which list of 主要资源,
run-of-mine or concentrate ore, 当量值 or 等价值 electricity, feedstock energy in or out, 耗能工质
in or out, direct or total CO₂ and the grid factor's region). The park file's ``statistics:``
section sets it, the CLI's ``--basis key=value`` and the API override it; every indicator row
prints the keys it depends on (``docs/indicators.md``, "Bases").
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

# key → allowed values, the default first. ``grid`` takes a region the catalogue's
# electricity factors name; its default depends on the park (see ParkStatistics).
CHOICES: dict[str, tuple[str, ...]] = {
    "resource_list": ("2007", "2017"),
    "ore_basis": ("gross", "concentrate"),
    "electricity": ("calorific", "equivalent"),
    "feedstock_energy": ("include", "exclude"),
    "energy_media": ("exclude", "include"),
    "co2_scope": ("direct", "total"),
}
DEFAULT_GRID = "national"


class BasisError(ValueError):
    """A basis key or value that does not exist; the message says which exist."""


@dataclass(frozen=True)
class Basis:
    """The conventions every indicator is computed on (defaults: the official defaults)."""

    resource_list: str = "2007"
    ore_basis: str = "gross"
    electricity: str = "calorific"
    feedstock_energy: str = "include"
    energy_media: str = "exclude"
    co2_scope: str = "direct"
    grid: str = DEFAULT_GRID

    def label(self, keys: tuple[str, ...]) -> str:
        """``electricity=calorific; feedstock_energy=include`` for the given keys."""
        return "; ".join(f"{k}={getattr(self, k)}" for k in keys)

    def with_pairs(self, pairs: list[str] | dict[str, str]) -> Basis:
        """This basis with ``key=value`` overrides (the CLI's ``--basis``), checked."""
        items = pairs.items() if isinstance(pairs, dict) else [_split(p) for p in pairs]
        changes: dict[str, str] = {}
        for key, value in items:
            changes[key] = check_choice(key, str(value))
        return replace(self, **changes)


def keys() -> list[str]:
    """Every basis key, in the order the docs and the table print them."""
    return [f.name for f in fields(Basis)]


def check_choice(key: str, value: str) -> str:
    """``value`` if ``key`` takes it; else a :class:`BasisError` naming what is allowed."""
    if key not in keys():
        raise BasisError(f"unknown basis '{key}'; the bases are {', '.join(keys())}")
    allowed = CHOICES.get(key)
    if allowed is not None and value not in allowed:
        raise BasisError(f"basis {key} takes {' or '.join(allowed)}, not '{value}'")
    if key == "grid" and not value.replace("_", "").isalnum():
        raise BasisError(f"basis grid takes a region id such as 'national', not '{value}'")
    return value


def _split(pair: str) -> tuple[str, str]:
    key, sep, value = pair.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise BasisError(f"'{pair}' is not key=value, e.g. electricity=equivalent")
    return key.strip(), value.strip()


@dataclass(frozen=True)
class HeatResource:
    """An enterprise's declared 余热余压资源量 per unit of activity (GB/T 1028-2018), GJ."""

    heat: float = 0.0
    pressure: float = 0.0
    reference_temperature: str = ""
    source: str = ""


@dataclass(frozen=True)
class ParkStatistics:
    """What the park file declares for its statistics, beyond flows.

    ``declared`` names the optional data sets the park gives (``value_added``,
    ``industrial_land``, ``waste_heat_resource``, ``water_recirculation``): an indicator built
    on data the park does not declare is "–" with the reason, never 0.
    """

    basis: Basis = Basis()
    industrial_land: float | None = None  # 工业用地面积, hm²
    land_source: str = ""
    heat_resources: dict[str, HeatResource] = field(default_factory=dict)
    # enterprise → {carrier: share of its intake used as feedstock (1.0: all of it)}
    feedstock: dict[str, dict[str, float]] = field(default_factory=dict)
    declared: frozenset[str] = frozenset()
