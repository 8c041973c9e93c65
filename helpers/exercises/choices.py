"""Exercises that teach: graded "why" questions and "predict, then run" experiments.

A :class:`Question` has lettered choices, each with the explanation shown when it is picked;
:func:`check_choice` grades a pick. A :class:`PredictThenRun` experiment asks for a prediction first (one
of a question's choices, or a :class:`NumberRange`), then grades the student's run with
:func:`check_run`: the run decides pass or fail, and the prediction is told right or wrong with its
explanation, never failing the exercise for an honest wrong guess.

How a pick is read (:func:`read_choice`): a letter in any case, with spaces around it or written as
``b)``, ``(b)`` or ``b.``, or the exact text of a choice. A number is refused (is 2 the second choice
or choice c?), as are unknown letters, several letters, and anything that is not text.

Writing one, in ``helpers/exercises/nbNN.py`` (the notebook shows the question with ``WHY_GATE.show()``)::

    WHY_GATE = Question(
        title="Exercise 4 (why the cell state keeps a gradient)",
        prompt="Why can the gradient along the cell state survive 50 steps?",
        choices=(
            Choice("Because tanh keeps it bounded.", "Bounded values say nothing about a product of factors."),
            Choice("Because each step multiplies it by f_t, near 1.", "Yes: with f_t near 1 the factors ..."),
        ),
        answer="b",
    )

    def check_why_gate(answer):
        check_choice(WHY_GATE, answer)

    BIAS_ZERO = PredictThenRun(
        title="Exercise 5 (retrain with forget bias 0)",
        prediction=NumberRange("Your accuracy after 300 steps, in %: (low, high)?", unit="%", limits=(0, 100),
                               widest=30),
        measure=lambda accuracy: 100 * as_number(accuracy, "your accuracy"),
        lesson="The forget bias sets how long a memory lasts before training has tuned it.",
    )

and in the notebook: ``check_prediction(BIAS_ZERO, prediction)`` before the run, ``check_run(BIAS_ZERO,
prediction, accuracy)`` after it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helpers.exercises.answers import as_number, as_pair
from helpers.exercises.grading import (
    ExerciseError,
    Grading,
    NotAttempted,
    describe,
    is_placeholder,
    placeholder_text,
    run_check,
    shorten,
    wrap,
)


@dataclass(frozen=True)
class Choice:
    """One lettered answer: its text, and why it is right or wrong (shown when it is picked)."""

    text: str
    why: str


@dataclass(frozen=True)
class Question:
    """A multiple-choice question.

    title: the verdict's title, e.g. ``"Exercise 4 (why the gradient fades)"``.
    prompt: the question. choices: in order, lettered a, b, c, ...
    answer: the right letter; None for a prediction whose right choice the student's run decides.
    """

    title: str
    prompt: str
    choices: tuple[Choice, ...]
    answer: str | None = None

    def __post_init__(self) -> None:
        if not 2 <= len(self.choices) <= 26:
            raise ValueError(f"choices: give 2 to 26 Choice objects; got {len(self.choices)}")
        if not all(isinstance(c, Choice) and c.text.strip() and c.why.strip() for c in self.choices):
            raise ValueError("choices: each must be a Choice with a text and a why")
        texts = [_normal(c.text) for c in self.choices]
        if len(set(texts)) != len(texts):
            raise ValueError("choices: two choices have the same text")
        if self.answer is not None and self.answer not in self.letters:
            raise ValueError(f"answer: one of the letters {self.letters}; got {self.answer!r}")

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(string.ascii_lowercase[: len(self.choices)])

    def choice(self, letter: str) -> Choice:
        return self.choices[self.letters.index(letter)]

    def text(self) -> str:
        """The question and its lettered choices, wrapped for a narrow screen."""
        lines = [wrap(self.prompt)]
        lines += [
            wrap(f"{letter}) {c.text}", indent="  ") for letter, c in zip(self.letters, self.choices, strict=True)
        ]
        return "\n".join(lines)

    def show(self) -> None:
        """Print the question and its choices (for a notebook cell that asks it)."""
        print(self.text())


def _normal(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def _or_list(letters: tuple[str, ...]) -> str:
    return ", ".join(letters[:-1]) + f" or {letters[-1]}"


def read_choice(question: Question, picked: Any) -> str:
    """The letter the student picked, read as this module's docstring says; raises with a kind reason."""
    options = _or_list(question.letters)
    if is_placeholder(picked):
        raise NotAttempted(f"pick one of {options}, in quotes, such as answer = 'a'")
    if isinstance(picked, bool) or not isinstance(picked, str):
        if isinstance(picked, int | float):
            raise ExerciseError(
                f"answer with the letter of your choice, in quotes, such as 'a', not the number {picked}"
            )
        raise ExerciseError(f"answer with one letter in quotes, {options}; this is {describe(picked)}")
    text = picked.strip()
    letter = re.fullmatch(r"\(?\s*([A-Za-z])\s*[).:]?", text)
    if letter:
        got = letter[1].lower()
        if got in question.letters:
            return got
        raise ExerciseError(f"there is no choice {got!r}: pick one of {options}")
    for candidate, c in zip(question.letters, question.choices, strict=True):
        if _normal(text) == _normal(c.text):
            return candidate
    if re.fullmatch(r"[\s(]*[A-Za-z][\s).]*([,;/&+]|and|or|\s)+[\s(]*[A-Za-z][\s).,;a-zA-Z&+/]*", text):
        raise ExerciseError(f"pick only one letter: {options}")
    raise ExerciseError(f"answer with one letter, {options}; this is the text {shorten(text, 24)!r}")


