"""Checkers for the exercises of notebook 07: the LSTM's variants, the GRU and counting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    PredictThenRun,
    Question,
    StudentCodeError,
    as_pair,
    as_values,
    check_choice,
    close,
    run_check,
    tolerance_for,
)
from helpers.exercises.grading import explain_error
from helpers.tasks import SequenceClassifier, accuracy, delay_test_batch, train_memory
from helpers.validate import check_seed
from helpers.variants import StepLSTM

STEP_CASES = ((2, 3, 4), (5, 1, 2))
"""The (batch, n_in, n_h) at which no_input_gate_step is checked, on random float64 inputs and weights."""

STEP_RTOL, STEP_ATOL = 1e-5, 1e-6
"""Tolerance of exercise 1 on h_t and C_t (a float32 computation passes)."""


def _step_inputs(batch: int, n_in: int, n_h: int, gen: torch.Generator) -> tuple[torch.Tensor, ...]:
    x_t = torch.randn(batch, n_in, generator=gen, dtype=torch.float64)
    h_prev = torch.randn(batch, n_h, generator=gen, dtype=torch.float64).tanh()
    C_prev = torch.randn(batch, n_h, generator=gen, dtype=torch.float64)
    W = 0.7 * torch.randn(3 * n_h, n_h + n_in, generator=gen, dtype=torch.float64)
    b = 0.5 * torch.randn(3 * n_h, generator=gen, dtype=torch.float64)
    return x_t, h_prev, C_prev, W, b


def _pair(answer: Any) -> tuple[Any, Any]:
    """The student's (h_t, C_t); one tensor or array alone is refused with the reason."""
    if hasattr(answer, "shape"):
        raise ExerciseError(
            f"return the pair (h_t, C_t), the hidden state and the cell state; this is one {type(answer).__name__}"
        )
    return as_pair(answer, "(h_t, C_t)")


def step_inputs() -> list[tuple[torch.Tensor, ...]]:
    """Exercise 1's inputs (x_t, h_prev, C_prev, W, b), float64, one tuple for each of :data:`STEP_CASES`."""
    gen = torch.Generator().manual_seed(7)
    return [_step_inputs(batch, n_in, n_h, gen) for batch, n_in, n_h in STEP_CASES]


def _layers(x_t, h_prev, W, b, h_first: bool = True) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    hx = torch.cat([h_prev, x_t] if h_first else [x_t, h_prev], dim=1)
    return (hx @ W.T + b).chunk(3, dim=1)


def _outputs(z_f, z_C, z_o, C_prev, *, forget: bool = True, squash: bool = True):
    C_t = (torch.sigmoid(z_f) * C_prev if forget else C_prev) + torch.tanh(z_C)
    return torch.sigmoid(z_o) * (torch.tanh(C_t) if squash else C_t), C_t


def _diagnose(h, C, x_t, h_prev, C_prev, W, b) -> str | None:
    """A hint for a known slip, when the answer matches it."""
    z = _layers(x_t, h_prev, W, b)

    def matches(want_h: torch.Tensor, want_C: torch.Tensor) -> bool:
        return close(h, want_h, rtol=STEP_RTOL, atol=STEP_ATOL) and close(C, want_C, rtol=STEP_RTOL, atol=STEP_ATOL)

    if matches(*_outputs(*_layers(x_t, h_prev, W, b, h_first=False), C_prev)):
        return "the layers act on [h_{t-1}, x_t], the previous hidden state first, then the input"
    if matches(*_outputs(*z, C_prev, forget=False)):
        return "only the input gate is gone: the forget gate f_t still scales C_{t-1}"
    if matches(*_outputs(*z, C_prev, squash=False)):
        return "h_t = o_t ⊙ tanh(C_t): keep the tanh of the cell state"
    want_h, want_C = _outputs(*z, C_prev)
    if close(h, want_C, rtol=STEP_RTOL, atol=STEP_ATOL) and close(C, want_h, rtol=STEP_RTOL, atol=STEP_ATOL):
        return "return the pair in the order (h_t, C_t)"
    if close(C, want_C, rtol=STEP_RTOL, atol=STEP_ATOL):
        return "C_t is right; h_t is not. h_t = o_t ⊙ tanh(C_t), with o_t from the third layer"
    return None


