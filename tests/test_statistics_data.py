"""The statistics data of the catalogue and the built-in parks (issue 7): every basis an
indicator can select has its data, with a source, a year where one is meaningful and a marker."""

from __future__ import annotations

import re

import pytest

import mfa
from mfa.io.yamlio import read_yaml
from mfa.model.carriers import CarrierClass
from mfa.paths import builtin_parks

# [V], [V-derived], [R], [A], also with a qualifier: "[R: standard not re-read]", "[R/A]"
MARKER = re.compile(r"\[(V|V-derived|R|A)(\]|[:,/ ])")
PARKS = sorted(builtin_parks())
PRIMARY = {CarrierClass.PRIMARY_FOSSIL_ENERGY, CarrierClass.PRIMARY_METAL_ORE,
           CarrierClass.PRIMARY_NONMETALLIC_MINERAL, CarrierClass.PRIMARY_BIOMASS}


@pytest.fixture(scope="module")
def catalogue() -> mfa.Catalogue:
    return mfa.load_catalogue()


def _marked(text: str) -> bool:
    return MARKER.search(text) is not None


def test_pollutants_are_emission_carriers(catalogue: mfa.Catalogue) -> None:
    found = {c.pollutant: c for c in catalogue.carriers if c.pollutant}
    assert set(found) == {"cod", "nh3_n", "so2", "nox", "particulates", "vocs"}
    for carrier in found.values():
        assert carrier.carrier_class is CarrierClass.EMISSION and carrier.unit == "t"


def test_electricity_has_equivalent_value_and_grid_factors(catalogue: mfa.Catalogue) -> None:
    power = catalogue["electricity"]
    assert power.tce_equivalent is not None
    assert power.tce_per_unit < power.tce_equivalent < 0.4  # 等价值 above 当量值, tce/MWh
    assert {"national", "northwest", "denmark"} <= set(power.indirect_co2)
    assert all(0.3 < f < 1.0 for f in power.indirect_co2.values())  # t CO₂/MWh
    for key in ("energy_equivalent", *(f"indirect_co2.{r}" for r in power.indirect_co2)):
        assert _marked(power.sources[key]), key


def test_heat_carriers_have_the_guides_heat_factor(catalogue: mfa.Catalogue) -> None:
    assert catalogue["district_heat"].indirect_co2["national"] == pytest.approx(0.11)
    for carrier in ("district_heat", "steam"):
        assert {"national", "northwest"} <= set(catalogue[carrier].indirect_co2)


def test_energy_media_are_sourced(catalogue: mfa.Catalogue) -> None:
    media = {c.id: c for c in catalogue.carriers if c.tce_media > 0}
    assert {"calcium_carbide", "fresh_water", "oxygen"} <= set(media)
    assert media["calcium_carbide"].tce_media == pytest.approx(2.0786)
    assert all(_marked(c.sources["energy_media"]) for c in media.values())


def test_resource_lists_follow_the_two_definitions(catalogue: mfa.Catalogue) -> None:
    lists = {c.id: c.resource_lists for c in catalogue.carriers if c.carrier_class in PRIMARY}
    for only_2007 in ("raw_salt", "sand_gravel", "clay", "natural_gypsum"):
        assert lists[only_2007] == {"2007"}, only_2007
    for both in ("raw_coal", "crude_oil", "iron_ore", "nickel_copper_ore", "limestone",
                 "phosphate_rock", "pyrite"):
        assert lists[both] == {"2007", "2017"}, both
    assert lists["timber"] == {"2017"}
    assert all(lists.values())  # every primary carrier counts under at least one list


def test_run_of_mine_ores_have_a_concentrate_equivalent(catalogue: mfa.Catalogue) -> None:
    for ore in ("nickel_copper_ore", "nickel_copper_ore_in_situ", "copper_lead_zinc_ore"):
        factor = catalogue[ore].concentrate_factor
        assert factor is not None and 0 < factor < 1, ore
        assert _marked(catalogue[ore].sources["concentrate_equivalent"]), ore


def test_treated_mine_water_is_non_conventional(catalogue: mfa.Catalogue) -> None:
    water = catalogue["treated_mine_water"]
    assert water.non_conventional_water
    assert water.carrier_class is CarrierClass.RECLAIMED_WATER


@pytest.mark.parametrize("name", PARKS)
def test_park_declares_its_grid(name: str) -> None:
    spec = read_yaml(builtin_parks()[name])
    grid = spec.get("statistics", {}).get("grid")
    assert grid == ("denmark" if name == "kalundborg" else "northwest")
    assert mfa.load_park(name).statistics.basis.grid == grid


@pytest.mark.parametrize("name", PARKS)
def test_declared_waste_heat_resources_are_sourced(name: str) -> None:
    spec = read_yaml(builtin_parks()[name])
    for ent in spec["enterprises"]:
        resource = ent.get("waste_heat_resource")
        if resource is None:
            continue
        assert _marked(resource["source"]), ent["id"]
        assert resource.get("reference_temperature"), ent["id"]
        for part in ("heat", "pressure"):
            value = resource.get(part)
            if isinstance(value, dict):
                assert "low" in value and "high" in value, (ent["id"], part)


def test_steel_works_waste_heat_resource_is_in_the_literature_range() -> None:
    park = mfa.load_park("jiayuguan")
    levels = {e.id: e.level(park.meta.base_year) or 0.0 for e in park.enterprises}
    heat = sum(r.heat * levels[eid] for eid, r in park.statistics.heat_resources.items())
    steel = levels["bof_shop"]
    assert 5.0 < heat / steel < 9.0  # GJ per t crude steel (8-9 incl. hot metal heat [R])
    assert park.statistics.heat_resources["blast_furnace"].pressure > 0
