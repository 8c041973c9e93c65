"""The contract every exercise checker keeps, as tests generated for each checker from its Spec.

Each ``tests/test_exercises_nbNN.py`` describes its checkers with :class:`Spec` objects in ``SPECS`` and
calls :func:`contract_tests`, which returns parametrised tests proving, for every checker:

- right answers in several numeric types print exactly one line, starting with ✓;
- placeholders (None, ..., a function returning None or ...) print a ✗ line with "not attempted yet";
- each listed wrong answer prints a ✗ line with its hint;
- a function that raises in its own code prints one ✗ verdict naming the student's line and the error,
  and KeyboardInterrupt passes through;
- a battery of answers of the wrong kind (text, True, NaN, infinity, complex, meta and sparse tensors,
  generators, objects whose conversion raises, functions that print, mutate their inputs or raise
  odd errors, ...) prints one ✗ verdict, never raises, and never reaches the "could not be checked" net;
- no printed text contains a reference value (computed here, independently of the checker), the
  checker's source lines, a traceback or the names of the checker's internals; every line fits WIDTH;
- the checker returns None.
And ``test_every_checker_has_a_spec`` fails when a checker is added without a Spec.
"""

from __future__ import annotations

import decimal
import fractions
import inspect
import re
import sys
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import torch

from helpers.exercises.grading import UNFORESEEN, WIDTH

FORBIDDEN = (
    "Traceback",
    'File "',
    "ExerciseError",
    "NotAttempted",
    "StudentCodeError",
    "grading.",
    "helpers/exercises",
    "def ",
    "want",
)
FRAMEWORK = ("helpers.exercises.grading", "helpers.exercises.answers", "helpers.exercises.choices")


@dataclass
class Spec:
    """How to exercise one checker.

    call: calls the checker with an answer (default ``checker(answer)``).
    kind: "function" (the answer is the student's function) or "value" (the answer itself).
    right: named right answers, in several numeric types.
    wrong: (answer, regex the hint must match) pairs, or triples whose third item is the student's own
    text the verdict may quote back (see :func:`assert_clean`).
    secrets: reference values computed in the test that must never be printed: numbers (a float is
    found at the digits printed, a whole number of 10 or more as itself), strings, or compiled patterns
    (for a small whole number, which shapes and cases print all the time).
    """

    checker: Callable[..., Any]
    right: dict[str, Any]
    wrong: list[tuple[Any, str]]
    secrets: Callable[[], Iterable[float | int | str]]
    kind: str = "function"
    call: Callable[[Callable[..., Any], Any], Any] | None = None
    extra_junk: dict[str, Any] = field(default_factory=dict)
    junk_may_pass: tuple[str, ...] = ()
    """Names of junk values that are right answers all the same for this checker (a value exercise)."""
    verdict: str = r"correct\.$"
    """What a right answer's verdict says after its title (a regex); a verdict other than "correct." may wrap."""

    def run(self, answer: Any) -> Any:
        if self.call is not None:
            return self.call(self.checker, answer)
        return self.checker(answer)


def run_and_capture(spec: Spec, answer: Any, capsys: pytest.CaptureFixture[str]) -> str:
    """The checker's printed verdict; it returns None and writes nothing to stderr, and issues no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = spec.run(answer)
    assert result is None, "a checker returns None, so nothing but its verdict shows"
    captured = capsys.readouterr()
    assert captured.err == "", f"nothing on stderr (nbval compares it): {captured.err!r}"
    return captured.out


NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def shows(token: str, secret: float) -> bool:
    """True if the printed number ``token`` is ``secret`` rounded to the token's digits (2 or more)."""
    mantissa, _, exponent = token.lower().lstrip("-").partition("e")
    digits = mantissa.replace(".", "").lstrip("0")
    if len(digits) < 2:
        return False
    decimals = len(mantissa.partition(".")[2]) - int(exponent or 0)
    return abs(float(token) - secret) <= 0.5 * 10.0**-decimals * 1.001


