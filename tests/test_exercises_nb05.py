"""Every checker of notebook 05 passes the right answer, reports a placeholder, and fails wrong answers with a hint."""

import math

import pytest
import torch

from helpers.exercises import ExerciseError
from helpers.exercises.nb05 import (
    check_ar2_coefficients,
    check_free_run,
    check_mse_by_horizon,
    check_two_sine_order,
)


def right_free_run(model, context, horizon):
    y, state = model(context)
    x_hat = y[:, -1:]
    steps = [x_hat]
    for _ in range(horizon - 1):
        x_hat, state = model(x_hat, state)
        steps.append(x_hat)
    return torch.cat(steps, dim=1)


def late_free_run(model, context, horizon):
    """Off by one: the forecast starts with the last value of the context."""
    y, state = model(context[:, :-1])
    x_hat = context[:, -1:]
    steps = [x_hat]
    for _ in range(horizon - 1):
        x_hat, state = model(x_hat, state)
        steps.append(x_hat)
    return torch.cat(steps, dim=1)


def no_feedback(model, context, horizon):
    """Feeds the last context value every time instead of the model's own prediction."""
    y, state = model(context)
    steps = [y[:, -1:]]
    for _ in range(horizon - 1):
        x_hat, state = model(context[:, -1:], state)
        steps.append(x_hat)
    return torch.cat(steps, dim=1)


@pytest.mark.parametrize(
    ("checker", "answer"),
    [
        (check_ar2_coefficients, lambda w: (2 * math.cos(w), -1.0)),
        (check_free_run, right_free_run),
        (check_mse_by_horizon, lambda p, t: ((p - t) ** 2).mean(dim=(0, 2))),
    ],
)
def test_right_answers_pass(checker, answer, capsys):
    checker(answer)
    assert "✓" in capsys.readouterr().out


def test_right_order_passes(capsys):
    check_two_sine_order(4)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("checker", "placeholder"),
    [
        (check_ar2_coefficients, lambda w: None),
        (check_free_run, lambda m, c, h: None),
        (check_mse_by_horizon, lambda p, t: None),
        (check_two_sine_order, None),
        (check_two_sine_order, ...),
    ],
)
def test_placeholders_are_reported_not_failed(checker, placeholder, capsys):
    checker(placeholder)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("checker", "answer", "hint"),
    [
        (check_ar2_coefficients, lambda w: (math.cos(w), -1.0), "half of it"),
        (check_ar2_coefficients, lambda w: (2 * math.cos(w), 1.0), "sign of a_2"),
        (check_ar2_coefficients, lambda w: (2 * math.sin(w), -1.0), "2 sin a cos b"),
        (check_ar2_coefficients, lambda w: 2.0, "pair of numbers"),
        (check_free_run, late_free_run, "one step late"),
        (check_free_run, no_feedback, "differs from a free run"),
        (check_free_run, lambda m, c, h: right_free_run(m, c, h + 1), r"shape \(batch, horizon, features\)"),
        (check_free_run, lambda m, c, h: 0.0, "return a torch.Tensor"),
        (check_mse_by_horizon, lambda p, t: ((p - t) ** 2).mean(dim=(0, 1)), r"shape \(horizon,\)"),
        (check_mse_by_horizon, lambda p, t: ((p - t) ** 2).sum(dim=(0, 2)), "sum over batch"),
        (check_mse_by_horizon, lambda p, t: (p - t).abs().mean(dim=(0, 2)), "mean absolute error"),
        (check_mse_by_horizon, lambda p, t: ((p - t) ** 2).mean(dim=(0, 2)) * 1.1, "differ"),
        (check_mse_by_horizon, lambda p, t: [0.0], "return a torch.Tensor"),
        (check_two_sine_order, 2, "exact for one sine"),
        (check_two_sine_order, 3, "cannot follow two frequencies"),
        (check_two_sine_order, 8, "not the smallest"),
        (check_two_sine_order, 4.0, "whole number"),
        (check_two_sine_order, True, "whole number"),
    ],
)
def test_wrong_answers_fail_with_a_hint(checker, answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checker(answer)


def test_four_is_really_the_smallest_exact_order():
    """The claim behind exercise 4, checked with least squares."""
    from helpers.baselines import fit_ar
    from helpers.forecast import forecast

    t = torch.arange(400, dtype=torch.float64)
    x = torch.sin(t / 7) + 0.5 * torch.sin(t / 3 + 1.0)
    errors = {}
    for p in (3, 4):
        pred = forecast(fit_ar(x[:200], p, intercept=False), x[150:200], 100)[0, :, 0]
        errors[p] = float((pred - x[200:300]).abs().max())
    assert errors[4] < 1e-8 < 1e-2 < errors[3]
