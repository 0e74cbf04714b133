"""The balance benchmark still runs (small sizes, one repeat); no assertion on time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_balance.py"


def test_benchmark_runs_in_small_mode() -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--sizes", "20,40", "--repeats", "1"],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "enterprises" in line and "links" in line)
    columns = ("flow_rows", "load_s", "balance_s", "balance_cpu_s", "indicators_s",
               "trace_peak_MiB", "maxrss_MiB")
    assert all(column in lines[header] for column in columns), lines[header]
    rows = [line.split() for line in lines[header + 1 : header + 3]]
    assert [row[0] for row in rows] == ["20", "40"]
    assert "growth 40 / 20 enterprises" in run.stdout


def _quick(name: str) -> str:
    """The stdout of ``benchmarks/NAME --quick``, which must exit 0."""
    run = subprocess.run([sys.executable, str(SCRIPT.parent / name), "--quick"],
                         capture_output=True, text=True, encoding="utf-8", timeout=300,
                         check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_engine_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_engine.py")
    for figure in ("evaluations/s", "per-sample loop", "solve", "parkflow --help",
                   "parkflow balance jinchang"):
        assert figure in stdout, figure


def test_portfolio_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_portfolio.py")
    assert "portfolio milp: 12 candidates" in stdout
    assert "same answer: True" in stdout


def test_scenarios_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_scenarios.py")
    for figure in ("subsets evaluated: 64", "exact Shapley", "max |sum of Shapley - total|"):
        assert figure in stdout, figure


def test_optimal_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_optimal.py")
    assert "lp_s" in stdout
    assert [line.split()[0] for line in stdout.splitlines()[1:]] == ["jinchang", "synthetic-30"]


def test_runner_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_runner.py")
    for figure in ("in-process", "local processes", "efficiency",
                   "same results on every mode: True"):
        assert figure in stdout, figure


def test_simulate_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_simulate.py")
    assert "one replication" in stdout and "(target ≤ 2 s; best of" in stdout
    assert "efficiency" in stdout and "20 enterprises" in stdout


def test_uncertainty_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_uncertainty.py")
    assert "sample    lhs" in stdout and "top 5 by ST (sobol)" in stdout


def test_batch_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_batch.py")
    assert "ms/solve" in stdout and "rep-steps/s" in stdout
    rows = [line.split() for line in stdout.splitlines() if line.split()[:1] in (["10"], ["30"])]
    assert [(row[0], row[3]) for row in rows] == [("10", "1"), ("10", "10"), ("30", "1"),
                                                  ("30", "10")]


def test_report_benchmark_runs_in_quick_mode() -> None:
    stdout = _quick("bench_report.py")
    assert "computations" in stdout and "figures, tables and HTML" in stdout
