"""Monte Carlo and sensitivity studies of the ParameterTable's ranges (docs/uncertainty.md).

- :mod:`.distributions`: uniform draws → parameter values (triangular, uniform, PERT, normal);
- :mod:`.sampling`: :func:`sample` n runs by random, Latin hypercube or Sobol designs;
- :mod:`.summary`: :func:`trajectory`, per-year p5/p50/p95 and the probability of a target;
- :mod:`.sensitivity`: :func:`sobol` indices (SALib) and a one-at-a-time :func:`tornado`;
- :mod:`.runner`: the runs of a study in fixed seeded chunks, here, in processes or on Dask;
- :mod:`.parquet`: one Parquet file per study.
"""

from __future__ import annotations

from .distributions import DISTRIBUTIONS, row_distributions, transform, uncertain_mask
from .sampling import METHODS, child, design, sample, seed_sequence
from .sensitivity import (
    SENSITIVITY_COLUMNS,
    Model,
    evaluator_model,
    sobol,
    split_output,
    tornado,
)
from .summary import LONG_COLUMNS, TRAJECTORY_COLUMNS, indicator_units, meets, trajectory

__all__ = [
    "DISTRIBUTIONS",
    "LONG_COLUMNS",
    "METHODS",
    "SENSITIVITY_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "Model",
    "child",
    "design",
    "evaluator_model",
    "indicator_units",
    "meets",
    "row_distributions",
    "sample",
    "seed_sequence",
    "sobol",
    "split_output",
    "tornado",
    "trajectory",
    "transform",
    "uncertain_mask",
]
