"""Every checker of notebook 02 passes the right answer, reports a placeholder, and fails wrong answers with a hint."""

import math

import numpy as np
import pytest
import torch

from helpers.exercises import ExerciseError
from helpers.exercises.nb02 import check_cell_update, check_forget_gate, check_half_life_bias


def forget_gate(x_t, h_prev, W_f, b_f):
    return torch.sigmoid(torch.cat([h_prev, x_t], dim=1) @ W_f.T + b_f)


def cell_update(f_t, i_t, C_tilde_t, C_prev):
    return f_t * C_prev + i_t * C_tilde_t


def half_life_bias(n_steps):
    p = 0.5 ** (1 / n_steps)
    return math.log(p / (1 - p))


@pytest.mark.parametrize(
    ("checker", "answer"),
    [
        (check_forget_gate, forget_gate),
        (check_cell_update, cell_update),
        (check_half_life_bias, half_life_bias),
        (check_half_life_bias, lambda n: torch.logit(torch.tensor(0.5 ** (1 / n), dtype=torch.float64))),
        (check_half_life_bias, lambda n: np.float64(half_life_bias(n))),
    ],
)
def test_right_answers_pass(checker, answer, capsys):
    checker(answer)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [check_forget_gate, check_cell_update, check_half_life_bias])
def test_placeholders_are_reported_not_failed(checker, capsys):
    checker(lambda *args: None)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("checker", "answer", "hint"),
    [
        (check_forget_gate, lambda x, h, W, b: torch.cat([h, x], 1) @ W.T + b, "passes it through the sigmoid"),
        (check_forget_gate, lambda x, h, W, b: torch.tanh(torch.cat([h, x], 1) @ W.T + b), "not tanh"),
        (check_forget_gate, lambda x, h, W, b: torch.sigmoid(torch.cat([h, x], 1) @ W.T), "missing the bias"),
        (check_forget_gate, lambda x, h, W, b: torch.sigmoid(torch.cat([x, h], 1) @ W.T + b), "h_prev first"),
        (check_forget_gate, lambda x, h, W, b: torch.sigmoid(h), "differs from .* v @ W_f.T"),
        (check_forget_gate, lambda x, h, W, b: torch.sigmoid(b), r"shape \(batch, n_h\) = \(3, 4\); got \(4,\)"),
        (check_forget_gate, lambda x, h, W, b: 0.5, "return a torch.Tensor; got float"),
        (check_cell_update, lambda f, i, c, C: f * c + i * C, "gates are swapped"),
        (check_cell_update, lambda f, i, c, C: C + i * c, "nothing is forgotten"),
        (check_cell_update, lambda f, i, c, C: f * C + c, "through the input gate"),
        (check_cell_update, lambda f, i, c, C: torch.tanh(f * C + i * c), "not squashed"),
        (check_cell_update, lambda f, i, c, C: f * C * i * c, "the two parts add"),
        (check_cell_update, lambda f, i, c, C: f + C, "differs from"),
        (check_cell_update, lambda f, i, c, C: (f * C + i * c).sum(1), r"shape \(batch, n_h\)"),
        (check_half_life_bias, lambda n: 0.5 ** (1 / n), "is σ\\(b\\), the fraction kept"),
        (check_half_life_bias, lambda n: -half_life_bias(n) if n > 1 else 0.0, "check the sign"),
        (check_half_life_bias, lambda n: 2.0, r"b = 2, but σ\(b\)\*\*1 = 0.8808, not 0.5"),
        (check_half_life_bias, lambda n: -1000.0, "not 0.5"),
        (check_half_life_bias, lambda n: "4.9", "return a number; got str"),
    ],
)
def test_wrong_answers_fail_with_a_hint(checker, answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checker(answer)
