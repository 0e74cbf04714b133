"""The ENA benchmark still runs (small sizes); no assertion on time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_ena.py"


def test_ena_benchmark_runs_in_small_mode() -> None:
    run = subprocess.run([sys.executable, str(SCRIPT), "--sizes", "40,80", "--dense-max", "80"],
                         capture_output=True, text=True, encoding="utf-8", timeout=300,
                         check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "ena_s" in line)
    rows = [line.split() for line in lines[header + 1:]]
    assert [(row[0], row[1]) for row in rows] == [("random", "40"), ("park", "40"),
                                                 ("random", "80"), ("park", "80")]
