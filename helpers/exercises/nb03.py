"""Checkers for the exercises of notebook 03, the gates of a trained LSTM at work."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    PredictThenRun,
    Question,
    as_indices,
    as_number,
    as_pair,
    as_values,
    check_choice,
    check_prediction,
    check_run,
    close,
    run_check,
    tolerance_for,
)
from helpers.tasks import make_memory_batch

READ_CASES = ((4, 20), (3, 9))
"""The (n_values, seq_len) of the memory batches read_answer is checked on (50 sequences each)."""

SATURATION_GATE = ((0.0, 0.02, 0.1, 0.5, 0.7), (0.9, 0.93, 1.0, 0.3, 0.05))
"""The gate values fraction_saturated is checked on, at (low, high) = (0.1, 0.9) and (0.4, 0.6)."""

FRACTION_ATOL = 1e-6
"""Tolerance of exercise 5 on each fraction, with rtol 1e-5 (a float32 mean of ten 0/1 values is exact to 1e-7)."""

GAIN_CASES = ((4, 20), (0, 29), (10, 11), (7, 7))
"""The (t, T) at which cell_path_gain is checked, on forget gates f of shape (30, 3), float64."""

GAIN_RTOL, GAIN_ATOL = 1e-4, 1e-12
"""Tolerance of exercise 1, relative: gains as small as 1e-9 are compared digit by digit (float32 passes)."""


def check_read_answer(student_read_answer: Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]]) -> None:
    """Exercise 4: ``student_read_answer(x)`` returns (t_mark, y): the marked step and its value, each (batch,).

    x: (batch, time, n_values + 1). Whole numbers in any type are accepted: long or float tensors,
    NumPy arrays, lists.
    """

    def check(grading: Grading) -> None:
        gen = torch.Generator().manual_seed(3)
        for n_values, seq_len in READ_CASES:
            batch = 50
            x, y, t_mark = make_memory_batch(batch, seq_len, n_values=n_values, generator=gen)
            got_t, got_y = as_pair(grading.call(student_read_answer, x), "(t_mark, y)")
            got_t = as_indices(got_t, "t_mark", (batch,), "(batch,)")
            got_y = as_indices(got_y, "y", (batch,), "(batch,)")
            if torch.equal(got_t, y) and torch.equal(got_y, t_mark) and not torch.equal(y, t_mark):
                raise ExerciseError("the pair is (t_mark, y), in that order: first the step, then the value")
            if not torch.equal(got_t, t_mark):
                if torch.equal(got_t, seq_len - 1 - t_mark):
                    raise ExerciseError("that is the delay, the steps from the mark to the end; return the marked step")
                raise ExerciseError(
                    "t_mark is wrong. Hint: the marker is the last feature; it is 1 at the marked step only"
                )
            last = x[:, -1, :n_values].argmax(dim=1)
            if torch.equal(got_y, last) and not torch.equal(last, y):
                raise ExerciseError("that is the value at the last step, a distractor; read it at the marked step")
            if not torch.equal(got_y, y):
                raise ExerciseError(
                    "y is wrong. Hint: y is the value shown at each sequence's own marked step: which of the "
                    "value features (all but the marker) is 1 there"
                )

    run_check("Exercise 4 (reading the task)", check)


FRACTION_RTOL = 1e-5
"""Relative tolerance of exercise 5 (counts and percentages are recognised as such)."""


def _fractions(
    grading: Grading, student: Callable[..., object], low: float, high: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The student's two fractions, and the (rtol, atol) their types can hold."""
    gate = torch.tensor(SATURATION_GATE)
    answer = grading.call(student, gate, low=low, high=high)
    near_0, near_1 = as_pair(answer, "(near 0, near 1)")
    got = as_number(near_0, "the fraction near 0"), as_number(near_1, "the fraction near 1")
    return got, tolerance_for(answer, FRACTION_RTOL, FRACTION_ATOL)


def _same(a: tuple[float, float], b: tuple[float, float], tol: tuple[float, float]) -> bool:
    return all(close(p, q, rtol=tol[0], atol=tol[1]) for p, q in zip(a, b, strict=True))


