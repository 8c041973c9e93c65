"""Notebook 06's checkers: right answers pass, placeholders are reported, each usual mistake gets its hint."""

import pytest
import torch

from helpers.exercises import ExerciseError
from helpers.exercises.nb06 import check_mase_scale, check_seasonal_naive, check_undifference


def seasonal_naive_right(past, horizon, period):
    season = past[:, -period:]
    repeats = -(-horizon // period)  # ceil
    return season.repeat(1, repeats, 1)[:, :horizon]


def undifference_right(last, d):
    return last + torch.cumsum(d, dim=1)


def mase_scale_right(train, period):
    return (train[period:] - train[:-period]).abs().mean()


@pytest.mark.parametrize(
    ("checker", "answer", "title"),
    [
        (check_seasonal_naive, seasonal_naive_right, "Exercise 1"),
        (check_undifference, undifference_right, "Exercise 2"),
        (check_mase_scale, mase_scale_right, "Exercise 3"),
        (check_mase_scale, lambda train, m: float(mase_scale_right(train, m)), "Exercise 3"),
    ],
)
def test_right_answers_pass(checker, answer, title, capsys):
    assert checker(answer) is None
    out = capsys.readouterr().out
    assert out.startswith(f"✓ {title}") and "correct" in out


@pytest.mark.parametrize("checker", [check_seasonal_naive, check_undifference, check_mase_scale])
@pytest.mark.parametrize("placeholder", [None, ...])
def test_placeholders_are_not_attempted(checker, placeholder, capsys):
    checker(lambda *args: placeholder)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda past, h, m: past[:, -1:].expand(-1, h, -1), "that is persistence"),
        (lambda past, h, m: past[:, -m - 1 : -m - 1 + h], "off by one step"),
        (lambda past, h, m: past[:, -m:][:, :h], "then repeat it"),
        (lambda past, h, m: past[:, -m:, 0][:, :h] if h <= m else None, "should have shape"),
        (lambda past, h, m: torch.zeros(past.shape[0], h, 1, dtype=past.dtype), "the last season"),
        (lambda past, h, m: [0.0] * h, "return a torch.Tensor"),
    ],
)
def test_seasonal_naive_mistakes_get_hints(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_seasonal_naive(answer)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda last, d: torch.cumsum(d, dim=1), "start from the last level"),
        (lambda last, d: last + d, "needs every change"),
        (lambda last, d: torch.cat([last, last + torch.cumsum(d, dim=1)[:, :-1]], dim=1), "off by one step"),
        (lambda last, d: (last + torch.cumsum(d, dim=1))[..., 0], "should have shape"),
        (lambda last, d: last - torch.cumsum(d, dim=1), "expected"),
    ],
)
def test_undifference_mistakes_get_hints(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_undifference(answer)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda train, m: (train[m:] - train[:-m]).mean(), "absolute value"),
        (lambda train, m: (train[1:] - train[:-1]).abs().mean(), "one-step naive"),
        (lambda train, m: (train[m:] - train[:-m]).square().mean(), "not a mean squared"),
        (lambda train, m: (train[m:] - train[:-m]).abs().sum(), "expected q"),
        (lambda train, m: "q", "return one number"),
    ],
)
def test_mase_scale_mistakes_get_hints(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_mase_scale(answer)


def test_seasonal_naive_wrong_after_the_first_season_gets_the_repeat_hint():
    def continues_with_zeros(past, horizon, period):
        season = past[:, -period:]
        if horizon <= period:
            return season[:, :horizon]
        return torch.cat([season, torch.zeros_like(season)], dim=1)[:, :horizon]

    with pytest.raises(ExerciseError, match="then repeat it"):
        check_seasonal_naive(continues_with_zeros)