def check_no_input_gate(student_step: Callable[..., Any]) -> None:
    """Exercise 1: ``student_step(x_t, h_prev, C_prev, W, b)`` is one step of the LSTM without an input gate.

    x_t: (batch, n_in), h_prev and C_prev: (batch, n_h), W: (3·n_h, n_h + n_in), the layers f, C̃, o
    stacked and acting on [h_{t-1}, x_t], b: (3·n_h). Returns (h_t, C_t), each (batch, n_h), with
    C_t = f_t ⊙ C_{t-1} + C̃_t and h_t = o_t ⊙ tanh(C_t). Compared at rtol 1e-5, atol 1e-6.
    """

    def check(grading: Grading) -> None:
        for (batch, n_in, n_h), inputs in zip(STEP_CASES, step_inputs(), strict=True):
            got_h, got_C = _pair(grading.call(student_step, *inputs))
            h = as_values(got_h, "h_t", (batch, n_h), "(batch, n_h)")
            C = as_values(got_C, "C_t", (batch, n_h), "(batch, n_h)")
            want_h, want_C = _outputs(*_layers(inputs[0], inputs[1], inputs[3], inputs[4]), inputs[2])
            rtol, atol = tolerance_for(got_h, STEP_RTOL, STEP_ATOL)
            if close(h, want_h, rtol=rtol, atol=atol) and close(C, want_C, rtol=rtol, atol=atol):
                continue
            hint = _diagnose(h, C, *inputs)
            raise ExerciseError(
                f"for a batch of {batch}, {n_in} inputs and {n_h} units your (h_t, C_t) is off. Hint: "
                + (hint or "split W·[h_{t-1}, x_t] + b into three chunks, f, C̃, o; then C_t = f_t ⊙ C_{t-1} + C̃_t")
            )

    run_check("Exercise 1 (an LSTM without an input gate)", check)


RACE_INPUTS, RACE_VALUES, RACE_UNITS, RACE_DELAYS = 5, 4, 10, (10, 40, 100)
"""Exercise 2's race, as notebook 07 §4: 5 inputs, 4 values, 10 units (498 parameters), delays tested."""


def train_step_cell(student_step: Callable[..., Any], seed: int = 0) -> list[float] | None:
    """Exercise 2: train ``student_step`` (exercise 1's signature) in notebook 07 §4's race; print ✓ or ✗.

    The step runs inside :class:`helpers.variants.StepLSTM` (10 units, W: (30, 15), the forget layer's
    bias at +1) under :class:`helpers.tasks.SequenceClassifier`, trained by ``train_memory`` for 300
    steps on sequences of 21 steps from ``torch.manual_seed(seed)``. Returns the accuracy at delays
    10, 40 and 100 on 1000 fresh sequences each, or None (with the reason printed) if the step fails.
    About 5 s of CPU.
    """
    seed = check_seed(seed)
    result: list[float] = []

    def check(grading: Grading) -> str:
        gen = torch.Generator().manual_seed(3)
        x_t, h_prev, C_prev, W, b = (t.float() for t in _step_inputs(2, RACE_INPUTS, RACE_UNITS, gen))
        W, b = W.requires_grad_(), b.requires_grad_()  # as in training: the step must let gradients through
        got = _pair(grading.call(student_step, x_t, h_prev, C_prev, W, b))
        for value, name in zip(got, ("h_t", "C_t"), strict=True):
            as_values(value, name, (2, RACE_UNITS), "(batch, n_h)")
            if not isinstance(value, torch.Tensor) or not value.requires_grad:
                raise ExerciseError(f"{name} must be a tensor computed from W and b with torch, so that it can train")
        torch.manual_seed(seed)
        layer = StepLSTM(student_step, RACE_INPUTS, RACE_UNITS, layers=3, forget_layer=0, forget_bias=1.0)
        model = SequenceClassifier(layer, RACE_VALUES)
        try:
            train_memory(model, seq_len=21, n_values=RACE_VALUES, steps=300, seed=seed)
        except Exception as error:  # noqa: BLE001 - the student's step: report its line, not a traceback
            raise StudentCodeError(explain_error(error)) from None
        result.extend(accuracy(model, *delay_test_batch(d, n_values=RACE_VALUES, seed=1000 + d)) for d in RACE_DELAYS)
        return "trained; accuracy at delays 10, 40 and 100: " + ", ".join(f"{a:.2f}" for a in result) + "."

    run_check("Exercise 2 (your run)", check)
    return result or None


