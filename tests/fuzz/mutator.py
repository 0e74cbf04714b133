"""A seeded mutator: malformed input files derived from valid seed files.

Every case is reproducible from ``(seed, index)`` alone: :func:`make_case` draws from
``random.Random(f"{seed}:{index}")``, so a failure is regenerated (and minimised) anywhere.

Seeds come from corpora registered in :data:`CORPORA` by kind. Today there is one, ``park``:
the built-in parks in ``parks/`` and the test parks in ``tests/data/parks/``. Plan files do not
exist yet (issue 8); when they do, a ``plan`` corpus is one more entry here (its seed files
and a pipeline in :mod:`fuzz.runner` that loads a park, applies the plan and balances), and
every structural and textual mutation below applies to it unchanged, since mutations work on
any YAML mapping.
"""

from __future__ import annotations

import copy
import functools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class Seed:
    """A valid input file to mutate: its kind (which pipeline runs it) and its catalogue."""

    kind: str
    name: str
    path: Path
    catalogue: Path | None = None  # None: the built-in carrier catalogue


@dataclass
class Case:
    """One mutated file: the bytes, the seed it came from and the mutations applied."""

    index: int
    seed: Seed
    content: bytes
    ops: list[str] = field(default_factory=list)


def park_seeds() -> list[Seed]:
    seeds = [Seed("park", p.stem, p) for p in sorted((ROOT / "parks").glob("*.yaml"))]
    seeds.append(Seed("park", "mini", TEST_DATA / "parks" / "mini.yaml"))
    seeds.append(Seed("park", "hand", TEST_DATA / "parks" / "hand.yaml", TEST_DATA / "flows"))
    return seeds


CORPORA: dict[str, Callable[[], list[Seed]]] = {"park": park_seeds}


@functools.cache
def all_seeds(kinds: tuple[str, ...] = ("park",)) -> tuple[Seed, ...]:
    return tuple(s for kind in kinds for s in CORPORA[kind]())


@functools.cache
def seed_data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ values a hostile file holds

NUMBERS: list[Any] = [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-320, 0, -1, -0.0, 1e15,
                      1e16, 2**63, 2**64, 10**30, -(10**400), 99999999999999999999, 0.5, 3]
NUMBER_TEXT = ["nan", "inf", "-inf", "1e308", "1e999", "-1e308", "0", "-0", "-1", "1e-320",
               "99999999999999999999999", "1" * 400, "1e15", "-3.5", ".5", "1.", "+2"]
UNITS = ["t", "kg", "kt", "Mt", "GJ", "MWh", "m**3", "元", "万元", "km", "s", "%", "", "t/t",
         "t/a", "kt/a", "m**3/t", "GJ/t", "元/t", "t/t*9**9**9", "foo", "m**99", "万t", "1/a",
         "degC", "t**-1", "(t)", "t/(t", "tce", "万m**3/a", "km**3", "t^9^9", "1e308*1e308*t",
         "dimensionless", "percent", "m³", "USD/t", "t/MWh", "a", "year"]
TEXTS = ["", " ", "[/bold]", "[link=http://evil.example]x[/link]", "\x1b[31mred\x1b[0m",
         "\x1b]0;title\x07", "\u202eevil", "\x00\x01\x02", "名称", "🙂", "\t\n", "a" * 300,
         "x" * 30_000, "market", "environment", "smelter", "fresh_water", "nickel_slag",
         "${HOME}", "%s%n", "../../etc/passwd", "\ufeff", "true", "null", "2016-13-45",
         "150 kt/a", "1" + " " * 5000 + "t"]
YEARS = [1899, 1900, 2016, 2200, 2201, 0, -1, 2**63, 10**20, 3000]
KEYS = ["id", "kind", "from", "to", "carrier", "share", "cap", "quantity", "level", "capacity",
        "rates", "value", "low", "high", "since", "until", "priority", "loss", "year",
        "base_year", "default_for", "supplies", "opening_stock", "value_added",
        "water_recirculation", "substitutes", "ratio", "unknown_field", "<<"]
RESERVED = ["market", "environment"]
KINDS = ["market", "disposal", "stockpile", "treatment", "environment", "nonsense"]


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(9 if depth < 2 else 6)
    if pick == 0:
        return rng.choice(NUMBERS)
    if pick == 1:
        return f"{rng.choice(NUMBER_TEXT)} {rng.choice(UNITS)}"
    if pick == 2:
        return rng.choice(TEXTS)
    if pick == 3:
        return rng.choice([None, True, False, {}, []])
    if pick == 4:
        return rng.choice(YEARS)
    if pick == 5:
        return rng.choice(KEYS)
    if pick == 6:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(KEYS): _random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


# ------------------------------------------------------------------ where to mutate

Path_ = tuple[Any, ...]


