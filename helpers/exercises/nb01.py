"""Checkers for the exercises of notebook 01, the vanilla RNN.

Exercise 1 is a "why" question (:data:`WHY_CLIPPING`, graded by :func:`check_why_clipping`); exercise 2
is an experiment the student predicts, then runs (:data:`SCALING`: :func:`check_scaling_prediction`
before the run, :func:`check_scaling_run` after it). Exercises 3-5, under Going further, grade a function
the student writes.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    PredictThenRun,
    Question,
    as_count,
    as_number,
    as_pair,
    as_values,
    check_choice,
    check_prediction,
    check_run,
    close,
    require_shape,
    run_check,
    tolerance_for,
)
from helpers.rnn import rnn_step

PARAMETER_COUNT_CASES = ((1, 1), (4, 5), (10, 32), (7, 2))
"""The (n_in, n_h) at which a parameter count is checked."""

SHRINK_CASES = ((0.9, 0.01), (0.5, 0.001), (-0.8, 0.1), (0.99, 0.5))
"""The (w, fraction) at which steps_to_shrink is checked."""

RTOL, ATOL = 1e-4, 1e-5
"""Tolerance of exercise 3, |got - want| <= ATOL + RTOL |want|: float32 and float64 arithmetic both pass."""


def rnn_step_inputs() -> tuple[torch.Tensor, ...]:
    """The (x_t, h_prev, W_xh, W_hh, b) exercise 3 is checked on: batch 3, n_in 4, n_h 5, float32."""
    gen = torch.Generator().manual_seed(1)
    batch, n_in, n_h = 3, 4, 5
    x_t, h_prev = torch.randn(batch, n_in, generator=gen), torch.randn(batch, n_h, generator=gen)
    W_xh, W_hh = torch.randn(n_h, n_in, generator=gen), torch.randn(n_h, n_h, generator=gen)
    b = torch.randn(n_h, generator=gen)
    return x_t, h_prev, W_xh, W_hh, b


def check_rnn_step(student_rnn_step: Callable[..., torch.Tensor]) -> None:
    """Exercise 3: ``student_rnn_step(x_t, h_prev, W_xh, W_hh, b)`` computes h_t = tanh(W_xh x_t + W_hh h_{t-1} + b).

    x_t: (batch, n_in), h_prev: (batch, n_h) -> (batch, n_h). Any real dtype, device or array type is
    accepted; values are compared at rtol 1e-4, atol 1e-5.
    """

    def check(grading: Grading) -> None:
        inputs = rnn_step_inputs()
        x_t, h_prev, W_xh, W_hh, b = (v.double() for v in inputs)
        want = rnn_step(x_t, h_prev, W_xh, W_hh, b)
        answer = grading.call(student_rnn_step, *inputs)
        got = as_values(answer, "h_t")
        flipped = " (one row per sequence: rows are vectors here, so W x is written x @ W.T)"
        hint = flipped if got.shape == want.shape[::-1] else ""
        require_shape(answer, got, tuple(want.shape), "h_t", "(batch, n_h)", hint)
        rtol, atol = tolerance_for(answer, RTOL, ATOL)
        if close(got, want, rtol=rtol, atol=atol):
            return
        pre = x_t @ W_xh.T + h_prev @ W_hh.T + b
        mistakes = [
            (pre, "the sum is right, but h_t must pass through tanh"),
            (torch.sigmoid(pre), "h_t uses tanh, not the sigmoid"),
            (torch.relu(pre), "h_t uses tanh, not ReLU"),
            (torch.tanh(pre - b), "the bias b is missing"),
            (torch.tanh(pre + b), "the bias b is added twice; it enters once"),
            (torch.tanh(pre - h_prev @ W_hh.T), "h_prev is missing: the previous state enters through W_hh"),
            (torch.tanh(pre - x_t @ W_xh.T), "the input x_t is missing: it enters through W_xh"),
            (
                torch.tanh(pre - h_prev @ W_hh.T + h_prev @ W_hh),
                "W_hh is applied transposed: rows are vectors here, so W h is written h @ W.T",
            ),
        ]
        for wrong, hint in mistakes:
            if close(got, wrong, rtol=rtol, atol=atol):
                raise ExerciseError(hint)
        raise ExerciseError(
            "h_t differs from tanh(W_xh x_t + W_hh h_(t-1) + b). Hint: check that each weight multiplies "
            "its own input (rows are vectors here, so W x is written x @ W.T) and that b is added once"
        )

    run_check("Exercise 3 (one RNN step)", check)


def check_parameter_count(student_count: Callable[[int, int], int]) -> None:
    """Exercise 4: ``student_count(n_in, n_h)`` is the number of numbers in W_xh, W_hh and b.

    Checked at each of :data:`PARAMETER_COUNT_CASES`; a whole number in any numeric type (4, 4.0,
    numpy.int64(4), torch.tensor(4)) is accepted, exactly.
    """

    def check(grading: Grading) -> None:
        cases = PARAMETER_COUNT_CASES
        got = [
            as_count(grading.call(student_count, n_in, n_h), f"the count for n_in={n_in}, n_h={n_h}")
            for n_in, n_h in cases
        ]
        right = [n_h * n_in + n_h * n_h + n_h for n_in, n_h in cases]
        if got == right:
            return
        n_in, n_h = next(case for case, g, r in zip(cases, got, right, strict=True) if g != r)
        where = f"for n_in={n_in}, n_h={n_h}"
        mistakes = [
            (
                lambda i, h: h * i + h * h + 2 * h,
                "your count has two bias vectors, as PyTorch's nn.RNN keeps; our equation has one b",
            ),
            (lambda i, h: h * i + h * h, "your count leaves out the bias b"),
            (lambda i, h: h * i + h, "your count leaves out W_hh, the recurrent weights"),
            (lambda i, h: h * h + h, "your count leaves out W_xh, the input weights"),
            (lambda i, h: h * i + h * h + i, "your bias has one entry per input; b has one per hidden unit"),
        ]
        for formula, hint in mistakes:
            if got == [formula(i, h) for i, h in cases]:
                raise ExerciseError(f"{where} {hint}")
        wrong = got[cases.index((n_in, n_h))]
        raise ExerciseError(
            f"{where} you counted {wrong}, which is not the size of W_xh, W_hh and b together. "
            "Hint: write down the shape of each and multiply its sides"
        )

    run_check("Exercise 4 (counting parameters)", check)


def check_steps_to_shrink(student_steps: Callable[[float, float], int]) -> None:
    """Exercise 5: the smallest k with |w|**k < fraction, for a scalar linear RNN h_t = w h_{t-1} + u x_t.

    Checked at each of :data:`SHRINK_CASES`; a whole number in any numeric type is accepted, exactly.
    """

    def check(grading: Grading) -> None:
        for w, fraction in SHRINK_CASES:
            case = f"w={w}, fraction={fraction}"
            got = as_count(grading.call(student_steps, w, fraction), f"the number of steps for {case}")
            if got < 0:
                raise ExerciseError(f"{case}: a number of steps is 0 or more; this is {got}")
            if abs(w) ** got >= fraction:
                if w < 0 and w**got < fraction:
                    raise ExerciseError(
                        f"{case}: for a negative w, w**k changes sign at every step; the size of the "
                        "gradient is |w|**k, so compare abs(w)**k with the fraction"
                    )
                raise ExerciseError(
                    f"{case}: after {got} steps |w|**k = {abs(w) ** got:.3g}, which is not yet below {fraction}"
                )
            if got > 0 and abs(w) ** (got - 1) < fraction:
                raise ExerciseError(
                    f"{case}: after {got} steps |w|**k is below {fraction}, but fewer steps already get "
                    "there: look for the smallest k"
                )

    run_check("Exercise 5 (how fast a gradient vanishes)", check)


WHY_CLIPPING = Question(
    title="Exercise 1 (why clipping cannot help)",
    prompt="Our training loop clips the gradient's norm to 1. Why does that not rescue the training at lag 12?",
    choices=(
        Choice(
            "Clipping only scales a gradient down when its norm is above 1; the part that comes from "
            "12 steps back is tiny, and clipping never makes it larger.",
            "Clipping guards against exploding gradients. Against a vanishing one it does nothing: "
            "scaling the whole gradient by one number leaves the far part as small, relative to the rest.",
        ),
        Choice(
            "Clipping changes the direction of the gradient, so the weights move the wrong way.",
            "Clipping multiplies the whole gradient by one positive number: its direction stays the same.",
        ),
        Choice(
            "Clipping comes after the optimizer's step, too late to change anything.",
            "Look at the loop again: clip_grad_norm_ runs between backward() and step(), so the step "
            "uses the clipped gradient.",
        ),
        Choice(
            "Adam's learning rate is too small for lag 12, whatever the clipping.",
            "The same learning rate trains lags 1 to 9, and from the lag-9 weights it trains lag 12 "
            "too (section 6): the rate is not what fails.",
        ),
    ),
    answer="a",
)
"""Exercise 1's question; the notebook shows it with ``WHY_CLIPPING.show()``."""


