"""How a checker runs: it calls the student's function safely and prints one verdict, never raising.

A checker is ``run_check(title, check)``: ``check(grading)`` grades the answer and either returns (the
answer is right) or raises :class:`NotAttempted` (still the placeholder), :class:`ExerciseError` (wrong,
with a hint in words) or :class:`StudentCodeError` (the student's own code failed). ``run_check`` turns
each of these into one printed verdict, wrapped at word boundaries, and returns None.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import linecache
import re
import sysconfig
import textwrap
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch

WIDTH = 88
"""The longest printed line: a verdict wraps at word boundaries before a narrow output area would."""

LONGEST_WORD = 48
"""Longer words (a file path, a repr without spaces) are shortened with … so no line breaks mid-word."""

UNFORESEEN = "this answer could not be checked"
"""The start of the verdict for an answer no rule of the checker foresaw (tests make sure it never shows)."""


class ExerciseError(AssertionError):
    """A wrong answer, or an answer of the wrong kind. The message is the hint: why it was refused."""


class NotAttempted(Exception):
    """The answer is still the placeholder the exercise started with (None or ...)."""


class StudentCodeError(Exception):
    """The student's own function raised. The message names the student's line and the error."""


def is_placeholder(value: Any) -> bool:
    """True for the placeholders an exercise starts with: ``None`` and ``...``."""
    return value is None or value is Ellipsis


def placeholder_text(value: Any) -> str:
    """A placeholder as the student typed it: ``None`` or ``...``."""
    return "..." if value is Ellipsis else repr(value)


def require_answer(value: Any, what: str) -> Any:
    """Return ``value``, or raise :class:`NotAttempted` (with the reminder ``what``) if it is a placeholder."""
    if is_placeholder(value):
        raise NotAttempted(what)
    return value


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with … at the cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def wrap(text: str, width: int = WIDTH, indent: str = "") -> str:
    """``text`` wrapped at word boundaries into lines of at most ``width`` characters.

    The first line starts with ``indent``, continuation lines with two spaces; a word longer than
    :data:`LONGEST_WORD` is shortened with … so that no line is ever cut inside a word.
    """
    words = [word if len(word) <= LONGEST_WORD else word[: LONGEST_WORD - 1] + "…" for word in str(text).split()]
    return textwrap.fill(
        " ".join(words),
        width=width,
        initial_indent=indent,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def say(text: str) -> None:
    """Print ``text`` wrapped by :func:`wrap`; each further paragraph (after a newline) is indented."""
    first, *rest = str(text).split("\n")
    print("\n".join([wrap(first), *(wrap(paragraph, indent="  ") for paragraph in rest)]))


def run_check(title: str, check: Callable[[Grading], str | None]) -> None:
    """Grade with ``check(grading)`` and print the verdict: one ``✓`` or ``✗`` line (wrapped).

    ``check`` returns None (right: "✓ title: correct.") or the text to print after "✓ title:" instead
    of "correct.", or raises
    :class:`NotAttempted`, :class:`ExerciseError` or :class:`StudentCodeError`. Any other exception
    (a case no rule foresaw) still prints a ✗ line without a traceback. KeyboardInterrupt and other
    signals that are not an ``Exception`` pass through, so a student can stop a slow function.
    Returns None, so a checker call at the end of a cell shows only the printed verdict.
    """
    grading = Grading()
    try:
        extra = check(grading)
    except NotAttempted as reason:
        verdict = f"✗ {title}: not attempted yet ({reason}). Fill in your answer and run the cell again."
    except (ExerciseError, StudentCodeError) as error:
        verdict = f"✗ {title}: {error}"
    except Exception as error:  # noqa: BLE001 - whatever happens, the student sees one line, not a traceback
        verdict = (
            f"✗ {title}: {UNFORESEEN} (the checker met a {type(error).__name__}). Look at what your answer "
            "is: its type, shape and values. If it looks right, tell your teacher."
        )
    else:
        verdict = " ".join([f"✓ {title}: {extra or 'correct.'}", *grading.notes])
    say(verdict)
    return None


class Grading:
    """What one run of a checker learns on the way: notes for the verdict (an input changed in place)."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the student's ``function`` on copies of the arguments and return its answer.

        Raises :class:`NotAttempted` if ``function`` or its answer is a placeholder,
        :class:`ExerciseError` if ``function`` is not a function or returns a generator or iterator,
        and :class:`StudentCodeError` (naming the student's own line) if the function raises.
        An argument the function changes in place is named in a note on the verdict; the checker's own
        copies stay intact, so its reference answer is never affected.
        """
        if is_placeholder(function):
            raise NotAttempted(f"the function is still {placeholder_text(function)}")
        if not callable(function):
            raise ExerciseError(
                f"pass your function itself, by its name without brackets; this is {describe(function)}"
            )
        copies = [_copy(a) for a in args]
        kw_copies = {k: _copy(v) for k, v in kwargs.items()}
        try:
            answer = function(*copies, **kw_copies)
        except Exception as error:  # noqa: BLE001 - the student's code: report its line, not a traceback
            raise StudentCodeError(explain_error(error, skip=1)) from None
        changed = [i for i, (a, c) in enumerate(zip(args, copies, strict=True)) if not _same(a, c)]
        changed_kw = [k for k in kwargs if not _same(kwargs[k], kw_copies[k])]
        if changed or changed_kw:
            names = [_argument_name(function, i) for i in changed] + changed_kw
            note = (
                f"Note: your function also changed its input {', '.join(names)} in place; a function that "
                "computes a new value leaves its inputs as they were."
            )
            if note not in self.notes:
                self.notes.append(note)
        if is_placeholder(answer):
            raise NotAttempted(f"your function returned {placeholder_text(answer)}")
        if isinstance(answer, Iterator) and not isinstance(answer, torch.Tensor):
            raise ExerciseError(
                f"your function returned {describe(answer)}, which holds no values until it is used up. "
                "Return the values themselves: a tensor, a list or a tuple."
            )
        return answer


def explain_error(error: BaseException, skip: int = 0) -> str:
    """One sentence about ``error`` raised in the student's code: where (cell and line) and what.

    ``skip`` leading traceback frames belong to the caller (the checker) and are never shown.
    """
    frames = [(frame.f_code.co_filename, lineno) for frame, lineno in traceback.walk_tb(error.__traceback__)][skip:]
    what = error_message(error)
    if not frames:
        return f"calling your function failed: {what}. Does it take the arguments the exercise names?"
    own = [(filename, lineno) for filename, lineno in frames if is_students_file(filename)]
    if not own:
        return f"your function raised an error: {what}"
    filename, lineno = own[-1]
    source = shorten(linecache.getline(filename, lineno) if lineno else "", 60)
    line = f' ("{source}")' if source else ""
    return f"your code raised an error in {where(filename, lineno)}{line}: {what}"


def error_message(error: BaseException) -> str:
    """``TypeName: message``, on one line, cut to a readable length."""
    try:
        message = shorten(str(error), 200)
    except Exception:  # noqa: BLE001 - an exception whose message itself fails
        message = ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def where(filename: str, lineno: int | None) -> str:
    """A place in code as a student reads it: ``Cell In[5], line 3`` in a notebook, else ``file.py, line 3``."""
    label = None
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            named = shell.compile.format_code_name(filename)
            if named is not None:
                label = " ".join(named)
    except Exception:  # noqa: BLE001 - an older IPython, or none: fall back to the file name
        label = None
    if label is None:
        match = re.match(r"<ipython-input-(\d+)-", filename)
        label = f"Cell In[{match[1]}]" if match else Path(filename).name
    return f"{label}, line {lineno}" if lineno else label


def _library_dirs() -> tuple[Path, ...]:
    dirs = {Path(__file__).resolve().parents[1]}  # the helpers package
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(Path(path).resolve())
    for module in (torch,):
        dirs.add(Path(module.__file__).resolve().parent)
    return tuple(dirs)


_LIBRARY_DIRS = _library_dirs()


@functools.lru_cache(maxsize=1024)
def is_students_file(filename: str) -> bool:
    """True unless ``filename`` is in helpers, the standard library or an installed package."""
    if filename.startswith("<frozen"):
        return False
    if filename.startswith("<"):
        return True  # code typed in: a notebook cell of an old IPython, exec, the console
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return True
    return not any(path.is_relative_to(directory) for directory in _LIBRARY_DIRS)


def _argument_name(function: Any, index: int) -> str:
    try:
        names = [
            p.name
            for p in inspect.signature(function).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        return names[index]
    except (TypeError, ValueError, IndexError):
        return f"number {index + 1}"


def _copy(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().clone().requires_grad_(value.requires_grad)
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an object that cannot be copied is passed as it is
        return value


def _same(a: Any, b: Any) -> bool:
    """True unless ``a`` and ``b`` visibly differ (tensors, models, sequences of them)."""
    if a is b:
        return True
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and a.dtype == b.dtype and bool(torch.equal(a.detach(), b.detach()))
    if isinstance(a, torch.nn.Module) and isinstance(b, torch.nn.Module):
        sa, sb = a.state_dict(), b.state_dict()
        return sa.keys() == sb.keys() and all(_same(sa[k], sb[k]) for k in sa)
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return True


def describe(value: Any) -> str:
    """A value in a few words, never its full repr: "a tensor of shape (3, 4)", "the text '3'"."""
    if value is None or value is Ellipsis or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return f"the text {shorten(value, 24)!r}"
    if isinstance(value, torch.Tensor):
        if value.dim() == 0:
            return "a one-number tensor"
        return f"a tensor of shape {tuple(value.shape)}"
    type_name = type(value).__module__.split(".")[0]
    if type_name == "numpy":
        shape = getattr(value, "shape", ())
        return f"a NumPy array of shape {tuple(shape)}" if shape else f"a NumPy {type(value).__name__}"
    if isinstance(value, int | float):
        return f"the number {value:.4g}"
    if isinstance(value, complex):
        return "a complex number"
    if isinstance(value, list | tuple | set | dict):
        kind = type(value).__name__ if type(value) in (list, tuple, set, dict) else "sequence"
        return f"a {kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if inspect.isgenerator(value):
        return "a generator"
    if isinstance(value, Iterator):
        return f"an iterator ({shorten(type(value).__name__, 24)})"
    if isinstance(value, torch.nn.Module):
        return f"a model ({shorten(type(value).__name__, 24)})"
    if callable(value):
        return "a function"
    return f"an object of type {shorten(type(value).__name__, 24)}"
