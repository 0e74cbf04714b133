"""Writing results to files: everything computed first, then written under temporary names
and renamed, so an error never leaves half-written output behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .api import BalanceResult
from .errors import ParkFlowError


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
    """Write CSVs atomically into ``out_dir`` (created if missing)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ParkFlowError.single(out_dir, "", "exists and is not a folder",
                                   "choose a folder path for --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ParkFlowError.single(out_dir, "", f"cannot create the folder: {err.strerror}",
                                   "choose a writable --out folder") from err
    staged: list[tuple[Path, Path]] = []
    try:
        for name, frame in tables.items():
            handle, temp_name = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            staged.append((Path(temp_name), out_dir / name))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                frame.to_csv(stream, index=False, float_format="%.10g")
        for temp, final in staged:
            os.replace(temp, final)
    except OSError as err:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise ParkFlowError.single(out_dir, "", f"cannot write: {err.strerror}",
                                   "check free space and permissions") from err
    return [final for _, final in staged]


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
