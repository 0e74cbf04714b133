"""mfa.uncertainty: distributions, sampling designs, the trajectory frame and sensitivity, on
hand-calculable cases (docs/uncertainty.md)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mfa
from mfa.errors import ParkFlowError
from mfa.model.park import Target
from mfa.uncertainty import (
    SENSITIVITY_COLUMNS,
    TRAJECTORY_COLUMNS,
    design,
    evaluator_model,
    sample,
    sobol,
    tornado,
    trajectory,
    transform,
)
from mfa.uncertainty.distributions import Z95, normal, pert, triangular, uniform


def table(rows: list[tuple[str, float, float, float]], dist: list[str] | None = None
          ) -> pd.DataFrame:
    """A ParameterTable frame of (id, low, central, high) rows."""
    frame = pd.DataFrame(rows, columns=["id", "low", "central", "high"])
    frame["location"] = [f"enterprises[{k}] ({i}).rates.x" for k, i in enumerate(frame["id"])]
    frame["unit"], frame["source"] = "t/t", [f"[A] source of {i}" for i in frame["id"]]
    if dist is not None:
        frame["distribution"] = dist
    frame.attrs["source"] = "parks/test.yaml"
    return frame


def one(value: float) -> np.ndarray:
    return np.array([value])


# distributions ---------------------------------------------------------------------------

def test_triangular_inverse_cdf_closed_form() -> None:
    low, mode, high = one(0.0), one(1.0), one(2.0)
    assert triangular(one(0.5), low, mode, high)[0] == 1.0
    assert triangular(one(0.125), low, mode, high)[0] == 0.5  # 0 + √(0.125·2·1)
    assert triangular(one(0.0), low, mode, high)[0] == 0.0
    assert triangular(one(0.875), low, mode, high)[0] == 1.5  # 2 − √(0.125·2·1)


def test_uniform_and_symmetric_pert_closed_form() -> None:
    assert uniform(one(0.25), one(2.0), one(5.0), one(6.0))[0] == 3.0
    # PERT on (0, 1, 2): Beta(3, 3), median 1
    assert pert(one(0.5), one(0.0), one(1.0), one(2.0))[0] == pytest.approx(1.0, abs=1e-12)


def test_pert_mean_is_a_plus_4m_plus_b_over_6() -> None:
    u = np.random.default_rng(np.random.SeedSequence(11)).random(200_000)
    x = pert(u, np.full_like(u, 0.0), np.full_like(u, 1.0), np.full_like(u, 5.0))
    mean = (0 + 4 * 1 + 5) / 6  # 1.5; PERT sd = √((μ − a)(b − μ)/7) = √0.75
    assert abs(x.mean() - mean) < 4 * math.sqrt(0.75 / len(u))


def test_normal_reads_low_high_as_p5_p95() -> None:
    u = np.array([0.05, 0.5, 0.95])
    x = normal(u, np.full(3, 8.0), np.full(3, 10.0), np.full(3, 12.0))
    assert x == pytest.approx([8.0, 10.0, 12.0], abs=1e-9)
    from scipy.stats import norm

    assert norm.ppf(0.95) == pytest.approx(Z95, rel=1e-15)


def test_certain_rows_are_central_bit_for_bit() -> None:
    value = 0.1 + 0.2  # 0.30000000000000004
    frame = table([("a", value, value, value), ("b", math.nan, value, math.nan),
                   ("c", 0.0, 1.0, 2.0)], dist=["normal", "pert", ""])
    values = transform(frame, np.random.default_rng(0).random((50, 3)))
    assert (values[:, :2] == value).all()
    assert values[:, 2].min() >= 0.0 and values[:, 2].max() <= 2.0


def test_distribution_column_chooses_per_row() -> None:
    frame = table([("a", 0.0, 1.0, 2.0), ("b", 0.0, 1.0, 2.0)], dist=["uniform", "triangular"])
    values = transform(frame, np.array([[0.125, 0.125]]))
    assert values.tolist() == [[0.25, 0.5]]
    overridden = transform(frame, np.array([[0.125, 0.125]]), {"b": "Uniform"})
    assert overridden.tolist() == [[0.25, 0.25]]


@pytest.mark.parametrize(("rows", "dist", "words"), [
    ([("a.rates.coal", 0.0, 1.0, 2.0)], ["lognormal"], ["unknown distribution 'lognormal'",
                                                     "use one of"]),
    ([("a.rates.coal", 1.5, 1.0, 2.0)], None, ["not ordered", "low ≤ value ≤ high"]),
    ([("a.rates.coal", 0.0, 3.0, 2.0)], None, ["not ordered"]),
    ([("a.rates.coal", 0.0, 0.5, 2.0)], ["normal"], ["symmetric", "use triangular or pert"]),
])
def test_bad_distributions_name_the_parameter_location_and_fix(
        rows: list[tuple[str, float, float, float]], dist: list[str] | None,
        words: list[str]) -> None:
    with pytest.raises(ParkFlowError) as error:
        transform(table(rows, dist), np.full((1, 1), 0.5))
    text = str(error.value)
    for word in ["parks/test.yaml", "enterprises[0] (a.rates.coal).rates.x",
                 "parameter a.rates.coal", *words]:
        assert word in text


def test_distributions_for_unknown_ids_are_refused() -> None:
    with pytest.raises(ParkFlowError, match=r"'a\.rate' is not a parameter"):
        sample(table([("a.rates", 0.0, 1.0, 2.0)]), 3, distributions={"a.rate": "uniform"})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(0, 1e3), st.floats(0, 1),
                          st.sampled_from(["triangular", "uniform", "pert"]), st.booleans()),
                min_size=1, max_size=6),
       st.integers(0, 2**32 - 1), st.sampled_from(["random", "lhs", "sobol"]))
def test_bounded_samples_stay_in_range_and_certain_rows_central(
        rows: list[tuple[float, float, float, str, bool]], seed: int, method: str) -> None:
    spec = [(f"p{k}", low, low + width * share, low + width) if not certain
            else (f"p{k}", low, low, low) for k, (low, width, share, _, certain)
            in enumerate(rows)]
    frame = table(spec, dist=[r[3] for r in rows])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Sobol with n not a power of two
        values = transform(frame, design(7, len(frame), method=method, seed=seed))
    low, high = frame["low"].to_numpy(), frame["high"].to_numpy()
    assert ((values >= low) & (values <= high)).all()
    certain = (low >= high)
    assert (values[:, certain] == frame["central"].to_numpy()[certain]).all()


# sampling --------------------------------------------------------------------------------

FRAME = table([("a", 0.0, 1.0, 2.0), ("fixed", 3.0, 3.0, 3.0), ("b", -2.0, -1.0, 0.0)])


@pytest.mark.parametrize("method", ["random", "lhs", "sobol"])
def test_same_seed_same_frame(method: str) -> None:
    seed = np.random.SeedSequence(5)
    first = sample(FRAME, 16, method=method, seed=seed)
    assert first.index.name == "run" and first.index.tolist() == list(range(16))
    assert first.columns.tolist() == ["a", "b"]  # uncertain ids, table order
    pd.testing.assert_frame_equal(first, sample(FRAME, 16, method=method, seed=seed))
    pd.testing.assert_frame_equal(first, sample(FRAME, 16, method=method, seed=5))
    assert not first.equals(sample(FRAME, 16, method=method, seed=6))


def test_random_design_is_default_rng_of_the_seed_sequence() -> None:
    expected = np.random.default_rng(np.random.SeedSequence(9)).random((5, 3))
    assert (design(5, 3, method="random", seed=9) == expected).all()


def test_latin_hypercube_has_one_point_per_stratum() -> None:
    u = design(10, 4, method="lhs", seed=2)
    for column in u.T:
        assert sorted(np.floor(column * 10).astype(int)) == list(range(10))


def test_sobol_with_n_not_a_power_of_two_warns_and_keeps_n() -> None:
    with pytest.warns(UserWarning, match="power of 2"):
        assert len(sample(FRAME, 10, method="sobol")) == 10


@pytest.mark.parametrize(("n", "method", "message"), [
    (0, "random", "≥ 1"), (-3, "lhs", "≥ 1"), (5, "halton", "unknown sampling method")])
def test_bad_sample_requests(n: int, method: str, message: str) -> None:
    with pytest.raises(ParkFlowError, match=message):
        sample(FRAME, n, method=method)


def test_zero_width_ranges_reproduce_the_deterministic_run() -> None:
    ev = mfa.Evaluator(mfa.load_park("jinchang"), 2016)
    certain = ev.parameters.assign(low=ev.parameters["central"],
                                   high=ev.parameters["central"])
    values = sample(certain, 3, method="lhs", seed=1)
    assert values.shape == (3, 0)
    result = ev.evaluate(values)
    central = ev.evaluate(ev.parameters["central"].to_numpy()[None, :])
    for run in range(3):
        pd.testing.assert_series_equal(result.iloc[run], central.iloc[0], check_names=False)


# trajectory ------------------------------------------------------------------------------

def long_frame(values: list[float], indicator: str = "solid_waste_utilisation_rate",
               year: int = 2020, scenario: str = "plan") -> pd.DataFrame:
    return pd.DataFrame({"scenario": scenario, "run": range(len(values)), "year": year,
                         "indicator": indicator, "value": values,
                         "status": ["ok" if not math.isnan(v) else "broken" for v in values]})


TARGETS = [Target("solid_waste_utilisation_rate", 2020, 73.0),
           Target("wastewater_discharged", 2020, 2.0)]


def test_probability_of_meeting_a_target() -> None:
    result = trajectory(long_frame([70, 72, 74, 80]), TARGETS, "CNY")
    assert result.columns.tolist() == TRAJECTORY_COLUMNS
    row = result.iloc[0]
    assert row["probability"] == 0.5 and row["target"] == 73.0
    assert row["p50"] == 73.0 and row["mean"] == 74.0 and row["valid_runs"] == 4
    assert row["p5"] == np.percentile([70, 72, 74, 80], 5)  # 70.3
    assert row["p95"] == pytest.approx(80 - 0.15 * 6)  # linear between 74 and 80
    assert row["unit"] == "%"


def test_lower_is_better_counts_values_at_or_below_the_target() -> None:
    row = trajectory(long_frame([1, 2, 3, 4], "wastewater_discharged"), TARGETS, "CNY").iloc[0]
    assert row["probability"] == 0.5


def test_one_run_and_broken_runs() -> None:
    row = trajectory(long_frame([71.5]), TARGETS, "CNY").iloc[0]
    assert row["p5"] == row["p50"] == row["p95"] == row["mean"] == 71.5
    assert row["probability"] == 0.0
    row = trajectory(long_frame([74.0, math.nan, 72.0]), TARGETS, "CNY").iloc[0]
    assert row["valid_runs"] == 2 and row["probability"] == 0.5
    row = trajectory(long_frame([math.nan]), TARGETS, "CNY").iloc[0]
    assert row["valid_runs"] == 0 and math.isnan(row["p50"]) and math.isnan(row["probability"])


def test_rows_are_ordered_and_targets_only_in_their_year() -> None:
    long = pd.concat([long_frame([1.0], year=2025, scenario="base"),
                      long_frame([2.0], year=2020, scenario="plan"),
                      long_frame([3.0], year=2020, scenario="base"),
                      long_frame([4.0], "resource_output_rate", 2020, "plan")])
    result = trajectory(long, TARGETS, {"solid_waste_utilisation_rate": "%"},
                        scenario_order=["plan", "base"])
    assert result[["year", "indicator", "scenario"]].values.tolist() == [
        [2020, "resource_output_rate", "plan"], [2020, "solid_waste_utilisation_rate", "plan"],
        [2020, "solid_waste_utilisation_rate", "base"],
        [2025, "solid_waste_utilisation_rate", "base"]]
    assert math.isnan(result["target"].iloc[3]) and math.isnan(result["probability"].iloc[3])
    assert result["unit"].tolist() == ["", "%", "%", "%"]
    assert result["year"].dtype == np.int64 and result["valid_runs"].dtype == np.int64


@pytest.mark.parametrize(("long", "order", "message"), [
    (long_frame([1.0], "utilisation"), None, "unknown indicator 'utilisation'"),
    (long_frame([1.0]).drop(columns="status"), None, "missing"),
    (long_frame([1.0]), ["base"], "scenario 'plan' is not in scenario_order"),
])
def test_bad_long_frames(long: pd.DataFrame, order: list[str] | None, message: str) -> None:
    with pytest.raises(ParkFlowError, match=message):
        trajectory(long, TARGETS, "CNY", scenario_order=order)


# sensitivity -----------------------------------------------------------------------------

AB = table([("a", 0.0, 0.5, 1.0), ("b", 0.0, 0.5, 1.0)], dist=["uniform", "uniform"])


def linear(values: pd.DataFrame) -> pd.DataFrame:
    """y = 2·a + 0·b."""
    return pd.DataFrame({"value_added@2025": 2 * values["a"] + 0 * values["b"]})


def test_sobol_of_a_linear_model() -> None:
    result = sobol(linear, AB, 512, seed=3)
    assert result.columns.tolist() == SENSITIVITY_COLUMNS
    a, b = (result.set_index("parameter").loc[p] for p in ("a", "b"))
    assert abs(a["S1"] - 1) <= a["S1_conf"] and abs(a["ST"] - 1) <= a["ST_conf"]
    assert b["ST"] == 0.0 and b["S1"] == 0.0  # b never changes the output
    assert (a["rank"], b["rank"]) == (1, 2)
    assert (a["indicator"], a["year"], a["method"]) == ("value_added", 2025, "sobol")
    assert math.isnan(a["swing"]) and a["source"] == "[A] source of a"
    pd.testing.assert_frame_equal(result, sobol(linear, AB, 512, seed=3))


def test_sobol_leaves_out_broken_samples() -> None:
    def broken(values: pd.DataFrame) -> pd.DataFrame:
        y = linear(values)
        y[values["b"] > 0.8] = np.nan
        return y

    result = sobol(broken, AB, 512, seed=3)
    a = result.set_index("parameter").loc["a"]
    assert abs(a["S1"] - 1) <= a["S1_conf"]
    assert 0 < result.attrs["valid_base_samples"]["value_added@2025"] < 512


def test_tornado_of_a_linear_model() -> None:
    result = tornado(linear, AB)
    assert result.columns.tolist() == SENSITIVITY_COLUMNS
    assert result["parameter"].tolist() == ["a", "b"] and result["rank"].tolist() == [1, 2]
    assert result["swing"].tolist() == [2.0, 0.0]
    assert result[["output_low", "output_high"]].values.tolist() == [[0.0, 2.0], [1.0, 1.0]]
    assert result["S1"].isna().all() and (result["method"] == "tornado").all()


def test_bad_output_names_are_refused() -> None:
    with pytest.raises(ParkFlowError, match="<indicator>@<year>"):
        tornado(lambda v: pd.DataFrame({"y@later": v["a"]}), AB)


def test_tornado_of_a_real_park() -> None:
    ev = mfa.Evaluator(mfa.load_park("jinchang"), 2016)
    model = evaluator_model(ev, ["solid_waste_utilisation_rate"])
    result = tornado(model, ev.parameters)
    top = result.iloc[0]
    assert top["rank"] == 1 and top["swing"] > 0 and top["swing"] == result["swing"].max()
    assert top["source"].strip() != ""
    assert (top["indicator"], top["year"]) == ("solid_waste_utilisation_rate", 2016)
    assert top["central"] == ev.parameters.loc[top["parameter"], "central"]


def test_errors_on_a_real_park_name_its_file_and_place() -> None:
    parameters = mfa.load_park("jinchang").parameters()
    row = parameters.set_index("id").loc["jinchuan_mine.value_added"]  # 130 / 190 / 250
    assert (row["low"], row["central"], row["high"]) == (130.0, 190.0, 250.0)
    skewed = "jinchuan_mine.rates.fresh_water"  # −0.5 / −0.3 / −0.2
    with pytest.raises(ParkFlowError) as error:
        sample(parameters, 2, distributions={skewed: "normal"})
    text = str(error.value)
    assert "jinchang.yaml" in text and "enterprises[0] (jinchuan_mine).rates" in text
    assert skewed in text
    symmetric = sample(parameters, 2, distributions={"jinchuan_mine.value_added": "normal"})
    assert symmetric.shape == (2, int((parameters["low"] < parameters["high"]).sum()))


def test_docs_describe_every_distribution_and_method() -> None:
    from pathlib import Path

    from mfa.uncertainty import DISTRIBUTIONS, METHODS

    root = Path(__file__).resolve().parent.parent
    text = (root / "docs" / "uncertainty.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in text for name in (*DISTRIBUTIONS, *METHODS))
    assert all(column in text for column in (*TRAJECTORY_COLUMNS, *SENSITIVITY_COLUMNS))
    assert "docs/uncertainty.md" in (root / "README.md").read_text(encoding="utf-8")


def test_benchmark_runs_in_quick_mode() -> None:
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_uncertainty.py"
    run = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True,
                         text=True, encoding="utf-8", timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    for figure in ("sample    lhs", "trajectory:", "tornado:", "sobol: n = 16",
                   "base samples with every row valid", "top 5 by ST"):
        assert figure in run.stdout, figure
