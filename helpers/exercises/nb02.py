"""Checkers for the exercises of notebook 02, the LSTM cell."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from helpers.exercises import (
    ExerciseError,
    Grading,
    as_number,
    as_values,
    close,
    require_shape,
    run_check,
    tolerance_for,
)

RTOL, ATOL = 1e-4, 1e-5
"""Tolerance of exercises 1 and 2, |got - want| <= ATOL + RTOL |want|: float32 and float64 both pass."""

BIAS_RTOL, BIAS_ATOL = 1e-4, 1e-6
"""Tolerance of exercise 3 on b: a float32 logit of p close to 1 is exact to about 1e-5 relative."""

HALF_LIFE_CASES = (1, 5, 20, 100)
"""The n_steps at which half_life_bias is checked."""


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _require_shape(answer: object, got: torch.Tensor, want: torch.Tensor, what: str) -> None:
    flipped = " (one row per sequence)" if got.shape == want.shape[::-1] else ""
    require_shape(answer, got, tuple(want.shape), what, "(batch, n_h)", flipped)


def forget_gate_inputs() -> tuple[torch.Tensor, ...]:
    """The (x_t, h_prev, W_f, b_f) exercise 1 is checked on: batch 3, n_in 2, n_h 4, float32."""
    gen = torch.Generator().manual_seed(2)
    batch, n_in, n_h = 3, 2, 4
    x_t, h_prev = torch.randn(batch, n_in, generator=gen), torch.randn(batch, n_h, generator=gen)
    W_f, b_f = torch.randn(n_h, n_h + n_in, generator=gen), torch.randn(n_h, generator=gen)
    return x_t, h_prev, W_f, b_f


def check_forget_gate(student_forget_gate: Callable[..., torch.Tensor]) -> None:
    """Exercise 1: ``student_forget_gate(x_t, h_prev, W_f, b_f)`` computes f_t = σ(W_f·[h_{t-1}, x_t] + b_f).

    x_t: (batch, n_in), h_prev: (batch, n_h), W_f: (n_h, n_h + n_in) -> (batch, n_h). Compared at
    rtol 1e-4, atol 1e-5, whatever the dtype, device or array type.
    """

    def check(grading: Grading) -> None:
        inputs = forget_gate_inputs()
        x_t, h_prev, W_f, b_f = (v.double() for v in inputs)
        z = torch.cat([h_prev, x_t], dim=1) @ W_f.T + b_f
        answer = grading.call(student_forget_gate, *inputs)
        got = as_values(answer, "f_t")
        _require_shape(answer, got, z, "f_t")
        rtol, atol = tolerance_for(answer, RTOL, ATOL)
        if close(got, torch.sigmoid(z), rtol=rtol, atol=atol):
            return
        swapped = torch.cat([x_t, h_prev], dim=1) @ W_f.T + b_f
        mistakes = [
            (z, "that is the pre-activation; a gate passes it through the sigmoid"),
            (torch.tanh(z), "a gate uses the sigmoid, whose values lie between 0 and 1, not tanh"),
            (torch.sigmoid(z - b_f), "f_t is missing the bias b_f"),
            (torch.sigmoid(z + b_f), "the bias b_f is added twice; it enters once"),
            (
                torch.sigmoid(swapped),
                "the order of the concatenation matters: W_f acts on [h_(t-1), x_t], h_prev first, then x_t",
            ),
        ]
        for wrong, hint in mistakes:
            if close(got, wrong, rtol=rtol, atol=atol):
                raise ExerciseError(hint)
        raise ExerciseError(
            "f_t differs from σ(W_f·[h_(t-1), x_t] + b_f). Hint: join h_prev and x_t along the features, "
            "and remember that rows are vectors here, so W·v is written v @ W.T"
        )

    run_check("Exercise 1 (the forget gate)", check)


def cell_update_inputs() -> tuple[torch.Tensor, ...]:
    """The (f_t, i_t, C_tilde_t, C_prev) exercise 2 is checked on: each (3, 5), float32."""
    gen = torch.Generator().manual_seed(3)
    batch, n_h = 3, 5
    f_t, i_t = torch.rand(batch, n_h, generator=gen), torch.rand(batch, n_h, generator=gen)
    C_tilde_t = 2 * torch.rand(batch, n_h, generator=gen) - 1
    C_prev = 2 * torch.randn(batch, n_h, generator=gen)
    return f_t, i_t, C_tilde_t, C_prev


def check_cell_update(student_cell_update: Callable[..., torch.Tensor]) -> None:
    """Exercise 2: ``student_cell_update(f_t, i_t, C_tilde_t, C_prev)`` computes C_t = f_t*C_{t-1} + i_t*C̃_t.

    Every argument is (batch, n_h) -> (batch, n_h). Compared at rtol 1e-4, atol 1e-5.
    """

    def check(grading: Grading) -> None:
        inputs = cell_update_inputs()
        f_t, i_t, C_tilde_t, C_prev = (v.double() for v in inputs)
        want = f_t * C_prev + i_t * C_tilde_t
        answer = grading.call(student_cell_update, *inputs)
        got = as_values(answer, "C_t")
        _require_shape(answer, got, want, "C_t")
        rtol, atol = tolerance_for(answer, RTOL, ATOL)
        if close(got, want, rtol=rtol, atol=atol):
            return
        mistakes = [
            (
                f_t * C_tilde_t + i_t * C_prev,
                "the gates are swapped: f_t scales the old state C_(t-1), i_t scales the candidates C̃_t",
            ),
            (C_prev + i_t * C_tilde_t, "nothing is forgotten: the forget gate f_t must scale C_(t-1)"),
            (f_t * C_prev + C_tilde_t, "the candidates must pass through the input gate i_t"),
            (torch.tanh(want), "close, but C_t is not squashed: tanh comes later, in h_t = o_t * tanh(C_t)"),
            (f_t * C_prev * i_t * C_tilde_t, "the two parts add; they do not multiply"),
            (f_t * C_prev - i_t * C_tilde_t, "the two parts add; check the sign of the written part"),
        ]
        for wrong, hint in mistakes:
            if close(got, wrong, rtol=rtol, atol=atol):
                raise ExerciseError(hint)
        raise ExerciseError(
            "C_t differs from f_t * C_(t-1) + i_t * C̃_t. Hint: both products are element by element "
            "(*, not @), one number per sequence and unit"
        )

    run_check("Exercise 2 (the cell-state update)", check)


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
