"""Small realistic frames for the figure tests (trajectory, stockpiles, sensitivity)."""

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS = list(range(2016, 2026))
UTILISATION = "solid_waste_utilisation_rate"
INDEX = "resource_output_rate_index"
TARGETS = {UTILISATION: {2020: 73.0, 2025: 80.0}, INDEX: {2020: 1.057, 2025: 1.1}}


def trajectory() -> pd.DataFrame:
    """Jinchang: utilisation 21 % (2016) → 47 % (2025) with the plan, 21 → 27 % without; the
    resource output rate index 1.00 → 1.12 / 1.03. P of each target from the bands."""
    rows = []
    for scenario, rise, index_rise in (("baseline", 6.0, 0.03), ("plan", 25.6, 0.12)):
        for k, year in enumerate(YEARS):
            share = k / (len(YEARS) - 1)
            for indicator, start, gain, unit, spread in (
                    (UTILISATION, 21.1, rise, "%", 1.0 + 9.0 * share),
                    (INDEX, 1.0, index_rise, "", 0.005 + 0.05 * share)):
                p50 = start + gain * share
                target = TARGETS[indicator].get(year, np.nan)
                probability = np.nan
                if not np.isnan(target):
                    probability = float(np.clip(0.5 + (p50 - target) / (2 * spread), 0, 1))
                rows.append((year, indicator, scenario, p50 - spread, p50, p50 + spread * 0.8,
                             target, probability, unit, p50, 200))
    return pd.DataFrame(rows, columns=["year", "indicator", "scenario", "p5", "p50", "p95",
                                       "target", "probability", "unit", "mean", "valid_runs"])


def stockpiles() -> pd.DataFrame:
    """Daily levels over 10 years of two stockpiles: a slag yard filling to its 600 kt capacity
    in winter (cement kilns stop) and drawn down in summer; an old tailings dam drawn down."""
    days = pd.date_range("2016-01-01", "2025-12-31", freq="D")
    t = np.arange(len(days)) / 365.25
    slag = np.minimum(600e3, 250e3 + 20e3 * t + 150e3 * np.cos(2 * np.pi * t))
    tailings = np.maximum(0.0, 2.0e6 - 150e3 * t)
    frames = []
    for stockpile, carrier, level, capacity, width in (
            ("slag_yard", "nickel_slag", slag, 600e3, 40e3),
            ("tailings_dam", "tailings", tailings, np.nan, 120e3)):
        spread = width * np.sqrt(t + 0.1)
        frames.append(pd.DataFrame({
            "period": days.strftime("%Y-%m-%d"), "year": days.year, "stockpile": stockpile,
            "carrier": carrier, "unit": "t", "central": level, "p5": level - spread,
            "p50": level, "p95": np.minimum(level + spread, capacity if capacity > 0 else np.inf),
            "capacity": capacity}))
    return pd.concat(frames, ignore_index=True)


def sensitivity() -> pd.DataFrame:
    """The 2025 utilisation rate: tornado (one at a time) and Sobol rows of four parameters."""
    params = [  # id, central, low, high, unit, output_low, output_high, S1, ST
        ("cement_kiln.rates.nickel_slag", 0.30, 0.22, 0.35, "t/t", 41.0, 50.5, 0.52, 0.58),
        ("slag_yard.capacity", 600e3, 450e3, 750e3, "t", 45.2, 48.0, 0.18, 0.22),
        ("smelter.availability", 0.92, 0.85, 0.97, "", 44.9, 47.9, 0.12, 0.15),
        ("projects.slag_brick.delay", 90.0, 0.0, 365.0, "d", 47.6, 45.8, 0.05, 0.07),
    ]
    rows = []
    order = sorted(params, key=lambda p: -abs(p[6] - p[5]))
    for rank, (pid, central, low, high, unit, out_low, out_high, _s1, _st) in enumerate(order, 1):
        rows.append((UTILISATION, 2025, pid, "tornado", rank, np.nan, np.nan, np.nan, np.nan,
                     out_low, out_high, abs(out_high - out_low), central, low, high, unit,
                     "[A] test"))
    for rank, (pid, central, low, high, unit, _l, _h, s1, st) in enumerate(
            sorted(params, key=lambda p: -p[8]), 1):
        rows.append((UTILISATION, 2025, pid, "sobol", rank, s1, 0.04, st, 0.05, np.nan,
                     np.nan, np.nan, central, low, high, unit, "[A] test"))
    return pd.DataFrame(rows, columns=[
        "indicator", "year", "parameter", "method", "rank", "S1", "S1_conf", "ST", "ST_conf",
        "output_low", "output_high", "swing", "central", "low", "high", "unit", "source"])
