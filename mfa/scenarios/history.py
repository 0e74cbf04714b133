"""A park's own history as a plan: its exchanges (links between two enterprises) grouped by
the year they began (``since:`` in the park file), each group a dated project.

Building group k is the complement of removing it from the park: with v_r(T) the park with
the groups T removed, the history's value of the built set S is v_h(S) = v_r(N ∖ S). So the
removals run on the engine's batch path (the switches of :mod:`.run`) and the history's
effects follow: each group's Shapley share of the savings is minus its share in the removal
game, its standalone effect is minus its marginal one there, and the other way round. The
park is balanced at one year's activity (default: the base year), since a park file holds one
set of plants: the history says what each exchange saves *today*, and in which year it began.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..indicators.fast import INDICATOR_IDS
from ..io.plan_specs import PlanMeta, ProjectRemoves, ProjectSpec
from ..model.indicator_defs import INDICATORS, unit_for
from ..model.park import Park
from ..plans import Plan, Project
from .attribution import attribute
from .counterfactual import symbiosis_links
from .run import PlanRunner

# What the published Kalundborg savings speak of (the rows `parkflow history` shows).
SAVINGS = ("fresh_water_use", "energy_consumption", "co2_emissions", "so2_emission",
           "primary_resource_consumption", "solid_waste_utilisation_rate")


def exchange_groups(park: Park) -> dict[int | None, list[str]]:
    """Link ids of the exchanges by the year they began (``None``: undated, last)."""
    links = {link.id: link for link in park.links}
    groups: dict[int | None, list[str]] = {}
    for link_id in symbiosis_links(park):
        groups.setdefault(links[link_id].since, []).append(link_id)
    return dict(sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0)))


def _group_id(since: int | None) -> str:
    return f"exchanges_{since if since is not None else 'undated'}"


def removal_plan(park: Park) -> Plan:
    """One project per group of exchanges, each removing its links (the counterfactuals)."""
    year = park.meta.base_year
    projects = []
    for k, (since, links) in enumerate(exchange_groups(park).items()):
        when_zh, when_en = (f"{since}年起", f"begun in {since}") if since else ("未注明年份",
                                                                                "undated")
        spec = ProjectSpec(id=_group_id(since), name_zh=f"{when_zh}的企业间交换",
                           name_en=f"Exchanges {when_en}", kind="counterfactual",
                           start_year=year, full_output_year=year,
                           content=", ".join(links), removes=ProjectRemoves(links=links))
        projects.append(Project(spec, k, None, None))
    meta = PlanMeta(id="history", park=park.meta.id, name_zh="园区共生历史",
                    name_en="The park's symbiosis history", currency=park.meta.currency)
    return Plan(meta, tuple(projects))


def history(park: Park, year: int | None = None) -> pd.DataFrame:
    """Each dated group of exchanges: what it saves in ``year`` and the park as they were added.

    Returns
    -------
    DataFrame
        Index (indicator, group) with a group per start year (``exchanges_1972`` …,
        ``exchanges_undated`` for links without ``since``);
        columns since, links, standalone, marginal, shapley (the group's share of the
        change the exchanges make: the park's value minus its value without any exchange,
        ``total``; negative for water or CO₂ saved; the shares add up to it), total,
        cumulative (the indicator with every group begun by ``since``
        built and the later ones not), name_zh, name_en, unit.
    """
    year = park.meta.base_year if year is None else year
    plan = removal_plan(park)
    removed = attribute(park, plan, [year]).xs(year, level="year")
    groups = exchange_groups(park)
    n = len(groups)
    # Row k: the groups begun after group k are removed (not yet built); row 0: none built.
    later = np.array([[j >= k for j in range(n)] for k in range(n + 1)], bool)
    values = PlanRunner(park, plan, year).evaluate(later, [year]).values[:, 0, :]
    rows = []
    for ind_id in INDICATOR_IDS:
        i = INDICATOR_IDS.index(ind_id)
        part = removed.xs(ind_id, level="indicator")
        for k, (since, links) in enumerate(groups.items()):
            project = _group_id(since)
            cell = part.loc[project].to_dict()
            rows.append({
                "indicator": ind_id, "group": project, "since": since,
                "links": ", ".join(links),
                "standalone": 0.0 - float(cell["marginal"]),
                "marginal": 0.0 - float(cell["standalone"]),
                "shapley": 0.0 - float(cell["shapley"]),
                "total": 0.0 - float(cell["total"]),
                "cumulative": float(values[k + 1, i]),
                "name_zh": INDICATORS[ind_id].name_zh, "name_en": INDICATORS[ind_id].name_en,
                "unit": unit_for(ind_id, park.meta.currency)})
    table = pd.DataFrame(rows).set_index(["indicator", "group"])
    table.attrs.update(year=year, without_exchanges={
        ind: float(values[0, INDICATOR_IDS.index(ind)]) for ind in INDICATOR_IDS},
        method=removed.attrs.get("method", ""))
    return table
