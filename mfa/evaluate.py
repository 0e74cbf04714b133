"""Many evaluations of one park and year through the array engine: the seam that plans,
attribution, Monte Carlo and sensitivity studies go through.

::

    ev = mfa.Evaluator(park, 2020)
    ev.parameters                       # the ParameterTable rows in force in 2020
    ev.evaluate(values)                 # [K, P] array, or a DataFrame of some parameter ids
    # → DataFrame: one row per sample, one column per indicator id, and `status`

Samples are solved in batches (no pandas per sample); a sample that breaks an invariant is
marked in ``status`` with the reason, its indicators are NaN, and the rest of the batch goes
on.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .engine.compiled import CompiledPark, compile_park
from .engine.greedy import solve
from .engine.parameters import parameter_slots
from .engine.solution import Params, Solution
from .indicators.fast import INDICATOR_IDS, fast_indicators
from .model.park import Park

# Samples per engine call, as K × flow records: arrays of this size stay in the CPU's cache
# (measured with benchmarks/bench_engine.py: 10,000 samples of the 50-enterprise park run at
# 6,400/s in one call and 26,000/s in calls of 256).
_CHUNK_VALUES = 200_000
_MIN_CHUNK = 64
_PARAM_SLOTS = tuple(f.name for f in dataclasses.fields(Params))  # what a sample may replace


def parameter_frame(park: Park) -> pd.DataFrame:
    """``park.parameters()``: the ParameterTable with the slot each row feeds."""
    compiled = compile_park(park)
    frame = park.parameter_table.to_frame()
    frame["slot"], frame["index"] = parameter_slots(compiled, park.parameter_table)
    frame.attrs["source"] = park.source_label  # the file, for messages about its rows
    return frame


class Evaluator:
    """Evaluate the official indicators of ``park`` in ``year`` for many parameter samples.

    Parameters
    ----------
    park
        The park (:func:`mfa.load_park`).
    year
        The year evaluated (default: the park's base year).
    """

    def __init__(self, park: Park, year: int | None = None) -> None:
        self.park = park
        self.year = park.meta.base_year if year is None else year
        self.compiled: CompiledPark = compile_park(park)
        self.levels = self.compiled.levels_for(self.year)  # raises for a year without levels
        table = parameter_frame(park)
        self.parameters: pd.DataFrame = table[self._in_force(table)].set_index("id")
        self._fast = fast_indicators(self.compiled)

    def _in_force(self, table: pd.DataFrame) -> np.ndarray:
        """Rows that apply in the year: the level entry in force, active links' values."""
        keep = np.ones(len(table), dtype=bool)
        levels = (table["field"] == "level").to_numpy()
        years = table["year"].fillna(np.iinfo(np.int64).min).to_numpy(dtype=np.int64)
        for element in table.loc[levels, "element"].unique():
            rows = np.flatnonzero(levels & (table["element"] == element).to_numpy())
            started = rows[years[rows] <= self.year]
            chosen = started[np.argmax(years[started])] if len(started) else -1
            keep[rows[rows != chosen]] = False
        active = self.compiled.links.active(self.year)
        link_rows = (table["kind"] == "link").to_numpy()
        position = {link_id: k for k, link_id in enumerate(self.compiled.links.ids)}
        for row in np.flatnonzero(link_rows):
            keep[row] = bool(active[position[table["element"].iloc[row]]])
        return keep

    def evaluate(self, values: np.ndarray | pd.DataFrame) -> pd.DataFrame:
        """Indicators for each sample of parameter values.

        Parameters
        ----------
        values
            ``[K, P]`` values in :attr:`parameters` order (canonical units, as in the table's
            ``central`` column), or a DataFrame whose columns are some parameter ids (the
            other parameters stay central); one row per sample.

        Returns
        -------
        DataFrame
            One row per sample (the DataFrame's index, or 0…K−1), one column per indicator
            id, and ``status``: ``"ok"`` or what the sample breaks (its indicators are NaN).
        """
        matrix, index = self._matrix(values)
        chunk = max(_MIN_CHUNK, _CHUNK_VALUES // max(1, len(self.compiled.records)))
        parts = [self._evaluate(matrix[start:start + chunk])
                 for start in range(0, len(matrix), chunk)]
        result = np.vstack([p[0] for p in parts]) if parts else np.zeros((0, len(INDICATOR_IDS)))
        status = [s for p in parts for s in p[1]]
        frame = pd.DataFrame(result, columns=INDICATOR_IDS, index=index)
        frame["status"] = status
        return frame

    def _matrix(self, values: np.ndarray | pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
        central = self.parameters["central"].to_numpy(dtype=float)
        if isinstance(values, pd.DataFrame):
            unknown = [c for c in values.columns if c not in self.parameters.index]
            if unknown:
                raise ValueError(f"not parameters of {self.park.meta.id} in {self.year}: "
                                 f"{unknown[:5]} (see Evaluator.parameters)")
            matrix = np.tile(central, (len(values), 1))
            columns = self.parameters.index.get_indexer(values.columns)
            matrix[:, columns] = values.to_numpy(dtype=float)
            return matrix, values.index
        matrix = np.atleast_2d(np.asarray(values, dtype=float))
        if matrix.shape[1] != len(central):
            raise ValueError(f"values have {matrix.shape[1]} columns; the evaluator has "
                             f"{len(central)} parameters (see Evaluator.parameters)")
        return matrix, pd.RangeIndex(len(matrix), name="sample")

    def _evaluate(self, matrix: np.ndarray) -> tuple[np.ndarray, list[str]]:
        params, levels, stock = self._params(matrix)
        solution = solve(self.compiled, self.year, levels=levels, stock=stock, params=params)
        base = self._base_rate(solution, params)
        values = self._fast.evaluate(solution, base_rate=base)
        values[solution.status != 0] = np.nan
        return values, _status(solution)

    def _params(self, matrix: np.ndarray) -> tuple[Params, np.ndarray, np.ndarray]:
        """Scatter the sample values into the engine's arrays (central elsewhere)."""
        compiled, size = self.compiled, len(matrix)
        central = {"rates": compiled.slot_rate, "bound": compiled.links.bound,
                   "cap": compiled.links.cap, "ratio": compiled.links.ratio,
                   "pile_capacity": compiled.pile_capacity, "value_added": compiled.value_added,
                   "recirculation": compiled.recirculation, "levels": self.levels,
                   "opening": compiled.pile_opening}
        slots = self.parameters["slot"].to_numpy()
        index = self.parameters["index"].to_numpy()
        arrays: dict[str, np.ndarray] = {}
        for name in ("levels", "opening", *_PARAM_SLOTS):
            columns = np.flatnonzero((slots == name) & (index >= 0))
            if len(columns) or name in ("levels", "opening"):
                arrays[name] = np.tile(central[name], (size, 1))
                arrays[name][:, index[columns]] = matrix[:, columns]
        params = Params(**{name: arrays.get(name) for name in _PARAM_SLOTS})
        return params, arrays["levels"], arrays["opening"]

    def _base_rate(self, solution: Solution, params: Params) -> np.ndarray:
        """Each sample's base-year resource output rate, with the same coefficients: the
        denominator of its 资源产出率指数."""
        if self.year == self.compiled.base_year:
            return self._fast.resource_output_rate(solution)
        base = solve(self.compiled, self.compiled.base_year,
                     levels=np.tile(self.compiled.levels_for(self.compiled.base_year),
                                    (solution.size, 1)), params=params)
        rate = self._fast.resource_output_rate(base)
        rate[base.status != 0] = np.nan
        return rate


def _status(solution: Solution) -> list[str]:
    reasons: list[list[str]] = [[] for _ in range(solution.size)]
    for found in solution.problems:
        reasons[found.sample].append(f"{found.problem.location}: {found.problem.message}")
    return ["; ".join(r) if r else "ok" for r in reasons]
