"""The engine: a compiled park plus parameters and a state in, flow arrays out.

``solve(compile_park(park), period, levels, stock, params) -> Solution``; no pandas, no Park.
"""

from .compiled import CompiledPark, compile_park
from .greedy import solve
from .solution import Params, SampleProblem, Solution, Status

__all__ = ["CompiledPark", "Params", "SampleProblem", "Solution", "Status", "compile_park",
           "solve"]