def verdict_of(out: str) -> list[str]:
    """The verdict's lines: from the line starting with ✓ or ✗ to the end (a student's prints come first)."""
    lines = out.rstrip("\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(("✓", "✗"))]
    assert len(starts) == 1, f"exactly one verdict line starting with ✓ or ✗:\n{out}"
    verdict = lines[starts[0] :]
    assert all(line.startswith("  ") for line in verdict[1:]), f"continuation lines are indented:\n{out}"
    return verdict


def assert_clean(out: str, spec: Spec, echo: str = "", secrets: bool = True) -> None:
    """No reference value, checker source or internals in the verdict, and every line fits.

    ``echo``: text of the student's own answer that the verdict may quote back (removed before the
    search for reference values: "not the text '4'" quotes the student, it does not leak).
    ``secrets=False`` after a right answer, which the verdict may name.
    """
    verdict = verdict_of(out)
    text = "\n".join(verdict)
    for line in verdict:
        assert len(line) <= WIDTH, f"line longer than {WIDTH}: {line!r}"
    assert UNFORESEEN not in text, f"an answer no rule foresaw:\n{text}"
    for word in FORBIDDEN:
        assert word not in text, f"{word!r} printed:\n{text}"
    body = " ".join(text.split(":", 1)[1].split())  # after the title, lines joined
    if echo:
        body = body.replace(echo, "")
    tokens = NUMBER.findall(body)
    for secret in spec.secrets() if secrets else ():
        if isinstance(secret, re.Pattern):
            assert not secret.search(body), f"the reference {secret.pattern!r} printed:\n{text}"
        elif isinstance(secret, str):
            assert secret not in body, f"the reference {secret!r} printed:\n{text}"
        elif float(secret).is_integer() and abs(secret) < 10:
            continue  # a small whole number is everywhere (shapes, cases): give a pattern for it instead
        elif float(secret).is_integer():
            assert float(secret) not in [float(t) for t in tokens], f"the reference {secret} printed:\n{text}"
        else:
            leaks = [t for t in tokens if shows(t, float(secret))]
            assert not leaks, f"the reference {secret} printed as {leaks}:\n{text}"
    modules = (spec.checker.__module__, *FRAMEWORK)
    source = "\n".join(inspect.getsource(sys.modules[name]) for name in modules)
    for line in source.splitlines():
        line = line.strip()
        if len(line) >= 20:
            assert line not in " ".join(text.split()), f"checker source printed: {line!r}"


def as_student(value: Any) -> Callable[..., Any]:
    return lambda *args, **kwargs: value


class BadFloat:
    def __float__(self) -> float:
        raise RuntimeError("no float here")


class BadArray:
    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise RuntimeError("no array here")


class BadMessage(Exception):
    def __str__(self) -> str:
        raise RuntimeError("a message that cannot be printed")


def junk_values() -> dict[str, Any]:
    """Answers of every wrong kind (fresh objects each call: generators get used up)."""
    return {
        "text_number": "12345.5",
        "text_word": "abc",
        "long_text": "x" * 5000,
        "bytes": b"7.5",
        "true": True,
        "numpy_bool": np.bool_(False),
        "complex": 1 + 2j,
        "nan": float("nan"),
        "inf": float("inf"),
        "huge": 1e308,
        "odd_number": -7.25,
        "fraction": fractions.Fraction(1, 7),
        "decimal": decimal.Decimal("-2.75"),
        "numpy_float16": np.float16(-0.375),
        "empty_list": [],
        "list_of_text": ["a", "b"],
        "ragged_list": [[1.5, 2.5], [3.5]],
        "dict": {"a": 1},
        "set": {1.5},
        "object": object(),
        "bad_float": BadFloat(),
        "bad_array": BadArray(),
        "bool_tensor": torch.ones(3, dtype=torch.bool),
        "complex_tensor": torch.ones(2, dtype=torch.complex64),
        "meta_tensor": torch.empty(3, 5, device="meta"),
        "empty_tensor": torch.empty(0),
        "big_tensor": torch.full((700, 700), 0.123),
        "nan_tensor": torch.full((3, 5), float("nan")),
        "inf_tensor": torch.full((2,), float("-inf")),
        "int_tensor": torch.arange(6).reshape(2, 3),
        "grad_tensor": torch.full((2,), 0.77, requires_grad=True),
        "sparse_tensor": torch.eye(3).to_sparse(),
        "numpy_text": np.array(["a", "b"]),
        "numpy_object": np.array([object(), object()], dtype=object),
        "model": torch.nn.Linear(2, 2),
        "function": print,
        "pair_of_none": (None, None),
        "pair_of_text": ("a", "b"),
        "triple": (1.5, 2.5, 3.5),
        "nested_tensors": [torch.ones(2), torch.ones(2)],
        "generator": (i for i in range(3)),
        "map": map(float, [1, 2]),
        "ellipsis_pair": (..., ...),
    }


ODD_NUMBERS = ("huge", "odd_number", "fraction", "decimal", "numpy_float16")
"""Junk that is a number all the same: right or wrong, a value exercise must still answer with one verdict."""


def junk_functions() -> dict[str, Callable[..., Any]]:
    """Student functions that misbehave in other ways than their answer's type."""

    def prints(*args: Any, **kwargs: Any) -> Any:
        print("debug output " * 40)
        return "not an answer"

    def identity(*args: Any, **kwargs: Any) -> Any:
        return args[0]

    def mutates(*args: Any, **kwargs: Any) -> Any:
        for a in args:
            if isinstance(a, torch.Tensor) and a.is_floating_point():
                a.mul_(-3.5)
        return -7.25

    def key_error(*args: Any, **kwargs: Any) -> Any:
        table = {}
        return table["missing"]

    def long_message(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a very long message " * 500)

    def multi_line(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("first line\nsecond line\n\n" + "word " * 30)

    def bad_message(*args: Any, **kwargs: Any) -> Any:
        raise BadMessage()

    def recursion(*args: Any, **kwargs: Any) -> Any:
        return recursion(*args, **kwargs)

    def in_torch(*args: Any, **kwargs: Any) -> Any:
        a = torch.ones(2, 3)
        return a @ a

    def no_arguments() -> float:
        return 1.0

    return {
        "prints": prints,
        "identity": identity,
        "mutates": mutates,
        "key_error": key_error,
        "long_message": long_message,
        "multi_line": multi_line,
        "bad_message": bad_message,
        "recursion": recursion,
        "in_torch": in_torch,
        "no_arguments": no_arguments,
        "a_class": complex,
    }


def raising(*args: Any, **kwargs: Any) -> Any:
    scale = 1.0
    return scale / 0  # the student's mistake, on a line of the student's own


def interrupted(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


def contract_tests(module: ModuleType, specs: dict[str, Spec]) -> dict[str, Any]:
    """The contract's tests for ``module``'s checkers, to be put in a test module's namespace."""
    right = [(name, label) for name, spec in specs.items() for label in spec.right]
    wrong = [(name, i) for name, spec in specs.items() for i in range(len(spec.wrong))]
    functions = [name for name, spec in specs.items() if spec.kind == "function"]
    junk = [(name, label) for name in specs for label in junk_values()]
    junk_calls = [(name, label) for name in functions for label in junk_functions()]
    junk_calls += [(name, label) for name, spec in specs.items() for label in spec.extra_junk]

    def test_every_checker_has_a_spec() -> None:
        checkers = {
            name
            for name, value in vars(module).items()
            if name.startswith("check_") and inspect.isfunction(value) and value.__module__ == module.__name__
        }
        assert checkers == set(specs), "every checker has a Spec, and every Spec a checker"
        for name, spec in specs.items():
            assert spec.checker is getattr(module, name)
            assert len(spec.right) >= 3, f"{name}: right answers in several numeric types"
            assert spec.wrong, f"{name}: wrong answers with their hints"

    @pytest.mark.parametrize(("name", "label"), right)
    def test_right_answer_prints_one_tick(name: str, label: str, capsys: pytest.CaptureFixture[str]) -> None:
        spec = specs[name]
        out = run_and_capture(spec, spec.right[label], capsys)
        lines = verdict_of(out)
        assert lines[0].startswith("✓") and out == "\n".join(lines) + "\n", out
        assert re.search(spec.verdict, " ".join(out.split()).split(": ", 1)[1]), out
        if spec.verdict == Spec.verdict:
            assert len(lines) == 1, f"a right answer prints one line:\n{out}"
        assert_clean(out, spec, secrets=False)

    @pytest.mark.parametrize("name", list(specs))
    def test_placeholders_remind(name: str, capsys: pytest.CaptureFixture[str]) -> None:
        spec = specs[name]
        placeholders = [None, ...]
        if spec.kind == "function":
            placeholders += [as_student(None), as_student(...)]
        for placeholder in placeholders:
            out = run_and_capture(spec, placeholder, capsys)
            assert out.startswith("✗") and "not attempted yet" in out, out
            assert_clean(out, spec)

    @pytest.mark.parametrize(("name", "index"), wrong)
    def test_wrong_answer_gets_its_hint(name: str, index: int, capsys: pytest.CaptureFixture[str]) -> None:
        spec = specs[name]
        answer, hint, *echo = spec.wrong[index]
        out = run_and_capture(spec, answer, capsys)
        assert out.startswith("✗"), out
        assert re.search(hint, " ".join(out.split())), f"hint {hint!r} not in:\n{out}"
        assert_clean(out, spec, *echo)

    @pytest.mark.parametrize("name", functions)
    def test_error_in_students_code_names_their_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
        spec = specs[name]
        out = run_and_capture(spec, raising, capsys)
        flat = " ".join(out.split())
        assert out.startswith("✗"), out
        assert "exercise_contract.py, line" in flat and "return scale / 0" in flat, out
        assert "ZeroDivisionError: float division by zero" in flat, out
        assert_clean(out, spec)
        with pytest.raises(KeyboardInterrupt):
            spec.run(interrupted)

    @pytest.mark.parametrize(("name", "label"), junk)
    def test_answer_of_the_wrong_kind_is_refused_kindly(
        name: str, label: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        spec = specs[name]
        value = junk_values()[label]
        out = run_and_capture(spec, as_student(value) if spec.kind == "function" else value, capsys)
        if spec.kind == "value" and label in (*ODD_NUMBERS, *spec.junk_may_pass):
            assert verdict_of(out)[0].startswith(("✓", "✗")), out  # a value exercise may have a range of answers
        else:
            assert verdict_of(out)[0].startswith("✗"), out
        assert_clean(out, spec)

    @pytest.mark.parametrize(("name", "label"), junk_calls)
    def test_misbehaving_function_is_refused_kindly(name: str, label: str, capsys: pytest.CaptureFixture[str]) -> None:
        spec = specs[name]
        answer = {**junk_functions(), **spec.extra_junk}[label]
        out = run_and_capture(spec, answer, capsys)
        assert verdict_of(out)[0].startswith("✗"), out
        assert_clean(out, spec)

    @pytest.mark.parametrize("name", functions)
    def test_not_a_function_is_refused_kindly(name: str, capsys: pytest.CaptureFixture[str]) -> None:
        spec = specs[name]
        for value in (torch.ones(3), "my_function", 12.5):
            out = run_and_capture(spec, value, capsys)
            assert out.startswith("✗") and "pass your function itself" in out, out
            assert_clean(out, spec)

    tests = {
        "test_every_checker_has_a_spec": (test_every_checker_has_a_spec, True),
        "test_right_answer_prints_one_tick": (test_right_answer_prints_one_tick, right),
        "test_placeholders_remind": (test_placeholders_remind, specs),
        "test_wrong_answer_gets_its_hint": (test_wrong_answer_gets_its_hint, wrong),
        "test_error_in_students_code_names_their_line": (test_error_in_students_code_names_their_line, functions),
        "test_answer_of_the_wrong_kind_is_refused_kindly": (test_answer_of_the_wrong_kind_is_refused_kindly, junk),
        "test_misbehaving_function_is_refused_kindly": (test_misbehaving_function_is_refused_kindly, junk_calls),
        "test_not_a_function_is_refused_kindly": (test_not_a_function_is_refused_kindly, functions),
    }
    return {name: test for name, (test, cases) in tests.items() if cases}  # no test without cases


def numbers_of(*tensors: torch.Tensor | float) -> list[float]:
    """Every value of the given references, as floats (for Spec.secrets)."""
    values: list[float] = []
    for t in tensors:
        values += torch.as_tensor(t, dtype=torch.float64).flatten().tolist()
    return values


def variants(base: Callable[..., Any], kind: str) -> dict[str, Callable[..., Any]]:
    """A right answer ``base`` returning its result in several numeric types.

    kind "tensor": float16, bfloat16, float32 and float64 tensors, NumPy arrays, nested lists, a tensor
    that requires grad.
    kind "number": float, NumPy float16, float32 and float64, torch 0-d bfloat16, float32 and float64,
    a (1,) tensor.
    kind "count": int, float, NumPy int64, torch 0-d int64 and float32.
    """

    def tensor(*args: Any, **kwargs: Any) -> torch.Tensor:
        return torch.as_tensor(base(*args, **kwargs))

    def number(*args: Any, **kwargs: Any) -> float:
        return float(torch.as_tensor(base(*args, **kwargs), dtype=torch.float64))

    if kind == "tensor":
        return {
            "float32": lambda *a, **k: tensor(*a, **k).float(),
            "float64": lambda *a, **k: tensor(*a, **k).double(),
            "numpy32": lambda *a, **k: tensor(*a, **k).float().numpy(),
            "numpy64": lambda *a, **k: tensor(*a, **k).double().numpy(),
            "list": lambda *a, **k: tensor(*a, **k).tolist(),
            "requires_grad": lambda *a, **k: tensor(*a, **k).double().requires_grad_() * 1.0,
            "float16": lambda *a, **k: tensor(*a, **k).half(),
            "bfloat16": lambda *a, **k: tensor(*a, **k).bfloat16(),
        }
    if kind == "number":
        return {
            "python": number,
            "numpy32": lambda *a, **k: np.float32(number(*a, **k)),
            "numpy64": lambda *a, **k: np.float64(number(*a, **k)),
            "numpy16": lambda *a, **k: np.float16(number(*a, **k)),
            "bfloat16": lambda *a, **k: torch.tensor(number(*a, **k), dtype=torch.bfloat16),
            "torch32": lambda *a, **k: torch.tensor(number(*a, **k), dtype=torch.float32),
            "torch64": lambda *a, **k: torch.tensor(number(*a, **k), dtype=torch.float64),
            "shape_1": lambda *a, **k: torch.tensor([number(*a, **k)]),
        }
    if kind == "count":
        return {
            "int": lambda *a, **k: int(number(*a, **k)),
            "float": lambda *a, **k: float(number(*a, **k)),
            "numpy_int64": lambda *a, **k: np.int64(number(*a, **k)),
            "torch_int64": lambda *a, **k: torch.tensor(int(number(*a, **k))),
            "torch_float32": lambda *a, **k: torch.tensor(number(*a, **k), dtype=torch.float32),
        }
    raise ValueError(f"kind: 'tensor', 'number' or 'count'; got {kind!r}")
