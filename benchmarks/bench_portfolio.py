"""Cheapest-portfolio MILP on a synthetic list of candidates for the Jinchang park.

    python benchmarks/bench_portfolio.py             # 20 candidates (issue 8: ≤ 30 s)
    python benchmarks/bench_portfolio.py --quick     # 12 candidates, also solved exactly

The candidates are the jinchang-2025 projects (but its backfill station) and alternatives of
other sizes: link caps of the tailings backfill, the nickel slag and fly ash to cement and the
phosphogypsum to soil (each size excluding the others of its link), and the slag-iron,
plasterboard and copper-slag plants scaled (0.25–0.75, each excluding the full plant). Costs
are drawn at random (seeded) around the plan's [A] figures; the numbers are synthetic.
"""

from __future__ import annotations

import argparse
import copy
import time
from typing import Any

import numpy as np

import mfa
from mfa.io.yamlio import read_yaml
from mfa.paths import builtin_plans
from mfa.plans import plan_from_dict
from mfa.scenarios.goals import parse_goal
from mfa.scenarios.portfolio import optimise

CAPS = {"tailings_to_backfill": ["1.5 Mt/a", "2.0 Mt/a", "2.5 Mt/a", "3.0 Mt/a"],
        "slag_as_mixed_material": ["150 kt/a", "200 kt/a", "300 kt/a"],
        "fly_ash_to_cement": ["250 kt/a", "300 kt/a", "400 kt/a"],
        "pg_to_soil": ["150 kt/a", "200 kt/a"]}
SCALED = {"nickel_slag_iron_recovery": [0.25, 0.5, 0.75], "phosphogypsum_plasterboard": [0.5],
          "copper_slag_flotation_ii": [0.5]}


def _scaled(project: dict[str, Any], factor: float, rng: np.random.Generator) -> dict[str, Any]:
    new = copy.deepcopy(project)
    tag = f"_{int(factor * 100)}"
    new["id"] += tag
    new["excludes"] = [project["id"]]
    for ent in new.get("adds", {}).get("enterprises", []):
        old = ent["id"]
        ent["id"] += tag
        for key in ("capacity", "level"):
            value, unit = ent["activity"][key].split(" ", 1)
            ent["activity"][key] = f"{float(value) * factor:g} {unit}"
        for link in new["adds"].get("links", []):
            link["to"] = ent["id"] if link.get("to") == old else link["to"]
            link["from"] = ent["id"] if link.get("from") == old else link["from"]
            if "id" in link:
                link["id"] += tag
    new["capex"] = f"{rng.uniform(0.6, 1.0) * factor ** 0.6 * _yi(project['capex']):.3f} 亿元"
    return new


def _yi(capex: Any) -> float:
    text = capex["value"] if isinstance(capex, dict) else capex
    return float(text.split()[0])


def candidates(count: int, seed: int = 0) -> dict[str, Any]:
    """A candidates plan dict of ``count`` (≤ 20) projects for the jinchang park."""
    rng = np.random.default_rng(seed)
    base = read_yaml(builtin_plans()["jinchang-2025"])
    projects = [p for p in base["projects"] if p["id"] != "tailings_backfill_expansion"]
    for p in list(projects):
        projects += [_scaled(p, f, rng) for f in SCALED.get(p["id"], [])]
    for link, sizes in CAPS.items():
        ids = [f"{link}_{i}" for i in range(len(sizes))]
        for i, size in enumerate(sizes):
            projects.append({"id": ids[i], "name_zh": f"{link} 扩容",
                             "name_en": f"{link} to {size}",
                             "kind": "infrastructure", "start_year": 2017,
                             "full_output_year": 2017, "lifetime": 15,
                             "capex": f"{rng.uniform(0.2, 1.0) * (i + 1) / len(sizes):.3f} 亿元",
                             "opex": f"{rng.uniform(200, 1500):.0f} 万元/a",
                             "excludes": [j for j in ids if j != ids[i]],
                             "changes": {"links": {link: {"cap": size}}}})
    chosen = projects[:count]
    ids = {p["id"] for p in chosen}
    for p in chosen:
        p["excludes"] = [e for e in p.get("excludes", []) if e in ids]
    return {"plan": {**base["plan"], "id": f"synthetic-{count}", "candidates": True},
            "projects": chosen}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--candidates", type=int, default=20)
    args = parser.parse_args()
    count = 12 if args.quick else args.candidates
    park = mfa.load_park("jinchang")
    plan = plan_from_dict(candidates(count))
    goals = [parse_goal(t, park) for t in ("solid_waste_utilisation_rate=40@2025",
                                          "resource_output_rate_index=1.1@2025")]
    start = time.perf_counter()
    mip = optimise(park, plan, goals, method="milp")
    seconds = time.perf_counter() - start
    print(f"portfolio milp: {count} candidates, {seconds:.2f} s (target ≤ 30 s for 20)")
    print(f"  chosen {', '.join(mip.ids) or 'none'}; cost {mip.cost / 1e8:.3f} 亿元; "
          f"feasible {mip.feasible}")
    print(f"  {mip.method}")
    if count <= 16:
        start = time.perf_counter()
        exact = optimise(park, plan, goals, method="exact")
        print(f"portfolio exact: {time.perf_counter() - start:.2f} s; same answer: "
              f"{exact.ids == mip.ids}")


if __name__ == "__main__":
    main()
