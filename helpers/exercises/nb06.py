"""Checkers for the exercises of notebook 06, forecasting CO2 at Mauna Loa.

Exercise 1 writes seasonal naive by hand; exercise 2 asks why seasonal naive did worse on the test years
(:data:`WHY_SEASONAL`); exercise 3 predicts, then measures, what refitting on 1958-1995 does to the
forecasts' lag behind the truth (:data:`REFIT`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import torch

from helpers.baselines import seasonal_naive
from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    PredictThenRun,
    Question,
    as_number,
    as_pair,
    as_values,
    check_choice,
    check_prediction,
    check_run,
    close,
    require_shape,
    run_check,
    tolerance_for,
)
from helpers.forecast import forecast

SEASONAL_CASES = ((12, 12), (5, 12), (24, 12), (10, 4))
"""The (horizon, period) at which seasonal_naive_forecast is checked."""

SEASONAL_RTOL, SEASONAL_ATOL = 1e-5, 1e-6
"""Tolerance of exercise 1: the forecast copies values, so only float32 rounding is allowed."""





def seasonal_inputs() -> torch.Tensor:
    """Exercise 1's past, (batch=3, time=30, features=1), float64."""
    gen = torch.Generator().manual_seed(6)
    return torch.randn(3, 30, 1, generator=gen, dtype=torch.float64)


def check_seasonal_naive(student: Callable[[torch.Tensor, int, int], torch.Tensor]) -> None:
    """Exercise 1: ``student(past, horizon, period)`` forecasts x̂_{n+k} = x_{n+k-m}, repeating the last season.

    past: (batch, time, features) -> (batch, horizon, features); horizon may exceed the period.
    Compared at rtol 1e-5, atol 1e-6 (any dtype, device or array type).
    """

    def check(grading: Grading) -> None:
        past = seasonal_inputs()
        for horizon, period in SEASONAL_CASES:
            case = f"horizon={horizon}, period={period}"
            answer = grading.call(student, past, horizon, period)
            got = as_values(answer, f"the forecast for {case}")
            want = forecast(seasonal_naive(period, dtype=torch.float64), past, horizon)

            rtol, atol = tolerance_for(answer, SEASONAL_RTOL, SEASONAL_ATOL)

            near = partial(close, rtol=rtol, atol=atol)

            repeat = (
                f"{case}: the first season is right; then repeat it (x̂_(n+k) = x̂_(n+k-m)) until the horizon is filled"
            )
            if horizon > period and got.shape[1:2] == (period,) and near(got, want[:, :period]):
                raise ExerciseError(repeat)
            require_shape(answer, got, tuple(want.shape), f"{case}: the forecast", "(batch, horizon, features)")
            if near(got, want):
                continue
            if near(got, past[:, -1:].expand_as(want)):
                raise ExerciseError("that is persistence (x̂_(n+k) = x_n): look back one whole period instead")
            if horizon <= period and near(got, past[:, -period - 1 : -period - 1 + horizon]):
                raise ExerciseError(
                    "off by one step: x̂_(n+1) = x_(n+1-m), the m-th value from the end, so the forecast "
                    "starts one step later than yours"
                )
            if horizon > period and near(got[:, :period], want[:, :period]):
                raise ExerciseError(repeat)
            raise ExerciseError(
                f"{case}: the forecast differs from seasonal naive. Hint: x̂_(n+k) = x_(n+k-m), each forecast "
                "copies the value one period earlier, and beyond one period the last season repeats"
            )

    run_check("Exercise 1 (seasonal naive)", check)


WHY_SEASONAL = Question(
    title="Exercise 2 (why seasonal naive did worse on the test years)",
    prompt=(
        "Seasonal naive's test MASE is above 1: on 1996-2001 it missed by more than on its own training "
        "years. Why?"
    ),
    choices=(
        Choice(
            "The test span is shorter, so its errors are noisier.",
            "A shorter span makes an average noisier in both directions, not larger at every horizon; "
            "look at how fast CO2 grew in each span.",
        ),
        Choice(
            "CO2 rose faster in the test years, so last year's value lagged further behind.",
            "Seasonal naive's error is about one year of growth: about 1.1 ppm a year in the training "
            "years, about 1.7 in the test years, and q was measured on the training years.",
        ),
        Choice(
            "q was measured on the training span instead of the test span.",
            "That is what MASE prescribes: a fixed scale, fitted on the past only. It sets the unit; the "
            "test MAE itself is larger than on the training years.",
        ),
        Choice(
            "Its 25-month windows do not hold a whole year of context.",
            "25 months hold two whole years; seasonal naive reads only the last 12 of them.",
        ),
    ),
    answer="b",
)