def check_saturation(student_saturation: Callable[..., tuple[float, float]]) -> None:
    """Exercise 5: ``student_saturation(gate, low=0.1, high=0.9)`` gives (fraction < low, fraction > high).

    A pair of numbers in any numeric type (or a tensor of two) is accepted; each fraction is compared
    at atol 1e-6, rtol 1e-5.
    """

    def check(grading: Grading) -> None:
        gate = torch.tensor(SATURATION_GATE)
        want = (float((gate < 0.1).double().mean()), float((gate > 0.9).double().mean()))
        got, tol = _fractions(grading, student_saturation, 0.1, 0.9)
        if _same(got, want, tol):
            other = (float((gate < 0.4).double().mean()), float((gate > 0.6).double().mean()))
            got_other, tol_other = _fractions(grading, student_saturation, 0.4, 0.6)
            if not _same(got_other, other, tol_other):
                raise ExerciseError("right for low=0.1, high=0.9, but use the low and high you are given")
            return
        n = gate.numel()
        if _same(got, (want[1], want[0]), tol):
            raise ExerciseError("the two numbers are swapped: first the fraction near 0, then near 1")
        inclusive = (float((gate <= 0.1).double().mean()), float((gate >= 0.9).double().mean()))
        if _same(got, inclusive, tol):
            raise ExerciseError("0.1 and 0.9 themselves count as in between: strictly below low, strictly above high")
        if _same(got, (want[0] * n, want[1] * n), tol):
            raise ExerciseError("those are counts; divide each by the number of values, gate.numel()")
        if _same(got, (want[0] * 100, want[1] * 100), tol):
            raise ExerciseError("those are percentages; give fractions between 0 and 1")
        if not all(0 <= g <= 1 for g in got):
            raise ExerciseError("a fraction lies between 0 and 1")
        raise ExerciseError(
            f"for this gate of {n} values you said {got[0]:.3g} below 0.1 and {got[1]:.3g} above 0.9. "
            "Hint: count the values strictly below low and strictly above high, then divide by all values"
        )

    run_check("Exercise 5 (how saturated is a gate)", check)


def gain_inputs() -> torch.Tensor:
    """The forget-gate values f, (time=30, n_h=3), float64 in [0.5, 1), exercise 1 is checked on."""
    gen = torch.Generator().manual_seed(4)
    return torch.rand(30, 3, generator=gen, dtype=torch.float64) * 0.5 + 0.5


def check_cell_path_gain(student_gain: Callable[[torch.Tensor, int, int], torch.Tensor]) -> None:
    """Exercise 1: ``student_gain(f, t, T)`` is ∂C_T/∂C_t along the cell-state line: the product of f_k, k = t+1..T.

    f: (time, n_h) forget-gate values of one sequence -> (n_h,). Checked at each of
    :data:`GAIN_CASES`; compared at rtol 1e-4 (any dtype, device or array type).
    """

    def check(grading: Grading) -> None:
        f = gain_inputs()
        for t, T in GAIN_CASES:
            answer = grading.call(student_gain, f, t, T)
            want = f[t + 1 : T + 1].prod(dim=0)
            none = " (for t = T no step acts: the gain is still one per unit)" if t == T else ""
            got = as_values(answer, f"the gain for t={t}, T={T}", (3,), "(n_h,)", none)
            rtol, atol = tolerance_for(answer, GAIN_RTOL, GAIN_ATOL)
            if close(got, want, rtol=rtol, atol=atol):
                continue
            late, early = f[t:T].prod(dim=0), f[t : T + 1].prod(dim=0)
            if close(got, late, rtol=rtol, atol=atol) or close(got, early, rtol=rtol, atol=atol):
                raise ExerciseError(
                    f"for t={t}, T={T}: off by one step. C_t is already made at step t; the steps that act on "
                    "it afterwards are k = t+1, ..., T"
                )
            if t < T and close(got, f[t + 1 : T + 1].sum(dim=0), rtol=rtol, atol=atol):
                raise ExerciseError("each step multiplies C by f_k, so the gains multiply; they do not add")
            raise ExerciseError(
                f"for t={t}, T={T} the gain differs from the product of the forget gates that act on C "
                "after step t. Hint: with i_k = 0, C_k = f_k * C_(k-1): follow it from k = t+1 up to T"
            )

    run_check("Exercise 1 (the cell-state path)", check)


