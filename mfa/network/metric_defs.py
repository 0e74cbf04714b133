"""One table of ENA metric ids: name, unit, formula and source (read by the CLI, the docs
and their test). Sources named ``enaFlow``, ``enaAscendency``, ``enaStructure`` are enaR's
functions (github SEELab/enaR). ``unit`` is written with ``{u}`` for the currency's unit
(t, GJ, m³)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricDef:
    id: str
    name: str
    unit: str
    formula: str
    source: str


_DEFS = [
    MetricDef("n", "nodes", "", "enterprises with a flow in the currency", "enaStructure"),
    MetricDef("links", "links", "", "L = Σ a_ij, a_ij = 1 where f_ij > 0 (self-loops count)",
              "enaStructure"),
    MetricDef("connectance", "connectance", "", "L / n²", "enaStructure; Fath & Borrett 2006"),
    MetricDef("connectance_directed", "directed connectance", "",
              "L′ / (n(n − 1)), L′ = links between distinct nodes", "DOMAIN.md §5.1"),
    MetricDef("connectance_food_web", "food-web connectance", "",
              "L_u / (n(n − 1)/2), L_u = node pairs linked either way",
              "food-web form compared in Hardy & Graedel 2002 [R]"),
    MetricDef("link_density", "link density", "", "L / n", "enaStructure"),
    MetricDef("lambda_max", "cyclicity λmax", "", "spectral radius of A",
              "Fath & Halnes 2007; Borrett et al. 2007"),
    MetricDef("scc", "strongly connected components", "", "count", "enaR scc"),
    MetricDef("scc_big", "components with > 1 node", "", "count", "enaR scc"),
    MetricDef("pscc", "share of nodes in cycles", "", "nodes in components > 1 / n", "enaR scc"),
    MetricDef("prey_predator_ratio", "prey/predator ratio", "",
              "#nodes with out-links / #nodes with in-links", "Layton et al. 2016"),
    MetricDef("generalisation", "generalisation", "", "L / #predators", "Layton et al. 2016"),
    MetricDef("vulnerability", "vulnerability", "", "L / #prey", "Layton et al. 2016"),
    MetricDef("specialised_predators_pct", "specialised predators", "%",
              "predators with exactly one prey / predators × 100", "Layton et al. 2016"),
    MetricDef("tst", "total system throughflow", "{u}", "Σ T_i, T_i = Σ_k f_ki + z_i",
              "enaFlow"),
    MetricDef("tstp", "total system throughput", "{u}", "Σ f_ij + Σ z + Σ e + Σ r",
              "enaFlow; Ulanowicz"),
    MetricDef("boundary", "boundary input", "{u}", "Σ z", "enaFlow"),
    MetricDef("apl", "average path length", "", "TST / Boundary", "enaFlow; Finn 1976"),
    MetricDef("tst_cycled", "cycled throughflow", "{u}", "Σ (n_ii − 1)/n_ii · T_i",
              "Finn 1976"),
    MetricDef("fci", "Finn cycling index", "", "TST_c / TST, N = (I − G)⁻¹, g_ij = f_ij/T_i",
              "enaFlow; Finn 1976"),
    MetricDef("h", "flow diversity H", "bits", "−Σ t_ij log₂ t_ij on the extended matrix",
              "enaAscendency"),
    MetricDef("ami", "average mutual information", "bits",
              "Σ t_ij log₂(T_ij TSTp / (T_i· T_·j))", "enaAscendency"),
    MetricDef("hr", "residual diversity", "bits", "H − AMI", "enaAscendency"),
    MetricDef("ascendency", "ascendency A", "{u}·bits", "TSTp · AMI", "Ulanowicz 1986"),
    MetricDef("capacity", "development capacity C", "{u}·bits", "TSTp · H", "Ulanowicz 1986"),
    MetricDef("overhead", "overhead Φ", "{u}·bits", "C − A", "Ulanowicz 1986"),
    MetricDef("a_over_c", "A/C", "", "ascendency / capacity", "enaAscendency"),
    MetricDef("o_over_c", "Φ/C", "", "overhead / capacity", "enaAscendency"),
    MetricDef("robustness", "robustness (enaR)", "", "−(A/C) ln(A/C)",
              "enaAscendency; Ulanowicz 2009; Fath 2014"),
    MetricDef("robustness_goerner", "robustness (Goerner)", "", "−e · a^β ln(a^β), β = 1.288",
              "Goerner, Lietaer & Ulanowicz 2009"),
    MetricDef("effective_link_density", "effective link density", "",
              "Π (√(t_i· t_·j) / t_ij)^t_ij", "Ulanowicz, Holt & Barfield 2014"),
    MetricDef("trophic_depth", "trophic depth", "", "Π (t_ij / (t_i· t_·j))^t_ij",
              "Ulanowicz, Holt & Barfield 2014"),
    MetricDef("unrecorded_dissipation", "closure: unrecorded dissipation", "{u}",
              "Σ max(in − out, 0) per node, booked to r", "ParkFlow (park networks only)"),
    MetricDef("unrecorded_input", "closure: unrecorded input", "{u}",
              "Σ max(out − in, 0) per node, booked to z", "ParkFlow (park networks only)"),
]
METRICS: dict[str, MetricDef] = {d.id: d for d in _DEFS}


def unit_of(metric: str, currency_unit: str) -> str:
    """The display unit of a metric for a currency unit (``t``, ``GJ``, ``m³``)."""
    definition = METRICS.get(metric)
    return definition.unit.replace("{u}", currency_unit) if definition else ""
