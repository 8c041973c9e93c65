"""Checkers for the exercises of notebook 01, the vanilla RNN."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.exercises import ExerciseError, require_answer, run_check
from helpers.rnn import rnn_step


def check_rnn_step(student_rnn_step: Callable[..., torch.Tensor]) -> None:
    """Exercise 1: ``student_rnn_step(x_t, h_prev, W_xh, W_hh, b)`` computes h_t = tanh(W_xh x_t + W_hh h_{t-1} + b)."""

    def check() -> None:
        gen = torch.Generator().manual_seed(1)
        batch, n_in, n_h = 3, 4, 5
        x_t, h_prev = torch.randn(batch, n_in, generator=gen), torch.randn(batch, n_h, generator=gen)
        W_xh, W_hh = torch.randn(n_h, n_in, generator=gen), torch.randn(n_h, n_h, generator=gen)
        b = torch.randn(n_h, generator=gen)
        got = require_answer(student_rnn_step(x_t, h_prev, W_xh, W_hh, b), "your function returned None")
        want = rnn_step(x_t, h_prev, W_xh, W_hh, b)
        if not isinstance(got, torch.Tensor):
            raise ExerciseError(f"return a torch.Tensor; got {type(got).__name__}")
        if got.shape != want.shape:
            raise ExerciseError(
                f"h_t should have shape (batch, n_h) = {tuple(want.shape)}; got {tuple(got.shape)}. "
                "Hint: with one row per sequence, W_xh x_t is written x_t @ W_xh.T"
            )
        if torch.allclose(torch.tanh(got), want, atol=1e-5):
            raise ExerciseError("close: the sum is right, but h_t must pass through tanh")
        if not torch.allclose(got, want, atol=1e-5):
            raise ExerciseError(
                "h_t differs from tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b). "
                "Hint: check that each weight multiplies its own input, and that b is added once"
            )

    return run_check("Exercise 1 (one RNN step)", check)


def check_parameter_count(student_count: Callable[[int, int], int]) -> None:
    """Exercise 2: ``student_count(n_in, n_h)`` is the number of numbers in W_xh, W_hh and b."""

    def check() -> None:
        for n_in, n_h in [(1, 1), (3, 5), (10, 32), (7, 2)]:
            got = require_answer(student_count(n_in, n_h), "your function returned None")
            want = n_h * n_in + n_h * n_h + n_h
            if got == want:
                continue
            if got == want + n_h:
                raise ExerciseError(
                    f"for n_in={n_in}, n_h={n_h} you counted {got}: that is PyTorch's nn.RNN, which keeps two "
                    "bias vectors. Our equation has one b"
                )
            if got == want - n_h:
                raise ExerciseError(f"for n_in={n_in}, n_h={n_h} you counted {got}: did you forget the bias b?")
            raise ExerciseError(
                f"for n_in={n_in}, n_h={n_h} you counted {got}, expected {want}. "
                "Hint: W_xh is (n_h, n_in), W_hh is (n_h, n_h), b is (n_h,)"
            )

    return run_check("Exercise 2 (counting parameters)", check)


def check_steps_to_shrink(student_steps: Callable[[float, float], int]) -> None:
    """Exercise 3: the smallest k with |w|**k < fraction, for a scalar linear RNN h_t = w h_{t-1} + u x_t."""

    def check() -> None:
        for w, fraction in [(0.9, 0.01), (0.5, 0.001), (-0.8, 0.1), (0.99, 0.5)]:
            got = require_answer(student_steps(w, fraction), "your function returned None")
            want = 0
            while abs(w) ** want >= fraction:
                want += 1
            if got == want:
                continue
            if got in (want - 1, want + 1):
                raise ExerciseError(
                    f"w={w}, fraction={fraction}: you said {got}, expected {want}. Off by one: check that "
                    f"|w|**k is strictly below the fraction ({abs(w)}**{got} = {abs(w) ** got:.4g})"
                )
            raise ExerciseError(
                f"w={w}, fraction={fraction}: you said {got}, expected {want}. "
                "Hint: each step back multiplies the gradient by w, so k steps multiply it by w**k"
            )

    return run_check("Exercise 3 (how fast a gradient vanishes)", check)
