"""Checkers for the exercises of notebook 03, the gates of a trained LSTM at work."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.exercises import ExerciseError, require_answer, run_check
from helpers.tasks import make_memory_batch


def _pair(got: object, what: str) -> tuple[object, object]:
    got = require_answer(got, "your function returned None")
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise ExerciseError(f"return a pair {what}; got {got!r}"[:300])
    return got[0], got[1]


def _as_long(value: object, name: str, batch: int) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise ExerciseError(f"{name} must be a torch.Tensor of shape (batch,) = ({batch},); got {type(value).__name__}")
    if value.shape != (batch,):
        raise ExerciseError(f"{name} must have shape (batch,) = ({batch},), one per sequence; got {tuple(value.shape)}")
    return value.long()


def check_read_answer(student_read_answer: Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]]) -> None:
    """Exercise 1: ``student_read_answer(x)`` returns (t_mark, y): the marked step and its value, each (batch,)."""

    def check() -> None:
        gen = torch.Generator().manual_seed(3)
        for n_values, seq_len in ((4, 20), (3, 9)):
            x, y, t_mark = make_memory_batch(50, seq_len, n_values=n_values, generator=gen)
            got_t, got_y = _pair(student_read_answer(x), "(t_mark, y)")
            got_t, got_y = _as_long(got_t, "t_mark", 50), _as_long(got_y, "y", 50)
            if not torch.equal(got_t, t_mark):
                if torch.equal(got_t, seq_len - 1 - t_mark):
                    raise ExerciseError("that is the delay, the steps from the mark to the end; return the marked step")
                raise ExerciseError(
                    "t_mark is wrong. Hint: the marker is the last feature, x[..., -1]; it is 1 at one step only"
                )
            last = x[:, -1, :n_values].argmax(dim=1)
            if torch.equal(got_y, last) and not torch.equal(last, y):
                raise ExerciseError("that is the value at the last step, a distractor; read it at the marked step")
            if not torch.equal(got_y, y):
                raise ExerciseError(
                    "y is wrong. Hint: take each sequence's row at its marked step, x[torch.arange(batch), t_mark], "
                    "and the argmax of its value features (all but the marker)"
                )

    run_check("Exercise 1 (reading the task)", check)


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(p - q) < 1e-6 for p, q in zip(a, b, strict=True))


def check_saturation(student_saturation: Callable[..., tuple[float, float]]) -> None:
    """Exercise 2: ``student_saturation(gate, low=0.1, high=0.9)`` gives (fraction < low, fraction > high)."""

    def check() -> None:
        gate = torch.tensor([[0.0, 0.02, 0.1, 0.5, 0.7], [0.9, 0.93, 1.0, 0.3, 0.05]])
        want = (3 / 10, 2 / 10)  # 0.1 and 0.9 themselves are in neither group
        got = _pair(student_saturation(gate, low=0.1, high=0.9), "(near 0, near 1)")
        try:
            got = (float(got[0]), float(got[1]))
        except (TypeError, ValueError):
            raise ExerciseError(f"return two numbers; got {got!r}") from None
        if _same(got, want):
            other = _pair(student_saturation(gate, low=0.4, high=0.6), "(near 0, near 1)")
            if not _same(tuple(float(v) for v in other), (5 / 10, 4 / 10)):
                raise ExerciseError("right for low=0.1, high=0.9, but use the low and high you are given")
            return
        if _same(got, (want[1], want[0])):
            raise ExerciseError("the two numbers are swapped: first the fraction near 0, then near 1")
        if _same(got, (4 / 10, 3 / 10)):
            raise ExerciseError("0.1 and 0.9 themselves count as in between: use < low and > high, not <= and >=")
        if _same(got, (3.0, 2.0)):
            raise ExerciseError("those are counts; divide by the number of values, gate.numel()")
        raise ExerciseError(
            f"expected {want} for this gate, got ({got[0]:.3g}, {got[1]:.3g}). Hint: (gate < low).float().mean()"
        )

    run_check("Exercise 2 (how saturated is a gate)", check)


def check_cell_path_gain(student_gain: Callable[[torch.Tensor, int, int], torch.Tensor]) -> None:
    """Exercise 3: ``student_gain(f, t, T)`` is ∂C_T/∂C_t along the cell-state line: the product of f_k, k = t+1..T.

    f: (time, n_h) forget-gate values of one sequence -> (n_h,).
    """

    def check() -> None:
        gen = torch.Generator().manual_seed(4)
        f = torch.rand(30, 3, generator=gen, dtype=torch.float64) * 0.5 + 0.5
        for t, T in ((4, 20), (0, 29), (10, 11), (7, 7)):
            got = require_answer(student_gain(f, t, T), "your function returned None")
            want = f[t + 1 : T + 1].prod(dim=0)
            if not isinstance(got, torch.Tensor):
                raise ExerciseError(f"return a torch.Tensor of shape (n_h,) = (3,); got {type(got).__name__}")
            if got.shape != want.shape:
                raise ExerciseError(f"return one gain per unit, shape (n_h,) = (3,); got {tuple(got.shape)}")
            got = got.to(torch.float64)
            if torch.allclose(got, want, rtol=1e-6):
                continue
            if torch.allclose(got, f[t:T].prod(dim=0), rtol=1e-6) or torch.allclose(got, f[t:T + 1].prod(dim=0)):
                raise ExerciseError(
                    f"for t={t}, T={T}: off by one step. C_t is already made at step t; the steps that act on it "
                    "afterwards are k = t+1, ..., T, i.e. f[t + 1 : T + 1]"
                )
            if torch.allclose(got, f[t + 1 : T + 1].sum(dim=0), rtol=1e-6):
                raise ExerciseError("each step multiplies C by f_k, so the gains multiply: use .prod, not .sum")
            raise ExerciseError(
                f"for t={t}, T={T} expected {want.tolist()}, got {got.tolist()}. "
                "Hint: with i_k = 0, C_k = f_k * C_{k-1}, so C_T = f_T * ... * f_{t+1} * C_t"
            )

    run_check("Exercise 3 (the cell-state path)", check)
