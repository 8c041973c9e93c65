"""The exercise framework: every checker module has its contract tests, answers are read whatever their
numeric type, a student's error names the student's own line (in a real IPython cell too), verdicts wrap
at word boundaries, and the pieces for exercises that teach (multiple choice, predict then run) keep the
same contract as every checker."""

from __future__ import annotations

import importlib
import pkgutil
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch
from exercise_contract import Spec, assert_clean, contract_tests, verdict_of

import helpers.exercises
from helpers.exercises import (
    WIDTH,
    Choice,
    ExerciseError,
    NotAttempted,
    NumberRange,
    PredictThenRun,
    Question,
    as_count,
    as_number,
    as_values,
    check_choice,
    check_prediction,
    check_run,
    choices,
    read_choice,
    run_check,
)
from helpers.exercises.grading import wrap

TESTS = Path(__file__).parent


def checker_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(helpers.exercises.__path__) if re.fullmatch(r"nb\d\d", m.name))


@pytest.mark.parametrize("name", checker_modules())
def test_every_checker_module_has_contract_tests(name):
    """A new notebook's checkers cannot arrive without tests: its test module must give every checker a Spec."""
    path = TESTS / f"test_exercises_{name}.py"
    assert path.exists(), f"{path.name} is missing: give each checker of helpers/exercises/{name}.py a Spec"
    tests = importlib.import_module(f"test_exercises_{name}")
    checkers = importlib.import_module(f"helpers.exercises.{name}")
    own = {n for n, v in vars(checkers).items() if n.startswith("check_") and v.__module__ == checkers.__name__}
    assert set(tests.SPECS) == own
    assert "test_answer_of_the_wrong_kind_is_refused_kindly" in vars(tests), "the contract tests are collected"


# ---------------------------------------------------------------------------------------------
# Reading numbers


@pytest.mark.parametrize(
    "value",
    [
        2.5,
        Fraction(5, 2),
        Decimal("2.5"),
        np.float32(2.5),
        np.float64(2.5),
        np.array(2.5),
        np.array([2.5]),
        torch.tensor(2.5),
        torch.tensor([2.5], dtype=torch.float64),
        torch.tensor(2.5, dtype=torch.bfloat16),
        torch.tensor(2.5, dtype=torch.float16),
        torch.tensor(2.5, requires_grad=True) * 1,
    ],
    ids=repr,
)
def test_a_number_is_read_whatever_its_type(value):
    assert as_number(value, "x") == 2.5


@pytest.mark.parametrize("value", [3, 3.0, np.int64(3), np.float32(3), torch.tensor(3), torch.tensor(3.0)], ids=repr)
def test_a_count_is_read_whatever_its_type(value):
    assert as_count(value, "n") == 3 and isinstance(as_count(value, "n"), int)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("3", "write the number itself, not the text '3'"),
        (" 2.5 ", "not the text ' 2.5 '"),
        ("three", "must be a number, not the text 'three'"),
        (True, "True is a truth value, not a number"),
        (np.bool_(True), "truth value"),
        (1j, "not a complex one"),
        (float("nan"), "is NaN"),
        (float("inf"), "is infinite"),
        (torch.tensor([1.0, 2.0]), r"one number; this is a tensor of shape \(2,\)"),
        ([2.5], "one number; this is a list of 1 item"),
        (torch.tensor(True), "not True/False"),
        (torch.empty(1, device="meta"), "meta device"),
        (10**400, "too large"),
    ],
    ids=repr,
)
def test_a_number_of_the_wrong_kind_is_refused_with_its_reason(value, reason):
    with pytest.raises(ExerciseError, match=reason):
        as_number(value, "x")


def test_a_count_refuses_a_fraction():
    with pytest.raises(ExerciseError, match="whole number; this is 3.5"):
        as_count(3.5, "n")


