"""Simulation through the plan years (docs/simulation.md): SimPy schedules the events, the
array engine solves each step for all runs at once."""
