"""Notebook 05's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import copy
import re

import numpy as np
import pytest
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import check_run, nb05
from helpers.exercises.nb05 import RACE, WHY_DRIFT, free_run_inputs, race_outcome


def right_free_run(model, context, horizon):
    y, state = model(context)
    x_hat = y[:, -1:]
    steps = [x_hat]
    for _ in range(horizon - 1):
        x_hat, state = model(x_hat, state)
        steps.append(x_hat)
    return torch.cat(steps, dim=1)


def free_run_into_buffer(model, context, horizon):
    out = torch.empty(context.shape[0], horizon, context.shape[2], dtype=context.dtype)
    y, state = model(context)
    out[:, 0] = y[:, -1]
    for k in range(1, horizon):
        y, state = model(out[:, k - 1 : k], state)
        out[:, k] = y[:, -1]
    return out


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


def repeats_first(model, context, horizon):
    """Repeats the first prediction instead of running on."""
    y, _ = model(context)
    return y[:, -1:].repeat(1, horizon, 1)


def reference_forecast():
    model, context, horizon = free_run_inputs()
    with torch.no_grad():
        return right_free_run(model, context, horizon)


SPECS = {
    "check_free_run": Spec(
        nb05.check_free_run,
        right={
            **variants(right_free_run, "tensor"),
            "buffer": free_run_into_buffer,
            "float32_run": lambda m, c, h: right_free_run(copy.deepcopy(m).float(), c.float(), h),
            "forecast_helper": lambda m, c, h: __import__("helpers.forecast", fromlist=["forecast"]).forecast(m, c, h),
        },
        wrong=[
            (late_free_run, "one step late"),
            (no_feedback, "own last prediction, not the last value of the context"),
            (repeats_first, "differs from a free run"),
            (lambda m, c, h: right_free_run(m, c, h + 1), r"shape \(batch, horizon, features\) = \(1, 30, 1\)"),
            (lambda m, c, h: right_free_run(m, c, h)[0, :, 0], r"this is a tensor of shape \(30,\)"),
            (lambda m, c, h: [0.0] * h, r"this is a list of 30 items, shape \(30,\)"),
        ],
        secrets=lambda: numbers_of(reference_forecast()),
    ),
    "check_two_sine_order": Spec(
        nb05.check_two_sine_order,
        kind="value",
        right={
            "int": 4,
            "float": 4.0,
            "numpy": np.int64(4),
            "torch": torch.tensor(4),
            "torch_float": torch.tensor(4.0),
        },
        wrong=[
            (2, "exact for one sine"),
            (3, "cannot follow two frequencies"),
            (8, "not the smallest"),
            (0, "not an order"),
            (4.5, "whole number; this is 4.5"),
            ("4", "write the number itself, not the text '4'", "'4'"),
            (True, "True is a truth value, not a number"),
        ],
        secrets=lambda: [re.compile(r"(?<![\d.(])4(?![\d.])")],
    ),
    "check_why_drift": Spec(
        nb05.check_why_drift,
        kind="value",
        verdict=r"^right, \(c\)\. This is exposure bias",
        right={"c": "c", "C": "C", "paren": "(c)", "c.": "c.", "text": WHY_DRIFT.choices[2].text},
        wrong=[
            ("a", r"not \(a\)\. float32 resolves errors far below 1e-5"),
            ("b", r"not \(b\)\. Its one-step loss on the test waves"),
            ("D", r"not \(d\)\. The same network, trained in closed loop"),
            ("e", "there is no choice 'e': pick one of a, b, c or d"),
        ],
        secrets=lambda: [re.compile(r"\(c\)"), "exposure bias", "never shows the network its own errors"],
    ),
}

globals().update(contract_tests(nb05, SPECS))


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


class ScaledAR(torch.nn.Module):
    """AR(2) fitted to the classic training waves, its prediction times ``scale``: a stand-in for a trained
    forecaster (scale 1 continues the waves, 0.999 damps them, 0 predicts nothing)."""

    def __init__(self, scale):
        super().__init__()
        from helpers.baselines import fit_ar
        from helpers.series import classic_sine_data

        self.ar = fit_ar(classic_sine_data(seed=2)["train"][..., None], order=2)
        self.scale = torch.nn.Parameter(torch.tensor(float(scale)))

    def forward(self, x, state=None):
        y, state = self.ar(x, state)
        return y * self.scale, state


def test_race_outcome_reads_which_model_runs_free_better():
    exact, damped = ScaledAR(1.0), ScaledAR(0.999)
    assert race_outcome((damped, exact)) == "b"  # the closed-loop model (second) runs free better
    assert race_outcome((exact, damped)) == "a"
    assert race_outcome((exact, ScaledAR(1.0))) == "c"


def test_race_outcome_refuses_what_is_not_a_trained_rival():
    exact = ScaledAR(1.0)
    for result, message in [
        (exact, "pass the pair"),
        ((exact, exact), "section 5's model itself"),
        ((ScaledAR(0.0), exact), "does not look trained"),
        (("rival", exact), "rival must be a trained forecaster"),
    ]:
        with pytest.raises(nb05.ExerciseError, match=message):
            race_outcome(result)


def test_race_run_is_graded_and_the_prediction_told(capsys):
    check_run(RACE, "b", (ScaledAR(0.999), ScaledAR(1.0)))
    flat = " ".join(capsys.readouterr().out.split())
    assert flat.startswith("✓ Exercises 1 and 2 (one-step or closed loop, same time): your run is complete.")
    assert "Your prediction (b) came true." in flat
    check_run(RACE, "a", (ScaledAR(0.999), ScaledAR(1.0)))
    flat = " ".join(capsys.readouterr().out.split())
    assert "Your prediction (a) did not come true: the run shows (b)" in flat
