"""Writing output files: one ``--out`` run is one unit.

Everything is computed first; the files are then written into a temporary folder beside the
target, flushed to disk, and the folder is swapped into place in one step (Linux
``renameat2(RENAME_EXCHANGE)``; a plain rename when the target is new). A kill at any moment
leaves the previous complete set or the new complete set under the target name, never a mix.
Temporary folders of runs that were killed are removed by the next run; an error removes its
own. Files get ordinary permissions (the umask), not the 0600 of ``mkstemp``. Used by every
command that writes ``--out`` (`parkflow balance`, `parkflow network`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Union

from ..errors import ParkFlowError

if TYPE_CHECKING:
    import pandas as pd

# text, bytes (a figure, a Parquet file), or a table written as CSV without its index
Content = Union[str, bytes, "pd.DataFrame"]
TEMP_PREFIX = ".parkflow-tmp-"  # short, so an over-long target name is the only long name
_LEGACY_TEMP = ".{}."  # temporary files of ParkFlow ≤ 0.1 inside the folder: ".flows.csv.x1y2"


def write_unit(files: dict[str, Content], out_dir: Path) -> list[Path]:
    """Write ``files`` (name → text, bytes, or a table written as CSV) into ``out_dir`` as
    one unit (see the module docstring). A name may hold one subfolder: ``figures/a.svg``.

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
        _check_target(out_dir, files)
        parent = out_dir.absolute().parent
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale(parent)
        temp = parent / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    except OSError as err:
        raise _write_error(out_dir, err) from err
    try:
        _write_all(files, temp)
        _swap(temp, out_dir.absolute())
        _fsync_dir(parent)
    except OSError as err:
        raise _write_error(out_dir, err) from err
    finally:
        shutil.rmtree(temp, ignore_errors=True)  # the old set after a swap, or a failed new one
    return [out_dir / name for name in files]


def _check_target(out_dir: Path, files: dict[str, Content]) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ParkFlowError.single(out_dir, "", "exists and is not a folder",
                                   "choose a folder path for --out")
    if not out_dir.is_dir():
        return
    foreign = sorted(p.name for p in out_dir.iterdir() if not _ours(p, files))
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise ParkFlowError.single(
            out_dir, "", f"holds files that ParkFlow did not write ({shown}); --out replaces "
            "the folder as a whole", "choose a new or empty folder for --out")


def _ours(path: Path, tables: Iterable[str]) -> bool:
    """A table file of an earlier run, or a temporary file an older version left there, or a
    subfolder of an earlier run holding only such files."""
    names = list(tables)
    if path.is_dir() and not path.is_symlink():
        inside = [n.split("/", 1)[1] for n in names if n.startswith(f"{path.name}/")]
        return bool(inside) and all(_ours(p, inside) for p in path.iterdir())
    return path.is_file() and (path.name in names or any(
        path.name.startswith(_LEGACY_TEMP.format(name)) for name in names))


def _write_all(files: dict[str, Content], folder: Path) -> None:
    os.mkdir(folder, 0o777)  # the umask decides, as for any folder the user makes
    for name, content in files.items():
        path = folder / name
        if path.parent != folder and not path.parent.exists():
            os.mkdir(path.parent, 0o777)
        if isinstance(content, bytes):
            with open(path, "xb") as binary:
                binary.write(content)
                binary.flush()
                os.fsync(binary.fileno())
            continue
        with open(path, "x", encoding="utf-8", newline="") as stream:
            if isinstance(content, str):
                stream.write(content)
            else:
                content.to_csv(stream, index=False, float_format="%.10g")
            stream.flush()
            os.fsync(stream.fileno())
    for sub in {(folder / name).parent for name in files}:
        _fsync_dir(sub)


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
