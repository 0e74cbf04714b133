"""Links from the park file → :class:`~mfa.model.Link`, with every reference checked."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from ..model.park import BoundaryNode, Enterprise, Link, LinkMode
from .convert import Key
from .limits import shown
from .specs import LinkSpec

if TYPE_CHECKING:
    from .convert import Converter

# Links to enterprises are served before links to boundary nodes unless a priority says
# otherwise: a by-product is offered to users first and only the rest is stored or sold.
DEFAULT_PRIORITY_ENTERPRISE = 10
DEFAULT_PRIORITY_BOUNDARY = 90


class _Nodes(NamedTuple):
    """What link validation looks up: enterprises by id, boundary nodes, the converter."""

    by_id: dict[str, Enterprise]
    boundary: dict[str, BoundaryNode]
    convert: Converter


def build_links(
    specs: list[LinkSpec],
    enterprises: list[Enterprise],
    boundary: dict[str, BoundaryNode],
    convert: Converter,
) -> list[Link]:
    """Validate and convert every link; problems go to ``convert.problems``."""
    by_id = {e.id: e for e in enterprises}
    nodes = _Nodes(by_id, boundary, convert)
    links = []
    for i, spec in enumerate(specs):
        label = spec.id or f"{spec.source_node}>{spec.target_node}:{spec.carrier}"
        where = f"links[{i}] ({shown(label, 80)})"
        if _references_ok(spec, where, nodes):
            link = _convert(spec, i, label, where, by_id, boundary, convert)
            if link is not None:
                links.append(link)
    _check_shares(links, convert)
    _check_unique_ids(links, convert)
    return links


def _references_ok(spec: LinkSpec, where: str, nodes: _Nodes) -> bool:
    by_id, boundary, convert = nodes
    problems = convert.problems
    ok = convert.known_carrier(spec.carrier, f"{where}.carrier")
    for end, node in (("from", spec.source_node), ("to", spec.target_node)):
        if node not in by_id and node not in boundary:
            problems.add(f"{where}.{end}",
                         f"unknown enterprise or boundary node '{shown(node)}'",
                         "use an id from the park's enterprises or boundary")
            ok = False
    if spec.source_node == spec.target_node:
        problems.add(where, f"link from '{shown(spec.source_node)}' to itself",
                     "remove it; recirculation inside an enterprise is 'water_recirculation' "
                     "or a net rate")
        return False
    if not ok:
        return False
    if spec.substitutes and not convert.known_carrier(spec.substitutes.carrier,
                                                      f"{where}.substitutes.carrier"):
        return False
    return _supplier_ok(spec, where, nodes) & _receiver_ok(spec, where, nodes)


def _supplier_ok(spec: LinkSpec, where: str, nodes: _Nodes) -> bool:
    by_id, boundary, convert = nodes
    source = spec.source_node
    if source in by_id:
        if by_id[source].rates.get(spec.carrier, 0.0) > 0:
            return True
        message = f"'{source}' does not produce '{spec.carrier}' (no positive rate)"
        fix = f"add a positive rate for '{spec.carrier}' to '{source}' or change the carrier"
    elif boundary[source].kind == "stockpile":
        if boundary[source].carrier == spec.carrier:
            return True
        message = f"stockpile '{source}' holds '{boundary[source].carrier}', not '{spec.carrier}'"
        fix = "link the carrier the stockpile holds"
    else:
        message = f"a {boundary[source].kind} node cannot supply a link"
        fix = ("only enterprises and stockpiles supply links; purchases from the market "
               "happen automatically for unmet demand")
    convert.problems.add(f"{where}.from", message, fix)
    return False


def _receiver_ok(spec: LinkSpec, where: str, nodes: _Nodes) -> bool:
    by_id, boundary, convert = nodes
    target = spec.target_node
    if target in boundary:
        node = boundary[target]
        if node.kind == "stockpile" and node.carrier != spec.carrier:
            convert.problems.add(f"{where}.to", f"stockpile '{target}' holds '{node.carrier}', "
                                 f"not '{spec.carrier}'", "send it to a stockpile of that carrier")
            return False
        if spec.substitutes:
            convert.problems.add(f"{where}.substitutes", "substitution needs an enterprise "
                                 "receiver", "remove 'substitutes' or link to an enterprise")
            return False
        return True
    wanted = spec.substitutes.carrier if spec.substitutes else spec.carrier
    if by_id[target].rates.get(wanted, 0.0) < 0:
        return True
    convert.problems.add(
        f"{where}.to",
        f"'{target}' does not consume '{wanted}' (no negative rate)",
        f"add a negative rate for '{wanted}' to '{target}', or use 'substitutes' to replace "
        "one of its inputs",
    )
    return False


def _convert(
    spec: LinkSpec,
    i: int,
    label: str,
    where: str,
    by_id: dict[str, Enterprise],
    boundary: dict[str, BoundaryNode],
    convert: Converter,
) -> Link | None:
    unit = convert.carrier_unit(spec.carrier)
    water = convert.catalogue[spec.carrier].is_water
    quantity = convert.value(spec.quantity, f"{unit}/a", f"{where}.quantity", water=water,
                             key=_key(label, "quantity", spec), source=spec.source,
                             field="links.quantity")
    cap = convert.value(spec.cap, f"{unit}/a", f"{where}.cap", water=water,
                        key=_key(label, "cap", spec), source=spec.source, field="links.cap")
    if spec.share is not None:
        convert.record(_key(label, "share", spec), spec.share, math.nan, math.nan, "",
                       spec.source, f"{where}.share")
    ratio = 1.0
    if spec.substitutes:
        sub_unit = convert.carrier_unit(spec.substitutes.carrier)
        read = convert.value(spec.substitutes.ratio, f"{sub_unit}/{unit}",
                             f"{where}.substitutes.ratio", water=water,
                             key=_key(label, "ratio", spec), source=spec.source,
                             field="links.substitutes.ratio")
        ratio = read or 0.0
        if read is not None and ratio <= 0:
            convert.problems.add(f"{where}.substitutes.ratio", "ratio must be positive",
                                 "write e.g. '0.8 t/t' (t replaced per t delivered)")
    for name, value in (("quantity", quantity), ("cap", cap)):
        if value is not None and value < 0:
            convert.problems.add(f"{where}.{name}", f"{name} is negative", "give a value ≥ 0")
    if spec.since is not None and spec.until is not None and spec.until <= spec.since:
        convert.problems.add(f"{where}.until", "'until' is not after 'since'",
                             "the link is active from 'since' up to (not including) 'until'")
    mode: LinkMode
    if quantity is not None:
        mode, bound = "quantity", quantity
    elif spec.share is not None:
        mode, bound = "share", spec.share
    elif cap is not None:
        mode, bound = "cap", cap
    else:
        mode, bound = "free", float("inf")
    default = (DEFAULT_PRIORITY_BOUNDARY if spec.target_node in boundary
               else DEFAULT_PRIORITY_ENTERPRISE)
    return Link(
        index=i, id=label, source=spec.source_node, target=spec.target_node,
        carrier=spec.carrier, mode=mode, bound=bound,
        cap=cap if cap is not None else float("inf"),
        priority=spec.priority if spec.priority is not None else default,
        loss=spec.loss, substitutes=spec.substitutes.carrier if spec.substitutes else None,
        ratio=ratio, since=spec.since, until=spec.until,
    )


def _key(label: str, field: str, spec: LinkSpec) -> Key:
    """The ParameterTable key of a link's value, e.g. ``links.ash_to_cement.cap``."""
    return Key(f"links.{label}.{field}", label, "link", field, spec.carrier)


