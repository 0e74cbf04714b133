"""ParkFlow engine: circular-economy material-flow balances and indicators for industrial parks.

Quick use::

    import mfa
    park = mfa.load_park("jinchang")
    result = park.balance(2016)
    result.indicators()
"""

from .catalogue import Carrier, CarrierClass, Catalogue, load_catalogue
from .errors import ParkFlowError
from .loader import load_park, park_from_dict
from .model import Park
from .results import BalanceResult

__all__ = [
    "BalanceResult",
    "Carrier",
    "CarrierClass",
    "Catalogue",
    "Park",
    "ParkFlowError",
    "load_catalogue",
    "load_park",
    "park_from_dict",
]
__version__ = "0.1.0"
