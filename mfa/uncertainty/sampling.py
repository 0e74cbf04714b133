"""Samples of the uncertain parameters: one row per run, one column per parameter.

::

    values = sample(park.parameters(), 1000, method="lhs", seed=7)
    ev.evaluate(values)             # the other parameters stay central

``method`` picks the uniform design in [0, 1)^d, which :func:`~.distributions.transform`
turns into values:

- ``random``: ``numpy.random.default_rng(seed).random((n, d))``;
- ``lhs``: ``scipy.stats.qmc.LatinHypercube(d, seed=rng)`` (one point in each of the n strata
  of every parameter);
- ``sobol``: ``scipy.stats.qmc.Sobol(d, scramble=True, seed=rng)``, exactly ``n`` points. Its
  balance properties hold for n a power of two; for another n, scipy's ``UserWarning`` is
  passed on and the first n points are used (the run count is never changed).

``seed`` is an int or a ``numpy.random.SeedSequence``; it is read, never spawned from (the
same seed, or the same SeedSequence, gives the same frame every time).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ParkFlowError, one_of
from .distributions import parameter_ids, row_distributions, transform, uncertain_mask

METHODS = ("random", "lhs", "sobol")


def seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """A fresh SeedSequence for ``seed`` (an int ``s`` gives ``SeedSequence(s)``).

    A SeedSequence given is copied (entropy and spawn key, no children spawned), so that
    what reads it (scipy's qmc engines spawn from their Generator's SeedSequence) never
    changes the caller's object, and the same seed always gives the same draws.
    """
    if isinstance(seed, np.random.SeedSequence):
        return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key,
                                      pool_size=seed.pool_size)
    return np.random.SeedSequence(int(seed))


def child(seed: int | np.random.SeedSequence, k: int) -> np.random.SeedSequence:
    """The ``k``-th child of ``seed``, as ``seed.spawn(k + 1)[k]`` on a fresh SeedSequence
    gives it, without changing ``seed``."""
    parent = seed_sequence(seed)
    return np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, k),
                                  pool_size=parent.pool_size)


def design(n: int, d: int, *, method: str = "random",
           seed: int | np.random.SeedSequence = 0) -> np.ndarray:
    """``[n, d]`` uniform draws in [0, 1) by ``method`` (see the module docstring).

    Raises
    ------
    ParkFlowError
        For n < 1 or an unknown method.
    """
    _check(n, method)
    rng = np.random.default_rng(seed_sequence(seed))
    if d == 0:
        return np.zeros((n, 0))
    if method == "random":
        return rng.random((n, d))
    from scipy.stats import qmc  # slow to import (scipy.stats): only for the designs

    engine = (qmc.LatinHypercube(d, seed=rng) if method == "lhs"
              else qmc.Sobol(d, scramble=True, seed=rng))
    return np.asarray(engine.random(n), dtype=float)


def sample(parameters: pd.DataFrame, n: int, *, method: str = "random",
           seed: int | np.random.SeedSequence = 0,
           distributions: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``n`` samples of the uncertain parameters of a ParameterTable frame.

    Parameters
    ----------
    parameters
        ``park.parameters()`` or ``Evaluator.parameters`` (optionally with a
        ``distribution`` column).
    n
        Number of runs (≥ 1).
    method
        ``random``, ``lhs`` or ``sobol``.
    seed
        An int or a SeedSequence.
    distributions
        Parameter id → distribution name, overriding the table's.

    Returns
    -------
    DataFrame
        Index ``run`` 0…n−1; one column per uncertain parameter id, in table order, in
        canonical units.

    Raises
    ------
    ParkFlowError
        For n < 1, an unknown method, or a row :func:`~.distributions.transform` refuses.
    """
    _check(n, method)
    row_distributions(parameters, distributions)  # checks every row, certain ones too
    uncertain = uncertain_mask(parameters)
    table = parameters[uncertain]
    ids = parameter_ids(table)
    chosen = {k: v for k, v in (distributions or {}).items() if k in set(ids)}
    values = transform(table, design(n, len(ids), method=method, seed=seed), chosen)
    return pd.DataFrame(values, columns=ids, index=pd.RangeIndex(n, name="run"))


def _check(n: int, method: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ParkFlowError.single("sample", "n", f"the number of runs must be an integer "
                                   f"≥ 1, not {n!r}", "ask for 1 run or more")
    if method not in METHODS:
        raise ParkFlowError.single("sample", "method", f"unknown sampling method '{method}'",
                                   one_of(method, METHODS))
