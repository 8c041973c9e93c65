"""Checkers for the exercises of notebook 02, the LSTM cell."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from helpers.exercises import ExerciseError, require_answer, run_check


def _tensor_answer(got: object, want: torch.Tensor, what: str) -> torch.Tensor:
    got = require_answer(got, "your function returned None")
    if not isinstance(got, torch.Tensor):
        raise ExerciseError(f"return a torch.Tensor; got {type(got).__name__}")
    if got.shape != want.shape:
        raise ExerciseError(f"{what} should have shape (batch, n_h) = {tuple(want.shape)}; got {tuple(got.shape)}")
    return got


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.allclose(a, b, atol=1e-5, rtol=1e-5)


def check_forget_gate(student_forget_gate: Callable[..., torch.Tensor]) -> None:
    """Exercise 1: ``student_forget_gate(x_t, h_prev, W_f, b_f)`` computes f_t = σ(W_f·[h_{t-1}, x_t] + b_f)."""

    def check() -> None:
        gen = torch.Generator().manual_seed(2)
        batch, n_in, n_h = 3, 2, 4
        x_t, h_prev = torch.randn(batch, n_in, generator=gen), torch.randn(batch, n_h, generator=gen)
        W_f, b_f = torch.randn(n_h, n_h + n_in, generator=gen), torch.randn(n_h, generator=gen)
        z = torch.cat([h_prev, x_t], dim=1) @ W_f.T + b_f
        got = _tensor_answer(student_forget_gate(x_t, h_prev, W_f, b_f), z, "f_t")
        if _close(got, torch.sigmoid(z)):
            return
        if _close(got, z):
            raise ExerciseError("close: that is the pre-activation; a gate passes it through the sigmoid")
        if _close(got, torch.tanh(z)):
            raise ExerciseError("a gate uses the sigmoid, whose values lie between 0 and 1, not tanh")
        if _close(got, torch.sigmoid(z - b_f)):
            raise ExerciseError("f_t is missing the bias b_f")
        if _close(got, torch.sigmoid(torch.cat([x_t, h_prev], dim=1) @ W_f.T + b_f)):
            raise ExerciseError(
                "the order of the concatenation matters: W_f acts on [h_{t-1}, x_t], h_prev first "
                "(torch.cat([h_prev, x_t], dim=1))"
            )
        raise ExerciseError(
            "f_t differs from torch.sigmoid(torch.cat([h_prev, x_t], dim=1) @ W_f.T + b_f). "
            "Hint: rows are vectors here, so W_f·v is written v @ W_f.T"
        )

    run_check("Exercise 1 (the forget gate)", check)


def check_cell_update(student_cell_update: Callable[..., torch.Tensor]) -> None:
    """Exercise 2: ``student_cell_update(f_t, i_t, C_tilde_t, C_prev)`` computes C_t = f_t*C_{t-1} + i_t*C̃_t."""

    def check() -> None:
        gen = torch.Generator().manual_seed(3)
        batch, n_h = 3, 5
        f_t, i_t = torch.rand(batch, n_h, generator=gen), torch.rand(batch, n_h, generator=gen)
        C_tilde_t = 2 * torch.rand(batch, n_h, generator=gen) - 1
        C_prev = 2 * torch.randn(batch, n_h, generator=gen)
        want = f_t * C_prev + i_t * C_tilde_t
        got = _tensor_answer(student_cell_update(f_t, i_t, C_tilde_t, C_prev), want, "C_t")
        if _close(got, want):
            return
        mistakes = [
            (
                f_t * C_tilde_t + i_t * C_prev,
                "the gates are swapped: f_t scales the old state C_{t-1}, i_t scales the candidates C̃_t",
            ),
            (C_prev + i_t * C_tilde_t, "nothing is forgotten: multiply C_{t-1} by the forget gate f_t"),
            (f_t * C_prev + C_tilde_t, "the candidates must pass through the input gate: i_t * C̃_t"),
            (torch.tanh(want), "close, but C_t is not squashed: tanh comes later, in h_t = o_t * tanh(C_t)"),
            (f_t * C_prev * i_t * C_tilde_t, "the two parts add: C_t = f_t * C_{t-1} + i_t * C̃_t"),
        ]
        for wrong, hint in mistakes:
            if _close(got, wrong):
                raise ExerciseError(hint)
        raise ExerciseError("C_t differs from f_t * C_prev + i_t * C_tilde_t (pointwise products, then a sum)")

    run_check("Exercise 2 (the cell-state update)", check)


def check_half_life_bias(student_bias: Callable[[int], float]) -> None:
    """Exercise 3: ``student_bias(n_steps)`` is the b with σ(b)**n_steps = 1/2."""

    def check() -> None:
        for n_steps in (1, 5, 20, 100):
            got = require_answer(student_bias(n_steps), "your function returned None")
            if isinstance(got, torch.Tensor) and got.numel() == 1:
                got = got.item()
            if isinstance(got, bool) or not isinstance(got, int | float):
                raise ExerciseError(f"return a number; got {type(got).__name__}")
            keep = 0.5 ** (1 / n_steps)  # σ(b): the fraction kept per step
            want = math.log(keep / (1 - keep))
            if math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-6):
                continue
            if math.isclose(got, keep, rel_tol=1e-6):
                raise ExerciseError(
                    f"n_steps={n_steps}: {got:.4g} is σ(b), the fraction kept per step; "
                    "the bias is its inverse: b = log(p / (1 - p))"
                )
            if math.isclose(got, -want, rel_tol=1e-6):
                raise ExerciseError(f"n_steps={n_steps}: check the sign: a gate that keeps most needs b > 0")
            raise ExerciseError(
                f"n_steps={n_steps}: you said b = {got:.4g}, but σ(b)**{n_steps} = "
                f"{_sigmoid(got) ** n_steps:.4g}, not 0.5. Hint: first solve p**n_steps = 1/2 for "
                "the fraction p kept per step, then σ(b) = p for b"
            )

    run_check("Exercise 3 (a forget bias with a half-life)", check)