def check_choice(question: Question, picked: Any) -> None:
    """Grade a pick of a question with a right answer; prints ✓ with why, or ✗ with why not (no answer)."""
    if question.answer is None:
        raise ValueError("question: check_choice needs a question with an answer; this one has none")

    def check(grading: Grading) -> str:
        letter = read_choice(question, picked)
        if letter != question.answer:
            raise ExerciseError(f"not ({letter}). {question.choice(letter).why} Try another choice.")
        return f"right, ({letter}). {question.choice(letter).why}"

    run_check(question.title, check)


@dataclass(frozen=True)
class NumberRange:
    """A prediction given as a range ``(low, high)`` of a number the run will measure.

    unit: printed after numbers ("%", " steps"). limits: where the number can lie at all.
    widest: the widest range accepted as a prediction (a range of everything predicts nothing).
    """

    prompt: str
    unit: str = ""
    limits: tuple[float, float] = (float("-inf"), float("inf"))
    widest: float = float("inf")

    def text(self) -> str:
        return wrap(self.prompt)

    def show(self) -> None:
        print(self.text())


def read_range(spec: NumberRange, prediction: Any) -> tuple[float, float]:
    """The predicted ``(low, high)``, in either order, inside the limits and not wider than allowed."""
    if is_placeholder(prediction):
        raise NotAttempted("write your prediction as a range, prediction = (low, high)")
    low, high = as_pair(prediction, "(low, high)")
    low, high = sorted((as_number(low, "low"), as_number(high, "high")))
    lo_limit, hi_limit = spec.limits
    if low < lo_limit or high > hi_limit:
        raise ExerciseError(
            f"the number lies between {lo_limit:g} and {hi_limit:g}{spec.unit}; your range goes beyond that"
        )
    if high - low > spec.widest:
        raise ExerciseError(
            f"a range {high - low:g}{spec.unit} wide predicts little: make it at most {spec.widest:g}{spec.unit} wide"
        )
    return low, high


@dataclass(frozen=True)
class PredictThenRun:
    """An experiment the student predicts, then runs.

    prediction: a :class:`Question` (its ``answer`` is None: the run decides) or a :class:`NumberRange`.
    measure: reads the student's result. For a question it returns the letter the run bears out, for a
    range the measured number. It raises :class:`ExerciseError` (or :class:`NotAttempted`) when the
    result is not a proper run, with the reason in words.
    lesson: what the run shows, printed after the prediction's grade (optional).
    """

    title: str
    prediction: Question | NumberRange
    measure: Callable[[Any], str | float]
    lesson: str = ""

    def show(self) -> None:
        print(self.prediction.text())


def _read_prediction(task: PredictThenRun, prediction: Any) -> str | tuple[float, float]:
    if isinstance(task.prediction, Question):
        return read_choice(task.prediction, prediction)
    return read_range(task.prediction, prediction)


def _describe_prediction(task: PredictThenRun, read: str | tuple[float, float]) -> str:
    if isinstance(read, str):
        assert isinstance(task.prediction, Question)
        return f"({read}) {task.prediction.choice(read).text.rstrip('.')}"  # the caller ends the sentence
    unit = task.prediction.unit if isinstance(task.prediction, NumberRange) else ""
    return f"{read[0]:.3g} to {read[1]:.3g}{unit}"


def check_prediction(task: PredictThenRun, prediction: Any) -> None:
    """Before the run: check that the prediction is well formed and say it is recorded (✓), or why not (✗)."""

    def check(grading: Grading) -> str:
        read = _read_prediction(task, prediction)
        return f"prediction recorded: {_describe_prediction(task, read)}. Now run the experiment."

    run_check(task.title, check)


def _apart(value: float, low: float, high: float) -> tuple[str, str, str]:
    """The three numbers with enough digits (3 to 9) that a value outside the range never prints equal to an end."""
    for digits in range(3, 10):
        v, lo, hi = (f"{x:.{digits}g}" for x in (value, low, high))
        if (low <= value <= high) or (v != lo and v != hi):
            break
    return v, lo, hi


def check_run(task: PredictThenRun, prediction: Any, result: Any) -> None:
    """After the run: grade the run (✓ or ✗), then tell whether the prediction came true, and why.

    A missing or malformed prediction fails (record it first); a wrong prediction does not.
    """

    def check(grading: Grading) -> str:
        try:
            read = _read_prediction(task, prediction)
        except NotAttempted as reason:
            raise ExerciseError(f"record your prediction before the run ({reason}), then check again") from None
        if is_placeholder(result):
            raise NotAttempted(f"the result of your run is still {placeholder_text(result)}")
        measured = task.measure(result)
        if isinstance(task.prediction, Question):
            question = task.prediction
            if measured not in question.letters:
                raise ValueError(f"measure returned {measured!r}, not one of the letters {question.letters}")
            outcome = question.choice(str(measured))
            if read == measured:
                told = f"Your prediction ({read}) came true. {outcome.why}"
            else:
                told = (
                    f"Your prediction ({read}) did not come true: the run shows ({measured}) "
                    f"{outcome.text.rstrip('.')}. "
                    f"{outcome.why} A wrong guess is part of the exercise: it still counts as done."
                )
            head = "your run is complete."
        else:
            unit = task.prediction.unit
            value = as_number(measured, "the measured number")
            low, high = read  # type: ignore[misc]
            v, lo, hi = _apart(value, low, high)
            head = f"your run measured {v}{unit}."
            if low <= value <= high:
                told = f"Your prediction, {lo} to {hi}{unit}, came true."
            else:
                side = "above" if value > high else "below"
                told = (
                    f"Your prediction, {lo} to {hi}{unit}, did not come true: the run is {side} it. "
                    "A wrong guess is part of the exercise: it still counts as done."
                )
        lesson = f" {task.lesson}" if task.lesson else ""
        return f"{head}\n{told}{lesson}"

    run_check(task.title, check)
