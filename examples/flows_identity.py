"""Recompute the statistics bureau's solid-waste identities from flows.csv alone.

`parkflow balance PARK --out DIR` writes flows.csv; this script reads it with plain pandas
(no ParkFlow import) and checks, per general-solid-waste carrier,

    产生量 = (综合利用量 − 往年贮存量利用) + 贮存量 + (处置量 − 往年贮存量处置) + 倾倒丢弃量

and recomputes 综合利用率 = 综合利用量 / (产生量 + 综合利用往年贮存量), and the water reuse rate
重复利用率 = W_repeat / (W_repeat + fresh water bought), where W_repeat is in-plant recirculated
water (a flow of class ``recirculated_water`` from an enterprise to itself), reclaimed water
passed to enterprises, and wastewater that replaces fresh water at its receiver.

Run: python examples/flows_identity.py [PARK]
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd


def ledger(flows: pd.DataFrame) -> pd.DataFrame:
    waste = flows[flows["carrier_class"] == "general_solid_waste"]
    src, dst, q = waste["source_kind"], waste["target_kind"], waste["quantity"]
    users = dst.isin(["enterprise", "market"])
    disposal = dst.isin(["disposal", "treatment"])
    parts = pd.DataFrame({
        "carrier": waste["carrier"],
        "generated": q.where(src == "enterprise", 0.0),
        "utilised_new": q.where((src == "enterprise") & users, 0.0),
        "utilised_old": q.where((src == "stockpile") & users, 0.0),
        "stored": q.where((src == "enterprise") & (dst == "stockpile"), 0.0),
        "disposed_new": q.where((src == "enterprise") & disposal, 0.0),
        "disposed_old": q.where((src == "stockpile") & disposal, 0.0),
        "dumped": q.where((src == "enterprise") & (dst == "environment"), 0.0),
    })
    return parts.groupby("carrier").sum()


def water_reuse_rate(flows: pd.DataFrame, non_conventional: frozenset[str] = frozenset()
                     ) -> float:
    """重复利用率 (%) from flows.csv; NaN when the park uses no water.

    ``non_conventional``: carriers of a non-conventional source (treated mine water), which
    are no repeat water: the ``non_conventional_water`` column of
    ``parkflow carriers --format csv`` (see :func:`non_conventional_carriers`).
    """
    cls, src, dst = flows["carrier_class"], flows["source_kind"], flows["target_kind"]
    into_plants = dst == "enterprise"
    repeat = flows["quantity"][into_plants & (
        ((cls == "recirculated_water") & (src == "enterprise"))
        | ((cls == "reclaimed_water") & (src != "market")
           & ~flows["carrier"].isin(sorted(non_conventional)))
        | ((cls == "wastewater") & (flows["substitutes_class"] == "fresh_water")))].sum()
    fresh = flows["quantity"][into_plants & (cls == "fresh_water")
                              & src.isin(["market", "environment"])].sum()
    return 100 * repeat / (repeat + fresh) if repeat + fresh > 0 else float("nan")


def non_conventional_carriers() -> frozenset[str]:
    """The carriers the catalogue marks as a non-conventional water source."""
    run = subprocess.run([sys.executable, "-m", "mfa.cli", "carriers", "--format", "csv"],
                         check=True, capture_output=True, text=True)
    catalogue = pd.read_csv(io.StringIO(run.stdout))
    return frozenset(catalogue.loc[catalogue["non_conventional_water"], "id"])


def main(name: str = "jinchang") -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "mfa.cli", "balance", name, "--out", out,
                        "--format", "csv"], check=True, capture_output=True)
        flows = pd.read_csv(Path(out) / "flows.csv")
        official = pd.read_csv(Path(out) / "indicators.csv").set_index("indicator")["value"]
    table = ledger(flows)
    rhs = table["utilised_new"] + table["stored"] + table["disposed_new"] + table["dumped"]
    gap = (table["generated"] - rhs).abs().max()
    totals = table.sum()
    utilised = totals["utilised_new"] + totals["utilised_old"]
    rate = 100 * utilised / (totals["generated"] + totals["utilised_old"])
    print(table.round(1).to_string())
    print(f"largest identity gap: {gap:.3g} t")
    print(f"综合利用率 from flows.csv: {rate:.4f} %; ParkFlow reports "
          f"{official['solid_waste_utilisation_rate']:.4f} %")
    assert gap <= 1e-6 * max(1.0, totals["generated"]), "identity does not hold"
    assert abs(rate - official["solid_waste_utilisation_rate"]) < 1e-6, "rates differ"
    water = water_reuse_rate(flows, non_conventional_carriers())
    print(f"重复利用率 from flows.csv: {water:.4f} %; ParkFlow reports "
          f"{official['water_reuse_rate']:.4f} %")
    assert abs(water - official["water_reuse_rate"]) < 1e-6, "water reuse rates differ"
    print("identities hold")


if __name__ == "__main__":
    main(*sys.argv[1:2])
