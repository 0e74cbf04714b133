"""The fuzz suite: thousands of malformed park files (seeded, so every CI run tries the same
ones) must each end in a clean ParkFlow error naming the file, or load, balance and close.

Each file runs in-process under a time limit, in worker processes with a memory limit; any
other outcome fails the test and prints a minimal reproducer. ``--fuzz-files N`` sets the
count (default 2,500; about 100 s on 2 cores), ``--fuzz-seed`` the seed. See tests/fuzz/
and docs/limits.md.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import mini_park, write_park
from fuzz.mutator import all_seeds, make_case
from fuzz.runner import ACCEPTED, classify, report, run, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_fuzz_files_end_clean_or_valid(request: pytest.FixtureRequest) -> None:
    files: int = request.config.getoption("--fuzz-files")
    seed: int = request.config.getoption("--fuzz-seed")
    workers: int = request.config.getoption("--fuzz-workers") or None
    outcomes = list(run(seed, files, workers))
    print(f"\n{files:,} fuzz files, seed {seed}:\n{table(outcomes)}")
    failures = [o for o in outcomes if o.outcome not in ACCEPTED]
    if failures:
        with tempfile.TemporaryDirectory() as folder:
            details = [report(seed, f, Path(folder)) for f in failures[:3]]
        pytest.fail(f"{len(failures)} of {files} files failed:\n\n" + "\n\n".join(details))
    assert {o.outcome for o in outcomes} == {"clean", "valid"}  # both kinds are reached


def test_cases_are_reproducible() -> None:
    assert make_case(12, 7).content == make_case(12, 7).content
    assert make_case(12, 7).content != make_case(12, 8).content


def test_every_seed_is_valid(tmp_path: Path) -> None:
    for seed in all_seeds():
        assert classify(seed.path.read_bytes(), seed, tmp_path) == ("valid", ""), seed.name


# ------------------------------------------------------------------ hypothesis

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.builds(lambda n, u: f"{n} {u}", st.floats(allow_nan=True, allow_infinity=True),
              st.sampled_from(["t/t", "t/a", "m**3/t", "GJ/t", "元/t", "kt/a", "%", "foo",
                               "t**9", "MWh/t", ""])),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else []
    found = []
    for key, value in items:
        found.append((*prefix, key))
        found += _paths(value, (*prefix, key))
    return found


_PATHS = _paths(mini_park())


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(where=st.sampled_from(_PATHS), value=_VALUES)
def test_any_value_anywhere_in_the_mini_park(where: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(mini_park())
    node = data
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    seed = all_seeds()[0]
    with tempfile.TemporaryDirectory() as folder:
        text = write_park(Path(folder), data).read_bytes()
        outcome, detail = classify(text, seed, Path(folder))
    assert outcome in ACCEPTED, f"{where} = {value!r}: {outcome}\n{detail}"
    if isinstance(value, float) and not math.isfinite(value) and where[-1] in (
            "capacity", "level"):
        assert outcome == "clean"


def test_a_failure_is_minimised_to_a_short_reproducer(tmp_path: Path) -> None:
    """The reporter shrinks a failing file to the lines that matter (here: a fake pipeline
    that breaks on one marker line), so a CI failure prints something a person can read."""
    from fuzz import runner
    from fuzz.mutator import Case, Seed

    def boom(path: Path, seed: Any) -> None:
        if b"BOOM" in path.read_bytes():
            raise KeyError("boom")

    runner.PIPELINES["boom"] = boom
    try:
        seed = Seed("boom", "mini", all_seeds()[0].path)
        content = b"\n".join([b"a: 1"] * 40 + [b"b: BOOM"] + [b"c: 2"] * 40)
        assert classify(content, seed, tmp_path)[0] == "traceback"
        small = runner.minimise(Case(0, seed, content), "traceback", tmp_path)
        assert small == b"b: BOOM"
    finally:
        del runner.PIPELINES["boom"]
