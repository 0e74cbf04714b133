"""Random but valid park dicts (what a park YAML parses to), for property tests and benchmarks.

Every park balances: no process creates mass, links run from a producer to a consumer (or to a
consumer of a substituted carrier), shares per supplier and carrier sum to at most 1, fixed
quantities are served first and take at most half of what supplier and receiver have, and
every solid waste, hazardous waste and wastewater has a ``default_for`` sink.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np

from .io.catalogue import load_catalogue
from .model.carriers import PRIMARY_CLASSES, CarrierClass, Catalogue

C = CarrierClass
REFERENCE_CLASSES = (C.PRODUCT, C.BY_PRODUCT, C.SECONDARY_ENERGY)
OUTPUT_WEIGHTS = {C.GENERAL_SOLID_WASTE: 3.0, C.HAZARDOUS_WASTE: 1.0,
                  C.WASTE_HEAT_PRESSURE: 2.0, C.WASTEWATER: 1.5, C.EMISSION: 1.0,
                  C.BY_PRODUCT: 1.5, C.SECONDARY_ENERGY: 1.0, C.PRODUCT: 0.5,
                  C.RECLAIMED_WATER: 0.5}
INPUT_WEIGHTS = {C.GENERAL_SOLID_WASTE: 2.0, C.WASTE_HEAT_PRESSURE: 1.5,
                 C.SECONDARY_ENERGY: 2.0, C.PRODUCT: 1.0, C.BY_PRODUCT: 1.0,
                 C.RECLAIMED_WATER: 0.5, C.FRESH_WATER: 1.5, C.HAZARDOUS_WASTE: 0.3,
                 C.WASTEWATER: 0.3}
SOLID = C.GENERAL_SOLID_WASTE
SINKS = {SOLID: "landfill", C.HAZARDOUS_WASTE: "hw_disposal", C.WASTEWATER: "wwtp"}
BASE_YEAR = 2020


class _Pool:
    """Carriers of the weighted classes; a draw picks distinct carriers, class by weight."""

    def __init__(self, catalogue: Catalogue, weights: dict[CarrierClass, float]) -> None:
        members = [c for c in catalogue.carriers if c.carrier_class in weights]
        count = Counter(c.carrier_class for c in members)
        self.ids = [c.id for c in members]
        p = np.array([weights[c.carrier_class] / count[c.carrier_class] for c in members])
        self.p = p / p.sum() if len(p) else p

    def draw(self, rng: np.random.Generator, count: int, exclude: set[str]) -> list[str]:
        size = min(count + len(exclude), len(self.ids))
        picked = rng.choice(len(self.ids), size=size, replace=False, p=self.p)
        return [c for c in (self.ids[int(k)] for k in picked) if c not in exclude][:count]


def _amount(rng: np.random.Generator, per_unit: float | None, low: float, high: float) -> float:
    """A rate in the carrier's unit worth ``U(low, high)`` t (energy: ×5 GJ or MWh)."""
    mass = float(rng.uniform(low, high))
    return mass / per_unit if per_unit else 5.0 * mass


def _rates(rng: np.random.Generator, catalogue: Catalogue, ref: str, outputs: _Pool,
           inputs: _Pool, primaries: list[str]) -> dict[str, float]:
    """Signed rates per unit of activity whose mass inputs exceed the mass outputs."""
    rates = {ref: 1.0}
    for carrier in outputs.draw(rng, int(rng.integers(1, 5)), set(rates)):
        rates[carrier] = _amount(rng, catalogue[carrier].t_per_unit, 0.02, 1.0)
    for carrier in inputs.draw(rng, int(rng.integers(1, 5)), set(rates)):
        rates[carrier] = -_amount(rng, catalogue[carrier].t_per_unit, 0.02, 0.6)
    mass = {c: r * (catalogue[c].t_per_unit or 0.0) for c, r in rates.items()}
    produced = sum(m for m in mass.values() if m > 0)
    consumed = -sum(m for m in mass.values() if m < 0)
    needed = max(produced * rng.uniform(1.02, 1.5) - consumed, 0.05 * produced + 0.01)
    chosen = [str(p) for p in rng.permutation(primaries)[: int(rng.integers(1, 3))]
              if p not in rates]
    weights = rng.dirichlet(np.ones(len(chosen)))
    for carrier, weight in zip(chosen, weights, strict=True):
        rates[carrier] = -needed * float(weight) / (catalogue[carrier].t_per_unit or 1.0)
    return rates


