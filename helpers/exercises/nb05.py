"""Checkers for the exercises of notebook 05, time sequence prediction."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from helpers.baselines import fit_ar
from helpers.exercises import ExerciseError, require_answer, run_check
from helpers.forecast import forecast


def _pair(value: object, what: str) -> tuple[float, float]:
    value = require_answer(value, "your function returned None")
    try:
        a1, a2 = (float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ExerciseError(f"{what} must be a pair of numbers (a_1, a_2); got {value!r}") from None
    return a1, a2


def check_ar2_coefficients(student_coefficients: Callable[[float], tuple[float, float]]) -> None:
    """Exercise 1: ``student_coefficients(omega)`` gives (a_1, a_2) with
    sin(ω(t+1)) = a_1 sin(ωt) + a_2 sin(ω(t-1)) for every t."""

    def check() -> None:
        for omega in (1 / 20, 0.3, 1.0, 2.5):
            a1, a2 = _pair(student_coefficients(omega), f"the answer for omega={omega}")
            want = (2 * math.cos(omega), -1.0)
            if abs(a1 - want[0]) < 1e-9 and abs(a2 - want[1]) < 1e-9:
                continue
            if abs(a1 - math.cos(omega)) < 1e-9:
                raise ExerciseError(
                    f"omega={omega}: a_1 = cos ω is half of it. Hint: add sin(ω(t+1)) and sin(ω(t-1)) "
                    "with the angle-sum formula; the sin·cos terms appear twice"
                )
            if abs(a1 - want[0]) < 1e-9 and abs(a2 - 1.0) < 1e-9:
                raise ExerciseError(f"omega={omega}: a_1 is right; check the sign of a_2")
            raise ExerciseError(
                f"omega={omega}: you gave ({a1:.4g}, {a2:.4g}). Hint: sin(a+b) + sin(a-b) = 2 sin a cos b, "
                "with a = ωt and b = ω"
            )

    return run_check("Exercise 1 (AR(2) coefficients of a sine)", check)


def check_free_run(student_free_run: Callable[..., torch.Tensor]) -> None:
    """Exercise 2: ``student_free_run(model, context, horizon)`` feeds the model its own predictions.

    context: (batch, time, features) -> (batch, horizon, features), as :func:`helpers.forecast.forecast`.
    """

    def check() -> None:
        t = torch.arange(120, dtype=torch.float64)
        series = torch.sin(t / 7) + 0.5 * torch.sin(t / 3)
        model = fit_ar(series[:80], 4)
        context = series[None, 60:80, None]  # (batch=1, time=20, features=1)
        horizon = 30
        with torch.no_grad():
            got = require_answer(student_free_run(model, context, horizon), "your function returned None")
        want = forecast(model, context, horizon)
        if not isinstance(got, torch.Tensor):
            raise ExerciseError(f"return a torch.Tensor; got {type(got).__name__}")
        if got.shape != want.shape:
            raise ExerciseError(
                f"the forecast should have shape (batch, horizon, features) = {tuple(want.shape)}; got "
                f"{tuple(got.shape)}. Hint: the first forecast step is the model's last output on the "
                "context, then horizon - 1 more steps"
            )
        if torch.allclose(got[:, 1:], want[:, :-1], atol=1e-6):
            raise ExerciseError("off by one step: your forecast starts one step late")
        if not torch.allclose(got, want, atol=1e-6):
            raise ExerciseError(
                "the forecast differs from a free run. Hint: y, state = model(context); x_hat = y[:, -1:]; "
                "then repeat x_hat, state = model(x_hat, state), keeping every x_hat"
            )

    return run_check("Exercise 2 (the free-running loop)", check)


def check_mse_by_horizon(student_mse: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    """Exercise 3: ``student_mse(prediction, truth)`` gives MSE(k) for k = 1..horizon.

    prediction, truth: (batch, horizon, features) -> (horizon,), averaged over batch and features.
    """

    def check() -> None:
        gen = torch.Generator().manual_seed(5)
        prediction = torch.randn(4, 6, 2, generator=gen)
        truth = torch.randn(4, 6, 2, generator=gen)
        got = require_answer(student_mse(prediction, truth), "your function returned None")
        want = ((prediction - truth) ** 2).mean(dim=(0, 2))
        if not isinstance(got, torch.Tensor):
            raise ExerciseError(f"return a torch.Tensor; got {type(got).__name__}")
        if got.shape != want.shape:
            raise ExerciseError(
                f"MSE by horizon has one number per step ahead, shape (horizon,) = {tuple(want.shape)}; got "
                f"{tuple(got.shape)}. Hint: average over the batch (dim 0) and features (dim 2), not time"
            )
        if torch.allclose(got, ((prediction - truth) ** 2).sum(dim=(0, 2)), atol=1e-6):
            raise ExerciseError("that is the sum over batch and features; take the mean")
        if torch.allclose(got, (prediction - truth).abs().mean(dim=(0, 2)), atol=1e-6):
            raise ExerciseError("that is the mean absolute error; square the differences")
        if not torch.allclose(got, want, atol=1e-6):
            raise ExerciseError("the values differ from mean over batch and features of (x̂ - x)²")

    return run_check("Exercise 3 (MSE by horizon)", check)


def check_two_sine_order(student_order: object) -> None:
    """Exercise 4: the smallest p for which an AR(p) continues any sum of two sines exactly."""

    def check() -> None:
        p = require_answer(student_order, "set order to a whole number")
        if isinstance(p, bool) or not isinstance(p, int):
            raise ExerciseError(f"the order is a whole number; got {p!r}")
        if p == 4:
            return
        if p == 2:
            raise ExerciseError(
                "AR(2) is exact for one sine. Hint: each sine needs its own pair of roots e^{±iω} of the "
                "AR's characteristic polynomial; try fit_ar on a two-sine series with p = 2, 3, 4"
            )
        if p < 4:
            raise ExerciseError(f"an AR({p}) cannot follow two frequencies: count the roots it needs")
        raise ExerciseError(f"AR({p}) works, but it is not the smallest: remove orders until it breaks")

    return run_check("Exercise 4 (AR order for two sines)", check)