def _check_shares(links: list[Link], convert: Converter) -> None:
    """Shares of one supplier's carrier may not exceed 100 % in any year; links that are
    never active together (since/until) do not add up."""
    groups: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in links:
        if link.mode == "share":
            groups[link.source, link.carrier].append(link)
    for (source, carrier), group in groups.items():
        starts = {link.since for link in group if link.since is not None}
        years = sorted(starts | {link.until for link in group if link.until is not None})
        probe_years = [years[0] - 1, *years] if years else [0]
        for year in probe_years:
            active = [link for link in group if link.active(year)]
            share = sum(link.bound for link in active)
            if share > 1 + 1e-9:
                names = ", ".join(f"links[{link.index}]" for link in active)
                convert.problems.add(
                    f"{names} (from {source}, carrier {carrier})",
                    f"shares of '{carrier}' from '{source}' add up to {share:.0%}, above 100%"
                    + (f" in {year}" if years else ""),
                    "lower the shares so they sum to at most 1 (the rest goes to the default "
                    "sink)",
                )
                break


def _check_unique_ids(links: list[Link], convert: Converter) -> None:
    seen: set[str] = set()
    for link in links:
        if link.id in seen:
            convert.problems.add(f"links[{link.index}] ({shown(link.id, 80)})",
                                 "link id used twice",
                                 "give each link an 'id' of its own")
        seen.add(link.id)