def _enterprise(i: int, rng: np.random.Generator, catalogue: Catalogue, references: list[str],
                outputs: _Pool, inputs: _Pool, primaries: list[str]) -> dict[str, Any]:
    ref = references[int(rng.integers(len(references)))]
    rates = _rates(rng, catalogue, ref, outputs, inputs, primaries)
    level = float(10 ** rng.uniform(2, 5))
    capacity = level * float(rng.uniform(1.0, 1.5))
    ru = catalogue[ref].unit
    ent: dict[str, Any] = {
        "id": f"e{i}",
        "sector": str(catalogue[ref].carrier_class),
        "activity": {"carrier": ref, "capacity": f"{capacity!r} {ru}/a",
                     "level": f"{level!r} {ru}/a"},
        "rates": {c: f"{r!r} {catalogue[c].unit}/{ru}" for c, r in rates.items() if c != ref},
        "value_added": f"{float(rng.uniform(100, 5000))!r} 元/{ru}",
    }
    if rng.random() < 0.3:
        ent["water_recirculation"] = f"{float(rng.uniform(0, 20))!r} m**3/{ru}"
    ent["_level"], ent["_rates"] = level, rates  # stripped before returning
    return ent


class _LinkMaker:
    """Draws links one at a time, keeping shares and fixed quantities feasible."""

    def __init__(self, rng: np.random.Generator, catalogue: Catalogue,
                 enterprises: list[dict[str, Any]], yards: dict[str, float]) -> None:
        self.rng, self.catalogue, self.ents = rng, catalogue, enterprises
        self.yards, self.yard_ids = yards, sorted(yards)  # GSW carrier → opening stock
        self.consumers: dict[str, list[int]] = defaultdict(list)
        for i, ent in enumerate(enterprises):
            for carrier, rate in ent["_rates"].items():
                if rate < 0:
                    self.consumers[carrier].append(i)
        self.share_left: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
        self.fixed_out: dict[tuple[str, str], float] = {}
        self.fixed_in: dict[tuple[int, str], float] = {}
        self.seen: set[tuple[str, str, str]] = set()
        self.links: list[dict[str, Any]] = []

    def flow(self, i: int, carrier: str) -> float:
        return abs(float(self.ents[i]["_rates"][carrier]) * float(self.ents[i]["_level"]))

    def _receiver(self, s: int, carrier: str) -> tuple[int, str] | None:
        """A consumer of ``carrier``, or (10 %) of another carrier of its class."""
        wanted = carrier
        if self.rng.random() < 0.1:
            klass = self.catalogue[carrier].carrier_class
            same = [c for c in self.consumers if c != carrier
                    and self.catalogue[c].carrier_class == klass]
            wanted = same[int(self.rng.integers(len(same)))] if same else carrier
        options = self.consumers.get(wanted, [])
        if not options:
            return None
        t = options[int(self.rng.integers(len(options)))]
        return (t, wanted) if t != s else None

    def add(self, source: str, supply: float, target: str | int, carrier: str,
            wanted: str) -> None:
        """Add a link to enterprise number ``target`` or to boundary node ``target``."""
        to = self.ents[target]["id"] if isinstance(target, int) else target
        if (source, to, carrier) in self.seen:
            return
        self.seen.add((source, to, carrier))
        rng = self.rng
        link: dict[str, Any] = {"from": source, "to": to, "carrier": carrier}
        if rng.random() < 0.5:
            link["id"] = f"l{len(self.links)}"
        heat = self.catalogue[carrier].carrier_class == C.WASTE_HEAT_PRESSURE
        loss = float(rng.uniform(0, 0.2)) if heat or rng.random() < 0.05 else 0.0
        link |= {"loss": loss} if loss else {}
        ratio = float(rng.uniform(0.5, 1.2)) if wanted != carrier else 1.0
        if wanted != carrier:
            unit = f"{self.catalogue[wanted].unit}/{self.catalogue[carrier].unit}"
            link["substitutes"] = {"carrier": wanted, "ratio": f"{ratio!r} {unit}"}
        receiver = (target, wanted) if isinstance(target, int) else None
        self._bound(link, source, supply, receiver, (1 - loss) * ratio)
        self.links.append(link)

    def _bound(self, link: dict[str, Any], source: str, supply: float,
               receiver: tuple[int, str] | None, gain: float) -> None:
        """Set share, cap, fixed quantity (served first, at most half the slack) or none."""
        rng, carrier = self.rng, link["carrier"]
        mode = rng.random()
        unit = f"{self.catalogue[carrier].unit}/a"
        key = (source, carrier)
        if mode < 0.1 and receiver is not None:
            out = self.fixed_out.setdefault(key, 0.5 * supply)
            room = self.fixed_in.setdefault(receiver, 0.5 * self.flow(*receiver))
            quantity = float(rng.uniform(0.1, 0.5)) * min(out, room / gain)
            self.fixed_out[key] -= quantity
            self.fixed_in[receiver] -= quantity * gain
            link["quantity"], link["priority"] = f"{quantity!r} {unit}", 0
            return
        if mode < 0.5 and self.share_left[key] > 0.02:
            share = min(float(rng.uniform(0.05, 0.6)), self.share_left[key])
            self.share_left[key] -= share
            link["share"] = share
        if 0.4 < mode < 0.8:  # a cap alone, or with a share (the smaller bound applies)
            link["cap"] = f"{float(rng.uniform(0.05, 0.8)) * supply!r} {unit}"
        if rng.random() < 0.5:
            link["priority"] = int(rng.integers(1, 30))

    def draw(self, count: int) -> None:
        """Try ``3 × count`` candidate links; keep up to ``count`` valid ones."""
        n, rng = len(self.ents), self.rng
        for _ in range(3 * count):
            if len(self.links) >= count:
                return
            if self.yards and rng.random() < 0.05:  # draw down a yard's opening stock
                carrier = self.yard_ids[int(rng.integers(len(self.yards)))]
                users = self.consumers.get(carrier, [])
                if users:
                    t = users[int(rng.integers(len(users)))]
                    self.add(f"yard_{carrier}", self.yards[carrier], t, carrier, carrier)
                continue
            s = int(rng.integers(n))
            made = [c for c, r in self.ents[s]["_rates"].items() if r > 0]
            carrier = made[int(rng.integers(len(made)))]
            sink = SINKS.get(self.catalogue[carrier].carrier_class)
            pick: tuple[str | int, str] | None = (
                (sink, carrier) if sink and rng.random() < 0.1 else self._receiver(s, carrier))
            if pick is not None:
                self.add(self.ents[s]["id"], self.flow(s, carrier), pick[0], carrier, pick[1])


