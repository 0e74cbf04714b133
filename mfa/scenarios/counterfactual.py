"""Plans by name for one park: a built-in or file plan, or the built-in counterfactual
``no-symbiosis`` (every link between two enterprises removed: inputs bought, outputs disposed
by the park's rules), whose difference from the baseline is what the existing symbiosis saves.
"""

from __future__ import annotations

from ..io.plan_specs import PlanMeta, ProjectRemoves, ProjectSpec
from ..model.park import Park
from ..plans import Plan, Project, load_plan

NO_SYMBIOSIS = "no-symbiosis"


def plan_for(park: Park, name: str) -> Plan:
    """The plan called ``name`` (built-in name, file path, or ``no-symbiosis``) for ``park``."""
    return no_symbiosis(park) if name == NO_SYMBIOSIS else load_plan(name)


def symbiosis_links(park: Park) -> list[str]:
    """Ids of the links from one enterprise to another (the exchanges of the symbiosis)."""
    enterprises = set(park.enterprise_index)
    return [link.id for link in park.links
            if link.source in enterprises and link.target in enterprises]


def no_symbiosis(park: Park) -> Plan:
    """The counterfactual park without its exchanges, as a one-project plan."""
    year = park.meta.base_year
    links = symbiosis_links(park)
    spec = ProjectSpec(
        id="no_symbiosis", name_zh="无企业间共生（移除企业间全部链接）",
        name_en="No symbiosis (every link between two enterprises removed)",
        kind="counterfactual", start_year=year, full_output_year=year,
        content=f"removes the {len(links)} links between enterprises: each receiver buys what "
                "they brought, each supplier's output goes where the park's rules send "
                "leftovers", removes=ProjectRemoves(links=links))
    meta = PlanMeta(id=NO_SYMBIOSIS, park=park.meta.id, name_zh="无共生反事实情景",
                    name_en="No-symbiosis counterfactual", currency=park.meta.currency,
                    description="built-in: the park with no exchange between its enterprises")
    return Plan(meta, (Project(spec, 0, None, None),))
