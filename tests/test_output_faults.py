"""Output faults (issue 12): one ``--out`` run is one unit. Kills at random moments leave the
previous complete set or the new one; stale temporary folders are cleaned; read-only, full or
over-long paths give clear errors and leave nothing behind; files get the umask's permissions.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI, run_cli

import mfa
from mfa.export import TEMP_PREFIX, clean_stale, result_tables, write_tables
from mfa.io import outputs

Snapshot = dict[str, bytes]


def _snapshot(folder: Path) -> Snapshot:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _temps(parent: Path) -> list[Path]:
    return sorted(parent.glob(f"{TEMP_PREFIX}*"))


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return result_tables(mfa.load_park(MINI).balance())


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


def test_files_get_the_umask_not_0600(tmp_path: Path, tables: dict[str, pd.DataFrame],
                                      umask: int) -> None:
    out = tmp_path / "out"
    write_tables(tables, out)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    for path in out.iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


def test_a_second_run_replaces_the_set_and_leaves_no_temporary_folder(
        tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    out = tmp_path / "out"
    write_tables(tables, out)
    (out / ".flows.csv.k3j2h1").write_text("left by an older version", encoding="utf-8")
    write_tables(tables, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(tables)
    assert _temps(tmp_path) == []


def test_without_an_atomic_exchange_the_set_is_still_replaced(
        tmp_path: Path, tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_tables(tables, out)
    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    write_tables(tables, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(tables)
    assert _temps(tmp_path) == []


def test_every_file_and_folder_is_flushed_before_the_swap(
        tmp_path: Path, tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real(fd))
    write_tables(tables, tmp_path / "out")
    assert len(calls) >= len(tables) + 2  # each file, the temporary folder, the parent


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temporary_folders_of_killed_runs_are_cleaned(
        tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    stale = tmp_path / f"{TEMP_PREFIX}{_dead_pid()}-00ff00ff"
    stale.mkdir()
    (stale / "flows.csv").write_text("half", encoding="utf-8")
    alive = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-11ee11ee"  # a run still going: kept
    alive.mkdir()
    write_tables(tables, tmp_path / "out")
    assert _temps(tmp_path) == [alive]
    assert clean_stale(tmp_path) == []


def test_a_folder_with_other_files_is_refused_untouched(
        tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(mfa.ParkFlowError) as info:
        write_tables(tables, out)
    assert "thesis.docx" in str(info.value) and "new or empty folder" in str(info.value)
    assert _snapshot(out) == {"thesis.docx": b"precious"}
    assert _temps(tmp_path) == []


def test_a_full_disk_is_a_clear_error_and_keeps_the_previous_set(
        tmp_path: Path, tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_tables(tables, out)
    before = _snapshot(out)
    count = iter(range(100))

    def full(fd: int) -> None:
        if next(count) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(mfa.ParkFlowError) as info:
        write_tables(tables, out)
    assert "No space left on device" in str(info.value)
    assert "free some disk space" in str(info.value)
    assert _snapshot(out) == before
    assert _temps(tmp_path) == []


def test_a_read_only_folder_is_a_clear_error(
        tmp_path: Path, tables: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: object, mode: int = 0o777) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(os, "mkdir", refuse)
    with pytest.raises(mfa.ParkFlowError) as info:
        write_tables(tables, tmp_path / "out")
    assert "Permission denied" in str(info.value)
    assert "choose a folder you may write to" in str(info.value)
    assert _temps(tmp_path) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_a_read_only_folder_on_disk(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(mfa.ParkFlowError, match="cannot write the results"):
            write_tables(tables, locked / "out")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_an_over_long_name_from_the_cli(tmp_path: Path) -> None:
    result = run_cli("balance", MINI, "--out", tmp_path / ("x" * 300), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "File name too long" in result.stderr
    assert "choose a shorter folder name for --out" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_name_just_under_the_limit_works(tmp_path: Path,
                                           tables: dict[str, pd.DataFrame]) -> None:
    out = tmp_path / ("y" * 250)  # temporary names are short, whatever the target's length
    write_tables(tables, out)
    write_tables(tables, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(tables)
    assert _temps(tmp_path) == []


# --- kill -9 at random moments -------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "mfa.cli", *(str(a) for a in args)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_in_write_window(process: subprocess.Popen[bytes], parent: Path, delay: float
                          ) -> bool:
    """Kill as soon as this run's temporary folder appears (not one a killed run left),
    plus ``delay``; True if it was seen."""
    left = set(_temps(parent))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if set(_temps(parent)) - left:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            return True
        time.sleep(0.0005)
    return False


def test_kill_at_20_random_points_leaves_a_complete_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("balance", MINI, "--year", "2018", "--out", out).wait() == 0
    old = _snapshot(out)
    fresh = tmp_path / "fresh"
    start = time.monotonic()
    assert _cli("balance", MINI, "--out", fresh).wait() == 0
    full_run = time.monotonic() - start
    new = _snapshot(fresh)
    assert old != new and sorted(old) == sorted(new)
    rng = random.Random(20)
    in_window = 0
    for point in range(20):
        process = _cli("balance", MINI, "--out", out)
        if point % 2:  # anywhere in the run
            time.sleep(rng.uniform(0, full_run))
            process.send_signal(signal.SIGKILL)
        else:  # inside the write window: just after the temporary folder appears
            in_window += _kill_in_write_window(process, tmp_path, rng.uniform(0, 0.004))
        process.wait()
        state = _snapshot(out)
        assert state in (old, new), f"kill {point}: a mix of two runs: {sorted(state)}"
    assert in_window >= 5
    assert _cli("balance", MINI, "--out", out).wait() == 0
    assert _snapshot(out) == new
    assert _temps(tmp_path) == []  # what killed runs left behind is gone
