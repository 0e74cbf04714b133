"""Parameter values from uniform draws: the inverse CDF of each row's distribution.

A ParameterTable row (``park.parameters()``, ``Evaluator.parameters``) is *uncertain* when
``low`` and ``high`` are both given and ``low < high``; its value for a draw ``u`` in [0, 1) is
the inverse CDF of its distribution on (``low``, ``central``, ``high``):

=============  =================================================================================
``triangular``  (default) mode = central. With c = (m − a)/(b − a):
                x = a + √(u (b − a)(m − a)) for u < c, else x = b − √((1 − u)(b − a)(b − m))
``uniform``     x = a + u (b − a) (central is not used)
``pert``        Beta-PERT, λ = 4: x = a + (b − a)·B⁻¹(u; α, β), α = 1 + 4(m − a)/(b − a),
                β = 1 + 4(b − m)/(b − a); mean (a + 4m + b)/6
``normal``      mean = central; low and high are read as the 5th and 95th percentiles, so
                sd = (b − a)/(2·1.6449) (z₀.₉₅ = 1.6448536…); unbounded. low and high must be
                symmetric about central (within 1 % of the range)
=============  =================================================================================

Every other row is *certain* and gets exactly its central value (bit for bit). The bounded
distributions never leave [low, high]. A ``distribution`` column (optional; empty = triangular)
chooses per row; a ``distributions`` mapping (parameter id → name) overrides it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import special

from ..errors import ParkFlowError, Problem, one_of

DISTRIBUTIONS = ("triangular", "uniform", "pert", "normal")
DEFAULT = "triangular"
PERT_LAMBDA = 4.0
Z95 = 1.6448536269514722  # standard normal 95th percentile, scipy.stats.norm.ppf(0.95)
NORMAL_SYMMETRY = 0.01  # |(high − central) − (central − low)| allowed, as a share of high − low
_OPEN = 2.0**-53  # normal draws are kept in (0, 1): u = 0 would give −∞


def source_of(parameters: pd.DataFrame) -> str:
    """The file a ParameterTable frame came from (``attrs["source"]``), for error messages."""
    return str(parameters.attrs.get("source", "ParameterTable"))


def parameter_ids(parameters: pd.DataFrame) -> list[str]:
    """Row ids: the ``id`` column of ``park.parameters()`` or the index of
    ``Evaluator.parameters``."""
    ids = parameters["id"] if "id" in parameters.columns else parameters.index
    return [str(i) for i in ids]


def uncertain_mask(parameters: pd.DataFrame) -> np.ndarray:
    """``[P]`` bool: low and high both given and low < high."""
    low = parameters["low"].to_numpy(dtype=float)
    high = parameters["high"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.isfinite(low) & np.isfinite(high) & (low < high))


def row_distributions(parameters: pd.DataFrame,
                      distributions: Mapping[str, str] | None = None) -> list[str]:
    """The distribution of every row (checked), from ``distributions``, the ``distribution``
    column or the default.

    Raises
    ------
    ParkFlowError
        For an unknown distribution or parameter id, low > central or central > high, or a
        normal row whose low and high are not symmetric about central; each problem names
        the parameter id, its location and the fix.
    """
    ids = parameter_ids(parameters)
    names = _chosen(parameters, ids, distributions)
    problems = _unknown_ids(ids, distributions)
    locations = _column(parameters, "location", "")
    central = parameters["central"].to_numpy(dtype=float)
    low = parameters["low"].to_numpy(dtype=float)
    high = parameters["high"].to_numpy(dtype=float)
    for row, name in enumerate(names):
        where = f"{locations[row] or ids[row]} (parameter {ids[row]})"
        if name not in DISTRIBUTIONS:
            problems.append(Problem(where, f"unknown distribution '{name}'", one_of(
                name, DISTRIBUTIONS)))
            continue
        if np.isnan(low[row]) or np.isnan(high[row]):
            continue
        problems += _range_problems(where, name, low[row], central[row], high[row])
    if problems:
        raise ParkFlowError(source_of(parameters), problems)
    return names


def transform(parameters: pd.DataFrame, u: np.ndarray,
              distributions: Mapping[str, str] | None = None) -> np.ndarray:
    """Parameter values ``[K, P]`` for uniform draws ``u`` ``[K, P]`` in [0, 1), one column
    per row of ``parameters`` (canonical units); certain rows are exactly central.

    Raises
    ------
    ParkFlowError
        As :func:`row_distributions`.
    """
    names = np.array(row_distributions(parameters, distributions), dtype=object)
    u = np.atleast_2d(np.asarray(u, dtype=float))
    central = parameters["central"].to_numpy(dtype=float)
    if u.shape[1] != len(central):
        raise ValueError(f"u has {u.shape[1]} columns for {len(central)} parameters")
    values = np.tile(central, (len(u), 1))
    uncertain = uncertain_mask(parameters)
    low = parameters["low"].to_numpy(dtype=float)
    high = parameters["high"].to_numpy(dtype=float)
    for name in DISTRIBUTIONS:
        cols = np.flatnonzero(uncertain & (names == name))
        if len(cols):
            values[:, cols] = _INVERSE[name](u[:, cols], low[cols], central[cols], high[cols])
    return values


def triangular(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray
               ) -> np.ndarray:
    """Inverse CDF of the triangular distribution (low < high, low ≤ mode ≤ high)."""
    width = high - low
    c = (mode - low) / width
    left = low + np.sqrt(np.clip(u, 0.0, None) * width * (mode - low))
    right = high - np.sqrt(np.clip(1.0 - u, 0.0, None) * width * (high - mode))
    return np.asarray(np.clip(np.where(u < c, left, right), low, high))


def uniform(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of the uniform distribution on [low, high] (``mode`` is not used)."""
    return np.asarray(np.clip(low + u * (high - low), low, high))


