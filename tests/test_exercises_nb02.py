"""Notebook 02's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

import math

import numpy as np
import torch
from exercise_contract import Spec, contract_tests, numbers_of, variants

from helpers.exercises import nb02
from helpers.exercises.nb02 import HALF_LIFE_CASES, cell_update_inputs, forget_gate_inputs


def forget_gate(x_t, h_prev, W_f, b_f):
    return torch.sigmoid(torch.cat([h_prev, x_t], dim=1) @ W_f.T + b_f)


def split_weights_gate(x_t, h_prev, W_f, b_f):
    n_h = h_prev.shape[1]
    return torch.sigmoid(h_prev @ W_f[:, :n_h].T + x_t @ W_f[:, n_h:].T + b_f)


def numpy_gate(x_t, h_prev, W_f, b_f):
    v = np.concatenate([np.asarray(h_prev), np.asarray(x_t)], axis=1)
    return 1 / (1 + np.exp(-(v @ np.asarray(W_f).T + np.asarray(b_f))))


def cell_update(f_t, i_t, C_tilde_t, C_prev):
    return f_t * C_prev + i_t * C_tilde_t


def half_life_bias(n_steps):
    p = 0.5 ** (1 / n_steps)
    return math.log(p / (1 - p))


def reference_gate():
    x_t, h_prev, W_f, b_f = (v.double() for v in forget_gate_inputs())
    return torch.sigmoid(torch.cat([h_prev, x_t], dim=1) @ W_f.T + b_f)


def reference_cell():
    f_t, i_t, C_tilde_t, C_prev = (v.double() for v in cell_update_inputs())
    return f_t * C_prev + i_t * C_tilde_t


SPECS = {
    "check_forget_gate": Spec(
        nb02.check_forget_gate,
        right={
            **variants(forget_gate, "tensor"),
            "split_weights": split_weights_gate,
            "numpy": numpy_gate,
            "float64_inputs": lambda *a: forget_gate(*(v.double() for v in a)),
            "sigmoid_by_hand": lambda x, h, W, b: 1 / (1 + torch.exp(-(torch.cat([h, x], 1) @ W.T + b))),
        },
        wrong=[
            (lambda x, h, W, b: torch.cat([h, x], 1) @ W.T + b, "passes it through the sigmoid"),
            (lambda x, h, W, b: torch.tanh(torch.cat([h, x], 1) @ W.T + b), "not tanh"),
            (lambda x, h, W, b: torch.sigmoid(torch.cat([h, x], 1) @ W.T), "missing the bias"),
            (lambda x, h, W, b: torch.sigmoid(torch.cat([h, x], 1) @ W.T + 2 * b), "added twice"),
            (lambda x, h, W, b: torch.sigmoid(torch.cat([x, h], 1) @ W.T + b), "h_prev first"),
            (lambda x, h, W, b: torch.sigmoid(h), "rows are vectors here, so W·v is written v @ W.T"),
            (lambda x, h, W, b: torch.sigmoid(b), r"shape \(batch, n_h\) = \(3, 4\); this is a tensor of shape \(4,\)"),
            (lambda x, h, W, b: forget_gate(x, h, W, b).T, r"shape \(4, 3\) \(one row per sequence\)"),
            (lambda x, h, W, b: 0.5, "this is a one-number tensor|shape"),
            (lambda x, h, W, b: torch.cat([h, x], 1) @ W.T + b > 0, "not True/False values"),
        ],
        secrets=lambda: numbers_of(reference_gate()),
    ),
    "check_cell_update": Spec(
        nb02.check_cell_update,
        right={
            **variants(cell_update, "tensor"),
            "torch_mul": lambda f, i, c, C: torch.add(torch.mul(f, C), torch.mul(i, c)),
            "addcmul": lambda f, i, c, C: torch.addcmul(f * C, i, c),
            "numpy": lambda f, i, c, C: f.numpy() * C.numpy() + i.numpy() * c.numpy(),
        },
        wrong=[
            (lambda f, i, c, C: f * c + i * C, "gates are swapped"),
            (lambda f, i, c, C: C + i * c, "nothing is forgotten"),
            (lambda f, i, c, C: f * C + c, "through the input gate"),
            (lambda f, i, c, C: torch.tanh(f * C + i * c), "not squashed"),
            (lambda f, i, c, C: f * C * i * c, "the two parts add; they do not multiply"),
            (lambda f, i, c, C: f * C - i * c, "check the sign"),
            (lambda f, i, c, C: f + C, r"element by element \(\*, not @\)"),
            (lambda f, i, c, C: (f * C + i * c).sum(1), r"shape \(batch, n_h\) = \(3, 5\)"),
        ],
        secrets=lambda: numbers_of(reference_cell()),
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
