"""Notebook 06's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import re

import numpy as np
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import nb06
from helpers.exercises.nb06 import WHY_SEASONAL, seasonal_inputs


def seasonal_naive_right(past, horizon, period):
    season = past[:, -period:]
    repeats = -(-horizon // period)  # ceil
    return season.repeat(1, repeats, 1)[:, :horizon]


def seasonal_naive_index(past, horizon, period):
    return past[:, -period:][:, torch.arange(horizon) % period]


def seasonal_naive_loop(past, horizon, period):
    n = past.shape[1]
    values = list(past.unbind(1))
    for k in range(horizon):
        values.append(values[n + k - period])
    return torch.stack(values[n:], dim=1)


def continues_with_zeros(past, horizon, period):
    season = past[:, -period:]
    if horizon <= period:
        return season[:, :horizon]
    return torch.cat([season, torch.zeros_like(season)], dim=1)[:, :horizon]


SPECS = {
    "check_seasonal_naive": Spec(
        nb06.check_seasonal_naive,
        right={
            **variants(seasonal_naive_right, "tensor"),
            "index": seasonal_naive_index,
            "loop": seasonal_naive_loop,
            "float32_inputs": lambda p, h, m: seasonal_naive_index(p.float(), h, m),
            "numpy": lambda p, h, m: np.asarray(p)[:, -m:][:, np.arange(h) % m],
        },
        wrong=[
            (lambda past, h, m: past[:, -1:].expand(-1, h, -1), "that is persistence"),
            (lambda past, h, m: past[:, -m - 1 : -m - 1 + h], "off by one step"),
            (lambda past, h, m: past[:, -m:][:, :h], "then repeat it"),
            (continues_with_zeros, "then repeat it"),
            (lambda past, h, m: past[:, -m:, 0][:, :h], r"should have shape \(batch, horizon, features\)"),
            (lambda past, h, m: torch.zeros(past.shape[0], h, 1, dtype=past.dtype), "copies the value one period"),
            (lambda past, h, m: [0.0] * h, r"a list of 12 items, shape \(12,\)"),
        ],
        secrets=lambda: numbers_of(seasonal_inputs()[:, -12:]),  # every forecast copies these values
    ),
    "check_why_seasonal": Spec(
        nb06.check_why_seasonal,
        kind="value",
        verdict=r"^right, \(b\)\. Seasonal naive's error is about one year of growth",
        right={"b": "b", "B": "B", "paren": "(b)", "text": WHY_SEASONAL.choices[1].text},
        wrong=[
            ("a", r"not \(a\)\. A shorter span makes an average noisier.*Try another choice"),
            ("c", r"not \(c\)\. That is what MASE prescribes"),
            ("d", r"not \(d\)\. 25 months hold two whole years"),
            ("e", "there is no choice 'e'"),
            (2, "not the number 2"),
            ("b or d", "pick only one letter"),
        ],
        secrets=lambda: [re.compile(r"\(b\)"), "about one year of growth", "lagged further behind"],
    ),
    "check_refit_prediction": Spec(
        nb06.check_refit_prediction,
        kind="value",
        verdict=r"^prediction recorded: \(b\) The lag stays.*Now run the experiment\.$",
        right={"b": "b", "B": " B ", "paren": "b)"},
        wrong=[
            ("z", "there is no choice 'z'"),
            (1, "not the number 1"),
            ("a and b", "pick only one letter"),
        ],
        secrets=lambda: [],
    ),
    "check_refit_run": Spec(
        nb06.check_refit_run,
        kind="value",
        call=lambda checker, answer: checker("b", answer),
        verdict=r"^your run is complete\. Your prediction \(b\) came true\. Six faster years",
        right={
            "floats": (-0.41, -0.39),
            "numpy": np.array([-0.41, -0.39], dtype=np.float32),
            "tensors": (torch.tensor(-0.41), torch.tensor(-0.39, dtype=torch.float64)),
            "list": [-0.41, -0.3],
        },
        wrong=[
            ((0.41, 0.39), "before should be below 0"),
            ((-0.41, 390.0), "after = 390 ppm is no forecast error one year ahead"),
            ((-0.41,), r"\(before, after\)"),
            ((-0.41, "low"), "must be a number, not the text 'low'"),
            (-0.41, r"\(before, after\)"),
        ],
        secrets=lambda: [],
    ),
}

globals().update(contract_tests(nb06, SPECS))


def test_refit_outcomes_follow_the_ratio_of_the_lags(capsys):
    assert nb06.refit_outcome((-0.4, -0.1)) == "a"
    assert nb06.refit_outcome((-0.4, 0.1)) == "a"  # a small overshoot: the lag is gone
    assert nb06.refit_outcome((-0.4, -0.38)) == "b"
    assert nb06.refit_outcome((-0.4, -0.7)) == "c"
    nb06.check_refit_run("a", (-0.4, -0.38))
    flat = " ".join(capsys.readouterr().out.split())
    assert flat.startswith("✓ Exercise 3 (refit on 1958-1995): your run is complete.")
    assert "Your prediction (a) did not come true: the run shows (b) The lag stays" in flat
    assert "it still counts as done" in flat
