"""Every example in examples/ runs as a test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script: Path, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip(), "an example should print what it shows"


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3
