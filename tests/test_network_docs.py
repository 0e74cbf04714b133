"""docs/network.md documents every ENA metric id the code returns."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mfa.network import ena
from mfa.network.metric_defs import METRICS

DOC = Path(__file__).resolve().parent.parent / "docs" / "network.md"


def test_every_metric_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [m for m in METRICS if f"`{m}`" not in text] == []


def test_every_returned_metric_has_a_definition() -> None:
    metrics = ena(np.array([[0.0, 1.0], [0.0, 0.0]]), [1, 0], [0, 1], [0, 0])
    assert [m for m in metrics.index if m not in METRICS] == []
