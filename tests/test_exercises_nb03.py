"""Every checker of notebook 03 passes the right answer, reports a placeholder, and fails wrong answers with a hint."""

import pytest
import torch

from helpers.exercises import ExerciseError
from helpers.exercises.nb03 import check_cell_path_gain, check_read_answer, check_saturation


def read_answer(x):
    t_mark = x[..., -1].argmax(dim=1)
    y = x[torch.arange(x.shape[0]), t_mark, :-1].argmax(dim=1)
    return t_mark, y


def saturation(gate, low=0.1, high=0.9):
    return (gate < low).float().mean().item(), (gate > high).float().mean().item()


def gain(f, t, T):
    return f[t + 1 : T + 1].prod(dim=0)


@pytest.mark.parametrize(
    ("checker", "answer"),
    [(check_read_answer, read_answer), (check_saturation, saturation), (check_cell_path_gain, gain)],
)
def test_right_answers_pass(checker, answer, capsys):
    checker(answer)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [check_read_answer, check_saturation, check_cell_path_gain])
def test_placeholders_are_reported_not_failed(checker, capsys):
    checker(lambda *args, **kwargs: None)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("checker", "answer", "hint"),
    [
        (check_read_answer, lambda x: (x.shape[1] - 1 - read_answer(x)[0], read_answer(x)[1]), "that is the delay"),
        (check_read_answer, lambda x: (read_answer(x)[0] + 1, read_answer(x)[1]), "the marker is the last feature"),
        (check_read_answer, lambda x: (read_answer(x)[0], x[:, -1, :-1].argmax(dim=1)), "the value at the last step"),
        (check_read_answer, lambda x: read_answer(x)[0], "return a pair"),
        (check_read_answer, lambda x: (read_answer(x)[0][:3], read_answer(x)[1]), r"shape \(batch,\)"),
        (check_read_answer, lambda x: (read_answer(x)[0].tolist(), read_answer(x)[1]), "must be a torch.Tensor"),
        (check_read_answer, lambda x: (read_answer(x)[0], (read_answer(x)[1] + 1) % 3), "y is wrong"),
        (check_saturation, lambda g, low=0.1, high=0.9: saturation(g, low, high)[::-1], "swapped"),
        (check_saturation, lambda g, low=0.1, high=0.9: ((g <= low).float().mean().item(),
                                                         (g >= high).float().mean().item()), "not <= and >="),
        (check_saturation, lambda g, low=0.1, high=0.9: ((g < low).sum().item(), (g > high).sum().item()),
         "those are counts"),
        (check_saturation, lambda g, low=0.1, high=0.9: saturation(g), "use the low and high you are given"),
        (check_saturation, lambda g, low=0.1, high=0.9: (0.5, 0.5), "expected"),
        (check_saturation, lambda g, low=0.1, high=0.9: ("a", "b"), "return two numbers"),
        (check_cell_path_gain, lambda f, t, T: f[t:T].prod(dim=0), "off by one"),
        (check_cell_path_gain, lambda f, t, T: f[t + 1 : T + 1].sum(dim=0), "not .sum"),
        (check_cell_path_gain, lambda f, t, T: f[t + 1 : T + 1].prod(), r"shape \(n_h,\)"),
        (check_cell_path_gain, lambda f, t, T: 1.0, "return a torch.Tensor"),
        (check_cell_path_gain, lambda f, t, T: f[0] * 0, "C_T = f_T"),
    ],
)
def test_wrong_answers_fail_with_a_hint(checker, answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        checker(answer)
