"""The study file: one Parquet file, fixed schema, same frame → same bytes, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from mfa.errors import ParkFlowError
from mfa.uncertainty.parquet import COLUMNS, read_study, write_study


def _frame() -> pd.DataFrame:
    """2 scenarios × 2 runs × 2 years of one indicator; run 1 of the plan broke in 2025."""
    rows = [(s, r, y, "solid_waste_utilisation_rate", v, "ok")
            for s, base in (("baseline", 21.1), ("plan", 46.7))
            for r in (0, 1) for y, v in ((2020, base + r), (2025, base + 2 * r))]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame.loc[7, ["value", "status"]] = [np.nan, "stockpile over capacity"]
    return frame


def test_round_trip_keeps_columns_order_and_values(tmp_path: Path) -> None:
    frame = _frame()
    path = write_study(frame, tmp_path / "study.parquet")
    back = read_study(path)
    assert list(back.columns) == list(COLUMNS)
    assert back["run"].dtype == np.int64 and back["year"].dtype == np.int64
    assert back["value"].tolist()[:7] == frame["value"].tolist()[:7]
    assert np.isnan(back["value"].iloc[7]) and back["status"].iloc[7] == "stockpile over capacity"
    assert back["scenario"].tolist() == frame["scenario"].tolist()


def test_same_frame_same_bytes_and_no_pandas_or_time_metadata(tmp_path: Path) -> None:
    one = write_study(_frame(), tmp_path / "a.parquet")
    shuffled = _frame().set_axis(range(10, 18))  # another index: not stored
    two = write_study(shuffled, tmp_path / "b.parquet")
    assert one.read_bytes() == two.read_bytes()
    metadata = pq.read_metadata(one)
    keys = set(metadata.metadata)
    assert b"pandas" not in keys and keys <= {b"ARROW:schema", b"parkflow.format"}
    assert metadata.num_row_groups == 1 and metadata.num_rows == 8


def test_write_replaces_atomically_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "study.parquet"
    path.write_bytes(b"old")
    write_study(_frame(), path)
    assert sorted(os.listdir(tmp_path)) == ["study.parquet"]
    assert len(read_study(path)) == 8


def test_missing_and_extra_columns_are_named(tmp_path: Path) -> None:
    frame = _frame().drop(columns=["status", "year"]).assign(period="2016-01-01")
    with pytest.raises(ParkFlowError, match="columns: missing: year, status") as caught:
        write_study(frame, tmp_path / "study.parquet")
    assert "not in a study frame: period" in str(caught.value)
    assert not (tmp_path / "study.parquet").exists()


def test_bad_values_name_their_column(tmp_path: Path) -> None:
    frame = _frame().astype({"run": float})
    frame.loc[0, "run"] = 0.5
    with pytest.raises(ParkFlowError, match="column run: not int64"):
        write_study(frame, tmp_path / "study.parquet")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("where", ["missing/study.parquet", "."])
def test_bad_write_path_is_refused(tmp_path: Path, where: str) -> None:
    with pytest.raises(ParkFlowError, match="cannot write the study file"):
        write_study(_frame(), tmp_path / where)


def test_bad_read_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParkFlowError, match="no such study file"):
        read_study(tmp_path / "none.parquet")
    (tmp_path / "text.parquet").write_text("not parquet", encoding="utf-8")
    with pytest.raises(ParkFlowError, match="not a readable Parquet file"):
        read_study(tmp_path / "text.parquet")
