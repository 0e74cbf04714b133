"""Which uncertain parameters move an output: Sobol indices (SALib) and a one-at-a-time
tornado, both as the sensitivity frame::

    indicator, year, parameter, method, rank, S1, S1_conf, ST, ST_conf, output_low,
    output_high, swing, central, low, high, unit, source

A *model* is ``model(values) -> outputs``: ``values`` one row per sample, one column per
parameter id (canonical units); ``outputs`` the same rows, one column per output named
``<indicator>@<year>``; NaN marks a broken sample. :func:`evaluator_model` wraps an
:class:`mfa.Evaluator`.

- :func:`sobol`: Saltelli's scheme (``SALib.sample.sobol.sample``, ``calc_second_order=False``:
  n·(d + 2) model rows) on [0, 1]^d, mapped through each parameter's own distribution
  (:mod:`.distributions`); ``SALib.analyze.sobol.analyze`` gives S1, ST and their 95 %
  bootstrap half-widths. Rank 1 = the largest ST.
- :func:`tornado`: each parameter at its low and at its high value, the others central
  (2·d model rows); swing = |output(high) − output(low)|. Rank 1 = the largest swing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from ..errors import ParkFlowError
from ..model.indicator_defs import INDICATORS
from .distributions import parameter_ids, row_distributions, transform, uncertain_mask
from .sampling import child

Model = Callable[[pd.DataFrame], pd.DataFrame]
SENSITIVITY_COLUMNS = ["indicator", "year", "parameter", "method", "rank", "S1", "S1_conf",
                       "ST", "ST_conf", "output_low", "output_high", "swing", "central", "low",
                       "high", "unit", "source"]
_COPIED = ["central", "low", "high", "unit", "source"]


class _Evaluator(Protocol):
    year: int

    def evaluate(self, values: pd.DataFrame) -> pd.DataFrame: ...


def evaluator_model(evaluator: _Evaluator, indicators: Sequence[str] | None = None) -> Model:
    """A model of an :class:`mfa.Evaluator`: outputs ``<indicator>@<evaluator.year>`` for
    ``indicators`` (default: all)."""
    wanted = list(indicators) if indicators is not None else list(INDICATORS)

    def model(values: pd.DataFrame) -> pd.DataFrame:
        result = evaluator.evaluate(values)
        return pd.DataFrame({f"{i}@{evaluator.year}": result[i].to_numpy(dtype=float)
                             for i in wanted}, index=values.index)

    return model


def sobol(model: Model, parameters: pd.DataFrame, n: int, *,
          seed: int | np.random.SeedSequence, outputs: Sequence[str] | None = None,
          distributions: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Sobol first-order and total indices of every uncertain parameter for each output.

    ``n`` base samples (a power of two keeps the Sobol' balance; otherwise scipy warns) give
    n·(d + 2) model rows. The Saltelli design is drawn from child 0 of ``seed``, SALib's
    bootstrap from child 1. A base sample whose d + 2 rows include a NaN output is left out
    of that output's analysis (``frame.attrs["valid_base_samples"]``: output → base samples
    used); an output with fewer than 2 left has NaN indices, a constant output indices 0.

    Raises
    ------
    ParkFlowError
        For n < 2, no uncertain parameter, a bad distribution or an output name that is not
        ``<indicator>@<year>``.
    """
    from SALib.analyze import sobol as analyze  # SALib imports slowly: only when asked
    from SALib.sample import sobol as saltelli

    table = _uncertain(parameters, distributions)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise ParkFlowError.single("sobol", "n", f"needs at least 2 base samples, not {n!r}",
                                   "use n = 2^k, e.g. 256")
    ids = parameter_ids(table)
    d = len(ids)
    problem = {"num_vars": d, "names": ids, "bounds": [[0.0, 1.0]] * d}
    rng = np.random.default_rng(child(seed, 0))
    u = saltelli.sample(problem, int(n), calc_second_order=False, seed=rng)
    values = transform(table, u, _only(distributions, ids))
    result = _outputs(model(pd.DataFrame(values, columns=ids)), outputs)
    boot = int(child(seed, 1).generate_state(1)[0]) + 1  # SALib ignores a seed of 0
    parts, kept = [], {}
    for name in result.columns:
        groups = result[name].to_numpy(dtype=float).reshape(-1, d + 2)
        groups = groups[~np.isnan(groups).any(axis=1)]
        kept[str(name)] = len(groups)
        parts.append(_frame(table, name, "sobol", _indices(analyze, problem, groups, boot)))
    frame = _ranked(parts, "ST")
    frame.attrs["valid_base_samples"] = kept
    return frame


