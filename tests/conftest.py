"""Shared helpers: test data paths, park files built from tests/data/parks/mini.yaml, CLI runs."""

from __future__ import annotations

import copy
import functools
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings

# Property tests draw the same examples on every run (CI sees what the author saw); explore
# new ones with `pytest --hypothesis-profile=explore` (and keep any failure as an @example).
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile("deterministic")

DATA = Path(__file__).parent / "data"
MINI = DATA / "parks" / "mini.yaml"
HAND = DATA / "parks" / "hand.yaml"
TEST_FLOWS = DATA / "flows"


@functools.cache
def _mini() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    return data


def mini_park() -> dict[str, Any]:
    """A fresh, mutable copy of the valid mini park (real carrier catalogue)."""
    return copy.deepcopy(_mini())


def write_park(
    folder: Path, content: dict[str, Any] | str | bytes, name: str = "park.yaml"
) -> Path:
    """Write a park (a mapping, YAML text or raw bytes) to ``folder / name``."""
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return path


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m mfa.cli ARGS`` and capture its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "mfa.cli", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )


def pytest_addoption(parser: Any) -> None:
    """``--fuzz-files N`` (default 2,500, fixed seed) for tests/test_fuzz.py; a release check
    runs e.g. ``pytest tests/test_fuzz.py --fuzz-files 50000``."""
    parser.addoption("--fuzz-files", type=int, default=2500,
                     help="malformed files the fuzz suite generates (default 2500)")
    parser.addoption("--fuzz-seed", type=int, default=12, help="seed of the fuzz suite")
    parser.addoption("--fuzz-workers", type=int, default=0,
                     help="worker processes of the fuzz suite (default: one per CPU)")
