"""Checkers for the exercises of notebook 05, time sequence prediction."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import torch

from helpers.baselines import fit_ar
from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    PredictThenRun,
    Question,
    as_count,
    as_values,
    check_choice,
    close,
    describe,
    require_answer,
    run_check,
    tolerance_for,
)
from helpers.forecast import forecast, one_step_loss
from helpers.series import classic_sine_data

FREE_RUN_RTOL, FREE_RUN_ATOL = 1e-3, 1e-3
"""Tolerance of exercise 2 on the forecast (values of order 1, 30 steps): the same free run computed in
float32 drifts from the float64 one by about 3e-4, a forecast one step late by more than 0.1."""


def free_run_inputs() -> tuple[torch.nn.Module, torch.Tensor, int]:
    """Exercise 2's (model, context, horizon): an AR(4) fitted to two sines, context (1, 20, 1), float64."""
    t = torch.arange(120, dtype=torch.float64)
    series = torch.sin(t / 7) + 0.5 * torch.sin(t / 3)
    return fit_ar(series[:80], 4), series[None, 60:80, None], 30


def check_free_run(student_free_run: Callable[..., torch.Tensor]) -> None:
    """Exercise 2: ``student_free_run(model, context, horizon)`` feeds the model its own predictions.

    context: (batch, time, features) -> (batch, horizon, features), as :func:`helpers.forecast.forecast`.
    Compared at rtol 1e-3, atol 1e-3 (any dtype, device or array type; a run in float32 passes).
    """

    def check(grading: Grading) -> None:
        model, context, horizon = free_run_inputs()
        want = forecast(model, context, horizon)
        with torch.no_grad():
            answer = grading.call(student_free_run, model, context, horizon)
        got = as_values(
            answer,
            "the forecast",
            tuple(want.shape),
            "(batch, horizon, features)",
            ". Hint: the first forecast step is the model's last output on the context, then horizon - 1 more steps",
        )

        rtol, atol = tolerance_for(answer, FREE_RUN_RTOL, FREE_RUN_ATOL)

        near = partial(close, rtol=rtol, atol=atol)

        if near(got, want):
            return
        if near(got[:, 1:], want[:, :-1]):
            raise ExerciseError("off by one step: your forecast starts one step late")
        with torch.no_grad():
            y, state = model(context)
            fixed = [y[:, -1:]]
            for _ in range(horizon - 1):
                x_hat, state = model(context[:, -1:], state)
                fixed.append(x_hat)
        if near(got, torch.cat(fixed, dim=1)):
            raise ExerciseError(
                "each new input must be the model's own last prediction, not the last value of the context"
            )
        raise ExerciseError(
            "the forecast differs from a free run. Hint: after reading the context, each step's input is the "
            "model's own previous output, and the state carries on from step to step"
        )

    run_check("Exercise 2 (the free-running loop)", check)


def check_two_sine_order(student_order: object) -> None:
    """Try it (notebook 05, section 8): the smallest p for which an AR(p) continues any sum of two sines exactly.

    A whole number in any numeric type (4, 4.0, numpy.int64(4), torch.tensor(4)) is accepted, exactly.
    """

    def check(grading: Grading) -> None:
        p = as_count(require_answer(student_order, "set order to a whole number"), "the order")
        if p == 4:
            return
        if p < 1:
            raise ExerciseError(f"an AR(p) looks back p ≥ 1 steps; {p} is not an order")
        if p == 2:
            raise ExerciseError(
                "AR(2) is exact for one sine. Hint: each sine needs its own pair of roots e^{±iω} of the "
                "AR's characteristic polynomial; try fit_ar on a two-sine series with a few orders"
            )
        if p < 4:
            raise ExerciseError(f"an AR({p}) cannot follow two frequencies: count the roots it needs")
        raise ExerciseError(f"AR({p}) works, but it is not the smallest: remove orders until it breaks")

    run_check("Try it (AR order for two sines)", check)


RACE_TOLERANCE = 2.0
"""Exercises 1 and 2: two free-run errors within this factor of each other count as "about the same"."""

RACE_TRAINED = 1e-3
"""Exercises 1 and 2: a rival whose one-step loss on the test waves is above this was not trained as asked."""


def race_data() -> tuple[torch.Tensor, torch.Tensor]:
    """The classic test waves (3, 1000, 1) and their next 1000 steps, as notebook 05 uses them."""
    data = classic_sine_data(seed=2)
    return data["test"][..., None], data["test_future"][..., None]


def free_run_error(model: torch.nn.Module) -> float:
    """Mean squared error of ``model``'s 1000-step free run on the classic test waves."""
    test, future = race_data()
    ref = next(model.parameters())
    return float(((forecast(model, test.to(ref), 1000) - future.to(ref)) ** 2).mean())


