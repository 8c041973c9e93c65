"""Notebook 02's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint; exercise 1's run is graded by what it measured, whatever was predicted."""

import math
import re

import numpy as np
import pytest
import torch
from exercise_contract import Spec, contract_tests, variants

from helpers.exercises import nb02
from helpers.exercises.nb02 import HALF_LIFE_CASES


def half_life_bias(n_steps):
    p = 0.5 ** (1 / n_steps)
    return math.log(p / (1 - p))


def growing(length=nb02.LAGS):
    """A gradient profile that falls to lag 10 and then grows: exercise 1's outcome (c)."""
    lags = torch.arange(length, dtype=torch.float64)
    return 0.3 * torch.exp(-0.2 * lags.clamp(max=10)) * 1.01 ** (lags - 10).clamp(min=0)


def fading(per_step):
    return 0.3 * per_step ** torch.arange(nb02.LAGS, dtype=torch.float64)


def run_as(prediction):
    return lambda checker, profile: checker(prediction, profile)


CHOICE_TEXT = nb02.WHY_GROWTH.choices[2].text


SPECS = {
    "check_bias_six_prediction": Spec(
        nb02.check_bias_six_prediction,
        kind="value",
        right={"a": "a", "B": "B", "(c)": "(c)", "text": nb02.BIAS_SIX.prediction.choices[1].text},
        wrong=[
            ("d", "there is no choice 'd'"),
            (3, "not the number 3"),
            ("a and c", "pick only one letter"),
        ],
        secrets=lambda: [],
        verdict=r"prediction recorded: \([abc]\)",
    ),
    "check_bias_six_run": Spec(
        nb02.check_bias_six_run,
        kind="value",
        call=run_as("c"),
        right={
            "float64": growing(),
            "float32": growing().float(),
            "numpy": growing().numpy(),
            "list": growing().tolist(),
            "grad_tensor": growing().requires_grad_(),
        },
        wrong=[
            (growing(99), r"shape \(lags 0 to 99,\) = \(100,\); this is a tensor of shape \(99,\)"),
            (growing()[None], r"shape \(lags 0 to 99,\) = \(100,\)"),
            (-growing(), "positive at every lag"),
            (torch.zeros(nb02.LAGS), "positive at every lag"),
        ],
        secrets=lambda: [],
        verdict=r"your run is complete\.",
    ),
    "check_why_growth": Spec(
        nb02.check_why_growth,
        kind="value",
        right={"c": "c", "C": "C", "(c)": "(c)", "c)": " c) ", "text": CHOICE_TEXT},
        wrong=[
            ("a", r"not \(a\)\. float64 rounds"),
            ("b", r"not \(b\)\. σ\(z\) lies strictly between 0 and 1"),
            ("d", r"not \(d\)\. The slope of tanh"),
            ("e", "there is no choice 'e'"),
            (2, "not the number 2"),
        ],
        secrets=lambda: [re.compile(r"\(c\)"), "through h_(t-1)"],
        verdict=r"right, \(c\)\.",
    ),
    "check_half_life_bias": Spec(
        nb02.check_half_life_bias,
        right={
            **variants(half_life_bias, "number"),
            "logit": lambda n: torch.logit(torch.tensor(0.5 ** (1 / n), dtype=torch.float64)),
            "logit_float32": lambda n: torch.logit(torch.tensor(0.5 ** (1 / n))),
            "numpy_log": lambda n: np.log(0.5 ** (1 / n) / (1 - 0.5 ** (1 / n))),
            "minus_log": lambda n: -math.log(1 / 0.5 ** (1 / n) - 1),
        },
        wrong=[
            (lambda n: 0.5 ** (1 / n), "is σ\\(b\\), the fraction kept"),
            (lambda n: -half_life_bias(n) if n > 1 else 0.0, "check the sign"),
            (lambda n: half_life_bias(n) / math.log(10), "base 10"),
            (lambda n: 2.0, r"b = 2, but σ\(b\)\*\*1 = 0.8808, not 0.5"),
            (lambda n: -1000.0, "not 0.5"),
            (lambda n: half_life_bias(n) * 1.0005 + 1e-4 if n > 1 else 0.0, "not 0.5"),
            (lambda n: "4.9", "write the number itself, not the text '4.9'"),
            (lambda n: [half_life_bias(n)], "must be one number; this is a list of 1 item"),
        ],
        secrets=lambda: [half_life_bias(n) for n in HALF_LIFE_CASES],
    ),
}

globals().update(contract_tests(nb02, SPECS))


@pytest.mark.parametrize(
    ("profile", "outcome"), [(fading(0.6), "a"), (fading(0.99), "b"), (growing(), "c")]
)
@pytest.mark.parametrize("prediction", ["a", "b", "c"])
def test_the_run_decides_and_a_wrong_prediction_still_counts(profile, outcome, prediction, capsys):
    nb02.check_bias_six_run(prediction, profile)
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("✓ Exercise 1 (forget bias +6): your run is complete."), out
    if prediction == outcome:
        assert f"Your prediction ({prediction}) came true." in out, out
    else:
        assert f"did not come true: the run shows ({outcome})" in out and "still counts as done" in out, out


def test_a_run_before_a_prediction_is_refused(capsys):
    nb02.check_bias_six_run(None, growing())
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("✗") and "record your prediction before the run" in out, out
