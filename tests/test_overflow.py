"""A full stockpile overflows to the disposal node its ``overflow`` names (exact flows)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mfa.engine import compile_park, solve
from mfa.errors import ParkFlowError
from mfa.io.park import park_from_dict


def _park(**yard: Any) -> dict[str, Any]:
    node = {"id": "yard", "kind": "stockpile", "carrier": "steel_slag", "opening_stock": "95 t",
            "capacity": "100 t", "overflow": "landfill", "default_for": ["steel_slag"], **yard}
    return {
        "park": {"id": "t", "name_zh": "t", "name_en": "t", "base_year": 2020,
                 "price_base_year": 2020},
        "enterprises": [{"id": "kiln", "activity": {"carrier": "cement", "capacity": "100 t/a",
                                                    "level": "100 t/a"},
                         "rates": {"limestone": "-1.2 t/t", "steel_slag": "0.1 t/t"}}],
        "boundary": [node, {"id": "landfill", "kind": "disposal"}],
    }


def test_full_yard_overflows_to_landfill() -> None:
    park = park_from_dict(_park())
    flows = park.balance(2020).flows.set_index(["source", "target"])["quantity"]
    assert flows[("kiln", "yard")] == 5.0  # fills the yard to its 100 t
    assert flows[("kiln", "landfill")] == 5.0  # the rest overflows
    solution = solve(compile_park(park), 2020)
    assert solution.closing.tolist() == [[100.0]]
    assert solution.status.tolist() == [0]


def test_overflow_in_a_batch_follows_each_stock() -> None:
    compiled = compile_park(park_from_dict(_park()))
    solution = solve(compiled, 2020, stock=np.array([[80.0], [95.0], [100.0]]))
    overflow = solution.qty[:, compiled.records.overflow]
    assert overflow[:, 0].tolist() == [0.0, 5.0, 10.0]
    assert solution.closing[:, 0].tolist() == [90.0, 100.0, 100.0]


def test_without_overflow_a_full_yard_is_flagged() -> None:
    data = _park()
    del data["boundary"][0]["overflow"]
    with pytest.raises(ParkFlowError, match="above its capacity"):
        park_from_dict(data).balance(2020)


@pytest.mark.parametrize(("yard", "message"), [
    ({"overflow": "nowhere"}, "'nowhere' is not a node of the park"),
    ({"overflow": "market"}, "'market' is a market node"),
    ({"capacity": None}, "an overflow without a capacity never runs"),
])
def test_bad_overflow_is_reported(yard: dict[str, Any], message: str) -> None:
    data = _park(**yard)
    if yard.get("capacity", 1) is None:
        del data["boundary"][0]["capacity"]
    with pytest.raises(ParkFlowError, match=message) as caught:
        park_from_dict(data)
    assert "boundary[0] (yard).overflow" in str(caught.value)
