"""Plans: dated overrides of a park (projects), loaded from ``parks/plans/*.yaml`` and applied.

``load_plan("jinchang-2025")`` reads and validates a plan (schema: ``docs/plans.md``);
``apply_plan(park, plan, year)`` gives the park as it stands in ``year`` with the plan's
projects applied, every model check run again. Comparison, attribution and economics
build on these (issue 8).
"""

from __future__ import annotations

from .apply import apply_plan
from .plan import Money, Plan, Project, load_plan, plan_from_dict

__all__ = ["Money", "Plan", "Project", "apply_plan", "load_plan", "plan_from_dict"]
