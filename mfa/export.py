"""Writing results to files: one ``--out`` run is one unit.

Everything is computed first; the files are then written into a temporary folder beside the
target, flushed to disk, and the folder is swapped into place in one step (Linux
``renameat2(RENAME_EXCHANGE)``; a plain rename when the target is new). A kill at any moment
leaves the previous complete set or the new complete set under the target name, never a mix.
Temporary folders of runs that were killed are removed by the next run; an error removes its
own. Files get ordinary permissions (the umask), not the 0600 of ``mkstemp``.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .api import BalanceResult
from .errors import ParkFlowError

TEMP_PREFIX = ".parkflow-tmp-"  # short, so an over-long target name is the only long name
_LEGACY_TEMP = ".{}."  # temporary files of ParkFlow ≤ 0.1 inside the folder: ".flows.csv.x1y2"


def result_tables(result: BalanceResult) -> dict[str, pd.DataFrame]:
    """The tables written by ``parkflow balance --out``, by file name."""
    return {
        "flows.csv": result.flows,
        "indicators.csv": result.indicators().reset_index(),
        "waste_by_carrier.csv": result.indicators_by_carrier().reset_index(),
        "by_enterprise.csv": result.indicators_by_enterprise().reset_index(),
        "stockpiles.csv": result.stockpiles,
        "links.csv": result.link_flows,
    }


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write CSVs into ``out_dir`` as one unit (see the module docstring).

    ``out_dir`` may be new, empty, or hold an earlier run's files; a folder holding other
    files is refused, because the set replaces the folder as a whole.

    Raises
    ------
    ParkFlowError
        For a target that is a file or holds other files, or a folder that cannot be written
        (read-only, full disk, name too long); no temporary files are left behind.
    """
    out_dir = Path(out_dir)
    try:
        _check_target(out_dir, tables)
        parent = out_dir.absolute().parent
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale(parent)
        temp = parent / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    except OSError as err:
        raise _write_error(out_dir, err) from err
    try:
        _write_all(tables, temp)
        _swap(temp, out_dir.absolute())
        _fsync_dir(parent)
    except OSError as err:
        raise _write_error(out_dir, err) from err
    finally:
        shutil.rmtree(temp, ignore_errors=True)  # the old set after a swap, or a failed new one
    return [out_dir / name for name in tables]


def _check_target(out_dir: Path, tables: dict[str, pd.DataFrame]) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ParkFlowError.single(out_dir, "", "exists and is not a folder",
                                   "choose a folder path for --out")
    if not out_dir.is_dir():
        return
    foreign = sorted(p.name for p in out_dir.iterdir() if not _ours(p, tables))
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise ParkFlowError.single(
            out_dir, "", f"holds files that ParkFlow did not write ({shown}); --out replaces "
            "the folder as a whole", "choose a new or empty folder for --out")


def _ours(path: Path, tables: Iterable[str]) -> bool:
    """A table file of an earlier run, or a temporary file an older version left there."""
    return path.is_file() and (path.name in tables or any(
        path.name.startswith(_LEGACY_TEMP.format(name)) for name in tables))


def _write_all(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    os.mkdir(folder, 0o777)  # the umask decides, as for any folder the user makes
    for name, frame in tables.items():
        with open(folder / name, "x", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, float_format="%.10g")
            stream.flush()
            os.fsync(stream.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(temp: Path, target: Path) -> None:
    """Put ``temp`` at ``target``; the previous ``target`` (if any) ends up at ``temp``."""
    if not target.exists():
        os.rename(temp, target)
        return
    if _exchange(temp, target):
        return
    # No atomic exchange here (not Linux, or a file system without it): two renames, with a
    # short window in which the target is absent (both sets stay complete on disk).
    old = temp.with_name(temp.name + "-old")
    os.rename(target, old)
    os.rename(temp, target)
    os.rename(old, temp)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with ``renameat2``; False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def clean_stale(parent: Path) -> list[Path]:
    """Remove temporary folders that killed runs left in ``parent``; return them."""
    removed = []
    for path in parent.glob(f"{TEMP_PREFIX}*"):
        pid_text = path.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _write_error(out_dir: Path, err: OSError) -> ParkFlowError:
    fixes = {
        errno.ENAMETOOLONG: "choose a shorter folder name for --out",
        errno.ENOSPC: "free some disk space, or write to another disk",
        errno.EACCES: "choose a folder you may write to",
        errno.EROFS: "choose a folder on a writable disk",
        errno.EPERM: "choose a folder you may write to",
    }
    fix = fixes.get(err.errno or 0, "check the path, free space and permissions")
    reason = err.strerror or type(err).__name__
    return ParkFlowError.single(out_dir, "", f"cannot write the results: {reason}", fix)


def indicators_json(table: pd.DataFrame) -> str:
    """Indicators as a JSON list of records (NaN → null)."""
    frame = table.reset_index()
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=2, default=_plain)


def _plain(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return str(value)
