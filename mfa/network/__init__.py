"""Network views of a park and ecological network analysis (ENA); see ``docs/network.md``.

- ``ena(flows, inputs, exports, dissipation)`` analyses any balanced one-currency network;
- ``park_ena(park, year, currency)`` builds that network from a park's balance first;
- ``single_removals`` / ``removal_sequence``: resilience by enterprise removal;
- ``compare``: metrics across scenarios and years, as a tidy table.
"""

from __future__ import annotations

from .compare import compare
from .ena import ena, node_table
from .parks import park_ena, park_nodes
from .resilience import removal_sequence, single_removals

__all__ = ["compare", "ena", "node_table", "park_ena", "park_nodes", "removal_sequence",
           "single_removals"]
