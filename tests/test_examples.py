"""Every example in examples/ runs as a test: each script, and `parkflow balance` on each park
file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(FOLDER.glob("*.py"))
PARK_EXAMPLES = sorted(FOLDER.glob("*.yaml"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script: Path, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip(), "an example should print what it shows"


@pytest.mark.parametrize("park", PARK_EXAMPLES, ids=lambda p: p.name)
def test_example_park_balances(park: Path, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "mfa.cli", "balance", str(park)],
                         capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and run.stdout.strip()


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3
    assert PARK_EXAMPLES, "examples/local_carriers.yaml runs as a park file"
