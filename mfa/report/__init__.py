"""The retrofit assessment report (issue 10): ``report.html``, ``report.pdf``, ``figures/``,
``tables/`` and ``manifest.json`` from a park, its plan and (when simulated) the trajectory,
stockpile and sensitivity frames.

::

    from mfa.report import assess, write_report
    write_report(assess(park, plan), Path("report"), lang="zh")
"""

from __future__ import annotations

from .assessment import Assessment, assess
from .build import write_report

__all__ = ["Assessment", "assess", "write_report"]
