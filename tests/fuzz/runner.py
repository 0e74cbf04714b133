"""Run fuzz cases: each in-process under a time limit, in a pool of worker processes that each
hold a memory limit, and classify the outcome.

The only acceptable outcomes are ``clean`` (a ParkFlowError naming the file) and ``valid``
(loads, balances, indicators computed, every balance closes). Everything else is a failure:
``traceback`` (any other exception), ``unclear`` (a ParkFlowError that does not name the file),
``hang`` (over the time limit), ``blow-up`` (over the memory limit), ``impossible`` (a result
that the sanity checks reject: an input check is missing).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .mutator import Case, Seed, make_case

ACCEPTED = ("clean", "valid")
OUTCOMES = ("clean", "valid", "traceback", "unclear", "hang", "blow-up", "impossible")
TIME_LIMIT = 10.0  # seconds per case
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space a worker may add to what it forked with


@dataclass(frozen=True)
class Outcome:
    index: int
    outcome: str
    detail: str
    seconds: float
    ops: tuple[str, ...] = ()
    seed_name: str = ""


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def run_park(path: Path, seed: Seed) -> None:
    """The park pipeline: load_park → balance → indicators → check."""
    import mfa
    from mfa.results.sanity import check_indicators

    catalogue = mfa.load_catalogue(seed.catalogue) if seed.catalogue else None
    park = mfa.load_park(path, catalogue)
    result = park.balance()
    check_indicators(result.indicators(), park.source_label)
    result.check()


# One pipeline per corpus kind; a plan pipeline joins when plan files exist (issue 8).
PIPELINES: dict[str, Callable[[Path, Seed], None]] = {"park": run_park}


def classify(content: bytes, seed: Seed, folder: Path, time_limit: float = TIME_LIMIT
             ) -> tuple[str, str]:
    """Run one file through its pipeline; return (outcome, detail)."""
    from mfa.errors import ParkFlowError
    from mfa.results import sanity

    path = folder / "case.yaml"
    path.write_bytes(content)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        PIPELINES[seed.kind](path, seed)
    except _Timeout:
        return "hang", f"over {time_limit:g} s"
    except MemoryError:
        return "blow-up", "MemoryError"
    except ParkFlowError as error:
        text = str(error)
        if sanity._FIX in text:
            return "impossible", text[:2000]
        if str(path) not in text and path.name not in text:
            return "unclear", text[:2000]
        return "clean", text.splitlines()[0][:200]
    except RecursionError:
        return "traceback", "RecursionError"
    except Exception as error:
        return "traceback", "".join(traceback.format_exception(error))[-3000:]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return "valid", ""


_FOLDER: Path | None = None


def _init_worker(memory_limit: int) -> None:
    global _FOLDER
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    # on top of the address space forked from the parent: a pytest process that has loaded
    # other tests' libraries (WeasyPrint, Dask …, under pytest-xdist) starts with more
    wanted = _address_space() + memory_limit
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _FOLDER = Path(tempfile.mkdtemp(prefix="parkflow-fuzz-"))


def _address_space() -> int:
    """Bytes of virtual memory this process maps now (Linux ``/proc/self/statm``)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _run_index(job: tuple[int, int, float]) -> Outcome:
    seed, index, time_limit = job
    case = make_case(seed, index)
    assert _FOLDER is not None
    start = time.perf_counter()
    outcome, detail = classify(case.content, case.seed, _FOLDER, time_limit)
    return Outcome(index, outcome, detail, time.perf_counter() - start, tuple(case.ops),
                   case.seed.name)


def run(seed: int, files: int, workers: int | None = None, time_limit: float = TIME_LIMIT,
        memory_limit: int = MEMORY_LIMIT) -> Iterator[Outcome]:
    """Run cases ``0 … files-1`` of ``seed``; yield outcomes as they finish.

    A worker stuck where the alarm cannot reach it (inside C code) is caught by the parent's
    own deadline: its case is reported as a hang and the pool is replaced.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    workers = workers or os.cpu_count() or 1
    context = multiprocessing.get_context("fork")
    pending = list(range(files))
    while pending:
        with context.Pool(workers, _init_worker, (memory_limit,)) as pool:
            jobs = {i: pool.apply_async(_run_index, ((seed, i, time_limit),)) for i in pending}
            pending = []
            for index, job in jobs.items():
                try:
                    yield job.get(timeout=time_limit * 3 + 30)
                except multiprocessing.TimeoutError:
                    yield Outcome(index, "hang", "worker did not answer", time_limit * 3)
                    pending = [i for i in jobs if i > index and not jobs[i].ready()]
                    done = [jobs[i] for i in jobs if i > index and jobs[i].ready()]
                    yield from (j.get() for j in done)
                    break
            pool.terminate()


def minimise(case: Case, outcome: str, folder: Path, budget: int = 150) -> bytes:
    """The shortest content (by lines, then by line endings) that gives the same failing
    outcome: a minimal reproducer. Hangs and blow-ups are not minimised (too slow)."""
    if outcome in ("hang", "blow-up"):
        return case.content
    lines = case.content.split(b"\n")
    chunk = max(1, len(lines) // 2)
    tries = 0
    while chunk >= 1 and tries < budget:
        removed = False
        start = 0
        while start < len(lines) and tries < budget:
            candidate = lines[:start] + lines[start + chunk:]
            tries += 1
            if classify(b"\n".join(candidate), case.seed, folder, 5.0)[0] == outcome:
                lines, removed = candidate, True
            else:
                start += chunk
        if not removed:
            chunk //= 2
    return b"\n".join(lines)


def table(outcomes: list[Outcome]) -> str:
    """The outcome table, as in the issue."""
    counts = Counter(o.outcome for o in outcomes)
    rows = ["| outcome | files |", "|---|---|"]
    rows += [f"| {name} | {counts.get(name, 0):,} |" for name in OUTCOMES]
    slowest = max(outcomes, key=lambda o: o.seconds) if outcomes else None
    if slowest is not None:
        rows.append(f"\nslowest case: #{slowest.index} {slowest.seconds:.2f} s "
                    f"({slowest.outcome})")
    return "\n".join(rows)


def report(seed: int, failure: Outcome, folder: Path) -> str:
    """A failure with its regenerated, minimised reproducer."""
    case = make_case(seed, failure.index)
    small = minimise(case, failure.outcome, folder)
    shown = small[:4000].decode("utf-8", "backslashreplace")
    return (f"case {failure.index} (seed {seed}, from {case.seed.name}): {failure.outcome}\n"
            f"mutations: {'; '.join(case.ops)}\n{failure.detail[-1500:]}\n"
            f"--- minimal reproducer ({len(small)} bytes) ---\n{shown}\n"
            f"--- regenerate: python -c 'from fuzz.mutator import make_case; "
            f"print(make_case({seed}, {failure.index}).content)' (from tests/)")
