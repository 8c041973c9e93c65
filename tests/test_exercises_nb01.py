"""Notebook 01's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import math

import numpy as np
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import nb01
from helpers.exercises.nb01 import PARAMETER_COUNT_CASES, SHRINK_CASES, rnn_step_inputs


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
}

globals().update(contract_tests(nb01, SPECS))


def test_a_right_answer_that_overwrites_its_input_passes_with_a_note(capsys):
    nb01.check_rnn_step(in_place_step)
    out = capsys.readouterr().out
    assert out.startswith("✓") and "changed its input h_prev in place" in " ".join(out.split())
