"""Resilience on a hand-calculable chain: smelter → slag mill → block plant.

The smelter makes 100 t of nickel from 1,000 t of concentrate and 500 t of slag; the mill
grinds 400 t of it into slag powder, the block plant turns that into 400 t of blocks; 100 t
of slag are landfilled. So utilisation is 400 / 500 = 80 %, the resource output rate is
(100 × 10,000 + 400 × 100 + 400 × 50) / 1,000 = 1,060 元/t, and the mass network's TST is
1,000 + 400 + 400 = 1,800 t. Removing the mill landfills all 500 t (0 %), the block plant buys
its powder (TST 1,400 t; ROR 1,020); with a 50 % supply threshold the block plant stops too
(TST 1,000 t; ROR 1,000).
"""

from __future__ import annotations

from typing import Any

import pytest

import mfa
from mfa.errors import ParkFlowError
from mfa.network.resilience import removal_sequence, single_removals, without


def chain() -> dict[str, Any]:
    def ent(id_: str, ref: str, level: str, rates: dict[str, str], va: str) -> dict[str, Any]:
        return {"id": id_, "activity": {"carrier": ref, "capacity": "10 kt/a", "level": level},
                "rates": rates, "value_added": va}

    return {
        "park": {"id": "chain", "name_zh": "链", "name_en": "Chain", "base_year": 2020,
                 "price_base_year": 2020},
        "enterprises": [
            ent("smelter", "electrolytic_nickel", "100 t/a",
                {"nickel_concentrate": "-10 t/t", "nickel_slag": "5 t/t"}, "1 万元/t"),
            ent("slag_mill", "slag_powder", "400 t/a", {"nickel_slag": "-1 t/t"}, "100 元/t"),
            ent("block_plant", "building_blocks", "400 t/a", {"slag_powder": "-1 t/t"},
                "50 元/t"),
        ],
        "links": [
            {"from": "smelter", "to": "slag_mill", "carrier": "nickel_slag", "share": 1.0},
            {"from": "slag_mill", "to": "block_plant", "carrier": "slag_powder", "share": 1.0},
        ],
        "boundary": [{"id": "landfill", "kind": "disposal", "default_for": ["nickel_slag"]}],
    }


@pytest.fixture(scope="module")
def park() -> mfa.Park:
    return mfa.park_from_dict(chain())


def test_removing_the_middle_node(park: mfa.Park) -> None:
    table = single_removals(park)
    assert table.attrs["baseline"] == pytest.approx(
        {"solid_waste_utilisation_rate": 80.0, "resource_output_rate": 1060.0, "tst": 1800.0,
         "fci": 0.0})
    mill = table.loc["slag_mill"]
    assert mill["delta_solid_waste_utilisation_rate"] == pytest.approx(-80.0)
    assert mill["delta_resource_output_rate"] == pytest.approx(-40.0)
    assert mill["tst"] == pytest.approx(1400.0)
    assert mill["stopped"] == "slag_mill" and mill["status"] == "ok"
    assert table.index[0] == "slag_mill" and mill["rank"] == 1  # the critical enterprise


def test_threshold_cascade(park: mfa.Park) -> None:
    mill = single_removals(park, threshold=0.5).loc["slag_mill"]
    assert mill["stopped"] == "slag_mill;block_plant"
    assert mill["tst"] == pytest.approx(1000.0)
    assert mill["resource_output_rate"] == pytest.approx(1000.0)


def test_without_drops_links_and_keeps_the_rest(park: mfa.Park) -> None:
    smaller = without(park, ["slag_mill"])
    assert [e.id for e in smaller.enterprises] == ["smelter", "block_plant"]
    assert smaller.links == []
    assert len(park.links) == 2  # the original is untouched
    with pytest.raises(ParkFlowError, match="no enterprise"):
        without(park, ["nobody"])


def test_sequences(park: mfa.Park) -> None:
    targeted = removal_sequence(park, "degree")
    assert targeted.loc[1, "removed"] == "slag_mill"  # the hub of the chain goes first
    assert targeted.loc[0, "tst"] == pytest.approx(1800.0)
    random_a = removal_sequence(park, "random", seed=7)
    random_b = removal_sequence(park, "random", seed=7)
    assert random_a.equals(random_b)
    explicit = removal_sequence(park, ["block_plant"], steps=1)
    assert list(explicit["removed"]) == ["", "block_plant"]
    with pytest.raises(ParkFlowError, match="unknown order"):
        removal_sequence(park, "alphabetical")  # type: ignore[arg-type]


def test_kalundborg_gypsum_user_is_critical() -> None:
    # Without Gyproc the FGD gypsum is landfilled; without Asnæs it is never made, so the
    # utilisation *rate* does not fall (the rate measures use of what is generated).
    table = single_removals(mfa.load_park("kalundborg"))
    assert set(table["status"]) == {"ok"}
    assert table.index[0] == "gyproc"
    assert table.loc["gyproc", "delta_solid_waste_utilisation_rate"] < -50
    assert table.loc["asnaes", "delta_solid_waste_utilisation_rate"] == pytest.approx(0.0)
