"""Section 7 (assumptions and sources: every coefficient with its source and quality mark) and
the method annex (every indicator's formula, the methods of the 预期成效 and the economics)."""

from __future__ import annotations

import re
from dataclasses import fields

import pandas as pd

from ..indicators.fast import INDICATOR_IDS
from ..model.indicator_defs import INDICATORS, unit_for
from ..units import display_unit
from .assessment import Assessment
from .blocks import Block, Cell, Heading, Paragraph, Section, Table, fmt
from .sections_park import name_of
from .strings import EFFECT_METHODS_ZH, text

_MARK = re.compile(r"\[(V-derived|V|R|A)\b[^\]]*\]")
MARKS = ("V", "V-derived", "R", "A")


def marks(source: str) -> str:
    """The quality marks a source string carries, in order (``V, R``), or "–"."""
    found = list(dict.fromkeys(m.group(1) for m in _MARK.finditer(source)))
    return ", ".join(f"[{m}]" for m in found) or "–"


def sources_section(a: Assessment, lang: str) -> Section:
    words = text(lang)
    table = a.park.parameters()
    table = table.assign(mark=[marks(str(s)) for s in table["source"]])
    rows: list[list[Cell]] = [
        [str(r.id), display_unit(str(r.unit), lang), fmt(r.central), fmt(r.low), fmt(r.high),
         str(r.mark), str(r.source)]
        for r in table.itertuples(index=False)]
    columns = [words["parameter"], words["unit"], words["central"], words["low"],
               words["high"], words["marker"], words["source"]]
    counts = {m: int(sum(f"[{m}]" in str(x) for x in table["mark"])) for m in MARKS}
    counts["–"] = int((table["mark"] == "–").sum())
    blocks: list[Block] = [
        Paragraph(words["sources_intro"]),
        Table("marks", words["marker_counts"], [words["marker"], words["count"]],
              [[f"[{m}]" if m != "–" else m, str(n)] for m, n in counts.items()],
              pd.DataFrame({"mark": list(counts), "count": list(counts.values())}),
              [False, True]),
        Table("parameters", words["s_sources"], columns, rows, table,
              [False, False, True, True, True, False, False], small=True)]
    if a.park.targets:
        currency = a.park.meta.currency
        targets: list[list[Cell]] = [
            [name_of(t.indicator, lang), str(t.year),
             f"{fmt(t.value)} {display_unit(unit_for(t.indicator, currency), lang)}".strip(),
             t.source]
                   for t in a.park.targets]
        blocks += [Heading(words["target_sources"]),
                   Table("target_sources", words["target_sources"],
                         [words["indicator"], words["year"], words["target"], words["source"]],
                         targets, pd.DataFrame([t.__dict__ for t in a.park.targets]),
                         [False, True, True, False], small=True)]
    prices = pd.DataFrame(a.economics.attrs["prices"]) if a.economics is not None else None
    if prices is not None and not prices.empty:
        blocks += [Heading(words["prices_title"]), _prices_table(a, prices, lang)]
    blocks += [Heading(words["park_sources"]),
               Paragraph(" · ".join(a.park.meta.sources) or "–")]
    return Section("sources", words["s_sources"], blocks)


def _prices_table(a: Assessment, prices: pd.DataFrame, lang: str) -> Table:
    """The prices and disposal fees the economics used, each with its year and source."""
    words, catalogue = text(lang), a.park.catalogue
    rows: list[list[Cell]] = []
    for r in prices.itertuples(index=False):
        carrier = catalogue.by_id.get(str(r.carrier))
        name = str(r.carrier) if carrier is None else (
            carrier.name_zh if lang == "zh" else carrier.name_en)
        rows.append([name, words.get(f"kind_{r.kind}", str(r.kind)), fmt(r.value),
                     display_unit(str(r.unit), lang), str(r.year), str(r.source)])
    return Table("prices", words["prices_title"], [
        words["carrier"], words["price_kind"], words["value"], words["unit"], words["year"],
        words["source"]], rows, prices, [False, False, True, False, True, False], small=True)


def methods_section(a: Assessment, lang: str) -> Section:
    words = text(lang)
    currency = a.park.meta.currency
    ids = [i for i in INDICATOR_IDS if not INDICATORS[i].deprecated]
    rows: list[list[Cell]] = [[name_of(i, lang), display_unit(unit_for(i, currency), lang),
                               INDICATORS[i].formula, INDICATORS[i].source] for i in ids]
    frame = pd.DataFrame([{"indicator": i, "name_zh": INDICATORS[i].name_zh,
                           "name_en": INDICATORS[i].name_en,
                           "unit": display_unit(unit_for(i, currency), lang),
                           "formula": INDICATORS[i].formula, "source": INDICATORS[i].source}
                          for i in ids])
    blocks: list[Block] = [
        Paragraph(words["methods_intro"]),
        Table("formulas", words["s_methods"], [words["indicator"], words["unit"],
                                               words["formula"], words["source"]],
              rows, frame, [False, False, False, False], small=True)]
    blocks += _effect_methods(lang)
    if a.economics is not None:
        from ..scenarios.economics import DEFAULT_RATE_SOURCE

        rate = f"{float(a.economics.attrs['discount_rate']):.1%}"
        blocks.append(Paragraph(words["economics_method"].format(
            rate=rate, source=DEFAULT_RATE_SOURCE)))
    basis = a.park.statistics.basis
    pairs = [(f.name, str(getattr(basis, f.name))) for f in fields(basis)]
    blocks += [Heading(words["bases_title"]),
               Table("bases", words["bases_title"], [words["basis_key"], words["basis_value"]],
                     [[k, v] for k, v in pairs], pd.DataFrame(pairs, columns=["basis", "value"]),
                     [False, False])]
    return Section("methods", words["s_methods"], blocks)


def _effect_methods(lang: str) -> list[Block]:
    from ..scenarios.effects import EFFECTS

    words = text(lang)
    rows: list[list[Cell]] = []
    for effect in EFFECTS:
        name = effect.name_zh if lang == "zh" else effect.name_en
        method = effect.method if lang == "en" else EFFECT_METHODS_ZH.get(
            effect.id, f"基准情景 − 方案的{effect.name_zh.removesuffix('减排量')}排放量")
        rows.append([name, method])
    frame = pd.DataFrame([{"effect": e.id, "name_zh": e.name_zh, "name_en": e.name_en,
                           "method": e.method} for e in EFFECTS])
    return [Heading(words["effect_methods"]),
            Table("effect_methods", words["effect_methods"], [words["effect"], words["method"]],
                  rows, frame, [False, False])]
