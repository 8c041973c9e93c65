"""Checkers for the exercises of notebook 02, the LSTM cell.

Exercise 1 predicts, then runs, an LSTM whose forget bias starts at +6 (:data:`BIAS_SIX`); exercise 2
asks why its gradient can grow with the lag (:data:`WHY_GROWTH`); exercise 3 computes the forget bias
that halves a memory in a given number of steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    PredictThenRun,
    Question,
    as_number,
    as_values,
    check_choice,
    check_prediction,
    check_run,
    close,
    run_check,
    tolerance_for,
)

BIAS_RTOL, BIAS_ATOL = 1e-4, 1e-6
"""Tolerance of exercise 3 on b: a float32 logit of p close to 1 is exact to about 1e-5 relative."""

HALF_LIFE_CASES = (1, 5, 20, 100)
"""The n_steps at which half_life_bias is checked."""


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


LAGS = 100
"""Exercise 1's gradient profile: lags 0 to 99, as ``highway`` of the notebook's §9 returns it."""
NEAR, FAR = 10, 99
"""Exercise 1 compares the gradient at lag FAR with the gradient at lag NEAR."""


def _growth(profile: Any) -> str:
    """The letter of :data:`BIAS_SIX`'s choices that a gradient profile bears out."""
    values = as_values(profile, "the gradient by lag", shape=(LAGS,), dims="(lags 0 to 99,)",
                       hint=": hand over the first value that highway(...) returns")
    if not bool((values > 0).all()):
        raise ExerciseError("a gradient norm is positive at every lag; this profile has values at or below 0: "
                            "hand over the first value that highway(...) returns")
    ratio = float(values[FAR] / values[NEAR])
    return "a" if ratio < 0.1 else "b" if ratio <= 1 else "c"


BIAS_SIX = PredictThenRun(
    title="Exercise 1 (forget bias +6)",
    prediction=Question(
        title="Exercise 1 (forget bias +6)",
        prompt="LSTMs whose forget bias starts at +6, so that f_t is about 0.997. Compared with the "
        "gradient at lag 10, the gradient at lag 99 will be:",
        choices=(
            Choice(
                "much smaller: below a tenth of it",
                "The gradient still fades exponentially: these forget gates do not carry it.",
            ),
            Choice(
                "smaller, but more than a tenth of it",
                "The gradient fades slowly, about as 0.997 to the 89th power (0.77) would suggest for "
                "one unit whose forget gate is the only path.",
            ),
            Choice(
                "larger than at lag 10",
                "The gradient grows with the lag, although every forget gate is below 1: the growth "
                "comes from other paths than the forget gate's (exercise 2 asks which).",
            ),
        ),
    ),
    measure=_growth,
    lesson="A forget gate alone never multiplies the gradient by more than 1; a whole step of the cell can.",
)
"""Exercise 1: predict, then measure, the gradient of LSTMs with forget bias +6."""


def check_bias_six_prediction(prediction: Any) -> None:
    """Exercise 1, before the run: ``prediction`` is the letter of one of :data:`BIAS_SIX`'s choices."""
    check_prediction(BIAS_SIX, prediction)


def check_bias_six_run(prediction: Any, profile: Any) -> None:
    """Exercise 1, after the run: ``profile`` is the gradient by lag, (100,) for lags 0 to 99, any numeric type.

    The run decides the outcome from profile[99] / profile[10] (below 0.1: a; up to 1: b; above 1: c); a
    prediction that did not come true is told so, and the exercise still counts as done.
    """
    check_run(BIAS_SIX, prediction, profile)


WHY_GROWTH = Question(
    title="Exercise 2 (why the gradient can grow)",
    prompt="Every forget gate lies below 1, yet the gradient can be larger at lag 99 than at lag 10 "
    "(exercise 1). Why?",
    choices=(
        Choice(
            "Rounding errors in float64 add up over 89 steps.",
            "float64 rounds at about 1e-16 of a value: that cannot make a gradient grow severalfold.",
        ),
        Choice(
            "With a bias of +6 the sigmoid can give values above 1.",
            "σ(z) lies strictly between 0 and 1 for every z, whatever the bias.",
        ),
        Choice(
            "The gradient also flows through h_(t-1), which the gates and the candidates read: these "
            "paths add to diag(f_t).",
            "One step's Jacobian is diag(f_t) plus the terms through h_(t-1) (the equation of §9). With "
            "f_t near 1 the diagonal alone nearly keeps the gradient, and the other terms can push the "
            "factor of one step above 1.",
        ),
        Choice(
            "tanh(C_t) amplifies the gradient when C_t is large.",
            "The slope of tanh is at most 1 and near 0 for a large C_t: it can only shrink a gradient.",
        ),
    ),
    answer="c",
)
"""Exercise 2: why the gradient of exercise 1 can grow with the lag."""


def check_why_growth(answer: Any) -> None:
    """Exercise 2: ``answer`` is the letter of one of :data:`WHY_GROWTH`'s choices, e.g. ``'a'``."""
    check_choice(WHY_GROWTH, answer)


def check_half_life_bias(student_bias: Callable[[int], float]) -> None:
    """Exercise 3: ``student_bias(n_steps)`` is the b with σ(b)**n_steps = 1/2.

    Checked at each of :data:`HALF_LIFE_CASES`. One number in any numeric type (a one-element tensor or
    array too) is accepted; compared at rtol 1e-4, atol 1e-6.
    """

    def check(grading: Grading) -> None:
        for n_steps in HALF_LIFE_CASES:
            answer = grading.call(student_bias, n_steps)
            got = as_number(answer, f"b for n_steps={n_steps}")
            rtol, atol = tolerance_for(answer, BIAS_RTOL, BIAS_ATOL)
            keep = 0.5 ** (1 / n_steps)  # σ(b): the fraction kept per step
            want = math.log(keep / (1 - keep))
            if close(got, want, rtol=rtol, atol=atol):
                continue
            if close(got, keep, rtol=rtol, atol=atol):
                raise ExerciseError(
                    f"n_steps={n_steps}: {got:.4g} is σ(b), the fraction kept per step; the bias b is the "
                    "number whose sigmoid that is"
                )
            if want != 0 and close(got, -want, rtol=rtol, atol=atol):
                raise ExerciseError(f"n_steps={n_steps}: check the sign: a gate that keeps most needs b > 0")
            if want != 0 and close(got, want / math.log(10), rtol=rtol, atol=atol):
                raise ExerciseError(
                    f"n_steps={n_steps}: that logarithm has base 10; the logit uses the natural log, math.log"
                )
            half = _sigmoid(got) ** n_steps
            digits = ".4g" if f"{half:.4g}" != "0.5" else ".8g"
            raise ExerciseError(
                f"n_steps={n_steps}: you said b = {got:{digits}}, but σ(b)**{n_steps} = "
                f"{half:{digits}}, not 0.5. Hint: first find the fraction p kept per step "
                "(p**n_steps = 1/2), then the b with σ(b) = p"
            )

    run_check("Exercise 3 (a forget bias with a half-life)", check)
