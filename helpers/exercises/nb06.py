"""Checkers for the exercises of notebook 06, forecasting CO2 at Mauna Loa."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.baselines import seasonal_naive
from helpers.exercises import ExerciseError, require_answer, run_check
from helpers.forecast import forecast
from helpers.metrics import seasonal_naive_scale
from helpers.splits import undifference


def _as_tensor(got: object, what: str) -> torch.Tensor:
    if not isinstance(got, torch.Tensor):
        raise ExerciseError(f"return a torch.Tensor ({what}); got {type(got).__name__}")
    return got


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.allclose(a, b, atol=1e-5, rtol=1e-6)


def check_seasonal_naive(student: Callable[[torch.Tensor, int, int], torch.Tensor]) -> None:
    """Exercise 1: ``student(past, horizon, period)`` forecasts x̂_{n+k} = x_{n+k-m}, repeating the last season.

    past: (batch, time, features) -> (batch, horizon, features); horizon may exceed the period.
    """

    def check() -> None:
        gen = torch.Generator().manual_seed(6)
        past = torch.randn(3, 30, 1, generator=gen, dtype=torch.float64)
        for horizon, period in [(12, 12), (5, 12), (24, 12), (10, 4)]:
            got = require_answer(student(past, horizon, period), "your function returned None")
            got = _as_tensor(got, "the forecast, (batch, horizon, features)")
            want = forecast(seasonal_naive(period, dtype=torch.float64), past, horizon)
            if horizon > period and got.shape[1:2] == (period,) and _close(got, want[:, :period]):
                raise ExerciseError(
                    f"horizon={horizon} > period={period}: the first season is right; then repeat it "
                    "(x̂_{n+k} = x̂_{n+k-m}) until the horizon is filled. Hint: torch.cat, or index with (k % m)"
                )
            if got.shape != want.shape:
                raise ExerciseError(
                    f"horizon={horizon}, period={period}: the forecast should have shape (batch, horizon, features) "
                    f"= {tuple(want.shape)}; got {tuple(got.shape)}"
                )
            if _close(got, want):
                continue
            if _close(got, past[:, -1:].expand_as(want)):
                raise ExerciseError("that is persistence (x̂_{n+k} = x_n): look back one whole period instead")
            if horizon <= period and _close(got, past[:, -period - 1 : -period - 1 + horizon]):
                raise ExerciseError(
                    "off by one step: x̂_{n+1} = x_{n+1-m}, which is past[:, -m], the m-th value from the end"
                )
            if horizon > period and _close(got[:, :period], want[:, :period]):
                raise ExerciseError(
                    f"horizon={horizon} > period={period}: the first season is right; then repeat it "
                    "(x̂_{n+k} = x̂_{n+k-m}) until the horizon is filled. Hint: torch.cat, or index with (k % m)"
                )
            raise ExerciseError(
                f"horizon={horizon}, period={period}: expected the first {horizon} of the last {period} values. "
                "Hint: past[:, -m:] is the last season"
            )

    return run_check("Exercise 1 (seasonal naive)", check)


def check_undifference(student: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    """Exercise 2: ``student(last, d)`` turns predicted changes back into levels: x̂_{n+k} = x_n + Σ_{j≤k} d̂_{n+j}.

    last: (batch, 1, features); d: (batch, horizon, features) -> (batch, horizon, features).
    """

    def check() -> None:
        gen = torch.Generator().manual_seed(7)
        last = 300 + torch.randn(4, 1, 1, generator=gen, dtype=torch.float64)
        d = torch.randn(4, 6, 1, generator=gen, dtype=torch.float64)
        got = require_answer(student(last, d), "your function returned None")
        got = _as_tensor(got, "the levels, (batch, horizon, features)")
        want = undifference(last, d)
        if got.shape != want.shape:
            raise ExerciseError(
                f"the levels should have shape (batch, horizon, features) = {tuple(want.shape)}; got {tuple(got.shape)}"
            )
        if _close(got, want):
            return
        if _close(got, torch.cumsum(d, dim=1)):
            raise ExerciseError("these are the changes added up, but from 0: start from the last level x_n")
        if _close(got, last + d):
            raise ExerciseError(
                "each level adds only its own change: x̂_{n+2} = x_n + d̂_{n+1} + d̂_{n+2} needs every change "
                "up to k. Hint: torch.cumsum(d, dim=1)"
            )
        if _close(got, torch.cat([last, last + torch.cumsum(d, dim=1)[:, :-1]], dim=1)):
            raise ExerciseError("off by one step: the first forecast x̂_{n+1} is already x_n + d̂_{n+1}")
        raise ExerciseError("expected x̂_{n+k} = x_n + d̂_{n+1} + ... + d̂_{n+k}")

    return run_check("Exercise 2 (from changes back to levels)", check)


def check_mase_scale(student: Callable[[torch.Tensor, int], torch.Tensor | float]) -> None:
    """Exercise 3: ``student(train, period)`` is q = mean |x_t - x_{t-m}| over the training series, (time,)."""

    def check() -> None:
        gen = torch.Generator().manual_seed(8)
        t = torch.arange(60, dtype=torch.float64)
        train = 0.3 * t + torch.sin(2 * torch.pi * t / 12) + 0.2 * torch.randn(60, generator=gen, dtype=torch.float64)
        for period in (12, 4):
            got = require_answer(student(train, period), "your function returned None")
            try:
                got = float(got)
            except (TypeError, ValueError, RuntimeError):
                raise ExerciseError(f"return one number (a float or a 1-element tensor); got {got!r}") from None
            want = seasonal_naive_scale(train, period).item()
            if abs(got - want) <= 1e-6 * max(1.0, abs(want)):
                continue
            if abs(got - (train[period:] - train[:-period]).mean().item()) < 1e-6:
                raise ExerciseError("take the absolute value of each difference before averaging")
            if abs(got - seasonal_naive_scale(train, 1).item()) < 1e-6:
                raise ExerciseError(
                    "that is the scale of the one-step naive forecast (m = 1): compare x_t with x_{t-m}"
                )
            if abs(got - (train[period:] - train[:-period]).square().mean().item()) < 1e-6:
                raise ExerciseError("MASE scales by a mean absolute error, not a mean squared one")
            raise ExerciseError(
                f"period={period}: expected q = {want:.4g}, got {got:.4g}. "
                "Hint: (train[m:] - train[:-m]).abs().mean()"
            )

    return run_check("Exercise 3 (the MASE scale)", check)
