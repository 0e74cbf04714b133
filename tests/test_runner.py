"""The runs of a study: fixed seeded chunks, the same results in-process, in 2 local processes
and on a 2-worker Dask LocalCluster; clear errors for bad settings and unreachable schedulers."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from mfa.errors import ParkFlowError, Problem
from mfa.uncertainty.runner import Chunk, chunks, run_chunks

RUNS, SEED, SIZE = 10, 7, 4


def draw(chunk: Chunk) -> np.ndarray:
    """The run numbers of a chunk beside one uniform draw per run from the chunk's seed."""
    rng = np.random.default_rng(chunk.seed)
    return np.column_stack([np.arange(chunk.start, chunk.stop), rng.random(chunk.runs)])


def refuse(chunk: Chunk) -> int:
    if chunk.index == 1:
        raise ParkFlowError.single("park.yaml", "enterprises[1].mttr", "must be > 0", "fix it")
    return chunk.index


def die(chunk: Chunk) -> int:
    if chunk.index == 0:
        os._exit(3)  # a worker killed (out of memory, a segfault)
    return chunk.index


def _expected() -> bytes:
    seeds = np.random.SeedSequence(SEED).spawn(3)
    bounds = [(0, 4), (4, 8), (8, 10)]
    blocks = [np.column_stack([np.arange(a, b), np.random.default_rng(s).random(b - a)])
              for s, (a, b) in zip(seeds, bounds, strict=True)]
    return np.concatenate(blocks).tobytes()


def test_chunks_are_fixed_and_seeded_by_spawned_children() -> None:
    parts = chunks(RUNS, SEED, SIZE)
    assert [(c.index, c.start, c.stop, c.runs) for c in parts] == [
        (0, 0, 4, 4), (1, 4, 8, 4), (2, 8, 10, 2)]
    assert [c.seed.spawn_key for c in parts] == [(0,), (1,), (2,)]
    assert {c.seed.entropy for c in parts} == {SEED}


def test_in_process_results_follow_the_seeding_rule() -> None:
    done: list[int] = []
    results = run_chunks(draw, chunks(RUNS, SEED, SIZE), progress=done.append)
    assert np.concatenate(results).tobytes() == _expected()
    assert done == [4, 8, 10]


def test_two_local_processes_give_the_same_bytes() -> None:
    done: list[int] = []
    results = run_chunks(draw, chunks(RUNS, SEED, SIZE), workers=2, progress=done.append)
    assert np.concatenate(results).tobytes() == _expected()
    assert done == sorted(done) and done[-1] == RUNS


def test_a_task_error_comes_back_as_raised_in_the_worker() -> None:
    with pytest.raises(ParkFlowError, match=r"enterprises\[1\]\.mttr: must be > 0") as caught:
        run_chunks(refuse, chunks(RUNS, SEED, SIZE), workers=2)
    assert caught.value.source == "park.yaml" and caught.value.problems[0].fix == "fix it"


def test_a_dead_worker_is_a_clear_error() -> None:
    with pytest.raises(ParkFlowError, match="a worker process died"):
        run_chunks(die, chunks(RUNS, SEED, SIZE), workers=2)


def test_a_parkflow_error_pickles_whole() -> None:
    error = ParkFlowError("park.yaml", [Problem("a", "b", "c"), Problem("d", "e")])
    back = pickle.loads(pickle.dumps(error))
    assert (back.source, back.problems, str(back)) == (error.source, error.problems, str(error))


@pytest.mark.parametrize(("runs", "seed", "size", "field"), [
    (0, 1, 10, "runs"), (10, -1, 10, "seed"), (10, 1, 0, "chunk_size"), (2.5, 1, 1, "runs")])
def test_bad_study_settings_are_refused(runs: Any, seed: Any, size: Any, field: str) -> None:
    with pytest.raises(ParkFlowError, match=f"runs: {field}: must be a whole number"):
        chunks(runs, seed, size)


@pytest.mark.parametrize("workers", [0, -1, 1.5])
def test_workers_below_one_are_refused(workers: Any) -> None:
    with pytest.raises(ParkFlowError, match="workers: must be a whole number ≥ 1"):
        run_chunks(draw, chunks(RUNS, SEED, SIZE), workers=workers)


def test_missing_dask_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    with pytest.raises(ParkFlowError, match=r"pip install 'parkflow\[dask\]'"):
        run_chunks(draw, chunks(RUNS, SEED, SIZE), scheduler="tcp://127.0.0.1:8786")


def test_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(ParkFlowError, match=r"cannot reach the Dask scheduler at "
                       r"tcp://127\.0\.0\.1:1 .*\n  fix: start a scheduler \(dask scheduler\)"):
        run_chunks(draw, chunks(RUNS, SEED, SIZE), scheduler="tcp://127.0.0.1:1")


def test_a_scheduler_that_is_not_an_address_is_refused() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(ParkFlowError, match="not a scheduler address or a Dask Client"):
        run_chunks(draw, chunks(RUNS, SEED, SIZE), scheduler="localhost:8786")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


def test_a_dask_local_cluster_gives_the_same_bytes(cluster: Any) -> None:
    done: list[int] = []
    results = run_chunks(draw, chunks(RUNS, SEED, SIZE), scheduler=cluster.scheduler_address,
                         progress=done.append)
    assert np.concatenate(results).tobytes() == _expected()
    assert done == sorted(done) and done[-1] == RUNS


def test_a_dask_client_object_is_used_and_left_open(cluster: Any) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.Client(cluster) as client:
        first = run_chunks(draw, chunks(RUNS, SEED, SIZE), scheduler=client)
        second = run_chunks(draw, chunks(RUNS, SEED, SIZE), scheduler=client)
        assert client.status == "running"
    assert np.concatenate(first).tobytes() == np.concatenate(second).tobytes() == _expected()


def test_a_task_error_on_dask_comes_back_as_raised(cluster: Any) -> None:
    with pytest.raises(ParkFlowError, match=r"enterprises\[1\]\.mttr: must be > 0") as caught:
        run_chunks(refuse, chunks(RUNS, SEED, SIZE), scheduler=cluster.scheduler_address)
    assert caught.value.source == "park.yaml"


def test_a_dead_dask_worker_is_a_clear_error() -> None:
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                     dashboard_address=":0") as local, \
            pytest.raises(ParkFlowError, match="Dask workers died running a chunk"):
        run_chunks(die, chunks(RUNS, SEED, SIZE), scheduler=local.scheduler_address)