WHY_RNN = Question(
    title="Exercise 2 (why the RNN learns nothing)",
    prompt=(
        "The RNN of §2 had as many parameters as the LSTM, the same batches and the same loop, yet its loss "
        "never left ln 4. Why?"
    ),
    choices=(
        Choice(
            "It has too few units to store one of four values.",
            "No: the same RNN, trained on sequences of 11 steps, keeps the value over a delay of 100 (§3). "
            "It can hold the value; it does not learn to.",
        ),
        Choice(
            "The error at the last step shrinks at every step it travels back, so almost none of it reaches "
            "a mark tens of steps earlier: nothing tells the RNN to store the marked value.",
            "Notebook 01 measured that shrinking. The LSTM's cell state offers a path on which the "
            "error is multiplied only by forget gates, which training can hold near 1.",
        ),
        Choice(
            "500 steps are too few: its loss was falling slowly and would reach 0 later.",
            "Look at the loss curves of §2: the RNN's loss does not fall slowly, it stays at ln 4 from the "
            "first step to the last. It finds no direction in which to improve.",
        ),
        Choice(
            "tanh saturates, so its hidden state cannot change after the first steps.",
            "Its hidden state does change with every input; that is why distractors overwrite it. A "
            "saturated tanh is one reason an error signal shrinks, but the question is what it fails to learn.",
        ),
    ),
    answer="b",
)


def check_why_rnn(answer: object) -> None:
    """Exercise 2: a letter, "a" to "d" (any case, "b)" or "(b)" too, or the choice's text)."""
    check_choice(WHY_RNN, answer)


def _lesson_of(accuracy: object) -> str:
    """What an LSTM trained with forget bias 0 learned, read from its accuracy at delay 200 (0 to 1)."""
    value = as_number(accuracy, "your accuracy at delay 200")
    if not 0 <= value <= 1:
        raise ExerciseError(f"an accuracy is a fraction from 0 to 1; this is {value:g} (a percentage?)")
    return "a" if value >= 0.9 else "b" if value >= 0.35 else "c"


BIAS_ZERO = PredictThenRun(
    title="Exercise 3 (retrain with forget bias 0)",
    prediction=Question(
        title="Exercise 3 (retrain with forget bias 0)",
        prompt=(
            "Train the LSTM of §2 again, seed SEED, the same recipe, but with the forget-gate bias starting "
            "at 0 instead of +1 (its gates then start half closed: σ(0) = 0.5). At delay 200 it will:"
        ),
        choices=(
            Choice(
                "still score 90% or more",
                "Training moved the forget gates where the task needs them from either start: with this "
                "recipe the +1 is a head start, not a necessity.",
            ),
            Choice(
                "learn the task, but score between 35% and 90%",
                "The memory it learned leaks: it holds the value for the delays it trained on, less well "
                "beyond.",
            ),
            Choice(
                "stay near chance, under 35%",
                "With each step keeping half of C, the error from the last step fades on the cell path too, "
                "and this run never found the mark.",
            ),
        ),
    ),
    measure=_lesson_of,
    lesson="Compare with the seeds of §3: one run is one draw, and the story check's table shows others.",
)


def check_bias_zero_prediction(prediction: object) -> None:
    """Exercise 3, before the run: the prediction, a letter "a" to "c"."""
    check_prediction(BIAS_ZERO, prediction)


def check_bias_zero_run(prediction: object, accuracy: object) -> None:
    """Exercise 3, after the run: the prediction again, and the retrained LSTM's accuracy at delay 200 (0 to 1)."""
    check_run(BIAS_ZERO, prediction, accuracy)
