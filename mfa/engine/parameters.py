"""Which array slot each row of a park's ParameterTable feeds in the compiled park.

========================  ==============================================  ================
field                     slot                                            index
========================  ==============================================  ================
``rates``                 ``rates`` (signed rate per unit of activity)    rate slot
``level``                 ``levels`` (in the years the entry is in force) enterprise
``capacity``              ``capacity`` (no effect on a steady state)      enterprise
``value_added``           ``value_added`` (per unit of activity)          enterprise
``water_recirculation``   ``recirculation`` (m³ per unit of activity)     enterprise
``share`` / ``quantity``  ``bound``                                       link
``cap``                   ``bound`` (a cap alone) or ``cap`` (with share) link
``ratio``                 ``ratio`` (substitution)                        link
``opening_stock``         ``opening``                                     stockpile
``capacity`` (stockpile)  ``pile_capacity``                               stockpile
========================  ==============================================  ================

A rate written as 0 feeds no slot (index −1): the engine keeps only non-zero rates.
"""

from __future__ import annotations

import numpy as np

from ..model.parameters import Parameter, ParameterTable
from .compiled import SHARE, CompiledPark

_ENTERPRISE_SLOT = {"level": "levels", "capacity": "capacity", "value_added": "value_added",
                    "water_recirculation": "recirculation",
                    # the simulation's (no effect on a steady state): docs/simulation.md
                    "availability": "availability", "mtbf": "mtbf", "mttr": "mttr"}


def parameter_slots(compiled: CompiledPark, table: ParameterTable
                    ) -> tuple[list[str], np.ndarray]:
    """The slot name and index fed by each row of ``table``."""
    enterprise = {node: i for i, node in enumerate(compiled.node_ids[:compiled.n_enterprises])}
    link = {link_id: k for k, link_id in enumerate(compiled.links.ids)}
    pile = {compiled.node_ids[node]: p for p, node in enumerate(compiled.pile_node.tolist())}
    column = {c: j for j, c in enumerate(compiled.carriers)}
    key = compiled.slot_ent * len(compiled.carriers) + compiled.slot_car
    names, index = [], []
    for row in table.rows:
        name, position = _slot(row, compiled, enterprise, link, pile, column, key)
        names.append(name)
        index.append(position)
    return names, np.array(index, dtype=np.int64)


def _slot(row: Parameter, compiled: CompiledPark, enterprise: dict[str, int],
          link: dict[str, int], pile: dict[str, int], column: dict[str, int],
          key: np.ndarray) -> tuple[str, int]:
    if row.kind == "enterprise":
        i = enterprise[row.element]
        if row.field != "rates":
            return _ENTERPRISE_SLOT[row.field], i
        wanted = i * len(compiled.carriers) + column[row.carrier]
        position = int(np.searchsorted(key, wanted))
        found = position < len(key) and key[position] == wanted
        return "rates", position if found else -1
    if row.kind == "link":
        k = link[row.element]
        if row.field == "ratio":
            return "ratio", k
        if row.field == "cap" and compiled.links.mode[k] == SHARE:
            return "cap", k  # a cap that combines with a share
        return "bound", k
    return ("opening" if row.field == "opening_stock" else "pile_capacity"), pile[row.element]