def check_why_seasonal(answer: str) -> None:
    """Exercise 2: pick the reason (a letter) why seasonal naive's test MASE is above 1."""
    check_choice(WHY_SEASONAL, answer)


REFIT_SHRINKS = 0.5
"""The lag "mostly goes" when the refitted model's mean error at k = 12 is below half the first one's."""

REFIT_GROWS = 1.5
"""The lag "grows" when the refitted model's mean error at k = 12 is more than 1.5 times the first one's."""

REFIT_LIMIT = 50.0
"""ppm: a mean error at k = 12 beyond this is no forecast of CO2 one year ahead (the series moves ~2 ppm a year)."""


def refit_outcome(result: object) -> str:
    """The letter of :data:`REFIT` that a run bears out: ``result`` is (before, after), the mean signed
    error at k = 12 (forecast minus truth, ppm) of the first member (fitted on 1958-1989) and of the
    refitted model (fitted on 1958-1995). Raises :class:`ExerciseError` for a result that is no such run."""
    before, after = as_pair(result, "(before, after)")
    before = as_number(before, "before, the first member's mean error at k = 12")
    after = as_number(after, "after, the refitted model's mean error at k = 12")
    for name, value in (("before", before), ("after", after)):
        if abs(value) > REFIT_LIMIT:
            raise ExerciseError(
                f"{name} = {value:.3g} ppm is no forecast error one year ahead: compare the forecast in ppm "
                "with future, the true levels (a forecast of changes must be turned back into levels)"
            )
    if before >= 0:
        raise ExerciseError(
            "before should be below 0: the first member lags behind the faster test years. Take the mean "
            "of forecast minus truth at k = 12, (forecast - future)[:, -1].mean()"
        )
    if abs(after) < REFIT_SHRINKS * abs(before):
        return "a"
    if abs(after) > REFIT_GROWS * abs(before):
        return "c"
    return "b"


REFIT = PredictThenRun(
    title="Exercise 3 (refit on 1958-1995)",
    prediction=Question(
        title="Exercise 3 (refit on 1958-1995)",
        prompt=(
            "Refitted on 1958-1995, what happens to the direct LSTM's mean error at k = 12 on the test "
            "span, compared with the first member fitted on 1958-1989?"
        ),
        choices=(
            Choice(
                "The lag mostly goes: the mean error shrinks to less than half",
                "Here six faster years moved the mean growth the model learned enough to catch up.",
            ),
            Choice(
                "The lag stays: the mean error changes by less than half",
                "Six faster years added to 32 move the mean growth the model learns only a little (12 mu "
                "goes from about 1.15 to about 1.18 ppm a year), far from the 1.7 of the test years.",
            ),
            Choice(
                "The lag grows by more than half",
                "The refitted model learned a slower growth than the first one, or its training ended "
                "elsewhere: compare 12 mu of both differencers.",
            ),
        ),
    ),
    measure=refit_outcome,
    lesson=(
        "Refitting on more years only helps when the years added change what the model learns; a model "
        "that weighs recent growth more would track an acceleration."
    ),
)


def check_refit_prediction(prediction: str) -> None:
    """Exercise 3, before the run: record the prediction, one letter of :data:`REFIT`'s question."""
    check_prediction(REFIT, prediction)


def check_refit_run(prediction: str, result: object) -> None:
    """Exercise 3, after the run: ``result`` is (before, after), the mean signed errors at k = 12 in ppm
    (see :func:`refit_outcome`); grades the run and tells whether the prediction came true."""
    check_run(REFIT, prediction, result)