def pert(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of the Beta-PERT distribution (λ = 4) on (low, mode, high)."""
    width = high - low
    alpha = 1.0 + PERT_LAMBDA * (mode - low) / width
    beta = 1.0 + PERT_LAMBDA * (high - mode) / width
    x = low + width * special.betaincinv(alpha, beta, u)
    return np.asarray(np.clip(x, low, high))


def normal(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of the normal distribution with mean ``mode`` and low/high as its 5th and
    95th percentiles: sd = (high − low) / (2 · 1.6449)."""
    sd = (high - low) / (2.0 * Z95)
    return np.asarray(mode + sd * special.ndtri(np.clip(u, _OPEN, 1.0 - _OPEN)))


_INVERSE = {"triangular": triangular, "uniform": uniform, "pert": pert, "normal": normal}


def _column(parameters: pd.DataFrame, name: str, default: str) -> list[str]:
    if name not in parameters.columns:
        return [default] * len(parameters)
    return [default if pd.isna(v) or str(v).strip() == "" else str(v).strip()
            for v in parameters[name]]


def _chosen(parameters: pd.DataFrame, ids: list[str],
            distributions: Mapping[str, str] | None) -> list[str]:
    """Each row's distribution name (lower case): the mapping's, the column's or the default."""
    names = _column(parameters, "distribution", DEFAULT)
    chosen = dict(distributions or {})
    return [chosen.get(i, name).strip().lower() for i, name in zip(ids, names, strict=True)]


def _unknown_ids(ids: list[str], distributions: Mapping[str, str] | None) -> list[Problem]:
    known = set(ids)
    return [Problem(f"distributions[{key!r}]", f"'{key}' is not a parameter of the table",
                    one_of(key, known)) for key in (distributions or {}) if key not in known]


def _range_problems(where: str, name: str, low: float, central: float, high: float
                    ) -> list[Problem]:
    if low > central or central > high:
        return [Problem(where, f"the range is not ordered: low {low:g}, central {central:g}, "
                        f"high {high:g}", "give low ≤ value ≤ high")]
    if name == "normal" and high > low:
        skew = abs((high - central) - (central - low))
        if skew > NORMAL_SYMMETRY * (high - low):
            return [Problem(where, f"a normal distribution needs low and high symmetric "
                            f"about central, but low {low:g}, central {central:g}, high "
                            f"{high:g} are not (they are its 5th/95th percentiles)",
                            "use triangular or pert for a skewed range, or make low and high "
                            "symmetric about the value")]
    return []
