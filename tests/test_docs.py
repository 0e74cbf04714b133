"""The docs describe what the code does: every indicator is documented, the README is true."""

from __future__ import annotations

import re
from pathlib import Path

from mfa.model.indicator_defs import INDICATORS
from mfa.paths import builtin_parks

ROOT = Path(__file__).resolve().parent.parent


def test_every_indicator_is_documented() -> None:
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [ind for ind in INDICATORS if f"`{ind}`" not in text]
    assert missing == []


def test_readme_lists_every_builtin_park() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in builtin_parks() if f"`{name}`" not in text]
    assert missing == []


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:bash|sh)\n(.*?)```", readme, flags=re.S)
    test_command = next(c.strip() for c in commands if "pytest" in c)
    assert test_command in ci