def test_values_are_read_from_any_float_dtype_and_array_type():
    want = torch.tensor([[0.25, -1.5], [2.0, 3.0]], dtype=torch.float64)
    for value in (
        want.float(),
        want.half(),
        want.to(torch.bfloat16),
        want.numpy(),
        want.numpy().astype(np.float32),
        want.tolist(),
        [torch.tensor([0.25, -1.5]), torch.tensor([2.0, 3.0])],
        want.to_sparse(),
        want.clone().requires_grad_() * 1,
        want.T.contiguous().T,  # not contiguous
    ):
        got = as_values(value, "v", (2, 2))
        assert got.dtype == torch.float64 and got.device.type == "cpu" and torch.equal(got, want)


def test_a_wrong_shape_is_said_in_words():
    with pytest.raises(ExerciseError, match=r"v should have shape \(batch, n\) = \(2, 3\); this is a tensor of shape"):
        as_values(torch.zeros(3, 2), "v", (2, 3), "(batch, n)")


def test_placeholders_are_not_attempted():
    for value in (None, ...):
        with pytest.raises(NotAttempted):
            as_number(value, "x")


# ---------------------------------------------------------------------------------------------
# Verdicts


def test_wrap_never_cuts_a_word_and_keeps_lines_short():
    text = "✗ Exercise 1 (a title): " + " ".join(f"word{i}" * (1 + i % 5) for i in range(200)) + " " + "x" * 300
    lines = wrap(text).split("\n")
    assert all(len(line) <= WIDTH for line in lines)
    words = text.split()
    printed = " ".join(lines).split()
    assert printed[:-1] == words[:-1], "every word but the overlong one is printed whole"
    assert printed[-1].endswith("…")


def test_run_check_prints_and_returns_none(capsys):
    assert run_check("Exercise 9 (t)", lambda grading: None) is None
    assert capsys.readouterr().out == "✓ Exercise 9 (t): correct.\n"


def test_keyboard_interrupt_passes_through():
    def stop(grading):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_check("Exercise 9 (t)", stop)


def test_an_error_inside_a_helper_the_student_called_names_the_students_line(capsys):
    from helpers.exercises.nb05 import check_free_run

    def free_run(model, context, horizon):
        from helpers.forecast import forecast

        return forecast(model, context, -1)  # the student's line: a helper refuses the horizon

    check_free_run(free_run)
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("✗") and "return forecast(model, context, -1)" in out
    assert "test_exercises_framework.py, line" in out and "horizon" in out


def test_in_a_notebook_cell_the_error_names_the_cell_and_line(capsys):
    """In IPython, the student's line is named as IPython names it: Cell In[n], line k."""
    shell_module = pytest.importorskip("IPython.core.interactiveshell")
    shell = shell_module.InteractiveShell.instance()
    try:
        shell.run_cell("from helpers.exercises.nb01 import check_rnn_step", store_history=True)
        shell.run_cell(
            "def my_rnn_step(x_t, h_prev, W_xh, W_hh, b):\n    z = x_t @ W_xh + b\n    return z\n",
            store_history=True,
        )
        capsys.readouterr()
        result = shell.run_cell("check_rnn_step(my_rnn_step)", store_history=True)
        out = " ".join(capsys.readouterr().out.split())
    finally:
        shell_module.InteractiveShell.clear_instance()
    assert result.error_in_exec is None, "nothing is raised into the notebook"
    assert re.search(r"^✗ Exercise 3 \(one RNN step\): your code raised an error in Cell In\[\d+\], line 2", out), out
    assert '("z = x_t @ W_xh + b")' in out and "RuntimeError: mat1 and mat2 shapes cannot be multiplied" in out


# ---------------------------------------------------------------------------------------------
# Exercises that teach: a "why" question and a prediction, under the same contract as every checker

WHY = Question(
    title="Exercise 9 (why a forget gate near 1 helps)",
    prompt="Why does a forget gate near 1 let a gradient travel far back?",
    choices=(
        Choice("Because tanh is bounded.", "tanh bounds the values, but the gradient is a product of factors."),
        Choice("Because each step multiplies the cell-state gradient by f_t.", "Near 1, those factors keep it."),
        Choice("Because the input gate is closed.", "A closed input gate writes nothing; it does not carry."),
    ),
    answer="b",
)

