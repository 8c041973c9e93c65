"""Checkers for the exercises of notebook 06, forecasting CO2 at Mauna Loa."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import torch

from helpers.baselines import seasonal_naive
from helpers.exercises import (
    ExerciseError,
    Grading,
    as_number,
    as_values,
    close,
    require_shape,
    run_check,
    tolerance_for,
)
from helpers.forecast import forecast
from helpers.metrics import seasonal_naive_scale
from helpers.splits import undifference

SEASONAL_CASES = ((12, 12), (5, 12), (24, 12), (10, 4))
"""The (horizon, period) at which seasonal_naive_forecast is checked."""

SEASONAL_RTOL, SEASONAL_ATOL = 1e-5, 1e-6
"""Tolerance of exercise 1: the forecast copies values, so only float32 rounding is allowed."""

LEVEL_RTOL, LEVEL_ATOL = 1e-6, 1e-4
"""Tolerance of exercise 2: levels near 300, which float32 holds to about 3e-5."""

SCALE_RTOL, SCALE_ATOL = 1e-5, 1e-6
"""Tolerance of exercise 3 on q (float32 and float64 arithmetic pass)."""

MASE_PERIODS = (12, 4)
"""The periods m at which mase_scale is checked."""


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


def undifference_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    """Exercise 2's (last, d): (batch=4, 1, 1) levels near 300 and (4, horizon=6, 1) changes, float64."""
    gen = torch.Generator().manual_seed(7)
    last = 300 + torch.randn(4, 1, 1, generator=gen, dtype=torch.float64)
    d = torch.randn(4, 6, 1, generator=gen, dtype=torch.float64)
    return last, d


def check_undifference(student: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    """Exercise 2: ``student(last, d)`` turns predicted changes back into levels: x̂_{n+k} = x_n + Σ_{j≤k} d̂_{n+j}.

    last: (batch, 1, features); d: (batch, horizon, features) -> (batch, horizon, features).
    Compared at rtol 1e-6, atol 1e-4 (float32 levels near 300 pass).
    """

    def check(grading: Grading) -> None:
        last, d = undifference_inputs()
        want = undifference(last, d)
        answer = grading.call(student, last, d)
        got = as_values(answer, "the levels", tuple(want.shape), "(batch, horizon, features)")
        rtol, atol = tolerance_for(answer, LEVEL_RTOL, LEVEL_ATOL)

        near = partial(close, rtol=rtol, atol=atol)

        if near(got, want):
            return
        mistakes = [
            (torch.cumsum(d, dim=1), "these are the changes added up, but from 0: start from the last level x_n"),
            (
                last + d,
                "each level adds only its own change, but x̂_(n+2) = x_n + d̂_(n+1) + d̂_(n+2) needs every "
                "change up to k: a running sum",
            ),
            (
                torch.cat([last, last + torch.cumsum(d, dim=1)[:, :-1]], dim=1),
                "off by one step: the first forecast x̂_(n+1) already includes d̂_(n+1)",
            ),
            (last - torch.cumsum(d, dim=1), "the changes are added to the level, not subtracted"),
        ]
        for wrong, hint in mistakes:
            if near(got, wrong):
                raise ExerciseError(hint)
        raise ExerciseError(
            "the levels differ from x̂_(n+k) = x_n + d̂_(n+1) + ... + d̂_(n+k). Hint: a running sum of the "
            "changes along time, started at the last level"
        )

    run_check("Exercise 2 (from changes back to levels)", check)


def scale_inputs() -> torch.Tensor:
    """Exercise 3's training series: 60 monthly values with a trend and a season, float64."""
    gen = torch.Generator().manual_seed(8)
    t = torch.arange(60, dtype=torch.float64)
    return 0.3 * t + torch.sin(2 * torch.pi * t / 12) + 0.2 * torch.randn(60, generator=gen, dtype=torch.float64)


def check_mase_scale(student: Callable[[torch.Tensor, int], torch.Tensor | float]) -> None:
    """Exercise 3: ``student(train, period)`` is q = mean |x_t - x_{t-m}| over the training series, (time,).

    One number in any numeric type (a one-element tensor too) is accepted; compared at rtol 1e-5,
    atol 1e-6, at each period of :data:`MASE_PERIODS`.
    """

    def check(grading: Grading) -> None:
        train = scale_inputs()
        for period in MASE_PERIODS:
            answer = grading.call(student, train, period)
            got = as_number(answer, f"q for period={period}")
            rtol, atol = tolerance_for(answer, SCALE_RTOL, SCALE_ATOL)
            want = seasonal_naive_scale(train, period).item()

            near = partial(close, rtol=rtol, atol=atol)

            if near(got, want):
                continue
            diff = train[period:] - train[:-period]
            mistakes = [
                (diff.mean().item(), "take the absolute value of each difference before averaging"),
                (
                    seasonal_naive_scale(train, 1).item(),
                    "that is the scale of the one-step naive forecast (m = 1): compare x_t with x_(t-m)",
                ),
                (diff.square().mean().item(), "MASE scales by a mean absolute error, not a mean squared one"),
                (diff.abs().sum().item(), "that is a sum of the differences; take their mean"),
            ]
            for wrong, hint in mistakes:
                if near(got, wrong):
                    raise ExerciseError(hint)
            raise ExerciseError(
                f"period={period}: you gave q = {got:.4g}. Hint: q is the mean of |x_t - x_(t-m)| over every "
                "t of the training series that has a value m steps earlier"
            )

    run_check("Exercise 3 (the MASE scale)", check)
