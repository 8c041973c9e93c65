"""Every checker of notebook 01 passes the right answer, reports a placeholder, and fails wrong answers with a hint."""

import pytest
import torch

from helpers.exercises import ExerciseError
from helpers.exercises.nb01 import check_parameter_count, check_rnn_step, check_steps_to_shrink


def right_step(x_t, h_prev, W_xh, W_hh, b):
    return torch.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)


def steps(w, fraction):
    k = 0
    while abs(w) ** k >= fraction:
        k += 1
    return k


@pytest.mark.parametrize(
    ("checker", "answer"),
    [(check_rnn_step, right_step), (check_parameter_count, lambda n_in, n_h: n_h * (n_in + n_h + 1)),
     (check_steps_to_shrink, steps)],
)
def test_right_answers_pass(checker, answer, capsys):
    checker(answer)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [check_rnn_step, check_parameter_count, check_steps_to_shrink])
def test_placeholders_are_reported_not_failed(checker, capsys):
    checker(lambda *args: None)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("checker", "answer", "hint"),
    [
        (check_rnn_step, lambda x, h, Wx, Wh, b: x @ Wx.T + h @ Wh.T + b, "must pass through tanh"),
        (check_rnn_step, lambda x, h, Wx, Wh, b: torch.tanh(x @ Wx.T + h @ Wh.T), "b is added once"),
        (check_rnn_step, lambda x, h, Wx, Wh, b: torch.tanh(h @ Wh.T + b)[:, :2], r"shape \(batch, n_h\)"),
        (check_rnn_step, lambda *args: 1.0, "return a torch.Tensor"),
        (check_parameter_count, lambda n_in, n_h: n_h * (n_in + n_h + 2), "two bias vectors"),
        (check_parameter_count, lambda n_in, n_h: n_h * (n_in + n_h), "forget the bias"),
        (check_parameter_count, lambda n_in, n_h: n_in * n_h, "W_xh is"),
        (check_steps_to_shrink, lambda w, f: steps(w, f) - 1, "Off by one"),
        (check_steps_to_shrink, lambda w, f: 3, "multiplies the gradient by w"),
    ],
)
def test_wrong_answers_fail_with_a_hint(checker, answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checker(answer)
