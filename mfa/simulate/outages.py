"""Random outages of every enterprise in every run: alternating renewal processes (up times
exponential with mean MTBF, repairs exponential with mean MTTR, in days), advanced step by
step for all runs at once.

Each run starts in the process's stationary state (up with probability MTBF/(MTBF+MTTR), the
time to the next change exponential: the process is memoryless). :meth:`Outages.advance`
returns the share of each step every enterprise was up, exactly, however many failures and
repairs fall inside the step.
"""

from __future__ import annotations

import numpy as np

FEW = 16  # enterprises changing in a step up to which plain floats beat array operations


class Outages:
    """Up/down state of ``[K, n]`` enterprises; ``mtbf`` NaN or inf: never fails, 0: never
    runs."""

    def __init__(self, mtbf: np.ndarray, mttr: np.ndarray, rng: np.random.Generator,
                 expected: bool = False) -> None:
        mtbf = np.where(np.isnan(mtbf), np.inf, mtbf)
        self.mtbf, self.mttr, self.rng = mtbf, mttr, rng
        self.random = np.isfinite(mtbf) & (mtbf > 0)
        with np.errstate(invalid="ignore"):  # inf / inf where the enterprise never fails
            availability = np.where(self.random, mtbf / (mtbf + mttr), (mtbf > 0) * 1.0)
        self.expected = availability if expected else None
        draws = rng.random(mtbf.shape)
        self.up = np.where(self.random, draws < availability, mtbf > 0)
        mean = np.where(self.up, mtbf, mttr)
        self.next = np.where(self.random, rng.exponential(1.0, mtbf.shape) * mean, np.inf)
        self.any = bool(self.random.any())

    def advance(self, start: float, end: float) -> np.ndarray:
        """``[K, n]`` share of ``[start, end)`` each enterprise was up."""
        length = end - start
        if self.expected is not None:  # no draws: up the availability's share of every step
            return self.expected
        if not self.any or self.next.min() >= end:  # nothing changes in this step
            return self.up.astype(float)
        uptime = self.up * float(length)
        changing = np.flatnonzero(self.next < end)  # a few of the K × n: only they loop
        changes = self._few_changes if len(changing) <= FEW else self._changes
        uptime.flat[changing] = changes(changing, start, end)
        share: np.ndarray = uptime / length
        return share

    def _changes(self, which: np.ndarray, start: float, end: float) -> np.ndarray:
        """Up-time in [start, end) of the enterprises ``which`` (flat indices) that fail or
        come back in it; their state and next change are advanced to ``end``."""
        up, upcoming = self.up.flat[which], self.next.flat[which]
        mtbf, mttr = self.mtbf.flat[which], self.mttr.flat[which]
        uptime, now = np.zeros(len(which)), np.full(len(which), float(start))
        while True:
            until = np.minimum(upcoming, end)
            uptime += np.where(up, until - now, 0.0)
            changing = np.flatnonzero(upcoming < end)
            if not len(changing):
                break
            now = np.where(upcoming < end, upcoming, end)
            up[changing] = ~up[changing]
            mean = np.where(up[changing], mtbf[changing], mttr[changing])
            upcoming[changing] += self.rng.exponential(1.0, len(changing)) * mean
        self.up.flat[which], self.next.flat[which] = up, upcoming
        return uptime

    def _few_changes(self, which: np.ndarray, start: float, end: float) -> list[float]:
        """:meth:`_changes` on Python floats for a few enterprises (a run or a few: the
        usual step), with the same arithmetic and the same draws in the same order (round by
        round, in index order), so the result is the same to the last bit."""
        up, upcoming = self.up.flat[which].tolist(), self.next.flat[which].tolist()
        mtbf, mttr = self.mtbf.flat[which].tolist(), self.mttr.flat[which].tolist()
        uptime, now = [0.0] * len(which), [float(start)] * len(which)
        active = list(range(len(which)))
        while active:
            for j in active:
                if up[j]:
                    uptime[j] += min(upcoming[j], end) - now[j]
            active = [j for j in active if upcoming[j] < end]
            for j in active:  # one draw each, in index order: the array version's order
                now[j] = upcoming[j]
                up[j] = not up[j]
                upcoming[j] += self.rng.exponential(1.0) * (mtbf[j] if up[j] else mttr[j])
        self.up.flat[which], self.next.flat[which] = up, upcoming
        return uptime
