"""Notebook 06's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import numpy as np
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import nb06
from helpers.exercises.nb06 import MASE_PERIODS, scale_inputs, seasonal_inputs, undifference_inputs


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


def undifference_right(last, d):
    return last + torch.cumsum(d, dim=1)


def mase_scale_right(train, period):
    return (train[period:] - train[:-period]).abs().mean()


def continues_with_zeros(past, horizon, period):
    season = past[:, -period:]
    if horizon <= period:
        return season[:, :horizon]
    return torch.cat([season, torch.zeros_like(season)], dim=1)[:, :horizon]


def reference_levels():
    last, d = undifference_inputs()
    return last + torch.cumsum(d, dim=1)


def reference_scales():
    train = scale_inputs()
    return [float((train[m:] - train[:-m]).abs().mean()) for m in MASE_PERIODS]


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
    "check_undifference": Spec(
        nb06.check_undifference,
        right={
            **variants(undifference_right, "tensor"),
            "float32_inputs": lambda last, d: undifference_right(last.float(), d.float()),
            "loop": lambda last, d: torch.stack(
                [last[:, 0] + d[:, : k + 1].sum(dim=1) for k in range(d.shape[1])], dim=1
            ),
            "numpy": lambda last, d: np.asarray(last) + np.cumsum(np.asarray(d), axis=1),
        },
        wrong=[
            (lambda last, d: torch.cumsum(d, dim=1), "start from the last level"),
            (lambda last, d: last + d, "needs every change"),
            (lambda last, d: torch.cat([last, last + torch.cumsum(d, dim=1)[:, :-1]], dim=1), "off by one step"),
            (lambda last, d: last - torch.cumsum(d, dim=1), "not subtracted"),
            (lambda last, d: (last + torch.cumsum(d, dim=1))[..., 0], r"shape \(batch, horizon, features\)"),
            (lambda last, d: last + torch.cumsum(d, dim=0), "a running sum of the changes along time"),
        ],
        secrets=lambda: numbers_of(reference_levels()),
    ),
    "check_mase_scale": Spec(
        nb06.check_mase_scale,
        right={
            **variants(mase_scale_right, "number"),
            "float32_inputs": lambda train, m: mase_scale_right(train.float(), m),
            "numpy": lambda train, m: np.mean(np.abs(np.asarray(train)[m:] - np.asarray(train)[:-m])),
            "l1_loss": lambda train, m: torch.nn.functional.l1_loss(train[m:], train[:-m]),
        },
        wrong=[
            (lambda train, m: (train[m:] - train[:-m]).mean(), "absolute value"),
            (lambda train, m: (train[1:] - train[:-1]).abs().mean(), "one-step naive"),
            (lambda train, m: (train[m:] - train[:-m]).square().mean(), "not a mean squared"),
            (lambda train, m: (train[m:] - train[:-m]).abs().sum(), "take their mean"),
            (lambda train, m: (train[m:] - train[:-m]).abs().mean() * 1.05, "that has a value m steps earlier"),
            (lambda train, m: (train[m:] - train[:-m]).abs(), r"must be one number; this is a tensor of shape \(48,\)"),
            (lambda train, m: "q", "must be a number, not the text 'q'"),
        ],
        secrets=reference_scales,
    ),
}

globals().update(contract_tests(nb06, SPECS))
