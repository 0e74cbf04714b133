"""Simulation through the plan years (docs/simulation.md): SimPy schedules the events, the
array engine solves each step for all runs at once.

::

    result = mfa.simulate.simulate(park, plan, first=2016, last=2025, step="month", runs=200)
    result.trajectory, result.stockpiles, result.flows
"""

from .calendar import STEPS
from .study import SimulationResult, Study, sensitivity_study, simulate

__all__ = ["STEPS", "SimulationResult", "Study", "sensitivity_study", "simulate"]
