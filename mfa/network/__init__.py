"""Network views of a park and ecological network analysis (ENA).

``ena(flows, inputs, exports, dissipation)`` analyses any balanced one-currency network;
``park_ena(park, year, currency)`` builds that network from a park's balance first.
"""

from __future__ import annotations

from .ena import ena, node_table
from .parks import park_ena, park_nodes

__all__ = ["ena", "node_table", "park_ena", "park_nodes"]
