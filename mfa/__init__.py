"""ParkFlow engine: circular-economy material-flow balances and indicators for industrial parks.

Quick use::

    import mfa
    park = mfa.load_park("jinchang")
    result = park.balance(2016)
    result.indicators()

Names are imported on first use, so ``import mfa`` (and ``parkflow --help``) stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .model.park import Park

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from .api import BalanceResult, balance, check
    from .errors import ParkFlowError
    from .evaluate import Evaluator
    from .io.catalogue import load_catalogue
    from .io.park import load_park, park_from_dict
    from .model.carriers import Carrier, CarrierClass, Catalogue
    from .plans import Plan, apply_plan, load_plan

__all__ = [
    "BalanceResult",
    "Carrier",
    "CarrierClass",
    "Catalogue",
    "Evaluator",
    "Park",
    "ParkFlowError",
    "Plan",
    "apply_plan",
    "balance",
    "check",
    "load_catalogue",
    "load_park",
    "load_plan",
    "park_from_dict",
]
__version__ = "0.1.0"

_LAZY = {
    "BalanceResult": "api",
    "balance": "api",
    "check": "api",
    "ParkFlowError": "errors",
    "Evaluator": "evaluate",
    "load_catalogue": "io.catalogue",
    "load_park": "io.park",
    "park_from_dict": "io.park",
    "Carrier": "model.carriers",
    "CarrierClass": "model.carriers",
    "Catalogue": "model.carriers",
    "Plan": "plans",
    "apply_plan": "plans",
    "load_plan": "plans",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'mfa' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


# Façades on the model, attached from the top so that the model never imports upward.
def _park_balance(self: Park, year: int | None = None) -> BalanceResult:
    from .api import balance

    return balance(self, year)


def _park_graph(self: Park) -> nx.DiGraph:
    from .network.graph import park_graph

    return park_graph(self)


def _park_parameters(self: Park) -> pd.DataFrame:
    from .evaluate import parameter_frame

    return parameter_frame(self)


_park_balance.__doc__ = "Solve one year's steady state; see :func:`mfa.balance`."
_park_graph.__doc__ = "The park's structure as a networkx ``DiGraph``."
_park_parameters.__doc__ = ("Every value that feeds a computation (central, low, high, unit, "
                            "source) and the array slot it feeds; see :mod:`mfa.evaluate`.")
setattr(Park, "balance", _park_balance)  # noqa: B010
setattr(Park, "graph", _park_graph)  # noqa: B010
setattr(Park, "parameters", _park_parameters)  # noqa: B010