def _boundary(catalogue: Catalogue, ents: list[dict[str, Any]],
              rng: np.random.Generator) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """A yard (stockpile) per solid waste made, landfill, hazardous disposal and a WWTP."""
    totals: dict[str, float] = defaultdict(float)
    for ent in ents:
        for carrier, rate in ent["_rates"].items():
            totals[carrier] += max(rate, 0.0) * ent["_level"]
    nodes: list[dict[str, Any]] = [
        {"id": "landfill", "kind": "disposal"},
        {"id": "hw_disposal", "kind": "disposal", "default_for": [C.HAZARDOUS_WASTE.value]},
        {"id": "wwtp", "kind": "treatment", "default_for": [C.WASTEWATER.value]},
    ]
    yards: dict[str, float] = {}
    for carrier in sorted(c for c in totals if catalogue[c].carrier_class == SOLID):
        opening = float(rng.uniform(0, 0.5)) * totals[carrier]
        capacity = opening + float(rng.uniform(1.1, 2.0)) * totals[carrier] + 1.0
        yards[carrier] = opening
        nodes.append({"id": f"yard_{carrier}", "kind": "stockpile", "carrier": carrier,
                      "opening_stock": f"{opening!r} t", "capacity": f"{capacity!r} t",
                      "default_for": [carrier]})
    return nodes, yards


def random_park(n_enterprises: int, links_per_enterprise: float = 5.0, seed: int = 0,
                catalogue: Catalogue | None = None) -> dict[str, Any]:
    """A random, valid park as a mapping, ready for :func:`mfa.park_from_dict`.

    Parameters
    ----------
    n_enterprises
        Number of enterprises (each with one activity and 3–11 signed rates).
    links_per_enterprise
        Links drawn per enterprise on average (fewer when a park is too small to offer them).
    seed
        Seed of the one ``numpy.random.Generator`` behind every draw: same seed, same park.
    catalogue
        Carrier catalogue to draw from (default: the built-in ``flows/``); carriers are
        picked by class, so any catalogue with products and primary resources works.

    Returns
    -------
    dict
        ``park``, ``enterprises``, ``links`` and ``boundary`` as in a park YAML file, with
        quantities as strings in each carrier's canonical unit (``"1234.5 t/a"``).
    """
    if n_enterprises < 1:
        raise ValueError("a park needs at least one enterprise")
    rng = np.random.default_rng(seed)
    catalogue = catalogue or load_catalogue()
    references = [c.id for c in catalogue.carriers if c.carrier_class in REFERENCE_CLASSES]
    primaries = [c.id for c in catalogue.carriers
                 if c.carrier_class in PRIMARY_CLASSES and c.t_per_unit]
    if not references or not primaries:
        raise ValueError("the catalogue needs products and primary resources with a mass")
    outputs, inputs = _Pool(catalogue, OUTPUT_WEIGHTS), _Pool(catalogue, INPUT_WEIGHTS)
    ents = [_enterprise(i, rng, catalogue, references, outputs, inputs, primaries)
            for i in range(n_enterprises)]
    boundary, yards = _boundary(catalogue, ents, rng)
    maker = _LinkMaker(rng, catalogue, ents, yards)
    maker.draw(round(n_enterprises * links_per_enterprise))
    for ent in ents:
        del ent["_level"], ent["_rates"]
    meta = {"id": f"synthetic_{seed}", "name_zh": "合成园区", "name_en": f"Synthetic park {seed}",
            "base_year": BASE_YEAR, "price_base_year": BASE_YEAR}
    return {"park": meta, "enterprises": ents, "links": maker.links, "boundary": boundary}