NO_INPUT_GATE = PredictThenRun(
    title="Exercise 2 (predict, then run: no input gate)",
    prediction=Question(
        title="Exercise 2 (your prediction)",
        prompt=(
            "Trained as in section 4, what will the LSTM without an input gate do? (Chance is 25%; the "
            "training sequences hold delays up to 20.)"
        ),
        choices=(
            Choice(
                "Stay near chance: below 50% even at delay 10.",
                "Without an input gate it must write a candidate at every step, and it never learned to "
                "make the distractors' candidates vanish.",
            ),
            Choice(
                "Learn part of the task: 50 to 80% at delay 10.",
                "It learned to hold some of the values but not all: writing at every step blurred the rest.",
            ),
            Choice(
                "Learn the task inside the training range (80% or more at delay 10) but hold it less well "
                "beyond: under 80% at delay 100.",
                "The forget gate and the candidate together can keep a value: the candidate learns to be "
                "near 0 for a distractor. But each distractor still adds a little, and over 100 steps "
                "that blurs the value, as for most cells of the race.",
            ),
            Choice(
                "Learn the task and hold it far beyond: 80% or more at delays 10 and 100.",
                "The forget gate alone decides what stays, and the candidate learned to write almost "
                "nothing for a distractor: that is enough to hold a value for 100 steps.",
            ),
        ),
    ),
    measure=lambda result: _outcome(result),
    lesson="Greff et al. (2017) found the input gate helpful but not critical on their tasks.",
)
"""Exercise 2: the student predicts a letter, then trains their no-input-gate step; the run decides."""


def _outcome(result: Any) -> str:
    """The letter a run bears out, from its accuracies at delays 10, 40 and 100."""
    acc = as_values(result, "result", (3,), "(3,): the accuracy at delays 10, 40 and 100")
    if not bool(((acc >= 0) & (acc <= 1)).all()):
        raise ExerciseError("the accuracies must lie between 0 and 1; pass the list that train_step_cell returned")
    at_10, at_100 = float(acc[0]), float(acc[2])
    if at_10 < 0.5:
        return "a"
    if at_10 < 0.8:
        return "b"
    return "c" if at_100 < 0.8 else "d"


WHY_COUNT = Question(
    title="Exercise 3 (why the LSTM counts)",
    prompt="Why can the LSTM count past the strings it trained on, where the GRU stops?",
    choices=(
        Choice(
            "The LSTM has more parameters.",
            "Not here: the GRU had a few more (141 against 133), and a count needs one number, not many.",
        ),
        Choice(
            "The GRU's reset gate wipes the count at every b.",
            "The reset gate only changes what the candidate reads from h_{t-1}; what the state keeps is set "
            "by z_t. The limit lies in how the state itself changes.",
        ),
        Choice(
            "The LSTM's cell state changes by adding, and nothing squashes it, so it can move by one fixed "
            "step per a and back per b; the GRU's state is a weighted average of its old value and a tanh, "
            "so it stays between -1 and 1 and its steps shrink as it nears the edge.",
            "Yes: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t with f_t near 1 is a sum, a counter. "
            "h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t can only creep towards ±1.",
        ),
        Choice(
            "The LSTM's output gate hides the count until the last b.",
            "The count lives in C_t whatever o_t shows; the output gate only scales what leaves the cell.",
        ),
    ),
    answer="c",
)


def check_why_count(answer: Any) -> None:
    """Exercise 3: a letter; (c) is right."""
    check_choice(WHY_COUNT, answer)
