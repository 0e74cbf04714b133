"""Scenarios: a park with and without plans, compared year by year; each project's effect.

Everything goes through :class:`~.run.PlanRunner` (subsets of a plan's projects on the
engine's batch path).
"""
