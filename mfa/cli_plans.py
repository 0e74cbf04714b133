"""``parkflow plans`` (the built-in plans) and the ``--plan`` option of ``parkflow balance``.

A thin layer over :mod:`mfa.plans` (registered in :mod:`mfa.cli`). Bad input prints the
located messages of :class:`~mfa.errors.ParkFlowError` without a traceback and exits 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from . import paths
from .cli_text import fail, out, safe
from .errors import ParkFlowError

if TYPE_CHECKING:
    from .model.park import Park

PLAN_HELP = ("Apply a plan: a built-in plan's name (see `parkflow plans`, e.g. jinchang-2025) "
             "or a plan file path; the park is as it stands in --year.")


def plans() -> None:
    """List the built-in plans: name, park, number of projects, years."""
    from .plans import load_plan

    view = Table(title="Built-in plans", title_justify="left")
    for column in ("name", "park", "规划", "Plan", "projects", "years"):
        view.add_column(column)
    for name, path in paths.builtin_plans().items():
        try:
            plan = load_plan(path)
        except ParkFlowError as error:
            fail(error)
            return
        first, last = plan.years
        view.add_row(safe(name), safe(plan.meta.park), safe(plan.meta.name_zh),
                     safe(plan.meta.name_en), str(len(plan.projects)), f"{first}–{last}")
    out.print(view)


def planned_park(model: Park, plan_name: str, year: int | None) -> Park:
    """``model`` with the plan applied for ``year`` (default: the park's base year)."""
    from .plans import apply_plan, load_plan

    plan = load_plan(plan_name)
    return apply_plan(model, plan, model.meta.base_year if year is None else year)