def race_outcome(result: object) -> str:
    """Exercises 1 and 2's measure: the letter of :data:`RACE` that the pair (rival, closed-loop model) bears out.

    "a": the rival (trained on the one-step loss) runs free with an error more than
    :data:`RACE_TOLERANCE` times smaller, "b": the closed-loop model does, "c": within that factor.
    """
    if not (isinstance(result, tuple) and len(result) == 2):
        raise ExerciseError(
            f"pass the pair (rival, model): your trained copy, then section 5's model; this is {describe(result)}"
        )
    rival, closed = result
    for name, m in (("rival", rival), ("model", closed)):
        if not isinstance(m, torch.nn.Module) or not any(True for _ in m.parameters()):
            raise ExerciseError(f"{name} must be a trained forecaster (a torch.nn.Module); this is {describe(m)}")
    if rival is closed:
        raise ExerciseError("rival is section 5's model itself: train a copy of one_step_model")
    test, _ = race_data()
    with torch.no_grad():
        loss = float(one_step_loss(rival, test.to(next(rival.parameters()))))
    if not loss < RACE_TRAINED:
        raise ExerciseError(
            f"rival's one-step loss on the test waves is {loss:.3g}: it does not look trained. "
            "Hint: copy one_step_model, then call train_in_stages with one_step_loss"
        )
    ratio = free_run_error(rival) / free_run_error(closed)
    if ratio > RACE_TOLERANCE:
        return "b"
    if ratio < 1 / RACE_TOLERANCE:
        return "a"
    return "c"


RACE = PredictThenRun(
    title="Exercises 1 and 2 (one-step or closed loop, same time)",
    prediction=Question(
        title="Exercises 1 and 2 (one-step or closed loop, same time)",
        prompt=(
            "Two copies of the one-step model get the same windows and the same L-BFGS steps; one trains "
            "with the one-step loss, the other (section 5's model) in closed loop. Which runs free for "
            "1000 steps with the smaller error?"
        ),
        choices=(
            Choice(
                "The one-step copy: its loss is easier to minimise, so it learns the waves better",
                "In this run the one-step copy ran free better. It happens: training on true inputs can, by "
                "luck, land on weights that also hold up when fed their own outputs, but nothing asks for it.",
            ),
            Choice(
                "The closed-loop model, with an error more than 2 times smaller",
                "Trained on its own free runs, the closed-loop model learned to correct its errors; the "
                "one-step copy never saw one, however small its one-step loss became.",
            ),
            Choice(
                "About the same (within a factor of 2): same network, data and time",
                "In this run the two ran free about equally well: the same network, data and time can give "
                "the same result, but the loss each one minimised is not the error it is scored on here.",
            ),
        ),
    ),
    measure=race_outcome,
    lesson="Compare the two one-step losses printed above: the loss you train is the behaviour you get.",
)
"""Exercises 1 and 2: train the one-step model further on the one-step loss, predict how it runs free against the
closed-loop model (``check_prediction(RACE, letter)``, then ``check_run(RACE, letter, (rival, model))``)."""


WHY_DRIFT = Question(
    title="Exercise 3 (why the one-step model drifts)",
    prompt=(
        "Section 4's model predicts the next value of a test wave with a tiny error (its one-step loss is "
        "below 1e-4), yet its 1000-step free run loses the wave. Why?"
    ),
    choices=(
        Choice(
            "Its loss is computed in float32, too coarse to see its real error.",
            "float32 resolves errors far below 1e-5; the one-step loss is measured correctly. It measures "
            "the wrong thing.",
        ),
        Choice(
            "L-BFGS overfitted the 32 training windows.",
            "Its one-step loss on the test waves, which it never trained on, is no larger than on the "
            "training windows: it predicts one step ahead well on new waves.",
        ),
        Choice(
            "In training it only read true values; running free it reads its own, slightly wrong, outputs, "
            "which it never learned to correct, so the errors compound.",
            "This is exposure bias: training with teacher forcing never shows the network its own errors. "
            "Section 5 trains on its own free runs instead.",
        ),
        Choice(
            "An LSTM of 32 units cannot represent a sine wave over 1000 steps.",
            "The same network, trained in closed loop in section 5, follows the waves for 1000 steps.",
        ),
    ),
    answer="c",
)
"""Exercise 3: why a small one-step loss still gives a free run that drifts."""


def check_why_drift(answer: object) -> None:
    """Exercise 3: a letter, a) to d), for :data:`WHY_DRIFT`."""
    check_choice(WHY_DRIFT, answer)
