"""The carrier catalogue: coverage, classes, units, sourced properties, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

import mfa
from mfa.io.yamlio import read_yaml
from mfa.model.carriers import CarrierClass

FLOWS = Path(__file__).resolve().parent.parent / "flows"
MARKERS = ("[V]", "[V-derived]", "[R]", "[A]")


@pytest.fixture(scope="module")
def catalogue() -> mfa.Catalogue:
    return mfa.load_catalogue()


def test_catalogue_covers_the_plan(catalogue: mfa.Catalogue) -> None:
    assert len(catalogue) >= 40
    assert {c.carrier_class for c in catalogue.carriers} == set(CarrierClass)
    for carrier in ("raw_coal", "crude_oil", "natural_gas", "limestone", "phosphate_rock",
                    "steel_slag", "bf_slag", "nickel_slag", "copper_slag", "fly_ash",
                    "bottom_ash", "coal_gangue", "tailings", "fgd_gypsum", "phosphogypsum",
                    "red_mud", "silica_fume", "carbide_slag", "mill_scale", "waste_heat_high",
                    "waste_heat_medium", "waste_heat_low", "waste_pressure", "steam",
                    "electricity", "fresh_water", "wastewater", "reclaimed_water",
                    "sulphuric_acid", "co2", "so2", "hazardous_waste"):
        assert carrier in catalogue


def test_fuels_and_energy_carry_tce(catalogue: mfa.Catalogue) -> None:
    energy = [c for c in catalogue.carriers
              if c.carrier_class in (CarrierClass.PRIMARY_FOSSIL_ENERGY,
                                     CarrierClass.SECONDARY_ENERGY,
                                     CarrierClass.WASTE_HEAT_PRESSURE)]
    assert energy and all(c.tce_per_unit > 0 for c in energy)
    assert catalogue["electricity"].tce_per_unit == pytest.approx(0.1229)  # 当量值, tce/MWh
    assert catalogue["raw_coal"].co2_per_unit > 1.5
    assert catalogue["electricity"].co2_per_unit == 0.0  # scope 1 only


def test_gases_and_water_have_a_mass(catalogue: mfa.Catalogue) -> None:
    for carrier in catalogue.carriers:
        if carrier.unit == "m**3":
            assert carrier.t_per_unit is not None, carrier.id


def test_every_property_is_sourced_and_marked() -> None:
    for file in sorted(FLOWS.glob("*.yaml")):
        for spec in read_yaml(file)["carriers"]:
            for name in ("energy_content", "co2_factor", "price", "density"):
                if name in spec:
                    source = spec[name]["source"]
                    assert any(m in source for m in MARKERS), f"{file.name}: {spec['id']}.{name}"


def test_duplicate_ids_and_bad_ranges_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "carriers:\n  - {id: ore, name_zh: 矿, name_en: Ore, class: primary_metal_ore, unit: t}\n",
        encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "carriers:\n  - {id: ore, name_zh: 矿, name_en: Ore, class: primary_metal_ore, unit: t}\n"
        "  - id: coal\n    name_zh: 煤\n    name_en: Coal\n    class: primary_fossil_energy\n"
        "    unit: t\n    energy_content: {value: 0.7 tce/t, high: 0.5 tce/t, source: 'x [R]'}\n",
        encoding="utf-8")
    with pytest.raises(mfa.ParkFlowError) as caught:
        mfa.load_catalogue(tmp_path)
    message = str(caught.value)
    assert "b.yaml" in message and "also defined in" in message
    assert "carriers[1] (coal).energy_content" in message and "outside" in message
