"""Exercise checkers: each notebook's checkers live in ``helpers.exercises.nbNN``.

A checker prints a tick when the answer is right, prints a reminder when the answer is still the
placeholder (``None`` or ``...``), and raises :class:`ExerciseError` whose message is a hint otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ExerciseError(AssertionError):
    """A wrong answer. The message says what was expected and gives a hint."""


class NotAttempted(Exception):
    """The answer is still the placeholder the exercise started with."""


def is_placeholder(value: Any) -> bool:
    """True for the placeholders an exercise starts with: ``None`` and ``...``."""
    return value is None or value is Ellipsis


def require_answer(value: Any, what: str) -> Any:
    """Return ``value``, or raise :class:`NotAttempted` if it is still a placeholder."""
    if is_placeholder(value):
        raise NotAttempted(what)
    return value


def run_check(title: str, check: Callable[[], None]) -> None:
    """Run ``check`` and print the verdict. Wrong answers raise :class:`ExerciseError` with a hint.

    Returns None, so a checker call at the end of a cell shows only the printed verdict.
    """
    try:
        check()
    except NotAttempted as reason:
        print(f"{title}: not attempted yet ({reason}). Fill in your answer and run the cell again.")
        return
    print(f"✓ {title}: correct.")
