"""Notebook 01's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import math
import re

import numpy as np
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import nb01
from helpers.exercises.nb01 import PARAMETER_COUNT_CASES, SHRINK_CASES, WHY_CLIPPING, rnn_step_inputs


def right_step(x_t, h_prev, W_xh, W_hh, b):
    return torch.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)


def reference_h_t():
    x_t, h_prev, W_xh, W_hh, b = (v.double() for v in rnn_step_inputs())
    return torch.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)


def count(n_in, n_h):
    return n_h * (n_in + n_h + 1)


def steps(w, fraction):
    k = 0
    while abs(w) ** k >= fraction:
        k += 1
    return k


def numpy_step(x_t, h_prev, W_xh, W_hh, b):
    x, h, Wx, Wh, bb = (np.asarray(v, dtype=np.float64) for v in (x_t, h_prev, W_xh, W_hh, b))
    return np.tanh(x @ Wx.T + h @ Wh.T + bb)


def einsum_step(x_t, h_prev, W_xh, W_hh, b):
    return torch.tanh(torch.einsum("bi,hi->bh", x_t, W_xh) + torch.einsum("bj,hj->bh", h_prev, W_hh) + b)


def in_place_step(x_t, h_prev, W_xh, W_hh, b):
    h_prev.copy_(torch.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b))  # right, but overwrites its input
    return h_prev


SPECS = {
    "check_rnn_step": Spec(
        nb01.check_rnn_step,
        right={
            **variants(right_step, "tensor"),
            "numpy": numpy_step,
            "einsum": einsum_step,
            "float64_inputs": lambda *a: right_step(*(v.double() for v in a)),
            "linear_layers": lambda x, h, Wx, Wh, b: torch.tanh(
                torch.nn.functional.linear(x, Wx, b) + torch.nn.functional.linear(h, Wh)
            ),
        },
        wrong=[
            (lambda x, h, Wx, Wh, b: x @ Wx.T + h @ Wh.T + b, "must pass through tanh"),
            (lambda x, h, Wx, Wh, b: torch.sigmoid(x @ Wx.T + h @ Wh.T + b), "not the sigmoid"),
            (lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh.T), "bias b is missing"),
            (lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh.T + 2 * b), "added twice"),
            (lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + b), "h_prev is missing"),
            (lambda x, h, Wx, Wh, b: torch.tanh(h @ Wh.T + b), "x_t is missing"),
            (lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh + b), "W_hh is applied transposed"),
            (
                lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh.T + b).T,
                r"shape \(batch, n_h\) = \(3, 5\); this "
                r"is a tensor of shape \(5, 3\) \(one row per sequence",
            ),
            (lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh.T + b)[:, :2], r"shape \(3, 2\)"),
            (lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh.T + b) * 0.5, "each weight multiplies its own"),
        ],
        secrets=lambda: numbers_of(reference_h_t()),
    ),
    "check_parameter_count": Spec(
        nb01.check_parameter_count,
        right={**variants(count, "count"), "expanded": lambda n_in, n_h: n_h * n_in + n_h * n_h + n_h},
        wrong=[
            (lambda n_in, n_h: n_h * (n_in + n_h + 2), "two bias vectors, as PyTorch's nn.RNN"),
            (lambda n_in, n_h: n_h * (n_in + n_h), "leaves out the bias b"),
            (lambda n_in, n_h: n_h * n_in + n_h, "leaves out W_hh"),
            (lambda n_in, n_h: n_h * (n_in + n_h) + n_in, "one entry per input"),
            (lambda n_in, n_h: n_in * n_h, "multiply its sides"),
            (lambda n_in, n_h: str(count(n_in, n_h)), "write the number itself, not the text '3'"),
            (lambda n_in, n_h: count(n_in, n_h) + 0.5, "whole number; this is 3.5"),
        ],
        secrets=lambda: [count(n_in, n_h) for n_in, n_h in PARAMETER_COUNT_CASES],
    ),
    "check_steps_to_shrink": Spec(
        nb01.check_steps_to_shrink,
        right={
            **variants(steps, "count"),
            "logarithm": lambda w, f: math.ceil(math.log(f) / math.log(abs(w))),
            "numpy_log": lambda w, f: np.ceil(np.log(f) / np.log(np.abs(w))),
        },
        wrong=[
            (lambda w, f: steps(w, f) - 1, "which is not yet below"),
            (lambda w, f: steps(w, f) + 1, "fewer steps already get there"),
            (lambda w, f: math.log(f) / math.log(abs(w)), "a whole number; this is 43.7"),
            (lambda w, f: steps(w, f) if w > 0 else 1, "for a negative w, w\\*\\*k changes sign"),
            (lambda w, f: -1, "0 or more"),
        ],
        secrets=lambda: [steps(w, f) for w, f in SHRINK_CASES],
        extra_junk={"in_place": in_place_step},
    ),
    "check_why_clipping": Spec(
        nb01.check_why_clipping,
        kind="value",
        verdict=r"^right, \(a\)\. Clipping guards against exploding gradients\.",
        right={"a": "a", "A": "A", "paren": "(a)", "text": WHY_CLIPPING.choices[0].text},
        wrong=[
            ("b", r"not \(b\)\. Clipping multiplies the whole gradient by one positive number.*Try another choice"),
            ("c", r"not \(c\)\. Look at the loop again"),
            ("D", r"not \(d\)\. The same learning rate trains lags 1 to 9"),
            ("e", "there is no choice 'e': pick one of a, b, c or d"),
            (1, "not the number 1"),
            ("a or b", "pick only one letter"),
        ],
        secrets=lambda: [re.compile(r"\(a\)"), "never makes it larger", "Against a vanishing one"],
    ),
    "check_scaling_prediction": Spec(
        nb01.check_scaling_prediction,
        kind="value",
        verdict=r"^prediction recorded: \([abc]\) .* Now run the experiment\.$",
        right={"a": "a", "B": "B", "paren": "(c)", "text": nb01.SCALING.prediction.choices[2].text},
        wrong=[
            ("d", "there is no choice 'd': pick one of a, b or c"),
            (3, "not the number 3"),
            ("a and c", "pick only one letter"),
        ],
        secrets=lambda: [],  # a prediction has no right answer before the run
    ),
    "check_scaling_run": Spec(
        nb01.check_scaling_run,
        kind="value",
        call=lambda checker, answer: checker("c", answer),
        verdict=r"^your run is complete\. Your prediction \(c\) came true\.",
        right={
            "floats": (1e-3, 0.1),
            "numpy": np.array([1e-3, 0.1]),
            "tensors": (torch.tensor(1e-3), torch.tensor(0.1, dtype=torch.float64)),
            "list": [np.float32(1e-3), 0.1],
        },
        wrong=[
            ((0.0, 0.1), "a ratio of two gradient norms is positive"),
            ((1e-3, -0.1), "a ratio of two gradient norms is positive"),
            (0.5, r"return a pair \(before, after\)"),
            (("small", 0.1), "must be a number, not the text 'small'"),
            ((1e-3, float("nan")), "after, the ratio"),
        ],
        secrets=lambda: [],
        junk_may_pass=("grad_tensor",),  # (0.77, 0.77): two equal ratios, a run that changed nothing
    ),
}

globals().update(contract_tests(nb01, SPECS))


def test_the_run_decides_the_outcome_and_a_wrong_prediction_still_counts(capsys):
    for before, after, letter in ((1e-3, 0.1, "c"), (1e-3, 1.5e-3, "b"), (1e-3, 1e-4, "a")):
        nb01.check_scaling_run("b", (before, after))
        flat = " ".join(capsys.readouterr().out.split())
        assert flat.startswith("✓ Exercise 2"), flat
        if letter == "b":
            assert "Your prediction (b) came true" in flat, flat
        else:
            assert f"did not come true: the run shows ({letter})" in flat and "still counts as done" in flat, flat


def test_scaling_the_recurrent_weights_by_two_lengthens_the_gradient():
    """The run exercise 2 asks for, on fresh lag-12 models of several seeds: the outcome is (c)."""
    from helpers.measure import gradient_by_lag
    from helpers.rnn import RNN
    from helpers.tasks import make_recall_batch

    x, _ = make_recall_batch(64, 40, 0, 4, torch.Generator().manual_seed(3))
    for seed in range(3):
        torch.manual_seed(seed)
        rnn = RNN(4, 32)
        before = gradient_by_lag(lambda x, rnn=rnn: rnn(x)[0], x)
        with torch.no_grad():
            rnn.cell.W_hh.mul_(nb01.SCALING_FACTOR)
        after = gradient_by_lag(lambda x, rnn=rnn: rnn(x)[0], x)
        assert nb01._scaling_outcome((before[12] / before[0], after[12] / after[0])) == "c"


def test_a_right_answer_that_overwrites_its_input_passes_with_a_note(capsys):
    nb01.check_rnn_step(in_place_step)
    out = capsys.readouterr().out
    assert out.startswith("✓") and "changed its input h_prev in place" in " ".join(out.split())
