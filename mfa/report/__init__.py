"""The retrofit assessment report (issue 10): ``report.html``, ``report.pdf``, ``figures/``,
``tables/`` and ``manifest.json`` from a park, its plan and (when simulated) the trajectory,
stockpile and sensitivity frames.

::

    from mfa.report import assess, write_report
    write_report(assess(park, plan), Path("report"), lang="zh")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assessment import Assessment, assess
    from .build import write_report

__all__ = ["Assessment", "assess", "write_report"]


def __getattr__(name: str) -> Any:
    """The names above, imported when first used: ``mfa.report.strings`` alone (the CLI's
    checks of its options) does not load matplotlib and WeasyPrint."""
    if name in ("Assessment", "assess"):
        from . import assessment

        return getattr(assessment, name)
    if name == "write_report":
        from .build import write_report

        return write_report
    raise AttributeError(f"module 'mfa.report' has no attribute {name!r}")
