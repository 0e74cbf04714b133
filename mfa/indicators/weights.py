"""What one unit of a carrier weighs in a total, on a statistical basis.

A :class:`~mfa.indicators.totals.FlowSum` multiplies each flow by one of these weights. The
bases (:class:`~mfa.model.statistics.Basis`) act here and nowhere else: which list of 主要资源
counts a carrier, its concentrate equivalent, 当量值 or 等价值 electricity, 耗能工质 energy, the
grid factor's region. The weights read catalogue data only (``docs/indicators.md``, "Bases").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..model.carriers import Carrier, CarrierClass
from ..model.statistics import Basis

POLLUTANTS = ("cod", "nh3_n", "so2", "nox", "particulates", "vocs")


def _resource(c: Carrier, b: Basis) -> float:
    """主要资源 mass: 0 when the chosen list does not name the carrier."""
    if b.resource_list not in c.resource_lists:
        return 0.0
    mass = c.t_per_unit or 0.0
    if b.ore_basis == "concentrate" and c.concentrate_factor is not None:
        return mass * c.concentrate_factor
    return mass


def _tce(c: Carrier, b: Basis) -> float:
    """Energy in tce: 当量值 or 等价值 (where the catalogue gives one)."""
    if b.electricity == "equivalent" and c.tce_equivalent is not None:
        return c.tce_equivalent
    return c.tce_per_unit


def _media(c: Carrier, b: Basis) -> float:
    """耗能工质 energy (oxygen, carbide, fresh water…), tce per unit, when the basis includes it."""
    return c.tce_media if b.energy_media == "include" else 0.0


def _non_conventional(c: Carrier, b: Basis) -> float:
    """非常规水源: reclaimed water (再生水) and waters the catalogue marks (mine water…)."""
    return float(c.non_conventional_water or c.carrier_class is CarrierClass.RECLAIMED_WATER)


WEIGHTS: dict[str, Callable[[Carrier, Basis], float]] = {
    "quantity": lambda c, b: 1.0,
    "mass": lambda c, b: c.t_per_unit or 0.0,
    "resource": _resource,
    "tce": _tce,
    "energy_media": _media,
    "co2": lambda c, b: c.co2_per_unit,
    "co2_indirect": lambda c, b: c.indirect_co2.get(b.grid, 0.0),
    # Water that counts as repeat water: not from a non-conventional source (mine water).
    "repeat_water": lambda c, b: 0.0 if c.non_conventional_water else 1.0,
    "non_conventional_water": _non_conventional,
    "waste_heat": lambda c, b: float(c.waste_energy == "heat"),
    "waste_pressure": lambda c, b: float(c.waste_energy == "pressure"),
} | {f"pollutant:{p}": (lambda c, b, p=p: float(c.pollutant == p)) for p in POLLUTANTS}


def weight_of(carrier: Carrier, weight: str, basis: Basis) -> float:
    """One unit of ``carrier`` in a total weighted by ``weight``."""
    return WEIGHTS[weight](carrier, basis)


def weight_vector(carriers: Sequence[Carrier], weight: str, basis: Basis) -> np.ndarray:
    """``[C]``: the weight of each carrier column."""
    rule = WEIGHTS[weight]
    return np.array([rule(c, basis) for c in carriers], dtype=float)
