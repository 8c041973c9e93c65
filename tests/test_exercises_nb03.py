"""Notebook 03's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import re

import numpy as np
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import nb03
from helpers.exercises.nb03 import GAIN_CASES, SATURATION_GATE, gain_inputs


def read_answer(x):
    t_mark = x[..., -1].argmax(dim=1)
    y = x[torch.arange(x.shape[0]), t_mark, :-1].argmax(dim=1)
    return t_mark, y


def read_answer_loop(x):
    t_mark, y = [], []
    for seq in x:
        t = int(torch.nonzero(seq[:, -1])[0, 0])
        t_mark.append(t)
        y.append(int(seq[t, :-1].argmax()))
    return t_mark, y


def saturation(gate, low=0.1, high=0.9):
    return (gate < low).float().mean().item(), (gate > high).float().mean().item()


def gain(f, t, T):
    return f[t + 1 : T + 1].prod(dim=0)


def gain_loop(f, t, T):
    g = torch.ones(f.shape[1], dtype=f.dtype)
    for k in range(t + 1, T + 1):
        g = g * f[k]
    return g


def with_pair(kind):
    """A right read_answer whose two parts are converted with ``kind``."""
    return lambda x: tuple(kind(v) for v in read_answer(x))


SPECS = {
    "check_read_answer": Spec(
        nb03.check_read_answer,
        right={
            "long": read_answer,
            "float": with_pair(lambda v: v.float()),
            "numpy": with_pair(lambda v: v.numpy()),
            "list": read_answer_loop,
            "as_list": lambda x: list(read_answer(x)),
            "stacked": lambda x: torch.stack(read_answer(x)),
        },
        wrong=[
            (lambda x: (x.shape[1] - 1 - read_answer(x)[0], read_answer(x)[1]), "that is the delay"),
            (lambda x: (read_answer(x)[0] + 1, read_answer(x)[1]), "the marker is the last feature"),
            (lambda x: (read_answer(x)[0], x[:, -1, :-1].argmax(dim=1)), "the value at the last step"),
            (lambda x: read_answer(x)[::-1], r"the pair is \(t_mark, y\), in that order"),
            (lambda x: read_answer(x)[0], r"return a pair \(t_mark, y\)"),
            (
                lambda x: (read_answer(x)[0][:3], read_answer(x)[1]),
                r"shape \(batch,\) = \(50,\); this is a tensor "
                r"of shape \(3,\)",
            ),
            (lambda x: (read_answer(x)[0] + 0.5, read_answer(x)[1]), "whole numbers"),
            (lambda x: (read_answer(x)[0], (read_answer(x)[1] + 1) % 3), "y is wrong"),
        ],
        secrets=lambda: [],  # whole numbers below 20: the checker prints none of its own
    ),
    "check_saturation": Spec(
        nb03.check_saturation,
        right={
            "python": saturation,
            "tensors": lambda g, low=0.1, high=0.9: ((g < low).float().mean(), (g > high).float().mean()),
            "float64": lambda g, low=0.1, high=0.9: ((g < low).double().mean(), (g > high).double().mean()),
            "one_tensor": lambda g, low=0.1, high=0.9: torch.stack(
                [(g < low).float().mean(), (g > high).float().mean()]
            ),
            "numpy": lambda g, low=0.1, high=0.9: (np.mean(g.numpy() < low), np.mean(g.numpy() > high)),
            "list": lambda g, low=0.1, high=0.9: [
                (g < low).sum().item() / g.numel(),
                (g > high).sum().item() / g.numel(),
            ],
        },
        wrong=[
            (lambda g, low=0.1, high=0.9: saturation(g, low, high)[::-1], "swapped"),
            (
                lambda g, low=0.1, high=0.9: ((g <= low).float().mean().item(), (g >= high).float().mean().item()),
                "strictly below low, strictly above high",
            ),
            (lambda g, low=0.1, high=0.9: ((g < low).sum().item(), (g > high).sum().item()), "those are counts"),
            (lambda g, low=0.1, high=0.9: tuple(100 * v for v in saturation(g, low, high)), "percentages"),
            (lambda g, low=0.1, high=0.9: saturation(g), "use the low and high you are given"),
            (lambda g, low=0.1, high=0.9: (0.5, 0.5), "count the values strictly below low"),
            (lambda g, low=0.1, high=0.9: (-0.5, 0.5), "between 0 and 1"),
            (lambda g, low=0.1, high=0.9: ("a", "b"), "the fraction near 0 must be a number, not the text 'a'"),
            (lambda g, low=0.1, high=0.9: (g < low).float().mean(), r"return a pair \(near 0, near 1\)"),
        ],
        secrets=lambda: [
            re.compile(r"(?<![\d.])0\.3(?!\d)"),
            re.compile(r"(?<![\d.])0\.2(?!\d)"),
            *numbers_of((torch.tensor(SATURATION_GATE) < 0.1).double().mean()),
        ],
    ),
    "check_cell_path_gain": Spec(
        nb03.check_cell_path_gain,
        right={
            **variants(gain, "tensor"),
            "loop": gain_loop,
            "float32_inputs": lambda f, t, T: gain(f.float(), t, T),
            "cumprod": lambda f, t, T: torch.cat([torch.ones(1, f.shape[1], dtype=f.dtype), f[t + 1 : T + 1]]).cumprod(
                0
            )[-1],
            "log_sum": lambda f, t, T: f[t + 1 : T + 1].log().sum(0).exp(),
        },
        wrong=[
            (lambda f, t, T: f[t:T].prod(dim=0), "off by one"),
            (lambda f, t, T: f[t + 1 : T + 1].sum(dim=0), "they do not add"),
            (lambda f, t, T: f[t + 1 : T + 1].prod(), r"shape \(n_h,\) = \(3,\)"),
            (lambda f, t, T: f[t + 1 : T + 1].prod(dim=0) if t < T else 1.0, "no step acts"),
            (lambda f, t, T: f[t + 1 : T + 1].prod(dim=0) ** 2, "follow it from k = t\\+1 up to T"),
            (lambda f, t, T: f[0] * 0, "follow it from k = t\\+1 up to T"),
        ],
        secrets=lambda: [v for t, T in GAIN_CASES for v in numbers_of(gain(gain_inputs(), t, T)) if v != 1.0],
    ),
    "check_why_rnn": Spec(
        nb03.check_why_rnn,
        kind="value",
        verdict=r"^right, \(b\)\. Notebook 01 measured that",
        right={"b": "b", "B": "B", "paren": "(b)", "text": nb03.WHY_RNN.choices[1].text},
        wrong=[
            ("a", r"not \(a\)\. No: the same RNN, trained on sequences of 11 steps"),
            ("c", r"not \(c\)\. Look at the loss curves"),
            ("d", r"not \(d\)\. Its hidden state does change"),
            ("e", "there is no choice 'e': pick one of a, b, c or d"),
            (2, "not the number 2"),
            ("a or b", "pick only one letter"),
        ],
        secrets=lambda: [re.compile(r"\(b\)"), "Notebook 01 measured", "multiplied only by forget gates"],
    ),
    "check_bias_zero_prediction": Spec(
        nb03.check_bias_zero_prediction,
        kind="value",
        verdict=r"^prediction recorded: \([abc]\) .* Now run the experiment\.$",
        right={"a": "a", "B": "B", "paren": "(c)", "text": nb03.BIAS_ZERO.prediction.choices[1].text},
        wrong=[
            ("d", "there is no choice 'd': pick one of a, b or c"),
            (1, "not the number 1"),
            ("a, c", "pick only one letter"),
        ],
        secrets=lambda: [],
    ),
    "check_bias_zero_run": Spec(
        nb03.check_bias_zero_run,
        kind="value",
        call=lambda checker, answer: checker("a", answer),
        verdict=r"^your run is complete\. Your prediction \(a\) came true\.",
        right={"float": 0.97, "numpy": np.float32(0.97), "tensor": torch.tensor(0.97), "one": 1},
        wrong=[
            (97.0, "an accuracy is a fraction from 0 to 1; this is 97"),
            ("high", "your accuracy at delay 200 must be a number, not the text 'high'"),
            (torch.tensor([0.4, 0.5]), "must be one number"),
        ],
        secrets=lambda: [],
    ),
}

globals().update(contract_tests(nb03, SPECS))


def test_the_run_decides_what_bias_zero_learned(capsys):
    """The run's accuracy at delay 200 picks the choice it bears out; a wrong prediction still passes."""
    for accuracy, shown in ((0.95, "a"), (0.6, "b"), (0.25, "c")):
        nb03.check_bias_zero_run("b", accuracy)
        flat = " ".join(capsys.readouterr().out.split())
        assert flat.startswith("✓ Exercise 3 (retrain with forget bias 0): your run is complete."), flat
        if shown == "b":
            assert "Your prediction (b) came true." in flat
        else:
            assert f"did not come true: the run shows ({shown})" in flat and "still counts as done" in flat


def test_a_run_without_a_prediction_fails(capsys):
    nb03.check_bias_zero_run(None, 0.95)
    out = capsys.readouterr().out
    assert out.startswith("✗") and "record your prediction before the run" in out