RUN = PredictThenRun(
    title="Exercise 10 (predict, then train)",
    prediction=Question(
        title="Exercise 10 (predict, then train)",
        prompt="With forget bias 0, the accuracy after 300 steps will be:",
        choices=(
            Choice("higher than with bias 1", "A bias of 0 halves the memory each step."),
            Choice("lower than with bias 1", "A bias of 0 starts the gate at 0.5: the memory fades fast."),
        ),
    ),
    measure=lambda result: "b" if as_number(result, "your accuracy") < 0.6 else "a",
    lesson="Initialisation decides what a short training can find.",
)

RANGE = PredictThenRun(
    title="Exercise 11 (predict a number)",
    prediction=NumberRange("How many percent will the model get right?", unit="%", limits=(0, 100), widest=30),
    measure=lambda result: as_number(result, "your accuracy in percent"),
)


def interrupted_measure(result):
    raise KeyboardInterrupt


SPECS = {
    "check_choice": Spec(
        check_choice,
        kind="value",
        call=lambda checker, answer: checker(WHY, answer),
        verdict=r"^right, \(b\)\. Near 1, those factors keep it\.$",
        right={
            "b": "b",
            "B": "B",
            "spaces": " b ",
            "paren": "(b)",
            "b)": "b)",
            "b.": "b.",
            "text": WHY.choices[1].text,
        },
        wrong=[
            ("a", r"not \(a\)\. tanh bounds the values.*Try another choice"),
            ("C", r"not \(c\)\. A closed input gate"),
            ("e", "there is no choice 'e': pick one of a, b or c"),
            (2, "in quotes, such as 'a', not the number 2"),
            ("a, b", "pick only one letter"),
            ("a or c", "pick only one letter"),
            ("", "answer with one letter, a, b or c"),
            (["b"], "this is a list of 1 item"),
        ],
        secrets=lambda: [re.compile(r"\(b\)"), "multiplies the cell-state", "Near 1, those"],
    ),
    "check_prediction": Spec(
        check_prediction,
        kind="value",
        call=lambda checker, answer: checker(RANGE, answer),
        verdict=r"^prediction recorded: 40 to 60%\. Now run the experiment\.$",
        junk_may_pass=("grad_tensor",),  # (0.77, 0.77) is a range, if a narrow one
        right={
            "pair": (40, 60),
            "reversed": (60, 40),
            "numpy": np.array([40.0, 60.0]),
            "tensors": torch.tensor([40, 60]),
        },
        wrong=[
            ((0, 100), "make it at most 30% wide"),
            ((90, 120), "between 0 and 100%"),
            (50, r"return a pair \(low, high\)"),
            (("40", 60), "write the number itself, not the text '40'"),
        ],
        secrets=lambda: [],
    ),
    "check_run": Spec(
        check_run,
        kind="value",
        call=lambda checker, answer: checker(RUN, "b", answer),
        verdict=r"^your run is complete\. Your prediction \(b\) came true\.",
        right={"float": 0.45, "numpy": np.float32(0.45), "tensor": torch.tensor(0.45)},
        wrong=[
            ("high", "your accuracy must be a number, not the text 'high'"),
            (torch.tensor([0.4, 0.5]), "must be one number"),
        ],
        secrets=lambda: [],
    ),
}


globals().update(contract_tests(choices, SPECS))


def test_a_run_whose_prediction_came_true(capsys):
    check_run(RUN, "B", torch.tensor(0.45))
    out = capsys.readouterr().out
    verdict_of(out)
    flat = " ".join(out.split())
    assert flat.startswith("✓ Exercise 10 (predict, then train): your run is complete.")
    assert "Your prediction (b) came true. A bias of 0 starts the gate at 0.5" in flat
    assert flat.endswith("Initialisation decides what a short training can find.")
    assert_clean(out, SPECS["check_run"])


