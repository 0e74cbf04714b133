"""Park-local carriers: a park file's own ``carriers:`` section, on top of the catalogue.

The hand park below, worked out on paper: the smelter makes 100 t of nickel from 1000 t of
concentrate and 200 t of a local fuel, semi-coke (0.8 tce/t, 2.5 t CO₂/t), and produces 500 t
of a local slag (general solid waste). 300 t of slag go to the brickworks in place of clay
(1 t/t); the other 200 t go to the landfill. So

- utilisation rate = 300 / 500 = 60 % (nothing from stock),
- 综合能耗 = 200 t × 0.8 tce/t = 160 tce (the only energy bought; nothing sold),
- CO₂ from fuel = 200 t × 2.5 t/t = 500 t.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import MINI, run_cli, write_park

import mfa
from mfa.network import park_ena

HAND: dict[str, Any] = {
    "park": {"id": "local", "name_zh": "本地载体园区", "name_en": "Local carrier park",
             "base_year": 2020, "price_base_year": 2020},
    "carriers": [
        {"id": "local_slag", "name_zh": "本地渣", "name_en": "Local slag",
         "class": "general_solid_waste", "unit": "t"},
        {"id": "semi_coke", "name_zh": "兰炭", "name_en": "Semi-coke",
         "class": "secondary_energy", "unit": "t",
         "energy_content": {"value": "0.8 tce/t", "low": "0.75 tce/t", "high": "0.85 tce/t",
                            "source": "hand figure [A]"},
         "co2_factor": {"value": "2.5 t/t", "source": "hand figure [A]"}},
    ],
    "enterprises": [
        {"id": "smelter",
         "activity": {"carrier": "electrolytic_nickel", "capacity": "120 t/a",
                      "level": "100 t/a"},
         "rates": {"nickel_concentrate": "-10 t/t", "semi_coke": "-2 t/t",
                   "local_slag": {"value": "5 t/t", "low": "4 t/t", "high": "6 t/t",
                                  "source": "hand [A]"}},
         "value_added": "1 万元/t"},
        {"id": "brickworks",
         "activity": {"carrier": "building_blocks", "capacity": "2 kt/a", "level": "1000 t/a"},
         "rates": {"clay": "-1 t/t"}, "value_added": "100 元/t"},
    ],
    "links": [{"from": "smelter", "to": "brickworks", "carrier": "local_slag",
               "cap": "300 t/a", "substitutes": {"carrier": "clay", "ratio": "1 t/t"}}],
    "boundary": [{"id": "landfill", "kind": "disposal", "default_for": ["local_slag"]}],
}


def hand() -> dict[str, Any]:
    return copy.deepcopy(HAND)


def problems_of(tmp_path: Path, data: dict[str, Any]) -> str:
    path = write_park(tmp_path, data)
    with pytest.raises(mfa.ParkFlowError) as caught:
        mfa.load_park(path)
    message = str(caught.value)
    assert str(path) in message
    return message


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> mfa.Park:
    return mfa.load_park(write_park(tmp_path_factory.mktemp("hand"), HAND))


def indicator(park: mfa.Park, name: str) -> float:
    return float(park.balance().indicators().loc[(2020, name), "value"])


# --- the hand park: local carriers in the indicators ---------------------------------------


def test_local_waste_counts_in_the_utilisation_rate(park: mfa.Park) -> None:
    assert indicator(park, "solid_waste_generated") == pytest.approx(500)
    assert indicator(park, "solid_waste_utilised") == pytest.approx(300)
    assert indicator(park, "solid_waste_disposed") == pytest.approx(200)
    assert indicator(park, "solid_waste_utilisation_rate") == pytest.approx(60.0)


def test_local_fuel_counts_in_energy_and_co2(park: mfa.Park) -> None:
    assert park.catalogue["semi_coke"].tce_per_unit == pytest.approx(0.8)
    assert indicator(park, "energy_consumption") == pytest.approx(160.0)
    assert indicator(park, "co2_fuel_combustion") == pytest.approx(500.0)


def test_the_evaluator_gives_the_same_numbers(park: mfa.Park) -> None:
    ev = mfa.Evaluator(park)
    central = ev.evaluate(ev.parameters["central"].to_numpy()[None, :]).iloc[0]
    assert central["status"] == "ok"
    assert central["solid_waste_utilisation_rate"] == pytest.approx(60.0)
    assert central["energy_consumption"] == pytest.approx(160.0)
    # 6 t/t of slag: 600 t made, still 300 t used
    high = ev.evaluate(pd.DataFrame({"smelter.rates.local_slag": [6.0]})).iloc[0]
    assert high["solid_waste_utilisation_rate"] == pytest.approx(50.0)


def test_parameter_table_has_rates_of_local_carriers_not_their_properties(
    park: mfa.Park,
) -> None:
    table = park.parameters().set_index("id")
    row = table.loc["smelter.rates.local_slag"]
    assert (row["central"], row["low"], row["high"]) == (5.0, 4.0, 6.0)
    # Carrier properties (catalogue or local) are checked (low ≤ value ≤ high) but are not
    # parameters: no row names semi_coke's energy content.
    assert not any("energy_content" in str(i) for i in table.index)
    assert set(table["field"]) <= {"capacity", "level", "rates", "value_added", "cap", "ratio"}


def test_outputs_and_network_see_local_carriers(park: mfa.Park, tmp_path: Path) -> None:
    flows = park.balance().flows
    assert set(flows.loc[flows["carrier"] == "local_slag", "target"]) == {"brickworks",
                                                                          "landfill"}
    energy = park_ena(park, currency="energy")
    assert energy["tst"] > 0  # semi-coke is the only energy carrier
    run = run_cli("balance", write_park(tmp_path, HAND), "--out", tmp_path / "out",
                  cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    waste = pd.read_csv(tmp_path / "out" / "waste_by_carrier.csv")
    assert "local_slag" in set(waste["carrier"])


def test_the_cached_builtin_catalogue_is_not_changed(park: mfa.Park) -> None:
    builtin = mfa.load_catalogue()
    size = len(builtin)
    again = mfa.load_park(MINI)
    fresh = mfa.load_park(write_park(Path(str(park.path)).parent, HAND, name="again.yaml"))
    assert mfa.load_catalogue() is builtin and len(builtin) == size
    assert "semi_coke" not in builtin and "local_slag" not in builtin
    assert builtin.local == frozenset()
    assert again.catalogue is builtin  # a park without carriers: shares the catalogue
    assert fresh.catalogue is not builtin
    assert fresh.catalogue.local == {"local_slag", "semi_coke"}
    assert len(fresh.catalogue) == size + 2


def test_local_carriers_on_a_given_catalogue(tmp_path: Path) -> None:
    data = hand()
    given = mfa.load_catalogue()
    built = mfa.park_from_dict(data, given)
    assert "semi_coke" in built.catalogue and "semi_coke" not in given


# --- bad input -----------------------------------------------------------------------------


def test_an_id_already_in_the_catalogue(tmp_path: Path) -> None:
    data = hand()
    data["carriers"][0]["id"] = "nickel_slag"
    message = problems_of(tmp_path, data)
    assert "carriers[0] (nickel_slag): carrier id 'nickel_slag' is already in the carrier " \
           "catalogue" in message
    assert "fix: rename it, e.g. 'local_nickel_slag', or use the catalogue's carrier" in message


def test_an_id_declared_twice(tmp_path: Path) -> None:
    data = hand()
    data["carriers"][1]["id"] = "local_slag"
    message = problems_of(tmp_path, data)
    assert "carriers[1] (local_slag): carrier id 'local_slag' is declared twice" in message


def test_bad_units_and_ranges_are_located(tmp_path: Path) -> None:
    data = hand()
    data["carriers"][1]["energy_content"]["value"] = "0.8 MWh"
    data["carriers"][1]["co2_factor"] = {"value": "2.5 t/t", "high": "2 t/t", "source": "x [A]"}
    message = problems_of(tmp_path, data)
    assert "2 problems" in message
    assert "carriers[1] (semi_coke).energy_content: " in message
    assert "fix: give it in units like 'tce/(t)'" in message
    assert "carriers[1] (semi_coke).co2_factor: value 2.5 t/t lies outside – … 2 t/t" in message


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    data = hand()
    data["carriers"][0]["id"] = "nickel_slag"
    data["carriers"][1]["energy_content"]["value"] = "0.8 MWh"
    data["enterprises"][1]["rates"]["unknown_stuff"] = "-1 t/t"
    message = problems_of(tmp_path, data)
    assert "carriers[0] (nickel_slag)" in message
    assert "carriers[1] (semi_coke).energy_content" in message
    assert "enterprises[1] (brickworks).rates.unknown_stuff: unknown carrier" in message


def test_schema_errors_are_located(tmp_path: Path) -> None:
    data = hand()
    del data["carriers"][0]["class"]
    data["carriers"][1]["unit"] = "kg"
    message = problems_of(tmp_path, data)
    assert "carriers[0] (local_slag).class" in message
    assert "carriers[1] (semi_coke).unit" in message


def test_unknown_carrier_points_at_the_carriers_section(tmp_path: Path) -> None:
    data = hand()
    del data["carriers"]
    message = problems_of(tmp_path, data)
    assert "unknown carrier 'semi_coke'" in message
    assert "declare it in this park file's `carriers:` section (docs/park-format.md)" in message


def test_the_number_of_local_carriers_is_limited(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARKFLOW_MAX_CARRIERS", "1")
    message = problems_of(tmp_path, hand())
    assert "carriers: 2 entries, above the limit of 1" in message
    assert "PARKFLOW_MAX_CARRIERS=2" in message


@pytest.mark.parametrize("command", ["check", "balance"])
def test_cli_exits_2_without_a_traceback(tmp_path: Path, command: str) -> None:
    data = hand()
    data["carriers"][0]["id"] = "nickel_slag"
    data["carriers"][1]["energy_content"]["value"] = "0.8 MWh"
    run = run_cli(command, write_park(tmp_path, data), cwd=tmp_path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "carriers[0] (nickel_slag)" in run.stderr
    assert "carriers[1] (semi_coke).energy_content" in run.stderr


# --- parkflow carriers --park -------------------------------------------------------------


def test_carriers_park_csv_marks_local_carriers(tmp_path: Path) -> None:
    run = run_cli("carriers", "--park", write_park(tmp_path, HAND), "--format", "csv",
                  cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(io.StringIO(run.stdout)).set_index("id")
    assert len(table) == len(mfa.load_catalogue()) + 2
    assert set(table.index[table["origin"] == "local"]) == {"local_slag", "semi_coke"}
    assert table.loc["nickel_slag", "origin"] == "flows"
    assert table.loc["semi_coke", "tce_per_unit"] == pytest.approx(0.8)


def test_carriers_park_table(tmp_path: Path) -> None:
    path = write_park(tmp_path, HAND)
    run = run_cli("carriers", "--park", path, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"carriers, 2 local to {path})" in run.stdout
    assert "semi_coke" in run.stdout and "Origin" in run.stdout
    line = next(line for line in run.stdout.splitlines() if "semi_coke" in line)
    assert "local" in line


def test_carriers_park_builtin_and_bad_park(tmp_path: Path) -> None:
    run = run_cli("carriers", "--park", "jinchang", "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"origin":"local"' not in run.stdout.replace(" ", "")
    data = hand()
    data["carriers"][0]["id"] = "nickel_slag"
    bad = run_cli("carriers", "--park", write_park(tmp_path, data), cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "carriers[0] (nickel_slag)" in bad.stderr
