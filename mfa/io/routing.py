"""Where leftovers go and where unmet demand comes from, per carrier.

An enterprise's output that no link takes goes to the carrier's *sink*; an input that no link
covers comes from the carrier's *source*. A park file names them with ``default_for`` and
``supplies`` on boundary nodes (by carrier id or by class); otherwise products, by-products,
energy and primary resources go to the market, emissions, waste heat and water to the
environment, and everything is bought from the market (air and oxygen from the environment).
Solid and hazardous waste and wastewater have no default: the park must say where they go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..model.carriers import CarrierClass
from ..model.park import DEFAULT_SINK_KIND, DEFAULT_SOURCE_KIND, BoundaryNode, Enterprise, Link
from .specs import BoundarySpec

if TYPE_CHECKING:
    from .convert import Converter

_CLASSES = {c.value for c in CarrierClass}


def resolve_routes(
    specs: list[BoundarySpec],
    enterprises: list[Enterprise],
    links: list[Link],
    boundary: dict[str, BoundaryNode],
    convert: Converter,
) -> tuple[dict[str, str], dict[str, str]]:
    """Return ``(sink_for, source_for)``: carrier id → boundary node id."""
    sink_rules = _rules(specs, "default_for", convert)
    source_rules = _rules(specs, "supplies", convert)
    produced = {c for e in enterprises for c, r in e.rates.items() if r > 0}
    consumed = {c for e in enterprises for c, r in e.rates.items() if r < 0}
    consumed |= {link.substitutes for link in links if link.substitutes}
    sink_for: dict[str, str] = {}
    for carrier in sorted(produced):
        node = _lookup(carrier, sink_rules, convert, DEFAULT_SINK_KIND)
        if node is None:
            _require_outlet(carrier, enterprises, links, boundary, convert)
        else:
            sink_for[carrier] = node
    source_for = {
        carrier: _lookup(carrier, source_rules, convert, DEFAULT_SOURCE_KIND) or "market"
        for carrier in sorted(consumed)
    }
    return sink_for, source_for


def _rules(specs: list[BoundarySpec], field: str, convert: Converter) -> dict[str, str]:
    """Carrier id or class → node id, from ``default_for`` or ``supplies`` entries."""
    rules: dict[str, str] = {}
    for i, spec in enumerate(specs):
        entries: list[str] = getattr(spec, field)
        for entry in entries:
            where = f"boundary[{i}] ({spec.id}).{field}"
            if entry not in _CLASSES and not convert.known_carrier(entry, where):
                continue
            if entry in rules:
                convert.problems.add(where, f"'{entry}' is already routed to '{rules[entry]}'",
                                     "name each carrier or class in one node only")
            elif field == "supplies" and spec.kind not in ("market", "environment"):
                convert.problems.add(where, f"a {spec.kind} cannot supply unmet demand",
                                     "use a market or environment node, or a link from a "
                                     "stockpile")
            elif spec.kind == "stockpile" and entry != spec.carrier:
                convert.problems.add(where, f"stockpile '{spec.id}' holds '{spec.carrier}' "
                                     f"only, not '{entry}'", f"use 'default_for: [{spec.carrier}]'")
            else:
                rules[entry] = spec.id
    return rules


def _lookup(
    carrier: str,
    rules: dict[str, str],
    convert: Converter,
    defaults: Mapping[CarrierClass, str],
) -> str | None:
    klass = convert.catalogue[carrier].carrier_class
    if carrier in rules:
        return rules[carrier]
    if klass.value in rules:
        return rules[klass.value]
    return defaults.get(klass)


def _require_outlet(
    carrier: str,
    enterprises: list[Enterprise],
    links: list[Link],
    boundary: dict[str, BoundaryNode],
    convert: Converter,
) -> None:
    """Each producer of a carrier without a default sink needs an unbounded boundary link."""
    outlets = {
        link.source for link in links
        if link.carrier == carrier and link.target in boundary and link.mode == "free"
        and link.since is None and link.until is None
    }
    klass = convert.catalogue[carrier].carrier_class.value
    for i, ent in enumerate(enterprises):
        if ent.rates.get(carrier, 0.0) > 0 and ent.id not in outlets:
            convert.problems.add(
                f"enterprises[{i}] ({ent.id}).rates.{carrier}",
                f"no destination for the '{carrier}' ({klass}) that links do not take",
                f"add a boundary node (stockpile, disposal or treatment) with "
                f"'default_for: [{carrier}]' or '[{klass}]', or a link without bounds to one",
            )