def test_an_honest_wrong_prediction_does_not_fail_the_exercise(capsys):
    check_run(RUN, "a", 0.45)
    out = capsys.readouterr().out
    flat = " ".join(out.split())
    assert flat.startswith("✓") and "Your prediction (a) did not come true: the run shows (b) lower than" in flat
    assert "it still counts as done" in flat
    assert_clean(out, SPECS["check_run"])


def test_a_run_without_a_prediction_asks_for_one_first(capsys):
    for prediction in (None, ...):
        check_run(RUN, prediction, 0.45)
        out = capsys.readouterr().out
        assert out.startswith("✗") and "record your prediction before the run" in out
    check_run(RUN, "z", 0.45)
    assert "there is no choice 'z'" in capsys.readouterr().out


def test_a_number_range_prediction_is_graded_against_the_run(capsys):
    check_prediction(RANGE, (60, 40))
    assert " ".join(capsys.readouterr().out.split()) == (
        "✓ Exercise 11 (predict a number): prediction recorded: 40 to 60%. Now run the experiment."
    )
    check_run(RANGE, (40, 60), np.float32(52.5))
    flat = " ".join(capsys.readouterr().out.split())
    assert flat.startswith("✓ Exercise 11 (predict a number): your run measured 52.5%.")
    assert "Your prediction, 40 to 60%, came true." in flat
    check_run(RANGE, (40.0, 60.0), 60.00001)
    flat = " ".join(capsys.readouterr().out.split())
    assert "measured 60.00001%" in flat and "the run is above it" in flat and flat.startswith("✓")


def test_the_choices_print_as_a_question(capsys):
    WHY.show()
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == [f"  {letter}) {c.text}" for letter, c in zip("abc", WHY.choices, strict=True)]


def test_read_choice_refuses_what_it_cannot_read_kindly():
    assert read_choice(WHY, "  (B)  ") == "b"
    with pytest.raises(NotAttempted):
        read_choice(WHY, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"choices": (Choice("only", "one"),)}, "2 to 26"),
        ({"answer": "d"}, "one of the letters"),
        ({"choices": (Choice("same", "x"), Choice("Same.", "y"))}, "same text"),
        ({"choices": (Choice("a", ""), Choice("b", "y"))}, "a text and a why"),
    ],
)
def test_a_badly_written_question_is_refused_when_written(kwargs, message):
    base = {"title": "t", "prompt": "p", "choices": WHY.choices, "answer": None}
    with pytest.raises(ValueError, match=message):
        Question(**{**base, **kwargs})


def test_check_choice_needs_a_question_with_an_answer():
    with pytest.raises(ValueError, match="needs a question with an answer"):
        check_choice(RUN.prediction, "a")


def test_a_measure_that_lets_an_interrupt_through():
    with pytest.raises(KeyboardInterrupt):
        check_run(PredictThenRun("t", RANGE.prediction, interrupted_measure), (1, 2), 1.5)


def test_a_long_list_is_read_fast_and_a_list_of_truth_values_is_still_refused():
    assert as_values(list(range(100_000)), "v").shape == (100_000,)
    with pytest.raises(ExerciseError, match="truth value"):
        as_values([True, False], "v")
    with pytest.raises(ExerciseError, match="not the text 'a'"):
        as_values([1.5, "a"], "v")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU: answers on CUDA")
def test_right_answers_on_cuda_pass(capsys):
    from helpers.exercises.nb01 import check_rnn_step
    from helpers.exercises.nb05 import check_two_sine_order

    def on_gpu(x_t, h_prev, W_xh, W_hh, b):
        x_t, h_prev, W_xh, W_hh, b = (v.cuda() for v in (x_t, h_prev, W_xh, W_hh, b))
        return torch.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)

    check_rnn_step(on_gpu)
    check_two_sine_order(torch.tensor(4, device="cuda"))
    assert capsys.readouterr().out.count("✓") == 2
