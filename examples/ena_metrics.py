"""Ecological network analysis: a park's mass network, and a network you bring yourself.

Run: python examples/ena_metrics.py [PARK] [CURRENCY]
"""

from __future__ import annotations

import sys

import numpy as np

import mfa
from mfa.network import ena, park_ena, park_nodes

SHOWN = ["n", "links", "connectance", "lambda_max", "tst", "apl", "fci", "a_over_c",
         "robustness", "robustness_goerner"]


def main(name: str = "jinchang", currency: str = "mass") -> None:
    park = mfa.load_park(name)
    metrics = park_ena(park, currency=currency)
    print(f"{park.meta.name_en}, {currency} network ({metrics.attrs['unit']}), "
          f"{metrics.attrs['period']}:")
    for metric in SHOWN:
        print(f"  {metric:<20} {metrics[metric]:>16,.4g}")
    hubs = park_nodes(park, currency=currency).sort_values("betweenness", ascending=False)
    print("  busiest hubs (betweenness):", ", ".join(hubs.index[:3]))

    # A network of your own: flows[i, j] is the flow from i to j. Two plants trade 15 t one
    # way and 5 t back; 10 t enter the first and 10 t leave the second.
    own = ena(np.array([[0.0, 15.0], [5.0, 0.0]]), inputs=[10.0, 0.0],
              exports=[0.0, 10.0], dissipation=[0.0, 0.0], unit="t")
    print("Two-node loop: TST = {tst:g} t, FCI = {fci:.3f} (= 5/15), λmax = {lambda_max:g}"
          .format(**own))


if __name__ == "__main__":
    main(*sys.argv[1:3])