def tornado(model: Model, parameters: pd.DataFrame, *,
            outputs: Sequence[str] | None = None) -> pd.DataFrame:
    """One at a time: each uncertain parameter at its low and at its high value, the others
    central; swing = |output(high) − output(low)|.

    Raises
    ------
    ParkFlowError
        For no uncertain parameter or an output name that is not ``<indicator>@<year>``.
    """
    table = _uncertain(parameters, None)
    ids = parameter_ids(table)
    d = len(ids)
    central = table["central"].to_numpy(dtype=float)
    values = np.tile(central, (2 * d, 1))
    values[np.arange(d), np.arange(d)] = table["low"].to_numpy(dtype=float)
    values[d + np.arange(d), np.arange(d)] = table["high"].to_numpy(dtype=float)
    result = _outputs(model(pd.DataFrame(values, columns=ids)), outputs)
    parts = []
    for name in result.columns:
        y = result[name].to_numpy(dtype=float)
        low, high = y[:d], y[d:]
        parts.append(_frame(table, name, "tornado", {
            "output_low": low, "output_high": high, "swing": np.abs(high - low)}))
    return _ranked(parts, "swing")


def split_output(name: str) -> tuple[str, int]:
    """``"<indicator>@<year>"`` → (indicator, year)."""
    indicator, at, year = name.rpartition("@")
    if not at or not indicator or not year.strip().isdigit():
        raise ParkFlowError.single("model outputs", repr(name),
                                   "an output column must be named <indicator>@<year>",
                                   "name it e.g. solid_waste_utilisation_rate@2025")
    return indicator, int(year)


def _uncertain(parameters: pd.DataFrame, distributions: Mapping[str, str] | None
               ) -> pd.DataFrame:
    row_distributions(parameters, distributions)
    table = parameters[uncertain_mask(parameters)]
    if table.empty:
        raise ParkFlowError.single("sensitivity", "parameters", "no parameter has a range "
                                   "(low < high)", "give low and high to the values to study")
    return table


def _only(distributions: Mapping[str, str] | None, ids: list[str]) -> dict[str, str]:
    return {k: v for k, v in (distributions or {}).items() if k in set(ids)}


def _outputs(result: pd.DataFrame, outputs: Sequence[str] | None) -> pd.DataFrame:
    names = list(outputs) if outputs is not None else [
        str(c) for c in result.columns if "@" in str(c)]
    missing = [c for c in names if c not in result.columns]
    if missing:
        raise ParkFlowError.single("model outputs", repr(missing[0]), "the model does not "
                                   "return this output", f"use one of {list(result.columns)}")
    for name in names:
        split_output(name)
    return result[names]


def _indices(analyze: object, problem: dict[str, object], groups: np.ndarray, boot: int
             ) -> dict[str, np.ndarray]:
    """S1, ST and their confidence half-widths from the ``[N, d + 2]`` valid outputs."""
    d = groups.shape[1] - 2
    if len(groups) < 2:
        return {k: np.full(d, np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    if np.ptp(groups) == 0:
        return {k: np.zeros(d) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    found = analyze.analyze(problem, groups.ravel(),  # type: ignore[attr-defined]
                            calc_second_order=False, seed=boot)
    return {k: np.asarray(found[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}


def _frame(table: pd.DataFrame, output: str, method: str, columns: dict[str, np.ndarray]
           ) -> pd.DataFrame:
    indicator, year = split_output(output)
    frame = pd.DataFrame({"indicator": indicator, "year": year,
                          "parameter": parameter_ids(table), "method": method})
    for name in SENSITIVITY_COLUMNS[5:12]:
        frame[name] = columns.get(name, np.full(len(frame), np.nan))
    for name in _COPIED:
        frame[name] = table[name].to_numpy()
    return frame


def _ranked(parts: list[pd.DataFrame], by: str) -> pd.DataFrame:
    """Rank 1 = the largest ``by`` within each output (NaN last, ties in table order)."""
    ranked = []
    for part in parts:
        order = np.argsort(-part[by].fillna(-np.inf).to_numpy(), kind="stable")
        part = part.iloc[order].reset_index(drop=True)
        part.insert(4, "rank", np.arange(1, len(part) + 1, dtype=np.int64))
        ranked.append(part)
    frame = pd.concat(ranked, ignore_index=True) if ranked else pd.DataFrame(
        columns=SENSITIVITY_COLUMNS)
    frame["year"] = frame["year"].astype(np.int64)
    return frame[SENSITIVITY_COLUMNS]
