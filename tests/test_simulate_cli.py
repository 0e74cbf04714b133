"""`parkflow simulate` (issue 9, part 5): the files, byte-identical for one seed on 1 worker,
2 workers and a Dask LocalCluster, the sensitivity table, and bad input (exit 2)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

from mfa.uncertainty.parquet import read_study

STUDY = ("simulate", "jinchang", "--plan", "jinchang-2025", "--from", "2016", "--to", "2020",
         "--step", "month", "--runs", "6", "--seed", "4", "--chunk-size", "2")


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "one"
    run = run_cli(*STUDY, "--out", out)
    assert run.returncode == 0, run.stderr
    return out


def test_the_study_files(one_worker: Path) -> None:
    names = set(_digests(one_worker))
    assert {"trajectory.csv", "stockpiles.csv", "flows.csv", "activity.csv", "parameters.csv",
            "samples.csv", "runs.parquet", "study.json", "figures/trajectory.svg",
            "figures/trajectory.png", "figures/stockpiles.svg"} <= names
    trajectory = pd.read_csv(one_worker / "trajectory.csv")
    assert list(trajectory.columns[:8]) == ["year", "indicator", "scenario", "p5", "p50", "p95",
                                            "target", "probability"]
    row = trajectory[(trajectory.year == 2020)
                     & (trajectory.indicator == "solid_waste_utilisation_rate")].iloc[0]
    assert row.p5 <= row.p50 <= row.p95 and row.target == 73 and row.probability == 0
    runs = read_study(one_worker / "runs.parquet")
    assert list(runs.columns) == ["scenario", "run", "year", "indicator", "value", "status"]
    assert sorted(runs["run"].unique()) == list(range(6))
    flows = pd.read_csv(one_worker / "flows.csv")
    assert flows["period"].nunique() == 60 and flows["period"].iloc[0] == "2016-01-01"
    study = json.loads((one_worker / "study.json").read_text(encoding="utf-8"))
    assert study["seed"] == 4 and study["runs"] == 6 and len(study["park_sha256"]) == 64
    assert "workers" not in study


def test_two_workers_give_the_same_bytes(one_worker: Path, tmp_path: Path) -> None:
    run = run_cli(*STUDY, "--workers", "2", "--out", tmp_path / "two")
    assert run.returncode == 0, run.stderr
    assert _digests(tmp_path / "two") == _digests(one_worker)


def test_a_dask_cluster_gives_the_same_bytes(one_worker: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        run = run_cli(*STUDY, "--scheduler", cluster.scheduler_address,
                      "--out", tmp_path / "dask")
    assert run.returncode == 0, run.stderr
    assert _digests(tmp_path / "dask") == _digests(one_worker)


def test_sensitivity_ranks_inputs_with_their_sources(tmp_path: Path) -> None:
    run = run_cli("simulate", "jinchang", "--from", "2016", "--to", "2017", "--step", "year",
                  "--sensitivity", "--sobol-samples", "8", "--out", tmp_path / "s")
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    assert set(table["method"]) == {"tornado", "sobol"}
    top = table[(table.method == "tornado") & (table["rank"] == 1)
                & (table.indicator == "solid_waste_utilisation_rate")]
    assert len(top) == 1 and top["swing"].iloc[0] > 0 and len(top["source"].iloc[0]) > 3
    # without a plan the index stays 1 (each run divides by its own base year): no swing;
    # NaN where the input at its low or high breaks an invariant (pvc_plant's wastewater at
    # 4 m³/t makes its outputs outweigh its inputs)
    tornado = table[table.method == "tornado"]
    index = tornado[tornado.indicator == "resource_output_rate_index"]
    assert (index["swing"].fillna(0) == 0).all()
    broken = tornado[tornado["swing"].isna()]
    assert set(broken["parameter"]) == {"pvc_plant.rates.wastewater"}
    assert (tmp_path / "s" / "figures" / "tornado_solid_waste_utilisation_rate_2017.png").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--runs", "0"), "runs: must be at least 1"),
    (("--step", "fortnight"), "unknown step 'fortnight'"),
    (("--from", "1990"), "before the park's base year"),
    (("--workers", "0"), "workers"),
    (("--scheduler", "tcp://127.0.0.1:1"), "scheduler"),
    (("--method", "halton"), "halton"),
    (("--plan", "jinchang-2025"), "the plan is for park 'jinchang', not for 'baiyin'"),
])
def test_bad_input_exits_2_and_writes_nothing(args: tuple[str, ...], message: str,
                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("simulate", "baiyin", "--to", "2017", *args, "--out", out)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()
