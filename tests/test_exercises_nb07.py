"""Notebook 07's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint; exercise 2's run reads the accuracies it is given."""

import re

import numpy as np
import pytest
import torch
from exercise_contract import Spec, contract_tests, numbers_of

from helpers.exercises import ExerciseError, check_run, nb07
from helpers.exercises.nb07 import NO_INPUT_GATE, WHY_COUNT, step_inputs, train_step_cell


def no_input_gate(x_t, h_prev, C_prev, W, b):
    z_f, z_C, z_o = (torch.cat([h_prev, x_t], dim=1) @ W.T + b).chunk(3, dim=1)
    C_t = torch.sigmoid(z_f) * C_prev + torch.tanh(z_C)
    return torch.sigmoid(z_o) * torch.tanh(C_t), C_t


def split_weights(x_t, h_prev, C_prev, W, b):
    n_h = h_prev.shape[1]
    z = h_prev @ W[:, :n_h].T + x_t @ W[:, n_h:].T + b
    f_t, C_tilde_t, o_t = torch.sigmoid(z[:, :n_h]), torch.tanh(z[:, n_h : 2 * n_h]), torch.sigmoid(z[:, 2 * n_h :])
    C_t = f_t * C_prev + C_tilde_t
    return o_t * torch.tanh(C_t), C_t


def numpy_step(x_t, h_prev, C_prev, W, b):
    z = np.concatenate([np.asarray(h_prev), np.asarray(x_t)], axis=1) @ np.asarray(W).T + np.asarray(b)
    z_f, z_C, z_o = np.split(z, 3, axis=1)
    C_t = np.asarray(C_prev) / (1 + np.exp(-z_f)) + np.tanh(z_C)
    return np.tanh(C_t) / (1 + np.exp(-z_o)), C_t


def with_input_gate_of_one(x_t, h_prev, C_prev, W, b):  # the LSTM's step with i_t fixed at 1, written as such
    z_f, z_C, z_o = (torch.cat([h_prev, x_t], dim=1) @ W.T + b).chunk(3, dim=1)
    i_t = torch.ones_like(z_f)
    C_t = torch.sigmoid(z_f) * C_prev + i_t * torch.tanh(z_C)
    return torch.sigmoid(z_o) * torch.tanh(C_t), C_t


def wrong_order(x_t, h_prev, C_prev, W, b):
    z_f, z_C, z_o = (torch.cat([x_t, h_prev], dim=1) @ W.T + b).chunk(3, dim=1)
    C_t = torch.sigmoid(z_f) * C_prev + torch.tanh(z_C)
    return torch.sigmoid(z_o) * torch.tanh(C_t), C_t


def no_forget(x_t, h_prev, C_prev, W, b):
    z_f, z_C, z_o = (torch.cat([h_prev, x_t], dim=1) @ W.T + b).chunk(3, dim=1)
    C_t = C_prev + torch.tanh(z_C)
    return torch.sigmoid(z_o) * torch.tanh(C_t), C_t


def no_tanh(x_t, h_prev, C_prev, W, b):
    h_t, C_t = no_input_gate(x_t, h_prev, C_prev, W, b)
    return h_t / torch.tanh(C_t) * C_t, C_t


def references():
    return [value for inputs in step_inputs() for pair in [no_input_gate(*inputs)] for value in pair]


SPECS = {
    "check_no_input_gate": Spec(
        nb07.check_no_input_gate,
        right={
            "float64": no_input_gate,
            "float32": lambda *a: tuple(v.float() for v in no_input_gate(*(t.float() for t in a))),
            "split_weights": split_weights,
            "numpy": numpy_step,
            "lists": lambda *a: [v.tolist() for v in no_input_gate(*a)],
            "requires_grad": lambda *a: no_input_gate(*(t.clone().requires_grad_() for t in a)),
            "i_t_of_one": with_input_gate_of_one,
        },
        wrong=[
            (wrong_order, r"\[h_\{t-1\}, x_t\], the previous hidden state first"),
            (no_forget, "the forget gate f_t still scales C_"),
            (no_tanh, "keep the tanh of the cell state"),
            (lambda *a: no_input_gate(*a)[::-1], r"in the order \(h_t, C_t\)"),
            (lambda *a: (no_input_gate(*a)[0] * 0.5, no_input_gate(*a)[1]), "C_t is right; h_t is not"),
            (lambda *a: (no_input_gate(*a)[1] + 1, no_input_gate(*a)[1] + 1), "split W"),
            (lambda *a: no_input_gate(*a)[0], "pair"),
            (lambda *a: (no_input_gate(*a)[0][:, :1], no_input_gate(*a)[1]), r"\(batch, n_h\)"),
        ],
        secrets=lambda: numbers_of(*references()),
    ),
    "check_why_count": Spec(
        nb07.check_why_count,
        kind="value",
        verdict=r"^right, \(c\)\.",
        right={"c": "c", "C": "C", "paren": "(c)", "text": WHY_COUNT.choices[2].text},
        wrong=[
            ("a", r"not \(a\)\. Not here"),
            ("b", r"not \(b\)\. The reset gate only changes"),
            ("d", r"not \(d\)\. The count lives in C_t"),
            ("e", "there is no choice 'e'"),
        ],
        secrets=lambda: [re.compile(r"\(c\)"), "is a sum, a counter"],
    ),
}

globals().update(contract_tests(nb07, SPECS))


@pytest.mark.parametrize(
    ("accuracies", "letter"),
    [([0.3, 0.25, 0.25], "a"), ([0.7, 0.5, 0.4], "b"), ([0.95, 0.8, 0.6], "c"), ([0.99, 0.95, 0.9], "d")],
)
def test_the_run_decides_the_letter(accuracies, letter, capsys):
    check_run(NO_INPUT_GATE, letter, accuracies)
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("✓") and f"Your prediction ({letter}) came true" in out, out


def test_the_run_refuses_what_is_not_three_accuracies():
    with pytest.raises(ExerciseError, match="between 0 and 1"):
        NO_INPUT_GATE.measure([95, 80, 60])
    with pytest.raises(ExerciseError, match=r"\(3,\)"):
        NO_INPUT_GATE.measure([0.9, 0.8])


def test_train_step_cell_reports_a_broken_step_and_returns_none(capsys):
    def broken(x_t, h_prev, C_prev, W, b):
        return h_prev @ W  # wrong shapes: raises

    assert train_step_cell(broken, seed=0) is None
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("✗ Exercise 2 (your run)") and "test_exercises_nb07.py" in out, out
    assert train_step_cell(None) is None
    assert "not attempted yet" in capsys.readouterr().out


def test_train_step_cell_refuses_a_step_that_cannot_train(capsys):
    def detached(x_t, h_prev, C_prev, W, b):
        h_t, C_t = no_input_gate(x_t, h_prev, C_prev, W.detach(), b.detach())
        return h_t.detach(), C_t.detach()

    assert train_step_cell(detached) is None
    assert "so that it can train" in " ".join(capsys.readouterr().out.split())


def test_train_step_cell_trains_the_right_step(capsys):
    torch.set_num_threads(1)
    result = train_step_cell(no_input_gate, seed=0)
    out = capsys.readouterr().out
    assert out.startswith("✓ Exercise 2 (your run): trained"), out
    assert len(result) == 3 and all(0 <= a <= 1 for a in result)
    assert result[0] > 0.5, "the cell learns the task inside its training range"