def check_why_clipping(answer: object) -> None:
    """Exercise 1: the letter (or the text) of the right choice of :data:`WHY_CLIPPING`."""
    check_choice(WHY_CLIPPING, answer)


SCALING_FACTOR = 2.0
"""Exercise 2 multiplies the fresh lag-12 model's W_hh by this."""


def _scaling_outcome(result: object) -> str:
    """The choice of :data:`SCALING` that the student's run bears out.

    result: the pair (before, after) of ratios g[12] / g[0] of gradient norms, before and after the
    scaling. After / before above 2: "c" (larger); below 1/2: "a" (smaller); else "b" (about the same).
    """
    before, after = as_pair(result, "(before, after)")
    before = as_number(before, "before, the ratio g[12] / g[0] of the fresh model,")
    after = as_number(after, "after, the ratio g[12] / g[0] of the scaled model,")
    if before <= 0 or after <= 0:
        raise ExerciseError(
            "a ratio of two gradient norms is positive: compute before and after as g[12] / g[0] "
            "from the two gradient profiles"
        )
    change = after / before
    if change > 2:
        return "c"
    if change < 0.5:
        return "a"
    return "b"


SCALING = PredictThenRun(
    title="Exercise 2 (predict, then scale W_hh)",
    prediction=Question(
        title="Exercise 2 (predict, then scale W_hh)",
        prompt=(
            f"Multiply the fresh lag-12 model's W_hh by {SCALING_FACTOR:g}. The gradient that reaches 12 steps "
            "back, relative to the one from the last step, will be:"
        ),
        choices=(
            Choice(
                "smaller than before (by more than a factor 2)",
                "In this run tanh won: the larger W_hh pushed the states towards -1 and 1, where "
                "1 - h_k ⊙ h_k is near 0, and the product shrank.",
            ),
            Choice(
                "about the same (within a factor 2)",
                "In this run two effects cancelled: a larger W_hh, and smaller 1 - h_k ⊙ h_k as the states "
                "moved towards -1 and 1.",
            ),
            Choice(
                "larger than before (by more than a factor 2)",
                "Each factor diag(1 - h_k ⊙ h_k) W_hh grows with W_hh, and twelve such factors multiply.",
            ),
        ),
    ),
    measure=_scaling_outcome,
    lesson=(
        "How far back a gradient reaches is set by the size of the Jacobians, so by W_hh. Too large, and "
        "a product of factors above one explodes instead: keeping it near one over many steps, for every "
        "input, is hard for a plain RNN, and is what the LSTM's cell state is built for."
    ),
)
"""Exercise 2: predict, then measure, what doubling W_hh does to the gradient from 12 steps back."""


def check_scaling_prediction(prediction: object) -> None:
    """Exercise 2, before the run: the prediction is one of the letters of :data:`SCALING`'s question."""
    check_prediction(SCALING, prediction)


def check_scaling_run(prediction: object, result: object) -> None:
    """Exercise 2, after the run: result is (before, after), the ratios g[12] / g[0] of the two profiles.

    Any numeric types; the run decides the outcome (see :func:`_scaling_outcome`), and the prediction is
    told right or wrong without failing the exercise.
    """
    check_run(SCALING, prediction, result)
