"""Writing a balance result to files (``parkflow balance --out``): the tables, written as one
unit by :mod:`mfa.io.outputs` (a kill leaves the previous set or the new one, never a mix).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .api import BalanceResult
from .io.outputs import TEMP_PREFIX, clean_stale, write_unit

__all__ = ["TEMP_PREFIX", "clean_stale", "indicators_json", "records_json", "result_tables",
           "write_tables"]


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
    """Write the tables as CSVs into ``out_dir``, as one unit (:func:`mfa.io.outputs.write_unit`).

    Raises
    ------
    ParkFlowError
        For a target that is a file or holds other files, or a folder that cannot be written
        (read-only, full disk, name too long); no temporary files are left behind.
    """
    return write_unit(dict(tables), out_dir)


def indicators_json(table: pd.DataFrame) -> str:
    """Indicators as a JSON list of records (NaN → null)."""
    return records_json(table.reset_index())


def records_json(frame: pd.DataFrame) -> str:
    """The rows of ``frame`` (its index dropped) as a JSON list of records (NaN and NA → null)."""
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=2, default=_plain)


def _plain(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return str(value)
