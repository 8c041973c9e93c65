"""Exercise checkers: each notebook's checkers live in ``helpers.exercises.nbNN``.

Every checker keeps one contract (``tests/exercise_contract.py`` proves it for each of them):

- It prints its verdict with ``print`` and returns None, so nothing else shows under the cell.
- A right answer prints one line starting with ``✓``.
- A placeholder (``None``, ``...``), a wrong answer or an answer of the wrong kind prints a ``✗`` line
  with a hint in words: why the answer was refused. It never shows the reference answer, anything it
  can be read off from, or the checker's code.
- An error inside the student's own function prints a ``✗`` line naming the student's line (notebook
  cell and line number, and its source) and the error's message, without a traceback.
- It never raises into the notebook; only KeyboardInterrupt (and other signals that are not an
  ``Exception``) pass through.
- Printed lines are at most :data:`WIDTH` characters, wrapped at word boundaries.
- Numbers are accepted in any numeric type (Python, NumPy, torch of any real dtype, on any device)
  and compared at a tolerance each checker states in its docstring (widened to the precision of a
  float16 or bfloat16 answer, :func:`tolerance_for`); text that holds a number, True
  and False, NaN and infinity are refused with the reason (see :mod:`helpers.exercises.answers`).

Pieces for writing a checker: :func:`run_check` and :class:`Grading` (:mod:`.grading`), the answer
readers :func:`as_number`, :func:`as_count`, :func:`as_values`, :func:`as_indices`, :func:`as_pair` and
:func:`close` (:mod:`.answers`), and for exercises that teach, :class:`Question` with
:func:`check_choice`, and :class:`PredictThenRun` with :func:`check_prediction` and :func:`check_run`
(:mod:`.choices`).
"""

from __future__ import annotations

from helpers.exercises.answers import (
    as_count,
    as_indices,
    as_number,
    as_pair,
    as_values,
    close,
    require_shape,
    shape_of,
    shape_text,
    tolerance_for,
)
from helpers.exercises.choices import (
    Choice,
    NumberRange,
    PredictThenRun,
    Question,
    check_choice,
    check_prediction,
    check_run,
    read_choice,
    read_range,
)
from helpers.exercises.grading import (
    WIDTH,
    ExerciseError,
    Grading,
    NotAttempted,
    StudentCodeError,
    describe,
    is_placeholder,
    require_answer,
    run_check,
)

__all__ = [
    "WIDTH",
    "Choice",
    "ExerciseError",
    "Grading",
    "NotAttempted",
    "NumberRange",
    "PredictThenRun",
    "Question",
    "StudentCodeError",
    "as_count",
    "as_indices",
    "as_number",
    "as_pair",
    "as_values",
    "check_choice",
    "check_prediction",
    "check_run",
    "close",
    "describe",
    "is_placeholder",
    "read_choice",
    "read_range",
    "require_answer",
    "require_shape",
    "run_check",
    "shape_of",
    "shape_text",
    "tolerance_for",
]