def _paths(data: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path to a value inside ``data`` (mapping keys and list positions)."""
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else []
    for key, value in items:
        found.append((*prefix, key))
        found += _paths(value, (*prefix, key))
    return found


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _scalar_paths(data: Any) -> list[Path_]:
    return [p for p in _paths(data) if not isinstance(_get(data, p), dict | list)]


def _entries(data: Any, section: str) -> list[Any]:
    entries = data.get(section) if isinstance(data, dict) else None
    return entries if isinstance(entries, list) else []


# ------------------------------------------------------------------ structural mutations


def delete_key(rng: random.Random, data: Any) -> str:
    paths = [p for p in _paths(data) if isinstance(_get(data, p[:-1]), dict)]
    if not paths:
        return "delete_key: none"
    path = rng.choice(paths)
    del _get(data, path[:-1])[path[-1]]
    return f"delete_key {path}"


def change_value(rng: random.Random, data: Any) -> str:
    paths = _paths(data)
    if not paths:
        return "change_value: none"
    path = rng.choice(paths)
    value = _random_value(rng)
    _get(data, path[:-1])[path[-1]] = value
    return f"change_value {path} = {value!r:.60}"


def change_quantity(rng: random.Random, data: Any) -> str:
    """A quantity's number or unit replaced: NaN, inf, huge, negative, zero, odd units."""
    paths = [p for p in _scalar_paths(data) if isinstance(_get(data, p), str)
             and _get(data, p)[:1].lstrip("+-").isdigit()]
    if not paths:
        return "change_quantity: none"
    path = rng.choice(paths)
    number, _, unit = str(_get(data, path)).partition(" ")
    if rng.random() < 0.5:
        number = rng.choice(NUMBER_TEXT)
    else:
        unit = rng.choice(UNITS)
    _get(data, path[:-1])[path[-1]] = f"{number} {unit}".strip()
    return f"change_quantity {path} = {number} {unit}"


EDGES = ["1e9", "-1e9", "9.99e8", "1e-300", "5e-324", "1e15", "0", "-0", "1e-9", "0.999999",
         "1.000001", "-1", "1", "2.2250738585072014e-308"]


def edge_quantity(rng: random.Random, data: Any) -> str:
    """A quantity's number moved to the edge of what is accepted, its unit kept: files that
    stay valid and push the engine (huge, tiny, subnormal, zero)."""
    paths = [p for p in _scalar_paths(data) if isinstance(_get(data, p), str)
             and _get(data, p)[:1].lstrip("+-").isdigit()]
    if not paths:
        return "edge_quantity: none"
    chosen = rng.sample(paths, min(len(paths), rng.choice([1, 2, 5])))
    for path in chosen:
        number, _, unit = str(_get(data, path)).partition(" ")
        sign = "-" if number.startswith("-") else ""
        edge = rng.choice(EDGES)
        _get(data, path[:-1])[path[-1]] = f"{sign}{edge.lstrip('-')} {unit}".strip()
    return f"edge_quantity {len(chosen)} values"


def change_number(rng: random.Random, data: Any) -> str:
    paths = [p for p in _scalar_paths(data) if isinstance(_get(data, p), int | float)
             and not isinstance(_get(data, p), bool)]
    if not paths:
        return "change_number: none"
    path = rng.choice(paths)
    value = rng.choice(NUMBERS + YEARS)
    _get(data, path[:-1])[path[-1]] = value
    return f"change_number {path} = {value!r:.40}"


def change_text(rng: random.Random, data: Any) -> str:
    paths = [p for p in _scalar_paths(data) if isinstance(_get(data, p), str)]
    if not paths:
        return "change_text: none"
    path = rng.choice(paths)
    value = rng.choice(TEXTS)
    _get(data, path[:-1])[path[-1]] = value
    return f"change_text {path} = {value!r:.40}"


def duplicate_entry(rng: random.Random, data: Any) -> str:
    section = rng.choice(["enterprises", "links", "boundary", "targets"])
    entries = _entries(data, section)
    if not entries:
        return "duplicate_entry: none"
    entries.append(copy.deepcopy(rng.choice(entries)))
    return f"duplicate_entry {section}"


def dangling_reference(rng: random.Random, data: Any) -> str:
    links = _entries(data, "links")
    if not links or not isinstance(links[0], dict):
        return "dangling_reference: none"
    link = rng.choice(links)
    if not isinstance(link, dict):
        return "dangling_reference: none"
    key = rng.choice(["from", "to", "carrier"])
    link[key] = rng.choice(["nowhere", "market", "environment", "", "slag_yard", "x" * 200])
    return f"dangling_reference {key} = {link[key]:.30}"


def link_cycle(rng: random.Random, data: Any) -> str:
    ids = [e.get("id") for e in _entries(data, "enterprises") if isinstance(e, dict)]
    if len(ids) < 2 or not isinstance(data.get("links", []), list):
        return "link_cycle: none"
    a, b = rng.sample(ids, 2)
    carrier = rng.choice(["nickel_slag", "fresh_water", "electricity", "waste_heat_medium"])
    share = rng.choice([0.5, 1.0, None])
    for source, target in ((a, b), (b, a)):
        link = {"from": source, "to": target, "carrier": carrier}
        if share is not None:
            link["share"] = share
        data.setdefault("links", []).append(link)
    return f"link_cycle {a} <-> {b} ({carrier})"


def reserved_id(rng: random.Random, data: Any) -> str:
    if not isinstance(data.get("boundary", []), list):
        return "reserved_id: none"
    node = {"id": rng.choice(RESERVED), "kind": rng.choice(KINDS)}
    if node["kind"] == "stockpile":
        node["carrier"] = "nickel_slag"
    data.setdefault("boundary", []).append(node)
    return f"reserved_id {node}"


def change_year(rng: random.Random, data: Any) -> str:
    paths = [p for p in _paths(data) if p and p[-1] in ("base_year", "price_base_year", "year",
                                                        "since", "until")]
    year = rng.choice(YEARS)
    if not paths:
        return "change_year: none"
    path = rng.choice(paths)
    _get(data, path[:-1])[path[-1]] = year
    return f"change_year {path} = {year}"


STRUCTURAL: list[Callable[[random.Random, Any], str]] = [
    delete_key, change_value, change_quantity, change_quantity, change_number, change_text,
    edge_quantity, edge_quantity,
    duplicate_entry, dangling_reference, link_cycle, reserved_id, change_year,
]


# ------------------------------------------------------------------ textual mutations


def _nested(rng: random.Random) -> str:
    depth = rng.choice([40, 200, 1000, 5000, 20000])
    if rng.random() < 0.5:
        return "nested: " + "[" * depth + "]" * depth + "\n"
    return "".join("  " * i + f"k{i}:\n" for i in range(min(depth, 3000))) + "  " * 3000 + "v\n"


def _alias_bomb(rng: random.Random) -> str:
    levels = rng.choice([3, 8, 9])
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


TEXT_INSERTS: list[Callable[[random.Random], str]] = [
    _nested,
    _alias_bomb,
    lambda rng: "tagged: !!float 'x'\n",
    lambda rng: "tagged: !!timestamp 2016-13-45\n",
    lambda rng: "tagged: !!python/object/apply:os.system ['echo pwned']\n",
    lambda rng: "tagged: !!binary aGVsbG8=\n",
    lambda rng: "tagged: !custom 1\n",
    lambda rng: "big: " + "9" * rng.choice([25, 400, 5000]) + "\n",
    lambda rng: f"spaces: '1{' ' * rng.choice([1000, 50_000])}t'\n",
    lambda rng: "<<: {park: 1}\n",
    lambda rng: "---\nsecond: document\n",
]


def text_mutation(rng: random.Random, text: bytes) -> tuple[bytes, str]:
    pick = rng.randrange(5)
    if pick == 0:  # truncation
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"truncate at {cut}"
    if pick == 1:  # non-UTF-8 bytes
        at = rng.randrange(len(text) + 1)
        junk = rng.choice([b"\xff\xfe", b"\x80", b"\xc3\x28", b"\xed\xa0\x80", b"\x00"])
        return text[:at] + junk + text[at:], f"bytes {junk!r} at {at}"
    if pick == 2:  # replace a value by something deep or odd, inside the structure
        lines = text.split(b"\n")
        at = rng.randrange(len(lines))
        insert = rng.choice(TEXT_INSERTS)(rng).encode("utf-8")
        indent = len(lines[at]) - len(lines[at].lstrip(b" "))
        block = b"\n".join(b" " * indent + line for line in insert.rstrip(b"\n").split(b"\n"))
        return b"\n".join([*lines[:at], block, *lines[at:]]), f"insert at line {at + 1}"
    if pick == 3:  # at the top
        insert = rng.choice(TEXT_INSERTS)(rng).encode("utf-8")
        return insert + text, "insert at top"
    at = rng.randrange(len(text) + 1)  # a random character
    char = rng.choice(["\t", ":", "-", "[", "{", "'", '"', "&", "*", "!", "%", "@", "`", "\r"])
    return text[:at] + char.encode() + text[at:], f"char {char!r} at {at}"


# ------------------------------------------------------------------ cases


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def make_case(seed: int, index: int, kinds: tuple[str, ...] = ("park",)) -> Case:
    """Case ``index`` of run ``seed``: 1–3 structural mutations, sometimes a textual one."""
    rng = random.Random(f"{seed}:{index}")
    source = rng.choice(all_seeds(kinds))
    data = copy.deepcopy(seed_data(source.path))
    ops = [rng.choice(STRUCTURAL)(rng, data) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
    content = dump(data)
    if not ops or rng.random() < 0.3:
        content, op = text_mutation(rng, content)
        ops.append(op)
    return Case(index, source, content, ops)
