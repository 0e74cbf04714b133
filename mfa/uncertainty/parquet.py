"""A study's long result frame as ONE Parquet file (issue 9 part 4), written atomically with
deterministic bytes.

The file has a fixed schema (:data:`SCHEMA`, columns in the order of sim-interfaces "Long
result frame"), no pandas index or pandas metadata, no creation time, fixed compression and row
groups: the same frame gives the same bytes (for one pyarrow version, whose name the Parquet
footer records in ``created_by``). Rows are written in the frame's order. The file is first
written under a temporary name in the target directory and then renamed over the target with
``os.replace``, so a reader never sees half a file and a failed write leaves the old file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ParkFlowError, Problem

COLUMNS = ("scenario", "run", "year", "indicator", "value", "status")
SCHEMA = pa.schema(
    [("scenario", pa.string()), ("run", pa.int64()), ("year", pa.int64()),
     ("indicator", pa.string()), ("value", pa.float64()), ("status", pa.string())],
    metadata={"parkflow.format": "study/1"},
)
ROW_GROUP = 1_000_000  # rows per row group: fixed, so the layout depends on the frame only
WRITE_OPTIONS = {
    "compression": "zstd", "compression_level": 3,
    "use_dictionary": ["scenario", "indicator", "status"],
    "write_statistics": True, "row_group_size": ROW_GROUP, "version": "2.6",
}


def write_study(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write the long result frame ``frame`` to the Parquet file ``path``; return the path."""
    path = Path(path)
    table = _table(frame, path)
    directory = path.parent
    if path.is_dir() or not directory.is_dir():
        problem = "is a directory" if path.is_dir() else f"its directory {directory} is missing"
        raise ParkFlowError.single(path, "", f"cannot write the study file: {problem}",
                                   "give a file path in an existing directory")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(handle)
    try:
        pq.write_table(table, temporary, **WRITE_OPTIONS)
        os.replace(temporary, path)
    except OSError as error:
        raise ParkFlowError.single(path, "", f"cannot write the study file ({error.strerror})",
                                   "check the permissions and the free space") from error
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def study_bytes(frame: pd.DataFrame) -> bytes:
    """The Parquet file of ``frame`` in memory (the same bytes :func:`write_study` writes),
    for an output folder that is written as one unit."""
    sink = pa.BufferOutputStream()
    pq.write_table(_table(frame, Path("<memory>")), sink, **WRITE_OPTIONS)
    return bytes(sink.getvalue().to_pybytes())


def read_study(path: Path | str) -> pd.DataFrame:
    """The long result frame stored in the Parquet file ``path`` (columns :data:`COLUMNS`)."""
    path = Path(path)
    if not path.is_file():
        raise ParkFlowError.single(path, "", "no such study file",
                                   "give the path of a .parquet file written by parkflow")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise ParkFlowError.single(path, "", f"not a readable Parquet file ({error})",
                                   "give the path of a .parquet file written by parkflow"
                                   ) from error
    missing = [c for c in COLUMNS if c not in table.column_names]
    if missing:
        raise ParkFlowError.single(path, "columns", f"missing: {', '.join(missing)}",
                                   f"a study file has the columns {', '.join(COLUMNS)}")
    frame: pd.DataFrame = table.select(list(COLUMNS)).to_pandas()
    return frame


def _table(frame: pd.DataFrame, path: Path) -> pa.Table:
    """``frame`` as an Arrow table of :data:`SCHEMA`, or every problem with its columns."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    extra = [str(c) for c in frame.columns if c not in COLUMNS]
    problems = []
    if missing:
        problems.append(Problem("columns", f"missing: {', '.join(missing)}",
                                f"a study frame has the columns {', '.join(COLUMNS)}"))
    if extra:
        problems.append(Problem("columns", f"not in a study frame: {', '.join(extra)}",
                                "drop them, or keep them in another file"))
    if problems:
        raise ParkFlowError(path, problems)
    arrays = []
    for field in SCHEMA:
        try:
            array = pa.array(frame[field.name].to_numpy(), type=field.type, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError) as error:
            problems.append(Problem(f"column {field.name}", f"not {field.type}: {error}",
                                    _fix(field.name)))
            continue
        if field.name != "value" and array.null_count:
            problems.append(Problem(f"column {field.name}", f"{array.null_count} empty "
                                    "values", _fix(field.name)))
        arrays.append(array)
    if problems:
        raise ParkFlowError(path, problems)
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def _fix(column: str) -> str:
    return {"run": "run numbers are whole numbers 0 … N−1",
            "year": "years are whole numbers",
            "status": "status is 'ok' or the reason a run broke"}.get(
        column, "give text for every row")
